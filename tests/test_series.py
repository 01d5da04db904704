"""Target series, consistency checks and platform timelines (graph/series.py, api/series.py,
queries/series_*.rq) on the indicator vocabulary and on the seed corpus.

Facts checked against the seed documents (read by hand):
  001 (news, traditional script, 山东 2022 数字变革创新行动计划): 在2021年建成開通5G基站10.1萬個基礎上,
      2022年,山東省將新建並開通5G基站6萬個  -> 2021 baseline 101000, 2022 increment 60000 (山东省)
  000 (news, 山东 数字强省建设2023年工作要点): 累计开通5G基站20万个以上  -> 2023 cumulative 200000 (山东省)
  002 (滨州市 数字强市建设2023年工作要点, measure 28): 全市新开通5G基站1350个,累计达1.1万个以上
      -> 2023 increment 1350 and cumulative 11000 of 滨州市, not 山东省
  002 measure 2: 推进“爱山东”移动政务服务平台滨州分厅建设  -> branch 爱山东滨州分厅 of 爱山东 (2023, 滨州市)
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from corpora import SEEDS
from govkg.graph import series
from series_support import concept_iri, node_id, sparql, sparql_store

D000, D001, D002 = "000_f136afae86d2238c.txt", "001_81b0110d58fad600.txt", "002_0caad2ac46645fdc.txt"


# -- the vocabulary -----------------------------------------------------------------------------------

def test_vocabulary_is_a_skos_scheme_with_labels_dimensions_and_hierarchy():
    vocab = series.vocabulary()
    assert len(vocab.concepts) >= 40
    bs = vocab.concepts["base_stations_5g"]
    assert bs.pref_label == "5G基站" and bs.dimension == "count"
    assert {"开通5G基站", "5G基站数", "新建5G基站"} <= set(bs.alt_labels)
    assert "network_5g" in bs.broader and "base_stations_5g" in vocab.concepts["network_5g"].narrower
    assert vocab.concepts["village_5g_coverage"].dimension == "share"
    assert "network_5g" in vocab.concepts["village_5g_coverage"].broader
    for cid, concept in vocab.concepts.items():
        for other in concept.broader:
            assert cid in vocab.concepts[other].narrower, (cid, other)
        for other in concept.narrower:
            assert cid in vocab.concepts[other].broader, (cid, other)
        # the SPARQL twins match labels as stored: they must already be normalised
        for label in concept.alt_labels + (concept.pref_label,):
            assert series.normalise(label) == label, label
    assert {"count", "share", "amount"} == set(vocab.units.values())


@pytest.mark.parametrize("indicator, unit, expected", [
    ("累计开通5G基站", "万个", "base_stations_5g"),
    ("5G基站数", "个", "base_stations_5g"),
    ("全市新开通5G基站", "个", "base_stations_5g"),
    ("在2021年建成开通5G基站基础上", "万个", "base_stations_5g"),
    ("全省行政村5G网络通达率", "%", "village_5g_coverage"),
    ("行政村5G网络通达率", "个", None),  # a count never matches a share concept
    ("5G基站", "%", None),  # nor a share a count concept
    ("全省智慧社区覆盖率", "%", "smart_community_coverage"),
    ("新建智慧社区", "个", "smart_communities"),
    ("县域层面依托智慧社区平台打造便民应用场景", "个", "application_scenarios"),  # longest label wins
    ("增加“掌上办”事项", "项", "mobile_service_items"),  # quotes do not matter
    ("数字经济核心产业增加值", "亿元", "digital_core_value_added"),
    ("数字经济核心产业增加值占GDP比重", "%", "digital_core_share_of_gdp"),
    ("举办数字经济项目推介活动", "场", None),  # events are not projects (concept units)
    ("新建设“千兆城市”", "个", "gigabit_cities"),
    ("推动全省在用标准机架数", "万个", "data_centre_racks"),
    ("开展网络安全攻防演练", "次", None),
    ("", "个", None),
])
def test_indicator_of(indicator, unit, expected):
    assert series.indicator_of({"indicator": indicator, "unit": unit}) == expected


def test_values_in_base_units_exactly():
    assert series.base_value(1.1, "万个") == (11000, "个")
    assert series.base_value(10.1, "万个") == (101000, "个")
    assert series.base_value(1.5, "亿元") == (150000000, "元")
    assert series.base_value(3.35, "万个") == (33500, "个")
    assert series.base_value(57, "%") == (57, "%")
    assert series.base_value(2, "个百分点") == (2, "个百分点")
    assert series.base_value(12, "万") == (120000, "")


def test_resolve_ids_labels_and_iris():
    vocab = series.vocabulary()
    for given in ("base_stations_5g", "indicator:base_stations_5g", concept_iri("base_stations_5g"), "5G基站",
                  "新建5G基站", "5g基站"):
        assert vocab.resolve(given) == "base_stations_5g", given
    assert vocab.resolve("不存在") is None


# -- the seed corpus ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_build(seed_build):  # the session's build (conftest), here as (data folder, build)
    if not (SEEDS / D002).is_file():
        pytest.skip("shared/corpus/seeds is not beside the repository")
    return seed_build.path.parent.parent, seed_build


@pytest.fixture(scope="module")
def seed_index(seed_build):
    return series.SeriesIndex(seed_build[1].graph())


def _one(points, year, kind):
    found = [p for p in points if p.year == year and p.kind == kind]
    assert len(found) == 1, [(p.year, p.kind, p.value, p.target) for p in points]
    return found[0]


def _number_in(evidence: list[dict], pattern: str) -> bool:
    return any(re.search(pattern, ev["text"]) for ev in evidence)


def test_shandong_5g_series_baseline_increment_cumulative(seed_index):
    points = seed_index.series("base_stations_5g", "山东省")
    assert {p.jurisdiction for p in points} == {"山东省"}
    baseline = _one(points, 2021, "baseline")
    assert (baseline.value, baseline.unit, baseline.document) == (101000, "个", D001)
    assert baseline.reported is True  # a reported fact, not a goal
    assert _number_in(baseline.evidence, r"10\.1[万萬]")
    increment = _one(points, 2022, "increment")
    assert (increment.value, increment.document, increment.reported) == (60000, D001, False)
    assert _number_in(increment.evidence, r"(?<![\d.])6[万萬]")
    cumulative = _one(points, 2023, "cumulative")
    assert (cumulative.value, cumulative.document, cumulative.reported) == (200000, D000, False)
    assert cumulative.qualifier == "以上"
    assert _number_in(cumulative.evidence, r"20万")
    for p in (baseline, increment, cumulative):
        assert p.evidence and all(ev["document"] == p.document for ev in p.evidence)
    # the province's own points are consistent: 10.1万 + 6万 <= 20万
    assert not [f for f in series.checks(seed_index, "base_stations_5g")
                if f.jurisdiction == "山东省" and f.type == "cumulative_below_previous_plus_increment"]


def test_shandong_evidence_is_a_span_of_the_original_text(seed_build, seed_index):
    build = seed_build[1]
    for p in seed_index.series("base_stations_5g", "山东"):  # short forms are accepted
        for ev in p.evidence:
            assert build.original_text(ev["document"])[ev["start"]:ev["end"]] == ev["text"]


def test_binzhou_2023_5g_points_belong_to_binzhou(seed_index):
    shandong = seed_index.series("base_stations_5g", "山东省")
    assert not [p for p in shandong if p.document == D002]
    binzhou = seed_index.series("base_stations_5g", "滨州市")
    assert {p.jurisdiction for p in binzhou} == {"滨州市"}
    increment = _one(binzhou, 2023, "increment")
    assert increment.value == 1350 and increment.document == D002
    assert _number_in(increment.evidence, r"新开通5G基站1350个")
    cumulative = [p for p in binzhou if p.year == 2023 and p.kind == "cumulative"]
    assert len(cumulative) == 1 and cumulative[0].value == 11000
    assert _number_in(cumulative[0].evidence, r"1\.1万个")


def test_aishandong_timeline_has_the_binzhou_branch(seed_build):
    timeline = series.platform_timeline(seed_build[1].graph(), "platform:爱山东")
    branches = {b["id"]: b for b in timeline["branches"]}
    assert "platform:爱山东滨州分厅" in branches
    branch = branches["platform:爱山东滨州分厅"]
    assert branch["first_year"] == 2023 and branch["jurisdictions"] == ["滨州市"]
    assert any("滨州分厅" in ev["text"] and ev["document"] == D002 for ev in branch["evidence"])
    assert timeline["first_year"] == 2022  # 001: 进一步优化“爱山东”移动政务服务平台功能 (2022 plan)
    years = {y["year"]: y for y in timeline["years"]}
    assert "滨州市" in years[2023]["jurisdictions"]
    assert any(a["id"] == "agency:滨州市大数据局" for a in years[2023]["agencies"])
    assert {j["name"] for j in timeline["jurisdictions"]} >= {"山东省", "滨州市"}


def test_aishandong_named_by_the_2023_shandong_plan(seed_build):
    timeline = series.platform_timeline(seed_build[1].graph(), "platform:爱山东")
    plans = {p["id"] for y in timeline["years"] for p in y["plans"]}
    assert "plan:山东省:数字强省建设2023年工作要点" in plans  # 000: 塑强一体化的“爱山东”政务服务品牌


def test_rest_series_checks_and_timeline(seed_build):
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app

    client = TestClient(create_app(seed_build[0]))
    page = client.get("/api/indicators", params={"limit": 5, "offset": 0}).json()
    assert page["total"] == len(series.vocabulary().concepts) and len(page["items"]) == 5
    assert page["items"][0]["points"] >= page["items"][-1]["points"]
    assert client.get("/api/indicators", params={"q": "5G基站"}).json()["items"][0]["id"] == "base_stations_5g"
    body = client.get("/api/indicators/base_stations_5g/series", params={"jurisdiction": "山东省"}).json()
    got = sorted((p["year"], p["kind"], p["value"], p["document"]) for p in body["points"])
    assert got == [(2021, "baseline", 101000, D001), (2022, "increment", 60000, D001),
                   (2023, "cumulative", 200000, D000)]
    assert all(p["evidence"] for p in body["points"])
    by_label = client.get("/api/indicators/5G基站/series", params={"jurisdiction": "滨州市"}).json()
    assert {p["jurisdiction"] for p in by_label["points"]} == {"滨州市"}
    assert client.get("/api/indicators/base_stations_5g/checks").status_code == 200
    timeline = client.get(f"/api/platforms/{quote('platform:爱山东', safe='')}/timeline").json()
    assert "platform:爱山东滨州分厅" in {b["id"] for b in timeline["branches"]}
    assert client.get("/api/platforms/爱山东/timeline").json()["platform"]["id"] == "platform:爱山东"
    # the REST router's /api/platforms/{id} still answers
    assert client.get(f"/api/platforms/{quote('platform:爱山东', safe='')}").status_code == 200
    for url in ("/api/indicators/nope/series", "/api/indicators/nope/checks", "/api/platforms/nope/timeline"):
        r = client.get(url)
        assert r.status_code == 404 and "error" in r.json(), url
    r = client.get("/api/indicators", params={"limit": 0})
    assert r.status_code == 422 and "error" in r.json()


def test_sparql_series_points_match_python(seed_build, seed_index):
    store = sparql_store(seed_build[1])
    rows = sparql(store, "series_points", concept=concept_iri("base_stations_5g"))
    shandong = sorted((r["year"], r["kind"], float(r["baseValue"])) for r in rows if r["jurisdiction"] == "山东省")
    assert shandong == [(2021, "baseline", 101000.0), (2022, "increment", 60000.0), (2023, "cumulative", 200000.0)]
    assert all(r["evidenceText"] for r in rows)
    # every target maps to the same indicator in SPARQL and in Python
    everything = sparql(store, "series_points")
    got = {(node_id(r["target"]), r["concept"].rsplit("/", 1)[1], float(r["baseValue"])) for r in everything}
    want = {(p.target, p.indicator_id, float(p.value)) for pts in seed_index.points.values() for p in pts}
    assert got == want
    counts = {r["concept"].rsplit("/", 1)[1]: r["points"] for r in sparql(store, "series_indicators")}
    assert counts == seed_index.counts()
    timeline = sparql(store, "series_platform_timeline", platform="https://govkg.example.org/id/platform/爱山东")
    assert {(r["role"], node_id(r["named"]), r["year"], r["jurisdiction"]) for r in timeline if r["role"] == "branch"} \
        == {("branch", "platform:爱山东滨州分厅", 2023, "滨州市")}
