"""Each milestone's state on a given day, including the history replayed as of that day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import BUNDLED_PLAN, SMALL_PLAN

from oagtrack.core import query
from oagtrack.core.history import milestone_as_of
from oagtrack.core.query import Filters, by_lead, by_recommendation, count_states, overdue, stand, standings, upcoming
from oagtrack.core.validate import validate_bytes

TODAY = date(2030, 1, 1)


def load(text: str):
    plan, problems = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert problems == []
    return plan


@pytest.fixture(scope="module")
def bundled():
    return load(BUNDLED_PLAN.read_text(encoding="utf-8"))


def with_11(extra: str) -> str:
    """The small plan with lines added to action 1.1 (due 2020-09-30)."""
    return SMALL_PLAN.replace("        status: not-started\n", extra, 1)


def state_of(text: str, as_of: date, item: str = "1.1") -> query.Standing:
    plan = load(text)
    milestone = next(m for m in plan.milestones() if m.id == item)
    return stand(plan, milestone, as_of)


@pytest.mark.parametrize(
    ("as_of", "state", "countdown"),
    [
        (date(2020, 8, 30), "open", 31),  # 31 days ahead: outside the 30-day window
        (date(2020, 8, 31), "due-soon", 30),  # exactly 30 days ahead
        (date(2020, 9, 29), "due-soon", 1),
        (date(2020, 9, 30), "due-soon", 0),  # due today is not overdue
        (date(2020, 10, 1), "overdue", -1),  # due yesterday
    ],
)
def test_state_boundaries_around_the_due_date(as_of, state, countdown):
    standing = state_of(SMALL_PLAN, as_of)
    assert (standing.state, standing.days_left) == (state, countdown)
    assert standing.days_overdue == (1 if state == "overdue" else 0)


def entries(*lines: str) -> str:
    """History entries for action 1.1, one `- date: D` entry per string of `key: value` lines joined by `/`."""
    out = ["        history:\n"]
    for entry in lines:
        first, *rest = entry.split(" / ")
        out.append(f"          - {first}\n")
        out.extend(f"            {line}\n" for line in rest)
    return "".join(out)


def test_completed_on_the_due_date_is_on_time():
    text = with_11("        status: complete\n" + entries("date: 2020-09-30 / event: completed / evidence: [a.pdf]"))
    standing = state_of(text, date(2020, 12, 1))
    assert (standing.state, standing.days_late, standing.completed) == ("complete", 0, date(2020, 9, 30))


def test_completed_a_day_late_is_complete_late():
    text = with_11("        status: complete\n" + entries("date: 2020-10-01 / event: completed / evidence: [a.pdf]"))
    standing = state_of(text, date(2020, 12, 1))
    assert (standing.state, standing.days_late) == ("complete-late", 1)


def test_a_completion_is_not_seen_before_it_happens():
    text = with_11("        status: complete\n" + entries("date: 2021-03-01 / event: completed / evidence: [a.pdf]"))
    before = state_of(text, date(2021, 1, 31))
    assert (before.state, before.status, before.completed, before.milestone.evidence) == (
        "overdue",
        "not-started",
        None,
        (),
    )
    assert state_of(text, date(2021, 3, 1)).state == "complete-late"


def test_a_revision_is_not_seen_before_it_was_made():
    text = SMALL_PLAN.replace(
        "        due: 2020-09-30\n        status: not-started\n",
        (
            "        due: 2021-06-30\n        status: in-progress\n"
            + entries(
                "date: 2020-09-01 / event: started",
                "date: 2021-02-15 / event: revised / from: 2020-09-30 / to: 2021-06-30 / reason: Partner data late.",
            )
        ),
    )
    before, after = state_of(text, date(2021, 1, 31)), state_of(text, date(2021, 2, 15))
    assert (before.due, before.state, before.revisions) == (date(2020, 9, 30), "overdue", ())
    assert (after.due, after.state, after.original_due, after.slip_days) == (
        date(2021, 6, 30),
        "open",
        date(2020, 9, 30),
        273,
    )
    assert (before.status, state_of(text, date(2020, 8, 1)).status) == ("in-progress", "not-started")


def test_a_reopened_completion_counts_only_while_it_stood():
    text = with_11(
        "        status: reopened\n"
        + entries(
            "date: 2020-09-15 / event: completed / evidence: [a.pdf]",
            "date: 2020-11-01 / event: reopened / reason: Evidence incomplete.",
        )
    )
    assert (state_of(text, date(2020, 10, 1)).state, state_of(text, date(2020, 10, 1)).completed) == (
        "complete",
        date(2020, 9, 15),
    )
    reopened = state_of(text, date(2020, 11, 1))
    assert (reopened.state, reopened.status, reopened.completed) == ("overdue", "reopened", None)


def test_verified_status_replays_from_its_date():
    text = with_11(
        "        status: verified\n"
        + entries(
            "date: 2020-09-15 / event: completed / evidence: [a.pdf]",
            "date: 2020-10-15 / event: verified / by: Internal Audit",
        )
    )
    assert (state_of(text, date(2020, 10, 14)).status, state_of(text, date(2020, 10, 14)).verified) == (
        "complete",
        None,
    )
    verified = state_of(text, date(2020, 10, 15))
    assert (verified.status, verified.verified, verified.verified_by) == (
        "verified",
        date(2020, 10, 15),
        "Internal Audit",
    )


def test_outcomes_are_milestones_and_go_overdue_too(bundled):
    late = overdue(bundled, date(2021, 1, 31))
    assert [(s.id, s.milestone.kind) for s in late if s.milestone.kind == "outcome"] == [
        ("2.outcome", "outcome"),
        ("1.outcome", "outcome"),
    ]


def test_overdue_on_the_bundled_plan(bundled):
    """As of 2021-01-31: 8 actions or steps and 2 outcomes, most overdue first."""
    late = overdue(bundled, date(2021, 1, 31))
    assert [(s.id, s.days_overdue) for s in late] == [
        ("1.4", 306),
        ("1.1", 123),
        ("2.1", 123),
        ("3.4b.a", 123),
        ("2.2", 92),
        ("2.outcome", 92),
        ("1.2", 55),
        ("3.4a", 31),
        ("1.3", 1),
        ("1.outcome", 1),
    ]
    assert overdue(bundled, date(2020, 1, 1)) == []
    assert len(overdue(bundled, date(2022, 1, 1))) == 15


def test_overdue_by_lead(bundled):
    late = overdue(bundled, date(2021, 1, 31), filters=Filters(leads=frozenset({"giles"})))
    assert [s.id for s in late] == ["3.4b.a", "3.4a"]


def test_filters_by_org_recommendation_and_state(bundled):
    rows = standings(bundled, date(2021, 1, 31), filters=Filters(orgs=frozenset({"ircc"})))
    assert [s.id for s in rows] == ["3.4a", "3.4b.a", "3.4b.b", "3.outcome"]
    rows = standings(
        bundled, date(2021, 1, 31), filters=Filters(recommendations=frozenset({"2"}), states=frozenset({"overdue"}))
    )
    assert [s.id for s in rows] == ["2.1", "2.2", "2.outcome"]


def test_upcoming_within_a_window(bundled):
    rows = upcoming(bundled, date(2021, 1, 31), timedelta(days=60))
    assert [(s.id, s.days_left, s.state) for s in rows] == [
        ("3.1", 40, "due-soon"),
        ("3.2", 58, "due-soon"),
        ("3.3", 58, "due-soon"),
        ("3.outcome", 58, "due-soon"),
    ]
    assert upcoming(bundled, date(2021, 1, 31), timedelta(days=30)) == []


def test_roll_ups_per_recommendation_and_lead(bundled):
    rows = standings(bundled, date(2021, 1, 31))
    assert count_states(rows) == {
        "complete": 0,
        "complete-late": 0,
        "overdue": 10,
        "due-soon": 0,
        "open": 5,
        "retired": 0,
    }
    per_rec = by_recommendation(rows)
    assert {rec: (c["overdue"], c["open"]) for rec, c in per_rec.items()} == {"1": (5, 0), "2": (3, 0), "3": (2, 5)}
    per_lead = by_lead(rows)
    assert {key: c["overdue"] for key, c in per_lead.items()} == {"doan": 2, "giles": 2, "harris": 7, "thompson": 2}


# -- reopen, restart and verification replayed as of each day (#3) ----------------------------
def _edited(*updates) -> object:
    """The update tests' small plan after `updates` (edit functions taking text), validated."""
    from pathlib import Path

    from oagtrack.core import edit

    text = (Path(__file__).parent / "fixtures" / "edit" / "small.yaml").read_text(encoding="utf-8")
    for name, *args in updates:
        text = getattr(edit, name)(text, *args, today=TODAY)
    return load(text)


D = date.fromisoformat


@pytest.fixture(scope="module")
def restarted_11():
    """1.1: started 09-01, complete 09-28, verified 10-05, reopened 10-20, restarted 12-05."""
    plan = _edited(
        ("start", "1.1", D("2020-09-01")),
        ("complete", "1.1", D("2020-09-28"), ("e.pdf",)),
        ("verify", "1.1", D("2020-10-05"), "IA"),
        ("reopen", "1.1", "Evidence incomplete", D("2020-10-20")),
        ("start", "1.1", D("2020-12-05")),
    )
    return plan.find("1.1")


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2020-08-31", "not-started"),
        ("2020-09-01", "in-progress"),
        ("2020-09-27", "in-progress"),
        ("2020-09-28", "complete"),
        ("2020-10-04", "complete"),
        ("2020-10-05", "verified"),
        ("2020-10-19", "verified"),
        ("2020-10-20", "reopened"),
        ("2020-12-04", "reopened"),
        ("2020-12-05", "in-progress"),
        ("2021-06-01", "in-progress"),
    ],
)
def test_status_replays_start_completion_verification_reopening_and_restart(restarted_11, day, status):
    """Each recorded date turns the status on that day, not before: the milestone and its standing agree."""
    assert status == milestone_as_of(restarted_11, D(day)).status
    assert status == stand(_edited(), restarted_11, D(day)).status


def test_a_restart_keeps_the_first_start_and_is_dated_in_history(restarted_11):
    """A restart is another started entry; the reopening carries
    (replayed) the completion and verification it withdrew."""
    assert (restarted_11.status, restarted_11.started, restarted_11.completed, restarted_11.evidence) == (
        "in-progress",
        D("2020-09-01"),
        None,
        ("e.pdf",),
    )
    assert [
        ("started", D("2020-09-01")),
        ("completed", D("2020-09-28")),
        ("verified", D("2020-10-05")),
        ("reopened", D("2020-10-20")),
        ("started", D("2020-12-05")),
    ] == [(e.kind, e.on) for e in restarted_11.history]
    reopening = restarted_11.history[3]
    assert (D("2020-09-28"), D("2020-10-05"), "IA", "Evidence incomplete") == (
        reopening.completed,
        reopening.verified,
        reopening.verified_by,
        reopening.reason,
    )


@pytest.mark.parametrize(
    ("day", "verified", "by"),
    [
        ("2020-10-04", None, ""),
        ("2020-10-05", D("2020-10-05"), "IA"),
        ("2020-10-19", D("2020-10-05"), "IA"),
        ("2020-10-20", None, ""),
    ],
)
def test_a_withdrawn_verification_is_replayed_until_the_reopening(restarted_11, day, verified, by):
    plan = _edited()
    standing = stand(plan, restarted_11, D(day))
    assert (verified, by) == (standing.verified, standing.verified_by)
    as_of = milestone_as_of(restarted_11, D(day))
    assert (verified, by) == (as_of.verified, as_of.verified_by)


@pytest.mark.parametrize(
    ("day", "started"), [("2020-08-31", None), ("2020-09-01", D("2020-09-01")), ("2021-01-01", D("2020-09-01"))]
)
def test_the_standing_knows_the_start_only_from_its_day(restarted_11, day, started):
    assert started == stand(_edited(), restarted_11, D(day)).started


@pytest.mark.parametrize(
    ("day", "status", "started"),
    [
        ("2021-01-14", "not-started", None),
        ("2021-01-15", "complete", None),
        ("2021-02-01", "reopened", None),
        ("2021-02-02", "reopened", None),
        ("2021-02-03", "in-progress", D("2021-02-03")),
    ],
)
def test_a_first_start_after_a_reopening_records_started(day, status, started):
    """1.2 was completed without a start; reopened 02-01, then started
    02-03: a started entry records it, and `started` is its date."""
    plan = _edited(("reopen", "1.2", "r", D("2021-02-01")), ("start", "1.2", D("2021-02-03")))
    milestone = plan.find("1.2")
    assert (milestone.started, milestone.history[-1].kind, milestone.history[-1].on) == (
        D("2021-02-03"),
        "started",
        D("2021-02-03"),
    )
    assert (status, started) == (milestone_as_of(milestone, D(day)).status, stand(plan, milestone, D(day)).started)


def test_a_restart_on_the_day_of_the_reopening_wins_that_day():
    """History is oldest first: the restart recorded after the reopening is the later of the two."""
    milestone = _edited(("reopen", "1.2", "r", D("2021-02-01")), ("start", "1.2", D("2021-02-01"))).find("1.2")
    assert ("complete", "in-progress") == (
        milestone_as_of(milestone, D("2021-01-31")).status,
        milestone_as_of(milestone, D("2021-02-01")).status,
    )


def test_a_second_start_without_a_reopening_and_an_unrecorded_restart_are_refused():
    """A start follows not-started or a reopening; in-progress after a reopening needs its start dated in history."""
    stray = with_11(
        "        status: in-progress\n"
        + entries("date: 2020-09-01 / event: started", "date: 2020-09-02 / event: started")
    )
    _, problems = validate_bytes(stray.encode(), "p.yaml", TODAY)
    assert [
        "p.yaml:32:13: action 1.1: cannot be started on 2020-09-02: it is already in-progress (started 2020-09-01); "
        "start applies to a milestone not started or reopened",
    ] == [str(p) for p in problems]
    undated = with_11(
        "        status: in-progress\n"
        + entries(
            "date: 2020-09-01 / event: completed / evidence: [a.pdf]",
            "date: 2020-09-02 / event: reopened / reason: r",
        )
    )
    _, problems = validate_bytes(undated.encode(), "p.yaml", TODAY)
    assert [
        "p.yaml:28:17: action 1.1: status in-progress, but its history (completed, reopened) makes it reopened; "
        "record each change with the oagtrack commands, which write both",
    ] == [str(p) for p in problems]
    restarted = undated.replace(
        "event: reopened\n            reason: r\n",
        "event: reopened\n            reason: r\n          - date: 2020-09-03\n            event: restarted\n",
    )
    _, problems = validate_bytes(restarted.encode(), "p.yaml", TODAY)
    assert [  # the entry that cannot be read is named; the status it would have explained is not blamed too
        "p.yaml:37:20: action 1.1 history event: 'restarted' is not one of: "
        "started, completed, verified, reopened, revised, note, retired (did you mean 'started'?)",
    ] == [str(p) for p in problems]


def test_a_reopened_entry_records_only_its_reason_and_a_verification_needs_its_verifier_and_a_completion():
    """Version 1 wrote on a reopening what it withdrew; version 2
    replays that, and checks the verification where it is dated."""
    v1_keys = with_11(
        "        status: reopened\n"
        + entries(
            "date: 2020-09-01 / event: completed / evidence: [a.pdf]",
            "date: 2020-09-20 / event: reopened / completed: 2020-09-01 / verified: 2020-09-05 / reason: r",
        )
    )
    unsigned = with_11(
        "        status: verified\n"
        + entries(
            "date: 2020-09-01 / event: completed / evidence: [a.pdf]",
            "date: 2020-09-05 / event: verified",
        )
    )
    late = with_11(
        "        status: reopened\n"
        + entries(
            "date: 2020-09-01 / event: completed / evidence: [a.pdf]",
            "date: 2020-09-20 / event: reopened / reason: r",
            "date: 2020-09-25 / event: verified / by: IA",
        )
    )
    messages = [
        [str(p) for p in validate_bytes(text.encode(), "p.yaml", TODAY)[1]] for text in (v1_keys, unsigned, late)
    ]
    assert [
        [
            "p.yaml:35:13: action 1.1 history: unknown key 'completed': version 2 writes it as a dated history entry "
            "(event: completed); `oagtrack migrate` rewrites a version-1 plan",
            "p.yaml:36:13: action 1.1 history: unknown key 'verified': version 2 writes it as a dated history entry "
            "(event: verified); `oagtrack migrate` rewrites a version-1 plan",
        ],
        ["p.yaml:33:13: action 1.1: a verified entry needs 'by'"],
        [
            "p.yaml:36:13: action 1.1: cannot be verified on 2020-09-25: it is reopened; "
            "only a complete milestone can be verified: complete it first"
        ],
    ] == messages
