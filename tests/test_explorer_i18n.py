"""The explorer's language switch (api/static/i18n.js) in headless Chromium over the seed build."""
from __future__ import annotations

import pytest


pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def data_dir(seed_data):
    return seed_data


@pytest.fixture
def page(open_page, live_data_server, data_dir):
    return open_page(live_data_server(data_dir) + "/")


def test_switch_to_english_search_and_open_an_agency(page):
    assert page.inner_text("#tab-graph") == "图谱 Graph"
    page.click("#lang-switch")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.inner_text("#tab-graph") == "Graph"
    assert "Agency" in page.inner_text("#node-filters") and "机构" not in page.inner_text("#node-filters")
    page.fill("#search-input", "Binzhou big data bureau")
    first = page.locator("#search-results li[data-id]").first
    first.wait_for()
    assert first.get_attribute("data-id") == "agency:滨州市大数据局"
    assert "Binzhou Municipal Big Data Bureau" in first.inner_text()
    first.dispatch_event("mousedown")
    profile = page.locator("#agency-profile")
    profile.wait_for()
    text = profile.inner_text()
    assert "Big data and data administration" in text and "prefecture" in text and "滨州市大数据局" in text
    assert "Shandong Provincial Big Data Bureau" in text and "Counterparts (" in text
    assert "Binzhou Municipal Big Data Bureau" in page.inner_text("#panel")
    assert page.errors == []
    # and back to Chinese
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#tab-graph") == "图谱 Graph"


def test_a_plan_shows_its_jurisdiction_with_level_and_code(page):
    page.fill("#search-input", "数字强市建设2023年工作要点")
    hit = page.locator('#search-results li[data-id="plan:滨州市:数字强市建设2023年工作要点"]')
    hit.wait_for()
    hit.dispatch_event("mousedown")
    where = page.locator("#node-details p.jurisdiction")
    where.wait_for()
    text = where.inner_text()
    assert "滨州市" in text and "prefecture" in text and "371600" in text
    assert page.errors == []
