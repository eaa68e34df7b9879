"""The progress report and the milestone export in French (issue 15): Markdown, HTML, Excel, and the terminal report.

Each is written with `--lang fr` from the bundled plan after a quarter of
updates of every kind (tools/screenshot.py), and judged two ways: no
English phrase of the words the report modules write is left
(`catalogs.extract()` over those modules; a phrase the plan's own text
holds is left out, since plan text is never translated), and some lines
read exactly as a French reader should see them. Chromium then measures
the French HTML as tests/test_browser.py measures the English: French
words are longer, and no short word may split nor any text overflow.
"""

from __future__ import annotations

import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.render import language, xlsx
from oagtrack.render.inert import markdown_inert

sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402
import screenshot  # noqa: E402

#: The modules whose words these outputs hold (the rest of their words are other modules', tested with them).
WRITERS = ("report_tables.py", "markdown.py", "html.py", "xlsx.py")
NBSP = "\u00a0"
AS_OF = screenshot.AS_OF.isoformat()
runner = CliRunner()

#: Each output: the command and its options, written to a file (`-o`) but the terminal report, which prints.
OUTPUTS = {
    "report.md": ["report", "--since", screenshot.SINCE, "--format", "markdown"],
    "report.html": ["report", "--since", screenshot.SINCE, "--format", "html"],
    "report.xlsx": ["report", "--since", screenshot.SINCE, "--format", "xlsx"],
    "report.txt": ["report", "--since", screenshot.SINCE, "--all"],
    "export.md": ["export", "--format", "markdown"],
    "export.html": ["export", "--format", "html"],
    "export.xlsx": ["export", "--format", "xlsx"],
}
#: The writers' words French writes alike.
SAME_IN_FRENCH = frozenset({"ID", "Total", "Plan", "Date", "Page", "Rec", "Audit"})
#: What a reader of each state reads in French: a badge's word and its colour must say the same.
FRENCH_STATES = {
    "complete": "terminé",
    "complete-late": "terminé en retard",
    "overdue": "en retard",
    "due-soon": "échéance proche",
    "open": "ouvert",
    "retired": "retiré",
}


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The bundled plan after the quarter: started, completed, verified, revised, reopened, retired, noted."""
    path = tmp_path_factory.mktemp("french") / "plan.yaml"
    path.write_text(screenshot.quarter_plan_text(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def written(plan) -> dict[str, Path]:
    """Every output, written once, in French."""
    paths = {}
    for name, args in OUTPUTS.items():
        target = plan.parent / name
        options = [*args, "--plan", str(plan), "--as-of", AS_OF, "--lang", "fr"]
        to_file = not name.endswith(".txt")
        result = runner.invoke(
            app, options + (["-o", str(target)] if to_file else []), env={"NO_COLOR": "1", "COLUMNS": "200"}
        )
        assert 0 == result.exit_code, result.output
        if not to_file:
            target.write_text(result.stdout, encoding="utf-8")
        paths[name] = target
    return paths


def untranslated(text: str, *, markdown: bool = False) -> str:
    """Plan text with no French version, as French output shows it: marked so (`language.localized`).

    The plan's text is English only; `markdown` escapes the mark as `md()` does.
    """
    mark = language.translations("fr").gettext("[not translated]")
    return f"{markdown_inert(mark) if markdown else mark} {text}"


class _Visible(HTMLParser):
    """The text a reader sees on the page, its title included, the style sheet left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.parts.append(data)


def shown(path: Path) -> str:
    """The words a reader of the output sees: the page's text, every sheet name and text cell, the file's text."""
    if path.suffix == ".html":
        parser = _Visible()
        parser.feed(path.read_text(encoding="utf-8"))
        return "\n".join(parser.parts)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        cells = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
        return "\n".join([*book.sheetnames, *(value for value in cells if isinstance(value, str))])
    return path.read_text(encoding="utf-8")


def plan_prose(plan: Path) -> str:
    """The plan's own text (titles, texts, reasons, names, notes): strings with a space, not its enumerated words."""
    strings: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and " " in node.strip():
            strings.append(node)

    walk(yaml.safe_load(plan.read_text(encoding="utf-8")))
    return "\n".join(strings)


def english_phrases(plan: Path) -> dict[str, str]:
    """Each English phrase of the writers' messages (the text between placeholders) that French must not show.

    Left out: the phrases French says alike (`SAME_IN_FRENCH`), and those
    the plan's own text holds (`by`, `Agreed`), which stay as the plan writes
    them. Phrase -> the message it comes from.
    """
    prose = plan_prose(plan)
    phrases = {}
    for (singular, plural), uses in catalogs.extract().items():
        if not any(where.split(":")[0].rsplit("/", 1)[-1] in WRITERS for where in uses if "/render/" in where):
            continue
        for message in filter(None, (singular, plural)):
            for piece in catalogs.PLACEHOLDER.split(message):
                phrase = piece.strip(" ,.;:()[]→≤%+-")
                if (
                    re.search("[A-Za-z]{2}", phrase)
                    and phrase not in SAME_IN_FRENCH
                    and not re.search(_word(phrase), prose)
                ):
                    phrases[phrase] = singular
    return phrases


def _word(phrase: str) -> str:
    return rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])"


def test_the_phrases_judged_are_the_reports_own(plan):
    """The check below looks for the report's own English words (a sanity check on how they are collected)."""
    phrases = english_phrases(plan)
    for phrase in ("Progress report", "Stale items", "Done on time", "Slippage by recommendation", "Days quiet"):
        assert phrase in phrases
    assert "Total" not in phrases  # French says it alike
    assert "Agreed" not in phrases  # the plan's responses say it: plan text stays as written


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_english_word_of_the_report_is_left(plan, written, name):
    """Written in French, the output holds none of the report's English phrases."""
    text = shown(written[name])
    left = sorted(
        f"{phrase!r} (from {message!r})"
        for phrase, message in english_phrases(plan).items()
        if re.search(_word(phrase), text)
    )
    assert [] == left


def test_the_markdown_report_reads_in_french(written):
    """Headings, the headline, a table's header, a milestone's fields and a change, as a French reader reads them.

    French sets a colon or a unit off with a no-break space; where a line
    passes Markdown's escaper (`md()`, which makes every space one space) it
    is an ordinary one.
    """
    lines = written["report.md"].read_text(encoding="utf-8").splitlines()
    mark = untranslated("", markdown=True)
    for line in [
        "# Rapport d'étape : " + untranslated("Immigration Removals (fictional progress)", markdown=True),
        "En date du 2021-01-31 · changements depuis le 2020-10-01 · inactivité après 90 jours",
        "15 jalons : 7 % mis en œuvre (1 terminé, dont 1 vérifié, 7 en retard, "
        "5 à échéance dans les 90 prochains jours, 1 plus tard, 1 retiré et non compté)",
        "| Plan | Total | Terminés à temps | Terminés en retard | En retard | Échéance ≤90 j | Plus tard "
        "| Retirés | Dont vérifiés | % terminés |",
        "## Sommaire",
        "## Glissement",
        f"## Éléments inactifs{NBSP}: ouverts, aucune activité depuis 90{NBSP}jours",
        "## Changements depuis le 2020-10-01",
        "Achèvement prévu de l'ensemble du plan : 2021-09-30 (inchangé par rapport au plan initial). "
        "Les jalons retirés n'y comptent plus.",
        f"**Statut{NBSP}:** en cours, 1 terminé sur 4 jalons (1 retiré)",
        f"**Réponse (d'accord){NBSP}:** {mark}Agreed. The Agency agrees that it should continue to refine its existing "
        "strategies to further ensure the timely removal of those found inadmissible to Canada, particularly for "
        "those persons found inadmissible on the most serious grounds, the CBSA’s established highest priority "
        "category for removals. The Agency achieved its highest number of removals in four years in 2018-19, as a "
        "result of focused efforts to increase removals. This included the implementation of a number of "
        "activities including: a whole of government engagement approach to securing timelier issuance of travel "
        "documents from foreign governments; regulatory amendments to allow the Agency to confirm the departure "
        "status of those believed to have left Canada; the creation of increased reporting capability to better "
        "allow the Agency to monitor how long cases have been in its inventories and increased national "
        "coordination of the program. Building on this success, the Agency will complete a removals plan to both "
        "increase the number of removals, and better track, the timely removal of individuals from Canada, "
        "focusing on high priority cases by Q2 2020-21. This will include additional data quality assurance "
        "controls.",
        f"### Mesure 1.1{NBSP}: terminé en retard",
        f"- **Vérifié{NBSP}:** 2020-11-20 par Internal Audit and Evaluation Directorate",
        f"### Résultat attendu{NBSP}: en retard",
        f"- **Réouverture{NBSP}:** 2021-01-05 : {mark}Evidence did not show the permanent help line in service "
        "(annule l'achèvement du 2020-10-20)",
        f"#### Étape 3.4b.a \\[numéroté a.\\]{NBSP}: en retard",
    ]:
        assert line in lines
    # The changes table is the one whose rows start with a date: its date, id, what happened and detail.
    rows = [
        [cell.strip() for cell in line[1:-1].split(" | ")] for line in lines if line.startswith(("| 2020-", "| 2021-"))
    ]
    assert [
        ("2020-10-05", "1.2", "commencé", ""),
        ("2020-10-15", "1.1", "terminé", "15 jours après l'échéance"),
        ("2020-10-19", "3.1", "commencé", ""),
        ("2020-10-20", "2.1", "terminé", "20 jours après l'échéance (annulé par la suite)"),
        (
            "2020-11-02",
            "1.4",
            "retiré",
            f"ne s'applique plus : {mark}Superseded by the 2021-22 removals plan, which replaces the improved plan "
            "this action described.",
        ),
        ("2020-11-20", "1.1", "vérifié", "par Internal Audit and Evaluation Directorate"),
        (
            "2020-12-01",
            "1.2",
            "révisé",
            f"échéance 2020-12-07 → 2021-03-31 (+114 jours) : {mark}Vendor contract for the performance "
            "dashboard signed late (approuvé par ADM Operations)",
        ),
        (
            "2021-01-05",
            "2.1",
            "rouvert",
            f"achèvement annulé : {mark}Evidence did not show the permanent help line in service",
        ),
        (
            "2021-01-15",
            "3.4a",
            "note ajoutée",
            untranslated(
                "Joint CBSA-IRCC working group met on 2021-01-14; terms of reference approved.", markdown=True
            ),
        ),
    ] == [(row[0], row[1], row[2], row[4]) for row in rows]


def test_the_markdown_export_reads_in_french(written):
    """The milestone table's header, and a row's kind and state, in French."""
    lines = written["export.md"].read_text(encoding="utf-8").splitlines()
    assert (
        "| ID | Type | Rec. | Jalon | Échéance | Échéance initiale | État | Jours de retard | Responsables "
        "| Terminé | Preuves |"
    ) in lines
    row = next(line for line in lines if line.startswith("| 1.4 |")).split(" | ")
    assert ["mesure", "retiré"] == [row[1], row[6]]


def test_the_html_report_is_french_and_each_badge_says_its_state(written):
    """`lang` is fr, the printed page says `Page N de M`, and every badge's word is its state's French word.

    A table's state cell holds the French word; the badge's colour must still
    be its state's, not the fallback.
    """
    page = written["report.html"].read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert 'content: "Page " counter(page) " de " counter(pages);' in page
    assert (
        f"<title>Rapport d&#x27;étape{NBSP}: {untranslated('Immigration Removals (fictional progress)')}</title>"
        in page
    )
    badges = re.findall(r'<span class="state state-([a-z-]+)">([^<]*)</span>', page)
    assert {"complete-late", "overdue", "open", "retired"} <= {state for state, _ in badges}
    assert [] == [(state, word) for state, word in badges if FRENCH_STATES[state] != word]
    stale = page[page.index('<section id="stale">') : page.index('<section id="changes">')]
    assert '<span class="state state-overdue">en retard</span>' in stale
    assert "<dt>Preuves</dt>" in page
    assert f"<p><strong>Statut{NBSP}:</strong> en cours, 1 terminé sur 4 jalons (1 retiré)</p>" in page


def test_the_html_export_reads_in_french(written):
    """The export's headers and the second line under an id, in French."""
    page = written["export.html"].read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert ["ID", "Jalon", "Responsables", "Échéance", "État"] == headers
    assert '<div class="sub">étape, recommandation 3</div>' in page
    assert '<span class="state state-retired">retiré</span>' in page


def test_the_workbooks_read_in_french(written):
    """Sheet names, headers, the group and state words, yes and no, in French."""
    report = openpyxl.load_workbook(written["report.xlsx"])
    assert ["Sommaire", "Jalons", "Glissement", "Inactifs", "Changements", "Recommandations", "À propos"] == (
        report.sheetnames
    )
    summary = report["Sommaire"]
    assert [
        "Groupe",
        "Nom",
        "Total",
        "Terminés à temps",
        "Terminés en retard",
        "En retard",
        f"Échéance ≤90{NBSP}j",
        "Plus tard",
        "Retirés",
        "Dont vérifiés",
        "Mis en œuvre",
    ] == [cell.value for cell in summary[1]]
    assert ("Plan", "Tous les jalons") == (summary["A2"].value, summary["B2"].value)
    assert {"Organisation", "Responsable"} == {row[0].value for row in summary.iter_rows(min_row=3)}
    changes = report["Changements"]
    assert ["commencé", "terminé", "commencé", "terminé", "retiré", "vérifié", "révisé", "rouvert", "note ajoutée"] == [
        row[2].value for row in changes.iter_rows(min_row=2)
    ]
    assert {"en retard", "ouvert"} == {row[4].value for row in report["Inactifs"].iter_rows(min_row=2)}
    assert {"oui"} == {row[2].value for row in report["Recommandations"].iter_rows(min_row=2)}
    about = {row[0].value: row[1].value for row in report["À propos"].iter_rows(min_row=2)}
    assert f"Rapport d'étape{NBSP}: {untranslated('Immigration Removals (fictional progress)')}" == about["Rapport"]
    assert "non" == about["Filtré"]
    export = openpyxl.load_workbook(written["export.xlsx"])
    assert ["Jalons", "À propos"] == export.sheetnames
    header = [cell.value for cell in export["Jalons"][1]]
    assert ["ID", "Type", "Rec.", "Jalon", "Responsables", "Organisations", "Échéance"] == header[:7]


def test_a_cell_cut_to_fit_says_so_in_french():
    """The note on a text cut to Excel's 32,767 characters is French, its numbers grouped the French way."""
    before = language.current()
    language.use("fr")
    try:
        cut = xlsx.cell_text("x" * 40_000)
    finally:
        language.use(before)
    assert cut.endswith(
        f" … [coupé{NBSP}: Excel accepte au plus 32{NBSP}767 caractères par cellule; ce texte en compte 40{NBSP}000]"
    )
    assert xlsx.CELL_LIMIT == len(cut)


def test_the_terminal_report_uses_the_french_tables(written):
    """The terminal report's sentences and table words (report_tables) are French."""
    text = written["report.txt"].read_text(encoding="utf-8")
    assert (
        f"Révisés{NBSP}: 1 sur 15 jalons (1 révision, +114{NBSP}jours au total, au plus +114); "
        f"0 sur 9 a respecté sa date initiale (0{NBSP}%)."
    ) in text.splitlines()
    assert "aucune consignée" in text


# -- Chromium: the French page keeps its layout ------------------------------------------
PAGES = ("report.html", "export.html")


@pytest.fixture(scope="module")
def browser_tests():
    """tests/test_browser.py, whose measures these reuse; it skips (or fails, in CI) without Chromium."""
    import test_browser

    if test_browser.missing():
        pytest.fail(f"{test_browser.missing()} (CI=true: a missing browser is a failure)", pytrace=False)
    return test_browser


@pytest.fixture(scope="module")
def measured(browser_tests, written) -> dict[tuple[str, str], dict]:
    """Each French page measured at each layout by test_browser's MEASURE.

    In a thread of its own: Playwright's synchronous API runs one instance
    per thread, and test_browser's may be running in this one for the
    whole session.
    """
    found: dict[tuple[str, str], dict] = {}
    failed: list[BaseException] = []

    def measure() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=str(screenshot.CHROMIUM), args=screenshot.CHROMIUM_ARGS
                )
                tab = chromium.new_page(viewport={"width": 1280, "height": 900})
                for output in PAGES:
                    for layout, (media, width) in browser_tests.LAYOUTS.items():
                        browser_tests.open_page(tab, written[output], media, width)
                        found[output, layout] = tab.evaluate(
                            browser_tests.MEASURE, browser_tests.html_render.KEEP_WHOLE
                        )
                chromium.close()
        except BaseException as error:  # handed to the test, which fails with it
            failed.append(error)

    thread = threading.Thread(target=measure)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return found


@pytest.mark.parametrize("layout", ["1280 px", "400 px", "Letter", "A4"])
@pytest.mark.parametrize("output", PAGES)
def test_the_french_page_keeps_its_layout(measured, output, layout):
    """In French, as in English: no word of 30 characters or fewer split, no text out of its box, no sideways scroll."""
    found = measured[output, layout]
    assert found["tokens"] > 100  # the page was measured
    assert [] == found["split"]
    assert [] == found["outside"]
    assert found["width"] == found["scrollWidth"], "the page scrolls sideways"
