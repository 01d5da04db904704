"""Derivation views: the part of one document's facts that the corpus-level derivation reads.

    view = derivation_view(facts)                 # one document
    write_views(path, views) / read_views(path)    # all the views of a build, in one file

graph/derive.py `derive_edges` (lineage_edges + counterpart_edges) and a build's totals (the distinct
node ids of each type) read only a small part of the merged facts. A view keeps that part of one
document, so that an incremental build can merge the views of its unchanged documents instead of
reading and merging their whole facts files. Merging the views of a corpus in corpus order
(FactGraph.add) gives the same derived edges (to_dict of every edge, order included) and the same
totals as merging the full facts (tests/test_derivation_view.py).

What a view keeps:
  * every node: id and type (totals; the type decides what lineage and counterparts read), name "",
    and only the props that are read:
      Measure  text, document                       (lineage.measure_infos)
      Plan     jurisdiction, year                   (lineage.measure_infos via _plan_of)
      Agency   collective, function, jurisdiction, level   (counterparts; model.is_collective)
  * the edges that are read, with no props but `derived` (where an agency's edge has one):
      PART_OF Measure -> Plan     all its evidence (the evidence of the lineage edges)
      MENTIONS Measure -> platform:/initiative:   no evidence (lineage reads the targets only)
      IMPLEMENTS                  no evidence (lineage._implemented follows them)
      every edge with an Agency at either end   its first evidence only: counterparts._named_at
                                  reads evidence[0] of the merged edge, and merging appends each
                                  document's evidence in corpus order, so the merged edge's
                                  evidence[0] is, either way, the first span of the first document
                                  that gives the edge any.
An edge end that is not a node of the same document is taken to be of any type (the edge is kept).
Merging per key (FactGraph.merge_props) treats every prop on its own, so dropping the props nobody
reads changes none of the others. The kept props depend on a node's type in its own document: node
ids carry their type (agency:…, plan:…, measure:…), so a node has the same type in every document.
When lineage.py or counterparts.py come to read more, VIEW_PROPS and the edge rules of derivation_view must follow:
tests/test_derivation_view.py compares views and full facts on the seeds, dev2 and a synthetic corpus.

The views file (write_views / read_views) is one pickle of (document name, encoded view) pairs; see
EncodedView. It holds plain data only, and is read with an unpickler that refuses any class or function.
"""
from __future__ import annotations

import io
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..ontology.vocab import NodeType, Rel
from .model import DocumentFacts, Edge, Evidence, Node
from .store import atomic_file

VIEW_PROPS: dict[str, tuple[str, ...]] = {
    NodeType.Measure: ("text", "document"),
    NodeType.Plan: ("jurisdiction", "year"),
    NodeType.Agency: ("collective", "function", "jurisdiction", "level"),
}
MENTIONED = ("platform:", "initiative:")  # lineage.measure_infos: the entities a measure mentions
VIEWS_FORMAT = "govkg-derivation-views/2"


def _is(node_type: str | None, wanted: str) -> bool:
    """Could an edge end of this type (None: not a node of the document) be a `wanted` node?"""
    return node_type is None or node_type == wanted


def _span(ev: Evidence, document: str, strings: dict[str, str]) -> Evidence:
    """ev, naming its document with the view's own string where it is the same document."""
    return Evidence(document if ev.document == document else ev.document, ev.start, ev.end, _one(strings, ev.text))


def _one(strings: dict[str, str], value):
    """One string object for equal strings (a measure's text is also its PART_OF evidence)."""
    return strings.setdefault(value, value) if type(value) is str else value


def derivation_view(facts: DocumentFacts) -> DocumentFacts:
    """The nodes, props, edges and evidence of one document that derive_edges and the totals read.

    Equal ids and evidence spans are one object in the view (they pickle once: write_views)."""
    types: dict[str, str] = {}
    strings: dict[str, str] = {}  # ids, prop values, evidence texts
    ids = strings
    nodes: list[Node] = []
    for node in facts.nodes:
        node_id = ids.setdefault(node.id, node.id)
        types.setdefault(node_id, node.type)
        keep = VIEW_PROPS.get(node.type, ())
        props = {k: _one(strings, node.props[k]) for k in keep if k in node.props} if keep else {}
        nodes.append(Node(node_id, node.type, "", props))
    spans: dict[Evidence, Evidence] = {}
    document = facts.document
    edges: list[Edge] = []
    agency = NodeType.Agency
    for edge in facts.edges:
        source, target = types.get(edge.source), types.get(edge.target)
        full = edge.type == Rel.PART_OF and _is(source, NodeType.Measure) and _is(target, NodeType.Plan)
        lineage = full or edge.type == Rel.IMPLEMENTS or (
            edge.type == Rel.MENTIONS and _is(source, NodeType.Measure) and edge.target.startswith(MENTIONED))
        named = _is(source, agency) or _is(target, agency)
        if not (lineage or named):
            continue
        props = {"derived": edge.props["derived"]} if named and "derived" in edge.props else {}
        kept = edge.evidence if full else edge.evidence[:1] if named else ()
        evidence = [spans.get(ev) or spans.setdefault(ev, _span(ev, document, strings)) for ev in kept]
        edges.append(Edge(ids.get(edge.source, edge.source), ids.get(edge.target, edge.target), edge.type, props,
                          evidence))
    return DocumentFacts(facts.document, nodes, edges, facts.error)


# -- the views of a build in one file ----------------------------------------------------------------
#
# A view is stored encoded: pickle of plain tuples (no classes), one bytes object per document, and
# decoded (Node, Edge, Evidence objects) only when it is taken. Reading the file is then reading a few
# hundred MB of bytes objects, which the cyclic garbage collector does not look at, and the objects of
# one view live only while it is merged: 10,000 documents' views decoded at once made about 8 million
# tracked objects, and the collector's passes over them cost more than the merge.

@dataclass(frozen=True)
class EncodedView:
    """One document's view as the views file holds it (decode() for the DocumentFacts)."""

    document: str
    data: bytes

    def decode(self) -> DocumentFacts:
        document, error, nodes, edges, spans = _loads(self.data)
        evidence = [Evidence(*span) for span in spans]
        return DocumentFacts(
            document,
            [Node(node_id, node_type, "", props if props is not None else {}) for node_id, node_type, props in nodes],
            [Edge(source, target, edge_type, props if props is not None else {}, [evidence[k] for k in kept])
             for source, target, edge_type, props, kept in edges],
            error)


def encode_view(view: DocumentFacts) -> EncodedView:
    """The stored form of a view (of derivation_view; any DocumentFacts encodes, names dropped)."""
    spans: dict[Evidence, int] = {}
    edges = []
    for edge in view.edges:
        kept = tuple(spans.setdefault(ev, len(spans)) for ev in edge.evidence)
        edges.append((edge.source, edge.target, edge.type, edge.props or None, kept))
    data = (view.document, view.error, [(n.id, n.type, n.props or None) for n in view.nodes], edges,
            [(ev.document, ev.start, ev.end, ev.text) for ev in spans])
    return EncodedView(view.document, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


class Views(Mapping[str, DocumentFacts]):
    """The views of a views file by document name, in the order written. Each lookup decodes the view
    anew (take each once, as a merge does); encoded(name) gives it as stored, to write it again."""

    def __init__(self, encoded: dict[str, EncodedView]):
        self._encoded = encoded

    def __getitem__(self, document: str) -> DocumentFacts:
        return self._encoded[document].decode()

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def __contains__(self, document: object) -> bool:
        return document in self._encoded

    def encoded(self, document: str) -> EncodedView:
        return self._encoded[document]


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data (tuples, lists, dicts, strings, numbers) and nothing that names a class
    or a function: a views file cannot make the reader call anything."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name}: a derivation views file holds plain data only")


def _loads(data: bytes):
    return _PlainUnpickler(io.BytesIO(data)).load()


def write_views(path: Path, views: Iterable[DocumentFacts | EncodedView]) -> int:
    """Write views (DocumentFacts, or EncodedView as read_views gives them) in their order to `path`
    atomically (a temporary file in the same folder, then os.replace); returns how many."""
    path = Path(path)
    items = [v if isinstance(v, EncodedView) else encode_view(v) for v in views]
    with atomic_file(path) as fh:
        pickle.dump((VIEWS_FORMAT, [(v.document, v.data) for v in items]), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return len(items)


def read_views(path: Path) -> Views:
    """The views written by write_views, by document name, in the order written. Raises ValueError
    for a file that is not a views file of this format (OSError if it cannot be read)."""
    try:
        with Path(path).open("rb") as fh:
            data = _PlainUnpickler(fh).load()
        if not (isinstance(data, tuple) and len(data) == 2 and data[0] == VIEWS_FORMAT):
            raise ValueError(f"not a derivation views file of format {VIEWS_FORMAT}: {path}")
        return Views({name: EncodedView(name, blob) for name, blob in data[1]})
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError) as exc:
        raise ValueError(f"not a derivation views file: {path}: {exc}") from exc


__all__ = ["derivation_view", "write_views", "read_views", "encode_view", "EncodedView", "Views", "VIEW_PROPS",
           "VIEWS_FORMAT"]
