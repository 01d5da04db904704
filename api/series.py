"""REST routes for target series, consistency checks, platform timelines and plan alignment.

    GET /api/indicators                          indicators (SKOS concepts of ontology/indicators.ttl)
                                                 with point counts; ?q= filter, limit/offset/total
    GET /api/indicators/{id}/series?jurisdiction= the points of an indicator (kind, year, value in base
                                                 units, evidence); ?narrower=true adds narrower concepts
    GET /api/indicators/{id}/checks              consistency findings, each with both sides' evidence
    GET /api/platforms/{id}/timeline             years, plans, jurisdictions, branches, lead agencies
    GET /api/plans/align?a=&b=                   two plans' measures aligned, shared wording ranges

Indicator ids are the concept local names (base_stations_5g); `indicator:base_stations_5g`, the
concept IRI or a label (5G基站) are accepted too. Platform and plan ids are graph ids
(`platform:爱山东`, URL-encoded in the path) or bare names (爱山东). Errors answer JSON
`{"error": message}`: 404 for unknown ids, 422 for bad parameters.

This router must be included BEFORE api/rest.py's router: `/api/platforms/{id:path}` and
`/api/plans/{id:path}` there would otherwise swallow `/timeline` and `/align`.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ..graph import lineage, reported, series
from ..graph.factgraph import FactGraph
from ..ontology.vocab import NodeType

router = APIRouter(prefix="/api", tags=["series"])


def _graph(request: Request) -> tuple[FactGraph, dict[str, Any]]:
    state = request.app.state.govkg
    build = state.build()  # resets state.per_build when the build changes
    return build.graph(), state.per_build


def _index(request: Request) -> series.SeriesIndex:
    graph, cache = _graph(request)
    index = cache.get("series.index")
    if index is None or index.graph is not graph:
        index = series.SeriesIndex(graph)
        cache["series.index"] = index
    return index


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _typed(graph: FactGraph, ident: str, prefix: str) -> str:
    ident = ident.strip()
    if ident in graph.nodes or ident.startswith(prefix):
        return ident
    return prefix + ident


def _concept(index: series.SeriesIndex, ident: str) -> dict[str, Any]:
    concept = index.vocabulary.concepts[ident]
    points = index.points.get(ident, [])
    return {**concept.to_dict(), "points": len(points),
            "jurisdictions": sorted({p.jurisdiction for p in points if p.jurisdiction}),
            "years": sorted({p.year for p in points if p.year is not None})}


@router.get("/indicators", summary="Indicators (SKOS concepts) with the number of target points")
def indicators(request: Request, q: str | None = Query(None, max_length=200, examples=["5G"]),
               matched: bool = Query(False, description="only indicators with at least one point"),
               limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=10**9)) -> dict:
    index = _index(request)
    rows = [_concept(index, cid) for cid in index.vocabulary.concepts]
    if q:
        needle = series.normalise(q)
        rows = [r for r in rows if needle in r["id"].upper() or any(needle in series.normalise(label) for label in
                                                                      [r["label"], *(r["alt_labels"]), r["label_en"] or ""])]
    if matched:
        rows = [r for r in rows if r["points"]]
    rows.sort(key=lambda r: (-r["points"], r["id"]))
    return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit],
            "unmatched_targets": len(index.unmatched)}


@router.get("/indicators/{indicator_id}/series", summary="The points of an indicator, by jurisdiction and year")
def indicator_series(request: Request, indicator_id: str,
                     jurisdiction: str | None = Query(None, max_length=100, examples=["山东省"]),
                     narrower: bool = Query(False, description="include the points of narrower concepts")):
    index = _index(request)
    cid = index.vocabulary.resolve(indicator_id)
    if cid is None:
        return _error(404, f"unknown indicator: {indicator_id}")
    points = index.series(cid, jurisdiction, include_narrower=narrower)
    places: dict[str, int] = {}
    for p in points:
        places[p.jurisdiction or ""] = places.get(p.jurisdiction or "", 0) + 1
    return {"indicator": _concept(index, cid),
            "jurisdiction": series.canonical_jurisdiction(jurisdiction) if jurisdiction else None,
            "total": len(points), "jurisdictions": [{"name": k, "points": v} for k, v in sorted(places.items())],
            "points": [p.to_dict() for p in points],
            "derived": [d.to_dict() for d in series.derived_stocks(points)],
            "undated": [{"target": p.target, "reason": reason} for p in points
                        if (reason := series.undated_reason(p)) is not None]}


@router.get("/indicators/{indicator_id}/checks", summary="Where an indicator's points disagree")
def indicator_checks(request: Request, indicator_id: str):
    index = _index(request)
    cid = index.vocabulary.resolve(indicator_id)
    if cid is None:
        return _error(404, f"unknown indicator: {indicator_id}")
    findings = series.checks(index, cid)
    return {"indicator": _concept(index, cid), "total": len(findings), "findings": [f.to_dict() for f in findings]}


@router.get("/platforms/{platform_id:path}/timeline",
            summary="A platform's timeline: years named, plans, jurisdictions, branches, lead agencies per year")
def platform_timeline(request: Request, platform_id: str):
    graph, cache = _graph(request)
    pid = _typed(graph, platform_id, "platform:")
    key = f"series.timeline:{pid}"
    found = cache.get(key)
    if found is None:
        found = series.platform_timeline(graph, pid)
        if found is None:
            return _error(404, f"unknown platform: {platform_id}")
        cache[key] = found
    return found


@router.get("/plans/align", summary="Two plans side by side: aligned measures and their shared wording")
def plans_align(request: Request, a: str = Query(..., min_length=1, max_length=1000),
                b: str = Query(..., min_length=1, max_length=1000),
                min_score: float = Query(lineage.ALIGN_MIN, ge=0.0, le=1.0)):
    graph, cache = _graph(request)
    pa, pb = _typed(graph, a, "plan:"), _typed(graph, b, "plan:")
    for given, pid in ((a, pa), (b, pb)):
        node = graph.nodes.get(pid)
        if node is None or node.type != NodeType.Plan:
            return _error(404, f"unknown plan: {given}")
    key = f"series.align:{pa}|{pb}|{min_score}"
    found = cache.get(key)
    if found is None:
        found = lineage.align_plans(graph, pa, pb, min_score)
        _add_reported(request.app.state.govkg.build(), graph, found)
        cache[key] = found
    return found


def _add_reported(build, graph: FactGraph, found: dict[str, Any]) -> None:
    """A plan known only from news (no measures of its own): its reports' sentences aligned to the
    other plan's measures, marked reported; and the reason when nothing aligned."""
    found.setdefault("reason", None)
    for side, other in (("a", "b"), ("b", "a")):
        if found[side]["measures"] or not found[other]["measures"]:
            continue
        items = reported.reported_items(graph, build.original_text, found[side]["id"])
        found[side]["reported_items"] = len(items)
        if not items:
            continue
        measures = found[f"only_{other}"]
        pairs = reported.align_reported(measures, items, side)
        found["pairs"] = pairs
        matched = {p[other]["id"] for p in pairs}
        found[f"only_{other}"] = [m for m in found[f"only_{other}"] if m["id"] not in matched]
    if found["pairs"]:
        return
    reasons = []
    for side in ("a", "b"):
        plan = found[side]
        if not plan["measures"]:
            reasons.append(f"plan {side.upper()} has no measures of its own"
                           + (f"; its {plan['reported_items']} reported sentences share no run of "
                              f"{reported.REPORTED_MIN_CHARS} characters with the other plan's measures"
                              if plan.get("reported_items") else " and no news report on it is in the build"))
    if not reasons:
        reasons.append(f"no pair of measures scores {lineage.ALIGN_MIN} or more (shared shingles and wording)")
    found["reason"] = "; ".join(reasons)
