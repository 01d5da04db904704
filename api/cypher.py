"""POST /cypher: read-only Cypher over Bolt against the property-graph projection.

    POST /cypher  {"query": "MATCH (a:Agency)-[r:LEADS]->(m:Measure) RETURN a, r, m LIMIT 5",
                   "parameters": {}}
    200 {"columns": [...], "rows": [[...]], "graph": {"nodes": [...], "edges": [...]},
         "truncated": false, "max_rows": 10000, "elapsed_ms": 12}

Values: nodes are {"id", "element_id", "labels", "properties"} (`id` is the govkg id), edges
{"id", "type", "source", "target", "properties"} (source/target: node ids), paths
{"nodes", "edges"}; temporal values are ISO strings. `graph` collects every node and edge of the
rows (an edge's end nodes are always in it) for the explorer.

Read-only for real: a query is refused (403) BEFORE it reaches the database when, after string
literals, quoted names and comments are removed, it contains a write or admin clause as a whole
word (CREATE MERGE SET DELETE DETACH REMOVE FOREACH LOAD CSV DROP ALTER GRANT REVOKE DENY USE
INSERT TERMINATE ..., CALL {...} IN TRANSACTIONS), does not open with a read clause (COMMIT, BEGIN,
SHOW ... are refused), holds more than one statement, or CALLs a procedure other than the read-only
schema procedures (db.labels() ...); apoc.* is refused everywhere. Sessions are also opened with
READ access (Neo4j enforces it; ArcadeDB does not, hence the check).

Limits (app settings cypher_timeout_s, cypher_max_rows): rows beyond the cap are dropped and
`truncated` is true; a query still running at the time limit is stopped (server-side transaction
timeout, plus a client-side deadline that closes the connection) and answered 504. Syntax and
other query errors: 400 with the server's message. Database down or not configured: 503. Errors
are JSON {"error": message}.

Where the database comes from (`backend(request)`): the `CypherBackend` attached to the app by
`attach(app, backend)` (`govkg serve` does: NEO4J_URI when set, else the bundled ArcadeDB server
it starts on DATA_DIR/arcadedb, see `start_backend`), or, when none is attached, one made from the
NEO4J_* settings on first use. A backend with `autoload` brings the database in line with the
current build (graph.neo4j.load_build, incremental) when the build changes.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import math
import re
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

log = logging.getLogger("govkg.cypher")

router = APIRouter(tags=["cypher"])

# ---------------------------------------------------------------------------------- the check

WRITE_WORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD", "DROP", "ALTER",
    "GRANT", "REVOKE", "DENY", "USE", "INSERT", "TERMINATE", "RENAME", "DEALLOCATE", "REALLOCATE",
})
WRITE_PAIRS = {
    ("IN", "TRANSACTIONS"): "CALL { ... } IN TRANSACTIONS",
    ("IN", "CONCURRENT"): "CALL { ... } IN CONCURRENT TRANSACTIONS",
    ("START", "DATABASE"): "START DATABASE",
    ("STOP", "DATABASE"): "STOP DATABASE",
    ("ENABLE", "SERVER"): "ENABLE SERVER",
    ("DRYRUN", "REALLOCATE"): "DRYRUN REALLOCATE",
}
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes", "db.constraints",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
})
# A statement must open with one of these (after an optional EXPLAIN or PROFILE); anything else,
# such as COMMIT, BEGIN, ROLLBACK or SHOW ..., is refused before it reaches the database.
READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
_TOKEN = re.compile(r"[^\W\d]\w*|\d+|\S", re.UNICODE)


LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")  # where a // comment may end


def strip_literals(query: str, backslash_escapes: bool = True) -> str:
    """The query with string literals, `quoted names` and comments blanked out."""
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if backslash_escapes and query[j] == "\\":
                    j += 2
                    continue
                if query[j] == c:
                    break
                j += 1
            out.append(" '' ")
            i = j + 1
        elif c == "`":
            j = i + 1
            while j < n:
                if query[j] == "`":
                    if j + 1 < n and query[j + 1] == "`":
                        j += 2
                        continue
                    break
                j += 1
            out.append(" `q` ")
            i = j + 1
        elif query.startswith("//", i):  # ends at any line break the database's parser accepts
            ends = [k for k in (query.find(br, i) for br in LINE_BREAKS) if k >= 0]
            i = min(ends) if ends else n
            out.append(" ")
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _statement_refusal(tokens: list[tuple[str, int]]) -> str | None:
    """One statement, opening with a read clause."""
    if not tokens:
        return None  # the database reports the empty query
    first = tokens[0][0].upper()
    if first in ("EXPLAIN", "PROFILE") and len(tokens) > 1:
        first = tokens[1][0].upper()
    if first not in READ_STARTS:
        return (f"a query starting with {first} is not allowed: this endpoint answers read queries, "
                f"which start with {', '.join(sorted(READ_STARTS))}")
    if any(token == ";" for token, _ in tokens[:-1]):
        return "several statements are not allowed: send one per request (remove the ';' and what follows)"
    return None


def _refusal(stripped: str) -> str | None:
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(stripped)]
    reason = _statement_refusal(tokens)
    if reason:
        return reason
    words = [(t.upper(), pos, k) for k, (t, pos) in enumerate(tokens) if t[0].isalpha() or t[0] == "_"]
    for index, (word, pos, k) in enumerate(words):
        before = stripped[pos - 1] if pos > 0 else " "
        if before in ".$":  # a property key (n.set), a namespace part or a parameter ($create)
            continue
        nxt = words[index + 1][0] if index + 1 < len(words) else ""
        if (word, nxt) in WRITE_PAIRS:
            return f"{WRITE_PAIRS[(word, nxt)]} is not allowed: this endpoint is read-only"
        if word in WRITE_WORDS:
            what = "LOAD CSV" if word == "LOAD" else ("DETACH DELETE" if word == "DETACH" else word)
            return f"{what} is not allowed: this endpoint is read-only"
        if word == "APOC" and k + 1 < len(tokens) and tokens[k + 1][0] == ".":
            return "apoc.* is not allowed: this endpoint is read-only"
        if word == "CALL":
            following = tokens[k + 1][0] if k + 1 < len(tokens) else ""
            if following in ("{", "("):
                continue  # a subquery: its clauses are checked like the rest
            name = []
            j = k + 1
            while j < len(tokens):
                token = tokens[j][0]
                if token[0].isalpha() or token[0] == "_" or token == "`q`":
                    name.append(token)
                elif token == "`":
                    name.append("`q`")
                else:
                    break
                if j + 1 < len(tokens) and tokens[j + 1][0] == ".":
                    j += 2
                    continue
                break
            procedure = ".".join(name)
            if procedure.lower() not in READ_PROCEDURES:
                return (f"CALL {procedure or '?'} is not allowed: this endpoint is read-only "
                        f"(allowed procedures: {', '.join(sorted(READ_PROCEDURES))})")
    return None


def check_read_only(query: str) -> str | None:
    """Why the query is refused, or None. Checked under both readings of backslashes in strings,
    so a literal the database ends elsewhere than we do cannot hide a clause."""
    for escapes in (True, False):
        reason = _refusal(strip_literals(query, escapes))
        if reason:
            return reason
    return None


# ---------------------------------------------------------------------------------- values

def _node_key(node) -> str:
    props = dict(node.items()) if hasattr(node, "items") else {}
    value = props.get("id")
    return value if isinstance(value, str) and value else node.element_id


MAX_END_FETCH = 2000
END_NODES = "MATCH (n) WHERE elementId(n) IN $ids RETURN n"


class _Collector:
    """Turns driver values into JSON and collects the graph (nodes and edges) they contain."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}   # element_id -> node json
        self.edges: dict[str, dict] = {}
        self._edge_ends: dict[str, tuple[Any, Any]] = {}

    def node(self, node) -> dict:
        known = self.nodes.get(node.element_id)
        if known is not None:
            return known
        out = {"id": _node_key(node), "element_id": node.element_id, "labels": sorted(node.labels),
               "properties": {k: self.value(v) for k, v in node.items()}}
        self.nodes[node.element_id] = out
        return out

    def edge(self, rel) -> dict:
        known = self.edges.get(rel.element_id)
        if known is not None:
            return known
        out = {"id": rel.element_id, "type": rel.type, "source": None, "target": None,
               "properties": {k: self.value(v) for k, v in rel.items()}}
        self.edges[rel.element_id] = out
        self._edge_ends[rel.element_id] = (rel.start_node, rel.end_node)
        return out

    def value(self, value: Any) -> Any:
        from neo4j.graph import Node, Path, Relationship

        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if isinstance(value, Node):
            return self.node(value)
        if isinstance(value, Relationship):
            return self.edge(value)
        if isinstance(value, Path):
            return {"nodes": [self.node(n) for n in value.nodes],
                    "edges": [self.edge(r) for r in value.relationships]}
        if isinstance(value, dict):
            return {str(k): self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if hasattr(value, "iso_format"):
            return value.iso_format()
        if hasattr(value, "srid"):  # spatial point
            return {"srid": value.srid, "coordinates": list(value)}
        return str(value)

    def missing_ends(self) -> list[str]:
        wanted = {node.element_id for ends in self._edge_ends.values() for node in ends if node is not None}
        return sorted(wanted - set(self.nodes))

    def finish(self) -> dict:
        """Resolve edge ends to node ids, adding end nodes the rows did not return."""
        for element_id, edge in self.edges.items():
            start, end = self._edge_ends[element_id]
            edge["source"] = self._end(start)
            edge["target"] = self._end(end)
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values())}

    def _end(self, node) -> str:
        if node is None:
            return ""
        known = self.nodes.get(node.element_id)
        if known is None:
            known = self.node(node)  # props only if the driver saw the node; else element id only
        return known["id"]


# ---------------------------------------------------------------------------------- backend

class QueryFailed(Exception):
    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.extra = extra


_DOWN_MESSAGE = ("the graph database is not reachable ({detail}); the rest of govkg keeps working. "
                 "Check NEO4J_URI or restart `govkg serve`")


def _classify(exc: BaseException, timeout_s: float) -> QueryFailed:
    from neo4j import exceptions as ex

    from ..graph.neo4j import is_connection_error

    if is_connection_error(exc) or isinstance(exc, ex.DriverError) and not isinstance(exc, ex.ResultError):
        return QueryFailed(503, _DOWN_MESSAGE.format(detail=f"{type(exc).__name__}: {exc}"))
    if isinstance(exc, ex.Neo4jError):
        code = exc.code or ""
        message = exc.message or str(exc)
        if "TransactionTimedOut" in code or "Timeout" in code or "timed out" in message.lower():
            return QueryFailed(504, f"the query hit the time limit of {timeout_s:g} s and was stopped",
                               timeout=True, time_limit_s=timeout_s)
        if "AccessMode" in code or "Forbidden" in code or isinstance(exc, ex.Forbidden):
            return QueryFailed(403, f"refused by the database: {message}")
        if "DatabaseNotFound" in code or "DatabaseUnavailable" in code:
            return QueryFailed(503, _DOWN_MESSAGE.format(detail=message))
        if "Security" in code:
            return QueryFailed(503, _DOWN_MESSAGE.format(detail=f"authentication failed: {message}"))
        if isinstance(exc, (ex.ClientError,)):
            return QueryFailed(400, message, code=code)
        return QueryFailed(400 if "Statement" in code else 502, message, code=code)
    if isinstance(exc, (OverflowError, UnicodeError, ValueError, TypeError)):  # the driver cannot encode it
        return QueryFailed(400, f"the query or its parameters cannot be sent to the database ({type(exc).__name__}: "
                                "integers must fit in 64 bits and text must be valid Unicode)")
    return QueryFailed(500, "internal error")


@dataclass
class CypherBackend:
    """A Bolt database the endpoint queries, and (optionally) keeps loaded with the current build."""

    uri: str
    auth: tuple[str, str]
    database: str
    autoload: bool = True
    server: Any = None              # the bundled BoltServer this backend owns, if any
    error: str | None = None        # why it is unavailable (startup failed)
    load_batch_size: int = 1000
    _driver: Any = field(default=None, repr=False)
    _async_driver: Any = field(default=None, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    last_load: Any = None
    last_load_error: str | None = None

    @classmethod
    def unavailable(cls, reason: str) -> "CypherBackend":
        return cls(uri="", auth=("", ""), database="", autoload=False, error=reason)

    @classmethod
    def from_settings(cls, settings=None, autoload: bool = True) -> "CypherBackend | None":
        from ..settings import get_settings

        settings = settings or get_settings()
        if not settings.neo4j_uri:
            return None
        return cls(settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password or ""),
                   settings.neo4j_database, autoload=autoload)

    # -- drivers ---------------------------------------------------------------------------
    @property
    def driver(self):
        """A synchronous driver (loads, admin)."""
        with self._lock:
            if self._driver is None:
                import neo4j

                self._driver = neo4j.GraphDatabase.driver(self.uri, auth=self.auth, connection_timeout=5.0,
                                                          max_transaction_retry_time=5.0)
            return self._driver

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        """Queries run on the async driver in this backend's own event loop thread, so that a
        query past its deadline is cancelled (the driver then closes its connection)."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="govkg-cypher", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def _adriver(self):
        if self._async_driver is None:
            import neo4j

            self._async_driver = neo4j.AsyncGraphDatabase.driver(
                self.uri, auth=self.auth, connection_timeout=5.0, connection_acquisition_timeout=10.0)
        return self._async_driver

    async def _query(self, text: str, parameters: dict, timeout_s: float, max_rows: int) -> dict:
        import neo4j

        driver = await self._adriver()
        collector = _Collector()
        rows: list[list[Any]] = []
        truncated = False
        async with driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                  fetch_size=min(max(max_rows + 1, 1), 1000)) as session:
            result = await session.run(neo4j.Query(text, timeout=timeout_s), parameters)
            columns = list(result.keys())
            async for record in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([collector.value(v) for v in record.values()])
            missing = collector.missing_ends()
            if missing and len(missing) <= MAX_END_FETCH:  # edges returned without their end nodes
                try:
                    ends = await session.run(neo4j.Query(END_NODES, timeout=timeout_s), {"ids": missing})
                    async for record in ends:
                        collector.value(record["n"])
                except neo4j.exceptions.Neo4jError:
                    pass  # ends stay as element ids
        return {"columns": columns, "rows": rows, "graph": collector.finish(), "truncated": truncated}

    def query(self, text: str, parameters: dict | None, timeout_s: float, max_rows: int) -> dict:
        """Run a read query; raises QueryFailed (status + message)."""
        if self.error:
            raise QueryFailed(503, self.error)
        loop = self._ensure_loop()
        future = asyncio.run_coroutine_threadsafe(
            self._query(text, dict(parameters or {}), timeout_s, max_rows), loop)
        try:
            return future.result(timeout=timeout_s + 0.5)
        except FutureTimeout:
            future.cancel()
            raise QueryFailed(504, f"the query hit the time limit of {timeout_s:g} s and was stopped",
                              timeout=True, time_limit_s=timeout_s) from None
        except QueryFailed:
            raise
        except Exception as exc:
            raise _classify(exc, timeout_s) from exc

    # -- loading ---------------------------------------------------------------------------
    def ensure_loaded(self, state) -> None:
        """Load the current build if this backend autoloads and has not loaded it yet."""
        if not self.autoload or self.error:
            return
        from ..graph.store import NoBuildError

        try:
            build = state.build()
        except NoBuildError:
            return
        per_build = state.per_build
        if per_build.get("neo4j_loaded") == build.path.name:
            return
        with self.load_lock:
            if per_build.get("neo4j_loaded") == build.path.name:
                return
            try:
                self.load(build)
            except QueryFailed:
                raise
            except Exception as exc:  # a loader bug must not take the endpoint down: serve what is loaded
                log.exception("graph load of build %s failed", build.path.name)
                self.last_load_error = f"{type(exc).__name__}: {exc}"
            per_build["neo4j_loaded"] = build.path.name

    def load(self, build):
        from ..graph.neo4j import LoadError, load_build

        try:
            report = load_build(self.driver, self.database, build, batch_size=self.load_batch_size)
        except LoadError as exc:
            self.last_load_error = str(exc)
            raise QueryFailed(503, _DOWN_MESSAGE.format(detail=f"loading the build failed: {exc}")) from exc
        self.last_load, self.last_load_error = report, None
        if report.failed:
            log.warning("graph load: %d documents failed: %s", len(report.failed), report.failed)
        log.info("graph load into %s: %s", self.database, report.summary())
        return report

    def close(self) -> None:
        if self._loop is not None:
            if self._async_driver is not None:
                try:
                    asyncio.run_coroutine_threadsafe(self._async_driver.close(), self._loop).result(timeout=10)
                except Exception:
                    pass
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._loop = None
        if self._driver is not None:
            try:
                self._driver.close()
            except Exception:
                pass
            self._driver = None
        if self.server is not None:
            self.server.stop()


def attach(app: FastAPI, backend: CypherBackend | None) -> None:
    """Serve /cypher of `app` from `backend` (None: /cypher answers 503)."""
    app.state.cypher_backend = backend
    app.state.cypher_attached = True


def backend(request: Request) -> CypherBackend | None:
    app_state = request.app.state
    if not getattr(app_state, "cypher_attached", False):
        with _ATTACH_LOCK:
            if not getattr(app_state, "cypher_attached", False):
                try:
                    attach(request.app, CypherBackend.from_settings())
                except Exception as exc:  # bad settings: report, do not crash the app
                    attach(request.app, CypherBackend.unavailable(f"the NEO4J_* settings are invalid: {exc}"))
    return getattr(app_state, "cypher_backend", None)


_ATTACH_LOCK = threading.Lock()


def start_backend(data_dir: Path, cypher_timeout_s: float = 10.0, settings=None, *, load: bool = True,
                  say=print, server_options: dict | None = None) -> CypherBackend:
    """For `govkg serve`: the NEO4J_URI server when configured, else the bundled ArcadeDB server
    started on DATA_DIR/arcadedb (stopped by `backend.close()`); the current build is loaded.
    Never raises: a backend that failed to start answers 503 with the reason."""
    from ..graph.neo4j import bundled_dir
    from ..settings import get_settings

    settings = settings or get_settings()
    if settings.neo4j_uri:
        backend_ = CypherBackend.from_settings(settings)
        assert backend_ is not None
        say(f"cypher: {settings.neo4j_uri} database {settings.neo4j_database}")
    else:
        from ..graph.boltserver import BoltServer

        # ArcadeDB ignores the Bolt transaction timeout: bound every statement server-side
        server = BoltServer(bundled_dir(data_dir), database="govkg",
                            command_timeout_s=max(float(cypher_timeout_s) + 2.0, 5.0), **(server_options or {}))
        try:
            server.start()
        except Exception as exc:
            say(f"cypher: the bundled ArcadeDB server did not start: {exc}")
            return CypherBackend.unavailable(f"the bundled graph database did not start: {exc}")
        backend_ = CypherBackend(server.uri, server.auth, server.database, server=server)
        say(f"cypher: bundled ArcadeDB server {server.uri} (pid {server.pid}, data {server.data_dir})")
    if load:
        from ..graph.store import NoBuildError, current_build

        try:
            report = backend_.load(current_build(data_dir))
            say(f"cypher: {report.summary()}")
        except NoBuildError:
            pass
        except QueryFailed as exc:
            say(f"cypher: {exc}")
    return backend_


# ---------------------------------------------------------------------------------- endpoint

class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=100_000, examples=[
        "MATCH (a:Agency)-[r:LEADS]->(m:Measure) RETURN a.name, m.text LIMIT 10"])
    parameters: dict[str, Any] = Field(default_factory=dict)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


@router.post("/cypher", summary="Run a read-only Cypher query",
             responses={400: {"description": "syntax or query error"}, 403: {"description": "write refused"},
                        503: {"description": "graph database unavailable"},
                        504: {"description": "time limit hit"}})
def cypher(body: CypherRequest, request: Request):
    reason = check_read_only(body.query)
    if reason:
        return _error(403, reason)
    backend_ = backend(request)
    if backend_ is None:
        return _error(503, "no graph database is configured: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD, "
                           "NEO4J_DATABASE) or run `govkg serve`, which starts the bundled server")
    state = request.app.state.govkg
    settings = state.settings
    timeout_s = float(settings.cypher_timeout_s)
    max_rows = int(settings.cypher_max_rows)
    started = time.perf_counter()
    try:
        backend_.ensure_loaded(state)
        out = backend_.query(body.query, body.parameters, timeout_s, max_rows)
    except QueryFailed as exc:
        return _error(exc.status, str(exc), **exc.extra)
    out["max_rows"] = max_rows
    out["elapsed_ms"] = round((time.perf_counter() - started) * 1000)
    if out["truncated"]:
        out["warning"] = f"more than {max_rows} rows: only the first {max_rows} are returned"
    return out
