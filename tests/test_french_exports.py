"""French (`--lang fr`) in the exports, the calendar, the portfolio tables, the diff and log, and the update messages.

Each output is read as its reader reads it: CSV by the `csv` module, the
calendar by `icalendar`, the e-mail drafts by Python's `email` parser. No
English message of the modules that write them may be left in French output
(plan text is data: it stays as written), and JSON, read by programs, is the
same in both languages.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402

runner = CliRunner()
#: The modules whose messages these tests look for.
MODULES = (
    "src/oagtrack/render/export.py",
    "src/oagtrack/render/ics.py",
    "src/oagtrack/render/portfolio.py",
    "src/oagtrack/render/changes.py",
    "src/oagtrack/cli/reports.py",
    "src/oagtrack/cli/portfolio.py",
    "src/oagtrack/cli/updates.py",
)
AS_OF = "2021-01-31"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def french(*args: str) -> str:
    result = run(*args, "--lang", "fr")
    assert result.exit_code == 0, result.output
    return result.stdout


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled plan committed to a git repository; cwd is its folder."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Ana Lead",
        "GIT_AUTHOR_EMAIL": "ana@example.org",
        "GIT_COMMITTER_NAME": "Ana Lead",
        "GIT_COMMITTER_EMAIL": "ana@example.org",
        "GIT_AUTHOR_DATE": "2021-01-20T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2021-01-20T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "plan.yaml")
    git(tmp_path, "commit", "-q", "-m", "The plan as agreed")
    return tmp_path / "plan.yaml"


def update_in_french(*args: str) -> str:
    return french(*args).rstrip("\n")


@pytest.fixture
def updated(plan: Path) -> dict[str, str]:
    """Every kind of update but a reopening, in French, left uncommitted: what each said."""
    return {
        "complete": update_in_french("complete", "1.1", "--on", "2020-09-28", "-e", "https://e.example/a.pdf"),
        "verify": update_in_french("verify", "1.1", "--by", "Internal Audit", "--on", "2020-10-15"),
        "revise": update_in_french(
            "revise", "3.1", "--due", "2021-06-30", "--reason", "Pandemic restrictions", "--on", "2020-11-01"
        ),
        "note": update_in_french("note", "2.1", "Waiting on partner data", "--on", "2020-12-01"),
        "start": update_in_french("start", "2.2", "--on", "2020-10-01"),
        "retire": update_in_french("retire", "3.3", "--reason", "Replaced by 3.4a", "--on", "2021-01-10"),
    }


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example portfolio, the bundled plan beside it; cwd is its folder."""
    shutil.copytree(ROOT / "examples" / "portfolio", tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


# -- no English left ------------------------------------------------------------
def english_messages(modules: tuple[str, ...] = MODULES) -> Iterator[tuple[str, re.Pattern[str]]]:
    """Each English message of `modules` whose French differs, as a pattern that finds it with any values in it.

    A message of one word is left to the exact assertions below: alone, a word
    such as "open" or "due-soon" is found in the plan's own (English) text or
    in an HTML class name.
    """
    translations = catalogs.read_po()
    for (singular, plural), where in catalogs.extract().items():
        if not any(place.startswith(modules) for place in where):
            continue
        forms = translations.get((singular, plural), [])
        for english in {singular, plural or singular}:
            words = [token for token in catalogs.PLACEHOLDER.sub(" ", english).split() if re.search("[A-Za-z]", token)]
            if english in forms or len(words) < 2:
                continue
            yield english, re.compile(".+?".join(re.escape(part) for part in catalogs.PLACEHOLDER.split(english)))


def english_left(outputs: dict[str, str], modules: tuple[str, ...]) -> set[tuple[str, str]]:
    """(output, message) for each English message of `modules` found in an output."""
    patterns = list(english_messages(modules))
    return {(name, english) for name, text in outputs.items() for english, found in patterns if found.search(text)}


def test_the_english_messages_are_found_by_the_patterns_that_look_for_them():
    """The check below can fail: each pattern finds its own message, values and all."""
    patterns = dict(english_messages())
    assert len(patterns) > 80
    assert patterns["Past-due items and the reasons for delay"].search("## Past-due items and the reasons for delay")
    assert patterns["Extensions recorded from {first} to {last}"].search(
        "Extensions recorded from 2021-01-01 to 2021-03-31"
    )
    assert not patterns["Extensions recorded from {first} to {last}"].search("Prolongations consignées du 2021-01-01")


def test_no_english_message_is_left_in_the_french_exports_and_calendar(updated):
    ics = french("calendar", "--as-of", AS_OF)
    outputs = {
        "csv": french("export", "-f", "csv", "--as-of", AS_OF),
        "title": french("export", "-f", "markdown", "--as-of", AS_OF).splitlines()[0],
        "ics": ics,
        "ics, unfolded": "\n".join(str(part.get("DESCRIPTION")) for part in icalendar.Calendar.from_ical(ics).walk()),
        "todo": french("calendar", "--todo", "--as-of", AS_OF),
    }
    assert english_left(outputs, MODULES) == set()


#: A commit's line in `log`: its id, date and author, then the change in the core's words.
COMMIT_LINE = re.compile(r"  [0-9a-f]{7,} \d{4}-\d{2}-\d{2} ")


def test_no_english_message_is_left_in_the_french_updates_diff_and_log(updated, tmp_path):
    """The changes themselves are the core's summaries, in the plan's terms; the words around them are French."""
    assert english_left({"updates": "\n".join(updated.values())}, ("src/oagtrack/cli/updates.py",)) == set()
    frame = {
        "diff": french("diff").splitlines()[0],
        "diff markdown": "\n".join(french("diff", "-f", "markdown").splitlines()[:3]),
        "log": "\n".join(line for line in french("log", "1.3").splitlines() if not COMMIT_LINE.match(line)),
    }
    git(tmp_path, "commit", "-q", "-am", "updates")
    frame["no diff"] = french("diff") + french("diff", "-f", "markdown")
    assert english_left(frame, ("src/oagtrack/render/changes.py",)) == set()


def test_no_english_message_is_left_in_the_french_portfolio_tables(portfolio, tmp_path):
    as_of = "2021-03-31"
    outputs = {format: french("kca", "--as-of", as_of, "-f", format) for format in ("text", "csv", "markdown", "html")}
    outputs |= {
        f"committee {format}": french("committee", "--as-of", as_of, "-f", format)
        for format in ("text", "markdown", "html")
    }
    outputs["status"] = french("status", "--as-of", as_of)
    outputs["digest"] = french("digest", "--as-of", as_of)
    outputs["drafts"] = french("digest", "--as-of", as_of, "--eml", str(tmp_path / "drafts"))
    for draft in sorted((tmp_path / "drafts").glob("*.eml")):
        message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
        outputs[draft.name] = f"{message['Subject']}\n{message.get_content()}"
    assert english_left(outputs, MODULES) == set()


# -- the French, exactly ------------------------------------------------------------
def test_each_update_says_what_it_did_in_french(updated):
    assert {
        "complete": "plan.yaml: 1.1 terminé le 2020-09-28",
        "verify": "plan.yaml: 1.1 vérifié le 2020-10-15",
        "revise": "plan.yaml: 3.1\u00a0: nouvelle échéance le 2021-06-30 (révisée le 2020-11-01)",
        "note": "plan.yaml: 2.1\u00a0: note ajoutée le 2020-12-01",
        "start": "plan.yaml: 2.2 en cours",
        "retire": "plan.yaml: 3.3 retiré le 2021-01-10",
    } == updated
    reopened = french("reopen", "1.1", "--reason", "Evidence did not cover all regions", "--on", "2020-11-20")
    assert "plan.yaml: 1.1 rouvert le 2020-11-20\n" == reopened


def test_a_refused_option_is_explained_in_french(plan):
    empty = run("note", "2.1", " ", "--lang", "fr")
    assert empty.exit_code == 2
    # the words of an error, whatever its wrapping and its non-breaking spaces
    assert "ne doit pas être vide : donnez le texte de la note" in " ".join(empty.stderr.split())
    workbook = run("export", "-f", "xlsx", "--lang", "fr")
    assert workbook.exit_code == 2
    assert "-f xlsx écrit un classeur Excel binaire : nommez le fichier avec -o FILE" in " ".join(
        workbook.stderr.split()
    )


def test_the_csv_header_and_the_kind_state_and_status_cells_are_french(updated):
    rows = list(csv.reader(io.StringIO(french("export", "-f", "csv", "--as-of", AS_OF))))
    assert [
        "id", "type", "recommandation", "texte", "échéance", "échéance_initiale", "état", "statut", "jours_de_retard",
        "responsables", "terminé", "preuves", "organisations", "vérifié", "vérifié_par",
        "jours_de_retard_à_l'achèvement", "révisions", "date_dernière_note", "dernière_note",
    ] == rows[0]  # fmt: skip
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    cells = ("type", "état", "statut")
    assert ("mesure", "terminé", "vérifié") == tuple(by_id["1.1"][cell] for cell in cells)
    assert ("mesure", "ouvert", "non commencé") == tuple(by_id["3.1"][cell] for cell in cells)
    assert ("mesure", "en retard", "en cours") == tuple(by_id["2.2"][cell] for cell in cells)
    assert ("mesure", "retiré", "retiré") == tuple(by_id["3.3"][cell] for cell in cells)
    assert ("étape", "en retard", "non commencé") == tuple(by_id["3.4b.a"][cell] for cell in cells)
    assert ("résultat attendu", "en retard", "non commencé") == tuple(by_id["1.outcome"][cell] for cell in cells)


def test_json_keeps_the_plans_words_in_both_languages(updated):
    """JSON is read by programs: its keys, kinds, states and statuses are the same whatever the reader's language."""

    def words(document: str) -> list[tuple[str, ...]]:
        milestones = [
            milestone
            for recommendation in json.loads(document)["recommendations"]
            for action in (recommendation["outcome"], *recommendation["actions"])
            for milestone in (action, *action.get("steps", ()))
            if "state" in milestone
        ]
        return [(*sorted(m), m["kind"], m["state"], m["status"]) for m in milestones]

    english = words(run("export", "-f", "json", "--as-of", AS_OF).stdout)
    assert ("action", "complete", "verified") == english[1][-3:]  # 1.1, after the outcome of recommendation 1
    assert english == words(french("export", "-f", "json", "--as-of", AS_OF))


def test_the_exported_table_is_titled_in_french(updated):
    title = french("export", "-f", "markdown", "--as-of", AS_OF).splitlines()[0]
    # the plan's title is plan text, as the plan gives it in French; the Markdown heading's spaces are plain
    assert re.fullmatch(r"# .*Immigration Removals : jalons au 2021-01-31", title)


def test_the_calendar_is_french_for_its_reader(updated):
    calendar = icalendar.Calendar.from_ical(french("calendar", "--as-of", AS_OF))
    assert str(calendar["X-WR-CALNAME"]).endswith("Immigration Removals\u00a0: plan d'action")
    events = {str(event["UID"]).split("-")[-1].removesuffix("@oagtrack"): event for event in calendar.walk("VEVENT")}
    assert str(events["1.1"]["SUMMARY"]).startswith("Terminé\u00a0: 1.1 ")
    assert str(events["3.3"]["SUMMARY"]).startswith("Retiré\u00a0: 3.3 ")
    assert ["Plan d'action", "terminé"] == list(events["1.1"]["CATEGORIES"].cats)
    moved = str(events["3.1"]["DESCRIPTION"]).splitlines()
    assert moved[0].endswith("Immigration Removals, recommandation 3")
    assert [
        "Échéance\u00a0: 2021-06-30",
        "Échéance initiale\u00a0: 2021-03-12 (+110\u00a0jours, 1 révision)",
        "État au 2021-01-31\u00a0: ouvert",
        "",
        "Responsables\u00a0:",
    ] == moved[4:9]
    done = str(events["1.1"]["DESCRIPTION"]).splitlines()
    assert ["Date d'achèvement\u00a0: 2020-09-28", "Preuve\u00a0: https://e.example/a.pdf"] == done[6:8]
    assert {"1.2\u00a0: échéance le 2020-12-07"} == {
        str(alarm["DESCRIPTION"]) for alarm in events["1.2"].walk("VALARM")
    }


def test_the_diff_and_the_log_are_french(updated, tmp_path):
    assert "HEAD:plan.yaml -> plan.yaml" in french("diff").splitlines()[0]
    assert french("diff").splitlines()[0].endswith("\u00a0: 6 modifications")
    markdown = french("diff", "-f", "markdown").splitlines()
    assert markdown[0].startswith("### Modifications du plan\u00a0: HEAD:plan.yaml → plan.yaml")
    assert "6 modifications\u00a0:" == markdown[2]
    git(tmp_path, "commit", "-q", "-am", "updates")
    assert french("diff").endswith("\u00a0: aucune modification\n")
    assert french("diff", "-f", "markdown").endswith("\n\nAucune modification du plan.\n")
    untouched = french("log", "1.3").splitlines()
    assert [
        "Historique consigné (mesure 1.3)\u00a0:",
        "  rien de consigné; statut non commencé, échéance le 2021-01-30",
    ] == untouched[-2:]
    assert "1.3 dans l'historique git de plan.yaml\u00a0:" == untouched[0]


def test_one_change_is_singular_in_french(plan):
    french("complete", "1.1", "--on", "2020-09-28", "-e", "https://e.example/a.pdf")
    assert french("diff").splitlines()[0].endswith("\u00a0: 1 modification")
    assert "1 modification\u00a0:" == french("diff", "-f", "markdown").splitlines()[2]


def test_the_kca_table_has_the_treasury_boards_french_headings(portfolio):
    rows = list(csv.reader(io.StringIO(french("kca", "--as-of", "2021-03-31", "-f", "csv"))))
    assert [
        "Titre de la mission d'audit interne",
        "État de l'audit",
        "Date d'approbation du rapport",
        "Date de publication du rapport",
        "Date d'achèvement prévue initialement pour le PAD",
        "État de la mise en œuvre (%)",
    ] == rows[0]
    assert [
        ["Terminé", "2019-11-20", "2020-01-15", "2021-03-31", "20"],
        ["Terminé", "2020-10-05", "", "2021-06-30", "33"],
    ] == [row[1:] for row in rows[1:]]
    assert rows[1][0].endswith("Internal Audit of the Example Grants Program (fictional)")  # plan text
    markdown = french("kca", "--as-of", "2021-03-31", "-f", "markdown").splitlines()
    assert ["# Audit interne\u00a0: attributs de conformité clés", "", "En date du 2021-03-31."] == markdown[:3]


def test_the_committee_report_is_french(portfolio):
    markdown = french("committee", "--as-of", "2021-03-31", "-f", "markdown").splitlines()
    assert [
        "# Plans d'action de la direction\u00a0: rapport au comité ministériel de vérification, au 2021-03-31",
        "## Tous les audits",
        "## Éléments en retard selon l'ancienneté, au 2021-03-31",
        "## Éléments en retard et raisons du retard",
        "## Prolongations consignées du 2021-01-01 au 2021-03-31",
        "## Éléments fermés parce qu'ils ne s'appliquent plus, du 2021-01-01 au 2021-03-31",
    ] == [line for line in markdown if line.startswith("#")]
    assert (
        "| Audit | Titre | Type | Total | Terminés | En retard | Échéance proche | % mis en œuvre "
        "| Achèvement initial | Achèvement actuel |"
    ) in markdown
    grants = (
        r"\| ia-2019-grants \| [^|]*Example Grants Program \(fictional\) \| Interne \| 6 \| 1 \| 2 \| 2 \| 20\s% \|"
    )
    assert re.search(grants + r" 2021-03-31 \| 2021-03-31 \|", "\n".join(markdown))
    assert "| plus de 1 an (366 à 1095 jours) | échéance du 2018-04-01 au 2020-03-30 | 1 |" in markdown
    assert "| plus de 3 ans (1096 jours ou plus) | échéance le 2018-03-31 ou avant | 0 |" in markdown
    assert (
        "| oag-2018-procurement:1.outcome | 2020-03-31 | 365 | Paul Lemieux (fictional) | (aucune raison consignée) |"
        in (markdown)
    )


def test_the_portfolio_status_line_is_french(portfolio):
    assert (
        "4 audits, 27 jalons (terminés\u00a0: 3, en retard\u00a0: 19, échéance proche\u00a0: 2)"
        == (french("status", "--as-of", "2021-03-31").splitlines()[-1])
    )


def test_the_digest_and_its_drafts_are_french(portfolio, tmp_path):
    digest = french("digest", "--as-of", "2021-03-31", "--lead", "chen").splitlines()
    assert ["# Ce que Wei Chen (fictional) doit livrer, au 2021-03-31", "", "## En retard (1)"] == digest[:3]
    assert ["## Échéance d'ici 30\u00a0jours (0)", "", "_Aucun._"] == digest[6:9]
    said = french("digest", "--as-of", "2021-03-31", "--eml", "drafts", "--within", "1d")
    assert "7 brouillons écrits dans drafts; rien n'a été envoyé\n" == said
    message = email.message_from_bytes((Path("drafts") / "chen.eml").read_bytes(), policy=email.policy.default)
    assert "Mesures découlant d'audits\u00a0: 1 en retard, 0 à échéance proche (2021-03-31)" == message["Subject"]
    body = message.get_content().splitlines()
    assert [
        "Au 2021-03-31, les plans d'action de la direction indiquent ce qui suit\u00a0:",
        "",
        "En retard (1)\u00a0:",
    ] == (body[2:5])
    assert ["", "Échéance d'ici 1\u00a0jour (0)\u00a0:", "  (aucun)", ""] == body[6:10]
    assert "Ce brouillon a été préparé par oagtrack à partir des plans du dépôt; rien n'a été envoyé." == body[-1]


def test_nobody_owing_anything_is_said_in_french_with_no_draft_in_the_singular(plan):
    assert "Personne n'a d'élément en retard ou à échéance d'ici le 2019-01-31.\n" == (
        french("digest", "--as-of", "2019-01-01")
    )
    assert "0 brouillon écrit dans drafts; rien n'a été envoyé\n" == (
        french("digest", "--as-of", "2019-01-01", "--eml", "drafts")
    )
