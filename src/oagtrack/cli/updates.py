"""Update commands (issue 3): complete, start, revise, note, verify, reopen, retire.

Each command names one milestone, builds an update, and hands it to
`edit.apply_bytes` (text splices, re-validated) and `store.write_plan`
(lock, stale check, atomic replace). `--dry-run` prints the unified diff
instead of writing. Exit codes: 1 refused (the file is untouched),
2 usage, 3 the plan changed on disk or another oagtrack holds the lock.
`core.edit` and the rest are imported inside each command, to keep them
out of `--help` (see `shared`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..render.language import _
from ..render.language import say as in_language
from . import shared
from .shared import PlanOption, as_of_date, command, fail, say, unknown_id_message

if TYPE_CHECKING:
    from datetime import date

    from ..core.edit import Update

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="An action (1.1), step (3.4b.a) or expected outcome (1.outcome)")
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="When it happened: YYYY-MM-DD, today, yesterday, -3d [default: today]"),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Print the diff the update would make; change nothing")
]


def _on(text: str | None) -> date:
    return as_of_date(text, "--on")


def _text(value: str, param: str, what: str) -> str:
    """A required text: empty or blank is a usage error (exit 2), said plainly."""
    if not value.strip():
        raise typer.BadParameter(_("must not be empty: give {what}").format(what=what), param_hint=param)
    return value


FrenchOption = Annotated[
    str | None,
    typer.Option(
        "--text-fr",
        metavar="TEXTE",
        help="The note in French; with TEXT, TEXT is the English (both are written, as en: and fr:)",
    ),
]


FrenchReasonOption = Annotated[
    str | None,
    typer.Option("--reason-fr", metavar="TEXTE", help="The reason in French too (written as en: and fr:)"),
]


def _in_languages(english: str | None, french: str | None, param: str) -> str:
    """The text to write: as given, or (with its French) the same text in both languages, written en: and fr:."""
    from ..core.model import Texts

    if french is None:
        return english or ""
    _text(french, param, _("the French text"))
    if english is None:
        return Texts({"fr": french}, "fr")
    return Texts({"en": english, "fr": french}, "en")


def _run(update: Update, plan: list[str] | None, dry_run: bool, done: str) -> None:
    """Apply `update` to the plan file holding its item, or print its diff; a refusal leaves every file as it was."""
    import dataclasses

    from ..core.edit import EditError, UnknownItem, apply_bytes
    from ..core.store import WriteRefused, write_plan
    from ..render.unified_diff import unified_diff

    loaded, item_id, _people = shared.load_for_update(plan, update.item_id)
    if item_id != update.item_id:
        update = dataclasses.replace(update, item_id=item_id)
    name = str(loaded.path)
    try:
        new = apply_bytes(loaded.data, update, today=shared.today(), filename=name, plan=loaded.plan, tree=loaded.tree)
    except UnknownItem as err:
        fail(unknown_id_message(err.item_id, err.known))
    except EditError as err:
        lines = [in_language(line) for line in err.lines]  # the core's words, in the reader's language
        fail([f"oagtrack: {update.item_id}: {lines[0]}", *lines[1:]], err.code)
    if dry_run:
        shared.write_out(unified_diff(loaded.data, new, name))
        return
    try:
        write_plan(loaded.path, loaded.data, new)
    except WriteRefused as err:
        fail(f"oagtrack: {in_language(err.message)}", err.code)
    say(f"{name}: {done}")


@command(
    example="oagtrack complete 1.1 --on 2020-09-28 --evidence https://example.org/e.pdf",
    short_help="Record a milestone complete, with its evidence.",
)
def complete(
    item_id: IdArgument,
    on: OnOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            "-e",
            metavar="URL-OR-PATH",
            help="A link or path to the evidence (required unless a reopened item keeps its evidence; repeatable)",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A progress note recorded with the completion")
    ] = None,
    note_fr: Annotated[
        str | None,
        typer.Option("--note-fr", metavar="TEXTE", help="The note in French too (written as en: and fr:)"),
    ] = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Mark an action, step or expected outcome complete, with evidence.

    A completion needs evidence: at least one --evidence, a link or a path to
    what shows the work is done. Completing again after a reopening may cite
    the evidence already attached instead. Each link is recorded, dated, in
    the completion's history entry.
    """
    from ..core.edit import Complete

    day = _on(on)
    for link in evidence or ():
        _text(link, "--evidence", _("a link or path"))
    if note is not None:
        _text(note, "--note", _("the note's text, or leave --note out"))
    done = _("{item} complete on {day}").format(item=item_id, day=day)
    written = _in_languages(note, note_fr, "--note-fr")
    _run(Complete(item_id, day, tuple(evidence or ()), written), plan, dry_run, done)


@command(example="oagtrack start 3.1 --on 2020-10-01", short_help="Record a milestone in progress.")
def start(
    item_id: IdArgument,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Mark a milestone in progress (from not started or reopened).

    Each start is a dated `started` entry in its history; starting a
    reopened milestone again adds another.
    """
    from ..core.edit import Start

    day = _on(on)
    _run(Start(item_id, day), plan, dry_run, _("{item} in progress").format(item=item_id))


@command(
    example=(
        'oagtrack revise 3.1 --due 2021-06-30 --reason "Pandemic restrictions"'
        ' --approved-by "Departmental Audit Committee, 2020-11-15"'
    ),
    short_help="Move a due date, keeping the original.",
)
def revise(
    item_id: IdArgument,
    due: Annotated[
        str, typer.Option("--due", metavar="DATE", help="The new due date: YYYY-MM-DD or 'Q1 2021-22' (its last day)")
    ],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the date moves (required)")],
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by",
            metavar="TEXT",
            help="Who approved the extension, such as 'Departmental Audit Committee, 2020-11-15'",
        ),
    ] = None,
    reason_fr: FrenchReasonOption = None,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Move a due date; the original date and every revision stay in the history."""
    from ..core.edit import Revise

    _text(reason, "--reason", _("why the date moves"))
    if approved_by is not None:
        _text(approved_by, "--approved-by", _("who approved the extension, or leave --approved-by out"))
    new_due = as_of_date(due, "--due")
    day = _on(on)
    _run(
        Revise(item_id, new_due, _in_languages(reason, reason_fr, "--reason-fr"), day, approved_by or ""),
        plan,
        dry_run,
        _("{item} now due {due} (revised on {day})").format(item=item_id, due=new_due, day=day),
    )


@command(
    example='oagtrack note 1.2 "Dashboard prototype shown to the committee" --on 2020-11-02',
    short_help="Add a dated progress note.",
)
def note(
    item_id: IdArgument,
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="The note (or give it in French with --text-fr)")
    ] = None,
    text_fr: FrenchOption = None,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Add a dated progress note to a milestone's history, in one language or both."""
    from ..core.edit import Note

    if text is None and text_fr is None:
        raise typer.BadParameter(_("give the note's text, or its French with --text-fr"), param_hint="TEXT")
    if text is not None:
        _text(text, "TEXT", _("the note's text"))
    day = _on(on)
    written = _in_languages(text, text_fr, "--text-fr")
    _run(Note(item_id, written, day), plan, dry_run, _("{item} note added on {day}").format(item=item_id, day=day))


@command(
    example='oagtrack verify 1.1 --on 2020-10-15 --by "Internal Audit, CBSA"',
    short_help="Record that internal audit verified a completion.",
)
def verify(
    item_id: IdArgument,
    by: Annotated[
        str, typer.Option("--by", metavar="PERSON", help="Who in internal audit checked the evidence (required)")
    ],
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Record that internal audit checked the evidence of a complete milestone."""
    from ..core.edit import Verify

    _text(by, "--by", _("who in internal audit checked the evidence"))
    day = _on(on)
    _run(Verify(item_id, day, by), plan, dry_run, _("{item} verified on {day}").format(item=item_id, day=day))


@command(
    example='oagtrack reopen 1.1 --reason "Evidence did not cover all regions" --on 2020-11-20',
    short_help="Withdraw a completion.",
)
def reopen(
    item_id: IdArgument,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the completion is withdrawn (required)")],
    reason_fr: FrenchReasonOption = None,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Withdraw a completion; the completion date stays in the history."""
    from ..core.edit import Reopen

    _text(reason, "--reason", _("why the completion is withdrawn"))
    day = _on(on)
    _run(
        Reopen(item_id, _in_languages(reason, reason_fr, "--reason-fr"), day),
        plan,
        dry_run,
        _("{item} reopened on {day}").format(item=item_id, day=day),
    )


@command(
    example=(
        'oagtrack retire 3.3 --reason "Replaced by action 3.4a, as agreed with the audit committee" --on 2021-06-30'
    ),
    short_help="Retire a milestone that no longer applies.",
)
def retire(
    item_id: IdArgument,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it no longer applies, and who agreed (required)")
    ],
    reason_fr: FrenchReasonOption = None,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Retire a milestone that no longer applies, for good, with the reason in its history.

    A milestone is never deleted (`oagtrack check` refuses that): it stays in
    the plan, retired. It is then never overdue or due, is shown as retired,
    and is left out of the percentage implemented. Only notes can be added
    after it; a complete milestone must be reopened before it is retired.
    """
    from ..core.edit import Retire

    _text(reason, "--reason", _("why the milestone no longer applies"))
    day = _on(on)
    _run(
        Retire(item_id, _in_languages(reason, reason_fr, "--reason-fr"), day),
        plan,
        dry_run,
        _("{item} retired on {day}").format(item=item_id, day=day),
    )
