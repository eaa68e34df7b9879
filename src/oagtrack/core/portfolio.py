"""A department's portfolio: many plans, one per audit, read as one.

Where the plans come from, in order:

1. `--plan` given (any number of times): each a plan file, a folder (the
   portfolio file in it if it has one, else every `*.yaml` in it), or a
   portfolio file;
2. else `$OAGTRACK_PLAN`, read the same way;
3. else the first folder from the current one up that holds
   `portfolio.yaml` or `plan.yaml` (the portfolio file when it has both).

A portfolio file names its plans by path or glob, relative to itself, and
may describe people shared by every plan:

    title: Department of Examples, audit portfolio (fictional)
    plans: [plans/*.yaml, ../plan.yaml]

Each plan is read and checked on its own (so each can be reviewed alone),
from the cache when its bytes were checked before (`core.cache`), else
parsed, on both cores when there are several to parse. Every problem of
every file is reported: a broken file never hides the others, and a broken
file is left out of the portfolio rather than stopping it being read.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .model import Milestone, Person, Plan, PlanPattern, PortfolioFileSays, Position, Recommendation
from .problems import PlanError, Problem, said

PORTFOLIO_FILENAME = "portfolio.yaml"
PLAN_FILENAME = "plan.yaml"
PLAN_ENV = "OAGTRACK_PLAN"
#: Below this many bytes to parse, a second process costs more than it saves.
PARALLEL_FROM_BYTES = 2_000_000
#: A qualified id: the audit's id, this separator, then the id within the plan.
QUALIFIER = ":"


class Sources(NamedTuple):
    """The files a command reads: the portfolio file, if any, and every plan file, in order."""

    portfolio: Path | None
    plans: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def single(self) -> bool:
        """One plan file named on its own, read exactly as before portfolios existed."""
        return self.portfolio is None and len(self.plans) == 1


class Member(NamedTuple):
    """One plan of the portfolio: where it is, the bytes read, and its model."""

    path: Path
    name: str  # as messages name the file
    data: bytes
    plan: Plan
    #: The people the portfolio describes for this plan (its leads may be among them), for reading it again.
    shared: dict[str, Person] = {}  # noqa: RUF012 - a NamedTuple default, never changed in place

    @property
    def audit_id(self) -> str:
        return self.plan.audit.id


class Portfolio(NamedTuple):
    file: Path | None
    members: tuple[Member, ...]
    title: str = "Portfolio"

    def plans(self) -> Iterable[Plan]:
        return (member.plan for member in self.members)

    def member(self, audit_id: str) -> Member | None:
        return next((member for member in self.members if member.audit_id == audit_id), None)

    def find(self, name: str) -> list[tuple[Member, Milestone | Recommendation]]:
        """Every item `name` names: `audit:id` in that audit only, a bare id in any audit."""
        audit_id, _, item_id = name.rpartition(QUALIFIER)
        found: list[tuple[Member, Milestone | Recommendation]] = []
        for member in self.members:
            if audit_id and member.audit_id != audit_id:
                continue
            item = member.plan.find(item_id)
            if isinstance(item, (Milestone, Recommendation)):
                found.append((member, item))
        return found


# -- finding the files ----------------------------------------------------------
def find_sources(explicit: Sequence[str], environ: Mapping[str, str], cwd: Path) -> Sources:
    """The files to read, from `--plan` values, else `$OAGTRACK_PLAN`, else the folders from `cwd` up."""
    named = list(explicit) or ([environ[PLAN_ENV]] if environ.get(PLAN_ENV) else [])
    if not named:
        for folder in (cwd, *cwd.parents):
            for filename in (PORTFOLIO_FILENAME, PLAN_FILENAME):
                candidate = folder / filename
                if os.path.lexists(candidate) and not os.path.isdir(candidate):
                    shown = candidate if folder != cwd else Path(filename)
                    named = [str(shown)]
                    break
            if named:
                break
    if not named:
        where = said(
            "not found in {folder} or any folder above it; name the plan with --plan FILE or ${variable}",
            folder=str(cwd),
            variable=PLAN_ENV,
        )
        raise PlanError([Problem(PLAN_FILENAME, 0, 0, where)])
    portfolio: Path | None = None
    plans: list[Path] = []
    problems: list[Problem] = []
    for value in named:
        path = Path(value)
        if path.is_dir() and (path / PORTFOLIO_FILENAME).is_file() and portfolio is None:
            portfolio = path / PORTFOLIO_FILENAME  # a folder with a portfolio file means that portfolio
        elif path.is_dir():
            found = sorted(p for p in path.glob("*.yaml") if p.name != PORTFOLIO_FILENAME and not p.is_dir())
            if not found:
                problems.append(Problem(value, 0, 0, said("this folder holds no plan (*.yaml)")))
            plans += found
        elif path.name == PORTFOLIO_FILENAME and portfolio is None:
            portfolio = path
        else:
            plans.append(path)
    return Sources(portfolio, tuple(_unique(plans)), tuple(problems))


def plans_named_by(portfolio: Path, patterns: Sequence[tuple[str, int, int]]) -> tuple[list[Path], list[Problem]]:
    """The plan files a portfolio file's `plans:` names, relative to its folder, each glob sorted."""
    base = portfolio.parent
    found: list[Path] = []
    problems: list[Problem] = []
    for pattern, line, col in patterns:
        if os.path.isabs(pattern):
            problems.append(
                Problem(
                    str(portfolio),
                    line,
                    col,
                    said("{pattern!r}: name plans relative to the portfolio", pattern=pattern),
                )
            )
            continue
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(str(base / pattern)) if not os.path.isdir(p))
            matches = [p for p in matches if p.name != PORTFOLIO_FILENAME]
            if not matches:
                problems.append(
                    Problem(str(portfolio), line, col, said("{pattern!r} matches no plan file", pattern=pattern))
                )
            found += matches
        else:
            path = base / pattern
            if not os.path.lexists(path):
                problems.append(Problem(str(portfolio), line, col, said("{pattern!r}: no such file", pattern=pattern)))
                continue  # said once, where it is named
            found.append(path)
    return _unique(found), problems


def _unique(paths: Iterable[Path]) -> list[Path]:
    """Each file once, in first-named order, however it was spelled."""
    seen: set[str] = set()
    result: list[Path] = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            result.append(path)
    return result


# -- reading the plans ----------------------------------------------------------
class _Read(NamedTuple):
    path: Path
    data: bytes | None
    plan: Plan | None
    problems: list[Problem]
    name: str = ""  # as messages name the file: its path, or `REV:path` for a version read from git


def read_plans(
    paths: Sequence[Path],
    today: date,
    cache: object | None = None,
    shared: Mapping[str, Person] | None = None,
    revision: str | None = None,
) -> list[_Read]:
    """Each file read and checked (from `cache` when it holds the same bytes), in order; never raises.

    `shared`: the people the portfolio file describes; they are part of what a plan's check depends on, so
    of the cache's key too. `revision`: read each file as it stood at that git commit instead (one that did
    not exist then is left out), named `REV:path`.
    """
    from .cache import Cache
    from .gitio import read_if_present
    from .store import read_bytes

    store = cache if isinstance(cache, Cache) else None
    context = people_context(shared)
    results: list[_Read | None] = []
    to_parse: list[tuple[int, Path, str, bytes]] = []
    for path in paths:
        name = f"{revision}:{path}" if revision is not None else str(path)
        try:
            data = read_if_present(path, revision) if revision is not None else read_bytes(path)
        except PlanError as err:
            results.append(_Read(path, None, None, list(err.problems), name))
            continue
        if data is None:
            continue  # new since the revision
        plan = store.get(data, today, context) if store else None
        if plan is not None:
            results.append(_Read(path, data, plan, [], name))
        else:
            to_parse.append((len(results), path, name, data))
            results.append(None)
    for index, path, name, data, plan, problems in _parse_all(to_parse, today, shared or {}):
        results[index] = _Read(path, data, plan, problems, name)
        if store and plan is not None:
            store.put(data, plan, today, context)
    return [result for result in results if result is not None]


def _parse_all(
    jobs: list[tuple[int, Path, str, bytes]], today: date, shared: Mapping[str, Person]
) -> list[tuple[int, Path, str, bytes, Plan | None, list[Problem]]]:
    """Parse and check every job, on as many cores as help: a second process only for a lot of text."""
    size = sum(len(data) for *_, data in jobs)
    workers = min(len(jobs), os.cpu_count() or 1, 2)
    if workers < 2 or size < PARALLEL_FROM_BYTES:
        return [(index, path, name, data, *_check(data, name, today, shared)) for index, path, name, data in jobs]
    # imported here: multiprocessing costs a command about 13 ms to import, and most read one small plan
    from concurrent.futures import ProcessPoolExecutor

    halves = [jobs[0::2], jobs[1::2]]
    with ProcessPoolExecutor(max_workers=2) as pool:
        other = pool.submit(_check_many, [(name, data) for _, _, name, data in halves[1]], today, dict(shared))
        here = [_check(data, name, today, shared) for _, _, name, data in halves[0]]
        try:
            there = [(_from_child(raw, today), problems) for raw, problems in other.result()]
        except Exception:  # noqa: BLE001 - the second process died (out of memory, killed) or could not send a plan
            # back: it only ever saves time, so its half is read here instead, as with one process.
            there = [_check(data, name, today, shared) for _, _, name, data in halves[1]]
    by_index = {job[0]: checked for job, checked in zip(halves[0], here)}
    by_index.update({job[0]: checked for job, checked in zip(halves[1], there)})
    return [(index, path, name, data, *by_index[index]) for index, path, name, data in jobs]


def _check(data: bytes, name: str, today: date, shared: Mapping[str, Person]) -> tuple[Plan | None, list[Problem]]:
    from .validate import validate_bytes

    return validate_bytes(data, name, today, shared_people=shared)


def _check_many(
    jobs: list[tuple[str, bytes]], today: date, shared: Mapping[str, Person]
) -> list[tuple[bytes | None, list[Problem]]]:
    """Each job checked in the second process, its plan sent back as the cache writes an entry.

    Pickle, which would send it otherwise, calls a Python method for every
    record of the model: for 5,000 actions 0.20 s to write and 0.05 s to
    read, against 0.11 s and 0.05 s for the cache's columns.
    """
    from .cache import encode_entry

    checked = []
    for name, data in jobs:
        plan, problems = _check(data, name, today, shared)
        checked.append((encode_entry(plan, _FROM_CHILD, today) if plan is not None else None, problems))
    return checked


#: The key a plan sent by the second process is written under (it is never stored).
_FROM_CHILD = "from-the-second-process"


def _from_child(raw: bytes | None, today: date) -> Plan | None:
    from .cache import decode_entry

    return decode_entry(raw, _FROM_CHILD, today) if raw is not None else None


def people_context(shared: Mapping[str, Person] | None) -> str:
    """The shared people as text, for the cache's key: other shared people, another key."""
    if not shared:
        return ""  # a plan of no portfolio, or of one that describes nobody: the key of its bytes alone
    import json

    from .cache import encoded

    # as the cache writes them: every field, every language of every text, every position
    return json.dumps(sorted((key, encoded(person)) for key, person in shared.items()), ensure_ascii=False)


def load_portfolio(
    sources: Sources, today: date, cache: object | None = None, revision: str | None = None
) -> tuple[Portfolio, list[Problem]]:
    """Every plan the sources name, and every problem of every file; a broken plan is left out, not fatal.

    With `revision`, each plan named now is read as it stood at that git commit (see `read_plans`), with the
    people the portfolio file describes now.
    """
    problems = list(sources.problems)
    paths = list(sources.plans)
    shared: dict[str, Person] = {}
    title = "Portfolio"
    if sources.portfolio is not None:
        read_file = portfolio_file(sources.portfolio, today, cache=cache)
        named, missing = plans_named_by(sources.portfolio, read_file.patterns)
        shared, title = read_file.people, read_file.title or title
        problems += read_file.problems + missing
        paths = _unique([*named, *paths])
        groups = [(paths, shared, str(sources.portfolio))]
    else:
        groups = _by_enclosing_portfolio(paths, today)
    members: list[Member] = []
    for group, people, _ in groups:
        for read in read_plans(group, today, cache, people, revision):
            problems += read.problems
            if read.plan is not None and read.data is not None:
                members.append(Member(read.path, read.name, read.data, read.plan, dict(people)))
    order = {str(path): index for index, path in enumerate(paths)}
    members.sort(key=lambda member: order[str(member.path)])
    problems += audit_id_problems(members)
    for group, people, where in groups:
        in_group = {str(path) for path in group}
        problems += people_problems([m for m in members if str(m.path) in in_group], people, where)
    return Portfolio(sources.portfolio, tuple(members), title), problems


def _by_enclosing_portfolio(paths: Sequence[Path], today: date) -> list[tuple[list[Path], dict[str, Person], str]]:
    """Plans named without a portfolio file, grouped by the portfolio file above each that names it (its people
    are theirs, as when each is read alone), in first-named order."""
    groups: dict[str, tuple[list[Path], dict[str, Person], str]] = {}
    for path in paths:
        where = enclosing_portfolio(path, today)
        key = str(where[0]) if where else ""
        groups.setdefault(key, ([], where[1] if where else {}, key))[0].append(path)
    return list(groups.values())


def audit_id_problems(members: Sequence[Member]) -> list[Problem]:
    """Two plans for one audit id would make every qualified id ambiguous: a problem at each."""
    problems: list[Problem] = []
    by_id: dict[str, list[Member]] = {}
    for member in members:
        by_id.setdefault(member.audit_id, []).append(member)
    for audit_id, same in by_id.items():
        if len(same) > 1:
            files = ", ".join(member.name for member in same)
            for member in same:
                message = said(
                    "audit id {audit_id!r} is used by {count} plans ({files}); each audit's id is unique",
                    audit_id=audit_id,
                    count=len(same),
                    files=files,
                )
                problems.append(Problem(member.name, 0, 0, message))
    return problems


class PortfolioFile(NamedTuple):
    """What a portfolio file says: its plans (each entry with where it is written) and the people they share."""

    patterns: list[tuple[str, int, int]]
    people: dict[str, Person]
    problems: list[Problem]
    title: str = ""


def read_portfolio_file(path: Path, today: date) -> tuple[list[Path], dict[str, Person], list[Problem]]:
    """The plan files a portfolio file names, the people it describes for them, and its problems."""
    read = portfolio_file(path, today)
    found, missing = plans_named_by(path, read.patterns)
    return found, read.people, read.problems + missing


def plan_patterns(path: Path) -> tuple[list[tuple[str, int, int]], list[Problem]]:
    """The `plans:` entries of a portfolio file, each with its line and column, and the file's problems."""
    read = portfolio_file(path, date.today())  # the day only matters to people's dates, which people have none of
    return read.patterns, read.problems


def portfolio_file(
    path: Path, today: date, data: bytes | None = None, name: str | None = None, cache: object | None = None
) -> PortfolioFile:
    """A portfolio file read (or the bytes it held at a revision): `title`, `plans` (paths or globs) and `people`,
    every problem positioned; from `cache` when it holds what the same bytes said, so that a portfolio read
    from the cache reads no YAML."""
    from .cache import Cache
    from .store import read_bytes

    name = name or str(path)
    try:
        data = read_bytes(path) if data is None else data
    except PlanError as err:
        return PortfolioFile([], {}, list(err.problems))
    store = cache if isinstance(cache, Cache) else None
    if store and (said_before := store.get_record(data, today, "", PortfolioFileSays)) is not None:
        return PortfolioFile(
            [(entry.pattern, entry.at.line, entry.at.col) for entry in said_before.plans],
            said_before.people,
            [],
            said_before.title,
        )
    read = _parse_portfolio_file(data, name, today)
    if store and not read.problems:
        plans = tuple(PlanPattern(pattern, Position(line, col)) for pattern, line, col in read.patterns)
        store.put(data, PortfolioFileSays(read.title, plans, read.people), today)
    return read


def _parse_portfolio_file(data: bytes, name: str, today: date) -> PortfolioFile:
    from .source import load
    from .validate import read_people

    source, problems = load(data, name)
    if source is None:
        return PortfolioFile([], {}, problems)
    root = source.root
    if getattr(root, "tag", "") != "tag:yaml.org,2002:map":
        return PortfolioFile(
            [], {}, [Problem(name, 1, 1, said("a portfolio file is a mapping with `plans:` (and `title:`)"))]
        )
    patterns: list[tuple[str, int, int]] = []
    people: dict[str, Person] = {}
    title = ""
    for key_node, value_node in root.value:
        key = key_node.value
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key == "title":
            if getattr(value_node, "tag", "") != "tag:yaml.org,2002:str":
                problems.append(Problem(name, *where, said("title: write the portfolio's title as text")))
            else:
                title = value_node.value
        elif key == "plans":
            if getattr(value_node, "tag", "") != "tag:yaml.org,2002:seq":
                problems.append(Problem(name, *where, said("plans: a list of plan files or globs")))
                continue
            for item in value_node.value:
                at = (item.start_mark.line + 1, item.start_mark.column + 1)
                if getattr(item, "tag", "") != "tag:yaml.org,2002:str" or not item.value:
                    problems.append(Problem(name, *at, said("plans: each entry is a path or glob, as text")))
                else:
                    patterns.append((item.value, *at))
        elif key == "people":
            people, people_problems = read_people(value_node, name, today)
            problems += people_problems
        else:
            problems.append(
                Problem(
                    name,
                    *where,
                    said("unknown key {key!r} in a portfolio file; allowed: title, plans, people", key=key),
                )
            )
    if not any(key_node.value == "plans" for key_node, _ in root.value):
        problems.append(Problem(name, 1, 1, said("a portfolio file names its plans: add `plans: [plans/*.yaml]`")))
    return PortfolioFile(patterns, people, problems, title)


# -- one plan of many -------------------------------------------------------------
def qualified(audit_id: str, item_id: str) -> str:
    return f"{audit_id}{QUALIFIER}{item_id}"


#: Where a milestone keeps the ids `_qualify_milestone` qualifies (a portfolio holds thousands of milestones:
#: building each from a list is several times quicker than `_replace` with keywords).
_ID, _RECOMMENDATION, _STEPS, _PARENT = map(Milestone._fields.index, ("id", "recommendation", "steps", "parent"))


def _qualify_milestone(audit_id: str, milestone: Milestone) -> Milestone:
    fields = list(milestone)
    fields[_ID] = qualified(audit_id, milestone.id)
    fields[_RECOMMENDATION] = qualified(audit_id, milestone.recommendation)
    if milestone.parent:
        fields[_PARENT] = qualified(audit_id, milestone.parent)
    if milestone.steps:
        fields[_STEPS] = tuple(_qualify_milestone(audit_id, step) for step in milestone.steps)
    return Milestone._make(fields)


def _qualify(plan: Plan) -> tuple[Recommendation, ...]:
    audit_id = plan.audit.id
    return tuple(
        rec._replace(
            id=qualified(audit_id, rec.id),
            outcome=_qualify_milestone(audit_id, rec.outcome),
            actions=tuple(_qualify_milestone(audit_id, action) for action in rec.actions),
        )
        for rec in plan.recommendations
    )


def merged(portfolio: Portfolio, title: str = "Portfolio") -> Plan:
    """Every plan of the portfolio as one plan whose ids are qualified by audit (`oag-2020-x:1.1`).

    Every query and renderer of one plan then works on the portfolio as it
    is, with the audit in each id; people are shared by key (a key that two
    plans describe differently is a problem `people_problems` reports).
    """
    from .model import Audit

    people: dict[str, Person] = {}
    organizations: list[str] = []
    for plan in portfolio.plans():
        for key, person in plan.people.items():
            people.setdefault(key, person)
        organizations += [org for org in plan.audit.organizations if org not in organizations]
    recommendations = tuple(rec for plan in portfolio.plans() for rec in _qualify(plan))
    audit = Audit(id="portfolio", title=title, organizations=tuple(organizations))
    return Plan(2, audit, people, recommendations)


def people_problems(
    members: Sequence[Member], shared: Mapping[str, Person] | None = None, portfolio: str = ""
) -> list[Problem]:
    """A person key described differently in two places (two plans, or a plan and the portfolio file): a problem
    at each description."""
    problems: list[Problem] = []
    first: dict[str, tuple[str, Person]] = {key: (portfolio, person) for key, person in (shared or {}).items()}
    for member in members:
        for key, person in member.plan.people.items():
            if shared and shared.get(key) is person:
                continue  # the portfolio's own description, which the plan took
            if key not in first:
                first[key] = (member.name, person)
                continue
            other_file, other = first[key]
            if other != person:
                here = f"{member.name}:{person.at.line}:{person.at.col}"
                there = f"{other_file}:{other.at.line}:{other.at.col}"
                differs = [
                    name for name in Person._fields if name != "at" and getattr(person, name) != getattr(other, name)
                ]
                what = ", ".join(differs)
                problems.append(
                    Problem(
                        other_file,
                        other.at.line,
                        other.at.col,
                        _described_differently(key, here, what),
                    )
                )
                problems.append(
                    Problem(
                        member.name,
                        person.at.line,
                        person.at.col,
                        _described_differently(key, there, what),
                    )
                )
    return problems


def _described_differently(key: str, where: str, what: str) -> str:
    return said(
        "person {key!r} is described differently at {where} ({what}); describe each person once, the same everywhere",
        key=key,
        where=where,
        what=what,
    )


class Ambiguous(Exception):
    """A short id that names items in several audits."""

    def __init__(self, name: str, candidates: list[str]):
        super().__init__(name)
        self.name = name
        self.candidates = candidates


def resolve(portfolio: Portfolio, name: str) -> tuple[Member, str] | None:
    """The audit and plan id that `name` (qualified or short) names; None if none; `Ambiguous` if several."""
    found = portfolio.find(name)
    if not found:
        return None
    if len(found) > 1:
        raise Ambiguous(name, [qualified(member.audit_id, item.id) for member, item in found])
    member, item = found[0]
    return member, item.id


def shared_people_for(path: Path, today: date) -> dict[str, Person]:
    """The people of the portfolio file that names `path`, if the nearest one above it does; else none.

    So a plan whose leads the portfolio describes is read, checked and
    updated on its own exactly as it is within the portfolio.
    """
    found = enclosing_portfolio(path, today)
    return found[1] if found else {}


def enclosing_portfolio(path: Path, today: date) -> tuple[Path, dict[str, Person]] | None:
    """The nearest portfolio file above `path`, with its people, if it names `path`."""
    here = Path(os.path.abspath(path))
    for folder in here.parents:
        candidate = folder / PORTFOLIO_FILENAME
        if os.path.isfile(candidate):
            read = portfolio_file(candidate, today)
            named, _ = plans_named_by(candidate, read.patterns)
            if any(os.path.realpath(p) == os.path.realpath(here) for p in named):
                return candidate, read.people
            return None
    return None
