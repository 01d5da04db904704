"""The units stage (loaders/units.py) on its own: clause text in, (role, printed name) records out, for the
label variants, separators and edge cases of the genre. Full-width punctuation and traditional script reach
the parser through normalize (as in extract.py), so those rows are normalised first.
tests/test_clauses.py holds the clause forms of real plans; these rows are written for this file."""
from __future__ import annotations

import pytest

from govkg.loaders import units
from govkg.loaders.normalize import normalize
from govkg.loaders.structure import is_unit_clause
from govkg.loaders.text import MappedText

L, R = units.LEADS, units.RESPONSIBLE_FOR


def norm(s: str) -> str:
    return normalize(MappedText.identity(s)).text


PARSE = [
    # the lead helper's case, as the structure stage hands it over (brackets off)
    ("协同单位:市财政局", [(R, "市财政局")]),
    ("协同单位：市财政局", [(R, "市财政局")]),  # full-width colon
    ("(协同单位:市财政局)", [(R, "市财政局")]),  # with its brackets
    ("配合单位:市公安局及相关单位", [(R, "市公安局")]),  # the placeholder after 及 is dropped
    ("责任单位:各有关部门和单位", [(R, "各有关部门和单位")]),  # one placeholder, not split at 和
    ("〔牵头单位:市数据局;协同单位:市财政局〕", [(L, "市数据局"), (R, "市财政局")]),
    ("牵头单位：市数据局；责任单位：市公安局、市人社局", [(L, "市数据局"), (R, "市公安局"), (R, "市人社局")]),
    ("牵头单位:区数据局,配合单位:区财政局、区市场监管局", [(L, "区数据局"), (R, "区财政局"), (R, "区市场监管局")]),
    ("责任单位:县政务服务中心", [(R, "县政务服务中心")]),
    ("参与单位:市教育局、市交通运输局", [(R, "市教育局"), (R, "市交通运输局")]),
    ("实施单位:市城管局;协助单位:市应急局", [(R, "市城管局"), (R, "市应急局")]),
    ("主要责任单位:市数据局;相关单位:各区县政府", [(L, "市数据局"), (R, "各区县政府")]),
    # two labels on two lines
    ("牵头单位:市数据局\n责任单位:市财政局", [(L, "市数据局"), (R, "市财政局")]),
    # traditional script
    ("牽頭單位：市數據局；配合單位：市財政局", [(L, "市数据局"), (R, "市财政局")]),
    # inline roles without labels
    ("市数据局牵头、市卫健委配合", [(L, "市数据局"), (R, "市卫健委")]),
    ("市数据局牵头,各区县政府负责落实", [(L, "市数据局"), (R, "各区县政府")]),
    # separators inside a list: 、 和
    ("牵头单位:市数据局、市发展改革委和市工业和信息化局", [(L, "市数据局"), (L, "市发展改革委"), (L, "市工业和信息化局")]),
    # a placeholder after 等 is dropped, a marker after a name is dropped
    ("责任单位:市财政局等有关部门", [(R, "市财政局")]),
    ("责任单位:市数据局★、市财政局", [(R, "市数据局"), (R, "市财政局")]),
    # a field that is not an agency ends the list
    ("牵头单位:市数据局;完成时间:2025年6月", [(L, "市数据局")]),
    ("责任单位:市公安局。2025年底前完成", [(R, "市公安局")]),
    # a name hard-wrapped over two lines is one name
    ("牵头单位:市数\n据局", [(L, "市数据局")]),
    # no roles
    ("", []),
    ("2025年底前建成", []),
    ("详见附表", []),
]


@pytest.mark.parametrize("clause,expected", PARSE)
def test_parse_clause(clause, expected):
    text = norm(clause)
    assert [(r.role, r.printed) for r in units.parse_clause(text, 0)] == expected


IS_CLAUSE = [
    ("(协同单位:市财政局)", True),
    ("协同单位:市财政局", True),
    ("配合单位:市公安局", True),
    ("市数据局牵头、市卫健委配合", True),
    ("市公安局、市数据局按职责分工负责", True),
    ("", False),
    ("2025年底前建成", False),
    ("详见附表", False),
    ("含市数据局", False),
    ("完成时限:2025年底。牵头单位:市数据局", False),  # only what comes before the first non-agency field counts
    ("牵头单位:" + "市数据局、" * 90, False),  # longer than any real clause
]


@pytest.mark.parametrize("clause,expected", IS_CLAUSE)
def test_is_unit_clause(clause, expected):
    assert is_unit_clause(norm(clause)) is expected


def test_positions_point_at_the_printed_names():
    clause = "牵头单位:市数据局;配合单位:市财政局、市审计局"
    roles = units.parse_clause(clause, 40)
    assert [(r.start, r.end) for r in roles] == [(45, 49), (55, 59), (60, 64)]
    assert all(clause[r.start - 40:r.end - 40] == r.printed for r in roles)


SPLIT = [
    ("市数据局、市财政局和市审计局", ["市数据局", "市财政局", "市审计局"]),
    ("各县(市、区)政府、市直各部门", ["各县(市、区)政府", "市直各部门"]),  # a 、 inside brackets does not split
    ("市数据局,市财政局;市公安局", ["市数据局", "市财政局", "市公安局"]),
    ("市数据局等有关单位", ["市数据局"]),
    ("各有关部门和单位", ["各有关部门和单位"]),
    ("", []),
]


@pytest.mark.parametrize("segment,expected", SPLIT)
def test_split_names(segment, expected):
    assert [name for name, _, _ in units.split_names(segment, 0)] == expected


AGENCY_PART = [
    ("市数据局;完成时限:2025年底", "市数据局"),
    ("市数据局、市财政局。确保按期完成", "市数据局、市财政局"),
    ("市数据局,时间节点:2024年", "市数据局"),
    ("市数据局", "市数据局"),
    ("", ""),
]


@pytest.mark.parametrize("content,expected", AGENCY_PART)
def test_agency_part(content, expected):
    assert units.agency_part(content) == expected


NAMED = [
    ("市数据局、市财政局", L, [(L, "市数据局"), (L, "市财政局")]),
    ("市数据局、市财政局", R, [(R, "市数据局"), (R, "市财政局")]),
    ("市数据局(牵头)、市财政局", R, [(L, "市数据局"), (R, "市财政局")]),  # a lead mark inside a 责任单位 cell
    ("市数据局牵头、市财政局配合", R, [(L, "市数据局"), (R, "市财政局")]),
]


@pytest.mark.parametrize("segment,role,expected", NAMED)
def test_named_roles(segment, role, expected):
    assert [(r.role, r.printed) for r in units.named_roles(segment, role, 0)] == expected


STANDING = [
    ("以下任务均需各区县政府落实,不再一一列出。", [("各区县政府", False)]),
    ("除专门列出外,以下任务均需各县区政府落实,不再一一列出。", [("各县区政府", True)]),
    ("各区县政府要抓好落实。", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", STANDING)
def test_find_standing(text, expected):
    assert [(s.units, s.unless_listed) for s in units.find_standing(text)] == expected
