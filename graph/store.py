"""The fact store on disk: one directory per build, switched to atomically.

    DATA_DIR/
      current                      name of the complete build in use
      builds/<build id>/
        manifest.json              documents read, failures with reasons, counts
        facts/<document>.json      DocumentFacts, one file per document
        documents/<document>.txt   the original text that evidence offsets index
        derived.jsonl              corpus-level edges (lineage, counterparts), one JSON object a line
        views.pickle               what the derivation reads of each document (graph/derivation_view.py)
        lineage-cache.npz          the lineage's signatures and verified pairs (graph/similarity.py LineageCache)

A build is written under builds/.<id>.partial and renamed when complete; `current` is replaced
with os.replace, so a reader never sees a half-written build.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import quote

import orjson

from .factgraph import FactGraph
from .model import DocumentFacts, Edge, edge_from_dict

MANIFEST = "manifest.json"
FACTS_DIR, DOCUMENTS_DIR, DERIVED_FILE = "facts", "documents", "derived.jsonl"
VIEWS_FILE, LINEAGE_CACHE_FILE = "views.pickle", "lineage-cache.npz"
BUILDS_DIR, CURRENT = "builds", "current"


# -- the layout: every path inside a data folder or a build is named here and nowhere else -----------

def current_pointer(data_dir: Path) -> Path:
    """The file naming the build in use."""
    return Path(data_dir) / CURRENT


def build_dir(data_dir: Path, build_id: str) -> Path:
    return Path(data_dir) / BUILDS_DIR / build_id


def facts_file(build_path: Path, document: str) -> Path:
    return Path(build_path) / FACTS_DIR / f"{file_key(document)}.json"


def document_file(build_path: Path, document: str) -> Path:
    return Path(build_path) / DOCUMENTS_DIR / f"{file_key(document)}.txt"


def derived_file(build_path: Path) -> Path:
    return Path(build_path) / DERIVED_FILE


def views_file(build_path: Path) -> Path:
    """The derivation views of the build's documents (graph/derivation_view.py)."""
    return Path(build_path) / VIEWS_FILE


def lineage_cache_file(build_path: Path) -> Path:
    """What the build's lineage computed, for the next build (graph/similarity.py LineageCache)."""
    return Path(build_path) / LINEAGE_CACHE_FILE


def projection_dir(build_path: Path, name: str) -> Path:
    """Where a projection keeps its store inside a build (the RDF store: rdf/)."""
    return Path(build_path) / name


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file written to a temporary file beside `path` and renamed over it when the block
    ends: a reader sees the old file or the whole new one, and a failure leaves no temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def edge_line(edge: Edge) -> bytes:
    """A derived edge as its line of derived.jsonl (UTF-8 JSON): the same edge gives the same line,
    so that an incremental build finds what changed by comparing lines. orjson, because a corpus of
    10,000 seed-sized documents has 611k derived edges of about 1 KB (2.6 s where json.dumps took 4.7 s)."""
    return orjson.dumps(edge.to_dict())


def edge_of_line(line: bytes | str) -> Edge:
    return edge_from_dict(orjson.loads(line))


def derived_lines(build_path: Path) -> Iterator[bytes]:
    """The lines of a build's derived.jsonl, one at a time (none where it has no derived edges)."""
    path = derived_file(build_path)
    if not path.is_file():
        return
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                yield line.rstrip(b"\n")


def derived_edges(build_path: Path) -> Iterator[Edge]:
    """A build's derived edges as stored, one at a time."""
    return (edge_of_line(line) for line in derived_lines(build_path))


def _line_digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


def _line_index(build_path: Path) -> dict[bytes, tuple[int, int]]:
    """The digest of each line of a build's derived.jsonl -> (its offset, its length), in file order."""
    index: dict[bytes, tuple[int, int]] = {}
    path = derived_file(build_path)
    if not path.is_file():
        return index
    offset = 0
    with path.open("rb") as fh:
        for raw in fh:
            line = raw.rstrip(b"\n")
            if line.strip():
                index[_line_digest(line)] = (offset, len(line))
            offset += len(raw)
    return index


@dataclass
class DerivedChange:
    """What an incremental build changes in the derived edges, as stored (parsed back from their
    lines): the edges whose line is new, and the previous build's edges whose line is gone."""
    came: list[Edge]
    went: list[Edge]


def facts_text(facts: DocumentFacts) -> str:
    """The text of a document's facts file."""
    return json.dumps(facts.to_dict(), ensure_ascii=False)


class NoBuildError(FileNotFoundError):
    pass


def file_key(document: str) -> str:
    """A flat, safe file name for a document name that may contain folders."""
    return quote(document, safe="")


@dataclass
class DocumentStatus:
    document: str
    status: str  # "ok" | "failed"
    reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    format: str | None = None
    encoding: str | None = None
    sha256: str | None = None  # of the file's bytes: an incremental build reuses what it made of them
    text_key: str | None = None  # of its normalised text (govkg/duplicates.py): a copy saved twice is kept once


class Build:
    """A complete build directory, read-only."""

    def __init__(self, path: Path):
        self.path = path
        self._manifest: dict[str, Any] | None = None
        self._graph: FactGraph | None = None

    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            self._manifest = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        return self._manifest

    def statuses(self) -> dict[str, DocumentStatus]:
        """Every document the build read (failed ones too), by name."""
        fields = DocumentStatus.__dataclass_fields__
        return {d["document"]: DocumentStatus(**{k: v for k, v in d.items() if k in fields})
                for d in self.manifest["documents"]}

    def document_names(self) -> list[str]:
        return [d["document"] for d in self.manifest["documents"] if d["status"] == "ok"]

    def facts(self, document: str) -> DocumentFacts:
        path = facts_file(self.path, document)
        return DocumentFacts.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def original_text(self, document: str) -> str | None:
        if document not in set(self.document_names()):
            return None
        path = document_file(self.path, document)
        if not path.is_file():
            return None
        with path.open(encoding="utf-8", newline="") as fh:  # keep \r\n: evidence offsets count it
            return fh.read()

    def graph(self) -> FactGraph:
        if self._graph is None:
            graph = FactGraph.from_documents(self.facts(d) for d in self.document_names())
            graph.add_derived(derived_edges(self.path))
            self._graph = graph
        return self._graph


def current_build(data_dir: Path) -> Build:
    pointer = current_pointer(data_dir)
    if not pointer.is_file():
        raise NoBuildError(f"no build in {data_dir}: run `govkg build CORPUS_DIR --out {data_dir}` first")
    path = build_dir(data_dir, pointer.read_text(encoding="utf-8").strip())
    if not (path / MANIFEST).is_file():
        raise NoBuildError(f"the current build of {data_dir} is missing: rebuild it")
    return Build(path)


class BuildWriter:
    """Writes a new build next to the current one and switches to it on `commit`."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        self.path = build_dir(data_dir, f".{self.build_id}.partial")
        (self.path / FACTS_DIR).mkdir(parents=True)
        (self.path / DOCUMENTS_DIR).mkdir()
        self.statuses: list[DocumentStatus] = []

    def add(self, facts: DocumentFacts, original: str, status: DocumentStatus) -> str:
        """Store one document; returns the JSON text of its facts file."""
        text = facts_text(facts)
        self.add_text(facts.document, original, text, status)
        return text

    def add_text(self, document: str, original: str, facts_json: str, status: DocumentStatus) -> None:
        """Store one document whose facts are already serialised (facts_text)."""
        with document_file(self.path, document).open("w", encoding="utf-8", newline="") as fh:
            fh.write(original)
        facts_file(self.path, document).write_text(facts_json, encoding="utf-8")
        self.statuses.append(status)

    def reuse(self, previous: Build, status: DocumentStatus) -> None:
        """Take a document over from the previous build unchanged: its files are hard-linked (they
        are never written in place), or copied where links are not possible."""
        if status.status == "ok":
            for where in (facts_file, document_file):
                src, dst = where(previous.path, status.document), where(self.path, status.document)
                try:
                    os.link(src, dst)
                except OSError:
                    shutil.copy2(src, dst)
        self.statuses.append(status)

    def facts(self, document: str) -> DocumentFacts:
        """A document's facts as this build stores them."""
        path = facts_file(self.path, document)
        return DocumentFacts.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def fail(self, status: DocumentStatus) -> None:
        self.statuses.append(status)

    def write_derived(self, edges: Iterable[Edge], previous: Build | None = None) -> DerivedChange | None:
        """Store the corpus-level edges, one line each (edge_line). Given the build this one starts
        from, also what changed since: lines are compared by a 128-bit digest, so that neither
        build's lines (1 KB an edge) are all held at once."""
        then = _line_index(previous.path) if previous is not None else {}
        now: set[bytes] = set()
        came: list[Edge] = []
        batch: list[bytes] = []
        with derived_file(self.path).open("wb") as fh:
            for edge in edges:
                line = edge_line(edge)
                batch.append(line)
                if previous is not None:
                    digest = _line_digest(line)
                    now.add(digest)
                    if digest not in then:
                        came.append(edge_of_line(line))
                if len(batch) == 1024:
                    fh.write(b"\n".join(batch) + b"\n")
                    batch = []
            if batch:
                fh.write(b"\n".join(batch) + b"\n")
        if previous is None:
            return None
        with derived_file(previous.path).open("rb") as fh:
            went = []
            for digest, (offset, length) in then.items():
                if digest not in now:
                    fh.seek(offset)
                    went.append(edge_of_line(fh.read(length)))
        return DerivedChange(came, went)

    def commit(self, extra: dict[str, Any] | None = None) -> Build:
        manifest = {
            "build": self.build_id,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "documents": [s.__dict__ for s in sorted(self.statuses, key=lambda s: s.document)],
            **(extra or {}),
        }
        (self.path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        final = build_dir(self.data_dir, self.build_id)
        os.replace(self.path, final)
        tmp_pointer = self.data_dir / f".current.{self.build_id}"
        tmp_pointer.write_text(self.build_id, encoding="utf-8")
        os.replace(tmp_pointer, current_pointer(self.data_dir))
        self._prune(keep=final.name)
        return Build(final)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def _prune(self, keep: str, keep_last: int = 2) -> None:
        """Remove partial builds left by killed runs and all but the newest complete builds."""
        builds = self.data_dir / BUILDS_DIR
        complete = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
        for old in complete[:-keep_last]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
        for partial in builds.glob(".*.partial"):
            if partial != self.path:
                shutil.rmtree(partial, ignore_errors=True)
