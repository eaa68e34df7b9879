"""Problems are data: a position and a message, collected rather than raised."""

from __future__ import annotations

from typing import NamedTuple


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
