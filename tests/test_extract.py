"""Extraction on small documents written for these tests: every clause form, noise form and the
evidence contract (text == original[start:end])."""
from __future__ import annotations

from pathlib import Path

import pytest

from govkg.graph.model import DocumentFacts
from govkg.loaders.pipeline import extract_file

CITY_PLAN = """济宁市人民政府办公室关于印发数字济宁建设2024年工作要点的通知
济政办字〔2024〕3号
各县(市、区)人民政府,市政府各部门:
现将《数字济宁建设2024年工作要点》印发给你们,请认真贯彻落实。
济宁市人民政府办公室
2024年3月15日
数字济宁建设2024年工作要点
为贯彻落实《数字强省建设2024年工作要点》,制定本要点。
一、优化政务服务
1.推进“爱山东”济宁分厅建设,新增“掌上办”事项300项。(牵头单位:市大数据局、市行政审批服务局,责任单位:市直有关部门)
2.完善一体化大数据平台,数据共享率达到95%以上。(牵头单位:市大数据局;责任单位:市财政局、发展改革委)3.建设“城市大脑”,打造不少于10个应用场景。(责任单位:团市委、市委网信办)
二、夯实数字底座
(一)新建5G基站3000个,累计达到2.5万个。〔责任单位:市工业和信息化局〕
"""

CLAUSE_FORMS = """数字淄博2024年行动方案
一、重点任务
1.建设政务云平台。(牵头单位:市大数据局)
2.升级“淄博通”APP。(牵头责任单位:市大数据局;相关责任单位:市公安局、市民政局)
3.建设智慧社区平台。(市民政局牵头,市大数据局配合)
4.推进视频融合平台建设。(市公安局、市大数据局分工负责)
5.推进数字乡村建设。(市农业农村局牵头,市财政局、市商务局等有关单位按职责分工负责)
6.完善公共资源交易平台。〔责任单位:市公共资源交易中心〕
"""

STANDING = """数字烟台2024年工作要点
以下任务均需各区市政府、市直各部门认真落实,不再一一列出。
1.完善城市大脑。(牵头单位:市大数据局)
2.推进数字乡村。(牵头单位:市农业农村局)
"""

TRADITIONAL_NOISE = """首頁 > 政務公開 > 通知公告
數字強省建設2025年工(gōng)作(zuò)要點
一、加力推進數字政府
1.提升政務(wù)服務(wù)效能(néng)。升級“愛山東”政務(wù)服務(wù)平台,打造100個以上應用(yòng)場景。(責任單位:省大數據局)
2.提升機(jī)關運行效能(néng)。做強“山東通”。(責任單位:省政府辦公廳、省大數據局)
0531-12345678
濟南某某網絡科技有限公司
Copyright © 2024 濟南某某網絡科技有限公司 版權所有
"""

NEWS = """本报讯(记者 王五)日前,河南省政府办公厅印发《河南省数字政府建设2024年工作方案》,提出新建5G基站2万个。
河南省大数据局负责同志介绍,将升级“豫事办”APP。
责任编辑:赵六
"""


def _extract(tmp_path: Path, text: str, name: str = "doc.txt", encoding: str = "utf-8") -> tuple[str, DocumentFacts]:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    source, facts = extract_file(path)
    return source.original, facts


def _roles(facts: DocumentFacts, number: str) -> set[tuple[str, str]]:
    nodes = {n.id: n for n in facts.nodes}
    measure = next(n for n in facts.nodes if n.type == "Measure" and n.props["number"] == number)
    return {(e.type, nodes[e.source].name) for e in facts.edges
            if e.target == measure.id and e.type in ("LEADS", "RESPONSIBLE_FOR")}


def _assert_evidence_exact(original: str, facts: DocumentFacts) -> None:
    assert facts.edges
    for edge in facts.edges:
        assert edge.evidence, edge
        for ev in edge.evidence:
            assert original[ev.start:ev.end] == ev.text


def test_city_plan_metadata_measures_and_roles(tmp_path):
    original, facts = _extract(tmp_path, CITY_PLAN)
    plan = next(n for n in facts.nodes if n.type == "Plan" and n.props.get("document"))
    assert plan.props["title"] == "数字济宁建设2024年工作要点"
    assert plan.props["doc_number"] == "济政办字〔2024〕3号"
    assert plan.props["issued"] == "2024-03-15"
    assert plan.props["jurisdiction"] == "济宁市"
    implemented = [e for e in facts.edges if e.type == "IMPLEMENTS"]
    assert [e.target for e in implemented] == ["plan:山东省:数字强省建设2024年工作要点"]
    numbers = [n.props["number"] for n in facts.nodes if n.type == "Measure"]
    # 3. shares a line with 2.; (一) has its own clause and nothing under it, so it is a measure too
    assert numbers == ["1", "2", "3", "(一)"]
    assert _roles(facts, "(一)") == {("RESPONSIBLE_FOR", "济宁市工业和信息化局")}
    assert _roles(facts, "1") == {("LEADS", "济宁市大数据局"), ("LEADS", "济宁市行政审批服务局"),
                                  ("RESPONSIBLE_FOR", "济宁市直有关部门")}
    # a name after the first drops the 市 prefix: 发展改革委 is still 济宁市发展改革委
    assert _roles(facts, "2") == {("LEADS", "济宁市大数据局"), ("RESPONSIBLE_FOR", "济宁市财政局"),
                                  ("RESPONSIBLE_FOR", "济宁市发展改革委")}
    assert _roles(facts, "3") == {("RESPONSIBLE_FOR", "团济宁市委"), ("RESPONSIBLE_FOR", "济宁市委网信办")}
    collective = {n.name for n in facts.nodes if n.type == "Agency" and n.props.get("collective")}
    assert collective == {"济宁市直有关部门"}
    _assert_evidence_exact(original, facts)


def test_branch_platform_and_targets(tmp_path):
    _, facts = _extract(tmp_path, CITY_PLAN)
    nodes = {n.id: n for n in facts.nodes}
    branch = [e for e in facts.edges if e.type == "BRANCH_OF"]
    assert [(nodes[e.source].name, nodes[e.target].name) for e in branch] == [("爱山东济宁分厅", "爱山东")]
    targets = {(n.props["value"], n.props["unit"], n.props["kind"]) for n in facts.nodes if n.type == "Target"}
    assert (300, "项", "increment") in targets
    assert (95, "%", "share") in targets
    assert (10, "个", "level") in targets
    platforms = {n.name for n in facts.nodes if n.type == "Platform"}
    assert {"济宁市一体化大数据平台", "济宁市城市大脑"} <= platforms  # one node per jurisdiction


@pytest.mark.parametrize("number,expected", [
    ("1", {("LEADS", "淄博市大数据局")}),
    ("2", {("LEADS", "淄博市大数据局"), ("RESPONSIBLE_FOR", "淄博市公安局"), ("RESPONSIBLE_FOR", "淄博市民政局")}),
    ("3", {("LEADS", "淄博市民政局"), ("RESPONSIBLE_FOR", "淄博市大数据局")}),
    ("4", {("RESPONSIBLE_FOR", "淄博市公安局"), ("RESPONSIBLE_FOR", "淄博市大数据局")}),
    ("5", {("LEADS", "淄博市农业农村局"), ("RESPONSIBLE_FOR", "淄博市财政局"), ("RESPONSIBLE_FOR", "淄博市商务局")}),
    ("6", {("RESPONSIBLE_FOR", "淄博市公共资源交易中心")}),
])
def test_clause_forms(tmp_path, number, expected):
    _, facts = _extract(tmp_path, CLAUSE_FORMS)
    assert _roles(facts, number) == expected


def test_standing_sentence_adds_units_to_later_measures(tmp_path):
    original, facts = _extract(tmp_path, STANDING)
    for number in ("1", "2"):
        roles = _roles(facts, number)
        assert ("RESPONSIBLE_FOR", "烟台市各区市政府") in roles
        assert ("RESPONSIBLE_FOR", "烟台市直各部门") in roles
    _assert_evidence_exact(original, facts)


def test_traditional_script_pinyin_and_footer(tmp_path):
    original, facts = _extract(tmp_path, TRADITIONAL_NOISE)
    measures = [n for n in facts.nodes if n.type == "Measure"]
    assert [m.props["number"] for m in measures] == ["1", "2"]
    assert measures[0].props["text"].startswith("提升政务服务效能。升级“爱山东”政务服务平台")
    names = {n.name for n in facts.nodes if n.type in ("Agency", "Platform")}
    assert {"山东省大数据局", "山东省政府办公厅", "爱山东", "山东通"} <= names
    assert not any("公司" in n.name or "首页" in n.name for n in facts.nodes)
    targets = [n for n in facts.nodes if n.type == "Target"]
    assert [(t.props["value"], t.props["unit"]) for t in targets] == [(100, "个")]
    _assert_evidence_exact(original, facts)  # spans include the glosses of the original


def test_news_report(tmp_path):
    original, facts = _extract(tmp_path, NEWS)
    doc = next(n for n in facts.nodes if n.type == "Document")
    assert doc.props["genre"] == "news"
    assert not [n for n in facts.nodes if n.type == "Measure"]
    plan = next(n for n in facts.nodes if n.type == "Plan")
    assert plan.props["title"] == "河南省数字政府建设2024年工作方案"
    assert plan.props["jurisdiction"] == "河南省"
    nodes = {n.id: n for n in facts.nodes}
    mentioned = {nodes[e.target].name for e in facts.edges if e.type == "MENTIONS" and e.source == doc.id}
    assert {"河南省政府办公厅", "河南省大数据局", "豫事办"} <= mentioned
    assert not any("赵六" in name or "王五" in name for name in mentioned)
    issued_by = [nodes[e.target].name for e in facts.edges if e.type == "ISSUED_BY"]
    assert issued_by == ["河南省政府办公厅"]
    assert [(n.props["value"], n.props["unit"]) for n in facts.nodes if n.type == "Target"] == [(2, "万个")]
    _assert_evidence_exact(original, facts)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_give_the_same_facts(tmp_path, encoding):
    _, reference = _extract(tmp_path, CITY_PLAN, "ref.txt")
    original, facts = _extract(tmp_path, CITY_PLAN, f"doc-{encoding}.txt", encoding)
    strip = lambda f: sorted((n.type, n.name) for n in f.nodes if n.type != "Document")  # noqa: E731
    assert strip(facts) == strip(reference)
    _assert_evidence_exact(original, facts)


def test_document_without_measures_gives_no_measures(tmp_path):
    _, facts = _extract(tmp_path, "这是一段普通的文字,没有编号的措施。\n也没有责任单位。\n")
    assert not [n for n in facts.nodes if n.type == "Measure"]
    assert [n.type for n in facts.nodes].count("Document") == 1


DIGEST = """一周数字政府 | 河南印发数字政府建设要点;江苏出台智慧社区实施意见
河南印发数字政府建设2024年工作要点
日前,河南省政府办公厅印发《河南省数字政府建设2024年工作要点》,提出年底前新建5G基站2万个,全面推广“豫事办”APP的各项服务功能。
江苏出台《关于推进智慧社区建设的实施意见》
据江苏省民政厅消息,江苏省民政厅等部门联合印发《关于推进智慧社区建设的实施意见》,到2025年建成智慧社区1000个以上,推动各地统筹建设。
"""


def test_digest_is_split_into_stories(tmp_path):
    original, facts = _extract(tmp_path, DIGEST)
    nodes = {n.id: n for n in facts.nodes}
    plans = {n.props["title"]: n.props["jurisdiction"] for n in facts.nodes if n.type == "Plan"}
    assert plans == {"河南省数字政府建设2024年工作要点": "河南省", "关于推进智慧社区建设的实施意见": "江苏省"}
    goals = {nodes[e.source].props["title"]: (nodes[e.target].props["value"], nodes[e.target].props["unit"])
             for e in facts.edges if e.type == "SETS_TARGET"}
    assert goals == {"河南省数字政府建设2024年工作要点": (2, "万个"), "关于推进智慧社区建设的实施意见": (1000, "个")}
    _assert_evidence_exact(original, facts)


# -- clause forms outside brackets and task tables ----------------------------------------------------

DUTY_SENTENCES = """数字威海2024年工作要点
一、提升城市治理
1.推进“一网统管”。依托城市运行管理服务平台,完善城市运行指标体系。市城市管理局、市应急局按职责分工负责。
2.建设智慧社区。年内建成智慧社区50个。由市民政局牵头,市大数据局配合。
3.完善政务云。市大数据局负责建设全市统一的政务云平台,提升算力。
"""

TASK_TABLE = (
    "烟台市数字政府建设2024年重点任务清单\n"
    "序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
    "1\t建设全市统一的“烟台一网通办”平台,上线事项不少于1000项\t市行政审批服务局\t市大数据局\t2024年12月\n"
    "2\t推进政务云扩容\t市大数据局\t各区市政府、市财政局\t2024年10月\n"
    "3\t完善“烟台市民通”APP功能,注册用户达到300万人\t市大数据局牵头,市公安局配合\t/\t2024年12月\n"
)

PIPE_TABLE = """数字潍坊建设2024年任务分工
一、数字基础设施
| 领域 | 序号 | 工作任务 | 牵头部门 | 配合部门 |
| 数字基础设施 | 1 | 新建5G基站2000个 | 市工业和信息化局 | 市通信发展办公室 |
| 2 | 建设城市大脑 | 市大数据局 | 市直有关部门 |
"""


def test_a_closing_sentence_of_agencies_is_a_unit_clause(tmp_path):
    original, facts = _extract(tmp_path, DUTY_SENTENCES)
    assert _roles(facts, "1") == {("RESPONSIBLE_FOR", "威海市城市管理局"), ("RESPONSIBLE_FOR", "威海市应急局")}
    assert _roles(facts, "2") == {("LEADS", "威海市民政局"), ("RESPONSIBLE_FOR", "威海市大数据局")}
    # a sentence that says more than who is responsible is measure text, not a clause
    assert _roles(facts, "3") == set()
    first = next(n for n in facts.nodes if n.type == "Measure" and n.props["number"] == "1")
    assert first.props["text"].endswith("完善城市运行指标体系。")
    _assert_evidence_exact(original, facts)


def test_task_table_rows_are_measures_with_their_role_columns(tmp_path):
    original, facts = _extract(tmp_path, TASK_TABLE)
    measures = {n.props["number"]: n for n in facts.nodes if n.type == "Measure"}
    assert sorted(measures) == ["1", "2", "3"]
    assert measures["1"].props["text"] == "建设全市统一的“烟台一网通办”平台,上线事项不少于1000项"
    assert _roles(facts, "1") == {("LEADS", "烟台市行政审批服务局"), ("RESPONSIBLE_FOR", "烟台市大数据局")}
    assert _roles(facts, "2") == {("LEADS", "烟台市大数据局"), ("RESPONSIBLE_FOR", "烟台市各区市政府"),
                                  ("RESPONSIBLE_FOR", "烟台市财政局")}
    assert _roles(facts, "3") == {("LEADS", "烟台市大数据局"), ("RESPONSIBLE_FOR", "烟台市公安局")}  # said in the cell
    nodes = {n.id: n for n in facts.nodes}
    target_of = {nodes[e.source].props["number"]: nodes[e.target] for e in facts.edges if e.type == "SETS_TARGET"}
    assert (target_of["1"].props["value"], target_of["1"].props["unit"]) == (1000, "项")
    assert target_of["1"].props["indicator"] == "上线事项"  # not the columns after the task
    assert (target_of["3"].props["value"], target_of["3"].props["unit"]) == (300, "万人")
    assert next(n for n in facts.nodes if n.type == "Document").props["genre"] == "plan"
    _assert_evidence_exact(original, facts)


def test_pipe_table_with_a_merged_category_cell(tmp_path):
    original, facts = _extract(tmp_path, PIPE_TABLE)
    measures = {n.props["number"]: n for n in facts.nodes if n.type == "Measure"}
    assert sorted(measures) == ["1", "2"]
    assert measures["2"].props["text"] == "建设城市大脑"
    assert measures["2"].props["section"] == "一"
    assert _roles(facts, "1") == {("LEADS", "潍坊市工业和信息化局"), ("RESPONSIBLE_FOR", "潍坊市通信发展办公室")}
    assert _roles(facts, "2") == {("LEADS", "潍坊市大数据局"), ("RESPONSIBLE_FOR", "潍坊市直有关部门")}
    _assert_evidence_exact(original, facts)


def test_html_task_table(tmp_path):
    rows = "".join(f"<tr><td>{n}</td><td>{task}</td><td>{lead}</td><td>{resp}</td></tr>" for n, task, lead, resp in [
        ("1", "建设“烟台一网通办”平台", "市行政审批服务局", "市大数据局"),
        ("2", "推进政务云扩容", "市大数据局", "各区市政府")])
    html = ("<html><head><title>任务</title></head><body><h1>烟台市数字政府建设2024年重点任务清单</h1><table>"
            "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th></tr>" + rows + "</table></body></html>")
    original, facts = _extract(tmp_path, html, name="table.html")
    assert _roles(facts, "1") == {("LEADS", "烟台市行政审批服务局"), ("RESPONSIBLE_FOR", "烟台市大数据局")}
    assert _roles(facts, "2") == {("LEADS", "烟台市大数据局"), ("RESPONSIBLE_FOR", "烟台市各区市政府")}
    _assert_evidence_exact(original, facts)


LEAD_MARKS_AND_MIXED_LEVELS = """数字日照2024年工作要点
一、优化政务服务
1.深化“爱山东”日照分厅建设。(责任单位:市大数据局〔牵头〕、市行政审批服务局)
2.推进“无证明城市”建设。(责任单位:市司法局(牵头)、市直有关部门)
3.加快智慧交通建设。(责任单位:市交通运输局★、市公安局)
二、强化数据赋能
(一)推进公共数据开放。[责任部门:市大数据局]
(二)完善数据共享交换平台。(主要责任单位:市大数据局;协同单位:市发展改革委)
"""


def test_lead_marks_inside_a_list_and_measures_numbered_at_another_level(tmp_path):
    original, facts = _extract(tmp_path, LEAD_MARKS_AND_MIXED_LEVELS)
    numbers = [n.props["number"] for n in facts.nodes if n.type == "Measure"]
    assert numbers == ["1", "2", "3", "(一)", "(二)"]
    assert _roles(facts, "1") == {("LEADS", "日照市大数据局"), ("RESPONSIBLE_FOR", "日照市行政审批服务局")}
    assert _roles(facts, "2") == {("LEADS", "日照市司法局"), ("RESPONSIBLE_FOR", "日照市直有关部门")}
    assert _roles(facts, "3") == {("RESPONSIBLE_FOR", "日照市交通运输局"), ("RESPONSIBLE_FOR", "日照市公安局")}
    assert _roles(facts, "(一)") == {("RESPONSIBLE_FOR", "日照市大数据局")}
    assert _roles(facts, "(二)") == {("LEADS", "日照市大数据局"), ("RESPONSIBLE_FOR", "日照市发展改革委")}
    first = next(n for n in facts.nodes if n.type == "Measure" and n.props["number"] == "1")
    assert first.props["text"] == "深化“爱山东”日照分厅建设。"
    _assert_evidence_exact(original, facts)


@pytest.mark.parametrize("clause,expected", [
    ("培育省级以上工业互联网平台20个、数字化车间100家。", [(20, "个", "培育省级工业互联网平台"), (100, "家", "培育数字化车间")]),
    ("新增充电桩1.2万台、公交车500辆。", [(1.2, "万台", "新增充电桩"), (500, "辆", "新增公交车")]),
    ("开工改造城镇老旧小区139个、1.57万户。", [(139, "个", "开工改造城镇老旧小区"), (1.57, "万户", "开工改造城镇老旧小区")]),
    ("打造100个数字果园、智慧养殖等应用场景。", [(100, "个", "打造数字果园、智慧养殖等应用场景")]),
    ("新增算力500PF,审批时限压缩至3个工作日以内。", [(500, "PF", "新增算力"), (3, "个工作日", "审批时限压缩")]),
    ("推进5G网络建设,升级2.0版平台。", []),
])
def test_targets_in_lists_and_units(clause, expected):
    from govkg.loaders.targets import find_targets

    assert [(t.value, t.unit, t.indicator) for t in find_targets(clause, 0, len(clause), 2024)] == expected


SHI_ITEMS_WITH_CLAUSES = """广州市数字政府改革建设2024年工作要点
壹、推进政务服务“一网通办”
一是优化“穗好办”APP,新增高频服务200项(市政务服务数据管理局牵头);二是深化“一件事一次办”,推出主题服务50项(市政务服务数据管理局、市司法局按职责分工负责)。
贰、推进城市治理“一网统管”
一是建设城市运行管理中枢,接入部门系统30个。(主办机关:市政务服务数据管理局;协办机关:各区政府)
"""


def test_clauses_inside_a_paragraph_of_shi_items(tmp_path):
    original, facts = _extract(tmp_path, SHI_ITEMS_WITH_CLAUSES)
    measures = [n for n in facts.nodes if n.type == "Measure"]
    assert [(m.props["number"], m.props["section"]) for m in measures] == [("一是", "壹"), ("二是", "壹"), ("一是", "贰")]
    assert measures[0].props["text"] == "优化“穗好办”APP,新增高频服务200项"  # the clause and the ';' are not text
    nodes = {n.id: n for n in facts.nodes}
    indicators = {nodes[e.target].props["indicator"] for e in facts.edges if e.type == "SETS_TARGET"}
    assert indicators == {"新增高频服务", "推出主题服务", "接入部门系统"}
    roles = {(e.type, nodes[e.source].name, nodes[e.target].props["text"][:4]) for e in facts.edges
             if e.type in ("LEADS", "RESPONSIBLE_FOR")}
    assert roles == {("LEADS", "广州市政务服务数据管理局", "优化“穗"),
                     ("RESPONSIBLE_FOR", "广州市政务服务数据管理局", "深化“一"),
                     ("RESPONSIBLE_FOR", "广州市司法局", "深化“一"),
                     ("LEADS", "广州市政务服务数据管理局", "建设城市"),
                     ("RESPONSIBLE_FOR", "广州市各区政府", "建设城市")}
    _assert_evidence_exact(original, facts)


TRADITIONAL_NEWS_HTML = """<html><head><meta charset="utf-8"><title>江蘇印發數字政府建設2024年工作要點_新聞中心</title></head><body>
<div class="nav">首頁 | 新聞 | 政務 | 服務</div>
<div class="content"><h1>江蘇印發數字政府建設2024年工作要點</h1>
<p>近日，江蘇省人民政府辦公廳印發《江蘇省數字政府建設2024年工作要點》。《要點》提出，2024年全省將新建5G基站2萬個。</p>
<p>《要點》明確，將持續升級「蘇服辦」總門戶，建設全省一體化大數據平台。省政務辦、省大數據管理中心負責同志表示，將抓好落實。</p>
</div>
<div class="footer">版權所有：江蘇某某網絡科技有限公司 電話：025-12345678</div>
</body></html>
"""


def test_traditional_news_page_with_corner_quotes_and_agencies_named_in_passing(tmp_path):
    original, facts = _extract(tmp_path, TRADITIONAL_NEWS_HTML, name="news.html")
    nodes = {n.id: n for n in facts.nodes}
    mentioned = {(nodes[e.target].type, nodes[e.target].name) for e in facts.edges
                 if e.type == "MENTIONS" and e.source.startswith("doc:")}
    assert ("Platform", "苏服办") in mentioned  # 「」 are quotes: the brand without its descriptor
    assert {("Agency", "江苏省人民政府办公厅"), ("Agency", "江苏省政务办"), ("Agency", "江苏省大数据管理中心")} <= mentioned
    assert ("Platform", "江苏省一体化大数据平台") in mentioned  # a generic system is its jurisdiction's
    _assert_evidence_exact(original, facts)


RED_HEADER_NOTICE = """威海市大数据局文件
威数发(2024)3号
关于印发《威海市数字政府建设2024年工作要点》的通知
各区市大数据局:
现将《威海市数字政府建设2024年工作要点》印发给你们,请认真贯彻落实。
威海市大数据局
2024年2月1日
一、夯实数字底座
1.建设城市大脑。(牵头单位:市大数据局)
2.完善政务云。(牵头单位:市大数据局)
"""


def test_notice_title_without_the_issuer_on_its_line(tmp_path):
    original, facts = _extract(tmp_path, RED_HEADER_NOTICE)
    plan = next(n for n in facts.nodes if n.type == "Plan" and n.props.get("document"))
    assert plan.props["title"] == "威海市数字政府建设2024年工作要点"  # not the red header 威海市大数据局文件
    assert plan.props["doc_number"] == "威数发(2024)3号"
    assert plan.props["issued"] == "2024-02-01"
    nodes = {n.id: n for n in facts.nodes}
    assert [nodes[e.target].name for e in facts.edges if e.type == "ISSUED_BY"] == ["威海市大数据局"]
    published = next(e for e in facts.edges if e.type == "PUBLISHED_IN")
    assert published.evidence[0].text == "威海市数字政府建设2024年工作要点"
    _assert_evidence_exact(original, facts)


COUNTY_PLANS = {
    "licheng.txt": """济南市历城区人民政府办公室关于印发历城区数字政府建设2024年工作要点的通知
各街道办事处,区政府各部门:
济南市历城区人民政府办公室
2024年4月1日
历城区数字政府建设2024年工作要点
一、提升政务服务
1.推进“泉城办”历城专区建设。(牵头单位:区行政审批服务局;责任单位:区大数据中心、各街道办事处)
2.建设基层治理平台。(牵头单位:区委政法委)
""",
    "shouguang.txt": """寿光市数字政府建设2024年工作要点
一、数字基础设施
1.新建5G基站300个。(牵头单位:市工业和信息化局)
2.推进“爱山东”寿光分厅建设。(牵头单位:市大数据局;责任单位:各镇街)
""",
}


@pytest.mark.parametrize("name,jurisdiction,roles", [
    ("licheng.txt", "历城区", {("LEADS", "历城区行政审批服务局"), ("RESPONSIBLE_FOR", "历城区大数据中心"),
                             ("RESPONSIBLE_FOR", "历城区各街道办事处")}),
    ("shouguang.txt", "寿光市", {("LEADS", "寿光市工业和信息化局")}),  # 市 is the county-level city, not 潍坊市
])
def test_county_level_plans_resolve_to_the_county(tmp_path, name, jurisdiction, roles):
    _, facts = _extract(tmp_path, COUNTY_PLANS[name], name=name)
    plan = next(n for n in facts.nodes if n.type == "Plan" and n.props.get("document"))
    assert plan.props["jurisdiction"] == jurisdiction
    assert _roles(facts, "1") == roles


HARD_WRAPPED = ("数字枣庄建设2024年工作要点\n一、提(ti2)升(sheng1)数字基础设施\n"
                "1.加快5G网络建设,年内新建5G基站1500个,推动重点场所深度覆盖\n。(牵头单位:市工业和信息化局;责任单位:市通信发展办公\n"
                "室)\n2.建设“枣庄城市大脑”,接入数据资源不少于200类。(牵头单位:市大数\n据局)\n"
                "3.完善政务服务平台&nbsp;功能。(牵头单位:市\u200b行政审批服务局)\n")


def test_hard_wrapped_clauses_invisible_characters_and_numbered_glosses(tmp_path):
    original, facts = _extract(tmp_path, HARD_WRAPPED)
    assert _roles(facts, "1") == {("LEADS", "枣庄市工业和信息化局"), ("RESPONSIBLE_FOR", "枣庄市通信发展办公室")}
    assert _roles(facts, "2") == {("LEADS", "枣庄市大数据局")}
    assert _roles(facts, "3") == {("LEADS", "枣庄市行政审批服务局")}
    third = next(n for n in facts.nodes if n.type == "Measure" and n.props["number"] == "3")
    assert third.props["text"] == "完善政务服务平台功能。"
    section = next(n for n in facts.nodes if n.type == "Section")
    assert section.props["title"] == "提升数字基础设施"
    _assert_evidence_exact(original, facts)


def test_circled_numbers_number_measures(tmp_path):
    text = ("数字德州建设2024年工作要点\n一、提升政务服务\n①推进“爱山东”德州分厅建设。(牵头单位:市大数据局)\n"
            "②建设城市大脑。(牵头单位:市大数据局;责任单位:市财政局)\n二、数据赋能\n①开放数据集300个。(牵头单位:市大数据局)\n")
    original, facts = _extract(tmp_path, text)
    measures = [(n.props["number"], n.props["section"]) for n in facts.nodes if n.type == "Measure"]
    assert measures == [("①", "一"), ("②", "一"), ("①", "二")]
    assert _roles(facts, "②") == {("LEADS", "德州市大数据局"), ("RESPONSIBLE_FOR", "德州市财政局")}
    _assert_evidence_exact(original, facts)


def test_unnumbered_paragraphs_with_their_own_clauses_are_measures(tmp_path):
    text = ("数字聊城建设2024年工作要点\n一、推进数字政府建设\n推进“爱山东”聊城分厅建设,新增事项100项。(牵头单位:市大数据局)\n"
            "建设城市大脑。(牵头单位:市大数据局;责任单位:市财政局)\n二、推进数字经济\n培育数字经济企业50家。(牵头单位:市工业和信息化局)\n"
            "推进5G建设。(牵头单位:市工业和信息化局)\n")
    original, facts = _extract(tmp_path, text)
    measures = [n for n in facts.nodes if n.type == "Measure"]
    assert [(m.props["section"], m.props["text"]) for m in measures] == [
        ("一", "推进“爱山东”聊城分厅建设,新增事项100项。"), ("一", "建设城市大脑。"),
        ("二", "培育数字经济企业50家。"), ("二", "推进5G建设。")]
    nodes = {n.id: n for n in facts.nodes}
    roles = {(e.type, nodes[e.source].name, nodes[e.target].props["text"]) for e in facts.edges
             if e.type in ("LEADS", "RESPONSIBLE_FOR")}
    assert ("RESPONSIBLE_FOR", "聊城市财政局", "建设城市大脑。") in roles and len(roles) == 5
    assert {n.props["title"] for n in facts.nodes if n.type == "Section"} == {"推进数字政府建设", "推进数字经济"}
    _assert_evidence_exact(original, facts)


REGION_DIGEST = """数字政府建设动态(第12期)
浙江:发布数字政府建设2024年工作要点
日前,浙江省人民政府办公厅印发《浙江省数字政府建设2024年工作要点》,提出迭代升级“浙里办”,新增“一件事”集成服务30项。省大数据局局长表示,将推动“浙政钉”全面覆盖。
广东:广州推进“穗好办”升级
近日,广州市政务服务数据管理局发布消息,今年将新增“穗好办”高频事项200项,市政务服务数据管理局负责同志介绍,将建设城市运行管理中枢。
责任编辑:王五
"""


def test_digest_headed_by_region_names_splits_into_stories(tmp_path):
    original, facts = _extract(tmp_path, REGION_DIGEST)
    nodes = {n.id: n for n in facts.nodes}
    agencies = {nodes[e.target].name for e in facts.edges if e.type == "MENTIONS" and nodes[e.target].type == "Agency"}
    # 省大数据局局长: the agency, not 局局; the second story's 市 is 广州, not the first story's 浙江
    assert agencies == {"浙江省人民政府办公厅", "浙江省大数据局", "广州市政务服务数据管理局"}
    targets = [nodes[e.target] for e in facts.edges if e.type == "SETS_TARGET"]
    assert [(t.props["value"], t.props["jurisdiction"]) for t in targets] == [(30, "浙江省")]
    _assert_evidence_exact(original, facts)
