"""A cache that cannot be read or written costs only the parse: the command prints what it prints without a
cache, says nothing about it, and leaves no temporary file behind.

The tests run as whoever runs the suite (often root, whom file modes do not stop), so the cache is made
unwritable by what stands in its way: a file where its folder would be, a folder where an entry would be.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
COMMANDS = [
    ["overdue", "--as-of", "2021-03-31"],
    ["status", "--as-of", "2021-03-31"],
    ["overdue", "--as-of", "2021-03-31", "--plan", "plans/security-2020.yaml"],  # one plan, read on its own
]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("OAGTRACK_NO_CACHE", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


def uncached(args: list[str]):
    return run(*args, "--no-cache")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:1] + args[3:]))
def test_a_file_where_the_cache_folder_would_be_changes_nothing_the_user_sees(portfolio, tmp_path, monkeypatch, args):
    blocker = tmp_path / "cache"
    blocker.write_bytes(b"a file, not a folder")
    monkeypatch.setenv("OAGTRACK_CACHE_DIR", str(blocker))
    expected = uncached(args)
    for _ in range(2):  # the first run fails to write, the second to read
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, "")
    assert blocker.read_bytes() == b"a file, not a folder"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:1] + args[3:]))
def test_a_folder_where_each_entry_would_be_is_left_alone_with_no_temporary_file(
    portfolio, tmp_path, monkeypatch, args
):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OAGTRACK_CACHE_DIR", str(cache))
    expected = run(*args)
    entries = sorted(cache.rglob("*.json"))
    assert entries  # the command wrote its entries; now each is made a folder, neither readable nor replaceable
    for entry in entries:
        entry.unlink()
        entry.mkdir()
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, "")
    assert all(entry.is_dir() for entry in entries)
    assert sorted(p.name for p in cache.rglob("*") if p.is_file()) == []


def test_a_cache_under_a_missing_folder_is_made_and_then_answers(portfolio, tmp_path, monkeypatch):
    cache = tmp_path / "not" / "yet" / "there"
    monkeypatch.setenv("OAGTRACK_CACHE_DIR", str(cache))
    first = run("overdue", "--as-of", "2021-03-31")
    assert len(sorted(cache.rglob("*.json"))) == 5  # one entry per plan of the portfolio, one for its file
    second = run("overdue", "--as-of", "2021-03-31")
    assert (second.exit_code, second.stdout) == (0, first.stdout)
