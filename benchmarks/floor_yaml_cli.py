"""The cold-start floor plus what any command on a YAML plan must do.

`floor_cli.py`, and before its table: import PyYAML and compose the plan with
libyaml. No validation, no query, a three-row table. `benchmarks/run.py`
reports it beside the cold-start target to show how much of that target is
left for oagtrack's own work once PyYAML is loaded.
"""

import typer
import yaml
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def main(plan: str, title: str = "Milestones") -> None:
    """Compose PLAN, then print a three-row table."""
    with open(plan, "rb") as file:
        yaml.compose(file.read().decode("utf-8"), Loader=yaml.CSafeLoader)
    table = Table(title=title)
    for column in ("ID", "Due", "State"):
        table.add_column(column)
    for row in (("1.1", "2020-09-30", "overdue"), ("1.2", "2020-12-07", "overdue"), ("1.3", "2021-01-30", "open")):
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    app()
