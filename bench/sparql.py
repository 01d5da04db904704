"""SPARQL benchmark: Oxigraph on disk vs rdflib in memory on the RDF projection of a build.

    python bench/sparql.py [--target-triples 1000000] [--copies N] [--seeds ../shared/corpus/seeds]
                           [--workers 2] [--repeat 3] [--no-append]

The seed corpus is copied N times under new names into a temporary folder (N chosen from the
quads one copy yields, so that the named graphs hold about --target-triples quads, unless --copies
is given) and built with `govkg.build.build_corpus` (which writes the Oxigraph store). The named
graphs are exported to N-Quads (`write_rdf(build, "nq")`); that file is then loaded
  (1) into a fresh Oxigraph store on disk with `bulk_load` (the quads as they are),
  (2) into a fresh Oxigraph store on disk as govkg lays it out (`bulk_extend` of each quad plus its
      triple in the default graph, which then holds the merge of all named graphs), and
  (3) into an in-memory `rdflib.Dataset(default_union=True)`,
and each queries/*.rq is run on (2) and (3) in this same process (best of --repeat runs; a run
over 5 s is not repeated; an rdflib run is stopped after --rdflib-timeout seconds with SIGALRM).
Prints a markdown table and appends it to BENCHMARKS.md under "## SPARQL".
"""
from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
FALLBACK_SEEDS = ROOT / "examples" / "corpus"


def seed_files(seeds: Path) -> list[Path]:
    files = sorted(p for p in seeds.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(seeds).parts))
    if not files:
        raise SystemExit(f"no seed documents in {seeds}")
    return files


def make_corpus(files: list[Path], seeds: Path, copies: int, out: Path) -> int:
    """`copies` copies of every seed file, each under a new name (c0000_<name> …)."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for i in range(copies):
        for src in files:
            rel = src.relative_to(seeds)
            dst = out / f"c{i:04d}_{rel.as_posix().replace('/', '_')}"
            shutil.copyfile(src, dst)
            n += 1
    return n


def build(corpus: Path, data: Path, workers: int):
    from govkg.build import build_corpus

    start = time.perf_counter()
    report = build_corpus(corpus, data, workers=workers)
    return report, time.perf_counter() - start


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class QueryTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise QueryTimeout()


def timed(fn, repeat: int, slow_s: float = 5.0, limit_s: float | None = None):
    """(best seconds, result); repeats only while runs are quicker than slow_s.

    With limit_s, a run is interrupted by SIGALRM after that long: (None, None). This only works
    for pure-Python work (rdflib); Oxigraph runs in native code and is never limited.
    """
    best, result = math.inf, None
    for _ in range(repeat):
        if limit_s:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, limit_s)
        start = time.perf_counter()
        try:
            result = fn()
        except QueryTimeout:
            return None, None
        finally:
            if limit_s:
                signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - start
        best = min(best, took)
        if took > slow_s:
            break
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS if DEFAULT_SEEDS.is_dir() else FALLBACK_SEEDS)
    parser.add_argument("--target-triples", type=int, default=1_000_000)
    parser.add_argument("--copies", type=int, default=None, help="copies of the seed corpus (default: from --target-triples)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-timeout", type=float, default=300.0, help="seconds before an rdflib query is stopped")
    parser.add_argument("--no-append", action="store_true", help="do not append the results to BENCHMARKS.md")
    parser.add_argument("--benchmarks", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)

    import pyoxigraph as ox
    import rdflib

    from govkg.graph.rdf import (QUERIES_DIR, ontology_graph_iri, rdf_store, triple_count, with_union_default,
                                 write_rdf)

    files = seed_files(args.seeds)
    tmp = Path(tempfile.mkdtemp(prefix="govkg-bench-sparql-"))
    try:
        copies = args.copies
        if copies is None:
            make_corpus(files, args.seeds, 1, tmp / "probe")
            probe, _ = build(tmp / "probe", tmp / "probe-data", 1)
            probe_store = rdf_store(probe.build)
            onto = sum(1 for _ in probe_store.quads_for_pattern(None, None, None, ox.NamedNode(ontology_graph_iri())))
            per_copy = max(1, triple_count(probe_store) - onto)
            copies = max(1, math.ceil((args.target_triples - onto) / per_copy))
            print(f"one copy of {len(files)} seed documents -> {per_copy} quads; using {copies} copies", file=sys.stderr)
        documents = make_corpus(files, args.seeds, copies, tmp / "corpus")
        print(f"building {documents} documents with {args.workers} worker(s) …", file=sys.stderr)
        report, build_s = build(tmp / "corpus", tmp / "data", args.workers)
        source = rdf_store(report.build)
        quads = triple_count(source)
        merged = sum(1 for _ in source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        graphs = sum(1 for _ in source.named_graphs())
        nq = tmp / "export.nq"
        start = time.perf_counter()
        write_rdf(report.build, "nq", nq)
        dump_s = time.perf_counter() - start
        del source
        print(f"{quads} quads in {graphs} named graphs, {merged} triples merged; loading …", file=sys.stderr)

        # -- loads ---------------------------------------------------------------------------------
        start = time.perf_counter()
        raw = ox.Store(str(tmp / "oxigraph-raw"))
        raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        raw_load_s = time.perf_counter() - start
        del raw
        start = time.perf_counter()
        oxs = ox.Store(str(tmp / "oxigraph"))
        oxs.bulk_extend(with_union_default(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)))
        oxs.flush()
        ox_load_s = time.perf_counter() - start
        rss_before = rss_mb()
        gc.collect()
        start = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(str(nq), format="nquads")
        rdflib_load_s = time.perf_counter() - start
        rdflib_quads = sum(1 for _ in ds.quads((None, None, None, None)))
        rss_after = rss_mb()
        print(f"loaded: oxigraph {ox_load_s:.1f} s, rdflib {rdflib_load_s:.1f} s", file=sys.stderr)

        # -- queries -------------------------------------------------------------------------------
        rows = []
        for path in sorted(QUERIES_DIR.glob("*.rq")):
            query = path.read_text(encoding="utf-8")
            ox_s, ox_rows = timed(lambda: list(oxs.query(query)), args.repeat)
            rdflib_s, rdflib_rows = timed(lambda: list(ds.query(query)), args.repeat, limit_s=args.rdflib_timeout)
            rows.append((path.stem, len(ox_rows), None if rdflib_rows is None else len(rdflib_rows), ox_s, rdflib_s))
            print(f"  {path.stem}: oxigraph {ox_s * 1000:.1f} ms, rdflib "
                  f"{'timeout' if rdflib_s is None else f'{rdflib_s * 1000:.1f} ms'}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    when = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), "
               f"{platform.system()} {platform.machine()}, load average {load:.1f} at the end")
    versions = f"pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else '?'}, rdflib {rdflib.__version__}"
    lines = [
        f"### {when}: {documents} documents ({copies} × {len(files)} seed files), {quads:,} quads",
        "",
        f"Measured with `python bench/sparql.py{'' if args.copies is None else f' --copies {copies}'}"
        f"{'' if args.target_triples == 1_000_000 else f' --target-triples {args.target_triples}'}` on {machine}; {versions}.",
        f"Corpus: `{args.seeds.name}` copied under new names; {quads:,} quads in {graphs} named graphs (one per document + derived + ontology), "
        f"whose merge (the store's default graph) has {merged:,} distinct triples.",
        "",
        "| step | time | rate |",
        "|---|---:|---:|",
        f"| `build_corpus` ({args.workers} worker(s), incl. extraction and the RDF projection) | {build_s:.1f} s | {documents / build_s:.1f} documents/s |",
        f"| export the named graphs as N-Quads (`govkg export --format nq`) | {dump_s:.1f} s | {quads / dump_s:,.0f} quads/s |",
        f"| load into Oxigraph on disk (`bulk_load` of the N-Quads as they are) | {raw_load_s:.1f} s | {quads / raw_load_s:,.0f} quads/s |",
        f"| load into Oxigraph on disk as govkg does (`bulk_extend`, + merged default graph) | {ox_load_s:.1f} s | {quads / ox_load_s:,.0f} input quads/s |",
        f"| load into rdflib in-memory `Dataset` (N-Quads parser) | {rdflib_load_s:.1f} s | {rdflib_quads / rdflib_load_s:,.0f} quads/s |",
        "",
        f"rdflib held {rdflib_quads:,} quads after loading; peak RSS grew from {rss_before:,.0f} MB to {rss_after:,.0f} MB.",
        "",
        "| query (queries/*.rq) | rows Oxigraph | rows rdflib | Oxigraph | rdflib | rdflib / Oxigraph |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n_ox, n_rdflib, ox_s, rdflib_s in rows:
        if rdflib_s is None:
            lines.append(f"| {name} | {n_ox} | – | {ox_s * 1000:,.1f} ms | > {args.rdflib_timeout:g} s (stopped) | "
                         f"> {args.rdflib_timeout / ox_s if ox_s else float('inf'):,.0f}× |")
        else:
            lines.append(f"| {name} | {n_ox} | {n_rdflib} | {ox_s * 1000:,.1f} ms | {rdflib_s * 1000:,.1f} ms | "
                         f"{rdflib_s / ox_s if ox_s else float('inf'):,.1f}× |")
    lines += ["", "Query times are the best of up to "
              f"{args.repeat} runs (a run over 5 s is not repeated), results fully materialised; both engines "
              "see the union of the named graphs as the default graph (Oxigraph: the merged default graph govkg "
              "writes; rdflib: `Dataset(default_union=True)`).", ""]
    table = "\n".join(lines)
    print(table)
    if not args.no_append:
        append_section(args.benchmarks, table)
        print(f"appended to {args.benchmarks}", file=sys.stderr)
    return 0


def append_section(path: Path, text: str) -> None:
    """Add `text` at the end of the "## SPARQL" section (created at the end of the file if absent)."""
    content = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    lines = content.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "## SPARQL")
    except StopIteration:
        new = content.rstrip("\n") + "\n\n## SPARQL\n\n" + SECTION_INTRO + "\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        before = "\n".join(lines[:end]).rstrip("\n")
        after = "\n".join(lines[end:])
        new = before + "\n\n" + text + ("\n" + after if after else "")
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


SECTION_INTRO = ("Oxigraph (on disk, the store `govkg serve` answers /sparql from) against rdflib (in memory) on the "
                 "RDF projection of a build, loading the same N-Quads and running every queries/*.rq. "
                 "Reproduce with `python bench/sparql.py` (see its docstring).\n")


if __name__ == "__main__":
    sys.exit(main())
