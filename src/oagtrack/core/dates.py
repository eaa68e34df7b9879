"""Every way a person writes a date, turned into `datetime.date` in one place.

The plan file itself takes only ISO dates (`YYYY-MM-DD`): a file read by many
people and tools must not be ambiguous. The command line is friendlier: ISO,
`today`/`yesterday`/`tomorrow`, offsets (`+30d`, `-2w`), month names with a
year (`September 30, 2020`), and the Government of Canada's fiscal forms
(`Q2 2020-21`, `FY2020-21`), whose year runs April to March.

Every number here is written with the ASCII digits 0-9, as the JSON Schema's
patterns and every other tool read them: `２０２０-09-30`, Arabic-Indic or
superscript digits are refused, never quietly read as 2020, and so is a date
with spaces around it. Numbers are bounded before they are converted, so no
input can reach Python's limit on the length of an integer.

Nothing here reads the clock: `today` is always an argument.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, cast

from .problems import said


class _Lazy:
    """A regular expression compiled on first use: most commands only ever read ISO dates."""

    def __init__(self, pattern: str, flags: int = re.ASCII):
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return getattr(self._compiled, name)


# Every pattern is compiled with re.ASCII: \d is 0-9 and \s a space or tab,
# never a full-width digit or a no-break space.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_FISCAL_YEAR = r"(?P<y1>\d{4})\s*[-/–]\s*(?P<y2>\d{2}|\d{4})"
_QUARTER = _Lazy(
    rf"(?:[QT](?P<q>[1-4])\s*(?:FY\s*)?{_FISCAL_YEAR}"
    rf"|(?:FY\s*)?{_FISCAL_YEAR.replace('y1', 'a1').replace('y2', 'a2')}\s*Q(?P<q2>[1-4]))",
    re.I | re.ASCII,
)
_FY = _Lazy(rf"(?:FY|exercice)\s*{_FISCAL_YEAR}", re.I | re.ASCII)
#: French months as federal documents write them (with or without accents, as typed on any keyboard).
_MOIS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}  # fmt: skip
_FRENCH_DATE = _Lazy(r"(?:le\s+)?(?P<d>\d{1,2})(?:er)?\s+(?P<m>[a-zéû]+)\s+(?P<y>\d{4})", re.I)
_OFFSET = _Lazy(r"(?P<sign>[+-])?\s*(?P<n>\d+)\s*(?P<unit>d|day|days|w|wk|week|weeks)?", re.I | re.ASCII)
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_WORD = _Lazy(r"\b(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?\b", re.I | re.ASCII)
_YEAR = _Lazy(r"\b\d{4}\b")
_DAY = _Lazy(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.I | re.ASCII)
_BARE_MONTH = _Lazy(r"\d{4}-\d{1,2}")
_BARE_FISCAL_YEAR = _Lazy(_FISCAL_YEAR)


#: The years a plan or a command may name. Audits are followed for years,
#: not millennia; outside this range a date is a typo, and date arithmetic
#: near year 1 or 9999 would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class DateError(ValueError):
    """A date a person wrote that cannot be read; the message says why.

    `message` is the `Said` itself (str(err) is its English only), for rendering to say in the reader's language.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Period(NamedTuple):
    """An inclusive range of days, such as a fiscal quarter."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        """`day in period`: a date from start to end, both included (not one of the tuple's two members).

        Typed `object` as `tuple.__contains__` is; anything but a date fails the comparison.
        """
        return self.start <= cast(date, day) <= self.end


def parse_iso(text: str) -> date:
    """A strict ISO `YYYY-MM-DD` date, with a plain reason when it is not one.

    Nothing around it, and ASCII digits only: what the JSON Schema's pattern
    accepts, so the file means the same to every tool that reads it.
    """
    check_plainly_written(text, "date")
    if not _ISO.fullmatch(text):
        raise DateError(said("{text} is not a date in the form YYYY-MM-DD", text=shown(text)))
    year, month, day = (int(part) for part in text.split("-"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            said("{text} is outside the years {first} to {last}", text=text, first=FIRST_YEAR, last=LAST_YEAR)
        )
    if not 1 <= month <= 12:
        raise DateError(said("{text} is not a date: there is no month {month}", text=text, month=month))
    try:
        return date(year, month, day)
    except ValueError:
        last = _last_day_of_month(year, month)
        raise DateError(
            said(
                "{text} is not a date: {month} {year} has {last} days",
                text=text,
                month=_MONTH_NAMES[month - 1],
                year=year,
                last=last,
            )
        ) from None


#: The longest date or duration read. The longest real one ("Wednesday,
#: September 30th, 2020") is well under it; a longer text is a mistake, and
#: it is refused before any pattern or conversion sees it.
MAX_CHARS = 40

#: The most digits in a number of days or weeks: a million days is already
#: longer than the years allowed, so nothing longer needs converting.
MAX_DIGITS = 7


# The things `check_plainly_written` reads, in the words its messages need (a French noun's article has a gender).
_A_WHAT = {"date": said("a date"), "duration": said("a duration"), "number": said("a number")}
_THE_WHAT = {"date": said("the date"), "duration": said("the duration"), "number": said("the number")}
_EMPTY = {"date": said("empty date"), "duration": said("empty duration"), "number": said("empty number")}
_MONTH_NAMES = (
    said("January"), said("February"), said("March"), said("April"), said("May"), said("June"),
    said("July"), said("August"), said("September"), said("October"), said("November"), said("December"),
)  # fmt: skip


def check_plainly_written(text: str, what: str) -> None:
    """Raise DateError, saying why, unless `text` is a `what` (date, duration, number) written as every tool reads it.

    Too long to be one; spaces or line breaks before or after it; a digit
    other than 0-9 (full-width, Arabic-Indic, superscript: Python's int()
    reads them, the JSON Schema and other tools do not); an invisible or
    control character anywhere in it.
    """
    if len(text) > MAX_CHARS:
        raise DateError(
            said(
                "{text} is {count:,} characters, too long to be {a_what}",
                text=shown(text),
                count=len(text),
                a_what=_A_WHAT.get(what) or said("a {what}", what=what),
            )
        )
    the_what = _THE_WHAT.get(what) or said("the {what}", what=what)
    stripped = text.strip()
    if not stripped:
        raise DateError(_EMPTY.get(what) or said("empty {what}", what=what))
    if text != stripped:
        padding = text[: len(text) - len(text.lstrip())] + text[len(text.rstrip()) :]
        blanks = said("spaces") if set(padding) == {" "} else said("blank characters")
        raise DateError(
            said(
                "{text!r} has {blanks} before or after it; write {the_what} alone, as {stripped!r}",
                text=text,
                blanks=blanks,
                the_what=the_what,
                stripped=stripped,
            )
        )
    for char in text:
        if char.isascii():
            if not char.isprintable():
                raise DateError(
                    said(
                        "{text!r} holds the control character {code}; write {the_what} with ASCII characters",
                        text=text,
                        code=_codepoint(char),
                        the_what=the_what,
                    )
                )
            continue
        if char.isnumeric():
            ascii_text = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
            hint = said(", as {ascii_text!r}", ascii_text=ascii_text) if ascii_text.isascii() else ""
            raise DateError(
                said(
                    "{text!r} holds {char!r} ({code}), which is not one of the digits 0-9; "
                    "write {the_what} with ASCII digits{hint}",
                    text=text,
                    char=char,
                    code=_codepoint(char),
                    the_what=the_what,
                    hint=hint,
                )
            )
        if not char.isprintable() or char.isspace():
            raise DateError(
                said(
                    "{text!r} holds the invisible character {code}; write {the_what} with ASCII characters",
                    text=text,
                    code=_codepoint(char),
                    the_what=the_what,
                )
            )


def shown(text: str) -> str:
    """`text` quoted for a message, shortened when it is long: a 5,000-digit number is not repeated in full."""
    if len(text) <= MAX_CHARS:
        return repr(text)
    return repr(text[:20]) + "..."


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def parse_date(text: str, today: date, *, end_of_period: bool = True) -> date:
    """Read a date as a person types it on the command line (see `_parse_date`), within the years allowed."""
    check_plainly_written(text, "date")
    try:
        day = _parse_date(text, today, end_of_period=end_of_period)
    except (OverflowError, ValueError) as err:
        if isinstance(err, DateError):
            raise
        raise DateError(_outside(text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateError(
            said(
                "{text!r} is {day}, outside the years {first} to {last}",
                text=text,
                day=str(day),
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return day


def _parse_date(text: str, today: date, *, end_of_period: bool = True) -> date:
    """Read a date as a person types it on the command line.

    A fiscal quarter or year stands for its last day (`--as-of Q2 2020-21`
    asks about the quarter's end) unless `end_of_period` is false, when it
    stands for its first day (`--since Q2 2020-21`).
    """
    lowered = text.lower()
    if lowered in _RELATIVE_WORDS:
        return today + timedelta(days=_RELATIVE_WORDS[lowered])
    if _ISO.fullmatch(text):
        return parse_iso(text)
    if text[0] in "+-" and _OFFSET.fullmatch(text):
        return today + parse_duration(text, allow_negative=True)
    period = parse_period(text)
    if period is not None:
        return period.end if end_of_period else period.start
    french = _FRENCH_DATE.fullmatch(text.strip())
    if french and french["m"].lower() in _MOIS:
        return _day(int(french["y"]), _MOIS[french["m"].lower()], int(french["d"]), text)
    if _MONTH_WORD.search(text):
        return _parse_words(text)
    if _BARE_MONTH.fullmatch(text):
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise DateError(said("{text!r} is not a date: there is no month {month}", text=text, month=month))
        raise DateError(
            said(
                "{text!r} has no day of the month; write it in full, such as {year}-{month:02d}-01",
                text=text,
                year=year,
                month=month,
            )
        )
    raise DateError(
        said(
            "cannot read {text!r} as a date; "
            "use YYYY-MM-DD, today, +30d, 'September 30, 2020' or a fiscal period such as 'Q2 2020-21'",
            text=text,
        )
    )


def parse_period(text: str) -> Period | None:
    """A Government of Canada fiscal quarter or year, or None when `text` is neither.

    >>> parse_period("Q2 2020-21")
    Period(start=datetime.date(2020, 7, 1), end=datetime.date(2020, 9, 30))
    """
    match = _QUARTER.fullmatch(text)
    if match:
        quarter = int(match["q"] or match["q2"])
        first_year = _fiscal_first_year(match["y1"] or match["a1"], match["y2"] or match["a2"], text)
        return fiscal_quarter(first_year, quarter)
    bare = _BARE_FISCAL_YEAR.fullmatch(text)
    if bare and not _follows(bare["y1"], bare["y2"]):
        return None  # "2021-01" is a month, not a fiscal year
    match = _FY.fullmatch(text) or bare
    if match:
        first_year = _fiscal_first_year(match["y1"], match["y2"], text)
        return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31))
    return None


def fiscal_quarter(first_year: int, quarter: int) -> Period:
    """Quarter 1-4 of the fiscal year that starts on April 1 of `first_year`."""
    start_month = 4 + 3 * (quarter - 1)
    year = first_year + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    start = date(year, start_month, 1)
    end_month = start_month + 2
    return Period(start, date(year, end_month, _last_day_of_month(year, end_month)))


def fiscal_quarter_of(day: date) -> Period:
    """The fiscal quarter that contains `day`."""
    first_year = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return fiscal_quarter(first_year, quarter)


def fiscal_label(day: date) -> str:
    """`Q2 2020-21` for a day in that quarter."""
    first_year = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return f"Q{quarter} {first_year}-{(first_year + 1) % 100:02d}"


def parse_duration(text: str, *, allow_negative: bool = False) -> timedelta:
    """`30d`, `2w`, `30` (days). Negative only where `allow_negative`.

    Spaces around it are allowed, as in a list (`--remind "30d, 7d"`); the
    digits are ASCII, and too many of them are refused before conversion.
    """
    text = text.strip(" ")
    check_plainly_written(text, "duration")
    match = _OFFSET.fullmatch(text)
    if not match:
        raise DateError(
            said("cannot read {text!r} as a duration; use a number of days or weeks such as 30d or 2w", text=text)
        )
    if len(match["n"].lstrip("0")) > MAX_DIGITS:
        raise DateError(_longer(shown(text)))
    days = int(match["n"]) * (7 if (match["unit"] or "d").lower().startswith("w") else 1)
    if days > 366 * (LAST_YEAR - FIRST_YEAR):
        raise DateError(_longer(repr(text)))
    if match["sign"] == "-":
        if not allow_negative:
            raise DateError(said("{text!r} is negative; a window must be zero or more days", text=text))
        days = -days
    return timedelta(days=days)


_RELATIVE_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _follows(first: str, second: str) -> bool:
    expected = int(first) + 1
    return int(second) == (expected if len(second) == 4 else expected % 100)


def _fiscal_first_year(first: str, second: str, text: str) -> int:
    year = int(first)
    expected = year + 1
    if int(second) != (expected if len(second) == 4 else expected % 100):
        raise DateError(
            said(
                "{text!r} is not a fiscal year: {first} is followed by {expected}",
                text=text,
                first=first,
                expected=expected,
            )
        )
    return year


def _parse_words(text: str) -> date:
    """`September 30, 2020` or `30 Sep 2020`; a year is required, never guessed."""
    from dateutil import parser as dateutil_parser  # imported here: only a few inputs need it

    year = _YEAR.search(text)
    if not year:
        raise DateError(said("{text!r} has no year; write it in full, such as 2020-09-30", text=text))
    if not FIRST_YEAR <= int(year.group()) <= LAST_YEAR:
        raise DateError(_outside(text))
    if not _DAY.search(_YEAR.sub("", text)):
        raise DateError(said("{text!r} has no day of the month; write it in full, such as 2020-09-30", text=text))
    try:
        # A fixed default, never the clock: every field was checked present above.
        parsed = dateutil_parser.parse(text, default=datetime(2000, 1, 1), fuzzy=False)
    except (ValueError, OverflowError) as err:
        raise DateError(said("cannot read {text!r} as a date: {reason}", text=text, reason=str(err))) from None
    return parsed.date()


def _day(year: int, month: int, day: int, text: str) -> date:
    """A date from its parts, or why not (`30 février 2021`: February 2021 has 28 days)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(_outside(text))
    last = _last_day_of_month(year, month)
    if not 1 <= day <= last:
        raise DateError(said("{text!r} is not a date: that month has {last} days", text=text, last=last))
    return date(year, month, day)


def _outside(text: str) -> str:
    return said("{text!r} is outside the years {first} to {last}", text=text, first=FIRST_YEAR, last=LAST_YEAR)


def _longer(text: str) -> str:
    """`text` (already quoted) is a duration longer than the years allowed."""
    return said("{text} is longer than the years {first} to {last}", text=text, first=FIRST_YEAR, last=LAST_YEAR)


def _last_day_of_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day
