"""Read-only questions over one build's fact graph: the library core behind the REST API.

Every function takes a `GraphIndex` (one per build, cheap to keep: see `index_for`) and returns
plain dicts and lists, so the web layer only validates parameters and serialises. Node ids are
the fact ids of docs/architecture.md (`agency:滨州市大数据局`, `measure:002.txt#2` …).
"""
from __future__ import annotations

import re
import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from ..ontology.vocab import NodeType, Rel
from ..reference.chinese import QUOTES, TITLE_MARKS, to_simplified
from .agency_functions import function_labels
from .factgraph import FactGraph
from .model import Edge, Node
from .search import NewsSentence, SearchIndex, pinyin_forms, sentences, short_forms
from .store import Build

SEARCH_TYPES = (NodeType.Platform, NodeType.Agency, NodeType.Initiative, NodeType.Plan, NodeType.Measure)
TYPE_WEIGHT = {NodeType.Platform: 5, NodeType.Agency: 4, NodeType.Initiative: 3, NodeType.Plan: 2, NodeType.Measure: 1}
MAX_DEPTH = 3
MAX_NODES = 500
# neighbours of a hub are taken in this order of edge type when the node cap cuts them
EDGE_PRIORITY = {t: i for i, t in enumerate((
    Rel.OWNS, Rel.BRANCH_OF, Rel.ISSUED_BY, Rel.LEADS, Rel.RESPONSIBLE_FOR, Rel.IMPLEMENTS, Rel.PUBLISHED_IN,
    Rel.REPORTS_ON, Rel.SETS_TARGET, Rel.PART_OF, Rel.IN_SECTION, Rel.IN_REGION, Rel.MENTIONS, Rel.DERIVED_FROM,
    Rel.SIMILAR_TO))}
_DROP = re.compile(rf"[\s{QUOTES}{TITLE_MARKS}·]")

def normalize(text: str) -> str:
    """Simplified, lower case, without whitespace, quotes or book-title marks: what search compares."""
    return _DROP.sub("", to_simplified(text or "")).lower()


# -- small views ---------------------------------------------------------------------------

def node_ref(node: Node | None, node_id: str = "") -> dict[str, Any]:
    if node is None:
        return {"id": node_id, "type": None, "name": node_id}
    return {"id": node.id, "type": node.type, "name": node.name}


def node_view(node: Node) -> dict[str, Any]:
    return {"id": node.id, "type": node.type, "name": node.name, "props": node.props}


def edge_id(edge: Edge) -> str:
    return f"{edge.source}|{edge.type}|{edge.target}"


MAX_EDGES = 2000
GRAPH_EVIDENCE = 0  # spans per edge in graph views (evidence_total counts them); /api/edge lists them
OWNERSHIP_EVIDENCE = 20  # spans per ownership in agency and platform views


def evidence_view(edge: Edge, limit: int | None = None) -> list[dict[str, Any]]:
    spans = edge.evidence if limit is None else edge.evidence[:limit]
    return [ev.to_dict() for ev in spans]


def edge_view(edge: Edge, max_evidence: int | None = None) -> dict[str, Any]:
    """An edge with its evidence (the first max_evidence spans; evidence_total counts them all).
    A derived edge over a large corpus can rest on hundreds of spans."""
    return {"id": edge_id(edge), "source": edge.source, "target": edge.target, "type": edge.type,
            "props": {k: v for k, v in edge.props.items() if k != "evidence"},
            "evidence": evidence_view(edge, max_evidence), "evidence_total": len(edge.evidence)}


def year_of(node: Node | None) -> int | None:
    """A plan's year: props.year, else the year of props.issued (ISO date)."""
    if node is None:
        return None
    for key in ("year", "issued"):
        value = node.props.get(key)
        if value in (None, ""):
            continue
        match = re.match(r"\s*(\d{4})", str(value))
        if match:
            return int(match.group(1))
    return None


def page(items: list, limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset: offset + limit]}


def _number_key(value: Any) -> tuple:
    text = str(value or "")
    match = re.search(r"\d+", text)
    return (int(match.group()) if match else 10**9, text)


# -- the per-build index -------------------------------------------------------------------

class GraphIndex:
    """Lookups over one build, computed on first use."""

    def __init__(self, build: Build | None = None, graph: FactGraph | None = None):
        self.build = build
        self.graph = graph if graph is not None else build.graph()  # type: ignore[union-attr]
        self.warm = False

    def warm_up(self) -> None:
        """Compute every lookup now (the web layer does this off the event loop)."""
        self.graph.out_edges("")
        for name in ("_by_type", "search_entries", "search_index", "snippet_texts", "plan_of_measure",
                     "plan_of_document", "edges_by_document", "meta", "search_cache"):
            getattr(self, name)
        self.warm = True

    @cached_property
    def meta(self) -> dict[str, Any]:
        node_types: dict[str, int] = defaultdict(int)
        for node in self.graph.nodes.values():
            node_types[node.type] += 1
        edge_types: dict[str, int] = defaultdict(int)
        for edge in self.graph.edges.values():
            edge_types[edge.type] += 1
        return {"build": self.build.path.name if self.build is not None else "",
                "documents": len(self.graph.documents),
                "node_types": dict(sorted(node_types.items())), "edge_types": dict(sorted(edge_types.items()))}

    def node(self, node_id: str) -> Node | None:
        return self.graph.nodes.get(node_id)

    def ref(self, node_id: str) -> dict[str, Any]:
        return node_ref(self.graph.nodes.get(node_id), node_id)

    def of_type(self, node_type: str) -> list[Node]:
        return self._by_type.get(node_type, [])

    @cached_property
    def _by_type(self) -> dict[str, list[Node]]:
        out: dict[str, list[Node]] = defaultdict(list)
        for node in self.graph.nodes.values():
            out[node.type].append(node)
        for nodes in out.values():
            nodes.sort(key=lambda n: (n.name, n.id))
        return out

    @cached_property
    def search_entries(self) -> list[tuple[Node, str, list[str], str]]:
        """(node, normalised name, normalised aliases, normalised text) for every searchable node.
        The aliases include the short forms people write (see `short_forms`)."""
        entries = []
        for node_type in SEARCH_TYPES:
            for node in self.of_type(node_type):
                aliases = node.props.get("aliases") or []
                if isinstance(aliases, str):
                    aliases = [aliases]
                names = [normalize(a) for a in aliases if isinstance(a, str)]
                title = node.props.get("title")
                if isinstance(title, str) and title != node.name:
                    names.append(normalize(title))
                name = normalize(node.name)
                names.extend(normalize(f) for f in short_forms(node, self.region_names))
                names = [n for n in dict.fromkeys(names) if n and n != name]
                text = normalize(str(node.props.get("text") or "")) if node_type == NodeType.Measure else ""
                entries.append((node, name, names, text))
        return entries

    @cached_property
    def region_names(self) -> set[str]:
        """Names of the build's regions and jurisdictions (for the short forms of agency names)."""
        names = {node.name for node in self.of_type(NodeType.Region)}
        for node_type in (NodeType.Plan, NodeType.Agency):
            names.update(str(n.props["jurisdiction"]) for n in self.of_type(node_type) if n.props.get("jurisdiction"))
        return names

    @cached_property
    def search_index(self) -> SearchIndex:
        """The build's FTS5 index (graph/search.py), written into the build folder on first use."""
        entries = self.search_entries
        return SearchIndex.open_or_build(
            self.build.path if self.build is not None else None,
            [node.id for node, *_ in entries],
            [(node.type, [name, *aliases, text]) for node, name, aliases, text in entries],
            self.news_sentences, normalize)

    @cached_property
    def news_sentences(self) -> list[NewsSentence]:
        """The sentences of the build's news reports (their text is searchable, not only their facts)."""
        if self.build is None:
            return []
        out = []
        for node in self.of_type(NodeType.Document):
            if node.props.get("genre") != "news":
                continue
            document = str(node.props.get("file") or node.name)
            text = self.build.original_text(document)
            for start, end, sentence in sentences(text or ""):
                out.append(NewsSentence(document, node.id, start, end, sentence))
        return out

    @cached_property
    def fuzzy_names(self) -> dict[str, list[int]]:
        """Normalised name or alias -> the entries carrying it (what a one-character typo is compared with)."""
        out: dict[str, list[int]] = defaultdict(list)
        for i, (node, name, aliases, _text) in enumerate(self.search_entries):
            if node.type == NodeType.Measure:
                continue
            for value in (name, *aliases):
                if len(value) >= 2:
                    out[value].append(i)
        return dict(out)

    @cached_property
    def fuzzy_pinyin(self) -> dict[str, list[int]]:
        """Joined full pinyin of names and aliases -> entries (for typos in a pinyin query)."""
        out: dict[str, list[int]] = defaultdict(list)
        for value, rows in self.fuzzy_names.items():
            full, _initials = pinyin_forms(value)
            joined = "".join(full)
            if len(joined) >= 4 and joined != value:
                out[joined].extend(rows)
        return dict(out)

    @cached_property
    def snippet_texts(self) -> dict[str, str]:
        """Measure id -> its text simplified and lower-cased (what _snippet looks the needle up in)."""
        out = {}
        for node in self.of_type(NodeType.Measure):
            text = str(node.props.get("text") or node.name)
            out[node.id] = to_simplified(text).lower()
        return out

    @cached_property
    def plan_of_measure(self) -> dict[str, str]:
        out = {}
        for edge in self.graph.edges.values():
            if edge.type == Rel.PART_OF and edge.target in self.graph.nodes and \
                    self.graph.nodes[edge.target].type == NodeType.Plan:
                source = self.graph.nodes.get(edge.source)
                if source is not None and source.type == NodeType.Measure:
                    out[edge.source] = edge.target
        return out

    @cached_property
    def plan_of_document(self) -> dict[str, str]:
        """Document name -> the plan published in it."""
        out = {}
        for edge in self.graph.edges.values():
            if edge.type == Rel.PUBLISHED_IN:
                doc = self.graph.nodes.get(edge.target)
                name = doc.props.get("file", doc.name) if doc is not None else edge.target.removeprefix("doc:")
                out.setdefault(str(name), edge.source)
        return out

    @cached_property
    def edges_by_document(self) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.graph.edges.values():
            for doc in {ev.document for ev in edge.evidence}:
                out[doc].append(edge)
        return out

    @cached_property
    def search_cache(self) -> dict[tuple, list[dict[str, Any]]]:
        return {}

    def adjacent(self, node_id: str) -> list[Edge]:
        """A node's edges, both directions, in the order a neighbourhood walk takes them (edge type
        priority, then source and target); kept per node, as hubs are walked over and over."""
        edges = self._adjacent.get(node_id)
        if edges is None:
            edges = [*self.graph.out_edges(node_id), *self.graph.in_edges(node_id)]
            edges.sort(key=lambda e: (EDGE_PRIORITY.get(e.type, 99), e.source, e.target))
            self._adjacent[node_id] = edges
        return edges

    @cached_property
    def _adjacent(self) -> dict[str, list[Edge]]:
        return {}

    def plan_ref(self, measure_id: str) -> dict[str, Any] | None:
        plan = self.plan_of_measure.get(measure_id)
        return self.ref(plan) if plan else None


_index_lock = threading.Lock()


def index_for(build: Build, cache: dict[str, Any], warm: bool = False) -> GraphIndex:
    """The build's GraphIndex, kept in `cache` (the web layer passes AppState.per_build).
    warm=True also computes every lookup now, so later calls are quick."""
    index = ready_index(build, cache)
    if index is not None:
        return index
    with _index_lock:  # one thread loads a build; the others wait for it
        index = cache.get("queries.index")
        if index is None or index.build is not build:
            index = GraphIndex(build)
        if warm and not index.warm:
            index.warm_up()
        cache["queries.index"] = index
    return index


def ready_index(build: Build, cache: dict[str, Any]) -> GraphIndex | None:
    """The build's index if it is already loaded and warm, else None."""
    index = cache.get("queries.index")
    return index if index is not None and index.build is build and index.warm else None


def meta(ix: GraphIndex) -> dict[str, Any]:
    """Build name, document count and node and edge counts by type."""
    return ix.meta


# -- search --------------------------------------------------------------------------------

RESULT_TYPES = (*SEARCH_TYPES, NodeType.Document)  # Document: news reports, by the text of their sentences


def search(ix: GraphIndex, q: str, types: Iterable[str] | None = None, limit: int = 20,
           offset: int = 0) -> dict[str, Any]:
    """Agencies, platforms, initiatives, plans and measures whose name, alias (short forms
    included) or measure text contains q, then those whose pinyin (full or initials) does, then
    names one character off q, and news reports whose text holds q; traditional and simplified
    input find the same things. `counts` gives the hits of each type before paging."""
    wanted = tuple(sorted(set(types))) if types else RESULT_TYPES
    needle = normalize(q)
    key = (needle, wanted)
    hits = ix.search_cache.get(key)
    if hits is None:
        hits = _search_all(ix, needle, set(wanted)) if needle else []
        if _ENGLISH_WORD.search(q):  # "big data bureau binzhou": every word in the English name
            english = _search_english(ix, q, set(wanted))
            # a phrase of English words means the English name first; one word may be pinyin (binzhou)
            first, rest = (english, hits) if len(q.split()) > 1 else (hits, english)
            seen = {h["id"] for h in first}
            hits = first + [h for h in rest if h["id"] not in seen]
        if len(ix.search_cache) > 2000:
            ix.search_cache.clear()
        ix.search_cache[key] = hits
    counts: dict[str, int] = defaultdict(int)
    for hit in hits:
        counts[hit["type"]] += 1
    return {**page(hits, limit, offset), "counts": dict(counts)}


_LATIN = re.compile(r"[0-9a-z]+")
PINYIN_SCORE, FUZZY_SCORE, NEWS_SCORE = 40, 30, 10


def _search_all(ix: GraphIndex, needle: str, wanted: set[str]) -> list[dict[str, Any]]:
    hits = _search(ix, needle, wanted)
    seen = {h["id"] for h in hits}
    entries = ix.search_entries
    extra: list[dict[str, Any]] = []

    def add(i: int, score: int, where: str) -> None:
        node = entries[i][0]
        if node.type in wanted and node.id not in seen:
            seen.add(node.id)
            extra.append(_hit(ix, node, score + TYPE_WEIGHT.get(node.type, 0), where, needle))

    latin = bool(_LATIN.fullmatch(needle))
    if latin:
        for i in ix.search_index.pinyin(needle):
            add(i, PINYIN_SCORE, "pinyin")
    if len(needle) >= 3 and not any(h["matched"] in ("name", "alias") for h in hits) and not extra:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        vocab = ix.fuzzy_pinyin if latin else ix.fuzzy_names
        for value, _distance, _at in process.extract(needle, list(vocab), scorer=OSA.distance,
                                                     score_cutoff=1, limit=50):
            for i in vocab[value]:
                add(i, FUZZY_SCORE, "fuzzy")
    if NodeType.Document in wanted:
        for sentence in ix.search_index.news(needle):
            if sentence.node_id in seen:
                continue
            seen.add(sentence.node_id)
            doc = ix.node(sentence.node_id)
            extra.append({"id": sentence.node_id, "type": NodeType.Document,
                          "name": str((doc.props.get("title") if doc else None) or sentence.document),
                          "score": NEWS_SCORE, "matched": "news", "snippet": sentence.text,
                          "evidence": {"document": sentence.document, "start": sentence.start,
                                       "end": sentence.end, "text": sentence.text}})
    extra.sort(key=lambda h: (-h["score"], len(h["name"]), h["id"]))
    return hits + extra


_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _search_english(ix: GraphIndex, q: str, wanted: set[str]) -> list[dict[str, Any]]:
    """Nodes whose English name (name_en) has every word of q, in any order (a word may be a prefix)."""
    words = [w for w in re.findall(r"[a-z0-9']+", q.lower()) if w]
    found = []
    for node in ix.graph.nodes.values():
        english = node.props.get("name_en")
        if node.type not in wanted or not english:
            continue
        tokens = re.findall(r"[a-z0-9']+", str(english).lower())
        if words and all(any(t.startswith(w) for t in tokens) for w in words):
            score = 55 + TYPE_WEIGHT.get(node.type, 0) - len(tokens)
            found.append({"id": node.id, "type": node.type, "name": node.name, "score": score,
                          "matched": "name_en", "snippet": None})
    found.sort(key=lambda h: (-h["score"], len(h["name"]), h["id"]))
    return found


def _candidates(ix: GraphIndex, needle: str) -> Iterable[int]:
    """Indexes, in order, of the search entries whose name, an alias or text may hold needle (a
    superset from the FTS5 index, weeded out by the exact checks in _search); every entry when
    needle has no letter, digit or character the index holds (punctuation only)."""
    rows = ix.search_index.names(needle)
    return range(len(ix.search_entries)) if rows is None else rows


def _hit(ix: GraphIndex, node: Node, score: int, where: str, needle: str) -> dict[str, Any]:
    return {"id": node.id, "type": node.type, "name": node.name, "score": score, "matched": where,
            "snippet": _snippet(node, needle, simple=ix.snippet_texts.get(node.id))
            if node.type == NodeType.Measure else None, "evidence": None}


def _search(ix: GraphIndex, needle: str, wanted: set[str]) -> list[dict[str, Any]]:
    scored = []
    entries = ix.search_entries
    for i in _candidates(ix, needle):
        node, name, aliases, text = entries[i]
        if node.type not in wanted:
            continue
        if name == needle:
            score, where = 100, "name"
        elif name.startswith(needle):
            score, where = 80, "name"
        elif needle in name:
            score, where = 60, "name"
        elif any(needle == a for a in aliases):
            score, where = 70, "alias"
        elif any(needle in a for a in aliases):
            score, where = 50, "alias"
        elif text and needle in text:
            score, where = 20, "text"
        else:
            continue
        scored.append(_hit(ix, node, score + TYPE_WEIGHT.get(node.type, 0), where, needle))
    scored.sort(key=lambda h: (-h["score"], len(h["name"]), h["id"]))
    return scored


def _snippet(node: Node, needle: str, width: int = 40, simple: str | None = None) -> str:
    text = str(node.props.get("text") or node.name)
    if simple is None:
        simple = to_simplified(text).lower()
    at = simple.find(needle) if len(simple) == len(text) else -1
    if at < 0:
        return text[: width * 2] + ("…" if len(text) > width * 2 else "")
    start = max(0, at - width)
    end = min(len(text), at + len(needle) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# -- agencies ------------------------------------------------------------------------------

def _measure_summary(ix: GraphIndex, measure_id: str) -> dict[str, Any]:
    node = ix.node(measure_id)
    props = node.props if node is not None else {}
    return {
        "id": measure_id,
        "number": props.get("number"),
        "text": props.get("text") or (node.name if node else ""),
        "document": props.get("document"),
        "plan": ix.plan_ref(measure_id),
        "leads": [ix.ref(e.source) for e in ix.graph.in_edges(measure_id, Rel.LEADS)],
        "responsible": [ix.ref(e.source) for e in ix.graph.in_edges(measure_id, Rel.RESPONSIBLE_FOR)],
    }


def _ownership_view(ix: GraphIndex, edge: Edge, other: str) -> dict[str, Any]:
    documents = list(edge.props.get("documents") or [])
    return {**ix.ref(other), "basis": edge.props.get("basis"), "bases": list(edge.props.get("bases") or []),
            "confidence": edge.props.get("confidence"), "measures": list(edge.props.get("measures") or []),
            "documents": documents, "years": sorted(edge.props.get("years") or []), "support": len(documents),
            "evidence": evidence_view(edge, OWNERSHIP_EVIDENCE), "evidence_total": len(edge.evidence)}


def list_agencies(ix: GraphIndex, q: str | None = None, jurisdiction: str | None = None,
                  collective: bool | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    needle = normalize(q) if q else ""
    items = []
    for node in ix.of_type(NodeType.Agency):
        if needle and needle not in normalize(node.name):
            continue
        if jurisdiction and normalize(jurisdiction) not in normalize(str(node.props.get("jurisdiction") or "")):
            continue
        is_collective = bool(node.props.get("collective"))
        if collective is not None and is_collective != collective:
            continue
        items.append({"id": node.id, "name": node.name, "jurisdiction": node.props.get("jurisdiction"),
                      "kind": node.props.get("kind"), "collective": is_collective,
                      "measures_led": len(ix.graph.out_edges(node.id, Rel.LEADS)),
                      "platforms_owned": len(ix.graph.out_edges(node.id, Rel.OWNS))})
    return page(items, limit, offset)


def agency_detail(ix: GraphIndex, agency_id: str, limit: int = 200, offset: int = 0) -> dict[str, Any] | None:
    node = ix.node(agency_id)
    if node is None or node.type != NodeType.Agency:
        return None
    g = ix.graph
    led = sorted((e.target for e in g.out_edges(agency_id, Rel.LEADS)), key=_measure_order(ix))
    resp = sorted((e.target for e in g.out_edges(agency_id, Rel.RESPONSIBLE_FOR)), key=_measure_order(ix))
    owns = _by_confidence(g.out_edges(agency_id, Rel.OWNS))  # one source: the same order as by target
    regions = [ix.ref(e.target) for e in g.out_edges(agency_id, Rel.IN_REGION)]
    return {
        **node_view(node),
        "jurisdiction": node.props.get("jurisdiction"),
        "collective": bool(node.props.get("collective")),
        "aliases": list(node.props.get("aliases") or []),
        "regions": regions,
        "measures_led": page([_measure_summary(ix, m) for m in led[offset: offset + limit]], limit, 0)
        | {"total": len(led), "offset": offset},
        "measures_responsible": page([_measure_summary(ix, m) for m in resp[offset: offset + limit]], limit, 0)
        | {"total": len(resp), "offset": offset},
        "platforms_owned": [_ownership_view(ix, e, e.target) for e in owns],
        "platforms_mentioned": _platforms_only_mentioned(ix, led + resp, {e.target for e in owns}),
        "plans_issued": [ix.ref(e.source) for e in g.in_edges(agency_id, Rel.ISSUED_BY)],
        **agency_profile(ix, node),
    }


def agency_profile(ix: GraphIndex, node: Node) -> dict[str, Any]:
    """Function (with its zh and en labels), level, English name and COUNTERPART_OF both ways."""

    labels = function_labels()
    code = node.props.get("function")

    def counterpart(edge: Edge, other: str, direction: str) -> dict[str, Any]:
        peer = ix.node(other)
        return {**ix.ref(other), "name_en": peer.props.get("name_en") if peer else None,
                "function": edge.props.get("function"), "direction": direction, "basis": edge.props.get("basis")}

    g = ix.graph
    return {
        "function": code,
        "function_label": labels.get(str(code), {}) | {} if code else None,
        "level": node.props.get("level"),
        "name_en": node.props.get("name_en"),
        "counterparts": [counterpart(e, e.target, "up") for e in g.out_edges(node.id, Rel.COUNTERPART_OF)]
        + [counterpart(e, e.source, "down") for e in g.in_edges(node.id, Rel.COUNTERPART_OF)],
    }


def in_english(value: Any, ix: GraphIndex) -> Any:
    """An answer with each node's name in English where it has one (name_zh keeps the Chinese)."""
    if isinstance(value, list):
        return [in_english(v, ix) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: in_english(v, ix) for k, v in value.items()}
    node = ix.node(out["id"]) if isinstance(out.get("id"), str) and "name" in out else None
    if node is not None and node.props.get("name_en"):
        out["name_zh"], out["name"] = node.name, node.props["name_en"]
    return out


def _platforms_only_mentioned(ix: GraphIndex, measures: list[str], owned: set[str]) -> list[dict[str, Any]]:
    """Platforms named by the agency's measures that it does not own (it uses them, or they are listed)."""
    found: dict[str, None] = {}
    for measure in measures:
        for edge in ix.graph.out_edges(measure, Rel.MENTIONS):
            node = ix.node(edge.target)
            if node is not None and node.type == NodeType.Platform and edge.target not in owned:
                found.setdefault(edge.target)
    return [ix.ref(p) for p in sorted(found)]


def _measure_order(ix: GraphIndex):
    def key(measure_id: str) -> tuple:
        node = ix.node(measure_id)
        props = node.props if node else {}
        return (str(props.get("document") or ""), props.get("seq") if isinstance(props.get("seq"), int)
                else _number_key(measure_id.rsplit("#", 1)[-1])[0], measure_id)
    return key


# -- platforms -----------------------------------------------------------------------------

def _platform_plans(ix: GraphIndex, platform_id: str) -> tuple[list[str], list[str]]:
    """(measures mentioning it, plans where it appears) in a stable order."""
    g = ix.graph
    measures, plans = [], []
    for edge in g.in_edges(platform_id, Rel.MENTIONS):
        source = ix.node(edge.source)
        if source is None:
            continue
        if source.type == NodeType.Measure:
            measures.append(source.id)
            plan = ix.plan_of_measure.get(source.id)
            if plan and plan not in plans:
                plans.append(plan)
        elif source.type == NodeType.Document:
            plan = ix.plan_of_document.get(str(source.props.get("file") or source.name))
            if plan and plan not in plans:
                plans.append(plan)
        elif source.type == NodeType.Plan and source.id not in plans:
            plans.append(source.id)
    measures.sort(key=_measure_order(ix))
    plans.sort(key=lambda p: (year_of(ix.node(p)) or 0, p))
    return measures, plans


def _years(ix: GraphIndex, plans: list[str]) -> tuple[int | None, int | None]:
    years = [y for y in (year_of(ix.node(p)) for p in plans) if y is not None]
    return (min(years), max(years)) if years else (None, None)


def _by_confidence(edges: list[Edge]) -> list[Edge]:
    """Strongest ownership first: the most supporting documents, then the strongest rule."""
    return sorted(edges, key=lambda e: (-len(e.props.get("documents") or []), -(e.props.get("confidence") or 0),
                                        e.source, e.target))


def list_platforms(ix: GraphIndex, q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    needle = normalize(q) if q else ""
    items = []
    for node in ix.of_type(NodeType.Platform):
        if needle and needle not in normalize(node.name) and \
                not any(needle in normalize(a) for a in node.props.get("aliases") or [] if isinstance(a, str)):
            continue
        measures, plans = _platform_plans(ix, node.id)
        first, last = _years(ix, plans)
        items.append({"id": node.id, "name": node.name, "kind": node.props.get("kind"),
                      "aliases": list(node.props.get("aliases") or []),
                      "owners": [ix.ref(e.source) for e in _by_confidence(ix.graph.in_edges(node.id, Rel.OWNS))],
                      "measures": len(measures), "plans": len(plans), "first_year": first, "last_year": last})
    return page(items, limit, offset)


def platform_detail(ix: GraphIndex, platform_id: str, limit: int = 200, offset: int = 0) -> dict[str, Any] | None:
    node = ix.node(platform_id)
    if node is None or node.type != NodeType.Platform:
        return None
    g = ix.graph
    measures, plans = _platform_plans(ix, platform_id)
    # a branch's mentions count for its parent's years (the city plan naming 爱山东滨州分厅 names 爱山东)
    branch_plans = []
    for edge in g.in_edges(platform_id, Rel.BRANCH_OF):
        for plan in _platform_plans(ix, edge.source)[1]:
            if plan not in plans and plan not in branch_plans:
                branch_plans.append(plan)
    first, last = _years(ix, plans + branch_plans)
    owners = _by_confidence(g.in_edges(platform_id, Rel.OWNS))
    documents = sorted({e.source for e in g.in_edges(platform_id, Rel.MENTIONS)
                        if (ix.node(e.source) or Node("", "", "")).type == NodeType.Document})
    return {
        **node_view(node),
        "aliases": list(node.props.get("aliases") or []),
        "owners": [_ownership_view(ix, e, e.source) for e in owners],
        "parents": [{**ix.ref(e.target), "evidence": evidence_view(e)} for e in g.out_edges(platform_id, Rel.BRANCH_OF)],
        "branches": [{**ix.ref(e.source), "evidence": evidence_view(e),
                      "owners": [_ownership_view(ix, o, o.source)
                                 for o in _by_confidence(g.in_edges(e.source, Rel.OWNS))]}
                     for e in g.in_edges(platform_id, Rel.BRANCH_OF)],
        "measures": page([_measure_summary(ix, m) for m in measures[offset: offset + limit]], limit, 0)
        | {"total": len(measures), "offset": offset},
        "plans": [{**ix.ref(p), "year": year_of(ix.node(p)), "via_branch": p in branch_plans,
                   "jurisdiction": (ix.node(p).props.get("jurisdiction") if ix.node(p) else None)}
                  for p in sorted(plans + branch_plans, key=lambda p: (year_of(ix.node(p)) or 0, p))],
        "documents": [ix.ref(d) for d in documents],
        "first_year": first,
        "last_year": last,
    }


# -- plans ---------------------------------------------------------------------------------

def _plan_row(ix: GraphIndex, node: Node) -> dict[str, Any]:
    p = node.props
    return {"id": node.id, "name": node.name, "title": p.get("title") or node.name,
            "jurisdiction": p.get("jurisdiction"), "year": year_of(node), "issued": p.get("issued"),
            "doc_number": p.get("doc_number"), "document": p.get("document"),
            "measures": sum(1 for e in ix.graph.in_edges(node.id, Rel.PART_OF)
                            if (ix.node(e.source) or Node("", "", "")).type == NodeType.Measure),
            "reports": len(ix.graph.in_edges(node.id, Rel.REPORTS_ON))}


def list_plans(ix: GraphIndex, q: str | None = None, jurisdiction: str | None = None, year: int | None = None,
               limit: int = 50, offset: int = 0) -> dict[str, Any]:
    needle = normalize(q) if q else ""
    items = []
    for node in ix.of_type(NodeType.Plan):
        if needle and needle not in normalize(node.name) and needle not in normalize(str(node.props.get("title") or "")):
            continue
        if jurisdiction and normalize(jurisdiction) not in normalize(str(node.props.get("jurisdiction") or "")):
            continue
        if year is not None and year_of(node) != year:
            continue
        items.append(_plan_row(ix, node))
    items.sort(key=lambda r: (r["year"] or 0, r["id"]))
    return page(items, limit, offset)


def _measure_full(ix: GraphIndex, measure_id: str) -> dict[str, Any]:
    g = ix.graph
    view = _measure_summary(ix, measure_id)
    node = ix.node(measure_id)
    view["seq"] = node.props.get("seq") if node else None
    mentions = [ix.node(e.target) for e in g.out_edges(measure_id, Rel.MENTIONS)]
    view["platforms"] = [node_ref(n) for n in mentions if n is not None and n.type == NodeType.Platform]
    view["initiatives"] = [node_ref(n) for n in mentions if n is not None and n.type == NodeType.Initiative]
    view["targets"] = [_target_row(ix, ix.node(e.target)) for e in g.out_edges(measure_id, Rel.SETS_TARGET)
                       if ix.node(e.target) is not None]
    return view


def plan_detail(ix: GraphIndex, plan_id: str) -> dict[str, Any] | None:
    node = ix.node(plan_id)
    if node is None or node.type != NodeType.Plan:
        return None
    g = ix.graph
    sections, measures = [], []
    for edge in g.in_edges(plan_id, Rel.PART_OF):
        child = ix.node(edge.source)
        if child is None:
            continue
        if child.type == NodeType.Section:
            sections.append(child)
        elif child.type == NodeType.Measure:
            measures.append(child.id)
    measures.sort(key=_measure_order(ix))
    section_of = {}
    for m in measures:
        in_section = g.out_edges(m, Rel.IN_SECTION)
        section_of[m] = in_section[0].target if in_section else None
    sections.sort(key=lambda s: (_number_key(s.id.rsplit("#", 1)[-1])[0], s.id))
    full = {m: _measure_full(ix, m) for m in measures}
    return {
        **_plan_row(ix, node),
        "props": node.props,
        "issued_by": [ix.ref(e.target) for e in g.out_edges(plan_id, Rel.ISSUED_BY)],
        "implements": [ix.ref(e.target) for e in g.out_edges(plan_id, Rel.IMPLEMENTS)],
        "implemented_by": [ix.ref(e.source) for e in g.in_edges(plan_id, Rel.IMPLEMENTS)],
        "regions": [ix.ref(e.target) for e in g.out_edges(plan_id, Rel.IN_REGION)],
        "jurisdiction_region": _jurisdiction_region(ix, plan_id),
        "sections": [{"id": s.id, "number": s.props.get("number"), "title": s.props.get("title") or s.name,
                      "level": s.props.get("level"),
                      "measures": [full[m] for m in measures if section_of[m] == s.id]} for s in sections],
        "unsectioned_measures": [full[m] for m in measures if section_of[m] not in {s.id for s in sections}],
        "targets": [_target_row(ix, ix.node(e.target)) for e in g.out_edges(plan_id, Rel.SETS_TARGET)
                    if ix.node(e.target) is not None],
    }


def _jurisdiction_region(ix: GraphIndex, plan_id: str) -> dict[str, Any] | None:
    """The plan's jurisdiction with its level (province | city | county) and GB/T 2260 code."""
    for e in ix.graph.out_edges(plan_id, Rel.IN_REGION):
        region = ix.node(e.target)
        if region is not None:
            p = region.props
            return {"id": region.id, "name": region.name, "level": p.get("level"),
                    "code": p.get("division_code"), "parent": p.get("parent")}
    return None


# -- targets -------------------------------------------------------------------------------

def _target_row(ix: GraphIndex, node: Node) -> dict[str, Any]:
    p = node.props
    setters = ix.graph.in_edges(node.id, Rel.SETS_TARGET)
    measure = next((e.source for e in setters if (ix.node(e.source) or Node("", "", "")).type == NodeType.Measure), None)
    plan = ix.plan_of_measure.get(measure) if measure else next(
        (e.source for e in setters if (ix.node(e.source) or Node("", "", "")).type == NodeType.Plan), None)
    year = p.get("year")
    if year in (None, "") and plan:
        year = year_of(ix.node(plan))
    jurisdiction = p.get("jurisdiction") or ((ix.node(plan).props.get("jurisdiction")) if plan and ix.node(plan) else None)
    return {"id": node.id, "name": node.name, "value": p.get("value"), "unit": p.get("unit"),
            "indicator": p.get("indicator"), "qualifier": p.get("qualifier"), "kind": p.get("kind"),
            "year": year, "jurisdiction": jurisdiction, "document": p.get("document"),
            "measure": ix.ref(measure) if measure else None, "plan": ix.ref(plan) if plan else None,
            "evidence": [ev for e in setters for ev in evidence_view(e)]}


def list_targets(ix: GraphIndex, indicator: str | None = None, jurisdiction: str | None = None,
                 year: int | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    needle = normalize(indicator) if indicator else ""
    where = normalize(jurisdiction) if jurisdiction else ""
    items = []
    for node in sorted(ix.of_type(NodeType.Target), key=lambda n: n.id):
        row = _target_row(ix, node)
        if needle and needle not in normalize(str(row["indicator"] or node.name)):
            continue
        if where and where not in normalize(str(row["jurisdiction"] or "")):
            continue
        if year is not None:
            try:
                if int(str(row["year"])[:4]) != year:
                    continue
            except (TypeError, ValueError):
                continue
        items.append(row)
    return page(items, limit, offset)


# -- documents -----------------------------------------------------------------------------

def document_name(ix: GraphIndex, document_id: str) -> str | None:
    """The document's name for an id `doc:<file>` or a bare file name; None if the build lacks it."""
    names = set(ix.build.document_names()) if ix.build is not None else set(ix.graph.documents)
    for candidate in (document_id, document_id.removeprefix("doc:")):
        if candidate in names:
            return candidate
    return None


def list_documents(ix: GraphIndex, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    names = ix.build.document_names() if ix.build is not None else sorted(ix.graph.documents)
    items = []
    for name in names:
        node = ix.node(f"doc:{name}")
        props = node.props if node else {}
        items.append({"id": f"doc:{name}", "document": name, "title": props.get("title"),
                      "genre": props.get("genre"), "format": props.get("format"),
                      "plan": ix.ref(ix.plan_of_document[name]) if name in ix.plan_of_document else None,
                      "facts": len(ix.edges_by_document.get(name, []))})
    return page(items, limit, offset)


def document_detail(ix: GraphIndex, document_id: str) -> dict[str, Any] | None:
    """The original text and every fact with evidence in it, with its spans."""
    name = document_name(ix, document_id)
    if name is None or ix.build is None:
        return None
    text = ix.build.original_text(name)
    if text is None:
        return None
    node = ix.node(f"doc:{name}")
    facts = []
    for edge in ix.edges_by_document.get(name, []):
        spans = [{"start": ev.start, "end": ev.end, "text": ev.text} for ev in edge.evidence if ev.document == name]
        facts.append({"edge": edge_id(edge), "type": edge.type, "source": ix.ref(edge.source),
                      "target": ix.ref(edge.target), "derived": bool(edge.props.get("derived")), "spans": spans})
    facts.sort(key=lambda f: (f["spans"][0]["start"] if f["spans"] else 0, f["edge"]))
    return {"id": f"doc:{name}", "document": name, "title": (node.props.get("title") if node else None),
            "genre": node.props.get("genre") if node else None, "format": node.props.get("format") if node else None,
            "plan": ix.ref(ix.plan_of_document[name]) if name in ix.plan_of_document else None,
            "length": len(text), "text": text, "facts": facts}


# -- graph views for the explorer ----------------------------------------------------------

def neighborhood(ix: GraphIndex, node_id: str, depth: int = 1, types: Iterable[str] | None = None,
                 edge_types: Iterable[str] | None = None, limit: int = 100,
                 max_edges: int | None = None) -> dict[str, Any] | None:
    """Nodes within `depth` hops of node_id (both directions), at most `limit` nodes, and the edges
    among them (at most max_edges, default 3 per node: the edges that reached each node first,
    then by type, lineage last). `types` keeps only those node types (the centre always stays);
    `edge_types` only follows those edges."""
    g = ix.graph
    if node_id not in g.nodes:
        return None
    depth = max(0, min(depth, MAX_DEPTH))
    limit = max(1, min(limit, MAX_NODES))
    node_types = set(types) if types else None
    follow = set(edge_types) if edge_types else None
    seen = {node_id: 0}
    order = [node_id]
    tree: list[Edge] = []
    queue = deque([node_id])
    truncated = False
    while queue:
        current = queue.popleft()
        if seen[current] >= depth:
            continue
        for edge in ix.adjacent(current):
            if follow is not None and edge.type not in follow:
                continue
            other = edge.target if edge.source == current else edge.source
            if other in seen:
                continue
            node = g.nodes.get(other)
            if node is None or (node_types is not None and node.type not in node_types):
                continue
            if len(order) >= limit:
                truncated = True
                break
            seen[other] = seen[current] + 1
            order.append(other)
            tree.append(edge)
            queue.append(other)
        if truncated:
            break
    cap = max_edges if max_edges is not None else 3 * len(order)
    edges, edges_truncated = _edges_among(g, order, follow, cap, tree)
    return {"center": node_id, "depth": depth, "nodes": [node_view(g.nodes[n]) for n in order],
            "edges": edges, "truncated": truncated, "edges_truncated": edges_truncated}


def _edges_among(g: FactGraph, ids: list[str], follow: set[str] | None = None, max_edges: int = MAX_EDGES,
                 first: list[Edge] = ()) -> tuple[list[dict[str, Any]], bool]:
    """Edges among ids, at most max_edges: `first` ones, then by type priority (lineage last)."""
    keep = set(ids)
    chosen = {e.key: e for e in first}
    rest = []
    for node_id in ids:
        for edge in g.out_edges(node_id):
            if edge.target in keep and (follow is None or edge.type in follow) and edge.key not in chosen:
                rest.append(edge)
    rest.sort(key=lambda e: EDGE_PRIORITY.get(e.type, 99))
    picked = list(chosen.values()) + rest
    limit = max(max_edges, len(chosen))
    return [edge_view(e, GRAPH_EVIDENCE) for e in picked[:limit]], len(picked) > limit


def resolve_term(ix: GraphIndex, value: str) -> str | None:
    """The node id a query result value stands for: the id itself, or an IRI ending in it
    (URL-encoded or not, with `/` for `:` after the type)."""
    nodes = ix.graph.nodes
    if not isinstance(value, str) or not value:
        return None
    value = value.strip().strip("<>")
    if value in nodes:
        return value
    decoded = unquote(value)
    if decoded in nodes:
        return decoded
    for i, ch in enumerate(value):
        if ch in "/#=":
            tail = unquote(value[i + 1:])
            if not tail:
                continue
            if tail in nodes:
                return tail
            if "/" in tail:
                candidate = tail.replace("/", ":", 1)
                if candidate in nodes:
                    return candidate
    return None


def subgraph(ix: GraphIndex, values: Iterable[str]) -> dict[str, Any]:
    """The nodes that query result values stand for, and the edges among them."""
    resolved: dict[str, str] = {}
    ids: list[str] = []
    for value in values:
        node_id = resolve_term(ix, value)
        if node_id is None:
            continue
        resolved[value] = node_id
        if node_id not in ids:
            ids.append(node_id)
    edges, edges_truncated = _edges_among(ix.graph, ids, None, MAX_EDGES)
    return {"resolved": resolved, "nodes": [node_view(ix.graph.nodes[i]) for i in ids], "edges": edges,
            "edges_truncated": edges_truncated}


def node_detail(ix: GraphIndex, node_id: str) -> dict[str, Any] | None:
    node = ix.node(node_id)
    if node is None:
        return None
    counts: dict[str, int] = defaultdict(int)
    for edge in ix.graph.out_edges(node_id):
        counts["out:" + edge.type] += 1
    for edge in ix.graph.in_edges(node_id):
        counts["in:" + edge.type] += 1
    return {**node_view(node), "documents": sorted(ix.graph.node_documents.get(node_id, ())),
            "edge_counts": dict(sorted(counts.items()))}


def edge_detail(ix: GraphIndex, eid: str, max_evidence: int | None = None) -> dict[str, Any] | None:
    parts = eid.split("|")
    if len(parts) != 3:
        return None
    edge = ix.graph.edges.get((parts[0], parts[1], parts[2]))
    if edge is None:
        return None
    return {**edge_view(edge, max_evidence), "source_node": ix.ref(edge.source), "target_node": ix.ref(edge.target)}
