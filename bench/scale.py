"""Builds that grow with the corpus: full build, adding and removing documents, store size, and every
queries/*.rq through /sparql.

    python bench/scale.py [--sizes 1000,10000] [--kinds seeds,synthetic] [--seeds ../shared/corpus/seeds]
                          [--workers 2] [--append]
    python bench/scale.py --queries DATA      # only: every queries/*.rq through /sparql of DATA's build
    python bench/scale.py --load-1m           # only: bench/load.py's 1M-triple build, then its queries

For each kind and size N, in a temporary folder: the corpus (`seeds`: the seed files copied under new
names c00000_<name> …; `synthetic`: `bench/corpus.py N DIR --seed 0`), then, each step a
`govkg build CORPUS --out DATA` in a child process whose peak RSS is its own ru_maxrss plus its
largest worker's (RUSAGE_CHILDREN of a wrapper):
  full     `--full` build from nothing
  add 10   10 new documents in the corpus (copies of seed files under new names / bench/corpus.py
           documents of another seed), incremental build
  remove   the same 10 removed again, incremental build
and the store size on disk (the build folder: facts, original texts, derived.jsonl, the Oxigraph
store). Then `govkg serve --no-cypher` on the build and every queries/*.rq through GET /sparql
(application/sparql-results+json, the whole answer read; best of 3, --query-timeout 60, --max-rows
10**7 so that no answer is cut). Prints markdown tables and with --append adds them to BENCHMARKS.md
under "## Scale". Timings on a shared machine are noisy: the load average before and after each
table is printed with it.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOVKG = Path(sys.executable).with_name("govkg")
DEFAULT_SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
QUERIES = ROOT / "queries"
sys.path.insert(0, str(HERE))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ------------------------------------------------------------------------------------------ corpora

def seed_files(seeds: Path) -> list[Path]:
    return sorted(p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith("."))


def seed_corpus(seeds: Path, n: int, out: Path, start: int = 0) -> list[Path]:
    """n seed files copied under new names (c<k>_<name>), round-robin over the seed files. Each copy
    ends with its own ASCII line (`copy <k>`), so that the build does not keep them as one text
    saved twice (govkg/duplicates.py) and every copy is a document of its own."""
    files = seed_files(seeds)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for k in range(start, start + n):
        src = files[k % len(files)]
        dst = out / f"c{k // len(files):05d}_{src.name}"
        dst.write_bytes(src.read_bytes() + f"\ncopy {k}\n".encode("ascii"))
        made.append(dst)
    return made


def synthetic_corpus(n: int, out: Path, seed: int = 0) -> list[Path]:
    from corpus import generate

    return [Path(p) for p in generate(n, out, seed)]


# ------------------------------------------------------------------------------------------ building

_WRAPPER = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, kids.ru_maxrss, kids.ru_utime + kids.ru_stime, rc.returncode)
sys.stderr.write(rc.stderr.decode("utf-8", "replace")[-2000:])
"""


def run_build(corpus: Path, data: Path, workers: int, full: bool = False) -> dict:
    """One `govkg build` in a child process: wall s, peak RSS (MB, of the building process; its
    extraction workers are its own children and counted in `workers_rss_mb`), CPU s."""
    args = [str(GOVKG), "build", str(corpus), "--out", str(data), "--workers", str(workers)]
    if full:
        args.append("--full")
    # RUSAGE_CHILDREN of the wrapper is the largest of govkg build and its workers (ru_maxrss of
    # waited-for descendants is a maximum, not a sum); the build reports its own peak too
    env = {**os.environ, "GOVKG_BUILD_RUSAGE": str(data / ".rusage.json")}
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True, env=env)
    wall, maxrss, cpu, rc = out.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"build failed ({rc}): {out.stderr}")
    own = json.loads((data / ".rusage.json").read_text())
    return {"wall_s": float(wall), "peak_rss_mb": own["self_maxrss_kb"] / 1024,
            "workers_rss_mb": own["children_maxrss_kb"] / 1024, "cpu_s": float(cpu)}


def disk_mb(path: Path) -> float:
    total = 0
    seen: set[tuple[int, int]] = set()
    for p in path.rglob("*"):
        try:
            st = p.lstat()
        except OSError:
            continue
        if p.is_file() and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total / 2**20


def current_path(data: Path) -> Path:
    return data / "builds" / (data / "current").read_text().strip()


# ------------------------------------------------------------------------------------------ queries

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, query_timeout: float = 60) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    log = open(data / "serve.log", "wb")
    server = subprocess.Popen([str(GOVKG), "serve", str(data), "--host", "127.0.0.1", "--port", str(port),
                               "--no-cypher", "--query-timeout", f"{query_timeout:g}", "--max-rows", str(10**7)],
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"server did not start; see {data / 'serve.log'}")
        try:
            if httpx.get(base + "/api/meta", timeout=120).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)


def endpoint_queries(data: Path, repeat: int = 3, folder: Path = QUERIES, query_timeout: float = 60) -> list[dict]:
    """Every queries/*.rq through GET /sparql of `govkg serve`: rows and best time of `repeat` runs."""
    import httpx

    server, base = serve(data, query_timeout)
    results = []
    try:
        with httpx.Client(base_url=base, timeout=query_timeout + 60) as client:
            for path in sorted(folder.glob("*.rq")):
                text = path.read_text(encoding="utf-8")
                best, rows = float("inf"), None
                for _ in range(repeat):
                    started = time.perf_counter()
                    answer = client.get("/sparql", params={"query": text},
                                        headers={"accept": "application/sparql-results+json"})
                    elapsed = time.perf_counter() - started
                    if answer.status_code != 200:
                        rows = f"HTTP {answer.status_code}"
                        best = elapsed
                        break
                    rows = len(answer.json()["results"]["bindings"])
                    best = min(best, elapsed)
                results.append({"query": path.stem, "rows": rows, "ms": best * 1000})
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def queries_table(results: list[dict], repeat: int = 3) -> str:
    lines = [f"| query | rows | best of {repeat} through /sparql |", "|---|---:|---:|"]
    lines += [f"| {r['query']} | {r['rows']} | {r['ms']:,.1f} ms |" for r in results]
    return "\n".join(lines)


def store_counts(data: Path) -> tuple[int, int]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(current_path(data) / "rdf"))
    triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    quads = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)
    return quads, triples


# ------------------------------------------------------------------------------------------ the bench

def scale_run(kind: str, n: int, work: Path, workers: int, seeds: Path, repeat: int = 3,
              query_timeout: float = 60) -> dict:
    corpus, data = work / f"{kind}-{n}" / "corpus", work / f"{kind}-{n}" / "data"
    if kind == "seeds":
        seed_corpus(seeds, n, corpus)
    else:
        synthetic_corpus(n, corpus, seed=0)
    before = loadavg()
    full = run_build(corpus, data, workers, full=True)
    size = disk_mb(current_path(data))
    quads, triples = store_counts(data)
    extra = work / f"{kind}-{n}" / "extra"
    if kind == "seeds":
        added = seed_corpus(seeds, 10, extra, start=10**6)
    else:
        added = synthetic_corpus(10, extra, seed=1)
        for k, path in enumerate(added):  # names that the corpus does not have
            path.rename(path.with_name(f"added{k:02d}_{path.name}"))
        added = sorted(extra.iterdir())
    moved = []
    for path in added:
        dst = corpus / path.name
        shutil.move(str(path), dst)
        moved.append(dst)
    add = run_build(corpus, data, workers)
    for path in moved:
        path.unlink()
    remove = run_build(corpus, data, workers)
    queries = endpoint_queries(data, repeat, query_timeout=query_timeout) if repeat else []
    return {"kind": kind, "documents": n, "full": full, "add": add, "remove": remove, "disk_mb": size,
            "quads": quads, "triples": triples, "queries": queries, "load_before": before, "load_after": loadavg()}


def run_table(runs: list[dict]) -> str:
    lines = ["| corpus | documents | full build s | peak RSS MB (build / largest worker) | add 10 s | remove 10 s"
             " | store on disk MB | quads | triples (merged) | load average before / after |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        lines.append(f"| {r['kind']} | {r['documents']:,} | {r['full']['wall_s']:.1f} | "
                     f"{r['full']['peak_rss_mb']:,.0f} / {r['full']['workers_rss_mb']:,.0f} | "
                     f"{r['add']['wall_s']:.1f} | {r['remove']['wall_s']:.1f} | {r['disk_mb']:,.0f} | "
                     f"{r['quads']:,} | {r['triples']:,} | {r['load_before']} / {r['load_after']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--kinds", default="seeds,synthetic")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--queries", type=Path, help="only run every queries/*.rq through /sparql of this data folder")
    parser.add_argument("--query-dir", type=Path, default=QUERIES, help="with --queries: the .rq files to run")
    parser.add_argument("--load-1m", action="store_true", help="only: bench/load.py's 1M-triple build and its queries")
    parser.add_argument("--work", type=Path, help="folder for corpora and builds (default: a temporary one)")
    parser.add_argument("--append", action="store_true", help="append the tables to BENCHMARKS.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query, the best counts (0: no queries)")
    parser.add_argument("--query-timeout", type=float, default=60, help="the endpoint's limit per query, s")
    args = parser.parse_args(argv)
    header = (f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {platform.machine()}, {os.cpu_count()} CPU(s), "
              f"Python {platform.python_version()}, load average before: {loadavg()}")
    out: list[str] = []
    if args.queries:
        results = endpoint_queries(args.queries, args.repeat, args.query_dir, args.query_timeout)
        out += [f"every {args.query_dir.name}/*.rq through /sparql of {args.queries} ({header}; after: {loadavg()})", "",
                queries_table(results, args.repeat)]
    elif args.load_1m:
        from load import make_build

        work = Path(args.work or tempfile.mkdtemp(prefix="govkg-scale-"))
        made = make_build(1_000_000, work, seed=1)
        results = endpoint_queries(made["data"], args.repeat, query_timeout=args.query_timeout)
        out += [f"bench/load.py's 1M-triple build: {made['documents']} documents, {made['triples']:,} triples "
                f"({made['quads']:,} quads), built in {made['build_s']:.1f} s ({header}; after: {loadavg()})", "",
                queries_table(results, args.repeat)]
    else:
        work = Path(args.work or tempfile.mkdtemp(prefix="govkg-scale-"))
        runs = []
        for kind in args.kinds.split(","):
            for n in (int(s.replace("k", "000")) for s in args.sizes.split(",")):
                runs.append(scale_run(kind, n, work, args.workers, args.seeds, args.repeat, args.query_timeout))
                print(run_table(runs[-1:]), flush=True)
        out += [header, "", run_table(runs)]
        for r in (r for r in runs if r["queries"]):
            out += ["", f"{r['kind']} × {r['documents']:,}: every queries/*.rq through /sparql", "",
                    queries_table(r["queries"], args.repeat)]
    text = "\n".join(out)
    print(text)
    if args.append:
        with open(ROOT / "BENCHMARKS.md", "a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
