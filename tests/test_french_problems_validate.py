"""The problems `oagtrack validate` finds, said in French with `--lang fr`, from the English the core writes.

The core builds each message with `said()` (its English, with the template and
values kept); rendering says it again from the French catalog, composite parts
too (`action 1.1 due` is `mesure 1.1, due`). Keys, ids and YAML words stay
as written. These need the core/validate.py translations in the shipped
catalog (merged from their fragment); the English stays byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

runner = CliRunner()
NBSP = "\u00a0"

BROKEN_PLAN = """\
schema_version: 2
languages: [en, fr]
audit:
  id: x
  title: {en: T, fr: T}
  kind: oagg
people:
  roy: {name: A, colour: red}
recommendations:
  - id: "1"
    text: {en: a, fr: b}
    response: {agreed: yes, text: {en: a, fr: b}}
    outcome:
      id: 1.10
      text: {en: a, fr: b}
      due: 2021-06-30
      leads: [ray]
    actions:
      - id: "1.1"
        label: roy
        text: only english
        due: March 3 2021
        history:
          - {date: 2020-01-01, event: started, by: x}
"""


@pytest.fixture
def broken_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(BROKEN_PLAN, encoding="utf-8")
    return plan


def problems(plan: Path, language: str) -> list[str]:
    result = runner.invoke(app, ["validate", "--lang", language, str(plan)], catch_exceptions=False)
    assert result.exit_code == 1
    return [line.removeprefix(f"{plan}:") for line in result.stderr.splitlines()]


def test_every_problem_of_a_broken_plan_is_said_in_french(broken_plan):
    """Each line in French, keys and values as written, `:` after a non-breaking space as federal French has it."""
    c = f"{NBSP}:"
    assert [
        f"6:9: audit kind{c} 'oagg' n'est pas l'une des valeurs{c} oag, internal, other (vouliez-vous dire 'oag'?)",
        f"8:18: personne roy{c} clé inconnue 'colour'; clés permises{c} name, honorific, title, branch, org, phone, "
        "email",
        f"12:24: recommandation 1, response agreed{c} true ou false est attendu, trouvé{c} 'yes' (yes/no/on/off ne "
        "sont pas des booléens ici)",
        f'14:11: résultat attendu{c} l\'id 1.10 doit être entre guillemets, "1.10", sinon les outils YAML le lisent '
        "comme le nombre 1.1",
        f"17:15: résultat attendu 1.10, leads{c} personne inconnue 'ray' (vouliez-vous dire 'roy'?); les "
        f"responsables sont des clés sous people{c} roy",
        f"19:9: mesure 1.1{c} statut not-started, mais son historique (started) le rend in-progress; consignez "
        "chaque changement avec les commandes oagtrack, qui écrivent les deux",
        f"20:16: mesure 1.1, label{c} 'roy' est aussi la clé de la personne roy (ligne 8, colonne 3); un libellé ne "
        "doit désigner que son propre élément, sinon `oagtrack show roy` pourrait désigner l'un ou l'autre",
        f"21:15: mesure 1.1, text{c} écrit en en seulement; les langues de ce plan sont en, fr{c} écrivez-le sous la "
        "forme en: ... et ajoutez fr: ...",
        f"22:14: mesure 1.1, due{c} une date AAAA-MM-JJ est attendue, trouvé{c} 'March 3 2021' (écrivez 2021-03-03)",
        f"24:52: mesure 1.1{c} 'by' n'a pas sa place dans une entrée started (elle prend date, event)",
    ] == problems(broken_plan, "fr")


def test_the_english_of_the_same_plan_is_as_the_core_writes_it(broken_plan):
    """`said()` keeps the English byte for byte: the French is only ever made for a French reader."""
    english = problems(broken_plan, "en")
    assert '14:11: outcome: id 1.10 must be quoted, "1.10", or YAML tools read it as the number 1.1' in english
    assert (
        "20:16: action 1.1 label: 'roy' is also the key of person roy (line 8, column 3); a label must name only "
        "its own item, or `oagtrack show roy` could mean either" in english
    )


def test_a_structural_problem_and_a_history_rule_in_french(tmp_path):
    """A list where a mapping belongs, a duplicate id and a status the history does not make."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        """\
schema_version: 2
audit: [x]
people: {}
recommendations:
  - id: "1"
    text: a
    response: {agreed: true, text: a}
    outcome: {id: "1", text: a, due: 2021-06-30}
    actions:
      - {id: "1.1", text: a, due: 2021-03-01, status: complete}
""",
        encoding="utf-8",
    )
    c = f"{NBSP}:"
    assert [
        f"2:8: audit{c} un mappage de clés est attendu, trouvé{c} une liste",
        "8:19: id '1' en double (premier à la ligne 5, colonne 9)",
        f"10:55: mesure 1.1{c} statut complete, mais aucune entrée d'historique le rend not-started; consignez chaque "
        "changement avec les commandes oagtrack, qui écrivent les deux",
    ] == problems(plan, "fr")
