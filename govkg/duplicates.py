"""Documents that are one text saved more than once (the same notice as .txt, .docx and .pdf): the
build keeps the first file of each text and reports the others as duplicates of it.

Texts are compared after normalisation (NFKC, lower case, letters, digits and Chinese characters
only), so line breaks, spacing, full- and half-width forms and punctuation that the formats'
readers render differently do not make two copies look different.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

DUPLICATE = "duplicate"  # DocumentStatus.status of a file whose text another file already gave


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def text_key(text: str) -> str | None:
    """The digest of the normalised text; None when nothing is left (empty files are not copies)."""
    kept = _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())
    return hashlib.sha256(kept.encode("utf-8")).hexdigest() if kept else None


class DuplicateTexts:
    """Remembers the texts seen so far in a build, by normalised text."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def first_with(self, document: str, text: str) -> str | None:
        """The document that already had this text, or None (and `document` is now its first)."""
        return self.first_with_key(document, text_key(text))

    def first_with_key(self, document: str, key: str | None) -> str | None:
        """first_with, given the text's text_key."""
        if key is None:
            return None
        first = self._first.setdefault(key, document)
        return None if first == document else first


def reason(first: str) -> str:
    return f"same text as {first} (kept once)"
