"""Numeric targets: 新建5G基站6万个, 智慧社区不少于5000个, 覆盖率达到80%以上.

A target is a number with a counting unit (optionally 万/亿) inside a measure or a reported goal.
Years, versions, frequencies (5G), document numbers, codes such as “1+N” and qualifiers of something
else (投资500万元以上的项目, 35千伏及以上) are not targets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..reference.clauses import CLAUSE_OPENING

# where an indicator's trailing words end: a verb of the next clause, or a unit clause
UNTIL_CLAUSE = re.compile(
    rf"在|实现|达到|全面|纳入|接入|覆盖|并|,|{CLAUSE_OPENING}")


UNITS = (r"个百分点|百分点|个工作日|工作日|平方公里|平方米|万平方米|公里|千米|人次|万人次|亿人次|台套|个|项|家|台|户|路|条|座"
         r"|所|人|次|场|款|套|张|名|处|栋|亩|吨|元|倍|件|类|篇|份|辆|艘|架|颗|批"
         r"|EFLOPS|PFLOPS|EF(?![A-Za-z])|PF(?![A-Za-z])|PB(?![A-Za-z])|TB(?![A-Za-z])|E(?![A-Za-z])|P(?![A-Za-z])"
         r"|%|‰|星级|万|亿")
NUMBER = re.compile(rf"(?<![\d.+“×/\-])(\d+(?:\.\d+)?)((?:万|亿|千)?(?:亿元|万元|元)|(?:万|亿)?(?:{UNITS}))")
NOT_AFTER = re.compile(r"^(?:及以上|以上的?(?:投资|规模)|[年月日号版]|[”+×/])")
NOT_BEFORE = re.compile(r"(?:投资|规模|时限|第|“)$")
META_NOUN = re.compile(r"^(?:以上|左右)?(?:的)?(?:项|条)?(?:措施|任务|重点任务|举措|项措施|工作要点|方面)")
QUALIFIERS = ("不少于", "不低于", "至少", "以上", "超过", "突破", "达到", "左右", "小于", "低于", "以内", "力争")
INCREMENT = re.compile(r"新增|新建|新开通|新认证|新打造|新上线|新发布|增加|新培育|新招引|开工改造|新设")
CUMULATIVE = re.compile(r"累计|总数|总量|保有量|达到|达|突破|超过|建成")
BASELINE = re.compile(r"在[^,。;]{0,30}基础上|已建成|已累计|已实现|已开通")
CLAUSE_BREAK = re.compile(r"[,;。:!?\n]")
LEADING_NOISE = re.compile(r"^(?:\d{1,2}[.、]|年底前|年内|全年|力争|到\d{4}年底?|\d{4}年底?前?|今年|其中|同时|并|推动|实现|确保)+")


@dataclass
class TargetMention:
    value: float
    unit: str
    indicator: str
    qualifier: str | None
    kind: str  # increment | cumulative | share | baseline | level
    start: int  # the number and unit
    end: int
    clause_start: int
    clause_end: int
    deadline: int | None = None


LIST_VERB = re.compile(r"新[\u4e00-\u9fff]{1,2}?(?=\d|[\u4e00-\u9fff])|培育|打造|建设|建成|创建|推广|认定|遴选|评选|开通|上线|部署"
                       r"|改造|实施|引进|招引|发布|争创|创成|认证|累计|完成|达到|达|增加|突破|超过")


def _head_of(clause_head: str) -> str:
    """What comes before the first number of a clause: 开工改造城镇老旧小区 in 开工改造城镇老旧小区139个."""
    m = re.match(r"[^\d]*?(?=\d)", clause_head)
    return LEADING_NOISE.sub("", m.group(0) if m else "")


def _verb_of(clause_head: str) -> str:
    """The verb that opens '新认证5个…' (新认证), for the next item of the same list."""
    head = _head_of(clause_head)
    verb = INCREMENT.match(head) or LIST_VERB.match(head)
    return verb.group(0) if verb else ""


def _clause_bounds(text: str, pos: int, start: int, end: int) -> tuple[int, int]:
    a = pos
    while a > start and not CLAUSE_BREAK.match(text[a - 1]):
        a -= 1
    b = pos
    while b < end and not CLAUSE_BREAK.match(text[b]):
        b += 1
    return a, b


def find_targets(text: str, start: int, end: int, year: int | None = None) -> list[TargetMention]:
    found: list[TargetMention] = []
    prev_indicator = ""
    for m in NUMBER.finditer(text, start, end):
        after = text[m.end():m.end() + 8]
        before = text[max(start, m.start() - 3):m.start()]
        unit = m.group(2)
        if NOT_AFTER.match(after) or NOT_BEFORE.search(before) or META_NOUN.match(after):
            continue
        if unit in ("万", "亿") and not re.match(r"[\u4e00-\u9fff]", after[:1] or " "):
            pass
        if re.match(r"[A-Za-z]", after[:1] or "") and unit not in ("%",):
            continue  # 5G, 100Mbps: the number belongs to a name or a unit not counted here
        if re.match(r"\d{4}$", m.group(1)) and 1990 <= int(m.group(1)) <= 2100 and unit in ("年",):
            continue
        a, b = _clause_bounds(text, m.start(), start, end)
        clause = text[a:b]
        # 新认证5个智慧农业应用基地、1个智能牧场: 、 separates the items of one clause
        sub_start = text.rfind("、", a, m.start())
        if sub_start != -1 and re.search(r"\d", text[sub_start:m.start()]) is None and \
                re.search(r"\d", text[a:sub_start]):
            # the item's own words, after the verb of the list's first item: 培育 + 数字化车间
            own = text[sub_start + 1:m.start()]
            if not own.strip():  # 小区139个、1.57万户: the same thing in another unit
                before_num = _head_of(text[a:sub_start])
            elif INCREMENT.match(own) or CUMULATIVE.match(own):
                before_num = own
            else:
                before_num = _verb_of(text[a:sub_start]) + own
        else:
            before_num = text[a:m.start()]
        after_num = text[m.end():b]
        cut = re.search(r"、(?=[^、]*?\d)", after_num)  # the next numbered item: 平台20个、数字化车间100家
        if cut:
            after_num = after_num[:cut.start()]
        indicator = LEADING_NOISE.sub("", before_num).strip()
        trailing_noun = re.sub(r"^(?:以上|左右|及以上)?的?", "", after_num).strip()
        trailing_noun = re.split(UNTIL_CLAUSE,
                                 trailing_noun)[0][:20]
        if trailing_noun:
            indicator = (indicator + trailing_noun).strip()
        for q in QUALIFIERS:
            indicator = indicator.replace(q, "")
        indicator = re.sub(r"(?:达到?|为|至|提高到|提升到|增长|增加)$", "", indicator).strip()
        core = re.sub(r"^(?:累计|总数|总量|新增|新建|共|合计|其中)+", "", indicator)
        if len(core) < 2:  # 新开通5G基站1350个,累计达1.1万个: the second clause counts the same thing
            previous_core = re.sub(r"^(?:全[省市区县]|累计|总数|新增|新建|新开通)+", "", prev_indicator)
            indicator = (indicator + previous_core) if previous_core else indicator
        prev_indicator = indicator or prev_indicator
        qualifier = next((q for q in QUALIFIERS if q in clause), None)
        if BASELINE.search(clause):
            kind = "baseline"
        elif unit in ("%", "‰", "个百分点", "百分点"):
            kind = "share"
        elif INCREMENT.search(before_num):
            kind = "increment"
        elif CUMULATIVE.search(before_num):
            kind = "cumulative"
        else:
            kind = "level"
        deadline = None
        dm = re.search(r"(?:到|至)?(20\d{2})年(?:底|末)?(?:前)?", before_num)
        if dm:
            deadline = int(dm.group(1))
        elif year and re.search(r"年底前|年内|全年|今年", clause):
            deadline = year
        value = float(m.group(1))
        found.append(TargetMention(int(value) if value.is_integer() else value, unit, indicator, qualifier, kind,
                                   m.start(), m.end(), a, b, deadline))
    return found
