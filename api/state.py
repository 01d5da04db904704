"""What the web layer serves from: the current build of a data folder, followed as it changes."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph.store import Build, current_build


@dataclass
class ServerSettings:
    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 10_000
    cypher_timeout_s: float = 10.0
    cypher_max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    max_query_string_bytes: int = 12_288  # under uvicorn's 16 KiB request-head limit, so the client gets a 414
    cors_origins: list[str] = field(default_factory=list)


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

    def build(self) -> Build:
        pointer_file = self.data_dir / "current"
        pointer = pointer_file.read_text(encoding="utf-8").strip() if pointer_file.is_file() else None
        with self._lock:
            if self._build is None or pointer != self._pointer:
                self._build = current_build(self.data_dir)
                self._pointer = pointer
                self.per_build = {}
            return self._build
