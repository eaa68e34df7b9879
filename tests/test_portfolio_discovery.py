"""Which plans a command reads: a portfolio file found from a subfolder, `$OAGTRACK_PLAN` naming a folder, and
every mistake a portfolio file can hold, each reported at its line and column with the plans still read.

The commands run in process on a copy of `examples/portfolio`; what is asserted is what the user sees: the exit
code and the exact lines of `validate`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.portfolio import PLAN_ENV, Sources, find_sources

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()

PLAN_OK = "../../plan.yaml: ok (3 recommendations, 11 actions, 15 milestones)"
GRANTS_OK = "plans/grants-2019.yaml: ok (2 recommendations, 4 actions, 6 milestones)"
PROCUREMENT_OK = "plans/procurement-2018.yaml: ok (1 recommendation, 2 actions, 3 milestones)"
SECURITY_OK = "plans/security-2020.yaml: ok (1 recommendation, 2 actions, 3 milestones)"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    """A copy of the example portfolio with the real plan.yaml two folders up, as in the repository."""
    monkeypatch.delenv(PLAN_ENV, raising=False)
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


def test_the_portfolio_file_is_found_from_a_subfolder_and_named_by_its_full_path(portfolio, monkeypatch):
    """From plans/, the nearest portfolio.yaml above is read, and each file is named through the folder found."""
    monkeypatch.chdir(portfolio / "plans")
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")
    everything = (PLAN_OK, GRANTS_OK, PROCUREMENT_OK, SECURITY_OK)
    assert result.stdout.splitlines() == [f"{portfolio}/{line}" for line in everything]


def test_the_environment_naming_a_folder_with_a_portfolio_file_reads_that_portfolio(portfolio, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv(PLAN_ENV, "../examples/portfolio")
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"../examples/portfolio/{line}" for line in (PLAN_OK, GRANTS_OK, PROCUREMENT_OK, SECURITY_OK)
    ]


def test_the_environment_naming_a_folder_of_plans_reads_every_yaml_file_in_it(portfolio, tmp_path, monkeypatch):
    """Without a portfolio file, a folder means its *.yaml files, sorted; a folder named like a plan is skipped."""
    loose = tmp_path / "loose"
    loose.mkdir()
    shutil.copy(portfolio / "plans" / "security-2020.yaml", loose / "b-security.yaml")
    shutil.copy(tmp_path / "plan.yaml", loose / "a-immigration.yaml")
    (loose / "notes.txt").write_text("not a plan")
    (loose / "folder.yaml").mkdir()
    monkeypatch.setenv(PLAN_ENV, str(loose))
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"{loose}/a-immigration.yaml: ok (3 recommendations, 11 actions, 15 milestones)",
        f"{loose}/b-security.yaml: ok (1 recommendation, 2 actions, 3 milestones)",
    ]
    overdue = run("overdue", "--as-of", "2021-03-31", "--format", "csv")
    ids = [line.split(",")[0] for line in overdue.stdout.splitlines()[1:]]
    assert {i.partition(":")[0] for i in ids} == {"ia-2020-it-security", "oag-2020-immigration-removals"}


def test_an_empty_folder_is_a_problem_naming_it(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PLAN_ENV, "empty")
    for command in (["validate"], ["overdue"], ["status"]):
        result = run(*command)
        assert (result.exit_code, result.stdout, result.stderr) == (
            1,
            "",
            "empty: this folder holds no plan (*.yaml)\n",
        )


def write_portfolio(folder: Path, text: str) -> None:
    (folder / "portfolio.yaml").write_text(text, encoding="utf-8")


def test_every_mistake_in_the_plans_list_is_reported_at_its_entry_and_the_good_entries_still_read(portfolio):
    write_portfolio(
        portfolio,
        "title: Test portfolio\n"
        "owner: me\n"
        "plans:\n"
        "  - plans/security-2020.yaml\n"
        "  - /etc/passwd\n"
        "  - nothing/*.yaml\n"
        "  - plans/gone.yaml\n"
        "  - 7\n"
        '  - ""\n',
    )
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [SECURITY_OK]
    errors = result.stderr.splitlines()
    assert errors[:6] == [
        "portfolio.yaml:2:1: unknown key 'owner' in a portfolio file; allowed: title, plans, people",
        "portfolio.yaml:8:5: plans: each entry is a path or glob, as text",
        "portfolio.yaml:9:5: plans: each entry is a path or glob, as text",
        "portfolio.yaml:5:5: '/etc/passwd': name plans relative to the portfolio",
        "portfolio.yaml:6:5: 'nothing/*.yaml' matches no plan file",
        "portfolio.yaml:7:5: 'plans/gone.yaml': no such file",
    ]
    assert not any("passwd" in line for line in errors[6:])  # an absolute path is refused, never read


def test_a_missing_plan_file_is_reported_once(portfolio):
    write_portfolio(portfolio, "plans:\n  - plans/security-2020.yaml\n  - plans/gone.yaml\n")
    result = run("validate")
    assert (result.exit_code, result.stderr) == (1, "portfolio.yaml:3:5: 'plans/gone.yaml': no such file\n")


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        pytest.param(
            "title: [T]\nplans: plans/*.yaml\n",
            [
                "portfolio.yaml:1:1: title: write the portfolio's title as text",
                "portfolio.yaml:2:1: plans: a list of plan files or globs",
            ],
            id="a title and plans of the wrong kinds",
        ),
        pytest.param(
            "- plans/*.yaml\n",
            ["portfolio.yaml:1:1: a portfolio file is a mapping with `plans:` (and `title:`)"],
            id="a list, not a mapping",
        ),
        pytest.param(
            "title: T\n",
            ["portfolio.yaml:1:1: a portfolio file names its plans: add `plans: [plans/*.yaml]`"],
            id="no plans key",
        ),
        pytest.param(
            "plans: [plans/*.yaml\n",
            [
                "portfolio.yaml:2:1: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'"
                " (opened at line 1, column 8)"
            ],
            id="invalid YAML",
        ),
    ],
)
def test_a_portfolio_file_that_names_no_plan_is_refused_with_its_problems(portfolio, text, errors):
    write_portfolio(portfolio, text)
    result = run("validate")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (1, "", errors)
    query = run("overdue", "--as-of", "2021-03-31")
    assert (query.exit_code, query.stderr.splitlines()) == (1, errors)  # a query refuses it with the same lines


def test_a_portfolio_file_named_by_plan_and_a_plan_named_twice_read_each_plan_once(portfolio):
    result = run("validate", "--plan", "portfolio.yaml", "--plan", "./plans/security-2020.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [PLAN_OK, GRANTS_OK, PROCUREMENT_OK, SECURITY_OK]


def test_sources_prefer_the_portfolio_file_when_a_folder_has_both(tmp_path):
    """Found from cwd up: portfolio.yaml over plan.yaml in one folder, and the nearest folder over any above."""
    (tmp_path / "plan.yaml").write_text("")
    (tmp_path / "portfolio.yaml").write_text("")
    deeper = tmp_path / "a" / "b"
    deeper.mkdir(parents=True)
    assert find_sources([], {}, tmp_path) == Sources(Path("portfolio.yaml"), ())
    assert find_sources([], {}, deeper) == Sources(tmp_path / "portfolio.yaml", ())
    (tmp_path / "a" / "plan.yaml").write_text("")
    assert find_sources([], {}, deeper) == Sources(None, (tmp_path / "a" / "plan.yaml",))
    assert find_sources([], {PLAN_ENV: str(tmp_path / "plan.yaml")}, deeper).single
    assert find_sources(["x.yaml"], {PLAN_ENV: str(tmp_path)}, deeper) == Sources(None, (Path("x.yaml"),))


def test_a_plan_valid_alone_is_valid_when_named_with_another(portfolio):
    alone = run("validate", "--plan", "plans/grants-2019.yaml")
    assert (alone.exit_code, alone.stdout) == (0, GRANTS_OK + "\n")
    together = run("validate", "--plan", "plans/grants-2019.yaml", "--plan", "plans/security-2020.yaml")
    assert (together.exit_code, together.stderr) == (0, "")
    assert together.stdout.splitlines() == [GRANTS_OK, SECURITY_OK]


def test_a_missing_portfolio_file_or_plan_file_named_by_plan_is_a_problem_naming_it(portfolio):
    missing_portfolio = run("validate", "--plan", "gone/portfolio.yaml")
    assert (missing_portfolio.exit_code, missing_portfolio.stdout) == (1, "")
    assert missing_portfolio.stderr == "gone/portfolio.yaml: no such file\n"
    one_missing = run("validate", "--plan", "plans/security-2020.yaml", "--plan", "nope.yaml")
    assert (one_missing.exit_code, one_missing.stdout, one_missing.stderr) == (
        1,
        SECURITY_OK + "\n",
        "nope.yaml: no such file\n",
    )


def test_people_the_portfolio_file_describes_wrongly_are_reported_in_it(portfolio):
    write_portfolio(portfolio, "plans: [plans/security-2020.yaml]\npeople:\n  x: {nmae: X}\n  y: Y\n")
    result = run("validate")
    assert (result.exit_code, result.stdout) == (1, SECURITY_OK + "\n")
    assert result.stderr.splitlines() == [
        "portfolio.yaml:3:7: person x: unknown key 'nmae' (did you mean 'name'?)",
        "portfolio.yaml:4:6: person y: expected a mapping of keys, found 'Y'",
    ]


def test_a_portfolio_file_lends_its_people_only_to_the_plans_it_names(portfolio):
    """A plan in the portfolio's folder that its globs do not match is read alone: lemieux is unknown to it."""
    (portfolio / "unlisted").mkdir()
    shutil.copy(portfolio / "plans" / "procurement-2018.yaml", portfolio / "unlisted" / "procurement.yaml")
    listed = run("validate", "plans/procurement-2018.yaml")
    assert (listed.exit_code, listed.stdout) == (0, PROCUREMENT_OK + "\n")
    unlisted = run("validate", "unlisted/procurement.yaml")
    assert unlisted.exit_code == 1
    assert unlisted.stderr.splitlines()[0] == (
        "unlisted/procurement.yaml:19:13: recommendation 1 leads: unknown person 'lemieux';"
        " leads are keys under people: (none yet)"
    )
