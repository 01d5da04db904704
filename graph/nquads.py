"""Facts -> N-Quads: the text the projection writes (one named graph per document, the derived
graph, the vocabularies).

Every edge S -TYPE-> O of a document becomes, in that document's graph:

    S govkg:TYPE O .
    A a govkg:Assertion ; rdf:subject S ; rdf:predicate govkg:TYPE ; rdf:object O ;
      prov:wasDerivedFrom <document node> ; govkg:evidence E ; <edge props> .
    E a govkg:Evidence ; govkg:start 12 ; govkg:end 20 ; govkg:text "…" ; prov:wasQuotedFrom <document node> .
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..ontology import GOVKG, ONTOLOGY_FILE, SHAPES_FILE, check_node_type, check_relation
from ..ontology.vocab import NodeType, Rel
from .model import DocumentFacts, Edge, Evidence, Node
from .store import derived_edges
from .rdf_terms import (_DATE_RE, DCT_ID, DCT_ISSUED, DCT_TITLE, ELI_ID_LOCAL, G_ASSERTION, G_ELI, G_END, G_EVIDENCE,
                        G_EVIDENCE_CLS, G_IN_DOCUMENT, G_NAME, G_NODE_ID, G_START, G_TEXT, PROV_ACTIVITY, PROV_DERIVED,
                        PROV_GENERATED, PROV_QUOTED, RDF_OBJECT, RDF_PREDICATE, RDF_SUBJECT, RDF_TYPE, RDFS_LABEL,
                        SKOS_ALT, SKOS_PREF, XSD_ANYURI, XSD_BOOLEAN, XSD_DATE, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER, _g,
                        assertion_iri, base_iri, derived_graph_iri, document_graph_iri, document_iri, iri_segment,
                        node_iri, plan_eli)
from .series import IND, target_links

# -- facts -> quads -------------------------------------------------------------------------------
def _camel(key: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", key) if p]
    if not parts:
        return "prop_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    text = parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return text if text[0].isalpha() else "p" + text



def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


# N-Triples forms of the terms the projection writes (the quads are written as N-Quads text and
# bulk-loaded: far faster than building a Python Quad object per quad)
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F) if c not in _ESCAPES})


def _nt_string(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def _nt(term: ox.NamedNode) -> str:
    return f"<{term.value}>"


T_TYPE, T_SUBJECT, T_PREDICATE, T_OBJECT = _nt(RDF_TYPE), _nt(RDF_SUBJECT), _nt(RDF_PREDICATE), _nt(RDF_OBJECT)
T_PREF, T_ALT, T_TITLE, T_ID, T_ISSUED = _nt(SKOS_PREF), _nt(SKOS_ALT), _nt(DCT_TITLE), _nt(DCT_ID), _nt(DCT_ISSUED)
T_DERIVED, T_QUOTED, T_GENERATED, T_ACTIVITY = _nt(PROV_DERIVED), _nt(PROV_QUOTED), _nt(PROV_GENERATED), _nt(PROV_ACTIVITY)
T_LABEL, T_ELI_ID = _nt(RDFS_LABEL), _nt(ELI_ID_LOCAL)
T_ASSERTION, T_EVIDENCE_CLS, T_EVIDENCE = _nt(G_ASSERTION), _nt(G_EVIDENCE_CLS), _nt(G_EVIDENCE)
T_START, T_END, T_TEXT, T_NAME, T_NODE_ID = _nt(G_START), _nt(G_END), _nt(G_TEXT), _nt(G_NAME), _nt(G_NODE_ID)
T_IN_DOCUMENT, T_ELI = _nt(G_IN_DOCUMENT), _nt(G_ELI)
T_INDICATOR_CONCEPT, T_INDICATOR_LABEL = _nt(_g("indicatorConcept")), _nt(_g("indicatorLabel"))
T_BASE_VALUE, T_BASE_UNIT = _nt(_g("baseValue")), _nt(_g("baseUnit"))
_DT_BOOLEAN, _DT_INTEGER, _DT_DECIMAL = f"^^{_nt(XSD_BOOLEAN)}", f"^^{_nt(XSD_INTEGER)}", f"^^{_nt(XSD_DECIMAL)}"
_DT_DOUBLE, _DT_DATE, _DT_ANYURI = f"^^{_nt(XSD_DOUBLE)}", f"^^{_nt(XSD_DATE)}", f"^^{_nt(XSD_ANYURI)}"
_LIT_TRUE, _LIT_FALSE = f'"true"{_DT_BOOLEAN}', f'"false"{_DT_BOOLEAN}'


def _canonical_decimal(value: Decimal) -> str:
    """xsd:decimal in its canonical form (as Oxigraph writes a computed decimal: 101000, 0.5)."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0",) else "0"


def literal_nt(value: Any, key: str = "") -> str | None:
    """`literal(value, key)` in N-Triples syntax (None for empty values)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _LIT_TRUE if value else _LIT_FALSE
    if isinstance(value, int):
        return f'"{value!s}"{_DT_INTEGER}'
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f'"{repr(value).replace("inf", "INF").replace("nan", "NaN")}"{_DT_DOUBLE}'
        return f'"{format(Decimal(repr(value)), "f")}"{_DT_DECIMAL}'
    if isinstance(value, (dict, list, tuple, set)):
        return _nt_string(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    text = str(value)
    if key == "issued" and _DATE_RE.fullmatch(text):
        return _nt_string(text) + _DT_DATE
    if key == "year" and text.isdigit():
        return f'"{int(text)!s}"{_DT_INTEGER}'
    return _nt_string(text)


class _Emitter:
    """Writes a build's facts as N-Quads text: each graph's triples as a set of "S P O" strings
    (a triple stated twice in one graph is written once), each line also in the default graph."""

    def __init__(self, base: str | None, strict: bool):
        self.base = base_iri(base)
        self.strict = strict
        self._iris: dict[str, str] = {}  # node id -> <IRI>, one document (or the derived graph) at a time
        self._documents: dict[str, tuple[str, str]] = {}  # file -> (<doc node IRI>, evidence IRI prefix)
        self._preds: dict[str, str] = {}  # prop key -> <govkg:camelKey>
        self._types: dict[str, str] = {}  # node or edge type -> <govkg:Type>
        self._evidence: set[Evidence] = set()  # the evidence spans written to the current graph

    def _node(self, node_id: str) -> str:
        iri = self._iris.get(node_id)
        if iri is None:
            iri = self._iris[node_id] = f"<{node_iri(node_id, self.base)}>"
        return iri

    def _document(self, document: str) -> tuple[str, str]:
        known = self._documents.get(document)
        if known is None:
            if len(self._documents) > 4096:
                self._documents.clear()
            known = self._documents[document] = (f"<{document_iri(document, self.base)}>",
                                                 f"<{self.base}evidence/{iri_segment(document)}/")
        return known

    def _pred(self, key: str) -> str:
        pred = self._preds.get(key)
        if pred is None:
            pred = self._preds[key] = f"<{GOVKG}{_camel(key)}>"
        return pred

    def _type(self, name: str) -> str:
        typ = self._types.get(name)
        if typ is None:
            typ = self._types[name] = f"<{GOVKG}{iri_segment(name)}>"
        return typ

    def node_triples(self, node: Node, out: set[str], eli: str | None) -> None:
        s = self._node(node.id)
        if self.strict:
            check_node_type(node.type)
        add = out.add
        add(f"{s} {T_TYPE} {self._type(node.type)}")
        add(f"{s} {T_NODE_ID} {_nt_string(node.id)}")
        if node.name:
            name = _nt_string(node.name)
            add(f"{s} {T_NAME} {name}")
            add(f"{s} {T_PREF} {name}")
            add(f"{s} {T_LABEL} {name}@zh-Hans")
        if node.props.get("name_en"):  # the rule-made English label (graph/labels.py)
            add(f"{s} {T_LABEL} {_nt_string(str(node.props['name_en']))}@en")
        for key, value in node.props.items():
            for item in _values(value):
                if key == "aliases":
                    if item not in (None, "", node.name):
                        add(f"{s} {T_ALT} {_nt_string(str(item))}")
                elif key == "document" and isinstance(item, str) and item:
                    add(f"{s} {T_IN_DOCUMENT} {self._document(item)[0]}")
                elif (lit := literal_nt(item, key)) is not None:
                    add(f"{s} {self._pred(key)} {lit}")
        p = node.props
        if node.type in (NodeType.Document, NodeType.Plan):
            if p.get("title"):
                add(f"{s} {T_TITLE} {_nt_string(str(p['title']))}")
            if p.get("issued") and (lit := literal_nt(p["issued"], "issued")) is not None:
                add(f"{s} {T_ISSUED} {lit}")
            ident = p.get("file") if node.type == NodeType.Document else p.get("doc_number")
            if ident:
                add(f"{s} {T_ID} {_nt_string(str(ident))}")
                if node.type == NodeType.Plan:
                    add(f"{s} {T_ELI_ID} {_nt_string(str(ident))}")
            if eli:
                add(f"{s} {T_ELI} {_nt_string(eli)}{_DT_ANYURI}")
        elif node.type == NodeType.Target:
            self.target_triples(s, node, add)

    def target_triples(self, s: str, node: Node, add) -> None:
        """The series links of a target (graph/series.py target_links), so that queries/series_*.rq
        join on them instead of matching indicator labels at query time."""
        links = target_links(node.props)
        if links is None:
            return
        add(f"{s} {T_BASE_UNIT} {_nt_string(links.base_unit)}")
        if isinstance(links.base_value, int):
            add(f'{s} {T_BASE_VALUE} "{links.base_value!s}"{_DT_INTEGER}')
        elif links.base_value is not None:
            add(f'{s} {T_BASE_VALUE} "{_canonical_decimal(links.base_value)}"{_DT_DECIMAL}')
        if links.concept is not None:
            add(f"{s} {T_INDICATOR_CONCEPT} <{IND}{links.concept}>")
            add(f"{s} {T_INDICATOR_LABEL} {_nt_string(links.label or '')}")

    def edge_triples(self, edge: Edge, graph: str, out: set[str], sources: list[str],
                     generated_by: str | None = None) -> None:
        if self.strict:
            check_relation(edge.type)
        add = out.add
        s, o = self._node(edge.source), self._node(edge.target)
        p = self._type(edge.type)
        add(f"{s} {p} {o}")
        a = f"<{assertion_iri(graph, edge, self.base)}>"
        add(f"{a} {T_TYPE} {T_ASSERTION}")
        add(f"{a} {T_SUBJECT} {s}")
        add(f"{a} {T_PREDICATE} {p}")
        add(f"{a} {T_OBJECT} {o}")
        for doc in sources:
            add(f"{a} {T_DERIVED} {self._document(doc)[0]}")
        if generated_by is not None:
            add(f"{a} {T_GENERATED} {generated_by}")
        for key, value in edge.props.items():
            for item in _values(value):
                if (lit := literal_nt(item, key)) is not None:
                    add(f"{a} {self._pred(key)} {lit}")
        for ev in edge.evidence:
            doc, prefix = self._document(ev.document)
            e = f"{prefix}{ev.start}-{ev.end}>"
            add(f"{a} {T_EVIDENCE} {e}")
            if ev in self._evidence:  # its triples are in this graph already (many edges share a span)
                continue
            self._evidence.add(ev)
            add(f"{e} {T_TYPE} {T_EVIDENCE_CLS}")
            add(f"{e} {T_START} \"{int(ev.start)!s}\"{_DT_INTEGER}")
            add(f"{e} {T_END} \"{int(ev.end)!s}\"{_DT_INTEGER}")
            add(f"{e} {T_TEXT} {_nt_string(ev.text)}")
            add(f"{e} {T_QUOTED} {doc}")

    def document_triples(self, facts: DocumentFacts) -> tuple[str, set[str]]:
        """(the document graph's IRI, its triples)."""
        self._iris.clear()
        self._evidence.clear()
        graph = document_graph_iri(facts.document, self.base)
        out: set[str] = {f"<{graph}> {T_DERIVED} {self._document(facts.document)[0]}"}
        plans = {n.id: n for n in facts.nodes if n.type == NodeType.Plan}
        published = {e.target: plans[e.source] for e in facts.edges
                     if e.type == Rel.PUBLISHED_IN and e.source in plans and plans[e.source].props.get("document")}
        for node in facts.nodes:
            eli = None
            if node.type == NodeType.Plan and node.props.get("document"):  # the plan's own document
                eli = plan_eli(node, self.base)
            elif node.type == NodeType.Document:
                plan = published.get(node.id)
                fmt = iri_segment(str(node.props.get("format") or "txt"))
                eli = (f"{plan_eli(plan, self.base)}/zho/{fmt}" if plan is not None
                       else f"{self.base}eli/document/{iri_segment(str(node.props.get('file') or facts.document))}")
            self.node_triples(node, out, eli)
        sources = [facts.document]
        for edge in facts.edges:
            self.edge_triples(edge, graph, out, sources)
        return graph, out

    def edges_triples(self, edges: Iterable[Edge]) -> set[str]:
        """The derived graph's triples of these edges alone (no activity triples)."""
        self._iris.clear()
        self._evidence.clear()
        graph = derived_graph_iri(self.base)
        activity = f"<{self.base}activity/derive>"
        out: set[str] = set()
        for edge in edges:
            self.edge_triples(edge, graph, out, sorted({ev.document for ev in edge.evidence}), generated_by=activity)
        return out

    def derived_triples(self, edges: Iterable[Edge], chunk: int) -> Iterator[tuple[str, set[str]]]:
        """(the derived graph's IRI, triples) in chunks of about `chunk` triples."""
        self._iris.clear()
        self._evidence.clear()
        graph = derived_graph_iri(self.base)
        activity = f"<{self.base}activity/derive>"
        out: set[str] = {f"{activity} {T_TYPE} {T_ACTIVITY}",
                         f"{activity} {T_LABEL} {_nt_string('corpus-level derivation (graph/derive.py)')}@en"}
        for edge in edges:
            if len(self._iris) > 65536:
                self._iris.clear()
            sources = sorted({ev.document for ev in edge.evidence})
            self.edge_triples(edge, graph, out, sources, generated_by=activity)
            if len(out) >= chunk:
                yield graph, out
                out = set()
        yield graph, out


def vocabulary_files() -> dict[str, Path]:
    """Graph IRI suffix -> file: govkg.ttl as graph/ontology, every other ontology/*.ttl vocabulary
    (e.g. indicators.ttl as graph/indicators) under its stem; shapes.ttl is not data."""
    files = {"ontology": ONTOLOGY_FILE}
    for path in sorted(ONTOLOGY_FILE.parent.glob("*.ttl")):
        if path not in (ONTOLOGY_FILE, SHAPES_FILE):
            files[path.stem] = path
    return files


def vocabulary_graph_iris(base: str | None = None) -> list[str]:
    return [f"{base_iri(base)}graph/{name}" for name in vocabulary_files()]


def ontology_quads(base: str | None = None) -> Iterator[ox.Quad]:
    """The vocabularies, each in its graph (govkg.ttl in graph/ontology), blank nodes canonicalised
    (RDFC-1.0) so that they are stable too."""
    for name, path in vocabulary_files().items():
        graph = ox.NamedNode(f"{base_iri(base)}graph/{name}")
        dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, graph)
                             for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        yield from dataset


def iter_quads(documents: Iterable[DocumentFacts], derived: Iterable[Edge], base: str | None = None,
               strict: bool = False, with_ontology: bool = True) -> Iterator[ox.Quad]:
    """All named-graph quads of a build: one graph per document, the derived graph, the ontology graph.

    strict=True raises ValueError on node or edge types the ontology does not define; otherwise
    they are projected as govkg:<type> all the same (the ontology tests report them).
    """
    for graph, triples in _graph_triples(_Emitter(base, strict), documents, derived):
        tail = f" <{graph}> .\n"
        yield from ox.parse("".join(t + tail for t in triples), ox.RdfFormat.N_QUADS)
    if with_ontology:
        yield from ontology_quads(base)


LOAD_CHUNK_LINES = 100_000  # N-Quads lines per Store.bulk_load call (see StoreWriter)


def _graph_triples(emitter: _Emitter, documents: Iterable[DocumentFacts], derived: Iterable[Edge],
                   chunk: int = LOAD_CHUNK_LINES) -> Iterator[tuple[str, set[str]]]:
    for facts in documents:
        if facts.error is None:
            yield emitter.document_triples(facts)
    yield from emitter.derived_triples(derived, chunk)


def union_lines(graph: str, triples: Iterable[str]) -> str:
    """N-Quads text of a graph's triples, each line once in the graph and once in the default graph
    (the store keeps one copy of a triple in the default graph, however many graphs state it)."""
    tail = f" <{graph}> .\n"
    return "".join(f"{t}{tail}{t} .\n" for t in triples)


class DocumentQuads:
    """One document's RDF graph as N-Quads bytes for StoreWriter.add_nquads (union_lines): made where
    the document is extracted, so that a build's worker processes do this work, not the writer."""

    def __init__(self, base: str | None = None):
        self._emitter = _Emitter(base, strict=False)

    def __call__(self, facts: DocumentFacts) -> tuple[bytes, int]:
        """(the N-Quads bytes, their number of lines)."""
        graph, triples = self._emitter.document_triples(facts)
        return union_lines(graph, triples).encode("utf-8"), 2 * len(triples)


def with_union_default(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, and its triple in the default graph (the store keeps one copy of each)."""
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def build_documents(build) -> Iterator[DocumentFacts]:
    for name in build.document_names():
        yield build.facts(name)


def build_quads(build, base: str | None = None, strict: bool = False, with_ontology: bool = True) -> Iterator[ox.Quad]:
    return iter_quads(build_documents(build), derived_edges(build.path), base, strict, with_ontology)
