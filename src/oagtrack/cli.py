"""The `oagtrack` command line: the app with every command group registered.

Exit codes: 0 ok, 1 invalid plan or refused operation, 2 usage error,
3 plan changed on disk or locked (retry), 70 internal error (a bug).
Each group of commands lives in its own module under `commands/`.

`app` is imported on first use (`from oagtrack.cli import app` works as
usual), so that `main` can switch the garbage collector off before Typer
and Rich are imported: importing them with it on costs about a tenth more.
"""

from __future__ import annotations

import copy
import gc
import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]

BUG_REPORT = "please report this bug with the command you ran"
EXIT_INTERNAL = 70  # as _app.EXIT_INTERNAL; here so that a failing import is reported too


def __getattr__(name: str) -> Any:
    if name == "app":
        return _registered_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _registered_app() -> typer.Typer:
    """The Typer app with every command module imported (which registers its commands)."""
    from ._app import app
    from .commands import query, update, reports, review  # noqa: F401  (registers the commands, in this order in --help)

    return app


def main(argv: list[str] | None = None) -> None:
    """Console entry point: any unexpected exception is a bug, reported in one line.

    A command runs for moments and builds no reference cycles worth finding,
    so the cyclic garbage collector stays off: with it on, building a large
    plan's tree costs several times as much.
    """
    gc.disable()
    _tolerate_narrow_encodings()
    args = sys.argv[1:] if argv is None else argv
    try:
        app_for(args)(args=args, prog_name="oagtrack")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("oagtrack: interrupted\n")
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence
        message = " ".join(str(err).split())[:300]
        sys.stderr.write(f"oagtrack: internal error ({type(err).__name__}: {message}); {BUG_REPORT}\n")
        sys.exit(EXIT_INTERNAL)


def _tolerate_narrow_encodings() -> None:
    """On an ASCII or Latin-1 terminal, print what cannot be encoded as escapes rather than fail."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


#: The module under commands/ that registers each command; tests keep it true.
COMMAND_MODULES = {
    **dict.fromkeys(("validate", "status", "overdue", "upcoming", "show"), "query"),
    **dict.fromkeys(("complete", "start", "revise", "note", "verify", "reopen", "retire"), "update"),
    **dict.fromkeys(("report", "timeline", "calendar", "export"), "reports"),
    **dict.fromkeys(("schema", "init", "migrate", "diff", "check", "log"), "review"),
}


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run, when it names one.

    Typer turns every registered command into a Click command at start-up,
    reading each function's signature, and each command module imports what
    its commands share; with twenty commands in four modules that is a good
    part of the start-up time. So only the named command's module is
    imported and only that command built. Help, errors and unknown commands
    get the whole app, so what they print is unchanged.
    """
    position = next((i for i, arg in enumerate(args) if not arg.startswith("-")), None)
    name = args[position] if position is not None else ""
    module = COMMAND_MODULES.get(name)
    if module is None or any(arg in ("-h", "--help") for arg in args[:position]):
        return _registered_app()  # `oagtrack --help status` is the root help: it lists every command
    from ._app import app

    importlib.import_module(f".commands.{module}", __package__)
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen:
        return _registered_app()
    only = copy.copy(app)
    only.registered_commands = chosen
    return only


def _command_name(info: Any) -> str:
    callback_name = getattr(info.callback, "__name__", "")
    return info.name or callback_name.lower().replace("_", "-")
