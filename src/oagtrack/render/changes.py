"""Changes between two plans as text for a terminal or Markdown for a pull request.

Plan text is data in both: control and bidirectional characters are shown
as escapes, and in Markdown every character that could start markup, HTML,
a link, a table cell, a mention or an issue reference is made inert.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..core.plan_diff import PlanChange, word_diff_text
from ..core.plan_terms import plan_value, plural
from .inert import MARKDOWN, TERMINAL, markdown_inert, renders, visible
from .phrases import event_words

if TYPE_CHECKING:
    from ..core.gitio import Commit
    from ..core.model import Milestone

#: The one Markdown escaper (see `text.markdown_inert`), under the name the diff has always used.
markdown_escape = markdown_inert


@renders(TERMINAL)
def changes_text(changes: Iterable[PlanChange], old_name: str, new_name: str) -> str:
    changes = list(changes)
    lines = [visible(f"{old_name} -> {new_name}: {plural(len(changes), 'change') if changes else 'no changes'}")]
    for change in changes:
        lines.append(visible(change.summary))
        if change.words:
            lines.append("    " + visible(word_diff_text(change.words)))
    return "\n".join(lines) + "\n"


@renders(MARKDOWN)
def changes_markdown(changes: Iterable[PlanChange], old_name: str, new_name: str) -> str:
    """A pull-request comment: a heading and one bullet per change."""
    changes = list(changes)
    title = f"### Plan changes: {markdown_escape(old_name)} → {markdown_escape(new_name)}"
    if not changes:
        return f"{title}\n\nNo changes to the plan.\n"
    lines = [title, "", f"{plural(len(changes), 'change')}:", ""]
    for change in changes:
        lines.append(f"- {markdown_escape(change.summary)}")
        if change.words:
            lines.append(f"  - {_words_markdown(change.words)}")
    return "\n".join(lines) + "\n"


def _words_markdown(runs: Iterable[tuple[str, str]]) -> str:
    parts = []
    for op, text in runs:
        escaped = markdown_escape(text)
        parts.append(escaped if op == " " else f"~~{escaped}~~" if op == "-" else f"**{escaped}**")
    return " ".join(parts)


@renders(TERMINAL)
def log_text(
    item_id: str, plan_name: str, rows: list[tuple[Commit | None, list[str]]], milestone: Milestone | None = None
) -> str:
    """`oagtrack log`: one block per commit that changed the item, then its recorded history."""
    lines = [visible(f"{item_id} in the git history of {plan_name}:")]
    if not rows:
        lines.append("  no commit changed it")
    for commit, changes in rows:
        head = "uncommitted" if commit is None else f"{commit.short} {commit.date} {commit.author}"
        lines.append(visible(f"  {head}: {changes[0]}"))
        lines += [visible(f"  {' ' * len(head)}  {change}") for change in changes[1:]]
    if milestone is not None:
        lines.append(visible(f"Recorded history of {milestone.kind} {milestone.reference}:"))
        entries = [(event.on, event_words(event)) for event in milestone.history]
        if not entries:
            due = "its steps have the due dates" if milestone.steps else f"due {plan_value(milestone.due)}"
            lines.append(visible(f"  nothing recorded; status {milestone.status}, {due}"))
        lines += [visible(f"  {day}  {what}") for day, what in entries]  # history is oldest first
    return "\n".join(lines) + "\n"
