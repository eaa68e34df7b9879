"""Read a node tree against the schema into a `Plan`, collecting every problem.

Nothing stops at the first error: each check appends a positioned `Problem`
and carries on, so one run of `oagtrack validate` lists everything to fix.
The schema, not YAML, decides types: `no` is text where text belongs and is
refused where a boolean belongs; an unquoted `1.10` is refused as an id
because every other YAML tool would read it as the number 1.1.

Reading checks each key and value against the schema. What must then hold
across keys is a list of rules, each a small function with a one-line
docstring, as beancount's `ops/validation.py` lists its validations:
`PLAN_RULES` across the whole plan, `MILESTONE_RULES` for each action, step
and outcome, `ENTRY_RULES` for each history entry. `docs/rules.md` is
generated from these lists (tools/rules_reference.py).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple, TypeVar

import yaml

from . import source
from .dates import MAX_CHARS, DateError, check_plainly_written, parse_date, parse_iso, shown
from .history import Replay, replay_events, replayed
from .model import (
    AUDIT_KINDS,
    AUDIT_STATUSES,
    LANGUAGES,
    STATUSES,
    Audit,
    Event,
    Milestone,
    Person,
    Plan,
    Position,
    Recommendation,
    Response,
    Texts,
)
from .problems import Problem, said
from .schema import EVENT_KEYS, RECORDS, SCHEMA_VERSION

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/]*")
# ASCII digits only, as the JSON Schema's integer: str.isdigit() also takes "²" and "٢".
_WHOLE_NUMBER = re.compile(r"[0-9]+")
#: The most digits a whole number in a plan may have; longer is refused unconverted.
_MAX_DIGITS = 9
_NUMBERISH = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", _NULL, _TIMESTAMP}
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
# Per record: its keys by name, and the names it requires (looked up per node).
_ALLOWED = {name: {key.name: key for key in keys} for name, keys in RECORDS.items()}
_REQUIRED = {name: tuple(key.name for key in keys if key.required) for name, keys in RECORDS.items()}
#: The kinds of history entry, as `choice` takes them.
_EVENT_KINDS = tuple(EVENT_KEYS)


def validate_bytes(
    data: bytes,
    filename: str,
    today: date,
    *,
    loader: type | None = None,
    shared_people: Mapping[str, Person] | None = None,
) -> tuple[Plan | None, list[Problem]]:
    """Bytes of a plan file in; the plan, or every problem found, out.

    `shared_people` are the people a portfolio file describes for all its
    plans: a lead may be one of them, and the plan's `people` then holds
    them after its own (a plan's own description of a key comes first).
    """
    with source.gc_paused(len(data)):
        src, problems = source.load(data, filename, loader=loader)
        if src is None:
            return None, problems
        return validate_tree(src.root, filename, today, shared_people=shared_people, release=True)


def validate_tree(
    root: yaml.Node,
    filename: str,
    today: date,
    *,
    shared_people: Mapping[str, Person] | None = None,
    release: bool = False,
) -> tuple[Plan | None, list[Problem]]:
    """The plan read from `root`, or every problem found.

    With `release`, the caller needs the tree no more: each recommendation
    is taken out of it once read, so that the model is built in the memory
    the tree gives back (at 100,000 actions the tree takes 1.5 GB, and a
    model built beside it 220 MB more at the peak).
    """
    checker = _Checker(filename, today)
    checker.shared = dict(shared_people or {})
    checker.release = release
    plan = checker.plan(root)
    problems = sorted(checker.problems, key=lambda p: (p.line, p.col))
    return (None if problems else plan), problems


def read_people(node: yaml.Node, filename: str, today: date) -> tuple[dict[str, Person], list[Problem]]:
    """A `people:` mapping read as a plan reads its own (a portfolio file's shared people), with its problems."""
    checker = _Checker(filename, today)
    checker.read_people(node)
    return checker.people, sorted(checker.problems, key=lambda p: (p.line, p.col))


def validate_milestone(
    node: yaml.Node, plan: Plan, like: Milestone, filename: str, today: date
) -> tuple[Milestone | None, list[Problem]]:
    """One milestone's mapping node, checked exactly as `validate_tree` checks it in `plan` in place of `like`.

    The context comes from `plan`: its people (for leads), the recommendation
    id, the leads the item inherits and its parent action. Of the rules that
    span several items, only `ids_are_unique` runs, within the item; the rest
    are the caller's to make, and an update that keeps the item's id keeps
    them true. Positions are those of `node`'s own marks.
    """
    checker = _Checker(filename, today)
    checker.people = dict(plan.people)
    checker.languages = plan.languages  # a text missing one of them is refused here as in the whole file
    rec = next(r for r in plan.recommendations if r.id == like.recommendation)
    if like.kind == "step":
        inherited = next(action.leads for action in rec.actions if action.id == like.parent)
    elif like.kind == "outcome":
        inherited = _outcome_leads(rec.leads, rec.actions)
    else:
        inherited = rec.leads
    item = checker.milestone(node, like.kind, like.recommendation, inherited, parent=like.parent)
    checker.keep((ids_are_unique,), checker.as_read(None, ()))
    problems = sorted(checker.problems, key=lambda p: (p.line, p.col))
    return (None if problems else item), problems


def _taken(nodes: list[yaml.Node]) -> Iterator[yaml.Node]:
    """Each of `nodes` in order, taken out of the list first, so that nothing holds one once it is read."""
    nodes.reverse()
    while nodes:
        yield nodes.pop()


def _outcome_leads(leads: tuple[str, ...], actions: tuple[Milestone, ...]) -> tuple[str, ...]:
    """An outcome without leads of its own is led by its recommendation's leads, else by every action's."""
    return leads or tuple(dict.fromkeys(lead for action in actions for lead in action.leads))


def _kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return said("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return said("a list")
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.style:
        return said("nothing")
    return f"{node.value!r}"


class _Checker:
    """Walks the tree once; every method records problems instead of raising."""

    def __init__(self, filename: str, today: date):
        self.filename = filename
        self.today = today
        self.problems: list[Problem] = []
        self.people: dict[str, Person] = {}
        self.shared: dict[str, Person] = {}  # described by the portfolio file, for every plan
        self.languages: tuple[str, ...] = ()  # as the plan declares them, first the one a single text is in
        # Every name a command may be given, for PLAN_RULES: ids (with what they name), labels, person keys.
        self._ids: list[Named] = []
        self._labels: list[Label] = []
        self._person_keys: dict[str, yaml.Node] = {}
        self._dates: dict[str, date] = {}  # a plan repeats its dates: parse each once
        self.release = False  # take each recommendation out of the tree once read (see validate_tree)

    # -- reporting --------------------------------------------------------
    def error(self, at: yaml.Node | Position, message: str) -> None:
        pos = at if isinstance(at, Position) else Position.of(at)
        self.problems.append(Problem(self.filename, pos.line, pos.col, message))

    def keep(self, rules: Sequence[Callable[[_Read], Iterable[Found]]], read: _Read) -> None:
        """Every breach of `rules` by `read`, recorded rule by rule in the order of the list."""
        for rule in rules:
            for at, message in rule(read):
                self.error(at, message)

    def as_read(
        self, recommendations_node: yaml.Node | None, recommendations: tuple[Recommendation, ...]
    ) -> PlanAsRead:
        """The plan as read so far, for PLAN_RULES."""
        return PlanAsRead(
            recommendations_node,
            recommendations,
            not self.problems,
            tuple(self._ids),
            tuple(self._labels),
            self._person_keys,
        )

    # -- structure --------------------------------------------------------
    def record(self, node: yaml.Node, name: str, what: What, *, label: bool = False) -> dict[str, yaml.Node] | None:
        """A mapping of the named record: known keys only, each once, required ones present.

        With `label`, messages name the record by its id (`action 1.1`) when it has one;
        the id is looked up only when there is something to report.
        """
        if not isinstance(node, yaml.MappingNode):
            named = _label(name, node) if label else _words(what)
            self.error(
                node, said("{what}: expected a mapping of keys, found {found}", what=named, found=_kind_of(node))
            )
            return None
        allowed = _ALLOWED[name]
        values: dict[str, yaml.Node] = {}
        first: dict[str, yaml.Node] = {}
        misspelt: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode and not isinstance(key_node, yaml.ScalarNode):
                named = _label(name, node) if label else _words(what)
                self.error(
                    key_node,
                    said("{what}: a key must be a plain name, found {found}", what=named, found=_kind_of(key_node)),
                )
                continue
            key = key_node.value
            if key in first:
                seen = first[key].start_mark
                self.error(
                    key_node,
                    said(
                        "{what}: duplicate key {key!r} (first at line {line}, column {column})",
                        what=_label(name, node) if label else _words(what),
                        key=key,
                        line=seen.line + 1,
                        column=seen.column + 1,
                    ),
                )
                continue
            first[key] = key_node
            if key in allowed:
                values[key] = value_node
                continue
            named = _label(name, node) if label else _words(what)
            self.error(key_node, said("{what}: {message}", what=named, message=_unknown_key_message(key, allowed)))
            misspelt.update(difflib.get_close_matches(key, allowed, n=1, cutoff=0.6))
            misspelt.update(_RENAMED.get(key, ()))
        for required in _REQUIRED[name]:
            if required not in first and required not in misspelt:
                named = _label(name, node) if label else _words(what)
                self.error(node, said("{what}: missing required key {key!r}", what=named, key=required))
        return values

    def seq(self, node: yaml.Node, what: What) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, said("{what}: expected a list, found {found}", what=_words(what), found=_kind_of(node)))
            return []
        items: list[yaml.Node] = node.value
        return items

    def scalar(self, node: yaml.Node, what: What) -> yaml.ScalarNode | None:
        if node.__class__ is not yaml.ScalarNode and not isinstance(node, yaml.ScalarNode):
            self.error(
                node, said("{what}: expected a single value, found {found}", what=_words(what), found=_kind_of(node))
            )
            return None
        return node

    # -- scalars ----------------------------------------------------------
    def text(self, node: yaml.Node | None, what: What, default: str = "") -> str:
        """Any scalar is text (`no`, `1.10` included); only an empty value is missing."""
        if node is None:
            return default
        scalar = self.scalar(node, what)
        if scalar is None:
            return default
        if scalar.tag == _NULL and not scalar.style and scalar.value in ("", "~", "null", "Null", "NULL"):
            self.error(node, said("{what}: empty value; write the text or remove the key", what=_words(what)))
            return default
        if not scalar.value.strip():
            # The update commands refuse blank text; so does the file.
            self.error(
                node,
                said(
                    "{what}: blank text {text!r}; write the text or remove the key",
                    what=_words(what),
                    text=scalar.value,
                ),
            )
            return default
        text: str = scalar.value  # a scalar node's value is the text as written
        return text

    def prose(self, node: yaml.Node | None, what: What, default: str = "") -> str:
        """Text a person wrote: one text, or the same text in each language (`en: ...` and `fr: ...`).

        When the plan declares its `languages`, a text missing one of them is
        a problem at the text; a text written once is in the plan's first
        language.
        """
        if not isinstance(node, yaml.MappingNode):
            value = self.text(node, what, default)
            if value and len(self.languages) > 1 and node is not None:
                missing = ", ".join(self.languages[1:])
                self.error(
                    node,
                    said(
                        "{what}: written in {first} only; this plan's languages are {languages}: "
                        "write it as {first}: ... and add {missing}: ...",
                        what=_words(what),
                        first=self.languages[0],
                        languages=", ".join(self.languages),
                        missing=missing,
                    ),
                )
            return value
        versions: dict[str, str] = {}
        for key_node, value_node in node.value:
            language = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if language not in LANGUAGES:
                self.error(
                    key_node,
                    said(
                        "{what}: {language!r} is no language of a plan; write en: or fr:",
                        what=_words(what),
                        language=language,
                    ),
                )
            elif language in versions:
                self.error(key_node, said("{what}: {language}: written twice", what=_words(what), language=language))
            else:
                versions[language] = self.text(value_node, _Part(what, language=language))
        for language in self.languages:
            if language not in versions:
                languages = ", ".join(self.languages)
                self.error(
                    node,
                    said(
                        "{what}: no {language} text; this plan's languages are {languages}",
                        what=_words(what),
                        language=language,
                        languages=languages,
                    ),
                )
        written = [language for language in (*self.languages, *LANGUAGES) if versions.get(language)]
        if not written:
            if not versions:
                self.error(node, said("{what}: write the text, or its versions as en: ... fr: ...", what=_words(what)))
            return default
        return Texts({k: v for k, v in versions.items() if v}, written[0])

    def ident(self, node: yaml.Node | None, what: What) -> str:
        scalar = self.scalar(node, what) if node is not None else None
        if scalar is None:
            return ""
        value: str = scalar.value
        if not scalar.style and scalar.tag in _NUMBERISH:
            reading = _yaml_reading(scalar)
            if len(value) <= MAX_CHARS:
                message = said(
                    '{what}: id {value} must be quoted, "{value}", or YAML tools read it as {reading}',
                    what=_words(what),
                    value=value,
                    reading=reading,
                )
            else:  # 5,000 digits, not twice
                message = said(
                    "{what}: id {value} must be quoted, or YAML tools read it as {reading}",
                    what=_words(what),
                    value=shown(value),
                    reading=reading,
                )
            self.error(scalar, message)
            return value
        if not _ID.fullmatch(value):
            self.error(
                scalar,
                said(
                    "{what}: id {value} must start with a letter or digit and hold only letters, digits and . _ - /",
                    what=_words(what),
                    value=shown(value),
                ),
            )
        return value

    def date(self, node: yaml.Node | None, what: What) -> date | None:
        if node is None:
            return None
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        known = self._dates.get(scalar.value)
        if known is not None:
            return known
        value = scalar.value  # as written: a date with blanks around it is refused, as by the JSON Schema
        try:
            day = self._dates[scalar.value] = parse_iso(value)
            return day
        except DateError as err:
            self.error(node, said("{what}: {message}", what=_words(what), message=_date_message(value, scalar, err)))
            return None

    def boolean(self, node: yaml.Node | None, what: What) -> bool | None:
        scalar = self.scalar(node, what) if node is not None else None
        if scalar is None:
            return None
        if not scalar.style and scalar.value in _TRUE | _FALSE:
            return scalar.value in _TRUE
        self.error(
            scalar,
            said(
                "{what}: expected true or false, found {value!r} (yes/no/on/off are not booleans here)",
                what=_words(what),
                value=scalar.value,
            ),
        )
        return None

    def integer(self, node: yaml.Node | None, what: What, hint: str = "") -> int | None:
        """A plain whole number in ASCII digits, short enough to convert; `hint` ends any complaint."""
        scalar = self.scalar(node, what) if node is not None else None
        if scalar is None:
            return None
        value = scalar.value
        if not scalar.style and _WHOLE_NUMBER.fullmatch(value):
            if len(value) <= _MAX_DIGITS:
                return int(value)
            self.error(
                scalar,
                said(
                    "{what}: {value} has {digits:,} digits, more than any {what} has{hint}",
                    what=_words(what),
                    value=shown(value),
                    digits=len(value),
                    hint=hint,
                ),
            )
            return None
        try:
            check_plainly_written(value, "number")
        except DateError as err:
            self.error(scalar, said("{what}: {message}{hint}", what=_words(what), message=_reason(err), hint=hint))
            return None
        self.error(
            scalar,
            said(
                "{what}: expected a whole number, found {value}{hint}", what=_words(what), value=shown(value), hint=hint
            ),
        )
        return None

    def choice(self, node: yaml.Node | None, what: What, allowed: tuple[str, ...], default: str) -> str:
        scalar = self.scalar(node, what) if node is not None else None
        if scalar is None:
            return default
        value: str = scalar.value
        if value in allowed:
            return value
        hint = _did_you_mean(scalar.value.strip().lower(), allowed)
        self.error(
            scalar,
            said(
                "{what}: {value!r} is not one of: {allowed}{hint}",
                what=_words(what),
                value=scalar.value,
                allowed=", ".join(allowed),
                hint=hint,
            ),
        )
        return default

    def choices(self, node: yaml.Node, what: What, allowed: tuple[str, ...]) -> tuple[str, ...]:
        """A list of words from `allowed`, each once, in the order written."""
        chosen: list[str] = []
        for item in self.seq(node, what):
            word = self.choice(item, what, allowed, "")
            if word and word in chosen:
                self.error(item, said("{what}: {word} is listed twice", what=_words(what), word=word))
            elif word:
                chosen.append(word)
        return tuple(chosen)

    def texts(self, node: yaml.Node | None, what: What) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(self.text(item, what) for item in self.seq(node, what))

    def refs(self, node: yaml.Node | None, what: What) -> tuple[str, ...]:
        keys = []
        for item in self.seq(node, what) if node is not None else ():
            key = self.text(item, what)
            if key and key not in self.people:
                known = list(self.people)
                listed: str = ", ".join(known[:10])
                if len(known) > 10:
                    listed = said("{keys} and {count} more", keys=listed, count=len(known) - 10)
                self.error(
                    item,
                    said(
                        "{what}: unknown person {key!r}{hint}; leads are keys under people: {known}",
                        what=_words(what),
                        key=key,
                        hint=_did_you_mean(key, tuple(known)),
                        known=listed or said("(none yet)"),
                    ),
                )
            keys.append(key)
        return tuple(keys)

    # -- records ----------------------------------------------------------
    def plan(self, root: yaml.Node) -> Plan | None:
        top = self.record(root, "plan", "plan")
        if top is None:
            return None
        version = self.integer(
            top.get("schema_version"),
            "schema_version",
            said("; this oagtrack reads version {version}", version=SCHEMA_VERSION),
        )
        if version == 1:
            # Every milestone would be reported for its version-1 keys: one line says what to do instead.
            self.error(
                top["schema_version"],
                said(
                    "schema_version 1 is the first format of plan.yaml; this oagtrack reads version 2: "
                    "run `oagtrack migrate` to rewrite the file (a small diff you can review; --dry-run shows it)"
                ),
            )
            return None
        if version is not None and version != SCHEMA_VERSION:
            self.error(
                top["schema_version"],
                said(
                    "schema_version {version} is not supported; this oagtrack reads version {supported}",
                    version=version,
                    supported=SCHEMA_VERSION,
                ),
            )
        if "languages" in top:
            self.languages = self.choices(top["languages"], "languages", LANGUAGES)
        audit = self.audit(top["audit"]) if "audit" in top else None
        if "people" in top:
            self.read_people(top["people"])
        for key, person in self.shared.items():
            self.people.setdefault(key, person)
        nodes = self.seq(top["recommendations"], "recommendations") if "recommendations" in top else []
        recommendations = tuple(
            rec for node in (_taken(nodes) if self.release else nodes) if (rec := self.recommendation(node)) is not None
        )
        self.keep(PLAN_RULES, self.as_read(top.get("recommendations"), recommendations))
        if audit is None or version is None:
            return None
        return Plan(version, audit, dict(self.people), recommendations, self.languages)

    def audit(self, node: yaml.Node) -> Audit | None:
        keys = self.record(node, "audit", "audit")
        if keys is None:
            return None
        return Audit(
            id=self.ident(keys.get("id"), "audit id"),
            title=self.prose(keys.get("title"), "audit title"),
            auditor=self.text(keys.get("auditor"), "audit auditor"),
            year=self.text(keys.get("year"), "audit year"),
            report=self.text(keys.get("report"), "audit report"),
            organizations=self.texts(keys.get("organizations"), "audit organizations"),
            kind=self.choice(keys.get("kind"), "audit kind", AUDIT_KINDS, ""),
            status=self.choice(keys.get("status"), "audit status", AUDIT_STATUSES, ""),
            report_approved=self.date(keys.get("report_approved"), "audit report_approved"),
            report_published=self.date(keys.get("report_published"), "audit report_published"),
        )

    def read_people(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, said("people: expected a mapping of keys to people, found {found}", found=_kind_of(node)))
            return
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.ident(key_node, "people")
            if key in seen:
                mark = seen[key].start_mark
                self.error(
                    key_node,
                    said(
                        "{what}: duplicate key {key!r} (first at line {line}, column {column})",
                        what="people",
                        key=key,
                        line=mark.line + 1,
                        column=mark.column + 1,
                    ),
                )
                continue
            seen[key] = key_node
            self._person_keys.setdefault(key, key_node)
            what = said("person {key}", key=key)
            fields = self.record(value_node, "person", what)
            if fields is None:
                continue
            self.people[key] = Person(
                key=key,
                name=self.text(fields.get("name"), _Part(what, "name")),
                title=self.prose(fields.get("title"), _Part(what, "title")),
                branch=self.prose(fields.get("branch"), _Part(what, "branch")),
                org=self.text(fields.get("org"), _Part(what, "org")),
                phone=self.text(fields.get("phone"), _Part(what, "phone")),
                email=self.text(fields.get("email"), _Part(what, "email")),
                honorific=self.text(fields.get("honorific"), _Part(what, "honorific")),
                at=Position.of(key_node),
            )

    def recommendation(self, node: yaml.Node) -> Recommendation | None:
        keys = self.record(node, "recommendation", "recommendation", label=True)
        if keys is None:
            return None
        rec_id = self.ident(keys.get("id"), _Record("recommendation"))
        what = _Record("recommendation", rec_id)
        self.claim_id(rec_id, keys.get("id"), what)
        leads = self.refs(keys.get("leads"), _Part(what, "leads"))
        response = None
        if (
            "response" in keys
            and (fields := self.record(keys["response"], "response", _Part(what, "response"))) is not None
        ):
            agreed = self.boolean(fields.get("agreed"), _Part(what, "response agreed"))
            response = Response(bool(agreed), self.prose(fields.get("text"), _Part(what, "response text")))
        actions = tuple(
            action
            for action_node in (self.seq(keys["actions"], _Part(what, "actions")) if "actions" in keys else ())
            if (action := self.milestone(action_node, "action", rec_id, leads)) is not None
        )
        outcome_leads = _outcome_leads(leads, actions)
        outcome = self.milestone(keys["outcome"], "outcome", rec_id, outcome_leads) if "outcome" in keys else None
        if response is None or outcome is None:
            return None
        return Recommendation(
            id=rec_id,
            text=self.prose(keys.get("text"), _Part(what, "text")),
            response=response,
            outcome=outcome,
            actions=actions,
            bullets=tuple(
                self.prose(item, _Part(what, "bullets")) for item in self.seq(keys["bullets"], _Part(what, "bullets"))
            )
            if "bullets" in keys
            else (),
            leads=leads,
            at=Position.of(node),
        )

    def milestone(
        self, node: yaml.Node, kind: str, rec_id: str, inherited_leads: tuple[str, ...], parent: str = ""
    ) -> Milestone | None:
        keys = self.record(node, kind, kind, label=True)
        if keys is None:
            return None
        item_id = self.ident(keys.get("id"), _Record(kind))
        what = _Record(kind, item_id)
        self.claim_id(item_id, keys.get("id"), what)
        leads = self.refs(keys.get("leads"), _Part(what, "leads")) if "leads" in keys else inherited_leads
        steps = tuple(
            step
            for step_node in (self.seq(keys["steps"], _Part(what, "steps")) if "steps" in keys else ())
            if (step := self.milestone(step_node, "step", rec_id, leads, parent=item_id)) is not None
        )
        history, whole = self.history(keys["history"], what) if "history" in keys else ((), True)
        # Absent keys take their defaults without a call (this runs per milestone).
        item = Milestone(
            id=item_id,
            kind=kind,
            recommendation=rec_id,
            text=self.prose(keys["text"], _Part(what, "text")) if "text" in keys else "",
            due=self.date(keys["due"], _Part(what, "due")) if "due" in keys else None,
            leads=leads,
            label=self.label(keys["label"], what, item_id, parent) if "label" in keys else "",
            status=self.choice(keys["status"], _Part(what, "status"), STATUSES, "not-started")
            if "status" in keys
            else "not-started",
            history=history,
            steps=steps,
            parent=parent,
            at=Position.of(node),
        )
        return self.check_lifecycle(item, keys, node, what, whole)

    def history(self, node: yaml.Node | None, what: What) -> tuple[tuple[Event, ...], bool]:
        """The entries, and whether every one of them could be read (else the replay would mislead)."""
        events = []
        whole = True
        # Named once for every entry; an entry's absent keys take their defaults without a call.
        entries, dates, kinds = _Part(what, "history"), _Part(what, "history date"), _Part(what, "history event")
        for entry in self.seq(node, entries) if node is not None else ():
            keys = self.record(entry, "event", entries)
            if keys is None:
                whole = False
                continue
            on = self.date(keys.get("date"), dates)
            kind = self.choice(keys.get("event"), kinds, _EVENT_KINDS, "")
            if on is None or not kind:
                whole = False
                continue
            self.keep(ENTRY_RULES, EntryAsRead(entry, keys, kind, what))
            events.append(
                Event(
                    on=on,
                    kind=kind,
                    text=self.prose(keys["text"], _Part(what, "note")) if "text" in keys else "",
                    reason=self.prose(keys["reason"], _Part(what, "reason")) if "reason" in keys else "",
                    from_due=self.date(keys["from"], _Part(what, "history from")) if "from" in keys else None,
                    to_due=self.date(keys["to"], _Part(what, "history to")) if "to" in keys else None,
                    approved_by=self.text(keys["approved_by"], _Part(what, "approved_by"))
                    if "approved_by" in keys
                    else "",
                    evidence=self.texts(keys["evidence"], _Part(what, "evidence")) if "evidence" in keys else (),
                    by=self.text(keys["by"], _Part(what, "verified by")) if "by" in keys else "",
                    at=Position.of(entry),
                )
            )
        return tuple(events), whole

    def label(self, node: yaml.Node, what: What, item_id: str, parent: str = "") -> str:
        """The number as printed; kept, with the item it belongs to and its action if a step, for `check_names`."""
        label = self.text(node, _Part(what, "label"))
        if label:
            self._labels.append(Label(label, what, item_id, parent, _where(node)))
        return label

    # -- rules across keys --------------------------------------------------
    def claim_id(self, item_id: str, node: yaml.Node | None, what: What = "") -> None:
        """Keeps the id, where it is written and what it names, for PLAN_RULES."""
        if item_id and node is not None:
            self._ids.append(Named(item_id, _where(node), what))

    def check_lifecycle(
        self, item: Milestone, keys: dict[str, yaml.Node], node: yaml.Node, what: What, whole: bool = True
    ) -> Milestone:
        """The milestone kept to MILESTONE_RULES, with its status, dates and evidence replayed from its history.

        The replay is `history.replay_events`, whose rules the update commands
        obey too. An action with steps has no history of its own to replay;
        a history with an entry that could not be read is not replayed, as
        a replay without that entry would only mislead (its problem is
        reported already).
        """
        result = None if item.steps or not whole else replay_events(item.history, item.original_due, self.today)
        self.keep(MILESTONE_RULES, MilestoneAsRead(item, keys, node, what, result))
        if result is None or result.problems:
            return item
        return replayed(item, result)


#: Where a rule is broken (a node, or a position kept in the model), and the message that says how.
Found = tuple[yaml.Node | Position, str]
_Read = TypeVar("_Read")


class Named(NamedTuple):
    """An id as written, where, and what it names (`action 1.1`)."""

    id: str
    at: Position
    what: What


class Label(NamedTuple):
    """A printed label, the item it belongs to and, for a step, its action."""

    label: str
    what: What
    item_id: str
    action: str
    at: Position


class PlanAsRead(NamedTuple):
    """A whole plan as read: what the rules across it look at."""

    recommendations_node: yaml.Node | None  # the value of `recommendations:`, when written
    recommendations: tuple[Recommendation, ...]  # those read without a problem
    read_cleanly: bool  # reading found no problem at all
    ids: tuple[Named, ...]  # every id of a recommendation, action, step or outcome, in file order
    labels: tuple[Label, ...]  # in file order
    person_keys: dict[str, yaml.Node]  # each key under people, where first written


class MilestoneAsRead(NamedTuple):
    """One action, step or outcome as read, with its history replayed."""

    item: Milestone  # as written, before the replay
    keys: dict[str, yaml.Node]  # the value of each key written
    node: yaml.Node  # its mapping
    what: What  # `action 1.1`, which begins every message about it
    replay: Replay | None  # None for an action with steps, and when an entry could not be read


class EntryAsRead(NamedTuple):
    """One history entry as read, whose date and kind could be read."""

    node: yaml.Node  # its mapping
    keys: dict[str, yaml.Node]  # the value of each key written
    kind: str  # the value of `event:`
    what: What  # `action 1.1`, the milestone it belongs to


# -- the rules across a plan ----------------------------------------------------------------------------------------
def plan_has_recommendations(plan: PlanAsRead) -> Iterator[Found]:
    """A plan holds at least one recommendation."""
    if plan.recommendations_node is not None and not plan.recommendations and plan.read_cleanly:
        yield plan.recommendations_node, said("recommendations: the plan has no recommendations")


def ids_are_unique(plan: PlanAsRead) -> Iterator[Found]:
    """No two recommendations, actions, steps or outcomes share an id."""
    first: dict[str, Position] = {}
    for named in plan.ids:
        if named.id not in first:
            first[named.id] = named.at
            continue
        seen = first[named.id]
        yield (
            named.at,
            said(
                "duplicate id {id!r} (first at line {line}, column {column})",
                id=named.id,
                line=seen.line,
                column=seen.col,
            ),
        )


def person_keys_are_not_ids(plan: PlanAsRead) -> Iterator[Found]:
    """A person's key is not also an id, so that a name given to a command names one thing."""
    named = _first_named(plan.ids)
    for key, key_node in plan.person_keys.items():
        if key in named:
            yield (
                key_node,
                said(
                    "people: key {key!r} is also the id of {what} ({at}); "
                    "a name given to a command must name one thing",
                    key=key,
                    what=_words(named[key].what),
                    at=_at(named[key].at),
                ),
            )


def labels_name_one_item(plan: PlanAsRead) -> Iterator[Found]:
    """A label is not another item's id, a person's key, or the label of an item printed alike."""
    # `Plan.find` looks a name up among ids, labels and person keys and refuses one that fits two things.
    # Two actions or outcomes with one label are printed alike, and so are two steps of one action; steps of
    # different actions may share a label (`a.`, `b.` under each), as a MAP prints them, because a step's
    # printed number is its action's and its own (`3.4 b) a.`). A label equal to its own item's id names
    # that item, and is allowed.
    named = _first_named(plan.ids)
    first_label: dict[tuple[str, str], Label] = {}  # by (action of a step, label)
    for label in plan.labels:
        text = label.label
        if text == label.item_id:
            continue
        if text in named:
            other = said("the id of {what} ({at})", what=_words(named[text].what), at=_at(named[text].at))
        elif text in plan.person_keys:
            other = said("the key of person {key} ({at})", key=text, at=_at(plan.person_keys[text]))
        elif (label.action, text) in first_label:
            first = first_label[label.action, text]
            other = said("the label of {what} ({at})", what=_words(first.what), at=_at(first.at))
        else:
            first_label[label.action, text] = label
            continue
        yield (
            label.at,
            said(
                "{what} label: {label!r} is also {other}; "
                "a label must name only its own item, or `oagtrack show {label}` could mean either",
                what=_words(label.what),
                label=text,
                other=other,
            ),
        )


def _first_named(ids: tuple[Named, ...]) -> dict[str, Named]:
    """Each id, with the first item written with it."""
    first: dict[str, Named] = {}
    for named in ids:
        first.setdefault(named.id, named)
    return first


#: The rules across a whole plan, once it is read, in the order their problems are found.
PLAN_RULES: tuple[Callable[[PlanAsRead], Iterable[Found]], ...] = (
    plan_has_recommendations,
    ids_are_unique,
    person_keys_are_not_ids,
    labels_name_one_item,
)


# -- the rules for each action, step and outcome --------------------------------------------------------------------
# These rules and ENTRY_RULES return the list of their breaches, an empty one as soon as they see none: a plan
# of 10,000 actions runs them 115,000 times, and a generator started for each run is the larger part of their cost.
def steps_hold_the_dates(milestone: MilestoneAsRead) -> list[Found]:
    """An action with steps has no due date, status or history of its own: its steps have them."""
    if not milestone.item.steps:
        return []
    return [
        (
            milestone.keys[key],
            said(
                "{what}: {key!r} belongs on its steps, not on an action that has steps",
                what=_words(milestone.what),
                key=key,
            ),
        )
        for key in ("due", "status", "history")
        if key in milestone.keys
    ]


def due_date_is_given(milestone: MilestoneAsRead) -> list[Found]:
    """An outcome, a step and an action without steps each have a due date."""
    if milestone.item.steps or "due" in milestone.keys:
        return []
    return [(milestone.node, said("{what}: missing required key {key!r}", what=_words(milestone.what), key="due"))]


def history_keeps_its_rules(milestone: MilestoneAsRead) -> list[Found]:
    """Each history entry keeps the lifecycle and history rules (`history.RULES`)."""
    if milestone.replay is None or not milestone.replay.problems:
        return []
    return [
        (event.at, said("{what}: {message}", what=_words(milestone.what), message=complaint))
        for event, complaint in milestone.replay.problems
    ]


def status_is_what_history_makes_it(milestone: MilestoneAsRead) -> list[Found]:
    """The status written is the one its history makes it."""
    replay, item = milestone.replay, milestone.item
    if replay is None or replay.problems or replay.state.status == item.status:
        return []
    entries = (
        said("no history entry") if not item.history else said("its history ({kinds})", kinds=_kinds(item.history))
    )
    return [
        (
            milestone.keys.get("status", milestone.node),
            said(
                "{what}: status {status}, but {entries} makes it {made}; "
                "record each change with the oagtrack commands, which write both",
                what=_words(milestone.what),
                status=item.status,
                entries=entries,
                made=replay.state.status,
            ),
        )
    ]


def due_date_is_where_revisions_moved_it(milestone: MilestoneAsRead) -> list[Found]:
    """The due date written is the one the last revision in its history moved it to."""
    replay, item = milestone.replay, milestone.item
    if replay is None or replay.problems or not item.due or replay.state.due == item.due:
        return []
    return [
        (
            milestone.keys["due"],
            said(
                "{what}: due {due}, but the last revision in history moved it to {moved}; "
                "record every change with `oagtrack revise`",
                what=_words(milestone.what),
                due=item.due,
                moved=replay.state.due,
            ),
        )
    ]


#: The rules for each action, step and outcome, once read, in the order their problems are found.
MILESTONE_RULES: tuple[Callable[[MilestoneAsRead], Iterable[Found]], ...] = (
    steps_hold_the_dates,
    due_date_is_given,
    history_keeps_its_rules,
    status_is_what_history_makes_it,
    due_date_is_where_revisions_moved_it,
)


# -- the rules for each history entry -------------------------------------------------------------------------------
def entry_has_the_keys_its_kind_needs(entry: EntryAsRead) -> list[Found]:
    """An entry has every key its kind requires (`schema.EVENT_KEYS`), such as `by` on a verification."""
    required, _ = EVENT_KEYS[entry.kind]
    if required <= entry.keys.keys():
        return []
    return [
        (entry.node, said("{what}: a {kind} entry needs {key!r}", what=_words(entry.what), kind=entry.kind, key=key))
        for key in sorted(required - entry.keys.keys())
    ]


def entry_has_only_the_keys_its_kind_takes(entry: EntryAsRead) -> list[Found]:
    """An entry has no key its kind does not take (`schema.EVENT_KEYS`), such as `evidence` on a start."""
    _, allowed = EVENT_KEYS[entry.kind]
    if entry.keys.keys() <= allowed:
        return []
    return [
        (
            entry.keys[key],
            said(
                "{what}: {key!r} does not belong in a {kind} entry (it takes {keys})",
                what=_words(entry.what),
                key=key,
                kind=entry.kind,
                keys=", ".join(sorted(allowed)),
            ),
        )
        for key in entry.keys.keys() - allowed
    ]


#: The rules for each history entry whose date and kind could be read, in the order their problems are found.
ENTRY_RULES: tuple[Callable[[EntryAsRead], Iterable[Found]], ...] = (
    entry_has_the_keys_its_kind_needs,
    entry_has_only_the_keys_its_kind_takes,
)


def _at(where: yaml.Node | Position) -> str:
    """`line 12, column 7`: where a node starts, for a message that points at another place."""
    at = where if isinstance(where, Position) else _where(where)
    return said("line {line}, column {column}", line=at.line, column=at.col)


def _where(node: yaml.Node) -> Position:
    """Where `node` starts: all that a rule across the plan needs of an id or a label, once the tree is released."""
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


def _kinds(events: tuple[Event, ...]) -> str:
    """`started, completed, reopened`: the kinds of the entries, for a message."""
    kinds = [event.kind for event in events]
    return ", ".join(kinds) if len(kinds) <= 6 else ", ".join(["...", *kinds[-5:]])


def _label(kind: str, node: yaml.Node) -> str:
    """`action 1.1`: the kind and, when it can be seen, the id, for messages about a whole record."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value == "id"
                and isinstance(value, yaml.ScalarNode)
                and value.value
            ):
                return _named(kind, value.value)
    return _kind(kind)


def _kind(kind: str) -> str:
    """`action`: the word for a kind of record, in a message about one whose id is not known."""
    if kind == "action":
        return said("action")
    if kind == "step":
        return said("step")
    if kind == "outcome":
        return said("outcome")
    if kind == "recommendation":
        return said("recommendation")
    return kind


def _named(kind: str, item_id: str) -> str:
    """`action 1.1`: the kind and id of a record, which begins every message about it."""
    if kind == "action":
        return said("action {id}", id=item_id)
    if kind == "step":
        return said("step {id}", id=item_id)
    if kind == "outcome":
        return said("outcome {id}", id=item_id)
    if kind == "recommendation":
        return said("recommendation {id}", id=item_id)
    return f"{kind} {item_id}"


class _Record(NamedTuple):
    """`action 1.1`: a record by its kind and id (`action` alone while `id` is None), for messages.

    Like `_Part`, said only for a message (`_words`): a valid plan of 10,000
    actions would otherwise say 28,000 names that no message uses.
    """

    kind: str
    id: str | None = None


class _Part(NamedTuple):
    """`action 1.1 due`: a key of the record `what` names (`text (fr)` when `language` is set), for messages.

    Its words are made only for a message (`_words`): making them for every
    key read would slow reading a large plan by half.
    """

    what: What
    key: str = ""
    language: str = ""


#: What a message is about: `action 1.1`, or a key of it to be said only if there is a problem with it.
What = str | _Record | _Part


def _words(what: What) -> str:
    """What a message is about, in words (`action 1.1 due`) a reader of another language can have said again."""
    if isinstance(what, str):
        return what
    if isinstance(what, _Record):
        return _kind(what.kind) if what.id is None else _named(what.kind, what.id)
    whole = _words(what.what)
    if what.language:
        return said("{what} ({language})", what=whole, language=what.language)
    if what.key == "note":  # the key is `text:`; a note is what it holds
        return said("{what} note", what=whole)
    if what.key == "verified by":  # the key is `by:`
        return said("{what} verified by", what=whole)
    return said("{what} {key}", what=whole, key=what.key)


def _reason(err: DateError) -> str:
    """The message of `err` as it was made (a `Said` keeps its words for a reader of another language)."""
    return err.message


#: Keys version 2 renamed: a plan that still has the old one is told once, not also that the new one is missing.
_RENAMED = {"on": ("date",)}

#: Keys of version 1 that version 2 records as history entries.
_NOW_AN_ENTRY = {
    "started": "event: started",
    "completed": "event: completed",
    "evidence": "event: completed, with evidence: [...]",
    "verified": "event: verified",
    "verified_by": "event: verified, with by: WHO",
    "on": "date: YYYY-MM-DD",
}


def _unknown_key_message(key: str, allowed: dict[str, Any]) -> str:
    if key == "<<":
        return said("merge keys (<<) are not allowed; write each value out in full")
    if key in _NOW_AN_ENTRY and key not in allowed:
        what = said("a history entry's date") if key == "on" else said("a dated history entry")
        return said(
            "unknown key {key!r}: version 2 writes it as {what} ({written}); "
            "`oagtrack migrate` rewrites a version-1 plan",
            key=key,
            what=what,
            written=_NOW_AN_ENTRY[key],
        )
    hint = _did_you_mean(key, tuple(allowed))
    if hint:
        return said("unknown key {key!r}{hint}", key=key, hint=hint)
    return said("unknown key {key!r}; allowed: {allowed}", key=key, allowed=", ".join(allowed))


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return said(" (did you mean {word!r}?)", word=close[0]) if close else ""


def _yaml_reading(scalar: yaml.ScalarNode) -> str:
    if scalar.tag == "tag:yaml.org,2002:float":
        try:
            return said("the number {number!r}", number=float(scalar.value.replace("_", "")))
        except ValueError:
            return said("a number")
    if scalar.tag == "tag:yaml.org,2002:int":
        return said("a number")
    if scalar.tag == "tag:yaml.org,2002:bool":
        return said("true or false")
    if scalar.tag == _TIMESTAMP:
        return said("a date")
    return said("nothing (null)")


def _date_message(value: str, scalar: yaml.ScalarNode, err: DateError) -> str:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return _reason(err)
    if not value.strip():
        return said("empty value; write a date as YYYY-MM-DD")
    if len(value) > MAX_CHARS:
        return said("expected a date as YYYY-MM-DD, found {value}", value=shown(value))
    try:
        check_plainly_written(value, "date")
    except DateError as reason:
        return _reason(reason)  # blanks around it, a digit that is not 0-9, an invisible or control character
    if re.match(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+[0-9])", value):
        return said(
            "expected a date (YYYY-MM-DD), found a date and time {value!r}; write {day}", value=value, day=value[:10]
        )
    try:
        suggestion = parse_date(value, date(2000, 1, 1))
    except DateError as reason:
        if "no year" in str(reason):
            return said("{value!r} has no year; write the date as YYYY-MM-DD", value=value)
        return said("expected a date as YYYY-MM-DD, found {value!r}", value=value)
    if re.search(r"[A-Za-z]", value) and not re.fullmatch(r"[+-].*|today|yesterday|tomorrow|Q.*|FY.*", value, re.I):
        return said(
            "expected a date as YYYY-MM-DD, found {value!r} (write {day})", value=value, day=suggestion.isoformat()
        )
    return said("expected a date as YYYY-MM-DD, found {value!r}", value=value)
