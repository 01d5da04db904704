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

LEADS = "LEADS"
RESPONSIBLE_FOR = "RESPONSIBLE_FOR"

LABEL = re.compile(
    r"((?:主要)?(?:牵头|主责|主办|责任|配合|参与|协办|协同|实施|相关|有关|主体|其他)?(?:责任)?(?:单位|部门|机关))\s*:")
LEAD_LABEL = re.compile(r"牵头|主责|主办|主要责任")
# a name marked as the lead inside a list: 市大数据局(牵头)、市财政局; marks such as ★ are dropped
LEAD_MARK = re.compile(r"[(〔【\[]牵头[)〕】\]]$")
NAME_MARK = re.compile(r"[★☆*※▲△]+$")
UNLABELLED_TAIL = re.compile(r"(?:牵头负责|牵头|按职责分工负责|按职责负责|分工负责|负责|配合|参与|协同|协助|落实)$")
GENERIC_REST = re.compile(r"^(?:其他|其他)?(?:有关|相关)(?:单位|部门)$|^有关方面$")
# 'X等省直有关部门': the named agency, then a placeholder
COLLECTIVE_AFTER_DENG = re.compile(r"等(?=(?:[省市县区]直|各)?(?:有关|相关|各)?(?:部门|单位))")
STANDING = re.compile(r"(?:以下|下列|上述|各项)[^。\n]{0,30}?(?:均需|均由|需要|均要)([^。\n]{2,80}?)(?:认真|负责|抓好|组织|共同)?(?:贯彻)?落实[^。\n]{0,30}?不再一一列出")


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
    return names


def _joins_names(segment: str, i: int) -> bool:
    """'和' or '及' separates two names only when the left part already ends like an agency."""
    left = segment[:i]
    return bool(re.search(r"(?:局|厅|委|办|室|府|会|部|中心|公司|单位|部门)$", left))


def parse_clause(content: str, offset: int) -> list[Role]:
    """Roles in a unit clause; `offset` is the position of `content` in the normalised text."""
    roles: list[Role] = []
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
            role = LEADS if tail.group(0).startswith("牵头") else RESPONSIBLE_FOR
            names_part = part[: tail.start()]
            names_part = re.sub(r"(?:按职责|分别|共同|具体|负责|抓好|组织|认真)+$", "", names_part)
            roles.extend(named_roles(names_part, role, offset + pos))
        pos += len(part)
    return roles


def named_roles(segment: str, role: str, offset: int) -> list[Role]:
    """The names of a list, each with `role` unless it is marked as the lead: X(牵头)."""
    roles: list[Role] = []
    for name, a, _ in split_names(segment, offset):
        this = role
        if mark := LEAD_MARK.search(name):
            this, name = LEADS, name[: mark.start()]
        if mark := NAME_MARK.search(name.rstrip()):
            name = name[: mark.start()]
        kept = name.rstrip()
        printed = re.sub(r"\s+", "", kept)  # a name broken across lines: 市大数\n据局
        if printed:
            roles.append(Role(this, printed, a, a + len(kept)))
    return roles


def find_standing(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Standing sentences that add units to every later measure: (start, end, the units part)."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group(1)) for m in STANDING.finditer(text, start, end)]
