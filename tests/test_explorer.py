"""The explorer in headless Chromium against a live server over the fixture build."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from apifixture import SCRIPT_AGENCY


pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def data_dir(api_data) -> Path:
    return api_data


@pytest.fixture
def server(live_data_server, data_dir) -> str:
    return live_data_server(data_dir)


@pytest.fixture
def page(open_page, server):
    return open_page(server + "/")


def _search(page, text: str) -> list[str]:
    page.fill("#search-input", text)
    page.wait_for_selector("#search-results li[data-id]")
    return page.eval_on_selector_all("#search-results li[data-id]", "els => els.map(e => e.dataset.id)")


def test_search_expand_owners_and_evidence(page):
    simplified = _search(page, "爱山东")
    traditional = _search(page, "愛山東")
    assert simplified == traditional and simplified[0] == "platform:爱山东"
    page.click('#search-results li[data-id="platform:爱山东"]')
    # the platform is on the canvas, expanded, with its owners as neighbours
    page.wait_for_function("() => window.govkgCy.getElementById('agency:山东省大数据局').nonempty()")
    owners = page.locator("#node-details ul.owners li")
    owners.first.wait_for()
    first = owners.first.inner_text()
    assert "山东省大数据局" in first and "measure_subject" in first and "1 份文件" in first and "2022" in first
    assert owners.count() == 1  # 省公安厅 only uses 爱山东 as a channel
    assert page.evaluate("window.govkgCy.getElementById('platform:爱山东').hasClass('expanded')")
    # the address bar keeps the view
    assert "exp=platform%3A" in page.evaluate("location.hash")
    # open the ownership edge: its evidence is highlighted in the original text
    edge = "agency:山东省大数据局|OWNS|platform:爱山东"
    page.evaluate(f"window.govkgCy.getElementById({edge!r}).emit('tap') && null")
    page.wait_for_selector("#evidence pre.doc-text mark")
    marks = page.eval_on_selector_all("#evidence pre.doc-text mark", "els => els.map(e => e.textContent)")
    assert "持续完善“爱山东”移动政务服务平台，上线更多高频事项。" in marks  # the sentence naming it
    assert "(牵头单位:省大数据局,责任单位:省直有关部门)" in marks  # the clause naming its lead
    shaded = "".join(page.eval_on_selector_all("#evidence pre.doc-text .sentence", "els => els.map(e => e.textContent)"))
    assert "1.持续完善“爱山东”移动政务服务平台，上线更多高频事项。" in shaded
    assert "sel=agency%3A" in page.evaluate("location.hash")
    assert not page.errors


def test_platform_panel_opens_the_evidence_of_an_owner(page):
    _search(page, "爱山东")
    page.click('#search-results li[data-id="platform:爱山东"]')
    page.locator("#node-details ul.owners li button.evidence-open").first.click()
    page.wait_for_selector("#evidence pre.doc-text mark")
    shaded = "".join(page.eval_on_selector_all("#evidence pre.doc-text .sentence", "els => els.map(e => e.textContent)"))
    assert "持续完善“爱山东”移动政务服务平台" in shaded
    assert not page.errors


def test_shared_link_restores_the_view(page, server):
    from urllib.parse import quote

    branch = "platform:爱山东滨州分厅"
    page.goto(f"{server}/#exp={quote(branch, safe='')}&sel={quote('agency:滨州市大数据局', safe='')}")
    page.wait_for_function("() => window.govkgCy.getElementById('agency:滨州市大数据局').selected()")
    assert page.evaluate("window.govkgCy.getElementById('platform:爱山东滨州分厅').hasClass('expanded')")
    page.wait_for_selector("#node-details ul.owners li")
    assert "爱山东滨州分厅" in page.inner_text("#node-details")


def test_filters_hide_node_types(page):
    _search(page, "爱山东")
    page.press("#search-input", "Enter")
    page.wait_for_function("() => window.govkgCy.nodes('[type = \"Measure\"]').length > 0")
    page.uncheck('#node-filters input[data-type="Measure"]')
    assert page.evaluate("window.govkgCy.nodes('[type = \"Measure\"]').every(n => n.hasClass('hidden'))")
    page.uncheck('#edge-filters input[data-type="OWNS"]')
    assert page.evaluate("window.govkgCy.edges('[type = \"OWNS\"]').every(e => e.hasClass('hidden'))")


def test_script_in_a_name_is_shown_as_text(page):
    ids = _search(page, "<script>")
    assert ids == [f"agency:{SCRIPT_AGENCY}"]
    assert page.inner_text("#search-results li[data-id] .name") == SCRIPT_AGENCY
    page.click("#search-results li[data-id]")
    page.wait_for_selector("#panel h3 .name")
    assert page.inner_text("#panel h3 .name") == SCRIPT_AGENCY
    assert page.locator("#panel h3 .name").is_visible()
    # nothing was parsed as markup anywhere
    assert page.evaluate("document.querySelectorAll('body script:not([src])').length") == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and not page.errors


def _sparql_available(server: str) -> bool:
    r = httpx.post(server + "/sparql", content="ASK { }", timeout=30,
                   headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"})
    return r.status_code == 200


def test_query_tab_runs_sparql(page, server):
    assert _sparql_available(server)
    page.click("#tab-query")
    assert "tab=query" in page.evaluate("location.hash")
    page.evaluate("""window.govkgEditors.sparql.setValue(
      'PREFIX govkg: <https://govkg.example.org/ontology#>\\n'
      + 'SELECT ?agency ?platform WHERE { { ?agency govkg:OWNS ?platform } UNION '
      + '{ GRAPH ?g { ?agency govkg:OWNS ?platform } } } LIMIT 50')""")
    page.click("#run-sparql")
    page.wait_for_selector("#query-table tbody tr")
    assert page.eval_on_selector_all("#query-table thead th", "els => els.map(e => e.textContent)") == ["agency", "platform"]
    cells = page.inner_text("#query-table tbody")
    assert "爱山东" in cells
    # the IRIs are nodes of the graph: they show as a graph too
    page.wait_for_function("() => window.govkgQueryCy.nodes().length > 0")
    assert page.evaluate("window.govkgQueryCy.getElementById('platform:爱山东').nonempty()")


def test_query_tab_cypher_shows_errors_or_rows(page):
    page.click("#tab-query")
    page.click("#run-cypher")
    page.wait_for_function("() => !document.getElementById('query-status').textContent.includes('running')")
    status = page.inner_text("#query-status")
    if "error" in status:  # no database configured: the server's message is shown
        assert "Cypher" in status and ":" in status
    else:
        page.wait_for_selector("#query-table tbody tr")


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_legend_and_canvas_take_types_labels_and_colours_from_the_ontology(page, server):
    vocab = httpx.get(server + "/api/vocab", timeout=30).json()
    nodes = {t["type"]: t for t in vocab["node_types"]}
    present = httpx.get(server + "/api/meta", timeout=30).json()["node_types"]
    legend = page.eval_on_selector_all("#node-filters li", """els => els.map(li => [
        li.querySelector('input').dataset.type, li.querySelector('label').childNodes[2].textContent,
        getComputedStyle(li.querySelector('.swatch')).backgroundColor])""")
    # the types of the build, in the order of the vocabulary, each with its govkg.ttl label and colour
    assert [t for t, _, _ in legend] == [t for t in nodes if t in present]
    for node_type, label, colour in legend:
        assert label == nodes[node_type]["label"] and colour == _rgb(nodes[node_type]["color"])
    assert "文档 Document" in page.inner_text("#node-filters") and "文件 Document" not in page.inner_text("#node-filters")
    edges = {t["type"]: t["color"] for t in vocab["edge_types"]}
    swatches = page.eval_on_selector_all("#edge-filters li", """els => els.map(li => [
        li.querySelector('input').dataset.type, getComputedStyle(li.querySelector('.swatch')).backgroundColor])""")
    assert swatches and all(colour == _rgb(edges[t]) for t, colour in swatches)
    _search(page, "爱山东")
    page.click('#search-results li[data-id="platform:爱山东"]')
    page.wait_for_function("() => window.govkgCy.getElementById('agency:山东省大数据局').nonempty()")
    drawn = page.evaluate("""() => [window.govkgCy.getElementById('platform:爱山东').data(),
        window.govkgCy.edges('[type = "OWNS"]')[0].data('color')]""")
    assert (drawn[0]["color"], drawn[0]["shape"]) == (nodes["Platform"]["color"], nodes["Platform"]["shape"])
    assert drawn[1] == edges["OWNS"]
    assert not page.errors
