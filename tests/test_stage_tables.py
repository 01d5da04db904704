"""The task-table stage (loaders/tables.py) on its own: tab- or bar-separated rows in, measures with their
role cells out. Every table here is written for this file."""
from __future__ import annotations

import pytest

from govkg.loaders import tables
from govkg.loaders.normalize import normalize
from govkg.loaders.text import MappedText
from govkg.loaders.units import LEADS as L, RESPONSIBLE_FOR as R


def norm(s: str) -> str:
    return normalize(MappedText.identity(s)).text


def rows(text: str):
    """[[(number, task, [(column role, cell, role read from the cell's own words or None)])] per table]"""
    return [[(r.number, r.task.text, [(role, c.text, tables.cell_role(role, c)) for role, c in r.roles])
             for r in t.rows] for t in tables.find_task_tables(text)]


TABLES = [
    # tab-separated (DOCX/HTML), 牵头单位 and 责任单位 columns; an empty cell gives no role
    ("序号\t重点任务\t牵头单位\t责任单位\t完成时限\n1\t建设“鹭岛通”平台\t市数据局\t市财政局\t2025年12月\n"
     "2\t完善政务外网\t市公安局\t\t2024年底\n",
     [[("1", "建设“鹭岛通”平台", [(L, "市数据局", L), (R, "市财政局", R)]),
       ("2", "完善政务外网", [(L, "市公安局", L)])]]),
    # bar-separated, a 配合单位 column, a dash for nothing
    ("|序号|工作任务|牵头单位|配合单位|\n|1|推进数据共享|市数据局|市公安局、市民政局|\n|2|建设城市大脑|市城管局|—|\n",
     [[("1", "推进数据共享", [(L, "市数据局", L), (R, "市公安局、市民政局", R)]),
       ("2", "建设城市大脑", [(L, "市城管局", L)])]]),
    # a cell that says the roles itself; full-width brackets in a number cell
    ("序号\t任务内容\t责任单位\n1\t建设政务云\t市数据局牵头,市财政局配合\n（2）\t推广掌上办\t市政务服务中心\n",
     [[("1", "建设政务云", [(R, "市数据局牵头,市财政局配合", None)]),  # the cell says the roles itself
       ("(2)", "推广掌上办", [(R, "市政务服务中心", R)])]]),
    # a merged category cell on the left: the shorter row is aligned from the right
    ("类别\t重点任务\t牵头单位\n基础设施\t建设政务云\t市数据局\n完善政务外网\t市公安局\n",
     [[(None, "建设政务云", [(L, "市数据局", L)]), (None, "完善政务外网", [(L, "市公安局", L)])]]),
    # no number column; a 协同单位 column; a row with an empty task is skipped
    ("重点任务\t协同单位\n建设政务云\t市财政局\n\t\n建设视频平台\t市公安局\n",
     [[(None, "建设政务云", [(R, "市财政局", R)]), (None, "建设视频平台", [(R, "市公安局", R)])]]),
    # the table ends at the first line that is not a row
    ("序号\t重点任务\t牵头单位\n1\t建设政务云\t市数据局\n二、保障措施\n加强组织领导。\n",
     [[("1", "建设政务云", [(L, "市数据局", L)])]]),
    # two tables
    ("序号\t重点任务\t牵头单位\n1\t建设政务云\t市数据局\n\n一、数据资源\n序号\t工作措施\t责任单位\n1\t编制数据目录\t市数据局\n",
     [[("1", "建设政务云", [(L, "市数据局", L)])], [("1", "编制数据目录", [(R, "市数据局", R)])]]),
    # traditional script headers and cells
    ("序號\t重點任務\t牽頭單位\t配合單位\n1\t建設政務雲\t市數據局\t市財政局\n",
     [[("1", "建设政务云", [(L, "市数据局", L), (R, "市财政局", R)])]]),
    # 主要责任单位 leads, 协同部门 shares
    ("序号\t主要工作\t主要责任单位\t协同部门\n1\t建设政务云\t市数据局\t市财政局\n",
     [[("1", "建设政务云", [(L, "市数据局", L), (R, "市财政局", R)])]]),
    # no role column: not a task table
    ("序号\t任务\t完成时限\n1\t建设政务云\t2025年\n", []),
    # no task column: not a task table
    ("序号\t牵头单位\t完成时限\n1\t市数据局\t2025年\n", []),
    # a header with no rows under it
    ("序号\t重点任务\t牵头单位\n", []),
    ("", []),
    ("建设政务云,牵头单位为市数据局。\n", []),
]


@pytest.mark.parametrize("text,expected", TABLES)
def test_task_tables(text, expected):
    assert rows(norm(text)) == expected


def test_cells_point_into_the_text():
    text = "序号\t重点任务\t牵头单位\n1\t建设政务云\t市数据局\n"
    (table,) = tables.find_task_tables(text)
    (row,) = table.rows
    assert text[row.task.start:row.task.end] == "建设政务云"
    assert [text[c.start:c.end] for _, c in row.roles] == ["市数据局"]
    assert (table.start, table.end) == (0, len(text) - 1)


# the roles extract.py reads from a cell: the column's role for every name, unless the cell marks them itself
CELL_ROLES = [
    ("序号\t重点任务\t责任单位\n1\t建设政务云\t市数据局、市财政局\n", [(R, "市数据局"), (R, "市财政局")]),
    ("序号\t重点任务\t牵头单位\n1\t建设政务云\t市数据局、市财政局\n", [(L, "市数据局"), (L, "市财政局")]),
    ("序号\t重点任务\t责任单位\n1\t建设政务云\t市数据局(牵头)、市财政局\n", [(L, "市数据局"), (R, "市财政局")]),
    ("序号\t重点任务\t责任单位\n1\t建设政务云\t市数据局牵头,市财政局配合\n", [(L, "市数据局"), (R, "市财政局")]),
]


@pytest.mark.parametrize("text,expected", CELL_ROLES)
def test_roles_read_from_a_cell(text, expected):
    from govkg.loaders import units

    (table,) = tables.find_task_tables(text)
    (row,) = table.rows
    got = []
    for role, cell in row.roles:
        own = tables.cell_role(role, cell)
        found = units.named_roles(cell.text, own, cell.start) if own else units.parse_clause(cell.text, cell.start)
        got += [(r.role, r.printed) for r in found]
    assert got == expected
