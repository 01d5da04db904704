"""/sparql and /cypher fed malformed, oversized and write-attempting queries, and concurrent load
at the row cap and the time limit, against a live server (uvicorn on 127.0.0.1); then schemathesis
in stateful mode over the whole OpenAPI schema.

The Cypher backend is the shared Bolt test server (tests/neo4j_fixture.py: the bundled ArcadeDB,
or NEO4J_URI when set), a fresh database loaded with the fixture build by the endpoint itself.
Writes are checked against the stores directly: the number of quads in the build's Oxigraph store
(opened anew, read-only) and of nodes and relationships in the graph database.

Documented statuses: a refused write is 403, a malformed query 400, an oversized body 413, a long
query string 414; a query over the time limit is 503 on /sparql (with Retry-After) and 504 on
/cypher. No other 5xx is acceptable.
"""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, settings

from govkg.api.app import create_app
from govkg.api.cypher_backend import CypherBackend, attach
from govkg.api.state import ServerSettings
from govkg.graph.store import current_build
from aio import run_coroutine
from neo4j_fixture import graph_db, write_build

MAX_ROWS = 25
SETTINGS = ServerSettings(sparql_max_rows=MAX_ROWS, sparql_timeout_s=1.0, cypher_max_rows=MAX_ROWS, cypher_timeout_s=2.0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Live:
    def __init__(self, base: str, data: Path, db, app):
        self.base, self.data, self.db, self.app = base, data, db, app

    def quads(self) -> int:
        """Quads in the build's RDF store, read through a fresh read-only handle."""
        store = ox.Store.read_only(str(current_build(self.data).path / "rdf"))
        return len(store)

    def graph_counts(self) -> tuple[int, int]:
        return (self.db.scalar("MATCH (n) RETURN count(n)"), self.db.scalar("MATCH ()-[r]->() RETURN count(r)"))

    def sparql_count(self) -> int:
        r = httpx.get(f"{self.base}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, timeout=60)
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    def cypher(self, query: str, timeout: float = 60, **parameters) -> httpx.Response:
        return httpx.post(f"{self.base}/cypher", json={"query": query, "parameters": parameters}, timeout=timeout)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    import uvicorn

    data = tmp_path_factory.mktemp("abuse") / "data"
    write_build(data)
    db = graph_db("abuse")
    app = create_app(data, SETTINGS)
    attach(app, CypherBackend(db.uri, db.auth, db.database))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    out = Live(f"http://127.0.0.1:{port}", data, db, app)
    assert out.cypher("RETURN 1 AS one").json()["rows"] == [[1]]  # loads the build into the database
    assert out.sparql_count() > 100  # creates the RDF store
    yield out
    server.should_exit = True
    thread.join(timeout=10)
    app.state.cypher_backend.close()
    db.driver.close()


@pytest.fixture(scope="module")
def baseline(live):
    return {"quads": live.quads(), "sparql": live.sparql_count(), "graph": live.graph_counts()}


def clean_error(response: httpx.Response) -> None:
    assert "Traceback" not in response.text and 'File "' not in response.text
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert isinstance(body, dict) and ("error" in body or "detail" in body), body


# ------------------------------------------------------------------------------------- SPARQL

SPARQL_MALFORMED = [
    "SELECT * WHERE {", "SELEC * WHERE { ?s ?p ?o }", "SELECT ?x WHERE { ?x ?y }", "}}}}", "(", "\u0000",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT * WHERE { x:a ?p ?o }", "PREFIX : <unterminated SELECT *",
    "SELECT * WHERE { ?s ?p 'unterminated }", "ASK { <not an iri> ?p ?o }", "SELECT * WHERE { ?s ?p ?o } ;",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "DESCRIBE", "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY",
    "SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }", "SELECT * WHERE { FILTER(" + "(" * 300 + ") }",
    "爱山东", "\ufeffSELECT", "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999999",
]


@pytest.mark.parametrize("query", SPARQL_MALFORMED)
def test_sparql_malformed_is_4xx(live, baseline, query):
    for response in (httpx.get(f"{live.base}/sparql", params={"query": query}, timeout=30),
                     httpx.post(f"{live.base}/sparql", content=query.encode("utf-8"),
                                headers={"content-type": "application/sparql-query"}, timeout=30)):
        assert 400 <= response.status_code < 500, (query, response.status_code, response.text[:300])
        clean_error(response)


def test_sparql_bad_encodings_and_types_are_4xx(live):
    base = f"{live.base}/sparql"
    cases = [
        httpx.post(base, content=b"\xff\xfe\x00S", headers={"content-type": "application/sparql-query"}),
        httpx.post(base, content=b"query=%FF%FE", headers={"content-type": "application/x-www-form-urlencoded"}),
        httpx.post(base, content=b"ASK {}", headers={"content-type": "application/json"}),
        httpx.post(base, content=b"ASK {}"),
        httpx.get(base, params={"query": "ASK {}", "default-graph-uri": "not an iri"}),
        httpx.get(base, params={"query": "ASK {}"}, headers={"accept": "image/png"}),
        httpx.get(base, params={"query": "ASK {}", "format": "image/png"}, headers={"accept": "image/png"}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
        clean_error(response)


def test_sparql_oversized_is_413_or_414(live, baseline):
    base = f"{live.base}/sparql"
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_001
    response = httpx.post(base, content=big.encode(), headers={"content-type": "application/sparql-query"}, timeout=30)
    assert response.status_code == 413, response.text[:200]
    response = httpx.post(base, data={"query": big}, timeout=30)
    assert response.status_code == 413
    response = httpx.get(base, params={"query": "ASK {} #" + "x" * 20_000}, timeout=30)
    assert response.status_code in (414, 400)  # ours below 16 KiB, uvicorn's own limit above
    response = httpx.get(base, params={"query": "ASK {} #" + "x" * 13_000}, timeout=30)
    assert response.status_code == 414 and "POST" in response.json()["error"]
    assert live.quads() == baseline["quads"]


INSERT = "INSERT DATA { <http://example.com/s> <http://example.com/p> 'o' }"
SPARQL_WRITES = [
    INSERT, "insert data { <http://example.com/s> <http://example.com/p> 'o' }",
    "DELETE WHERE { ?s ?p ?o }", "DELETE DATA { <http://example.com/s> <http://example.com/p> 'o' }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:1/data.ttl>", "LOAD <file:///etc/passwd> INTO GRAPH <http://x/g>",
    "CLEAR ALL", "CLEAR DEFAULT", "CLEAR SILENT GRAPH <http://x/g>", "DROP ALL", "DROP SILENT NAMED",
    "CREATE GRAPH <http://x/new>", "ADD DEFAULT TO <http://x/g>", "MOVE DEFAULT TO <http://x/g>",
    "COPY DEFAULT TO <http://x/g>",
    "PREFIX ex: <http://example.com/>\n# a comment\nINSERT DATA { ex:s ex:p ex:o }",
    "BASE <http://example.com/> PREFIX : <x#> DELETE WHERE { ?s ?p ?o }",
    "  \n\t# leading comment only\n  DROP ALL",
    "PREFIX a:<http://a/>PREFIX b:<http://b/>CLEAR ALL",
    "DELETE WHERE { ?s ?p ?o } ; INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
]


def _sparql_write_requests(base: str, update: str) -> list[tuple[str, httpx.Request]]:
    url = f"{base}/sparql"
    return [
        ("GET query=", httpx.Request("GET", url, params={"query": update})),
        ("POST form query=", httpx.Request("POST", url, data={"query": update})),
        ("POST sparql-query", httpx.Request("POST", url, content=update.encode(),
                                            headers={"content-type": "application/sparql-query"})),
        ("GET update=", httpx.Request("GET", url, params={"update": update})),
        ("POST form update=", httpx.Request("POST", url, data={"update": update})),
        ("POST sparql-update", httpx.Request("POST", url, content=update.encode(),
                                             headers={"content-type": "application/sparql-update"})),
        ("POST sparql-update charset", httpx.Request("POST", url, content=update.encode(),
                                                     headers={"content-type": "Application/SPARQL-Update; charset=utf-8"})),
    ]


@pytest.mark.parametrize("update", SPARQL_WRITES)
def test_sparql_writes_are_refused_and_the_store_is_unchanged(live, baseline, update):
    with httpx.Client(timeout=30) as client:
        for how, request in _sparql_write_requests(live.base, update):
            response = client.send(request)
            assert 400 <= response.status_code < 500, (how, update, response.status_code, response.text[:300])
            clean_error(response)
    assert live.quads() == baseline["quads"]
    assert live.sparql_count() == baseline["sparql"]


class _InternalService:
    """An HTTP server on 127.0.0.1 standing for a service inside the server's network; it records
    every request and answers like a SPARQL endpoint."""

    def __init__(self):
        import http.server

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": "internal"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/admin?token=x"

    def __enter__(self) -> "_InternalService":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()


def _service_attempts(live, queries) -> list[int]:
    return [httpx.get(f"{live.base}/sparql", params={"query": q}, timeout=30).status_code for q in queries]


def test_sparql_service_does_not_reach_other_hosts(live):
    with _InternalService() as internal:
        target = internal.url
        statuses = _service_attempts(live, (
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
            f"PREFIX x: <{target}> ASK {{ service x: {{ ?s ?p ?o }} }}",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"))
        assert not internal.hits, f"the server fetched {internal.hits} for a client (statuses {statuses})"
        assert all(400 <= status < 500 for status in statuses), statuses


def test_sparql_service_hidden_behind_a_comment_ended_by_cr(live):
    with _InternalService() as internal:
        statuses = _service_attempts(live, (
            f"SELECT * WHERE {{ # x\rSERVICE <{internal.url}> {{ ?s ?p ?o }} }}",
            f"# x\rSELECT * WHERE {{ SERVICE <{internal.url}> {{ ?s ?p ?o }} }}"))
        assert not internal.hits, f"the server fetched {internal.hits} for a client (statuses {statuses})"
        assert all(400 <= status < 500 for status in statuses), statuses


# ------------------------------------------------------------------------------------- Cypher

CYPHER_WRITES = [
    "CREATE (n:Agency {id: 'x'})", "CREATE ()", "create (n:Agency {id: 'lower case'})",
    "MERGE (n:Agency {id: 'x'})", "merge (n:Agency {id: 'x'}) return n",
    "MATCH (n:Agency) SET n.name = 'x'", "match (n) set n:Evil", "MATCH (n) SET n += {x: 1}",
    "MATCH (n) DELETE n", "MATCH ()-[r]->() DELETE r", "MATCH (n) DETACH DELETE n", "match (n) detach delete n",
    "MATCH (n:Agency) REMOVE n.name", "MATCH (n) REMOVE n:Agency",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "load csv with headers from 'http://127.0.0.1:1/x' as r return r",
    "FOREACH (x IN [1] | CREATE (:Agency {id: 'y'}))", "MATCH (n) FOREACH (x IN [1] | SET n.x = x)",
    "CALL dbms.listConfig()", "CALL dbms.security.createUser('x', 'y', false)", "call DBMS.killQueries(['x'])",
    "CALL apoc.create.node(['X'], {})", "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL apoc.cypher.runWrite('CREATE (n)', {})", "RETURN apoc.version()", "CALL `apoc`.`create`.`node`(['X'], {})",
    "CALL `dbms.listConfig`()", "CALL db.createLabel('X')", "CALL db.clearQueryCaches()",
    "CALL { CREATE () } IN TRANSACTIONS", "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN CONCURRENT TRANSACTIONS OF 10 ROWS",
    "CALL { MATCH (n) SET n.x = 1 RETURN count(n) AS c } RETURN c",
    "MATCH (n) RETURN n UNION CREATE (m) RETURN m", "MATCH (n) RETURN n; CREATE (m)",
    "MATCH (n) WITH n /* a comment */ SET n.x = 1", "/* */CREATE (n)", "MATCH (n) RETURN n // c\nCREATE (m)",
    "MATCH (n) WHERE n.name = 'a\\' CREATE (m:Agency {id: \"q\"}) //' RETURN n",
    "MATCH (n) WHERE n.name = \"\\\" DELETE n //\" RETURN n",
    "CALL db.labels() YIELD label CREATE (:Agency {id: label})",
    "DROP CONSTRAINT govkg_Agency_id", "DROP INDEX govkg_Agency_name", "CREATE INDEX x FOR (n:Agency) ON (n.kind)",
    "ALTER USER neo4j SET PASSWORD 'x'", "GRANT ROLE admin TO neo4j", "CREATE DATABASE foo", "STOP DATABASE neo4j",
    "USE system SHOW USERS", "TERMINATE TRANSACTIONS 'x'", "INSERT (:Agency {id: 'gql'})",
    "INSERT INTO Agency SET id = 'sql'", "UPDATE Agency SET name = 'sql'", "DELETE FROM Agency",
]


@pytest.mark.parametrize("query", CYPHER_WRITES)
def test_cypher_writes_are_refused_and_the_graph_is_unchanged(live, baseline, query):
    response = live.cypher(query)
    assert response.status_code == 403, (query, response.status_code, response.text[:300])
    assert "not allowed" in response.json()["error"]
    assert live.graph_counts() == baseline["graph"]


# statements the keyword guard does not know as writes: the database must still not change
CYPHER_OTHER = [
    "TRUNCATE TYPE Agency", "TRUNCATE BUCKET Agency", "ALTER TYPE Agency", "REBUILD INDEX *",
    "BEGIN", "START TRANSACTION", "ROLLBACK", "CHECK DATABASE FIX", "BACKUP DATABASE", "EXPORT DATABASE file:///tmp/x",
    "IMPORT DATABASE file:///etc/passwd", "CALL db.labels() YIELD label RETURN label",
    "SHOW CONSTRAINTS", "SHOW DATABASES", "SHOW TRANSACTIONS",
]


@pytest.mark.parametrize("query", CYPHER_OTHER)
def test_other_statements_change_nothing(live, baseline, query):
    response = live.cypher(query)
    assert response.status_code < 500 or response.status_code == 504, (query, response.status_code, response.text)
    clean_error(response)
    assert live.graph_counts() == baseline["graph"]


def test_commit_without_a_transaction_is_not_a_server_error(live, baseline):
    response = live.cypher("COMMIT")
    assert response.status_code < 500, (response.status_code, response.text)
    assert live.graph_counts() == baseline["graph"]


@pytest.mark.parametrize("body", [
    b'{"query": "RETURN $x AS x", "parameters": {"x": 100000000000000000000000000000000000000000}}',
    b'{"query": "RETURN $x AS x", "parameters": {"x": -9223372036854775809}}',
    b'{"query": "RETURN $x AS x", "parameters": {"x": "\\ud800"}}',
    b'{"query": "RETURN \\ud800 AS x"}',
], ids=["int-over-64-bits", "int-under-64-bits", "surrogate-parameter", "surrogate-query"])
def test_unencodable_cypher_input_is_a_client_error(live, body):
    response = httpx.post(f"{live.base}/cypher", content=body, headers={"content-type": "application/json"},
                          timeout=30)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


LINE_BREAKS = {"CR": "\r", "VT": "\x0b", "FF": "\x0c", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def test_a_line_comment_cannot_hide_a_write_clause(tmp_path):
    """Against a database of its own: on the current code the write goes through."""
    from fastapi.testclient import TestClient

    db = graph_db("comment")
    app = None
    try:
        db.run("CREATE (:Agency {id: 'a1', name: 'keep me'})")
        app = create_app(tmp_path / "no-build", SETTINGS)
        attach(app, CypherBackend(db.uri, db.auth, db.database, autoload=False))
        client = TestClient(app)
        answers = {}
        for name, brk in LINE_BREAKS.items():
            for query in (f"WITH 1 AS c //x{brk}CREATE (:Evil {{id: '{name}'}}) RETURN c",
                          f"MATCH (n) WITH n //x{brk}DETACH DELETE n"):
                answers[(name, query[:12])] = client.post("/cypher", json={"query": query}).status_code
        assert db.scalar("MATCH (n) RETURN count(n)") == 1, answers
        assert db.scalar("MATCH (n:Evil) RETURN count(n)") == 0, answers
        assert all(status in (400, 403) for status in answers.values()), answers
    finally:
        if app is not None:
            app.state.cypher_backend.close()
        db.driver.close()


@pytest.mark.parametrize("query", [
    "MATCH (n) WHERE n.name = 'CREATE' RETURN n",
    "MATCH (n) WHERE n.name = 'CREATE SET DELETE MERGE' RETURN count(n) AS c",
    "MATCH (n:Agency) RETURN n.set AS `DELETE`, $create AS c",
    "// CREATE (n) in a comment\nMATCH (n) RETURN count(n) AS c",
    "/* DETACH DELETE n */ MATCH (n:Region) RETURN n.id ORDER BY n.id",
    "MATCH (start:Plan)-[:IMPLEMENTS]->(stop:Plan) RETURN start.name, stop.name",
    "CALL { MATCH (n:Agency) RETURN n } RETURN count(n) AS c",
    "MATCH (n) WHERE n.name CONTAINS \"LOAD CSV\" RETURN n",
    "match (n:Agency) where n.name starts with '山东' return n.name order by n.name",
])
def test_read_queries_hiding_write_words_are_allowed(live, baseline, query):
    response = live.cypher(query, create="x")
    assert response.status_code == 200, (query, response.text[:300])
    assert response.json()["truncated"] in (False, True)
    assert live.graph_counts() == baseline["graph"]


def test_cypher_malformed_and_oversized(live, baseline):
    url = f"{live.base}/cypher"
    cases = [
        httpx.post(url, content=b"{not json", headers={"content-type": "application/json"}),
        httpx.post(url, content=b"\xff\xfe", headers={"content-type": "application/json"}),
        httpx.post(url, json={}), httpx.post(url, json={"query": ""}), httpx.post(url, json={"query": 5}),
        httpx.post(url, json={"query": "RETURN 1", "parameters": [1, 2]}),
        httpx.post(url, json={"query": "x" * 100_001}),                              # over the field limit
        httpx.post(url, content=b"x" * 1_000_001, headers={"content-type": "application/json"}),  # over the body limit
        httpx.get(url),
        live.cypher("MATCH (n RETURN n"), live.cypher("RETURN $missing"), live.cypher("RETURN 1/0"),
        live.cypher("RETURN " + "(" * 5000 + "1" + ")" * 5000), live.cypher("RETURN 1" + "+1" * 20_000),
        live.cypher("ＭＡＴＣＨ (n) RETURN n"), live.cypher("\u0000"),
    ]
    statuses = [r.status_code for r in cases]
    for response in cases:
        assert 400 <= response.status_code < 500, (response.request.url, statuses, response.text[:300])
        clean_error(response)
    assert statuses[7] == 413 and statuses[6] == 422
    assert live.graph_counts() == baseline["graph"]
    assert live.cypher("RETURN 1 AS one").json()["rows"] == [[1]]


# ------------------------------------------------------------------------------------- concurrent load

SPARQL_HEAVY = [
    ("SELECT * WHERE { ?s ?p ?o }", False),                                  # row cap
    ("CONSTRUCT WHERE { ?s ?p ?o }", False),                                 # row cap (triples)
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", False),                       # row cap of a cross product
    # time limit: nothing comes out of this cross product (~500k pairs, a second or more), so no row
    # ever reaches the cap; kept small because Oxigraph cannot stop it before its first row
    ("SELECT * WHERE { ?a ?b ?c . ?d a ?f . FILTER(CONCAT(STR(?c), STR(?f)) = 'none') }", True),
]
CYPHER_HEAVY = [
    ("MATCH (n) RETURN n.id", False),
    ("MATCH (a), (b) RETURN a.id, b.id", False),
    ("UNWIND range(1, 100000) AS x RETURN x", False),
    ("UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y UNWIND range(1, 3000) AS z RETURN count(*)", True),
]


async def _fire(requests: list[tuple[str, dict]], timeout: float) -> list[httpx.Response | Exception]:
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        async def one(method: str, kwargs: dict):
            try:
                return await client.request(method, **kwargs)
            except Exception as exc:  # reported, not raised: every request must be answered
                return exc

        return await asyncio.gather(*(one(m, kw) for m, kw in requests))


def _check_load(responses, kinds, time_limit_status: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    for response, heavy in zip(responses, kinds):
        assert not isinstance(response, Exception), f"unanswered: {type(response).__name__}: {response}"
        status = response.status_code
        seen[str(status)] = seen.get(str(status), 0) + 1
        assert status in (200, time_limit_status), (status, response.text[:300])
        clean_error(response)
        if status == 200:
            truncated = response.headers.get("x-govkg-truncated") == "true" or (
                response.headers.get("content-type", "").startswith("application/json")
                and response.json().get("truncated") is True)
            assert truncated or heavy, response.text[:200]  # a capped query answered in time is cut
        else:
            assert "time limit" in response.json()["error"]
    return seen


def test_concurrent_sparql_at_the_row_cap_and_time_limit(live, baseline):
    queries = [SPARQL_HEAVY[i % len(SPARQL_HEAVY)] for i in range(20)]
    requests = [("GET", {"url": f"{live.base}/sparql", "params": {"query": q}}) for q, _ in queries]
    started = time.monotonic()
    responses = run_coroutine(_fire(requests, timeout=120))
    seen = _check_load(responses, [heavy for _, heavy in queries], 503)
    print("SPARQL statuses", seen)
    assert seen.get("200", 0) >= 1, seen
    assert time.monotonic() - started < 90
    # still answering; the store is as it was
    deadline = time.monotonic() + 60
    while True:  # worker threads still finishing runaway queries may delay the first answer
        r = httpx.get(f"{live.base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert live.quads() == baseline["quads"]


def test_concurrent_cypher_at_the_row_cap_and_time_limit(live, baseline):
    queries = [CYPHER_HEAVY[i % len(CYPHER_HEAVY)] for i in range(20)]
    requests = [("POST", {"url": f"{live.base}/cypher", "json": {"query": q}}) for q, _ in queries]
    started = time.monotonic()
    responses = run_coroutine(_fire(requests, timeout=120))
    seen = _check_load(responses, [heavy for _, heavy in queries], 504)
    print("Cypher statuses", seen)
    assert seen.get("200", 0) >= 1, seen
    assert time.monotonic() - started < 90
    for response, (query, heavy) in zip(responses, queries):
        if response.status_code == 200 and not heavy:
            assert len(response.json()["rows"]) == MAX_ROWS
    deadline = time.monotonic() + 60
    while True:
        r = live.cypher("MATCH (n:Region) RETURN count(n) AS c")
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.status_code == 200 and r.json()["rows"][0][0] >= 1
    assert live.graph_counts() == baseline["graph"]
    assert httpx.get(f"{live.base}/api/meta", timeout=30).status_code == 200


# ------------------------------------------------------------------------------------- a query that crashes the server

def _post_to_a_child_server(data: Path, queries) -> None:
    """`govkg serve` in a child process (a crash must not take the test run with it): every query
    is answered below 500 and the server is still alive after each."""
    write_build(data)
    port = _free_port()
    govkg = Path(sys.executable).with_name("govkg")
    server = subprocess.Popen([str(govkg), "serve", str(data), "--host", "127.0.0.1", "--port", str(port),
                               "--no-cypher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NEO4J_URI": ""})
    base = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base, params={"query": "ASK {}"}, timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        answers = []
        for query in queries:
            try:
                response = httpx.post(base, content=query.encode(), timeout=60,
                                      headers={"content-type": "application/sparql-query"})
                answers.append(response.status_code)
            except httpx.HTTPError as exc:
                answers.append(type(exc).__name__)
            assert server.poll() is None, f"the server died (exit status {server.returncode}); answers {answers}"
        assert all(isinstance(a, int) and a < 500 for a in answers), answers
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def test_deeply_nested_sparql_does_not_kill_the_server(tmp_path):
    _post_to_a_child_server(tmp_path / "data", (
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,   # 10 KB
        "SELECT * WHERE { FILTER(1" + "+1" * 10_000 + ") }",  # 20 KB, not even nested
        "SELECT * WHERE { " + "{ } UNION " * 10_000 + "{ } }"))


def test_nesting_hidden_behind_a_comment_ended_by_cr_does_not_kill_the_server(tmp_path):
    _post_to_a_child_server(tmp_path / "data", (
        "SELECT * WHERE { # x\r" + "{" * 200_000 + "}" * 200_000 + " }",))


# ------------------------------------------------------------------------------------- schemathesis

def test_schemathesis_stateful_over_the_whole_schema(live):
    """Stateful: schemathesis follows the links it infers between operations (list -> detail ->
    node/edge ...), over the whole OpenAPI document, in-process against the same app and stores."""
    import schemathesis

    schema = schemathesis.openapi.from_asgi("/openapi.json", live.app)
    machine = schema.as_state_machine()
    failures: list[str] = []
    calls = []

    class NoServerErrors(machine):  # type: ignore[misc, valid-type]
        def validate_response(self, response, case, **kwargs):
            calls.append((case.method, case.path, response.status_code))
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")
            assert response.status_code < 500, failures[-1]
            assert "Traceback" not in response.text

    NoServerErrors.run(settings=settings(max_examples=60, stateful_step_count=8, deadline=None, derandomize=True,
                                         database=None, suppress_health_check=list(HealthCheck)))
    assert not failures, failures
    print("stateful calls", len(calls), sorted({(m, p) for m, p, _ in calls}))
    assert len({path for _, path, _ in calls}) >= 5, calls  # it got past the first operations
    assert live.graph_counts()[0] > 0


def test_schemathesis_query_endpoints(live):
    """The operations outside /api (/sparql, /cypher) fed generated requests: no 5xx, no change."""
    import schemathesis

    schema = schemathesis.openapi.from_asgi("/openapi.json", live.app).exclude(path_regex="^/api/")
    before = (live.quads(), live.graph_counts())
    problems: list[str] = []
    calls: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given_case(operation)
        def check(case):
            response = case.call()
            calls[f"{case.method} {case.path} {response.status_code}"] = calls.get(
                f"{case.method} {case.path} {response.status_code}", 0) + 1
            if response.status_code >= 500 and response.status_code not in (503, 504):
                problems.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")
            if response.status_code in (503, 504):
                assert "time limit" in response.text, response.text[:300]
            assert "Traceback" not in response.text

        check()
    print("schemathesis calls", calls)
    assert {key.rsplit(" ", 1)[0] for key in calls} >= {"POST /cypher", "GET /sparql", "POST /sparql"}, calls
    assert not problems, problems
    assert (live.quads(), live.graph_counts()) == before


def given_case(operation):
    from hypothesis import given

    return lambda fn: settings(max_examples=40, deadline=None, derandomize=True, database=None,
                               suppress_health_check=list(HealthCheck))(given(case=operation.as_strategy())(fn))
