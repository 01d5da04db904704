"""RDF terms of the projection: the vocabularies, the IRI scheme and Python values as literals.

IRI scheme (stable: an IRI depends only on the node id and the base, never on the build):

    <base><id prefix>/<rest of id>       node          agency:滨州市大数据局 -> <base>agency/滨州市大数据局
    <base>graph/document/<file>          named graph holding one document's facts
    <base>graph/derived                  named graph of corpus-level derived edges (OWNS, SIMILAR_TO …)
    <base>graph/ontology                 the ontology (govkg.ttl)
    <base>graph/<stem>                   other vocabularies of ontology/*.ttl (graph/indicators)
    <base>assertion/<sha1>               one edge as stated in one graph (rdf:Statement + prov:Entity)
    <base>evidence/<file>/<start>-<end>  one evidence span of a document's original text

The base defaults to https://govkg.example.org/id/ (the `base` argument; the CLI and the server pass GOVKG_BASE_IRI, read by govkg/settings.py
overrides it). IRIs are IRIs, not URIs: non-ASCII characters are kept, ASCII characters other
than letters, digits and -._~ are percent-encoded (so `:` `/` `#` `%` never appear raw in a
segment and the mapping can be inverted with `node_id_from_iri`).
"""
from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from ..ontology import GOVKG
from .model import Edge, Evidence, Node

DEFAULT_BASE = "https://govkg.example.org/id/"

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
    base = base or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def check_base_iri(base: str | None) -> str:
    """base_iri(base), or ValueError if it is not an IRI (the store loads its N-Quads without
    re-validating IRIs: every other part of an IRI is made valid by iri_segment)."""
    iri = base_iri(base)
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise ValueError(f"the RDF base IRI {iri!r} (GOVKG_BASE_IRI) is not an IRI: {exc}") from None
    return iri


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



def plan_eli(node: Node, base: str | None = None) -> str:
    p = node.props
    year = p.get("year") or (str(p.get("issued"))[:4] if p.get("issued") else None) or "_"
    natural = p.get("doc_number") or p.get("title") or node.name or node.id
    return f"{base_iri(base)}eli/{iri_segment(str(p.get('jurisdiction') or 'cn'))}/plan/{iri_segment(str(year))}/{iri_segment(str(natural))}"
