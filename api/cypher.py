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
current build (graph.neo4j_writer.load_build, incremental) when the build changes.

This module is the route; the guard is api/cypher_guard.py, the value collector
api/cypher_collector.py, the backend api/cypher_backend.py.
"""
from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .cypher_backend import QueryFailed, backend
from .cypher_guard import check_read_only
from .models import CypherRequest

router = APIRouter(tags=["cypher"])


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
