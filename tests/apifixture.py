"""A small hand-made build for the API, explorer and ownership tests (no extraction involved).

A provincial plan (山东省, 2022) whose measures are led by 山东省大数据局 and mention 爱山东, a city
plan (滨州市, 2023) with the branch 爱山东滨州分厅 (BRANCH_OF 爱山东) led by 滨州市大数据局, a news
report, and an agency whose name contains `<script>alert(1)</script>`. Every edge's evidence is a
real span of the original text written here. The OWNS edges are those extraction gives these texts
(loaders/ownership.py): measure 1 of each plan builds its platform, 城市大脑 has an explicit statement.
"""
from __future__ import annotations

from pathlib import Path

from govkg.graph.derive import derive_edges
from govkg.graph.factgraph import FactGraph
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from govkg.graph.store import Build, BuildWriter, DocumentStatus
from govkg.loaders.ownership import CONFIDENCE

SCRIPT = "<script>alert(1)</script>"
SCRIPT_AGENCY = f"滨州市{SCRIPT}办公室"

PROV = "prov_plan.txt"
PROV_TEXT = """山东省人民政府办公厅关于印发山东省数字政府建设2022年工作要点的通知
鲁政办字〔2022〕1号
一、提升政务服务水平
1.持续完善“爱山东”移动政务服务平台，上线更多高频事项。(牵头单位:省大数据局,责任单位:省直有关部门)
2.加强“山东通”推广应用。(牵头单位:省大数据局)
3.依托“爱山东”平台，推动电子证照应用，年底前电子证照应用率达到90%。(牵头单位:省公安厅)
"""

CITY = "city_plan.txt"
CITY_TEXT = f"""滨州市人民政府办公室关于印发数字强市建设2023年工作要点的通知
滨政办发〔2023〕7号
一、进一步完善整体高效的数字政府
1.推进“爱山东”滨州分厅建设，增加“掌上办”事项500项。(牵头单位:市大数据局,责任单位:市直相关部门单位)
2.城市大脑由市大数据局负责建设运营。加快推进城市大脑应用场景建设。(牵头单位:{SCRIPT}办公室)
"""

NEWS = "news_report.txt"
NEWS_TEXT = """新闻：爱山东APP累计注册用户突破1亿
记者从山东省大数据局获悉，爱山东APP持续优化服务。
"""

PROV_PLAN = "plan:山东省:山东省数字政府建设2022年工作要点"
CITY_PLAN = "plan:滨州市:数字强市建设2023年工作要点"


def span(document: str, text: str, needle: str, nth: int = 0, after: str | None = None) -> Evidence:
    start = text.index(after) if after else 0
    at = text.index(needle, start)
    for _ in range(nth):
        at = text.index(needle, at + 1)
    ev = Evidence(document, at, at + len(needle), needle)
    assert text[ev.start:ev.end] == ev.text
    return ev


def owns(agency: str, platform: str, document: str, year: int, evidence: list[Evidence], basis: str,
         measure: str | None, bases: tuple[str, ...] = ()) -> Edge:
    props = {"basis": basis, "bases": list(bases or (basis,)), "confidence": CONFIDENCE[basis],
             "documents": [document], "years": [year], "measures": [measure] if measure else []}
    return Edge(agency, platform, "OWNS", props, evidence)


def _prov() -> DocumentFacts:
    d, t = PROV, PROV_TEXT

    def ev(needle, nth=0, after=None):
        return [span(d, t, needle, nth, after)]

    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "genre": "plan", "title": "山东省数字政府建设2022年工作要点"}),
        Node(PROV_PLAN, "Plan", "山东省数字政府建设2022年工作要点",
             {"document": d, "title": "山东省数字政府建设2022年工作要点", "doc_number": "鲁政办字〔2022〕1号",
              "issued": "2022-03-01", "jurisdiction": "山东省", "year": 2022}),
        Node(f"section:{d}#1", "Section", "提升政务服务水平", {"document": d, "number": "一", "title": "提升政务服务水平", "level": 1}),
        Node(f"measure:{d}#1", "Measure", "1", {"document": d, "number": "1", "seq": 1, "section": f"section:{d}#1",
                                                "text": "持续完善“爱山东”移动政务服务平台，上线更多高频事项。"}),
        Node(f"measure:{d}#2", "Measure", "2", {"document": d, "number": "2", "seq": 2, "section": f"section:{d}#1",
                                                "text": "加强“山东通”推广应用。"}),
        Node(f"measure:{d}#3", "Measure", "3", {"document": d, "number": "3", "seq": 3, "section": f"section:{d}#1",
                                                "text": "依托“爱山东”平台，推动电子证照应用，年底前电子证照应用率达到90%。"}),
        Node("agency:山东省人民政府办公厅", "Agency", "山东省人民政府办公厅", {"jurisdiction": "山东省", "collective": False}),
        Node("agency:山东省大数据局", "Agency", "山东省大数据局",
             {"jurisdiction": "山东省", "collective": False, "kind": "bureau", "aliases": ["省大数据局"]}),
        Node("agency:山东省公安厅", "Agency", "山东省公安厅", {"jurisdiction": "山东省", "collective": False}),
        Node("agency:山东省直有关部门", "Agency", "山东省直有关部门", {"jurisdiction": "山东省", "collective": True}),
        Node("platform:爱山东", "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP", "“爱山东”移动政务服务平台"]}),
        Node("platform:山东通", "Platform", "山东通", {"kind": "app", "aliases": []}),
        Node(f"target:{d}#3.1", "Target", "电子证照应用率达到90%",
             {"value": 90, "unit": "%", "indicator": "电子证照应用率", "year": 2022, "jurisdiction": "山东省", "document": d}),
        Node("region:山东省", "Region", "山东省", {"level": "province"}),
    ]
    edges = [
        Edge(PROV_PLAN, f"doc:{d}", "PUBLISHED_IN", {}, ev("山东省数字政府建设2022年工作要点")),
        Edge(PROV_PLAN, "agency:山东省人民政府办公厅", "ISSUED_BY", {}, ev("山东省人民政府办公厅")),
        Edge(PROV_PLAN, "region:山东省", "IN_REGION", {}, ev("山东省")),
        Edge(f"section:{d}#1", PROV_PLAN, "PART_OF", {}, ev("一、提升政务服务水平")),
        Edge("agency:山东省大数据局", f"measure:{d}#1", "LEADS", {}, ev("省大数据局", 0)),
        Edge("agency:山东省直有关部门", f"measure:{d}#1", "RESPONSIBLE_FOR", {}, ev("省直有关部门")),
        Edge("agency:山东省大数据局", f"measure:{d}#2", "LEADS", {}, ev("省大数据局", 1)),
        Edge("agency:山东省公安厅", f"measure:{d}#3", "LEADS", {}, ev("省公安厅")),
        Edge(f"measure:{d}#1", "platform:爱山东", "MENTIONS", {}, ev("“爱山东”移动政务服务平台")),
        Edge(f"measure:{d}#2", "platform:山东通", "MENTIONS", {}, ev("山东通")),
        Edge(f"measure:{d}#3", "platform:爱山东", "MENTIONS", {}, ev("爱山东", after="3.依托")),
        Edge(f"measure:{d}#3", f"target:{d}#3.1", "SETS_TARGET", {}, ev("电子证照应用率达到90%")),
        owns("agency:山东省大数据局", "platform:爱山东", d, 2022,
             ev("持续完善“爱山东”移动政务服务平台，上线更多高频事项。") + ev("(牵头单位:省大数据局,责任单位:省直有关部门)"),
             "measure_subject", f"measure:{d}#1"),
    ]
    for n in (1, 2, 3):
        edges.append(Edge(f"measure:{d}#{n}", PROV_PLAN, "PART_OF", {}, ev(f"{n}.")))
        edges.append(Edge(f"measure:{d}#{n}", f"section:{d}#1", "IN_SECTION", {}, ev(f"{n}.")))
    return DocumentFacts(d, nodes, edges)


def _city() -> DocumentFacts:
    d, t = CITY, CITY_TEXT

    def ev(needle, nth=0, after=None):
        return [span(d, t, needle, nth, after)]

    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "genre": "plan", "title": "数字强市建设2023年工作要点"}),
        Node(CITY_PLAN, "Plan", "数字强市建设2023年工作要点",
             {"document": d, "title": "数字强市建设2023年工作要点", "doc_number": "滨政办发〔2023〕7号",
              "issued": "2023-07-28", "jurisdiction": "滨州市"}),
        Node(f"section:{d}#1", "Section", "进一步完善整体高效的数字政府",
             {"document": d, "number": "一", "title": "进一步完善整体高效的数字政府", "level": 1}),
        Node(f"measure:{d}#1", "Measure", "1", {"document": d, "number": "1", "seq": 1, "section": f"section:{d}#1",
                                                "text": "推进“爱山东”滨州分厅建设，增加“掌上办”事项500项。"}),
        Node(f"measure:{d}#2", "Measure", "2", {"document": d, "number": "2", "seq": 2, "section": f"section:{d}#1",
                                                "text": "城市大脑由市大数据局负责建设运营。加快推进城市大脑应用场景建设。"}),
        Node("agency:滨州市人民政府办公室", "Agency", "滨州市人民政府办公室", {"jurisdiction": "滨州市", "collective": False}),
        Node("agency:滨州市大数据局", "Agency", "滨州市大数据局",
             {"jurisdiction": "滨州市", "collective": False, "kind": "bureau", "aliases": ["市大数据局"]}),
        Node("agency:滨州市直相关部门单位", "Agency", "滨州市直相关部门单位", {"jurisdiction": "滨州市", "collective": True}),
        Node(f"agency:{SCRIPT_AGENCY}", "Agency", SCRIPT_AGENCY, {"jurisdiction": "滨州市", "collective": False}),
        Node("platform:爱山东", "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP"]}),
        Node("platform:爱山东滨州分厅", "Platform", "爱山东滨州分厅", {"kind": "app", "jurisdiction": "滨州市", "aliases": ["“爱山东”滨州分厅"]}),
        Node("platform:城市大脑", "Platform", "城市大脑", {"kind": "system", "aliases": []}),
        Node(f"target:{d}#1.1", "Target", "增加“掌上办”事项500项",
             {"value": 500, "unit": "项", "indicator": "新增“掌上办”事项", "year": 2023, "jurisdiction": "滨州市",
              "document": d}),
        Node("region:滨州市", "Region", "滨州市", {"level": "city"}),
    ]
    edges = [
        Edge(CITY_PLAN, f"doc:{d}", "PUBLISHED_IN", {}, ev("数字强市建设2023年工作要点")),
        Edge(CITY_PLAN, "agency:滨州市人民政府办公室", "ISSUED_BY", {}, ev("滨州市人民政府办公室")),
        Edge(CITY_PLAN, "region:滨州市", "IN_REGION", {}, ev("滨州市")),
        Edge(f"section:{d}#1", CITY_PLAN, "PART_OF", {}, ev("一、进一步完善整体高效的数字政府")),
        Edge("agency:滨州市大数据局", f"measure:{d}#1", "LEADS", {}, ev("市大数据局", after="牵头单位")),
        Edge("agency:滨州市直相关部门单位", f"measure:{d}#1", "RESPONSIBLE_FOR", {}, ev("市直相关部门单位")),
        Edge(f"agency:{SCRIPT_AGENCY}", f"measure:{d}#2", "LEADS", {}, ev(f"{SCRIPT}办公室")),
        Edge(f"measure:{d}#1", "platform:爱山东滨州分厅", "MENTIONS", {}, ev("“爱山东”滨州分厅")),
        Edge("platform:爱山东滨州分厅", "platform:爱山东", "BRANCH_OF", {}, ev("“爱山东”滨州分厅")),
        Edge(f"measure:{d}#2", "platform:城市大脑", "MENTIONS", {}, ev("城市大脑")),
        Edge(f"measure:{d}#1", f"target:{d}#1.1", "SETS_TARGET", {}, ev("增加“掌上办”事项500项")),
        owns("agency:滨州市大数据局", "platform:爱山东滨州分厅", d, 2023,
             ev("推进“爱山东”滨州分厅建设，增加“掌上办”事项500项。") + ev("(牵头单位:市大数据局,责任单位:市直相关部门单位)"),
             "measure_subject", f"measure:{d}#1"),
        owns("agency:滨州市大数据局", "platform:城市大脑", d, 2023, ev("城市大脑由市大数据局负责建设运营。"),
             "explicit_statement", f"measure:{d}#2"),
        owns(f"agency:{SCRIPT_AGENCY}", "platform:城市大脑", d, 2023,
             ev("城市大脑由市大数据局负责建设运营。") + ev(f"(牵头单位:{SCRIPT}办公室)"), "measure_subject",
             f"measure:{d}#2"),
    ]
    for n in (1, 2):
        edges.append(Edge(f"measure:{d}#{n}", CITY_PLAN, "PART_OF", {}, ev(f"{n}.", after="一、")))
        edges.append(Edge(f"measure:{d}#{n}", f"section:{d}#1", "IN_SECTION", {}, ev(f"{n}.", after="一、")))
    return DocumentFacts(d, nodes, edges)


def _news() -> DocumentFacts:
    d, t = NEWS, NEWS_TEXT
    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "genre": "news", "title": "爱山东APP累计注册用户突破1亿"}),
        Node("platform:爱山东", "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP"]}),
        Node("agency:山东省大数据局", "Agency", "山东省大数据局", {"jurisdiction": "山东省", "collective": False}),
    ]
    edges = [
        Edge(f"doc:{d}", "platform:爱山东", "MENTIONS", {}, [span(d, t, "爱山东APP")]),
        Edge(f"doc:{d}", "agency:山东省大数据局", "MENTIONS", {}, [span(d, t, "山东省大数据局")]),
        Edge(f"doc:{d}", PROV_PLAN, "REPORTS_ON", {}, [span(d, t, "爱山东APP持续优化服务")]),
    ]
    return DocumentFacts(d, nodes, edges)


def documents() -> list[tuple[DocumentFacts, str]]:
    return [(_prov(), PROV_TEXT), (_city(), CITY_TEXT), (_news(), NEWS_TEXT)]


def fact_graph() -> FactGraph:
    graph = FactGraph.from_documents(facts for facts, _ in documents())
    return graph


def write_build(data_dir: Path) -> Build:
    """Write the fixture documents (with derived ownership) as the current build of data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    writer = BuildWriter(data_dir)
    graph = FactGraph()
    for facts, text in documents():
        writer.add(facts, text, DocumentStatus(facts.document, "ok", None, {}, "txt", "utf-8"))
        graph.add(facts)
    writer.write_derived(derive_edges(graph))
    return writer.commit({"corpus": "tests/apifixture.py"})
