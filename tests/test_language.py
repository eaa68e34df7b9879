"""English or French: how the language is chosen, the catalogs, and dates and numbers in each."""

from __future__ import annotations

import gettext
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.dates import DateError, parse_date
from oagtrack.render import language

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402

runner = CliRunner()


@pytest.mark.parametrize(
    ("option", "environ", "chosen"),
    [
        ("fr", {"OAGTRACK_LANG": "en", "LANG": "en_CA.UTF-8"}, "fr"),
        (None, {"OAGTRACK_LANG": "fr", "LANG": "en_CA.UTF-8"}, "fr"),
        (None, {"LANG": "fr_CA.UTF-8"}, "fr"),
        (None, {"LC_ALL": "C", "LANG": "fr_CA.UTF-8"}, "en"),  # LC_ALL comes first, and C means untranslated
        (None, {"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        (None, {"LC_ALL": "de_DE.UTF-8", "LANG": "fr_CA.UTF-8"}, "fr"),  # no German: the next one says French
        (None, {"OAGTRACK_LANG": "xx"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_is_the_option_else_the_variable_else_the_locale_else_english(option, environ, chosen):
    assert language.choose(option, environ) == chosen


def test_the_french_catalog_translates_every_message_with_the_same_placeholders():
    uses = catalogs.extract()
    assert catalogs.faults(uses, catalogs.read_po()) == []


def test_the_compiled_catalog_is_read_by_the_standard_library_with_french_plural_forms():
    with open(catalogs.COMPILED, "rb") as handle:
        french = gettext.GNUTranslations(handle)
    assert french.info()["plural-forms"] == "nplurals=2; plural=(n > 1);"
    # French counts 0 and 1 as singular: n_ picks the catalog's form, not an added "s"
    plural_keys = [key for key in catalogs.read_po() if key[1] is not None]
    for singular, plural in plural_keys:
        assert french.ngettext(singular, plural, 0) == french.ngettext(singular, plural, 1)


def test_the_compiler_writes_what_gettext_reads(tmp_path):
    entries = {("day", "days"): ["jour", "jours"], ("Due", None): ["Échéance"]}
    mo = tmp_path / "x.mo"
    mo.write_bytes(catalogs.compile_mo(entries))
    with open(mo, "rb") as handle:
        read = gettext.GNUTranslations(handle)
    assert read.gettext("Due") == "Échéance"
    assert [read.ngettext("day", "days", n) for n in (0, 1, 2)] == ["jour", "jour", "jours"]


@pytest.mark.parametrize(
    ("day", "fr", "en"),
    [
        (date(2021, 1, 30), "30 janvier 2021", "January 30, 2021"),
        (date(2021, 4, 1), "1er avril 2021", "April 1, 2021"),
        (date(2020, 8, 15), "15 août 2020", "August 15, 2020"),
    ],
)
def test_dates_are_written_as_federal_documents_write_them(day, fr, en):
    assert language.long_date(day, "fr") == fr
    assert language.long_date(day, "en") == en


def test_numbers_and_fiscal_periods_in_each_language():
    assert language.percent(29.4, "fr") == "29\u00a0%" and language.percent(29.4, "en") == "29%"
    assert language.fiscal_quarter(2020, 2, "fr") == "T2 2020-2021"
    assert language.fiscal_quarter(2020, 2, "en") == "Q2 2020-21"
    assert language.fiscal_year(2020, "fr") == "exercice 2020-2021"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("30 janvier 2021", date(2021, 1, 30)),
        ("1er avril 2021", date(2021, 4, 1)),
        ("le 1er avril 2021", date(2021, 4, 1)),
        ("3 aout 2020", date(2020, 8, 3)),
        ("T2 2020-2021", date(2020, 9, 30)),
        ("exercice 2020-2021", date(2021, 3, 31)),
    ],
)
def test_as_of_reads_the_french_forms(text, day):
    assert parse_date(text, date(2026, 1, 1)) == day


def test_a_french_date_that_does_not_exist_is_refused_with_its_reason():
    with pytest.raises(DateError, match="that month has 28 days"):
        parse_date("30 février 2021", date(2026, 1, 1))


def test_every_command_takes_lang_and_refuses_a_language_it_does_not_have():
    refused = runner.invoke(app, ["overdue", "--lang", "de"])
    assert refused.exit_code == 2 and "'de' is not one of 'en', 'fr'" in refused.stderr
    help_text = runner.invoke(app, ["schema", "--help"]).stdout
    assert "--lang" in help_text


def test_the_html_page_says_its_language_and_the_language_does_not_outlive_the_command():
    french = runner.invoke(app, ["report", "--as-of", "2021-01-31", "-f", "html", "--lang", "fr"])
    assert '<html lang="fr">' in french.stdout
    english = runner.invoke(app, ["report", "--as-of", "2021-01-31", "-f", "html"])
    assert '<html lang="en">' in english.stdout
    assert language.current() == "en"


def test_a_core_message_whose_template_is_no_literal_is_a_fault(tmp_path):
    (tmp_path / "m.py").write_text('template = "x {a}"\nsaid(template, a=1)\nsaid("y {b}", b=2)\n')
    try:
        found = catalogs.extract(tmp_path)
        assert ("y {b}", None) in found and len(catalogs.NOT_LITERAL) == 1
        assert any("said() needs its template as a string literal" in fault for fault in catalogs.faults(found, {}))
    finally:
        catalogs.extract()  # leave the module's list as the real code makes it
