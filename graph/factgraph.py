"""The corpus-wide fact graph: per-document facts merged into one graph.

A node or edge named by several documents is one node or edge here; it records the documents
that support it (`documents`), so that a projection can drop what only a removed document said.
"""
from __future__ import annotations

import copy
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import networkx as nx

from .model import DocumentFacts, Edge, Evidence, Node


class FactGraph:
    def __init__(self, keep_documents: bool = True) -> None:
        # a build merging a whole corpus does not keep each document's facts (keep_documents=False):
        # they are on disk, and holding them all made memory grow with the corpus
        self.keep_documents = keep_documents
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.documents: dict[str, DocumentFacts] = {}
        self.node_documents: dict[str, set[str]] = defaultdict(set)
        self.edge_documents: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        # Edge.evidence list, its length, the set of its spans (_merge_evidence)
        self._evidence_seen: dict[tuple[str, str, str], tuple[list[Evidence], int, set[Evidence]]] = {}
        self._out: dict[str, list[Edge]] | None = None
        self._in: dict[str, list[Edge]] | None = None

    @classmethod
    def from_documents(cls, docs: Iterable[DocumentFacts]) -> "FactGraph":
        graph = cls()
        for doc in docs:
            graph.add(doc)
        return graph

    def add(self, doc: DocumentFacts, owned: bool = False) -> None:
        """Merge one document's facts. owned=True: nothing else holds these facts (a view decoded for
        the merge), so their first nodes and edges are taken into the graph instead of copied."""
        if self.keep_documents:
            self.documents[doc.document] = doc
        self._out = self._in = None
        name = doc.document
        nodes, node_documents = self.nodes, self.node_documents
        for node in doc.nodes:
            node_documents[node.id].add(name)
            known = nodes.get(node.id)
            if known is None:
                nodes[node.id] = node if owned else Node(node.id, node.type, node.name, copy_props(node.props))
            else:
                merge_props(known.props, node.props)
        edges, edge_documents = self.edges, self.edge_documents
        for edge in doc.edges:
            key = (edge.source, edge.type, edge.target)  # Edge.key
            edge_documents[key].add(name)
            known_edge = edges.get(key)
            if known_edge is None:
                edges[key] = edge if owned else Edge(edge.source, edge.target, edge.type, copy_props(edge.props),
                                                     list(edge.evidence))
            else:
                if edge.props:
                    merge_props(known_edge.props, edge.props)
                if edge.evidence:
                    self._merge_evidence(key, known_edge, edge.evidence)

    def _merge_evidence(self, key: tuple[str, str, str], known: Edge, evidence: list[Evidence]) -> None:
        """known.evidence += the spans of `evidence` it does not hold yet (each compared with the
        spans held before this document: a document's own repeats are kept, as they always were).
        The set of held spans is kept between documents while the list is the same object of the
        same length: rebuilding it for every document made an edge that many documents state
        (an agency's OWNS edge) quadratic in their number."""
        held = known.evidence
        cached = self._evidence_seen.get(key)
        if cached is not None and cached[0] is held and cached[1] == len(held):
            seen = cached[2]
        else:
            seen = set(held)
        new = [ev for ev in evidence if ev not in seen]
        if new:
            held.extend(new)
            seen.update(new)
        self._evidence_seen[key] = (held, len(held), seen)

    def add_derived(self, edges: Iterable[Edge]) -> None:
        """Corpus-level edges (ownership, lineage) computed from the merged facts."""
        self._out = self._in = None
        for edge in edges:
            self.edges[edge.key] = edge
            for ev in edge.evidence:
                self.edge_documents[edge.key].add(ev.document)

    # -- reading -------------------------------------------------------------------------
    def of_type(self, node_type: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == node_type]

    def _index(self) -> None:
        out: dict[str, list[Edge]] = defaultdict(list)
        into: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges.values():
            out[edge.source].append(edge)
            into[edge.target].append(edge)
        self._out, self._in = out, into

    def out_edges(self, node_id: str, edge_type: str | None = None) -> list[Edge]:
        if self._out is None:
            self._index()
        assert self._out is not None
        return [e for e in self._out.get(node_id, []) if edge_type is None or e.type == edge_type]

    def in_edges(self, node_id: str, edge_type: str | None = None) -> list[Edge]:
        if self._in is None:
            self._index()
        assert self._in is not None
        return [e for e in self._in.get(node_id, []) if edge_type is None or e.type == edge_type]

    def iter_records(self) -> Iterator[dict]:
        """Nodes then edges as JSONL export records (FORMAT.md)."""
        for node in sorted(self.nodes.values(), key=lambda n: (n.type, n.id)):
            yield node.to_dict()
        for edge in sorted(self.edges.values(), key=lambda e: e.key):
            yield edge.to_dict()

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for node in self.nodes.values():
            g.add_node(node.id, type=node.type, name=node.name)
        for edge in self.edges.values():
            g.add_edge(edge.source, edge.target, key=edge.type, type=edge.type)
        return g


_ATOMIC = frozenset({str, int, float, bool, type(None)})  # immutable: shared, never copied


def copy_props(props: dict) -> dict:
    """copy.deepcopy(props), without deepcopy's cost for the usual props: values that are strings,
    numbers, booleans, None or lists of them (the lists copied, their items shared: immutable). Any
    other value, or one list object under two keys (deepcopy keeps them one list), takes deepcopy."""
    if type(props) is not dict:
        return copy.deepcopy(props)
    out = {}
    lists: set[int] | None = None
    atomic = _ATOMIC
    for key, value in props.items():
        kind = type(value)
        if kind in atomic:
            out[key] = value
        elif kind is list and all(type(v) in atomic for v in value):
            if lists is None:
                lists = set()
            elif id(value) in lists:
                return copy.deepcopy(props)
            lists.add(id(value))
            out[key] = value.copy()
        else:
            return copy.deepcopy(props)
    return out


def merge_props(into: dict, other: dict) -> None:
    """Lists are unioned in order; a scalar keeps its first non-empty value."""
    for key, value in other.items():
        if isinstance(value, list):
            current = into.setdefault(key, [])
            if isinstance(current, list):
                current.extend(v for v in value if v not in current)
        elif into.get(key) in (None, "", []) and value not in (None, ""):
            into[key] = value


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the duration. Merging a corpus and deriving from it
    allocate millions of objects and make no cycles; the collections those allocations trigger walk
    the whole merged graph again and again (half the time of merging 10,000 documents' views, half
    of a warm lineage_edges on 13k measures)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
