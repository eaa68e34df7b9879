"""`oagtrack migrate`: every version-1 plan becomes a valid version-2 plan with the same meaning, as a small diff.

The oracle is version-1 oagtrack itself: tests/fixtures/v1/*.v1-export.json
were written by it (`export -f json --as-of 2026-01-01`) before version 2
existed. A migrated plan must export the same facts.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

V1 = Path(__file__).resolve().parent / "fixtures" / "v1"
V1_PLANS = sorted(V1.glob("*.yaml"))
REFUSED = sorted((V1.parent / "v1-refused").glob("*.yaml"))
AS_OF = "2026-01-01"

runner = CliRunner()

#: What version 1 wrote as keys of a milestone, and version 2 as dated entries.
V1_KEYS = ("started:", "completed:", "evidence:", "verified:", "verified_by:")


def run(*args: str):
    return runner.invoke(app, list(args))


def migrated_copy(tmp_path: Path, source: Path) -> Path:
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    result = run("migrate", "-p", str(copy))
    assert result.exit_code == 0, result.output
    return copy


def v1_facts(history: list[dict[str, Any]]) -> list[tuple]:
    """The entries version 1 wrote, in version-2 words: `restarted` is a start, `on` a date."""
    kinds = {"restarted": "started"}
    return [
        (
            e["on"],
            kinds.get(e["event"], e["event"]),
            e.get("text"),
            e.get("reason"),
            e.get("from"),
            e.get("to"),
            e.get("approved_by"),
        )
        for e in history
    ]


def v2_facts(history: list[dict[str, Any]]) -> list[tuple]:
    """The same entries from a version-2 export; the state keys version 1 kept apart are compared on their own."""
    kept = [e for e in history if e["event"] not in ("completed", "verified")]
    # Version 1 dated only restarts in its history; the first start was the `started` key.
    restarts = [
        e for i, e in enumerate(kept) if e["event"] != "started" or any(x["event"] == "reopened" for x in kept[:i])
    ]
    return [
        (e["date"], e["event"], e.get("text"), e.get("reason"), e.get("from"), e.get("to"), e.get("approved_by"))
        for e in restarts
    ]


def milestones(document: dict[str, Any]):
    for rec in document["recommendations"]:
        yield rec["outcome"]
        for action in rec["actions"]:
            yield from action.get("steps", [action])


@pytest.mark.parametrize("source", V1_PLANS, ids=lambda p: p.stem)
def test_a_migrated_plan_exports_what_version_1_exported(tmp_path: Path, source: Path) -> None:
    """Same audit, people, texts, states, dates, evidence and history entries as version-1 oagtrack exported."""
    copy = migrated_copy(tmp_path, source)
    assert run("validate", str(copy)).exit_code == 0
    result = run("export", "-f", "json", "--as-of", AS_OF, "-p", str(copy))
    assert result.exit_code == 0, result.output
    new = json.loads(result.stdout)
    old = json.loads(source.with_suffix(".v1-export.json").read_text(encoding="utf-8"))
    assert (old.pop("schema_version"), new.pop("schema_version")) == (1, 2)
    old_items, new_items = list(milestones(old)), list(milestones(new))
    assert [m["id"] for m in old_items] == [m["id"] for m in new_items]
    for before, after in zip(old_items, new_items):
        old_history, new_history = before.pop("history", []), after.pop("history", [])
        assert before == after
        assert v1_facts(old_history) == v2_facts(new_history), after["id"]
        withdrawn = [
            (e["on"], e.get("completed"), e.get("verified"), e.get("verified_by"))
            for e in old_history
            if e["event"] == "reopened"
        ]
        assert withdrawn == [
            (e["date"], e.get("completed"), e.get("verified"), e.get("verified_by"))
            for e in new_history
            if e["event"] == "reopened"
        ]
    for rec in old["recommendations"] + new["recommendations"]:
        rec.pop("outcome"), rec.pop("actions")
    assert old == new


@pytest.mark.parametrize("source", V1_PLANS, ids=lambda p: p.stem)
def test_the_migration_is_a_small_diff(tmp_path: Path, source: Path) -> None:
    """Only the version, `on:` keys, `restarted` and the version-1 state keys change; comments and layout stay."""
    before = source.read_text(encoding="utf-8").splitlines()
    after = migrated_copy(tmp_path, source).read_text(encoding="utf-8").splitlines()
    removed = [line for line in difflib.ndiff(before, after) if line.startswith("- ")]
    added = [line for line in difflib.ndiff(before, after) if line.startswith("+ ")]
    version_1_words = ("schema_version: 1", "on:", "restarted", *V1_KEYS, "- ")
    assert [] == [line for line in removed if not any(word in line for word in version_1_words)]
    entry_words = ("schema_version: 2", "date:", "event:", "evidence:", "by:", "history:", "- ")
    assert [] == [line for line in added if not any(word in line for word in entry_words)]
    comments = [line for line in before if line.lstrip().startswith("#")]
    assert comments == [line for line in after if line.lstrip().startswith("#")]


@pytest.mark.parametrize("source", V1_PLANS, ids=lambda p: p.stem)
def test_migrating_twice_changes_nothing(tmp_path: Path, source: Path) -> None:
    copy = migrated_copy(tmp_path, source)
    once = copy.read_bytes()
    result = run("migrate", "-p", str(copy))
    assert (result.exit_code, result.stdout, copy.read_bytes()) == (
        0,
        f"{copy}: already version 2; nothing to do\n",
        once,
    )


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "plan.yaml"
    copy.write_bytes((V1 / "flow.yaml").read_bytes())
    result = run("migrate", "--dry-run", "-p", str(copy))
    assert result.exit_code == 0
    assert copy.read_bytes() == (V1 / "flow.yaml").read_bytes()
    assert "-schema_version: 1\n+schema_version: 2\n" in result.stdout
    assert (
        '+      - {id: "1.2", text: Second, due: 2021-01-31, status: complete, history: [{date: 2020-11-02, event:'
        " note, "
        "text: Draft shared.}, {date: 2021-01-15, event: completed, evidence: [a.pdf]}]}\n" in result.stdout
    )


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_line_endings_and_bom_are_kept(tmp_path: Path, newline: str, bom: bytes) -> None:
    text = (V1 / "every-event.yaml").read_text(encoding="utf-8").replace("\n", newline)
    copy = tmp_path / "plan.yaml"
    copy.write_bytes(bom + text.encode())
    migrated_copy(tmp_path, copy)
    data = copy.read_bytes()
    assert data.startswith(bom) and data.count(b"\r\n") == (data.count(b"\n") if newline == "\r\n" else 0)
    assert run("validate", str(copy)).exit_code == 0


@pytest.mark.parametrize("source", REFUSED, ids=lambda p: p.stem)
def test_a_refused_migration_leaves_the_file_byte_identical(tmp_path: Path, source: Path) -> None:
    """A completion without evidence cannot be made up: migrate says what to add, exit 1, nothing written."""
    copy = tmp_path / "plan.yaml"
    copy.write_bytes(source.read_bytes())
    result = run("migrate", "-p", str(copy))
    assert result.exit_code == 1
    assert copy.read_bytes() == source.read_bytes()
    assert result.stderr.splitlines() == [
        f"oagtrack: {copy}: {copy}:102:9: action 2.1 was completed on 2020-11-20 without evidence, and version 2"
        " records evidence "
        "with every completion: add `evidence: [LINK-OR-PATH]` to it, then run migrate again",
        "nothing was changed",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("        status: in-progress\n        started: 2020-09-01\n", "        status: in-progress\n"),
            "is in-progress without a started date",
        ),
        (("schema_version: 1", "schema_version: 7"), "migrate reads a version-1 plan (schema_version: 1)"),
        (("        started: 2020-09-01\n", "        started: 2020-09-31\n"), "started: 2020-09-31 is not a date"),
        (
            (
                "            status: in-progress\n            started: 2020-07-01\n",
                "            status: not-started\n            completed: 2020-07-01\n",
            ),
            "step 2.2.a: its version-1 keys (status: not-started, completed: 2020-07-01) do not tell one story",
        ),
    ],
    ids=["in-progress-without-start", "not-version-1", "bad-date", "completed-but-not-started"],
)
def test_doubt_refuses(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    """Whatever it cannot carry over exactly, it refuses, exit 1, the file byte-identical."""
    text = (V1 / "reports-small.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    copy = tmp_path / "plan.yaml"
    copy.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    before = copy.read_bytes()
    result = run("migrate", "-p", str(copy))
    assert (result.exit_code, copy.read_bytes()) == (1, before)
    assert message in result.stderr


def test_a_version_1_plan_gets_one_line_naming_migrate(tmp_path: Path) -> None:
    result = run("validate", str(V1 / "every-event.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{V1 / 'every-event.yaml'}:17:17: schema_version 1 is the first format of plan.yaml; this oagtrack reads"
        " version 2: "
        "run `oagtrack migrate` to rewrite the file (a small diff you can review; --dry-run shows it)\n"
    )


def git(folder: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(folder),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True).stdout


def test_the_pull_request_that_migrates_passes_check_and_diff_shows_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base revision is still version 1: it is migrated in memory to be compared, so the migration itself is no
    change."""
    git(tmp_path, "init", "-q")
    (tmp_path / "plan.yaml").write_bytes((V1 / "every-event.yaml").read_bytes())
    git(tmp_path, "add", "plan.yaml")
    git(tmp_path, "commit", "-qm", "version 1")
    monkeypatch.chdir(tmp_path)
    assert run("migrate").exit_code == 0
    check = run("check", "--against", "HEAD")
    assert (check.exit_code, check.stdout) == (0, "plan.yaml: ok against HEAD\n")
    diff = run("diff", "HEAD")
    assert (diff.exit_code, diff.stdout) == (0, "HEAD:plan.yaml -> plan.yaml (working file): no changes\n")
    log = run("log", "1.1")
    assert log.exit_code == 0 and "2020-12-10  completed (evidence: docs/1.1 all regions.pdf" not in log.stdout


SWALLOWING = """\
schema_version: 1
audit: {id: a, title: A fictional plan}
people:
  ana: {name: Ana}
recommendations:
  - id: "1"
    text: R
    leads: [ana]
    response: {agreed: true, text: Agreed.}
    outcome: {id: "1.outcome", text: Done., due: 2021-03-31}
    actions:
      - id: "1.1"
        due: 2020-09-30
        status: verified
        completed: 2020-09-01
        evidence: [e.pdf]
        verified: 2020-09-02
        history:
          - {on: 2020-08-01, event: note, text: Started.}
        text: |
          Line one.
        verified_by: Audit
            # a comment, indented under the text
      - id: "1.2"
        text: Two
        due: 2020-10-30
"""
SWALLOWING_IN_HISTORY = SWALLOWING.replace(
    "        history:\n          - {on: 2020-08-01, event: note, text: Started.}\n        text: |\n          Line"
    " one.\n        verified_by: Audit\n            # a comment, indented under the text\n",
    "        text: One\n        history:\n          - on: 2020-09-03\n            event: reopened\n            reason:"
    " |\n"
    "              Line one.\n            completed: 2020-09-01\n            verified: 2020-09-02\n           "
    " verified_by: Audit\n"
    "                # a comment, indented under the reason\n",
).replace(
    "status: verified\n        completed: 2020-09-01\n        evidence: [e.pdf]\n        verified: 2020-09-02\n",
    "status: reopened\n        evidence: [e.pdf]\n",
)


@pytest.mark.parametrize("text", [SWALLOWING, SWALLOWING_IN_HISTORY], ids=["milestone-text", "reopening-reason"])
def test_a_key_removed_after_a_block_text_cannot_change_the_text(tmp_path: Path, text: str) -> None:
    """Removing a key below `text: |` would let the text take in the comment under it: refused, nothing written."""
    assert "Line one." in text and "# a comment" in text
    copy = tmp_path / "plan.yaml"
    copy.write_text(text, encoding="utf-8")
    result = run("migrate", "-p", str(copy))
    assert (result.exit_code, copy.read_text(encoding="utf-8")) == (1, text)
    assert "a text would read differently once migrated" in result.stderr


def test_a_comment_on_a_removed_line_is_refused_not_dropped(tmp_path: Path) -> None:
    """`started: 2020-09-01  # kick-off` has no place in version 2: migrate says so rather than lose the comment."""
    text = (
        (V1 / "reports-small.yaml")
        .read_text(encoding="utf-8")
        .replace("        started: 2020-09-01\n", "        started: 2020-09-01  # kick-off\n", 1)
    )
    copy = tmp_path / "plan.yaml"
    copy.write_text(text, encoding="utf-8")
    result = run("migrate", "-p", str(copy))
    assert (result.exit_code, copy.read_text(encoding="utf-8")) == (1, text)
    assert "a comment on the lines migrate removes ('started: 2020-09-01 # kick-off')" in result.stderr


def test_a_comment_above_an_entry_stays_with_it(tmp_path: Path) -> None:
    """An entry placed before an existing one goes above the comment that describes that one."""
    text = (V1 / "every-event.yaml").read_text(encoding="utf-8")
    marker = "          - on: 2020-11-02\n            event: reopened\n"
    assert marker in text
    copy = tmp_path / "plan.yaml"
    copy.write_text(text.replace(marker, "          # the regions' review\n" + marker, 1), encoding="utf-8")
    migrated_copy(tmp_path, copy)
    after = copy.read_text(encoding="utf-8")
    assert (
        "            by: Internal Audit\n          # the regions' review\n          - date: 2020-11-02\n           "
        " event: reopened\n" in after
    )
