"""/sparql driven over real HTTP by a real SPARQL client (SPARQLWrapper) against uvicorn."""
from __future__ import annotations

import csv
import io
import json
import urllib.error
from urllib.parse import urlencode

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from govkg.api.state import ServerSettings
from govkg.graph.rdf_terms import derived_graph_iri, node_iri
from govkg.graph.rdfstore import rdf_store, triple_count
from govkg.ontology import GOVKG
import rdf_fixture as fx

G = str(GOVKG)
PREFIX = f"PREFIX govkg: <{G}>\n"
AGENCIES = PREFIX + "SELECT DISTINCT ?name WHERE { ?a a govkg:Agency ; govkg:name ?name } ORDER BY ?name"
AGENCY_NAMES = ["山东省人民政府办公厅", "山东省发展和改革委员会", "山东省大数据局", "滨州市人民政府办公室",
                "滨州市大数据局", "滨州市行政审批服务局"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def data_dir(rdf_build):
    return rdf_build.path.parent.parent


@pytest.fixture(scope="module")
def endpoint(live_data_server, data_dir):
    return live_data_server(data_dir) + "/sparql"


@pytest.fixture(scope="module")
def capped(live_data_server, data_dir):
    return live_data_server(data_dir, ServerSettings(sparql_max_rows=5, sparql_timeout_s=0.5)) + "/sparql"


def client(url: str, query: str, fmt=JSON, method: str | None = None, direct: bool = False) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    if direct:
        sw.setRequestMethod(POSTDIRECTLY)
    return sw


def names(result: dict) -> list[str]:
    return [b["name"]["value"] for b in result["results"]["bindings"]]


def count(url: str) -> int:
    return int(client(url, COUNT).query().convert()["results"]["bindings"][0]["n"]["value"])


def test_select_get_json(endpoint):
    result = client(endpoint, AGENCIES).query().convert()
    assert result["head"]["vars"] == ["name"]
    assert names(result) == AGENCY_NAMES


def test_select_post_form_and_direct(endpoint):
    assert names(client(endpoint, AGENCIES, method=POST).query().convert()) == AGENCY_NAMES
    assert names(client(endpoint, AGENCIES, method=POST, direct=True).query().convert()) == AGENCY_NAMES


def test_select_xml(endpoint):
    doc = client(endpoint, AGENCIES, fmt=XML).query().convert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == AGENCY_NAMES


def test_select_csv_and_tsv(endpoint):
    raw = client(endpoint, AGENCIES, fmt=CSV).query().convert()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["name"] and [r[0] for r in rows[1:]] == AGENCY_NAMES
    raw = client(endpoint, AGENCIES, fmt=TSV).query().convert()
    lines = raw.decode("utf-8").strip().splitlines()
    assert lines[0] == "?name" and lines[1:] == [f'"{n}"' for n in AGENCY_NAMES]


def test_format_parameter_and_accept_header(endpoint):
    for fmt, media in (("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        r = httpx.get(endpoint, params={"query": AGENCIES, "format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), fmt
        r = httpx.get(endpoint, params={"query": AGENCIES}, headers={"Accept": media})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), media
    r = httpx.get(endpoint, params={"query": AGENCIES}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = httpx.get(endpoint, params={"query": AGENCIES}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "error" in r.json()


def test_ask(endpoint):
    yes = PREFIX + f"ASK {{ <{node_iri(fx.SD_BIGDATA)}> govkg:LEADS ?m }}"
    no = PREFIX + f"ASK {{ <{node_iri(fx.SD_NDRC)}> govkg:LEADS ?m }}"
    assert client(endpoint, yes).query().convert() == {"head": {}, "boolean": True}
    assert client(endpoint, no).query().convert()["boolean"] is False
    doc = client(endpoint, yes, fmt=XML).query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_construct_turtle_ntriples_jsonld(endpoint):
    query = PREFIX + "CONSTRUCT { ?a govkg:LEADS ?m } WHERE { ?a govkg:LEADS ?m }"
    data = client(endpoint, query, fmt=TURTLE).query().convert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert len(graph) == 3  # 山东省大数据局 leads two measures, 滨州市大数据局 one
    assert (rdflib.URIRef(node_iri(fx.SD_BIGDATA)), GOVKG.LEADS, None) in graph
    r = httpx.get(endpoint, params={"query": query}, headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=r.text, format="nt")) == 3
    data = client(endpoint, query, fmt=JSONLD).query().convert()
    assert len(data) == 3
    describe = httpx.get(endpoint, params={"query": f"DESCRIBE <{node_iri(fx.AISHANDONG)}>", "format": "turtle"})
    assert describe.status_code == 200 and "爱山东" in describe.text


def test_named_graphs_and_default_graph_uri(endpoint):
    derived = derived_graph_iri()
    query = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?a govkg:OWNS ?p }"
    result = client(endpoint, query).query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "2"  # default graph = union of the named graphs
    r = httpx.get(endpoint, params={"query": query, "default-graph-uri": node_iri(f"doc:{fx.PROV_DOC}")})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    r = httpx.get(endpoint, params={"query": query, "default-graph-uri": derived})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_service_description(endpoint):
    r = httpx.get(endpoint)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    service = graph.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert service is not None
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(endpoint)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    named = {str(o) for o in graph.objects(None, SD.name)}
    assert derived_graph_iri() in named


def test_malformed_query_is_400_with_the_parser_message(endpoint):
    with pytest.raises(QueryBadFormed) as info:
        client(endpoint, "SELECT ?x WHERE { ?x ?y }").query()
    assert "malformed query" in str(info.value) and "error at" in str(info.value)
    r = httpx.get(endpoint, params={"query": "SELEC * WHERE {}"})
    assert r.status_code == 400 and r.json()["error"].startswith("malformed query")
    assert "Traceback" not in r.text


def test_updates_are_refused_and_the_store_is_unchanged(endpoint, data_dir):
    from govkg.graph.store import current_build

    before = count(endpoint)
    on_disk = triple_count(rdf_store(current_build(data_dir)))
    insert = "INSERT DATA { <http://example.com/s> <http://example.com/p> 'o' }"
    sw = client(endpoint, insert, method=POST)  # SPARQLWrapper sends it as update=
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    assert "read-only" in json.loads(info.value.read())["error"]
    sw = client(endpoint, "DROP ALL", method=POST, direct=True)  # application/sparql-update
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    for params in ({"update": insert}, {"query": "PREFIX x: <http://x/>\n# comment\nCLEAR DEFAULT"},
                   {"query": "delete where { ?s ?p ?o }"}, {"query": "LOAD <http://example.com/data.ttl>"}):
        r = httpx.get(endpoint, params=params)
        assert r.status_code == 403, params
        assert "read-only" in r.json()["error"]
    r = httpx.post(endpoint, data={"query": "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"})
    assert r.status_code == 403
    assert count(endpoint) == before
    assert triple_count(rdf_store(current_build(data_dir))) == on_disk


def test_bad_requests(endpoint):
    r = httpx.post(endpoint, content=AGENCIES, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "error" in r.json()
    r = httpx.get(endpoint, params={"query": "  "})
    assert r.status_code == 400


def test_result_cap_is_reported(capped):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = httpx.get(capped, params={"query": query})
    assert r.status_code == 200
    assert r.headers["x-govkg-truncated"] == "true"
    body = r.json()
    assert len(body["results"]["bindings"]) == 5
    assert body["head"]["link"] == [G + "truncated"]
    r = httpx.get(capped, params={"query": query, "format": "xml"})
    assert r.headers["x-govkg-truncated"] == "true" and r.text.count("<result>") == 5
    r = httpx.get(capped, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert r.headers["x-govkg-truncated"] == "true" and len(r.text.strip().splitlines()) == 5
    r = httpx.get(capped, params={"query": AGENCIES})  # 6 agencies
    assert r.headers["x-govkg-truncated"] == "true" and names(r.json()) == AGENCY_NAMES[:5]
    # exactly at the cap, or under it: not truncated
    r = httpx.get(capped, params={"query": AGENCIES + " LIMIT 5"})
    assert "x-govkg-truncated" not in r.headers and names(r.json()) == AGENCY_NAMES[:5]
    assert "link" not in r.json()["head"]


def test_time_limit(capped):
    # counting the cross product of the store with itself takes a few seconds: the request gets
    # 503 at the deadline (the worker finishes the count on its own, then its result is dropped)
    query = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a govkg:Agency }"
    r = httpx.get(capped, params={"query": query}, timeout=30)
    assert r.status_code == 503
    assert "time limit" in r.json()["error"]
    # the server still answers
    assert httpx.get(capped, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


ASK = "ASK { ?s ?p ?o }"


@pytest.mark.parametrize("method, params, data, headers", [
    ("GET", [("query", ASK), ("query", ASK)], None, {}),  # two query strings
    ("POST", None, [("query", ASK), ("query", ASK)], {}),  # two in a form
    ("POST", [("query", ASK)], ASK, {"content-type": "application/sparql-query"}),  # URL and body
    ("GET", [("query", ASK), ("update", "CLEAR ALL")], None, {}),  # a query and an update
    ("POST", None, [("query", ASK), ("update", "CLEAR ALL")], {}),
    ("GET", [("default-graph-uri", "urn:x")], None, {}),  # dataset without a query
])
def test_malformed_protocol_requests_answer_400(endpoint, method, params, data, headers):
    """SPARQL 1.1 Protocol 2.1.4: more than one query string, query and update together, or no query."""
    if isinstance(data, list):  # a form with repeated keys
        data, headers = urlencode(data), {"content-type": "application/x-www-form-urlencoded"}
    response = httpx.request(method, endpoint, params=params, content=data, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"]


def test_one_query_still_answers_and_update_alone_is_403(endpoint):
    assert httpx.get(endpoint, params={"query": ASK}).status_code == 200
    assert httpx.get(endpoint, params={"update": "CLEAR ALL"}).status_code == 403
    assert httpx.get(endpoint).status_code == 200  # the service description
