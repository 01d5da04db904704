"""The explorer's search box in headless Chromium: hits grouped by type with counts, pinyin and
typo matches marked, a news report found by its text opens the sentence."""
from __future__ import annotations

from pathlib import Path

import pytest

from apifixture import NEWS

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def data_dir(api_data) -> Path:
    return api_data


@pytest.fixture
def page(open_page, live_data_server, data_dir):
    return open_page(live_data_server(data_dir) + "/")


def _type(page, text: str) -> None:
    page.fill("#search-input", text)
    page.wait_for_function("q => document.getElementById('search-input').value === q && "
                           "document.querySelector('#search-results li')", arg=text)
    page.wait_for_timeout(400)  # the box waits 200 ms after the last key


def test_hits_are_grouped_by_type_with_counts(page):
    _type(page, "爱山东")
    groups = page.eval_on_selector_all("#search-results li.group",
                                       "els => els.map(e => [e.dataset.type, e.textContent])")
    types = [t for t, _ in groups]
    assert types[0] == "Platform" and "Measure" in types and len(types) == len(set(types))
    platform_heading = dict(groups)["Platform"]
    shown = page.eval_on_selector_all('#search-results li[data-id^="platform:"]', "els => els.length")
    assert f"({shown})" in platform_heading
    # every hit sits under the heading of its type
    order = page.eval_on_selector_all(
        "#search-results li", "els => els.map(e => e.dataset.type || e.querySelector('.type').textContent)")
    classes = page.eval_on_selector_all("#search-results li", "els => els.map(e => e.className)")
    current = None
    for cls, entry in zip(classes, order):
        if cls == "group":
            current = entry
        else:
            assert entry == current, (entry, current)
    assert not page.errors


def test_pinyin_and_typos_find_the_platform(page):
    _type(page, "aishandong")
    first = page.locator("#search-results li[data-id]").first
    assert first.get_attribute("data-id") == "platform:爱山东" and first.get_attribute("data-matched") == "pinyin"
    assert "pinyin" in first.inner_text()
    _type(page, "爱山冬")
    first = page.locator("#search-results li[data-id]").first
    assert first.get_attribute("data-id") == "platform:爱山东" and first.get_attribute("data-matched") == "fuzzy"
    first.dispatch_event("mousedown")
    page.wait_for_function("() => window.govkgCy.getElementById('platform:爱山东').nonempty()")
    assert not page.errors


def test_a_news_hit_opens_its_sentence(page):
    _type(page, "注册用户")
    hit = page.locator(f'#search-results li[data-id="doc:{NEWS}"]')
    assert hit.get_attribute("data-matched") == "news" and "注册用户" in hit.inner_text()
    hit.dispatch_event("mousedown")
    page.wait_for_selector("#panel pre.doc-text mark")
    assert page.inner_text("#panel pre.doc-text mark") == "新闻：爱山东APP累计注册用户突破1亿"
    assert not page.errors
