"""Keep the examples in README.md and docs/*.md true: check them, or rewrite them from real runs.

Every fenced block that opens with ```console is an example, and every one is
checked. Each of its lines that starts with `$ ` is a command; the lines up to
the next command are what it prints, stdout then stderr, at 100 columns
without colour (trailing spaces dropped):

- `$ [VAR=value ...] oagtrack ARGS [| head -n N | tail -n N]` runs oagtrack
  in process (`head` keeps the first N lines and adds `...` after them when
  there were more; `tail` keeps the last N, with `...` before them);
- `$ echo $?` prints the exit code of the command before it;
- in a scratch folder only (below), `$ git ARGS` runs git, and
  `$ python benchmarks/generate.py ARGS > FILE` writes the repository's
  generated benchmark plan to FILE.

Anything else is refused, so no console block shows output nobody ran.

A block runs in the repository folder, on the bundled plan. Blocks that follow
a line `<!-- scratch -->` (up to `<!-- /scratch -->` or the end of the file)
run one after another in one new folder holding a copy of plan.yaml,
committed on branch `main` of a new git repository, so that the steps of a
walk-through see what the ones before them wrote. git runs there as
"Ana Lead", each git command a day after the one before it, starting at the
commit of the plan on 2021-01-04, so commit ids are the same on every run.

`python tools/readme.py --update` regenerates docs/cli.md (tools/cli_reference.py)
and rewrites every block; without `--update` it names each stale block and
exits 1. tests/test_readme.py runs the same check.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "OAGTRACK_PLAN": "", "OAGTRACK_LANG": "en"}

#: A console block, or a line that opens or closes a scratch folder, in the order they appear.
TOKEN = re.compile(
    r"^(?:(?P<open><!-- scratch -->)|(?P<close><!-- /scratch -->)|```console\n(?P<body>.*?)^```)[ \t]*$", re.S | re.M
)
COMMAND = re.compile(r"^\$ (?P<env>(?:[A-Z_]+=\S+ )*)(?P<program>\S+)(?P<args>[^\n]*)$")
PIPE = re.compile(r"\s*\|\s*(?P<tool>head|tail) -n (?P<lines>\d+)\s*$")
GENERATE = re.compile(r"^python benchmarks/generate\.py (?P<args>[^>]*?) > (?P<file>\S+)$")

GIT_START = dt.datetime(2021, 1, 4, 9, 0, tzinfo=dt.UTC)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ana Lead",
    "GIT_AUTHOR_EMAIL": "ana.lead@example.org",
    "GIT_COMMITTER_NAME": "Ana Lead",
    "GIT_COMMITTER_EMAIL": "ana.lead@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


def documents() -> list[Path]:
    """README.md, then every Markdown file in docs/, by name."""
    return [README, *sorted(DOCS.glob("*.md"))]


@dataclass(frozen=True)
class Block:
    """One console block: where its body lies in the file, and the body."""

    path: Path
    line: int
    start: int
    end: int
    body: str

    @property
    def where(self) -> str:
        return f"{self.path.resolve().relative_to(ROOT)}:{self.line}"

    def commands(self) -> list[str]:
        """Each `$ ` line of the block, without the `$ `."""
        lines = self.body.splitlines()
        if not lines or not lines[0].startswith("$ "):
            raise ValueError(f"{self.where}: a console block starts with `$ COMMAND`")
        return [line[2:] for line in lines if line.startswith("$ ")]


@dataclass(frozen=True)
class Run:
    """Blocks that run together: one block in the repository folder, or every block of a scratch folder."""

    blocks: tuple[Block, ...]
    scratch: bool

    @property
    def where(self) -> str:
        return self.blocks[0].where

    def output(self) -> list[str]:
        """The body each block should have: its commands, each followed by what it prints now."""
        with Shell(scratch=self.scratch) as shell:
            return [
                "".join(f"$ {command}\n{shell.run(command, block.where)}" for command in block.commands())
                for block in self.blocks
            ]


def runs(path: Path) -> list[Run]:
    """The console blocks of one Markdown file, grouped as they run."""
    text = path.read_text(encoding="utf-8")
    found: list[Run] = []
    session: list[Block] | None = None
    for match in TOKEN.finditer(text):
        if match.group("open") or match.group("close"):
            if session:
                found.append(Run(tuple(session), scratch=True))
            session = [] if match.group("open") else None
            continue
        line = text.count("\n", 0, match.start()) + 1
        block = Block(path, line, match.start("body"), match.end("body"), match.group("body"))
        if session is None:
            found.append(Run((block,), scratch=False))
        else:
            session.append(block)
    if session:
        found.append(Run(tuple(session), scratch=True))
    return found


class Shell:
    """Runs the commands of one Run, in the repository folder or in a scratch git repository."""

    def __init__(self, scratch: bool) -> None:
        self.scratch = scratch
        self.folder = ROOT
        self.status = 0
        self.git_runs = 0

    def __enter__(self) -> Shell:
        if self.scratch:
            self.folder = Path(tempfile.mkdtemp(prefix="oagtrack-docs-"))
            shutil.copyfile(ROOT / "plan.yaml", self.folder / "plan.yaml")
            for args in (
                ["init", "-q", "-b", "main"],
                ["add", "plan.yaml"],
                ["commit", "-q", "-m", "The plan as printed"],
            ):
                self.git(args)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.scratch:
            shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, command: str, where: str) -> str:
        """What a reader sees for `$ command`, each line stripped on the right, or nothing."""
        match = COMMAND.match(f"$ {command}")
        if match is None:
            raise ValueError(f"{where}: cannot read the command `{command}`")
        program, args = match.group("program"), match.group("args")
        env = dict(pair.split("=", 1) for pair in match.group("env").split())
        if command == "echo $?":
            output = f"{self.status}\n"
        elif program == "oagtrack":
            output = self.oagtrack(args, env)
        elif program == "git" and self.scratch and not env:
            output = self.git(shlex.split(args))
        elif self.scratch and not env and (generate := GENERATE.match(command)):
            output = self.generate(shlex.split(generate.group("args")), generate.group("file"))
        else:
            raise ValueError(
                f"{where}: cannot check `{command}`: a console block runs oagtrack and echo $?, "
                "and after <!-- scratch --> git and benchmarks/generate.py"
            )
        return tidy(output)

    def oagtrack(self, args: str, env: dict[str, str]) -> str:
        from typer.testing import CliRunner

        from oagtrack.cli import app

        cuts: list[tuple[str, int]] = []
        while match := PIPE.search(args):
            cuts.insert(0, (match.group("tool"), int(match.group("lines"))))
            args = args[: match.start()]
        settings = dict(ENV, **(GIT_ENV if self.scratch else {}), **env)
        cwd = os.getcwd()
        os.chdir(self.folder)
        try:
            result = CliRunner().invoke(app, shlex.split(args), env=settings)
        finally:
            os.chdir(cwd)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        self.status = result.exit_code
        return tidy(result.stdout + result.stderr, *cuts)

    def git(self, args: list[str]) -> str:
        when = (GIT_START + dt.timedelta(days=self.git_runs)).isoformat()
        self.git_runs += 1
        env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
        env.update(GIT_ENV, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        result = subprocess.run(["git", *args], cwd=self.folder, env=env, capture_output=True, text=True, check=False)
        self.status = result.returncode
        return result.stdout + result.stderr

    def generate(self, args: list[str], name: str) -> str:
        script = ROOT / "benchmarks" / "generate.py"
        with open(self.folder / name, "wb") as out:
            result = subprocess.run(
                [sys.executable, str(script), *args], stdout=out, stderr=subprocess.PIPE, check=False
            )
        self.status = result.returncode
        return result.stderr.decode()


def tidy(output: str, *cuts: tuple[str, int]) -> str:
    """Lines stripped on the right, then cut by each `("head", N)` or `("tail", N)` in turn, `...` marking a cut."""
    lines = [line.rstrip() for line in output.splitlines()]
    for tool, limit in cuts:
        if len(lines) > limit:
            lines = lines[:limit] + ["..."] if tool == "head" else ["..."] + lines[len(lines) - limit :]
    return "".join(line + "\n" for line in lines)


def run_example(command: str, env: str = "") -> str:
    """The output a reader would see for `$ [VAR=value ...] oagtrack <command>` in the repository folder."""
    with Shell(scratch=False) as shell:
        return shell.run(f"{env}oagtrack {command}", "run_example")


def render(path: Path) -> str:
    """The file's text with every console block rewritten from a real run."""
    text = path.read_text(encoding="utf-8")
    replacements = [(block, body) for run in runs(path) for block, body in zip(run.blocks, run.output())]
    for block, body in sorted(replacements, key=lambda pair: pair[0].start, reverse=True):
        text = text[: block.start] + body + text[block.end :]
    return text


def stale_blocks(path: Path) -> list[str]:
    """Where the file has a block that differs from what its commands print now, naming the first such command."""
    stale = []
    for run in runs(path):
        for block, body in zip(run.blocks, run.output()):
            if block.body != body:
                pairs = zip(
                    block.commands(),
                    re.split(r"^\$ .*\n", block.body, flags=re.M)[1:],
                    re.split(r"^\$ .*\n", body, flags=re.M)[1:],
                )
                command = next((command for command, old, new in pairs if old != new), block.commands()[0])
                stale.append(f"{block.where}: output of `{command}`")
    return stale


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import cli_reference

    if argv[1:] == ["--update"]:
        cli_reference.main(["cli_reference.py", "--update"])
        for path in documents():
            path.write_text(render(path), encoding="utf-8")
        return 0
    stale = [] if cli_reference.main(["cli_reference.py"]) == 0 else ["docs/cli.md"]
    for path in documents():
        try:
            found = [f"{where} is out of date; run python tools/readme.py --update" for where in stale_blocks(path)]
        except ValueError as err:
            found = [str(err)]
        print(*found, sep="\n", end="\n" if found else "")
        stale += found
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
