"""Document in, facts out: read -> normalise -> extract."""
from __future__ import annotations

from pathlib import Path

from ..graph.model import DocumentFacts
from .readers import read_document
from .text import SourceDocument


def extract_source(source: SourceDocument) -> DocumentFacts:
    from ..graph.labels import describe  # function, level and English names by rule
    from .extract import extract  # the extraction stages

    return describe(extract(source))


def extract_file(path: Path, name: str | None = None) -> tuple[SourceDocument, DocumentFacts]:
    source = read_document(path, name)
    return source, extract_source(source)
