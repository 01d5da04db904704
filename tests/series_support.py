"""Helpers shared by tests/test_series.py and tests/test_lineage.py: a SPARQL store of a build with the
indicator vocabulary, and query runners."""
from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
INDICATOR_GRAPH = "https://govkg.example.org/id/graph/indicators"


def sparql_store(build):
    """The build's Oxigraph store made by graph/rdfstore.py (`rdf_store`), which holds ontology/indicators.ttl
    in graph/indicators. Should it not (an older rdf.py), an in-memory store of the build's quads and the
    vocabulary, each quad in its named graph and its triple in the default graph."""
    import pyoxigraph as ox

    from govkg.graph.nquads import build_quads
    from govkg.graph.rdfstore import rdf_store
    from govkg.graph.series import VOCABULARY_FILE

    store = rdf_store(build)
    if store.query("ASK { ?concept <https://govkg.example.org/indicator/dimension> ?dimension }"):
        return store

    graph = ox.NamedNode(INDICATOR_GRAPH)
    vocabulary = [ox.Quad(t.subject, t.predicate, t.object, graph)
                  for t in ox.parse(path=str(VOCABULARY_FILE), format=ox.RdfFormat.TURTLE)]
    store = ox.Store()
    default = ox.DefaultGraph()

    def both(quads):
        for q in quads:
            yield q
            yield ox.Quad(q.subject, q.predicate, q.object, default)

    store.bulk_extend(both(build_quads(build)))
    store.bulk_extend(both(vocabulary))
    return store


def sparql(store, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run queries/<name>.rq over the store's default graph; IRIs given as str starting with http."""
    import pyoxigraph as ox

    from govkg.graph.named_queries import python_value

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    subs = {ox.Variable(k): (ox.NamedNode(v) if isinstance(v, str) and v.startswith("http") else ox.Literal(v))
            for k, v in bindings.items()}
    result = store.query(text, substitutions=subs or None)
    names = [v.value for v in result.variables]
    return [{n: python_value(sol[n]) for n in names} for sol in result]


def node_id(iri: str | None) -> str | None:
    from govkg.graph.rdf_terms import node_id_from_iri

    return node_id_from_iri(iri) if iri else None


def concept_iri(concept: str) -> str:
    return f"https://govkg.example.org/indicator/{concept}"


def cypher_text(name: str) -> str:
    return (QUERIES / f"{name}.cypher").read_text(encoding="utf-8")
