"""queries/*.rq written for Oxigraph's planner (hash-joined `{ SELECT … }` scans, no UNION joined with
the patterns after it) answer the same rows as their plain texts, kept in tests/fixtures/plain_queries/,
on the seed corpus and on a synthetic corpus of bench/corpus.py: unbound, and with each `# bindable:`
variable bound to a value the plain query answers."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpora import SEEDS
from series_support import sparql_store
from benchmodules import bench_module

ROOT = Path(__file__).resolve().parents[1]
PLAIN = Path(__file__).resolve().parent / "fixtures" / "plain_queries"
REWRITTEN = sorted(p.stem for p in PLAIN.glob("*.rq"))


def _term(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value if term.datatype else None, term.language)
    return (type(term).__name__, term.value)


def _rows(store, text: str, bindings: dict | None = None) -> list[tuple]:
    """The answer as a sorted list of rows; GROUP_CONCAT lists (multi_plan_platforms' ?planNames, whose
    order SPARQL leaves to the evaluation) are compared as sorted lists."""
    import pyoxigraph as ox

    result = store.query(text, substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None)
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        row = []
        for n in names:
            value = _term(sol[n])
            if n == "planNames" and value is not None:
                value = ("list", tuple(sorted(value[1].split(" | "))))
            row.append((n, value))
        rows.append(tuple(row))
    return sorted(rows, key=repr)


def _bindable(text: str) -> list[str]:
    from govkg.graph.named_queries import bindable_variables

    return sorted(bindable_variables(text) or ())


@pytest.fixture(scope="module")
def seed_store(request):
    assert SEEDS.is_dir(), "shared/corpus/seeds is not beside the repository"
    return sparql_store(request.getfixturevalue("seed_build"))


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    from govkg.build import build_corpus

    bench_corpus = bench_module("corpus")
    folder = tmp_path_factory.mktemp("rewrites-synthetic-corpus")
    bench_corpus.generate(60, folder, seed=1)
    return sparql_store(build_corpus(folder, tmp_path_factory.mktemp("rewrites-synthetic"), workers=1).build)


def _compare(store, name: str, every_binding: bool) -> list[tuple]:
    """The rewritten query's rows equal the plain one's, unbound and bound; with every_binding, each
    bindable variable must have a value to bind on this store."""
    import pyoxigraph as ox

    now_text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    plain_text = (PLAIN / f"{name}.rq").read_text(encoding="utf-8")
    plain = _rows(store, plain_text)
    assert _rows(store, now_text) == plain, name
    assert _bindable(now_text) == _bindable(plain_text)
    for variable in _bindable(now_text):
        first = next((sol[variable] for sol in store.query(plain_text) if sol[variable] is not None), None)
        if first is None:
            assert not every_binding, f"{name}: no value of ?{variable} to bind"
            continue
        assert isinstance(first, (ox.NamedNode, ox.Literal))
        bound = _rows(store, plain_text, {variable: first})
        assert bound and _rows(store, now_text, {variable: first}) == bound, (name, variable)
    return plain


def test_every_rewritten_query_has_its_plain_text():
    assert len(REWRITTEN) >= 9
    for name in REWRITTEN:
        assert (ROOT / "queries" / f"{name}.rq").is_file(), name


@pytest.mark.parametrize("name", REWRITTEN)
def test_seed_rows_equal_the_plain_query(seed_store, name):
    _compare(seed_store, name, every_binding=False)


@pytest.mark.parametrize("name", REWRITTEN)
def test_synthetic_rows_equal_the_plain_query(synthetic_store, name):
    assert _compare(synthetic_store, name, every_binding=True), f"{name} has rows on the synthetic corpus"
