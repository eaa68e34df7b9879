"""Plans in both official languages: each text in English and French, checked, read in the reader's language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.cache import Cache
from oagtrack.core.model import Texts
from oagtrack.core.validate import validate_bytes
from oagtrack.render import language

ROOT = Path(__file__).resolve().parents[1]
BILINGUAL = ROOT / "tests" / "fixtures" / "valid" / "bilingual.yaml"
TODAY = date(2026, 12, 2)
runner = CliRunner()


def problems_of(text: str) -> list[str]:
    plan, problems = validate_bytes(text.encode(), "p.yaml", TODAY)
    return [str(problem) for problem in problems]


def test_the_bilingual_plan_is_valid_and_keeps_both_versions():
    plan, problems = validate_bytes(BILINGUAL.read_bytes(), "p.yaml", TODAY)
    assert problems == [] and plan is not None and plan.languages == ("en", "fr")
    action = plan.recommendations[0].actions[0]
    assert isinstance(action.text, Texts) and str(action.text) == "Publish the service standards."
    assert action.text.versions["fr"] == "Publier les normes de service."


def test_removing_one_french_text_is_exactly_one_problem_at_its_line():
    text = BILINGUAL.read_text().replace("          fr: Publier les normes de service.\n", "")
    assert problems_of(text) == ["p.yaml:43:11: action 1.1 text: no fr text; this plan's languages are en, fr"]


def test_a_text_written_once_in_a_plan_of_two_languages_is_a_problem_saying_how_to_write_it():
    text = BILINGUAL.read_text().replace(
        "      text:\n        en: Agreed. The standards will be published online.\n"
        "        fr: D'accord. Les normes seront publiées en ligne.\n",
        "      text: Agreed. The standards will be published online.\n",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("p.yaml:31:13: recommendation 1 response text: written in en only;")


def test_a_version_in_another_language_is_refused():
    text = BILINGUAL.read_text().replace("          fr: Publier les", "          de: Publier les")
    assert problems_of(text) == [
        "p.yaml:43:11: action 1.1 text: no fr text; this plan's languages are en, fr",
        "p.yaml:44:11: action 1.1 text: 'de' is no language of a plan; write en: or fr:",
    ]


def run(*args: str) -> str:
    result = runner.invoke(app, [*args, "--plan", str(BILINGUAL), "--as-of", "2021-04-01"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_each_reader_reads_the_texts_in_their_language():
    french = run("show", "1.1", "--lang", "fr")
    assert "Publier les normes de service." in french and "La traduction des normes est en cours." in french
    assert "Publish the service standards." not in french
    english = run("show", "1.1", "--lang", "en")
    assert "Publish the service standards." in english and "Publier" not in english


def test_a_french_reader_of_an_english_only_plan_sees_every_text_marked_not_translated():
    result = runner.invoke(app, ["show", "1.1", "--lang", "fr", "--as-of", "2021-01-31"])
    language.use("fr")
    try:
        marker = language._("[not translated]")
    finally:
        language.use("en")
    assert f"{marker} The CBSA will continue" in result.stdout
    english = runner.invoke(app, ["show", "1.1", "--as-of", "2021-01-31"]).stdout
    assert "[not translated]" not in english and "The CBSA will continue" in english


def test_the_cache_keeps_both_versions(tmp_path):
    data = BILINGUAL.read_bytes()
    plan, _ = validate_bytes(data, "p.yaml", TODAY)
    assert plan is not None
    store = Cache(tmp_path)
    store.put(data, plan, TODAY)
    cached = store.get(data, TODAY)
    assert cached is not None
    text = cached.recommendations[0].actions[0].text
    assert isinstance(text, Texts) and text.versions == {"en": "Publish the service standards.",
                                                         "fr": "Publier les normes de service."}  # fmt: skip
    assert cached.languages == ("en", "fr")


def test_an_update_takes_its_text_in_both_languages_and_writes_them_under_its_key(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(BILINGUAL.read_bytes())
    args = ["--plan", str(plan), "--on", "2021-04-02"]
    done = runner.invoke(app, ["note", "1.1", "Drafts reviewed.", "--text-fr", "Ébauches révisées.", *args])
    assert done.exit_code == 0, done.output
    assert plan.read_text(encoding="utf-8").endswith(
        "          - date: 2021-04-02\n            event: note\n            text:\n"
        "              en: Drafts reviewed.\n              fr: Ébauches révisées.\n"
    )
    retired = ["retire", "1.1", "--reason", "Merged", "--reason-fr", "Fusionnée", "--plan", str(plan)]
    assert runner.invoke(app, [*retired, "--on", "2021-04-05"]).exit_code == 0
    assert "reason:\n              en: Merged\n              fr: Fusionnée\n" in plan.read_text(encoding="utf-8")
    french = runner.invoke(app, ["show", "1.1", "--plan", str(plan), "--lang", "fr", "--as-of", "2021-04-06"])
    assert "Ébauches révisées." in french.stdout and "Fusionnée" in french.stdout


def test_an_update_missing_a_language_of_the_plan_is_refused_and_changes_nothing(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(BILINGUAL.read_bytes())
    refused = runner.invoke(app, ["note", "1.1", "Only English.", "--plan", str(plan), "--on", "2021-04-02"])
    assert refused.exit_code == 1 and "written in en only" in refused.stderr
    assert plan.read_bytes() == BILINGUAL.read_bytes()
    french_only = runner.invoke(app, ["note", "1.1", "--text-fr", "Seulement.", "--plan", str(plan)])
    assert french_only.exit_code == 1 and "no en text" in french_only.stderr
    assert plan.read_bytes() == BILINGUAL.read_bytes()
