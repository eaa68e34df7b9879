"""Keep the translation catalogs true to the code: extract, check and compile them.

Every message a reader sees is written in the code as `_("...")` or
`n_("singular", "plural", count)` (see `oagtrack.render.language`), or, in
the core, which looks nothing up, as `said("template {name}", name=value)`
(see `oagtrack.core.problems.Said`), said again in the reader's language by
rendering. This tool
reads those calls with `ast` (never by running the code), and:

- without arguments, checks that the French catalog
  (`src/oagtrack/locale/fr/LC_MESSAGES/oagtrack.po`) translates every message,
  each with the same `{placeholders}`, holds no message the code no longer
  has, and that the compiled `oagtrack.mo` beside it is what the `.po` makes;
  it names each fault and exits 1;
- with `--update`, adds the new messages to the `.po` (untranslated, for a
  translator to fill in), drops the ones the code no longer has, and
  compiles the `.mo`.

The `.mo` is committed, so a fresh clone installed with pip has it; it is
compiled here by the GNU format's own rules (what `msgfmt` writes), with no
tool outside the standard library.
"""

from __future__ import annotations

import argparse
import ast
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "oagtrack"
CATALOG = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "oagtrack.po"
COMPILED = CATALOG.with_suffix(".mo")
HEADER = (
    "Project-Id-Version: oagtrack\n"
    "Language: fr_CA\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\n"
)
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

Key = tuple[str, str | None]  # (msgid, msgid_plural)


#: Where `said()` is given a template that is no string literal (set by `extract`).
NOT_LITERAL: list[str] = []


def extract(source: Path = SOURCE) -> dict[Key, list[str]]:
    """Every message in the code, in file order, with where it is used."""
    found: dict[Key, list[str]] = {}
    NOT_LITERAL.clear()
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            where = f"{shown.as_posix()}:{node.lineno}"
            first = node.args[0] if node.args else None
            if node.func.id == "said" and not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                NOT_LITERAL.append(where)  # a template the catalog can never hold: `faults` names it
            elif node.func.id == "said" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault((first.value, None), []).append(where)  # a core message, said again by rendering
            elif node.func.id == "_" and len(node.args) == 1 and len(strings) == 1:
                found.setdefault((strings[0], None), []).append(where)
            elif node.func.id == "n_" and len(node.args) == 3 and len(strings) >= 2:
                found.setdefault((strings[0], strings[1]), []).append(where)
    return found


# -- the .po format ------------------------------------------------------------
def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r'\\(["\\tn])', lambda m: {"t": "\t", "n": "\n"}.get(m[1], m[1]), body)


def read_po(path: Path = CATALOG) -> dict[Key, list[str]]:
    """The catalog's entries: each key with its translations (one, or one per plural form); the header left out."""
    entries: dict[Key, list[str]] = {}
    field = ""
    current: dict[str, str] = {}

    def finish() -> None:
        if "msgid" in current and current["msgid"]:
            plural = current.get("msgid_plural")
            forms = [current[k] for k in sorted(k for k in current if k.startswith("msgstr"))]
            entries[(current["msgid"], plural)] = forms

    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and current:
                finish()
                current = {}
            continue
        if line.startswith('"'):
            current[field] += _unquote(line)
            continue
        field, _, rest = line.partition(" ")
        field = field.replace("[", "").replace("]", "")
        current[field] = _unquote(rest)
    finish()
    return entries


def write_po(entries: dict[Key, list[str]], uses: dict[Key, list[str]], path: Path = CATALOG) -> None:
    lines = [
        "# French translations of oagtrack's messages. Edit the msgstr lines; run",
        "#   python tools/catalogs.py --update",
        "# to add new messages and compile oagtrack.mo.",
        'msgid ""',
        'msgstr ""',
    ]
    lines += [_quote(line + "\n") for line in HEADER.splitlines()]
    for key, forms in entries.items():
        msgid, plural = key
        lines += ["", *(f"#: {where}" for where in uses.get(key, [])[:3])]
        lines.append(f"msgid {_quote(msgid)}")
        if plural is None:
            lines.append(f"msgstr {_quote(forms[0] if forms else '')}")
        else:
            lines.append(f"msgid_plural {_quote(plural)}")
            for n in range(2):
                lines.append(f"msgstr[{n}] {_quote(forms[n] if n < len(forms) else '')}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def compile_mo(entries: dict[Key, list[str]]) -> bytes:
    """The GNU .mo file of `entries` (translated ones only), with the header, keys sorted as gettext expects."""
    pairs = {"": HEADER}
    for (msgid, plural), forms in entries.items():
        if not all(forms):
            continue
        pairs[msgid if plural is None else f"{msgid}\0{plural}"] = "\0".join(forms)
    keys = sorted(pairs)
    ids = [key.encode("utf-8") for key in keys]
    strs = [pairs[key].encode("utf-8") for key in keys]
    start = 7 * 4 + 16 * len(keys)
    id_table, offset = [], start
    for data in ids:
        id_table += [len(data), offset]
        offset += len(data) + 1
    str_table = []
    for data in strs:
        str_table += [len(data), offset]
        offset += len(data) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    tables = struct.pack(f"<{len(id_table)}I", *id_table) + struct.pack(f"<{len(str_table)}I", *str_table)
    return header + tables + b"".join(data + b"\0" for data in ids) + b"".join(data + b"\0" for data in strs)


def faults(uses: dict[Key, list[str]], entries: dict[Key, list[str]]) -> list[str]:
    """What is wrong with the catalog, one line each."""
    problems = [
        f"{where}: said() needs its template as a string literal, or no catalog can hold it" for where in NOT_LITERAL
    ]
    for key, where in uses.items():
        forms = entries.get(key)
        if forms is None:
            problems.append(f"{where[0]}: not in {CATALOG.name}: {key[0]!r}")
        elif not all(forms):
            problems.append(f"{where[0]}: untranslated: {key[0]!r}")
        else:
            expected = sorted(PLACEHOLDER.findall(key[0]))
            for form in forms:
                if sorted(set(PLACEHOLDER.findall(form))) != sorted(set(expected)):
                    problems.append(f"{where[0]}: the translation of {key[0]!r} has other placeholders: {form!r}")
    problems += [f"{CATALOG.name}: no longer in the code: {key[0]!r}" for key in entries if key not in uses]
    if not COMPILED.exists() or COMPILED.read_bytes() != compile_mo(entries):
        problems.append(f"{COMPILED.name} is not what {CATALOG.name} compiles to")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="add new messages, drop old ones, compile the .mo")
    parser.add_argument(
        "--merge", nargs="*", type=Path, default=[], help="with --update: take translations from these .po files too"
    )
    args = parser.parse_args(argv)
    uses = extract()
    entries = read_po()
    for fragment in args.merge:
        entries.update({key: forms for key, forms in read_po(fragment).items() if all(forms)})
    if args.update:
        kept = {key: entries.get(key, [""] if key[1] is None else ["", ""]) for key in uses}
        write_po(kept, uses)
        COMPILED.write_bytes(compile_mo(read_po()))
        missing = [key for key, forms in kept.items() if not all(forms)]
        print(f"{CATALOG.relative_to(ROOT)}: {len(kept)} messages, {len(missing)} to translate")
        return 0
    problems = faults(uses, entries)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
