"""Text with an offset map back to the original document.

Every stage that changes text (HTML stripping, noise removal, traditional-to-simplified) returns a
new `MappedText` whose `origin[i]` is the position in the ORIGINAL string of `text[i]`. A span of
the working text is turned back into an evidence span of the original with `to_original`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from disk: `original` is what evidence offsets index."""

    name: str
    original: str
    view: "MappedText"  # the readable text (for HTML: the main text), mapped into `original`
    format: str = "txt"
    encoding: str = "utf-8"


class MappedText:
    __slots__ = ("text", "origin", "original_length")

    def __init__(self, text: str, origin: list[int], original_length: int):
        if len(origin) != len(text):
            raise ValueError("origin must map every character")
        self.text = text
        self.origin = origin
        self.original_length = original_length

    @classmethod
    def identity(cls, original: str) -> "MappedText":
        return cls(original, list(range(len(original))), len(original))

    def __len__(self) -> int:
        return len(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of this text to the covering span of the original."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def delete(self, spans: Iterable[tuple[int, int]]) -> "MappedText":
        """Drop the given [start, end) spans (they may overlap)."""
        keep = bytearray(b"\x01") * len(self.text)
        any_span = False
        for start, end in spans:
            if end > start:
                keep[start:end] = b"\x00" * (end - start)
                any_span = True
        if not any_span:
            return self
        chars = [c for c, k in zip(self.text, keep) if k]
        origin = [o for o, k in zip(self.origin, keep) if k]
        return MappedText("".join(chars), origin, self.original_length)

    def delete_matches(self, pattern: re.Pattern[str]) -> "MappedText":
        return self.delete(m.span() for m in pattern.finditer(self.text))

    def convert(self, func: Callable[[str], str]) -> "MappedText":
        """Apply a length-preserving conversion; lines whose length changes are converted char by char."""
        converted = func(self.text)
        if len(converted) == len(self.text):
            return MappedText(converted, self.origin, self.original_length)
        parts = []
        for line in self.text.splitlines(keepends=True):
            out = func(line)
            if len(out) != len(line):
                out = "".join(c2 if len(c2 := func(c)) == 1 else c for c in line)
            parts.append(out)
        return MappedText("".join(parts), self.origin, self.original_length)

    def replace_chars(self, table: dict[int, str]) -> "MappedText":
        """One-to-one character replacements (str.translate with single-character values)."""
        return MappedText(self.text.translate(table), self.origin, self.original_length)
