"""The Oxigraph store of a build on disk: written (StoreWriter), versioned, opened once per process.

The store's DEFAULT graph holds the RDF merge (set union) of all named graphs, materialised when
the store is written: queries without GRAPH see every triple once, however many documents state it.
(Oxigraph's `use_default_graph_as_union` is a bag: a triple stated by n documents matches n times,
and a join over k such patterns multiplies into n^k duplicate rows; on a few hundred documents that
turns a millisecond query into minutes. So it is not used.) GRAPH ?g still sees each document.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from .factgraph import FactGraph
from .model import DocumentFacts, Edge
from .nquads import (LOAD_CHUNK_LINES, DocumentQuads, _Emitter, build_documents, ontology_quads,
                     union_lines, with_union_default)
from .rdf_terms import DEFAULT_BASE, G_EVIDENCE, base_iri, check_base_iri, derived_graph_iri, document_graph_iri
from .store import derived_edges, facts_file, projection_dir

STORE_DIR = "rdf"
STORE_LAYOUT = 4  # bump when the quads written for the same facts change; stale stores are rebuilt
STORE_META = "govkg-store.json"  # inside the store folder (RocksDB ignores unknown files)


def store_path(build_path: Path, base: str | None = None) -> Path:
    root = base_iri(base)
    name = STORE_DIR if root == DEFAULT_BASE else f"{STORE_DIR}-{hashlib.sha1(root.encode()).hexdigest()[:8]}"
    return projection_dir(build_path, name)


def store_layout(path: Path) -> int | None:
    """The layout version of the store at `path` (None: no store, or one written before versioning)."""
    try:
        return int(json.loads((Path(path) / STORE_META).read_text(encoding="utf-8"))["layout"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class StoreWriter:
    """Writes the Oxigraph store of a build, one document at a time, then the derived graph.

        writer = StoreWriter(build_path)
        writer.add(facts)            # each document's facts, as stored in build_path/facts/
        writer.add_nquads(data, n)   # or its graph as N-Quads made elsewhere (nquads.DocumentQuads)
        writer.commit(derived)       # the derived graph and the vocabularies; the store is renamed
                                     # into place (writer.abort() instead drops it)

    The quads go in as N-Quads text (each triple of a graph once in that graph and once in the
    default graph, which the store keeps once), through `Store.bulk_load` in pieces of about
    `chunk` lines, in a thread of its own: bulk_load releases the GIL, so writing the store
    overlaps with extraction and with making the next piece. Pieces of 100,000 lines: Oxigraph's
    bulk loader holds a whole call's quads in memory (about 1 KB per quad here: 1.1 GB for 1.4M
    quads in one call), and smaller calls cost more CPU per quad (300 seed-sized documents, 1.47M
    quads: 12.3 s at 50,000 lines a call, 9.6 s at 250,000, 8.8 s at 500,000; the build's peak RSS
    585 MB at 50,000, 957 MB at 200,000). The store is written next to its final place and
    renamed into it; a store of an older layout there is moved aside and replaced.
    """

    def __init__(self, build_path: Path, base: str | None = None, chunk: int = LOAD_CHUNK_LINES,
                 start_from: Path | None = None):
        check_base_iri(base)  # the N-Quads are loaded leniently: IRIs not re-validated (10% of the time)
        self.base = base
        self.path = store_path(build_path, base)
        self.chunk = chunk
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        # an incremental build starts from a copy of the previous build's store (a RocksDB backup:
        # hard links to its immutable files), taken through a read-only handle so that a server
        # reading the previous build is not disturbed
        self.incremental = start_from is not None
        if start_from is not None:
            ox.Store.read_only(str(start_from)).backup(str(self.tmp))
        self._store: ox.Store | None = ox.Store(str(self.tmp))
        self._emitter = _Emitter(base, strict=False)
        self._document_quads = DocumentQuads(base)
        self._pieces: list[bytes] = []
        self._piece_lines = 0
        self._pending: queue.Queue[bytes | None] = queue.Queue(maxsize=2)  # ~20 MB a piece
        self._failed: list[BaseException] = []
        self._loader: threading.Thread | None = threading.Thread(target=self._load, name="govkg-rdf-load", daemon=True)
        self._loader.start()

    def _load(self) -> None:
        store = self._store
        assert store is not None  # the loader thread starts with the store and ends before it is closed
        try:
            while (data := self._pending.get()) is not None:
                store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=True)
        except BaseException as exc:  # raised in the producing thread
            self._failed.append(exc)
            while self._pending.get() is not None:  # never leave the producer blocked
                pass

    def add_nquads(self, data: bytes, lines: int) -> None:
        """N-Quads text of whole graphs (union_lines), loaded in pieces of about `chunk` lines."""
        self._pieces.append(data)
        self._piece_lines += lines
        if self._piece_lines >= self.chunk:
            self._send()

    def _send(self) -> None:
        if self._failed:
            raise self._failed[0]
        if self._pieces:
            data = b"".join(self._pieces)
            self._pieces, self._piece_lines = [], 0
            self._pending.put(data)

    def _stop(self) -> None:
        if self._loader is not None:
            self._pending.put(None)
            self._loader.join()
            self._loader = None

    def remove_documents(self, names: Iterable[str]) -> None:
        """Drop these documents' graphs from a store started from a previous one, and each of their
        triples from the default graph unless another named graph still states it. Call it before
        any `add`: the adds are loaded in another thread."""
        assert self._store is not None and not self._pieces
        for name in names:
            graph = ox.NamedNode(document_graph_iri(name, self.base))
            triples = [q.triple for q in self._store.quads_for_pattern(None, None, None, graph)]
            self._store.remove_graph(graph)
            self._drop_from_default(triples)

    def _drop_from_default(self, triples: Iterable[ox.Triple]) -> None:
        store = self._store
        assert store is not None
        default = ox.DefaultGraph()
        for t in triples:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                       for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                store.remove(ox.Quad(t.subject, t.predicate, t.object, default))

    def _update_derived(self, derived: Iterable[Edge], previous: Iterable[Edge]) -> None:
        """Bring the derived graph of a store started from a previous one from the previous edges to
        these: the triples of the edges that went or changed out, those of the new or changed ones in
        (evidence spans other derived edges still cite stay)."""
        store = self._store
        assert store is not None

        old, new = {e.key: e for e in previous}, {e.key: e for e in derived}
        # edges as stored on both sides (derived.jsonl), so equal values have equal types
        changed = [k for k, e in old.items() if new.get(k) != e]
        gone = self._emitter.edges_triples(old[k] for k in changed)
        came = self._emitter.edges_triples(e for k, e in new.items() if old.get(k) != e)
        graph = derived_graph_iri(self.base)
        spans = f"<{self._emitter.base}evidence/"
        out = [t for t in gone - came if not t.startswith(spans)]
        held = [t for t in gone - came if t.startswith(spans)]
        tail = f" <{graph}> .\n"
        removed = [q.triple for q in ox.parse("".join(t + tail for t in out), ox.RdfFormat.N_QUADS)]
        for t in removed:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)))
        added = came - gone
        if added:
            store.load(union_lines(graph, added).encode("utf-8"), ox.RdfFormat.N_QUADS, lenient=True)
        g, cites = ox.NamedNode(graph), G_EVIDENCE
        for q in ox.parse("".join(t + tail for t in held), ox.RdfFormat.N_QUADS):
            if next(iter(store.quads_for_pattern(None, cites, q.subject, g)), None) is None:
                store.remove(q)
                removed.append(q.triple)
        self._drop_from_default(removed)

    def add(self, facts: DocumentFacts) -> None:
        """One document's graph (nothing for a failed document)."""
        if facts.error is None:
            self.add_nquads(*self._document_quads(facts))

    def commit(self, derived: Iterable[Edge], previous_derived: Iterable[Edge] | None = None) -> Path:
        """Write the derived graph and put the store in place. A store started from a previous one
        is given what changed: `derived` the new and changed edges, `previous_derived` the edges of
        the store that went or changed (all of them, or only these: the difference is the same;
        its vocabularies are the previous store's)."""
        try:
            if not self.incremental:
                for graph, triples in self._emitter.derived_triples(derived, self.chunk):
                    self.add_nquads(union_lines(graph, triples).encode("utf-8"), 2 * len(triples))
            self._send()
            self._stop()
            if self._failed:
                raise self._failed[0]
            store = self._store
            assert store is not None
            if self.incremental:
                self._update_derived(derived, previous_derived or [])
                hook("rdf-derived")
                store.flush()
            else:
                store.extend(list(with_union_default(ontology_quads(self.base))))
                store.flush()
                store.optimize()
            self._store = store = None  # closes it
        except BaseException:
            self.abort()
            raise
        path, tmp = self.path, self.tmp
        (tmp / STORE_META).write_text(json.dumps({"layout": STORE_LAYOUT, "base": base_iri(self.base)}), encoding="utf-8")
        if path.is_dir() and store_layout(path) != STORE_LAYOUT:
            old = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.old")
            try:
                os.rename(path, old)
            except OSError:
                pass
            else:
                shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, path)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process created it first
            if not path.is_dir():
                raise
        return path

    def abort(self) -> None:
        self._pieces = []
        self._stop()
        self._store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def hook(point: str) -> None:
    """A test hook: with GOVKG_BUILD_STOP_AT=<point>, a build announces that it reached `point`
    (GOVKG_BUILD_STOP_FILE) and waits there, so that a test can kill it in the middle of an update."""
    if os.environ.get("GOVKG_BUILD_STOP_AT") == point:

        marker = os.environ.get("GOVKG_BUILD_STOP_FILE")
        if marker:
            Path(marker).write_text(point, encoding="utf-8")
        time.sleep(float(os.environ.get("GOVKG_BUILD_STOP_S", "120")))


def _write_store(build_path: Path, documents: Iterable[DocumentFacts], derived: Iterable[Edge],
                 base: str | None = None) -> Path:
    writer = StoreWriter(build_path, base)
    try:
        for facts in documents:
            writer.add(facts)
    except BaseException:
        writer.abort()
        raise
    return writer.commit(derived)


def store_documents(build_path: Path, names: Iterable[str]) -> Iterator[DocumentFacts]:
    """The facts of these documents as written to build_path/facts/."""
    for name in names:
        yield DocumentFacts.from_dict(json.loads(facts_file(build_path, name).read_text(encoding="utf-8")))


def _current(path: Path) -> bool:
    return path.is_dir() and store_layout(path) == STORE_LAYOUT


def project_rdf(build_path: Path, graph: FactGraph, base: str | None = None) -> Path:
    """Write the Oxigraph store of a build being written from its files (build_corpus instead
    streams each document into a StoreWriter as it is stored).

    Projects the documents of `graph` as written to build_path/facts/ and the derived edges of
    build_path/derived.jsonl: exactly what a later `rdf_store(Build(build_path))` would read. (The
    facts are re-read from disk on purpose: FactGraph.add shares list props such as aliases
    between a document's nodes and the merged node, so the in-memory DocumentFacts can have
    gained aliases of other documents.)
    """
    path = store_path(build_path, base)
    if not _current(path):
        _write_store(build_path, store_documents(build_path, sorted(graph.documents)), derived_edges(build_path), base)
    return path


_open_stores: dict[str, ox.Store] = {}
_open_lock = threading.Lock()


def rdf_store(build, base: str | None = None) -> ox.Store:
    """The build's Oxigraph store, created from its facts on first use, opened read-only.

    One instance per store folder and process is kept open. Its default graph is the merge of all
    named graphs, so plain `store.query(q)` sees everything once (see the module docstring).
    """
    path = store_path(build.path, base)
    key = str(path.resolve())
    with _open_lock:
        store = _open_stores.get(key)
        if store is not None and path.is_dir():
            return store
        for gone in [k for k in _open_stores if not Path(k).is_dir()]:  # builds pruned since: let go
            del _open_stores[gone]
        if not _current(path):
            _write_store(build.path, build_documents(build), derived_edges(build.path), base)
        try:
            store = ox.Store.read_only(str(path))
        except OSError:
            store = ox.Store(str(path))
        _open_stores[key] = store
        return store


def forget_store(build, base: str | None = None) -> None:
    """Drop this process's open handle on a build's store (e.g. before deleting the build)."""
    with _open_lock:
        _open_stores.pop(str(store_path(build.path, base).resolve()), None)



def triple_count(store: ox.Store) -> int:
    """Number of quads in the named graphs (a triple in two graphs counts twice)."""
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)
