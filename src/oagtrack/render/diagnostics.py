"""Problems for people and for machines: text, JSON, or GitHub workflow commands.

`validate` and `check` share these renderers. The GitHub form prints one
`::error file=...,line=...,col=...::message` line per problem so that a pull
request shows each one inline. Plan text reaches these messages, so every
value is escaped as the workflow-command syntax requires (`%`, CR and LF
everywhere, and `:` and `,` in properties): a plan can never smuggle in a
command of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from ..core.problems import Problem
from .inert import GITHUB, JSON, TERMINAL, renders, visible
from .language import say


def pick_format(name: str, environ: Mapping[str, str]) -> str:
    """`auto` means github inside GitHub Actions (GITHUB_ACTIONS=true), else text."""
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS", "").lower() == "true" else "text"
    return name


@renders(TERMINAL)
def as_text(problems: Iterable[Problem]) -> str:
    return "".join(f"{problem}\n" for problem in problems)


@renders(JSON)
def as_json(problems: Iterable[Problem], **extra: object) -> str:
    rows = [
        {"file": p.file, "line": p.line or None, "col": p.col or None, "severity": p.severity, "message": p.message}
        for p in problems
    ]
    return json.dumps({"ok": not rows, **extra, "problems": rows}, indent=2, ensure_ascii=False) + "\n"


@renders(GITHUB)
def as_github(problems: Iterable[Problem], title: str = "oagtrack") -> str:
    return "".join(github_command(problem, title) + "\n" for problem in problems)


def github_command(problem: Problem, title: str = "oagtrack") -> str:
    """One workflow command: `::error file=plan.yaml,line=12,col=5,title=oagtrack::message`."""
    command = "warning" if problem.severity == "warning" else "error"
    properties = [("file", problem.file)]
    if problem.line:
        properties += [("line", str(problem.line)), ("col", str(problem.col))]
    properties.append(("title", title))
    props = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{command} {props}::{escape_data(say(problem.message))}"


def escape_data(text: str) -> str:
    """A workflow-command message: `%`, CR and LF escaped, other controls shown as escapes.

    A CI log interprets terminal escape sequences; plan text must not.
    """
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A workflow-command property value: as a message, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
