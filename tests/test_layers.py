"""The layers stay apart: the core imports neither rendering nor the command line.

`core/` is text and dates in, values out; `render/` turns values into words
and files; `cli/` parses options and calls both. A core module that reached
for Rich, Typer or a renderer would tie every consumer of the core (tests,
a future web page, another program) to the terminal. The check reads each
module's source with `ast`, so an import inside a function counts as much as
one at the top; and it is shown failing on a module written to break it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "oagtrack"

#: For each layer, the packages its modules may never import.
FORBIDDEN = {
    "core": ("oagtrack.render", "oagtrack.cli", "rich", "typer", "click"),
    "render": ("oagtrack.cli", "typer", "click"),
}


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """Every module `path` imports, as absolute dotted names, with the line of each import."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from oagtrack import render` imports a package by its parent's name
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def layer_violations(root: Path) -> list[str]:
    """`FILE:LINE: layer imports module` for every import a layer is not allowed."""
    problems: list[str] = []
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((root / layer).rglob("*.py")):
            package = ".".join(("oagtrack", *path.relative_to(root).parent.parts))
            for line, module in imported_modules(path, package):
                if any(module == bad or module.startswith(bad + ".") for bad in forbidden):
                    problems.append(f"{path.relative_to(root)}:{line}: {layer} imports {module}")
    return problems


def test_the_layers_of_the_package_are_kept():
    assert layer_violations(PACKAGE) == []


def test_every_core_and_render_module_is_checked():
    checked = {path.name for layer in FORBIDDEN for path in (PACKAGE / layer).glob("*.py")}
    assert {"edit.py", "validate.py", "history.py", "plan_diff.py", "review.py", "terminal.py"} <= checked


@pytest.mark.parametrize(
    "line",
    [
        "from ..render.inert import visible",
        "from ..render import inert",
        "from .. import render",
        "from oagtrack.cli import shared",
        "import rich.console",
        "def late():\n    from ..cli.shared import load\n",
    ],
)
def test_a_core_module_that_imports_a_higher_layer_is_caught(tmp_path, line):
    (tmp_path / "core").mkdir()
    (tmp_path / "render").mkdir()
    (tmp_path / "core" / "fine.py").write_text("from .model import Plan\nimport re\n")
    (tmp_path / "core" / "bad.py").write_text(line + "\n")
    problems = layer_violations(tmp_path)
    assert len(problems) >= 1
    assert all(problem.startswith("core/bad.py:") for problem in problems)
