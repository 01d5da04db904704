"""Corpus-level edges computed from the merged facts: measure lineage (SIMILAR_TO, DERIVED_FROM,
graph/lineage.py) and agency counterparts (COUNTERPART_OF, graph/counterparts.py).

Ownership (`Agency -OWNS-> Platform`) is not derived here: each document states it (loaders/ownership.py)
and the FactGraph merges the documents' statements, with their evidence, documents and years.
"""
from __future__ import annotations

from .factgraph import FactGraph
from .model import Edge, Node


def derive_edges(graph: FactGraph) -> list[Edge]:
    from .counterparts import counterpart_edges  # COUNTERPART_OF (graph/counterparts.py)
    from .lineage import lineage_edges  # measure lineage: SIMILAR_TO, DERIVED_FROM (graph/lineage.py)
    return lineage_edges(graph) + counterpart_edges(graph)


def is_collective(node: Node) -> bool:
    value = node.props.get("collective")
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1", "yes"))
