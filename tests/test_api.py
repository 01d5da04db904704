"""The REST API over a small hand-made build (tests/apifixture.py)."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from apifixture import CITY, CITY_PLAN, CITY_TEXT, PROV, PROV_PLAN, SCRIPT_AGENCY, write_build
from corpora import SEEDS
from govkg.api.app import create_app


def q(node_id: str) -> str:
    return quote(node_id, safe="")


@pytest.fixture(scope="module")
def client(api_client) -> TestClient:
    return api_client


def test_search_simplified_and_traditional_find_the_same(client):
    simple = client.get("/api/search", params={"q": "爱山东"}).json()
    traditional = client.get("/api/search", params={"q": "愛山東"}).json()
    assert simple == traditional
    assert simple["items"][0]["id"] == "platform:爱山东"
    ids = {hit["id"] for hit in simple["items"]}
    assert "platform:爱山东滨州分厅" in ids
    assert f"measure:{PROV}#1" in ids  # measure text


def test_search_aliases_agencies_and_types(client):
    hits = client.get("/api/search", params={"q": "爱山东APP"}).json()["items"]
    assert hits[0]["id"] == "platform:爱山东" and hits[0]["matched"] == "alias"
    hits = client.get("/api/search", params={"q": "大數據局", "types": "Agency"}).json()["items"]
    assert {h["id"] for h in hits} == {"agency:山东省大数据局", "agency:滨州市大数据局"}
    assert client.get("/api/search", params={"q": "不存在的东西"}).json()["total"] == 0


def test_search_pagination(client):
    full = client.get("/api/search", params={"q": "爱山东", "limit": 200}).json()
    assert full["total"] == len(full["items"]) >= 4
    part = client.get("/api/search", params={"q": "爱山东", "limit": 2, "offset": 1}).json()
    assert part["total"] == full["total"] and part["limit"] == 2 and part["offset"] == 1
    assert part["items"] == full["items"][1:3]


def test_agencies_list_and_pagination(client):
    page = client.get("/api/agencies", params={"limit": 3}).json()
    assert page["total"] == 8 and len(page["items"]) == 3
    rest = client.get("/api/agencies", params={"limit": 100, "offset": 3}).json()
    assert len(rest["items"]) == 5
    assert {a["id"] for a in page["items"]} .isdisjoint(a["id"] for a in rest["items"])
    named = client.get("/api/agencies", params={"collective": "false", "jurisdiction": "滨州市"}).json()
    assert {a["name"] for a in named["items"]} == {"滨州市人民政府办公室", "滨州市大数据局", SCRIPT_AGENCY}


def test_agency_detail(client):
    a = client.get(f"/api/agencies/{q('agency:滨州市大数据局')}").json()
    assert a["jurisdiction"] == "滨州市"
    assert [m["id"] for m in a["measures_led"]["items"]] == [f"measure:{CITY}#1"]
    assert a["measures_led"]["items"][0]["plan"]["id"] == CITY_PLAN
    owned = {o["id"]: o for o in a["platforms_owned"]}
    assert owned["platform:城市大脑"]["basis"] == "explicit_statement"
    assert owned["platform:爱山东滨州分厅"]["basis"] == "measure_subject"
    assert owned["platform:爱山东滨州分厅"]["support"] == 1 and owned["platform:爱山东滨州分厅"]["years"] == [2023]
    assert a["platforms_mentioned"] == []  # it owns every platform its measures name
    for ev in owned["platform:爱山东滨州分厅"]["evidence"]:
        assert CITY_TEXT[ev["start"]:ev["end"]] == ev["text"]
    # bare names work too
    assert client.get(f"/api/agencies/{q('滨州市大数据局')}").json()["id"] == "agency:滨州市大数据局"
    collective = client.get(f"/api/agencies/{q('agency:滨州市直相关部门单位')}").json()
    assert collective["collective"] is True and collective["platforms_owned"] == []
    assert [m["id"] for m in collective["measures_responsible"]["items"]] == [f"measure:{CITY}#1"]


def test_platform_detail_owners_branches_years(client):
    p = client.get(f"/api/platforms/{q('platform:爱山东')}").json()
    assert [o["id"] for o in p["owners"]] == ["agency:山东省大数据局"]  # 省公安厅 only uses it (依托)
    owner = p["owners"][0]
    assert owner["basis"] == "measure_subject" and owner["documents"] == [PROV] and owner["years"] == [2022]
    assert [b["id"] for b in p["branches"]] == ["platform:爱山东滨州分厅"]
    assert p["first_year"] == 2022 and p["last_year"] == 2023
    assert {pl["id"] for pl in p["plans"]} == {PROV_PLAN, CITY_PLAN}
    assert p["documents"] == [{"id": "doc:news_report.txt", "type": "Document", "name": "news_report.txt"}]
    assert p["measures"]["total"] == 2


def test_a_platform_used_as_a_channel_is_mentioned_not_owned(client):
    a = client.get(f"/api/agencies/{q('agency:山东省公安厅')}").json()
    assert a["platforms_owned"] == []
    assert [p["id"] for p in a["platforms_mentioned"]] == ["platform:爱山东"]


def test_the_branch_is_led_by_the_city_bureau(client):
    """Which agency owns the 滨州 branch of 爱山东? The city bureau, which leads the measure building it;
    the parent's owner is not copied onto the branch."""
    branch = client.get(f"/api/platforms/{q('platform:爱山东滨州分厅')}").json()
    assert branch["parents"][0]["id"] == "platform:爱山东"
    assert [o["id"] for o in branch["owners"]] == ["agency:滨州市大数据局"]
    assert branch["owners"][0]["basis"] == "measure_subject"
    assert [m["leads"][0]["id"] for m in branch["measures"]["items"]] == ["agency:滨州市大数据局"]
    parent = client.get(f"/api/platforms/{q('platform:爱山东')}").json()
    assert parent["branches"][0]["owners"][0]["id"] == "agency:滨州市大数据局"


def test_platform_list(client):
    page = client.get("/api/platforms", params={"q": "愛山東"}).json()
    assert [p["id"] for p in page["items"]] == ["platform:爱山东", "platform:爱山东滨州分厅"]
    assert page["items"][0]["first_year"] == 2022
    assert client.get("/api/platforms", params={"limit": 1, "offset": 3}).json()["total"] == 4


def test_plans(client):
    page = client.get("/api/plans").json()
    assert [p["id"] for p in page["items"]] == [PROV_PLAN, CITY_PLAN]
    assert client.get("/api/plans", params={"year": 2023}).json()["items"][0]["id"] == CITY_PLAN
    plan = client.get(f"/api/plans/{q(CITY_PLAN)}").json()
    assert plan["doc_number"] == "滨政办发〔2023〕7号" and plan["year"] == 2023
    assert plan["issued_by"][0]["name"] == "滨州市人民政府办公室"
    section = plan["sections"][0]
    assert section["title"] == "进一步完善整体高效的数字政府"
    first = section["measures"][0]
    assert first["number"] == "1"
    assert [a["id"] for a in first["leads"]] == ["agency:滨州市大数据局"]
    assert [a["id"] for a in first["responsible"]] == ["agency:滨州市直相关部门单位"]
    assert [p["id"] for p in first["platforms"]] == ["platform:爱山东滨州分厅"]
    assert first["targets"][0]["value"] == 500


def test_targets(client):
    all_ = client.get("/api/targets").json()
    assert all_["total"] == 2
    assert [t["id"] for t in client.get("/api/targets", params={"year": 2022}).json()["items"]] == [f"target:{PROV}#3.1"]
    hit = client.get("/api/targets", params={"indicator": "掌上辦", "jurisdiction": "滨州"}).json()["items"]
    assert len(hit) == 1 and hit[0]["value"] == 500 and hit[0]["unit"] == "项"
    assert hit[0]["plan"]["id"] == CITY_PLAN and hit[0]["measure"]["id"] == f"measure:{CITY}#1"
    assert client.get("/api/targets", params={"jurisdiction": "北京"}).json()["total"] == 0


def test_document_text_and_spans(client):
    doc = client.get(f"/api/documents/{q('doc:' + CITY)}").json()
    assert doc["text"] == CITY_TEXT and doc["length"] == len(CITY_TEXT)
    assert doc["plan"]["id"] == CITY_PLAN
    for fact in doc["facts"]:
        for s in fact["spans"]:
            assert CITY_TEXT[s["start"]:s["end"]] == s["text"]
    types = {f["type"] for f in doc["facts"]}
    assert {"LEADS", "MENTIONS", "BRANCH_OF", "OWNS"} <= types
    assert client.get(f"/api/documents/{q(CITY)}").json()["id"] == "doc:" + CITY  # bare file name
    listing = client.get("/api/documents").json()
    assert listing["total"] == 3


@pytest.mark.parametrize("bad", ["..%2F..%2Fetc%2Fpasswd", "%2E%2E%2F%2E%2E%2Fmanifest.json", "doc:../manifest.json",
                                 "nope.txt", "/etc/passwd", "%2e%2e/%2e%2e/manifest.json"])
def test_document_unknown_or_traversal_is_404(client, bad):
    r = client.get(f"/api/documents/{bad}")
    assert r.status_code == 404 and set(r.json()) == {"error"}


def test_neighborhood(client):
    g = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东"}).json()
    ids = {n["id"] for n in g["nodes"]}
    assert {"agency:山东省大数据局", "platform:爱山东滨州分厅", f"measure:{PROV}#1", f"measure:{PROV}#3"} <= ids
    owns = [e for e in g["edges"] if e["type"] == "OWNS"]
    assert owns and all(e["evidence_total"] >= 2 and e["evidence"] == [] for e in owns)  # spans: /api/edge
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    only = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东", "types": "Agency"}).json()
    assert {n["type"] for n in only["nodes"]} == {"Platform", "Agency"}
    capped = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东", "depth": 3, "limit": 5}).json()
    assert len(capped["nodes"]) == 5 and capped["truncated"] is True
    deep = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东", "depth": 3, "limit": 500}).json()
    assert len(deep["nodes"]) > len(ids) and deep["truncated"] is False
    owns_only = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东", "edge_types": "OWNS"}).json()
    assert {e["type"] for e in owns_only["edges"]} == {"OWNS"}


def test_subgraph_resolves_ids_and_iris(client):
    values = ["platform:爱山东", "https://govkg.example.org/id/agency/山东省大数据局",
              "https://govkg.example.org/id/measure/prov_plan.txt%231", "literal text", "42"]
    r = client.post("/api/graph/subgraph", json={"values": values}).json()
    assert r["resolved"] == {"platform:爱山东": "platform:爱山东",
                             values[1]: "agency:山东省大数据局", values[2]: f"measure:{PROV}#1"}
    assert {e["type"] for e in r["edges"]} >= {"OWNS", "LEADS", "MENTIONS"}


def test_node_and_edge(client):
    node = client.get("/api/node", params={"id": f"agency:{SCRIPT_AGENCY}"}).json()
    assert node["name"] == SCRIPT_AGENCY and node["edge_counts"]["out:LEADS"] == 1
    eid = "agency:山东省大数据局|OWNS|platform:爱山东"
    edge = client.get("/api/edge", params={"id": eid}).json()
    assert edge["props"]["basis"] == "measure_subject" and edge["evidence_total"] == len(edge["evidence"]) == 2
    one = client.get("/api/edge", params={"id": eid, "evidence_limit": 1}).json()
    assert len(one["evidence"]) == 1 and one["evidence_total"] == 2
    branch_owner = "agency:滨州市大数据局|OWNS|platform:爱山东滨州分厅"  # the sentence and the clause
    g = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东滨州分厅"}).json()
    view = next(e for e in g["edges"] if e["id"] == branch_owner)
    assert view["evidence_total"] == 2 and view["evidence"] == []
    capped = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东", "depth": 2, "max_edges": 4}).json()
    assert capped["edges_truncated"] is True and len(capped["edges"]) == len(capped["nodes"]) - 1  # the BFS tree stays


@pytest.mark.parametrize("url", [
    "/api/agencies/agency%3A%E4%B8%8D%E5%AD%98%E5%9C%A8", "/api/platforms/nope", "/api/plans/nope",
    "/api/graph/neighborhood?id=nope", "/api/node?id=nope", "/api/edge?id=a|b|c", "/api/edge?id=x",
    "/api/nothing-here", f"/api/platforms/{q('agency:滨州市大数据局')}"])
def test_unknown_ids_are_json_404(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json") and isinstance(r.json()["error"], str)


@pytest.mark.parametrize("url", ["/api/search", "/api/search?q=", "/api/agencies?limit=0", "/api/agencies?limit=x",
                                 "/api/targets?year=abc", "/api/graph/neighborhood?id=platform:爱山东&depth=4",
                                 "/api/plans?offset=-1"])
def test_bad_parameters_are_json_422(client, url):
    r = client.get(url)
    assert r.status_code == 422 and set(r.json()) == {"error"} and r.json()["error"]


def test_bad_body_and_method(client):
    r = client.post("/api/graph/subgraph", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()
    r = client.delete("/api/agencies")
    assert r.status_code == 405 and "error" in r.json()


def test_openapi_documents_examples(client):
    schema = client.get("/openapi.json").json()
    assert "/api/graph/neighborhood" in schema["paths"]
    assert schema["components"]["schemas"]["SearchPage"]["examples"]
    assert "ErrorResponse" in schema["components"]["schemas"]


def test_rebuild_is_followed(tmp_path):
    write_build(tmp_path)
    c = TestClient(create_app(tmp_path))
    first = c.get("/api/meta").json()["build"]
    write_build(tmp_path)
    assert c.get("/api/meta").json()["build"] != first


def test_no_build_is_503_json(tmp_path):
    r = TestClient(create_app(tmp_path)).get("/api/agencies")
    assert r.status_code == 503 and "govkg build" in r.json()["error"]


def test_explorer_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "cytoscape" in r.text
    assert client.get("/static/explorer.js").status_code == 200


# -- research questions on the seed corpus, checked against facts read in the original text --------

BINZHOU = "002_0caad2ac46645fdc.txt"  # 滨州市数字强市建设2023年工作要点, 滨政办发〔2023〕7号


@pytest.fixture(scope="module")
def seed(request) -> TestClient:
    if not (SEEDS / BINZHOU).is_file():
        pytest.skip("shared/corpus/seeds is not beside the repository")
    return request.getfixturevalue("seed_client")


def test_seed_which_agency_leads_the_binzhou_branch_of_aishandong(seed):
    # measure 2: 推进“爱山东”移动政务服务平台滨州分厅建设 …(牵头单位:市大数据局,…)
    hits = seed.get("/api/search", params={"q": "爱山东滨州分厅", "types": "Platform"}).json()["items"]
    assert hits[0]["id"] == "platform:爱山东滨州分厅"
    assert seed.get("/api/search", params={"q": "愛山東"}).json() == seed.get("/api/search", params={"q": "爱山东"}).json()
    branch = seed.get(f"/api/platforms/{q(hits[0]['id'])}").json()
    assert branch["parents"][0]["id"] == "platform:爱山东"
    assert branch["owners"][0]["id"] == "agency:滨州市大数据局"
    assert branch["owners"][0]["basis"] == "measure_subject"
    measure = next(m for m in branch["measures"]["items"] if m["document"] == BINZHOU)
    assert measure["number"] == "2" and measure["text"].startswith("推进“爱山东”移动政务服务平台滨州分厅建设")
    assert [a["id"] for a in measure["leads"]] == ["agency:滨州市大数据局"]
    assert branch["first_year"] == 2023


def test_seed_measures_the_binzhou_big_data_bureau_leads(seed):
    # read in the text: 牵头单位 names 市大数据局 in measures 1 2 4 5 8 10 24 25 29 31 32 34 35 36 37 38;
    # 责任单位 names it in 26 and 33
    agency = seed.get(f"/api/agencies/{q('agency:滨州市大数据局')}").json()
    led = sorted(int(m["number"]) for m in agency["measures_led"]["items"] if m["document"] == BINZHOU)
    assert led == [1, 2, 4, 5, 8, 10, 24, 25, 29, 31, 32, 34, 35, 36, 37, 38]
    co = sorted(int(m["number"]) for m in agency["measures_responsible"]["items"] if m["document"] == BINZHOU)
    assert co == [26, 33]
    assert "platform:爱山东滨州分厅" in {p["id"] for p in agency["platforms_owned"]}


def test_seed_binzhou_plan_and_targets(seed):
    plans = seed.get("/api/plans", params={"jurisdiction": "滨州市"}).json()["items"]
    plan = next(p for p in plans if p["document"] == BINZHOU)
    assert plan["doc_number"] == "滨政办发〔2023〕7号" and plan["issued"] == "2023-07-28" and plan["measures"] == 38
    detail = seed.get(f"/api/plans/{q(plan['id'])}").json()
    measures = [m for s in detail["sections"] for m in s["measures"]] + detail["unsectioned_measures"]
    assert len(measures) == 38
    second = next(m for m in measures if m["number"] == "2")
    assert [a["id"] for a in second["leads"]] == ["agency:滨州市大数据局"]
    assert "platform:爱山东滨州分厅" in {p["id"] for p in second["platforms"]}
    # measure 28: 全市新开通5G基站1350个，累计达1.1万个以上
    fiveg = seed.get("/api/targets", params={"indicator": "5G基站", "jurisdiction": "滨州", "year": 2023}).json()["items"]
    assert sorted((t["value"], t["unit"]) for t in fiveg) == [(1.1, "万个"), (1350, "个")]
    assert {t["measure"]["id"] for t in fiveg} == {f"measure:{BINZHOU}#28"}
    # measure 2: 增加“掌上办”事项500项
    assert any(t["value"] == 500 and t["unit"] == "项"
               for t in seed.get("/api/targets", params={"indicator": "掌上办", "jurisdiction": "滨州市"}).json()["items"])


def test_seed_evidence_spans_are_original_text(seed):
    doc = seed.get(f"/api/documents/{q('doc:' + BINZHOU)}").json()
    original = (SEEDS / BINZHOU).read_text(encoding="utf-8")
    assert doc["text"] == original
    assert doc["facts"]
    for fact in doc["facts"]:
        for s in fact["spans"]:
            assert original[s["start"]:s["end"]] == s["text"]
