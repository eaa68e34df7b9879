"""The read-only commands end to end, through Typer's CliRunner and a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_PLAN, SMALL_PLAN
from typer.testing import CliRunner

from oagtrack import __version__
from oagtrack.cli import app

runner = CliRunner()
ROOT_FIXTURES = Path(__file__).parent / "fixtures"
PLAN = ["--plan", str(BUNDLED_PLAN)]


def row_ids(output: str) -> list[str]:
    """The first cell of each table row (rows start with a milestone id)."""
    return [line.split()[0] for line in output.splitlines() if re.match(r"\d+\.[\w.]+ {2,}\S", line)]


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def test_version():
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"oagtrack {__version__}\n")


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "validate", str(BUNDLED_PLAN)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"{BUNDLED_PLAN}: ok (3 recommendations, 11 actions, 15 milestones)\n",
        "",
    )


def test_validate_ok():
    result = run("validate", str(BUNDLED_PLAN))
    assert (result.exit_code, result.stdout) == (
        0,
        f"{BUNDLED_PLAN}: ok (3 recommendations, 11 actions, 15 milestones)\n",
    )


def test_validate_reports_every_problem_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SMALL_PLAN.replace("due: 2020-09-30", "due: 2020-09-31")
        .replace("agreed: true", "agreed: yes")
        .replace("leads: [bo]", "leads: [nobody]")
    )
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:18:15: recommendation 1 response agreed: expected true or false, found 'yes'"
        " (yes/no/on/off are not booleans here)",
        f"{bad}:27:14: action 1.1 due: 2020-09-31 is not a date: September 2020 has 30 days",
        f"{bad}:32:17: action 1.2 leads: unknown person 'nobody'; leads are keys under people: ana, bo",
    ]


def test_a_missing_plan_is_a_clear_error(tmp_path):
    result = run("status", "--plan", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}: no such file")


def test_the_plan_is_found_from_the_environment_and_parent_folders(tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_text(SMALL_PLAN)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    result = run("validate")
    assert result.stdout == f"{tmp_path / 'plan.yaml'}: ok (1 recommendation, 3 actions, 5 milestones)\n"
    result = run("validate", env={"OAGTRACK_PLAN": str(BUNDLED_PLAN)})
    assert result.stdout.startswith(f"{BUNDLED_PLAN}: ok (3 recommendations")


def test_status_tables_and_summary():
    result = run("status", "--as-of", "2021-01-31", *PLAN, env={"COLUMNS": "120"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    titles = [line.strip() for line in lines if line.startswith("Recommendation ")]
    assert titles == [
        "Recommendation 1: CBSA should continue to refine its strategy to ensure the timely…",
        "Recommendation 2: CBSA should continue to explore options to encourage voluntary…",
        "Recommendation 3: CBSA should improve the integrity of its data and case management…",
    ]
    row = next(line for line in lines if line.startswith("1.4 "))
    assert row.split()[-7:] == ["Kathy", "Thompson", "2020-03-31", "overdue", "306", "days", "overdue"]
    row = next(line for line in lines if line.startswith("3.1 "))
    assert "open" in row and "due in 40 days" in row
    assert lines[-1] == "As of 2021-01-31: 15 milestones: 0 complete, 10 overdue, 0 due soon, 5 open"


def test_overdue_table_lists_most_overdue_first():
    result = run("overdue", "--as-of", "2021-01-31", *PLAN)
    assert row_ids(result.stdout) == [
        "1.4",
        "1.1",
        "2.1",
        "3.4b.a",
        "2.2",
        "2.outcome",
        "1.2",
        "3.4a",
        "1.3",
        "1.outcome",
    ]
    assert result.stdout.splitlines()[-1] == "10 milestones"


def test_overdue_json():
    result = run("overdue", "--as-of", "2021-01-31", "--format", "json", *PLAN)
    rows = json.loads(result.stdout)
    assert [(r["id"], r["kind"], r["recommendation"], r["due"], r["days_overdue"]) for r in rows][:3] == [
        ("1.4", "action", "1", "2020-03-31", 306),
        ("1.1", "action", "1", "2020-09-30", 123),
        ("2.1", "action", "2", "2020-09-30", 123),
    ]
    assert rows[3]["kind"] == "step" and rows[3]["leads"] == ["Dr. Nicole Giles"]
    assert rows[5]["kind"] == "outcome" and rows[5]["text"].startswith("A dedicated immigration information help line")
    assert run("overdue", "--as-of", "2020-01-01", "-f", "json", *PLAN).stdout == "[]\n"
    assert len(json.loads(run("overdue", "--as-of", "2022-01-01", "-f", "json", *PLAN).stdout)) == 15


def test_overdue_csv_and_lead_filter():
    result = run("overdue", "--as-of", "2021-01-31", "--format", "csv", "--lead", "giles", *PLAN)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["days_overdue"], r["leads"]) for r in rows] == [
        ("3.4b.a", "123", "Dr. Nicole Giles"),
        ("3.4a", "31", "Scott Harris; Dr. Nicole Giles"),
    ]


def test_overdue_with_an_unknown_lead_is_a_usage_error():
    result = run("overdue", "--lead", "nobody", *PLAN)
    assert result.exit_code == 2
    assert "no person 'nobody' in the plan; people: harris, doan, thompson, giles" in result.stderr


def test_upcoming_with_countdowns():
    result = run("upcoming", "--as-of", "2021-01-31", "--within", "60d", *PLAN)
    lines = result.stdout.splitlines()
    assert row_ids(result.stdout) == ["3.1", "3.2", "3.3", "3.outcome"]
    assert next(line for line in lines if line.startswith("3.1 ")).endswith("due in 40 days")
    assert (
        run("upcoming", "--as-of", "2021-01-31", *PLAN).stdout == "Nothing falls due from 2021-01-31 to 2021-03-02.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--as-of", "2021-02-30"], "2021-02-30 is not a date: February 2021 has 28 days"),
        (["upcoming", "--within", "-5d"], "'-5d' is negative; a window must be zero or more days"),
        (
            ["status", "--state", "late"],
            "unknown state late; choose from complete, complete-late, overdue, due-soon, open",
        ),
    ],
)
def test_bad_options_are_usage_errors(args, message):
    result = run(*args, *PLAN)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_show_an_action_in_full():
    result = run("show", "1.1", "--as-of", "2021-01-31", *PLAN)
    out = result.stdout
    assert out.startswith("Action 1.1  (recommendation 1)\n\nThe CBSA will continue to refine the removal strategy")
    for line in [
        "Due:          2020-09-30",
        "Status:       not-started",
        "State:        overdue (123 days overdue)",
        "  Scott Harris",
        "    Vice-President",
        "    Intelligence and Enforcement Branch",
        "    CBSA",
        "    613-948-4111",
    ]:
        assert line in out.splitlines()


def test_show_a_recommendation_with_response_outcome_and_actions():
    out = run("show", "2", "--as-of", "2021-01-31", *PLAN).stdout
    assert out.startswith("Recommendation 2\n\nCBSA should continue to explore options")
    assert "Response: Agreed\nAgreed. While the immigration continuum" in out
    assert "Expected outcome: due 2020-10-31, overdue (92 days overdue)" in out
    assert row_ids(out) == ["2.1", "2.2"]


def test_show_a_person_and_a_step():
    out = run("show", "giles", "--as-of", "2021-01-31", *PLAN).stdout
    assert out.splitlines()[:5] == [
        "Dr. Nicole Giles",
        "  Associate Assistant Deputy Minister",
        "  Operations",
        "  IRCC",
        "  613-437-8211",
    ]
    assert out.splitlines()[-1] == "4 milestones: 0 complete, 2 overdue, 0 due soon, 2 open"
    out = run("show", "3.4b.a", "--as-of", "2021-01-31", *PLAN).stdout
    assert out.startswith("Step 3.4b.a [printed a.]  (recommendation 3)")


def test_show_an_unknown_id_suggests_near_ones():
    result = run("show", "3.9", *PLAN)
    assert result.exit_code == 1
    assert result.stderr == "oagtrack: no item '3.9' in the plan; did you mean 3.3, 3.2, 3.1?\n"


def test_export_json_has_every_milestone_with_its_state():
    document = json.loads(run("export", "--format", "json", "--as-of", "2021-01-31", *PLAN).stdout)
    assert (document["schema_version"], document["as_of"], document["audit"]["id"]) == (
        2,
        "2021-01-31",
        "oag-2020-immigration-removals",
    )
    recs = document["recommendations"]
    assert [a["id"] for a in recs[2]["actions"]] == ["3.1", "3.2", "3.3", "3.4a", "3.4b"]
    assert [(s["id"], s["state"]) for s in recs[2]["actions"][4]["steps"]] == [
        ("3.4b.a", "overdue"),
        ("3.4b.b", "open"),
    ]
    assert recs[0]["outcome"]["state"] == "overdue"
    assert document["people"]["giles"]["honorific"] == "Dr."


HOSTILE = "Title [red]red[/red] <b>bold</b> =cmd() \x1b[31mESC\x1b]52;c;aGk=\x07 \u202eevil :smile:"


def test_plan_text_is_printed_literally_never_as_markup_or_escapes(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        SMALL_PLAN.replace(
            "text: First action.", 'text: "' + HOSTILE.replace("\x1b", "\\e").replace("\x07", "\\a") + '"'
        )
    )
    for args in (["status", "--as-of", "2021-01-31"], ["overdue", "--as-of", "2021-01-31"], ["show", "1.1"]):
        out = run(*args, "--plan", str(plan), env={"COLUMNS": "400"}).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "[red]red[/red] <b>bold</b> =cmd() \\x1b[31mESC\\x1b]52;c;aGk=\\x07 \\u202eevil :smile:" in out
    exported = json.loads(run("overdue", "--as-of", "2021-01-31", "-f", "json", "--plan", str(plan)).stdout)
    assert exported[0]["text"] == HOSTILE


def test_no_color_means_no_escape_codes_even_on_a_terminal(monkeypatch):
    from oagtrack.render.terminal import make_console

    monkeypatch.setenv("FORCE_COLOR", "1")
    for environ, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        buffer = io.StringIO()
        console = make_console(buffer, environ)
        console.print(__import__("rich.text", fromlist=["Text"]).Text("late", style="bold red"))
        assert ("\x1b[" in buffer.getvalue()) is coloured


def test_five_different_errors_through_python_dash_m(tmp_path):
    """A real process: every problem with its position, exit 1, no traceback."""
    bad = tmp_path / "plan.yaml"
    bad.write_bytes((ROOT_FIXTURES / "readme" / "broken.yaml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    positions = [line.removeprefix(f"{bad}:").split(": ")[0] for line in done.stderr.splitlines()]
    assert positions == ["18:15", "26:9", "27:14", "29:13", "32:17"]


def test_no_plan_anywhere_says_where_it_looked(tmp_path, monkeypatch):
    if any((folder / "plan.yaml").exists() for folder in tmp_path.parents):
        pytest.skip("a folder above the test's temporary folder holds a plan.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("status", env={"OAGTRACK_PLAN": ""})
    assert result.exit_code == 1
    assert (
        result.stderr == f"plan.yaml: not found in {tmp_path} or any folder above it;"
        " name the plan with --plan FILE or $OAGTRACK_PLAN\n"
    )


def test_an_unknown_organization_is_a_usage_error():
    result = run("overdue", "--org", "XYZ", *PLAN)
    assert result.exit_code == 2
    assert "no organization 'XYZ' among the leads; organizations: CBSA, IRCC" in result.stderr


def test_overdue_and_upcoming_filter_by_state_and_org():
    result = run("upcoming", "--as-of", "2021-01-31", "--within", "60d", "--state", "due-soon", "--org", "ircc", *PLAN)
    assert row_ids(result.stdout) == ["3.outcome"]
    result = run("overdue", "--as-of", "2021-01-31", "--state", "due-soon", *PLAN)
    assert result.stdout == "Nothing overdue as of 2021-01-31.\n"


def test_piped_tables_carry_no_trailing_blanks():
    out = run("status", "--as-of", "2021-01-31", *PLAN).stdout
    assert [line for line in out.splitlines() if line != line.rstrip()] == []


def test_an_ascii_terminal_gets_escapes_not_an_error():
    done = subprocess.run(
        [sys.executable, "-m", "oagtrack", "show", "1", "--as-of", "2021-01-31", "--plan", str(BUNDLED_PLAN)],
        capture_output=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert done.returncode == 0
    assert b"the CBSA\\u2019s established highest priority" in done.stdout


def test_export_json_keeps_the_verification_a_reopening_withdrew(tmp_path):
    """The reopening is written with its reason only; the export adds what it withdrew,
    replayed from the entries before it."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        SMALL_PLAN.replace(
            "        status: not-started\n",
            (
                "        status: reopened\n        history:\n"
                "          - date: 2020-09-28\n            event: completed\n            evidence: [e.pdf]\n"
                "          - date: 2020-10-15\n            event: verified\n            by: Internal Audit\n"
                "          - date: 2020-11-20\n            event: reopened\n            reason: Gaps.\n"
            ),
            1,
        )
    )
    document = json.loads(run("export", "--as-of", "2021-01-31", "--plan", str(plan)).stdout)
    action = document["recommendations"][0]["actions"][0]
    assert action["history"] == [
        {"date": "2020-09-28", "event": "completed", "evidence": ["e.pdf"]},
        {"date": "2020-10-15", "event": "verified", "by": "Internal Audit"},
        {
            "date": "2020-11-20",
            "event": "reopened",
            "reason": "Gaps.",
            "completed": "2020-09-28",
            "verified": "2020-10-15",
            "verified_by": "Internal Audit",
        },
    ]
    assert (action["status"], action["completed"], action["verified"], action["evidence"]) == (
        "reopened",
        None,
        None,
        ["e.pdf"],
    )
    early = json.loads(run("export", "--as-of", "2020-10-01", "--plan", str(plan)).stdout)["recommendations"][0][
        "actions"
    ][0]
    assert early["history"] == [{"date": "2020-09-28", "event": "completed", "evidence": ["e.pdf"]}]
    assert (early["status"], early["completed"], early["verified"]) == ("complete", "2020-09-28", None)


def test_at_80_columns_every_line_fits_and_the_countdown_is_whole():
    out = run("status", "--as-of", "2021-01-31", *PLAN, env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert next(line for line in out.splitlines() if line.startswith("1.4 ")).endswith("306 days overdue")


def test_a_narrow_table_drops_the_columns_another_repeats_before_cutting_the_text():
    """At 80 columns Rec (the ID starts with it) and State (the countdown says it) give way; at 100 they stay."""
    narrow = run("overdue", "--as-of", "2021-01-31", *PLAN, env={"COLUMNS": "80"}).stdout.splitlines()
    assert narrow[0].split() == ["ID", "Milestone", "Lead", "Due", "Countdown"]
    row = next(line for line in narrow if line.startswith("1.4 "))
    assert row.split()[1:4] == ["This", "improved", "plan"] and row.endswith("306 days overdue")
    wide = run("overdue", "--as-of", "2021-01-31", *PLAN, env={"COLUMNS": "100"}).stdout.splitlines()
    assert wide[0].split() == ["ID", "Rec", "Milestone", "Lead", "Due", "State", "Countdown"]


def test_diff_of_two_files_needs_no_plan_around(tmp_path, monkeypatch):
    (tmp_path / "old.yaml").write_text(SMALL_PLAN)
    (tmp_path / "new.yaml").write_text(SMALL_PLAN.replace("text: Second action.", "text: Second action, revised."))
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run("diff", "--old-file", "../old.yaml", "--new-file", "../new.yaml", env={"OAGTRACK_PLAN": ""})
    assert result.exit_code == 0
    assert "text of 1.2 changed" in result.stdout


def test_report_to_a_file_has_a_fixed_width_and_no_trailing_blanks(tmp_path):
    out = tmp_path / "report.txt"
    result = run("report", "--as-of", "2021-01-31", "-o", str(out), *PLAN, env={"COLUMNS": "40"})
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert max(len(line) for line in lines) <= 120 and max(len(line) for line in lines) > 80
    assert [line for line in lines if line != line.rstrip()] == []


def test_a_wide_or_hostile_title_stays_on_one_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        SMALL_PLAN.replace("    text: Do the thing.", '    text: "' + "移民遣返" * 30 + '\\e[2J"'), encoding="utf-8"
    )
    out = run("status", "--as-of", "2021-01-31", "--plan", str(plan), env={"COLUMNS": "100"}).stdout
    assert out.splitlines()[0].startswith("Recommendation 1: 移民遣返") and out.splitlines()[0].endswith("…")
    assert out.splitlines()[1].startswith("ID ")


def test_a_file_name_cannot_act_on_the_terminal(tmp_path):
    plan = tmp_path / "e\x1b]0;PWNED\x07.yaml"
    plan.write_text(SMALL_PLAN)
    result = run("validate", str(plan))
    assert "\x1b" not in result.stdout and "\\x1b]0;PWNED\\x07.yaml: ok" in result.stdout
