"""Read a file of any supported format into a SourceDocument (original text + readable view)."""
from __future__ import annotations

from pathlib import Path

from .text import MappedText, SourceDocument


class ReadError(Exception):
    """A file that cannot be read; the message is the one-line reason shown in the build summary."""


def read_document(path: Path, name: str | None = None) -> SourceDocument:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    try:
        original = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"cannot decode: {exc}") from exc
    return SourceDocument(name or path.name, original, MappedText.identity(original))
