"""The benchmark's own parts: the generated portfolio, the compose floor and the checks `run.py` makes.

A benchmark that measures the wrong thing still prints a table, so the parts
that decide what is measured are tested here: the portfolio is valid and
read as one, the floor really composes every file, the cache is kept out of
the user's folder, and the PyYAML check reads `-X importtime` correctly.
Times themselves are never asserted (`benchmarks/run.py` takes them).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from types import ModuleType

import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from oagtrack.cli import app

runner = CliRunner()


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


run = _load("run")
generate = _load("generate")
floor_compose = _load("floor_compose")


@pytest.fixture(scope="module")
def portfolio_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio")
    generate.portfolio(folder, 3, 12)
    return folder


def test_the_generated_portfolio_holds_its_plans_and_a_portfolio_file(portfolio_folder):
    """Three plans and the portfolio file naming them, nothing else."""
    assert ["plan-001.yaml", "plan-002.yaml", "plan-003.yaml", "portfolio.yaml"] == sorted(
        path.name for path in portfolio_folder.iterdir()
    )


def test_the_generated_portfolio_is_checked_whole_without_problems(portfolio_folder):
    """Each plan valid, and no two sharing an audit id or a person key: `validate` finds nothing in the folder."""
    result = runner.invoke(app, ["validate", "--plan", str(portfolio_folder)])
    assert (0, "") == (result.exit_code, result.stderr)
    checked = [line.split(": ok (")[0] for line in result.stdout.splitlines()]
    assert [str(portfolio_folder / f"plan-00{seed}.yaml") for seed in (1, 2, 3)] == checked


def test_the_generated_portfolio_gives_each_audit_its_own_people(portfolio_folder):
    """People keys are prefixed by the plan's seed, so a portfolio never describes one key twice."""
    keys = [set(yaml.safe_load((portfolio_folder / f"plan-00{seed}.yaml").read_text())["people"]) for seed in (1, 2, 3)]
    assert [set(), set(), set()] == [keys[0] & keys[1], keys[0] & keys[2], keys[1] & keys[2]]
    assert all(key.startswith("a001p") for key in keys[0])


def test_the_compose_floor_reads_every_yaml_file_of_a_folder(portfolio_folder, tmp_path):
    """A folder stands for its *.yaml files in name order; a file stands for itself."""
    other = tmp_path / "other.yaml"
    other.write_text("a: 1\n")
    expected = [*sorted(portfolio_folder.glob("*.yaml")), other]
    assert expected == floor_compose.files([str(portfolio_folder), str(other)])


def test_the_compose_floor_really_composes(tmp_path):
    """Text that is not YAML stops the floor: it parses, it does not just read."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1, 2\n")
    with pytest.raises(yaml.YAMLError):
        floor_compose.main([str(broken)])


IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       120 |        120 |   _io
import time:      2079 |       2950 |       logging
import time:       300 |        300 |     yaml.error
import time:       900 |       1500 |   _yaml
import time:      4000 |       9000 | yaml
import time:       500 |        500 | oagtrack.core.yamltext
import time:       200 |        200 | yamlish
Traceback or any other line
"""


def test_imported_modules_reads_cumulative_times_and_skips_other_lines():
    """Each module of `-X importtime` with its cumulative microseconds; the header and other lines are ignored."""
    assert {
        "_io": 120,
        "logging": 2950,
        "yaml.error": 300,
        "_yaml": 1500,
        "yaml": 9000,
        "oagtrack.core.yamltext": 500,
        "yamlish": 200,
    } == run.imported_modules(IMPORTTIME)


def test_yaml_modules_are_pyyaml_and_its_binding_only():
    """PyYAML is `yaml`, `yaml.*` and `_yaml`: not a module that only has yaml in its name."""
    assert {"yaml.error": 300, "_yaml": 1500, "yaml": 9000} == run.yaml_modules(run.imported_modules(IMPORTTIME))


def test_a_cache_hit_on_the_bundled_plan_does_not_import_pyyaml(tmp_path):
    """The row `run.py` prints for issue 14, computed here on a warm cache of the test run's own."""
    env = run.cached_env({"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}, tmp_path / "cache")
    command = [sys.executable, "-m", "oagtrack", "overdue", "--as-of", "2021-01-31", "--plan", str(ROOT / "plan.yaml")]
    run.warm_up(command, env, 1)
    row = run.imports_pyyaml_row(command, "cache hit", env)
    assert ("no", "PASS") == (row.value, row.result)


def test_a_cache_miss_imports_pyyaml_and_the_row_says_so(tmp_path):
    """The same check fails when the plan is read from its text, so the row above can fail."""
    env = run.uncached_env({"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}, tmp_path)
    command = [sys.executable, "-m", "oagtrack", "overdue", "--as-of", "2021-01-31", "--plan", str(ROOT / "plan.yaml")]
    row = run.imports_pyyaml_row(command, "cache miss", env)
    assert (True, "FAIL") == (row.value.startswith("yes ("), row.result)


def test_benchmark_environments_keep_the_cache_in_the_run_folder(tmp_path):
    """Every environment names a cache folder of the run; only the warm one turns the cache on."""
    user = {"HOME": "/home/someone", "OAGTRACK_NO_CACHE": "0", "OAGTRACK_CACHE_DIR": "/home/someone/.cache/x"}
    off = run.uncached_env(user, tmp_path)
    on = run.cached_env(off, tmp_path / "warm")
    assert ("1", str(tmp_path / "cache-off")) == (off["OAGTRACK_NO_CACHE"], off["OAGTRACK_CACHE_DIR"])
    assert (None, str(tmp_path / "warm")) == (on.get("OAGTRACK_NO_CACHE"), on["OAGTRACK_CACHE_DIR"])


def test_a_warm_up_that_leaves_no_cache_entry_stops_the_run(tmp_path):
    """A warm row whose cache stayed empty would time a cold run: the benchmark refuses to go on."""
    env = run.uncached_env({"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}, tmp_path)
    command = [sys.executable, "-m", "oagtrack", "overdue", "--as-of", "2021-01-31", "--plan", str(ROOT / "plan.yaml")]
    with pytest.raises(SystemExit, match="left 0 cache entries, not 1"):
        run.warm_up(command, env, 1)


def test_a_row_result_is_its_check_when_it_has_one():
    """A yes-or-no row passes or fails by its check; a ratio row by its limit; a report-only row is info."""
    assert ["FAIL", "PASS", "FAIL", "info", "n/a"] == [
        run.Row("a", "yes", "", None, "no", None, passed=False).result,
        run.Row("b", "1 ms", "1 ms", 1.0, "≤ 1.00", 1.0).result,
        run.Row("c", "2 ms", "1 ms", 1.01, "≤ 1.00", 1.0).result,
        run.Row("d", "2 ms", "1 ms", 2.0, "report only", None).result,
        run.Row("e", "not installed", "", None, "≤ 1.00", 1.0).result,
    ]


@pytest.mark.skipif(shutil.which("task") is None, reason="Taskwarrior (`task`) is not installed")
def test_taskwarrior_lists_as_many_overdue_tasks_as_asked(tmp_path):
    """Of 30 pending tasks, 7 are due before today: `task overdue` lists exactly those."""
    found = run.taskwarrior(30, 7, tmp_path, {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert found is not None
    command, env = found
    listed = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    assert 7 == len(listed.splitlines())
