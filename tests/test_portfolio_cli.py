"""A portfolio end to end: every file checked, qualified and short ids, one file per update, the tables read back.

Each output is judged by what reads it: CSV by the `csv` module, the workbook
by openpyxl, the e-mail drafts by Python's `email` parser, `check` in a real
git repository.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
AS_OF = "2021-03-31"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    """A copy of the example portfolio (with its real plan.yaml beside it, as in the repository); cwd is its folder."""
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder.parent.parent)): p.read_bytes() for p in sorted(folder.parent.parent.rglob("*.yaml"))
    }


def test_the_example_portfolio_is_found_from_its_folder_and_valid(portfolio):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "../../plan.yaml: ok (3 recommendations, 11 actions, 15 milestones)",
        "plans/grants-2019.yaml: ok (2 recommendations, 4 actions, 6 milestones)",
        "plans/procurement-2018.yaml: ok (1 recommendation, 2 actions, 3 milestones)",
        "plans/security-2020.yaml: ok (1 recommendation, 2 actions, 3 milestones)",
    ]


def test_a_broken_file_hides_none_of_the_others(portfolio):
    grants = portfolio / "plans" / "grants-2019.yaml"
    grants.write_text(grants.read_text().replace("due: 2020-06-30", "due: 2020-06-31"))
    security = portfolio / "plans" / "security-2020.yaml"
    security.write_text(security.read_text().replace("  title: Internal Audit of IT", "  title: [Internal Audit of IT"))
    result = run("validate")
    assert result.exit_code == 1
    assert "plans/procurement-2018.yaml: ok" in result.stdout and "../../plan.yaml: ok" in result.stdout
    errors = result.stderr.splitlines()
    assert any(line.startswith("plans/grants-2019.yaml:40:14: ") and "2020-06-31" in line for line in errors), errors
    assert any(line.startswith("plans/security-2020.yaml:7:10: invalid YAML") for line in errors), errors
    assert run("overdue", "--as-of", AS_OF).exit_code == 1  # a query refuses a broken portfolio, with every problem


def test_one_person_described_two_ways_is_reported_at_both_places(portfolio):
    procurement = portfolio / "plans" / "procurement-2018.yaml"
    own = "people:\n  lemieux:\n    name: Paul Lemieux (fictional)\n    title: CFO\n"
    procurement.write_text(procurement.read_text().replace("people: {}\n", own))
    result = run("validate")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "person 'lemieux'" in line]
    assert [line.split(": ")[0] for line in lines] == ["portfolio.yaml:10:3", "plans/procurement-2018.yaml:15:3"]
    assert all("(title, branch, org)" in line for line in lines)


def test_a_lead_the_portfolio_describes_is_known_to_the_plan_read_alone(portfolio, tmp_path):
    alone = run("show", "lemieux", "--plan", "plans/procurement-2018.yaml")
    assert alone.exit_code == 0 and "Chief Financial Officer" in alone.stdout
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.copy(portfolio / "plans" / "procurement-2018.yaml", elsewhere)  # no portfolio names it: lemieux unknown
    refused = run("validate", str(elsewhere))
    assert refused.exit_code == 1 and "unknown person 'lemieux'" in refused.stderr


def test_two_plans_for_one_audit_are_refused(portfolio):
    shutil.copy(portfolio / "plans" / "grants-2019.yaml", portfolio / "plans" / "grants-copy.yaml")
    result = run("validate")
    assert result.exit_code == 1
    assert "audit id 'ia-2019-grants' is used by 2 plans" in result.stderr


def test_status_has_a_row_per_audit(portfolio):
    result = run("status", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "4 audits, 27 milestones: 3 complete, 19 overdue, 2 due soon" in result.stdout
    narrowed = run("status", "--as-of", AS_OF, "--audit", "ia-2019-grants")
    assert "1 audit, 6 milestones: 1 complete, 2 overdue, 2 due soon" in narrowed.stdout
    unknown = run("status", "--audit", "nope")
    assert unknown.exit_code == 2 and "no audit 'nope'" in unknown.stderr


def test_lists_show_qualified_ids_and_json_keeps_them(portfolio):
    result = run("overdue", "--as-of", AS_OF, "--format", "json")
    rows = json.loads(result.stdout)
    ids = [row["id"] for row in rows]
    assert "oag-2018-procurement:1.2" in ids and "oag-2020-immigration-removals:3.4b.a" in ids
    assert len(ids) == len(set(ids)) == 19


def test_a_short_id_works_when_one_audit_has_it_and_is_refused_when_several_do(portfolio):
    unique = run("show", "3.4b.a", "--as-of", AS_OF)
    assert unique.exit_code == 0 and "oag-2020-immigration-removals:3.4b.a" in unique.stdout
    qualified = run("show", "ia-2019-grants:1.2", "--as-of", AS_OF)
    assert qualified.exit_code == 0 and "Train every assessment officer" in qualified.stdout
    several = run("show", "1.2")
    assert several.exit_code == 1
    assert "names an item in several audits" in several.stderr and "ia-2019-grants:1.2" in several.stderr


def test_an_update_writes_exactly_the_one_file_that_holds_the_item(portfolio, tmp_path):
    before = snapshot(portfolio)
    result = run("complete", "ia-2020-it-security:1.2", "--on", "2021-03-20", "--evidence", "https://example.org/q.pdf")
    assert result.exit_code == 0, result.output
    after = snapshot(portfolio)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["examples/portfolio/plans/security-2020.yaml"]
    # the same bytes as the update of that file on its own
    alone = tmp_path / "alone.yaml"
    alone.write_bytes(before["examples/portfolio/plans/security-2020.yaml"])
    run("complete", "1.2", "--plan", str(alone), "--on", "2021-03-20", "--evidence", "https://example.org/q.pdf")
    assert alone.read_bytes() == after["examples/portfolio/plans/security-2020.yaml"]


def test_a_refused_update_in_a_portfolio_changes_no_file(portfolio):
    before = snapshot(portfolio)
    for args in (["complete", "1.2", "--on", "2021-03-20", "-e", "x"], ["start", "ia-2019-grants:9.9"]):
        assert run(*args).exit_code == 1
    assert snapshot(portfolio) == before


def git(folder: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(folder)}  # fmt: skip
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_check_refuses_a_plan_file_deleted_from_the_portfolio(portfolio):
    top = portfolio.parent.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "portfolio")
    ok = run("check")
    assert ok.exit_code == 0 and "plans/security-2020.yaml: ok against HEAD" in ok.stdout
    (portfolio / "plans" / "security-2020.yaml").unlink()
    refused = run("check")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "portfolio.yaml:7:5: plan plans/security-2020.yaml (audit ia-2020-it-security) was deleted since HEAD;"
    )
    edited = portfolio / "plans" / "grants-2019.yaml"
    edited.write_text(edited.read_text().replace("          - date: 2020-06-15\n", "          - date: 2020-06-14\n"))
    both = run("check")
    assert "plans/grants-2019.yaml:" in both.stderr and "was edited" in both.stderr


KCA_PLAN = """schema_version: 2
audit:
  id: ia-kca
  title: "=HYPERLINK(\\"http://x\\") audit (fictional)"
  kind: internal
  status: completed
  report_approved: 2020-02-03
people:
  p: {name: P}
recommendations:
  - id: "1"
    text: T
    response: {agreed: true, text: R}
    outcome: {id: "1.outcome", text: O, due: 2020-12-31, leads: [p]}
    actions:
      - id: "1.1"
        text: A
        due: 2022-01-31
        leads: [p]
        status: complete
        history:
          - {date: 2020-05-01, event: revised, from: 2020-06-30, to: 2022-01-31, reason: later}
          - {date: 2020-06-01, event: completed, evidence: [e.pdf]}
      - id: "1.2"
        text: B
        due: 2020-07-31
        leads: [p]
"""


@pytest.fixture
def kca_plans(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "kca.yaml").write_text(KCA_PLAN)
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plans" / "oag.yaml")  # an OAG audit: no row
    return tmp_path / "plans"


def test_kca_csv_has_the_treasury_board_columns_and_the_original_date(kca_plans):
    result = run("kca", "--plan", str(kca_plans), "--as-of", "2021-03-31", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "Internal audit engagement title",
        "Audit status",
        "Report approved date",
        "Report published date",
        "Original planned MAP completion date",
        "Implementation status (%)",
    ]
    # one internal audit; the revised date (2022-01-31) never counts: the latest original is the outcome's 2020-12-31
    assert rows[1:] == [
        ['\'=HYPERLINK("http://x") audit (fictional)', "Completed", "2020-02-03", "", "2020-12-31", "33"]
    ]


def test_kca_workbook_reads_back_with_dates_and_numbers(kca_plans, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "kca.xlsx"
    result = run("kca", "--plan", str(kca_plans), "--as-of", "2021-03-31", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target)["KCA"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][4] == "Original planned MAP completion date"
    title, status, approved, published, original, percent = values[1]
    assert title == '=HYPERLINK("http://x") audit (fictional)' and sheet.cell(2, 1).data_type == "s"
    assert (status, approved.date(), published, original.date(), percent) == (
        "Completed", date(2020, 2, 3), None, date(2020, 12, 31), 33,
    )  # fmt: skip


def test_committee_report_prints_the_buckets_with_their_limits_and_the_reasons(portfolio):
    result = run("committee", "--as-of", AS_OF, "--format", "markdown")
    text = result.stdout
    assert "## Overdue items by age, as of 2021-03-31" in text
    assert "| 1-90 days | due 2020-12-31 to 2021-03-30 | 9 |" in text
    assert "| over 3 years (1096 days or more) | due on or before 2018-03-31 | 0 |" in text
    assert "2019-04-10 note: the first sample check is delayed by staffing" in text
    assert "| ia-2019-grants:2.2 | 2021-01-12 | the new financial system monitors every agreement |" in text
    earlier = run("committee", "--as-of", "2020-12-31", "--since", "2020-07-01", "--format", "markdown").stdout
    assert "Audit committee, 2020-09-18 meeting" in earlier  # the extension of 2020-09-20, with its approver


def test_digest_drafts_are_rfc_5322_messages_to_each_lead(portfolio, tmp_path):
    grants = portfolio / "plans" / "grants-2019.yaml"
    hostile = '"Train \\e[31mevery\\u202e officer on the guide."'  # an escape and a right-to-left override
    grants.write_text(grants.read_text().replace("Train every assessment officer on the guide.", hostile))
    folder = tmp_path / "drafts"
    result = run("digest", "--as-of", AS_OF, "--eml", str(folder))
    assert result.exit_code == 0 and "nothing was sent" in result.stdout
    message = email.message_from_bytes((folder / "okafor.eml").read_bytes(), policy=email.policy.default)
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Ada Okafor (fictional)", "ada.okafor@example.org")
    assert message["Subject"] == "Audit action items: 1 overdue, 1 due soon (2021-03-31)"
    body = message.get_content()
    assert "ia-2019-grants:1.outcome, due 2020-12-31 (90 days overdue)" in body
    assert "\x1b" not in body and "\u202e" not in body and "Train \\x1b[31mevery\\u202e officer" in body
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{key}.eml" for key in ("chen", "doan", "giles", "harris", "lemieux", "okafor", "thompson")
    )


def test_the_cache_answers_the_second_time_and_a_corrupt_entry_changes_nothing(portfolio, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OAGTRACK_CACHE_DIR", str(cache))
    first = run("overdue", "--as-of", AS_OF)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 5  # one per plan, and the portfolio file's
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:100])
    assert run("overdue", "--as-of", AS_OF).stdout == first.stdout
    assert run("overdue", "--as-of", AS_OF, "--no-cache").stdout == first.stdout
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    shutil.rmtree(cache)
    run("overdue", "--as-of", AS_OF)
    assert not cache.exists()


def test_diff_log_and_plan_at_cover_the_whole_portfolio(portfolio):
    top = portfolio.parent.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "portfolio")
    done = run("complete", "ia-2020-it-security:1.2", "--on", "2021-03-20", "--evidence", "https://example.org/a.pdf")
    assert done.exit_code == 0, done.output
    diff = run("diff").stdout.splitlines()
    assert "HEAD:plans/security-2020.yaml -> plans/security-2020.yaml (working file): 1 change" in diff
    assert "HEAD:plans/grants-2019.yaml -> plans/grants-2019.yaml (working file): no changes" in diff
    git(top, "commit", "-qam", "complete 1.2")
    log = run("log", "ia-2020-it-security:1.2").stdout
    assert "1.2 in the git history of plans/security-2020.yaml:" in log and "1.2 complete on 2021-03-20" in log
    before = run("overdue", "--as-of", AS_OF, "--plan-at", "HEAD~1", "--audit", "ia-2020-it-security").stdout
    after = run("overdue", "--as-of", AS_OF, "--plan-at", "HEAD", "--audit", "ia-2020-it-security").stdout
    assert "ia-2020-it-security:1.2" in before and after == "Nothing overdue as of 2021-03-31.\n"
    refused = run("status", "--plan-at", "HEAD:plans/grants-2019.yaml")
    assert refused.exit_code == 2 and "not at REV:FILE" in refused.stderr
