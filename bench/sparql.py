"""SPARQL benchmark: Oxigraph on disk vs rdflib in memory on the RDF projection of a build.

    python bench/sparql.py [--target-triples 1000000] [--copies N] [--seeds ../shared/corpus/seeds]
                           [--workers 2] [--repeat 3] [--no-append]

The seed corpus is copied N times under new names into a temporary folder (N chosen from the
quads one copy yields, so that the named graphs hold about --target-triples quads, unless --copies
is given) and built with `govkg.build.build_corpus` (which writes the Oxigraph store). The named
graphs are exported to N-Quads (`write_rdf(build, "nq")`); that file is then loaded
  (1) into a fresh Oxigraph store on disk with `bulk_load` (the quads as they are),
  (2) into a fresh Oxigraph store on disk with govkg's layout (`bulk_extend` of each quad plus its
      triple in the default graph, which then holds the merge of all named graphs; the build itself
      writes the same quads as N-Quads text with `bulk_load`, graph/rdfstore.py StoreWriter), and
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
    """Current resident set size (not the peak: the build before the loads already peaked)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
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


def choose_copies(files: list[Path], seeds: Path, target: int, tmp: Path, workers: int) -> int:
    """Copies of the seed corpus giving about `target` named-graph quads.

    Not linear: identical copies make every measure SIMILAR_TO its copies, so the derived graph
    grows with the square of the copies. Fit quads(c) = onto + a*c + b*c^2 on probe builds of 2
    and 8 copies and solve for the target (on the seed corpus: 31 copies for 1M, measured).
    """
    import pyoxigraph as ox

    from govkg.graph.nquads import vocabulary_graph_iris
    from govkg.graph.rdfstore import rdf_store, triple_count

    sizes = {}
    for c in (2, 8):
        make_corpus(files, seeds, c, tmp / f"probe{c}")
        report, _ = build(tmp / f"probe{c}", tmp / f"probe{c}-data", workers)
        store = rdf_store(report.build)
        onto = sum(1 for g in vocabulary_graph_iris() for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        sizes[c] = triple_count(store) - onto
        shutil.rmtree(tmp / f"probe{c}", ignore_errors=True)
    # q2 = 2a + 4b, q8 = 8a + 64b
    b = max(0.0, (sizes[8] - 4 * sizes[2]) / 48)
    a = max(1.0, (sizes[2] - 4 * b) / 2)
    wanted = max(1, target - onto)
    c = (-a + math.sqrt(a * a + 4 * b * wanted)) / (2 * b) if b > 0 else wanted / a
    copies = max(1, round(c))
    print(f"probe: 2 copies -> {sizes[2]} quads, 8 copies -> {sizes[8]}; using {copies} copies", file=sys.stderr)
    return copies


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

    from govkg.graph.named_queries import QUERIES_DIR
    from govkg.graph.nquads import with_union_default
    from govkg.graph.rdf_export import write_rdf
    from govkg.graph.rdf_terms import derived_graph_iri
    from govkg.graph.rdfstore import rdf_store, triple_count

    files = seed_files(args.seeds)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the temporary folder is removed
    tmp = Path(tempfile.mkdtemp(prefix="govkg-bench-sparql-"))
    try:
        copies = args.copies
        if copies is None:
            copies = choose_copies(files, args.seeds, args.target_triples, tmp, args.workers)
        documents = make_corpus(files, args.seeds, copies, tmp / "corpus")
        print(f"building {documents} documents with {args.workers} worker(s) …", file=sys.stderr)
        report, build_s = build(tmp / "corpus", tmp / "data", args.workers)
        source = rdf_store(report.build)
        quads = triple_count(source)
        merged = sum(1 for _ in source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        derived = sum(1 for _ in source.quads_for_pattern(None, None, None, ox.NamedNode(derived_graph_iri())))
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
        gc.collect()
        rss_before = rss_mb()
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
        f"Corpus: `{args.seeds.name}` copied under new names; {quads:,} quads in {graphs} named graphs (one per document + derived + vocabularies), "
        f"whose merge (the store's default graph) has {merged:,} distinct triples. {derived:,} of the quads are in "
        "graph/derived: identical copies make every measure SIMILAR_TO its copies, so that graph grows with the "
        "square of the copies.",
        "",
        "| step | time | rate |",
        "|---|---:|---:|",
        f"| `build_corpus` ({args.workers} worker(s), incl. extraction and the RDF projection) | {build_s:.1f} s | {documents / build_s:.1f} documents/s |",
        f"| export the named graphs as N-Quads (`govkg export --format nq`) | {dump_s:.1f} s | {quads / dump_s:,.0f} quads/s |",
        f"| load into Oxigraph on disk (`bulk_load` of the N-Quads as they are) | {raw_load_s:.1f} s | {quads / raw_load_s:,.0f} quads/s |",
        f"| load into Oxigraph on disk with govkg's layout (`bulk_extend`, + merged default graph) | {ox_load_s:.1f} s | {quads / ox_load_s:,.0f} input quads/s |",
        f"| load into rdflib in-memory `Dataset` (N-Quads parser) | {rdflib_load_s:.1f} s | {rdflib_quads / rdflib_load_s:,.0f} quads/s |",
        "",
        f"rdflib held {rdflib_quads:,} quads after loading; the process's resident memory went from {rss_before:,.0f} MB "
        f"to {rss_after:,.0f} MB.",
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
