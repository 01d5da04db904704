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
      MENTIONS -> platform:/initiative:   no evidence (lineage reads the targets only)
      IMPLEMENTS                  no evidence (lineage._implemented follows them)
      every edge with an Agency at either end   its first evidence only: counterparts._named_at
                                  reads evidence[0] of the merged edge, and merging keeps each
                                  document's evidence in corpus order, so the merged edge's
                                  evidence[0] is the first document's first evidence either way.
An edge end that is not a node of the same document is taken to be of any type (the edge is kept).
Merging per key (FactGraph.merge_props) treats every prop on its own, so dropping the props nobody
reads changes none of the others. The kept props depend on a node's type in its own document: node
ids carry their type (agency:…, plan:…, measure:…), so a node has the same type in every document.
"""
from __future__ import annotations

import gc
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..ontology.vocab import NodeType, Rel
from .model import DocumentFacts, Edge, Evidence, Node

VIEW_PROPS: dict[str, tuple[str, ...]] = {
    NodeType.Measure: ("text", "document"),
    NodeType.Plan: ("jurisdiction", "year"),
    NodeType.Agency: ("collective", "function", "jurisdiction", "level"),
}
MENTIONED = ("platform:", "initiative:")  # lineage.measure_infos: the entities a measure mentions
VIEWS_FORMAT = "govkg-derivation-views/1"


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

def write_views(path: Path, views: Iterable[DocumentFacts]) -> int:
    """Write views (in their order) to `path` atomically (a temporary file, then os.replace);
    returns the number written. Pickle: about 4x faster to read than JSON (BENCHMARKS.md, "## Scale")."""
    path = Path(path)
    items = list(views)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((VIEWS_FORMAT, items), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return len(items)


class _ViewUnpickler(pickle.Unpickler):
    """Unpickles the model classes and nothing else: a views file cannot name other callables."""

    ALLOWED = {(cls.__module__, cls.__qualname__): cls for cls in (DocumentFacts, Node, Edge, Evidence)}

    def find_class(self, module: str, name: str):
        cls = self.ALLOWED.get((module, name))
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a derivation views file")
        return cls


def read_views(path: Path) -> dict[str, DocumentFacts]:
    """The views written by write_views, by document name, in the order written. Raises ValueError
    for a file that is not a views file of this format (OSError if it cannot be read)."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes millions of objects: the cyclic collector ran on them over and over (3x slower)
    try:
        with Path(path).open("rb") as fh:
            data = _ViewUnpickler(fh).load()
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError) as exc:
        raise ValueError(f"not a derivation views file: {path}: {exc}") from exc
    finally:
        if collecting:
            gc.enable()
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == VIEWS_FORMAT):
        raise ValueError(f"not a derivation views file of format {VIEWS_FORMAT}: {path}")
    return {view.document: view for view in data[1]}


__all__ = ["derivation_view", "write_views", "read_views", "VIEW_PROPS", "VIEWS_FORMAT"]
