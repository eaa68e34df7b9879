"""The progress core: summary, slippage, stale items and changes, replayed for a day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import BUNDLED_PLAN

from oagtrack.core import metrics as progress
from oagtrack.core.query import Filters, standings
from oagtrack.core.store import load_plan

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
AS_OF = date(2021, 1, 31)
TODAY = date(2030, 1, 1)


@pytest.fixture(scope="module")
def small():
    return load_plan(FIXTURES / "small.yaml", TODAY).plan


@pytest.fixture(scope="module")
def bundled():
    return load_plan(BUNDLED_PLAN, TODAY).plan


def ids(items) -> list[str]:
    return [item.standing.milestone.id if hasattr(item, "standing") else item.milestone.id for item in items]


def test_summary_parts_add_up(small):
    """On time, late, overdue, due within 90 days and later partition the milestones."""
    summary = progress.summarize(standings(small, AS_OF))
    assert progress.Summary(total=8, on_time=1, late=1, verified=1, overdue=1, due_soon=3, not_yet_due=2) == summary
    assert 25.0 == summary.percent_implemented


def test_percent_implemented_of_nothing_is_zero():
    """An empty selection is 0% implemented, not a division error."""
    assert 0.0 == progress.percent_implemented([])


def test_summary_per_org_counts_a_milestone_once_per_org(small):
    """CBSA leads five milestones (outcome 1 by inheritance), IRCC three."""
    groups = progress.by_org(standings(small, AS_OF))
    assert [("CBSA", 5, 2), ("IRCC", 3, 0)] == [(g.key, g.summary.total, g.summary.complete) for g in groups]


def test_summary_per_lead_in_people_order(small):
    """Leads are listed in the order of people:, with their organization."""
    groups = progress.by_lead(small, standings(small, AS_OF))
    assert [("harris", "Scott Harris (CBSA)", 5), ("giles", "Dr. Nicole Giles (IRCC)", 3)] == [
        (g.key, g.name, g.summary.total) for g in groups
    ]


def test_slippage_from_history(small):
    """1.2 was revised twice, 151 days in all; 1 of the 4 milestones measured met its original date."""
    s = progress.slippage("all", "All", standings(small, AS_OF))
    assert (8, 1, 2, 151, 151, 4, 1) == (
        s.milestones,
        s.revised,
        s.revisions,
        s.days_slipped,
        s.max_slip,
        s.measured,
        s.on_time,
    )
    assert 25.0 == s.on_time_rate


def test_slippage_per_recommendation_and_lead(small):
    rows = standings(small, AS_OF)
    per_rec = progress.slippage_by_recommendation(rows)
    assert [("1", 2, 151, 3, 1), ("2", 0, 0, 1, 0)] == [
        (s.key, s.revisions, s.days_slipped, s.measured, s.on_time) for s in per_rec
    ]
    per_lead = progress.slippage_by_lead(small, rows)
    assert [("harris", 151, 4, 1), ("giles", 0, 0, 0)] == [
        (s.key, s.days_slipped, s.measured, s.on_time) for s in per_lead
    ]
    assert per_lead[1].on_time_rate is None


def test_slippage_is_replayed_for_an_earlier_day(small):
    """On 2020-12-31 only the first revision had been made: +61 days."""
    s = progress.slippage("all", "All", [r for r in standings(small, date(2020, 12, 31)) if r.milestone.id == "1.2"])
    assert (1, 61) == (s.revisions, s.days_slipped)


def test_completion_dates_of_the_whole_plan(small, bundled):
    """The latest original and current dates; revisions move only 1.2, not the end of the plan."""
    assert (date(2021, 9, 30), date(2021, 9, 30)) == progress.completion_dates(standings(small, AS_OF))
    rows = standings(small, AS_OF, filters=Filters(recommendations=frozenset({"1"})))
    assert (date(2021, 3, 31), date(2021, 3, 31)) == progress.completion_dates(rows)
    only_12 = [r for r in rows if r.milestone.id == "1.2"]
    assert (date(2020, 10, 31), date(2021, 3, 31)) == progress.completion_dates(only_12)
    assert (None, None) == progress.completion_dates([])


def test_stale_items_quietest_first(small):
    """Open items never touched come first, then 2.2.a, quiet since its start 214 days ago."""
    found = progress.stale(standings(small, AS_OF))
    assert ["1.outcome", "2.2.b", "2.outcome", "2.2.a"] == ids(found)
    assert (date(2020, 7, 1), "started", 214) == (found[-1].last_activity, found[-1].last_kind, found[-1].days_quiet)
    assert found[0].days_quiet is None


def test_stale_threshold_is_an_argument(small):
    """With an 11-day threshold the note of 2021-01-20 (11 days
    ago) is recent enough, the reopening of 2021-01-05 is not."""
    found = progress.stale(standings(small, AS_OF), timedelta(days=11))
    assert ["1.outcome", "2.2.b", "2.outcome", "2.2.a", "2.1"] == ids(found)
    assert "reopened" == found[-1].last_kind


def test_changes_since_start_of_quarter(small):
    """Everything recorded from 2021-01-01 to the as-of date, oldest first."""
    found = progress.changes(standings(small, AS_OF), date(2021, 1, 1))
    assert [
        (date(2021, 1, 5), "reopened", "2.1"),
        (date(2021, 1, 10), "verified", "1.1"),
        (date(2021, 1, 12), "completed", "1.3"),
        (date(2021, 1, 15), "revised", "1.2"),
        (date(2021, 1, 20), "noted", "1.2"),
    ] == [(c.on, c.kind, c.standing.milestone.id) for c in found]
    revised = found[3]
    assert (date(2020, 12, 31), date(2021, 3, 31), "Vendor contract signed late") == (
        revised.from_due,
        revised.to_due,
        revised.reason,
    )


def test_changes_include_a_withdrawn_completion(small):
    """2.1's completion of 2020-11-20 shows, marked withdrawn once the reopening is on record."""
    found = [c for c in progress.changes(standings(small, AS_OF), date(2020, 9, 1)) if c.kind == "completed"]
    assert [("1.1", False), ("2.1", True), ("1.3", False)] == [(c.standing.milestone.id, c.withdrawn) for c in found]
    before = [
        c for c in progress.changes(standings(small, date(2020, 12, 31)), date(2020, 9, 1)) if c.kind == "completed"
    ]
    assert [("1.1", False), ("2.1", False)] == [(c.standing.milestone.id, c.withdrawn) for c in before]


def test_changes_ignore_what_happened_after_as_of(small):
    """As of 2021-01-12, the revision of 01-15 and the note of 01-20 have not happened."""
    found = progress.changes(standings(small, date(2021, 1, 12)), date(2021, 1, 1))
    assert ["reopened", "verified", "completed"] == [c.kind for c in found]


def test_default_since_is_start_of_fiscal_quarter():
    assert date(2021, 1, 1) == progress.default_since(date(2021, 1, 31))
    assert date(2020, 4, 1) == progress.default_since(date(2020, 6, 30))


def test_details_keep_plan_order_and_group_steps(small):
    """Recommendation 2's action 2.2 is a group holding its two steps."""
    found = progress.details(small, standings(small, AS_OF))
    assert ["1", "2"] == [d.recommendation.id for d in found]
    group = found[1].actions[1]
    assert ("2.2", None, ["2.2.a", "2.2.b"]) == (group.action.id, group.standing, [s.milestone.id for s in group.steps])


def test_build_with_filters_keeps_only_admitted(small):
    """--rec 2 leaves recommendation 2 only, and the report says it is filtered."""
    report = progress.build(small, AS_OF, filters=Filters(recommendations=frozenset({"2"})))
    assert (4, ["2"], True) == (report.summary.total, [d.recommendation.id for d in report.details], report.filtered)
    assert ["reopened"] == [c.kind for c in report.changes]


def test_build_on_bundled_plan(bundled):
    """The bundled plan has no progress: nothing complete, ten overdue on 2021-01-31."""
    report = progress.build(bundled, AS_OF)
    assert (15, 0, 10, 4, 1) == (
        report.summary.total,
        report.summary.complete,
        report.summary.overdue,
        report.summary.due_soon,
        report.summary.not_yet_due,
    )
    assert (date(2021, 1, 1), (), False) == (report.since, report.changes, report.filtered)
    assert 15 == len(report.stale)


# -- where each recommendation stands (issue 12) -------------------------------------
def test_each_recommendation_has_a_status_and_its_milestones_done(small):
    """Recommendation 1: 2 of its 4 milestones done, in progress; 2: none done, but 2.2.a started and 2.1 reopened."""
    found = progress.recommendations(small, standings(small, AS_OF))
    assert [("1", "in progress", 2, 4, 0), ("2", "in progress", 0, 4, 0)] == [
        (p.recommendation.id, p.status, p.done, p.applicable, p.retired) for p in found
    ]
    assert [p.recommendation.id for p in found] == [d.recommendation.id for d in progress.build(small, AS_OF).details]
    assert found == [d.progress for d in progress.build(small, AS_OF).details]


def test_a_recommendation_is_not_started_until_a_milestone_is_started_or_done(small):
    """On 2020-05-31 nothing had been recorded: both not started; by 2020-06-01 1.1 had been started."""
    assert ["not started", "not started"] == [
        p.status for p in progress.recommendations(small, standings(small, date(2020, 5, 31)))
    ]
    assert ["in progress", "not started"] == [
        p.status for p in progress.recommendations(small, standings(small, date(2020, 6, 1)))
    ]


def test_a_recommendation_is_implemented_when_every_milestone_still_applying_is_done(small):
    """Every milestone of recommendation 1 complete but one retired: implemented, 3 of 3 done, the retired one apart."""
    rows = standings(small, AS_OF)
    rec = small.recommendations[0]
    mine = [s for s in rows if s.milestone.recommendation == "1"]
    done = next(s for s in mine if s.is_done)
    retired = mine[0]._replace(state="retired", status="retired")
    implemented = progress.recommendation_progress(rec, [retired] + [done] * 3)
    assert ("implemented", 3, 3, 1) == (
        implemented.status,
        implemented.done,
        implemented.applicable,
        implemented.retired,
    )
    assert "retired" == progress.recommendation_progress(rec, [retired]).status
    assert "in progress" == progress.recommendation_progress(rec, [done, mine[1]]).status
