"""The series queries answer from links written at build time (govkg:indicatorConcept, govkg:baseValue,
govkg:baseUnit on each Target), with the same rows as the versions that matched indicator labels at
query time (kept in tests/fixtures/series_query_time/ as the reference), on the seed corpus and on a
synthetic corpus of bench/corpus.py that has cities against provinces."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpora import SEEDS
from series_support import concept_iri, sparql, sparql_store
from benchmodules import bench_module

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "series_query_time"
SERIES_QUERIES = ("series_points", "series_indicators", "series_cities_vs_province")


def _rows(store, text: str, **bindings) -> list[tuple]:
    import pyoxigraph as ox

    from govkg.graph.named_queries import python_value

    subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    result = store.query(text, substitutions=subs or None)
    names = [v.value for v in result.variables]
    rows = [tuple((n, python_value(sol[n])) for n in names) for sol in result]
    return sorted(rows, key=repr)


def _build(corpus: Path, data: Path):
    from govkg.build import build_corpus

    return build_corpus(corpus, data, workers=1).build


@pytest.fixture(scope="module")
def seed_store(request):
    assert SEEDS.is_dir(), "shared/corpus/seeds is not beside the repository"
    build = request.getfixturevalue("seed_build")
    return build, sparql_store(build)


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    bench_corpus = bench_module("corpus")
    folder = tmp_path_factory.mktemp("links-synthetic-corpus")
    bench_corpus.generate(60, folder, seed=0)
    build = _build(folder, tmp_path_factory.mktemp("links-synthetic"))
    return build, sparql_store(build)


def test_no_research_query_matches_strings_at_query_time():
    for path in sorted((ROOT / "queries").glob("*.rq")):
        body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("#"))
        assert not re.search(r"\b(CONTAINS|REGEX|STRSTARTS|STRENDS|STRBEFORE|STRAFTER)\s*\(", body, re.I), path.name


@pytest.mark.parametrize("name", SERIES_QUERIES)
def test_seed_rows_equal_the_query_time_matching(seed_store, name):
    _, store = seed_store
    now = _rows(store, (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
    before = _rows(store, (REFERENCE / f"{name}.rq").read_text(encoding="utf-8"))
    assert now == before
    assert now, f"{name} has rows on the seeds"


@pytest.mark.parametrize("name", SERIES_QUERIES)
def test_synthetic_rows_equal_the_query_time_matching(synthetic_store, name):
    _, store = synthetic_store
    now = _rows(store, (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
    before = _rows(store, (REFERENCE / f"{name}.rq").read_text(encoding="utf-8"))
    assert now == before
    assert now, f"{name} has rows on the synthetic corpus"


def test_bound_concept_gives_the_same_rows(seed_store):
    _, store = seed_store
    concept = concept_iri("base_stations_5g")
    for name in ("series_points", "series_indicators"):
        now = _rows(store, (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"), concept=concept)
        before = _rows(store, (REFERENCE / f"{name}.rq").read_text(encoding="utf-8"), concept=concept)
        assert now == before and now, name


def test_seed_series_points_expected_rows(seed_store):
    """The 5G base-station points of the seeds: 山东省's baseline, increments and cumulative goals."""
    _, store = seed_store
    rows = sparql(store, "series_points", concept=concept_iri("base_stations_5g"))
    assert rows
    assert {r["baseUnit"] for r in rows} == {"个"}
    assert all(r["label"] and r["label"] in r["indicator"].upper().replace(" ", "") for r in rows)
    shandong = [r for r in rows if r["jurisdiction"] == "山东省"]
    assert {r["kind"] for r in shandong} >= {"baseline", "cumulative"}
    for r in rows:  # the base value is the value times the unit's multiplier, exactly
        mult = 10000 if r["unit"].startswith("万") else 1
        assert r["baseValue"] == pytest.approx(r["value"] * mult)


def test_links_agree_with_the_python_rule(seed_store):
    from govkg.graph import series

    build, store = seed_store
    from govkg.graph.rdf_terms import node_iri

    linked = {r["target"]: r["concept"] for r in sparql(store, "series_points")}
    expected = {node_iri(n.id): concept_iri(c) for n in build.graph().of_type("Target")
                if (c := series.indicator_of(n.props)) is not None and n.props.get("value") is not None}
    assert linked == expected and linked
