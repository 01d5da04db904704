"""Driver values of a Cypher result as JSON, and the graph (nodes and edges) they contain
(`_Collector`; the value shapes are described in api/cypher.py)."""
from __future__ import annotations

import base64
import math
from typing import Any


def _node_key(node) -> str:
    props = dict(node.items()) if hasattr(node, "items") else {}
    value = props.get("id")
    return value if isinstance(value, str) and value else node.element_id


MAX_END_FETCH = 2000
END_NODES = "MATCH (n) WHERE elementId(n) IN $ids RETURN n"


class _Collector:
    """Turns driver values into JSON and collects the graph (nodes and edges) they contain."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}   # element_id -> node json
        self.edges: dict[str, dict] = {}
        self._edge_ends: dict[str, tuple[Any, Any]] = {}

    def node(self, node) -> dict:
        known = self.nodes.get(node.element_id)
        if known is not None:
            return known
        out = {"id": _node_key(node), "element_id": node.element_id, "labels": sorted(node.labels),
               "properties": {k: self.value(v) for k, v in node.items()}}
        self.nodes[node.element_id] = out
        return out

    def edge(self, rel) -> dict:
        known = self.edges.get(rel.element_id)
        if known is not None:
            return known
        out = {"id": rel.element_id, "type": rel.type, "source": None, "target": None,
               "properties": {k: self.value(v) for k, v in rel.items()}}
        self.edges[rel.element_id] = out
        self._edge_ends[rel.element_id] = (rel.start_node, rel.end_node)
        return out

    def value(self, value: Any) -> Any:
        from neo4j.graph import Node, Path, Relationship

        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if isinstance(value, Node):
            return self.node(value)
        if isinstance(value, Relationship):
            return self.edge(value)
        if isinstance(value, Path):
            return {"nodes": [self.node(n) for n in value.nodes],
                    "edges": [self.edge(r) for r in value.relationships]}
        if isinstance(value, dict):
            return {str(k): self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if hasattr(value, "iso_format"):
            return value.iso_format()
        if hasattr(value, "srid"):  # spatial point
            return {"srid": value.srid, "coordinates": list(value)}
        return str(value)

    def missing_ends(self) -> list[str]:
        wanted = {node.element_id for ends in self._edge_ends.values() for node in ends if node is not None}
        return sorted(wanted - set(self.nodes))

    def finish(self) -> dict:
        """Resolve edge ends to node ids, adding end nodes the rows did not return."""
        for element_id, edge in self.edges.items():
            start, end = self._edge_ends[element_id]
            edge["source"] = self._end(start)
            edge["target"] = self._end(end)
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values())}

    def _end(self, node) -> str:
        if node is None:
            return ""
        known = self.nodes.get(node.element_id)
        if known is None:
            known = self.node(node)  # props only if the driver saw the node; else element id only
        return known["id"]
