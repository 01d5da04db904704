"""The RDF projection (graph/rdf_terms.py, nquads.py, rdfstore.py, rdf_export.py, named_queries.py): stable IRIs, a named graph per document, evidence reachable,
agreement with the JSONL export, exports, and the research queries in queries/*.rq."""
from __future__ import annotations

import io
from collections import defaultdict

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from govkg.cli import app as cli
from govkg.graph.named_queries import query_text
from govkg.graph.nquads import build_quads, vocabulary_graph_iris, with_union_default
from govkg.ontology import RELATIONS
from govkg.graph.rdf_terms import DEFAULT_BASE, NS
from govkg.graph.rdfstore import STORE_LAYOUT, STORE_META, forget_store, store_layout, store_path
from govkg.graph.named_queries import run_query_file
from govkg.graph.rdf_export import rdf_dataset, write_rdf
from govkg.graph.rdf_terms import (base_iri, derived_graph_iri, document_graph_iri, node_id_from_iri, node_iri,
                                   ontology_graph_iri)
from govkg.graph.rdfstore import rdf_store, triple_count
from govkg.ontology import GOVKG
import rdf_fixture as fx

G = str(GOVKG)
QUERIES = ["agency_platforms", "agency_measures", "multi_plan_platforms", "targets", "city_vs_province"]


@pytest.fixture(scope="module")
def build(rdf_build):
    return rdf_build


@pytest.fixture(scope="module")
def seeds(seed_build):
    return seed_build


@pytest.fixture(params=["fixture", "seeds"])
def any_build(request, build):
    return build if request.param == "fixture" else request.getfixturevalue("seeds")


def quads(build) -> set[ox.Quad]:
    return set(rdf_store(build))


# -- IRIs -----------------------------------------------------------------------------------------
def test_iri_scheme():
    base = base_iri()
    assert base == "https://govkg.example.org/id/"
    assert node_iri("agency:滨州市大数据局") == base + "agency/滨州市大数据局"
    assert node_iri("section:a/b.txt#3") == base + "section/a%2Fb.txt%233"
    assert node_iri("plan:山东省:数字强省 2023") == base + "plan/山东省%3A数字强省%202023"
    assert node_iri("no prefix") == base + "node/no%20prefix"
    assert node_iri("agency:x", base="http://example.com/kg") == "http://example.com/kg/agency/x"
    for node_id in ("agency:滨州市大数据局", "section:a/b.txt#3", "plan:山东省:数字强省%2023", "no prefix", "x:"):
        assert node_id_from_iri(node_iri(node_id)) == node_id
        ox.NamedNode(node_iri(node_id))  # a valid IRI


def test_iris_are_stable_across_builds(tmp_path, build):
    again = fx.write_fixture_build(tmp_path / "other")
    assert again.path != build.path
    assert quads(again) == quads(build)  # same facts -> the very same quads, assertions and spans included


def test_an_iri_depends_only_on_the_node_id(build):
    store = rdf_store(build)
    rows = store.query(f"SELECT DISTINCT ?s ?id WHERE {{ ?s <{G}nodeId> ?id }}")
    seen = {}
    for row in rows:
        assert row["s"].value == node_iri(row["id"].value)
        seen.setdefault(row["s"].value, set()).add(row["id"].value)
    assert all(len(ids) == 1 for ids in seen.values())
    # 爱山东 is described by all three documents, under one IRI
    graphs = {q.graph_name.value for q in store.quads_for_pattern(ox.NamedNode(node_iri(fx.AISHANDONG)), None, None)
              if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert {document_graph_iri(d) for d in (fx.PROV_DOC, fx.CITY_DOC, fx.NEWS_DOC)} <= graphs


def test_base_is_configurable(build):
    store = rdf_store(build, base="http://example.com/kg/")
    assert store_path(build.path, "http://example.com/kg/") != store_path(build.path)
    subjects = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}
    assert "http://example.com/kg/agency/山东省大数据局" in subjects
    assert not any(s.startswith(DEFAULT_BASE) for s in subjects)


# -- graphs and provenance ------------------------------------------------------------------------
def test_a_named_graph_per_document(any_build):
    store = rdf_store(any_build)
    names = {g.value for g in store.named_graphs()}
    documents = any_build.document_names()
    vocabularies = set(vocabulary_graph_iris())
    assert ontology_graph_iri() in vocabularies
    assert names == {document_graph_iri(d) for d in documents} | {derived_graph_iri()} | vocabularies
    for document in documents:
        facts = any_build.facts(document)
        graph = ox.NamedNode(document_graph_iri(document))
        typed = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(NS["rdf"] + "type"), None, graph)
                 if q.object.value.startswith(G) and q.object.value[len(G):] not in ("Assertion", "Evidence")}
        assert typed == {node_iri(n.id) for n in facts.nodes}
        stated = {(q.subject.value, q.predicate.value[len(G):], q.object.value)
                  for q in store.quads_for_pattern(None, None, None, graph)
                  if q.predicate.value.startswith(G) and q.predicate.value[len(G):] in RELATIONS}
        assert stated == {(node_iri(e.source), e.type, node_iri(e.target)) for e in facts.edges}


def test_derived_edges_live_in_the_derived_graph(build):
    rows = run_query_file(build, "agency_platforms", {"agencyName": "山东省大数据局"})
    assert ("山东省大数据局", "爱山东", "OWNS") in {(r["agencyName"], r["platformName"], r["how"]) for r in rows}
    store = rdf_store(build)
    owns = store.query(f"ASK {{ GRAPH <{derived_graph_iri()}> {{ ?a <{G}OWNS> ?p }} }}")
    assert bool(owns)
    in_docs = store.query(f"ASK {{ GRAPH ?g {{ ?a <{G}OWNS> ?p }} FILTER(?g != <{derived_graph_iri()}>) }}")
    assert not bool(in_docs)


def evidence_by_edge(store, graph: str) -> dict[tuple[str, str, str], set[tuple[str, int, int, str]]]:
    rows = store.query(f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX govkg: <{G}>
        SELECT ?s ?p ?o ?doc ?start ?end ?text WHERE {{ GRAPH <{graph}> {{
          ?a a govkg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; govkg:evidence ?e .
          ?e govkg:start ?start ; govkg:end ?end ; govkg:text ?text ; prov:wasQuotedFrom ?doc .
        }} }}""")
    out: dict = defaultdict(set)
    for r in rows:
        out[(r["s"].value, r["p"].value[len(G):], r["o"].value)].add(
            (r["doc"].value, int(r["start"].value), int(r["end"].value), r["text"].value))
    return out


def test_every_edge_evidence_is_reachable(any_build):
    store = rdf_store(any_build)
    for document in any_build.document_names():
        facts = any_build.facts(document)
        original = any_build.original_text(document)
        found = evidence_by_edge(store, document_graph_iri(document))
        for edge in facts.edges:
            key = (node_iri(edge.source), edge.type, node_iri(edge.target))
            expected = {(node_iri(f"doc:{ev.document}"), ev.start, ev.end, ev.text) for ev in edge.evidence}
            assert found.get(key, set()) == expected, key
            for ev in edge.evidence:
                if ev.document == document:
                    assert original[ev.start:ev.end] == ev.text
    # the assertion names the document it was derived from
    assert bool(store.query(f"""ASK {{ GRAPH ?g {{ ?a a <{G}Assertion> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <{node_iri('doc:' + any_build.document_names()[0])}> }} }}"""))


def test_derived_evidence_is_reachable(build):
    found = evidence_by_edge(rdf_store(build), derived_graph_iri())
    owns = found[(node_iri(fx.SD_BIGDATA), "OWNS", node_iri(fx.AISHANDONG))]
    assert {text for *_, text in owns} == {"省大数据局牵头", "山东省大数据局将持续打造“爱山东”品牌"}


def test_leading_agencies_agree_with_the_jsonl_export(any_build):
    """For every Measure, the agencies that LEADS it via SPARQL == those in the JSONL export records."""
    records = fx.export_records(any_build)
    measures = {r["id"] for r in records if r["kind"] == "node" and r["type"] == "Measure"}
    expected: dict[str, set[str]] = {m: set() for m in measures}
    for r in records:
        if r["kind"] == "edge" and r["type"] == "LEADS" and r["target"] in expected:
            expected[r["target"]].add(r["source"])
    rows = rdf_store(any_build).query(f"""SELECT DISTINCT ?m ?a WHERE {{
        ?m a <{G}Measure> . OPTIONAL {{ ?a <{G}LEADS> ?m }} }}""")
    got: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        got[node_id_from_iri(row["m"].value)]
        if row["a"] is not None:
            got[node_id_from_iri(row["m"].value)].add(node_id_from_iri(row["a"].value))
    assert dict(got) == expected


def test_props_become_typed_literals(build):
    store = rdf_store(build)
    def values(node_id, prop):
        return [q.object for q in store.quads_for_pattern(ox.NamedNode(node_iri(node_id)), ox.NamedNode(prop), None)]
    target = f"target:{fx.CITY_DOC}#0.1"
    assert {v.value for v in values(target, G + "value")} == {"95.5"}
    assert values(target, G + "value")[0].datatype.value.endswith("#decimal")
    assert values(target, G + "year")[0].datatype.value.endswith("#integer")
    assert values(fx.SD_BIGDATA, G + "collective")[0].datatype.value.endswith("#boolean")
    assert {v.value for v in values(fx.AISHANDONG, NS["skos"] + "altLabel")} == {"爱山东APP", "爱山东平台"}
    assert {v.value for v in values(fx.AISHANDONG, NS["skos"] + "prefLabel")} == {"爱山东"}
    plan = values(fx.PROV_PLAN, NS["dcterms"] + "issued")[0]
    assert plan.value == "2023-03-10" and plan.datatype.value.endswith("#date")
    assert values(fx.PROV_PLAN, NS["dcterms"] + "identifier")[0].value == "鲁政办字〔2023〕7号"
    eli = {v.value for v in values(fx.PROV_PLAN, G + "eli")}
    assert eli == {base_iri() + "eli/山东省/plan/2023/鲁政办字〔2023〕7号"}
    doc_eli = {v.value for v in values(f"doc:{fx.PROV_DOC}", G + "eli")}
    assert doc_eli == {base_iri() + "eli/山东省/plan/2023/鲁政办字〔2023〕7号/zho/txt"}
    assert values(f"measure:{fx.PROV_DOC}#1", G + "inDocument")[0].value == node_iri(f"doc:{fx.PROV_DOC}")


# -- the store on disk ----------------------------------------------------------------------------
def test_build_corpus_writes_the_store(seeds):
    assert (seeds.path / "rdf").is_dir()  # made by build_corpus before the commit
    assert triple_count(rdf_store(seeds)) > 0


def test_the_store_written_by_the_build_equals_the_facts_on_disk(seeds):
    """project_rdf (from the in-memory facts, at build time) == a projection of the stored facts."""
    assert set(with_union_default(build_quads(seeds))) == set(rdf_store(seeds))


def test_a_stale_store_is_rebuilt(tmp_path):
    build = fx.write_fixture_build(tmp_path / "data")
    store = rdf_store(build)
    expected = set(store)
    forget_store(build)
    del store
    (build.path / "rdf" / STORE_META).unlink()  # as if written by an older layout
    assert store_layout(build.path / "rdf") is None
    assert set(rdf_store(build)) == expected
    assert store_layout(build.path / "rdf") == STORE_LAYOUT


def test_store_is_created_lazily_and_opened_read_only(build):
    assert (build.path / "rdf").is_dir()
    store = rdf_store(build)
    assert store is rdf_store(build)  # one handle per process
    with pytest.raises((OSError, RuntimeError)):  # "only possible on read-write instances"
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))


def test_rdflib_dataset_over_the_store(build):
    ds = rdf_dataset(build)
    rows = {str(r[0]) for r in ds.query(
        f"SELECT DISTINCT ?n WHERE {{ ?a a <{G}Agency> ; <{G}name> ?n }}")}
    assert {"山东省大数据局", "滨州市大数据局"} <= rows


# -- exports --------------------------------------------------------------------------------------
def test_exports_parse_back(build):
    store = rdf_store(build)
    all_quads = {q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    triples = {q.triple for q in all_quads}
    out = {}
    for fmt in ("ttl", "trig", "nt", "nq", "jsonld", "graphml"):
        buf = io.BytesIO()
        write_rdf(build, fmt, buf)
        out[fmt] = buf.getvalue()
    assert {q.triple for q in ox.parse(out["ttl"], ox.RdfFormat.TURTLE)} == triples
    assert {q.triple for q in ox.parse(out["nt"], ox.RdfFormat.N_TRIPLES)} == triples
    assert set(ox.parse(out["trig"], ox.RdfFormat.TRIG)) == all_quads
    assert set(ox.parse(out["nq"], ox.RdfFormat.N_QUADS)) == all_quads
    assert set(ox.parse(out["jsonld"], ox.RdfFormat.JSON_LD)) == all_quads
    ds = rdflib.Dataset()
    ds.parse(data=out["trig"].decode("utf-8"), format="trig")
    assert len(set(ds.quads((None, None, None, None)))) == len(all_quads)
    g = nx.read_graphml(io.BytesIO(out["graphml"]))
    graph = build.graph()
    assert g.number_of_nodes() == len(graph.nodes) and g.number_of_edges() == len(graph.edges)
    assert g.nodes[fx.AISHANDONG]["type"] == "Platform"
    assert g.nodes[f"target:{fx.CITY_DOC}#0.1"]["value"] == 95.5


def test_cli_export(build, tmp_path):
    data_dir = build.path.parent.parent
    runner = CliRunner()
    for fmt in ("trig", "ttl", "nt", "jsonld", "graphml"):
        target = tmp_path / f"export.{fmt}"
        result = runner.invoke(cli, ["export", str(data_dir), "--format", fmt, "--output", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 1000
    quads_ = set(ox.parse(path=str(tmp_path / "export.trig"), format=ox.RdfFormat.TRIG))
    assert quads_ == {q for q in rdf_store(build) if not isinstance(q.graph_name, ox.DefaultGraph)}
    result = runner.invoke(cli, ["export", str(data_dir), "--format", "xml"])
    assert result.exit_code == 2


# -- the research queries -------------------------------------------------------------------------
def test_query_agency_platforms(build):
    rows = run_query_file(build, "agency_platforms")
    assert {(r["agencyName"], r["platformName"], r["how"]) for r in rows} == fx.AGENCY_PLATFORMS
    owns = {r["platformName"]: r["confidence"] for r in rows if r["how"] == "OWNS"}
    assert owns == {"爱山东": 0.8, "爱山东·滨州": 0.7}
    only = run_query_file(build, "agency_platforms", {"platformName": "爱山东·滨州"})
    assert {r["agencyName"] for r in only} == {"滨州市大数据局"}


def test_query_agency_measures(build):
    rows = run_query_file(build, "agency_measures", {"agencyName": "山东省大数据局"})
    assert {(r["number"], r["planName"]) for r in rows} == fx.SD_BIGDATA_MEASURES
    assert all(r["agencyName"] == "山东省大数据局" for r in rows)
    assert len(run_query_file(build, "agency_measures")) == 3
    assert run_query_file(build, "agency_measures", {"agencyName": "没有这个局"}) == []
    with pytest.raises(ValueError, match="bindable"):
        run_query_file(build, "agency_measures", {"planName": "x"})


def test_query_multi_plan_platforms(build):
    rows = run_query_file(build, "multi_plan_platforms")
    assert {r["platformName"]: r["plans"] for r in rows} == fx.MULTI_PLAN_PLATFORMS


def test_query_targets(build):
    rows = run_query_file(build, "targets")
    assert {(r["indicator"], r["year"], r["value"], r["unit"]) for r in rows} == fx.TARGETS
    plans = {r["indicator"]: r["planName"] for r in rows}
    assert plans["高频事项掌上办率"] == "滨州市数字政府建设2023年工作要点"  # set by the plan itself
    assert plans["政务服务证明材料共享率"] == "数字强省建设2023年工作要点"  # via its measure
    one = run_query_file(build, "targets", {"indicator": "电子证照应用事项"})
    assert [(r["value"], r["unit"]) for r in one] == [(100, "项")]


def test_query_city_vs_province(build):
    rows = run_query_file(build, "city_vs_province")
    assert {(r["cityNumber"], r["provPlanName"], r["provNumber"]) for r in rows} == fx.CITY_VS_PROVINCE
    assert {(r["cityLevel"], r["provLevel"]) for r in rows} == {("city", "province")}


def test_queries_run_on_the_seed_build(seeds):
    for name in QUERIES:
        rows = run_query_file(seeds, name)
        assert isinstance(rows, list)
    # every platform named by several plans is named by at least two distinct plans
    assert all(r["plans"] >= 2 for r in run_query_file(seeds, "multi_plan_platforms"))


def test_query_files_have_headers():
    for name in QUERIES:
        text = query_text(name)
        assert text.startswith("#") and "bindable:" in text, name
