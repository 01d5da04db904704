"""The numbered structure of a plan: section headings (一、 / (一) / 1.) and measures.

Works on normalised text (ASCII brackets and punctuation). Numbering markers are accepted at the
start of a line, or inside a line right after a sentence end or a closing bracket when they
continue the running sequence, which is how two measures printed on one line are told apart.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..reference import genre
from ..reference.clauses import is_unit_clause, unit_clauses
from ..reference.chinese import ANY_NUMERAL, numeral_value
from .tables import TaskTable, cell_role, find_task_tables
from .units import parse_clause

CN_NUM = rf"{ANY_NUMERAL}{{1,3}}"


# level order: outermost first
LEVELS = ("cn", "paren_cn", "arabic", "paren_arabic", "circled", "shi")
MARKERS = {
    "cn": re.compile(rf"({CN_NUM})[、.]"),
    "paren_cn": re.compile(rf"\(({CN_NUM})\)"),
    "arabic": re.compile(r"(\d{1,3})(?:[.、](?!\d)|\s(?=[\u4e00-\u9fff])|\)(?=[\u4e00-\u9fff“]))"),
    "paren_arabic": re.compile(r"\((\d{1,2})\)(?![\d%万亿个项家])"),
    "circled": re.compile(r"([\u2460-\u2473])"),  # ① … ⑳
    "shi": re.compile(rf"(第?{CN_NUM})是"),
}
# where a marker may stand inside a line: after a sentence end or a closing bracket
INLINE_AFTER = set("。;)〕】!?")

@dataclass
class Item:
    level: str
    number: str  # as printed, without the trailing 、 or .
    value: int
    start: int  # position of the marker
    body_start: int  # first character after the marker
    line_start: bool
    end: int = -1


@dataclass
class UnitClause:
    start: int  # the whole clause, brackets included
    end: int
    content: str  # what the roles are read from
    content_start: int  # where `content` starts in the text
    role: str | None = None  # set when a table column says the role; None: read it from `content`


@dataclass
class Measure:
    item: Item
    text_start: int
    text_end: int  # end of the measure text, before its unit clauses
    end: int  # end of the whole item
    clauses: list[UnitClause] = field(default_factory=list)
    section: Item | None = None
    sections: list[Item] = field(default_factory=list)


@dataclass
class Structure:
    sections: list[Item]
    measures: list[Measure]
    measure_level: str | None
    body_start: int  # where numbered content starts
    clauses: list[UnitClause] = field(default_factory=list)  # every unit clause of the text from body_start


class _OpenSections:
    """The headings a position lies under, for positions asked in increasing order."""

    def __init__(self, headings: list[Item]):
        self.headings = headings  # sorted by start
        self.next = 0
        self.stack: dict[str, Item] = {}

    def at(self, pos: int) -> list[Item]:
        while self.next < len(self.headings) and self.headings[self.next].start < pos:
            h = self.headings[self.next]
            self.stack[h.level] = h
            for deeper in LEVELS[LEVELS.index(h.level) + 1:]:
                self.stack.pop(deeper, None)
            self.next += 1
        return [self.stack[lv] for lv in LEVELS if lv in self.stack]


# the same without brackets, on a line of its own: 责任单位:市大数据局、市财政局
UNIT_LINE = re.compile(rf"(?m)^[ \t]*((?:{genre.ROLE_WORD})[^:\n]{{0,6}}:[^\n。]{{2,300}})[ \t\r]*$")


# the same as the last sentence of a paragraph: 市城市管理局、市应急局按职责分工负责。
DUTY_SENTENCE = re.compile(rf"(?m)(?:^|(?<=[。;]))[ \t]*([^。;\n]{{4,120}}?(?:{genre.INLINE_ROLE}))。?[ \t\r]*$")
AGENCY_END = re.compile(rf"(?:{genre.AGENCY_ENDING})$")


def _is_duty_sentence(content: str) -> bool:
    """Only agencies and role words: every name the clause parser finds ends like an agency."""
    if not is_unit_clause(content):
        return False
    roles = parse_clause(content, 0)
    if not roles or not all(AGENCY_END.search(r.printed) for r in roles):
        return False
    covered = sorted((r.start, r.end) for r in roles)
    rest, pos = [], 0
    for a, b in covered:
        rest.append(content[pos:a])
        pos = max(pos, b)
    rest.append(content[pos:])
    leftover = re.sub(rf"[、,;和及等由]|{genre.INLINE_ROLE}|{genre.alternation(genre.ROLE_ADVERBS)}|分工|有关|相关", "",
                      "".join(rest))
    return leftover.strip() == ""


def find_unit_clauses(text: str, start: int = 0, end: int | None = None) -> list[UnitClause]:
    end = len(text) if end is None else end
    found = [UnitClause(m.start(), m.end(), m.group(1), m.start(1)) for m in unit_clauses(text, start, end)]
    found += [UnitClause(m.start(1), m.end(1), m.group(1), m.start(1)) for m in UNIT_LINE.finditer(text, start, end)
              if is_unit_clause(m.group(1)) and not any(c.start <= m.start(1) < c.end for c in found)]
    found += [UnitClause(m.start(1), m.end(), m.group(1), m.start(1)) for m in DUTY_SENTENCE.finditer(text, start, end)
              if _is_duty_sentence(m.group(1)) and not any(c.start <= m.start(1) < c.end for c in found)]
    return sorted(found, key=lambda c: c.start)


def _candidates(text: str) -> list[Item]:
    found: list[Item] = []
    line_starts = {0} | {m.end() for m in re.finditer(r"\n", text)}
    for level, pattern in MARKERS.items():
        for m in pattern.finditer(text):
            pos = m.start()
            # skip leading blanks of the line
            j = pos - 1
            while j >= 0 and text[j] in " \t\r":
                j -= 1
            at_line_start = (j + 1) in line_starts or j < 0
            inline_ok = j >= 0 and text[j] in INLINE_AFTER
            if not (at_line_start or inline_ok):
                continue
            if level == "shi" and not at_line_start and text[j] not in "。;":
                continue
            number = m.group(1)
            value = numeral_value(number.lstrip("第"))
            if value <= 0:
                continue
            printed = {"paren_cn": f"({number})", "paren_arabic": f"({number})",
                       "shi": f"{number}是"}.get(level, number)
            found.append(Item(level, printed, value, pos, m.end(), at_line_start))
    found.sort(key=lambda it: it.start)
    return found


def _sequence(items: list[Item]) -> list[Item]:
    """Keep the markers of one level that form running sequences (1, 2, 3 … possibly restarting)."""
    kept: list[Item] = []
    last = 0
    for it in items:
        if it.value == last + 1 or (it.value == 1 and it.line_start):
            kept.append(it)
            last = it.value
        elif it.line_start and kept and it.value == last:  # a repeated number on its own line
            continue
    return kept


def parse_structure(text: str, body_start: int = 0) -> Structure:
    tables = find_task_tables(text, body_start)
    table_spans = [(t.start, t.end) for t in tables]
    candidates = [c for c in _candidates(text) if c.start >= body_start
                  and not any(a <= c.start < z for a, z in table_spans)]
    by_level = {lv: _sequence([c for c in candidates if c.level == lv]) for lv in LEVELS}
    # A restart of an inner level happens under a new outer heading; inline markers of outer
    # levels are rare, so outer levels keep line-start markers only (plus inline (一) after a clause).
    by_level["cn"] = [c for c in by_level["cn"] if c.line_start]
    clauses = find_unit_clauses(text, body_start)

    starts = [c.start for c in clauses]

    def clause_count(level: str) -> int:
        items = by_level[level]
        n = 0
        for i, it in enumerate(items):
            stop = items[i + 1].start if i + 1 < len(items) else len(text)
            if bisect.bisect_left(starts, stop) > bisect.bisect_left(starts, it.start):
                n += 1
        return n

    usable = [lv for lv in LEVELS if len(by_level[lv]) >= 2 or (by_level[lv] and clause_count(lv))]
    table_rows = sum(len(t.rows) for t in tables)
    if tables and (not usable or (table_rows >= 2 and not any(clause_count(lv) for lv in usable))):
        # the measures are the rows of task tables; numbered prose above them gives the sections
        return _table_structure(text, tables, [it for lv in LEVELS for it in by_level[lv]], body_start, clauses)
    if not usable:
        return Structure([], [], None, body_start, clauses)
    if clauses:
        measure_level = max(usable, key=lambda lv: (clause_count(lv), LEVELS.index(lv)))
        if clause_count(measure_level) == 0:
            measure_level = usable[-1]
    else:
        measure_level = usable[-1] if usable[-1] != "shi" or len(usable) == 1 else usable[-2]
    outer = LEVELS[: LEVELS.index(measure_level)]
    headings = sorted((it for lv in outer for it in by_level[lv]), key=lambda it: it.start)
    measures_items = by_level[measure_level]
    promoted = _headings_that_are_measures(headings, measures_items, starts, len(text))
    if promoted:
        headings = [h for h in headings if h not in promoted]
        measures_items = sorted(measures_items + promoted, key=lambda it: it.start)
    boundaries = sorted([it.start for it in headings] + [it.start for it in measures_items] + [len(text)])

    def next_boundary(pos: int) -> int:
        i = bisect.bisect_right(boundaries, pos)
        return boundaries[i] if i < len(boundaries) else len(text)

    clause_starts = [c.start for c in clauses]

    for it in headings:
        line_end = text.find("\n", it.body_start)
        it.end = min(line_end if line_end != -1 else len(text), next_boundary(it.start))

    measures: list[Measure] = []
    open_sections = _OpenSections(headings)
    paragraph_headings: list[Item] = []
    for it in measures_items:
        end = next_boundary(it.start)
        end = _cut_trailer(text, it.body_start, end)
        it.end = end
        lo, hi = bisect.bisect_left(clause_starts, it.body_start), bisect.bisect_left(clause_starts, end)
        own = [c for c in clauses[lo:hi] if c.end <= end]
        text_end = end
        # the measure text stops before its trailing unit clauses
        for c in reversed(own):
            if text[c.end:text_end].strip(" \t\r\n;。,") == "":  # 一是…(X牵头);二是…
                text_end = c.start
        while text_end > it.body_start and text[text_end - 1] in " \n\r":
            text_end -= 1
        m = Measure(it, it.body_start, text_end, end, own)
        m.sections = open_sections.at(it.start)
        m.section = m.sections[-1] if m.sections else None
        paragraphs = _paragraph_measures(text, m)
        if paragraphs:  # the item is a heading over unnumbered measures
            it.end = text.find("\n", it.body_start)
            paragraph_headings.append(it)
            measures.extend(paragraphs)
        else:
            measures.append(m)
    headings = sorted(headings + paragraph_headings, key=lambda h: h.start)
    return Structure(headings, measures, measure_level, body_start, clauses)


def _paragraph_measures(text: str, m: Measure) -> list[Measure]:
    """Unnumbered measures under a numbered heading: every paragraph after the heading's line ends
    with its own unit clause (一、推进数字政府建设 / 推进A。(牵头单位:X) / 推进B。(牵头单位:Y))."""
    first_break = text.find("\n", m.item.body_start, m.end)
    if first_break < 0 or len(m.clauses) < 2 or any(c.start < first_break for c in m.clauses):
        return []
    found: list[Measure] = []
    pos = first_break + 1
    clauses = list(m.clauses)
    while pos < m.end:
        line_end = text.find("\n", pos, m.end)
        line_end = m.end if line_end < 0 else line_end
        if text[pos:line_end].strip():
            own = [c for c in clauses if pos <= c.start and c.end <= line_end]
            if not own or text[own[-1].end:line_end].strip(" \t\r;。,"):
                return []  # a paragraph without a clause at its end: not this layout
            start = pos + len(text[pos:line_end]) - len(text[pos:line_end].lstrip())
            text_end = own[0].start
            while text_end > start and text[text_end - 1] in " \t\r":
                text_end -= 1
            item = Item("paragraph", "", len(found) + 1, start, start, True, line_end)
            found.append(Measure(item, start, text_end, line_end, own, m.item, [*m.sections, m.item]))
        pos = line_end + 1
    return found if len(found) >= 2 else []


def _headings_that_are_measures(headings: list[Item], measures: list[Item], clause_starts: list[int],
                                text_end: int) -> list[Item]:
    """Items of an outer level that carry their own unit clauses and hold no measure: in a plan
    whose section 一 numbers its measures 1. 2. and section 二 numbers them (一) (二), those (一)."""
    measure_starts = [it.start for it in measures]
    found = []
    for i, h in enumerate(headings):
        stop = headings[i + 1].start if i + 1 < len(headings) else text_end
        k = bisect.bisect_right(measure_starts, h.start)
        if k < len(measure_starts) and measure_starts[k] < stop:
            continue
        if bisect.bisect_left(clause_starts, stop) > bisect.bisect_left(clause_starts, h.start):
            found.append(h)
    return found


def _table_structure(text: str, tables: list[TaskTable], headings: list[Item], body_start: int,
                     clauses: list[UnitClause]) -> Structure:
    headings = sorted(headings, key=lambda it: it.start)
    for it in headings:
        line_end = text.find("\n", it.body_start)
        it.end = line_end if line_end != -1 else len(text)
    measures: list[Measure] = []
    open_sections = _OpenSections(headings)
    for table in tables:
        for k, row in enumerate(table.rows, 1):
            number = row.number or str(k)  # a table without a 序号 column: the row's place
            item = Item("table", number, numeral_value(number.strip("()")), row.start, row.task.start, True, row.end)
            clauses = [UnitClause(c.start, c.end, c.text, c.start, cell_role(role, c)) for role, c in row.roles]
            sections = open_sections.at(row.start)
            measures.append(Measure(item, row.task.start, row.task.end, row.end, clauses,
                                    sections[-1] if sections else None, sections))
    return Structure(headings, measures, "table", body_start, clauses)


TRAILER = re.compile(r"\n\s*(?:附件|附表|抄送|(?:此件|本件)|[(]此件)")


def _cut_trailer(text: str, start: int, end: int) -> int:
    m = TRAILER.search(text, start, end)
    return m.start() if m else end
