"""Problems as text, JSON and GitHub workflow commands; plan text can never inject a workflow command."""

from __future__ import annotations

import json

import pytest

from oagtrack.core.problems import Problem
from oagtrack.render.diagnostics import (
    as_github,
    as_json,
    as_text,
    escape_data,
    escape_property,
    github_command,
    pick_format,
)


def test_text_is_file_line_col_message() -> None:
    problems = [Problem("plan.yaml", 12, 5, "bad"), Problem("plan.yaml", 0, 0, "no such file")]
    assert "plan.yaml:12:5: bad\nplan.yaml: no such file\n" == as_text(problems)


def test_json_has_positions_or_null() -> None:
    document = json.loads(
        as_json([Problem("plan.yaml", 12, 5, "bad"), Problem("plan.yaml", 0, 0, "gone")], against="main")
    )
    assert {
        "ok": False,
        "against": "main",
        "problems": [
            {"file": "plan.yaml", "line": 12, "col": 5, "severity": "error", "message": "bad"},
            {"file": "plan.yaml", "line": None, "col": None, "severity": "error", "message": "gone"},
        ],
    } == document


def test_github_command_with_and_without_position() -> None:
    assert "::error file=plan.yaml,line=12,col=5,title=oagtrack::bad" == github_command(
        Problem("plan.yaml", 12, 5, "bad")
    )
    assert "::error file=plan.yaml,title=oagtrack::gone" == github_command(Problem("plan.yaml", 0, 0, "gone"))
    assert "::warning file=p.yaml,line=1,col=1,title=t::w" == github_command(
        Problem("p.yaml", 1, 1, "w", "warning"), "t"
    )


def test_escaping_follows_the_workflow_command_syntax() -> None:
    assert "100%25 done%0D%0Anext" == escape_data("100% done\r\nnext")
    assert "a%3Ab%2Cc%25%0A" == escape_property("a:b,c%\n")


@pytest.mark.parametrize(
    "hostile",
    [
        "x\n::set-output name=a::b",
        "x\r::add-mask::secret",
        "x\r\n::stop-commands::token",
        "%0A::error::forged",
    ],
)
def test_plan_text_cannot_start_a_command(hostile: str) -> None:
    """Whatever the message or file name holds, the output is one line, and it is our ::error."""
    output = as_github([Problem(f"evil,line=1::{hostile}.yaml", 3, 4, f"unknown key {hostile}")])
    assert 1 == len(output.splitlines())
    head, message = output[2:].split("::", 1)
    assert f"error file=evil%2Cline=1%3A%3A{escape_property(hostile)}.yaml,line=3,col=4,title=oagtrack" == head
    assert escape_data(f"unknown key {hostile}") + "\n" == message
    assert "\r" not in output


def test_auto_picks_github_only_inside_github_actions() -> None:
    assert ("github", "text", "text", "json") == (
        pick_format("auto", {"GITHUB_ACTIONS": "true"}),
        pick_format("auto", {}),
        pick_format("auto", {"GITHUB_ACTIONS": "false"}),
        pick_format("json", {"GITHUB_ACTIONS": "true"}),
    )
