"""Bilingual texts and portfolios together: what a review of both found, each kept true by a test.

Every case ran wrong once: a change to the French alone passing `check`, a
portfolio reading a French-first plan in French for an English reader, the
cache answering for people whose French changed, a draft written outside
its folder, a portfolio in another folder refusing its own updates.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.cli.portfolio import draft_name

ROOT = Path(__file__).resolve().parents[1]
BILINGUAL = ROOT / "tests" / "fixtures" / "valid" / "bilingual.yaml"
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def git(folder: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(folder)}  # fmt: skip
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_a_change_to_the_french_alone_is_a_change_to_check_and_diff(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(BILINGUAL, tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "plan")
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan.read_text().replace("La traduction des normes est en cours.", "Rien ne se passe."))
    checked = run("check")
    assert checked.exit_code == 1 and "was edited" in checked.stderr
    assert "no changes" not in run("diff").stdout


def french_first(folder: Path) -> Path:
    text = BILINGUAL.read_text().replace("languages: [en, fr]", "languages: [fr, en]")
    path = folder / "plans" / "french-first.yaml"
    path.write_text(text.replace("ia-2021-bilingual", "ia-2021-french-first"))
    return path


def test_each_plan_of_a_portfolio_is_read_in_its_own_languages(tmp_path):
    (tmp_path / "plans").mkdir()
    french_first(tmp_path)
    shutil.copy(EXAMPLE / "plans" / "security-2020.yaml", tmp_path / "plans")
    english = run("show", "ia-2021-french-first:1.1", "--plan", str(tmp_path / "plans"), "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "Publish the service standards." in english.stdout and "Publier" not in english.stdout
    french = run("show", "ia-2021-french-first:1.1", "--plan", str(tmp_path / "plans"), "--lang", "fr")
    assert "Publier les normes de service." in french.stdout and "[non traduit]" not in french.stdout


def test_the_cache_is_keyed_on_every_language_of_the_shared_people(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    portfolio = tmp_path / "examples" / "portfolio" / "portfolio.yaml"
    titled = "    title:\n      en: Chief Financial Officer\n      fr: Dirigeant principal des finances\n"
    portfolio.write_text(portfolio.read_text().replace("    title: Chief Financial Officer\n", titled))
    monkeypatch.setenv("OAGTRACK_CACHE_DIR", str(tmp_path / "cache"))
    args = ["show", "lemieux", "--plan", str(portfolio.parent), "--lang", "fr"]
    assert "Dirigeant principal des finances" in run(*args).stdout
    portfolio.write_text(portfolio.read_text().replace("Dirigeant principal des finances", "Nouveau titre"))
    assert "Nouveau titre" in run(*args).stdout


def test_a_draft_stays_in_its_folder_whatever_the_person_key():
    assert draft_name("plans/../../../pwned") == "plans_.._.._.._pwned.eml"
    assert draft_name("../x") == "_x.eml" and draft_name(".hidden") == "hidden.eml"
    assert "/" not in draft_name("a/b") and draft_name("okafor") == "okafor.eml"


def test_a_portfolio_in_another_folder_updates_checks_and_logs_its_plans(tmp_path):
    shutil.copytree(EXAMPLE / "plans", tmp_path / "plans")
    (tmp_path / "port").mkdir()
    people = (EXAMPLE / "portfolio.yaml").read_text().split("people:", 1)[1]
    (tmp_path / "port" / "portfolio.yaml").write_text(
        f"title: Elsewhere (fictional)\nplans: [../plans/*.yaml]\npeople:{people}"
    )
    port = str(tmp_path / "port")
    assert run("validate", "--plan", port).exit_code == 0
    noted = run("note", "ia-2019-grants:2.1", "still waiting", "--plan", port, "--on", "2021-01-01")
    assert noted.exit_code == 0, noted.output
    assert "still waiting" in (tmp_path / "plans" / "grants-2019.yaml").read_text()


def test_plan_at_takes_the_people_of_the_portfolio_above_plans_named_without_it(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "portfolio")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    named = ["--plan", "plans/grants-2019.yaml", "--plan", "plans/security-2020.yaml"]
    result = run("status", *named, "--plan-at", "HEAD", "--as-of", "2021-03-31")
    assert result.exit_code == 0, result.output
    assert "2 audits" in result.stdout


def test_bytes_that_are_not_utf8_in_a_french_text_are_refused_not_a_bug(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(BILINGUAL.read_bytes())
    result = run("note", "1.1", "ok", "--text-fr", "bad\udcff", "--plan", str(plan), "--on", "2021-04-02")
    assert result.exit_code == 1 and "--text-fr is not valid text" in result.stderr
    assert plan.read_bytes() == BILINGUAL.read_bytes()


def test_a_missing_translators_catalog_falls_back_to_the_one_shipped(tmp_path):
    result = run("overdue", "--as-of", "2021-01-31", "--lang", "fr", env={"OAGTRACK_LOCALE_DIR": str(tmp_path / "no")})
    assert result.exit_code == 0 and "en retard" in result.stdout
    broken = tmp_path / "fr" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    (broken / "oagtrack.mo").write_bytes(b"not a catalog")
    result = run("overdue", "--as-of", "2021-01-31", "--lang", "fr", env={"OAGTRACK_LOCALE_DIR": str(tmp_path)})
    assert result.exit_code == 0 and "en retard" in result.stdout


def test_a_completion_note_in_both_languages(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(BILINGUAL.read_bytes())
    args = ["complete", "1.1", "--on", "2021-04-02", "-e", "https://e.example/s.pdf", "--plan", str(plan)]
    refused = run(*args, "--note", "Done.")
    assert refused.exit_code == 1 and plan.read_bytes() == BILINGUAL.read_bytes()
    done = run(*args, "--note", "Done.", "--note-fr", "Fait.")
    assert done.exit_code == 0, done.output
    assert plan.read_text().endswith("            text:\n              en: Done.\n              fr: Fait.\n")


def test_a_plan_dropped_from_the_portfolio_file_is_refused_by_check(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "portfolio")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    portfolio = Path("portfolio.yaml")
    portfolio.write_text(portfolio.read_text().replace("  - plans/*.yaml", "  - plans/grants-2019.yaml"))
    result = run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("portfolio.yaml:6:5: plan plans/procurement-2018.yaml (audit oag-2018-procurement)")
    assert any("plans/security-2020.yaml" in line and "no longer is" in line for line in lines)
