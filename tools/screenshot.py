"""The pictures of the HTML report in the docs, made by Chromium: docs/report.png, and docs/report-fr.png in French.

    python tools/screenshot.py            # rewrite both
    python tools/screenshot.py --check    # exit 1 when one is not the report as it renders now

The report is the bundled plan after a quarter of fictional progress
(`quarter()`: started, completed with a long evidence link, verified, revised,
reopened, retired, noted), the plan the browser tests also judge, as of
2021-01-31 with changes since 2020-10-01; the picture is the top of the page
at 1280 px. It needs Playwright (the test extra) and Debian's Chromium
(`apt-get install chromium`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import tempfile
import zlib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "report.png"
#: The picture of the report in each language (`--lang`).
SCREENSHOTS = {"en": SCREENSHOT, "fr": ROOT / "docs" / "report-fr.png"}
#: The PNG text chunk that holds the SHA-256 of the HTML the picture was taken of, so a test knows when it is out of
#: date.
KEYWORD = b"oagtrack-report-html-sha256"
CHROMIUM = Path("/usr/bin/chromium")
#: How the tests and this script start Chromium: as root it needs --no-sandbox; nothing else it does is wanted.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZE = {"width": 1280, "height": 900}

AS_OF = date(2021, 1, 31)
SINCE = "2020-10-01"
#: A long evidence link: longer than any column, it must wrap inside its box and never widen the page.
LONG_URL = "https://gcdocs.intranet.example/otcs/cs.exe/app/nodes/31415926/removals-strategy-national-coordination-approach-final-approved-2020-10-15.pdf?version=3&locale=en_CA"


def quarter() -> list:
    """A realistic quarter of updates (fictional), oldest first, as the update commands record them."""
    from oagtrack.core import edit

    return [
        edit.Start("1.2", date(2020, 10, 5)),
        edit.Complete("1.1", date(2020, 10, 15), (LONG_URL,)),
        edit.Start("3.1", date(2020, 10, 19)),
        edit.Complete("2.1", date(2020, 10, 20), ("GCdocs 2020-4411 help line launch memo",)),
        edit.Retire(
            "1.4",
            "Superseded by the 2021-22 removals plan, which replaces the improved plan this action described.",
            date(2020, 11, 2),
        ),
        edit.Verify("1.1", date(2020, 11, 20), "Internal Audit and Evaluation Directorate"),
        edit.Revise(
            "1.2",
            date(2021, 3, 31),
            "Vendor contract for the performance dashboard signed late",
            date(2020, 12, 1),
            "ADM Operations",
        ),
        edit.Reopen("2.1", "Evidence did not show the permanent help line in service", date(2021, 1, 5)),
        edit.Note(
            "3.4a", "Joint CBSA-IRCC working group met on 2021-01-14; terms of reference approved.", date(2021, 1, 15)
        ),
    ]


def quarter_plan_text() -> str:
    """The bundled plan.yaml with `quarter()` applied by `edit.apply`, each update checked as the commands check it."""
    from oagtrack.core import edit

    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    # The MAP reports no progress: a plan that shows some says in its title that it is made up.
    title = "  title: Immigration Removals\n"
    assert text.count(title) == 1, "the bundled plan's audit title moved"
    text = text.replace(title, "  title: Immigration Removals (fictional progress)\n")
    for update in quarter():
        text = edit.apply(text, update, today=AS_OF)
    return text


def render(plan: Path, *args: str) -> str:
    """What `oagtrack ARGS --plan PLAN --as-of 2021-01-31 -o FILE` writes."""
    from typer.testing import CliRunner

    from oagtrack.cli import app

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.html"
        result = CliRunner().invoke(
            app, [*args, "--plan", str(plan), "--as-of", AS_OF.isoformat(), "-o", str(target)], env={"NO_COLOR": "1"}
        )
        if result.exit_code != 0:
            raise RuntimeError(f"oagtrack {' '.join(args)} failed: {result.output}")
        return target.read_text(encoding="utf-8")


def report_html(folder: Path, language: str = "en") -> str:
    """The HTML report of the quarter's plan in `language`, written to `folder` for the browser to open."""
    plan = folder / "plan.yaml"
    plan.write_text(quarter_plan_text(), encoding="utf-8")
    return render(plan, "report", "--since", SINCE, "--format", "html", "--lang", language)


def fingerprint(page_html: str) -> str:
    return hashlib.sha256(page_html.encode("utf-8")).hexdigest()


def with_fingerprint(png: bytes, page_html: str) -> bytes:
    """`png` with a tEXt chunk, right after its header chunk, naming the HTML it shows."""
    data = KEYWORD + b"\0" + fingerprint(page_html).encode("ascii")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    end_of_header = 8 + 4 + 4 + 13 + 4  # signature, then IHDR: length, type, 13 bytes, CRC
    return png[:end_of_header] + chunk + png[end_of_header:]


def png_facts(png: bytes) -> tuple[int, int, str]:
    """Width, height and the fingerprint a PNG written here holds ("" when none)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    found, at = "", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        body = png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and body.startswith(KEYWORD + b"\0"):
            found = body[len(KEYWORD) + 1 :].decode("ascii")
        at += 12 + length
    return width, height, found


def take(browser, page_html: str, folder: Path) -> bytes:
    """The top of the page at 1280 px, as Chromium draws it, with the fingerprint of `page_html`."""
    source = folder / "report.html"
    source.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport=SIZE)
    try:
        page.goto(source.as_uri())
        return with_fingerprint(page.screenshot(type="png"), page_html)
    finally:
        page.close()


def is_current(page_html: str, picture: Path = SCREENSHOT) -> bool:
    return picture.exists() and png_facts(picture.read_bytes())[2] == fingerprint(page_html)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        pages = {language: report_html(folder, language) for language in SCREENSHOTS}
        if argv[1:] == ["--check"]:
            stale = [
                SCREENSHOTS[language] for language, page in pages.items() if not is_current(page, SCREENSHOTS[language])
            ]
            for picture in stale:
                print(f"{picture.relative_to(ROOT)} is out of date: run python tools/screenshot.py")
            return 1 if stale else 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                pictures = {language: take(browser, page, folder) for language, page in pages.items()}
            finally:
                browser.close()
    for language, png in pictures.items():
        SCREENSHOTS[language].parent.mkdir(exist_ok=True)
        SCREENSHOTS[language].write_bytes(png)
        print(f"wrote {SCREENSHOTS[language].relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main(sys.argv))
