"""Reading a plan holds no second copy of the file, and can let the tree go as the model is built (issue 14).

At 100,000 actions the node tree takes 1.5 GB and each copy of the file
90 MB: libyaml composes the file's bytes rather than a UTF-8 copy of its
text (`source.parse`), and a caller that keeps no tree has each
recommendation taken out of it once read (`validate_tree(release=True)`,
`load_plan(keep_tree=False)`). These ways of reading must give exactly what
the plain way gives: the same plan, positions included, and the same
problems in the same words.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED_PLAN, SMALL_PLAN
from test_loaders import shape

from oagtrack.core import source
from oagtrack.core.model import Position
from oagtrack.core.store import load_plan
from oagtrack.core.validate import validate_tree

TODAY = date(2030, 1, 1)
HERE = Path(__file__).parent
CORPUS = sorted((HERE / "bad").glob("*.yaml"))
VALID = [BUNDLED_PLAN, HERE / "fixtures" / "edit" / "small.yaml"]


def exactly(value: object) -> object:
    """`value` as plain data, with what `==` leaves out of a model value: where it was written, key by key."""
    if isinstance(value, Position):
        return ("at", value.line, value.col, value.keys)
    if isinstance(value, tuple):
        return (type(value).__name__, *(exactly(item) for item in value))
    if isinstance(value, dict):
        return {key: exactly(item) for key, item in value.items()}
    return value


def read(data: bytes, *, release: bool) -> tuple[object, list[str]]:
    """The plan and every problem as printed, read from a fresh tree."""
    src, problems = source.load(data, "plan.yaml")
    if src is None:
        return None, [str(p) for p in problems]
    plan, problems = validate_tree(src.root, "plan.yaml", TODAY, release=release)
    return exactly(plan), [str(p) for p in problems]


@pytest.mark.parametrize("path", VALID + CORPUS, ids=[p.stem for p in VALID + CORPUS])
def test_a_released_tree_gives_the_same_plan_and_the_same_problems(path):
    """Duplicate ids, labels naming two items, broken histories: the rules across the plan see no difference."""
    data = path.read_bytes()
    assert read(data, release=False) == read(data, release=True)


def test_a_released_tree_holds_no_recommendation_once_read():
    """Nothing in the tree holds a recommendation once the model has it."""
    src, _ = source.load(SMALL_PLAN.encode(), "plan.yaml")
    plan, problems = validate_tree(src.root, "plan.yaml", TODAY, release=True)
    assert ([], 1) == (problems, len(plan.recommendations))
    assert [] == source.value_of(src.root, "recommendations").value


def test_load_plan_without_the_tree_reads_the_same_plan():
    """Without `keep_tree` no tree is returned, and the very plan that keeping it gives."""
    kept, released = (load_plan(BUNDLED_PLAN, TODAY, keep_tree=keep) for keep in (True, False))
    assert (True, None) == (kept.tree is not None, released.tree)
    assert exactly(kept.plan) == exactly(released.plan)


def utf8_without_bom(path: Path) -> bool:
    """A file `source.load` gives libyaml as it is: UTF-8 text without a byte-order mark."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.startswith(b"\xef\xbb\xbf")


AS_BYTES = [path for path in VALID + CORPUS if utf8_without_bom(path)]


@pytest.mark.parametrize("path", AS_BYTES, ids=[p.stem for p in AS_BYTES])
def test_libyaml_composes_the_bytes_as_it_composes_their_text(path):
    """The same tree, or the same problems in the same words, from the file's bytes and from its text."""
    data = path.read_bytes()
    from_text, from_bytes = (
        source.parse(given, "plan.yaml", loader=source.CLoader) for given in (data.decode("utf-8"), data)
    )
    assert from_text[1] == from_bytes[1]
    assert (from_text[0] is None) == (from_bytes[0] is None)
    if from_text[0] is not None:
        assert shape(from_text[0]) == shape(from_bytes[0])


def test_the_pure_python_parser_reads_bytes_as_their_text():
    """Only libyaml composes the bytes themselves; the pure-Python parser is given them decoded."""
    data = BUNDLED_PLAN.read_bytes()
    root, problems = source.parse(data, "plan.yaml", loader=source.PyLoader)
    assert [] == problems
    assert shape(yaml.compose(data.decode("utf-8"), Loader=source.PyLoader)) == shape(root)
