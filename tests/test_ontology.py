"""The ontology file is the single source of node types and relations, and the RDF of a build
conforms to ontology/shapes.ttl (on the hand-written fixture build and on the seed corpus)."""
from __future__ import annotations

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import govkg.ontology as ontology
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from govkg.graph.nquads import vocabulary_graph_iris
from govkg.graph.rdf_export import validate_shacl
from govkg.graph.rdfstore import rdf_store
from govkg.graph.store import BuildWriter, DocumentStatus
from govkg.ontology import GOVKG, NODE_TYPES, RELATIONS, check_node_type, check_relation
from rdf_fixture import export_records, fixture_derived, fixture_documents

ARCHITECTURE_NODE_TYPES = {"Document", "Plan", "Section", "Measure", "Agency", "Platform", "Initiative", "Target",
                           "Region", "Domain"}
ARCHITECTURE_RELATIONS = {"ISSUED_BY", "IMPLEMENTS", "PART_OF", "IN_SECTION", "PUBLISHED_IN", "REPORTS_ON", "LEADS",
                          "RESPONSIBLE_FOR", "MENTIONS", "SETS_TARGET", "BRANCH_OF", "OWNS", "IN_REGION",
                          "SIMILAR_TO", "DERIVED_FROM", "COUNTERPART_OF"}
ORG = Namespace("http://www.w3.org/ns/org#")
CPOV = Namespace("http://data.europa.eu/m8g/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def fixture_build(rdf_build):
    return rdf_build


@pytest.fixture(scope="module")
def seeds(seed_build):
    return seed_build


def test_ontology_parses_and_names_match_the_fact_records():
    assert isinstance(GOVKG, Namespace) and str(GOVKG) == "https://govkg.example.org/ontology#"
    assert NODE_TYPES == ARCHITECTURE_NODE_TYPES
    assert RELATIONS == ARCHITECTURE_RELATIONS
    assert isinstance(NODE_TYPES, frozenset) and isinstance(RELATIONS, frozenset)


def test_node_types_and_relations_are_read_from_the_file():
    graph = Graph().parse(ontology.ONTOLOGY_FILE, format="turtle")
    classes = {str(c)[len(str(GOVKG)):] for c in graph.subjects(RDFS.subClassOf, GOVKG.Node)}
    props = {str(p)[len(str(GOVKG)):] for p in graph.subjects(RDFS.subPropertyOf, GOVKG.relation)}
    assert classes == NODE_TYPES and props == RELATIONS
    for name in RELATIONS:
        assert (GOVKG[name], RDF.type, OWL.ObjectProperty) in graph
    for name in NODE_TYPES:
        assert (GOVKG[name], RDF.type, OWL.Class) in graph
    # the module holds no hard-coded list: a copy with one more relation yields one more name
    text = ontology.ONTOLOGY_FILE.read_text(encoding="utf-8") + (
        "\ngovkg:FUNDS a owl:ObjectProperty ; rdfs:subPropertyOf govkg:relation .\n")
    extended = Graph().parse(data=text, format="turtle")
    assert ontology._relations(extended) == RELATIONS | {"FUNDS"}


def test_labels_definitions_and_alignments():
    graph = ontology.ontology_graph()
    for name in NODE_TYPES | RELATIONS:
        langs = {label.language for label in graph.objects(GOVKG[name], RDFS.label)}
        assert {"zh", "en"} <= langs, name
        assert (GOVKG[name], SKOS.definition, None) in graph, name
    assert (GOVKG.Agency, RDFS.subClassOf, ORG.Organization) in graph
    assert (GOVKG.Agency, RDFS.subClassOf, CPOV.PublicOrganisation) in graph
    assert (GOVKG.Plan, RDFS.subClassOf, PROV.Plan) in graph
    assert (GOVKG.Domain, RDFS.subClassOf, SKOS.Concept) in graph
    assert (GOVKG.Platform, RDFS.subClassOf, SCHEMA.GovernmentService) in graph
    assert (GOVKG.Assertion, RDFS.subClassOf, PROV.Entity) in graph
    assert (GOVKG.SIMILAR_TO, RDF.type, OWL.SymmetricProperty) in graph


def test_check_relation_and_node_type():
    assert check_relation("LEADS") == GOVKG.LEADS
    assert check_node_type("Agency") == GOVKG.Agency
    with pytest.raises(ValueError, match="unknown relation 'FUNDS'"):
        check_relation("FUNDS")
    with pytest.raises(ValueError, match="unknown node type"):
        check_node_type("Person")


def test_the_fixture_covers_every_node_type_and_relation():
    docs = [facts for facts, _ in fixture_documents()]
    assert {n.type for d in docs for n in d.nodes} == NODE_TYPES
    assert {e.type for d in docs for e in d.edges} | {e.type for e in fixture_derived()} == RELATIONS


def _assert_export_defined(build):
    records = export_records(build)
    edge_types = {r["type"] for r in records if r["kind"] == "edge"}
    node_types = {r["type"] for r in records if r["kind"] == "node"}
    assert edge_types <= RELATIONS, f"edge types not in govkg.ttl: {sorted(edge_types - RELATIONS)}"
    assert node_types <= NODE_TYPES, f"node types not in govkg.ttl: {sorted(node_types - NODE_TYPES)}"
    return node_types, edge_types


def test_every_type_in_the_fixture_export_is_defined(fixture_build):
    node_types, edge_types = _assert_export_defined(fixture_build)
    assert edge_types == RELATIONS


def test_every_type_the_seed_build_emits_is_defined(seeds):
    node_types, _ = _assert_export_defined(seeds)
    assert "Document" in node_types
    # and the RDF projection of the seed build uses only defined classes and relations
    store = rdf_store(seeds)
    vocabularies = ", ".join(f"<{g}>" for g in vocabulary_graph_iris())
    used = {sol["t"].value for sol in store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER(?g NOT IN ({vocabularies})) }}")}
    prefix = str(GOVKG)
    assert {t[len(prefix):] for t in used if t.startswith(prefix)} <= NODE_TYPES | {"Assertion", "Evidence"}


def _undeclared_terms(store) -> set[str]:
    """Terms of the govkg namespace used as a predicate or object in the data graphs but not
    declared in ontology/govkg.ttl (edge and node properties included)."""
    declared = {str(s) for s in Graph().parse(ontology.ONTOLOGY_FILE).subjects() if str(s).startswith(str(GOVKG))}
    vocabularies = ", ".join(f"<{g}>" for g in vocabulary_graph_iris())
    used = {sol["t"].value for sol in store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {{ ?s ?t ?o }} UNION {{ ?s ?p ?t FILTER(isIRI(?t)) }} }} "
        f"FILTER(?g NOT IN ({vocabularies})) }}")}
    return {t for t in used if t.startswith(str(GOVKG))} - declared


def test_every_property_the_seed_build_uses_is_declared(seeds):
    assert _undeclared_terms(rdf_store(seeds)) == set()


def test_every_property_of_lineage_edges_is_declared(tmp_path):
    """The lineage fixture corpus makes SIMILAR_TO and DERIVED_FROM edges with all their props."""
    from pathlib import Path

    from govkg.build import build_corpus
    from govkg.graph.store import current_build

    corpus = Path(__file__).resolve().parent / "fixtures" / "lineage"
    build_corpus(corpus, tmp_path / "data", workers=1)
    store = rdf_store(current_build(tmp_path / "data"))
    assert store.query(f"ASK {{ GRAPH ?g {{ ?a <{GOVKG}jaccard> ?j ; <{GOVKG}shared> ?s }} }}")
    assert store.query(f"ASK {{ GRAPH ?g {{ ?a <{GOVKG}plans> ?p ; <{GOVKG}method> ?m }} }}")
    assert _undeclared_terms(store) == set()


def test_unknown_edge_type_is_caught(tmp_path):
    """A build whose export has an edge type the ontology does not define fails the check."""
    writer = BuildWriter(tmp_path / "data")
    text = "甲局负责乙平台"
    facts = DocumentFacts("x.txt", nodes=[Node("doc:x.txt", "Document", "x", {"file": "x.txt"}),
                                          Node("agency:甲局", "Agency", "甲局"),
                                          Node("platform:乙", "Platform", "乙")],
                          edges=[Edge("agency:甲局", "platform:乙", "FUNDS", {}, [Evidence("x.txt", 0, 2, "甲局")])])
    writer.add(facts, text, DocumentStatus("x.txt", "ok"))
    build = writer.commit()
    with pytest.raises(AssertionError, match="FUNDS"):
        _assert_export_defined(build)


def test_fixture_rdf_conforms_to_the_shapes(fixture_build):
    conforms, report = validate_shacl(fixture_build)
    assert conforms, report


def test_seed_rdf_conforms_to_the_shapes(seeds):
    conforms, report = validate_shacl(seeds)
    assert conforms, report[:5000]


def test_shapes_catch_broken_facts(tmp_path):
    writer = BuildWriter(tmp_path / "data")
    d = "bad.txt"
    facts = DocumentFacts(d, nodes=[
        Node("doc:bad.txt", "Document", "bad", {"file": d}),
        Node("measure:bad.txt#1", "Measure", "m", {"text": "x"}),                 # no number, no PART_OF
        Node("target:bad.txt#1.1", "Target", "t", {"value": "60%"}),              # value not numeric
        Node("agency:", "Agency", "", {}),                                         # no name
        Node("platform:p", "Platform", "p", {}),
    ], edges=[Edge("agency:", "platform:p", "LEADS", {}, [Evidence(d, 5, 3, "x")])])  # LEADS a platform; start > end
    writer.add(facts, "hello world", DocumentStatus(d, "ok"))
    conforms, report = validate_shacl(writer.commit())
    assert not conforms
    for message in ("a Measure has a number", "a Measure is PART_OF a Plan", "a Target has a numeric value",
                    "an Agency has a name", "start <= end", "Value does not have class govkg:Measure"):
        assert message in report, message

