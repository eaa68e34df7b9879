"""Write a realistic plan with N actions, deterministic from a seed.

Recommendations of about five actions, multi-line folded texts, a response
and an expected outcome each, leads drawn from a pool of people, and a share
of actions that are in progress, complete (some verified), revised or noted.
Progress is as it stood on SNAPSHOT (2024-06-30): nothing recorded is later,
so the plan passes `oagtrack validate` on any day after it.

    python benchmarks/generate.py 10000 --seed 1 > /tmp/plan-10k.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "the agency will continue to refine review develop implement establish monitor report quality "
    "assurance process data integrity removal inventory case management oversight national "
    "coordination strategy performance measurement dashboard regional operations partners timely "
    "accurate information interface training program priority cases framework guidance policy "
    "procedures compliance controls analysis assessment department officials annual plan system "
    "resources capacity risk stakeholders consultation evaluation results targets outcomes"
).split()
ORGS = ("CBSA", "IRCC", "DOJ", "PSPC", "TBS")
FIRST = ("Scott", "Minh", "Kathy", "Nicole", "Amir", "Julie", "Pierre", "Grace", "Omar", "Helen", "Raj", "Sofia")
LAST = ("Harris", "Doan", "Thompson", "Giles", "Tremblay", "Roy", "Singh", "Wong", "Martin", "Lee", "Brown", "Gagnon")
BRANCHES = (
    "Intelligence and Enforcement Branch",
    "Strategic Policy Branch",
    "Operations",
    "Information, Science and Technology Branch",
)
START = date(2016, 1, 1)
#: The day the generated plan describes: nothing is recorded after it, so the
#: plan validates on any later day. Benchmarks ask questions as of this day.
SNAPSHOT = date(2024, 6, 30)


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def folded(rng: random.Random, indent: int, words: int) -> list[str]:
    """A `>-` block of about `words` words wrapped at 78 columns."""
    text = " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(max(1, words // 12)))
    pad = " " * indent
    lines, line = [], ""
    for word in text.split():
        if line and len(pad) + len(line) + 1 + len(word) > 78:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)
    return lines


def day(rng: random.Random, lo: int = 0, hi: int = 2900) -> date:
    return START + timedelta(days=rng.randint(lo, hi))


def generate(n: int, seed: int = 1, people_prefix: str = "p") -> str:
    rng = random.Random(seed)
    people = max(4, min(400, n // 25))
    keys = [f"{people_prefix}{i:03d}" for i in range(people)]
    out = [
        f"# A generated plan with {n} actions (seed {seed}), for benchmarks.",
        "schema_version: 2",
        "",
        "audit:",
        f"  id: bench-{n}-{seed}",
        "  title: Generated benchmark plan (fictional)",
        "  auditor: Office of the Auditor General of Canada",
        '  year: "2020"',
        f"  organizations: [{', '.join(ORGS)}]",
        "",
        "people:",
    ]
    for key in keys:
        out += [
            f"  {key}:",
            f"    name: {rng.choice(FIRST)} {rng.choice(LAST)}",
            "    title: Vice-President",
            f"    branch: {rng.choice(BRANCHES)}",
            f"    org: {rng.choice(ORGS)}",
            f"    phone: 613-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        ]
    out += ["", "recommendations:"]
    made = 0
    rec = 0
    while made < n:
        rec += 1
        count = min(n - made, rng.randint(3, 7))
        made += count
        rec_leads = rng.sample(keys, 2)
        out += [f'  - id: "{rec}"', "    text: >-", *folded(rng, 6, 40), f"    leads: [{', '.join(rec_leads)}]"]
        out += ["    response:", "      agreed: true", "      text: >-", *folded(rng, 8, 30)]
        out += ["    outcome:", f'      id: "{rec}.outcome"', "      text: >-", *folded(rng, 8, 24)]
        outcome_due = day(rng, 0, 3650)
        status, events = progress(rng, outcome_due, f"{rec}.outcome")
        out += [
            f"      due: {outcome_due}",
            f"      status: {status}",
            *history_lines(events, "      "),
            "    actions:",
        ]
        for j in range(1, count + 1):
            out += action(rng, f"{rec}.{j}", rng.choice(keys))
        out.append("")
    return "\n".join(out) + "\n"


#: Same-day order of entries: a start before a revision before a note before a completion.
_RANK = {"started": 0, "revised": 1, "note": 2, "completed": 3, "verified": 4}


def action(rng: random.Random, item_id: str, lead: str) -> list[str]:
    """One action whose progress is what it would be on SNAPSHOT.

    Most work due well before the snapshot is done (some of it late), work
    due around it is under way, and later work has mostly not started.
    """
    due = day(rng, 0, 3650)
    lines = [f'      - id: "{item_id}"', "        text: >-", *folded(rng, 10, rng.randint(20, 40))]
    events: list[tuple[date, str, list[str]]] = []
    if rng.random() < 0.15:  # revised once or twice; the due date follows the last revision
        on = min(due - timedelta(days=rng.randint(10, 100)), SNAPSHOT - timedelta(days=200))
        for _ in range(rng.randint(1, 2)):
            new_due = due + timedelta(days=rng.randint(30, 120))
            body = [
                f"from: {due}",
                f"to: {new_due}",
                "reason: >-",
                *folded(rng, 2, 16),
                f"approved_by: {rng.choice(FIRST)} {rng.choice(LAST)}",
            ]
            events.append((on, "revised", body))
            on, due = on + timedelta(days=rng.randint(1, 60)), new_due
        last_on = on
    else:
        last_on = START
    if rng.random() < 0.1:
        note_on = min(max(last_on, due - timedelta(days=5)), SNAPSHOT)
        events.append((note_on, "note", ["text: >-", *folded(rng, 2, 20)]))
    status, progress_events = progress(rng, due, item_id, not_before=max((on for on, _, _ in events), default=START))
    lines += [
        f"        due: {due}",
        f"        leads: [{lead}]",
        f"        status: {status}",
        *history_lines(events + progress_events, "        "),
    ]
    return lines


def history_lines(events: list[tuple[date, str, list[str]]], pad: str) -> list[str]:
    """The entries oldest first, as plan.yaml writes them under `history:`."""
    if not events:
        return []
    lines = [f"{pad}history:"]
    for on, kind, body in sorted(events, key=lambda event: (event[0], _RANK[event[1]])):
        lines += [f"{pad}  - date: {on}", f"{pad}    event: {kind}", *(f"{pad}    {line}" for line in body)]
    return lines


def progress(
    rng: random.Random, due: date, item_id: str, not_before: date = START
) -> tuple[str, list[tuple[date, str, list[str]]]]:
    """The status and the entries that make it, as they stood on SNAPSHOT: old work mostly done, some of it late."""
    days_left = (due - SNAPSHOT).days
    done_share = 0.97 if days_left < -90 else 0.6 if days_left < 90 else 0.05
    roll = rng.random()
    if roll < done_share:
        # A completion follows every revision and note recorded before it.
        completed = max(min(due + timedelta(days=rng.randint(-40, 30)), SNAPSHOT), not_before)
        started = completed - timedelta(days=rng.randint(30, 200))
        verified = (
            completed + timedelta(days=20)
            if rng.random() < 0.3 and completed + timedelta(days=20) <= SNAPSHOT
            else None
        )
        events = [
            (started, "started", []),
            (completed, "completed", ["evidence:", f"  - https://example.org/evidence/{item_id}.pdf"]),
        ]
        if verified:
            events.append((verified, "verified", ["by: Internal Audit"]))
        return ("verified" if verified else "complete"), events
    if roll < done_share + (1 - done_share) / 2:
        return "in-progress", [(min(due - timedelta(days=rng.randint(30, 200)), SNAPSHOT), "started", [])]
    return "not-started", []


def portfolio(folder: Path, plans: int, actions: int) -> list[Path]:
    """`plans` generated plans of `actions` actions each in `folder`, each audit with its own people, and a
    portfolio.yaml naming them: a department's portfolio for benchmarks (fictional, as each title says)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(1, plans + 1):
        path = folder / f"plan-{seed:03d}.yaml"
        path.write_text(generate(actions, seed, people_prefix=f"a{seed:03d}p"), encoding="utf-8")
        paths.append(path)
    (folder / "portfolio.yaml").write_text("title: Generated benchmark portfolio (fictional)\nplans: [plan-*.yaml]\n")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of actions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.stdout.write(generate(args.n, args.seed))


if __name__ == "__main__":
    main()
