"""REST API latency under load: /api/graph/neighborhood and /api/search at 50 concurrent clients.

    python bench/api.py [--triples 1m | --copies 40 | --data DIR] [--clients 50] [--requests 2000]
                        [--client raw|httpx] [--append]

Builds, in a temporary folder, a synthetic corpus of about --triples RDF triples the way
bench/load.py does (default 1m), or with --copies N the seed corpus copied N times (new file
names), with `govkg build`; starts `govkg serve --no-cypher` on a free 127.0.0.1 port in a child
process, and drives it: --clients concurrent workers, each with one keep-alive connection, share a
bounded budget of --requests requests per workload (each request also has a 30 s timeout). The
default client is a minimal asyncio HTTP/1.1 client (RawClient): httpx costs several times its
CPU per request, and the load generator shares the cores with the server. Reports p50/p99
latency, requests/s and the CPU time per request of client and server per workload as a
markdown table; --append adds it to BENCHMARKS.md under "## API". Only 127.0.0.1 is ever
contacted.
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
from urllib.parse import urlsplit

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


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on one asyncio connection: GET only, for the answers
    this server gives (Content-Length or chunked bodies). It costs a fraction of httpx's CPU per
    request, and the load generator shares the machine's cores with the server."""

    def __init__(self, base: str, timeout: float = 30.0):
        parts = urlsplit(base)
        assert parts.hostname == "127.0.0.1", "load is only ever sent to 127.0.0.1"
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> "RawClient":
        return self

    async def __aexit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, target: str) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._get(target), self.timeout)

    async def _get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(c[:-2] for c in chunks)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body


class HttpxClient:
    """httpx.AsyncClient with one keep-alive connection (as a browser tab would have)."""

    def __init__(self, base: str, timeout: float = 30.0):
        self.client = httpx.AsyncClient(base_url=base, timeout=timeout)

    async def __aenter__(self) -> "HttpxClient":
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.__aexit__(*exc)

    async def get(self, target: str) -> tuple[int, bytes]:
        response = await self.client.get(target)
        return response.status_code, response.content


CLIENTS = {"raw": RawClient, "httpx": HttpxClient}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def workload(base: str, name: str, urls: list[str], clients: int, total: int, kind: str = "raw",
                   server_pid: int | None = None) -> dict:
    """`clients` concurrent clients, each with its own connection (kept alive), sharing a budget
    of `total` requests; also the CPU seconds the load generator and the server used."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    client_class = CLIENTS[kind]

    async def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        async with client_class(base) as client:
            for _ in counter:
                url = rng.choice(urls)
                started = time.perf_counter()
                try:
                    status, _body = await client.get(url)
                    ok = status == 200
                except (httpx.HTTPError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        asyncio.TimeoutError, ValueError):
                    ok = False
                    if isinstance(client, RawClient):
                        client.close()
                latencies.append(time.perf_counter() - started)
                errors += not ok

    cpu_client = time.process_time()
    cpu_server = cpu_seconds(server_pid) if server_pid else 0.0
    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    wall = time.perf_counter() - started
    cpu_client = time.process_time() - cpu_client
    cpu_server = cpu_seconds(server_pid) - cpu_server if server_pid else float("nan")
    return {"name": name, "requests": len(latencies), "errors": errors, "wall": wall,
            "rps": len(latencies) / wall, "p50": percentile(latencies, 0.5) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "mean": statistics.fmean(latencies) * 1000,
            "client_ms": cpu_client / len(latencies) * 1000, "server_ms": cpu_server / len(latencies) * 1000}


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
    """Triples in the build's RDF store, when the RDF projection wrote one (graph/rdfstore.py)."""
    try:
        import pyoxigraph
        from govkg.graph.store import current_build

        store_dir = current_build(data).path / "rdf"
        if not store_dir.is_dir():
            return None
        store = pyoxigraph.Store.read_only(str(store_dir))
        return len(store)
    except Exception:
        return None


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", default="1m",
                        help="build a synthetic corpus of about this many triples (bench/load.py's way)")
    parser.add_argument("--copies", type=int, help="build the seed corpus repeated this many times instead")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--data", type=Path, help="serve this existing data folder instead of building one")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per workload")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="raw",
                        help="load generator: raw asyncio HTTP/1.1 (default) or httpx.AsyncClient")
    parser.add_argument("--url", help="drive this already running server (http://127.0.0.1:PORT) serving --data")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's process id, for its CPU time")
    parser.add_argument("--append", action="store_true", help="append the table to BENCHMARKS.md")
    args = parser.parse_args()
    if args.url and (args.data is None or urlsplit(args.url).hostname != "127.0.0.1"):
        parser.error("--url needs --data and a server on 127.0.0.1")

    tmp = Path(tempfile.mkdtemp(prefix="govkg-bench-api-"))
    server = None
    try:
        build_s = None
        if args.data is not None:
            data = args.data
            corpus_note = f"{args.data}"
        elif args.copies:
            corpus, data = tmp / "corpus", tmp / "data"
            make_corpus(args.seeds, args.copies, corpus)
            started = time.perf_counter()
            subprocess.run([str(GOVKG), "build", str(corpus), "--out", str(data), "--workers", "0"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            build_s = time.perf_counter() - started
            corpus_note = f"the seed corpus repeated {args.copies}×"
        else:
            sys.path.insert(0, str(HERE))
            from load import make_build  # a synthetic corpus (bench/corpus.py) sized like bench/load.py's

            target = parse_size(args.triples)
            print(f"building about {target:,} triples ...", file=sys.stderr)
            size = make_build(target, tmp, seed=1)
            data, build_s = size["data"], size["build_s"]
            corpus_note = f"the synthetic corpus of bench/load.py for about {target:,} triples"
        ids, distinct_terms, counts = sample_ids(data)
        triples = rdf_triples(data)
        if args.url:
            base, server_pid = args.url.rstrip("/"), args.server_pid
            httpx.get(f"{base}/api/meta", timeout=300).raise_for_status()
        else:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            serve_help = subprocess.run([str(GOVKG), "serve", "--help"], capture_output=True, text=True).stdout
            no_cypher = ["--no-cypher"] if "--no-cypher" in serve_help else []  # the REST API needs no graph database
            server = subprocess.Popen([str(GOVKG), "serve", str(data), "--host", "127.0.0.1", "--port", str(port),
                                       *no_cypher],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            server_pid = server.pid
            deadline = time.monotonic() + 300
            while True:
                try:
                    httpx.get(f"{base}/api/meta", timeout=60).raise_for_status()  # also loads the graph
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("server did not start")
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
        load_before = open("/proc/loadavg").read().strip()
        for name, urls in ((f"neighborhood depth=1 (limit 100), {len(ids)} nodes", neighborhood),
                           (f"neighborhood depth=2 (limit 200), {len(ids)} nodes", neighborhood2),
                           (f"search, {len(SEARCH_TERMS)} repeated terms", search_repeat),
                           (f"search, {len(distinct_terms)} distinct terms", search_distinct)):
            results.append(asyncio.run(workload(base, name, urls, args.clients, args.requests, args.client,
                                                server_pid)))
        load_after = open("/proc/loadavg").read().strip()
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    size = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    build_note = f" Build took {build_s:.0f} s;" if build_s is not None else ""
    client_note = ("a raw asyncio HTTP/1.1 client" if args.client == "raw" else "an httpx.AsyncClient")
    lines = [
        f"### /api under load ({time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})",
        "",
        f"Build: {corpus_note}: {size}"
        + (f"; {triples:,} RDF quads in the build's store" if triples else "")
        + f".{build_note} first search (graph + search index) {index_s:.1f} s. "
        + f"/proc/loadavg before: {load_before}; after: {load_after}.",
        f"Server: {args.url or '`govkg serve --no-cypher`'} (one uvicorn worker) on 127.0.0.1; load: "
        f"{args.clients} concurrent clients ({client_note} each, one keep-alive connection) sharing "
        f"{args.requests} requests per workload, in one process on the same machine as the server. CPU ms/req: "
        f"CPU time of the load generator and of the server during the workload, divided by the requests.",
        "",
        "| workload | requests | errors | req/s | p50 ms | p99 ms | mean ms | client CPU ms/req | server CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['name']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['mean']:.1f} | {r['client_ms']:.2f} | {r['server_ms']:.2f} |")
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
