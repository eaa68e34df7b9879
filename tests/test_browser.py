"""The HTML outputs judged by the program that reads them: Chromium, driven by Playwright (issue 12).

A golden file only proves the HTML did not change; these tests open it in
Debian's Chromium and measure, in the page itself, what a reader sees:

- at 1280 px, at 400 px (a phone) and laid out for print on Letter and A4,
  no token (a run of characters between spaces) of 30 characters or fewer
  has its characters on two lines (a DOM Range per token, its client
  rectangles), no token sticks out of its box, and the page never scrolls
  sideways (a wide table scrolls inside its own box);
- printed to PDF on Letter and A4, every page carries the title, the date
  and `Page N of M` (CSS page margin boxes, which Chromium draws since
  version 131); no table row is cut across pages, and a table that runs on
  to another page repeats its header there (the PDF's text, page by page);
- axe-core (bundled by axe-playwright-python) finds nothing against WCAG 2.1
  AA (wcag2a, wcag2aa, wcag21a, wcag21aa) at either width; every table has a
  caption and scoped headers, every state is a word, `lang` is set;
- docs/report.png, the README's picture, is the report as it renders now.

They run on the bundled plan after a quarter of fictional progress, made by
the update commands' own `edit.apply` (tools/screenshot.py: started,
completed with a long evidence link, verified, revised, reopened, retired,
noted), and on tests/fixtures/reports/hostile.yaml, for both `report -f html`
and `export -f html`. One browser and one page serve the whole session.

Without Chromium they skip, saying how to install it; in CI (`CI=true`) a
missing browser fails them. Playwright never downloads a browser: it starts
/usr/bin/chromium.
"""

from __future__ import annotations

import math
import os
import re
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from conftest import ROOT

from oagtrack.render import html as html_render

sys.path.insert(0, str(ROOT / "tools"))
import screenshot  # noqa: E402

HOSTILE = ROOT / "tests" / "fixtures" / "reports" / "hostile.yaml"
AS_OF = screenshot.AS_OF.isoformat()
IN_CI = os.environ.get("CI", "").lower() == "true"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
INSTALL = "the browser tests need Chromium at /usr/bin/chromium: apt-get install chromium"

#: Paper sizes in CSS pixels (96 to the inch), and the width a printed page lays out in: the paper less its margins.
PAPER = {"Letter": (8.5 * 96, 11 * 96), "A4": (210 / 25.4 * 96, 297 / 25.4 * 96)}
MARGIN_PX = html_render.PAGE_MARGIN_MM[1] / 25.4 * 96
LAYOUTS = {
    "1280 px": ("screen", 1280),
    "400 px": ("screen", 400),
    "Letter": ("print", math.floor(PAPER["Letter"][0] - 2 * MARGIN_PX)),
    "A4": ("print", math.floor(PAPER["A4"][0] - 2 * MARGIN_PX)),
}
OUTPUTS = ("report", "export", "hostile report", "hostile export")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# -- the browser ----------------------------------------------------------------
def missing() -> str:
    """What is missing to run these tests, as one line saying how to install it; "" when nothing is."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the browser tests need Playwright: pip install -e '.[test]'"
    return "" if screenshot.CHROMIUM.exists() else INSTALL


if missing() and not IN_CI:
    pytest.skip(missing(), allow_module_level=True)  # one line for the whole module


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, once per session; in CI (`CI=true`) a missing one fails every test."""
    if missing():
        pytest.fail(f"{missing()} (CI=true: a missing browser is a failure)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(screenshot.CHROMIUM), args=screenshot.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page(browser):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The four HTML files: report and export of the quarter's plan, and of the hostile one."""
    folder = tmp_path_factory.mktemp("html")
    report = screenshot.report_html(folder)
    plan = folder / "plan.yaml"
    pages = {
        "report": report,
        "export": screenshot.render(plan, "export", "--format", "html"),
        "hostile report": screenshot.render(HOSTILE, "report", "--format", "html"),
        "hostile export": screenshot.render(HOSTILE, "export", "--format", "html"),
    }
    paths = {}
    for name, text in pages.items():
        paths[name] = folder / (name.replace(" ", "-") + ".html")
        paths[name].write_text(text, encoding="utf-8")
    return paths


def open_page(page, path: Path, media: str, width: int) -> None:
    if page.url != path.as_uri():
        page.goto(path.as_uri())
    page.emulate_media(media=media)
    page.set_viewport_size({"width": width, "height": 900})


# -- the plan they read ---------------------------------------------------------------
def test_the_quarter_records_every_kind_of_update(page, outputs):
    """The plan the browser judges holds a realistic quarter:
    a change of every kind, the long link among the evidence."""
    open_page(page, outputs["report"], "screen", 1280)
    kinds = page.evaluate(
        "() => [...document.querySelectorAll('#changes tbody tr')].map((row) => row.cells[2].textContent)"
    )
    assert [
        "started",
        "completed",
        "started",
        "completed",
        "retired",
        "verified",
        "revised",
        "reopened",
        "noted",
    ] == kinds
    assert [screenshot.LONG_URL] == page.evaluate(
        "() => [...document.querySelectorAll('a[href*=gcdocs]')].map((a) => a.href)"
    )


# -- layout, measured in the page -------------------------------------------------------
#: For each token (a run of non-space characters within one block), its client rectangles: split when they lie on
#: two lines; sticking out when one leaves its block's box. Text in a clipped box (a caption for screen readers
#: only) is not seen, so not judged.
MEASURE = """
(keepWhole) => {
  const blockOf = (node) => {
    let el = node.parentElement;
    while (el && ['inline', 'contents'].includes(getComputedStyle(el).display)) el = el.parentElement;
    return el;
  };
  const clipped = (el) => {
    for (; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (['hidden', 'clip'].includes(style.overflowX) || style.clip !== 'auto') return true;
    }
    return false;
  };
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blockOf(node);
    let run = runs[runs.length - 1];
    if (!run || run.block !== block) runs.push(run = {block, nodes: [], starts: [], text: ''});
    run.nodes.push(node);
    run.starts.push(run.text.length);
    run.text += node.data;
  }
  const at = (run, index) => {
    let n = run.starts.length - 1;
    while (run.starts[n] > index) n--;
    return [run.nodes[n], index - run.starts[n]];
  };
  const split = [], outside = [];
  let tokens = 0;
  for (const run of runs) {
    if (!run.block || clipped(run.block)) continue;
    const box = run.block.getBoundingClientRect();
    const where = run.block.tagName.toLowerCase() + (run.block.className ? '.' + run.block.className : '');
    for (const match of run.text.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(...at(run, match.index));
      const [endNode, endOffset] = at(run, match.index + match[0].length - 1);
      range.setEnd(endNode, endOffset + 1);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (!rects.length) continue;
      tokens++;
      const first = rects[0];
      if ([...match[0]].length <= keepWhole
          && rects.some((r) => r.top >= first.bottom - 1 || r.bottom <= first.top + 1)) {
        split.push(`${match[0]} (in ${where})`);
      }
      if (rects.some((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5)) {
        outside.push(`${match[0]} (in ${where})`);
      }
    }
  }
  const root = document.documentElement;
  return {tokens, split, outside, scrollWidth: root.scrollWidth, width: root.clientWidth};
}
"""


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("output", OUTPUTS)
def test_no_short_token_is_split_and_nothing_overflows(page, outputs, output, layout):
    """No word, number, date or id of 30 characters or fewer
    on two lines; no text out of its box; no sideways scroll."""
    media, width = LAYOUTS[layout]
    open_page(page, outputs[output], media, width)
    found = page.evaluate(MEASURE, html_render.KEEP_WHOLE)
    assert found["tokens"] > 100  # the page was measured
    assert [] == found["split"]
    assert [] == found["outside"]
    assert found["width"] == found["scrollWidth"], "the page scrolls sideways"


@pytest.mark.parametrize("output", OUTPUTS)
def test_print_styles_keep_rows_whole_and_repeat_headers(page, outputs, output):
    """Printed, every table row avoids a page break inside it,
    every header repeats, and no box scrolls (paper cannot)."""
    open_page(page, outputs[output], "print", LAYOUTS["A4"][1])
    styles = page.evaluate(
        """() => ({
            rows: [...document.querySelectorAll('tr')].map((tr) => getComputedStyle(tr).breakInside),
            heads: [...document.querySelectorAll('thead')].map((head) => getComputedStyle(head).display),
            scrolls: [...document.querySelectorAll('.scroll')].map((box) => getComputedStyle(box).overflowX),
        })"""
    )
    assert styles["rows"] and {"avoid"} == set(styles["rows"])
    assert {"table-header-group"} == set(styles["heads"])
    assert {"visible"} == set(styles["scrolls"])


# -- print, read back from the PDF --------------------------------------------------------
@pytest.mark.parametrize("paper", PAPER)
@pytest.mark.parametrize("output", OUTPUTS)
def test_printed_pages_carry_title_date_and_number_and_keep_rows_whole(page, outputs, output, paper):
    """Each page of the PDF names the report, its date and
    `Page N of M`; each row is on one page, under its table's header."""
    open_page(page, outputs[output], "print", LAYOUTS[paper][1])  # (Playwright prints with the media last emulated)
    pdf = page.pdf(format=paper)
    pages = [signature(text) for text in pdf_pages_text(pdf)]
    title = page.title()
    assert len(pages) >= (3 if output == "report" else 1)
    for number, text in enumerate(pages, start=1):
        assert signature(title)[:40] in text, f"page {number}: no title"
        assert signature(f"As of {AS_OF}") in text, f"page {number}: no date"
        assert signature(f"Page {number} of {len(pages)}") in text, f"page {number}: no page number"
    tables = page.evaluate(
        """() => [...document.querySelectorAll('table')].map((table) => ({
            head: table.tHead.textContent,
            rows: [...table.tBodies[0].rows].map((row) => row.textContent),
        }))"""
    )
    continued = 0
    for table in tables:
        head = signature(table["head"])
        on = set()
        for row in table["rows"]:
            where = [n for n, text in enumerate(pages) if signature(row) in text]
            assert where, f"a row is cut across pages, or missing: {row[:80]!r}"
            on.add(where[0])
            assert head in pages[where[0]][: pages[where[0]].index(signature(row))], (
                f"page {where[0] + 1}: a row without its table's header"
            )
        continued += len(on) - 1
    if output == "report":
        assert continued >= 1  # some table does run on to another page, so the repeated header was tried


def signature(text: str) -> str:
    """Letters and digits only, in order: what the PDF's text and the page's text agree on, whatever the spacing."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", text))


_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF Chromium wrote (Skia): each font's ToUnicode map applied to its glyph codes.

    Enough of PDF for this purpose only: objects in the clear, Flate streams,
    two-byte glyph codes shown with Tj and TJ.
    """
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in _OBJECT.finditer(pdf):
        body, stream = match.group(2), b""
        start = re.search(rb"stream\r?\n", body)
        if start:
            head = body[: start.start()]
            stream = body[start.end() : start.end() + int(re.search(rb"/Length (\d+)", head).group(1))]
            stream = zlib.decompress(stream) if b"/FlateDecode" in head else stream
            body = head
        objects[int(match.group(1))] = (body, stream)

    def leaves(number: int) -> list[int]:
        body = objects[number][0]
        if not re.search(rb"/Type /Pages\b", body):
            return [number]
        return [
            leaf
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", body, re.S).group(1))
            for leaf in leaves(int(kid))
        ]

    catalog = next(body for body, _ in objects.values() if re.search(rb"/Type /Catalog\b", body))
    texts = []
    for number in leaves(int(re.search(rb"/Pages (\d+) 0 R", catalog).group(1))):
        body = objects[number][0]
        resources = re.search(rb"/Resources (\d+) 0 R", body)
        if resources:
            body += objects[int(resources.group(1))][0]
        fonts = {}
        listed = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", listed.group(1) if listed else b""):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)][0])
            fonts[name] = _cmap(objects[int(to_unicode.group(1))][1]) if to_unicode else {}
        contents = re.search(rb"/Contents (\[.*?\]|\d+ 0 R)", body, re.S).group(1)
        stream = b"".join(objects[int(n)][1] for n in re.findall(rb"(\d+) 0 R", contents))
        font: dict[int, str] = {}
        out = []
        for op in re.finditer(rb"/(\w+) [\d.]+ Tf|\[(.*?)\] TJ|<([0-9A-Fa-f]*)> Tj", stream, re.S):
            if op.group(1):
                font = fonts.get(op.group(1), {})
                continue
            shown = op.group(2) if op.group(2) is not None else b"<" + op.group(3) + b">"
            for codes in re.findall(rb"<([0-9A-Fa-f]*)>", shown):
                out += [font.get(int(codes[i : i + 4], 16), "") for i in range(0, len(codes), 4)]
        texts.append("".join(out))
    return texts


def _cmap(data: bytes) -> dict[int, str]:
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(text, 16)
            table.update({code: chr(first + n) for n, code in enumerate(range(int(low, 16), int(high, 16) + 1))})
    return table


# -- accessibility ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", ["1280 px", "400 px"])
@pytest.mark.parametrize("output", OUTPUTS)
def test_axe_finds_no_wcag_21_aa_violation(page, outputs, axe_script, output, layout):
    """axe-core, every WCAG 2.1 A and AA rule, at desktop and phone width: no violation."""
    media, width = LAYOUTS[layout]
    open_page(page, outputs[output], media, width)
    page.evaluate(axe_script)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    violations = [(v["id"], v["help"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]
    assert [] == violations


@pytest.mark.parametrize("output", OUTPUTS)
def test_tables_are_captioned_headers_scoped_states_are_words(page, outputs, output):
    """Every table has a caption; every header cell a scope; every state badge its state word; the page its language."""
    open_page(page, outputs[output], "screen", 1280)
    facts = page.evaluate(
        """() => ({
            lang: document.documentElement.lang,
            tables: [...document.querySelectorAll('table')]
              .map((table) => table.caption ? table.caption.textContent.trim() : ''),
            unscoped: [...document.querySelectorAll('th')]
              .filter((th) => !['col', 'row'].includes(th.getAttribute('scope'))).length,
            states: [...document.querySelectorAll('.state')].map((badge) => [badge.className, badge.textContent]),
            regions: [...document.querySelectorAll('.scroll')].map((box) => [box.tabIndex, box.getAttribute('role'),
                      (document.getElementById(box.getAttribute('aria-labelledby')) || {}).tagName]),
        })"""
    )
    assert "en" == facts["lang"]
    assert facts["tables"] and all(facts["tables"])
    assert 0 == facts["unscoped"]
    assert facts["states"]
    for css, word in facts["states"]:
        assert f"state state-{word}" == css  # the word says what the colour repeats
    assert {(0, "region", "CAPTION")} == {tuple(region) for region in facts["regions"]}


@pytest.mark.parametrize("output", ["report", "hostile report"])
def test_nothing_is_struck_through(page, outputs, output):
    """A retired milestone's state and reason stay readable: no element of the page draws a line through its text."""
    open_page(page, outputs[output], "screen", 1280)
    struck = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter((el) => getComputedStyle(el).textDecorationLine.includes('line-through'))"
        ".map((el) => el.textContent.slice(0, 60))"
    )
    assert [] == struck
    if output == "report":
        assert "retired (since 2020-11-02): Superseded by the 2021-22 removals plan" in page.inner_text("#m-1\\.4 dl")


# -- the README's picture -------------------------------------------------------------------
@pytest.mark.parametrize("language", sorted(screenshot.SCREENSHOTS))
def test_the_readme_screenshot_is_the_report_as_it_renders_now(browser, tmp_path, language):
    """docs/report.png (and report-fr.png) is Chromium's picture of today's report HTML, 1280 px wide
    (UPDATE_GOLDEN=1 retakes it)."""
    picture = screenshot.SCREENSHOTS[language]
    page_html = screenshot.report_html(tmp_path, language)
    if UPDATE:
        picture.write_bytes(screenshot.take(browser, page_html, tmp_path))
    assert picture.exists(), f"no {picture.name}: run python tools/screenshot.py"
    width, height, fingerprint = screenshot.png_facts(picture.read_bytes())
    assert (1280, 900) == (width, height)
    assert screenshot.fingerprint(page_html) == fingerprint, (
        f"{picture.name} is out of date: run python tools/screenshot.py"
    )
