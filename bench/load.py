"""Bounded mixed load against a local `govkg serve`: search, neighbourhood, SPARQL and Cypher.

    python bench/load.py [--triples 100000,1000000] [--clients 50,200] [--requests 2000]
                         [--duration 180] [--data DIR] [--append]

For each size, writes a synthetic corpus (bench/corpus.py `generate(n, dir, seed)`) whose build has
about that many RDF triples (distinct triples of the store's default graph, the merge of all
named graphs; the number of documents is found by building a small sample first and scaling),
builds it with `govkg build --workers 0`, starts `govkg serve` on a free 127.0.0.1 port in a child
process (with the bundled ArcadeDB server for /cypher, loaded before the server answers) and runs,
for each client count, one bounded load: --clients concurrent clients (one httpx.AsyncClient
each, keep-alive) share a budget of --requests requests and stop early at --duration seconds.
Each request is picked at random: 35% /api/search, 35% /api/graph/neighborhood, 15% /sparql,
15% /cypher (small parametrised queries about sampled nodes). Reported per run: requests,
errors (anything but a 200; must be 0), throughput, p50/p99 latency overall and per kind, and the
resident memory (VmRSS from /proc) of the server process and of its ArcadeDB child, sampled every
0.5 s from start to end: at start, peak, and at the end of each run, so growth across runs shows.

Only 127.0.0.1 is ever contacted. With --data DIR an existing data folder is served instead of
building one (a single size). --append adds the tables to BENCHMARKS.md under "## Load".
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
GOVKG = Path(sys.executable).with_name("govkg")
SAMPLE_DOCS = 40
MIX = (("search", 0.35), ("neighborhood", 0.35), ("sparql", 0.15), ("cypher", 0.15))
SEARCH_TERMS = ["大数据局", "大數據局", "城市大脑", "政务服务", "一网通办", "电子证照", "数据共享", "政务云",
                "12345", "公共数据", "数字乡村", "信用", "掌上办", "一体化", "公安", "发展改革"]


# ------------------------------------------------------------------------------------------ helpers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


class MemorySampler:
    """VmRSS of the server and of its child processes (the bundled ArcadeDB JVM), every interval."""

    def __init__(self, pid: int, interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int, int]] = []  # (time, server kB, children kB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> tuple[int, int]:
        server = rss_kb(self.pid) or 0
        kids = sum(rss_kb(c) or 0 for c in children(self.pid))
        self.samples.append((time.monotonic(), server, kids))
        return server, kids

    def start(self) -> "MemorySampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def window(self, start: float, end: float) -> list[tuple[float, int, int]]:
        return [s for s in self.samples if start <= s[0] <= end]


def mb(kb: float) -> str:
    return f"{kb / 1024:,.0f}"


# ------------------------------------------------------------------------------------------ the build

def build(corpus: Path, data: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(GOVKG), "build", str(corpus), "--out", str(data), "--workers", "0"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def store_size(data: Path) -> tuple[int, int]:
    """(quads in the store, distinct triples of its default graph = the merge of the named graphs)."""
    import pyoxigraph as ox

    from govkg.graph.store import current_build

    store = ox.Store.read_only(str(current_build(data).path / "rdf"))
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
    return len(store), int(count)


def make_build(target: int, work: Path, seed: int) -> dict:
    """A build of about `target` triples: a sample build gives triples per document, then the
    corpus is generated at the scaled size (one correction step if it lands more than 25% off)."""
    from corpus import generate

    sample = work / "sample"
    generate(SAMPLE_DOCS, sample / "corpus", seed)
    build(sample / "corpus", sample / "data")
    per_doc = store_size(sample / "data")[1] / SAMPLE_DOCS
    shutil.rmtree(sample, ignore_errors=True)
    docs = max(5, round(target / per_doc))
    for attempt in range(2):
        corpus, data = work / f"corpus-{docs}", work / f"data-{docs}"
        generate(docs, corpus, seed)
        build_s = build(corpus, data)
        quads, triples = store_size(data)
        if attempt == 1 or 0.75 <= triples / target <= 1.25:
            break
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
        docs = max(5, round(docs * target / triples))
    return {"data": data, "documents": docs, "build_s": build_s, "quads": quads, "triples": triples}


# ------------------------------------------------------------------------------------------ the workload

@dataclass
class Workload:
    ids: list[tuple[str, str]]            # (node id, type)
    terms: list[str]

    def request(self, rng: random.Random) -> tuple[str, str, dict]:
        from govkg.graph.rdf_terms import node_iri

        kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        node_id, node_type = rng.choice(self.ids)
        if kind == "search":
            return kind, "GET", {"url": "/api/search", "params": {"q": rng.choice(self.terms), "limit": 20}}
        if kind == "neighborhood":
            return kind, "GET", {"url": f"/api/graph/neighborhood?id={quote(node_id, safe='')}&depth=1"}
        if kind == "sparql":
            iri = node_iri(node_id)
            query = rng.choice([
                f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 100",
                f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 100",
                "PREFIX govkg: <https://govkg.example.org/ontology#> "
                f"SELECT ?m ?text WHERE {{ ?a govkg:nodeId {quoted(node_id)} . ?a ?rel ?m . ?m govkg:text ?text }} LIMIT 50",
            ])
            return kind, "GET", {"url": "/sparql", "params": {"query": query},
                                 "headers": {"accept": "application/sparql-results+json"}}
        query = rng.choice([
            f"MATCH (n:{node_type} {{id: $id}})-[r]-(m) RETURN n.id, type(r), m.id LIMIT 50",
            f"MATCH (n:{node_type} {{id: $id}}) RETURN n",
        ])
        return kind, "POST", {"url": "/cypher", "json": {"query": query, "parameters": {"id": node_id}}}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sample_workload(data: Path, n: int = 400, seed: int = 7) -> Workload:
    from govkg.graph.store import current_build

    graph = current_build(data).graph()
    rng = random.Random(seed)
    by_type: dict[str, list[str]] = {}
    for node in graph.nodes.values():
        by_type.setdefault(node.type, []).append(node.id)
    ids: list[tuple[str, str]] = []
    for node_type, k in (("Platform", 100), ("Agency", 100), ("Measure", 120), ("Plan", 40), ("Target", 40)):
        pool = sorted(by_type.get(node_type, []))
        ids += [(i, node_type) for i in rng.sample(pool, min(k, len(pool)))]
    names = sorted({node.name for node in graph.nodes.values() if node.type in ("Agency", "Platform")
                    and len(node.name) >= 4})
    terms = set(SEARCH_TERMS)
    while len(terms) < n and names:
        name = rng.choice(names)
        start = rng.randrange(0, len(name) - 2)
        terms.add(name[start:start + rng.choice((2, 3))])
    return Workload(ids, sorted(terms))


@dataclass
class Run:
    clients: int
    requests: int = 0
    errors: int = 0
    wall: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0


async def run_load(base: str, workload: Workload, clients: int, total: int, duration: float, seed: int) -> Run:
    assert urlsplit(base).hostname == "127.0.0.1", "load is only ever sent to 127.0.0.1"
    out = Run(clients)
    budget = iter(range(total))
    out.started = time.monotonic()
    stop_at = out.started + duration

    async def worker(k: int) -> None:
        rng = random.Random(seed * 10_000 + k)
        async with httpx.AsyncClient(base_url=base, timeout=60.0) as client:
            for _ in budget:
                if time.monotonic() > stop_at:
                    break
                kind, method, kwargs = workload.request(rng)
                started = time.perf_counter()
                try:
                    response = await client.request(method, **kwargs)
                    ok = response.status_code == 200
                    problem = f"{kind} {response.status_code} {response.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{kind} {type(exc).__name__}"
                out.latencies.setdefault(kind, []).append(time.perf_counter() - started)
                out.requests += 1
                if not ok:
                    out.errors += 1
                    if len(out.error_samples) < 5:
                        out.error_samples.append(problem)

    await asyncio.gather(*(worker(k) for k in range(clients)))
    out.ended = time.monotonic()
    out.wall = out.ended - out.started
    return out


# ------------------------------------------------------------------------------------------ the server

def serve(data: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NEO4J_URI": ""}  # the bundled ArcadeDB server, on DATA/arcadedb
    log = open(data / "serve.log", "wb")
    started = time.perf_counter()
    server = subprocess.Popen([str(GOVKG), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 1800  # loading a large build into ArcadeDB takes minutes
    while True:
        try:
            if httpx.get(f"{base}/api/meta", timeout=120).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start; see {data / 'serve.log'}")
        time.sleep(0.5)
    ready_s = time.perf_counter() - started
    # warm what the first requests would otherwise pay for: search index, RDF store, Cypher
    httpx.get(f"{base}/api/search", params={"q": "大数据局"}, timeout=300).raise_for_status()
    httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=300).raise_for_status()
    response = httpx.post(f"{base}/cypher", json={"query": "MATCH (n) RETURN count(n) AS n"}, timeout=300)
    if response.status_code != 200:
        raise SystemExit(f"/cypher is not usable: {response.status_code} {response.text[:300]}")
    return server, base, ready_s


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


# ------------------------------------------------------------------------------------------ report

def report(size: dict, runs: list[Run], memory: MemorySampler, ready_s: float, baseline: tuple[int, int]) -> str:
    lines = [
        f"#### {size['label']}: {size['triples']:,} triples ({size['quads']:,} quads in the store), "
        f"{size['documents']} documents",
        "",
        (f"Built with `govkg build --workers 0` in {size['build_s']:.0f} s; " if size.get("build_s") else "")
        + f"`govkg serve` answering after {ready_s:.0f} s (bundled ArcadeDB started and loaded). "
        f"Memory (VmRSS) once warm: server {mb(baseline[0])} MB, ArcadeDB {mb(baseline[1])} MB.",
        "",
        "| clients | requests | errors | req/s | p50 ms | p99 ms | search p50/p99 | neighbourhood p50/p99 "
        "| SPARQL p50/p99 | Cypher p50/p99 | server RSS MB: peak / end | ArcadeDB RSS MB: peak / end |",
        "|---:|---:|---:|---:|---:|---:|---|---|---|---|---|---|",
    ]
    for run in runs:
        every = [v for values in run.latencies.values() for v in values]
        window = memory.window(run.started, run.ended + 1) or memory.samples[-1:]
        per_kind = []
        for kind, _ in MIX:
            values = run.latencies.get(kind, [])
            per_kind.append(f"{percentile(values, 0.5) * 1000:,.0f} / {percentile(values, 0.99) * 1000:,.0f}"
                            if values else "–")
        lines.append(
            f"| {run.clients} | {run.requests} | {run.errors} | {run.requests / run.wall:,.1f} | "
            f"{percentile(every, 0.5) * 1000:,.0f} | {percentile(every, 0.99) * 1000:,.0f} | "
            + " | ".join(per_kind)
            + f" | {mb(max(s[1] for s in window))} / {mb(window[-1][1])} "
            f"| {mb(max(s[2] for s in window))} / {mb(window[-1][2])} |")
    if memory.samples:
        t0, t1 = memory.samples[0][0], memory.samples[-1][0]
        marks = [t0 + (t1 - t0) * i / 10 for i in range(11)]
        series = [min(memory.samples, key=lambda s, m=m: abs(s[0] - m)) for m in marks]
        lines += ["", f"Server RSS over the {t1 - t0:.0f} s of load, every tenth (MB): "
                  + ", ".join(mb(s[1]) for s in series)
                  + "; ArcadeDB: " + ", ".join(mb(s[2]) for s in series) + "."]
    errors = [e for run in runs for e in run.error_samples]
    if errors:
        lines += ["", "Errors (first few): " + "; ".join(f"`{e}`" for e in errors[:5])]
    return "\n".join(lines)


def append_to_benchmarks(text: str) -> None:
    bench = ROOT / "BENCHMARKS.md"
    current = bench.read_text(encoding="utf-8") if bench.exists() else "# Benchmarks\n"
    if "\n## Load\n" not in current:
        current = current.rstrip("\n") + "\n\n## Load\n\nReproduce with `.venv/bin/python bench/load.py --append`.\n"
    start = current.index("\n## Load\n") + len("\n## Load\n")
    end = current.find("\n## ", start)
    end = len(current) if end < 0 else end
    current = current[:end].rstrip("\n") + "\n\n" + text + "\n" + ("\n" + current[end:].lstrip("\n") if end < len(current) else "")
    bench.write_text(current, encoding="utf-8")


# ------------------------------------------------------------------------------------------ main

def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", default="100k,1m", help="comma-separated build sizes (e.g. 100k,1m)")
    parser.add_argument("--clients", default="50,200", help="comma-separated concurrent client counts")
    parser.add_argument("--requests", type=int, default=2000, help="request budget per run")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds after which a run stops early")
    parser.add_argument("--data", type=Path, help="serve this data folder instead of building one")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and data folders")
    parser.add_argument("--append", action="store_true", help="append the tables to BENCHMARKS.md")
    args = parser.parse_args()

    clients = [int(c) for c in args.clients.split(",")]
    work = Path(tempfile.mkdtemp(prefix="govkg-bench-load-"))
    sections = []
    try:
        targets = [None] if args.data else [parse_size(t) for t in args.triples.split(",")]
        for target in targets:
            if args.data:
                quads, triples = store_size(args.data)
                from govkg.graph.store import current_build
                size = {"label": str(args.data), "data": args.data, "quads": quads, "triples": triples,
                        "documents": len(current_build(args.data).document_names()), "build_s": None}
            else:
                print(f"building about {target:,} triples ...", file=sys.stderr)
                size = make_build(target, work / f"t{target}", args.seed)
                size["label"] = f"about {target:,} triples"
            print(f"  {size['documents']} documents, {size['triples']:,} triples, {size['quads']:,} quads; "
                  "starting the server ...", file=sys.stderr)
            workload = sample_workload(size["data"])
            server, base, ready_s = serve(size["data"])
            memory = MemorySampler(server.pid)
            try:
                baseline = memory.sample()
                memory.samples.clear()
                memory.start()
                runs = []
                for k, n in enumerate(clients):
                    print(f"  {n} clients ...", file=sys.stderr)
                    run = asyncio.run(run_load(base, workload, n, args.requests, args.duration, args.seed + k))
                    runs.append(run)
                    print(f"    {run.requests} requests, {run.errors} errors, {run.requests / run.wall:.1f} req/s",
                          file=sys.stderr)
            finally:
                memory.stop()
                stop(server)
            sections.append(report(size, runs, memory, ready_s, baseline))
            if not args.keep and not args.data:
                shutil.rmtree(work / f"t{target}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", file=sys.stderr)

    load = os.getloadavg()[0]
    text = "\n".join([
        f"### {time.strftime('%Y-%m-%d')}: mixed load, {', '.join(str(c) for c in clients)} clients "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})",
        "",
        f"`python bench/load.py --triples {args.triples} --clients {args.clients} --requests {args.requests} "
        f"--duration {args.duration:g}`: a budget of {args.requests} requests per run (stopping early at "
        f"{args.duration:g} s), mixed {', '.join(f'{int(w * 100)}% {k}' for k, w in MIX)}; one `govkg serve` "
        f"(one uvicorn worker, bundled ArcadeDB) on 127.0.0.1 and the load generator on the same machine. "
        f"Load average at the end: {load:.1f}.",
        "",
        "\n\n".join(sections),
    ])
    print(text)
    if args.append:
        append_to_benchmarks(text)


if __name__ == "__main__":
    main()
