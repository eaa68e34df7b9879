"""Time oagtrack against the floors it cannot beat, and print one table of ratios.

Every figure is a ratio to a floor measured in the same run, on the same
machine, interleaved run by run, so a busy machine slows both alike:

- cold start: a minimal Typer app that prints a three-row Rich table
  (`benchmarks/floor_cli.py`);
- plans of N actions: a Python process that imports yaml, dateutil, rich and
  typer and runs `yaml.compose(..., Loader=yaml.CSafeLoader)` on the same
  file with the garbage collector off;
- a portfolio of 50 plans of 200 actions read from its text: the same
  process composing every file one after another (`benchmarks/floor_compose.py`),
  in elapsed time, since oagtrack parses on two processes;
- the same portfolio from a warm cache: Taskwarrior's `task overdue` on as
  many pending tasks, as many of them overdue.

Every run keeps its caches in a temporary folder of its own, never the
user's. A row reads each plan from its text (`OAGTRACK_NO_CACHE=1`) unless it
says warm cache; a warm cache is filled by one untimed run first.

Each time is the median of repeated runs, in CPU seconds (user + system) of
the process: the same as the wall-clock time of these single-threaded runs on
an idle machine, and much less disturbed by other work on a busy one. Plans come from
`benchmarks/generate.py` (seed 1). The package's bytecode is compiled first,
as an installed package's is.

One plan holds one text of 9 million characters; `show` and `report`,
which lay the text out for the terminal, are timed against `validate` on
the same file.

    python benchmarks/run.py            # 1,000, 10,000 and 100,000 actions, and the portfolio (about 15 minutes)
    python benchmarks/run.py --quick    # without 100,000 (a few minutes)
    python benchmarks/run.py --only long-text   # only the rows of the long text (about a minute)
    python benchmarks/run.py --only long-history   # only the row of the 10,000-entry history
    python benchmarks/run.py --only portfolio   # only the portfolio rows (about two minutes)
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

AS_OF = generate.SNAPSHOT.isoformat()
FLOOR_PARSE = (
    "import gc, sys; gc.disable(); import yaml, dateutil, rich, typer; "
    "yaml.compose(open(sys.argv[1], 'rb').read().decode('utf-8'), Loader=yaml.CSafeLoader)"
)
IMPORTS_ONLY = "import gc; gc.disable(); import yaml, dateutil, rich, typer"


@dataclass
class Timing:
    seconds: float
    max_rss_kb: int
    #: Elapsed time: the measure for a command that spreads its work over several processes.
    wall: float = 0.0


@dataclass
class Row:
    measure: str
    value: str
    floor: str
    ratio: float | None
    target: str
    limit: float | None
    #: The result of a row that is a yes-or-no check rather than a ratio.
    passed: bool | None = None

    @property
    def result(self) -> str:
        if self.passed is not None:
            return "PASS" if self.passed else "FAIL"
        if self.ratio is None or self.limit is None:
            return "n/a" if self.ratio is None else "info"
        return "PASS" if self.ratio <= self.limit else "FAIL"


def oagtrack_command() -> list[str]:
    script = Path(sys.executable).with_name("oagtrack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "oagtrack"]


def run_once(cmd: list[str], env: dict[str, str]) -> Timing:
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.read().decode(errors='replace')[:2000]}")
    # CPU time (user + system) of the process: on an idle machine it equals the
    # wall-clock time of these single-threaded runs, and other work on a busy
    # machine disturbs it far less. The kernel counts the children the process
    # waited for (a pool's workers) in it too, and their peak memory if higher.
    return Timing(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, wall)


def measure(
    commands: dict[str, list[str]],
    repeat: int,
    env: dict[str, str],
    before: dict[str, Callable[[], object]] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, Timing]:
    """Median time and median peak memory of each command, the commands interleaved.

    `envs` gives a command its own environment (its own cache folder) in place of `env`.
    """
    runs: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            if before and name in before:
                before[name]()
            runs[name].append(run_once(cmd, (envs or {}).get(name, env)))
    return {
        name: Timing(
            statistics.median(t.seconds for t in timings),
            int(statistics.median(t.max_rss_kb for t in timings)),
            statistics.median(t.wall for t in timings),
        )
        for name, timings in runs.items()
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def first_open_action(path: Path) -> str | None:
    """An action the `complete` benchmark can complete: not done, no steps."""
    from oagtrack.core.validate import validate_bytes

    plan, _ = validate_bytes(path.read_bytes(), str(path), date.today())
    for rec in plan.recommendations if plan else ():
        for action in rec.actions:
            if not action.steps and action.status in ("not-started", "in-progress") and action.id.endswith(".3"):
                return action.id
    return None


def has_command(oag: list[str], name: str, env: dict[str, str]) -> bool:
    return (
        subprocess.run([*oag, name, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
        == 0
    )


def taskwarrior(n: int, overdue: int, work: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]] | None:
    """Taskwarrior's `task overdue` on n pending tasks, `overdue` of them past due; None when `task` is not installed.

    Taskwarrior asks about today and cannot be given another day, so the due
    dates are counted from today: `overdue` tasks due before it, the rest due
    after it. That makes it list as many rows as oagtrack does.
    """
    task = shutil.which("task")
    if task is None:
        return None
    data = work / "taskdata"
    data.mkdir(exist_ok=True)
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    task_env = {**env, "TASKRC": str(rc), "TASKDATA": str(data)}
    today = date.today()
    tasks = [
        {
            "description": f"action {i}",
            "status": "pending",
            "entry": "20200101T000000Z",
            "due": (today - timedelta(days=1 + i) if i < overdue else today + timedelta(days=1 + i % 900)).strftime(
                "%Y%m%dT000000Z"
            ),
        }
        for i in range(n)
    ]
    subprocess.run(
        [task, "import", "-"],
        input=json.dumps(tasks).encode(),
        env=task_env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    listed = subprocess.run([task, "rc.gc=off", "overdue"], env=task_env, check=True, capture_output=True).stdout
    if len(listed.splitlines()) != overdue:
        raise SystemExit(f"task overdue listed {len(listed.splitlines())} tasks, not {overdue}")
    return [task, "rc.gc=off", "overdue"], task_env


# -- the cache ------------------------------------------------------------------
# Every run of the benchmark reads and writes caches in its own temporary folder,
# never the user's: OAGTRACK_NO_CACHE=1 by default, so that every row that does
# not say "warm cache" reads each plan from its text as it did before the cache.


def uncached_env(env: dict[str, str], work: Path) -> dict[str, str]:
    """`env` with the cache off, and pointed at a folder of this run should anything still use it."""
    return {**env, "OAGTRACK_NO_CACHE": "1", "OAGTRACK_CACHE_DIR": str(work / "cache-off")}


def cached_env(env: dict[str, str], folder: Path) -> dict[str, str]:
    """`env` with the cache on, in `folder` of this run."""
    return {
        **{key: value for key, value in env.items() if key != "OAGTRACK_NO_CACHE"},
        "OAGTRACK_CACHE_DIR": str(folder),
    }


def cache_entries(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*/*.json"))


def warm_up(cmd: list[str], env: dict[str, str], entries: int) -> None:
    """Run `cmd` once, untimed, so that its cache holds `entries` plans; stop when it does not."""
    run_once(cmd, env)
    found = cache_entries(Path(env["OAGTRACK_CACHE_DIR"]))
    if found < entries:
        raise SystemExit(f"{' '.join(cmd)} left {found} cache entries, not {entries}: a warm run would not be warm")


def imported_modules(importtime: str) -> dict[str, int]:
    """Each module in the output of `python -X importtime`, with its cumulative import time in microseconds."""
    modules: dict[str, int] = {}
    for line in importtime.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            modules[parts[2].strip()] = int(parts[1])
    return modules


def yaml_modules(modules: dict[str, int]) -> dict[str, int]:
    """The modules of PyYAML among `modules` (its package and its libyaml binding)."""
    return {name: us for name, us in modules.items() if name in ("yaml", "_yaml") or name.startswith("yaml.")}


def imports_pyyaml_row(oag: list[str], label: str, env: dict[str, str]) -> Row:
    """Whether a run of `oag` imports PyYAML, read from `python -X importtime` (PYTHONPROFILEIMPORTTIME)."""
    run = subprocess.run(oag, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, check=True)
    modules = imported_modules(run.stderr.decode(errors="replace"))
    if not modules:
        raise SystemExit(f"{' '.join(oag)} printed no import times")
    found = yaml_modules(modules)
    value = f"yes ({max(found.values()) / 1000:,.0f} ms)" if found else "no"
    return Row(label, value, "", None, "no", None, passed=not found)


def portfolio_rows(
    oag: list[str], python: str, repeat: int, env: dict[str, str], work: Path, plans: int = 50, actions: int = 200
) -> list[Row]:
    """`overdue` on a generated portfolio, from a warm cache against Taskwarrior, and from its text against the
    compose floor (issue 14)."""
    folder = work / f"portfolio-{plans}x{actions}"
    files = generate.portfolio(folder, plans, actions)
    size = sum(path.stat().st_size for path in folder.glob("*.yaml"))
    n = plans * actions
    what = f"portfolio of {plans} plans × {actions:,} actions ({n:,} actions, {size / 1e6:.1f} MB)"
    overdue = [*oag, "overdue", "--as-of", AS_OF, "--plan", str(folder)]
    warm = cached_env(env, work / "cache-portfolio")
    warm_up(overdue, warm, len(files))
    listed = subprocess.run([*overdue, "--format", "json"], env=warm, check=True, capture_output=True).stdout
    late = len(json.loads(listed))
    commands = {
        "warm": overdue,
        "no-cache": [*overdue[:2], "--no-cache", *overdue[2:]],
        "floor": [python, str(HERE / "floor_compose.py"), str(folder)],
        "floor-cli": [python, str(HERE / "floor_cli.py")],
    }
    envs = {"warm": warm}
    found = taskwarrior(n, late, work, env)
    if found is not None:
        commands["task"], envs["task"] = found
    timings = measure(commands, repeat, env, envs=envs)
    hot, cold, floor, cli = timings["warm"], timings["no-cache"], timings["floor"], timings["floor-cli"]
    task = timings.get("task")
    against_task = f"against Taskwarrior 2.6 `task overdue` on {n:,} pending tasks, {late} of them overdue as here"
    return [
        Row(
            f"{what}, warm cache: `overdue --as-of {AS_OF}` ({late} rows; "
            + (f"{against_task})" if task else f"Taskwarrior, the floor, is not installed: {against_task})"),
            ms(hot.seconds),
            ms(task.seconds) if task else "not installed",
            hot.seconds / task.seconds if task else None,
            "≤ 1.00",
            1.0,
        ),
        Row(
            "Taskwarrior's `task overdue` above, against the cold-start floor (a minimal Typer app printing a "
            "three-row Rich table, `floor_cli.py`)",
            ms(task.seconds) if task else "not installed",
            ms(cli.seconds),
            task.seconds / cli.seconds if task else None,
            "report only",
            None,
        ),
        Row(
            f"{what}, no cache: `overdue --no-cache --as-of {AS_OF}`, elapsed time (two processes parse; against one "
            "process composing every file with libyaml, `floor_compose.py`)",
            ms(cold.wall),
            ms(floor.wall),
            cold.wall / floor.wall,
            "≤ 0.75",
            0.75,
        ),
        Row(
            f"{what}, no cache: `overdue --no-cache`, CPU time of all its processes (against the same floor's)",
            ms(cold.seconds),
            ms(floor.seconds),
            cold.seconds / floor.seconds,
            "report only",
            None,
        ),
    ]


#: Characters in the one long text of `long_text_plan`.
LONG_TEXT_CHARS = 9_000_000


def long_text_plan(chars: int = LONG_TEXT_CHARS) -> str:
    """A generated plan of 10 actions whose action 1.1 has a text of exactly `chars` characters, folded by hand.

    The text is folded as a person would write it: lines of at most 68 characters, indented under `text: >-`.
    """
    import random

    rng = random.Random(1)
    words: list[str] = []
    length = -1
    while length < chars:
        word = rng.choice(generate.WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[:chars].rstrip()
    text += "x" * (chars - len(text))  # exactly `chars`, ending in a word
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > 68:
            lines.append(" " * 10 + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(" " * 10 + line)
    plan = generate.generate(10, seed=1)
    head, rest = plan.split('      - id: "1.1"\n        text: >-\n', 1)
    rest = rest[rest.index("        due: ") :]  # the generated text of 1.1 ends where its due date starts
    return head + '      - id: "1.1"\n        text: >-\n' + "\n".join(lines) + "\n" + rest


def long_text_rows(oag: list[str], repeat: int, env: dict[str, str], work: Path) -> list[Row]:
    """`show` and `report` on a plan with one 9-million-character text, against `validate` on it (issue 11)."""
    path = work / "long-text.yaml"
    path.write_text(long_text_plan(), encoding="utf-8")
    size = path.stat().st_size
    timings = measure(
        {
            "validate": [*oag, "validate", str(path)],
            "show": [*oag, "show", "1.1", "--as-of", AS_OF, "--plan", str(path)],
            "report": [*oag, "report", "--as-of", AS_OF, "--plan", str(path)],
        },
        repeat,
        env,
    )
    base = timings["validate"].seconds
    return [
        Row(
            f"one text of {LONG_TEXT_CHARS:,} characters ({size / 1e6:.1f} MB): "
            f"`{shown} --as-of {AS_OF}` (against `validate`)",
            ms(timings[name].seconds),
            ms(base),
            timings[name].seconds / base,
            "≤ 2.00",
            2.0,
        )
        for name, shown in (("show", "show 1.1"), ("report", "report"))
    ]


#: History entries of action 1.1 in `long_history_plan`.
LONG_HISTORY_ENTRIES = 10_000


def long_history_plan(entries: int = LONG_HISTORY_ENTRIES) -> str:
    """A generated plan of 10 actions whose action 1.1, not started, has `entries` dated notes (ten a day)."""
    plan = generate.generate(10, seed=1)
    head, rest = plan.split('      - id: "1.1"\n', 1)
    rest = rest[rest.index("        due: ") :]
    due_line, rest = rest.split("\n", 1)
    rest = rest[rest.index("      - id: ") :] if "      - id: " in rest else rest[rest.index("    outcome:") :]
    start = date(2015, 1, 1)
    notes = []
    for n in range(entries):
        notes += [
            f"          - date: {start + timedelta(days=n // 10)}",
            "            event: note",
            f"            text: Progress note {n + 1} on the removals strategy.",
        ]
    item = [
        '      - id: "1.1"',
        "        text: An action with a long history.",
        due_line,
        "        leads: [p000]",
        "        status: not-started",
        "        history:",
        *notes,
    ]
    return head + "\n".join(item) + "\n" + rest


def long_history_rows(oag: list[str], repeat: int, env: dict[str, str], work: Path) -> list[Row]:
    """`complete --dry-run` on an item with 10,000 history entries, against the real write (issue 11)."""
    source = work / "long-history.yaml"
    source.write_text(long_history_plan(), encoding="utf-8")
    copy = work / "long-history-copy.yaml"
    complete = ["complete", "1.1", "--on", AS_OF, "--evidence", "https://example.org/evidence.pdf", "--plan", str(copy)]
    timings = measure(
        {"write": [*oag, *complete], "dry-run": [*oag, *complete, "--dry-run"]},
        repeat,
        env,
        before={"write": lambda: shutil.copyfile(source, copy), "dry-run": lambda: shutil.copyfile(source, copy)},
    )
    base = timings["write"].seconds
    return [
        Row(
            f"{LONG_HISTORY_ENTRIES:,} history entries: `complete 1.1 --dry-run` (against the real write)",
            ms(timings["dry-run"].seconds),
            ms(base),
            timings["dry-run"].seconds / base,
            "≤ 2.00",
            2.0,
        )
    ]


def table_text(rows: list[Row], header: str) -> str:
    table = ["| Measure | oagtrack | Floor | Ratio | Target | Result |", "|---|---:|---:|---:|---|---|"]
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        table.append(f"| {row.measure} | {row.value} | {row.floor} | {ratio} | {row.target} | {row.result} |")
    return "\n".join([header, "", *table, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark oagtrack against its floors.")
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-action plan")
    parser.add_argument("--repeat", type=int, default=0, help="runs per measure (default: more for quick measures)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to save the table (default: benchmarks/results.md, or nowhere with --only)",
    )
    parser.add_argument(
        "--only", choices=["long-text", "long-history", "portfolio"], help="run only these rows and print them"
    )
    args = parser.parse_args(argv)
    # Every cache this run writes lives in this folder, removed at the end: never the user's cache.
    with tempfile.TemporaryDirectory(prefix="oagtrack-bench-") as scratch:
        return run(args, Path(scratch))


def run(args: argparse.Namespace, scratch: Path) -> int:
    """Every row `args` asks for, the table printed and saved; 1 when a row fails."""
    import yaml

    import oagtrack

    compileall.compile_dir(str(Path(oagtrack.__file__).parent), quiet=1)
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "OAGTRACK_PLAN")}
    env["NO_COLOR"] = "1"
    env = uncached_env(env, scratch)
    oag = oagtrack_command()
    python = sys.executable
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rows: list[Row] = []
    # The machine's load when each stage starts and at the end: other scratch on a shared machine disturbs
    # elapsed times far more than CPU times.
    loads: list[float] = []

    def progress(text: str) -> None:
        loads.append(os.getloadavg()[0])
        print(f"{text} (load {loads[-1]:.2f})", file=sys.stderr, flush=True)

    def header() -> str:
        loads.append(os.getloadavg()[0])
        return (
            f"oagtrack {oagtrack.__version__} on {platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, PyYAML {yaml.__version__} "
            f"with libyaml: {getattr(yaml, '__with_libyaml__', False)}; "
            f"{date.today()}; CPU time (user + system), median of repeated runs, unless a row says elapsed time; "
            f"as-of {AS_OF} for generated plans; load average (1 minute) {min(loads):.2f} to {max(loads):.2f} "
            "during the run."
        )

    if args.only:
        progress(f"{args.only} ...")
        if args.only == "portfolio":
            rows = portfolio_rows(oag, python, args.repeat or 7, env, scratch)
        else:
            only = long_text_rows if args.only == "long-text" else long_history_rows
            rows = only(oag, args.repeat or 7, env, scratch)
        text = table_text(rows, header())
        print(text)
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        return 1 if any(row.result == "FAIL" for row in rows) else 0

    progress("cold start ...")
    bundled = str(ROOT / "plan.yaml")
    overdue_bundled = [*oag, "overdue", "--as-of", "2021-01-31", "--plan", bundled]
    warm = cached_env(env, scratch / "cache-bundled")
    warm_up(overdue_bundled, warm, 1)
    cold = measure(
        {
            "floor": [python, str(HERE / "floor_cli.py")],
            "floor+yaml": [python, str(HERE / "floor_yaml_cli.py"), bundled],
            "version": [*oag, "--version"],
            "overdue": overdue_bundled,
            "overdue-warm": overdue_bundled,
            "validate": [*oag, "validate", bundled],
            "imports": [python, "-c", IMPORTS_ONLY],
        },
        args.repeat or 31,
        env,
        envs={"overdue-warm": warm},
    )
    floor = cold["floor"].seconds
    rows.append(
        Row(
            "cold start, no cache: `oagtrack overdue --as-of 2021-01-31` (bundled plan, `OAGTRACK_NO_CACHE=1`)",
            ms(cold["overdue"].seconds),
            ms(floor),
            cold["overdue"].seconds / floor,
            "≤ 1.15",
            1.15,
        )
    )
    rows.append(
        Row(
            "cold start, warm cache: `oagtrack overdue --as-of 2021-01-31` (bundled plan)",
            ms(cold["overdue-warm"].seconds),
            ms(floor),
            cold["overdue-warm"].seconds / floor,
            "≤ 1.10",
            1.1,
        )
    )
    rows.append(imports_pyyaml_row(overdue_bundled, "cold start, warm cache: the cache hit above imports PyYAML", warm))
    least = cold["floor+yaml"].seconds
    rows.append(
        Row(
            "cold start: the floor that also imports PyYAML and composes the bundled plan "
            "(`floor_yaml_cli.py`, the least a command on a YAML plan can do)",
            ms(least),
            ms(floor),
            least / floor,
            "report only",
            None,
        )
    )
    rows.append(
        Row(
            "cold start: `oagtrack --version`",
            ms(cold["version"].seconds),
            ms(floor),
            cold["version"].seconds / floor,
            "≤ 1.00",
            1.0,
        )
    )
    startup = cold["validate"].seconds
    rows.append(
        Row(
            "fixed start-up: `oagtrack validate` on the bundled plan, against importing yaml, dateutil, rich and typer",
            ms(startup),
            ms(cold["imports"].seconds),
            startup / cold["imports"].seconds,
            "report only",
            None,
        )
    )

    progress("a portfolio of 50 plans of 200 actions ...")
    rows += portfolio_rows(oag, python, args.repeat or 7, env, scratch)

    per_action: dict[int, float] = {}
    plans: dict[int, Path] = {}
    for n in sizes:
        plans[n] = scratch / f"plan-{n}.yaml"
        plans[n].write_text(generate.generate(n, seed=1), encoding="utf-8")
    for n in sizes:
        path = str(plans[n])
        size = plans[n].stat().st_size
        repeat = args.repeat or {1_000: 21, 10_000: 7}.get(n, 5)
        progress(f"{n:,} actions ({size / 1e6:.1f} MB), {repeat} runs each ...")
        timings = measure(
            {
                "floor": [python, "-c", FLOOR_PARSE, path],
                "validate": [*oag, "validate", path],
                "status": [*oag, "status", "--as-of", AS_OF, "--plan", path],
                "overdue": [*oag, "overdue", "--as-of", AS_OF, "--plan", path],
                # The fixed start-up again, interleaved with this size's runs, so that
                # the time per action below is not skewed by a machine that drifts.
                "start-up": [*oag, "validate", bundled],
            },
            repeat,
            env,
        )
        base = timings["floor"]
        # Issue 14 asks more of one file of 100,000 actions: within 1.2 times the parse, and no more memory.
        largest = n == 100_000
        for name, limit in (("validate", 1.2 if largest else 1.5), ("status", 2.0), ("overdue", 2.0)):
            shown = f"`{name}`" if name == "validate" else f"`{name} --as-of {AS_OF}`"
            rows.append(
                Row(
                    f"{n:,} actions ({size / 1e6:.1f} MB): {shown}",
                    ms(timings[name].seconds),
                    ms(base.seconds),
                    timings[name].seconds / base.seconds,
                    f"≤ {limit:.2f}",
                    limit,
                )
            )
        if n == max(sizes):
            peak = max(timings[name].max_rss_kb for name in ("validate", "status", "overdue"))
            rows.append(
                Row(
                    f"{n:,} actions: peak memory (max RSS of validate, status, overdue)",
                    mb(peak),
                    mb(base.max_rss_kb),
                    peak / base.max_rss_kb,
                    "≤ 1.00" if largest else "≤ 1.50",
                    1.0 if largest else 1.5,
                )
            )
        if n == 10_000:
            action = first_open_action(plans[n])
            if action and has_command(oag, "complete", env):
                copy = scratch / "complete.yaml"
                timed = measure(
                    {
                        "validate": [*oag, "validate", str(copy)],
                        "complete": [
                            *oag,
                            "complete",
                            action,
                            "--on",
                            AS_OF,
                            "--evidence",
                            "https://example.org/evidence.pdf",
                            "--plan",
                            str(copy),
                        ],
                    },
                    repeat,
                    env,
                    before={
                        "validate": lambda n=n, copy=copy: shutil.copyfile(plans[n], copy),
                        "complete": lambda n=n, copy=copy: shutil.copyfile(plans[n], copy),
                    },
                )
                ratio = timed["complete"].seconds / timed["validate"].seconds
                rows.append(
                    Row(
                        f"10,000 actions: `complete {action}` (against `validate`)",
                        ms(timed["complete"].seconds),
                        ms(timed["validate"].seconds),
                        ratio,
                        "≤ 1.30",
                        1.3,
                    )
                )
            else:
                rows.append(Row("10,000 actions: `complete` (against `validate`)", "n/a", "", None, "≤ 1.30", 1.3))
        # Time per action: what validating N actions adds to validating the bundled plan.
        per_action[n] = (timings["validate"].seconds - timings["start-up"].seconds) / n
    progress(f"one text of {LONG_TEXT_CHARS:,} characters ...")
    rows_of_long_text = long_text_rows(oag, args.repeat or 7, env, scratch)
    progress(f"{LONG_HISTORY_ENTRIES:,} history entries ...")
    rows_of_long_text += long_history_rows(oag, args.repeat or 7, env, scratch)

    small, large = min(per_action), max(per_action)
    spread = max(per_action.values()) / min(per_action.values())
    detail = ", ".join(f"{per_action[n] * 1e6:.1f} µs at {n:,}" for n in sorted(per_action))
    rows.append(
        Row(
            f"linear: `validate` time per action beyond the fixed start-up, {small:,} to {large:,} ({detail})",
            f"{per_action[large] * 1e6:.1f} µs",
            f"{per_action[small] * 1e6:.1f} µs",
            spread,
            "≤ 1.20 (max/min)",
            1.2,
        )
    )
    rows += rows_of_long_text

    text = table_text(rows, header())
    print(text)
    (args.out or HERE / "results.md").write_text(
        "# Benchmark results\n\n"
        "Produced by `python benchmarks/run.py"
        + (" --quick" if args.quick else "")
        + "`. Floors: a minimal Typer app printing a three-row Rich table (cold start); "
        "a process importing yaml, dateutil, "
        "rich and typer that runs `yaml.compose(..., Loader=yaml.CSafeLoader)` "
        "on the same file with the garbage collector off "
        "(plans of N actions), or on every file of a portfolio one after another (`floor_compose.py`); "
        "Taskwarrior's `task overdue` (a portfolio from a warm cache). "
        "Every run reads and writes its caches in a temporary folder; "
        "a row that does not say warm cache reads each plan from its text (`OAGTRACK_NO_CACHE=1`), "
        "and a warm cache is filled by one untimed run.\n\n" + text,
        encoding="utf-8",
    )
    failed = [row for row in rows if row.result == "FAIL"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
