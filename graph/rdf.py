"""The RDF projection of a build: an Oxigraph store on disk, exports, and the research queries.

IRI scheme (stable: an IRI depends only on the node id and the base, never on the build):

    <base><id prefix>/<rest of id>       node          agency:滨州市大数据局 -> <base>agency/滨州市大数据局
    <base>graph/document/<file>          named graph holding one document's facts
    <base>graph/derived                  named graph of corpus-level derived edges (OWNS, SIMILAR_TO …)
    <base>graph/ontology                 the ontology (govkg.ttl)
    <base>graph/<stem>                   other vocabularies of ontology/*.ttl (graph/indicators)
    <base>assertion/<sha1>               one edge as stated in one graph (rdf:Statement + prov:Entity)
    <base>evidence/<file>/<start>-<end>  one evidence span of a document's original text

The base defaults to https://govkg.example.org/id/ (env GOVKG_BASE_IRI or the `base` argument
overrides it). IRIs are IRIs, not URIs: non-ASCII characters are kept, ASCII characters other
than letters, digits and -._~ are percent-encoded (so `:` `/` `#` `%` never appear raw in a
segment and the mapping can be inverted with `node_id_from_iri`).

Every edge S -TYPE-> O of a document becomes, in that document's graph:

    S govkg:TYPE O .
    A a govkg:Assertion ; rdf:subject S ; rdf:predicate govkg:TYPE ; rdf:object O ;
      prov:wasDerivedFrom <document node> ; govkg:evidence E ; <edge props> .
    E a govkg:Evidence ; govkg:start 12 ; govkg:end 20 ; govkg:text "…" ; prov:wasQuotedFrom <document node> .

The store's DEFAULT graph holds the RDF merge (set union) of all named graphs, materialised when
the store is written: queries without GRAPH see every triple once, however many documents state it.
(Oxigraph's `use_default_graph_as_union` is a bag: a triple stated by n documents matches n times,
and a join over k such patterns multiplies into n^k duplicate rows; on a few hundred documents that
turns a millisecond query into minutes. So it is not used.) GRAPH ?g still sees each document.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..ontology import GOVKG, ONTOLOGY_FILE, RELATIONS, SHAPES_FILE, check_node_type, check_relation
from .factgraph import FactGraph
from .model import DocumentFacts, Edge, Evidence, Node, edge_from_dict
from .series import IND, target_links
from .store import file_key

DEFAULT_BASE = "https://govkg.example.org/id/"
STORE_DIR = "rdf"
STORE_LAYOUT = 4  # bump when the quads written for the same facts change; stale stores are rebuilt
STORE_META = "govkg-store.json"  # inside the store folder (RocksDB ignores unknown files)
QUERIES_DIR = Path(os.environ.get("GOVKG_QUERIES_DIR") or Path(__file__).resolve().parent.parent / "queries")

NS = {
    "govkg": str(GOVKG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "eli": "http://data.europa.eu/eli/ontology#",
}
ID_PREFIXES = ("doc", "plan", "section", "measure", "agency", "platform", "initiative", "target", "region", "domain")
RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
EXPORT_FORMATS = ("ttl", "trig", "nt", "nq", "jsonld", "graphml")


def _n(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(NS[ns] + local)


RDF_TYPE = _n("rdf", "type")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = _n("rdf", "subject"), _n("rdf", "predicate"), _n("rdf", "object")
XSD_INTEGER, XSD_DECIMAL, XSD_DOUBLE = _n("xsd", "integer"), _n("xsd", "decimal"), _n("xsd", "double")
XSD_BOOLEAN, XSD_DATE, XSD_ANYURI = _n("xsd", "boolean"), _n("xsd", "date"), _n("xsd", "anyURI")
SKOS_PREF, SKOS_ALT = _n("skos", "prefLabel"), _n("skos", "altLabel")
DCT_TITLE, DCT_ID, DCT_ISSUED = _n("dcterms", "title"), _n("dcterms", "identifier"), _n("dcterms", "issued")
PROV_DERIVED, PROV_QUOTED, PROV_GENERATED = _n("prov", "wasDerivedFrom"), _n("prov", "wasQuotedFrom"), _n("prov", "wasGeneratedBy")
PROV_ACTIVITY = _n("prov", "Activity")
RDFS_LABEL = _n("rdfs", "label")
ELI_ID_LOCAL = _n("eli", "id_local")


def _g(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(GOVKG) + local)


G_ASSERTION, G_EVIDENCE_CLS, G_EVIDENCE = _g("Assertion"), _g("Evidence"), _g("evidence")
G_START, G_END, G_TEXT, G_NAME, G_NODE_ID = _g("start"), _g("end"), _g("text"), _g("name"), _g("nodeId")
G_IN_DOCUMENT, G_ELI = _g("inDocument"), _g("eli")


# -- IRIs -----------------------------------------------------------------------------------------
def base_iri(base: str | None = None) -> str:
    base = base or os.environ.get("GOVKG_BASE_IRI") or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _iri_char_ok(ch: str) -> bool:
    if ch in _UNRESERVED:
        return True
    cp = ord(ch)
    # RFC 3987 ucschar, minus private use and non-characters
    return (0xA0 <= cp < 0xF0000 and not 0xD800 <= cp <= 0xF8FF and not 0xFDD0 <= cp <= 0xFDEF
            and (cp & 0xFFFE) != 0xFFFE and not 0xE0000 <= cp < 0xE1000)


# the characters _iri_char_ok refuses, as one regex class (the same set: checked over every code point)
_SEGMENT_KEEP = ("A-Za-z0-9\\-._~\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
                 + "".join(f"\\U{plane:04X}0000-\\U{plane:04X}FFFD" for plane in range(0x1, 0xE))
                 + "\\U000E1000-\\U000EFFFD")
_SEGMENT_ESCAPE = re.compile(f"[^{_SEGMENT_KEEP}]+")


def _percent(match: re.Match) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8"))


def iri_segment(text: str) -> str:
    """One path segment: non-ASCII kept, everything outside [A-Za-z0-9-._~] percent-encoded."""
    return _SEGMENT_ESCAPE.sub(_percent, text)


def _unsegment(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text, encoding="utf-8", errors="strict")


_PREFIX_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def node_iri(node_id: str, base: str | None = None) -> str:
    """<base><prefix>/<segment(rest)> for ids `prefix:rest`; <base>node/<segment(id)> otherwise."""
    prefix, sep, rest = node_id.partition(":")
    if sep and _PREFIX_RE.fullmatch(prefix) and prefix != "node":
        return f"{base_iri(base)}{prefix}/{iri_segment(rest)}"
    return f"{base_iri(base)}node/{iri_segment(node_id)}"


def node_id_from_iri(iri: str, base: str | None = None) -> str | None:
    """The node id a node IRI was made from (None for IRIs outside the base)."""
    root = base_iri(base)
    if not iri.startswith(root):
        return None
    prefix, sep, rest = iri[len(root):].partition("/")
    if not sep or "/" in rest:
        return None
    return _unsegment(rest) if prefix == "node" else f"{prefix}:{_unsegment(rest)}"


def document_iri(document: str, base: str | None = None) -> str:
    """The Document node of a file (its id is `doc:<file>`)."""
    return node_iri(f"doc:{document}", base)


def document_graph_iri(document: str, base: str | None = None) -> str:
    return f"{base_iri(base)}graph/document/{iri_segment(document)}"


def derived_graph_iri(base: str | None = None) -> str:
    return f"{base_iri(base)}graph/derived"


def ontology_graph_iri(base: str | None = None) -> str:
    return f"{base_iri(base)}graph/ontology"


def evidence_iri(ev: Evidence, base: str | None = None) -> str:
    return f"{base_iri(base)}evidence/{iri_segment(ev.document)}/{ev.start}-{ev.end}"


def assertion_iri(graph: str, edge: Edge, base: str | None = None) -> str:
    key = "\x1f".join((graph, edge.source, edge.type, edge.target)).encode("utf-8")
    return f"{base_iri(base)}assertion/{hashlib.sha1(key).hexdigest()[:24]}"


def prefixes(base: str | None = None) -> dict[str, str]:
    """Prefixes for serialisations: the vocabularies and one per node id prefix."""
    root = base_iri(base)
    out = dict(NS)
    out.update({p: f"{root}{p}/" for p in ID_PREFIXES})
    out.update({"graph": f"{root}graph/", "evidence": f"{root}evidence/", "assertion": f"{root}assertion/"})
    return out


# -- facts -> quads -------------------------------------------------------------------------------
def _camel(key: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", key) if p]
    if not parts:
        return "prop_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    text = parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return text if text[0].isalpha() else "p" + text


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def literal(value: Any, key: str = "") -> ox.Literal | None:
    """A Python prop value as a typed literal (None for empty values)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD_INTEGER)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ox.Literal(repr(value).replace("inf", "INF").replace("nan", "NaN"), datatype=XSD_DOUBLE)
        return ox.Literal(format(Decimal(repr(value)), "f"), datatype=XSD_DECIMAL)
    if isinstance(value, (dict, list, tuple, set)):
        return ox.Literal(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    text = str(value)
    if key == "issued" and _DATE_RE.fullmatch(text):
        return ox.Literal(text, datatype=XSD_DATE)
    if key == "year" and text.isdigit():
        return ox.Literal(str(int(text)), datatype=XSD_INTEGER)
    return ox.Literal(text)


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def plan_eli(node: Node, base: str | None = None) -> str:
    p = node.props
    year = p.get("year") or (str(p.get("issued"))[:4] if p.get("issued") else None) or "_"
    natural = p.get("doc_number") or p.get("title") or node.name or node.id
    return f"{base_iri(base)}eli/{iri_segment(str(p.get('jurisdiction') or 'cn'))}/plan/{iri_segment(str(year))}/{iri_segment(str(natural))}"


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
        if node.type in ("Document", "Plan"):
            if p.get("title"):
                add(f"{s} {T_TITLE} {_nt_string(str(p['title']))}")
            if p.get("issued") and (lit := literal_nt(p["issued"], "issued")) is not None:
                add(f"{s} {T_ISSUED} {lit}")
            ident = p.get("file") if node.type == "Document" else p.get("doc_number")
            if ident:
                add(f"{s} {T_ID} {_nt_string(str(ident))}")
                if node.type == "Plan":
                    add(f"{s} {T_ELI_ID} {_nt_string(str(ident))}")
            if eli:
                add(f"{s} {T_ELI} {_nt_string(eli)}{_DT_ANYURI}")
        elif node.type == "Target":
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
        plans = {n.id: n for n in facts.nodes if n.type == "Plan"}
        published = {e.target: plans[e.source] for e in facts.edges
                     if e.type == "PUBLISHED_IN" and e.source in plans and plans[e.source].props.get("document")}
        for node in facts.nodes:
            eli = None
            if node.type == "Plan" and node.props.get("document"):  # the plan's own document
                eli = plan_eli(node, self.base)
            elif node.type == "Document":
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


LOAD_CHUNK_LINES = 50_000  # N-Quads lines per Store.bulk_load call (see StoreWriter)


def _graph_triples(emitter: _Emitter, documents: Iterable[DocumentFacts], derived: Iterable[Edge],
                   chunk: int = LOAD_CHUNK_LINES) -> Iterator[tuple[str, set[str]]]:
    for facts in documents:
        if facts.error is None:
            yield emitter.document_triples(facts)
    yield from emitter.derived_triples(derived, chunk)


def with_union_default(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, and its triple in the default graph (the store keeps one copy of each)."""
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def build_documents(build) -> Iterator[DocumentFacts]:
    for name in build.document_names():
        yield build.facts(name)


def derived_edges(build_path: Path) -> list[Edge]:
    path = Path(build_path) / "derived.json"
    if not path.is_file():
        return []
    return [edge_from_dict(e) for e in json.loads(path.read_text(encoding="utf-8"))]


def build_quads(build, base: str | None = None, strict: bool = False, with_ontology: bool = True) -> Iterator[ox.Quad]:
    return iter_quads(build_documents(build), derived_edges(build.path), base, strict, with_ontology)


# -- the store ------------------------------------------------------------------------------------
def store_path(build_path: Path, base: str | None = None) -> Path:
    root = base_iri(base)
    name = STORE_DIR if root == DEFAULT_BASE else f"{STORE_DIR}-{hashlib.sha1(root.encode()).hexdigest()[:8]}"
    return Path(build_path) / name


def store_layout(path: Path) -> int | None:
    """The layout version of the store at `path` (None: no store, or one written before versioning)."""
    try:
        return int(json.loads((Path(path) / STORE_META).read_text(encoding="utf-8"))["layout"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class StoreWriter:
    """Writes the Oxigraph store of a build, one document at a time, then the derived graph.

        writer = StoreWriter(build_path)
        writer.add(facts)            # each document's facts, as stored in build_path/facts/
        writer.commit(derived)       # the derived graph and the vocabularies; the store is renamed
                                     # into place (writer.abort() instead drops it)

    The quads go in as N-Quads text (each triple of a graph once in that graph and once in the
    default graph, which the store keeps once), through `Store.bulk_load` in pieces of about
    `chunk` lines, in a thread of its own: bulk_load releases the GIL, so writing the store
    overlaps with extraction and with making the next piece. Small pieces: Oxigraph's bulk loader
    holds a whole call's quads in memory (about 1 KB per quad here: 1.1 GB for 1.4M quads in one
    call) and is hardly faster on bigger ones. The store is written next to its final place and
    renamed into it; a store of an older layout there is moved aside and replaced.
    """

    def __init__(self, build_path: Path, base: str | None = None, chunk: int = LOAD_CHUNK_LINES,
                 start_from: Path | None = None):
        self.base = base
        self.path = store_path(build_path, base)
        self.chunk = chunk
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        # an incremental build starts from a copy of the previous build's store (a RocksDB backup:
        # hard links to its immutable files), taken through a read-only handle so that a server
        # reading the previous build is not disturbed
        self.incremental = start_from is not None
        if start_from is not None:
            ox.Store.read_only(str(start_from)).backup(str(self.tmp))
        self._store: ox.Store | None = ox.Store(str(self.tmp))
        self._emitter = _Emitter(base, strict=False)
        self._lines: list[str] = []
        self._pending: queue.Queue[bytes | None] = queue.Queue(maxsize=4)  # ~12 MB a piece
        self._failed: list[BaseException] = []
        self._loader: threading.Thread | None = threading.Thread(target=self._load, name="govkg-rdf-load", daemon=True)
        self._loader.start()

    def _load(self) -> None:
        try:
            while (data := self._pending.get()) is not None:
                self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # raised in the producing thread
            self._failed.append(exc)
            while self._pending.get() is not None:  # never leave the producer blocked
                pass

    def _add(self, graph: str, triples: set[str]) -> None:
        tail = f" <{graph}> .\n"
        self._lines.extend(f"{t}{tail}{t} .\n" for t in triples)
        if 2 * len(self._lines) >= self.chunk:
            self._send()

    def _send(self) -> None:
        if self._failed:
            raise self._failed[0]
        if self._lines:
            data = "".join(self._lines).encode("utf-8")
            self._lines = []
            self._pending.put(data)

    def _stop(self) -> None:
        if self._loader is not None:
            self._pending.put(None)
            self._loader.join()
            self._loader = None

    def remove_documents(self, names: Iterable[str]) -> None:
        """Drop these documents' graphs from a store started from a previous one, and each of their
        triples from the default graph unless another named graph still states it. Call it before
        any `add`: the adds are loaded in another thread."""
        assert self._store is not None and not self._lines
        for name in names:
            graph = ox.NamedNode(document_graph_iri(name, self.base))
            triples = [q.triple for q in self._store.quads_for_pattern(None, None, None, graph)]
            self._store.remove_graph(graph)
            self._drop_from_default(triples)

    def _drop_from_default(self, triples: Iterable[ox.Triple]) -> None:
        store = self._store
        assert store is not None
        default = ox.DefaultGraph()
        for t in triples:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                       for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                store.remove(ox.Quad(t.subject, t.predicate, t.object, default))

    def _update_derived(self, derived: Iterable[Edge], previous: Iterable[Edge]) -> None:
        """Bring the derived graph of a store started from a previous one from the previous edges to
        these: the triples of the edges that went or changed out, those of the new or changed ones in
        (evidence spans other derived edges still cite stay)."""
        store = self._store
        assert store is not None

        def keyed(edges: Iterable[Edge]) -> dict[str, Edge]:
            return {json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True): e for e in edges}

        old, new = keyed(previous), keyed(derived)
        gone = self._emitter.edges_triples(old[k] for k in old.keys() - new.keys())
        came = self._emitter.edges_triples(new[k] for k in new.keys() - old.keys())
        graph = derived_graph_iri(self.base)
        spans = f"<{self._emitter.base}evidence/"
        out = [t for t in gone - came if not t.startswith(spans)]
        held = [t for t in gone - came if t.startswith(spans)]
        tail = f" <{graph}> .\n"
        removed = [q.triple for q in ox.parse("".join(t + tail for t in out), ox.RdfFormat.N_QUADS)]
        for t in removed:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)))
        added = came - gone
        if added:
            store.load("".join(f"{t}{tail}{t} .\n" for t in added).encode("utf-8"), ox.RdfFormat.N_QUADS)
        g, cites = ox.NamedNode(graph), G_EVIDENCE
        for q in ox.parse("".join(t + tail for t in held), ox.RdfFormat.N_QUADS):
            if next(iter(store.quads_for_pattern(None, cites, q.subject, g)), None) is None:
                store.remove(q)
                removed.append(q.triple)
        self._drop_from_default(removed)

    def add(self, facts: DocumentFacts) -> None:
        """One document's graph (nothing for a failed document)."""
        if facts.error is None:
            self._add(*self._emitter.document_triples(facts))

    def commit(self, derived: Iterable[Edge], previous_derived: Iterable[Edge] | None = None) -> Path:
        """Write the derived graph and put the store in place. A store started from a previous one
        is given `previous_derived`, the derived edges that store holds, and only the difference is
        written (its vocabularies are the previous store's)."""
        try:
            if not self.incremental:
                for graph, triples in self._emitter.derived_triples(derived, self.chunk):
                    self._add(graph, triples)
            self._send()
            self._stop()
            if self._failed:
                raise self._failed[0]
            store = self._store
            assert store is not None
            if self.incremental:
                self._update_derived(derived, previous_derived or [])
                hook("rdf-derived")
                store.flush()
            else:
                store.extend(list(with_union_default(ontology_quads(self.base))))
                store.flush()
                store.optimize()
            self._store = store = None  # closes it
        except BaseException:
            self.abort()
            raise
        path, tmp = self.path, self.tmp
        (tmp / STORE_META).write_text(json.dumps({"layout": STORE_LAYOUT, "base": base_iri(self.base)}), encoding="utf-8")
        if path.is_dir() and store_layout(path) != STORE_LAYOUT:
            old = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.old")
            try:
                os.rename(path, old)
            except OSError:
                pass
            else:
                shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, path)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process created it first
            if not path.is_dir():
                raise
        return path

    def abort(self) -> None:
        self._lines = []
        self._stop()
        self._store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def hook(point: str) -> None:
    """A test hook: with GOVKG_BUILD_STOP_AT=<point>, a build announces that it reached `point`
    (GOVKG_BUILD_STOP_FILE) and waits there, so that a test can kill it in the middle of an update."""
    if os.environ.get("GOVKG_BUILD_STOP_AT") == point:
        import time

        marker = os.environ.get("GOVKG_BUILD_STOP_FILE")
        if marker:
            Path(marker).write_text(point, encoding="utf-8")
        time.sleep(float(os.environ.get("GOVKG_BUILD_STOP_S", "120")))


def _write_store(build_path: Path, documents: Iterable[DocumentFacts], derived: Iterable[Edge],
                 base: str | None = None) -> Path:
    writer = StoreWriter(build_path, base)
    try:
        for facts in documents:
            writer.add(facts)
    except BaseException:
        writer.abort()
        raise
    return writer.commit(derived)


def store_documents(build_path: Path, names: Iterable[str]) -> Iterator[DocumentFacts]:
    """The facts of these documents as written to build_path/facts/."""
    facts_dir = Path(build_path) / "facts"
    for name in names:
        yield DocumentFacts.from_dict(json.loads((facts_dir / f"{file_key(name)}.json").read_text(encoding="utf-8")))


def _current(path: Path) -> bool:
    return path.is_dir() and store_layout(path) == STORE_LAYOUT


def project_rdf(build_path: Path, graph: FactGraph, base: str | None = None) -> Path:
    """Write the Oxigraph store of a build being written from its files (build_corpus instead
    streams each document into a StoreWriter as it is stored).

    Projects the documents of `graph` as written to build_path/facts/ and the derived edges of
    build_path/derived.json: exactly what a later `rdf_store(Build(build_path))` would read. (The
    facts are re-read from disk on purpose: FactGraph.add shares list props such as aliases
    between a document's nodes and the merged node, so the in-memory DocumentFacts can have
    gained aliases of other documents.)
    """
    path = store_path(build_path, base)
    if not _current(path):
        _write_store(build_path, store_documents(build_path, sorted(graph.documents)), derived_edges(build_path), base)
    return path


_open_stores: dict[str, ox.Store] = {}
_open_lock = threading.Lock()


def rdf_store(build, base: str | None = None) -> ox.Store:
    """The build's Oxigraph store, created from its facts on first use, opened read-only.

    One instance per store folder and process is kept open. Its default graph is the merge of all
    named graphs, so plain `store.query(q)` sees everything once (see the module docstring).
    """
    path = store_path(build.path, base)
    key = str(path.resolve())
    with _open_lock:
        store = _open_stores.get(key)
        if store is not None and path.is_dir():
            return store
        for gone in [k for k in _open_stores if not Path(k).is_dir()]:  # builds pruned since: let go
            del _open_stores[gone]
        if not _current(path):
            _write_store(build.path, build_documents(build), derived_edges(build.path), base)
        try:
            store = ox.Store.read_only(str(path))
        except OSError:
            store = ox.Store(str(path))
        _open_stores[key] = store
        return store


def forget_store(build, base: str | None = None) -> None:
    """Drop this process's open handle on a build's store (e.g. before deleting the build)."""
    with _open_lock:
        _open_stores.pop(str(store_path(build.path, base).resolve()), None)


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


def triple_count(store: ox.Store) -> int:
    """Number of quads in the named graphs (a triple in two graphs counts twice)."""
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)


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
    stream = open(out, "wb") if own else out
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
    for items in ((d for _, d in g.nodes(data=True)), (d for *_, d in g.edges(keys=True, data=True))):
        items = list(items)
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


# -- queries --------------------------------------------------------------------------------------
def query_text(name: str) -> str:
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".rq")
    if not path.is_absolute() and not path.is_file():
        path = QUERIES_DIR / path.name
    return path.read_text(encoding="utf-8")


def term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A binding value as an RDF term: pyoxigraph terms pass through, Python values become literals."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    lit = literal(value)
    if lit is None:
        raise ValueError(f"cannot bind an empty value: {value!r}")
    return lit


def python_value(t: Any) -> Any:
    """An RDF term as a plain Python value (IRIs as str, typed literals converted)."""
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else ""
        try:
            if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
                return int(t.value)
            if dt.endswith(("#decimal", "#double", "#float")):
                return float(t.value)
            if dt.endswith("#boolean"):
                return t.value in ("true", "1")
        except ValueError:
            pass
        return t.value
    return str(t)


def run_query(store: ox.Store, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]] | bool:
    """Run a SELECT (rows as dicts of Python values) or ASK (bool) over the merged default graph."""
    subs = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
    result = store.query(query, substitutions=subs or None)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: python_value(sol[n]) for n in names} for sol in result]
    return [{"s": python_value(t.subject), "p": python_value(t.predicate), "o": python_value(t.object)}
            for t in result]


_BINDABLE_RE = re.compile(r"^#\s*bindable:\s*(.*)$", re.MULTILINE)


def bindable_variables(query: str) -> set[str] | None:
    """The variables a query file's `# bindable: ?a ?b` header line allows binding (None: no header)."""
    match = _BINDABLE_RE.search(query)
    if match is None:
        return None
    return set(re.findall(r"\?(\w+)", match.group(1)))


def run_query_file(build, name: str, bindings: dict[str, Any] | None = None,
                   store: ox.Store | None = None) -> list[dict[str, Any]] | bool:
    """Run queries/<name>.rq against a build's store (or `store`), over the merge of its graphs.

    `bindings` maps variable names (without ?) to values substituted before evaluation
    (e.g. {"agencyName": "山东省大数据局"}); str/int/float/bool become literals, pass an
    ox.NamedNode for an IRI. Only the variables of the file's `# bindable:` header may be bound:
    Oxigraph substitutes a variable only where it occurs in a required triple pattern (bound
    inside OPTIONAL or FILTER it would not restrict the results), and only if it is projected.
    """
    text = query_text(name)
    allowed = bindable_variables(text)
    if bindings and allowed is not None and not set(bindings) <= allowed:
        raise ValueError(f"query {name!r} cannot bind {sorted(set(bindings) - allowed)}: "
                         f"bindable: {sorted(allowed) or 'none'}")
    return run_query(store if store is not None else rdf_store(build), text, bindings)


__all__ = [
    "DEFAULT_BASE", "EXPORT_FORMATS", "RELATIONS", "base_iri", "node_iri", "node_id_from_iri", "document_iri",
    "document_graph_iri", "derived_graph_iri", "ontology_graph_iri", "vocabulary_graph_iris", "evidence_iri",
    "assertion_iri", "iter_quads", "with_union_default", "build_quads", "union_graph", "validate_shacl",
    "StoreWriter", "project_rdf", "rdf_store", "rdf_dataset", "forget_store", "triple_count", "write_rdf", "write_graphml",
    "run_query", "run_query_file", "query_text", "prefixes", "store_path",
]
