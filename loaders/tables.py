"""Task tables: plans that list their measures as rows of a table.

    序号	重点任务	牵头单位	责任单位	完成时限
    1	建设“烟台一网通办”平台……	市行政审批服务局	市大数据局	2024年12月

Rows are lines whose cells are separated by tabs (DOCX and HTML tables, see readers.py) or by '|'
(tables pasted as text). A table starts at a header row naming a task column and at least one role
column (牵头单位, 责任单位, 配合单位 …); each following row with a task cell is a measure, and its
role cells are the measure's unit clauses. A row of fewer cells than the header (a merged category
cell on the left) is aligned from the right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..reference import genre
from ..reference.chinese import NUMERAL
from .units import LEAD_LABEL, LEADS, RESPONSIBLE_FOR, parse_clause

TASK_HEADER = re.compile(r"任务|工作|内容|措施|事项|举措|项目|目标")
ROLE_HEADER = re.compile(rf"({genre.ROLE_WORD})(?:{genre.ROLE_NOUN})")
NUMBER_HEADER = re.compile(r"^(?:序号|编号|序)$")
NOT_TASK = re.compile(r"时限|时间|进度|单位|部门|序号|备注")
ROW_NUMBER = re.compile(rf"^(?:\d{{1,3}}|{NUMERAL}{{1,3}}|\(\d{{1,3}}\)|\({NUMERAL}{{1,3}}\))[.、]?$")
EMPTY_CELL = re.compile(r"^[-—/、\s]*$")


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRow:
    start: int  # the row's line
    end: int
    number: str | None  # as printed in the number column
    task: Cell
    roles: list[tuple[str, Cell]]  # (LEADS | RESPONSIBLE_FOR as the column says, cell)


@dataclass(frozen=True)
class TaskTable:
    start: int  # the header line
    end: int  # the end of the last row
    rows: list[TableRow]


def _cells(text: str, start: int, end: int) -> list[Cell] | None:
    line = text[start:end]
    if "\t" in line:
        sep = "\t"
    elif line.count("|") >= 2:
        sep = "|"
    else:
        return None
    cells: list[Cell] = []
    pos = start
    for part in line.split(sep):
        lead = len(part) - len(part.lstrip())
        stripped = part.strip()
        cells.append(Cell(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(part) + 1
    if sep == "|":  # | a | b | has empty cells outside the outer bars
        if cells and not cells[0].text:
            cells = cells[1:]
        if cells and not cells[-1].text:
            cells = cells[:-1]
    return cells if len(cells) >= 2 else None


def _header(cells: list[Cell]) -> tuple[int | None, int, list[tuple[int, str]]] | None:
    """(number column, task column, role columns) when the row is a task-table header."""
    roles = []
    for i, c in enumerate(cells):
        m = ROLE_HEADER.search(c.text)
        if m and len(c.text) <= 12:
            roles.append((i, LEADS if LEAD_LABEL.search(m.group(1)) else RESPONSIBLE_FOR))
    if not roles:
        return None
    tasks = [i for i, c in enumerate(cells) if TASK_HEADER.search(c.text) and not NOT_TASK.search(c.text)
             and len(c.text) <= 12]
    if not tasks:
        return None
    number = next((i for i, c in enumerate(cells) if NUMBER_HEADER.match(c.text)), None)
    return number, tasks[0], roles


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        spans.append((pos, end))
        pos = end + 1
    return spans


def find_task_tables(text: str, start: int = 0) -> list[TaskTable]:
    tables: list[TaskTable] = []
    lines = _lines(text, start)
    i = 0
    while i < len(lines):
        cells = _cells(text, *lines[i])
        header = _header(cells) if cells else None
        if header is None:
            i += 1
            continue
        number_col, task_col, role_cols = header
        width = len(cells)
        header_start = lines[i][0]
        rows: list[TableRow] = []
        i += 1
        while i < len(lines):
            a, b = lines[i]
            if not text[a:b].strip():
                i += 1
                continue
            row = _cells(text, a, b)
            if row is None or len(row) > width:
                break
            shift = width - len(row)  # merged cells on the left

            def cell(col: int | None) -> Cell | None:
                return row[col - shift] if col is not None and 0 <= col - shift < len(row) else None

            task = cell(task_col)
            if task is None or EMPTY_CELL.match(task.text):
                i += 1
                continue
            number_cell = cell(number_col)
            number = number_cell.text.rstrip(".、") if number_cell and ROW_NUMBER.match(number_cell.text) else None
            roles = [(role, c) for col, role in role_cols
                     if (c := cell(col)) is not None and not EMPTY_CELL.match(c.text)]
            rows.append(TableRow(a, b, number, task, roles))
            i += 1
        if rows:
            tables.append(TaskTable(header_start, rows[-1].end, rows))
    return tables


def cell_role(role: str, cell: Cell) -> str | None:
    """The column's role, or None when the cell says the roles itself (市大数据局牵头,市财政局配合)."""
    return None if parse_clause(cell.text, 0) else role
