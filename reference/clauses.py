"""Unit clauses, found one way: the bracketed lists of agencies and their roles that close a measure.

    (牵头单位:市大数据局;责任单位:市财政局)  〔责任单位:…〕  (协同单位:市财政局)  (市大数据局牵头,市财政局配合)

Loaders find them in a plan's text (structure.py, then units.parse_clause reads the roles), targets stop
an indicator's words at one, and graph/lineage.py blanks them before comparing measure texts, all with
`UNIT_CLAUSE` and `is_unit_clause` from here. The words come from reference/genre.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import genre

# a bracketed list, one level of nested brackets allowed (a line break inside is a hard-wrapped line:
# (牵头单位:市大数\n据局)); half- and full-width brackets, so it reads normalised and original text alike
UNIT_CLAUSE = re.compile(
    r"[(（〔【\[]((?:[^()（）〔〕【】\[\]]|[(（〔【\[][^()（）〔〕【】\[\]\n]*[)）〕】\]])*)[)）〕】\]]")
# what makes a bracketed list a unit clause: a role label (协同单位:), a lead named in a list (X牵头、), or a
# closing role word (…按职责分工负责)
ROLE_CUE = re.compile(
    rf"(?:{genre.ROLE_WORD})(?:{genre.ROLE_NOUN})\s*[:：]|(?:{genre.INLINE_LEAD_WORD})[,;、]|(?:{genre.INLINE_ROLE})$")
# a field that is not an agency ends the names: (责任单位:X;完成时限:6月底), (…各设区市政府。完成时限:7月30日前)
NON_AGENCY = re.compile(rf"[,;。]?\s*(?:{genre.NON_AGENCY_FIELD})\s*[:：为]|。")
# an opening bracket that starts a unit clause (where an indicator's words end)
CLAUSE_OPENING = rf"[(（](?=[^)）]*(?:{genre.INLINE_ROLE}|{genre.ROLE_NOUN}))"


def agency_part(content: str) -> str:
    """The clause up to the first field that is not an agency (完成时限:…) or the end of its sentence."""
    m = NON_AGENCY.search(content)
    return content[: m.start()] if m else content


def is_unit_clause(content: str) -> bool:
    """Is this bracket's content a list of agencies with roles?"""
    content = agency_part(content.strip())
    if not content or len(content) > 400:
        return False
    return bool(ROLE_CUE.search(content))


def unit_clauses(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The bracketed unit clauses of text[start:end]; group 1 is the content inside the brackets."""
    for m in UNIT_CLAUSE.finditer(text, start, len(text) if end is None else end):
        if is_unit_clause(m.group(1)):
            yield m
