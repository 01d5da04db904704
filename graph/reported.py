"""What is known of a plan only from news reports: the sentences of the reports that REPORTS_ON it,
aligned to another plan's measures by the wording they share (a city plan that copies what the
province's plan said, as a report quotes it).

A pair is `reported`: its side of the news-only plan is a report's sentence (document, span), not
a measure of the plan, and is the evidence of the alignment.
"""
from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from ..ontology.vocab import NodeType, Rel
from .factgraph import FactGraph
from .search import sentences

REPORTED_MIN_CHARS = 12  # the longest run of characters a measure and a report's sentence share


def reported_items(graph: FactGraph, text_of: Callable[[str], str | None], plan_id: str) -> list[dict[str, Any]]:
    """The sentences of the news reports on `plan_id`, each with its document and span."""
    items = []
    for edge in sorted(graph.in_edges(plan_id, Rel.REPORTS_ON), key=lambda e: e.source):
        doc = graph.nodes.get(edge.source)
        if doc is None or doc.type != NodeType.Document:
            continue
        document = str(doc.props.get("file") or doc.name)
        for start, end, sentence in sentences(text_of(document) or ""):
            items.append({"id": doc.id, "number": None, "seq": None, "text": sentence, "reported": True,
                          "evidence": {"document": document, "start": start, "end": end, "text": sentence}})
    return items


def align_reported(measures: list[dict[str, Any]], items: list[dict[str, Any]], reported_side: str,
                   min_chars: int = REPORTED_MIN_CHARS) -> list[dict[str, Any]]:
    """Measures (refs with `text`) paired one to one with the report sentences they share the
    longest run of at least min_chars characters with (greedy, longest first)."""
    scored = []
    for i, m in enumerate(measures):
        text = m.get("text") or ""
        for j, item in enumerate(items):
            match = SequenceMatcher(None, text, item["text"], autojunk=False).find_longest_match(
                0, len(text), 0, len(item["text"]))
            if match.size >= min_chars:
                scored.append((match.size, i, j, match))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_m: set[int] = set()
    used_r: set[int] = set()
    pairs = []
    for size, i, j, match in scored:
        if i in used_m or j in used_r:
            continue
        used_m.add(i)
        used_r.add(j)
        m_range, r_range = [[match.a, match.a + size]], [[match.b, match.b + size]]
        score = round(size / max(1, min(len(measures[i]["text"]), len(items[j]["text"]))), 3)
        measure_side = {"ref": measures[i], "ranges": m_range}
        report_side = {"ref": items[j], "ranges": r_range}
        a, b = (report_side, measure_side) if reported_side == "a" else (measure_side, report_side)
        pairs.append({"a": a["ref"], "b": b["ref"], "score": score, "shared_chars": size,
                      "a_ranges": a["ranges"], "b_ranges": b["ranges"],
                      "shared": [measures[i]["text"][match.a: match.a + size]], "edges": [], "reported": True,
                      "evidence": items[j]["evidence"]})
    return pairs
