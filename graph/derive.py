"""Corpus-level edges computed from the merged facts (ownership; later: lineage)."""
from __future__ import annotations

from .factgraph import FactGraph
from .model import Edge


def derive_edges(graph: FactGraph) -> list[Edge]:
    return []
