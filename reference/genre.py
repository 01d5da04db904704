"""The genre's words, defined once: how unit clauses name roles, and the fields that are not agencies.

Loaders (clause parsing, tables, structure) and graph (lineage's clause stripping) build their patterns
from these lists, so a role word added here is read the same way everywhere.
"""
from __future__ import annotations

# a label's role word before 单位/部门/机关: 牵头单位, 主责部门 lead; 责任单位, 配合部门, 协同单位 … share
LEAD_ROLE_WORDS = ("主要责任", "牵头", "主责", "主办")
SHARED_ROLE_WORDS = ("责任", "配合", "参与", "协办", "协同", "协助", "实施", "主体", "相关", "有关", "其他")
ROLE_NOUNS = ("单位", "部门", "机关")
# a role marked after a name inside a list: X牵头、Y配合; X牵头,Y按职责分工负责; X负责落实
INLINE_LEAD = ("牵头负责", "牵头")
INLINE_SHARED = ("按职责分工负责", "按职责负责", "分工负责", "负责落实", "负责", "配合", "参与", "协同", "协助", "落实")
# words between names and an inline role that belong to neither: X按职责分别负责
ROLE_ADVERBS = ("按职责", "分别", "共同", "具体", "负责", "抓好", "组织", "认真")
# how an agency's name ends (市大数据局, 市政府办公室, 省大数据中心, 国网XX供电公司, 各有关单位)
AGENCY_ENDINGS = ("局", "厅", "委", "办", "室", "府", "会", "部", "中心", "院", "队", "所", "公司", "单位", "部门", "集团",
                  "银行")
# the one-character level a name opens with: 省大数据局, 市政务云, 县政府, 区融媒体中心
LEVEL_MARKERS = "省市县区"
# fields of a unit clause that are not agencies: (责任单位:X;完成时限:6月底)
NON_AGENCY_FIELDS = ("完成时限", "完成时间", "完成期限", "时间节点", "时间安排", "进度安排", "时限要求", "时限")


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of words, longest first (so 牵头负责 wins over 牵头)."""
    return "|".join(sorted(words, key=len, reverse=True))


ROLE_WORD = alternation(LEAD_ROLE_WORDS + SHARED_ROLE_WORDS)
ROLE_NOUN = alternation(ROLE_NOUNS)
LEAD_WORD = alternation(LEAD_ROLE_WORDS)
INLINE_ROLE = alternation(INLINE_LEAD + INLINE_SHARED)
INLINE_LEAD_WORD = alternation(INLINE_LEAD)
NON_AGENCY_FIELD = alternation(NON_AGENCY_FIELDS)
AGENCY_ENDING = alternation(AGENCY_ENDINGS)
LEVEL_MARKER = f"[{LEVEL_MARKERS}]"
