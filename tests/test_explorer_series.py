"""The explorer's series, platform timeline and plan comparison views, in headless Chromium against a
live server over a build of the seed corpus (../shared/corpus/seeds)."""
from __future__ import annotations

from pathlib import Path

import pytest


BINZHOU_2023 = "plan:滨州市:数字强市建设2023年工作要点"
SHANDONG_2025 = "plan:山东省:数字强省建设2025年工作要点"

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def data_dir(seed_data) -> Path:
    return seed_data


@pytest.fixture
def server(live_data_server, data_dir) -> str:
    return live_data_server(data_dir)


@pytest.fixture
def page(open_page, server):
    return open_page(server + "/")


def _open_series(page):
    page.click("#tab-series")
    page.wait_for_selector("#series-indicator option[value=base_stations_5g]", state="attached")
    page.select_option("#series-indicator", "base_stations_5g")
    page.wait_for_selector("body[data-series=base_stations_5g]")
    page.wait_for_selector('#series-points tr[data-jurisdiction="山东省"]')


def test_series_chart_points_and_evidence(page):
    _open_series(page)
    assert "tab=series" in page.evaluate("location.hash") and "ind=base_stations_5g" in page.evaluate("location.hash")
    # the chart is drawn on a canvas with one line per jurisdiction
    canvas = page.locator("#series-chart canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["height"] > 200
    options = page.evaluate("window.govkgChart.getOption().series.map(s => [s.jurisdiction, s.kind, s.name])")
    assert {"山东省", "滨州市"} <= {j for j, _, _ in options}
    # one series per jurisdiction and kind: a stock, an increment and a cumulative goal are never one line
    kinds_of = {}
    for jurisdiction, kind, _name in options:
        kinds_of.setdefault(jurisdiction, []).append(kind)
    assert sorted(kinds_of["山东省"]) == ["baseline", "cumulative", "increment", "stock"]
    for series in page.evaluate("window.govkgChart.getOption().series.map(s => s.data.map(d => d.kind))"):
        assert len(set(series)) == 1
    # the 2022 stock the text implies (10.1万 + 6万 new) is drawn, marked as derived, with both sources
    derived = page.locator('#series-derived li[data-jurisdiction="山东省"]')
    assert "161,000" in derived.inner_text() and "baseline_plus_increment" in derived.inner_text()
    derived.click()
    page.wait_for_selector("#series-point ul.derived-sources li")
    sources = page.eval_on_selector_all("#series-point ul.derived-sources li", "els => els.map(e => e.dataset.target)")
    assert len(sources) == 2 and "derived" in page.inner_text("#series-point .point-value")
    page.wait_for_selector("#series-point pre.doc-text mark")
    # the points table lists 山东省's baseline, increment and cumulative goal
    rows = page.eval_on_selector_all('#series-points tr[data-jurisdiction="山东省"]',
                                     "els => els.map(e => e.innerText)")
    text = "\n".join(rows)
    assert "2021" in text and "baseline" in text and "101,000" in text
    assert "increment" in text and "60,000" in text
    assert "cumulative" in text and "200,000" in text
    # symbols by kind
    kinds = page.evaluate("""() => Object.fromEntries(window.govkgChart.getOption().series
        .filter(s => s.jurisdiction === '山东省').map(s => [s.kind, s.data[0].symbol]))""")
    assert len({kinds["baseline"], kinds["increment"], kinds["cumulative"], kinds["stock"]}) == 4
    # click the 2021 baseline point on the canvas: its source sentence appears as text in the panel
    baseline = page.evaluate("""() => window.govkgChart.getOption().series
        .find(s => s.jurisdiction === '山东省' && s.kind === 'baseline').name""")
    xy = page.evaluate("""(name) => window.govkgChart.convertToPixel(
        {seriesName: name}, [2021, 101000])""", baseline)
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    page.wait_for_selector("#point-evidence blockquote")
    evidence = page.inner_text("#point-evidence")
    assert "10.1" in evidence and "5G" in evidence
    assert "2021" in page.inner_text("#series-point h3")
    assert page.evaluate("document.querySelectorAll('#point-evidence *:not(blockquote)').length") == 0
    # and the point opens its sentence in the original text
    page.wait_for_selector("#series-point pre.doc-text mark")
    assert "10.1" in page.inner_text("#series-point pre.doc-text .sentence")
    # a row click selects another point: the 2023 cumulative goal of 20万
    page.click('#series-points tr[data-jurisdiction="山东省"]:has-text("cumulative")')
    page.wait_for_function("() => document.querySelector('#point-evidence').innerText.includes('20万')")
    # consistency findings are listed
    page.wait_for_selector("#series-checks li.finding")
    assert "山东省" in page.inner_text("#series-checks")
    assert not page.errors


def test_series_jurisdiction_filter_and_link(page, server):
    from urllib.parse import quote

    page.goto(f"{server}/#tab=series&ind=base_stations_5g&jur={quote('滨州市')}")
    page.wait_for_selector("body[data-series=base_stations_5g]")
    page.wait_for_selector('#series-points tr[data-jurisdiction="滨州市"]')
    juris = set(page.eval_on_selector_all("#series-points tbody tr", "els => els.map(e => e.dataset.jurisdiction)"))
    assert juris == {"滨州市"}
    assert page.input_value("#series-jurisdiction") == "滨州市"
    assert not page.errors


def test_platform_timeline_in_the_panel(page):
    page.fill("#search-input", "爱山东")
    page.wait_for_selector('#search-results li[data-id="platform:爱山东"]')
    page.click('#search-results li[data-id="platform:爱山东"]')
    page.wait_for_selector("#platform-timeline table.timeline-years tr[data-year]")
    timeline = page.locator("#platform-timeline")
    assert page.inner_text("#platform-timeline .first-year") == "2022"
    assert int(page.inner_text("#platform-timeline .last-year")) >= 2023
    branch = page.locator('#platform-timeline .timeline-branches li[data-id="platform:爱山东滨州分厅"]')
    assert "爱山东滨州分厅" in branch.inner_text() and "2023" in branch.inner_text() and "滨州市" in branch.inner_text()
    row_2023 = page.inner_text('#platform-timeline tr[data-year="2023"]')
    assert "数字强市建设2023年工作要点" in row_2023 and "滨州市大数据局" in row_2023
    assert timeline.is_visible()
    assert not page.errors


def test_compare_plans_marks_shared_wording(page):
    page.click("#tab-compare")
    page.wait_for_selector(f'#compare-a option[value="{BINZHOU_2023}"]', state="attached")
    page.select_option("#compare-a", BINZHOU_2023)
    page.select_option("#compare-b", SHANDONG_2025)
    page.click("#compare-run")
    page.wait_for_selector("table.align tr.pair mark")
    marks = page.eval_on_selector_all("table.align tr.pair mark", "els => els.map(e => e.textContent)")
    assert any("宣传月" in m for m in marks)
    cells = page.eval_on_selector_all("table.align tr.pair td[data-id]", "els => els.map(e => e.dataset.id)")
    assert any(c.startswith("measure:002_") for c in cells) and any(c.startswith("measure:004_") for c in cells)
    assert "a=plan" in page.evaluate("location.hash")
    assert not page.errors


def _open_node(page, query: str, node_id: str) -> None:
    page.fill("#search-input", query)
    page.wait_for_selector(f'#search-results li[data-id="{node_id}"]')
    page.locator(f'#search-results li[data-id="{node_id}"]').dispatch_event("mousedown")
    page.wait_for_selector("#node-details h2")


def test_agency_panel_lists_co_responsible_measures_with_paging(page, server):
    import httpx
    from urllib.parse import quote

    agency = "agency:滨州市直相关部门单位"
    total = httpx.get(f"{server}/api/agencies/{quote(agency, safe='')}").json()["measures_responsible"]["total"]
    assert total > 30  # long enough to page
    _open_node(page, "滨州市直相关部门单位", agency)
    items = page.locator("#node-details ul.measures-responsible li")
    items.first.wait_for()
    assert items.count() == 30
    assert f"({total})" in page.inner_text("#node-details .paged.measures-responsible h2")
    page.click("#node-details .paged.measures-responsible button.more")
    page.wait_for_function(f"() => document.querySelectorAll('#node-details ul.measures-responsible li').length === {total}")
    assert page.locator("#node-details .paged.measures-responsible button.more").is_hidden()
    ids = page.eval_on_selector_all("#node-details ul.measures-responsible li a", "els => els.map(e => e.dataset.id)")
    assert len(set(ids)) == total
    assert not page.errors


def test_platform_panel_states_its_years_once(page):
    _open_node(page, "爱山东", "platform:爱山东")
    page.wait_for_selector("#platform-timeline .first-year")
    text = page.inner_text("#node-details")
    assert text.count("Years mentioned") == 1
    assert page.locator("#node-details ul.platform-measures li").count() >= 1
    assert not page.errors


SHANDONG_2023_NEWS_ONLY = "plan:山东省:数字强省建设2023年工作要点"  # known from news report 000 only


def test_compare_aligns_a_news_only_plan_to_reported_sentences(page, server):
    import httpx

    body = httpx.get(f"{server}/api/plans/align", params={"a": BINZHOU_2023, "b": SHANDONG_2023_NEWS_ONLY}).json()
    assert body["b"]["measures"] == 0 and body["b"]["reported_items"] > 0
    assert len(body["pairs"]) >= 10 and all(p["reported"] for p in body["pairs"])
    for pair in body["pairs"]:
        ev = pair["evidence"]
        assert pair["shared_chars"] >= 12 and pair["shared"][0] in ev["text"] and pair["shared"][0] in pair["a"]["text"]
        assert pair["a"]["id"].startswith("measure:002_") and pair["b"]["id"].startswith("doc:")
    page.click("#tab-compare")
    page.wait_for_selector(f'#compare-a option[value="{BINZHOU_2023}"]', state="attached")
    page.select_option("#compare-a", BINZHOU_2023)
    page.select_option("#compare-b", SHANDONG_2023_NEWS_ONLY)
    page.click("#compare-run")
    page.wait_for_selector("table.align tr.pair td.reported mark")
    assert "reported" in page.inner_text("table.align tr.pair td.reported .measure-head")
    assert page.locator("table.align tr.pair").count() == len(body["pairs"])
    page.locator("table.align tr.pair td.reported a.show-report").first.click()
    page.wait_for_selector("#panel pre.doc-text mark")
    assert not page.errors


def test_compare_offers_only_comparable_plans_and_says_why_nothing_aligned(page, server):
    import httpx

    plans = httpx.get(f"{server}/api/plans", params={"limit": 1000}).json()["items"]
    empty = [p["id"] for p in plans if not p["measures"] and not p["reports"]]
    assert empty  # the seed corpus has plans known by name only
    page.click("#tab-compare")
    page.wait_for_selector(f'#compare-a option[value="{BINZHOU_2023}"]', state="attached")
    offered = set(page.eval_on_selector_all("#compare-a option", "els => els.map(e => e.value)"))
    assert not offered & set(empty) and SHANDONG_2023_NEWS_ONLY in offered
    body = httpx.get(f"{server}/api/plans/align", params={"a": BINZHOU_2023, "b": empty[0]}).json()
    assert body["pairs"] == [] and "no measures" in body["reason"] and "no news report" in body["reason"]
    from urllib.parse import quote

    page.goto(f"{server}/#tab=compare&a={quote(BINZHOU_2023, safe='')}&b={quote(empty[0], safe='')}")
    page.wait_for_selector("table.align tr.no-pairs")
    assert body["reason"] in page.inner_text("table.align tr.no-pairs")
    assert not page.errors
