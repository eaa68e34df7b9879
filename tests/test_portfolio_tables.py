"""kca, committee and digest as their readers get them: HTML tables read back cell by cell, Markdown and terminal
lines, files written with -o, and e-mail drafts read by Python's `email` parser.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
AS_OF = "2021-03-31"
KCA_HEADER = [
    "Internal audit engagement title",
    "Audit status",
    "Report approved date",
    "Report published date",
    "Original planned MAP completion date",
    "Implementation status (%)",
]
KCA_ROWS = [
    "Internal Audit of the Example Grants Program (fictional),Completed,2019-11-20,2020-01-15,2021-03-31,20".split(","),
    "Internal Audit of IT Security Patching (fictional),Completed,2020-10-05,-,2021-06-30,33".split(","),
]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


class Tables(HTMLParser):
    """Every table of a page, by its caption's id: a list of rows, each a list of its cells' text."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headings: list[str] = []
        self._table = ""
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._table = dict(attrs)["id"] or ""
            self.tables[self._table] = []
        elif tag == "tr":
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data):
        for part in (self._cell, self._heading):
            if part is not None:
                part.append(data)


# -- kca ------------------------------------------------------------------------
def test_kca_html_is_a_page_with_the_table_of_internal_audits(portfolio):
    result = run("kca", "--as-of", AS_OF, "-f", "html")
    assert result.exit_code == 0
    page = Tables(result.stdout)
    assert page.headings == ["Internal audit: key compliance attributes"]
    assert page.tables == {"kca": [KCA_HEADER, *KCA_ROWS]}
    assert "<p>As of 2021-03-31.</p>" in result.stdout.splitlines()


def test_kca_markdown_is_a_title_a_date_and_the_table(portfolio):
    result = run("kca", "--as-of", AS_OF, "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "# Internal audit: key compliance attributes",
        "",
        "As of 2021-03-31.",
        "",
        "| " + " | ".join(KCA_HEADER) + " |",
        "| --- | --- | --- | --- | --- | ---: |",
        *("| " + " | ".join(row) + " |" for row in KCA_ROWS),
    ]


def test_kca_text_on_the_terminal_and_in_a_file_hold_the_same_rows(portfolio, tmp_path):
    shown = run("kca", "--as-of", AS_OF)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[0] == "Internal audit: key compliance attributes, as of 2021-03-31"
    target = tmp_path / "kca.txt"
    saved = run("kca", "--as-of", AS_OF, "-o", str(target))
    assert (saved.exit_code, saved.stdout, saved.stderr) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Internal audit: key compliance attributes, as of 2021-03-31"
    assert "\x1b" not in text
    for row in KCA_ROWS:  # the first line of each row, its title wrapped below: the status, dates and percentage
        assert [line.split()[-5:] for line in text.splitlines()].count(row[1:]) == 1, row
        assert [line.split()[-5:] for line in shown.stdout.splitlines()].count(row[1:]) == 1, row


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "text"])
def test_kca_into_a_file_that_cannot_be_written_says_so_and_exits_1(portfolio, tmp_path, fmt):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("kca", "--as-of", AS_OF, "-f", fmt, "-o", str(blocker / "kca.out"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"oagtrack: cannot write {blocker}/kca.out: Not a directory\n"


# -- committee --------------------------------------------------------------------
def test_committee_html_has_each_section_as_a_table_read_back(portfolio):
    result = run("committee", "--as-of", AS_OF, "-f", "html", "--audit", "ia-2020-it-security")
    assert result.exit_code == 0
    page = Tables(result.stdout)
    assert page.headings == [
        "Management action plans: report to the audit committee, as of 2021-03-31",
        "Every audit",
        "Overdue items by age, as of 2021-03-31",
        "Past-due items and the reasons for delay",
        "Extensions recorded from 2021-01-01 to 2021-03-31",
        "Items closed as no longer relevant from 2021-01-01 to 2021-03-31",
    ]
    assert list(page.tables) == ["audits", "ageing", "past-due"]  # an empty section is a heading and "None."
    assert page.tables["audits"][1] == (
        "ia-2020-it-security|Internal Audit of IT Security Patching (fictional)|Internal"
        "|3|1|1|0|33%|2021-06-30|2021-06-30"
    ).split("|")
    assert [row[2] for row in page.tables["ageing"][1:]] == ["1", "0", "0", "0", "0"]
    assert page.tables["past-due"][1:] == [
        ["ia-2020-it-security:1.2", "2021-02-28", "31", "Wei Chen (fictional)", "(no reason recorded)"]
    ]
    assert result.stdout.count("<p>None.</p>") == 2


def test_committee_text_says_none_for_an_empty_section_and_lists_the_others(portfolio, tmp_path):
    result = run("committee", "--as-of", AS_OF, "--audit", "ia-2020-it-security")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Management action plans: report to the audit committee, as of 2021-03-31"
    assert lines[-3:] == [
        "Extensions recorded from 2021-01-01 to 2021-03-31: none.",
        "",
        "Items closed as no longer relevant from 2021-01-01 to 2021-03-31: none.",
    ]
    past_due = lines.index("Past-due items and the reasons for delay")
    assert (
        lines[past_due + 4].split()
        == "ia-2020-it-security:1.2 2021-02-28 31 Wei Chen (fictional) (no reason recorded)".split()
    )
    target = tmp_path / "committee.txt"
    saved = run("committee", "--as-of", AS_OF, "--audit", "ia-2020-it-security", "-o", str(target))
    assert (saved.exit_code, saved.stdout) == (0, "")
    assert target.read_text(encoding="utf-8").splitlines()[0] == lines[0]


def test_committee_lists_the_retirements_and_extensions_of_the_period(portfolio):
    result = run("committee", "--as-of", AS_OF, "--since", "2020-01-01", "-f", "html", "--audit", "ia-2019-grants")
    page = Tables(result.stdout)
    assert page.tables["retired"][1:] == [
        ["ia-2019-grants:2.2", "2021-01-12", "the new financial system monitors every agreement"]
    ]
    assert [row[0] for row in page.tables["extensions"][1:]] == ["ia-2019-grants:1.2"]


def test_committee_since_after_as_of_is_a_usage_error(portfolio):
    result = run("committee", "--as-of", AS_OF, "--since", "2021-04-05")
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr.splitlines()[-1]
        == "Error: Invalid value for --since: 2021-04-05 is after the as-of date 2021-03-31"
    )


# -- digest -----------------------------------------------------------------------
def test_digest_markdown_has_a_section_per_lead_chosen(portfolio):
    result = run("digest", "--as-of", AS_OF, "--lead", "chen", "--lead", "okafor")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "# What Wei Chen (fictional) owes, as of 2021-03-31",
        "",
        "## Overdue (1)",
        "",
        "- **ia-2020-it-security:1.2** due 2021-02-28 (31 days overdue): Automate patching of every desktop.",
        "",
        "## Due within 30 days (0)",
        "",
        "_None._",
        "",
        "# What Ada Okafor (fictional) owes, as of 2021-03-31",
        "",
        "## Overdue (1)",
        "",
        "- **ia-2019-grants:1.outcome** due 2020-12-31 (90 days overdue): Every application is assessed against a"
        " published guide.",
        "",
        "## Due within 30 days (1)",
        "",
        "- **ia-2019-grants:1.2** due 2021-03-31 (due today): Train every assessment officer on the guide.",
    ]


def test_digest_when_nobody_owes_anything_says_so_and_writes_no_draft(portfolio, tmp_path):
    """Chen's 1.1 was done on 2021-01-25 and 1.2 is due 2021-02-28, after a 30-day window from 2021-01-26."""
    result = run("digest", "--as-of", "2021-01-26", "--lead", "chen")
    assert (result.exit_code, result.stdout) == (0, "Nobody owes anything overdue or due by 2021-02-25.\n")
    drafts = tmp_path / "drafts"
    emailed = run("digest", "--as-of", "2021-01-26", "--lead", "chen", "--eml", str(drafts))
    assert (emailed.exit_code, emailed.stdout) == (0, f"0 drafts written to {drafts}; nothing was sent\n")
    assert list(drafts.iterdir()) == []


def test_digest_for_a_lead_no_plan_describes_is_a_usage_error(portfolio, tmp_path):
    result = run("digest", "--as-of", AS_OF, "--lead", "nobody", "--eml", str(tmp_path / "drafts"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for --lead: no person 'nobody' in the plans"
    assert not (tmp_path / "drafts").exists()


def test_a_draft_for_a_person_without_email_has_no_recipient(portfolio, tmp_path):
    """lemieux (described in portfolio.yaml) has no email: the draft is addressed to no one, and says whose it is."""
    drafts = tmp_path / "drafts"
    result = run("digest", "--as-of", AS_OF, "--lead", "lemieux", "--eml", str(drafts), "--from", "maps@example.org")
    assert (result.exit_code, result.stdout) == (0, f"1 draft written to {drafts}; nothing was sent\n")
    message = email.message_from_bytes((drafts / "lemieux.eml").read_bytes(), policy=email.policy.default)
    assert message["To"] is None and message["X-Oagtrack-To"] is None
    assert (message["From"], message["X-Oagtrack-Lead"], message["X-Unsent"]) == ("maps@example.org", "lemieux", "1")
    assert message["Subject"] == "Audit action items: 3 overdue, 1 due soon (2021-03-31)"
    body = message.get_content().splitlines()
    assert body[:5] == [
        "Paul Lemieux (fictional),",
        "",
        "As of 2021-03-31, the audit action plans record:",
        "",
        "Overdue (3):",
    ]
    sample = (
        "  - oag-2018-procurement:1.2, due 2019-03-31 (731 days overdue): Check a sample of contract files every year."
    )
    assert sample in body


def test_an_email_no_mail_program_can_address_is_shown_in_a_header_of_its_own(portfolio, tmp_path):
    security = portfolio / "plans" / "security-2020.yaml"
    text = security.read_text(encoding="utf-8")
    assert "email: wei.chen@example.org" in text
    security.write_text(text.replace("email: wei.chen@example.org", "email: wei.chen@"), encoding="utf-8")
    drafts = tmp_path / "drafts"
    result = run("digest", "--as-of", AS_OF, "--lead", "chen", "--eml", str(drafts))
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((drafts / "chen.eml").read_bytes(), policy=email.policy.default)
    assert (message["To"], message["X-Oagtrack-To"]) == (None, "wei.chen@")


def test_drafts_into_a_folder_that_cannot_be_made_say_so_and_exit_1(portfolio, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("digest", "--as-of", AS_OF, "--eml", str(blocker / "drafts"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"oagtrack: cannot write the drafts into {blocker}/drafts: Not a directory\n"


def test_the_portfolio_commands_read_one_plan_file_as_a_portfolio_of_one(portfolio):
    kca = run("kca", "--plan", "plans/grants-2019.yaml", "--as-of", AS_OF, "-f", "csv")
    assert kca.stdout.splitlines() == [",".join(KCA_HEADER), ",".join(KCA_ROWS[0])]
    committee = Tables(run("committee", "--plan", "plans/security-2020.yaml", "--as-of", AS_OF, "-f", "html").stdout)
    assert [row[0] for row in committee.tables["audits"][1:]] == ["ia-2020-it-security"]
    digest = run("digest", "--plan", "plans/security-2020.yaml", "--as-of", AS_OF)
    assert digest.stdout.splitlines()[:5] == [
        "# What Wei Chen (fictional) owes, as of 2021-03-31",
        "",
        "## Overdue (1)",
        "",
        "- **ia-2020-it-security:1.2** due 2021-02-28 (31 days overdue): Automate patching of every desktop.",
    ]
