"""The clause parser (loaders/units.py) on every unit-clause form it reads: a table of cases, clause
text in, (role, printed name) records out; and the same clauses resolved inside a plan."""
from __future__ import annotations

import pytest

from govkg.loaders import agencies, units
from govkg.loaders.agencies import Jurisdiction
from govkg.loaders.structure import is_unit_clause

L, R = units.LEADS, units.RESPONSIBLE_FOR

CASES = [
    ("牵头单位:市大数据局、市财政局,责任单位:市直有关部门", [(L, "市大数据局"), (L, "市财政局"), (R, "市直有关部门")]),
    ("牵头单位:市大数据局;责任单位:市公安局", [(L, "市大数据局"), (R, "市公安局")]),
    ("协同单位:市财政局", [(R, "市财政局")]),
    ("协办单位:市财政局;主办单位:市大数据局", [(R, "市财政局"), (L, "市大数据局")]),
    ("主责单位:省大数据局;配合单位:省公安厅", [(L, "省大数据局"), (R, "省公安厅")]),
    ("牵头部门:省大数据局", [(L, "省大数据局")]),
    ("牵头单位:市发改委〔市数据局〕,配合单位:市委网信办、市公安局",
     [(L, "市发改委〔市数据局〕"), (R, "市委网信办"), (R, "市公安局")]),
    # one label, roles marked inside the list
    ("责任部门:省政务服务和数字化建设管理局牵头、中省直有关部门配合",
     [(L, "省政务服务和数字化建设管理局"), (R, "中省直有关部门")]),
    ("责任部门:省政务服务和数字化建设管理局牵头,各地、各有关部门配合",
     [(L, "省政务服务和数字化建设管理局"), (R, "各地"), (R, "各有关部门")]),
    ("牵头单位:省通信管理局牵头;责任单位:省直各部门", [(L, "省通信管理局"), (R, "省直各部门")]),
    # fields that are not agencies end the names
    ("责任单位:省发展改革委、省政府办公厅;完成时限:6月底", [(R, "省发展改革委"), (R, "省政府办公厅")]),
    ("责任单位:省政府办公厅、省直各有关部门,各设区市政府。完成时限:7月30日前",
     [(R, "省政府办公厅"), (R, "省直各有关部门"), (R, "各设区市政府")]),
    ("牵头单位:市大数据局;时间节点:2024年底", [(L, "市大数据局")]),
    # unlabelled
    ("市民政局牵头,市大数据局配合", [(L, "市民政局"), (R, "市大数据局")]),
    ("省大数据局牵头,各省辖市政府、省直各部门配合", [(L, "省大数据局"), (R, "各省辖市政府"), (R, "省直各部门")]),
    ("市公安局、市大数据局分工负责", [(R, "市公安局"), (R, "市大数据局")]),
    ("市农业农村局牵头,市财政局、市商务局等有关单位按职责分工负责",
     [(L, "市农业农村局"), (R, "市财政局"), (R, "市商务局")]),
    ("市政務服務數據管理局、各縣(市、區)政府牽頭".replace("政務服務數據管理局", "政务服务数据管理局")
     .replace("各縣(市、區)政府牽頭", "各县(市、区)政府牵头"), [(L, "市政务服务数据管理局"), (L, "各县(市、区)政府")]),
    ("市大数据局负责落实", [(R, "市大数据局")]),
    # placeholders kept whole
    ("责任单位:省政务办等各有关部门和单位,各设区市人民政府",
     [(R, "省政务办"), (R, "各有关部门和单位"), (R, "各设区市人民政府")]),
    ("责任单位:省大数据局,各市〔州〕、贵安新区数据管理部门",
     [(R, "省大数据局"), (R, "各市〔州〕数据管理部门"), (R, "贵安新区数据管理部门")]),
]


@pytest.mark.parametrize("clause,expected", CASES)
def test_clause_forms(clause, expected):
    assert is_unit_clause(clause)
    assert [(r.role, r.printed) for r in units.parse_clause(clause, 0)] == expected


def test_positions_are_kept():
    clause = "责任部门:省大数据局牵头、省财政厅配合;完成时限:6月底"
    for role in units.parse_clause(clause, 100):
        assert clause[role.start - 100:role.start - 100 + len(role.printed)] == role.printed


@pytest.mark.parametrize("text", ["成立由省政府办公厅牵头的工作专班。推进各项工作", "2023年底前完成", "详见附件"])
def test_not_unit_clauses(text):
    assert not is_unit_clause(text) or not units.parse_clause(text, 0)


RESOLVED = [
    ("省政务办", "江苏省", "江苏省政务办", False),
    ("各有关部门和单位", "江苏省", "江苏省各有关部门和单位", True),
    ("各市〔州〕数据管理部门", "贵州省", "贵州省各市(州)数据管理部门", True),
    ("贵安新区数据管理部门", "贵州省", "贵安新区数据管理部门", True),
    ("济源示范区管委会", "河南省", "济源示范区管委会", False),
    ("运营商", "湖北省", "运营商", False),
    ("市发改委〔市数据局〕", "九江市", "九江市发改委", False),
    ("市委党校(行政学院)", "滨州市", "滨州市委党校(行政学院)", False),
]


@pytest.mark.parametrize("printed,where,name,collective", RESOLVED)
def test_resolved_names(printed, where, name, collective):
    agency = agencies.resolve(printed, Jurisdiction.of(where))
    assert (agency.name, agency.collective) == (name, collective)


def test_a_dual_name_is_one_agency_with_both_names():
    agency = agencies.resolve("市发改委〔市数据局〕", Jurisdiction.of("九江市"))
    assert agency.name == "九江市发改委" and agency.other_names == ("九江市数据局",)


STANDING_UNLESS = """数智甘肃建设2025年工作要点
1.发展算力产业。(责任单位:省大数据局,各市〔州〕数据管理部门。除专门列出外,以下任务均涉及各市〔州〕数据管理部门,不再重复)
2.发展数据产业。(责任单位:省工业和信息化厅)
3.培育数据企业。
"""


def test_a_standing_clause_unless_listed_shares_only_the_measures_without_units(tmp_path):
    from govkg.loaders.pipeline import extract_file

    path = tmp_path / "plan.txt"
    path.write_text(STANDING_UNLESS, encoding="utf-8")
    _, facts = extract_file(path)
    nodes = {n.id: n for n in facts.nodes}
    by_number = {n.props["number"]: n.id for n in facts.nodes if n.type == "Measure"}
    roles = {num: {nodes[e.source].name for e in facts.edges if e.target == mid and e.type == units.RESPONSIBLE_FOR}
             for num, mid in by_number.items()}
    assert roles["2"] == {"甘肃省工业和信息化厅"}  # lists its own
    assert roles["3"] == {"甘肃省各市(州)数据管理部门"}
