"""The parse cache: a hit gives the very model the text gives, and nothing but the same bytes ever hits.

The cache is judged against the reader it stands in for: every model it
returns is compared, positions included, with the model read from the text.
Hostile entries (a pickle built to run code, truncated JSON, the right
shape with the wrong types, another version's entry) are written where the
cache looks, and each must be ignored, leave no trace of running, and be
replaced by a good entry.
"""

from __future__ import annotations

import json
import os
import pickle
from datetime import date
from pathlib import Path

import pytest

from oagtrack.core import cache as cache_module
from oagtrack.core.cache import Cache, enabled, folder, key_of
from oagtrack.core.portfolio import read_plans, shared_people_for
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 2)
PLANS = [ROOT / "plan.yaml", *sorted((ROOT / "examples" / "portfolio" / "plans").glob("*.yaml"))]
PLANS += sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yaml"))


def same_everywhere(a: object, b: object) -> bool:
    """Equal field by field, positions (`at`, which `==` leaves out) included."""
    if isinstance(a, tuple) and hasattr(a, "_fields"):
        return type(a) is type(b) and tuple(a) == tuple(b) and all(same_everywhere(x, y) for x, y in zip(a, b))
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(same_everywhere(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_everywhere(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def valid(path: Path):
    data = path.read_bytes()
    plan, problems = validate_bytes(data, str(path), TODAY, shared_people=shared_people_for(path, TODAY))
    assert plan is not None, problems
    return data, plan


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_a_hit_gives_the_model_the_text_gives(tmp_path, path):
    data, plan = valid(path)
    store = Cache(tmp_path)
    assert store.get(data, TODAY) is None
    store.put(data, plan, TODAY)
    cached = store.get(data, TODAY)
    assert cached is not None and same_everywhere(cached, plan)


def test_an_edit_that_keeps_size_and_mtime_is_a_miss(tmp_path):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_bytes((ROOT / "plan.yaml").read_bytes())
    store = Cache(tmp_path / "cache")
    first = read_plans([plan_file], TODAY, store)[0].plan
    assert first is not None and store.get(plan_file.read_bytes(), TODAY) is not None
    before = os.stat(plan_file)
    text = plan_file.read_text(encoding="utf-8")
    edited = text.replace("due: 2020-09-30", "due: 2020-09-29", 1).replace("# Leads, as", "# Leads, As", 1)
    assert len(edited.encode()) == before.st_size and edited != text
    plan_file.write_text(edited, encoding="utf-8")
    os.utime(plan_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(plan_file).st_mtime_ns == before.st_mtime_ns
    read = read_plans([plan_file], TODAY, store)[0]
    assert read.plan is not None and read.plan != first
    due_dates = {item.due for item in read.plan.items()} - {item.due for item in first.items()}
    assert due_dates == {date(2020, 9, 29)}


def entry_for(store: Cache, data: bytes) -> Path:
    return store.entry_path(key_of(data))


def hostile_pickle(marker: Path) -> bytes:
    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(RunsCode())


def wrong_types(good: bytes) -> bytes:
    body = json.loads(good)
    body["plan"][0] = "2"  # schema_version as text: right shape, wrong type
    return json.dumps(body).encode()


def another_file(good: bytes) -> bytes:
    body = json.loads(good)
    body["key"] = "0" * 64
    return json.dumps(body).encode()


def later_day(good: bytes) -> bytes:
    body = json.loads(good)
    body["checked"] = "2999-01-01"
    return json.dumps(body).encode()


HOSTILE = {
    "pickle that runs code": lambda good, marker: hostile_pickle(marker),
    "truncated": lambda good, marker: good[: len(good) // 2],
    "empty": lambda good, marker: b"",
    "not UTF-8": lambda good, marker: b"\xff\xfe" + good,
    "foreign JSON": lambda good, marker: b'{"hello": "world"}',
    "a JSON list": lambda good, marker: b"[1, 2, 3]",
    "deep nesting": lambda good, marker: b"[" * 100_000 + b"]" * 100_000,
    "wrong types": lambda good, marker: wrong_types(good),
    "another file's entry": lambda good, marker: another_file(good),
    "checked on a later day": lambda good, marker: later_day(good),
    "other version": lambda good, marker: good.replace(
        f'"version":{cache_module.FORMAT_VERSION}'.encode(), b'"version":999'
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_bad_entry_is_ignored_and_rebuilt(tmp_path, name):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_bytes((ROOT / "plan.yaml").read_bytes())
    data, plan = valid(plan_file)
    store = Cache(tmp_path / "cache")
    store.put(data, plan, TODAY)
    entry = entry_for(store, data)
    marker = tmp_path / "code-ran"
    entry.write_bytes(HOSTILE[name](entry.read_bytes(), marker))
    assert store.get(data, TODAY) is None
    read = read_plans([plan_file], TODAY, store)[0]
    assert not marker.exists()
    assert read.plan is not None and same_everywhere(read.plan, plan)
    rebuilt = store.get(data, TODAY)
    assert rebuilt is not None and same_everywhere(rebuilt, plan)


def test_the_cache_never_unpickles():
    source = Path(cache_module.__file__).read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle." not in source and "marshal" not in source


def test_an_unwritable_cache_only_costs_the_parse(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be")
    plan_file = ROOT / "plan.yaml"
    read = read_plans([plan_file], TODAY, Cache(blocker))[0]
    assert read.plan is not None and not read.problems


def test_the_cache_lives_in_the_users_cache_folder_and_can_be_turned_off(tmp_path):
    assert folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "oagtrack"
    assert folder({"OAGTRACK_CACHE_DIR": str(tmp_path / "x")}) == tmp_path / "x"
    assert folder({"XDG_CACHE_HOME": "relative/ignored", "HOME": str(tmp_path)}).name == "oagtrack"
    assert not folder({"XDG_CACHE_HOME": "relative/ignored"}).is_relative_to("relative")
    assert enabled({}) and not enabled({"OAGTRACK_NO_CACHE": "1"}) and not enabled({}, no_cache=True)


def test_the_key_is_of_the_bytes_and_the_version():
    assert key_of(b"a") != key_of(b"b")
    assert key_of(b"a") == key_of(b"a")


# -- the portfolio file ------------------------------------------------------------
PORTFOLIO_FILE = ROOT / "examples" / "portfolio" / "portfolio.yaml"


def test_a_portfolio_file_from_the_cache_says_what_its_text_says(tmp_path):
    from oagtrack.core.portfolio import portfolio_file

    parsed = portfolio_file(PORTFOLIO_FILE, TODAY)
    assert not parsed.problems and parsed.patterns and parsed.people
    store = Cache(tmp_path)
    assert same_everywhere(portfolio_file(PORTFOLIO_FILE, TODAY, cache=store), parsed)  # a miss, then kept
    from_cache = portfolio_file(PORTFOLIO_FILE, TODAY, cache=store)
    assert same_everywhere(from_cache, parsed)
    # the same bytes as a plan are another entry: a portfolio file never answers for a plan, nor the reverse
    assert store.get(PORTFOLIO_FILE.read_bytes(), TODAY) is None


def test_a_portfolio_file_with_a_problem_is_never_cached(tmp_path):
    from oagtrack.core.portfolio import portfolio_file

    broken = tmp_path / "portfolio.yaml"
    broken.write_text("plans: [plans/*.yaml]\ncolour: blue\n")
    store = Cache(tmp_path / "cache")
    for _ in range(2):
        assert [p.message for p in portfolio_file(broken, TODAY, cache=store).problems]
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.json"))


def test_an_edited_portfolio_file_is_read_again(tmp_path):
    from oagtrack.core.portfolio import portfolio_file

    copy = tmp_path / "portfolio.yaml"
    copy.write_bytes(PORTFOLIO_FILE.read_bytes())
    store = Cache(tmp_path / "cache")
    portfolio_file(copy, TODAY, cache=store)
    stat = copy.stat()
    text = copy.read_text()
    assert "title: Example" in text
    copy.write_text(text.replace("title: Example", "title: Xxample", 1))  # the same size
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert copy.stat().st_size == stat.st_size
    assert portfolio_file(copy, TODAY, cache=store).title.startswith("Xxample")


def test_a_portfolio_read_from_a_warm_cache_reads_no_yaml(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "OAGTRACK_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("OAGTRACK_NO_CACHE", None)
    command = [sys.executable, "-m", "oagtrack", "overdue", "--as-of", "2021-01-31", "--plan", str(PORTFOLIO_FILE)]
    cold = subprocess.run(command, capture_output=True, text=True, env=env)
    warm = subprocess.run(command, capture_output=True, text=True, env=env)
    assert cold.returncode == warm.returncode == 0, warm.stderr
    assert warm.stdout == cold.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in warm.stderr.splitlines() if line.startswith("import time")}
    assert "oagtrack.core.portfolio" in imported
    assert not {name for name in imported if name == "yaml" or name.startswith(("yaml.", "_yaml"))}


def test_a_well_typed_entry_with_a_milestone_without_a_due_date_is_a_miss(tmp_path):
    data, plan = valid(ROOT / "plan.yaml")
    first = plan.recommendations[0]
    undated = plan._replace(recommendations=(first._replace(outcome=first.outcome._replace(due=None)),))
    store = Cache(tmp_path)
    store.put(data, undated, TODAY)
    assert list(tmp_path.rglob("*.json"))  # written: every value has its declared type
    assert store.get(data, TODAY) is None
