"""Counterparts: `Agency -COUNTERPART_OF-> Agency` between bodies of the same function one level apart.

Rule (props.basis = "same_function_parent_jurisdiction"): a non-collective agency A with function F
in jurisdiction J, and an agency B with the same function F whose jurisdiction is the region J lies
in (滨州市 -> 山东省; a province -> 中国, the national level). The edge runs from the lower level up,
carries the shared function (props.function) and both levels, and its evidence is a span where each
agency is named (the first of its LEADS/RESPONSIBLE_FOR/ISSUED_BY/MENTIONS edges). Names are not
compared: 滨州市行政审批服务局 and 山东省大数据局 are counterparts only if their functions are the same.
Functions that say nothing about the work (other, public_institution, enterprises, leading groups)
make no counterparts.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..ontology.vocab import NodeType, Rel
from .factgraph import FactGraph
from ..reference import regions as gazetteer
from .model import Edge, Evidence, Node, is_collective

BASIS = "same_function_parent_jurisdiction"
NO_COUNTERPARTS = frozenset({"other", "public_institution", "enterprise", "state_owned_enterprise", "telecom_operator",
                             "power_grid", "financial_institution", "leading_group", "party_organ"})
NATIONAL = "中国"


@lru_cache(maxsize=4096)
def parent_jurisdiction(name: str) -> str | None:
    """The region a jurisdiction lies in (滨州市 -> 山东省), 中国 for a province, None for 中国 or unknown."""
    if name == NATIONAL:
        return None
    regions = gazetteer
    region = regions.lookup(name)
    if region is None:
        return None
    if region.level == "province" or not region.parent:
        return NATIONAL
    parent = regions.lookup(region.parent)
    return parent.name if parent is not None else None


def _named_at(graph: FactGraph, agency: str) -> list[Evidence]:
    for edge in sorted(graph.out_edges(agency) + graph.in_edges(agency), key=lambda e: e.key):
        if edge.evidence and not edge.props.get("derived"):
            return [edge.evidence[0]]
    return []


def counterpart_edges(graph: FactGraph) -> list[Edge]:
    by_place: dict[tuple[str, str], list[Node]] = defaultdict(list)
    agencies = [n for n in graph.nodes.values() if n.type == NodeType.Agency and not is_collective(n)]
    for agency in agencies:
        function, jurisdiction = agency.props.get("function"), agency.props.get("jurisdiction")
        if function and jurisdiction and function not in NO_COUNTERPARTS:
            by_place[(str(function), str(jurisdiction))].append(agency)
    edges = []
    for (function, jurisdiction), lower in sorted(by_place.items()):
        parent = parent_jurisdiction(jurisdiction)
        if parent is None:
            continue
        for child in lower:
            for upper in by_place.get((function, parent), []):
                props = {"basis": BASIS, "function": function, "derived": True,
                         "levels": [str(child.props.get("level")), str(upper.props.get("level"))]}
                edges.append(Edge(child.id, upper.id, Rel.COUNTERPART_OF, props,
                                  _named_at(graph, child.id) + _named_at(graph, upper.id)))
    return sorted(edges, key=lambda e: e.key)
