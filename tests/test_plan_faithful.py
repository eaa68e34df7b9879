"""The bundled plan.yaml says what the source MAP says: every text, date, number and person.

The source is the PDF-extracted MAP (tests/data/), whose table columns came out
interleaved; texts are checked to be made of a few long runs of its words.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
SEED = (Path(__file__).parent / "data" / "seed_map_2020_immigration_removals.txt").read_text(encoding="utf-8")
DATE_WORDS = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})"
)


def _normalise(text: str) -> str:
    text = text.replace("•", " ")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)  # words hyphenated across a PDF line break
    return " ".join(text.split())


SOURCE = _normalise(SEED)


@pytest.fixture(scope="module")
def plan():
    loaded, problems = validate_bytes((ROOT / "plan.yaml").read_bytes(), "plan.yaml", date(2026, 1, 1))
    assert problems == []
    return loaded


def _fragments(text: str) -> list[str]:
    """Cover `text` greedily with the longest runs of words found in the source."""
    words = _normalise(text).split()
    runs, start = [], 0
    while start < len(words):
        end = start + 1
        if " ".join(words[start:end]) not in SOURCE:
            raise AssertionError(f"word {words[start]!r} of {text[:40]!r} is not in the source")
        while end < len(words) and " ".join(words[start : end + 1]) in SOURCE:
            end += 1
        runs.append(" ".join(words[start:end]))
        start = end
    return runs


def _all_texts(plan):
    for rec in plan.recommendations:
        yield f"recommendation {rec.id}", rec.text
        for bullet in rec.bullets:
            yield f"recommendation {rec.id} bullet", bullet
        yield f"response {rec.id}", rec.response.text
        for item in plan.items():
            if item.recommendation == rec.id:
                yield item.id, item.text


def test_every_text_is_the_source_text(plan):
    """Each text is a few long runs of the source (split only where the PDF interleaved columns)."""
    for where, text in _all_texts(plan):
        runs = _fragments(text)
        assert len(runs) <= 3, (where, runs)
        assert all(len(run.split()) >= 2 for run in runs[1:]), (where, runs)


def test_responses_include_the_parts_after_the_lead_column(plan):
    responses = {rec.id: rec.response.text for rec in plan.recommendations}
    assert "and better track, the timely removal of individuals from Canada" in responses["1"]
    assert responses["2"].endswith(
        "implementing these initiatives to encourage voluntary compliance with removals. "
        "These initiatives will be implemented by Q4 in the 2020-21 fiscal year."
    )
    assert "integrity challenges. The Agency will also work with its partners" in responses["3"]
    assert [rec.response.agreed for rec in plan.recommendations] == [True, True, True]


def test_recommendation_3_has_its_four_bullets(plan):
    bullets = plan.recommendations[2].bullets
    assert len(bullets) == 4
    assert bullets[0].startswith("Further check the accuracy")
    assert (
        bullets[3]
        == "In conjunction with IRCC, establish a process to ensure that any new information entering the database "
        "is accurate and timely."
    )


def test_action_numbers_are_those_printed(plan):
    printed = set(re.findall(r"(?<![\w.])(\d\.\d)\s+(?=[A-Z]|a\))", SEED))
    assert printed == {"1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4"}
    actions = [action.display_id for rec in plan.recommendations for action in rec.actions]
    assert actions == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4 a)", "3.4 b)"]
    steps = plan.recommendations[2].actions[-1].steps
    assert [step.label for step in steps] == ["a.", "b."]


def test_every_date_is_the_one_printed_after_its_text(plan):
    """The first date printed after the end of each milestone's text is its due date."""
    for milestone in plan.milestones():
        tail = _fragments(milestone.text)[-1]
        assert SOURCE.count(tail) == 1, (milestone.id, tail)
        position = SOURCE.find(tail)
        assert position >= 0, milestone.id
        match = DATE_WORDS.search(SOURCE, position)
        printed = datetime.strptime(" ".join(match.groups()), "%B %d %Y").date()
        assert (milestone.id, milestone.due) == (milestone.id, printed)


def test_the_plan_uses_every_printed_date(plan):
    printed = {datetime.strptime(" ".join(m), "%B %d %Y").date() for m in DATE_WORDS.findall(SOURCE)}
    assert printed == {m.due for m in plan.milestones()}
    assert len(list(plan.milestones())) == 15


@pytest.mark.parametrize(
    ("key", "org", "printed"),
    [
        ("harris", "CBSA", "Scott Harris Vice-President Intelligence and Enforcement Branch 613-948-4111"),
        ("doan", "CBSA", "Minh Doan Vice-President Information, Science and Technology Branch 613-948-9694"),
        ("thompson", "CBSA", "Kathy Thompson Vice-President Strategic Policy Branch 613-941-4937"),
        ("giles", "IRCC", "Dr. Nicole Giles, Associate Assistant Deputy Minister, Operations 613-437-8211"),
    ],
)
def test_every_lead_is_as_printed(plan, key, org, printed):
    """Name, title, branch and phone stand together in the lead column, under their organization's heading."""
    assert printed in SOURCE
    person = plan.people[key]
    for part in (person.full_name, person.title, person.branch, person.phone):
        assert part in printed
    assert person.org == org
    # Each organization's heading is printed above its first lead only.
    if key in ("harris", "giles"):
        assert f"{org} {printed}" in SOURCE


def test_leads_sit_beside_their_actions(plan):
    leads = {item.id: item.leads for item in plan.items()}
    assert leads["1.1"] == leads["1.2"] == ("harris",)
    assert leads["1.3"] == ("doan",)
    assert leads["1.4"] == ("thompson",)
    assert leads["3.4b.a"] == leads["3.4b.b"] == ("giles",)
    assert leads["1.outcome"] == ("harris", "doan", "thompson")


def test_no_progress_is_invented(plan):
    assert {m.status for m in plan.milestones()} == {"not-started"}
    assert all(not m.history and not m.completed and not m.evidence for m in plan.milestones())


def test_dates_are_iso_and_ids_quoted_in_the_file():
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in re.findall(r"^\s*due: (.*)$", text, re.M))
    assert all(i.startswith('"') for i in re.findall(r"^\s*- id: (.*)$", text, re.M))
