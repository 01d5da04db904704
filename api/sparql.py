"""/sparql: a read-only SPARQL 1.1 Protocol endpoint over the current build's Oxigraph store.

    GET  /sparql?query=…                          query
    POST /sparql  (application/x-www-form-urlencoded: query=…)
    POST /sparql  (application/sparql-query: the query as the body)
    GET  /sparql                                  service description (Turtle)

Results: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
JSON-LD or RDF/XML; chosen by the `format` parameter (json|xml|csv|tsv|turtle|nt|jsonld|rdfxml)
or else the Accept header. The default graph is the union (RDF merge, each triple once) of all
named graphs (one per document, plus graph/derived and graph/ontology) unless default-graph-uri /
named-graph-uri are given.

Read-only: SPARQL Update (an `update` parameter, application/sparql-update, or a query that is an
INSERT/DELETE/LOAD/CLEAR/DROP/CREATE/ADD/MOVE/COPY operation) is refused with 403; the store is
opened read-only besides.

Limits (ServerSettings): at most `sparql_max_rows` rows (or triples) are returned; a cut result has
the response header `X-govkg-truncated: true` (and, in SPARQL JSON/XML, a head link to
govkg:truncated). A query still running after `sparql_timeout_s` gets 503. Oxigraph cannot cancel
a running query: the worker thread stops at the next row it reads, but a query that computes for
long before producing its first row (a big ORDER BY, GROUP BY or COUNT) keeps its worker thread
busy until it finishes (the workers are daemon threads, so they never keep the server from
exiting); at most WORKERS queries run at once, later ones wait in line (and time out if they wait
too long).
"""
from __future__ import annotations

import asyncio
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..graph.rdf_terms import prefixes
from ..graph.rdfstore import rdf_store
from ..graph.store import NoBuildError
from ..ontology import GOVKG

router = APIRouter(tags=["sparql"])

WORKERS = 4
_slots = threading.BoundedSemaphore(WORKERS)

TRUNCATED_LINK = str(GOVKG) + "truncated"
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

# media type -> result format, by result kind
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json", "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle", "text/n3": "turtle",
    "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
}
SOLUTION_PARAMS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "srj": "json", "srx": "xml"}
GRAPH_PARAMS = {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "nt": "nt", "ntriples": "nt",
                "n-triples": "nt", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
                "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml"}
SOLUTION_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
SOLUTION_OX = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_MEDIA = {"turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
               "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
               "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
               "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML)}


class SparqlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# -- request parsing -------------------------------------------------------------------------------
_PROLOGUE_RE = re.compile(
    r"""\A(?:\s+|\#[^\n]*(?:\n|\Z)|(?i:PREFIX)\s*[A-Za-z0-9_.\-\u00B7-\uFFFF]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*""")


MAX_NESTING = 64  # brackets deep: pyoxigraph's parser overflows the worker's stack far beyond this
MAX_OPERATORS = 2_000  # UNION, operators and the like: long chains also recurse in the parser
WORKER_STACK_BYTES = 256 * 1024 * 1024  # virtual; only what a deep query touches is used
_stack_lock = threading.Lock()
_LITERALS_RE = re.compile(r"""'\'\'\'.*?'\'\'\'|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>\s"{}|^`\\]*>|\#[^\n\r]*""",
                          re.DOTALL)


def refused_feature(text: str) -> str | None:
    """Why a read-only query is still refused (federation, pathological nesting), or None."""
    bare = _LITERALS_RE.sub(" ", text)
    if re.search(r"\bSERVICE\b", bare, re.IGNORECASE):
        return "SERVICE is disabled: federated queries would make this server fetch other hosts"
    depth = deepest = 0
    for ch in bare:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    if deepest > MAX_NESTING:
        return f"query nested too deeply ({deepest} levels of brackets; the limit is {MAX_NESTING})"
    operators = len(re.findall(r"\bUNION\b|\bMINUS\b|\|\||&&|[-+*/|^]|!=|<=|>=", bare, re.IGNORECASE))
    if operators > MAX_OPERATORS:
        return f"query too complex ({operators} operators; the limit is {MAX_OPERATORS})"
    return None


def update_operation(text: str) -> str | None:
    """The SPARQL Update keyword `text` starts with (after its prologue), or None."""
    rest = text[_PROLOGUE_RE.match(text).end():]
    word = re.match(r"[A-Za-z]+", rest)
    if word and word.group(0).upper() in UPDATE_KEYWORDS:
        return word.group(0).upper()
    return None


def read_only_message(what: str) -> str:
    return (f"this SPARQL endpoint is read-only: {what} is not allowed "
            "(SPARQL Update operations INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY are refused)")


@dataclass
class SparqlRequest:
    query: str | None
    formats: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


def _from_pairs(pairs: list[tuple[str, str]], query: str | None = None) -> SparqlRequest:
    req = SparqlRequest(query)
    keys = [key for key, _ in pairs]
    queries = keys.count("query") + (query is not None)
    # SPARQL 1.1 Protocol 2.1.4: more than one query string, or a query and an update, is malformed (400)
    if queries > 1:
        raise SparqlError(400, "more than one query string in the request (the SPARQL 1.1 Protocol allows one)")
    if "update" in keys:
        if queries:
            raise SparqlError(400, "a request holds a query or an update, not both (SPARQL 1.1 Protocol)")
        raise SparqlError(403, read_only_message("the `update` parameter"))
    if not queries and any(key in ("default-graph-uri", "named-graph-uri") for key in keys):
        raise SparqlError(400, "default-graph-uri/named-graph-uri given without a query")
    for key, value in pairs:
        if key == "query":
            req.query = value
        elif key in ("format", "output", "results"):
            req.formats.append(value)
        elif key == "default-graph-uri":
            req.default_graphs.append(value)
        elif key == "named-graph-uri":
            req.named_graphs.append(value)
    return req


async def parse_request(request: Request, max_body: int) -> SparqlRequest:
    url_pairs = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return _from_pairs(url_pairs)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise SparqlError(403, read_only_message("application/sparql-update"))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body:
        raise SparqlError(413, f"request body larger than {max_body} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_body:
            raise SparqlError(413, f"request body larger than {max_body} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError(400, "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        return _from_pairs(parse_qsl(text, keep_blank_values=True) + url_pairs)
    if ctype == "application/sparql-query":
        return _from_pairs(url_pairs, query=text)
    raise SparqlError(415, f"unsupported Content-Type {ctype or '(none)'!r}: send application/sparql-query "
                           "or application/x-www-form-urlencoded with query=")


def _accepted(accept: str) -> list[tuple[str, float]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q - i * 1e-6))  # stable: earlier wins on equal q
    return sorted(out, key=lambda x: -x[1])


def choose_format(kind: str, formats: list[str], accept: str) -> str:
    """The result format for `kind` ('solutions' or 'graph'): format parameter first, then Accept."""
    params, types, default = ((SOLUTION_PARAMS, SOLUTION_TYPES, "json") if kind == "solutions"
                              else (GRAPH_PARAMS, GRAPH_TYPES, "turtle"))
    for value in formats:
        value = value.strip().lower()
        if value in params:
            return params[value]
        if value in types:
            return types[value]
    if not accept.strip():
        return default
    for media, q in _accepted(accept):
        if q <= 0:
            continue
        if media in types:
            return types[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    supported = ", ".join(sorted(set(types)))
    raise SparqlError(406, f"cannot produce any of the accepted types ({accept}); supported: {supported}")


# -- execution -------------------------------------------------------------------------------------
class _TimedOut(Exception):
    pass


@dataclass
class Outcome:
    kind: str  # "boolean" | "solutions" | "graph"
    boolean: bool = False
    variables: list[str] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    truncated: bool = False


def _settle(future: asyncio.Future, result: Any = None, exc: BaseException | None = None) -> None:
    if not future.done():
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)


def run_in_worker(fn, *args) -> asyncio.Future:
    """Run fn(*args) in a daemon thread, at most WORKERS at once (a runaway query that cannot be
    interrupted must neither block the event loop nor keep the process from exiting)."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def target() -> None:
        with _slots:
            try:
                settle = (_settle, future, fn(*args))
            except BaseException as exc:  # handed to the awaiting request
                settle = (_settle, future, None, exc)
        try:
            loop.call_soon_threadsafe(*settle)
        except RuntimeError:  # the event loop is gone (server shut down)
            pass

    with _stack_lock:  # a big stack for the recursive parser and evaluator (threads made here only)
        previous = threading.stack_size(WORKER_STACK_BYTES)
        try:
            threading.Thread(target=target, name="govkg-sparql", daemon=True).start()
        finally:
            threading.stack_size(previous)
    return future


def execute(store: ox.Store, req: SparqlRequest, max_rows: int, deadline: float, cancel: threading.Event) -> Outcome:
    """Run the query, reading at most max_rows rows and checking the deadline between rows."""
    if cancel.is_set() or time.monotonic() > deadline:  # timed out while waiting for a worker
        raise _TimedOut()
    kwargs: dict[str, Any] = {}
    if req.default_graphs:  # otherwise the store's default graph: the merge of all named graphs
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
    if req.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
    result = store.query(req.query, **kwargs)
    try:
        if isinstance(result, ox.QueryBoolean):
            return Outcome("boolean", boolean=bool(result))
        out = Outcome("solutions" if isinstance(result, ox.QuerySolutions) else "graph")
        if out.kind == "solutions":
            out.variables = [v.value for v in result.variables]
        for row in result:
            if cancel.is_set() or time.monotonic() > deadline:
                raise _TimedOut()
            if len(out.rows) >= max_rows:
                out.truncated = True
                break
            out.rows.append(row)
        return out
    finally:
        # pyoxigraph's result iterators must be dropped on the thread that made them; an exception
        # handed to the event loop would otherwise carry this frame, and the iterator, over there.
        del result


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    return {"type": "literal", "value": str(term)}


def solutions_json(out: Outcome) -> bytes:
    """The SPARQL JSON results text (the bytes json.dumps of the whole document gives), written one
    binding at a time with each distinct term encoded once: answers of thousands of rows repeat the
    same IRIs and labels, and encoding every value anew was half the time of such a query."""
    head: dict[str, Any] = {"vars": out.variables}
    if out.truncated:
        head["link"] = [TRUNCATED_LINK]
    if out.kind == "boolean":
        return json.dumps({"head": {}, "boolean": out.boolean}).encode()
    keys = [(name, json.dumps(name, ensure_ascii=False) + ": ") for name in out.variables]
    encoded: dict[Any, str] = {}
    bindings = []
    for row in out.rows:
        fields = []
        for name, key in keys:
            value = row[name]
            if value is not None:
                text = encoded.get(value)
                if text is None:
                    text = encoded[value] = json.dumps(_term_json(value), ensure_ascii=False)
                fields.append(key + text)
        bindings.append("{" + ", ".join(fields) + "}")
    text = ('{"head": ' + json.dumps(head, ensure_ascii=False) + ', "results": {"bindings": ['
            + ", ".join(bindings) + "]}}")
    return text.encode("utf-8")


def render(out: Outcome, fmt: str, base: str | None = None) -> tuple[bytes, str]:
    if out.kind == "graph":
        media, rdf_format = GRAPH_MEDIA[fmt]
        buf = io.BytesIO()
        ox.serialize([t for t in out.rows], buf, rdf_format,
                     prefixes=prefixes(base) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None)
        return buf.getvalue(), media
    if out.kind == "boolean" and fmt in ("csv", "tsv"):
        return (f"_askResult\r\n{'true' if out.boolean else 'false'}\r\n").encode(), SOLUTION_MEDIA[fmt]
    data = solutions_json(out)
    if fmt == "json":
        return data, SOLUTION_MEDIA["json"]
    # XML, CSV and TSV written by Oxigraph's own serialisers from the JSON
    converted = ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(format=SOLUTION_OX[fmt])
    if fmt == "xml" and out.truncated:
        converted = converted.replace(b"</head>", f'<link href="{TRUNCATED_LINK}"/></head>'.encode(), 1)
    return converted, SOLUTION_MEDIA[fmt]


def _query_form(query: str) -> str:
    rest = query[_PROLOGUE_RE.match(query).end():]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word else ""


def _state(request: Request):
    return request.app.state.govkg


def _get_store(state) -> ox.Store:
    build = state.build()
    store = state.per_build.get("rdf_store")
    if store is None:
        store = rdf_store(build, state.settings.base_iri)
        state.per_build["rdf_store"] = store
    return store


async def _store_or_error(request: Request) -> ox.Store | JSONResponse:
    try:
        return await run_in_threadpool(_get_store, _state(request))
    except NoBuildError as exc:
        return error(503, str(exc))
    except OSError as exc:
        return error(503, f"the RDF store of the current build cannot be opened: {exc.strerror or type(exc).__name__}")


async def handle(request: Request) -> Response:
    state = _state(request)
    settings = state.settings
    try:
        req = await parse_request(request, settings.max_body_bytes)
    except SparqlError as exc:
        return error(exc.status, exc.message)
    if req.query is None:
        return await service_description(request)
    if not req.query.strip():
        return error(400, "empty query")
    if (op := update_operation(req.query)) is not None:
        return error(403, read_only_message(f"{op} (SPARQL Update)"))
    if (why := refused_feature(req.query)) is not None:
        return error(400, why)
    # choose the formats before running (406 early); the query form decides which one applies
    accept = request.headers.get("accept", "")
    formats: dict[str, str | SparqlError] = {}
    for kind in ("solutions", "graph"):
        try:
            formats[kind] = choose_format(kind, req.formats, accept)
        except SparqlError as exc:
            formats[kind] = exc
    expected = formats["graph" if _query_form(req.query) in ("CONSTRUCT", "DESCRIBE") else "solutions"]
    if isinstance(expected, SparqlError):
        return error(expected.status, expected.message)

    store = await _store_or_error(request)
    if isinstance(store, JSONResponse):
        return store
    timeout = float(settings.sparql_timeout_s)
    cancel = threading.Event()
    deadline = time.monotonic() + timeout
    future = run_in_worker(execute, store, req, int(settings.sparql_max_rows), deadline, cancel)
    try:
        out = await asyncio.wait_for(future, timeout=timeout)
    except (asyncio.TimeoutError, _TimedOut):
        cancel.set()
        return error(503, f"the query hit the time limit of {timeout:g} s and was stopped; "
                          "narrow it down (LIMIT, more specific patterns)", {"Retry-After": "1"})
    except SyntaxError as exc:
        return error(400, f"malformed query: {exc}")
    except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
        return error(400, f"bad request: {exc}")
    except OSError:
        return error(500, "the store could not be read")
    except Exception as exc:  # no stack traces to the client
        return error(500, f"query failed: {type(exc).__name__}")
    fmt = formats["graph" if out.kind == "graph" else "solutions"]
    if isinstance(fmt, SparqlError):
        return error(fmt.status, fmt.message)
    body, media = await run_in_threadpool(render, out, fmt, settings.base_iri)
    headers = {"Vary": "Accept", "X-govkg-row-limit": str(settings.sparql_max_rows)}
    if out.truncated:
        headers["X-govkg-truncated"] = "true"
    return Response(body, media_type=media, headers=headers)


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


async def service_description(request: Request) -> Response:
    store = await _store_or_error(request)
    if isinstance(store, JSONResponse):
        return store
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(service, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                  ox.Literal("govkg read-only SPARQL 1.1 endpoint; the default graph is the union of the named graphs "
                             "(one per document, graph/derived, graph/ontology)", language="en")),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, a, sd("Graph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
    graphs = await run_in_threadpool(lambda: sorted(g.value for g in store.named_graphs()))
    for i, graph in enumerate(graphs):
        node = ox.BlankNode(f"g{i}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, a, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(graph))]
    try:
        fmt = choose_format("graph", [], request.headers.get("accept", ""))
    except SparqlError:
        fmt = "turtle"
    media, rdf_format = GRAPH_MEDIA[fmt]
    buf = io.BytesIO()
    ox.serialize(triples, buf, rdf_format,
                 prefixes={"sd": SD, "formats": FORMATS} if rdf_format == ox.RdfFormat.TURTLE else None)
    return Response(buf.getvalue(), media_type=media, headers={"Vary": "Accept"})


@router.get("/sparql", summary="SPARQL 1.1 query (GET) or the service description")
async def sparql_get(request: Request) -> Response:
    return await handle(request)


@router.post("/sparql", summary="SPARQL 1.1 query (POST, form-encoded or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    return await handle(request)
