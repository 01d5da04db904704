"""Unit clauses: who leads a measure and who shares responsibility for it.

Forms handled (on normalised text): (牵头单位:X、Y,责任单位:Z), the same with ';', (责任单位:…),
(牵头单位:…), (牵头责任单位:X;相关责任单位:Y), 〔责任单位:…〕, (X牵头,Y配合), (X、Y分工负责),
(X牵头,Y、Z等有关单位按职责分工负责), the same unbracketed as a measure's closing sentence
(X、Y按职责分工负责。, 由X牵头,Y配合。 — found by structure.py), task-table cells (tables.py), and
standing sentences such as 以下任务均需各区市政府落实,不再一一列出.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ontology.vocab import Rel
from ..reference import genre
from ..reference.clauses import UNIT_CLAUSE, agency_part

LEADS = Rel.LEADS
RESPONSIBLE_FOR = Rel.RESPONSIBLE_FOR

LABEL = re.compile(rf"((?:主要)?(?:{genre.ROLE_WORD})?(?:责任)?(?:{genre.ROLE_NOUN}))\s*[:：]")
LEAD_LABEL = re.compile(genre.LEAD_WORD)
# a name marked as the lead inside a list: 市大数据局(牵头)、市财政局; marks such as ★ are dropped
LEAD_MARK = re.compile(rf"[(〔【\[](?:{genre.INLINE_LEAD_WORD})[)〕】\]]$")
NAME_MARK = re.compile(r"[★☆*※▲△]+$")
UNLABELLED_TAIL = re.compile(rf"(?:{genre.INLINE_ROLE})$")
INLINE_LEAD = re.compile(rf"(?:{genre.INLINE_LEAD_WORD})$")
ROLE_ADVERBS = re.compile(rf"(?:{genre.alternation(genre.ROLE_ADVERBS)})+$")
GENERIC_REST = re.compile(r"^(?:其他|其他)?(?:有关|相关)(?:单位|部门)$|^有关方面$")
# 'X等省直有关部门': the named agency, then a placeholder
COLLECTIVE_AFTER_DENG = re.compile(r"等(?=(?:[省市县区]直|各)?(?:有关|相关|各)?(?:部门|单位))")
STANDING = re.compile(
    r"(?P<unless>除(?:专门|单独|另行)?(?:列出|注明|明确)(?:的|者)?外,?)?"
    r"(?:以下|下列|上述|各项)[^。\n]{0,30}?(?:均需|均由|需要|均要|均涉及|均应由)(?P<units>[^。\n]{2,80}?)"
    r"(?:(?:认真|负责|抓好|组织|共同)?(?:贯彻)?落实[^。\n]{0,30}?|,)?不再(?:一一列出|重复|单独列出|一一列明)")


@dataclass(frozen=True)
class Role:
    role: str  # LEADS | RESPONSIBLE_FOR
    printed: str  # the agency as printed
    start: int  # offset of the printed name in the normalised text
    end: int


def split_names(segment: str, offset: int) -> list[tuple[str, int, int]]:
    """Split '市科技局、市大数据局' at top-level separators, keeping positions; drops '等有关单位'."""
    names: list[tuple[str, int, int]] = []
    depth, start = 0, 0
    segment = COLLECTIVE_AFTER_DENG.sub("、", segment)

    def push(a: int, b: int) -> None:
        piece = segment[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        piece = re.sub(r"(?:等|以及|及)$", "", piece)
        joined = re.match(r"^(?:和|及|以及|与|由)", piece)
        if joined:
            lead += joined.end()
            piece = piece[joined.end():]
        if piece and not GENERIC_REST.match(piece):
            names.append((piece, offset + a + lead, offset + a + lead + len(piece)))

    for i, ch in enumerate(segment):
        if ch in "(〈《[〔【":
            depth += 1
        elif ch in ")〉》]〕】":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、,;/和及":
            if ch in "和及" and not _joins_names(segment, i):
                continue
            push(start, i)
            start = i + 1
    push(start, len(segment))
    return _shared_suffix(names)


# a list item that is only a place (各市〔州〕) shares the agency words of the next item:
# 各市〔州〕、贵安新区数据管理部门 is 各市〔州〕数据管理部门 and 贵安新区数据管理部门
BARE_PLACE = re.compile(r"^各?[\u4e00-\u9fff]{0,4}[省市县区州](?:[(〔][^()〔〕]{1,8}[)〕])?$")
PLACE_THEN_WORDS = re.compile(r"^各?[\u4e00-\u9fff]{1,6}?(?:新区|示范区|开发区|[省市县区州])(?:[(〔][^()〔〕]{1,8}[)〕])?"
                              r"(?P<words>[\u4e00-\u9fff]{2,}(?:部门|单位|机构|局|委|办))$")


def _shared_suffix(names: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    out = list(names)
    for i in range(len(out) - 2, -1, -1):
        name, a, b = out[i]
        nxt = PLACE_THEN_WORDS.match(out[i + 1][0])
        if BARE_PLACE.match(name) and nxt:
            out[i] = (name + nxt.group("words"), a, b)
    return out


def _joins_names(segment: str, i: int) -> bool:
    """'和' or '及' separates two names only when the left part already ends like an agency and the right
    part is not the rest of a placeholder (各有关部门和单位; 市公安局及相关单位 does split, and the placeholder
    is dropped)."""
    left = segment[:i]
    right = re.match(r"[^、,;]*", segment[i + 1:]).group(0)
    if re.fullmatch(r"(?:单位|部门|机构)", right) or (re.fullmatch(r"(?:其他)?(?:有关|相关)(?:单位|部门|机构)", right)
                                                  and re.search(r"(?:有关|相关|各)(?:单位|部门|机构)$", left)):
        return False
    return bool(re.search(rf"(?:{genre.AGENCY_ENDING})$", left))


def parse_clause(content: str, offset: int) -> list[Role]:
    """Roles in a unit clause; `offset` is the position of `content` in the normalised text. A clause
    given with its brackets, (协同单位:市财政局), is read inside them."""
    roles: list[Role] = []
    if bracketed := UNIT_CLAUSE.fullmatch(content):
        content, offset = bracketed.group(1), offset + bracketed.start(1)
    content = agency_part(content)
    labels = list(LABEL.finditer(content))
    if labels:
        for i, m in enumerate(labels):
            seg_start = m.end()
            seg_end = labels[i + 1].start() if i + 1 < len(labels) else len(content)
            segment = content[seg_start:seg_end].rstrip(",;。 ")
            role = LEADS if LEAD_LABEL.search(m.group(1)) else RESPONSIBLE_FOR
            roles.extend(named_roles(segment, role, offset + seg_start))
        return roles
    pos = 0
    for part in re.split(r"([,;])", content):
        if part in (",", ";"):
            pos += 1
            continue
        tail = UNLABELLED_TAIL.search(part)
        if tail:
            role = LEADS if tail.group(0).startswith(genre.INLINE_LEAD) else RESPONSIBLE_FOR
            roles.extend(named_roles(part[: tail.start()], role, offset + pos))
        pos += len(part)
    return roles


def named_roles(segment: str, role: str, offset: int) -> list[Role]:
    """The names of a list, each with `role` unless it is marked itself: X(牵头), X牵头、Y配合."""
    roles: list[Role] = []
    for name, a, _ in split_names(segment, offset):
        this = role
        if mark := LEAD_MARK.search(name):
            this, name = LEADS, name[: mark.start()]
        elif mark := UNLABELLED_TAIL.search(name):  # 责任部门:X牵头、Y配合
            this = LEADS if INLINE_LEAD.search(mark.group(0)) else (RESPONSIBLE_FOR if this != LEADS else LEADS)
            name = ROLE_ADVERBS.sub("", name[: mark.start()]) if mark.start() else name
        if mark := NAME_MARK.search(name.rstrip()):
            name = name[: mark.start()]
        kept = name.rstrip()
        printed = re.sub(r"\s+", "", kept)  # a name broken across lines: 市大数\n据局
        if printed:
            roles.append(Role(this, printed, a, a + len(kept)))
    return roles


@dataclass(frozen=True)
class StandingClause:
    """以下任务均需X落实,不再一一列出: X shares every later measure. With 除专门列出外 (unless listed) it shares
    only the later measures that name no units of their own."""
    start: int
    end: int
    units: str
    unless_listed: bool


def find_standing(text: str, start: int = 0, end: int | None = None) -> list[StandingClause]:
    end = len(text) if end is None else end
    return [StandingClause(m.start(), m.end(), m.group("units"), bool(m.group("unless")))
            for m in STANDING.finditer(text, start, end)]
