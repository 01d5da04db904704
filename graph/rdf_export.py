"""Exports of a build (RDF serialisations, GraphML) and the rdflib / pySHACL adapters of its store."""
from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .nquads import vocabulary_graph_iris
from .rdf_terms import prefixes
from .rdfstore import rdf_store

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
EXPORT_FORMATS = ("ttl", "trig", "nt", "nq", "jsonld", "graphml")


def rdf_dataset(build, base: str | None = None):
    """The build's store as an rdflib Dataset (oxrdflib); its default graph is the merged graph."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    ds = Dataset(store=OxigraphStore(store=rdf_store(build, base)))
    for prefix, ns in prefixes(base).items():
        ds.bind(prefix, ns)
    return ds


def union_graph(build, base: str | None = None, with_ontology: bool = False):
    """The union of the build's graphs as an in-memory rdflib Graph (for pyshacl and rdflib tools)."""
    from rdflib import Graph

    store = rdf_store(build, base)
    buf = io.BytesIO()
    triples: Iterator[ox.Triple]
    if with_ontology:  # the merged default graph as it is
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    else:
        skip = (*(ox.NamedNode(g) for g in vocabulary_graph_iris(base)), ox.DefaultGraph())
        triples = _union_triples(q for q in store if q.graph_name not in skip)
    ox.serialize(triples, buf, ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=buf.getvalue(), format="nt")
    return graph


def validate_shacl(build, base: str | None = None) -> tuple[bool, str]:
    """Validate the build's RDF against ontology/shapes.ttl: (conforms, report text)."""
    from pyshacl import validate

    from ..ontology import shapes_graph

    conforms, _, text = validate(union_graph(build, base), shacl_graph=shapes_graph(), inference="none")
    return bool(conforms), str(text)



# -- exports --------------------------------------------------------------------------------------
def _union_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for quad in quads:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple


def write_rdf(build, fmt: str, out: Path | str | IO[bytes], base: str | None = None) -> None:
    """Export the build as ttl | nt (union of all graphs) or trig | nq | jsonld (named graphs kept)."""
    if fmt == "graphml":
        write_graphml(build, out)
        return
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    rdf_format = RDF_FORMATS[fmt]
    store = rdf_store(build, base)
    own = isinstance(out, (str, Path))
    stream: IO[bytes] = open(out, "wb") if isinstance(out, (str, Path)) else out
    try:
        if rdf_format.supports_datasets:  # the named graphs (the default graph is their merge)
            named = (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
            ox.serialize(named, stream, rdf_format, prefixes=prefixes(base))
        else:  # the merged default graph
            store.dump(stream, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes(base))
    finally:
        if own:
            stream.close()


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def write_graphml(build, out: Path | str | IO[bytes]) -> None:
    """GraphML via networkx: props flattened to scalars (lists joined with '; ', evidence as JSON)."""
    import networkx as nx

    graph = build.graph()
    g = graph.to_networkx()
    for node in graph.nodes.values():
        for key, value in node.props.items():
            if key not in ("type", "name") and (v := _scalar(value)) is not None:
                g.nodes[node.id][key] = v
    for edge in graph.edges.values():
        attrs = g.edges[edge.source, edge.target, edge.type]
        for key, value in edge.props.items():
            if key != "type" and (v := _scalar(value)) is not None:
                attrs[key] = v
        attrs["evidence"] = json.dumps([ev.to_dict() for ev in edge.evidence], ensure_ascii=False)
    # GraphML declares one type per attribute key: fall back to strings where types are mixed
    for attributes in ((d for _, d in g.nodes(data=True)), (d for *_, d in g.edges(keys=True, data=True))):
        items = list(attributes)
        kinds: dict[str, set[type]] = {}
        for d in items:
            for k, v in d.items():
                kinds.setdefault(k, set()).add(type(v))
        mixed = {k for k, t in kinds.items() if len(t) > 1}
        numeric = {k for k in mixed if kinds[k] <= {int, float}}
        for d in items:
            for k in mixed & d.keys():
                d[k] = float(d[k]) if k in numeric else str(d[k])
    nx.write_graphml(g, out, encoding="utf-8")
