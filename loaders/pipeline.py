"""Document in, facts out: read -> normalise -> extract."""
from __future__ import annotations

from pathlib import Path

from ..graph.labels import describe  # function, level and English names by rule
from ..graph.model import DocumentFacts
from .extract import extract  # the extraction stages
from .readers import read_document
from .text import SourceDocument


def extract_source(source: SourceDocument) -> DocumentFacts:
    return describe(extract(source))


def extract_file(path: Path, name: str | None = None) -> tuple[SourceDocument, DocumentFacts]:
    source = read_document(path, name)
    return source, extract_source(source)
