"""libyaml's C parser and PyYAML's pure-Python parser give the same results.

oagtrack composes with libyaml when PyYAML has it and falls back to the
pure-Python parser otherwise; both use a cached scalar resolver, which must
resolve exactly as PyYAML's own SafeLoader does. The pure-Python parser is
corrected to read as libyaml does (`source._ScansAsLibyaml`): the same tree
or the same problem, word for word, for the hostile corpus, for the property
tests' mutated plans, for tabs anywhere, and for each place the two scanners
were found to differ.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED_PLAN, SMALL_PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import mutated

from oagtrack.core import source
from oagtrack.core.validate import validate_bytes

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
        "extra: [yes, no, on, off, 'yes', 1.10, \"1.10\", 1_000, 0x1F, 0o17, .inf, -.Inf, .nan, ~, null, '',"
        " 2020-09-30,"
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
    "text",
    [BUNDLED_PLAN.read_text(encoding="utf-8"), SMALL_PLAN, EDIT_SMALL.read_text(encoding="utf-8")],
    ids=["bundled", "small", "history"],
)
def test_both_parsers_give_the_same_plan(text):
    """Same model, same (empty) problems, from either parser; history entries where each was written."""
    results = [validate_bytes(text.encode(), "plan.yaml", TODAY, loader=loader) for loader in LOADERS]
    assert results[0][1] == results[1][1] == []
    assert results[0][0] == results[1][0]
    assert [m.at for m in results[0][0].milestones()] == [m.at for m in results[1][0].milestones()]
    entries = [
        [(e.kind, e.at) for m in plan.milestones() for e in m.history] for plan in (results[0][0], results[1][0])
    ]
    assert entries[0] == entries[1]


def both(data: bytes) -> list[tuple]:
    """What `validate` makes of `data` through each parser: every problem as printed, and the plan."""
    results = []
    for loader in LOADERS:
        plan, problems = validate_bytes(data, "plan.yaml", TODAY, loader=loader)
        results.append(([str(p) for p in problems], plan))
    return results


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_both_parsers_refuse_each_bad_plan_alike(path):
    """Every corpus case, syntax errors included: the same problems, in the same words, at the same places."""
    libyaml, pure_python = both(path.read_bytes())
    assert libyaml[1] is None and pure_python[1] is None
    assert libyaml[0] == pure_python[0]


# -- the same results on every input, not only the corpus ----------------------------------------
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_both_parsers_agree_on_the_mutated_plans_of_the_property_tests(data):
    """test_fuzz's mutations (lines deleted, duplicated, swapped,
    truncated; YAML's own characters inserted): one result."""
    libyaml, pure_python = both(data)
    assert libyaml == pure_python


#: Tabs and blanks where YAML allows them as separators, and where it does not.
TAB_PIECES = [
    "\t",
    "\t# a comment",
    " \t",
    "\t ",
    "\t#",
    ":\t",
    "-\t",
    "\t,",
    ",\t",
    "[\t",
    "\t]",
    "\t'x'",
    '\t"x"',
    "|\t",
    ">-\t",
    "&a\t",
    "!x\t",
    "?\t",
]


@st.composite
def tabbed(draw) -> bytes:
    """The small or the bundled plan with tabs put anywhere, ending with or without a line break, in LF or CRLF."""
    lines = (BUNDLED_PLAN.read_text(encoding="utf-8") if draw(st.booleans()) else SMALL_PLAN).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        column = draw(st.integers(0, max(len(lines[at]) - 1, 0)))
        lines[at] = lines[at][:column] + draw(st.sampled_from(TAB_PIECES)) + lines[at][column:]
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text.encode()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tabbed())
def test_both_parsers_agree_wherever_a_tab_stands(data):
    """A tab is a separator to both parsers where libyaml allows one, and refused by both where it does not."""
    libyaml, pure_python = both(data)
    assert libyaml == pure_python


def test_a_tab_before_a_comment_is_accepted_by_both():
    """`due: 2020-09-30<TAB># c` (libyaml accepted it, the
    pure-Python parser refused it): the plan without the comment."""
    plain, _ = validate_bytes(SMALL_PLAN.encode(), "plan.yaml", TODAY)
    text = SMALL_PLAN.replace("due: 2020-09-30\n", "due: 2020-09-30\t# the date agreed\n").replace(
        "leads: [bo]\n", "leads: [bo]\t\t# a tab or two\n"
    )
    assert [([], plain), ([], plain)] == both(text.encode())


#: Small texts where PyYAML's own scanner reads differently from libyaml (tabs, directives, escapes, tags, flow
#: collections, the end of a file without a line break). Each pair gives one tree, or the same refusal.
SCANNER_CASES = {
    "tab after a key's colon": "a:\tb\n",
    "tab inside a plain value": "a: b\tc\n",
    "tab after a value": "a: b\t\n",
    "tab inside brackets": "a: [b,\tc]\n",
    "tab after a complex key's colon": "? a\n:\tb\n",
    "tab after a dash": "a:\n  -\tb\n",
    "tab in a block scalar's header": "a: |\t# c\n  x\n",
    "comment right after a block indicator": "a: |#c\n  x\n",
    "block indicator then text": "a: |x\n  b\n",
    "indentation indicator 0": "a: |-0\n  b\n",
    "tab in a directive": "%YAML\t1.1\n---\na: b\n",
    "unknown directive": "%FOO bar\n---\na: b\n",
    "YAML 1.3": "%YAML 1.3\n---\na: b\n",
    "YAML 1.2": "%YAML 1.2\n---\na: b\n",
    "version of ten digits": "%YAML 1.1111111111\n---\na: b\n",
    "version of 5,000 digits": "%YAML 1." + "1" * 5_000 + "\n---\na: b\n",
    "duplicate %YAML": "%YAML 1.1\n%YAML 1.1\n---\na: b\n",
    "duplicate %TAG": "%TAG !a! x\n%TAG !a! y\n---\na: b\n",
    "%TAG prefix with a comma": "%TAG ! !x,\n---\na: b\n",
    "surrogate escape": 'a: "\\ud800"\n',
    "escape beyond Unicode": 'a: "\\U00110000"\n',
    "unknown escape": 'a: "\\q"\n',
    "short hex escape": 'a: "\\x4"\n',
    "backslash at the end": 'a: "b\\',
    "document marker in a quoted value": 'a: "b\n...\nc"\n',
    "question mark in a flow value": "a: [b?c]\n",
    "colon before a comma in brackets": "a: [b:, c]\n",
    "colon before a closing bracket": "a: {b:}\n",
    "tag ending in a comma": "a: !x,b\n",
    "tag with an escape that is not UTF-8": "a: !%C0%80 b\n",
    "tag with a bad leading octet": "a: !%FF b\n",
    "a lone tag": "a: !\n",
    "unclosed flow at the end, no final break": "a: [b #c",
    "key without colon at the end, no final break": "a: b\nc",
    "flow key waiting at the end": "?\n  {b: c, d",
    "list not indented under its key": "a:\n- b\n- c\n",
    "complex key then a dash": "?\n-",
    "undefined alias": "a: *x\n",
    "character that starts no token": "a: @x\n",
}


@pytest.mark.parametrize("text", SCANNER_CASES.values(), ids=SCANNER_CASES.keys())
def test_both_parsers_read_each_scanner_case_alike(text):
    """The same node tree, or the same problem in the same words at the same place."""
    results = [source.parse(text, "a.yaml", loader=loader) for loader in LOADERS]
    (c_root, c_problems), (py_root, py_problems) = results
    assert [str(p) for p in c_problems] == [str(p) for p in py_problems]
    assert (c_root and shape(c_root)) == (py_root and shape(py_root))


def test_a_tag_escape_that_is_not_utf8_is_a_problem_not_a_crash():
    """libyaml hands Python the bytes of `!%C0%80` undecoded, and
    composing fails outside YAML's errors: refused with a position."""
    text = "a: !%C0%80 b\n"
    with pytest.raises(UnicodeDecodeError):
        yaml.compose(text, Loader=source.CLoader)
    for loader in LOADERS:
        root, problems = source.parse(text, "a.yaml", loader=loader)
        assert (root, [str(p) for p in problems]) == (
            None,
            ["a.yaml:1:4: invalid YAML: while parsing a tag: found %-escaped bytes that are not UTF-8"],
        )
