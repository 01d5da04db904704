"""The counterpart query on the seed build: RDF (queries/agency_counterparts.rq, SPARQL), REST (agency
detail, ?lang=en, English search) and Cypher (queries/agency_counterparts.cypher on the real Bolt server
the suite starts) give the same pairs with the same shared function."""
from __future__ import annotations

from pathlib import Path

import pytest

from govkg.graph.neo4j_writer import load_build
from govkg.graph.named_queries import run_query_file
from neo4j_fixture import graph_db
from rdf_fixture import export_records

QUERIES = Path(__file__).resolve().parent.parent / "queries"


@pytest.fixture(scope="module")
def build(seed_build):
    return seed_build


@pytest.fixture(scope="module")
def client(seed_client):
    return seed_client


def _export_pairs(build) -> set[tuple[str, str, str]]:
    return {(r["source"], r["target"], r["props"]["function"]) for r in export_records(build)
            if r.get("kind") == "edge" and r["type"] == "COUNTERPART_OF"}


def test_sparql_rest_and_cypher_agree(build, client):
    expected = _export_pairs(build)
    assert ("agency:滨州市大数据局", "agency:山东省大数据局", "big_data") in expected
    rows = run_query_file(build, "agency_counterparts")
    assert {(r["lowerId"], r["upperId"], r["function"]) for r in rows} == expected
    assert all(r["functionEn"] for r in rows)

    rest = set()
    for agency in {a for a, _, _ in expected} | {b for _, b, _ in expected}:
        detail = client.get(f"/api/agencies/{agency}").json()
        for c in detail["counterparts"]:
            pair = (agency, c["id"]) if c["direction"] == "up" else (c["id"], agency)
            rest.add((*pair, c["function"]))
    assert rest == expected

    db = graph_db("cp")
    try:
        load_build(db.driver, db.database, build)
        rows = db.run((QUERIES / "agency_counterparts.cypher").read_text(encoding="utf-8"))
        cypher = {(r["lower_id"], r["upper_id"], r["function"]) for r in rows}
        assert {(r["lower_name"], r["lower_en"]) for r in rows} >= {("滨州市大数据局", "Binzhou Municipal Big Data Bureau")}
    finally:
        db.driver.close()
    assert cypher == expected


def test_rest_in_english(client):
    detail = client.get("/api/agencies/agency:滨州市大数据局", params={"lang": "en"}).json()
    assert detail["name"] == "Binzhou Municipal Big Data Bureau" and detail["name_zh"] == "滨州市大数据局"
    assert detail["function_label"]["en"] == "Big data and data administration"
    assert any(c["name"] == "Shandong Provincial Big Data Bureau" for c in detail["counterparts"])
    same = client.get("/api/agencies/agency:滨州市大数据局", headers={"Accept-Language": "en-GB,en;q=0.8"}).json()
    assert same["name"] == detail["name"]
    chinese = client.get("/api/agencies/agency:滨州市大数据局").json()
    assert chinese["name"] == "滨州市大数据局" and chinese["name_en"] == "Binzhou Municipal Big Data Bureau"


@pytest.mark.parametrize("q", ["big data bureau binzhou", "Binzhou big data bureau"])
def test_search_in_english(client, q):
    hits = client.get("/api/search", params={"q": q}).json()["items"]
    assert hits and hits[0]["id"] == "agency:滨州市大数据局"
    english = client.get("/api/search", params={"q": q, "lang": "en"}).json()["items"]
    assert english[0]["name"] == "Binzhou Municipal Big Data Bureau"


def test_the_research_queries_answer_on_the_seeds(build):
    by_level = run_query_file(build, "agencies_by_function_level")
    assert any(r["function"] == "big_data" and r["jurisdiction"] == "滨州市" and r["level"] == "prefecture"
               and r["functionEn"] for r in by_level)
    owned = run_query_file(build, "platforms_by_function")
    assert owned and all(r["province"] for r in owned)
    assert sum(int(r["platforms"]) for r in owned if r["province"] == "山东省") > 0
    same = run_query_file(build, "counterparts_same_measures")
    assert any(r["lowerName"] == "滨州市大数据局" and r["upperName"] == "山东省大数据局" for r in same)
    db = graph_db("cq")
    try:
        load_build(db.driver, db.database, build)
        for name in ("agencies_by_function_level", "platforms_by_function", "counterparts_same_measures"):
            rows = db.run((QUERIES / f"{name}.cypher").read_text(encoding="utf-8"))
            if name == "agencies_by_function_level":
                cypher = {(r["jurisdiction"], r["level"], r["function"], r["agencies"]) for r in rows}
                assert cypher == {(r["jurisdiction"], r["level"], r["function"], int(r["agencies"])) for r in by_level}
            if name == "counterparts_same_measures":
                assert {(r["lower_measure"], r["upper_measure"], r["link"]) for r in rows} == \
                    {(r["lowerMeasureId"], r["upperMeasureId"], r["link"]) for r in same}
    finally:
        db.driver.close()


def test_rdf_labels_in_both_languages(build):
    from govkg.graph.rdfstore import rdf_store

    store = rdf_store(build)
    rows = list(store.query("""
        PREFIX govkg: <https://govkg.example.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label (LANG(?label) AS ?lang) WHERE {
          ?a govkg:nodeId "agency:滨州市大数据局" ; rdfs:label ?label } ORDER BY ?lang"""))
    assert {(r["label"].value, r["lang"].value.lower()) for r in rows} == {
        ("Binzhou Municipal Big Data Bureau", "en"), ("滨州市大数据局", "zh-hans")}  # language tags compare caselessly
    alt = list(store.query("""
        PREFIX govkg: <https://govkg.example.org/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?alt WHERE { ?a govkg:nodeId "agency:滨州市大数据局" ; skos:altLabel ?alt }"""))
    assert "市大数据局" in {r["alt"].value for r in alt}
    region = list(store.query("""
        PREFIX govkg: <https://govkg.example.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?r a govkg:Region ; govkg:name "山东省" ; rdfs:label ?label FILTER(LANG(?label) = "en") }"""))
    assert {r["label"].value for r in region} == {"Shandong Province"}
