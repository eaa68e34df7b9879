"""Changes between two plans as text for a terminal or Markdown for a pull request.

Plan text is data in both: control and bidirectional characters are shown
as escapes, and in Markdown every character that could start markup, HTML,
a link, a table cell, a mention or an issue reference is made inert.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..changes import Change, word_diff_text
from .text import plural, visible

# Inline markup anywhere (emphasis, code, links, tables; HTML cannot start
# once `<` is an entity), and block markup where a line starts (lists,
# headings, quotes).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([-+=#>]|\d+[.)](?=\s|$))")
_ZERO_WIDTH_SPACE = "\u200b"


def changes_text(changes: Iterable[Change], old_name: str, new_name: str) -> str:
    changes = list(changes)
    lines = [visible(f"{old_name} -> {new_name}: {plural(len(changes), 'change') if changes else 'no changes'}")]
    for change in changes:
        lines.append(visible(change.summary))
        if change.words:
            lines.append("    " + visible(word_diff_text(change.words)))
    return "\n".join(lines) + "\n"


def changes_markdown(changes: Iterable[Change], old_name: str, new_name: str) -> str:
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


def markdown_escape(text: str) -> str:
    """Plan text made inert in Markdown: no HTML, links, emphasis, table breaks, mentions or issue links."""
    text = " ".join(visible(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _BLOCK_START.sub(lambda match: match.group()[:-1] + "\\" + match.group()[-1], text)
    # GitHub links @name and #123 even when escaped; a zero-width space stops it.
    return text.replace("@", "@" + _ZERO_WIDTH_SPACE).replace("#", "#" + _ZERO_WIDTH_SPACE)


def log_text(item_id: str, plan_name: str, rows, milestone=None) -> str:
    """`oagtrack log`: one block per commit that changed the item, then its recorded history."""
    from ..changes import revision_words
    from .words import with_printed

    lines = [visible(f"{item_id} in the git history of {plan_name}:")]
    if not rows:
        lines.append("  no commit changed it")
    for commit, changes in rows:
        head = "uncommitted" if commit is None else f"{commit.short} {commit.date} {commit.author}"
        lines.append(visible(f"  {head}: {changes[0]}"))
        lines += [visible(f"  {' ' * len(head)}  {change}") for change in changes[1:]]
    if milestone is not None:
        lines.append(visible(f"Recorded history of {milestone.kind} {with_printed(milestone.id, milestone.label)}:"))
        entries = []
        for event in milestone.history:
            if event.kind == "revised":
                entries.append((event.on, f"revised: {revision_words(event)}"))
            elif event.kind == "note":
                entries.append((event.on, f"note: {' '.join(event.text.split())}"))
            elif event.kind == "restarted":
                entries.append((event.on, "restarted"))
            else:
                entries.append((event.on, f"reopened (completion of {event.completed} withdrawn): {' '.join(event.reason.split())}"))
        if milestone.started:
            entries.append((milestone.started, "started"))
        if milestone.completed:
            evidence = f" (evidence: {', '.join(milestone.evidence)})" if milestone.evidence else ""
            entries.append((milestone.completed, f"completed{evidence}"))
        if milestone.verified:
            entries.append((milestone.verified, f"verified by {milestone.verified_by}"))
        if not entries:
            lines.append(f"  nothing recorded; status {milestone.status}, due {milestone.due}")
        lines += [visible(f"  {day}  {what}") for day, what in sorted(entries, key=lambda entry: entry[0])]
    return "\n".join(lines) + "\n"
