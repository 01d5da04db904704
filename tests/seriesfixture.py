"""A small hand-made build for the series view: a 5G base-station stock (2021), an increment
(2022) and a goal without a year, each with its sentence as evidence."""
from __future__ import annotations

from pathlib import Path

from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from govkg.graph.store import Build, BuildWriter, DocumentStatus

DOC = "series_plan.txt"
TEXT = """某省数字基础设施建设工作要点
一、加快网络建设
1.截至2021年底，全省累计建成5G基站10.1万个。
2.2022年新增5G基站6万个。
3.远期累计建成5G基站30万个。
"""
PLAN = "plan:某省:某省数字基础设施建设工作要点"
BASE, INC, UNDATED = f"target:{DOC}#1.1", f"target:{DOC}#2.1", f"target:{DOC}#3.1"


def _ev(needle: str) -> list[Evidence]:
    at = TEXT.index(needle)
    return [Evidence(DOC, at, at + len(needle), needle)]


def write_build(data_dir: Path) -> Build:
    nodes = [
        Node(f"doc:{DOC}", "Document", DOC, {"file": DOC, "format": "txt", "genre": "plan"}),
        Node(PLAN, "Plan", "某省数字基础设施建设工作要点", {"document": DOC, "jurisdiction": "某省", "year": 2022}),
        Node(BASE, "Target", "累计建成5G基站10.1万个", {"value": 10.1, "unit": "万个", "indicator": "累计建成5G基站",
                                                  "kind": "baseline", "year": 2021, "jurisdiction": "某省", "document": DOC}),
        Node(INC, "Target", "新增5G基站6万个", {"value": 6, "unit": "万个", "indicator": "新增5G基站",
                                           "kind": "increment", "year": 2022, "jurisdiction": "某省", "document": DOC}),
        Node(UNDATED, "Target", "累计建成5G基站30万个", {"value": 30, "unit": "万个", "indicator": "累计建成5G基站",
                                                  "kind": "cumulative", "jurisdiction": "某省", "document": DOC}),
    ]
    edges = [Edge(PLAN, f"doc:{DOC}", "PUBLISHED_IN", {}, _ev("某省数字基础设施建设工作要点")),
             Edge(PLAN, BASE, "SETS_TARGET", {}, _ev("截至2021年底，全省累计建成5G基站10.1万个。")),
             Edge(PLAN, INC, "SETS_TARGET", {}, _ev("2022年新增5G基站6万个。")),
             Edge(PLAN, UNDATED, "SETS_TARGET", {}, _ev("远期累计建成5G基站30万个。"))]
    data_dir.mkdir(parents=True, exist_ok=True)
    writer = BuildWriter(data_dir)
    writer.add(DocumentFacts(DOC, nodes, edges), TEXT, DocumentStatus(DOC, "ok", None, {}, "txt", "utf-8"))
    writer.write_derived([])
    return writer.commit({"corpus": "tests/seriesfixture.py"})
