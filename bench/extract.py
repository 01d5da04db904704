"""Extraction throughput: `govkg.build.build_corpus` on 1,000 documents, one worker and all cores.

    python bench/extract.py [--docs 1000] [--seeds ../shared/corpus/seeds] [--synthetic]

The seed documents are copied (bench/scale.py seed_corpus) into a temporary folder until it holds --docs
files; --synthetic uses bench/corpus.py instead. Each run builds into its own temporary data
folder in a fresh child process, so the peak memory (ru_maxrss) of one configuration does not leak
into the next. Two measurements per worker count: read+extract alone (`iter_prepared`: also the
facts' JSON and N-Quads; results discarded) and the whole `build_corpus` (plus merge, derived edges, fact store, RDF projection).
Prints a markdown table: documents/s, wall time, failures, peak RSS of the building process and of
its largest worker process.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SEEDS = HERE.parent.parent / "shared" / "corpus" / "seeds"


def read_rate(files: list[Path]) -> float:
    """documents/s of `read_document` alone (decode + HTML view), one process."""
    from govkg.loaders.readers import ReadError, read_document

    start = time.perf_counter()
    for path in files:
        try:
            read_document(path)
        except ReadError:
            pass
    return len(files) / (time.perf_counter() - start)


def run_one(corpus: str, workers: int, phase: str) -> dict:
    """One measurement in this process (called in a fresh child by `measure`).

    phase "build": `build_corpus` (read, extract, merge, derive, fact store, RDF projection);
    phase "extract": `iter_prepared` only (read, extract, serialise; results discarded)."""
    import resource

    from govkg.build import build_corpus, corpus_files, iter_prepared

    with tempfile.TemporaryDirectory(prefix="govkg-bench-data-") as data:
        start = time.perf_counter()
        if phase == "build":
            report = build_corpus(Path(corpus), Path(data), workers=workers)
            statuses, totals = report.statuses, report.totals
        else:
            statuses = [doc.status for doc in iter_prepared(corpus_files(Path(corpus)), workers)]
            totals = {}
        elapsed = time.perf_counter() - start
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest worker
    failed = [s for s in statuses if s.status != "ok"]
    return {"workers": workers, "phase": phase, "documents": len(statuses), "failed": len(failed),
            "seconds": elapsed, "docs_per_s": len(statuses) / elapsed if elapsed else 0.0,
            "rss_self_mb": self_kb / 1024, "rss_children_mb": children_kb / 1024, "totals": totals,
            "failures": sorted({s.reason for s in failed})[:5]}


def measure(corpus: Path, workers: int, phase: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(workers), phase],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[tuple[dict, dict]]) -> str:
    lines = ["| workers | documents | failed | read+extract documents/s | build wall s | build documents/s "
             "| build peak RSS main (MB) | build peak RSS per worker (MB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for extract, build in rows:
        worker_rss = f"{build['rss_children_mb']:.0f}" if build["workers"] > 1 else "–"
        lines.append(f"| {build['workers']} | {build['documents']} | {build['failed']} | {extract['docs_per_s']:.1f} | "
                     f"{build['seconds']:.1f} | {build['docs_per_s']:.1f} | {build['rss_self_mb']:.0f} | {worker_rss} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        print(json.dumps(run_one(argv[1], int(argv[2]), argv[3] if len(argv) > 3 else "build")))
        return 0
    parser = argparse.ArgumentParser(description="govkg extraction benchmark")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--synthetic", action="store_true", help="use bench/corpus.py documents instead of seeds")
    parser.add_argument("--seed", type=int, default=0, help="random seed for --synthetic")
    parser.add_argument("--workers", type=int, nargs="*", help="worker counts (default: 1 and os.cpu_count())")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    worker_counts = args.workers or sorted({1, cores})
    with tempfile.TemporaryDirectory(prefix="govkg-bench-corpus-") as tmp:
        corpus = Path(tmp) / "corpus"
        if args.synthetic:
            sys.path.insert(0, str(HERE))
            from corpus import generate  # bench/corpus.py

            files = generate(args.docs, corpus, args.seed)
            source = f"bench/corpus.py --seed {args.seed}"
        else:
            sys.path.insert(0, str(HERE))
            from scale import seed_corpus  # each copy a document of its own

            files = seed_corpus(args.seeds, args.docs, corpus)
            source = f"{len(set(p.name.split('_', 1)[1] for p in files))} seed files from {args.seeds}"
        size = sum(p.stat().st_size for p in files)
        print(f"corpus: {len(files)} documents, {size / 1024 / 1024:.1f} MB ({source})", file=sys.stderr)
        print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}", file=sys.stderr)
        reading = read_rate(files)
        print(f"read_document alone: {reading:.0f} documents/s", file=sys.stderr)
        rows = []
        for workers in worker_counts:
            extract = measure(corpus, workers, "extract")
            build = measure(corpus, workers, "build")
            rows.append((extract, build))
            print(f"workers={workers}: read+extract {extract['docs_per_s']:.1f} documents/s, "
                  f"build {build['docs_per_s']:.1f} documents/s, totals {build['totals']}"
                  + (f", failures {build['failures']}" if build["failures"] else ""), file=sys.stderr)
    print(table(rows))
    print(f"\n{len(files)} documents, {size / 1024 / 1024:.1f} MB; read_document alone: {reading:.0f} documents/s; "
          f"{cores} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
