"""The series a researcher reads: kinds kept apart, a derived stock with both sources, undated
points listed with the reason (REST and the explorer in headless Chromium), on tests/seriesfixture.py."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.graph import series
from seriesfixture import BASE, INC, TEXT, UNDATED, write_build

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("series-view")
    write_build(data)
    return data


def test_derived_stock_and_undated_points(data_dir):
    client = TestClient(create_app(data_dir))
    body = client.get("/api/indicators/base_stations_5g/series").json()
    assert {p["target"]: p["kind"] for p in body["points"]} == {BASE: "baseline", INC: "increment",
                                                              UNDATED: "cumulative"}
    [derived] = body["derived"]
    assert derived["value"] == 161_000 and derived["year"] == 2022 and derived["kind"] == "stock"
    assert derived["derived"] is True and derived["rule"] == series.DERIVED_STOCK_RULE
    assert derived["sources"] == [BASE, INC]
    assert [TEXT[e["start"]:e["end"]] for e in derived["evidence"]] == [e["text"] for e in derived["evidence"]]
    assert body["undated"] == [{"target": UNDATED, "reason": series.undated_reason(
        next(p for p in series.series(client.app.state.govkg.build().graph(), "base_stations_5g")
             if p.target == UNDATED))}]
    assert "no year" in body["undated"][0]["reason"]


def test_no_stock_is_derived_across_a_gap():
    point = series.Point(BASE, "x", "甲", 2020, 1, "个", "baseline", None, "x")
    later = series.Point(INC, "x", "甲", 2022, 2, "个", "increment", None, "x")
    other_place = series.Point(INC, "x", "乙", 2021, 2, "个", "increment", None, "x")
    assert series.derived_stocks([point, later, other_place]) == []
    next_year = series.Point(INC, "x", "甲", 2021, 2, "个", "increment", None, "x")
    assert [d.value for d in series.derived_stocks([point, next_year])] == [3]


def test_explorer_shows_derived_and_undated(open_page, live_server, data_dir):
    page = open_page(live_server(create_app(data_dir)) + "/#tab=series&ind=base_stations_5g",
                     ready="body[data-series=base_stations_5g]")
    kinds = page.evaluate("window.govkgChart.getOption().series.map(s => s.kind)")
    assert sorted(kinds) == ["baseline", "increment", "stock"]  # the undated goal is not drawn
    undated = page.locator(f'#series-undated li[data-target="{UNDATED}"]')
    assert "no year" in undated.inner_text() and "300,000" in undated.inner_text()
    undated.click()
    page.wait_for_selector("#series-point pre.doc-text mark")
    assert page.inner_text("#series-point pre.doc-text mark") == "远期累计建成5G基站30万个。"
    page.click("#series-derived li")
    page.wait_for_selector("#series-point ul.derived-sources li")
    assert "161,000" in page.inner_text("#series-point .point-value")
    assert not page.errors
