"""Placeholder: replaced by the extraction stages."""
from __future__ import annotations

from ..graph.model import DocumentFacts, Node
from .text import SourceDocument


def extract(source: SourceDocument) -> DocumentFacts:
    doc = Node(f"doc:{source.name}", "Document", source.name, {"file": source.name})
    return DocumentFacts(source.name, nodes=[doc])
