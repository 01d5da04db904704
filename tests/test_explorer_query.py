"""The explorer's query tab in headless Chromium: the research queries as examples, CONSTRUCT as
Turtle and graph, downloads, the query in the address bar, errors that replace the result."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest


pytestmark = pytest.mark.timeout(180)
PREFIX = "PREFIX govkg: <https://govkg.example.org/ontology#>\n"
OWNS = PREFIX + "SELECT ?agency ?platform WHERE { ?agency govkg:OWNS ?platform } LIMIT 50"
CONSTRUCT = PREFIX + "CONSTRUCT { ?agency govkg:OWNS ?platform } WHERE { ?agency govkg:OWNS ?platform }"


@pytest.fixture(scope="module")
def data_dir(api_data) -> Path:
    return api_data


@pytest.fixture
def server(live_data_server, data_dir) -> str:
    return live_data_server(data_dir)


@pytest.fixture
def page(open_page, server):
    return open_page(server + "/")


def _run(page, query: str) -> None:
    page.evaluate("q => window.govkgEditors.sparql.setValue(q)", query)
    page.click("#run-sparql")
    page.wait_for_function("() => !document.getElementById('query-status').textContent.includes('running')")


def test_research_queries_are_offered_as_examples(page):
    page.click("#tab-query")
    page.wait_for_selector("body[data-examples]")
    names = page.eval_on_selector_all("#query-examples option", "els => els.map(e => e.value)")
    on_disk = {p.stem for p in (Path(__file__).resolve().parents[1] / "queries").glob("*.rq")}
    assert on_disk and on_disk <= set(names)
    page.select_option("#query-examples", "agency_platforms")
    assert "LEADS" in page.inner_text("#query-description")
    assert "Which agencies" in page.inner_text("#query-examples option[value=agency_platforms]")
    assert "PREFIX govkg:" in page.evaluate("window.govkgEditors.sparql.getValue()")
    assert "MATCH" in page.evaluate("window.govkgEditors.cypher.getValue()")
    page.click("#run-sparql")
    page.wait_for_selector("#query-table tbody tr")
    assert "爱山东" in page.inner_text("#query-table tbody")
    assert not page.errors


def test_construct_shows_turtle_and_graph_and_downloads(page):
    page.click("#tab-query")
    _run(page, CONSTRUCT)
    assert "error" not in page.inner_text("#query-status")
    turtle = page.inner_text("#query-turtle")
    assert "OWNS" in turtle and page.locator("#query-turtle").is_visible()
    page.wait_for_function("() => window.govkgQueryCy.getElementById('platform:爱山东').nonempty()")
    with page.expect_download() as info:
        page.click("#download-ttl")
    assert "OWNS" in Path(info.value.path()).read_text(encoding="utf-8")
    _run(page, OWNS)
    assert page.locator("#query-turtle").is_hidden()
    with page.expect_download() as info:
        page.click("#download-csv")
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "agency,platform" and any("爱山东" in line for line in lines[1:])
    with page.expect_download() as info:
        page.click("#download-json")
    body = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert body["columns"] == ["agency", "platform"] and len(body["rows"]) == len(lines) - 1
    assert not page.errors


def test_the_query_is_kept_in_the_link(page, server):
    page.click("#tab-query")
    _run(page, OWNS)
    link = page.evaluate("location.href")
    assert "ql=sparql" in link and "q=" in link
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_selector("#query-table tbody tr")
    assert page.evaluate("window.govkgEditors.sparql.getValue()") == OWNS
    page.goto(f"{server}/#tab=query&ql=sparql&q={quote(CONSTRUCT, safe='')}")
    page.wait_for_selector("#query-turtle:not([hidden])")
    assert not page.errors


def test_an_error_replaces_the_stale_result(page):
    page.click("#tab-query")
    _run(page, OWNS)
    page.wait_for_selector("#query-table tbody tr")
    _run(page, "SELECT WHERE {")
    assert "error" in page.inner_text("#query-status")
    assert page.eval_on_selector_all("#query-table tr", "els => els.length") == 0
    assert page.evaluate("window.govkgQueryCy.nodes().length") == 0
    assert page.locator("#download-csv").is_disabled()
    assert not page.errors
