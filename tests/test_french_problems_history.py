"""The history rules, the change rules and the update refusals, read in French (#15).

The core writes these messages in English and keeps how it made them
(`core.problems.said`); rendering says them again from the French catalog.
Each test breaks the bundled plan one way, through the command a reader
runs, and compares the whole French line: the core's words translated,
and the plan's own ids, dates, keys and names left as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUNDLED_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app

runner = CliRunner()


def french(*args: str) -> tuple[int, list[str]]:
    """Exit code and output lines of `oagtrack ARGS --lang fr`."""
    result = runner.invoke(app, [*args, "--lang", "fr"])
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled plan as plan.yaml in a fresh current folder, action 1.1 complete and verified."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "plan.yaml"
    target.write_bytes(BUNDLED_PLAN.read_bytes())
    assert french("complete", "1.1", "--on", "2020-09-28", "--evidence", "https://e.example/a.pdf")[0] == 0
    assert french("verify", "1.1", "--on", "2020-10-02", "--by", "Chief Audit")[0] == 0
    return target


def test_a_start_after_a_verification_is_refused_in_french(plan: Path) -> None:
    """The refusal names the status and what made it, in French; the dates and the verifier stay as written."""
    assert french("start", "1.1", "--on", "2020-10-03") == (
        1,
        [
            "oagtrack: 1.1: mesure 1.1\xa0: impossible de consigner un début le 2020-10-03\xa0: son statut est vérifié"
            " (achèvement le 2020-09-28, vérification le 2020-10-02 par Chief Audit);"
            " rouvrez-le d'abord si l'achèvement ne tient plus"
        ],
    )


def test_verifying_a_milestone_not_started_is_refused_in_french(plan: Path) -> None:
    """The status word of the plan (not-started) is said in French inside the sentence too."""
    assert french("verify", "1.2", "--on", "2020-10-01", "--by", "X") == (
        1,
        [
            "oagtrack: 1.2: mesure 1.2\xa0: impossible de consigner une vérification le 2020-10-01\xa0:"
            " son statut est non commencé; seul un jalon terminé peut être vérifié\xa0:"
            " consignez d'abord son achèvement"
        ],
    )


def test_a_second_verification_is_refused_in_french(plan: Path) -> None:
    assert french("verify", "1.1", "--on", "2020-10-03", "--by", "Chief Audit") == (
        1,
        [
            "oagtrack: 1.1: mesure 1.1\xa0: impossible de consigner une vérification le 2020-10-03\xa0:"
            " la vérification est déjà consignée (2020-10-02, par Chief Audit)"
        ],
    )


def test_an_update_naming_a_recommendation_is_refused_in_french(plan: Path) -> None:
    assert french("revise", "1", "--due", "2021-01-01", "--reason", "x") == (
        1,
        [
            "oagtrack: 1: '1' est une recommandation; mettez à jour l'un de ses jalons\xa0:"
            " 1.1, 1.2, 1.3, 1.4, 1.outcome"
        ],
    )


def test_an_update_dated_after_today_is_refused_in_french(plan: Path) -> None:
    code, lines = french("complete", "1.3", "--on", "2999-01-01", "--evidence", "https://e.example/c.pdf")
    assert (code, len(lines)) == (1, 1)
    assert lines[0].startswith("oagtrack: 1.3: date du 2999-01-01, postérieure à aujourd'hui (")
    assert lines[0].endswith("); consignez les faits une fois qu'ils se sont produits")


def test_history_out_of_date_order_is_a_problem_in_french(plan: Path) -> None:
    """validate words the history rules' complaints in French, after the milestone's French name."""
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("- date: 2020-10-02\n", "- date: 2020-09-01\n", 1), encoding="utf-8")
    assert french("validate", str(plan)) == (
        1,
        [
            f"{plan}:113:13: mesure 1.1\xa0: une entrée verified datée du 2020-09-01 suit une entrée datée"
            " du 2020-09-28;"
            " l'historique va de la plus ancienne entrée à la plus récente, et rien n'est consigné avant ce qu'il suit"
        ],
    )


def test_a_change_that_rewrites_history_is_refused_in_french(plan: Path) -> None:
    """check --against-file says each broken change rule in French; keys and recorded values stay as written."""
    base = plan.with_name("base.yaml")
    base.write_bytes(plan.read_bytes())
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("by: Chief Audit", "by: Someone Else").replace("due: 2020-12-07", "due: 2021-01-07"),
        encoding="utf-8",
    )
    assert french("check", "--against-file", str(base)) == (
        1,
        [
            "plan.yaml:115:17: mesure 1.1\xa0: l'entrée d'historique 2020-10-02 (verified) a été modifiée"
            " (by: 'Chief Audit' -> 'Someone Else'); l'historique ne fait que s'allonger\xa0:"
            " ajoutez plutôt une nouvelle entrée",
            "plan.yaml:124:14: mesure 1.2\xa0: l'échéance est passée du 2020-12-07 au 2021-01-07"
            " sans entrée de révision;"
            " consignez la révision avec oagtrack revise 1.2",
        ],
    )
