"""Start-up builds only what the command run needs, and says the same as the whole app."""

from __future__ import annotations

import importlib

from typer.main import get_command

from oagtrack import cli


def test_the_command_map_names_the_module_that_registers_each_command():
    app = cli.app  # every module imported
    registered = {
        cli._command_name(info): info.callback.__module__.rsplit(".", 1)[-1] for info in app.registered_commands
    }
    assert cli.COMMAND_MODULES == registered


def test_a_named_command_gets_an_app_with_only_that_command():
    only = cli.app_for(["overdue", "--as-of", "2021-01-31"])
    assert sorted(get_command(only).commands) == ["overdue"]
    assert sorted(get_command(cli.app_for(["--help"])).commands) == sorted(cli.COMMAND_MODULES)
    assert sorted(get_command(cli.app_for(["no-such-command"])).commands) == sorted(cli.COMMAND_MODULES)
    assert importlib.import_module("oagtrack.cli.queries") is not None


def test_root_help_before_a_command_name_lists_every_command():
    assert sorted(get_command(cli.app_for(["--help", "status"])).commands) == sorted(cli.COMMAND_MODULES)
    assert sorted(get_command(cli.app_for(["status", "--help"])).commands) == ["status"]
