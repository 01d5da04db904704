"""Build a corpus folder into a fact store: the library function behind `govkg build`."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import resource
import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from .graph.derivation_view import EncodedView, Views, derivation_view, encode_view, read_views, write_views
from .graph.derive import derive_edges
from .graph.factgraph import FactGraph, gc_paused
from .graph.similarity import LineageCache
from .graph.model import DocumentFacts
from .graph.nquads import DocumentQuads
from .graph.rdfstore import STORE_LAYOUT, StoreWriter, hook, store_layout, store_path
from .graph.store import (Build, BuildWriter, DocumentStatus, NoBuildError, current_build, derived_edges, derived_file,
                          facts_text, lineage_cache_file, views_file)
from .duplicates import DUPLICATE, DuplicateTexts, reason as duplicate_reason, text_key
from .loaders.pipeline import extract_source
from .loaders.readers import ReadError, read_document
from .ontology.vocab import NodeType

COUNTED = (NodeType.Measure, NodeType.Agency, NodeType.Platform, NodeType.Initiative, NodeType.Target)
DOCUMENT_TIME_BUDGET_S = 30.0


class DocumentTimeout(BaseException):
    """Not an Exception, so that no `except Exception` in the extraction can swallow it."""


class _time_budget:
    """Stop one document's extraction after `seconds` (SIGALRM; main thread of a process only)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and threading.current_thread() is threading.main_thread() else None

    def _expired(self, signum, frame):
        raise DocumentTimeout

    def __enter__(self):
        if self.seconds:
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            # repeats every 50 ms: an alarm raised inside a gc callback is swallowed by the interpreter
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.05)
        return self

    def __exit__(self, *exc):
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
        return False


@dataclass
class BuildReport:
    build: Build
    statuses: list[DocumentStatus]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> list[DocumentStatus]:
        return [s for s in self.statuses if s.status not in ("ok", DUPLICATE)]

    @property
    def duplicates(self) -> list[DocumentStatus]:
        """Files whose text an earlier file of the corpus already gave (govkg/duplicates.py)."""
        return [s for s in self.statuses if s.status == DUPLICATE]


def corpus_files(corpus_dir: Path) -> list[tuple[Path, str]]:
    """Every regular, non-hidden file under corpus_dir, with its name relative to it."""
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append((path, rel.as_posix()))
    return files


def process_file(path: Path, name: str, time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S,
                 ) -> tuple[DocumentFacts, str | None, DocumentStatus]:
    """Read and extract one file; never raises: failures come back as a failed status."""

    def failed(reason: str) -> tuple[DocumentFacts, None, DocumentStatus]:
        return DocumentFacts(name, error=reason), None, DocumentStatus(name, "failed", reason)

    try:
        with _time_budget(time_budget_s):
            try:
                source = read_document(path, name)
            except ReadError as exc:
                return failed(str(exc))
            except OSError as exc:
                return failed(f"cannot read file: {exc.strerror or exc}")
            try:
                facts = extract_source(source)
            except DocumentTimeout:
                raise
            except Exception as exc:  # a bug or pathological input must not stop the build
                return failed(f"extraction failed: {type(exc).__name__}: {exc}")
    except DocumentTimeout:
        return failed(f"stopped: over the time budget of {time_budget_s:g} s per document")
    counts = {t: facts.count(t) for t in COUNTED}
    status = DocumentStatus(name, "ok", None, counts, source.format, source.encoding)
    return facts, source.original, status


@dataclass
class PreparedDocument:
    """One file as an extraction worker hands it to the build: what is stored, and what the merge and
    the RDF store take, all made in the worker so that the writing process only writes."""
    status: DocumentStatus
    original: str | None = None  # the text evidence offsets index (None: the file failed)
    facts_json: str = ""  # the text of its facts file
    view: EncodedView | None = None  # what the derivation reads of the facts as stored (graph/derivation_view.py)
    nquads: bytes = b""  # its RDF graph (graph/nquads.py DocumentQuads)
    nquad_lines: int = 0


_document_quads: dict[str | None, DocumentQuads] = {}


def prepare_file(path: Path, name: str, time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S,
                 base: str | None = None) -> PreparedDocument:
    """process_file, then the facts file's text, the derivation view and the N-Quads of the facts as stored."""
    facts, original, status = process_file(path, name, time_budget_s)
    if status.status != "ok" or original is None:
        return PreparedDocument(status)
    status.text_key = text_key(original)
    text = facts_text(facts)
    # the derivation and the RDF store take the facts as stored, as later builds read them
    as_stored = DocumentFacts.from_dict(json.loads(text))
    quads = _document_quads.get(base)
    if quads is None:
        quads = _document_quads[base] = DocumentQuads(base)
    data, lines = quads(as_stored)
    return PreparedDocument(status, original, text, encode_view(derivation_view(as_stored)), data, lines)


def _prepare_chunk(jobs: list[tuple[Path, str, float | None, str | None]]) -> list[PreparedDocument]:
    return [prepare_file(*job) for job in jobs]


def iter_prepared(files: list[tuple[Path, str]], workers: int = 1,
                  time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S, base: str | None = None,
                  chunk: int = 8) -> Iterator[PreparedDocument]:
    """prepare_file of each file, in order, in `workers` processes. At most 2 chunks per worker are
    in flight: a prepared document holds its N-Quads (about 1 MB for a long plan), and workers that
    run ahead of the writer must not pile up the corpus in memory."""
    if workers <= 1 or len(files) < 2:
        for path, name in files:
            yield prepare_file(path, name, time_budget_s, base)
        return
    jobs = [(path, name, time_budget_s, base) for path, name in files]
    chunks = iter([jobs[k:k + chunk] for k in range(0, len(jobs), chunk)])
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        in_flight = deque(pool.submit(_prepare_chunk, c) for c in islice(chunks, 2 * workers))
        while in_flight:
            done = in_flight.popleft().result()
            following = next(chunks, None)
            if following is not None:
                in_flight.append(pool.submit(_prepare_chunk, following))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


_FINGERPRINT_SUFFIXES = (".py", ".json", ".txt", ".tsv", ".csv", ".ttl", ".yaml", ".yml")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of everything that decides what a document's stored facts and RDF graph are: the
    source and data files of the packages that read, extract and project (loaders, reference,
    graph, ontology, govkg). A build made by other code is not reused document by document."""
    from . import graph as graph_pkg
    from . import loaders, ontology

    folders = [Path(m.__file__).resolve().parent for m in (graph_pkg, loaders, ontology)]
    folders.append(Path(__file__).resolve().parent)
    try:
        from . import reference  # type: ignore[attr-defined]  # the gazetteer package, where installed
    except ImportError:
        pass
    else:
        folders.append(Path(reference.__file__).resolve().parent)
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in _FINGERPRINT_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _previous_build(data_dir: Path, base: str | None = None) -> Build | None:
    """The current build of data_dir if a new build can start from it (same code, a store of the
    current layout), else None."""
    try:
        previous = current_build(data_dir)
        if previous.manifest.get("fingerprint") != code_fingerprint():
            return None
    except (NoBuildError, OSError, ValueError):
        return None
    if store_layout(store_path(previous.path, base)) != STORE_LAYOUT or not derived_file(previous.path).is_file():
        return None
    return previous


def _previous_views(previous: Build | None) -> Views:
    """The derivation views of the previous build (none where it has no readable views file: the
    views are then made from its facts files)."""
    if previous is not None:
        try:
            return read_views(views_file(previous.path))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            pass
    return Views({})


def _reusable(status: DocumentStatus | None, sha: str) -> bool:
    """A document of the previous build with the same bytes (a failure too, unless it was the time
    budget, which depends on the machine's load)."""
    return (status is not None and status.sha256 == sha and status.status != DUPLICATE  # its first may be gone
            and not (status.status != "ok" and (status.reason or "").startswith("stopped:")))


def build_corpus(corpus_dir: Path, data_dir: Path, workers: int = 1,
                 on_document: Callable[[DocumentStatus], None] | None = None,
                 time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S, full: bool = False,
                 base: str | None = None) -> BuildReport:
    """Read every file of corpus_dir, extract its facts and write a new build of data_dir.

    If data_dir holds a build made by the same code (and full=False), the new build starts from it:
    documents whose bytes are unchanged (sha-256) are not read again, their facts files are linked
    and their graphs kept in a copy of the previous RDF store; changed and new documents are read
    and extracted, removed and changed ones leave the store with all their triples. The corpus-level
    derived edges are recomputed from what the derivation reads of every document (its derivation
    view, kept in views.pickle; the same merge, in the same order, as a full build) and only their
    difference is written to the store. The result equals a
    full build of the same corpus (tests/test_incremental.py). Either way the new build becomes
    current atomically when it is complete.
    """
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {corpus_dir}")
    files = corpus_files(corpus_dir)
    hashes = {name: file_sha256(path) for path, name in files}
    previous = None if full else _previous_build(data_dir, base)
    before = previous.statuses() if previous is not None else {}
    reused = {name for _, name in files if _reusable(before.get(name), hashes[name])}
    todo = [(path, name) for path, name in files if name not in reused]
    writer = BuildWriter(data_dir)
    rdf: StoreWriter | None = None
    try:
        if previous is not None:
            rdf = StoreWriter(writer.path, base, start_from=store_path(previous.path, base))
            rdf.remove_documents(sorted(n for n, st in before.items() if st.status == "ok" and n not in reused))
            hook("rdf-removed")
        # the derivation merges each document's view, in the corpus order (graph/derivation_view.py)
        graph = FactGraph(keep_documents=False)
        views: list[EncodedView] = []
        previous_views = _previous_views(previous)
        seen = DuplicateTexts()  # one text saved as several files is kept once (govkg/duplicates.py)
        prepared = iter_prepared(todo, workers or os.cpu_count() or 1, time_budget_s, base)
        # the merge, the derivation and the derived lines make millions of objects and no cycles:
        # collections would walk the merged graph again and again (graph/factgraph.py gc_paused)
        with gc_paused():
            for _, name in files:
                if name in reused:
                    assert previous is not None
                    status = before[name]
                    writer.reuse(previous, status)
                    if status.status == "ok":
                        key = status.text_key
                        seen.first_with_key(name, key if key is not None else text_key(previous.original_text(name) or ""))
                        view = (previous_views.encoded(name) if name in previous_views
                                else encode_view(derivation_view(writer.facts(name))))
                        graph.add(view.decode(), owned=True)
                        views.append(view)
                    if on_document:
                        on_document(status)
                    continue
                doc = next(prepared)
                status = doc.status
                status.sha256 = hashes[name]
                first = seen.first_with_key(name, status.text_key) if doc.view is not None else None
                if first is not None:
                    status = DocumentStatus(name, DUPLICATE, duplicate_reason(first), {}, status.format,
                                            status.encoding, hashes[name])
                    writer.fail(status)
                elif doc.view is not None and doc.original is not None:
                    writer.add_text(name, doc.original, doc.facts_json, status)
                    # the store is opened at the first document: the extraction worker processes are
                    # forked by then, never while the store's threads run
                    if rdf is None:
                        rdf = StoreWriter(writer.path, base)
                    rdf.add_nquads(doc.nquads, doc.nquad_lines)
                    graph.add(doc.view.decode(), owned=True)
                    views.append(doc.view)
                else:
                    writer.fail(status)
                if on_document:
                    on_document(status)
            write_views(views_file(writer.path), views)
            del views
            hook("documents")
            lineage_cache = LineageCache.load(lineage_cache_file(previous.path)) if previous is not None else LineageCache()
            edges = derive_edges(graph, lineage_cache)
            lineage_cache.save(lineage_cache_file(writer.path))
            del lineage_cache
            counts = Counter(node.type for node in graph.nodes.values())
            totals = {t: counts[t] for t in COUNTED}
            del graph  # not needed any more: let its memory go before the derived graph is written
            change = writer.write_derived(edges, previous)
            del edges
            if rdf is None:
                rdf = StoreWriter(writer.path, base)
            # the store takes the derived edges as stored (parsed back from their lines); an
            # incremental build only those whose line changed, the new ones and the previous ones
            if change is None:
                rdf.commit(derived_edges(writer.path))
            else:
                rdf.commit(change.came, change.went)
            del change
        hook("commit")
        build = writer.commit({"corpus": str(corpus_dir.resolve()), "totals": totals,
                               "fingerprint": code_fingerprint(),
                               "incremental": {"from": previous.path.name, "reused": len(reused),
                                               "read": len(todo)} if previous is not None else None})
    except BaseException:
        if rdf is not None:
            rdf.abort()
        writer.abort()
        raise
    _report_rusage()
    return BuildReport(build, writer.statuses, totals)


def _report_rusage() -> None:
    """bench/scale.py: the peak RSS of this process and of its largest worker, where it asks for them."""
    target = os.environ.get("GOVKG_BUILD_RUSAGE")
    if target:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        Path(target).write_text(json.dumps({"self_maxrss_kb": own.ru_maxrss, "children_maxrss_kb": kids.ru_maxrss}))
