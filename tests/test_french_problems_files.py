"""What oagtrack refuses before a plan's schema is read, said in French with `--lang fr`.

A file that is not YAML oagtrack reads (a tab in the indentation, anchors, an
unclosed quote), a file that is not there, a date or a duration the command
line cannot read, a portfolio file's mistakes and a refused migration: the core
writes each in English with `said()`, and rendering says it again from the
French catalog, composite parts too (`février 2021`, `mesure 1.1`). File names,
keys and YAML words stay as written. These need the translations of
core/source.py, dates.py, store.py, portfolio.py and migrate.py in the shipped
catalog (merged from their fragment); the English stays byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

runner = CliRunner()
NBSP = "\u00a0"
C = f"{NBSP}:"  # federal French: a non-breaking space before a colon
V1 = Path(__file__).resolve().parent / "fixtures" / "v1"


def refused(*args: str) -> list[str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code != 0, result.stdout
    return result.stderr.splitlines()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("schema_version: 2\naudit:\n\tid: x\n", ["3:1: tabulation dans l'indentation; indentez avec des espaces"]),
        (
            "a: &x 1\nb: *x\n",
            [
                f"1:4: ancre &x refusée{C} écrivez chaque valeur au complet (les ancres ne sont pas permises)",
                f"2:4: alias *x refusé{C} écrivez la valeur au complet (les alias et les clés de fusion ne sont pas "
                "permis)",
            ],
        ),
        (
            'a: "open\nb: [\n',
            [
                "1:4: le guillemet double (\") ouvert ici n'est jamais fermé (YAML échoue plus loin, à la ligne 3, "
                "colonne 1)"
            ],
        ),
        ("", ["1:1: le plan est vide; un mappage avec schema_version, audit, people et recommendations est attendu"]),
    ],
    ids=["tab", "anchor-and-alias", "unclosed-quote", "empty"],
)
def test_a_file_yaml_refuses_is_said_in_french(tmp_path: Path, text: str, french: list[str]) -> None:
    plan = write(tmp_path, "plan.yaml", text)
    assert refused("validate", "--lang", "fr", str(plan)) == [f"{plan}:{line}" for line in french]


def test_the_parsers_own_words_stay_as_libyaml_writes_them_around_the_french(tmp_path: Path) -> None:
    """libyaml's context and problem are its words, in English in both languages; the sentence around them is ours."""
    plan = write(tmp_path, "plan.yaml", "a:\n  - b\n c: d\n")
    [english] = refused("validate", str(plan))
    [french] = refused("validate", "--lang", "fr", str(plan))
    assert english.startswith(f"{plan}:3:2: invalid YAML: ")
    assert french == english.replace("invalid YAML: ", f"YAML non valide{C} ").replace(
        "(opened at line", "(ouvert à la ligne"
    ).replace(", column", ", colonne")


def test_a_missing_plan_or_an_empty_folder_is_said_in_french(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    assert refused("validate", "--lang", "fr", str(missing)) == [f"{missing}: ce fichier n'existe pas"]
    assert refused("validate", "--lang", "fr", "--plan", str(tmp_path)) == [
        f"{tmp_path}: ce dossier ne contient aucun plan (*.yaml)"
    ]


@pytest.mark.parametrize(
    ("option", "value", "english", "french"),
    [
        (
            "--as-of",
            "2021-02-30",
            "2021-02-30 is not a date: February 2021 has 28 days",
            f"2021-02-30 n'est pas une date{C} février 2021 compte 28 jours",
        ),
        (
            "--as-of",
            " 2021-02-03",
            "' 2021-02-03' has spaces before or after it; write the date alone, as '2021-02-03'",
            "' 2021-02-03' est précédé ou suivi d'espaces; écrivez uniquement la date, soit '2021-02-03'",
        ),
        (
            "--within",
            "x2",
            "cannot read 'x2' as a duration; use a number of days or weeks such as 30d or 2w",
            "impossible de lire 'x2' comme une durée; utilisez un nombre de jours ou de semaines, comme 30d ou 2w",
        ),
    ],
    ids=["no-such-day", "padded", "not-a-duration"],
)
def test_a_date_the_command_line_cannot_read_is_said_in_french(
    plan_copy: Path, option: str, value: str, english: str, french: str
) -> None:
    command = ["upcoming", "--plan", str(plan_copy), option, value]
    assert english in "\n".join(refused(*command))
    # Click wraps the usage error's box; the message itself is what matters.
    assert french in " ".join(line.strip(" │") for line in refused(*command, "--lang", "fr"))


def test_a_portfolio_files_mistakes_are_said_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "portfolio.yaml", "owner: me\nplans:\n  - /etc/passwd\n  - nothing/*.yaml\n  - 7\n")
    monkeypatch.chdir(tmp_path)
    errors = refused("validate", "--lang", "fr")
    assert errors[:4] == [
        f"portfolio.yaml:1:1: clé inconnue 'owner' dans un fichier de portefeuille; clés permises{C} title, plans, "
        "people",
        f"portfolio.yaml:5:5: plans{C} chaque entrée est un chemin ou un motif glob, sous forme de texte",
        f"portfolio.yaml:3:5: '/etc/passwd'{C} nommez les plans par rapport au portefeuille",
        "portfolio.yaml:4:5: 'nothing/*.yaml' ne correspond à aucun fichier de plan",
    ]


def test_a_refused_migration_is_said_in_french_its_parts_too(tmp_path: Path) -> None:
    """`started: 2020-09-31` of a step: the step, the key and the date's reason, each said in French."""
    text = (V1 / "reports-small.yaml").read_text(encoding="utf-8")
    plan = write(
        tmp_path, "plan.yaml", text.replace("        started: 2020-09-01\n", "        started: 2020-09-31\n", 1)
    )
    [english] = [line for line in refused("migrate", "-p", str(plan)) if "2020-09-31" in line]
    [french] = [line for line in refused("migrate", "-p", str(plan), "--lang", "fr") if "2020-09-31" in line]
    assert "started: 2020-09-31 is not a date: September 2020 has 30 days" in english
    assert f"started{C} 2020-09-31 n'est pas une date{C} septembre 2020 compte 30 jours" in french
    assert ("action " in english) == ("mesure " in french)
