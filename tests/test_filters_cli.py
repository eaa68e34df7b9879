"""The filter options are declared once and make one Filters value; the human format is `text`, old names still work."""

from __future__ import annotations

import inspect
import re

import pytest
import typer
from conftest import BUNDLED_PLAN
from typer.main import get_command
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.cli.shared import FROM_OPTIONS, AsOfOption, PlanOption, with_filters
from oagtrack.core.query import NO_FILTERS, Filters

runner = CliRunner()
PLAN = ["--plan", str(BUNDLED_PLAN)]
AS_OF = ["--as-of", "2021-01-31"]
#: Every command that lists milestones takes the four filter options from `with_filters`.
FILTERED_COMMANDS = ["status", "overdue", "upcoming", "report", "timeline", "calendar", "export"]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def app_recording_filters() -> tuple[typer.Typer, list[Filters]]:
    """A one-command app whose command records the Filters it is called with."""
    received: list[Filters] = []
    recorder = typer.Typer(add_completion=False)

    @recorder.command()
    @with_filters
    def listing(as_of: AsOfOption = None, filters: Filters = FROM_OPTIONS, plan: PlanOption = None) -> None:
        received.append(filters)

    return recorder, received


def test_a_filtered_command_gets_the_filters_the_options_say():
    """Each option's values arrive in the order given, organizations as written, states split at commas."""
    recorder, received = app_recording_filters()
    args = ["--org", "CBSA", "--lead", "giles", "--rec", "3", "--lead", "harris", "--state", "overdue, open"]
    result = runner.invoke(recorder, args, catch_exceptions=False)
    assert (0, [Filters(("giles", "harris"), ("CBSA",), ("3",), ("overdue", "open"))]) == (result.exit_code, received)


def test_a_filtered_command_given_no_filter_option_gets_no_filters():
    recorder, received = app_recording_filters()
    result = runner.invoke(recorder, ["--state", ""], catch_exceptions=False)
    assert (0, [NO_FILTERS]) == (result.exit_code, received)


def test_the_filter_options_stand_where_the_filters_parameter_was():
    """Typer reads the options from the signature: the four replace `filters`, so --help keeps its order."""
    recorder, _ = app_recording_filters()
    command = recorder.registered_commands[0].callback
    assert ["as_of", "lead", "org", "rec", "state", "plan"] == list(inspect.signature(command).parameters)
    assert ["--as-of", "--lead", "--org", "--rec", "--state", "--plan"] == [
        param.opts[0] for param in get_command(recorder).params if param.opts[0] != "--help"
    ]


@pytest.mark.parametrize("command", FILTERED_COMMANDS)
def test_every_listing_command_has_the_four_filter_options_together(command):
    options = [param.opts[0] for param in get_command(app).commands[command].params]
    at = options.index("--lead")
    assert ["--lead", "--org", "--rec", "--state"] == options[at : at + 4]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--lead", "zed", "--lead", "nobody"], "--lead: no person 'zed' in the plan"),
        (["--lead", "nobody", "--lead", "zed"], "--lead: no person 'nobody' in the plan"),
        (["--org", "XYZ", "--org", "ABC"], "--org: no organization 'XYZ' among the leads"),
        (["--rec", "9", "--rec", "8"], "--rec: no recommendation '9'; recommendations: 1, 2, 3"),
        (["--state", "late,bogus", "--lead", "nobody"], "--state: unknown state bogus, late; choose from"),
    ],
)
def test_the_first_filter_the_plan_lacks_is_named_in_the_order_given(args, named):
    result = run("overdue", *AS_OF, *args, *PLAN)
    assert (2, True) == (result.exit_code, f"Invalid value for {named}" in result.stderr)


def test_an_invalid_plan_is_reported_before_the_filters_that_name_its_contents(tmp_path):
    """The filters are checked against the plan once it is read, so a plan that cannot be read says so first."""
    broken = tmp_path / "plan.yaml"
    broken.write_text("schema_version: 2\n", encoding="utf-8")
    result = run("status", "--lead", "nobody", "--plan", str(broken))
    assert result.exit_code == 1
    assert "--lead" not in result.stderr


@pytest.mark.parametrize(
    ("command", "old", "extra", "first_line"),
    [
        ("overdue", "table", [], "ID          Rec   Milestone"),
        ("upcoming", "table", ["--within", "90d"], "ID          Rec   Milestone"),
        ("report", "terminal", [], "Progress report: Immigration Removals"),
    ],
)
def test_the_old_name_of_the_text_format_still_prints_text(command, old, extra, first_line):
    """Scripts written with `--format table` or `--format terminal` get what `--format text` prints."""
    text = run(command, *AS_OF, *extra, "--format", "text", *PLAN)
    old_name = run(command, *AS_OF, *extra, "-f", old, *PLAN)
    assert (0, first_line) == (text.exit_code, text.stdout[: len(first_line)])
    assert (0, text.stdout) == (old_name.exit_code, old_name.stdout)
    assert text.stdout == run(command, *AS_OF, *extra, *PLAN).stdout, "text is the default"


@pytest.mark.parametrize(
    ("command", "choices"),
    [("overdue", "<text|json|csv>"), ("upcoming", "<text|json|csv>"), ("report", "<text|markdown|html|xlsx>")],
)
def test_help_shows_only_the_current_format_names(command, choices):
    help_text = run(command, "--help").stdout
    shown = re.search(r"--format (<.*?>).*?\[default:\s+(\w+)\]", help_text, re.S)
    assert (choices, "text") == (shown and shown.groups())


@pytest.mark.parametrize(("command", "old"), [("overdue", "terminal"), ("report", "table"), ("export", "table")])
def test_an_old_name_is_accepted_only_where_it_was(command, old):
    """`table` named the listings' format and `terminal` the report's; neither was ever a name elsewhere."""
    result = run(command, *AS_OF, "--format", old, *PLAN)
    assert (2, True) == (
        result.exit_code,
        f"Invalid value for '--format' / '-f': '{old}' is not one of" in result.stderr,
    )
