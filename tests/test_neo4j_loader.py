"""graph/neo4j_writer.py against a real Bolt server: the bundled ArcadeDB (graph/boltserver.py), or the
server NEO4J_URI names. Every test gets a fresh database on one shared server."""
from __future__ import annotations

from collections import defaultdict

import pytest

import govkg.graph.neo4j_writer as gn
from corpora import SEEDS
from govkg.graph.model import DocumentFacts, Edge, Node, edge_from_dict, node_from_dict
from govkg.graph.neo4j_queries import label, rel_type
from govkg.graph.neo4j_writer import LoadError, edge_props, graph_counts, load_build, node_props
from govkg.graph.store import Build
from govkg.ontology import NODE_TYPES, RELATIONS
from neo4j_fixture import (AISHANDONG, BIG_DATA, CITY, NEWS, PROV, GraphDB, documents, export_counts, graph_db,
                           write_build)

BOOKKEEPING = {"documents", "load_hash", "load_document", "load_derived", "derived"}


@pytest.fixture
def db():
    database = graph_db("ld")
    yield database
    database.driver.close()


# ------------------------------------------------------------------------------------- helpers

def snapshot(db) -> tuple[dict, dict]:
    """Every node (by id) and relationship (by source, type, target) with labels and properties;
    `documents` sorted (its order is the load order)."""
    def norm(props: dict) -> dict:
        props = dict(props)
        if isinstance(props.get("documents"), list):
            props["documents"] = sorted(props["documents"])
        return props

    nodes = {r["id"]: (tuple(sorted(r["labels"])), norm(r["props"])) for r in
             db.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")}
    rels = {(r["s"], r["t"], r["o"]): norm(r["props"]) for r in
            db.run("MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r) AS props")}
    return nodes, rels


def assert_matches_export(db, build: Build) -> None:
    """Counts per label/type equal the JSONL export records; so do ids, props and evidence."""
    assert graph_counts(db.driver, db.database) == export_counts(build)
    nodes, rels = snapshot(db)
    graph = build.graph()
    for record in graph.iter_records():
        if record["kind"] == "node":
            node = node_from_dict(record)
            labels, props = nodes[node.id]
            assert labels == (node.type,)
            assert {k: v for k, v in props.items() if k not in BOOKKEEPING} == node_props(node), node.id
            assert sorted(props["documents"]) == sorted(graph.node_documents[node.id])
        else:
            edge = edge_from_dict(record)
            props = rels[edge.key]
            assert {k: v for k, v in props.items() if k not in BOOKKEEPING} == edge_props(edge), edge.key
    texts = {name: build.original_text(name) for name in build.document_names()}
    for key, props in rels.items():
        for doc, start, end, text in zip(props["evidence_document"], props["evidence_start"],
                                         props["evidence_end"], props["evidence_text"]):
            assert texts[doc][start:end] == text, key


def supported_by(db, document: str) -> tuple[set[str], set[tuple[str, str, str]]]:
    nodes = {r["id"] for r in db.run("MATCH (n) WHERE $d IN n.documents RETURN n.id AS id", d=document)}
    rels = {(r["s"], r["t"], r["o"]) for r in db.run(
        "MATCH (a)-[r]->(b) WHERE $d IN r.documents RETURN a.id AS s, type(r) AS t, b.id AS o", d=document)}
    return nodes, rels


def docs_in(rows: list[dict]) -> set[str]:
    """The documents a loader statement's rows write (nodes and edges: `docs`; marks: `doc`)."""
    return {d for row in rows for d in (row.get("docs") or [row.get("doc")]) if d}


def facts_of(build: Build, document: str) -> tuple[set[str], set[tuple[str, str, str]]]:
    facts = build.facts(document)
    return {n.id for n in facts.nodes}, {e.key for e in facts.edges}


# ------------------------------------------------------------------------------------- tests

def test_names_come_from_the_ontology():
    assert label("Agency") == "`Agency`" and rel_type("LEADS") == "`LEADS`"
    for bad in ("Agency`) DETACH DELETE n //", "agency", "Thing", ""):
        with pytest.raises(ValueError):
            label(bad)
    for bad in ("LEADS]->() DELETE r //", "OWNED_BY", "leads"):
        with pytest.raises(ValueError):
            rel_type(bad)
    assert {"Agency", "Measure", "Platform"} <= NODE_TYPES and {"LEADS", "OWNS"} <= RELATIONS


def test_storable_props():
    props = node_props(Node("x:1", "Target", "t", {"range": {"min": 1}, "flags": [1, "a"], "years": [2024, 2025],
                                                   "rates": [1, 2.5], "id": "shadow", "none": None, "empty": []}))
    assert props == {"id": "x:1", "name": "t", "range": '{"min": 1}', "flags": '[1, "a"]', "years": [2024, 2025],
                     "rates": [1.0, 2.5], "prop_id": "shadow", "empty": []}


def test_load_constraints_counts_props_evidence(db, tmp_path):
    build = write_build(tmp_path / "data")
    report = load_build(db.driver, db.database, build)
    assert report.failed == {}
    assert sorted(report.loaded) == sorted(build.document_names())
    assert report.relationships_skipped == 0 and report.derived_written == 5
    assert report.transactions == 2 and report.retried == 0  # the three documents share one, then the corpus
    assert_matches_export(db, build)

    # the schema: a uniqueness constraint on id for every node type
    try:
        rows = db.run("SHOW CONSTRAINTS")
    except Exception as exc:  # a server that cannot list them: the statements at least succeeded
        assert len(report.schema) == 2 * len(NODE_TYPES)
        pytest.skip(f"the server cannot list constraints: {exc}")
    unique = {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in rows
              if "UNIQUE" in str(r.get("type", "")).upper()}
    for node_type in NODE_TYPES:
        assert ((node_type,), ("id",)) in unique, node_type
    # ... which the database enforces (a second node with the same id is refused)
    with pytest.raises(Exception):
        db.run("CREATE (n:Agency {id: $id})", id=BIG_DATA)
    assert db.scalar("MATCH (n:Agency {id: $id}) RETURN count(n)", id=BIG_DATA) == 1

    # every edge leads back to its sentence
    rows = db.run("MATCH (:Agency {id: $a})-[r:LEADS]->(m:Measure {id: $m}) "
                  "RETURN r.evidence_document AS d, r.evidence_start AS s, r.evidence_end AS e, r.evidence_text AS t",
                  a=BIG_DATA, m=f"measure:{PROV}#1")
    assert rows and rows[0]["t"] == ["省大数据局"] and rows[0]["d"] == [PROV]
    # derived edges are marked and keep their props (lists, JSON for maps)
    owns = db.run("MATCH (:Agency {id: $a})-[o:OWNS]->(:Platform {id: $p}) RETURN properties(o) AS p",
                  a=BIG_DATA, p="platform:山东省一体化大数据平台")[0]["p"]
    assert owns["derived"] is True and owns["bases"] == ["leads_measure_building"] and owns["detail"] == '{"verb": "建设"}'


def test_load_twice_changes_nothing(db, tmp_path):
    build = write_build(tmp_path / "data")
    load_build(db.driver, db.database, build)
    before = snapshot(db)
    again = load_build(db.driver, db.database, Build(build.path))
    assert again.failed == {} and not again.changed
    assert sorted(again.skipped) == sorted(build.document_names())
    assert again.rows_written == 0
    assert snapshot(db) == before


def test_failed_document_leaves_none_of_its_facts(db, tmp_path, monkeypatch):
    build = write_build(tmp_path / "data")
    calls: dict[str, int] = defaultdict(int)
    real = gn._run_batch

    def failing(tx, query, rows, **params):
        if CITY in docs_in(rows):
            calls[CITY] += 1
            if calls[CITY] == 2:  # the first batch of the city plan went through in its transaction
                raise RuntimeError("injected failure in the second batch")
        return real(tx, query, rows, **params)

    monkeypatch.setattr(gn, "_run_batch", failing)
    report = load_build(db.driver, db.database, build, batch_size=2, group_rows=1)  # 1 transaction per document
    assert list(report.failed) == [CITY] and "injected failure" in report.failed[CITY]
    assert sorted(report.loaded) == [NEWS, PROV]
    assert supported_by(db, CITY) == (set(), set())
    assert db.scalar("MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n)", p=f"measure:{CITY}") == 0
    assert db.scalar("MATCH (d:Document {id: $id}) RETURN count(d)", id=f"doc:{CITY}") == 0
    # the other documents are all there: the graph is the build without the city plan
    assert graph_counts(db.driver, db.database) == export_counts(write_build(tmp_path / "without", None))

    monkeypatch.setattr(gn, "_run_batch", real)
    again = load_build(db.driver, db.database, build)
    assert again.loaded == [CITY] and sorted(again.skipped) == [NEWS, PROV]
    assert_matches_export(db, build)


def test_failing_document_in_a_shared_transaction_costs_only_itself(db, tmp_path, monkeypatch):
    """The three documents share one transaction; the server refuses the city plan's edges: the
    transaction is rolled back, each document is loaded again on its own, the city plan alone fails
    (named), and a re-run converges to the export."""
    build = write_build(tmp_path / "data")
    statements: list[set[str]] = []
    real = gn._run_batch

    def failing(tx, query, rows, **params):
        statements.append(docs_in(rows))
        if CITY in docs_in(rows) and "]->(b)" in query:
            raise RuntimeError("injected failure in an edge statement")
        return real(tx, query, rows, **params)

    monkeypatch.setattr(gn, "_run_batch", failing)
    events: list[tuple[str, str]] = []
    report = load_build(db.driver, db.database, build, on_document=lambda d, what: events.append((d, what)))
    assert {CITY, NEWS, PROV} <= set().union(*statements[:3])  # one statement held rows of several documents
    assert list(report.failed) == [CITY] and "injected failure" in report.failed[CITY]
    assert sorted(report.loaded) == [NEWS, PROV] and report.retried == 3
    assert report.transactions == 3  # NEWS, PROV each on its own after the shared one failed; the corpus
    assert sorted(events) == sorted([(CITY, "failed"), (NEWS, "loaded"), (PROV, "loaded")])
    assert supported_by(db, CITY) == (set(), set())
    assert db.scalar("MATCH (d:Document {id: $id}) RETURN count(d)", id=f"doc:{CITY}") == 0
    assert graph_counts(db.driver, db.database) == export_counts(write_build(tmp_path / "without", None))

    monkeypatch.setattr(gn, "_run_batch", real)
    again = load_build(db.driver, db.database, build)
    assert again.loaded == [CITY] and sorted(again.skipped) == [NEWS, PROV] and again.failed == {}
    assert_matches_export(db, build)
    before = snapshot(db)
    third = load_build(db.driver, db.database, build)
    assert not third.changed and third.rows_written == 0 and snapshot(db) == before


def test_group_rows_bound_the_shared_transactions(db, tmp_path):
    """group_rows=1: one transaction per document; the database ends up the same either way."""
    build = write_build(tmp_path / "data")
    report = load_build(db.driver, db.database, build, group_rows=1)
    assert report.transactions == len(build.document_names()) + 1
    assert_matches_export(db, build)


def test_incremental_replace_and_remove(db, tmp_path):
    data = tmp_path / "data"
    first = write_build(data, 0)
    load_build(db.driver, db.database, first)
    nodes0, rels0 = snapshot(db)

    # the city plan changes: exactly its facts are replaced
    second = write_build(data, 1)
    report = load_build(db.driver, db.database, second)
    assert report.replaced == [CITY] and sorted(report.skipped) == [NEWS, PROV] and not report.loaded
    assert_matches_export(db, second)
    assert supported_by(db, CITY) == facts_of(second, CITY)
    nodes1, rels1 = snapshot(db)
    def facts_only(props: dict) -> dict:  # without load bookkeeping (load_derived follows derived.jsonl)
        return {k: v for k, v in props.items() if not k.startswith("load_")}

    for node_id, (labels, props) in nodes0.items():  # what the city plan never said is untouched
        if CITY not in props["documents"]:
            assert (nodes1[node_id][0], facts_only(nodes1[node_id][1])) == (labels, facts_only(props))
    for key, props in rels0.items():
        if CITY not in props.get("documents", []) and not props.get("derived"):
            assert rels1[key] == props
    assert (BIG_DATA, "LEADS", f"measure:{CITY}#1") in rels0 and (BIG_DATA, "LEADS", f"measure:{CITY}#1") not in rels1
    assert nodes1[f"measure:{CITY}#1"][1]["text"].startswith("推进“爱山东”滨州分厅和城市大脑建设")
    assert "platform:城市大脑" in nodes1 and "platform:城市大脑" not in nodes0

    # the city plan is removed: what only it said is gone; the shared agency and platform survive
    third = write_build(data, None)
    report = load_build(db.driver, db.database, third)
    assert report.removed == [CITY] and sorted(report.skipped) == [NEWS, PROV]
    assert_matches_export(db, third)
    nodes3, rels3 = snapshot(db)
    for gone in (f"measure:{CITY}#1", "agency:滨州市大数据局", "platform:爱山东滨州分厅", "region:滨州市", f"doc:{CITY}",
                 "platform:城市大脑"):
        assert gone not in nodes3
    assert nodes3[BIG_DATA][1]["documents"] == sorted([NEWS, PROV])
    assert nodes3[AISHANDONG][1]["documents"] == sorted([NEWS, PROV])
    assert not [k for k in rels3 if k[1] in ("SIMILAR_TO", "DERIVED_FROM")]
    assert supported_by(db, CITY) == (set(), set())

    # and back: loading the first build again restores it exactly
    load_build(db.driver, db.database, write_build(data, 0))
    assert_matches_export(db, Build(data / "builds" / (data / "current").read_text().strip()))


def test_unknown_type_fails_that_document_only(db, tmp_path):
    bad = DocumentFacts("bad.txt", [Node("doc:bad.txt", "Document", "bad.txt", {"file": "bad.txt"}),
                                    Node("thing:x", "Thing", "x")],
                        [Edge("doc:bad.txt", "thing:x", "MENTIONS")])
    build = write_build(tmp_path / "data", extra=[(bad, "bad")])
    report = load_build(db.driver, db.database, build)
    assert list(report.failed) == ["bad.txt"] and "unknown node type 'Thing'" in report.failed["bad.txt"]
    assert report.retried == 0  # refused before anything was sent: the others' shared transaction went through
    assert supported_by(db, "bad.txt") == (set(), set())
    assert sorted(report.loaded) == sorted(documents_names())


def documents_names() -> list[str]:
    return [facts.document for facts in documents(0)]


@pytest.mark.parametrize("group_rows", [1, None], ids=["transaction-per-document", "shared-transaction"])
def test_lost_connection_names_the_document_and_a_rerun_completes(tmp_path, monkeypatch, group_rows):
    """SIGKILL the server in the middle of a document's transaction, restart it on the same data.
    group_rows=1: each document has its own transaction; None: the three share one."""
    import neo4j

    from govkg.graph.boltserver import QUICK_START_JVM, BoltServer

    build = write_build(tmp_path / "data")
    server = BoltServer(tmp_path / "arcadedb", database="govkg", jvm_args=QUICK_START_JVM).start()
    try:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
        calls: dict[str, int] = defaultdict(int)
        real = gn._run_batch

        def killing(tx, query, rows, **params):
            if NEWS in docs_in(rows):
                calls[NEWS] += 1
                if calls[NEWS] == 2:  # NEWS has written a batch in its open transaction
                    server.kill()
            return real(tx, query, rows, **params)

        monkeypatch.setattr(gn, "_run_batch", killing)
        with pytest.raises(LoadError) as caught:
            load_build(driver, server.database, build, batch_size=1, group_rows=group_rows)
        lost = [NEWS] if group_rows == 1 else [CITY, NEWS, PROV]  # the documents of the killed transaction
        assert caught.value.document == lost[0] and caught.value.documents == lost
        assert all(repr(name) in str(caught.value) for name in lost)
        assert "run the load again" in str(caught.value)
        driver.close()
        monkeypatch.setattr(gn, "_run_batch", real)

        server = BoltServer(tmp_path / "arcadedb", database="govkg", jvm_args=QUICK_START_JVM).start()  # same data, new ports
        driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
        db = GraphDB(server.uri, server.auth, server.database, driver)
        for name in lost:
            assert supported_by(db, name) == (set(), set())   # nothing of the killed transaction
        if group_rows == 1:
            assert supported_by(db, CITY)[0]                   # the document before it was committed
        report = load_build(driver, server.database, build)
        if group_rows == 1:
            assert report.skipped == [CITY] and sorted(report.loaded) == [NEWS, PROV]
        else:
            assert report.skipped == [] and sorted(report.loaded) == [CITY, NEWS, PROV]
        interrupted = snapshot(db)

        server.new_database("fresh")
        load_build(driver, "fresh", build)
        fresh = GraphDB(server.uri, server.auth, "fresh", driver)
        assert interrupted == snapshot(fresh)
        assert graph_counts(driver, server.database) == export_counts(build)
        driver.close()
    finally:
        server.stop()


def leading_agencies_check(db, build: Build) -> int:
    """For every Measure: its leading agencies through Cypher equal those in the export records."""
    expected: dict[str, set[str]] = {}
    for record in build.graph().iter_records():
        if record["kind"] == "node" and record["type"] == "Measure":
            expected.setdefault(record["id"], set())
    types = {r["id"]: r["type"] for r in build.graph().iter_records() if r["kind"] == "node"}
    for record in build.graph().iter_records():
        if record["kind"] == "edge" and record["type"] == "LEADS" and types.get(record["source"]) == "Agency" \
                and types.get(record["target"]) == "Measure":
            expected[record["target"]].add(record["source"])
    rows = db.run("MATCH (m:Measure) OPTIONAL MATCH (a:Agency)-[:LEADS]->(m) "
                  "RETURN m.id AS measure, collect(a.id) AS agencies")
    got = {r["measure"]: set(r["agencies"]) for r in rows}
    assert got == expected
    return sum(1 for agencies in expected.values() if agencies)


def test_leading_agencies_equal_the_export(db, tmp_path):
    build = write_build(tmp_path / "data")
    load_build(db.driver, db.database, build)
    assert leading_agencies_check(db, build) == 5


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seed corpus next to the repository")
def test_seed_build_loads_like_its_export(db, seed_build):
    build = seed_build
    report = load_build(db.driver, db.database, build)
    assert report.failed == {} and report.relationships_skipped == 0
    assert graph_counts(db.driver, db.database) == export_counts(build)
    leading_agencies_check(db, build)
