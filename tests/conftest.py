"""Shared fixtures: the bundled plan and a small plan to mutate."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_PLAN = ROOT / "plan.yaml"


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_its_own(tmp_path_factory):
    """The plan cache of the test run, in a temporary folder: never the user's, shared by child processes."""
    patch = pytest.MonkeyPatch()
    patch.setenv("OAGTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("plan-cache")))
    patch.setenv("OAGTRACK_LANG", "en")  # whatever the developer's locale: French is asked for with --lang fr
    yield
    patch.undo()


#: A small valid plan; tests replace lines in it to make one thing wrong.
SMALL_PLAN = """\
schema_version: 2
audit:
  id: test-audit
  title: Test audit
people:
  ana:
    name: Ana Lead
    org: CBSA
    phone: 613-555-0100
  bo:
    name: Bo Second
    org: IRCC
recommendations:
  - id: "1"
    text: Do the thing.
    leads: [ana]
    response:
      agreed: true
      text: Agreed.
    outcome:
      id: "1.outcome"
      text: The thing is done.
      due: 2021-03-31
    actions:
      - id: "1.1"
        text: First action.
        due: 2020-09-30
        status: not-started
      - id: "1.2"
        text: Second action.
        due: 2021-01-31
        leads: [bo]
      - id: "1.3"
        text: An action in two steps.
        steps:
          - id: "1.3.a"
            text: Step one.
            due: 2020-12-31
          - id: "1.3.b"
            text: Step two.
            due: 2021-06-30
"""


@pytest.fixture
def small_plan_text() -> str:
    return SMALL_PLAN


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled plan, safe to change."""
    copy = tmp_path / "plan.yaml"
    copy.write_bytes(BUNDLED_PLAN.read_bytes())
    return copy
