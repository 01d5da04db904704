"""The typed fact records every later stage projects: nodes, edges and their evidence.

A `DocumentFacts` holds everything drawn from one document. Shared nodes (an agency named by
two plans) appear in both documents' facts with the same id; `FactGraph` merges them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A span of the ORIGINAL document text: original[start:end] == text."""

    document: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:  # field by field: dataclasses.asdict deep-copies, and this runs per span
        return {"document": self.document, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Node:
    id: str
    type: str  # an ontology class local name: Document, Plan, Section, Measure, Agency, ...
    name: str
    props: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "node", "id": self.id, "type": self.type, "name": self.name, "props": self.props}


@dataclass
class Edge:
    source: str
    target: str
    type: str  # an ontology relation name: LEADS, RESPONSIBLE_FOR, MENTIONS, ...
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type, self.target)

    def to_dict(self) -> dict[str, Any]:
        props = dict(self.props)
        props["evidence"] = [e.to_dict() for e in self.evidence]
        return {"kind": "edge", "source": self.source, "target": self.target, "type": self.type, "props": props}


@dataclass
class DocumentFacts:
    """Everything extracted from one document, or the reason it could not be read."""

    document: str  # file name, relative to the corpus folder
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "error": self.error,
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentFacts":
        return cls(
            document=data["document"],
            error=data.get("error"),
            nodes=[node_from_dict(n) for n in data.get("nodes", [])],
            edges=[edge_from_dict(e) for e in data.get("edges", [])],
        )

    def count(self, node_type: str) -> int:
        return sum(1 for n in self.nodes if n.type == node_type)


def node_from_dict(data: dict[str, Any]) -> Node:
    return Node(id=data["id"], type=data["type"], name=data.get("name", ""), props=dict(data.get("props") or {}))


def edge_from_dict(data: dict[str, Any]) -> Edge:
    props = dict(data.get("props") or {})
    evidence = [Evidence(**ev) for ev in props.pop("evidence", []) or []]
    return Edge(source=data["source"], target=data["target"], type=data["type"], props=props, evidence=evidence)


def is_collective(node: Node) -> bool:
    value = node.props.get("collective")
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1", "yes"))
