"""French on the terminal: status, overdue, upcoming, show, timeline, report and validate with `--lang fr`.

Each command is run in process, after a few updates, on the bundled plan and
on a small plan written in French (so that any English left in the output
can only be one of our messages, never the plan's own text). Plan text is
data, never translated: the bundled plan's English shows as written.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import BUNDLED_PLAN, ROOT
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.model import Event
from oagtrack.core.plan_terms import revision_words
from oagtrack.render import language
from oagtrack.render.phrases import event_words
from oagtrack.render.terminal import STATE_STYLES, state_styles

sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402

runner = CliRunner()
NBSP = "\u00a0"
#: The files whose messages these tests hold to French.
OWN_FILES = ("render/terminal.py", "render/phrases.py", "render/report.py", "render/timeline.py", "cli/queries.py")
AS_OF = "2021-01-31"
#: Messages French writes as English does.
SAME_IN_FRENCH = frozenset({"ID", "Plan"})

FRENCH_PLAN = """\
schema_version: 2
languages: [fr]
audit:
  id: essai-fr
  title: Vérification d'essai
people:
  roy:
    name: Amélie Roy
    org: ASFC
    title: Vice-présidente
  cote:
    name: Béatrice Côté
    org: IRCC
recommendations:
  - id: "1"
    text: L'Agence devrait améliorer son suivi.
    bullets: [Vérifier les données;, Établir un triage.]
    leads: [roy]
    response:
      agreed: true
      text: Réponse de l'Agence.
    outcome:
      id: "1.outcome"
      text: Un suivi amélioré.
      due: 2021-03-31
    actions:
      - id: "1.1"
        text: Première mesure.
        due: 2020-09-30
      - id: "1.2"
        text: Deuxième mesure.
        due: 2021-01-31
        leads: [cote]
      - id: "1.3"
        label: "1.3 a)"
        text: Une mesure en deux étapes.
        steps:
          - id: "1.3.a"
            text: Étape un.
            due: 2020-12-31
          - id: "1.3.b"
            text: Étape deux.
            due: 2021-06-30
      - id: "1.4"
        text: Quatrième mesure.
        due: 2021-02-20
      - id: "1.5"
        text: Cinquième mesure.
        due: 2020-11-30
  - id: "2"
    text: L'Agence devrait encourager les départs volontaires.
    leads: [cote]
    response:
      agreed: false
      text: Réponse partielle.
    outcome:
      id: "2.outcome"
      text: Plus de départs volontaires.
      due: 2021-09-30
    actions:
      - id: "2.1"
        text: Une ligne d'information.
        due: 2020-10-31
"""

UPDATES = (
    ("complete", "1.1", "--on", "2020-09-28", "-e", "https://e.example/a.pdf"),
    ("verify", "1.1", "--by", "Vérification interne", "--on", "2020-10-10"),
    ("revise", "1.4", "--due", "2021-06-30", "--reason", "Données des partenaires", "--on", "2020-11-15"),
    ("note", "2.1", "Ébauche communiquée", "--on", "2020-12-01"),
    ("start", "1.2", "--on", "2020-11-01"),
    ("complete", "1.5", "--on", "2020-12-10", "-e", "preuves/1.5.pdf"),
    ("reopen", "1.5", "--reason", "Preuves incomplètes", "--on", "2021-01-05"),
    ("retire", "1.3.b", "--reason", "Remplacée", "--on", "2020-12-15"),
)

COMMANDS = (
    ("status",),
    ("overdue",),
    ("upcoming", "--within", "90d"),
    ("upcoming", "--within", "1d"),
    ("show", "1"),
    ("show", "2"),
    ("show", "1.1"),
    ("show", "1.3"),
    ("show", "1.4"),
    ("show", "1.5"),
    ("show", "1.3.b"),
    ("show", "roy"),
    ("timeline",),
    ("report",),
)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "120"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def updated(plan: Path, updates: tuple[tuple[str, ...], ...]) -> Path:
    for update in updates:
        run(*update, "--plan", str(plan))
    return plan


@pytest.fixture(scope="module")
def french_plan(tmp_path_factory) -> Path:
    plan = tmp_path_factory.mktemp("fr") / "plan.yaml"
    plan.write_text(FRENCH_PLAN, encoding="utf-8")
    return updated(plan, UPDATES)


@pytest.fixture(scope="module")
def bundled_plan(tmp_path_factory) -> Path:
    plan = tmp_path_factory.mktemp("bundled") / "plan.yaml"
    plan.write_bytes(BUNDLED_PLAN.read_bytes())
    return updated(
        plan,
        (
            ("complete", "1.1", "--on", "2020-09-28", "-e", "https://e.example/a.pdf"),
            ("revise", "3.1", "--due", "2021-06-30", "--reason", "Waiting on partner data", "--on", "2020-11-15"),
            ("note", "2.1", "Draft shared", "--on", "2020-12-01"),
            ("retire", "1.4", "--reason", "Superseded", "--on", "2020-12-15"),
        ),
    )


def french(plan: Path, *command: str) -> list[str]:
    return run(*command, "--as-of", AS_OF, "--lang", "fr", "--plan", str(plan)).splitlines()


def english_fragments() -> dict[str, str]:
    """Each stretch of English words in our messages (placeholders cut out), with its message.

    A stretch that the French translation keeps as it is (`(--all`) proves
    nothing and is left out, as are stretches of fewer than three letters;
    a message the catalog does not translate keeps every stretch, so it is
    caught, unless French writes it the same (`SAME_IN_FRENCH`).
    """
    french_catalog = language.translations("fr")
    found: dict[str, str] = {}
    for (singular, plural), uses in catalogs.extract().items():
        if not any(own in use for use in uses for own in OWN_FILES):
            continue
        forms = (
            [french_catalog.gettext(singular)]
            if plural is None
            else [french_catalog.ngettext(singular, plural, 1), french_catalog.ngettext(singular, plural, 2)]
        )
        untranslated = forms == ([singular] if plural is None else [singular, plural])
        translated = "" if untranslated and singular not in SAME_IN_FRENCH else " ".join(forms)
        for message in {singular, plural or singular}:
            for piece in catalogs.PLACEHOLDER.split(message):
                piece = piece.strip(" :;,.()[]…-+")
                if sum(char.isalpha() for char in piece) >= 3 and piece not in translated:
                    found[piece] = message
    return found


def test_no_english_message_of_the_terminal_is_left_in_french_output(french_plan):
    """Every command, in French, on a plan written in French: none of our English phrases is printed."""
    fragments = english_fragments()
    assert "days overdue" in fragments and "Timeline as of" in fragments  # the list is not empty by mistake
    patterns = {piece: re.compile(rf"(?<![\w-]){re.escape(piece)}(?![\w-])") for piece in fragments}
    left = {
        (" ".join(command), piece)
        for command in COMMANDS
        for line in french(french_plan, *command)
        for piece, pattern in patterns.items()
        if pattern.search(line)
    }
    assert sorted(left) == []


def cells(line: str) -> list[str]:
    """A table row's cells: what two spaces or more separate (a French unit is held by a non-breaking space)."""
    return re.split(r" {2,}", line.strip())


def test_status_in_french_keeps_every_column_and_says_the_counts_in_french(bundled_plan):
    """The headers and the summary line are French, and at 120 columns no column gives way to the longer words."""
    lines = french(bundled_plan, "status")
    assert lines[0].startswith(f"Recommandation 1{NBSP}: ")  # then the plan's English text, marked as such
    assert cells(lines[1]) == ["ID", "Jalon", "Responsable", "Échéance", "État", "Délai"]
    revised = next(line for line in lines if line.startswith("3.1 "))
    assert cells(revised)[3:] == ["2021-06-30 (était 2021-03-12)", "ouvert", f"dans 150{NBSP}jours"]
    counts = "1 terminé, 8 en retard, 0 à échéance proche, 5 ouverts, 1 retiré"
    assert lines[-1] == f"En date du 2021-01-31{NBSP}: 15 jalons{NBSP}: {counts}"


def test_french_counts_zero_and_one_as_singular(french_plan, bundled_plan):
    """`1 jour de retard`, `1 jalon`, `0 à échéance proche`: French plural forms, not an added s."""
    overdue = french(french_plan, "overdue")
    assert overdue[-1] == "3 jalons"
    assert cells(overdue[2])[-1] == f"92{NBSP}jours de retard"
    assert french(french_plan, "upcoming", "--within", "1d")[-1] == "1 jalon"
    one_day = next(line for line in french(bundled_plan, "overdue") if line.startswith("1.3 "))
    assert cells(one_day)[-2:] == ["en retard", f"1{NBSP}jour de retard"]
    assert french(bundled_plan, "upcoming") == ["Aucune échéance du 2021-01-31 au 2021-03-02."]
    assert french(french_plan, "show", "roy")[-1] == (
        f"6 jalons{NBSP}: 1 terminé, 2 en retard, 0 à échéance proche, 2 ouverts, 1 retiré"
    )


def test_show_a_milestone_in_french(french_plan):
    """Labels line up after the longest French one; states, statuses, history and revisions are in French."""
    revised = french(french_plan, "show", "1.4")
    assert revised[:2] == ["Mesure 1.4  (recommandation 1)", ""]
    assert revised[4:9] == [
        f"Échéance{NBSP}:          2021-06-30",
        f"Échéance initiale{NBSP}: 2021-02-20",
        f"Glissement{NBSP}:        révisé une fois, +130{NBSP}jours",
        f"Statut{NBSP}:            non commencé",
        f"État{NBSP}:              ouvert (dans 150{NBSP}jours)",
    ]
    assert revised[10:12] == [
        f"Révisions{NBSP}:",
        f"  2020-11-15{NBSP}: 2021-02-20 -> 2021-06-30 (+130{NBSP}jours){NBSP}: Données des partenaires",
    ]
    reopened = french(french_plan, "show", "1.5")
    assert reopened[4:8] == [
        f"Échéance{NBSP}:          2020-11-30",
        f"Statut{NBSP}:            rouvert",
        f"État{NBSP}:              en retard (62{NBSP}jours de retard)",
        f"Preuves{NBSP}:           preuves/1.5.pdf",
    ]
    assert reopened[9:12] == [
        f"Historique{NBSP}:",
        f"  2020-12-10{NBSP}: terminé (preuves{NBSP}: preuves/1.5.pdf)",
        f"  2021-01-05{NBSP}: rouvert (achèvement du 2020-12-10 annulé){NBSP}: Preuves incomplètes",
    ]
    started = french(french_plan, "show", "1.2")
    assert f"État{NBSP}:              échéance proche (aujourd'hui)" in started
    assert f"  2020-11-01{NBSP}: commencé" in started


def test_show_an_action_in_steps_a_recommendation_and_a_person_in_french(french_plan):
    """The printed number, the steps; the response and expected outcome; a person's milestones."""
    action = french(french_plan, "show", "1.3")
    assert action[0] == "Mesure 1.3 [numéroté 1.3 a)]  (recommandation 1)"
    assert action[4] == "Étapes"
    assert cells(action[8]) == ["1.3.b", "Étape deux.", "Amélie Roy", "2021-06-30", "retiré", "depuis le 2020-12-15"]
    rec = french(french_plan, "show", "2")
    assert f"Réponse{NBSP}: Non acceptée" in rec
    assert f"Résultat attendu{NBSP}: échéance le 2021-09-30, ouvert (dans 242{NBSP}jours)" in rec
    assert cells(rec[rec.index("Mesures") + 1]) == ["ID", "Jalon", "Responsable", "Échéance", "État", "Délai"]
    assert f"Responsables{NBSP}:" in rec
    assert "Jalons sous la responsabilité de Amélie Roy" in french(french_plan, "show", "roy")


def test_the_timeline_in_french(french_plan):
    """Title, legend, month initials, state words and the dates beside each row."""
    chart = french(french_plan, "timeline")
    assert chart[:2] == [
        "Échéancier en date du 2021-01-31",
        "◆ échéance  ✔ terminé  ! en retard  ○ date initiale  ── glissement  │ date de référence  ✕ retiré",
    ]
    assert chart[4].split() == ["s", "o", "n", "d", "j", "f", "m", "a", "m", "j", "j", "a", "s"]
    assert chart[5] == f"Recommandation 1{NBSP}: L'Agence devrait améliorer son suivi."
    rows = {line.split()[0]: line for line in chart[6:]}
    assert rows["1.1"].endswith("2020-09-30, terminé le 2020-09-28")
    assert rows["1.2"].startswith("1.2       Deuxième mesure.      échéance proche ")
    assert rows["1.4"].endswith(f"2021-06-30, initialement 2021-02-20 (+130{NBSP}j)")
    assert rows["2.1"].endswith(f"2020-10-31, 92{NBSP}j de retard")
    assert rows["1.3.b"].endswith("2021-06-30, retiré le 2020-12-15")


def test_the_report_in_french_keeps_the_status_first_under_each_heading(french_plan, bundled_plan):
    """Headings and each milestone's detail in French; the status the plan records still comes right after it."""
    report = french(french_plan, "report")
    assert {"Sommaire", "Glissement", "Par recommandation", "Par organisation", "Par responsable"} <= set(report)
    assert f"Éléments inactifs{NBSP}: ouverts, aucune activité depuis 90{NBSP}jours" in report
    assert "Changements depuis le 2021-01-01" in report
    assert "Rien de consigné du 2021-01-01 au 2021-01-31." in french(bundled_plan, "report")
    assert f"Réponse (en désaccord){NBSP}: Réponse partielle." in report
    at = report.index("Mesure 1.1  terminé (terminé le 2020-09-28)")
    assert report[at + 1 : at + 3] == [f"  Statut{NBSP}: vérifié", "  Première mesure."]
    assert "Mesure 1.3 [numéroté 1.3 a)]" in report
    assert "  Étape 1.3.b  retiré (depuis le 2020-12-15)" in [line.split(f"{NBSP}:")[0] for line in report]


def test_validate_in_french(french_plan):
    """`plan.yaml : valide (2 recommandations, 6 mesures, 9 jalons)`."""
    result = runner.invoke(app, ["validate", "--lang", "fr", str(french_plan)], catch_exceptions=False)
    assert result.stdout == f"{french_plan}{NBSP}: valide (2 recommandations, 6 mesures, 9 jalons)\n"


def test_a_large_plan_is_summarised_in_french(tmp_path):
    """Above 200 milestones `status` counts by recommendation and lead, and says what it left out in French."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    plan = tmp_path / "plan.yaml"
    plan.write_text(generate.generate(300, seed=3), encoding="utf-8")
    lines = run("status", "--as-of", generate.SNAPSHOT.isoformat(), "--lang", "fr", "--plan", str(plan)).splitlines()
    assert lines[0] == "Recommandations nécessitant une attention"
    assert lines[1].split() == ["Rec.", "Recommandation", "En", "retard", "Échéance", "proche", "Ouverts"] + [
        "Terminés",
        "en",
        "retard",
        "Terminés",
    ]
    assert re.fullmatch(r"… et \d+ autres recommandations", lines[23])
    assert re.fullmatch(
        rf"\d+ jalons résumés{NBSP}: --all les affiche tous; --rec, --lead, --org, --state restreignent la sélection\.",
        lines[-1],
    )


def test_the_state_colour_is_found_from_the_french_word():
    """A report cell holds `en retard`; it is coloured as `overdue` is, and the English keys keep their colours."""
    language.use("fr")
    try:
        styles = state_styles()
    finally:
        language.use("en")
    assert [styles[word] for word in ("en retard", "échéance proche", "terminé en retard", "overdue")] == [
        STATE_STYLES["overdue"],
        STATE_STYLES["due-soon"],
        STATE_STYLES["complete-late"],
        STATE_STYLES["overdue"],
    ]


@pytest.mark.parametrize(
    "event",
    [
        Event(
            date(2020, 11, 15), "revised", reason="partner data", from_due=date(2021, 3, 12), to_due=date(2021, 6, 30)
        ),
        Event(date(2020, 11, 15), "revised", reason="x", from_due=date(2021, 3, 12), to_due=date(2021, 3, 13)),
        Event(date(2020, 11, 15), "revised", reason="x", from_due=date(2021, 3, 13), to_due=date(2021, 3, 12)),
        Event(
            date(2020, 11, 15),
            "revised",
            reason="a\nb",
            from_due=date(2021, 3, 12),
            to_due=date(2021, 3, 12),
            approved_by="DAC,\n2020-11-15",
        ),
    ],
)
def test_a_revision_in_english_reads_as_the_core_writes_it(event):
    """The renderer's own revision words, written to be translated, are the core's in English, byte for byte."""
    assert event_words(event) == "revised: " + revision_words(event)
