"""The repository's pre-commit hooks run the same gate as CI."""

from __future__ import annotations

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
