"""The language a reader reads: English or French, chosen once per command, and the words in it.

Words come from gettext catalogs (`oagtrack/locale/fr/LC_MESSAGES/oagtrack.po`,
compiled to `.mo` beside it by `tools/catalogs.py`), loaded with the standard
library's `gettext`; English is the language the messages are written in,
so it needs no catalog. Plurals go through the catalog's plural forms
(`ngettext`), never by adding an "s".

Dates and numbers follow the Canadian federal style of each language: in
French, `30 janvier 2021`, `le 1er avril`, `29 %`, `T2 2020-2021`,
`exercice 2020-2021`; in English, `January 30, 2021`, `29%`, `Q2 2020-21`.
Table cells keep ISO dates (YYYY-MM-DD) in both languages: the Government of
Canada's numeric date standard, and a column that sorts.
"""

from __future__ import annotations

import gettext
import os
import struct
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from ..core.model import Event, Milestone, Plan, Recommendation, Texts
from ..core.problems import Problem, Said

LANGUAGES = ("en", "fr")
LANG_ENV = "OAGTRACK_LANG"
DOMAIN = "oagtrack"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_current = "en"
_translations: gettext.NullTranslations = gettext.NullTranslations()


def choose(option: str | None, environ: Mapping[str, str]) -> str:
    """`--lang`, else $OAGTRACK_LANG, else the locale, else English.

    The locale is LC_ALL, else LC_MESSAGES, else LANG, as POSIX orders them:
    `fr_CA.UTF-8` is French, and `C` or `POSIX` is the untranslated locale
    (English). A language we have no catalog for (`de_DE`) is passed over
    for the next, as gettext passes over it; `--lang` itself is checked by
    its option, so a typo there is a usage error.
    """
    locale = [environ.get("LC_ALL"), environ.get("LC_MESSAGES"), environ.get("LANG")]
    for value in (option, environ.get(LANG_ENV), *locale):
        language = _language_of(value)
        if language:
            return language
    return "en"


def _language_of(value: str | None) -> str | None:
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0]
    if code in ("C", "POSIX"):
        return "en"
    return code.lower() if code.lower() in LANGUAGES else None


def use(language: str) -> None:
    """Make `language` the one every word below is looked up in, for the rest of the command."""
    global _current, _translations
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}; choose from {', '.join(LANGUAGES)}")
    _current = language
    _translations = translations(language)


def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language`; English reads its messages as written."""
    if language == "en":
        return gettext.NullTranslations()
    # $OAGTRACK_LOCALE_DIR: a translator's own compiled catalogs, to see them in the output before they ship;
    # one that is missing or unreadable is passed over for the catalog oagtrack ships.
    own = os.environ.get("OAGTRACK_LOCALE_DIR")
    if own:
        try:
            return gettext.translation(DOMAIN, localedir=own, languages=[language])
        except (OSError, ValueError, UnicodeDecodeError, struct.error):
            pass
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language])


def current() -> str:
    return _current


def _(message: str) -> str:
    """`message` in the current language."""
    return _translations.gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count`, by the catalog's plural rule (French: 0 and 1 are singular)."""
    return _translations.ngettext(singular, plural, count)


# -- dates and numbers --------------------------------------------------------
_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
#: French puts a non-breaking space before % (Canadian federal style: 29 %).
NBSP = "\u00a0"


def long_date(day: date, language: str | None = None) -> str:
    """`30 janvier 2021`, `1er avril 2021`; `January 30, 2021`."""
    language = language or _current
    if language == "fr":
        number = "1er" if day.day == 1 else str(day.day)
        return f"{number} {_MONTHS_FR[day.month - 1]} {day.year}"
    return f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def percent(value: float, language: str | None = None) -> str:
    """`29 %` in French, `29%` in English, rounded to a whole number."""
    return f"{value:.0f}{NBSP}%" if (language or _current) == "fr" else f"{value:.0f}%"


def fiscal_quarter(first_year: int, quarter: int, language: str | None = None) -> str:
    """`T2 2020-2021` in French, `Q2 2020-21` in English."""
    if (language or _current) == "fr":
        return f"T{quarter} {first_year}-{first_year + 1}"
    return f"Q{quarter} {first_year}-{(first_year + 1) % 100:02d}"


def fiscal_year(first_year: int, language: str | None = None) -> str:
    """`exercice 2020-2021` in French, `fiscal year 2020-21` in English."""
    if (language or _current) == "fr":
        return f"exercice {first_year}-{first_year + 1}"
    return f"fiscal year {first_year}-{(first_year + 1) % 100:02d}"


# -- texts a person wrote, in the reader's language --------------------------------
def localized(plan: Plan, language: str | None = None) -> Plan:
    """`plan` with every text a person wrote in `language`: its version in that language when the plan has one,
    else the text as written, marked `[not translated]` (in the reader's language) so it is never silently mixed.

    A text written once is in the plan's first declared language (English
    when it declares none). For a reader of that language nothing changes.
    """
    language = language or _current
    written = plan.languages[0] if plan.languages else "en"
    if language == written and not _has_versions(plan):
        return plan
    marker = _("[not translated]")

    def text(value: str) -> str:
        if isinstance(value, Texts):
            if language in value.versions:
                return value.versions[language]
            return f"{marker} {value}" if value.language != language else str(value)
        return f"{marker} {value}" if value and written != language else value

    def event(e: Event) -> Event:
        return e._replace(text=text(e.text), reason=text(e.reason))

    def milestone(m: Milestone) -> Milestone:
        return m._replace(
            text=text(m.text),
            history=tuple(event(e) for e in m.history),
            steps=tuple(milestone(step) for step in m.steps),
        )

    def recommendation(r: Recommendation) -> Recommendation:
        return r._replace(
            text=text(r.text),
            bullets=tuple(text(b) for b in r.bullets),
            response=r.response._replace(text=text(r.response.text)),
            outcome=milestone(r.outcome),
            actions=tuple(milestone(a) for a in r.actions),
        )

    people = {key: p._replace(title=text(p.title), branch=text(p.branch)) for key, p in plan.people.items()}
    return plan._replace(
        audit=plan.audit._replace(title=text(plan.audit.title)),
        people=people,
        recommendations=tuple(recommendation(r) for r in plan.recommendations),
    )


def _has_versions(plan: Plan) -> bool:
    """Whether any text of the plan is written in several languages (then even its first language's reader
    gets the plain string)."""
    return bool(plan.languages) and len(plan.languages) > 1


# -- the core's messages, said again in the reader's language ----------------------
def say(message: object) -> str:
    """A message in the current language: a `Said` (a core message) from its template, translated, with its
    values said again too; anything else as it is. A translation that does not fit its values is passed over
    for the English, never an error."""
    if not isinstance(message, Said) or _current == "en":
        return str(message)
    values = {name: say(value) if isinstance(value, Said) else value for name, value in message.values.items()}
    try:
        return _translations.gettext(message.template).format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return str(message)


def problem_line(problem: Problem) -> str:
    """`FILE:LINE:COL: message`, the message in the current language."""
    return str(problem._replace(message=say(problem.message)))
