"""Changes between two plans as text for a terminal or Markdown for a pull request.

Plan text is data in both: control and bidirectional characters are shown
as escapes, and in Markdown every character that could start markup, HTML,
a link, a table cell, a mention or an issue reference is made inert.
The words around it are in the command's language (`--lang`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..core.plan_diff import PlanChange, word_diff_text
from ..core.plan_terms import plan_value
from .export import kind_word
from .inert import MARKDOWN, TERMINAL, markdown_inert, renders, visible
from .language import _, n_, say
from .phrases import event_words, reference, status_word

if TYPE_CHECKING:
    from ..core.gitio import Commit
    from ..core.model import Milestone

#: The one Markdown escaper (see `text.markdown_inert`), under the name the diff has always used.
markdown_escape = markdown_inert


@renders(TERMINAL)
def changes_text(changes: Iterable[PlanChange], old_name: str, new_name: str) -> str:
    changes = list(changes)
    count = n_("{count} change", "{count} changes", len(changes)).format(count=len(changes))
    heading = _("{old} -> {new}: {changes}").format(
        old=old_name, new=new_name, changes=count if changes else _("no changes")
    )
    lines = [visible(heading)]
    for change in changes:
        lines.append(visible(say(change.summary)))
        if change.words:
            lines.append("    " + visible(word_diff_text(change.words)))
    return "\n".join(lines) + "\n"


@renders(MARKDOWN)
def changes_markdown(changes: Iterable[PlanChange], old_name: str, new_name: str) -> str:
    """A pull-request comment: a heading and one bullet per change."""
    changes = list(changes)
    title = "### " + _("Plan changes: {old} → {new}").format(
        old=markdown_escape(old_name), new=markdown_escape(new_name)
    )
    if not changes:
        return f"{title}\n\n{_('No changes to the plan.')}\n"
    lines = [title, "", n_("{count} change:", "{count} changes:", len(changes)).format(count=len(changes)), ""]
    for change in changes:
        lines.append(f"- {markdown_escape(say(change.summary))}")
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
    lines = [visible(_("{item} in the git history of {plan}:").format(item=item_id, plan=plan_name))]
    if not rows:
        lines.append("  " + _("no commit changed it"))
    for commit, changes in rows:
        head = _("uncommitted") if commit is None else f"{commit.short} {commit.date} {commit.author}"
        lines.append(visible(f"  {head}: {say(changes[0])}"))
        lines += [visible(f"  {' ' * len(head)}  {say(change)}") for change in changes[1:]]
    if milestone is not None:
        item = reference(milestone)
        lines.append(visible(_("Recorded history of {kind} {item}:").format(kind=kind_word(milestone.kind), item=item)))
        entries = [(event.on, event_words(event)) for event in milestone.history]
        if not entries:
            due = (
                _("its steps have the due dates")
                if milestone.steps
                else _("due {due}").format(due=plan_value(milestone.due))
            )
            status = status_word(milestone.status)
            lines.append("  " + visible(_("nothing recorded; status {status}, {due}").format(status=status, due=due)))
        lines += [visible(f"  {day}  {what}") for day, what in entries]  # history is oldest first
    return "\n".join(lines) + "\n"
