"""Corpus-level edges computed from the merged facts: measure lineage (SIMILAR_TO, DERIVED_FROM,
graph/lineage.py) and agency counterparts (COUNTERPART_OF, graph/counterparts.py).

Ownership (`Agency -OWNS-> Platform`) is not derived here: each document states it (loaders/ownership.py)
and the FactGraph merges the documents' statements, with their evidence, documents and years.
"""
from __future__ import annotations

from .counterparts import counterpart_edges  # COUNTERPART_OF (graph/counterparts.py)
from .factgraph import FactGraph
from .lineage import lineage_edges  # measure lineage: SIMILAR_TO, DERIVED_FROM (graph/lineage.py)
from .similarity import LineageCache
from .model import Edge


def derive_edges(graph: FactGraph, lineage_cache: LineageCache | None = None) -> list[Edge]:
    """lineage_cache: what an earlier build computed of the measures' lineage (the edges are the
    same with or without it; see similarity.LineageCache)."""
    return lineage_edges(graph, cache=lineage_cache) + counterpart_edges(graph)
