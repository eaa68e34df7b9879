"""Pull-request commands (issue 5): diff, check, log, schema, init."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._app import PlanOption, app, fail, plan_path, today, write_out
from ..render.diagnostics import DiagnosticFormat


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft-07) of plan.yaml, for editors and other tools.

    Example: oagtrack schema > plan.schema.json
    """
    from ..jsonschema import schema_text

    write_out(schema_text())


@app.command()
def init(
    audit: Annotated[str, typer.Option("--audit", metavar="TEXT", help="The audit's title")] = "Title of the audit",
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="Where to write the plan")] = "plan.yaml",
) -> None:
    """Write a new, valid, commented plan skeleton; never overwrites a file.

    Example: oagtrack init --audit "2021 Report 5: Border Security" -o border.plan.yaml
    """
    from ..skeleton import skeleton

    target = Path(output)
    text = skeleton(audit, today())
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        fail(f"oagtrack: {target} already exists; init never overwrites a plan (choose another name with -o)")
    except OSError as err:
        fail(f"oagtrack: cannot write {target}: {err.strerror or err}")
    typer.echo(f"{target}: new plan written; edit it, then run oagtrack validate {target}")
