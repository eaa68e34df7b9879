"""The cold-start floor: a minimal Typer app that prints a three-row Rich table.

Any command-line tool built on Typer and Rich pays at least this much to
start; `benchmarks/run.py` compares oagtrack's start-up against it.
"""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def main(title: str = "Milestones") -> None:
    """Print a three-row table."""
    table = Table(title=title)
    for column in ("ID", "Due", "State"):
        table.add_column(column)
    for row in (("1.1", "2020-09-30", "overdue"), ("1.2", "2020-12-07", "overdue"), ("1.3", "2021-01-30", "open")):
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    app()
