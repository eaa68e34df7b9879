"""`oagtrack` ends its process with os._exit (`cli.run`), after its output, with the status `main` gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack import cli

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plan.yaml"


def _oagtrack(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OAGTRACK_NO_CACHE": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "oagtrack", *args], capture_output=True, env=env, **kwargs)


def test_a_long_output_through_a_pipe_is_written_whole_before_the_process_ends():
    args = ["export", "--format", "json", "--as-of", "2021-01-31", "--plan", str(PLAN)]
    in_process = CliRunner().invoke(cli.app, args)
    ended = _oagtrack(*args)
    assert ended.returncode == 0, ended.stderr
    assert len(ended.stdout) > 10_000
    assert ended.stdout.decode() == in_process.stdout


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["validate", str(PLAN)], 0),
        (["show", "no-such-item", "--plan", str(PLAN)], 1),
        (["overdue", "--as-of", "yesterday-ish", "--plan", str(PLAN)], 2),
    ],
)
def test_the_process_ends_with_the_status_of_the_command(args, status):
    ended = _oagtrack(*args)
    assert ended.returncode == status, ended.stderr
    assert (ended.stderr == b"") == (status == 0)


def test_an_invalid_plan_still_reports_every_problem_before_the_process_ends(tmp_path):
    broken = tmp_path / "plan.yaml"
    broken.write_bytes(PLAN.read_bytes().replace(b"due: 2020-09-30", b"due: 2020-13-30", 1))
    ended = _oagtrack("validate", str(broken))
    assert ended.returncode == 1
    assert f"{broken}:".encode() in ended.stderr


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (3, 3), (256 + 2, 2), (-1, 255)])
def test_exit_status_is_what_sys_exit_gives_the_process(code, status):
    assert cli._exit_status(code) == status


def test_a_message_given_to_sys_exit_is_printed_and_the_status_is_1(capsys):
    assert cli._exit_status("oagtrack: stopped") == 1
    assert capsys.readouterr().err == "oagtrack: stopped\n"


def test_in_process_main_keeps_nothing_alive():
    assert cli._kept_until_exit is None
    cli.keep_until_exit(object())
    assert cli._kept_until_exit is None


def test_validate_of_many_files_keeps_only_the_last_plan_to_the_end(tmp_path, monkeypatch):
    kept: list[object] = []
    monkeypatch.setattr(cli, "_kept_until_exit", kept)
    files = []
    for number in range(3):
        files.append(tmp_path / f"plan-{number}.yaml")
        files[-1].write_bytes(PLAN.read_bytes())
    result = CliRunner().invoke(cli.app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert len(kept) == 1 and kept[0].path == files[-1]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_left_unwritten_at_the_end_is_said_and_never_hidden():
    # as a bug's path would end: output still buffered, then exit 70; the disk under stdout is full
    script = "import sys, oagtrack.cli as cli; cli.main = lambda: (print('x' * 100), sys.exit(70)); cli.run()"
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        ended = subprocess.run([sys.executable, "-c", script], stdout=full, stderr=subprocess.PIPE, env=env)
    assert ended.returncode == 70
    assert ended.stderr.decode().startswith("oagtrack: cannot write the output: ")
