"""The iCalendar writer: RFC 5545 structure, escaping, folding, stable UIDs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from conftest import BUNDLED_PLAN
from hypothesis import given
from hypothesis import strategies as st

from oagtrack.core.query import standings
from oagtrack.core.store import load_plan
from oagtrack.render import ics
from oagtrack.render.inert import visible

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
AS_OF = date(2021, 1, 31)
TODAY = date(2030, 1, 1)


def plan_of(path: Path):
    return load_plan(path, TODAY).plan


def calendar_of(path: Path, as_of: date = AS_OF, **options) -> str:
    plan = plan_of(path)
    return ics.calendar(plan, standings(plan, as_of), as_of, **options)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_bundled_plan_parses_with_15_events():
    """icalendar reads the file; one VEVENT per milestone, all-day dates."""
    cal = icalendar.Calendar.from_ical(calendar_of(BUNDLED_PLAN))
    events = cal.walk("VEVENT")
    assert 15 == len(events)
    assert ("2.0", "GREGORIAN", "PUBLISH") == (str(cal["VERSION"]), str(cal["CALSCALE"]), str(cal["METHOD"]))
    first = events[0]
    assert (date(2020, 9, 30), date(2020, 10, 1)) == (first["DTSTART"].dt, first["DTEND"].dt)
    assert "1.1 The CBSA will continue to refine the removal strategy to… (CBSA, Scott Harris)" == str(first["SUMMARY"])
    assert "613-948-4111" in str(first["DESCRIPTION"])
    assert "oag-2020-immigration-removals-1.1@oagtrack" == str(first["UID"])


def test_uids_are_stable_and_unique():
    """Same plan, same UIDs, whatever the day asked about; no two alike."""

    def uids(as_of: date) -> list[str]:
        return [str(e["UID"]) for e in icalendar.Calendar.from_ical(calendar_of(BUNDLED_PLAN, as_of)).walk("VEVENT")]

    first = uids(AS_OF)
    assert first == uids(date(2022, 6, 1))
    assert len(set(first)) == 15


def test_same_input_same_bytes():
    """DTSTAMP comes from the as-of date, never the clock."""
    assert calendar_of(BUNDLED_PLAN) == calendar_of(BUNDLED_PLAN)
    assert "DTSTAMP:20210131T000000Z" in unfold(calendar_of(BUNDLED_PLAN))


def test_sequence_counts_revisions_and_step_summary_names_its_action():
    """1.2 was revised twice by 2021-01-31 and once by 2020-12-31."""

    def event(as_of: date, uid_part: str):
        events = icalendar.Calendar.from_ical(calendar_of(FIXTURES / "small.yaml", as_of)).walk("VEVENT")
        return next(e for e in events if str(e["UID"]).endswith(uid_part))

    assert (2, date(2021, 3, 31)) == (
        int(event(AS_OF, "-1.2@oagtrack")["SEQUENCE"]),
        event(AS_OF, "-1.2@oagtrack")["DTSTART"].dt,
    )
    assert (1, date(2020, 12, 31)) == (
        int(event(date(2020, 12, 31), "-1.2@oagtrack")["SEQUENCE"]),
        event(date(2020, 12, 31), "-1.2@oagtrack")["DTSTART"].dt,
    )
    assert str(event(AS_OF, "-2.2.a@oagtrack")["SUMMARY"]).startswith(
        "2.2.a [printed 2.2 a.] design the departure"
    )  # the id, and the printed number


def test_completed_events_marked_and_without_reminders():
    """A completed milestone says Done in its summary and category, and nags no one."""
    events = icalendar.Calendar.from_ical(calendar_of(FIXTURES / "small.yaml")).walk("VEVENT")
    done = next(e for e in events if str(e["UID"]).endswith("-1.1@oagtrack"))
    assert str(done["SUMMARY"]).startswith("Done: 1.1 ")
    assert "CONFIRMED" == str(done["STATUS"])
    assert [] == done.walk("VALARM")
    open_one = next(e for e in events if str(e["UID"]).endswith("-2.1@oagtrack"))
    assert [timedelta(days=-30), timedelta(days=-7)] == [a["TRIGGER"].dt for a in open_one.walk("VALARM")]
    assert ["DISPLAY", "DISPLAY"] == [str(a["ACTION"]) for a in open_one.walk("VALARM")]


def test_todo_mode():
    """VTODO: DUE date, COMPLETED and PERCENT-COMPLETE for done items, alarms relative to the due date."""
    cal = icalendar.Calendar.from_ical(calendar_of(FIXTURES / "small.yaml", todo=True, reminders=(timedelta(days=14),)))
    todos = cal.walk("VTODO")
    assert 8 == len(todos) and [] == cal.walk("VEVENT")
    done = next(t for t in todos if str(t["UID"]) == "oag-test-small-1.1-todo@oagtrack")
    assert ("COMPLETED", 100, date(2020, 9, 30)) == (str(done["STATUS"]), int(done["PERCENT-COMPLETE"]), done["DUE"].dt)
    assert date(2020, 9, 15) == done["COMPLETED"].dt.date()
    started = next(t for t in todos if str(t["UID"]) == "oag-test-small-1.2-todo@oagtrack")
    assert "IN-PROCESS" == str(started["STATUS"])
    assert "TRIGGER;RELATED=END:-P14D" in unfold(
        calendar_of(FIXTURES / "small.yaml", todo=True, reminders=(timedelta(days=14),))
    )


def test_no_reminders():
    assert "VALARM" not in calendar_of(FIXTURES / "small.yaml", reminders=())


def test_every_line_is_crlf_and_at_most_75_octets():
    """Hostile text with multi-byte characters folds without splitting a character."""
    text = calendar_of(FIXTURES / "hostile.yaml")
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # raises if a character was split


def test_hostile_text_escaped_and_read_back_exactly():
    """icalendar reads back the summary and description with commas, semicolons, backslashes, newlines."""
    plan = plan_of(FIXTURES / "hostile.yaml")
    rows = standings(plan, AS_OF)
    events = icalendar.Calendar.from_ical(ics.calendar(plan, rows, AS_OF)).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in events}
    item = next(s for s in rows if s.milestone.id == "1.2")
    event = by_uid["oag-test-hostile-1.2@oagtrack"]
    expected = visible(ics.description(plan, item).replace("\r\n", "\n").replace("\r", "\n"))
    assert expected == str(event["DESCRIPTION"])
    assert "Line one | cell\nLine two, with comma; semicolon \\ backslash" in str(event["DESCRIPTION"])
    assert "\x1b" not in calendar_of(FIXTURES / "hostile.yaml") and "\u202e" not in calendar_of(
        FIXTURES / "hostile.yaml"
    )


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("one\ntwo", "one\\ntwo"),
        ("one\r\ntwo\rthree", "one\\ntwo\\nthree"),
        ("esc\x1b", "esc\\\\x1b"),
    ],
)
def test_escape_text(raw, escaped):
    assert escaped == ics.escape_text(raw)


@given(st.text(max_size=300))
def test_fold_round_trips(text):
    """Folding then unfolding gives the line back; no physical line exceeds 75 octets."""
    line = "DESCRIPTION:" + ics.escape_text(text)
    folded = ics.fold(line)
    assert folded.endswith("\r\n")
    assert line == folded[:-2].replace("\r\n ", "")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded[:-2].split("\r\n"))
