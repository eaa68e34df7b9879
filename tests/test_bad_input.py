"""Hostile and malformed input: refused in one clear line each, never a traceback.

The corpus in tests/bad/ holds one plan per case with the messages expected;
the cases too large or too odd to keep as files are built here.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED_PLAN, SMALL_PLAN
from typer.testing import CliRunner

from oagtrack import cli
from oagtrack.cli import app, main
from oagtrack.core import source, store
from oagtrack.core.validate import validate_bytes

CORPUS = Path(__file__).parent / "bad"
CASES = sorted(path.stem for path in CORPUS.glob("*.yaml"))
TODAY = date(2030, 1, 1)
runner = CliRunner()


def expected_lines(name: str) -> list[tuple[str, str]]:
    """(position, message) pairs from NAME.expected; position is 'LINE:COL' or '-'."""
    pairs = []
    for line in (CORPUS / f"{name}.expected").read_text(encoding="utf-8").splitlines():
        position, message = re.fullmatch(r"(\d+:\d+|-): (.+)", line).groups()
        pairs.append((position, message))
    return pairs


def test_the_corpus_covers_every_case_the_issue_lists():
    """Each kind of bad input named in issue 6 has a file in tests/bad/."""
    wanted = {
        "empty",
        "only_comments",
        "top_level_list",
        "top_level_scalar",
        "unclosed_quote",
        "unclosed_bracket",
        "truncated",
        "tab_indentation",
        "duplicate_key_top",
        "duplicate_key_audit",
        "duplicate_key_people",
        "duplicate_key_person",
        "duplicate_key_recommendation",
        "duplicate_key_response",
        "duplicate_key_outcome",
        "duplicate_key_action",
        "duplicate_key_step",
        "duplicate_id",
        "unknown_key_suggestion",
        "missing_required",
        "several_missing",
        "wrong_type_list_for_text",
        "boolean_yes",
        "boolean_no",
        "boolean_on",
        "boolean_off",
        "datetime_with_timezone",
        "two_documents",
        "enum_capitalised",
        "enum_trailing_space",
        "date_september_31",
        "date_month_13",
        "date_day_first",
        "date_no_year",
        "id_number",
        "anchor",
        "alias",
        "merge_key",
        "tag_python_object",
        "tag_local",
        "invalid_utf8",
        "utf16",
        "nul_byte",
    }
    assert set() == wanted - set(CASES)
    assert [] == [name for name in CASES if not (CORPUS / f"{name}.expected").exists()]


@pytest.mark.parametrize("name", CASES)
def test_each_bad_plan_is_refused_with_its_positions(name):
    """`oagtrack validate` exits 1 and prints exactly the expected FILE:LINE:COL lines."""
    path = CORPUS / f"{name}.yaml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    printed = result.stderr.splitlines()
    wanted = expected_lines(name)
    assert len(wanted) == len(printed), printed
    for (position, message), line in zip(wanted, printed):
        prefix = f"{path}: " if position == "-" else f"{path}:{position}: "
        assert line.startswith(prefix), line
        assert message in line


def test_several_missing_fields_are_listed_in_one_run():
    """Three missing keys in one plan: three lines, one run."""
    assert [message for _, message in expected_lines("several_missing")] == [
        "recommendation 1: missing required key 'text'",
        "recommendation 1: missing required key 'response'",
        "outcome: missing required key 'id'",
    ]


def test_enum_mistakes_list_the_allowed_values():
    """`Completed` and `complete ` name every status a milestone may have."""
    for name in ("enum_capitalised", "enum_trailing_space"):
        ((_, message),) = expected_lines(name)
        assert (
            "not one of: not-started, in-progress, complete, verified, reopened, retired (did you mean 'complete'?)"
            in message
        )


@pytest.mark.parametrize("name", ["tag_python_object", "invalid_utf8", "utf16", "nul_byte", "unclosed_quote"])
def test_the_console_script_refuses_without_a_traceback(name):
    """Through a real process: one line per problem on stderr, exit 1."""
    path = CORPUS / f"{name}.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr
    assert all(line.startswith(f"{path}:") for line in done.stderr.splitlines())


def test_a_python_tag_is_never_executed(tmp_path):
    """`!!python/object/apply` naming a function that would write a file: refused, file never written."""
    marker = tmp_path / "ran"
    text = SMALL_PLAN.replace(
        "text: First action.",
        "text: !!python/object/apply:pathlib.Path.touch "
        f"[!!python/object/apply:pathlib.Path [{json.dumps(str(marker))}]]",
    )
    plan, problems = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert plan is None
    assert "refused: the schema decides types, and nothing in a plan is executed" in problems[0].message
    assert not marker.exists()


# -- deep nesting -------------------------------------------------------------
DEPTH = 10_000
SHAPES = {
    "flow sequences [[[": "[" * DEPTH + "]" * DEPTH + "\n",
    "flow mappings {{{": "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    "compact block sequences - - -": "- " * DEPTH + "x\n",
    "flow inside a plan": "schema_version: 1\naudit:\n  title: " + "[" * DEPTH + "]" * DEPTH + "\n",
    # Indented shapes grow as the square of their depth: 1,000 levels is already a 1 MB file.
    "block sequences on their own lines": "".join("  " * i + "-\n" for i in range(1_000)) + "  " * 1_000 + "x\n",
    "indented mappings": "".join(" " * i + "a:\n" for i in range(1_000)) + " " * 1_000 + "b: 1\n",
    "sequences of mappings": "".join("  " * i + "- a:\n" for i in range(1_000)) + "  " * 1_000 + "  b\n",
    "complex keys ? ? ?": "".join("  " * i + "? \n" for i in range(1_000)) + "  " * 1_000 + "x\n",
}


@pytest.mark.parametrize("loader", [source.CLoader, source.PyLoader], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("shape", SHAPES)
def test_deep_nesting_is_refused_by_either_parser(shape, loader):
    """Every nesting shape is refused with a position, never a RecursionError or a crash."""
    src, problems = source.load(SHAPES[shape].encode(), "deep.yaml", loader=loader)
    assert src is None
    assert [f"nesting deeper than {source.MAX_DEPTH} levels; a plan needs about ten"] == [p.message for p in problems]
    assert problems[0].line >= 1 and problems[0].col >= 1


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_nesting_that_would_crash_libyaml_is_refused_in_a_real_process(tmp_path, depth):
    """libyaml's composer recurses in C and crashes near 100,000 levels: the check runs first."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * depth + "]" * depth + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert re.fullmatch(
        rf"{re.escape(str(path))}:1:\d+: nesting deeper than 64 levels; a plan needs about ten\n", done.stderr
    )


# -- files that cannot be read ----------------------------------------------------
def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path):
    """A sparse file one byte over the cap (nothing written to disk): refused, no position."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(source.MAX_BYTES + 1)
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{path}: file is {source.MAX_BYTES + 1:,} bytes; the limit is {source.MAX_BYTES:,} bytes\n"


def test_the_size_cap_sits_above_the_largest_benchmark_plan():
    """The cap is documented as above the 100,000-action benchmark plan (about 75-95 MB)."""
    assert source.MAX_BYTES == 128 * 1024 * 1024
    assert store.MAX_BYTES == source.MAX_BYTES


def test_the_size_cap_applies_to_a_real_plan(tmp_path, monkeypatch):
    """With the cap lowered below the plan's size, the same plan is refused."""
    path = tmp_path / "plan.yaml"
    path.write_text(SMALL_PLAN)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    cap = len(SMALL_PLAN.encode()) - 1
    monkeypatch.setattr(source, "MAX_BYTES", cap)
    monkeypatch.setattr(store, "MAX_BYTES", cap)
    result = runner.invoke(app, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (1, f"{path}: file is {cap + 1:,} bytes; the limit is {cap:,} bytes\n")


def test_a_folder_is_not_a_plan(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (1, f"{tmp_path}: is a folder, not a plan file\n")


def test_a_missing_plan_says_how_to_name_one(tmp_path):
    result = runner.invoke(app, ["overdue", "--plan", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nope.yaml'}: no such file\n"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_plan(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(SMALL_PLAN)
    path.chmod(0)
    try:
        result = runner.invoke(app, ["validate", str(path)])
    finally:
        path.chmod(0o644)
    assert (result.exit_code, result.stderr) == (1, f"{path}: permission denied: cannot read the plan\n")


# -- valid variants load exactly as the bundled plan ---------------------------------
def _comment_everywhere(text: str) -> str:
    """A comment line before every line, and a trailing comment on plain values, except inside block scalars."""
    out, block_indent = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            out.append(line)
            continue
        block_indent = None
        out.append(" " * indent + "# a comment, in its own line")
        stripped = line.rstrip()
        if stripped.endswith((">-", "|", ">")):
            block_indent = indent
            out.append(line)
        elif re.fullmatch(r"\s*(- )?[a-z_]+: (\"[^\"]*\"|[^\"#'&*!|>]+)", stripped):
            out.append(stripped + "  # and at the end of a line")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _flow_style(text: str) -> str:
    """The whole plan as one flow mapping (JSON is YAML flow style)."""
    data = yaml.safe_load(text)
    return json.dumps(data, default=str, ensure_ascii=False, indent=1)


VARIANTS = {
    "a byte-order mark": lambda text: codecs.BOM_UTF8 + text.encode(),
    "CRLF line endings": lambda text: text.replace("\n", "\r\n").encode(),
    "no final newline": lambda text: text.rstrip("\n").encode(),
    "comments everywhere": lambda text: _comment_everywhere(text).encode(),
    "flow style": lambda text: _flow_style(text).encode(),
    "block lists written as flow lists": lambda text: re.sub(
        r"(organizations|leads): \[([^\]]*)\]",
        lambda m: f"{m[1]}:\n" + "".join(f"    - {v.strip()}\n" for v in m[2].split(",")),
        text,
        count=1,
    ).encode(),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_valid_variants_load_the_same_plan(variant):
    """The same plan written differently gives the same model."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    expected, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert problems == []
    data = VARIANTS[variant](text)
    assert data != text.encode()
    plan, problems = validate_bytes(data, "variant.yaml", TODAY)
    assert [] == [str(p) for p in problems]
    assert expected == plan


# -- bad command lines -------------------------------------------------------------
@pytest.fixture
def plan_copy(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(BUNDLED_PLAN.read_bytes())
    return path


BAD_COMMAND_LINES = [
    (["show", "9.9"], 1, "oagtrack: no item '9.9' in the plan"),
    (["complete", "9.9", "--on", "2020-10-01", "-e", "e.pdf"], 1, "oagtrack: no item '9.9' in the plan"),
    (
        ["complete", "1.1", "--on", "2020-02-30"],
        2,
        "Invalid value for --on: 2020-02-30 is not a date: February 2020 has 29 days",
    ),
    (["complete", "1.1", "--on", "someday"], 2, "Invalid value for --on: cannot read 'someday' as a date"),
    (
        ["overdue", "--as-of", "2021-02-30"],
        2,
        "Invalid value for --as-of: 2021-02-30 is not a date: February 2021 has 28 days",
    ),
    (["status", "--as-of", "2021-02-30"], 2, "Invalid value for --as-of: 2021-02-30 is not a date"),
    (
        ["upcoming", "--within", "-5d"],
        2,
        "Invalid value for --within: '-5d' is negative; a window must be zero or more days",
    ),
    (["status", "--within", "-5d"], 2, "Invalid value for --within: '-5d' is negative"),
    (["status", "--lead", "nobody"], 2, "Invalid value for --lead: no person 'nobody' in the plan"),
    (["overdue", "--rec", "9"], 2, "Invalid value for --rec: no recommendation '9'"),
    (["status", "--state", "late"], 2, "Invalid value for --state: unknown state late"),
    (["overdue", "--format", "xml"], 2, "Invalid value for '--format' / '-f'"),
    (["no-such-command"], 2, "No such command 'no-such-command'"),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), BAD_COMMAND_LINES, ids=[" ".join(a) for a, _, _ in BAD_COMMAND_LINES]
)
def test_bad_command_lines_are_refused_in_one_line_and_write_nothing(plan_copy, args, code, message):
    """Exit 2 for usage, 1 for a refused operation; one error line; the plan is untouched."""
    before = plan_copy.read_bytes()
    result = runner.invoke(app, [*args, "--plan", str(plan_copy)] if args[0] != "no-such-command" else args)
    assert result.exit_code == code
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith(("Error:", "oagtrack:"))]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == ["plan.yaml"]


# -- internal errors -----------------------------------------------------------------
def test_an_internal_error_is_one_line_asking_for_a_bug_report(monkeypatch, capsys):
    """Any unexpected exception: one line on stderr, exit 70, no traceback."""

    def broken(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(store, "load_plan", broken)
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(BUNDLED_PLAN)])
    assert stopped.value.code == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"oagtrack: internal error (RuntimeError: something unexpected); {cli.BUG_REPORT}\n"


def test_main_runs_a_command_like_the_app(capsys):
    """main() builds only the command asked for, and it behaves as through the whole app."""
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(BUNDLED_PLAN)])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == runner.invoke(app, ["validate", str(BUNDLED_PLAN)]).stdout


def test_only_the_named_command_is_built_at_start_up():
    only = cli.app_for(["overdue", "--as-of", "2021-01-31"])
    assert [info.callback.__name__ for info in only.registered_commands] == ["overdue"]
    assert len(app.registered_commands) > 1
    assert cli.app_for(["--help"]) is app
    assert cli.app_for(["no-such-command"]) is app
    assert cli.app_for([]) is app
