"""Agency function, level, jurisdiction and English name (graph/agency_functions.py), English labels
(graph/english.py) and COUNTERPART_OF (graph/counterparts.py) on the seed build."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from govkg.graph.agency_functions import FUNCTION_NS, FUNCTIONS_FILE, PARTY_RULES, RULES, function_labels, profile
from govkg.graph.counterparts import counterpart_edges
from govkg.graph.english import plan_title_en, platform_en, region_en
from govkg.graph.factgraph import FactGraph
from govkg.graph.labels import describe
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from rdf_fixture import export_records

# (resolved name, function, level, English name): names as the seeds and dev2 print them, and our own
TABLE = [
    ("滨州市大数据局", "big_data", "prefecture", "Binzhou Municipal Big Data Bureau"),
    ("山东省大数据局", "big_data", "province", "Shandong Provincial Big Data Bureau"),
    ("滨州市发展改革委", "development_reform", "prefecture", "Binzhou Municipal Development and Reform Commission"),
    ("山东省发展和改革委员会", "development_reform", "province", "Shandong Provincial Development and Reform Commission"),
    ("滨州市委网信办", "party_cyberspace", "prefecture", "Cyberspace Affairs Office of the CPC Binzhou Municipal Committee"),
    ("山东省委宣传部", "party_propaganda", "province", "Publicity Department of the CPC Shandong Provincial Committee"),
    ("滨州市委组织部", "party_organisation", "prefecture", "Organization Department of the CPC Binzhou Municipal Committee"),
    ("滨州市委统战部", "party_united_front", "prefecture", "United Front Work Department of the CPC Binzhou Municipal Committee"),
    ("山东省委政法委", "party_political_legal", "province", "Political and Legal Affairs Commission of the CPC Shandong Provincial Committee"),
    ("山东省委办公厅", "party_general_office", "province", "General Office of the CPC Shandong Provincial Committee"),
    ("滨州市纪委监委机关", "party_discipline", "prefecture", "Binzhou Municipal Commission for Discipline Inspection and Supervision"),
    ("滨州市委党校(行政学院)", "party_school", "prefecture", "Party School of the CPC Binzhou Municipal Committee"),
    ("团滨州市委", "youth_league", "prefecture", "Binzhou Municipal Committee of the Communist Youth League"),
    ("滨州市妇联", "womens_federation", "prefecture", "Binzhou Municipal Women's Federation"),
    ("山东省总工会", "trade_union", "province", "Shandong Provincial Federation of Trade Unions"),
    ("滨州市工商联", "industry_commerce_federation", "prefecture", "Binzhou Municipal Federation of Industry and Commerce"),
    ("滨州市人民政府办公室", "government_office", "prefecture", "General Office of the Binzhou Municipal People's Government"),
    ("山东省政府办公厅", "government_office", "province", "General Office of the Shandong Provincial People's Government"),
    ("青岛市政府新闻办", "information_office", "prefecture", "Information Office of the Qingdao Municipal People's Government"),
    ("滨州市行政审批服务局", "government_services", "prefecture", "Binzhou Municipal Administrative Approval Service Bureau"),
    ("山东省公安厅", "public_security", "province", "Shandong Provincial Public Security Department"),
    ("滨州市财政局", "finance", "prefecture", "Binzhou Municipal Finance Bureau"),
    ("山东省人力资源社会保障厅", "human_resources_social_security", "province", "Shandong Provincial Human Resources and Social Security Department"),
    ("山东省自然资源厅", "natural_resources", "province", "Shandong Provincial Natural Resources Department"),
    ("滨州市住房城乡建设局", "housing_urban_rural", "prefecture", "Binzhou Municipal Housing and Urban-Rural Development Bureau"),
    ("山东省交通运输厅", "transport", "province", "Shandong Provincial Transport Department"),
    ("滨州市农业农村局", "agriculture_rural", "prefecture", "Binzhou Municipal Agriculture and Rural Affairs Bureau"),
    ("滨州市商务局", "commerce", "prefecture", "Binzhou Municipal Commerce Bureau"),
    ("山东省文化和旅游厅", "culture_tourism", "province", "Shandong Provincial Culture and Tourism Department"),
    ("山东省卫生健康委", "health", "province", "Shandong Provincial Health Commission"),
    ("江苏省民政厅", "civil_affairs", "province", "Jiangsu Provincial Civil Affairs Department"),
    ("滨州市市场监管局", "market_regulation", "prefecture", "Binzhou Municipal Administration for Market Regulation"),
    ("山东省生态环境厅", "ecology_environment", "province", "Shandong Provincial Ecology and Environment Department"),
    ("滨州市教育局", "education", "prefecture", "Binzhou Municipal Education Bureau"),
    ("滨州市科技局", "science_technology", "prefecture", "Binzhou Municipal Science and Technology Bureau"),
    ("滨州市司法局", "justice", "prefecture", "Binzhou Municipal Justice Bureau"),
    ("山东省应急厅", "emergency_management", "province", "Shandong Provincial Emergency Management Department"),
    ("山东省统计局", "statistics", "province", "Shandong Provincial Statistics Bureau"),
    ("滨州市国资委", "state_assets", "prefecture", "Binzhou Municipal State-owned Assets Supervision and Administration Commission"),
    ("滨州市人大常委会办公室", "peoples_congress", "prefecture", "General Office of the Standing Committee of the Binzhou Municipal People's Congress"),
    ("滨州市政协办公室", "cppcc", "prefecture", "General Office of the Binzhou Municipal Committee of the CPPCC"),
    ("山东数字强省建设领导小组办公室", "leading_group", "province", "Office of the Shandong Provincial Leading Group for Building a Digital Province"),
    ("国网滨州供电公司", "power_grid", "prefecture", "State Grid Binzhou Power Supply Company"),
    ("浙江省大数据发展管理局", "big_data", "province", "Zhejiang Provincial Big Data Bureau"),
    ("江苏省政务办", "government_services", "province", "Jiangsu Provincial Government Services Management Office"),
    ("湖北省经信厅", "industry_it", "province", "Hubei Provincial Economy and Information Technology Department"),
    # 济源 is a county-level division directly under its province in GB/T 2260 (4190xx)
    ("济源示范区管委会", "government", "county", "Jiyuan Demonstration Zone Administrative Committee"),
    # our own fixtures
    ("滨州市滨城区政府办", "government_office", "county", "General Office of the Bincheng District People's Government"),
    ("博兴县大数据中心", "big_data", "county", "Boxing County Big Data Center"),
    ("滨城区行政审批服务局", "government_services", "county", "Bincheng District Administrative Approval Service Bureau"),
    ("中国移动滨州分公司", "telecom_operator", "prefecture", "China Mobile Binzhou Branch"),
    ("国家发展改革委", "development_reform", "national", "National Development and Reform Commission"),
    ("工业和信息化部", "industry_it", "national", "Ministry of Industry and Information Technology"),
    ("国家数据局", "big_data", "national", "National Data Bureau"),
    ("中共中央网信办", "party_cyberspace", "national", "Cyberspace Affairs Office of the CPC Central Committee"),
    ("滨州市发改委〔滨州市数据局〕", "development_reform", "prefecture", "Binzhou Municipal Development and Reform Commission"),
]


@pytest.mark.parametrize("name,function,level,english", TABLE, ids=[row[0] for row in TABLE])
def test_agency_table(name, function, level, english):
    found = profile(name)
    assert (found.function, found.level, found.name_en) == (function, level, english)


def test_the_table_is_large_enough_and_varied():
    assert len(TABLE) >= 40 and len({row[1] for row in TABLE}) >= 35


def test_an_agency_with_two_names_is_classified_by_either():
    assert profile("滨州市数据局").function == "big_data"
    assert profile("滨州市某某中心", ("滨州市大数据局",)).function == "big_data"


def test_every_function_the_rules_give_is_a_concept_of_the_scheme():
    labels = function_labels()
    assert {r.function for r in (*RULES, *PARTY_RULES)} <= set(labels)
    graph = Graph().parse(FUNCTIONS_FILE)
    for code, entry in labels.items():
        assert entry.get("zh") and entry.get("en"), code
    # government functions are aligned with COFOG where one fits
    mapped = {str(s)[len(FUNCTION_NS):] for p in (SKOS.closeMatch, SKOS.broadMatch) for s in graph.subjects(p, None)}
    assert {"public_security", "health", "education", "transport", "ecology_environment"} <= mapped
    assert (URIRef(FUNCTION_NS + "party_cyberspace"), SKOS.broader, URIRef(FUNCTION_NS + "party_organ")) in graph


@pytest.mark.parametrize("name,english", [("滨州市", "Binzhou"), ("山东省", "Shandong Province"), ("博兴县", "Boxing County"),
                                          ("滨城区", "Bincheng District"), ("陕西省", "Shaanxi Province"),
                                          ("北京市", "Beijing"), ("青岛市", "Qingdao")])
def test_region_names_in_pinyin_with_their_level(name, english):
    assert region_en(name) == english


def test_apostrophe_between_syllables():
    assert region_en("静安区", "county") == "Jing'an District"


@pytest.mark.parametrize("title,jurisdiction,english", [
    ("数字强市建设2023年工作要点", None, "Key Tasks for Building a Digital City in 2023"),
    ("数字强省建设2025年工作要点", None, "Key Tasks for Building a Digital Province in 2025"),
    ("关于深入推进智慧社区建设的实施意见", None, "Implementing Opinions on Further Advancing Smart Community Building"),
    ("数字青岛2023年行动方案", None, "Digital Qingdao Action Plan 2023"),
    ("滨州市数字强市建设规划(2023-2025年)", "滨州市", "Binzhou: Plan for Building a Digital City (2023-2025)"),
])
def test_plan_titles_by_the_genre_patterns(title, jurisdiction, english):
    assert plan_title_en(title, jurisdiction) == english


@pytest.mark.parametrize("name,kind,english", [("爱山东", "app", "Ai Shandong app"),
                                               ("一体化政务服务平台", "portal", "Integrated Government Service Platform"),
                                               ("12345市民热线", "hotline", "12345 Citizen Hotline")])
def test_platform_names(name, kind, english):
    assert platform_en(name, kind) == english


def _agency(name: str) -> Node:
    return Node(f"agency:{name}", "Agency", name, {"collective": False})


def test_counterparts_follow_function_and_jurisdiction_not_names():
    text = "滨州市大数据局 山东省大数据局 滨州市行政审批服务局 博兴县大数据中心 山东省发展改革委"
    names = text.split()
    nodes = [_agency(n) for n in names] + [Node("measure:m", "Measure", "m", {})]
    edges = [Edge(f"agency:{n}", "measure:m", "LEADS", {}, [Evidence("d.txt", text.index(n), text.index(n) + len(n), n)])
             for n in names]
    facts = describe(DocumentFacts("d.txt", nodes, edges))
    found = {(e.source, e.target): e.props["function"] for e in counterpart_edges(FactGraph.from_documents([facts]))}
    assert found == {("agency:滨州市大数据局", "agency:山东省大数据局"): "big_data",
                     ("agency:博兴县大数据中心", "agency:滨州市大数据局"): "big_data"}
    edge = next(e for e in counterpart_edges(FactGraph.from_documents([facts])) if e.source == "agency:滨州市大数据局")
    assert edge.props["basis"] == "same_function_parent_jurisdiction" and len(edge.evidence) == 2
    assert all(text[ev.start:ev.end] == ev.text for ev in edge.evidence)


# -- the seed build -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_records(seed_build):
    return export_records(seed_build)


def test_every_non_collective_seed_agency_is_described(seed_records):
    agencies = [r for r in seed_records if r.get("type") == "Agency" and not r["props"].get("collective")]
    assert len(agencies) >= 40
    for record in agencies:
        props = record["props"]
        assert props.get("function") in function_labels(), record["name"]
        assert props.get("level") in ("national", "province", "prefecture", "county"), record["name"]
        assert props.get("jurisdiction") and props.get("name_en"), record["name"]
    for record in seed_records:
        if record.get("type") in ("Region", "Platform", "Plan"):
            assert record["props"].get("name_en"), record["name"]


def test_seed_counterparts(seed_records):
    functions = {r["id"]: r["props"].get("function") for r in seed_records if r.get("type") == "Agency"}
    edges = {(r["source"], r["target"]): r["props"] for r in seed_records
             if r.get("kind") == "edge" and r["type"] == "COUNTERPART_OF"}
    assert edges[("agency:滨州市大数据局", "agency:山东省大数据局")]["function"] == "big_data"
    assert edges[("agency:滨州市发展改革委", "agency:山东省发展改革委")]["function"] == "development_reform"
    for (source, target), props in edges.items():
        assert functions[source] == functions[target] == props["function"]
        assert props["basis"] == "same_function_parent_jurisdiction" and props["evidence"]
