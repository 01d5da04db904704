"""The extraction stages put together: one SourceDocument in, its DocumentFacts out.

Stages (one module each): normalize → structure (sections, measures, unit clauses) → metadata
(plan fields, news stories) → units/agencies (roles) → platforms → targets. Positions found in the
normalised text are mapped back to the original text for every evidence span.
"""
from __future__ import annotations

import bisect
import re

from ..graph.model import DocumentFacts, Edge, Evidence, Node
from ..ontology.vocab import NodeType, Rel
from ..reference import regions
from ..reference.chinese import QUOTES, TITLE_MARKS
from . import agencies, metadata, ownership, platforms, targets, units
from .agencies import Jurisdiction
from .normalize import normalize
from .structure import LEVELS, Measure, parse_structure
from .text import MappedText, SourceDocument

SENTENCE_END_RE = re.compile(r"[。;!?\n]")


class FactBuilder:
    """Collects nodes and edges of one document; turns normalised spans into evidence."""

    def __init__(self, source: SourceDocument, norm: MappedText):
        self.source = source
        self.norm = norm
        self.text = norm.text
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self._evidence_seen: dict[tuple[str, str, str], set[Evidence]] = {}
        self._ends = [m.start() for m in SENTENCE_END_RE.finditer(self.text)]  # sorted sentence ends

    def evidence(self, start: int, end: int) -> Evidence:
        o_start, o_end = self.norm.to_original(start, end)
        return Evidence(self.source.name, o_start, o_end, self.source.original[o_start:o_end])

    def sentence(self, start: int, end: int, lo: int = 0, hi: int | None = None) -> Evidence:
        """The sentence around [start, end), kept inside [lo, hi)."""
        hi = len(self.text) if hi is None else hi
        k = bisect.bisect_left(self._ends, start)
        a = max(lo, self._ends[k - 1] + 1) if k else lo
        j = bisect.bisect_left(self._ends, end)
        if j < len(self._ends) and self._ends[j] < hi:
            b = self._ends[j] + (1 if self.text[self._ends[j]] in "。;!?" else 0)
        else:
            b = hi
        while a < b and self.text[a] in " \t\r":
            a += 1
        return self.evidence(a, b)

    def node(self, node_id: str, node_type: str, name: str, **props) -> Node:
        known = self.nodes.get(node_id)
        if known is None:
            known = self.nodes[node_id] = Node(node_id, node_type, name, {})
        for key, value in props.items():
            if isinstance(value, list):
                current = known.props.setdefault(key, [])
                current.extend(v for v in value if v not in current and v != known.name)
            elif value is not None and known.props.get(key) in (None, ""):
                known.props[key] = value
        return known

    def edge(self, source: str, edge_type: str, target: str, evidence: Evidence | None, **props) -> Edge:
        key = (source, edge_type, target)
        known = self.edges.get(key)
        if known is None:
            known = self.edges[key] = Edge(source, target, edge_type, dict(props), [])
            self._evidence_seen[key] = set()
        if evidence is not None and evidence not in self._evidence_seen[key]:
            self._evidence_seen[key].add(evidence)
            known.evidence.append(evidence)
        return known

    def claim_owner(self, agency_id: str, platform_id: str, basis: str, evidence: list[Evidence],
                    measure: str | None, year: int | None) -> None:
        """One OWNS edge per (agency, platform) of this document, with every basis and span that supports it."""
        props = {"basis": basis, "bases": [basis], "confidence": ownership.CONFIDENCE[basis],
                 "documents": [self.source.name], "years": [year] if year else [],
                 "measures": [measure] if measure else []}
        edge = self.edges.get((agency_id, Rel.OWNS, platform_id))
        if edge is not None:
            known = edge.props
            if ownership.BASES.index(basis) < ownership.BASES.index(known["basis"]):
                known["basis"], known["confidence"] = basis, props["confidence"]
            known["bases"] = sorted(set(known["bases"]) | {basis}, key=ownership.BASES.index)
            if measure and measure not in known["measures"]:
                known["measures"].append(measure)
        for ev in evidence:
            self.edge(agency_id, Rel.OWNS, platform_id, ev, **props)

    def facts(self) -> DocumentFacts:
        return DocumentFacts(self.source.name, list(self.nodes.values()), list(self.edges.values()))


def plan_id(jurisdiction: str | None, title: str) -> str:
    return f"plan:{jurisdiction or '-'}:{_plain(title)}"


def _plain(s: str) -> str:
    return re.sub(rf"[\s{QUOTES}{TITLE_MARKS}]", "", s)


def extract(source: SourceDocument) -> DocumentFacts:
    norm = normalize(source.view)
    b = FactBuilder(source, norm)
    text = norm.text
    doc_id = f"doc:{source.name}"
    b.node(doc_id, NodeType.Document, source.name, file=source.name, format=source.format, encoding=source.encoding)
    structure = parse_structure(text)
    first_numbered = min([s.start for s in structure.sections] + [m.item.start for m in structure.measures]
                         + [len(text)])
    has_clauses = any(m.clauses for m in structure.measures) or bool(structure.clauses)
    info = metadata.parse_plan_info(text, first_numbered if first_numbered < len(text) else 0)
    news = metadata.is_news(text, has_clauses, info.doc_number is not None)
    b.nodes[doc_id].props["genre"] = "news" if news else "plan"
    if news:
        _extract_news(b, doc_id)
    else:
        _extract_plan(b, doc_id, structure, info)
    return b.facts()


# -- plans -------------------------------------------------------------------------------------------
def _extract_plan(b: FactBuilder, doc_id: str, structure, info: metadata.PlanInfo) -> None:
    text = b.text
    where = Jurisdiction.of(info.jurisdiction)
    title = info.title  # never the file name: a plan whose title the text does not give has none
    pid = plan_id(info.jurisdiction, title or b.source.name)
    # the plan is evidenced by its title, or, when the text gives none, by what else names it
    named_by = next((sp for sp in (info.title_span, info.doc_number_span, info.issuer_span, info.issued_span) if sp),
                    None)
    title_ev = b.evidence(named_by.start, named_by.end) if named_by else None
    b.node(pid, NodeType.Plan, title or b.source.name, document=b.source.name, title=title, doc_number=info.doc_number,
           issued=info.issued, jurisdiction=info.jurisdiction, year=info.year)
    b.nodes[doc_id].props["title"] = title
    b.edge(pid, Rel.PUBLISHED_IN, doc_id, title_ev)
    if info.jurisdiction:
        region_id = _region(b, info.jurisdiction)
        b.edge(pid, Rel.IN_REGION, region_id, title_ev)
    if info.issuer:
        issuer = agencies.resolve(info.issuer, where)
        if issuer:
            aid = _agency(b, issuer)
            ev = b.evidence(info.issuer_span.start, info.issuer_span.end) if info.issuer_span else title_ev
            b.edge(pid, Rel.ISSUED_BY, aid, ev)
    for span in info.implements:
        jur = metadata.plan_jurisdiction_for_title(span.text, info.jurisdiction)
        other = plan_id(jur, span.text)
        if other != pid:
            b.node(other, NodeType.Plan, _plain(span.text), title=_plain(span.text), jurisdiction=jur,
                   year=_year_of(span.text))
            b.edge(pid, Rel.IMPLEMENTS, other, b.sentence(span.start, span.end))

    section_ids: dict[int, str] = {}
    for k, sec in enumerate(structure.sections, 1):
        sid = f"section:{b.source.name}#{k}"
        section_ids[sec.start] = sid
        heading = text[sec.body_start:sec.end].strip()
        heading = re.split(r"[。]", heading)[0][:60]
        b.node(sid, NodeType.Section, f"{sec.number} {heading}".strip(), document=b.source.name, number=sec.number,
               title=heading, level=sec.level)
    for sec in structure.sections:
        parent = None
        for other in structure.sections:
            if other.start < sec.start and _outer(other.level, sec.level):
                parent = other
        target = section_ids[parent.start] if parent else pid
        b.edge(section_ids[sec.start], Rel.PART_OF, target, b.evidence(sec.start, sec.end))

    brands = platforms.known_brands(text)
    standing = units.find_standing(text, 0, len(text))
    outside = [(0, structure.measures[0].item.start if structure.measures else len(text))]
    for seq, measure in enumerate(structure.measures, 1):
        _extract_measure(b, pid, seq, measure, where, info, section_ids,
                         [s for s in standing if s.end <= measure.item.start], brands)
        if seq < len(structure.measures):
            outside.append((measure.end, structure.measures[seq].item.start))
    # platforms named outside measures (preamble, headings)
    for lo, hi in outside:
        if hi > lo:
            found, _ = platforms.find_mentions(text, lo, hi, brands)
            for pm in _owned_mentions(found):
                pl = _platform(b, pm, where)
                b.edge(doc_id, Rel.MENTIONS, pl, b.sentence(pm.start, pm.end, lo, hi))
                _stated_owners(b, pm, pl, lo, hi, where, None, info.year)


def _outer(a: str, b_level: str) -> bool:

    return LEVELS.index(a) < LEVELS.index(b_level)


def _year_of(s: str) -> int | None:
    m = re.search(r"(20\d{2})", s)
    return int(m.group(1)) if m else None


def _region(b: FactBuilder, name: str) -> str:
    region = regions.lookup(name)
    rid = f"region:{name}"
    b.node(rid, NodeType.Region, name, level=region.level if region else None,
           parent=(region.parent or None) if region else None,
           division_code=region.code if region else None)
    return rid


def _agency(b: FactBuilder, agency: agencies.AgencyName) -> str:
    aid = f"agency:{agencies.agency_key(agency.name)}"
    aliases = [a for a in (agency.printed, *agency.other_names) if a != agency.name]
    b.node(aid, NodeType.Agency, agency.name, collective=agency.collective, kind=agency.kind, aliases=aliases)
    return aid


def _platform(b: FactBuilder, pm: platforms.PlatformMention, where: Jurisdiction | None) -> str:
    def level(marker: str) -> str | None:
        return where.full_for(marker) if where else None

    who = platforms.identify(pm, where.name if where else None, level)
    names = [pm.printed, pm.canonical, *pm.aliases]
    aliases = list(dict.fromkeys(a for a in (_unquoted(x) for x in names) if a and a != who.name))
    b.node(who.node_id, NodeType.Platform, who.name, kind=pm.kind, aliases=aliases, jurisdiction=who.jurisdiction,
           concept=who.concept)
    if pm.parent:
        parent = platforms.identify(platforms.PlatformMention(pm.parent, pm.parent, pm.start, pm.end, pm.kind,
                                                              quoted=True), where.name if where else None, level)
        b.node(parent.node_id, NodeType.Platform, parent.name, kind=pm.kind, aliases=[],
               jurisdiction=parent.jurisdiction, concept=parent.concept)
        b.edge(who.node_id, Rel.BRANCH_OF, parent.node_id, b.sentence(pm.start, pm.end))
    return who.node_id


def _owned_mentions(found: list[platforms.PlatformMention]) -> list[platforms.PlatformMention]:
    """The mentions that can be owned: a parent printed inside its branch's name (“爱山东”滨州分厅) is not."""
    branches = [pm for pm in found if pm.parent]
    return [pm for pm in found if not any(br is not pm and br.parent == pm.canonical and br.start <= pm.start
                                              and pm.end <= br.end for br in branches)]


def _stated_owners(b: FactBuilder, pm: platforms.PlatformMention, platform_id: str, lo: int, hi: int,
                   where: Jurisdiction | None, measure: str | None, year: int | None) -> None:
    for st in ownership.stated_owners(b.text, pm.start, pm.end, lo, hi, pm.owner_printed):
        agency = agencies.resolve(st.printed, where)
        if agency is not None and not agency.collective:
            b.claim_owner(_agency(b, agency), platform_id, st.basis, [b.evidence(st.span.start, st.span.end)],
                          measure, year)


def _unquoted(s: str) -> str:
    return re.sub(rf"[{QUOTES}]", "", s).strip()


def _initiative(b: FactBuilder, im: platforms.InitiativeMention) -> str:
    iid = f"initiative:{_plain(im.name)}"
    aliases = [im.printed] if im.printed != im.name else []
    b.node(iid, NodeType.Initiative, _plain(im.name), kind=im.kind, aliases=aliases)
    return iid


def _extract_measure(b: FactBuilder, pid: str, seq: int, measure: Measure, where: Jurisdiction | None,
                     info: metadata.PlanInfo, section_ids: dict[int, str], standing: list,
                     brands: dict[str, str]) -> None:
    text = b.text
    mid = f"measure:{b.source.name}#{seq}"
    body = text[measure.text_start:measure.text_end].strip()
    o_start, o_end = b.norm.to_original(measure.item.start, measure.end)
    b.node(mid, NodeType.Measure, f"{measure.item.number} {body[:40]}".strip(), document=b.source.name,
           number=measure.item.number, text=body, seq=seq,
           section=measure.section.number if measure.section else None, start=o_start, end=o_end)
    head_end = min(measure.text_end, measure.text_start + 60)
    b.edge(mid, Rel.PART_OF, pid, b.sentence(measure.text_start, head_end, measure.text_start, measure.text_end))
    if measure.section is not None:
        b.edge(mid, Rel.IN_SECTION, section_ids[measure.section.start], b.evidence(measure.section.start,
                                                                               measure.section.end))
    named: dict[str, list[tuple[str, Evidence]]] = {units.LEADS: [], units.RESPONSIBLE_FOR: []}
    for clause in measure.clauses:
        inherit = None
        clause_ev = b.evidence(clause.start, clause.end)
        if clause.role:  # a table column names the role of every agency in the cell
            roles = units.named_roles(clause.content, clause.role, clause.content_start)
        else:
            roles = units.parse_clause(clause.content, clause.content_start)
        for role in roles:
            agency = agencies.resolve(role.printed, where, inherit)
            if agency is None:
                continue
            inherit = agencies.jurisdiction_prefix(role.printed) or inherit
            aid = _agency(b, agency)
            b.edge(aid, role.role, mid, clause_ev)
            if not agency.collective and all(aid != a for a, _ in named[role.role]):
                named[role.role].append((aid, clause_ev))
    for clause in standing:
        if clause.unless_listed and measure.clauses:
            continue
        ev = b.evidence(clause.start, clause.end)
        for name, _, _ in units.split_names(clause.units, 0):
            agency = agencies.resolve(name, where)
            if agency:
                b.edge(_agency(b, agency), units.RESPONSIBLE_FOR, mid, ev)
    found, initiatives = platforms.find_mentions(text, measure.text_start, measure.text_end, brands)
    lo, hi = measure.text_start, measure.text_end
    head_hi = ownership.subject_head(text, lo, hi)
    spans = [(pm.start, pm.end) for pm in found]
    leads = named[units.LEADS]
    owners = leads or (named[units.RESPONSIBLE_FOR] if len(named[units.RESPONSIBLE_FOR]) <= 2 else [])
    owned = _owned_mentions(found)
    for pm in owned:
        pl = _platform(b, pm, where)
        sentence = b.sentence(pm.start, pm.end, lo, hi)
        b.edge(mid, Rel.MENTIONS, pl, sentence)
        if owners and ownership.is_subject(text, pm.start, pm.end, lo, head_hi, spans):
            for aid, clause_ev in owners:
                b.claim_owner(aid, pl, "measure_subject", [sentence, clause_ev], mid, info.year)
        _stated_owners(b, pm, pl, lo, hi, where, mid, info.year)
    for pm in found:
        if pm not in owned:  # a parent named inside its branch's name: mentioned, not built
            b.edge(mid, Rel.MENTIONS, _platform(b, pm, where), b.sentence(pm.start, pm.end, lo, hi))
    for im in initiatives:
        b.edge(mid, Rel.MENTIONS, _initiative(b, im), b.sentence(im.start, im.end, measure.text_start,
                                                              measure.text_end))
    for k, tm in enumerate(targets.find_targets(text, measure.text_start, measure.text_end, info.year), 1):
        tid = f"target:{b.source.name}#{seq}.{k}"
        _target(b, tid, tm, info.jurisdiction, info.year)
        b.edge(mid, Rel.SETS_TARGET, tid, b.sentence(tm.start, tm.end, measure.text_start, measure.text_end))


def _target(b: FactBuilder, tid: str, tm: targets.TargetMention, jurisdiction: str | None, year: int | None) -> None:
    b.node(tid, NodeType.Target, f"{tm.indicator} {tm.value}{tm.unit}".strip(), value=tm.value, unit=tm.unit,
           indicator=tm.indicator, qualifier=tm.qualifier, kind=tm.kind, deadline=tm.deadline,
           year=tm.deadline or year, jurisdiction=jurisdiction, document=b.source.name)


# -- news ----------------------------------------------------------------------------------------------
def _extract_news(b: FactBuilder, doc_id: str) -> None:
    text = b.text
    brands = platforms.known_brands(text)
    for n, story in enumerate(metadata.split_stories(text), 1):
        jur = metadata.story_jurisdiction(text, story)
        where = Jurisdiction.of(jur)
        year = _year_of(text[story.start:story.end])
        plan_ids = []
        for span in metadata.reported_plans(text, story):
            pjur = metadata.plan_jurisdiction_for_title(span.text, jur) if not metadata.region_of(span.text) else \
                metadata.region_of(span.text)
            pid = plan_id(pjur, span.text)
            b.node(pid, NodeType.Plan, _plain(span.text), document=b.source.name, title=_plain(span.text),
                   jurisdiction=pjur, year=_year_of(span.text) or year)
            ev = b.sentence(span.start, span.end, story.start, story.end)
            b.edge(doc_id, Rel.REPORTS_ON, pid, ev)
            plan_ids.append((pid, span))
        for a_start, a_end, printed in agencies.find_mentions(text, story.start, story.end):
            agency = agencies.resolve(printed, where)
            if agency is None:
                continue
            aid = _agency(b, agency)
            ev = b.sentence(a_start, a_end, story.start, story.end)
            b.edge(doc_id, Rel.MENTIONS, aid, ev)
            for pid, span in plan_ids:  # 'X印发《…》': X issued the plan
                between = text[a_end:span.start]
                if 0 <= span.start - a_end <= 12 and metadata.PUBLISH_VERB.search(between):
                    b.edge(pid, Rel.ISSUED_BY, aid, ev)
        found, initiatives = platforms.find_mentions(text, story.start, story.end, brands)
        owned = _owned_mentions(found)
        for pm in found:
            pl = _platform(b, pm, where)
            b.edge(doc_id, Rel.MENTIONS, pl, b.sentence(pm.start, pm.end, story.start, story.end))
            if pm in owned:
                _stated_owners(b, pm, pl, story.start, story.end, where, None, year)
        for im in initiatives:
            b.edge(doc_id, Rel.MENTIONS, _initiative(b, im), b.sentence(im.start, im.end, story.start, story.end))
        if not plan_ids:
            continue
        owner = plan_ids[0][0]
        for k, tm in enumerate(targets.find_targets(text, story.start, story.end, year), 1):
            tid = f"target:{b.source.name}#s{n}.{k}"
            _target(b, tid, tm, jur, year)
            ev = b.sentence(tm.start, tm.end, story.start, story.end)
            b.edge(owner, Rel.SETS_TARGET, tid, ev)
            b.edge(doc_id, Rel.MENTIONS, tid, ev)
