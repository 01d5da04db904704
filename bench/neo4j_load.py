"""Neo4j load throughput: the batched loader (graph/neo4j_writer.py) against one transaction per row.

    python bench/neo4j_load.py [--docs 100] [--batch-size 1000] [--group-rows N] [--repeat 3] [--seed 0]
                               [--per-row-docs N]

A synthetic corpus (bench/corpus.py) is built with `govkg.build.build_corpus`, then loaded into
the bundled ArcadeDB Bolt server (graph/boltserver.py), in the same run, on the same server, each
time into a fresh database, after a warm-up of both methods (JIT):

  batched   `load_build`: consecutive documents share a transaction (up to --group-rows rows),
            their rows grouped by label / relationship type and sent as `UNWIND $rows ... MERGE`
            statements of up to --batch-size rows; --repeat loads, the median is compared;
  per row   the same MERGE statements with one row each (`$rows` = [row]), every row in its own
            transaction, through one session: `session.execute_write` per row, then auto-commit
            `session.run` per row; the faster of the two is compared. --per-row-docs loads only
            the first N documents this way (rows/s is what is compared).

Rows are nodes plus relationships (derived edges included). Prints a markdown table; the counts
of the two databases are checked against each other and against the build.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def build_synthetic(n: int, seed: int, root: Path):
    from govkg.build import build_corpus

    try:
        from bench.corpus import generate
    except ImportError:  # pragma: no cover
        sys.path.insert(0, str(HERE))
        from corpus import generate  # type: ignore[no-redef]
    corpus = root / "corpus"
    generate(n, corpus, seed)
    started = time.perf_counter()
    report = build_corpus(corpus, root / "data", workers=0)
    print(f"built {n} synthetic documents in {time.perf_counter() - started:.1f} s "
          f"({len(report.failed)} failed)", file=sys.stderr)
    return report.build


def load_per_row(driver, database: str, build, documents: list[str],
                 mode: str = "transaction") -> tuple[int, float]:
    """The naive loader: every node and relationship in its own write transaction, through ONE
    session (mode "transaction": `session.execute_write` per row; "autocommit": `session.run`
    per row, an implicit transaction each). The rows are the batched loader's, prepared the same
    way (`_Loader.prepare`), and each statement is the batched one with a one-row `$rows`.
    Returns (statements, seconds spent creating the schema)."""
    from govkg.graph import neo4j_queries as gq
    from govkg.graph import neo4j_writer as gn

    loader = gn._Loader(driver, database, build, 1, None)
    started = time.perf_counter()
    loader.ensure_schema()
    schema_seconds = time.perf_counter() - started
    rows = 0
    with driver.session(database=database) as session:
        def write(query: str, row: dict) -> None:
            nonlocal rows
            if mode == "autocommit":
                session.run(query, rows=[row]).consume()
            else:
                session.execute_write(lambda tx: tx.run(query, rows=[row]).consume())
            rows += 1

        for document in documents:
            facts = loader.graph.documents.get(document) or build.facts(document)
            pending = loader.prepare(document, facts, "-", replace=False)
            for node_type, node_rows in sorted(pending.nodes.items()):
                query = gq.merge_nodes_query(node_type)
                for row in node_rows:
                    write(query, {**row, "docs": [document]})
            for end in sorted(pending.ends):
                node = loader.graph.nodes.get(end)
                if node is not None:
                    props = gn.node_props(node)
                    props["documents"] = []
                    write(gq.merge_stub_query(node.type), {"id": end, "props": props})
            for (edge_type, source_type, target_type), edge_rows in sorted(pending.edges.items()):
                query = gq.merge_edges_query(edge_type, source_type, target_type)
                for row in edge_rows:
                    write(query, {**row, "docs": [document]})
        stated = {e.key for name in documents for e in loader.graph.documents[name].edges}
        for key, edge in loader.derived_edges().items():
            if key in stated:
                continue
            source_type, target_type = loader.node_type(edge.source), loader.node_type(edge.target)
            if source_type is None or target_type is None:
                continue
            props = gn.edge_props(edge)
            props["derived"] = True
            write(gq.merge_derived_query(edge.type, source_type, target_type),
                  {"source": edge.source, "target": edge.target, "props": props})
    return rows, schema_seconds


def cpu_seconds(server_pid: int) -> float:
    """CPU time (user + system) used so far by the server process and by this one: unlike wall
    time it hardly depends on what else the machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        with open(f"/proc/{server_pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):  # not Linux
        server = float("nan")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return server + usage.ru_utime + usage.ru_stime


def db_rows(driver, database: str) -> tuple[int, int]:
    from govkg.graph.neo4j_writer import graph_counts

    nodes, rels = graph_counts(driver, database)
    return sum(nodes.values()), sum(rels.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="synthetic documents to build and load")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per statement")
    parser.add_argument("--group-rows", type=int, default=None,
                        help="rows per transaction (documents grouped; default: the loader's)")
    parser.add_argument("--per-row-docs", type=int, default=0,
                        help="load only this many documents one row per transaction (0 = all)")
    parser.add_argument("--repeat", type=int, default=3, help="batched loads (fresh databases); the median counts")
    parser.add_argument("--heap", default="2g", help="ArcadeDB JVM heap")
    args = parser.parse_args(argv)

    import neo4j

    from govkg.graph.boltserver import BoltServer
    from govkg.graph.neo4j_writer import load_build

    results = []
    with tempfile.TemporaryDirectory(prefix="govkg-bench-neo4j-") as tmp:
        root = Path(tmp)
        build = build_synthetic(args.docs, args.seed, root)
        names = build.document_names()
        graph = build.graph()
        print(f"build: {len(names)} documents, {len(graph.nodes)} nodes, {len(graph.edges)} edges",
              file=sys.stderr)
        with BoltServer(root / "arcadedb", database="warmup", heap=args.heap) as server:
            driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
            # warm the JVM on throwaway databases, so no method pays for JIT compilation alone
            load_build(driver, "warmup", build, batch_size=args.batch_size, group_rows=args.group_rows)
            server.new_database("warmup2")
            load_per_row(driver, "warmup2", build, names[:10])

            runs, cpus, schemas = [], [], []
            for run in range(args.repeat):  # each into a fresh database; the median is compared
                database = f"batched{run}"
                server.new_database(database)
                cpu, started = cpu_seconds(server.pid), time.perf_counter()
                report = load_build(driver, database, type(build)(build.path), batch_size=args.batch_size,
                                    group_rows=args.group_rows)
                runs.append(time.perf_counter() - started)
                cpus.append(cpu_seconds(server.pid) - cpu)
                schemas.append(report.schema_seconds)
                assert not report.failed, report.failed
            median = sorted(range(len(runs)), key=runs.__getitem__)[(len(runs) - 1) // 2]
            seconds = runs[median]
            nodes, rels = db_rows(driver, database)
            results.append({"method": f"batched: `load_build` ({report.transactions} transactions, "
                                      f"`UNWIND` statements of up to {args.batch_size} rows; median of "
                                      f"{len(runs)}: {', '.join(f'{r:.2f}' for r in runs)} s)",
                            "docs": len(names), "rows": nodes + rels, "seconds": seconds,
                            "cpu": cpus[median], "schema": schemas[median], "statements": report.statements})

            started = time.perf_counter()
            again = load_build(driver, database, build, batch_size=args.batch_size)
            reload_seconds = time.perf_counter() - started
            assert not again.changed and len(again.skipped) == len(names)

            subset = names[: args.per_row_docs] if args.per_row_docs else names
            for mode, title in (("transaction", "one transaction per row (`session.execute_write`, one session)"),
                                ("autocommit", "one transaction per row (auto-commit `session.run`, one session)")):
                database = f"perrow{mode}"
                server.new_database(database)
                cpu, started = cpu_seconds(server.pid), time.perf_counter()
                written, schema = load_per_row(driver, database, type(build)(build.path), subset, mode)
                seconds = time.perf_counter() - started
                cpu = cpu_seconds(server.pid) - cpu
                nodes_r, rels_r = db_rows(driver, database)
                if subset == names:
                    assert (nodes_r, rels_r) == (nodes, rels), ((nodes_r, rels_r), (nodes, rels))
                results.append({"method": title, "docs": len(subset), "rows": nodes_r + rels_r,
                                "seconds": seconds, "cpu": cpu, "schema": schema, "statements": written})
            # what both methods pay whatever the batching, besides the schema: reading the build
            from govkg.graph.neo4j_writer import _Loader

            started = time.perf_counter()
            _Loader(driver, "unused", type(build)(build.path), args.batch_size, None)
            read_seconds = time.perf_counter() - started
            driver.close()

    for r in results:
        r["rate"] = r["rows"] / r["seconds"]
    batched, per_row = results[0], max(results[1:], key=lambda r: r["rate"])
    print(f"\n{args.docs} synthetic documents (bench/corpus.py, seed {args.seed}), bundled ArcadeDB 26.10 over "
          f"Bolt, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}\n")
    print("| method | documents | rows (nodes + relationships) | statements | seconds | of which schema "
          "| rows/s | rows/s without the schema | CPU s (server + client) | rows per CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        r["cpu_rate"] = r["rows"] / r["cpu"] if r["cpu"] > 0 else float("nan")
        r["rows_rate"] = r["rows"] / (r["seconds"] - r["schema"])
        print(f"| {r['method']} | {r['docs']} | {r['rows']} | {r['statements']} | {r['seconds']:.2f} | "
              f"{r['schema']:.2f} | {r['rate']:.0f} | {r['rows_rate']:.0f} | {r['cpu']:.2f} | {r['cpu_rate']:.0f} |")
    fewest_cpu = max(results[1:], key=lambda r: r["cpu_rate"])
    fastest_rows = max(results[1:], key=lambda r: r["rows_rate"])
    print(f"\nbatched / fastest per row: {batched['rate'] / per_row['rate']:.1f}x rows/s; "
          f"{batched['rows_rate'] / fastest_rows['rows_rate']:.1f}x without the schema creation both pay; "
          f"{batched['cpu_rate'] / fewest_cpu['cpu_rate']:.1f}x rows per CPU second; "
          f"unchanged reload (all {len(names)} documents skipped): {reload_seconds:.2f} s")
    print(f"also paid by both methods in their time: reading the build (build.graph()) {read_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
