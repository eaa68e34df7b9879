"""libyaml's C parser and PyYAML's pure-Python parser give the same results.

oagtrack composes with libyaml when PyYAML has it and falls back to the
pure-Python parser otherwise; both use a cached scalar resolver, which must
resolve exactly as PyYAML's own SafeLoader does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from oagtrack import source
from oagtrack.validate import validate_bytes

from conftest import BUNDLED_PLAN, SMALL_PLAN

TODAY = date(2030, 1, 1)
CORPUS = sorted((Path(__file__).parent / "bad").glob("*.yaml"))
LOADERS = [source.CLoader, source.PyLoader]


def shape(node: yaml.Node) -> tuple:
    """A node tree as plain tuples: kind, tag, value or children, style and both marks."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, marks)  # plain: libyaml says "", PyYAML None
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, tuple(shape(item) for item in node.value), node.flow_style, marks)
    return ("map", node.tag, tuple((shape(k), shape(v)) for k, v in node.value), node.flow_style, marks)


def test_libyaml_is_used_when_present():
    assert yaml.__with_libyaml__
    assert source._LOADER is source.CLoader


@pytest.mark.parametrize("loader", LOADERS, ids=["libyaml", "pure-python"])
def test_each_parser_resolves_scalars_as_pyyaml_does(loader):
    """The cached resolver gives every scalar the tag PyYAML's SafeLoader gives it."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8") + (
        "extra: [yes, no, on, off, 'yes', 1.10, \"1.10\", 1_000, 0x1F, 0o17, .inf, -.Inf, .nan, ~, null, '', 2020-09-30,"
        " 2020-09-30T10:00:00+02:00, true, False, =, <<, 3.4 a), -1, +1.5e3, 12:30:00, 190:20:30]\n"
    )
    stock = yaml.CSafeLoader if loader is source.CLoader else yaml.SafeLoader
    assert shape(yaml.compose(text, Loader=stock)) == shape(yaml.compose(text, Loader=loader))


def test_the_resolver_cache_does_not_change_answers_when_a_value_repeats():
    """The same text resolves the same way the second time, plain or quoted."""
    text = "a: [1.10, '1.10', 1.10, no, 'no', no]\n"
    for loader in LOADERS:
        values = yaml.compose(text, Loader=loader).value[0][1].value
        assert [v.tag.rsplit(":", 1)[1] for v in values] == ["float", "str", "float", "bool", "str", "bool"]


def test_both_parsers_build_the_same_tree_for_the_bundled_plan():
    data = BUNDLED_PLAN.read_bytes()
    trees = [shape(source.load(data, "plan.yaml", loader=loader)[0].root) for loader in LOADERS]
    assert trees[0] == trees[1]


EDIT_SMALL = Path(__file__).parent / "fixtures" / "edit" / "small.yaml"  # dated history entries, block and flow lists


@pytest.mark.parametrize(
    "text", [BUNDLED_PLAN.read_text(encoding="utf-8"), SMALL_PLAN, EDIT_SMALL.read_text(encoding="utf-8")], ids=["bundled", "small", "history"]
)
def test_both_parsers_give_the_same_plan(text):
    """Same model, same (empty) problems, from either parser; history entries where each was written."""
    results = [validate_bytes(text.encode(), "plan.yaml", TODAY, loader=loader) for loader in LOADERS]
    assert results[0][1] == results[1][1] == []
    assert results[0][0] == results[1][0]
    assert [m.at for m in results[0][0].milestones()] == [m.at for m in results[1][0].milestones()]
    entries = [[(e.kind, e.at) for m in plan.milestones() for e in m.history] for plan in (results[0][0], results[1][0])]
    assert entries[0] == entries[1]


# libyaml and PyYAML word some syntax errors differently: for these, both
# refuse at the same position, in their own words.
SYNTAX_ERRORS = {"unclosed_bracket"}


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_both_parsers_refuse_each_bad_plan_alike(path):
    """Every corpus case: identical problems from either parser, or, for syntax errors, the same lines."""
    results = [validate_bytes(path.read_bytes(), path.name, TODAY, loader=loader) for loader in LOADERS]
    assert results[0][0] is None and results[1][0] is None
    c_problems, py_problems = results[0][1], results[1][1]
    if path.stem in SYNTAX_ERRORS:
        assert [(p.line, p.col) for p in c_problems] == [(p.line, p.col) for p in py_problems]
    else:
        assert [str(p) for p in c_problems] == [str(p) for p in py_problems]
