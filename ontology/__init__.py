"""The govkg ontology (govkg.ttl), parsed once.

`NODE_TYPES` and `RELATIONS` are read from the file: the node types are the subclasses of
govkg:Node, the relations the subproperties of govkg:relation, by local name. Code that emits or
accepts a node or edge type checks it against these (`check_relation`, `check_node_type`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "govkg.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
ONTOLOGY_IRI = "https://govkg.example.org/ontology"

GOVKG = Namespace(ONTOLOGY_IRI + "#")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The parsed ontology (do not modify it: it is shared)."""
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    return graph


def _local(iri: URIRef) -> str | None:
    text = str(iri)
    return text[len(str(GOVKG)):] if text.startswith(str(GOVKG)) else None


def _node_types(graph: Graph) -> frozenset[str]:
    names = set()
    for cls in graph.subjects(RDFS.subClassOf, GOVKG.Node):
        if (cls, RDF.type, OWL.Class) in graph and (name := _local(cls)):
            names.add(name)
    return frozenset(names)


def _relations(graph: Graph) -> frozenset[str]:
    names = set()
    for prop in graph.subjects(RDFS.subPropertyOf, GOVKG.relation):
        if (prop, RDF.type, OWL.ObjectProperty) in graph and (name := _local(prop)):
            names.add(name)
    return frozenset(names)


def _datatype_properties(graph: Graph) -> frozenset[str]:
    return frozenset(name for p in graph.subjects(RDF.type, OWL.DatatypeProperty) if (name := _local(p)))


NODE_TYPES: frozenset[str] = _node_types(ontology_graph())
RELATIONS: frozenset[str] = _relations(ontology_graph())
DATATYPE_PROPERTIES: frozenset[str] = _datatype_properties(ontology_graph())


def check_relation(name: str) -> URIRef:
    """The IRI of an edge type; ValueError if the ontology does not define it."""
    if name not in RELATIONS:
        raise ValueError(f"unknown relation {name!r}: not an object property of govkg.ttl "
                         f"(known: {', '.join(sorted(RELATIONS))})")
    return GOVKG[name]


def check_node_type(name: str) -> URIRef:
    """The IRI of a node type; ValueError if the ontology does not define it."""
    if name not in NODE_TYPES:
        raise ValueError(f"unknown node type {name!r}: not a class of govkg.ttl "
                         f"(known: {', '.join(sorted(NODE_TYPES))})")
    return GOVKG[name]


__all__ = ["GOVKG", "NODE_TYPES", "RELATIONS", "DATATYPE_PROPERTIES", "ONTOLOGY_FILE", "SHAPES_FILE",
           "ONTOLOGY_IRI", "check_relation", "check_node_type", "ontology_graph", "shapes_graph"]
