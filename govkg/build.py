"""Build a corpus folder into a fact store: the library function behind `govkg build`."""
from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .graph.derive import derive_edges
from .graph.factgraph import FactGraph
from .graph.model import DocumentFacts
from .graph.rdf import StoreWriter, derived_edges
from .graph.store import Build, BuildWriter, DocumentStatus
from .duplicates import DUPLICATE, DuplicateTexts, reason as duplicate_reason
from .loaders.pipeline import extract_source
from .loaders.readers import ReadError, read_document

COUNTED = ("Measure", "Agency", "Platform", "Initiative", "Target")
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


def _process(args: tuple[Path, str, float | None]) -> tuple[DocumentFacts, str | None, DocumentStatus]:
    return process_file(*args)


def iter_processed(files: list[tuple[Path, str]], workers: int = 1,
                   time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S,
                   ) -> Iterator[tuple[DocumentFacts, str | None, DocumentStatus]]:
    if workers <= 1 or len(files) < 2:
        for path, name in files:
            yield process_file(path, name, time_budget_s)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [(path, name, time_budget_s) for path, name in files]
        yield from pool.map(_process, jobs, chunksize=max(1, len(files) // (workers * 8)))


def build_corpus(corpus_dir: Path, data_dir: Path, workers: int = 1,
                 on_document: Callable[[DocumentStatus], None] | None = None,
                 time_budget_s: float | None = DOCUMENT_TIME_BUDGET_S) -> BuildReport:
    """Read every file of corpus_dir, extract its facts and write a new build of data_dir."""
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {corpus_dir}")
    files = corpus_files(corpus_dir)
    writer = BuildWriter(data_dir)
    rdf: StoreWriter | None = None
    try:
        graph = FactGraph()
        seen = DuplicateTexts()
        for facts, original, status in iter_processed(files, workers or os.cpu_count() or 1, time_budget_s):
            first = seen.first_with(status.document, original) if original is not None else None
            if first is not None:
                status = DocumentStatus(status.document, DUPLICATE, duplicate_reason(first), {}, status.format,
                                        status.encoding)
                writer.fail(status)
            elif status.status == "ok" and original is not None:
                stored = writer.add(facts, original, status)
                graph.add(facts)
                # the Oxigraph store (rdf/) inside the build is written as the documents come, from
                # the facts as stored (FactGraph.add may share list props between a document's
                # facts and the merged graph). Opened at the first document: the extraction worker
                # processes are forked by then, never while the store's threads run.
                if rdf is None:
                    rdf = StoreWriter(writer.path)
                rdf.add(DocumentFacts.from_dict(json.loads(stored)))
            else:
                writer.fail(status)
            if on_document:
                on_document(status)
        edges = derive_edges(graph)
        totals = {t: len(graph.of_type(t)) for t in COUNTED}
        del graph  # not needed any more: let its memory go before the derived graph is written
        writer.write_derived(e.to_dict() for e in edges)
        del edges
        if rdf is None:
            rdf = StoreWriter(writer.path)
        rdf.commit(derived_edges(writer.path))  # the derived edges as stored
        build = writer.commit({"corpus": str(corpus_dir.resolve()), "totals": totals})
    except BaseException:
        if rdf is not None:
            rdf.abort()
        writer.abort()
        raise
    return BuildReport(build, writer.statuses, totals)
