"""No output of any command lets plan text act on a terminal, and none speaks Python (issue 11, classes 3 and 10).

One plan puts a hostile text, holding ESC sequences (CSI, OSC 8 links, OSC
52 clipboard writes), a C1 control (CSI as `\\x9b`), BEL, backspace, DEL, a
lone carriage return and bidirectional overrides and isolates, into every
text field a plan has, each field tagged with its own name. Every command
runs in every format: piped, on a terminal (Rich's terminal path) and on a
terminal in colour. Each output, standard output and standard error alike,
must hold no active character (JSON only as `\\u` escapes, CSV and
iCalendar only their own CR LF line endings, colour only as Rich's own SGR
codes), must show the hostile text as visible escapes, and must not say
`None`, `True`, `False` or name a Python class. Together the outputs must
show every field's tag: a field no command shows, or one that a renderer
dropped, fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.render import changes as change_renderers
from oagtrack.render import diagnostics, export, html, ics, inert, markdown
from oagtrack.render.inert import ACTIVE

#: What makes a plan text act on a terminal or read differently: CSI, OSC 8, OSC 52, C1 CSI, bidi override and
#: isolate, BEL, BS, DEL, a lone CR.
HOSTILE = (
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07 "
    "\x9b1Ac1 \u202eevil\u202c \u2066isolate\u2069 \x07bell \x08back \x7fdel cr\rover"
)
AS_OF = ["--as-of", "2021-01-31"]
#: Python's words, shapes and class names, which no output may show.
PYTHON = re.compile(
    r"\b(None|True|False)\b|datetime\.|\b(Event|Milestone|Recommendation|Response|Person|Audit|Plan|Position|Standing)\("
)
#: The colours and styles Rich writes on a colour terminal: the only escape sequences allowed there.
SGR = re.compile(r"\x1b\[[0-9;]*m")

runner = CliRunner()


def tagged(name: str, suffix: str = "") -> str:
    """The hostile text for one field, after a tag of letters only that survives every escaper: `Ztitle` ... ."""
    return json.dumps(f"Z{name}{suffix} {HOSTILE} Z{name}{suffix}end")


#: Every text field of a plan, by the tag its value carries.
FIELDS = (
    "audittitle", "auditauditor", "audityear", "auditreport", "auditorg",
    "personname", "personhonorific", "persontitle", "personbranch", "personorg", "personphone", "personemail",
    "rectext", "recbullet", "responsetext", "outcomelabel", "outcometext",
    "actionlabel", "actiontext", "evidencefirst", "evidencelink", "verifiedby", "reopenreason", "evidencesecond",
    "notetext", "retiredtext", "revisionreason", "approvedby", "retirereason",
    "grouplabel", "grouptext", "steplabel", "steptext", "stepnote", "laststeptext",
)  # fmt: skip


def hostile_plan(suffix: str = "") -> str:
    """A valid plan with hostile text in every text field; `suffix` changes every value (a later version of it)."""
    t = {name: tagged(name, suffix) for name in FIELDS}
    evidence_link = json.dumps(f"https://example.org/Zevidencelink{suffix}?{HOSTILE}")
    return f"""\
schema_version: 2
audit:
  id: hostile
  title: {t["audittitle"]}
  auditor: {t["auditauditor"]}
  year: {t["audityear"]}
  report: {t["auditreport"]}
  organizations: [{t["auditorg"]}]
people:
  ana:
    name: {t["personname"]}
    honorific: {t["personhonorific"]}
    title: {t["persontitle"]}
    branch: {t["personbranch"]}
    org: {t["personorg"]}
    phone: {t["personphone"]}
    email: {t["personemail"]}
recommendations:
  - id: "1"
    text: {t["rectext"]}
    bullets: [{t["recbullet"]}]
    leads: [ana]
    response:
      agreed: true
      text: {t["responsetext"]}
    outcome:
      id: "1.outcome"
      label: {t["outcomelabel"]}
      text: {t["outcometext"]}
      due: 2021-03-31
    actions:
      - id: "1.1"
        label: {t["actionlabel"]}
        text: {t["actiontext"]}
        due: 2020-09-30
        status: complete
        history:
          - date: 2020-07-01
            event: started
          - date: 2020-09-01
            event: completed
            evidence: [{t["evidencefirst"]}, {evidence_link}]
          - date: 2020-09-02
            event: verified
            by: {t["verifiedby"]}
          - date: 2020-09-03
            event: reopened
            reason: {t["reopenreason"]}
          - date: 2020-09-10
            event: completed
            evidence: [{t["evidencesecond"]}]
          - date: 2021-01-05
            event: note
            text: {t["notetext"]}
      - id: "1.2"
        text: {t["retiredtext"]}
        due: 2021-02-28
        status: retired
        history:
          - date: 2020-10-01
            event: revised
            from: 2020-12-31
            to: 2021-02-28
            reason: {t["revisionreason"]}
            approved_by: {t["approvedby"]}
          - date: 2021-01-10
            event: retired
            reason: {t["retirereason"]}
      - id: "1.3"
        label: {t["grouplabel"]}
        text: {t["grouptext"]}
        steps:
          - id: "1.3.a"
            label: {t["steplabel"]}
            text: {t["steptext"]}
            due: 2020-12-31
            history:
              - date: 2021-01-20
                event: note
                text: {t["stepnote"]}
          - id: "1.3.b"
            text: {t["laststeptext"]}
            due: 2021-02-15
"""


def invalid_plan() -> str:
    """A plan `validate` refuses, quoting hostile values in its messages."""
    bad = json.dumps(f"Zinvalid {HOSTILE}")
    return (
        hostile_plan()
        .replace("      agreed: true\n", f"      agreed: {bad}\n")
        .replace("        due: 2021-02-15\n", f"        due: {bad}\n")
        .replace("        status: complete\n", f"        status: {bad}\n")
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {
        "plan": folder / "plan.yaml",
        "later": folder / "later.yaml",
        "plain": folder / "plain.yaml",
        "invalid": folder / "invalid.yaml",
    }
    paths["plan"].write_text(hostile_plan(), encoding="utf-8")
    paths["later"].write_text(hostile_plan("later"), encoding="utf-8")
    paths["plain"].write_text(re.sub(r'"Z([a-z]+) .*?Z\1end"', r'"plain \1"', hostile_plan()), encoding="utf-8")
    paths["invalid"].write_text(invalid_plan(), encoding="utf-8")
    return paths


def commands(f: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """(medium, arguments) for every command in every format, on the hostile plan."""
    plan = ["--plan", str(f["plan"])]
    listed = [
        ("terminal", [name, *AS_OF, *plan, *window])
        for name, window in (("overdue", []), ("upcoming", ["--within", "400d"]))
    ]
    for name, window in (("overdue", []), ("upcoming", ["--within", "400d"])):
        listed += [
            ("json", [name, *AS_OF, *plan, *window, "--format", "json"]),
            ("csv", [name, *AS_OF, *plan, *window, "--format", "csv"]),
        ]
    return [
        ("terminal", ["validate", str(f["plan"])]),
        *[
            (medium, ["validate", str(f["invalid"]), "--format", fmt])
            for medium, fmt in (("terminal", "text"), ("json", "json"), ("github", "github"))
        ],
        ("terminal", ["status", *AS_OF, *plan]),
        ("terminal", ["status", "--all", *AS_OF, *plan]),
        *listed,
        *[
            ("terminal", ["show", item, *AS_OF, *plan])
            for item in ("1", "1.1", "1.2", "1.3", "1.3.a", "1.outcome", "ana")
        ],
        ("terminal", ["report", *AS_OF, *plan]),
        ("markdown", ["report", "--format", "markdown", *AS_OF, *plan]),
        ("html", ["report", "--format", "html", *AS_OF, *plan]),
        ("terminal", ["timeline", *AS_OF, *plan]),
        ("ics", ["calendar", *AS_OF, *plan]),
        ("ics", ["calendar", "--todo", *AS_OF, *plan]),
        *[(fmt, ["export", "--format", fmt, *AS_OF, *plan]) for fmt in ("json", "csv", "markdown", "html", "ics")],
        ("terminal", ["diff", "--old-file", str(f["plain"]), "--new-file", str(f["plan"])]),
        ("markdown", ["diff", "--old-file", str(f["plain"]), "--new-file", str(f["plan"]), "--format", "markdown"]),
        ("terminal", ["diff", "--old-file", str(f["plan"]), "--new-file", str(f["later"])]),
        *[
            (medium, ["check", "--against-file", str(f["plan"]), "--plan", str(f["later"]), "--format", fmt])
            for medium, fmt in (("terminal", "text"), ("json", "json"), ("github", "github"))
        ],
    ]


#: How each run sees its output: piped; on a terminal (Rich's terminal path); on a colour terminal.
ENVIRONMENTS = {
    "piped": {"NO_COLOR": "1", "COLUMNS": "100", "TTY_COMPATIBLE": None, "FORCE_COLOR": None},
    "terminal": {"NO_COLOR": "1", "COLUMNS": "100", "TTY_COMPATIBLE": "1", "FORCE_COLOR": None},
    "colour": {"NO_COLOR": None, "COLUMNS": "100", "TTY_COMPATIBLE": "1", "FORCE_COLOR": "1", "COLORTERM": "truecolor"},
}


def active(text: str, medium: str, colour: bool) -> list[str]:
    """The active characters left in an output of `medium`: newline
    and tab are text; CSV and iCalendar end lines in CR LF."""
    if colour:
        text = SGR.sub("", text)
    if medium in ("csv", "ics"):
        text = text.replace("\r\n", "\n")
    return sorted({f"U+{ord(char):04X}" for char in ACTIVE.findall(text)})


def shown(outputs: list[str]) -> set[str]:
    """The field tags the outputs show (iCalendar lines unfolded, Markdown's backslashes dropped)."""
    text = "\n".join(outputs).replace("\r\n ", "").replace("\\", "")
    return {name for name in FIELDS if f"Z{name}" in text}


def test_every_command_and_format_keeps_plan_text_inert(files):
    """No raw active character on standard output or error, in any
    format, piped or on a (colour) terminal; every field shown."""
    seen: dict[str, list[str]] = {}
    leaks = []
    for environment, env in ENVIRONMENTS.items():
        colour = environment == "colour"
        for medium, args in commands(files):
            if environment != "piped" and medium != "terminal":
                continue  # only Rich's output differs on a terminal
            result = runner.invoke(app, args, env=env)
            assert result.exit_code in (0, 1), (args, result.output, result.exception)
            assert "internal error" not in result.stderr, args
            # As written: `stdout` would turn CR LF, and so a CR before a newline, into LF.
            for stream, text in (
                ("stdout", result.stdout_bytes.decode("utf-8")),
                ("stderr", result.stderr_bytes.decode("utf-8")),
            ):
                left = active(text, medium if stream == "stdout" else "terminal", colour)
                if left:
                    leaks.append((environment, " ".join(args[:3]), stream, left))
                assert not PYTHON.search(text), (args, PYTHON.search(text))
            seen.setdefault(medium, []).append(result.stdout + result.stderr)
    assert [] == leaks
    assert set(FIELDS) == shown([out for outputs in seen.values() for out in outputs])
    for medium, outputs in seen.items():
        # The hostile text shows, escaped: ESC as `\x1b` (`\u001b` in JSON), RLO as `\u202e` (Markdown doubles the
        # backslash).
        text = "\n".join(outputs).replace("\r\n ", "")
        assert ("u001b" if medium == "json" else "x1b") in text and "u202e" in text, medium


def test_json_outputs_keep_the_exact_text_as_escapes(files):
    """JSON is for programs: every string reads back exactly, and the active characters travel as \\u escapes."""
    plan = ["--plan", str(files["plan"])]
    document = json.loads(runner.invoke(app, ["export", "--format", "json", *AS_OF, *plan]).stdout)
    action = document["recommendations"][0]["actions"][0]
    assert f"Zactiontext {HOSTILE} Zactiontextend" == action["text"]
    assert f"Znotetext {HOSTILE} Znotetextend" == action["history"][-1]["text"]
    listed = runner.invoke(app, ["overdue", "--format", "json", *AS_OF, *plan]).stdout
    assert f"Zsteptext {HOSTILE} Zsteptextend" == json.loads(listed)[0]["text"]
    assert "\\u202e" in listed and "\\u009b" in listed and [] == active(listed, "json", False)
    # check quotes the start of each value it names: in JSON as written, its controls as escapes
    checked = runner.invoke(
        app, ["check", "--against-file", str(files["plan"]), "--plan", str(files["later"]), "--format", "json"]
    ).stdout
    messages = [problem["message"] for problem in json.loads(checked)["problems"]]
    assert any("'Zreopenreasonlater \x1b[2J\x1b[31mred" in message for message in messages)
    assert "\\u001b[2J" in checked and [] == active(checked, "json", False)


def test_csv_shows_active_characters_and_keeps_its_line_endings(files):
    """CSV keeps cells and CR LF rows; ESC, C1, bidi controls and
    a lone CR are shown as escapes, in a file as on a terminal."""
    result = runner.invoke(app, ["export", "--format", "csv", *AS_OF, "--plan", str(files["plan"])])
    written = result.stdout_bytes.decode("utf-8")  # as written: `stdout` turns CR LF into LF
    assert written.endswith("\r\n") and 6 == written.count("\r\n")  # the header and five milestones
    assert "cr\\x0dover" in written and "\\x1b]8;;https://evil.example" in written and "\\u202eevil" in written
    assert [] == active(written, "csv", False)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_log_keeps_plan_text_inert(files, tmp_path, monkeypatch):
    """`log` prints committed plan text and recorded history: inert too."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for name in ("plain", "plan"):
        (repo / "plan.yaml").write_text(files[name].read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([*git, "add", "plan.yaml"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-q", "-m", f"{name}"], cwd=repo, check=True)
    (repo / "plan.yaml").write_text(files["later"].read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(repo)
    for item in ("1.1", "1.2", "1.3", "1.3.a", "1", "ana"):
        result = runner.invoke(app, ["log", item], env={"NO_COLOR": "1"})
        assert 0 == result.exit_code, result.output
        assert [] == active(result.stdout + result.stderr, "terminal", False), item
        assert not PYTHON.search(result.stdout)
    assert "\\u202e" in runner.invoke(app, ["log", "1.1"]).stdout


def test_every_renderer_declares_its_medium():
    """The renderers commands write declare their medium, so their whole output passes `inert.inert`."""
    renderers = {
        export.standings_json: inert.JSON, export.plan_json: inert.JSON, export.standings_csv: inert.CSV,
        markdown.report: inert.MARKDOWN, markdown.milestones: inert.MARKDOWN,
        html.report: inert.HTML, html.milestones: inert.HTML, ics.calendar: inert.ICS,
        diagnostics.as_text: inert.TERMINAL, diagnostics.as_json: inert.JSON, diagnostics.as_github: inert.GITHUB,
        change_renderers.changes_text: inert.TERMINAL, change_renderers.changes_markdown: inert.MARKDOWN,
        change_renderers.log_text: inert.TERMINAL,
    }  # fmt: skip
    assert renderers == {render: getattr(render, "medium", None) for render in renderers}


EVERY_ACTIVE = "".join(
    map(chr, [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
)


@pytest.mark.parametrize("medium", inert.MEDIA)
def test_inert_leaves_no_active_character_in_any_medium(medium):
    """Each medium's pass escapes every active character; JSON's escapes read back as the same string."""
    text = f"a{EVERY_ACTIVE}b\r\nc\td"
    made = inert.inert(text, medium)
    assert [] == active(made, medium, False)
    assert made == inert.inert(made, medium)  # a second pass changes nothing
    if medium == inert.JSON:
        assert text == json.loads(inert.inert(json.dumps(text, ensure_ascii=False), medium))
    else:
        assert "\\x1b" in made and "\\x9b" in made and "\\u202e" in made and "\\u2069" in made


def test_written_files_are_inert_too(files, tmp_path):
    """`-o FILE` writes what standard output would: a file shown later with `cat` is a terminal too."""
    plan = ["--plan", str(files["plan"])]
    for medium, args in (
        ("terminal", ["report"]),
        ("markdown", ["report", "--format", "markdown"]),
        ("csv", ["export", "--format", "csv"]),
        ("ics", ["calendar"]),
    ):
        target = tmp_path / f"out.{medium}"
        result = runner.invoke(app, [*args, *AS_OF, *plan, "-o", str(target)], env={"NO_COLOR": "1"})
        assert 0 == result.exit_code, result.output
        written = target.read_text(encoding="utf-8-sig")
        assert [] == active(written, medium, False), args
        assert "u202e" in written


def test_a_refused_filter_lists_the_plan_s_names_inert(tmp_path) -> None:
    """`--org nope` lists the organizations, people and
    recommendations of the plan: their text cannot act on a terminal."""
    from typer.testing import CliRunner

    from oagtrack.cli import app

    for option in ("--org", "--lead", "--rec"):
        result = CliRunner().invoke(app, ["status", option, "nope", "-p", str(HOSTILE_PLAN_FOR_FILTERS(tmp_path))])
        assert result.exit_code == 2
        assert not any(
            ord(ch) < 32 and ch not in "\n" or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e\u2066" for ch in result.stderr
        ), result.stderr
        if option == "--org":
            assert "CB\\x1b[31mSA\\u202e" in result.stderr  # the name is there, shown inert


def HOSTILE_PLAN_FOR_FILTERS(tmp_path):  # noqa: N802 - reads as the constant it stands for
    from conftest import SMALL_PLAN

    path = tmp_path / "plan.yaml"
    path.write_text(
        SMALL_PLAN.replace("org: CBSA", 'org: "CB\\x1b[31mSA\\u202e"').replace("  bo:\n", '  "bo":\n'), encoding="utf-8"
    )
    return path
