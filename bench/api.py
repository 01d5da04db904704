"""REST API latency under load: /api/graph/neighborhood and /api/search at 50 concurrent clients.

    python bench/api.py [--copies 40] [--clients 50] [--requests 2000] [--data DIR] [--append]

Copies the seed corpus --copies times (new file names) into a temporary folder, builds it with
`govkg build`, starts `govkg serve` on a free 127.0.0.1 port in a child process, and drives it
with httpx.AsyncClient: --clients concurrent workers share a bounded budget of --requests requests
per workload (each request also has a 30 s timeout). Reports p50/p99 latency and requests/s per
workload as a markdown table; --append adds it to BENCHMARKS.md under "## API". Only 127.0.0.1
is ever contacted.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
GOVKG = Path(sys.executable).with_name("govkg")
SEARCH_TERMS = ["爱山东", "愛山東", "大数据局", "大數據局", "城市大脑", "山东通", "政务服务", "一网统揽", "智慧社区",
                "数字乡村", "5G", "电子证照", "滨州", "青岛", "工业互联网", "数据要素"]


def make_corpus(seeds: Path, copies: int, out: Path) -> int:
    files = sorted(p for p in seeds.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise SystemExit(f"no seed documents in {seeds}")
    out.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for src in files:
            shutil.copyfile(src, out / f"r{k:04d}_{src.name}")
    return copies * len(files)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def workload(base: str, name: str, urls: list[str], clients: int, total: int) -> dict:
    """`clients` concurrent clients, each with its own httpx.AsyncClient (one keep-alive
    connection, as a browser tab would have), sharing a budget of `total` requests."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
            for _ in counter:
                url = rng.choice(urls)
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    wall = time.perf_counter() - started
    return {"name": name, "requests": len(latencies), "errors": errors, "wall": wall,
            "rps": len(latencies) / wall, "p50": percentile(latencies, 0.5) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "mean": statistics.fmean(latencies) * 1000}


def sample_ids(data: Path, n: int = 400) -> tuple[list[str], list[str], dict]:
    """Node ids for neighbourhood requests (platforms, agencies, measures, plans) and distinct
    search terms (pieces of agency and platform names), from the build itself."""
    from govkg.graph.store import current_build

    graph = current_build(data).graph()
    rng = random.Random(7)
    by_type: dict[str, list[str]] = {}
    for node in graph.nodes.values():
        by_type.setdefault(node.type, []).append(node.id)
    ids = []
    for node_type, k in (("Platform", 150), ("Agency", 100), ("Measure", 100), ("Plan", 20), ("Initiative", 30)):
        pool = sorted(by_type.get(node_type, []))
        ids += rng.sample(pool, min(k, len(pool)))
    names = sorted({n.name for n in graph.nodes.values() if n.type in ("Agency", "Platform") and len(n.name) >= 4})
    distinct = set()
    while len(distinct) < n and names:
        name = rng.choice(names)
        start = rng.randrange(0, len(name) - 2)
        distinct.add(name[start: start + rng.choice((2, 3))])
    counts = {"documents": len(graph.documents), "nodes": len(graph.nodes), "edges": len(graph.edges),
              "evidence spans": sum(len(e.evidence) for e in graph.edges.values()),
              "measures": len(by_type.get("Measure", [])), "agencies": len(by_type.get("Agency", [])),
              "platforms": len(by_type.get("Platform", []))}
    return ids, sorted(distinct), counts


def rdf_triples(data: Path) -> int | None:
    """Triples in the build's RDF store, when the RDF projection wrote one (graph/rdf.py)."""
    try:
        from govkg.graph import rdf  # noqa: F401
        import pyoxigraph
        from govkg.graph.store import current_build

        store_dir = current_build(data).path / "rdf"
        if not store_dir.is_dir():
            return None
        store = pyoxigraph.Store.read_only(str(store_dir))
        return len(store)
    except Exception:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--copies", type=int, default=40, help="times the seed corpus is repeated")
    parser.add_argument("--data", type=Path, help="serve this existing data folder instead of building one")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per workload")
    parser.add_argument("--append", action="store_true", help="append the table to BENCHMARKS.md")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="govkg-bench-api-"))
    server = None
    try:
        corpus, data = tmp / "corpus", args.data or tmp / "data"
        build_s = None
        if args.data is None:
            docs = make_corpus(args.seeds, args.copies, corpus)
            started = time.perf_counter()
            subprocess.run([str(GOVKG), "build", str(corpus), "--out", str(data), "--workers", "0"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            build_s = time.perf_counter() - started
        ids, distinct_terms, counts = sample_ids(data)
        triples = rdf_triples(data)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve_help = subprocess.run([str(GOVKG), "serve", "--help"], capture_output=True, text=True).stdout
        no_cypher = ["--no-cypher"] if "--no-cypher" in serve_help else []  # the REST API needs no graph database
        server = subprocess.Popen([str(GOVKG), "serve", str(data), "--host", "127.0.0.1", "--port", str(port),
                                   *no_cypher],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/api/meta", timeout=60).raise_for_status()  # also loads the graph
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
                time.sleep(0.2)
        started = time.perf_counter()
        httpx.get(f"{base}/api/search", params={"q": "爱山东"}, timeout=120).raise_for_status()  # builds the index
        index_s = time.perf_counter() - started

        from urllib.parse import quote
        neighborhood = [f"/api/graph/neighborhood?id={quote(i, safe='')}&depth=1" for i in ids]
        neighborhood2 = [f"/api/graph/neighborhood?id={quote(i, safe='')}&depth=2&limit=200" for i in ids]
        search_repeat = [f"/api/search?q={quote(t)}&limit=20" for t in SEARCH_TERMS]
        search_distinct = [f"/api/search?q={quote(t)}&limit=20" for t in distinct_terms]
        results = []
        load_before = os.getloadavg()[0]
        for name, urls in (("neighborhood depth=1 (limit 100)", neighborhood),
                           ("neighborhood depth=2 (limit 200)", neighborhood2),
                           (f"search, {len(SEARCH_TERMS)} repeated terms (cached)", search_repeat),
                           (f"search, {len(distinct_terms)} distinct terms (mostly uncached)", search_distinct)):
            results.append(asyncio.run(workload(base, name, urls, args.clients, args.requests)))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    size = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    corpus_note = (f"the seed corpus repeated {args.copies}× ({counts['documents']} documents)" if args.data is None
                   else f"{args.data} ({counts['documents']} documents)")
    build_note = f" Build took {build_s:.0f} s;" if build_s is not None else ""
    lines = [
        f"### /api under load ({time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})",
        "",
        f"Build: {corpus_note}: {size}"
        + (f"; {triples:,} RDF quads in the build's store" if triples else "")
        + f".{build_note} first search (graph + search index) {index_s:.1f} s. "
        + f"Load average before the run: {load_before:.1f}.",
        f"Server: `govkg serve` (one uvicorn worker) on 127.0.0.1; load: {args.clients} concurrent clients (one "
        f"httpx.AsyncClient each, keep-alive) sharing {args.requests} requests per workload, on the same 2-core "
        f"machine as the server.",
        "",
        "| workload | requests | errors | req/s | p50 ms | p99 ms | mean ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['name']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['mean']:.1f} |")
    table = "\n".join(lines)
    print(table)
    if args.append:
        bench = ROOT / "BENCHMARKS.md"
        text = bench.read_text(encoding="utf-8") if bench.exists() else "# Benchmarks\n"
        if "\n## API\n" not in text:
            text = text.rstrip("\n") + "\n\n## API\n\nReproduce with `.venv/bin/python bench/api.py --append`.\n"
        start = text.index("\n## API\n") + len("\n## API\n")
        end = text.find("\n## ", start)  # the table goes at the end of the API section
        end = len(text) if end < 0 else end
        text = text[:end].rstrip("\n") + "\n\n" + table + "\n" + ("\n" + text[end:].lstrip("\n") if end < len(text) else "")
        bench.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
