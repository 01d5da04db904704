"""The explorer's graph view in headless Chromium: expand by relationship type, collapse, hide,
pin, edges styled by confidence, the tree layout, filters and layout in the address bar,
Back/Forward through the view, PNG export."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from apifixture import PROV_PLAN

pytestmark = pytest.mark.timeout(180)
AISHANDONG = "platform:爱山东"


@pytest.fixture(scope="module")
def data_dir(api_data) -> Path:
    return api_data


@pytest.fixture
def server(live_data_server, data_dir) -> str:
    return live_data_server(data_dir)


@pytest.fixture
def page(open_page, server):
    page = open_page(server + "/")
    page.server = server
    return page


def _count(page, selector: str) -> int:
    return page.evaluate(f"window.govkgCy.nodes({selector!r}).length")


def test_expand_by_relationship_type_with_counts(page):
    plan = quote(PROV_PLAN, safe="")
    page.goto(f"{page.server}/#exp=ISSUED_BY%3A{plan}&sel={plan}")  # an expansion by one type, from a link
    page.wait_for_function("() => window.govkgCy.getElementById('agency:山东省人民政府办公厅').nonempty()")
    assert _count(page, '[type = "Measure"]') == 0  # only that relationship was followed
    page.wait_for_selector("#node-tools button.expand-type")
    buttons = page.eval_on_selector_all("#node-tools button.expand-type", "els => els.map(e => e.textContent)")
    assert "ISSUED_BY (1)" in buttons and "PART_OF (4)" in buttons  # 3 measures and a section
    page.click('#node-tools button.expand-type[data-type="PART_OF"]')
    page.wait_for_function("() => window.govkgCy.nodes('[type = \"Measure\"]').length === 3")
    assert _count(page, '[type = "Region"]') == 0
    assert "exp=PART_OF%3Aplan" in page.evaluate("location.hash")
    assert not page.errors


def test_collapse_hide_pin_and_edge_style(page):
    page.fill("#search-input", "爱山东")
    page.wait_for_selector(f'#search-results li[data-id="{AISHANDONG}"]')
    page.locator(f'#search-results li[data-id="{AISHANDONG}"]').dispatch_event("mousedown")
    page.wait_for_function("() => window.govkgCy.getElementById('agency:山东省大数据局').nonempty()")
    page.wait_for_selector("#node-tools button.pin")
    # the derived OWNS edge is dashed and as wide as its confidence says
    owns = "agency:山东省大数据局|OWNS|platform:爱山东"
    style = page.evaluate(f"(() => {{ const e = window.govkgCy.getElementById({owns!r}); "
                          "return [e.style('line-style'), parseFloat(e.style('width')), e.data('confidence')]; })()")
    assert style[0] == "dashed" and style[2] is not None and style[1] == pytest.approx(1 + 5 * style[2], abs=0.2)
    page.click("#node-tools button.pin")
    assert page.evaluate(f"window.govkgCy.getElementById({AISHANDONG!r}).locked()")
    assert "pin=platform" in page.evaluate("location.hash")
    before = page.evaluate("window.govkgCy.nodes().length")
    page.click("#node-tools button.collapse")
    after = page.evaluate("window.govkgCy.nodes().length")
    assert after < before and page.evaluate(f"window.govkgCy.getElementById({AISHANDONG!r}).nonempty()")
    page.click("#node-tools button.hide")
    assert page.evaluate(f"window.govkgCy.getElementById({AISHANDONG!r}).hasClass('hidden')")
    assert "hide=platform" in page.evaluate("location.hash")
    assert not page.errors


def test_filters_layout_in_the_address_and_back_forward(page):
    page.goto(f"{page.server}/#exp={quote(PROV_PLAN, safe='')}")
    page.wait_for_function("() => window.govkgCy.nodes('[type = \"Measure\"]').length === 3")
    first = page.evaluate("location.hash")
    page.uncheck('#node-filters input[data-type="Agency"]')
    page.select_option("#layout-kind", "tree")
    link = page.evaluate("location.href")
    assert "hidetype=Agency" in link and "layout=tree" in link
    # plan -> section -> measure: the plan is above its measures
    plan_y = page.evaluate(f"window.govkgCy.getElementById({PROV_PLAN!r}).position('y')")
    measure_y = page.evaluate("Math.min(...window.govkgCy.nodes('[type = \"Measure\"]').map(n => n.position('y')))")
    assert plan_y < measure_y
    # Back walks through the steps of the view, Forward returns
    page.go_back()
    page.wait_for_function("() => location.hash.includes('hidetype') && !location.hash.includes('layout=tree')")
    page.wait_for_function("() => document.getElementById('layout-kind').value === 'cose'")
    page.go_back()
    page.wait_for_function(f"() => location.hash === {first!r}")
    page.wait_for_function("() => document.querySelector('#node-filters input[data-type=\"Agency\"]').checked")
    page.go_forward()
    page.wait_for_function("() => !document.querySelector('#node-filters input[data-type=\"Agency\"]').checked")
    # a reload of the link keeps filters and layout
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_function("() => window.govkgCy.nodes('[type = \"Measure\"]').length === 3")
    assert not page.is_checked('#node-filters input[data-type="Agency"]')
    assert page.input_value("#layout-kind") == "tree"
    assert page.evaluate("window.govkgCy.nodes('[type = \"Agency\"]').every(n => n.hasClass('hidden'))")
    assert not page.errors


def test_png_export(page):
    page.goto(f"{page.server}/#exp={quote(AISHANDONG, safe='')}")
    page.wait_for_function("() => window.govkgCy.nodes().length > 2")
    with page.expect_download() as info:
        page.click("#btn-png")
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    assert not page.errors


def test_svg_export(page):
    page.goto(f"{page.server}/#exp={quote(AISHANDONG, safe='')}")
    page.wait_for_function("() => window.govkgCy.nodes().length > 2")
    shown = page.evaluate("window.govkgCy.nodes().filter(n => n.visible()).map(n => n.data('name'))")
    with page.expect_download() as info:
        page.click("#btn-svg")
    assert info.value.suggested_filename == "govkg-graph.svg"
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)  # well-formed
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}g")) == len(shown) and root.findall(f"{ns}line")
    assert {t.text for t in root.iter(f"{ns}text")} == set(shown)
    assert not page.errors
