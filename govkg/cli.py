"""The `govkg` command: a thin layer over the library functions."""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .build import COUNTED, build_corpus, corpus_files
from .duplicates import DUPLICATE
from .graph.rdf_terms import check_base_iri
from .graph.store import NoBuildError, current_build
from .ontology.vocab import NodeType, Rel
from .reference import regions
from .settings import get_settings

app = typer.Typer(help="govkg: a knowledge graph of Chinese digital-governance plans.", no_args_is_help=True)
console = Console(stderr=True)


def _open(data_dir: Path):
    try:
        return current_build(data_dir)
    except NoBuildError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def build(
    corpus_dir: Path = typer.Argument(..., help="folder of documents (.txt .html .pdf .docx)"),
    out: Path = typer.Option(Path("data"), "--out", "-o", help="data folder to write the build into"),
    workers: int = typer.Option(1, "--workers", "-j", help="processes to use (0 = all cores)"),
    strict: bool = typer.Option(False, "--strict", help="exit non-zero if any document fails"),
    neo4j: bool = typer.Option(False, "--neo4j", help="then load the build into the graph database "
                               "(NEO4J_URI, else the bundled server; see `govkg load`)"),
    full: bool = typer.Option(False, "--full", help="rebuild from nothing instead of updating the current build"),
) -> None:
    """Read every document of CORPUS_DIR and write its facts into a new build of OUT.

    If OUT holds a build made by the same code, only new and changed documents are read and the
    rest is taken over from it (removed documents disappear); --full reads everything again."""
    if not corpus_dir.is_dir():
        console.print(f"[red]error:[/red] corpus folder not found: {corpus_dir}")
        raise typer.Exit(2)
    try:
        check_base_iri(get_settings().govkg_base_iri)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    total = len(corpus_files(corpus_dir))
    with Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as progress:
        task = progress.add_task("", total=total)
        report = build_corpus(corpus_dir, out, workers=workers, full=full, base=get_settings().govkg_base_iri,
                              on_document=lambda s: progress.update(task, advance=1, description=s.document))
    table = Table(title=f"govkg build {report.build.path.name}")
    table.add_column("what")
    table.add_column("count", justify="right")
    duplicates = sum(st.status == DUPLICATE for st in report.statuses)
    table.add_row("documents read", str(len(report.statuses) - len(report.failed) - duplicates))
    table.add_row("documents failed", str(len(report.failed)))
    if duplicates:
        table.add_row("documents duplicate", str(duplicates))
    for node_type in COUNTED:
        table.add_row(node_type.lower() + "s" if node_type != NodeType.Agency else "agencies",
                      str(report.totals.get(node_type, 0)))
    console.print(table)
    for status in report.failed:
        console.print(f"[yellow]failed[/yellow] {status.document}: {status.reason}")
    if neo4j:
        _load_graph(out)
    if strict and report.failed:
        raise typer.Exit(1)


@app.command()
def export(
    data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`"),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl | ttl | trig | nt | nq | jsonld | graphml"),
    output: Path | None = typer.Option(None, "--output", "-o", help="file to write (default: stdout)"),
) -> None:
    """Export the current build (jsonl: the contract in FORMAT.md)."""
    build_ = _open(data_dir)
    if format != "jsonl":
        from .graph.rdf_export import EXPORT_FORMATS, write_rdf  # RDF (docs/sparql.md) and GraphML
        if format in EXPORT_FORMATS:
            write_rdf(build_, format, output if output else sys.stdout.buffer, base=get_settings().govkg_base_iri)
            return
        console.print(f"[red]error:[/red] unknown format {format!r}")
        raise typer.Exit(2)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for record in build_.graph().iter_records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()


@app.command()
def stats(data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`")) -> None:
    """Counts of documents, nodes by type and edges by type in the current build."""
    build_ = _open(data_dir)
    graph = build_.graph()
    out = Console()
    docs = build_.manifest["documents"]
    table = Table(title=f"build {build_.path.name}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents read", str(sum(d["status"] == "ok" for d in docs)))
    table.add_row("documents failed", str(sum(d["status"] not in ("ok", DUPLICATE) for d in docs)))
    table.add_row("documents duplicate", str(sum(d["status"] == DUPLICATE for d in docs)))
    for node_type, n in sorted(Counter(n.type for n in graph.nodes.values()).items()):
        table.add_row(f"node {node_type}", str(n))
    for edge_type, n in sorted(Counter(e.type for e in graph.edges.values()).items()):
        table.add_row(f"edge {edge_type}", str(n))
    for level, n in plans_by_jurisdiction_level(graph).items():
        table.add_row(f"plans at {level} level" if level in JURISDICTION_LEVELS.values() else f"plans {level}", str(n))
    out.print(table)


JURISDICTION_LEVELS = {"province": "province", "city": "prefecture", "county": "county"}


def plans_by_jurisdiction_level(graph) -> dict[str, int]:  # noqa: ANN001 (a FactGraph)
    """Plans counted by the level of their jurisdiction (province, prefecture, county, unknown)."""
    counts = {label: 0 for label in (*JURISDICTION_LEVELS.values(), "national or without jurisdiction")}
    for node in graph.nodes.values():
        if node.type != NodeType.Plan:
            continue
        levels = [graph.nodes[e.target].props.get("level") for e in graph.out_edges(node.id, Rel.IN_REGION)
                  if e.target in graph.nodes]
        if not levels and node.props.get("jurisdiction"):  # a cited plan: its jurisdiction prop only
            region = regions.lookup(str(node.props["jurisdiction"]))
            levels = [region.level] if region else []
        counts[JURISDICTION_LEVELS.get(levels[0] if levels else "", "national or without jurisdiction")] += 1
    return counts


def _load_graph(data_dir: Path, batch_size: int = 1000) -> None:
    """Load the current build into NEO4J_URI (or the bundled server on DATA_DIR/arcadedb)."""
    from .graph.neo4j_connection import open_target
    from .graph.neo4j_writer import LoadError, load_build

    build_ = _open(data_dir)
    try:
        with open_target(data_dir, get_settings()) as target:
            where = target.uri + (" (bundled ArcadeDB)" if target.bundled else "")
            console.print(f"loading build {build_.path.name} into {where}, database {target.database}")
            report = load_build(target.driver, target.database, build_, batch_size=batch_size)
    except LoadError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    except Exception as exc:  # cannot connect, bundled server did not start, ...
        console.print(f"[red]error:[/red] cannot load into the graph database: {type(exc).__name__}: {exc}")
        raise typer.Exit(1) from exc
    console.print(report.summary())
    for document, reason in report.failed.items():
        console.print(f"[yellow]not loaded[/yellow] {document}: {reason}")
    if report.failed:
        raise typer.Exit(1)


def _print_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":

        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table()
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    Console().print(table)


@app.command()
def query(
    data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`"),
    query_file: str = typer.Argument(..., help="a .rq/.cypher file, or the name of a bundled one (agency_platforms)"),
    cypher: bool = typer.Option(False, "--cypher", help="run the .cypher file on the graph database `govkg load` fills"),
    bind: list[str] = typer.Option([], "--bind", help="NAME=VALUE for a bindable variable (SPARQL)"),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """Run a research query: SPARQL over the build's store, or Cypher over the loaded graph database."""
    from .graph import named_queries

    build_ = _open(data_dir)
    name = query_file[:-len(".cypher")] if query_file.endswith(".cypher") else query_file
    try:
        if cypher:
            from .graph.neo4j_connection import open_target

            path = (Path(query_file) if Path(query_file).is_file()
                    else named_queries.QUERIES_DIR / f"{Path(name).name}.cypher")
            text = path.read_text(encoding="utf-8")
            with (open_target(data_dir, get_settings()) as target,
                  target.driver.session(database=target.database) as session):
                rows = [record.data() for record in session.run(text)]
        else:
            bindings = dict(b.split("=", 1) for b in bind)
            result = named_queries.run_query_file(build_, name, bindings or None, base=get_settings().govkg_base_iri)
            rows = [{"result": result}] if isinstance(result, bool) else result
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/red] no such query: {query_file}")
        raise typer.Exit(2) from exc
    except Exception as exc:  # a syntax error, a bad binding, an unreachable database
        console.print(f"[red]error:[/red] {type(exc).__name__}: {exc}")
        raise typer.Exit(1) from exc
    _print_rows(rows, fmt)


@app.command()
def validate(data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`")) -> None:
    """Validate the build's RDF against the ontology's SHACL shapes (ontology/shapes.ttl); exit 1 if it
    does not conform."""
    from .graph.rdf_export import validate_shacl

    conforms, report = validate_shacl(_open(data_dir), get_settings().govkg_base_iri)
    if not conforms:
        print(report)
        raise typer.Exit(1)
    Console().print("conforms to ontology/shapes.ttl")


@app.command()
def load(
    data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`"),
    batch_size: int = typer.Option(1000, "--batch-size", help="rows per statement"),
) -> None:
    """Load the current build into the graph database: NEO4J_URI/USER/PASSWORD/DATABASE (environment
    or .env), else the bundled ArcadeDB server on DATA_DIR/arcadedb. Incremental: unchanged documents
    are skipped, changed ones replaced, removed ones unloaded."""
    _load_graph(data_dir, batch_size)


@app.command()
def serve(
    data_dir: Path = typer.Argument(..., help="data folder written by `govkg build`"),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    no_cypher: bool = typer.Option(False, "--no-cypher", help="no graph database: /cypher answers 503"),
    cors_origin: list[str] = typer.Option(
        [], "--cors-origin", help="let pages from this origin (https://host[:port]) read the answers; repeatable. "
                                  "Default: none (CORS off)"),
    query_timeout: float = typer.Option(10.0, "--query-timeout", min=0.1,
                                        help="time limit of one SPARQL or Cypher query, in seconds"),
    max_rows: int = typer.Option(10_000, "--max-rows", min=1, help="rows a SPARQL or Cypher answer holds at most"),
) -> None:
    """Serve the REST API, the explorer, /sparql and /cypher on one port."""
    import uvicorn

    from .api.app import create_app
    from .api.cypher_backend import attach, start_backend
    from .api.state import ServerSettings

    _open(data_dir)
    for origin in cors_origin:
        if not re.fullmatch(r"https?://[^/\s*]+", origin):
            raise typer.BadParameter(f"{origin!r} is not an origin such as https://app.example.org",
                                     param_hint="--cors-origin")
    configured = get_settings()
    settings = ServerSettings(sparql_timeout_s=query_timeout, cypher_timeout_s=query_timeout,
                              sparql_max_rows=max_rows, cypher_max_rows=max_rows, cors_origins=list(cors_origin),
                              base_iri=configured.govkg_base_iri)
    server_app = create_app(data_dir, settings)
    backend = None
    if not no_cypher:
        backend = start_backend(data_dir, server_app.state.govkg.settings.cypher_timeout_s, configured,
                                say=lambda msg: console.print(msg))
    attach(server_app, backend)
    try:
        uvicorn.run(server_app, host=host, port=port)
    finally:
        if backend is not None:
            backend.close()  # stops the bundled server


if __name__ == "__main__":
    app()
