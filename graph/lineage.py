"""Measure lineage: measures that repeat or adapt another plan's measure.

    edges = lineage_edges(graph)        # called by graph/derive.py derive_edges

Which measures are similar (normalisation, MinHash LSH candidates, verification and the
LineageCache of incremental builds) is graph/similarity.py; this module turns the similar pairs into
edges.

Edges (both with the evidence of both measures: the spans of their PART_OF edges):
  Measure -SIMILAR_TO-> Measure   props score, method, jaccard, ratio, shared (platform/initiative ids),
                                  derived=True. Symmetric: one edge per pair; its source is the
                                  derived (copying) measure when one is known, else the smaller id.
  Measure -DERIVED_FROM-> Measure the source measure belongs to a plan the measure's plan IMPLEMENTS,
                                  or to a plan of a jurisdiction above the measure's (the province of a
                                  city; regions.province_of / parent) of the same or an earlier year.
                                  One per measure: the best source (IMPLEMENTS first, then score, then
                                  the latest year). Props score, method, basis (implements |
                                  parent_jurisdiction), plans [measure's plan, source's plan], derived.

`align_plans(graph, plan_a, plan_b)` pairs the measures of two plans one to one (best score first)
and returns, for each pair, the character ranges of the measures' `text` props that both share
(difflib.SequenceMatcher matching blocks on the normalised texts, mapped back), for a side-by-side
view.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from ..ontology.vocab import NodeType, Rel
from ..reference import regions
from .factgraph import FactGraph, gc_paused
from .model import Edge, Evidence, Node
from .similarity import (MAX_CANDIDATES, METHOD, SIMILAR_MIN, LineageCache, distinct, jaccard, normalise,
                         normalise_mapped, region_forms, shingles, similar_arrays, unique_codes)

MAX_SIMILAR_PER_MEASURE = 5  # SIMILAR_TO edges kept per measure, the best by score
ALIGN_MIN = 0.35  # align_plans: weaker pairs are left unaligned
ALIGN_BLOCK = 2  # align_plans: shortest shared run (normalised characters) worth highlighting
LINEAGE_TYPES = (Rel.SIMILAR_TO, Rel.DERIVED_FROM)

# -- the measures of a graph ------------------------------------------------------------------------

@dataclass
class MeasureInfo:
    id: str
    text: str  # normalised
    document: str
    plan: str | None
    jurisdiction: str | None
    year: int | None
    entities: frozenset[str] = frozenset()  # platforms and initiatives it mentions
    evidence: list[Evidence] = field(default_factory=list)  # its PART_OF evidence


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def measure_infos(graph: FactGraph) -> list[MeasureInfo]:
    infos = []
    normalised: dict[tuple[str, str | None], str] = {}  # copies of a document repeat their texts
    for node in graph.nodes.values():
        if node.type != NodeType.Measure:
            continue
        out = graph.out_edges(node.id)  # once, split by type here
        plan = None
        for edge in out:
            if edge.type == Rel.PART_OF:
                target = graph.nodes.get(edge.target)
                if target is not None and target.type == NodeType.Plan:
                    plan = target
                    break
        jurisdiction = (plan.props.get("jurisdiction") if plan else None) or None
        raw = str(node.props.get("text") or "")
        text = normalised.get((raw, jurisdiction))
        if text is None:
            text = normalised[(raw, jurisdiction)] = normalise(raw, region_forms(jurisdiction))
        evidence = ([ev for e in out if e.type == Rel.PART_OF and e.target == plan.id for ev in e.evidence]
                    if plan is not None else [])
        entities = frozenset(e.target for e in out
                             if e.type == Rel.MENTIONS and e.target.startswith(("platform:", "initiative:")))
        infos.append(MeasureInfo(
            id=node.id, text=text, document=str(node.props.get("document") or (evidence[0].document if evidence else "")),
            plan=plan.id if plan else None, jurisdiction=jurisdiction,
            year=_int(plan.props.get("year")) if plan else None, entities=entities, evidence=evidence))
    infos.sort(key=lambda m: m.id)
    return infos


# -- lineage edges ------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)  # the gazetteer does not change; called for every candidate pair
def _ancestors(jurisdiction: str | None) -> tuple[str, ...]:
    """Full names of the regions above a jurisdiction (滨州市 -> [山东省]; a county -> [its city, province])."""
    if not jurisdiction:
        return ()

    out: list[str] = []
    region = regions.lookup(jurisdiction)
    seen = 0
    while region is not None and region.parent and seen < 4:
        region = regions.lookup(region.parent)
        if region is not None:
            out.append(region.key)
        seen += 1
    return tuple(out)


@lru_cache(maxsize=4096)
def _canonical(jurisdiction: str | None) -> str | None:
    if not jurisdiction:
        return None

    region = regions.lookup(jurisdiction)
    return region.key if region else jurisdiction


def _implemented(graph: FactGraph, plan: str | None) -> set[str]:
    """Plans a plan IMPLEMENTS, transitively (a city plan implementing the provincial plan that
    implements the national one)."""
    out: set[str] = set()
    todo = [plan] if plan else []
    while todo:
        for edge in graph.out_edges(todo.pop(), Rel.IMPLEMENTS):
            if edge.target not in out:
                out.add(edge.target)
                todo.append(edge.target)
    return out


def _derivation(graph: FactGraph, copy: MeasureInfo, source: MeasureInfo,
                implemented: dict[str, set[str]]) -> str | None:
    """Why `copy` derives from `source` (implements | parent_jurisdiction), or None."""
    if copy.plan and source.plan:
        plans = implemented.get(copy.plan)
        if plans is None:
            plans = implemented[copy.plan] = _implemented(graph, copy.plan)
        if source.plan in plans:
            return "implements"
    if (copy.year is not None and source.year is not None and source.year <= copy.year
            and _canonical(source.jurisdiction) in _ancestors(copy.jurisdiction)):
        return "parent_jurisdiction"
    return None


def _strongest(a: np.ndarray, b: np.ndarray, scores: np.ndarray, keep: np.ndarray,
               per_measure: int = MAX_SIMILAR_PER_MEASURE) -> np.ndarray:
    """Indexes (ascending) of the pairs among the `per_measure` best (score, then index) of either of
    their measures, plus those in `keep`: a corpus with many near-identical measures would otherwise
    get a SIMILAR_TO clique."""
    k = np.arange(len(a), dtype=np.int64)
    ends, ks, neg = np.concatenate([a, b]), np.concatenate([k, k]), -np.concatenate([scores, scores])
    order = np.lexsort((ks, neg, ends))
    ends = ends[order]
    start = np.zeros(len(ends), dtype=bool)
    start[:1] = True
    start[1:] = ends[1:] != ends[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(len(ends)), 0))
    chosen = np.zeros(len(a), dtype=bool)
    chosen[ks[order][np.arange(len(ends)) - first < per_measure]] = True
    chosen[keep] = True
    return np.flatnonzero(chosen)


_BASES = (None, "parent_jurisdiction", "implements")


def _best_sources(copies: np.ndarray, sources: np.ndarray, implements: np.ndarray, scores: np.ndarray,
                  years: np.ndarray, count: int) -> np.ndarray:
    """For each copy, the index of its best (copy, source) entry: the largest (implements, score, year,
    source); sorted by copy. Ranks packed in one int64 (scores have 3 decimals) and the maximum taken
    per copy; a lexsort when they do not fit."""
    if not len(copies):
        return np.zeros(0, dtype=np.int64)
    thousandths = np.rint(scores * 1000).astype(np.int64)
    year_values, year_rank = np.unique(years, return_inverse=True)
    spans = (1001, len(year_values), count)
    if (2 * spans[0] * spans[1] * spans[2] < 1 << 62 and thousandths.min() >= 0 and thousandths.max() <= 1000
            and np.array_equal(thousandths / 1000, scores)):
        rank = ((implements.astype(np.int64) * spans[0] + thousandths) * spans[1] + year_rank) * spans[2] + sources
        top = np.full(count, -1, dtype=np.int64)
        np.maximum.at(top, copies, rank)
        best = np.flatnonzero(rank == top[copies])  # one per copy: the rank holds the source
        return best[np.argsort(copies[best], kind="stable")]
    order = np.lexsort((sources, years, scores, implements, copies))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = copies[order][1:] != copies[order][:-1]
    return order[last]


def lineage_edges(graph: FactGraph, min_score: float = SIMILAR_MIN, index: str = "bands",
                  cache: LineageCache | None = None) -> list[Edge]:
    """SIMILAR_TO and DERIVED_FROM edges of the graph's measures. With a LineageCache (from the previous
    build: LineageCache.load), only new texts' signatures and new pairs' verifications are computed,
    and the cache is left with the entries of this graph's measures (save it for the next build); the
    edges are the same with or without it."""
    with gc_paused():
        return _lineage_edges(graph, min_score, index, cache)


def _lineage_edges(graph: FactGraph, min_score: float, index: str, cache: LineageCache | None) -> list[Edge]:
    infos = [m for m in measure_infos(graph) if m.plan is not None]
    a, b, scores, jaccard_array, ratio_array = similar_arrays(
        [m.text for m in infos], [m.document for m in infos], [m.entities for m in infos],
        min_score, MAX_CANDIDATES, index, cache)
    # why a measure may derive from the other (_derivation): a function of the two plans, so once per
    # pair of plans and direction
    plans, plan_of = distinct([m.plan for m in infos])
    count = np.int64(max(1, len(plans)))
    first_of_plan = np.zeros(len(plans), dtype=np.int64)
    first_of_plan[plan_of[::-1]] = np.arange(len(infos) - 1, -1, -1)
    pa, pb = plan_of[a], plan_of[b]
    directed, inverse = unique_codes(np.concatenate([pa * count + pb, pb * count + pa]), int(count * count))
    implemented: dict[str, set[str]] = {}
    basis_codes = np.array([_BASES.index(_derivation(graph, infos[first_of_plan[c // count]],
                                                     infos[first_of_plan[c % count]], implemented))
                            for c in directed.tolist()], dtype=np.int64)
    forward, backward = basis_codes[inverse[:len(a)]], basis_codes[inverse[len(a):]]  # a copies b; b copies a
    # one source per measure: IMPLEMENTS first, then score, then the latest year, then the largest id
    years = np.array([m.year or 0 for m in infos], dtype=np.int64)
    k = np.arange(len(a), dtype=np.int64)
    f, r = forward > 0, backward > 0
    copies, sources = np.concatenate([a[f], b[r]]), np.concatenate([b[f], a[r]])
    bases, of_pair = np.concatenate([forward[f], backward[r]]), np.concatenate([k[f], k[r]])
    best = _best_sources(copies, sources, bases == 2, scores[of_pair], years[sources], len(infos))
    strongest = _strongest(a, b, scores, of_pair[best])
    backward_first = r[strongest]  # a SIMILAR_TO edge goes from the copy when there is one
    firsts = np.where(backward_first, b[strongest], a[strongest])
    seconds = np.where(backward_first, a[strongest], b[strongest])
    # the evidence of an edge: both measures' PART_OF spans, without repeats (spans of different
    # documents are never equal, so two measures of different documents need no check)
    own: dict[int, tuple[list[Evidence], frozenset[str]]] = {}
    for m in np.unique(np.concatenate([firsts, seconds, copies[best], sources[best]])).tolist():
        spans = list(dict.fromkeys(infos[m].evidence))
        own[m] = (spans, frozenset(ev.document for ev in spans))
    edges: list[Edge] = []
    for first, second, score, jaccard_, ratio in zip(firsts.tolist(), seconds.tolist(), scores[strongest].tolist(),
                                                     jaccard_array[strongest].tolist(),
                                                     ratio_array[strongest].tolist()):
        x, y = infos[first], infos[second]
        (ex, dx), (ey, dy) = own[first], own[second]
        props = {"score": score, "method": METHOD, "jaccard": jaccard_, "ratio": ratio,
                 "shared": sorted(x.entities & y.entities) if x.entities and y.entities else [], "derived": True}
        edges.append(Edge(x.id, y.id, Rel.SIMILAR_TO, props,
                          ex + ey if dx.isdisjoint(dy) else list(dict.fromkeys(ex + ey))))
    for copy, source, basis, score in zip(copies[best].tolist(), sources[best].tolist(), bases[best].tolist(),
                                          scores[of_pair[best]].tolist()):
        x, y = infos[copy], infos[source]
        (ex, dx), (ey, dy) = own[copy], own[source]
        props = {"score": score, "method": METHOD, "basis": _BASES[basis], "plans": [x.plan, y.plan],
                 "shared": sorted(x.entities & y.entities) if x.entities and y.entities else [], "derived": True}
        edges.append(Edge(x.id, y.id, Rel.DERIVED_FROM, props,
                          ex + ey if dx.isdisjoint(dy) else list(dict.fromkeys(ex + ey))))
    return edges


# -- aligning two plans ---------------------------------------------------------------------------------

def _plan_measures(graph: FactGraph, plan_id: str) -> list[Node]:
    measures = [graph.nodes[e.source] for e in graph.in_edges(plan_id, Rel.PART_OF)
                if e.source in graph.nodes and graph.nodes[e.source].type == NodeType.Measure]
    return sorted(measures, key=lambda m: (_int(m.props.get("seq")) or 0, m.id))


def _ranges(offsets: list[int], blocks: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Normalised (start, size) blocks as merged [start, end) ranges of the original text."""
    out: list[list[int]] = []
    for start, size in blocks:
        for k in range(start, start + size):
            at = offsets[k]
            if out and out[-1][1] == at:
                out[-1][1] = at + 1
            else:
                out.append([at, at + 1])
    return out


def _fill(text: str, ranges: list[list[int]]) -> list[list[int]]:
    """Join ranges separated only by punctuation or spaces (dropped by the normalisation)."""
    out: list[list[int]] = []
    for start, end in ranges:
        if out and all(not (c.isalnum()) for c in text[out[-1][1]:start]) and start - out[-1][1] <= 3:
            out[-1][1] = end
        else:
            out.append([start, end])
    return out


def _measure_ref(node: Node) -> dict[str, Any]:
    return {"id": node.id, "number": node.props.get("number"), "seq": _int(node.props.get("seq")),
            "text": str(node.props.get("text") or "")}


def align_plans(graph: FactGraph, plan_a: str, plan_b: str, min_score: float = ALIGN_MIN) -> dict[str, Any] | None:
    """The measures of two plans aligned one to one (greedy, best score first), with the shared wording:
    `a_ranges` / `b_ranges` are [start, end) character ranges of each measure's `text` prop."""
    pa, pb = graph.nodes.get(plan_a), graph.nodes.get(plan_b)
    if pa is None or pb is None or pa.type != NodeType.Plan or pb.type != NodeType.Plan:
        return None
    ma, mb = _plan_measures(graph, plan_a), _plan_measures(graph, plan_b)
    drop_a = region_forms(pa.props.get("jurisdiction"))
    drop_b = region_forms(pb.props.get("jurisdiction"))
    na = [normalise_mapped(str(m.props.get("text") or ""), drop_a) for m in ma]
    nb = [normalise_mapped(str(m.props.get("text") or ""), drop_b) for m in mb]
    sa = [shingles(t) for t, _ in na]
    sb = [shingles(t) for t, _ in nb]
    scored = []
    for i, (ta, _) in enumerate(na):
        for j, (tb, _) in enumerate(nb):
            if not ta or not tb:
                continue
            score = (jaccard(sa[i], sb[j]) + fuzz.ratio(ta, tb) / 100.0) / 2
            if score >= min_score:
                scored.append((round(score, 3), i, j))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        (ta, oa), (tb, ob) = na[i], nb[j]
        blocks = [b for b in SequenceMatcher(None, ta, tb, autojunk=False).get_matching_blocks() if b.size >= ALIGN_BLOCK]
        text_a, text_b = str(ma[i].props.get("text") or ""), str(mb[j].props.get("text") or "")
        a_ranges = _fill(text_a, _ranges(oa, ((b.a, b.size) for b in blocks)))
        b_ranges = _fill(text_b, _ranges(ob, ((b.b, b.size) for b in blocks)))
        shared = sum(b.size for b in blocks)
        pairs.append({"a": _measure_ref(ma[i]), "b": _measure_ref(mb[j]), "score": score,
                      "shared_chars": shared, "a_ranges": a_ranges, "b_ranges": b_ranges,
                      "shared": [text_a[s:e] for s, e in a_ranges],
                      "edges": [{"source": e.source, "type": e.type, "target": e.target, "props": {
                                    k: v for k, v in e.props.items() if k in ("score", "basis")}}
                                for x, y in ((ma[i].id, mb[j].id), (mb[j].id, ma[i].id))
                                for e in graph.out_edges(x) if e.target == y and e.type in LINEAGE_TYPES]})
    pairs.sort(key=lambda p: (p["a"]["seq"] or 0, p["a"]["id"]))

    def plan_ref(node: Node, measures: list[Node]) -> dict[str, Any]:
        return {"id": node.id, "title": node.props.get("title") or node.name,
                "jurisdiction": node.props.get("jurisdiction"), "year": _int(node.props.get("year")),
                "measures": len(measures)}

    return {"a": plan_ref(pa, ma), "b": plan_ref(pb, mb), "pairs": pairs,
            "only_a": [_measure_ref(ma[i]) for i in range(len(ma)) if i not in used_a],
            "only_b": [_measure_ref(mb[j]) for j in range(len(mb)) if j not in used_b]}


__all__ = ["lineage_edges", "align_plans", "measure_infos", "MeasureInfo", "LINEAGE_TYPES"]
