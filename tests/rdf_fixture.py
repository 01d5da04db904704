"""A small hand-written build covering every node type and edge type of docs/architecture.md.

Used by the RDF, ontology and SPARQL endpoint tests (and usable by anyone needing a known build):

    from rdf_fixture import write_fixture_build
    build = write_fixture_build(tmp_path / "data")

Three documents: a provincial plan (山东), a city plan implementing it (滨州), and a news report.
The known answers of the research queries are the constants at the bottom.
"""
from __future__ import annotations

import json
from pathlib import Path

from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from govkg.graph.store import Build, BuildWriter, DocumentStatus


PROV_DOC = "shandong/数字强省建设2023年工作要点.txt"
CITY_DOC = "binzhou/滨州市数字政府建设2023年工作要点.txt"
NEWS_DOC = "news/一周大数据.txt"

PROV_TEXT = """山东省人民政府办公厅关于印发数字强省建设2023年工作要点的通知
鲁政办字〔2023〕7号
一、完善整体高效的数字政府
1. 塑强一体化的“爱山东”政务服务品牌，深化“同标同源”建设。（省大数据局牵头）
2. 加强“无证明之省”建设，政务服务证明材料共享率达60%以上。（省发展改革委负责）
二、夯实数字基础设施
3. 建设全省一体化大数据平台，推进数据共享。（省大数据局牵头）
"""

CITY_TEXT = """滨州市人民政府办公室关于印发滨州市数字政府建设2023年工作要点的通知
为贯彻落实《数字强省建设2023年工作要点》，结合我市实际，制定本要点。
一、提升政务服务效能
1. 推进“爱山东·滨州”分厅建设，依托“爱山东”平台实现高频事项掌上办。（市大数据局牵头）
2. 年底前电子证照应用事项达到100项。（市行政审批服务局负责）
"""

NEWS_TEXT = """一周大数据：山东印发数字强省建设2023年工作要点
日前，省政府办公厅印发《数字强省建设2023年工作要点》，山东省大数据局将持续打造“爱山东”品牌，推进“无证明之省”建设。
"""

PROV_PLAN = "plan:山东省:数字强省建设2023年工作要点"
CITY_PLAN = "plan:滨州市:滨州市数字政府建设2023年工作要点"
SD_BIGDATA = "agency:山东省大数据局"
SD_NDRC = "agency:山东省发展和改革委员会"
SD_OFFICE = "agency:山东省人民政府办公厅"
BZ_BIGDATA = "agency:滨州市大数据局"
BZ_APPROVAL = "agency:滨州市行政审批服务局"
BZ_OFFICE = "agency:滨州市人民政府办公室"
AISHANDONG = "platform:爱山东"
AISHANDONG_BZ = "platform:爱山东·滨州"
DATA_PLATFORM = "platform:全省一体化大数据平台"
NO_PROOF = "initiative:无证明之省"
SHANDONG = "region:山东省"
BINZHOU = "region:滨州市"


def _ev(document: str, original: str, text: str) -> Evidence:
    start = original.index(text)
    return Evidence(document, start, start + len(text), text)


def _edge(doc: str, original: str, source: str, etype: str, target: str, quote: str, **props) -> Edge:
    return Edge(source, target, etype, props, [_ev(doc, original, quote)])


def fixture_documents() -> list[tuple[DocumentFacts, str]]:
    """(facts, original text) of the three fixture documents."""
    d, t = PROV_DOC, PROV_TEXT
    m = [f"measure:{d}#{i}" for i in (1, 2, 3)]
    s = [f"section:{d}#{i}" for i in (1, 2)]
    target_p = f"target:{d}#2.1"
    prov = DocumentFacts(d, nodes=[
        Node(f"doc:{d}", "Document", "数字强省建设2023年工作要点.txt",
             {"file": d, "format": "txt", "encoding": "utf-8", "genre": "plan", "title": "数字强省建设2023年工作要点"}),
        Node(PROV_PLAN, "Plan", "数字强省建设2023年工作要点",
             {"document": d, "title": "数字强省建设2023年工作要点", "doc_number": "鲁政办字〔2023〕7号",
              "issued": "2023-03-10", "jurisdiction": "山东省", "year": 2023}),
        Node(s[0], "Section", "完善整体高效的数字政府", {"document": d, "number": "一", "title": "完善整体高效的数字政府", "level": 1}),
        Node(s[1], "Section", "夯实数字基础设施", {"document": d, "number": "二", "title": "夯实数字基础设施", "level": 1}),
        Node(m[0], "Measure", "塑强一体化的“爱山东”政务服务品牌",
             {"document": d, "number": "1", "text": "塑强一体化的“爱山东”政务服务品牌，深化“同标同源”建设。", "section": s[0], "seq": 1}),
        Node(m[1], "Measure", "加强“无证明之省”建设",
             {"document": d, "number": "2", "text": "加强“无证明之省”建设，政务服务证明材料共享率达60%以上。", "section": s[0], "seq": 2}),
        Node(m[2], "Measure", "建设全省一体化大数据平台",
             {"document": d, "number": "3", "text": "建设全省一体化大数据平台，推进数据共享。", "section": s[1], "seq": 3}),
        Node(SD_BIGDATA, "Agency", "山东省大数据局",
             {"collective": False, "kind": "bureau", "jurisdiction": "山东省", "aliases": ["省大数据局"],
              "function": "big_data", "level": "province", "name_en": "Shandong Provincial Big Data Bureau"}),
        Node(SD_NDRC, "Agency", "山东省发展和改革委员会",
             {"collective": False, "kind": "commission", "jurisdiction": "山东省", "aliases": ["省发展改革委"]}),
        Node(SD_OFFICE, "Agency", "山东省人民政府办公厅",
             {"collective": False, "kind": "office", "jurisdiction": "山东省", "aliases": ["省政府办公厅"]}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP"]}),
        Node(DATA_PLATFORM, "Platform", "全省一体化大数据平台", {"kind": "data-platform", "aliases": []}),
        Node(NO_PROOF, "Initiative", "无证明之省", {"kind": "brand", "aliases": []}),
        Node(target_p, "Target", "政务服务证明材料共享率60%",
             {"value": 60, "unit": "%", "indicator": "政务服务证明材料共享率", "qualifier": "以上", "kind": "rate",
              "year": 2023, "jurisdiction": "山东省", "document": d}),
        Node(SHANDONG, "Region", "山东省", {"level": "province"}),
        Node("domain:数字政府", "Domain", "数字政府", {}),
    ], edges=[
        _edge(d, t, PROV_PLAN, "PUBLISHED_IN", f"doc:{d}", "数字强省建设2023年工作要点的通知"),
        _edge(d, t, PROV_PLAN, "ISSUED_BY", SD_OFFICE, "山东省人民政府办公厅"),
        _edge(d, t, PROV_PLAN, "IN_REGION", SHANDONG, "山东省"),
        _edge(d, t, SD_BIGDATA, "IN_REGION", SHANDONG, "省大数据局"),
        _edge(d, t, s[0], "PART_OF", PROV_PLAN, "一、完善整体高效的数字政府"),
        _edge(d, t, s[1], "PART_OF", PROV_PLAN, "二、夯实数字基础设施"),
        *[_edge(d, t, mid, "PART_OF", PROV_PLAN, q) for mid, q in zip(m, ("1. 塑强", "2. 加强", "3. 建设"))],
        _edge(d, t, m[0], "IN_SECTION", s[0], "1. 塑强"),
        _edge(d, t, m[1], "IN_SECTION", s[0], "2. 加强"),
        _edge(d, t, m[2], "IN_SECTION", s[1], "3. 建设"),
        _edge(d, t, SD_BIGDATA, "LEADS", m[0], "省大数据局牵头"),
        _edge(d, t, SD_NDRC, "RESPONSIBLE_FOR", m[1], "省发展改革委负责"),
        Edge(SD_BIGDATA, m[2], "LEADS", {}, [Evidence(d, t.rindex("省大数据局牵头"), t.rindex("省大数据局牵头") + 7, "省大数据局牵头")]),
        _edge(d, t, m[0], "MENTIONS", AISHANDONG, "爱山东"),
        _edge(d, t, m[1], "MENTIONS", NO_PROOF, "无证明之省"),
        _edge(d, t, m[2], "MENTIONS", DATA_PLATFORM, "全省一体化大数据平台"),
        _edge(d, t, m[1], "SETS_TARGET", target_p, "政务服务证明材料共享率达60%以上"),
    ])

    d, t = CITY_DOC, CITY_TEXT
    cm = [f"measure:{d}#{i}" for i in (1, 2)]
    cs = f"section:{d}#1"
    target_c = f"target:{d}#2.1"
    target_plan = f"target:{d}#0.1"
    city = DocumentFacts(d, nodes=[
        Node(f"doc:{d}", "Document", "滨州市数字政府建设2023年工作要点.txt",
             {"file": d, "format": "txt", "encoding": "utf-8", "genre": "plan", "title": "滨州市数字政府建设2023年工作要点"}),
        Node(CITY_PLAN, "Plan", "滨州市数字政府建设2023年工作要点",
             {"document": d, "title": "滨州市数字政府建设2023年工作要点", "jurisdiction": "滨州市", "year": 2023}),
        Node(PROV_PLAN, "Plan", "数字强省建设2023年工作要点", {"title": "数字强省建设2023年工作要点", "jurisdiction": "山东省"}),
        Node(cs, "Section", "提升政务服务效能", {"document": d, "number": "一", "title": "提升政务服务效能", "level": 1}),
        Node(cm[0], "Measure", "推进“爱山东·滨州”分厅建设",
             {"document": d, "number": "1", "text": "推进“爱山东·滨州”分厅建设，依托“爱山东”平台实现高频事项掌上办。", "section": cs, "seq": 1}),
        Node(cm[1], "Measure", "电子证照应用事项达到100项",
             {"document": d, "number": "2", "text": "年底前电子证照应用事项达到100项。", "section": cs, "seq": 2}),
        Node(BZ_BIGDATA, "Agency", "滨州市大数据局",
             {"collective": False, "kind": "bureau", "jurisdiction": "滨州市", "aliases": ["市大数据局"],
              "function": "big_data", "level": "prefecture", "name_en": "Binzhou Municipal Big Data Bureau"}),
        Node(BZ_APPROVAL, "Agency", "滨州市行政审批服务局",
             {"collective": False, "kind": "bureau", "jurisdiction": "滨州市", "aliases": ["市行政审批服务局"]}),
        Node(BZ_OFFICE, "Agency", "滨州市人民政府办公室", {"collective": False, "kind": "office", "jurisdiction": "滨州市"}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东平台"]}),
        Node(AISHANDONG_BZ, "Platform", "爱山东·滨州", {"kind": "app", "aliases": ["爱山东滨州分厅"]}),
        Node(target_c, "Target", "电子证照应用事项100项",
             {"value": 100, "unit": "项", "indicator": "电子证照应用事项", "qualifier": "达到", "kind": "count",
              "year": 2023, "jurisdiction": "滨州市", "document": d}),
        Node(target_plan, "Target", "高频事项掌上办率95%",
             {"value": 95.5, "unit": "%", "indicator": "高频事项掌上办率", "qualifier": "不低于", "kind": "rate",
              "year": 2024, "jurisdiction": "滨州市", "document": d}),
        Node(BINZHOU, "Region", "滨州市", {"level": "city"}),
        Node(SHANDONG, "Region", "山东省", {"level": "province"}),
    ], edges=[
        _edge(d, t, CITY_PLAN, "PUBLISHED_IN", f"doc:{d}", "滨州市数字政府建设2023年工作要点的通知"),
        _edge(d, t, CITY_PLAN, "ISSUED_BY", BZ_OFFICE, "滨州市人民政府办公室"),
        _edge(d, t, CITY_PLAN, "IMPLEMENTS", PROV_PLAN, "贯彻落实《数字强省建设2023年工作要点》"),
        _edge(d, t, CITY_PLAN, "IN_REGION", BINZHOU, "滨州市"),
        _edge(d, t, BZ_BIGDATA, "IN_REGION", BINZHOU, "市大数据局"),
        _edge(d, t, cs, "PART_OF", CITY_PLAN, "一、提升政务服务效能"),
        _edge(d, t, cm[0], "PART_OF", CITY_PLAN, "1. 推进"),
        _edge(d, t, cm[1], "PART_OF", CITY_PLAN, "2. 年底前"),
        _edge(d, t, cm[0], "IN_SECTION", cs, "1. 推进"),
        _edge(d, t, cm[1], "IN_SECTION", cs, "2. 年底前"),
        _edge(d, t, BZ_BIGDATA, "LEADS", cm[0], "市大数据局牵头"),
        _edge(d, t, BZ_APPROVAL, "RESPONSIBLE_FOR", cm[1], "市行政审批服务局负责"),
        _edge(d, t, cm[0], "MENTIONS", AISHANDONG_BZ, "爱山东·滨州"),
        _edge(d, t, cm[0], "MENTIONS", AISHANDONG, "依托“爱山东”平台"),
        _edge(d, t, AISHANDONG_BZ, "BRANCH_OF", AISHANDONG, "“爱山东·滨州”分厅"),
        _edge(d, t, cm[1], "SETS_TARGET", target_c, "电子证照应用事项达到100项"),
        _edge(d, t, CITY_PLAN, "SETS_TARGET", target_plan, "高频事项掌上办"),
    ])

    d, t = NEWS_DOC, NEWS_TEXT
    news = DocumentFacts(d, nodes=[
        Node(f"doc:{d}", "Document", "一周大数据.txt",
             {"file": d, "format": "txt", "encoding": "utf-8", "genre": "news", "title": "一周大数据：山东印发数字强省建设2023年工作要点"}),
        Node(PROV_PLAN, "Plan", "数字强省建设2023年工作要点", {"title": "数字强省建设2023年工作要点", "jurisdiction": "山东省"}),
        Node(SD_BIGDATA, "Agency", "山东省大数据局", {"jurisdiction": "山东省", "aliases": ["省大数据局"]}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app"}),
        Node(NO_PROOF, "Initiative", "无证明之省", {"kind": "brand"}),
    ], edges=[
        _edge(d, t, f"doc:{d}", "REPORTS_ON", PROV_PLAN, "《数字强省建设2023年工作要点》"),
        _edge(d, t, f"doc:{d}", "MENTIONS", AISHANDONG, "“爱山东”品牌"),
        _edge(d, t, f"doc:{d}", "MENTIONS", SD_BIGDATA, "山东省大数据局"),
        _edge(d, t, f"doc:{d}", "MENTIONS", NO_PROOF, "“无证明之省”"),
    ])
    return [(prov, PROV_TEXT), (city, CITY_TEXT), (news, NEWS_TEXT)]


def fixture_derived() -> list[Edge]:
    prov_m1, city_m1 = f"measure:{PROV_DOC}#1", f"measure:{CITY_DOC}#1"
    return [
        Edge(SD_BIGDATA, AISHANDONG, "OWNS", {"basis": "leads a measure building the platform", "confidence": 0.8},
             [_ev(PROV_DOC, PROV_TEXT, "省大数据局牵头"), _ev(NEWS_DOC, NEWS_TEXT, "山东省大数据局将持续打造“爱山东”品牌")]),
        Edge(BZ_BIGDATA, AISHANDONG_BZ, "OWNS", {"basis": "leads a measure building the platform", "confidence": 0.7},
             [_ev(CITY_DOC, CITY_TEXT, "市大数据局牵头")]),
        Edge(city_m1, prov_m1, "DERIVED_FROM", {"score": 0.42}, []),
        Edge(city_m1, prov_m1, "SIMILAR_TO", {"score": 0.42}, []),
        Edge(BZ_BIGDATA, SD_BIGDATA, "COUNTERPART_OF",
             {"basis": "same_function_parent_jurisdiction", "function": "big_data", "derived": True,
              "levels": ["prefecture", "province"]},
             [_ev(CITY_DOC, CITY_TEXT, "市大数据局牵头"), _ev(PROV_DOC, PROV_TEXT, "省大数据局牵头")]),
    ]


def write_fixture_build(data_dir: Path) -> Build:
    """Write the fixture documents as a complete build of data_dir (the RDF store is created lazily)."""
    writer = BuildWriter(data_dir)
    for facts, original in fixture_documents():
        writer.add(facts, original, DocumentStatus(facts.document, "ok", counts={}, format="txt", encoding="utf-8"))
    writer.write_derived(fixture_derived())
    return writer.commit({"corpus": "tests/rdf_fixture.py"})


# -- known answers of queries/*.rq on the fixture build -------------------------------------------
AGENCY_PLATFORMS = {  # (agency name, platform name, how)
    ("山东省大数据局", "爱山东", "LEADS"), ("山东省大数据局", "爱山东", "OWNS"),
    ("山东省大数据局", "全省一体化大数据平台", "LEADS"),
    ("滨州市大数据局", "爱山东·滨州", "LEADS"), ("滨州市大数据局", "爱山东·滨州", "OWNS"),
    ("滨州市大数据局", "爱山东", "LEADS"),
}
SD_BIGDATA_MEASURES = {("1", "数字强省建设2023年工作要点"), ("3", "数字强省建设2023年工作要点")}
MULTI_PLAN_PLATFORMS = {"爱山东": 2}
TARGETS = {  # (indicator, year, value, unit)
    ("政务服务证明材料共享率", 2023, 60, "%"), ("电子证照应用事项", 2023, 100, "项"), ("高频事项掌上办率", 2024, 95.5, "%"),
}
CITY_VS_PROVINCE = {  # (city measure number, provincial plan title, matching provincial measure number or None)
    ("1", "数字强省建设2023年工作要点", "1"), ("2", "数字强省建设2023年工作要点", None),
}

def export_records(build: Build) -> list[dict]:
    """The JSONL export records of a build (as `govkg export --format jsonl` writes them)."""
    return [json.loads(json.dumps(r, ensure_ascii=False)) for r in build.graph().iter_records()]
