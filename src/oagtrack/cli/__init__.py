"""The `oagtrack` command line: the app with every command group registered.

Exit codes: 0 ok, 1 invalid plan or refused operation, 2 usage error,
3 plan changed on disk or locked (retry), 70 internal error (a bug).
Each group of commands lives in its own module beside this one (`queries`,
`updates`, `reports`, `review`); `shared` holds the options and loading they share.

`app` is imported on first use (`from oagtrack.cli import app` works as
usual), so that `main` can switch the garbage collector off before Typer
and Rich are imported: importing them with it on costs about a tenth more.

Exit 70 is for bugs only, so the things a caller does to the process are
ordinary conditions here, handled once for every command: a standard stream
closed (`oagtrack validate >&-`), a reader that stops reading (`| head`), a
full disk under standard output, an unreadable $COLUMNS.
"""

from __future__ import annotations

import copy
import gc
import importlib
import io
import os
import re
import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main", "run"]  # noqa: F822 - `app` is built on first use, by the module __getattr__ below

BUG_REPORT = "please report this bug with the command you ran"
EXIT_INVALID = 1  # as shared.EXIT_INVALID
EXIT_INTERNAL = 70  # as shared.EXIT_INTERNAL; here so that a failing import is reported too


def __getattr__(name: str) -> Any:
    if name == "app":
        return _registered_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _registered_app() -> typer.Typer:
    """The Typer app with every command module imported (which registers its commands)."""
    from .shared import app

    for module in COMMAND_GROUPS:  # importing a module registers its commands, in this order in --help
        importlib.import_module(f".{module}", __package__)

    return app


#: What a command read, kept alive until the process ends when it runs as `run` (None: in-process, keep nothing).
_kept_until_exit: list[object] | None = None


def keep_until_exit(value: object) -> None:
    """Keep `value` (a plan that was read) alive to the end of the process, which `run` ends without freeing it."""
    if _kept_until_exit is not None:
        _kept_until_exit.append(value)


def run() -> NoReturn:
    """The `oagtrack` command and `python -m oagtrack`: `main`, then the process ends at once.

    Otherwise what a command read is freed object by object as it returns
    and as the interpreter shuts down: for a plan of 10,000 actions, 0.17 s
    of a 1.5 s `validate`, to give back memory the kernel takes back whole
    when the process ends. So the plans read are kept (`keep_until_exit`),
    and once the output is flushed the process ends with `os._exit`, which
    frees nothing. `main` returns as before, for callers in the same process.
    """
    global _kept_until_exit
    _kept_until_exit = []
    try:
        main()
        status = 0
    except SystemExit as done:
        status = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError, OutputFailed) as failed:
            # `main` flushed on every ordinary ending already: this is what a bug's path left unwritten
            status = status or EXIT_INVALID
            if stream is sys.stdout:
                reason = failed.reason if isinstance(failed, OutputFailed) else str(failed)
                _say_if_possible(f"oagtrack: cannot write the output: {reason}\n")
    os._exit(status)


def _say_if_possible(message: str) -> None:
    try:
        sys.stderr.write(message)
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass  # no standard error either: the status says it


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` gives the process: None is 0, a number itself, anything else printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


def main(argv: list[str] | None = None) -> None:
    """Console entry point: any unexpected exception is a bug, reported in one line.

    A command runs for moments and builds no reference cycles worth finding,
    so the cyclic garbage collector stays off: with it on, building a large
    plan's tree costs several times as much.
    """
    gc.disable()
    _give_every_standard_stream_a_place()
    _tolerate_narrow_encodings()
    _ignore_unreadable_terminal_sizes(os.environ)
    args = sys.argv[1:] if argv is None else argv
    try:
        app_for(args)(args=args, prog_name="oagtrack")
    except SystemExit:
        _flush_standard_output()
        raise
    except KeyboardInterrupt:
        sys.stderr.write("oagtrack: interrupted\n")
        sys.exit(130)
    except OutputFailed as failed:
        _give_up_on_standard_output(failed)
    except Exception as err:  # noqa: BLE001 - the last line of defence
        message = " ".join(str(err).split())[:300]
        sys.stderr.write(f"oagtrack: internal error ({type(err).__name__}: {message}); {BUG_REPORT}\n")
        sys.exit(EXIT_INTERNAL)


class OutputFailed(Exception):
    """Standard output could not be written (a full disk, an I/O error): the command fails in one line."""

    def __init__(self, error: OSError):
        self.reason = error.strerror or str(error)
        super().__init__(self.reason)


class _OutputAReaderMayLeave(io.BufferedWriter):
    """Standard output whose reader may stop reading (`oagtrack status | head -3`).

    What is left to print then goes nowhere and the command carries on, so
    its exit code is the answer it would have given: a reader that stopped
    early never turns an invalid plan into a valid one, nor an update that
    was written into one that failed. Any other failed write is `OutputFailed`.
    """

    #: Flush every write, as standard output does under `python -u` or PYTHONUNBUFFERED.
    unbuffered = False

    def write(self, data: Any) -> int:
        try:
            written = super().write(data)
            if self.unbuffered:
                super().flush()
            return written
        except BrokenPipeError:
            _send_to_the_null_device(self.fileno())
            return len(data)
        except OSError as err:
            raise OutputFailed(err) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            _send_to_the_null_device(self.fileno())
            super().flush()
        except OSError as err:
            raise OutputFailed(err) from None


def _send_to_the_null_device(fd: int) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def _give_every_standard_stream_a_place() -> None:
    """Make every standard stream writable (or readable), whatever the caller closed.

    A stream closed by the caller (`>&-`) is opened on the null device: what
    would have been printed goes nowhere and the command gives its ordinary
    answer, and no file opened later (the plan, a lock) can take the
    stream's number and receive output meant for the terminal. Standard
    output is then given the writer above, unless it is not an ordinary
    file descriptor (a test's capture, a Windows console).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            _send_to_the_null_device(fd)
    stdout = sys.stdout
    binary = getattr(stdout, "buffer", None)
    if stdout is None or (stdout is sys.__stdout__ and isinstance(getattr(binary, "raw", binary), io.FileIO)):
        if stdout is not None:
            stdout.flush()
        writer = _OutputAReaderMayLeave(io.FileIO(1, "w", closefd=False))
        writer.unbuffered = binary is not None and not hasattr(binary, "raw")
        sys.stdout = io.TextIOWrapper(
            writer,
            encoding=getattr(stdout, "encoding", None) or "utf-8",
            errors="backslashreplace",
            line_buffering=bool(getattr(stdout, "line_buffering", False)),
            write_through=bool(getattr(stdout, "write_through", False)),
        )
    if sys.stderr is None:
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
        )
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")


def _flush_standard_output() -> None:
    """Write what is still buffered now, while a failure can be reported, rather than at interpreter exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OutputFailed as failed:
        _give_up_on_standard_output(failed)


def _give_up_on_standard_output(failed: OutputFailed) -> None:
    """One line on stderr and exit 1; what is left unwritten is dropped, so exiting does not fail again."""
    try:
        _send_to_the_null_device(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass  # not a file descriptor: nothing is flushed to it at exit
    sys.stderr.write(f"oagtrack: cannot write the output: {failed.reason}\n")
    sys.exit(EXIT_INVALID)


#: The terminal sizes Rich reads from the environment, as str.isdigit() reads them.
_TERMINAL_SIZES = ("COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES")
_TERMINAL_SIZE = re.compile(r"[1-9][0-9]{0,4}")


def _ignore_unreadable_terminal_sizes(environ: Any) -> None:
    """Drop a terminal size that is not 1 to 99999 in ASCII digits, as if it were unset.

    Rich converts whatever str.isdigit() accepts, so `COLUMNS` of 5,000
    digits would stop every command with Python's limit on integer
    conversion, and Arabic-Indic digits would be read as a width.
    """
    for name in _TERMINAL_SIZES:
        value = environ.get(name)
        if value is not None and not _TERMINAL_SIZE.fullmatch(value):
            del environ[name]


def _tolerate_narrow_encodings() -> None:
    """On an ASCII or Latin-1 terminal, print what cannot be encoded as escapes rather than fail."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


#: The modules in cli/ that register commands, in the order --help lists them.
COMMAND_GROUPS = ("queries", "updates", "reports", "portfolio", "review")
#: The module in cli/ that registers each command; tests keep it true.
COMMAND_MODULES = {
    **dict.fromkeys(("validate", "status", "overdue", "upcoming", "show"), "queries"),
    **dict.fromkeys(("complete", "start", "revise", "note", "verify", "reopen", "retire"), "updates"),
    **dict.fromkeys(("report", "timeline", "calendar", "export"), "reports"),
    **dict.fromkeys(("kca", "committee", "digest"), "portfolio"),
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
    from .shared import app

    importlib.import_module(f".{module}", __package__)
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen:
        return _registered_app()
    only = copy.copy(app)
    only.registered_commands = chosen
    return only


def _command_name(info: Any) -> str:
    callback_name = getattr(info.callback, "__name__", "")
    return info.name or callback_name.lower().replace("_", "-")
