"""What the web layer serves from: the current build of a data folder, followed as it changes."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph.store import Build, current_build, current_pointer


@dataclass
class ServerSettings:
    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 10_000
    cypher_timeout_s: float = 10.0
    cypher_max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    max_query_string_bytes: int = 12_288  # under uvicorn's 16 KiB request-head limit, so the client gets a 414
    cors_origins: list[str] = field(default_factory=list)
    # serialized answers of /api/search and /api/graph/neighborhood kept per build (AnswerCache)
    answer_cache_entries: int = 20_000
    answer_cache_bytes: int = 64 * 1024 * 1024
    base_iri: str | None = None  # the RDF projection's IRI base (None: graph/rdf_terms.DEFAULT_BASE)


class AnswerCache:
    """JSON answers (bytes) of one build keyed by their normalised request, least recently used
    out first, bounded by entries and by bytes (an answer over an eighth of the bytes is not kept).
    A build never changes, so an answer stays right as long as its build is the current one:
    AppState.answers hands out the current build's cache only, and a new build starts empty."""

    def __init__(self, build_id: str, max_entries: int, max_bytes: int):
        self.build_id = build_id
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if self.max_entries <= 0 or len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= len(old)
            self._items[key] = body
            self.bytes += len(body)
            while self._items and (len(self._items) > self.max_entries or self.bytes > self.max_bytes):
                _, dropped = self._items.popitem(last=False)
                self.bytes -= len(dropped)


class AppState:
    """Holds the current Build; reopens it when `govkg build` switches the data folder's pointer.

    Projections that keep a store per build (RDF, Neo4j) cache it in `per_build`, which is
    cleared whenever the build changes.
    """

    def __init__(self, data_dir: Path, settings: ServerSettings | None = None):
        self.data_dir = data_dir
        self.settings = settings or ServerSettings()
        self._lock = threading.Lock()
        self._build: Build | None = None
        self._pointer: str | None = None
        self.per_build: dict[str, Any] = {}
        self._pointer_path = os.fspath(current_pointer(data_dir))

    def build(self) -> Build:
        pointer = self._read_pointer()
        with self._lock:
            if self._build is None or pointer != self._pointer:
                self._build = current_build(self.data_dir)
                self._pointer = pointer
                self.per_build = {}
            return self._build

    def _read_pointer(self) -> str | None:
        """The data folder's `current` file, read on every request (so a new build is served at
        once) with plain os calls: pathlib's is_file + read_text cost ~8% of a cached answer."""
        try:
            fd = os.open(self._pointer_path, os.O_RDONLY)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            chunks = []
            while chunk := os.read(fd, 4096):
                chunks.append(chunk)
        except IsADirectoryError:
            return None
        finally:
            os.close(fd)
        return b"".join(chunks).decode("utf-8").strip()

    def answers(self, build: Build) -> AnswerCache | None:
        """The answer cache of `build` while it is the current build; None once another build
        has taken its place (an answer computed from the old one is then not kept)."""
        with self._lock:
            if build is not self._build:
                return None
            cache = self.per_build.get("rest.answers")
            if cache is None:
                cache = self.per_build["rest.answers"] = AnswerCache(
                    build.path.name, self.settings.answer_cache_entries, self.settings.answer_cache_bytes)
            return cache
