"""Problems are data: a position and a message, collected rather than raised."""

from __future__ import annotations

from typing import NamedTuple


class Said(str):
    """A message the core wrote, in English, that keeps how it was made: its template and values.

    The core looks no word up in a catalog (it knows nothing of the reader);
    rendering says the message again in the reader's language from the same
    template (`render.language.say`), as gettext's deferred translation does.
    As a `str` it is the English message, so everything else reads it as before.
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Said:
        made = super().__new__(cls, template.format(**values))
        made.template = template
        made.values = values
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_said_again, (self.template, self.values))


def _said_again(template: str, values: dict[str, object]) -> Said:
    return Said(template, **values)


def said(template: str, **values: object) -> Said:
    """`template.format(**values)`, remembering both, for a reader of another language (see `Said`)."""
    return Said(template, **values)


class Problem(NamedTuple):
    """One thing wrong with a plan, where it is, in words a person can act on.

    `line` and `col` are 1-based; 0 means the problem has no position in the
    file (it is missing, too large, a folder).
    """

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}: {self.message}"
        return f"{self.file}: {self.message}"


class PlanError(Exception):
    """Raised by the core when a plan or an operation is refused; carries every problem."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
