"""POST /cypher (api/cypher.py) against a real Bolt server, and the queries/*.cypher research
questions checked against answers computed from the build itself."""
from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.api.cypher_backend import CypherBackend, attach, start_backend
from govkg.api.cypher_guard import check_read_only
from govkg.api.state import ServerSettings
from govkg.graph.boltserver import QUICK_START_JVM, free_port
from govkg.graph.store import Build
from neo4j_fixture import AISHANDONG, BIG_DATA, CITY, PROV, PROV_PLAN, graph_db, write_build

QUERIES = Path(__file__).resolve().parents[1] / "queries"


@pytest.fixture(scope="module")
def served(graph_build):
    """The fixture build served by an app whose backend autoloads it into a fresh database."""
    build = graph_build
    data = build.path.parent.parent
    db = graph_db("ep")
    app = create_app(data, ServerSettings(cypher_timeout_s=2.0, cypher_max_rows=1000))
    attach(app, CypherBackend(db.uri, db.auth, db.database))
    with TestClient(app) as client:
        yield client, db, build
    app.state.cypher_backend.close()
    db.driver.close()


def post(client, query: str, **parameters):
    return client.post("/cypher", json={"query": query, "parameters": parameters})


def counts(db) -> tuple[int, int]:
    return (db.scalar("MATCH (n) RETURN count(n)"), db.scalar("MATCH ()-[r]->() RETURN count(r)"))


# ------------------------------------------------------------------------------------- results

def test_rows_and_graph(served):
    client, db, build = served
    response = post(client, "MATCH (a:Agency {id: $id})-[r:LEADS]->(m:Measure) RETURN a, r, m.id AS measure "
                            "ORDER BY measure", id=BIG_DATA)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["a", "r", "measure"] and body["truncated"] is False
    expected = sorted(e.target for e in build.graph().out_edges(BIG_DATA, "LEADS"))
    assert [row[2] for row in body["rows"]] == expected
    agency = body["rows"][0][0]
    assert agency["id"] == BIG_DATA and agency["labels"] == ["Agency"] and agency["properties"]["name"] == "山东省大数据局"
    edge = body["rows"][0][1]
    assert edge["type"] == "LEADS" and edge["source"] == BIG_DATA and edge["target"] == expected[0]
    assert edge["properties"]["evidence_text"]
    nodes = {n["id"] for n in body["graph"]["nodes"]}
    assert nodes == {BIG_DATA, *expected}  # the measures come in as the edges' end nodes
    assert {(e["source"], e["type"], e["target"]) for e in body["graph"]["edges"]} == \
        {(BIG_DATA, "LEADS", m) for m in expected}

    path = post(client, "MATCH p = (:Plan)-[:IMPLEMENTS]->(:Plan) RETURN p").json()
    assert path["rows"][0][0]["edges"][0]["type"] == "IMPLEMENTS"
    assert {n["id"] for n in path["graph"]["nodes"]} == {PROV_PLAN, "plan:滨州市:数字强市建设2023年工作要点"}

    schema = post(client, "CALL db.labels()").json()
    assert {"Agency", "Measure", "Platform"} <= {row[0] for row in schema["rows"]}


def test_row_cap_reported(served, monkeypatch):
    client, db, build = served
    monkeypatch.setattr(client.app.state.govkg.settings, "cypher_max_rows", 3)
    body = post(client, "MATCH (n) RETURN n.id").json()
    assert body["truncated"] is True and len(body["rows"]) == 3 and body["max_rows"] == 3
    assert "3 rows" in body["warning"]
    small = post(client, "MATCH (n:Region) RETURN n.id").json()
    assert small["truncated"] is False and len(small["rows"]) == 2


def test_syntax_error_is_400_with_the_server_message(served):
    client, _, _ = served
    response = post(client, "MATCH (n RETURN n")
    assert response.status_code == 400
    assert response.json()["error"] and "error" in response.json()["error"].lower()


def test_slow_query_stopped_at_the_time_limit(served, monkeypatch):
    client, _, _ = served
    monkeypatch.setattr(client.app.state.govkg.settings, "cypher_timeout_s", 1.0)
    started = time.monotonic()
    response = post(client, "UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y UNWIND range(1, 3000) AS z "
                            "RETURN count(*)")
    elapsed = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert response.json()["timeout"] is True and "time limit of 1 s" in response.json()["error"]
    assert elapsed < 5
    assert post(client, "RETURN 1 AS one").json()["rows"] == [[1]]  # and the endpoint goes on


# ------------------------------------------------------------------------------------- read-only

WRITES = [
    "CREATE (n:Agency {id: 'x'})",
    "create (n:Agency {id: 'lower case'})",
    "MATCH (n:Agency) SET n.name = 'x'",
    "MERGE (n:Agency {id: 'x'})",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Agency) REMOVE n.name",
    "MATCH (n:Agency) REMOVE n:Agency",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "FOREACH (x IN [1] | CREATE (:Agency {id: 'y'}))",
    "CALL dbms.listConfig()",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL db.createLabel('X')",
    "CALL db.create.setNodeVectorProperty(null, 'x', [1.0])",
    "CALL apoc.create.node(['X'], {})",
    "CALL `apoc`.`create`.`node`(['X'], {})",
    "RETURN apoc.version()",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
    "UNWIND range(1, 3) AS i CALL { WITH i RETURN i AS j } IN TRANSACTIONS OF 1 ROW RETURN j",
    "USE system SHOW USERS",
    "DROP CONSTRAINT govkg_Agency_id",
    "DROP INDEX govkg_Agency_name",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "GRANT ROLE admin TO neo4j",
    "REVOKE ROLE admin FROM neo4j",
    "CREATE DATABASE foo",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "INSERT (:Agency {id: 'gql'})",
    "MATCH (n) WITH n /* a comment */ SET n.x = 1",
    "MATCH (n) RETURN n // a comment\nCREATE (m:Agency {id: 'z'})",
    "MATCH (n) WHERE n.name = 'a\\' CREATE (m:Agency {id: \"q\"}) //' RETURN n",
    "CALL db.labels() YIELD label CREATE (:Agency {id: label})",
    "MATCH (n:Agency) WITH n MATCH (m) SET m += {x: 1}",
    # not read queries: transaction control, listings, several statements
    "COMMIT",
    "BEGIN",
    "rollback",
    "SHOW TRANSACTIONS",
    "SHOW CONSTRAINTS",
    "MATCH (n) RETURN count(n); MATCH (m) RETURN count(m)",
]


@pytest.mark.parametrize("query", WRITES)
def test_write_forms_refused(served, query):
    client, db, _ = served
    before = counts(db)
    response = post(client, query)
    assert response.status_code == 403, (query, response.text)
    assert "not allowed" in response.json()["error"]
    assert counts(db) == before


@pytest.mark.parametrize("query", [
    "MATCH (n) WHERE n.name = 'CREATE SET DELETE' RETURN count(n)",
    "MATCH (n:Agency) RETURN n.set AS `DELETE`, $create AS c",
    "// CREATE (n) in a comment\nMATCH (n) RETURN count(n)",
    "MATCH (start:Plan)-[:IMPLEMENTS]->(stop:Plan) RETURN start.name, stop.name",
    "CALL { MATCH (n:Agency) RETURN n } RETURN count(n)",
    "CALL db.labels() YIELD label RETURN label",
    "EXPLAIN MATCH (n) RETURN n",
    "/* why */ OPTIONAL MATCH (n:Agency) RETURN n;",
    "UNWIND [1, 2] AS x RETURN x UNION RETURN 3 AS x",
])
def test_read_queries_allowed(query):
    assert check_read_only(query) is None


# ------------------------------------------------------------------------------------- no database

def test_database_down_503_rest_of_app_works(tmp_path):
    data = tmp_path / "data"
    write_build(data)
    app = create_app(data)
    backend = CypherBackend(f"bolt://127.0.0.1:{free_port()}", ("root", "x"), "govkg", autoload=False)
    attach(app, backend)
    client = TestClient(app)
    response = post(client, "MATCH (n) RETURN count(n)")
    assert response.status_code == 503 and "not reachable" in response.json()["error"]
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/api/stats").status_code in (200, 404)  # the REST API does not need the graph db
    assert post(client, "CREATE (n)").status_code == 403     # refused before the database is asked
    backend.close()

    for missing in (None, CypherBackend.unavailable("the bundled graph database did not start: no java")):
        other = create_app(data)
        attach(other, missing)
        response = post(TestClient(other), "RETURN 1")
        assert response.status_code == 503 and response.json()["error"]


def test_unconfigured_app_uses_settings(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_build(data)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("NEO4J_URI", raising=False)
    response = post(TestClient(create_app(data)), "RETURN 1")
    assert response.status_code == 503 and "NEO4J_URI" in response.json()["error"]


# ------------------------------------------------------------------------------------- serving

def test_autoload_follows_the_current_build(tmp_path):
    data = tmp_path / "data"
    write_build(data, 0)
    db = graph_db("al")
    app = create_app(data)
    attach(app, CypherBackend(db.uri, db.auth, db.database))
    with TestClient(app) as client:
        query = "MATCH (m:Measure {id: $id}) RETURN m.text"
        assert post(client, query, id=f"measure:{CITY}#1").json()["rows"][0][0].endswith("500项。")
        write_build(data, 1)  # `govkg build` switched the data folder to a new build
        assert post(client, query, id=f"measure:{CITY}#1").json()["rows"][0][0].endswith("600项。")
        assert app.state.cypher_backend.last_load.replaced == [CITY]
    app.state.cypher_backend.close()
    db.driver.close()


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="uses the bundled server")
def test_serve_starts_and_stops_the_bundled_server(tmp_path):
    from govkg.settings import Settings

    data = tmp_path / "data"
    build = write_build(data)
    messages: list[str] = []
    backend = start_backend(data, 2.0, Settings(neo4j_uri=None), say=messages.append,
                            server_options={"jvm_args": QUICK_START_JVM})
    try:
        assert backend.server is not None and backend.server.running(), messages
        assert backend.server.data_dir == (data / "arcadedb").resolve()
        assert backend.last_load.loaded and not backend.last_load.failed
        app = create_app(data)
        attach(app, backend)
        body = post(TestClient(app), "MATCH (n) RETURN count(n) AS n").json()
        assert body["rows"] == [[len(build.graph().nodes)]]
    finally:
        process = backend.server.process
        backend.close()
    assert process.poll() is not None  # stopped with the app


# ------------------------------------------------------------------------------------- questions

def test_leading_agencies_of_every_measure_equal_the_export(served):
    client, _, build = served
    types = {}
    expected: dict[str, set[str]] = {}
    for record in build.graph().iter_records():
        if record["kind"] == "node":
            types[record["id"]] = record["type"]
            if record["type"] == "Measure":
                expected[record["id"]] = set()
    for record in build.graph().iter_records():
        if record["kind"] == "edge" and record["type"] == "LEADS" and types.get(record["source"]) == "Agency" \
                and types.get(record["target"]) == "Measure":
            expected[record["target"]].add(record["source"])
    body = post(client, "MATCH (m:Measure) OPTIONAL MATCH (a:Agency)-[:LEADS]->(m) "
                        "RETURN m.id, collect(a.id)").json()
    assert {row[0]: set(row[1]) for row in body["rows"]} == expected


def run_file(client, name: str) -> list[dict]:
    response = post(client, (QUERIES / f"{name}.cypher").read_text(encoding="utf-8"))
    assert response.status_code == 200, response.text
    body = response.json()
    return [dict(zip(body["columns"], row)) for row in body["rows"]]


def test_every_research_question_has_a_cypher_file():
    assert {"agency_platforms", "agency_measures", "multi_plan_platforms", "targets", "city_vs_province"} <= \
        {p.stem for p in QUERIES.glob("*.cypher")}


def _graph(build: Build):
    graph = build.graph()
    return graph, {node_id: node.type for node_id, node in graph.nodes.items()}


def test_query_agency_measures(served):
    client, _, build = served
    graph, types = _graph(build)
    expected = {(e.source, e.target, p.target) for e in graph.edges.values() if e.type == "LEADS"
                and types.get(e.source) == "Agency" and types.get(e.target) == "Measure"
                for p in graph.out_edges(e.target, "PART_OF") if types.get(p.target) == "Plan"}
    rows = run_file(client, "agency_measures")
    assert {(r["agency_id"], r["measure_id"], r["plan_id"]) for r in rows} == expected
    assert len(rows) == len(expected) == 7
    assert [r["agency"] for r in rows] == sorted(r["agency"] for r in rows)


def test_query_agency_platforms(served):
    client, _, build = served
    graph, types = _graph(build)
    expected = {(lead.source, mention.target, "LEADS") for lead in graph.edges.values() if lead.type == "LEADS"
                and types.get(lead.source) == "Agency"
                for mention in graph.out_edges(lead.target, "MENTIONS") if types.get(mention.target) == "Platform"}
    owns = {(e.source, e.target): e for e in graph.edges.values() if e.type == "OWNS"}
    expected |= {(a, p, "OWNS") for a, p in owns}
    rows = run_file(client, "agency_platforms")
    assert {(r["agency_id"], r["platform_id"], r["how"]) for r in rows} == expected
    for r in rows:
        if r["how"] == "OWNS":
            assert r["confidence"] == owns[(r["agency_id"], r["platform_id"])].props["confidence"]
    assert (BIG_DATA, AISHANDONG, "OWNS") in expected


def test_query_multi_plan_platforms(served):
    client, _, build = served
    graph, types = _graph(build)
    plans: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges.values():
        if e.type == "MENTIONS" and types.get(e.source) == "Measure" and types.get(e.target) == "Platform":
            plans[e.target] |= {p.target for p in graph.out_edges(e.source, "PART_OF") if types.get(p.target) == "Plan"}
        if e.type == "MENTIONS" and types.get(e.source) == "Document" and types.get(e.target) == "Platform":
            plans[e.target] |= {p.source for p in graph.in_edges(e.source, "PUBLISHED_IN") if types.get(p.source) == "Plan"}
    expected = {platform: {graph.nodes[p].name for p in ps} for platform, ps in plans.items() if len(ps) > 1}
    rows = run_file(client, "multi_plan_platforms")
    assert {r["platform_id"]: set(r["plans"]) for r in rows} == expected
    assert set(expected) == {AISHANDONG} and all(r["plan_count"] == len(r["plans"]) for r in rows)


def test_query_targets(served):
    client, _, build = served
    graph, types = _graph(build)
    expected = set()
    for node in graph.of_type("Target"):
        if node.props.get("indicator") is None or node.props.get("value") is None:
            continue
        for setter in graph.in_edges(node.id, "SETS_TARGET"):
            plan = setter.source if types.get(setter.source) == "Plan" else next(
                (p.target for p in graph.out_edges(setter.source, "PART_OF") if types.get(p.target) == "Plan"), None)
            expected.add((node.id, setter.source, plan))
    rows = run_file(client, "targets")
    assert {(r["target_id"], r["set_by_id"], r["plan_id"]) for r in rows} == expected
    keys = [(r["indicator"], r["year"], r["value"]) for r in rows]
    assert keys == sorted(keys)
    assert (f"target:{PROV}#3.1", PROV_PLAN, PROV_PLAN) in expected  # set by the plan itself


def test_query_city_vs_province(served):
    client, _, build = served
    graph, types = _graph(build)
    expected = set()
    for implements in (e for e in graph.edges.values() if e.type == "IMPLEMENTS"):
        city, prov = implements.source, implements.target
        prov_measures = {p.source for p in graph.in_edges(prov, "PART_OF") if types.get(p.source) == "Measure"}
        for part in graph.in_edges(city, "PART_OF"):
            if types.get(part.source) != "Measure":
                continue
            cm = part.source
            linked = {e.target for e in graph.out_edges(cm, "DERIVED_FROM")}
            linked |= {e.target for e in graph.out_edges(cm, "SIMILAR_TO")} | {e.source for e in graph.in_edges(cm, "SIMILAR_TO")}
            matches = linked & prov_measures
            expected |= {(cm, pm) for pm in matches} if matches else {(cm, None)}
    rows = run_file(client, "city_vs_province")
    assert {(r["city_measure"], r["province_measure"]) for r in rows} == expected
    assert expected == {(f"measure:{CITY}#1", None), (f"measure:{CITY}#2", f"measure:{PROV}#2")}
    assert {(r["city_level"], r["province_level"]) for r in rows} == {("city", "province")}
