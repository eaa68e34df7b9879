"""The floor of reading a portfolio from its text: one process that composes every file with libyaml.

It imports what any oagtrack command imports (yaml, dateutil, rich, typer),
turns the garbage collector off, and runs `yaml.compose(...,
Loader=yaml.CSafeLoader)` on each file it is given, a folder standing for
every `*.yaml` in it (the plans and the portfolio file), one after another.
Nothing is checked, nothing is queried and nothing is printed.
`benchmarks/run.py` times `oagtrack overdue --no-cache` on a portfolio
against it: the two processes oagtrack may use to parse are expected to beat
this one.

    python benchmarks/floor_compose.py FOLDER_OR_FILE...
"""

import gc
import sys
from pathlib import Path

gc.disable()

import dateutil  # noqa: E402, F401  (imported as oagtrack imports them, so the floor pays the same start-up)
import rich  # noqa: E402, F401
import typer  # noqa: E402, F401
import yaml  # noqa: E402


def files(arguments: list[str]) -> list[Path]:
    """Each argument, a folder standing for the `*.yaml` files in it, in name order."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def main(arguments: list[str]) -> int:
    for path in files(arguments):
        yaml.compose(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
