"""Derived ownership: Agency -OWNS-> Platform with basis, confidence and evidence."""
from __future__ import annotations

from apifixture import CITY_TEXT, PROV_TEXT, SCRIPT_AGENCY, fact_graph
from govkg.graph.derive import builds_in, derive_edges
from govkg.graph.factgraph import FactGraph
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node


def owns(graph: FactGraph) -> dict[tuple[str, str], Edge]:
    return {(e.source, e.target): e for e in derive_edges(graph)}


def test_fixture_ownership():
    found = owns(fact_graph())
    assert {k: (e.props["basis"], e.props["confidence"]) for k, e in found.items()} == {
        ("agency:山东省大数据局", "platform:爱山东"): ("leads_measure_building", 0.75),
        ("agency:山东省公安厅", "platform:爱山东"): ("leads_measure_mentioning", 0.35),
        ("agency:山东省大数据局", "platform:山东通"): ("leads_measure_mentioning", 0.35),
        ("agency:山东省大数据局", "platform:爱山东滨州分厅"): ("parent_of_branch", 0.45),
        ("agency:滨州市大数据局", "platform:爱山东滨州分厅"): ("leads_measure_building", 0.75),
        ("agency:滨州市大数据局", "platform:城市大脑"): ("explicit_statement", 0.9),
        (f"agency:{SCRIPT_AGENCY}", "platform:城市大脑"): ("leads_measure_building", 0.75),
    }
    for edge in found.values():
        assert edge.type == "OWNS" and edge.evidence and edge.props["derived"] is True
        for ev in edge.evidence:
            text = PROV_TEXT if ev.document == "prov_plan.txt" else CITY_TEXT
            assert text[ev.start:ev.end] == ev.text


def test_evidence_is_copied_from_the_underlying_edges():
    graph = fact_graph()
    edge = owns(graph)[("agency:山东省大数据局", "platform:爱山东")]
    lead = graph.edges[("agency:山东省大数据局", "LEADS", "measure:prov_plan.txt#1")]
    mention = graph.edges[("measure:prov_plan.txt#1", "MENTIONS", "platform:爱山东")]
    assert edge.evidence == [*lead.evidence, *mention.evidence]
    assert edge.props["measures"] == ["measure:prov_plan.txt#1"]
    inherited = owns(graph)[("agency:山东省大数据局", "platform:爱山东滨州分厅")]
    branch = graph.edges[("platform:爱山东滨州分厅", "BRANCH_OF", "platform:爱山东")]
    assert inherited.evidence[0] == branch.evidence[0] and set(edge.evidence) <= set(inherited.evidence)


def test_collective_agencies_never_own():
    found = owns(fact_graph())
    assert not any("直" in agency for agency, _ in found)


def _graph(text: str, leads: list[str], platforms: list[str], collective: set[str] = frozenset(),
           mention_span: str | None = None, branch: tuple[str, str] | None = None) -> FactGraph:
    doc = "t.txt"
    nodes = [Node("measure:t.txt#1", "Measure", "1", {"document": doc, "text": text})]
    edges = []
    for name in leads:
        nodes.append(Node(f"agency:{name}", "Agency", name, {"collective": name in collective, "jurisdiction": "滨州市"}))
        edges.append(Edge(f"agency:{name}", "measure:t.txt#1", "LEADS", {}, [Evidence(doc, 0, 1, "x")]))
    for name in platforms:
        nodes.append(Node(f"platform:{name}", "Platform", name, {}))
        at = text.find(mention_span or name)
        span = mention_span or name
        edges.append(Edge("measure:t.txt#1", f"platform:{name}", "MENTIONS", {}, [Evidence(doc, at, at + len(span), span)]))
    if branch:
        edges.append(Edge(f"platform:{branch[0]}", f"platform:{branch[1]}", "BRANCH_OF", {}, []))
    return FactGraph.from_documents([DocumentFacts(doc, nodes, edges)])


def test_build_verbs_and_use_cues():
    forms = ["城市大脑"]
    assert builds_in("加快建设城市大脑。", forms, [])
    assert builds_in("城市大脑上线运行", forms, [])
    assert builds_in("持续完善“城市大脑”功能", forms, [])
    assert not builds_in("依托城市大脑，打造5个应用场景。", forms, [])  # uses it, builds something else
    assert not builds_in("加强城市大脑推广应用", forms, [])
    assert not builds_in("互联网医院全部对接城市大脑", forms, [])
    assert not builds_in("没有提及", forms, [])


def test_shared_lead_is_less_sure():
    sole = owns(_graph("建设城市大脑", ["甲局"], ["城市大脑"]))
    shared = owns(_graph("建设城市大脑", ["甲局", "乙局"], ["城市大脑"]))
    assert sole[("agency:甲局", "platform:城市大脑")].props["confidence"] == 0.75
    assert {k: e.props["confidence"] for k, e in shared.items()} == {
        ("agency:甲局", "platform:城市大脑"): 0.6, ("agency:乙局", "platform:城市大脑"): 0.6}


def test_explicit_statement_in_evidence_text():
    text = "全省一体化大数据平台由省大数据局统一建设运营，各市依托其开展应用。"
    graph = _graph(text, [], ["一体化大数据平台"], mention_span=text)
    graph.add(DocumentFacts("t.txt", [Node("agency:山东省大数据局", "Agency", "山东省大数据局",
                                           {"jurisdiction": "山东省", "aliases": []})], []))
    found = owns(graph)
    edge = found[("agency:山东省大数据局", "platform:一体化大数据平台")]
    assert edge.props["basis"] == "explicit_statement" and edge.props["confidence"] == 0.9
    assert edge.evidence[0].text == text


def test_explicit_statement_about_another_platform_is_ignored():
    text = "视频平台由市公安局负责建设。推广城市大脑。"
    graph = _graph(text, [], ["城市大脑"], mention_span="城市大脑")
    graph.add(DocumentFacts("t.txt", [Node("agency:滨州市公安局", "Agency", "滨州市公安局", {"jurisdiction": "滨州市"})], []))
    assert owns(graph) == {}


def test_several_agencies_and_reasons_combine():
    text = "城市大脑由市大数据局和市公安局共同建设。"
    graph = _graph(text, ["滨州市大数据局"], ["城市大脑"])
    graph.add(DocumentFacts("t.txt", [Node("agency:滨州市公安局", "Agency", "滨州市公安局", {"jurisdiction": "滨州市"})], []))
    found = owns(graph)
    both = found[("agency:滨州市大数据局", "platform:城市大脑")]
    assert both.props["bases"] == ["explicit_statement", "leads_measure_building"]
    assert both.props["basis"] == "explicit_statement" and 0.9 < both.props["confidence"] <= 0.97
    assert found[("agency:滨州市公安局", "platform:城市大脑")].props["basis"] == "explicit_statement"


def test_collective_lead_and_statement_never_own():
    graph = _graph("由市直相关部门单位负责建设城市大脑", ["市直相关部门单位"], ["城市大脑"], collective={"市直相关部门单位"})
    assert owns(graph) == {}


def test_building_a_branch_does_not_build_its_parent():
    text = "推进“爱山东”移动政务服务平台滨州分厅建设"
    graph = _graph(text, ["滨州市大数据局"], ["爱山东", "爱山东滨州分厅"], branch=("爱山东滨州分厅", "爱山东"))
    graph.nodes["platform:爱山东滨州分厅"].props["aliases"] = ["“爱山东”移动政务服务平台滨州分厅"]
    found = owns(graph)
    assert found[("agency:滨州市大数据局", "platform:爱山东滨州分厅")].props["basis"] == "leads_measure_building"
    assert found[("agency:滨州市大数据局", "platform:爱山东")].props["basis"] == "leads_measure_mentioning"


def test_no_platforms_or_agencies():
    assert derive_edges(FactGraph()) == []
    assert owns(_graph("建设", ["甲局"], [])) == {}
