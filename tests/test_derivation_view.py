"""graph/derivation_view.py: merging the derivation views of a corpus (in corpus order) gives the same
derived edges (to_dict of every edge, order included) and totals as merging the full facts; the views
file round-trips; FactGraph.add (copy_props, the kept evidence sets) merges as copy.deepcopy did."""
from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest

from corpora import SEEDS, SHARED

from govkg.build import COUNTED, corpus_files, process_file
from govkg.graph.derivation_view import (VIEW_PROPS, VIEWS_FORMAT, EncodedView, derivation_view, encode_view,
                                         read_views, write_views)
from govkg.graph.derive import derive_edges
from govkg.graph.factgraph import FactGraph, copy_props, merge_props
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from benchmodules import bench_module

DEV2 = SHARED / "corpus" / "dev2"


def _as_stored(facts: DocumentFacts) -> DocumentFacts:
    """The facts as a build stores and merges them (its facts file)."""
    return DocumentFacts.from_dict(json.loads(json.dumps(facts.to_dict(), ensure_ascii=False)))


def _extract(folder: Path) -> list[DocumentFacts]:
    docs = []
    for path, name in corpus_files(folder):
        facts, _, status = process_file(path, name)
        if status.status == "ok":
            docs.append(facts)
    return docs


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, list[DocumentFacts]]:
    """Extracted facts (as extracted) of the seeds, dev2 and a 100-document bench/corpus.py corpus."""
    assert SEEDS.is_dir(), "shared/corpus/seeds is not beside the repository"
    assert DEV2.is_dir(), "shared/corpus/dev2 is not beside the repository"
    synthetic = tmp_path_factory.mktemp("views-synthetic")
    bench_module("corpus").generate(100, synthetic, seed=0)
    return {"seeds": _extract(SEEDS), "dev2": _extract(DEV2), "synthetic": _extract(synthetic)}


def _merged(docs) -> FactGraph:
    graph = FactGraph(keep_documents=False)
    for doc in docs:
        graph.add(doc)
    return graph


def _derived(graph: FactGraph) -> tuple[list[dict], dict[str, int]]:
    return [e.to_dict() for e in derive_edges(graph)], {t: len(graph.of_type(t)) for t in COUNTED}


# what each corpus must derive for the comparison to mean something
EXPECTED_TYPES = {"seeds": {"COUNTERPART_OF"}, "dev2": {"COUNTERPART_OF"},
                  "synthetic": {"SIMILAR_TO", "DERIVED_FROM", "COUNTERPART_OF"}}


@pytest.mark.parametrize("name", ["seeds", "dev2", "synthetic"])
def test_views_derive_what_the_full_facts_derive(corpora, name, tmp_path):
    for docs in (corpora[name], [_as_stored(d) for d in corpora[name]]):  # as extracted and as stored
        full_edges, full_totals = _derived(_merged(docs))
        assert EXPECTED_TYPES[name] <= {e["type"] for e in full_edges}
        assert all(full_totals[t] for t in ("Measure", "Agency"))
        views = [derivation_view(d) for d in docs]
        assert (full_edges, full_totals) == _derived(_merged(views))
        # through the views file, in the order written
        write_views(tmp_path / "views.pickle", views)
        read = read_views(tmp_path / "views.pickle")
        assert list(read) == [d.document for d in docs]
        assert [read[d.document].to_dict() for d in docs] == [v.to_dict() for v in views]
        assert (full_edges, full_totals) == _derived(_merged(read.values()))


@pytest.mark.parametrize("name", ["seeds", "dev2", "synthetic"])
def test_views_are_smaller_and_keep_every_node(corpora, name):
    docs = [_as_stored(d) for d in corpora[name]]
    for doc in docs:
        view = derivation_view(doc)
        assert [(n.id, n.type) for n in view.nodes] == [(n.id, n.type) for n in doc.nodes]
        assert len(view.edges) <= len(doc.edges)
        for node, full in zip(view.nodes, doc.nodes):
            assert set(node.props) <= set(VIEW_PROPS.get(node.type, ()))
            assert all(node.props[k] == full.props[k] for k in node.props)
    assert sum(len(derivation_view(d).edges) for d in docs) < sum(len(d.edges) for d in docs)
    assert len(pickle.dumps([derivation_view(d) for d in docs])) < len(pickle.dumps(docs)) / 2
    # a node id has one type in every document (the views keep props by the node's own type)
    types: dict[str, str] = {}
    for doc in docs:
        for node in doc.nodes:
            assert types.setdefault(node.id, node.type) == node.type


@pytest.mark.parametrize("name", ["seeds", "dev2", "synthetic"])
def test_factgraph_merges_as_deepcopy_did(corpora, name):
    """The merged graph of FactGraph.add equals that of the deepcopy merge it replaced."""

    def reference_merge(docs):
        nodes, edges = {}, {}
        for doc in docs:
            for node in doc.nodes:
                if node.id not in nodes:
                    nodes[node.id] = Node(node.id, node.type, node.name, copy.deepcopy(node.props))
                else:
                    merge_props(nodes[node.id].props, node.props)
            for edge in doc.edges:
                known = edges.get(edge.key)
                if known is None:
                    edges[edge.key] = Edge(edge.source, edge.target, edge.type, copy.deepcopy(edge.props),
                                           list(edge.evidence))
                else:
                    merge_props(known.props, edge.props)
                    seen = set(known.evidence)
                    known.evidence.extend(ev for ev in edge.evidence if ev not in seen)
        return nodes, edges

    docs = [_as_stored(d) for d in corpora[name]]
    docs = docs + [_as_stored(d) for d in docs]  # every node and edge merged a second time
    snapshot = [d.to_dict() for d in docs]
    graph = _merged(docs)
    nodes, edges = reference_merge([_as_stored(d) for d in docs])
    assert [n.to_dict() for n in graph.nodes.values()] == [n.to_dict() for n in nodes.values()]
    assert [e.to_dict() for e in graph.edges.values()] == [e.to_dict() for e in edges.values()]
    assert [d.to_dict() for d in docs] == snapshot  # the documents' facts are not changed by merging


def test_copy_props_copies_like_deepcopy():
    shared = ["a", "b"]
    for props in ({"s": "t", "n": 1, "f": 1.5, "b": True, "z": None, "l": ["a", 1]},
                  {"a": shared, "b": shared},  # one list under two keys: one list in the copy too
                  {"d": {"x": [1, {"y": 2}]}}, {"l": [["x"]]}, {}):
        before = copy.deepcopy(props)
        copied, reference = copy_props(props), copy.deepcopy(props)
        assert copied == props
        assert all(copied[k] is not v for k, v in props.items() if isinstance(v, (list, dict)))
        # merging into the copy changes it as it changes deepcopy's copy, and never the original
        more = {k: ["new"] for k, v in props.items() if isinstance(v, list)}
        merge_props(copied, more)
        merge_props(reference, more)
        assert copied == reference
        assert props == before
        for k, v in copied.items():
            if isinstance(v, list):
                v.append("more")
        assert props == before


def test_evidence_merge_of_a_repeated_edge():
    """An edge many documents state: each document's new spans appended once, in order; the
    spans a document repeats itself kept, as before; replacing the list is seen."""
    graph = FactGraph()
    key = ("agency:甲", "OWNS", "platform:乙")
    spans = [Evidence(f"d{k}.txt", 0, 2, "甲乙") for k in range(5)]
    for k in range(5):
        evidence = [spans[k], spans[0]] if k else [spans[0]]
        graph.add(DocumentFacts(f"d{k}.txt", [], [Edge(key[0], key[2], key[1], {}, evidence)]))
    assert graph.edges[key].evidence == spans
    graph.add(DocumentFacts("e.txt", [], [Edge(key[0], key[2], key[1], {}, [Evidence("e.txt", 1, 2, "乙")] * 2)]))
    assert graph.edges[key].evidence[5:] == [Evidence("e.txt", 1, 2, "乙")] * 2  # as the set-per-call merge did
    graph.edges[key].evidence = [spans[1]]  # someone replaced the list: the kept set is not used
    graph.add(DocumentFacts("f.txt", [], [Edge(key[0], key[2], key[1], {}, [spans[0], spans[1]])]))
    assert graph.edges[key].evidence == [spans[1], spans[0]]


# -- a hand-made corpus whose derived edges need props and evidence that only a second document gives

def _span(doc: str, text: str, start: int = 0) -> Evidence:
    return Evidence(doc, start, start + len(text), text)


MEASURE_TEXT = "加快推进一体化政务服务平台建设,推动高频政务服务事项全程网办,年底前实现{}一网通办全覆盖。"
PROVINCE_PLAN, CITY_PLAN = "plan:山东省:数字政府建设工作要点", "plan:滨州市:数字政府建设工作要点"
PROVINCE_BUREAU, CITY_BUREAU, CITY_GROUP = "agency:山东省大数据局", "agency:滨州市大数据局", "agency:滨州市数字政府领导小组"


def handmade() -> list[DocumentFacts]:
    a, b, c = "a.txt", "b.txt", "c.txt"
    text_a, text_b = MEASURE_TEXT.format("全省"), MEASURE_TEXT.format("滨州市全市")
    doc_a = DocumentFacts(a, [
        Node(PROVINCE_PLAN, "Plan", "山东省数字政府建设工作要点", {"jurisdiction": "山东省", "year": 2022, "title": "x"}),
        Node("measure:a.txt#1", "Measure", "1", {"text": text_a, "document": a, "seq": 1}),
        Node(PROVINCE_BUREAU, "Agency", "山东省大数据局", {"function": "big_data", "jurisdiction": "山东省",
                                                           "level": "province", "collective": False}),
        Node("platform:爱山东", "Platform", "爱山东", {"kind": "app"}),
    ], [
        Edge("measure:a.txt#1", PROVINCE_PLAN, "PART_OF", {}, [_span(a, text_a, 10), _span(a, text_a[:8], 10)]),
        Edge("measure:a.txt#1", "platform:爱山东", "MENTIONS", {}, [_span(a, "爱山东", 3)]),
        # derived: counterparts._named_at passes it over for the next edge of the agency
        Edge(PROVINCE_BUREAU, "measure:a.txt#1", "LEADS", {"derived": True}, [_span(a, "山东省大数据局", 80)]),
        Edge(PROVINCE_PLAN, PROVINCE_BUREAU, "ISSUED_BY", {"basis": "x"},
             [_span(a, "山东省大数据局", 2), _span(a, "大数据局", 5)]),
    ])
    doc_b = DocumentFacts(b, [  # the city plan and agency without jurisdiction or year
        Node(CITY_PLAN, "Plan", "滨州市数字政府建设工作要点", {"title": "y"}),
        Node("measure:b.txt#1", "Measure", "1", {"text": text_b, "document": b}),
        Node(CITY_BUREAU, "Agency", "滨州市大数据局", {"function": "big_data", "collective": False}),
        Node(CITY_GROUP, "Agency", "滨州市数字政府领导小组", {"function": "big_data", "jurisdiction": "滨州市"}),
        Node("platform:爱山东", "Platform", "爱山东", {"kind": "app"}),
    ], [
        Edge("measure:b.txt#1", CITY_PLAN, "PART_OF", {}, [_span(b, text_b, 40)]),
        Edge("measure:b.txt#1", "platform:爱山东", "MENTIONS", {}, [_span(b, "爱山东", 41)]),
        Edge(CITY_BUREAU, "measure:b.txt#1", "LEADS", {}, []),  # evidence only from c.txt
        Edge(CITY_GROUP, "measure:b.txt#1", "RESPONSIBLE_FOR", {}, [_span(b, "领导小组", 90)]),
    ])
    doc_c = DocumentFacts(c, [  # a report naming both: the jurisdiction, year and level only here
        Node("doc:c.txt", "Document", "c.txt", {"genre": "news"}),
        Node(CITY_PLAN, "Plan", "滨州市数字政府建设工作要点", {"jurisdiction": "滨州市", "year": 2023}),
        Node(CITY_BUREAU, "Agency", "滨州市大数据局", {"jurisdiction": "滨州市", "level": "city"}),
        Node(CITY_GROUP, "Agency", "滨州市数字政府领导小组", {"collective": True, "level": "city"}),
        Node(PROVINCE_BUREAU, "Agency", "山东省大数据局", {"level": "ignored: a.txt said it first"}),
        Node("measure:b.txt#1", "Measure", "1", {"text": text_b}),
    ], [
        Edge("measure:b.txt#1", CITY_PLAN, "PART_OF", {}, [_span(b, text_b, 40), _span(c, text_b, 7)]),
        Edge(CITY_BUREAU, "measure:b.txt#1", "LEADS", {}, [_span(c, "滨州市大数据局", 1), _span(c, "大数据局", 4)]),
        Edge("doc:c.txt", CITY_BUREAU, "MENTIONS", {}, [_span(c, "滨州市大数据局", 1)]),
    ])
    return [doc_a, doc_b, doc_c]


def _strip(views: list[DocumentFacts], node_type: str | None, prop: str) -> list[DocumentFacts]:
    out = []
    for view in views:
        nodes = [Node(n.id, n.type, n.name, {k: v for k, v in n.props.items()
                                             if not (n.type == node_type and k == prop)}) for n in view.nodes]
        edges = [Edge(e.source, e.target, e.type, {k: v for k, v in e.props.items()
                                                   if not (node_type is None and k == prop)}, e.evidence)
                 for e in view.edges]
        out.append(DocumentFacts(view.document, nodes, edges))
    return out


def test_handmade_views_derive_what_the_full_facts_derive(tmp_path):
    docs = handmade()
    full_edges, totals = _derived(_merged(docs))
    by_type = {}
    for edge in full_edges:
        by_type.setdefault(edge["type"], []).append(edge)
    # the fixture means something: lineage needs c.txt's jurisdiction and year of the city plan,
    # the counterpart c.txt's jurisdiction of the city bureau and its evidence
    (derived,) = by_type["DERIVED_FROM"]
    assert (derived["source"], derived["target"], derived["props"]["basis"]) == (
        "measure:b.txt#1", "measure:a.txt#1", "parent_jurisdiction")
    assert [ev["text"] for ev in derived["props"]["evidence"]] == [
        MEASURE_TEXT.format("滨州市全市"), MEASURE_TEXT.format("滨州市全市"), MEASURE_TEXT.format("全省"),
        MEASURE_TEXT.format("全省")[:8]]
    (counterpart,) = by_type["COUNTERPART_OF"]
    assert (counterpart["source"], counterpart["target"]) == (CITY_BUREAU, PROVINCE_BUREAU)
    assert counterpart["props"]["levels"] == ["city", "province"]
    assert [(ev["document"], ev["start"]) for ev in counterpart["props"]["evidence"]] == [("c.txt", 1), ("a.txt", 2)]
    without_c = _derived(_merged(docs[:2]))[0]
    assert "DERIVED_FROM" not in {e["type"] for e in without_c}
    # the leading group is collective only by c.txt: without it, it is the only counterpart
    assert [(e["source"], e["target"]) for e in without_c if e["type"] == "COUNTERPART_OF"] == [
        (CITY_GROUP, PROVINCE_BUREAU)]
    assert totals == {"Measure": 2, "Agency": 3, "Platform": 1, "Initiative": 0, "Target": 0}

    views = [derivation_view(d) for d in docs]
    assert (full_edges, totals) == _derived(_merged(views))
    write_views(tmp_path / "v.pickle", views)
    assert (full_edges, totals) == _derived(_merged(read_views(tmp_path / "v.pickle").values()))
    # each prop a view keeps (and the edges' `derived`) changes what this corpus derives when dropped
    for node_type, prop in [("Plan", "jurisdiction"), ("Plan", "year"), ("Measure", "text"),
                            ("Agency", "function"), ("Agency", "jurisdiction"), ("Agency", "level"),
                            ("Agency", "collective"), (None, "derived")]:
        assert _derived(_merged(_strip(views, node_type, prop)))[0] != full_edges, (node_type, prop)


def test_views_file_is_atomic_and_checked(tmp_path):
    views = [derivation_view(d) for d in handmade()]
    path = tmp_path / "views.pickle"
    assert write_views(path, views) == 3
    assert write_views(path, views[:1]) == 1  # replaced whole
    assert list(read_views(path)) == ["a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["views.pickle"]  # no temporary file left
    # views as read write again as they are (EncodedView), mixed with new ones
    read = read_views(path)
    write_views(tmp_path / "again.pickle", [read.encoded("a.txt")] + views[1:])
    again = read_views(tmp_path / "again.pickle")
    assert list(again) == ["a.txt", "b.txt", "c.txt"] and len(again) == 3 and "b.txt" in again
    assert [again[n].to_dict() for n in again] == [v.to_dict() for v in views]
    assert again.encoded("a.txt") == encode_view(views[0])
    (tmp_path / "again.pickle").unlink()

    class Unwritable:
        def __reduce__(self):
            raise TypeError("cannot pickle")

    with pytest.raises(TypeError):
        write_views(path, [DocumentFacts("x.txt", [Node("n", "Agency", "", {"function": Unwritable()})])])
    assert list(read_views(path)) == ["a.txt"]  # the old file untouched
    assert [p.name for p in tmp_path.iterdir()] == ["views.pickle"]
    (tmp_path / "other.pickle").write_bytes(pickle.dumps(("something else", [])))
    with pytest.raises(ValueError):
        read_views(tmp_path / "other.pickle")
    (tmp_path / "evil.pickle").write_bytes(pickle.dumps((VIEWS_FORMAT, [("x.txt", b"")], print)))
    with pytest.raises(ValueError, match="plain data only"):
        read_views(tmp_path / "evil.pickle")
    evil_view = EncodedView("x.txt", pickle.dumps(("x.txt", None, [], [], [print])))
    write_views(tmp_path / "evil2.pickle", [evil_view])
    with pytest.raises(pickle.UnpicklingError, match="plain data only"):
        read_views(tmp_path / "evil2.pickle")["x.txt"]
    (tmp_path / "short.pickle").write_bytes(path.read_bytes()[:50])
    with pytest.raises(ValueError):
        read_views(tmp_path / "short.pickle")
