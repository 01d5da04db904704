"""ontology/vocab.py is the one home of the node-type and relation names (issue 11).

* both ways against govkg.ttl, read here on its own: every class under govkg:Node and every property
  under govkg:relation has a term, and every term is one of them;
* no Python file of the code (graph/ loaders/ api/ govkg/ reference/) writes one of the names as a
  quoted string literal any more: it uses NodeType.X / Rel.X;
* the explorer's labels and colours are served by GET /api/vocab, with the labels of govkg.ttl.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS

from apifixture import write_build
from govkg.api.app import create_app
from govkg.ontology import vocab
from govkg.ontology.vocab import EDGE_COLOR, NODE_STYLE, NodeType, Rel, explorer_vocab, iri

ROOT = Path(__file__).resolve().parent.parent
TTL = ROOT / "ontology" / "govkg.ttl"
G = Namespace("https://govkg.example.org/ontology#")
CODE_DIRS = ("graph", "loaders", "api", "govkg", "reference")
# a literal that is spelled like a name but is not one: (file, text) -> why; only as a dict value
NOT_A_NAME = {("graph/english.py", "Platform"): "the English word for 平台 in the word table of English names"}


@pytest.fixture(scope="module")
def ttl() -> Graph:
    graph = Graph()
    graph.parse(TTL, format="turtle")
    return graph


def _local(term) -> str:
    text = str(term)
    assert text.startswith(str(G)), text
    return text[len(str(G)):]


def _ttl_classes(ttl: Graph) -> set[str]:
    return {_local(c) for c in ttl.subjects(RDFS.subClassOf, G.Node) if (c, RDF.type, OWL.Class) in ttl}


def _ttl_relations(ttl: Graph) -> set[str]:
    return {_local(p) for p in ttl.subjects(RDFS.subPropertyOf, G.relation) if (p, RDF.type, OWL.ObjectProperty) in ttl}


def test_every_ttl_class_has_a_term_and_every_term_a_class(ttl):
    classes = _ttl_classes(ttl)
    assert len(classes) >= 10
    assert set(NodeType) - classes == set(), "vocab terms that govkg.ttl does not define as a node type"
    assert classes - set(NodeType) == set(), "node types of govkg.ttl without a term in ontology/vocab.py"
    assert len(list(NodeType)) == len(classes)  # no term twice


def test_every_ttl_relation_has_a_term_and_every_term_a_relation(ttl):
    relations = _ttl_relations(ttl)
    assert len(relations) >= 15
    assert set(Rel) - relations == set(), "vocab terms that govkg.ttl does not define as a relation"
    assert relations - set(Rel) == set(), "relations of govkg.ttl without a term in ontology/vocab.py"
    assert len(list(Rel)) == len(relations)


def test_a_term_is_its_own_name_as_a_plain_string_and_knows_its_iri(ttl):
    for namespace in (NodeType, Rel):
        for term in namespace:
            assert getattr(namespace, term) == term and type(term) is str
            assert (iri(term), RDF.type, OWL.Class if namespace is NodeType else OWL.ObjectProperty) in ttl
    assert NodeType.Plan == "Plan" and Rel.LEADS == "LEADS" and "OWNS" in Rel and "OWNS" not in NodeType
    with pytest.raises(AttributeError):
        NodeType.Plna  # noqa: B018 (a misspelt term fails at once)
    with pytest.raises(ValueError):
        iri("Assertion")  # a class of the ontology, but not a node type
    with pytest.raises(ValueError, match="own local name"):
        class Bad(metaclass=vocab._Terms):  # noqa: F841
            Plan = "Plans"


def test_the_explorer_vocabulary_has_every_term_with_the_ttl_labels(ttl):
    assert set(NODE_STYLE) == set(NodeType) and set(EDGE_COLOR) == set(Rel)
    served = explorer_vocab()
    for kind, namespace in (("node_types", NodeType), ("edge_types", Rel)):
        assert [e["type"] for e in served[kind]] and {e["type"] for e in served[kind]} == set(namespace)
        for entry in served[kind]:
            by_lang = {lit.language: str(lit) for lit in ttl.objects(G[entry["type"]], RDFS.label)}
            assert entry["label_zh"] == by_lang["zh"] and entry["label_en"] == by_lang["en"]
            assert entry["label"] == f"{by_lang['zh']} {by_lang['en']}"
            assert entry["color"].startswith("#") and len(entry["color"]) == 7
    labels = {e["type"]: e["label"] for e in served["node_types"]}
    assert labels[NodeType.Document] == "文档 Document" and labels[NodeType.Measure] == "任务措施 Measure"


def test_api_vocab_serves_it(tmp_path):
    write_build(tmp_path)
    with TestClient(create_app(tmp_path)) as client:
        response = client.get("/api/vocab")
        assert response.status_code == 200
        assert response.json() == explorer_vocab()


# -- no quoted name outside ontology/ ----------------------------------------------------------

def _quoted_names(path: Path, names: set[str]) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            allowed.update(id(v) for v in node.values
                           if isinstance(v, ast.Constant) and (rel, v.value) in NOT_A_NAME)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
            and id(node) not in allowed)


def test_the_scan_finds_a_quoted_name(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('X = ("Plan", \'LEADS\', "plan:Plan", f"{1}OWNS", {"a": "Platform"})\n'
                     'if x.type == "Agency":\n    pass\n')
    # a name inside an id is not one; the literal part of an f-string and a dict value are
    assert sorted(_quoted_names(probe, set(NodeType) | set(Rel))) == [
        (1, "LEADS"), (1, "OWNS"), (1, "Plan"), (1, "Platform"), (2, "Agency")]


def test_no_quoted_ontology_name_outside_ontology(ttl):
    names = set(NodeType) | set(Rel) | _ttl_classes(ttl) | _ttl_relations(ttl)
    files = [p for d in CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    assert len(files) > 40
    found = [f"{p.relative_to(ROOT)}:{line}: {value!r}" for p in files for line, value in _quoted_names(p, names)]
    assert found == [], "write NodeType.X / Rel.X (govkg.ontology.vocab) instead of:\n" + "\n".join(found)
