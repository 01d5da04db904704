"""Corpus-level edges computed from the merged facts (ownership; later: lineage).

Ownership: `Agency -OWNS-> Platform`, with
  props.basis       the strongest reason (see BASES, strongest first)
  props.bases       every reason found
  props.confidence  0..1: the strongest reason, raised a little by other reasons and documents (see _combine)
  props.measures    the measures the reasons rest on (ids)
  evidence          the spans of the underlying edges (LEADS, MENTIONS, BRANCH_OF)

Reasons:
  explicit_statement      an evidence span (or a measure's text) says 由<agency>建设/运营/负责 … about the platform
  leads_measure_building  the agency LEADS a measure whose clause around the platform mention has a
                          build/run verb (建设, 上线, 运营, 完善 …) and does not merely use it (依托, 对接 …)
  parent_of_branch        the agency owns the parent platform of a BRANCH_OF (the branch runs on its system)
  leads_measure_mentioning the agency LEADS a measure that mentions the platform without such a verb

Several agencies may own one platform; all are kept. Collective agencies (props.collective) never own.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .factgraph import FactGraph
from .model import Edge, Evidence, Node

BASES = ("explicit_statement", "leads_measure_building", "parent_of_branch", "leads_measure_mentioning")

# confidence of one piece of support, by reason; "shared" when the measure has several lead agencies
CONFIDENCE = {
    "explicit_statement": 0.9,
    "leads_measure_building": 0.75,
    "leads_measure_building_shared": 0.6,
    "leads_measure_mentioning": 0.35,
    "leads_measure_mentioning_shared": 0.25,
}
PARENT_FACTOR = 0.6  # a branch's inherited owner: the parent owner's confidence times this
MAX_CONFIDENCE = 0.97

BUILD_VERBS = ("建设", "建成", "新建", "上线", "运营", "运维", "升级", "完善", "打造", "推进", "搭建", "构建",
               "开发", "优化", "提升", "迭代", "整合", "改造", "部署", "扩容", "开通", "研发")
USE_CUES = ("依托", "对接", "接入", "利用", "用好", "借助", "基于", "通过", "使用", "应用好", "融通", "配合")
CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
EXPLICIT = re.compile(
    r"由(?P<who>[^，,。；;：:！!？?\n由]{2,40}?)(?:牵头|统一|共同|具体|主要)*"
    r"(?:负责)?(?P<verb>建设|承建|运营|运维|管理|开发|维护|主办|负责|建成)")
AGENCY_SPLIT = re.compile(r"[、和及与,，]")
QUOTES = re.compile(r"[“”\"'‘’「」『』《》〈〉【】\s]")


@dataclass
class _Support:
    basis: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    measure: str | None = None


def derive_edges(graph: FactGraph) -> list[Edge]:
    from .counterparts import counterpart_edges  # COUNTERPART_OF (graph/counterparts.py)
    from .lineage import lineage_edges  # measure lineage: SIMILAR_TO, DERIVED_FROM (graph/lineage.py)
    return lineage_edges(graph) + counterpart_edges(graph)


# -- ownership ---------------------------------------------------------------------------------

def derive_ownership(graph: FactGraph) -> list[Edge]:
    supports: dict[tuple[str, str], list[_Support]] = defaultdict(list)
    platforms = {n.id: n for n in graph.nodes.values() if n.type == "Platform"}
    agencies = {n.id: n for n in graph.nodes.values() if n.type == "Agency" and not is_collective(n)}
    if not platforms or not agencies:
        return []
    _from_leads(graph, platforms, agencies, supports)
    _from_statements(graph, platforms, agencies, supports)
    _from_branches(graph, platforms, agencies, supports)
    return [_edge(agency, platform, found) for (agency, platform), found in sorted(supports.items())]


def is_collective(node: Node) -> bool:
    value = node.props.get("collective")
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1", "yes"))


def surface_forms(node: Node) -> list[str]:
    """The names a node goes by, longest first, without quotes."""
    forms = {node.name}
    aliases = node.props.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    forms.update(a for a in aliases if isinstance(a, str))
    cleaned = {QUOTES.sub("", f) for f in forms}
    return sorted((f for f in cleaned if len(f) >= 2), key=lambda f: (-len(f), f))


def _clean(text: str) -> str:
    return QUOTES.sub("", text)


def _mention_clauses(text: str, forms: list[str], extra: list[str]) -> list[tuple[str, int]]:
    """(clause, position of the mention inside the clause) for each mention of the platform in text."""
    found = []
    for form in [*forms, *extra]:
        if not form:
            continue
        start = 0
        while (at := text.find(form, start)) >= 0:
            left = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)), default=0)
            right_match = CLAUSE_BREAK.search(text, at + len(form))
            right = right_match.start() if right_match else len(text)
            found.append((text[left:right], at - left))
            start = at + len(form)
        if found:
            break
    return found


def builds_in(text: str, forms: list[str], extra: list[str]) -> bool:
    """True when a clause that mentions the platform has a build/run verb and no use-only cue before it."""
    clean = _clean(text)
    for clause, at in _mention_clauses(clean, [_clean(f) for f in forms], [_clean(e) for e in extra]):
        if any(cue in clause[:at] for cue in USE_CUES):
            continue
        if any(verb in clause for verb in BUILD_VERBS):
            return True
    return False


def _from_leads(graph, platforms, agencies, supports) -> None:
    for (source, etype, target), mention in graph.edges.items():
        if etype != "MENTIONS" or target not in platforms:
            continue
        measure = graph.nodes.get(source)
        if measure is None or measure.type != "Measure":
            continue
        leads = [e for e in graph.in_edges(source, "LEADS") if e.source in agencies]
        if not leads:
            continue
        text = str(measure.props.get("text") or measure.name or "")
        mention_texts = [ev.text for ev in mention.evidence if len(ev.text) <= 40]
        # "建设爱山东滨州分厅" builds the branch, not 爱山东: hide the names of mentioned branches
        for branch in graph.in_edges(target, "BRANCH_OF"):
            if branch.source in platforms and graph.edges.get((source, "MENTIONS", branch.source)) is not None:
                for form in surface_forms(platforms[branch.source]):
                    text = _clean(text).replace(_clean(form), "□" * len(_clean(form)))
                mention_texts = [m for m in mention_texts if _clean(m) not in
                                 {_clean(f) for f in surface_forms(platforms[branch.source])}]
        building = builds_in(text, surface_forms(platforms[target]), mention_texts)
        shared = len(leads) > 1
        basis = "leads_measure_building" if building else "leads_measure_mentioning"
        confidence = CONFIDENCE[basis + ("_shared" if shared else "")]
        for lead in leads:
            supports[(lead.source, target)].append(
                _Support(basis, confidence, [*lead.evidence, *mention.evidence], source))


def _agency_forms(agency: Node) -> list[str]:
    """Full name, aliases and the name without its jurisdiction (滨州市大数据局 -> 市大数据局)."""
    forms = set(surface_forms(agency))
    jurisdiction = str(agency.props.get("jurisdiction") or "")
    for form in list(forms):
        if jurisdiction and form.startswith(jurisdiction) and len(form) > len(jurisdiction) + 1:
            level = jurisdiction[-1] if jurisdiction[-1] in "省市县区州盟旗" else ""
            forms.add(level + form[len(jurisdiction):])
    return sorted(forms, key=lambda f: (-len(f), f))


def _resolve_agencies(who: str, candidates: list[Node], agencies: dict[str, Node]) -> list[str]:
    """Agency ids named by `who` (one name or several joined by 、和及与), among the candidates
    first (agencies the same document names), then by full name or alias anywhere."""
    found = []
    for part in AGENCY_SPLIT.split(_clean(who)):
        part = part.strip()
        if len(part) < 2:
            continue
        hit = next((a.id for a in candidates if part in _agency_forms(a)), None)
        if hit is None:
            hit = next((a.id for a in agencies.values() if part in surface_forms(a)), None)
        if hit is not None and hit not in found:
            found.append(hit)
    return found


def _statement_sources(graph, platforms) -> list[tuple[str, str, str, list[Evidence], str | None]]:
    """(platform id, document, text, evidence, measure id) tuples to look for 由X建设 in: every evidence span of
    an edge that mentions a platform, and the text of a measure that mentions it."""
    out = []
    for (source, etype, target), mention in graph.edges.items():
        if etype != "MENTIONS" or target not in platforms:
            continue
        for ev in mention.evidence:
            if "由" in ev.text:
                measure = source if graph.nodes.get(source, Node("", "", "")).type == "Measure" else None
                out.append((target, ev.document, ev.text, [ev], measure))
        node = graph.nodes.get(source)
        if node is not None and node.type == "Measure":
            text = str(node.props.get("text") or "")
            if "由" in text and not any(ev.text == text for ev in mention.evidence):
                doc = str(node.props.get("document") or (mention.evidence[0].document if mention.evidence else ""))
                out.append((target, doc, text, list(mention.evidence), source))
    return out


def _from_statements(graph, platforms, agencies, supports) -> None:
    doc_agencies: dict[str, list[Node]] = defaultdict(list)
    for agency in agencies.values():
        for doc in graph.node_documents.get(agency.id, ()):
            doc_agencies[doc].append(agency)
    for platform_id, document, text, evidence, measure in _statement_sources(graph, platforms):
        clean = _clean(text)
        forms = [_clean(f) for f in surface_forms(platforms[platform_id])]
        for match in EXPLICIT.finditer(clean):
            # the statement must be about this platform: it is named in the same sentence
            left = max((m.end() for m in re.finditer(r"[。；;！!？?\n]", clean[:match.start()])), default=0)
            right_match = re.search(r"[。；;！!？?\n]", clean[match.end():])
            sentence = clean[left: match.end() + (right_match.start() if right_match else len(clean))]
            if not any(form in sentence for form in forms):
                continue
            for agency_id in _resolve_agencies(match.group("who"), doc_agencies.get(document, []), agencies):
                supports[(agency_id, platform_id)].append(
                    _Support("explicit_statement", CONFIDENCE["explicit_statement"], list(evidence), measure))


def _combine(found: list[_Support]) -> float:
    """The strongest support, raised a little by other kinds of reason (+0.05 each) and by the same
    reason found again in other documents (+0.02 each, at most +0.1): a corpus that repeats one weak
    hint a hundred times must not make it a strong one."""
    if not found:
        return 0.0
    best = max(s.confidence for s in found)
    other_bases = len({s.basis for s in found}) - 1
    documents = {s.evidence[0].document for s in found if s.evidence}  # where each support was found
    repeated = min(0.1, 0.02 * max(0, len(documents) - 1))
    return round(min(MAX_CONFIDENCE, best + 0.05 * other_bases + repeated), 3)


def _from_branches(graph, platforms, agencies, supports) -> None:
    """Owners of a parent platform also own its branches (less surely), transitively."""
    # only owners with a real reason (a statement or building it) pass ownership down to branches
    owners_of: dict[str, dict[str, float]] = defaultdict(dict)
    for (agency, platform), found in supports.items():
        strong = [s for s in found if s.basis in ("explicit_statement", "leads_measure_building")]
        if strong:
            owners_of[platform][agency] = _combine(strong)
    branch_edges = [e for e in graph.edges.values()
                    if e.type == "BRANCH_OF" and e.source in platforms and e.target in platforms]
    # parents before children: repeat until nothing changes (chains are short; cycles stop at the bound)
    for _ in range(4):
        changed = False
        for branch in branch_edges:
            for agency, parent_conf in list(owners_of.get(branch.target, {}).items()):
                inherited = round(parent_conf * PARENT_FACTOR, 3)
                key = (agency, branch.source)
                have = [s for s in supports[key] if s.basis == "parent_of_branch"]
                if have and have[0].confidence >= inherited:
                    continue
                parent_evidence = [ev for s in supports.get((agency, branch.target), []) for ev in s.evidence]
                support = _Support("parent_of_branch", inherited, [*branch.evidence, *parent_evidence])
                supports[key] = [s for s in supports[key] if s.basis != "parent_of_branch"] + [support]
                owners_of[branch.source][agency] = max(owners_of[branch.source].get(agency, 0.0), inherited)
                changed = True
        if not changed:
            break
    for key in [k for k, v in supports.items() if not v]:
        del supports[key]


def _edge(agency: str, platform: str, found: list[_Support]) -> Edge:
    bases = sorted({s.basis for s in found}, key=BASES.index)
    evidence: list[Evidence] = []
    seen: set[Evidence] = set()
    for support in sorted(found, key=lambda s: (BASES.index(s.basis), -s.confidence)):
        for ev in support.evidence:
            if ev not in seen:
                seen.add(ev)
                evidence.append(ev)
    measures = sorted({s.measure for s in found if s.measure})
    props = {"basis": bases[0], "bases": bases, "confidence": _combine(found), "measures": measures,
             "derived": True}
    return Edge(agency, platform, "OWNS", props, evidence)
