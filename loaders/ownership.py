"""Who owns a platform, from what one document says (`Agency -OWNS-> Platform`).

OWNS means the text presents the agency as building, running or being in charge of the platform. The rules
(the edge's `basis`, strongest first):

  explicit_statement  a sentence that names the platform says so: 由X建设/运营/负责…, X负责…运营,
                      配合X做好…建设 (X is in charge), X上线/推出/升级… (news)
  named_in_name       the agency is printed as part of the platform's name or as its possessor:
                      省民政厅低收入人口动态监测信息平台, X的…平台
  measure_subject     the platform is the main subject of a measure (the object of 建设/打造/升级/完善 …
                      in its heading or first sentence) and the agency leads that measure; with no lead,
                      a named responsible agency when at most two are named

A measure that only uses a platform as a channel (依托/通过/接入/用好/推广使用 …) or lists it among many
things gives no ownership: the platform stays a MENTIONS of the measure. Collective placeholders never own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import agencies

BASES = ("explicit_statement", "named_in_name", "measure_subject")
CONFIDENCE = {"explicit_statement": 0.9, "named_in_name": 0.85, "measure_subject": 0.75}

# the verbs that make a platform the object of building or running it
BUILD_VERB = re.compile(
    r"建设|建成|新建|打造|升级|完善|优化|迭代|上线|整合|运营|运维|提升|强化|壮大|扩大|搭建|构建|开发|改造"
    r"|部署|扩容|开通|研发|深化|拓展|建立|推出|重构|做强|做优")
AFTER_BUILD = re.compile(r"^(?:[^,,。;;]{0,12}?)(?:建设|升级|改造|迭代|扩容|开发)")
# cues that the platform is only used: the measure works through it
CHANNEL_BEFORE = re.compile(
    r"依托|通过|基于|借助|利用|用好|接入|对接|融通|融入|使用|应用好|集成至|集成到|纳入|汇聚|入驻|联通|运用")
CHANNEL_AFTER = re.compile(r"^[^,,。;;]{0,4}?(?:推广应用|推广使用|应用推广|广泛应用|移动监管|上线运行)")
CLAUSE_BREAK = re.compile(r"[,,;;。::!?!?\n]")
SENTENCE_BREAK = re.compile(r"[。;;!?!?\n]")
HEADING_MAX = 25  # a first sentence this short is a heading: the sentence after it belongs to the subject
LISTED = 3  # a clause naming this many platforms lists them; none is its subject
OWN_VERB = re.compile(r"建设|承建|运营|运维|管理|开发|维护|主办|建成|打造|负责")
NEWS_VERB = re.compile(r"^(?:正式|全新|率先|近日|日前)?(?:上线|推出|发布|升级|建成|打造|开发|运营)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class OwnerStatement:
    printed: str  # the agency as printed
    basis: str
    span: Span  # the sentence (or name) the claim rests on


HEAD_BREAK = re.compile(r"[。!?!?\n]")  # a semicolon joins the clauses of one sentence


def subject_head(text: str, start: int, end: int) -> int:
    """End of a measure's heading and first sentence: where its main subject is named."""
    first = HEAD_BREAK.search(text, start, end)
    if first is None:
        return end
    if first.start() - start <= HEADING_MAX:
        second = HEAD_BREAK.search(text, first.end(), end)
        return second.start() if second else end
    return first.start()


def _clause(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, lo, start)), default=lo)
    right = CLAUSE_BREAK.search(text, end, hi)
    return left, right.start() if right else hi


def is_subject(text: str, start: int, end: int, head_lo: int, head_hi: int, others: list[tuple[int, int]]) -> bool:
    """True when the platform printed at [start, end) is built or run by the measure whose head is
    [head_lo, head_hi): named there, after a build verb (or followed by 建设/升级 …), not as a channel,
    and not one of a list of platforms."""
    if not (head_lo <= start < head_hi):
        return False
    left, right = _clause(text, start, end, head_lo, head_hi)
    before, after = text[left:start], text[end:right]
    if CHANNEL_BEFORE.search(before) or CHANNEL_AFTER.match(after):
        return False
    if "在" in before and after.startswith("上"):  # 在“山东通”上办理
        return False
    if sum(1 for s, _ in others if left <= s < right) >= LISTED:
        return False
    return bool(BUILD_VERB.search(before)) or bool(AFTER_BUILD.match(after))


def stated_owners(text: str, start: int, end: int, lo: int, hi: int,
                  owner_printed: str | None = None) -> list[OwnerStatement]:
    """Agencies that the sentence around the platform printed at [start, end) puts in charge of it."""
    s_lo = max((m.end() for m in SENTENCE_BREAK.finditer(text, lo, start)), default=lo)
    s_end = SENTENCE_BREAK.search(text, end, hi)
    s_hi = s_end.start() if s_end else hi
    sentence = Span(s_lo, s_hi)
    found: list[OwnerStatement] = []
    if owner_printed:
        found.append(OwnerStatement(owner_printed, "named_in_name", Span(start, end)))
    for a_start, a_end, printed in agencies.find_mentions(text, s_lo, s_hi):
        if a_start <= start < a_end:
            continue
        before = text[max(s_lo, a_start - 2):a_start]
        after = text[a_end:s_hi]
        # the agency comes first and the platform follows in the same clause
        leads_into = a_end <= start and not CLAUSE_BREAK.search(text, a_end, start)
        basis = None
        if before.endswith("由") and OWN_VERB.search(after[:14]):
            basis = "explicit_statement"  # 由X负责运营 / 由X建设
        elif before.endswith("配合") and leads_into:
            basis = "explicit_statement"  # 配合X做好…建设: X is in charge
        elif after.startswith("负责") and leads_into and OWN_VERB.search(text[a_end + 2:end + 12]):
            basis = "explicit_statement"  # X负责…平台建设/运营
        elif leads_into and NEWS_VERB.match(after):
            basis = "explicit_statement"  # X上线…平台
        elif after.startswith("的") and leads_into and start - a_end <= 12:
            basis = "named_in_name"  # X的…平台
        if basis:
            found.append(OwnerStatement(printed, basis, sentence))
    return found
