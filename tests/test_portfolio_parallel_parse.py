"""Plans parsed on two cores give exactly what one core gives: the same models, positions included, the same
problems in the same order, and the same output from a command.

The threshold (`PARALLEL_FROM_BYTES`, 2 MB) is lowered so that the example portfolio takes the parallel path,
and the process pool is watched to prove it did.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core import portfolio as portfolios
from oagtrack.core.portfolio import find_sources, load_portfolio

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
TODAY = date(2026, 12, 2)
runner = CliRunner()


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """Each process pool the reader starts, by its number of workers."""
    started: list[int] = []

    class Watched(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int):
            started.append(max_workers)
            super().__init__(max_workers=max_workers)

    # the reader imports the pool when it needs one, from concurrent.futures
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Watched)
    return started


def read(folder: Path):
    portfolio, problems = load_portfolio(find_sources(["."], {}, folder), TODAY)
    # repr shows every field, the positions that == leaves out included
    return [(m.path, m.name, m.data, repr(m.plan)) for m in portfolio.members], problems


def test_parsing_on_two_cores_gives_what_one_core_gives(portfolio, pools, monkeypatch):
    broken = portfolio / "plans" / "broken.yaml"
    broken.write_text("schema_version: 2\naudit: {id: [x]}\n", encoding="utf-8")
    serial = read(portfolio)
    assert pools == []
    monkeypatch.setattr(portfolios, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = read(portfolio)
    assert pools == [2]
    assert parallel == serial
    members, problems = parallel
    assert [m[1] for m in members] == [
        "../../plan.yaml",
        "plans/grants-2019.yaml",
        "plans/procurement-2018.yaml",
        "plans/security-2020.yaml",
    ]
    assert problems and {problem.file for problem in problems} == {"plans/broken.yaml"}


def test_one_core_never_starts_a_pool_however_much_there_is_to_parse(portfolio, pools, monkeypatch):
    monkeypatch.setattr(portfolios, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: taken as one
    members, problems = read(portfolio)
    assert (pools, problems, len(members)) == ([], [], 4)


def test_a_command_prints_the_same_whether_its_plans_were_parsed_on_one_core_or_two(portfolio, pools, monkeypatch):
    args = ["overdue", "--as-of", "2021-03-31"]
    serial = runner.invoke(app, args, catch_exceptions=False)
    monkeypatch.setattr(portfolios, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = runner.invoke(app, args, catch_exceptions=False)
    assert pools == [2]
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (serial.exit_code, serial.stdout, serial.stderr)
    assert serial.stdout.splitlines()[-1] == "19 milestones"


def _dies(*args: object) -> None:
    os._exit(9)  # as a second process killed for memory would end


def test_a_second_process_that_dies_costs_only_time(portfolio, pools, monkeypatch):
    serial = read(portfolio)
    monkeypatch.setattr(portfolios, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(portfolios, "_check_many", _dies)
    assert read(portfolio) == serial
    assert pools == [2]


def test_a_plan_the_second_process_cannot_send_back_is_read_here(portfolio, pools, monkeypatch):
    serial = read(portfolio)
    monkeypatch.setattr(portfolios, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def unreadable(raw: bytes | None, today: date) -> None:
        raise ValueError("not what the second process wrote")

    monkeypatch.setattr(portfolios, "_from_child", unreadable)
    assert read(portfolio) == serial
    assert pools == [2]
