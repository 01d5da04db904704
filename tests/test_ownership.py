"""Ownership from what the texts say (loaders/ownership.py) and one platform node per real system,
on small plans written for these tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from govkg.graph.factgraph import FactGraph
from govkg.loaders import ownership
from govkg.loaders.pipeline import extract_file

PROVINCE = """吉林省数字政府建设2023年工作要点
一、夯实平台支撑
1.强化政务云平台支撑能力。持续完善全省政务云,推进省级系统迁移上云。(责任部门:省政务服务和数字化建设管理局牵头,省直有关部门配合)
2.加快城市大脑建设。推动城市大脑向市县赋能。(牵头单位:省发展改革委)
"""

CITY_A = """滨州市数字强市建设2023年工作要点
一、夯实数字底座
1.提升政务云平台云原生服务能力,推动云原生技术部署应用。(牵头单位:市大数据局)
2.建设城市大脑,完善中枢平台。(牵头单位:市大数据局,责任单位:市直有关部门)
3.依托“爱山东”平台,推动高频事项掌上办理。(牵头单位:市行政审批服务局)
4.推进“爱山东”滨州分厅建设,新增事项500项。(牵头单位:市大数据局)
"""

CITY_B = """德州市数字政府建设2023年工作要点
一、夯实数字底座
1.完善政务云。智慧城市运行平台由市城市管理局负责运营。(牵头单位:市大数据局)
2.建设城市大脑,打造10个应用场景。(责任单位:市大数据局、市财政局)
3.用好“山东通”协同办公平台。(牵头单位:市政府办公室)
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> FactGraph:
    folder: Path = tmp_path_factory.mktemp("owners")
    docs = []
    for name, text in (("prov.txt", PROVINCE), ("city_a.txt", CITY_A), ("city_b.txt", CITY_B)):
        (folder / name).write_text(text, encoding="utf-8")
        docs.append(extract_file(folder / name)[1])
    return FactGraph.from_documents(docs)


def _owns(graph: FactGraph) -> dict[tuple[str, str], dict]:
    return {(graph.nodes[e.source].name, graph.nodes[e.target].name): e.props
            for e in graph.edges.values() if e.type == "OWNS"}


def test_generic_platforms_are_one_node_per_jurisdiction(graph):
    platforms = {n.name: n.props for n in graph.of_type("Platform")}
    for name, jurisdiction in (("吉林省政务云", "吉林省"), ("滨州市政务云", "滨州市"), ("德州市政务云", "德州市"),
                               ("吉林省城市大脑", "吉林省"), ("滨州市城市大脑", "滨州市"), ("德州市城市大脑", "德州市")):
        assert platforms[name]["jurisdiction"] == jurisdiction
    assert {p["concept"] for n, p in platforms.items() if n.endswith("政务云")} == {"政务云"}
    assert "政务云" not in platforms and "城市大脑" not in platforms
    # a brand is one node with its jurisdiction, whoever names it
    assert platforms["爱山东"]["jurisdiction"] == "山东省" and platforms["爱山东"]["kind"] == "app"
    assert platforms["爱山东滨州分厅"]["jurisdiction"] == "滨州市"


def test_aliases_have_no_quotes_and_no_duplicates(graph):
    for node in graph.of_type("Platform"):
        aliases = node.props.get("aliases") or []
        assert len(aliases) == len(set(aliases)) and node.name not in aliases
        assert not any(q in a for a in aliases for q in "“”\"")


def test_the_subject_of_a_measure_is_owned_by_its_lead(graph):
    owns = _owns(graph)
    assert owns[("吉林省政务服务和数字化建设管理局", "吉林省政务云")]["basis"] == "measure_subject"
    assert owns[("滨州市大数据局", "滨州市政务云")]["basis"] == "measure_subject"
    assert owns[("滨州市大数据局", "滨州市城市大脑")]["basis"] == "measure_subject"
    assert owns[("吉林省发展改革委", "吉林省城市大脑")]["documents"] == ["prov.txt"]


def test_with_no_lead_at_most_two_named_responsible_agencies_own(graph):
    owns = _owns(graph)
    assert {a for a, p in owns if p == "德州市城市大脑"} == {"德州市大数据局", "德州市财政局"}


def test_a_channel_is_not_owned(graph):
    owns = _owns(graph)
    assert not any(p == "爱山东" for _, p in owns)  # 依托“爱山东”平台: used, not built
    assert not any(p == "山东通" for _, p in owns)  # 用好“山东通”
    assert ("德州市政府办公室", "山东通") not in owns


def test_building_a_branch_owns_the_branch_not_its_parent(graph):
    owns = _owns(graph)
    props = owns[("滨州市大数据局", "爱山东滨州分厅")]
    assert props["basis"] == "measure_subject" and props["measures"] == ["measure:city_a.txt#4"]
    assert ("滨州市大数据局", "爱山东") not in owns


def test_an_explicit_statement_gives_owns_with_its_basis_and_evidence(graph):
    props = _owns(graph)[("德州市城市管理局", "德州市智慧城市运行平台")]
    assert props["basis"] == "explicit_statement" and props["documents"] == ["city_b.txt"]
    edge = graph.edges[("agency:德州市城市管理局", "OWNS", "platform:德州市智慧城市运行平台")]
    assert [ev.text for ev in edge.evidence] == ["智慧城市运行平台由市城市管理局负责运营"]
    assert all(CITY_B[ev.start:ev.end] == ev.text for ev in edge.evidence)


def test_collective_agencies_never_own(graph):
    assert not any("有关部门" in a or "直" in a for a, _ in _owns(graph))


def test_support_across_documents_is_merged(tmp_path):
    docs = []
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(CITY_A.replace("2023", "2024" if name == "b.txt" else "2023"), encoding="utf-8")
        docs.append(extract_file(tmp_path / name)[1])
    edge = FactGraph.from_documents(docs).edges[("agency:滨州市大数据局", "OWNS", "platform:滨州市政务云")]
    assert edge.props["documents"] == ["a.txt", "b.txt"] and edge.props["years"] == [2023, 2024]
    assert {ev.document for ev in edge.evidence} == {"a.txt", "b.txt"}


@pytest.mark.parametrize("text,expected", [
    ("建设城市大脑,打造应用场景", True),
    ("持续完善“城市大脑”功能", True),
    ("城市大脑升级改造", True),
    ("依托城市大脑,打造5个应用场景", False),  # works through it
    ("加强城市大脑推广应用", False),
    ("互联网医院全部对接城市大脑", False),
    ("在城市大脑上办理", False),
    ("城市大脑", False),  # no verb
])
def test_subject_rule(text, expected):
    at = text.index("城市大脑")
    assert ownership.is_subject(text, at, at + 4, 0, len(text), [(at, at + 4)]) is expected


def test_a_list_of_platforms_has_no_subject():
    text = "完善政务云、政务外网、城市大脑"
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("政务云", "政务外网", "城市大脑")]
    assert not any(ownership.is_subject(text, a, b, 0, len(text), spans) for a, b in spans)


@pytest.mark.parametrize("text,agency,basis", [
    ("智慧城市平台由市城市管理局负责运营。", "市城市管理局", "explicit_statement"),
    ("配合省文化和旅游厅做好数字平台建设。", "省文化和旅游厅", "explicit_statement"),
    ("省大数据局上线一体化平台。", "省大数据局", "explicit_statement"),
    ("推动数据接入,省民政厅的救助平台全面上线。", "省民政厅", "named_in_name"),
])
def test_statement_forms(text, agency, basis):
    at = text.index("平台") - 2
    found = ownership.stated_owners(text, at, text.index("平台") + 2, 0, len(text))
    assert [(s.printed, s.basis) for s in found] == [(agency, basis)]
