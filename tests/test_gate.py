"""The repository's pre-commit hooks run the same gate as CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_pre_commit_hook_is_a_step_of_ci_and_every_gate_step_a_hook() -> None:
    hooks = [
        hook["entry"]
        for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
        for hook in repo["hooks"]
    ]
    ci = [
        line.removeprefix(".ci/venv/bin/")
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith(".ci/venv/bin/")
    ]
    gate = [step for step in ci if step.split()[0] in ("ruff", "mypy", "oagtrack")]
    assert sorted(hooks) == sorted(gate)
    assert {"ruff check src tests tools benchmarks", "ruff format --check src tests tools benchmarks", "mypy"} <= set(
        hooks
    )


def ci_steps() -> list[str]:
    return [
        line.removeprefix(".ci/venv/bin/")
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith(".ci/venv/bin/")
    ]


def test_ci_runs_the_tests_under_coverage_and_fails_below_the_floor() -> None:
    """The tests run once, measured, and the combined report (which exits 2 under fail_under) is the last step."""
    steps = ci_steps()
    measured = ["coverage run -m pytest -q", "coverage combine --quiet", "coverage report"]
    assert measured == steps[-3:]
    assert [] == [step for step in steps if step.split()[0] == "pytest"], "an unmeasured second run of the tests"


def test_coverage_is_configured_with_branches_child_processes_and_a_floor_of_93() -> None:
    coverage = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"]
    run, report = coverage["run"], coverage["report"]
    assert (True, ["oagtrack"], True) == (run["branch"], run["source"], run["parallel"])
    # Many tests run `python -m oagtrack` as a child process: without this, what only they reach counts as missed.
    assert "subprocess" in run["patch"]
    assert report["fail_under"] >= 93


def test_every_program_ci_runs_from_its_environment_is_installed_by_the_test_extra() -> None:
    """CI installs only `.[test]`: a tool missing from it fails CI with `No such file`, not with its verdict."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = {project["name"], "pip"} | {
        re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower()
        for requirement in project["optional-dependencies"]["test"]
    }
    programs = {step.split()[0] for step in ci_steps()}
    assert set() == programs - installed
