"""The `oagtrack` command line: the app with every command group registered.

Exit codes: 0 ok, 1 invalid plan or refused operation, 2 usage error,
3 plan changed on disk or locked (retry), 70 internal error (a bug).
Each group of commands lives in its own module under `commands/`.
"""

from __future__ import annotations

import sys

from ._app import EXIT_INTERNAL, app
from .commands import query, reports, review, update  # noqa: F401  (registers the commands)

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: any unexpected exception is a bug, reported in one line."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("oagtrack: interrupted\n")
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence
        sys.stderr.write(f"oagtrack: internal error ({type(err).__name__}: {err}); please report this bug with the command you ran\n")
        sys.exit(EXIT_INTERNAL)
