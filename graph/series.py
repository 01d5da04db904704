"""Target series across years and jurisdictions, their consistency checks, and platform timelines.

Indicators are the SKOS concepts of ontology/indicators.ttl. A Target node is mapped to the concept
whose prefLabel/altLabel is the longest one contained in its normalised `indicator` text, among the
concepts whose unit dimension (ind:count, ind:share, ind:amount) matches the target's unit:

    indicator_of({"indicator": "累计开通5G基站", "unit": "万个"})  -> "base_stations_5g"

A `Point` is one target in base units (1.1万个 -> 11000 个, 1.5亿元 -> 150000000 元), with its kind
(increment | cumulative | share | baseline | level; a baseline is a reported fact, `reported=True`),
year (the target's `year` prop: the stated deadline, else the plan year), jurisdiction, and the
evidence of the SETS_TARGET edge.

`checks(graph, indicator)` finds where points disagree:
  cumulative_below_previous_plus_increment  within one jurisdiction, a cumulative goal of year Y is
        below the latest earlier baseline/cumulative level plus the increments stated for the years
        after it up to Y;
  cities_exceed_province / cities_short_of_province  the goals of one year and kind of the cities of a
        province (regions.province_of) sum to more / less than the province's goal of that year and
        kind (a shortfall is severity "contradiction" only when every city of the province has a goal,
        otherwise "info").
Each finding carries both sides with their points and evidence. Only count and amount indicators are
checked (shares do not add up).

`platform_timeline(graph, platform_id)`: the years a platform is named, by which plans and
jurisdictions, its branches (BRANCH_OF in-edges) with their years, and the agencies that lead
measures mentioning it, per year.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..ontology.vocab import NodeType, Rel
from ..reference import regions
from ..reference.chinese import QUOTES, TITLE_MARKS
from .factgraph import FactGraph
from .model import Node

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "indicators.ttl"
IND = "https://govkg.example.org/indicator/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

MULTIPLIERS = {"千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "千": 1_000, "万": 10_000, "亿": 100_000_000}
_MULT = re.compile(r"^(千万|百万|十万|千|万|亿)?(.*)$")
# characters dropped before matching labels (the SPARQL twin queries drop the same ones)
STRIP_CHARS = QUOTES + TITLE_MARKS + " \t\r\n\u3000·•"
_STRIP = re.compile("[" + re.escape(STRIP_CHARS) + "]")
KIND_ORDER = {"baseline": 0, "cumulative": 1, "level": 2, "increment": 3, "share": 4}


# -- the vocabulary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    id: str  # local name in the ind: namespace, e.g. base_stations_5g
    iri: str
    pref_label: str
    labels: tuple[str, ...]  # prefLabel@zh and altLabels@zh, normalised
    dimension: str | None  # count | share | amount | None (grouping concept, never matched)
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    pref_label_en: str | None = None
    alt_labels: tuple[str, ...] = ()  # as written
    units: tuple[str, ...] = ()  # the only base units its targets may have (empty: any unit of the dimension)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.pref_label, "label_en": self.pref_label_en,
                "alt_labels": list(self.alt_labels), "dimension": self.dimension, "broader": list(self.broader),
                "narrower": list(self.narrower), "related": list(self.related), "units": list(self.units)}


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]
    units: dict[str, str]  # base unit -> dimension
    labels: tuple[tuple[str, str], ...]  # (normalised label, concept id), matchable concepts only

    def resolve(self, ident: str) -> str | None:
        """A concept id from its id, `indicator:<id>`, its IRI or any of its labels."""
        ident = ident.strip()
        for prefix in ("indicator:", "ind:", IND):
            if ident.startswith(prefix):
                ident = ident[len(prefix):]
        if ident in self.concepts:
            return ident
        norm = normalise(ident)
        for concept in self.concepts.values():
            if norm == normalise(concept.pref_label) or norm in concept.labels:
                return concept.id
        return None


def normalise(text: str) -> str:
    """Indicator text as labels are matched: NFKC, quotes and spaces removed, ASCII upper-cased."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "")).upper()


@lru_cache(maxsize=4)
def vocabulary(path: str | None = None) -> Vocabulary:
    import rdflib
    from rdflib.namespace import RDF, SKOS as S

    graph = rdflib.Graph()
    graph.parse(path or VOCABULARY_FILE, format="turtle")
    ind = rdflib.Namespace(IND)

    def local(term) -> str:
        return str(term)[len(IND):] if str(term).startswith(IND) else str(term)

    units: dict[str, str] = {}
    for dim in graph.subjects(RDF.type, ind.Dimension):
        for unit in graph.objects(dim, ind.unit):
            units[str(unit)] = local(dim)
    concepts: dict[str, Concept] = {}
    for subject in graph.subjects(RDF.type, S.Concept):
        def zh(pred):
            return sorted(str(o) for o in graph.objects(subject, pred)
                          if isinstance(o, rdflib.Literal) and (o.language or "zh").startswith("zh"))

        pref = zh(S.prefLabel)
        alts = zh(S.altLabel)
        en = [str(o) for o in graph.objects(subject, S.prefLabel) if isinstance(o, rdflib.Literal) and o.language == "en"]
        dims = [local(o) for o in graph.objects(subject, ind.dimension)]
        cid = local(subject)
        labels = tuple(dict.fromkeys(normalise(x) for x in [*pref, *alts] if normalise(x)))
        concepts[cid] = Concept(
            id=cid, iri=str(subject), pref_label=pref[0] if pref else cid, labels=labels,
            dimension=dims[0] if dims else None,
            broader=tuple(sorted(local(o) for o in graph.objects(subject, S.broader))),
            narrower=tuple(sorted(local(o) for o in graph.objects(subject, S.narrower))),
            related=tuple(sorted(local(o) for o in graph.objects(subject, S.related))),
            pref_label_en=en[0] if en else None, alt_labels=tuple(alts),
            units=tuple(sorted(str(o) for o in graph.objects(subject, ind.unit))))
    labels = tuple(sorted(((label, c.id) for c in concepts.values() if c.dimension for label in c.labels),
                          key=lambda lc: (-len(lc[0]), lc[0], lc[1])))
    return Vocabulary(concepts, units, labels)


def cypher_parameters(indicator: str | None = None) -> dict[str, Any]:
    """Parameters of queries/series_*.cypher (the property graph holds no vocabulary, so it is passed in):
    concept (id or None), labels [{label, concept, dimension, units}], units [{unit, dimension}], strip."""
    vocab = vocabulary()
    return {
        "concept": vocab.resolve(indicator) if indicator else None,
        "labels": [{"label": label, "concept": cid, "dimension": vocab.concepts[cid].dimension,
                    "units": list(vocab.concepts[cid].units)} for label, cid in vocab.labels],
        "units": [{"unit": unit, "dimension": dim} for unit, dim in sorted(vocab.units.items())],
        "strip": sorted(set(STRIP_CHARS)),
    }


# -- units ------------------------------------------------------------------------------------------

def split_unit(unit: str | None) -> tuple[int, str]:
    """(multiplier, base unit): 万个 -> (10000, 个), 亿元 -> (100000000, 元), % -> (1, %)."""
    unit = (unit or "").strip()
    if unit in vocabulary().units:
        return 1, unit
    m = _MULT.match(unit)
    assert m is not None
    return (MULTIPLIERS[m.group(1)] if m.group(1) else 1), m.group(2)


def dimension_of(unit: str | None) -> str | None:
    _, base = split_unit(unit)
    return vocabulary().units.get(base)


def base_value(value: Any, unit: str | None) -> tuple[int | float | None, str]:
    """The value in base units, exactly (10.1万 -> 101000, not 101000.00000000001)."""
    mult, base = split_unit(unit)
    try:
        exact = Decimal(str(value)) * mult
    except (InvalidOperation, ValueError, TypeError):
        return None, base
    return (int(exact) if exact == exact.to_integral_value() else float(exact)), base


# -- mapping targets to indicators ------------------------------------------------------------------

def indicator_of(target_props: dict[str, Any]) -> str | None:
    """The concept id a target counts, or None: the longest label contained in the normalised indicator
    text among the concepts of the target unit's dimension that allow its base unit (ties: the label whose
    first occurrence ends last, then the smaller id). The RDF projection writes it as the target's
    govkg:indicatorConcept (see `target_links`), which queries/series_*.rq read."""
    match = indicator_match(target_props)
    return match[0] if match else None


def indicator_match(target_props: dict[str, Any]) -> tuple[str, str] | None:
    """(concept id, the normalised label that matched) by the rule of `indicator_of`."""
    text = normalise(str(target_props.get("indicator") or ""))
    if not text:
        return None
    _, unit = split_unit(target_props.get("unit"))
    vocab = vocabulary()
    dim = vocab.units.get(unit)
    if dim is None:
        return None
    best: tuple[int, int, str, str] | None = None
    for label, cid in vocab.labels:
        if best is not None and len(label) < best[0]:
            break  # labels are sorted longest first
        concept = vocab.concepts[cid]
        if concept.dimension != dim or (concept.units and unit not in concept.units):
            continue
        at = text.find(label)
        if at < 0:
            continue
        key = (len(label), at + len(label), cid, label)
        if best is None or key[:2] > best[:2] or (key[:2] == best[:2] and cid < best[2]):
            best = key
    return (best[2], best[3]) if best else None


@dataclass(frozen=True)
class TargetLinks:
    """What the series queries need of a target, computed once when the build is written:
    the indicator concept it counts (with the label that matched), and its value in base units."""
    concept: str | None  # concept id
    label: str | None
    base_value: int | Decimal | None  # exact; None when the value is not a number
    base_unit: str


def target_links(target_props: dict[str, Any]) -> TargetLinks | None:
    """The series links of a target with a unit (None without one: the series ignore such targets)."""
    unit = target_props.get("unit")
    if not isinstance(unit, str) or not unit:
        return None
    mult, base = split_unit(unit)
    value = target_props.get("value")
    exact: int | Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        exact = value * mult
    elif isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        exact = Decimal(repr(value)) * mult
    match = indicator_match(target_props)
    return TargetLinks(match[0] if match else None, match[1] if match else None, exact, base)


@dataclass
class Point:
    target: str
    indicator_id: str
    jurisdiction: str | None
    year: int | None
    value: int | float | None  # in base units
    unit: str  # base unit
    kind: str
    qualifier: str | None
    indicator: str  # the target's indicator text
    evidence: list[dict] = field(default_factory=list)
    reported: bool = False  # a baseline: a fact already achieved, not a goal
    raw_value: Any = None
    raw_unit: str | None = None
    deadline: int | None = None
    document: str | None = None
    set_by: str | None = None  # the measure or plan with the SETS_TARGET edge
    measure: str | None = None
    plan: str | None = None
    plan_title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _plan_of(graph: FactGraph, node: Node | None) -> Node | None:
    if node is None:
        return None
    if node.type == NodeType.Plan:
        return node
    for edge in graph.out_edges(node.id, Rel.PART_OF):
        plan = graph.nodes.get(edge.target)
        if plan is not None and plan.type == NodeType.Plan:
            return plan
    return None


def point_of(graph: FactGraph, target: Node, concept: str) -> Point:
    p = target.props
    value, unit = base_value(p.get("value"), p.get("unit"))
    setters = graph.in_edges(target.id, Rel.SETS_TARGET)
    evidence = [ev.to_dict() for e in setters for ev in e.evidence]
    setter = graph.nodes.get(setters[0].source) if setters else None
    plan = _plan_of(graph, setter)
    kind = str(p.get("kind") or "level")
    return Point(
        target=target.id, indicator_id=concept, jurisdiction=p.get("jurisdiction") or None,
        year=_int(p.get("year")), value=value, unit=unit, kind=kind, qualifier=p.get("qualifier") or None,
        indicator=str(p.get("indicator") or ""), evidence=evidence, reported=kind == "baseline",
        raw_value=p.get("value"), raw_unit=p.get("unit"), deadline=_int(p.get("deadline")),
        document=p.get("document") or None, set_by=setter.id if setter else None,
        measure=setter.id if setter is not None and setter.type == NodeType.Measure else None,
        plan=plan.id if plan else None, plan_title=(plan.props.get("title") or plan.name) if plan else None)


def _sort_key(point: Point) -> tuple:
    return (point.jurisdiction or "", point.year if point.year is not None else 9999,
            KIND_ORDER.get(point.kind, 9), point.target)


class SeriesIndex:
    """Every target point of a graph, by indicator (compute once per build, e.g. in AppState.per_build)."""

    def __init__(self, graph: FactGraph):
        self.graph = graph
        self.vocabulary = vocabulary()
        self.points: dict[str, list[Point]] = defaultdict(list)
        self.unmatched: list[str] = []
        for node in graph.nodes.values():
            if node.type != NodeType.Target:
                continue
            concept = indicator_of(node.props)
            if concept is None:
                self.unmatched.append(node.id)
                continue
            self.points[concept].append(point_of(graph, node, concept))
        for points in self.points.values():
            points.sort(key=_sort_key)

    def series(self, indicator: str, jurisdiction: str | None = None,
               include_narrower: bool = False) -> list[Point]:
        cid = self.vocabulary.resolve(indicator)
        if cid is None:
            return []
        ids = [cid, *(_narrower_closure(self.vocabulary, cid) if include_narrower else [])]
        want = canonical_jurisdiction(jurisdiction) if jurisdiction else None
        found = [p for c in ids for p in self.points.get(c, []) if want is None or p.jurisdiction == want]
        return sorted(found, key=_sort_key)

    def counts(self) -> dict[str, int]:
        return {cid: len(points) for cid, points in self.points.items()}


def _narrower_closure(vocab: Vocabulary, cid: str) -> list[str]:
    out: list[str] = []
    todo = list(vocab.concepts[cid].narrower)
    while todo:
        nxt = todo.pop()
        if nxt not in out and nxt != cid and nxt in vocab.concepts:
            out.append(nxt)
            todo.extend(vocab.concepts[nxt].narrower)
    return out


def canonical_jurisdiction(name: str | None) -> str | None:
    """山东 -> 山东省 (the gazetteer's full name); unknown names are kept."""
    if not name:
        return None

    region = regions.lookup(name.strip())
    return region.key if region else name.strip()


def series(graph: FactGraph, indicator: str, jurisdiction: str | None = None,
           include_narrower: bool = False) -> list[Point]:
    """The points of one indicator (a concept id or label), optionally of one jurisdiction, sorted by
    jurisdiction, year and kind."""
    return SeriesIndex(graph).series(indicator, jurisdiction, include_narrower)


# -- what the points imply ------------------------------------------------------------------------

DERIVED_STOCK_RULE = "baseline_plus_increment"


@dataclass
class DerivedPoint:
    """A stock the text implies without stating it: a reported stock at the end of one year plus
    the increment set for the next year (10.1万 in 2021 + 6万 new in 2022 -> 16.1万 in 2022)."""
    indicator_id: str
    jurisdiction: str | None
    year: int
    value: int | float
    unit: str
    kind: str  # "stock"
    rule: str
    sources: list[str]  # the baseline's and the increment's targets
    evidence: list[dict] = field(default_factory=list)  # both sources' sentences

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "derived": True}


def derived_stocks(points: list[Point]) -> list[DerivedPoint]:
    """Stocks implied by a baseline of year Y and an increment of year Y+1 in the same
    jurisdiction and base unit (rule `baseline_plus_increment`)."""
    bases = {(p.jurisdiction, p.year, p.unit): p for p in points
             if p.kind == "baseline" and p.year is not None and isinstance(p.value, (int, float))}
    out = []
    for inc in points:
        if inc.kind != "increment" or inc.year is None or not isinstance(inc.value, (int, float)):
            continue
        base = bases.get((inc.jurisdiction, inc.year - 1, inc.unit))
        if base is None:
            continue
        out.append(DerivedPoint(inc.indicator_id, inc.jurisdiction, inc.year, _num(base.value + inc.value),
                                inc.unit, "stock", DERIVED_STOCK_RULE, [base.target, inc.target],
                                [*base.evidence[:1], *inc.evidence[:1]]))
    return out


def undated_reason(point: Point) -> str | None:
    """Why a point has no place on a time axis, or None when it has one."""
    if point.value is None:
        return "no value in base units"
    if point.year is None:
        return "no year in the sentence, its measure or its plan"
    return None


# -- consistency checks -----------------------------------------------------------------------------

@dataclass
class Finding:
    type: str
    severity: str  # contradiction | info
    indicator: str
    jurisdiction: str
    year: int
    kind: str
    message: str
    expected: int | float | None
    found: int | float | None
    unit: str
    sides: list[dict] = field(default_factory=list)  # [{"role", "jurisdiction", "total", "points": [...]}]
    complete: bool | None = None  # cross-level: every city of the province has a goal

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _num(x: int | float) -> int | float:
    return int(x) if float(x).is_integer() else round(float(x), 6)


def _strongest(points: list[Point]) -> Point:
    """One point per (jurisdiction, year, kind): a repeated goal counts once, the highest value."""
    return max(points, key=lambda p: (p.value or 0, -(KIND_ORDER.get(p.kind, 9)), p.target))


def checks(graph: FactGraph | SeriesIndex, indicator: str) -> list[Finding]:
    index = graph if isinstance(graph, SeriesIndex) else SeriesIndex(graph)
    cid = index.vocabulary.resolve(indicator)
    if cid is None or index.vocabulary.concepts[cid].dimension not in ("count", "amount"):
        return []
    points = [p for p in index.series(cid) if p.value is not None and p.year is not None and p.jurisdiction]
    findings = _within_jurisdiction(cid, points) + _across_levels(cid, points)
    return sorted(findings, key=lambda f: (f.jurisdiction, f.year, f.type))


def _by(points: list[Point], *keys: str) -> dict[tuple, list[Point]]:
    out: dict[tuple, list[Point]] = defaultdict(list)
    for p in points:
        out[tuple(getattr(p, k) for k in keys)].append(p)
    return out


def _within_jurisdiction(cid: str, points: list[Point]) -> list[Finding]:
    findings = []
    for (jurisdiction, unit), pts in _by(points, "jurisdiction", "unit").items():
        levels = _by([p for p in pts if p.kind in ("baseline", "cumulative")], "year")
        increments = {year: _strongest(ps) for (year,), ps in _by([p for p in pts if p.kind == "increment"],
                                                                   "year").items()}
        for goal in sorted((p for p in pts if p.kind == "cumulative"), key=_sort_key):
            earlier = [y for (y,) in levels if y < goal.year]
            if not earlier:
                continue
            prev_year = max(earlier)
            prev = _strongest(levels[(prev_year,)])
            added = [increments[y] for y in sorted(increments) if prev_year < y <= goal.year]
            expected = (prev.value or 0) + sum(p.value or 0 for p in added)
            if goal.value is not None and goal.value < expected:
                parts = f"{_num(prev.value)} ({prev.kind} {prev_year})" + "".join(
                    f" + {_num(p.value)} (increment {p.year})" for p in added)
                findings.append(Finding(
                    type="cumulative_below_previous_plus_increment", severity="contradiction", indicator=cid,
                    jurisdiction=jurisdiction, year=goal.year, kind="cumulative",
                    message=(f"{jurisdiction}: the cumulative goal for {goal.year}, {_num(goal.value)} {unit}, is below "
                             f"{parts} = {_num(expected)} {unit}"),
                    expected=_num(expected), found=_num(goal.value), unit=unit,
                    sides=[{"role": "cumulative goal", "jurisdiction": jurisdiction, "total": _num(goal.value),
                            "points": [goal.to_dict()]},
                           {"role": "previous level plus increments", "jurisdiction": jurisdiction,
                            "total": _num(expected), "points": [prev.to_dict(), *(p.to_dict() for p in added)]}]))
    return findings


def _across_levels(cid: str, points: list[Point]) -> list[Finding]:

    findings = []
    for (year, kind, unit), pts in _by([p for p in points if p.kind in ("increment", "cumulative")],
                                       "year", "kind", "unit").items():
        by_place = _by(pts, "jurisdiction")
        for (province,), province_points in by_place.items():
            region = regions.lookup(province)
            if region is None or region.level != "province":
                continue
            cities = {}
            for (place,), place_points in by_place.items():
                r = regions.lookup(place)
                if r is not None and r.level == "city" and regions.province_of(r.name) == region.name:
                    cities[r.name] = _strongest(place_points)
            if not cities:
                continue
            goal = _strongest(province_points)
            total = sum(p.value or 0 for p in cities.values())
            all_cities = {r.name for r in regions.REGIONS if r.level == "city" and r.parent == region.name}
            complete = bool(all_cities) and all_cities <= set(cities)
            if total > (goal.value or 0):
                ftype, severity, verb = "cities_exceed_province", "contradiction", "exceed"
            elif total < (goal.value or 0):
                ftype, severity, verb = "cities_short_of_province", "contradiction" if complete else "info", "fall short of"
            else:
                continue
            names = "、".join(sorted(cities))
            findings.append(Finding(
                type=ftype, severity=severity, indicator=cid, jurisdiction=region.name, year=year, kind=kind,
                message=(f"{year} {kind} goals of {len(cities)} of {len(all_cities)} cities of {region.name} ({names}) "
                         f"sum to {_num(total)} {unit} and {verb} the province's {_num(goal.value)} {unit}"),
                expected=_num(goal.value or 0), found=_num(total), unit=unit, complete=complete,
                sides=[{"role": "province goal", "jurisdiction": region.name, "total": _num(goal.value or 0),
                        "points": [goal.to_dict()]},
                       {"role": "city goals", "jurisdiction": names, "total": _num(total),
                        "points": [p.to_dict() for _, p in sorted(cities.items())]}]))
    return findings


# -- platform timelines -----------------------------------------------------------------------------

def _document_plan(graph: FactGraph, document_id: str, at: int | None) -> Node | None:
    """The plan a document is about: the plan published in it, else (news) the reported plan whose
    REPORTS_ON evidence comes last before position `at`, else the first reported plan."""
    for edge in graph.in_edges(document_id, Rel.PUBLISHED_IN):
        plan = graph.nodes.get(edge.source)
        if plan is not None and plan.type == NodeType.Plan:
            return plan
    reported = []
    for edge in graph.out_edges(document_id, Rel.REPORTS_ON):
        plan = graph.nodes.get(edge.target)
        if plan is not None and plan.type == NodeType.Plan:
            start = min((ev.start for ev in edge.evidence), default=0)
            reported.append((start, plan.id, plan))
    if not reported:
        return None
    reported.sort(key=lambda r: (r[0], r[1]))
    before = [r for r in reported if at is not None and r[0] <= at]
    return (before[-1] if before else reported[0])[2]


def _plan_ref(plan: Node | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {"id": plan.id, "title": plan.props.get("title") or plan.name,
            "jurisdiction": plan.props.get("jurisdiction"), "year": _int(plan.props.get("year"))}


def _mentions(graph: FactGraph, platform_id: str) -> list[dict[str, Any]]:
    out = []
    for edge in graph.in_edges(platform_id, Rel.MENTIONS):
        source = graph.nodes.get(edge.source)
        if source is None:
            continue
        evidence = [ev.to_dict() for ev in edge.evidence]
        if source.type == NodeType.Measure:
            plan = _plan_of(graph, source)
            leads = []
            for lead in graph.in_edges(source.id, Rel.LEADS):
                agency = graph.nodes.get(lead.source)
                if agency is not None and agency.type == NodeType.Agency:
                    leads.append({"id": agency.id, "name": agency.name,
                                  "collective": bool(agency.props.get("collective"))})
            via = "measure"
        elif source.type == NodeType.Document:
            at = min((ev.start for ev in edge.evidence), default=None)
            plan, leads, via = _document_plan(graph, source.id, at), [], "document"
        else:
            continue
        ref = _plan_ref(plan)
        out.append({"year": ref["year"] if ref else None, "plan": ref, "jurisdiction": ref["jurisdiction"] if ref else None,
                    "via": via, "source": source.id, "source_name": source.name, "leads": leads,
                    "evidence": evidence})
    out.sort(key=lambda m: (m["year"] if m["year"] is not None else 9999, m["jurisdiction"] or "", m["source"]))
    return out


def _years(mentions: list[dict]) -> tuple[int | None, int | None]:
    years = [m["year"] for m in mentions if m["year"] is not None]
    return (min(years), max(years)) if years else (None, None)


def _platform_summary(graph: FactGraph, node: Node) -> dict[str, Any]:
    mentions = _mentions(graph, node.id)
    first, last = _years(mentions)
    return {"id": node.id, "name": node.name, "first_year": first, "last_year": last,
            "jurisdictions": sorted({m["jurisdiction"] for m in mentions if m["jurisdiction"]}),
            "plans": sorted({m["plan"]["id"] for m in mentions if m["plan"]})}


def platform_timeline(graph: FactGraph, platform_id: str) -> dict[str, Any] | None:
    node = graph.nodes.get(platform_id)
    if node is None or node.type != NodeType.Platform:
        return None
    mentions = _mentions(graph, platform_id)
    first, last = _years(mentions)
    years: dict[int | None, dict[str, Any]] = {}
    for m in mentions:
        slot = years.setdefault(m["year"], {"year": m["year"], "plans": {}, "jurisdictions": set(), "agencies": {},
                                           "mentions": 0})
        slot["mentions"] += 1
        if m["plan"]:
            slot["plans"][m["plan"]["id"]] = m["plan"]
        if m["jurisdiction"]:
            slot["jurisdictions"].add(m["jurisdiction"])
        for lead in m["leads"]:
            agency = slot["agencies"].setdefault(lead["id"], {**lead, "measures": []})
            if m["source"] not in agency["measures"]:
                agency["measures"].append(m["source"])
    by_year = [{"year": s["year"], "mentions": s["mentions"], "plans": sorted(s["plans"].values(), key=lambda p: p["id"]),
                "jurisdictions": sorted(s["jurisdictions"]),
                "agencies": sorted(s["agencies"].values(), key=lambda a: a["id"])}
               for s in sorted(years.values(), key=lambda s: (s["year"] is None, s["year"] or 0))]
    places: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if not m["jurisdiction"]:
            continue
        place = places.setdefault(m["jurisdiction"], {"name": m["jurisdiction"], "years": set(), "plans": set()})
        if m["year"] is not None:
            place["years"].add(m["year"])
        if m["plan"]:
            place["plans"].add(m["plan"]["id"])
    jurisdictions = [{"name": p["name"], "first_year": min(p["years"], default=None),
                      "last_year": max(p["years"], default=None), "plans": sorted(p["plans"])}
                     for p in sorted(places.values(), key=lambda p: (min(p["years"], default=9999), p["name"]))]
    branches = []
    for edge in graph.in_edges(platform_id, Rel.BRANCH_OF):
        branch = graph.nodes.get(edge.source)
        if branch is None or branch.type != NodeType.Platform:
            continue
        summary = _platform_summary(graph, branch)
        named_in = [_plan_ref(_document_plan(graph, f"doc:{ev.document}", ev.start)) for ev in edge.evidence]
        named_years = [p["year"] for p in named_in if p and p["year"] is not None]
        if summary["first_year"] is None and named_years:
            summary["first_year"], summary["last_year"] = min(named_years), max(named_years)
        summary["evidence"] = [ev.to_dict() for ev in edge.evidence]
        summary["branches"] = len(graph.in_edges(branch.id, Rel.BRANCH_OF))
        branches.append(summary)
    branches.sort(key=lambda b: (b["first_year"] if b["first_year"] is not None else 9999, b["id"]))
    parents = [graph.nodes[e.target] for e in graph.out_edges(platform_id, Rel.BRANCH_OF) if e.target in graph.nodes]
    return {"platform": {"id": node.id, "name": node.name, "kind": node.props.get("kind"),
                         "aliases": list(node.props.get("aliases") or [])},
            "parent": _platform_summary(graph, parents[0]) if parents else None,
            "first_year": first, "last_year": last, "years": by_year, "jurisdictions": jurisdictions,
            "branches": branches, "mentions": mentions}


__all__ = ["Concept", "Vocabulary", "vocabulary", "normalise", "indicator_of", "indicator_match", "TargetLinks",
           "target_links", "split_unit", "base_value",
           "dimension_of", "Point", "SeriesIndex", "series", "Finding", "checks", "platform_timeline",
           "canonical_jurisdiction", "cypher_parameters", "VOCABULARY_FILE"]
