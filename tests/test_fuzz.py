"""Mutations of the bundled plan: validation never raises, and a refusal always has a position.

Lines are deleted, duplicated and swapped, and random characters inserted;
whatever comes out, `validate_bytes` returns a plan or positioned problems,
and the command line exits 0 or 1 with one `FILE:LINE:COL: message` a line.
"""

from __future__ import annotations

import re
from datetime import date

from conftest import BUNDLED_PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.validate import validate_bytes

TEXT = BUNDLED_PLAN.read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)
TODAY = date(2030, 1, 1)
# Characters that matter to YAML, to the schema and to decoding, plus anything at all.
NASTY = st.sampled_from(
    list(":-?[]{},#&*!|>'\"%@`\t\r\n\x00\x85\u2028\ufeff\x1b")
    + ["  ", "- ", ": ", "---", "...", "<<: ", "!!python/object:os.system", "1.10", "yes", "~"]
)
INSERTED = st.one_of(NASTY, st.text(min_size=1, max_size=8))


@st.composite
def mutated(draw) -> bytes:
    """The bundled plan after one to four random edits."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(INSERTED) + lines[at][column:]
        elif kind == "truncate":
            lines = lines[: at + 1]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 20)) == 0:  # now and then, a byte that is not UTF-8
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[cut:]
    return data


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_validation_never_raises_and_every_refusal_has_a_position(data):
    """A plan, or problems that each carry a line and a column inside the file."""
    plan, problems = validate_bytes(data, "plan.yaml", TODAY)
    if plan is None:
        assert problems
    # YAML also breaks lines at \r, \x85, \u2028 and \u2029; a position may sit just past the last break.
    lines = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", data.decode("utf-8", "replace"))) + 2
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.col >= 1, problem
        assert problem.message and "\n" not in problem.message, problem
        assert str(problem).startswith(f"plan.yaml:{problem.line}:{problem.col}: ")


runner = CliRunner()
LINE_FORMAT = re.compile(r"[^\n]+:\d+:\d+: [^\n]+")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(data=mutated())
def test_the_command_line_exits_0_or_1_with_positioned_lines(tmp_path, data):
    """Through `oagtrack validate`: ok on stdout, or FILE:LINE:COL lines on stderr and exit 1."""
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert result.stdout.startswith(f"{path}: ok (")
    else:
        assert result.stdout == ""
        assert result.stderr.splitlines() and all(LINE_FORMAT.fullmatch(line) for line in result.stderr.splitlines()), (
            result.stderr
        )
