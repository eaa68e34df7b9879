"""`--audit` narrows every command that reads a portfolio to the audits it names, and refuses an audit it lacks.

Each command's output is searched for the qualified ids it prints (`audit:item`; `audit%3Aitem` in a calendar's
UID): exactly the audits chosen appear, whatever the format.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
AS_OF = "2021-03-31"
AUDITS = ("oag-2020-immigration-removals", "ia-2019-grants", "oag-2018-procurement", "ia-2020-it-security")
QUALIFIED = re.compile(rf"\b({'|'.join(map(re.escape, AUDITS))})(?::|%3A)[0-9]")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def audits_in(text: str) -> set[str]:
    return set(QUALIFIED.findall(text))


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "160")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


COMMANDS = {
    "overdue": ["overdue", "--as-of", AS_OF, "-f", "csv"],
    "upcoming": ["upcoming", "--as-of", "2020-01-01", "--within", "2000d", "-f", "json"],
    "status": ["status", "--as-of", AS_OF],
    "report": ["report", "--as-of", AS_OF, "-f", "markdown"],
    "timeline": ["timeline", "--as-of", AS_OF],
    "calendar": ["calendar", "--as-of", AS_OF],
    "export json": ["export", "--as-of", AS_OF],
    "export csv": ["export", "--as-of", AS_OF, "-f", "csv"],
    "committee": ["committee", "--as-of", AS_OF, "--since", "2018-01-01", "-f", "markdown"],
    "digest": ["digest", "--as-of", AS_OF, "--within", "2000d"],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_without_audit_every_audit_is_read(portfolio, name):
    result = run(*COMMANDS[name])
    assert (result.exit_code, result.stderr) == (0, "")
    if name != "status":  # status prints a row per audit, with its id in words, not qualified ids
        assert audits_in(result.stdout) == set(AUDITS)


@pytest.mark.parametrize("name", COMMANDS)
def test_audit_twice_keeps_those_two_audits_only(portfolio, name):
    result = run(*COMMANDS[name], "--audit", "ia-2020-it-security", "--audit", "oag-2018-procurement")
    assert (result.exit_code, result.stderr) == (0, "")
    if name == "status":
        assert "2 audits, 6 milestones: 2 complete, 3 overdue, 0 due soon" in result.stdout.splitlines()
        assert "ia-2019-grants" not in result.stdout
    else:
        assert audits_in(result.stdout) == {"ia-2020-it-security", "oag-2018-procurement"}


@pytest.mark.parametrize("name", [*COMMANDS, "kca", "show"])
def test_an_audit_the_portfolio_lacks_is_a_usage_error_listing_the_audits(portfolio, name):
    args = COMMANDS.get(name) or {"kca": ["kca"], "show": ["show", "1.1"]}[name]
    result = run(*args, "--audit", "ia-2020-it-security", "--audit", "nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr.splitlines()[-1]
        == f"Error: Invalid value for --audit: no audit 'nope'; audits: {', '.join(AUDITS)}"
    )


def test_audit_makes_a_short_id_unique_for_show(portfolio):
    """1.2 is in three audits; with --audit only one of them is read, so the short id names one item."""
    several = run("show", "1.2", "--as-of", AS_OF)
    assert several.exit_code == 1
    one = run("show", "1.2", "--as-of", AS_OF, "--audit", "ia-2020-it-security")
    assert one.exit_code == 0
    assert one.stdout.splitlines()[:3] == [
        "Action ia-2020-it-security:1.2  (recommendation ia-2020-it-security:1)",
        "",
        "Automate patching of every desktop.",
    ]


def test_kca_with_audit_keeps_the_internal_audit_named_and_no_other(portfolio):
    grants = run("kca", "--as-of", AS_OF, "-f", "csv", "--audit", "ia-2019-grants")
    assert grants.exit_code == 0
    assert grants.stdout.splitlines()[1:] == [
        "Internal Audit of the Example Grants Program (fictional),Completed,2019-11-20,2020-01-15,2021-03-31,20"
    ]
    external = run("kca", "--as-of", AS_OF, "-f", "csv", "--audit", "oag-2018-procurement")
    assert external.exit_code == 0 and len(external.stdout.splitlines()) == 1  # the header: no internal audit chosen


def test_audit_on_one_plan_file_reads_it_as_a_portfolio_of_one_with_qualified_ids(portfolio):
    alone = run("overdue", "--plan", "plans/security-2020.yaml", "--as-of", AS_OF, "-f", "csv")
    assert alone.stdout.splitlines()[1].startswith("1.2,action,1,")
    narrowed = run(
        "overdue", "--plan", "plans/security-2020.yaml", "--audit", "ia-2020-it-security", "--as-of", AS_OF, "-f", "csv"
    )
    assert narrowed.stdout.splitlines()[1].startswith("ia-2020-it-security:1.2,action,ia-2020-it-security:1,")
    assert alone.stdout.splitlines()[0] == narrowed.stdout.splitlines()[0]


def test_rec_names_recommendations_by_qualified_id_and_status_counts_only_those(portfolio):
    result = run("status", "--as-of", AS_OF, "--rec", "ia-2019-grants:1", "--rec", "ia-2020-it-security:1")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "4 audits, 6 milestones: 2 complete, 2 overdue, 1 due soon"
    (procurement,) = [line for line in result.stdout.splitlines() if "oag-2018-procurement)" in line]
    assert procurement.split()[-7:] == ["0", "0", "0", "0", "-", "-", "-"]  # none of its milestones is chosen
    short = run("status", "--as-of", AS_OF, "--rec", "1")
    assert short.exit_code == 2
    assert short.stderr.splitlines()[-1].startswith(
        "Error: Invalid value for --rec: no recommendation '1'; recommendations: oag-2020-immigration-removals:1, "
    )
