"""The genre's words and Chinese script are defined once (reference/genre.py, reference/chinese.py,
reference/clauses.py): no other module spells a role label, a run of numerals or its own t2s converter."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govkg.reference import genre

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("loaders", "graph", "api", "govkg", "reference", "ontology")
HOMES = {ROOT / "reference" / "genre.py", ROOT / "reference" / "chinese.py", ROOT / "reference" / "clauses.py"}
ROLE_LABELS = [word + noun for word in genre.LEAD_ROLE_WORDS + genre.SHARED_ROLE_WORDS for noun in genre.ROLE_NOUNS]


def code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not docstrings (docstrings and comments may show examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if p not in HOMES)


def findings(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        for line, text in code_strings(path):
            labels = [label for label in ROLE_LABELS if label in text]
            if labels:
                found.append(f"{shown}:{line}: role label {labels[0]}")
            if "一二三" in text or "壹贰叁" in text:
                found.append(f"{shown}:{line}: numerals")
    return found


def test_no_module_spells_the_genres_words_outside_their_home():
    assert findings(modules()) == []


def test_the_scan_finds_a_role_label_and_numerals(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('"""责任单位 in a docstring is an example."""\nLABEL = r"(?:协同单位)"\nCN = "[一二三四]"\n',
                     encoding="utf-8")
    assert findings([probe]) == ["probe.py:2: role label 协同单位", "probe.py:3: numerals"]


@pytest.mark.parametrize("name", ["to_simplified", "numeral_value", "is_unit_clause", "agency_part"])
def test_one_definition_of(name):
    defined = [str(p.relative_to(ROOT)) for p in sorted(set(modules()) | HOMES)
               for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef) and node.name == name]
    assert len(defined) == 1, defined
