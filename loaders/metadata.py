"""Plan metadata (title, issuer, 发文字号, date, jurisdiction, plans implemented), genre, and the
stories of a news digest."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..reference import regions
from ..reference.chinese import NUMERAL, YEAR_DIGIT, YEAR_DIGITS, numeral_value

PLAN_WORDS = r"(?:工作要点|要点|行动方案|实施方案|工作方案|方案|行动计划|计划|实施意见|意见|规划|办法|措施|举措|纲要|细则|清单|通知|任务分工|重点任务)"
NOTICE_TITLE = re.compile(rf"^(?P<issuer>.{{2,40}}?)?关于印发(?P<title>.{{2,80}}?{PLAN_WORDS}》?)的通知\s*$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号")
DATE = re.compile(r"^\s*[(]?(\d{4})年(\d{1,2})月(\d{1,2})日[)]?\s*$")
CN_DATE = re.compile(rf"^\s*({YEAR_DIGIT}{{4}})年({NUMERAL}{{1,3}})月({NUMERAL}{{1,3}})日\s*$")
TITLE_LINE = re.compile(rf"^[^,。;:]{{4,60}}{PLAN_WORDS}(?:\([^()]*\))?\s*$")
BOOK_TITLE = re.compile(r"《([^《》\n]{2,80})》")
IMPLEMENT_CUE = re.compile(r"(?:贯彻落实|贯彻|落实|根据|按照|依据|对照)")
NEWS_CUE = re.compile(r"记者|消息|获悉|日前|近日|近期|讯[)\s]|新闻发布会|报道|发布会|据[\u4e00-\u9fff]{1,10}(?:消息|介绍)")
PUBLISH_VERB = re.compile(r"印发|出台|制定|起草|发布|公布|审议通过|出炉")


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class PlanInfo:
    title: str | None = None
    title_span: Span | None = None
    issuer: str | None = None
    issuer_span: Span | None = None
    doc_number: str | None = None
    doc_number_span: Span | None = None
    issued: str | None = None
    issued_span: Span | None = None
    jurisdiction: str | None = None
    implements: list[Span] = field(default_factory=list)
    body_start: int = 0

    @property
    def year(self) -> int | None:
        for s in (self.issued, self.title):
            m = re.search(r"(20\d{2})", s or "")
            if m:
                return int(m.group(1))
        return None


def lines_with_pos(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        out.append((pos + lead, pos + len(body.rstrip()), body.strip()))
        pos += len(line)
    return out


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def parse_date_line(line: str) -> str | None:
    m = DATE.match(line)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = CN_DATE.match(line)
    if m:
        y = int("".join(str(YEAR_DIGITS[c]) for c in m.group(1)))
        return _iso(y, numeral_value(m.group(2)), numeral_value(m.group(3)))
    return None


def region_of(name: str | None) -> str | None:
    if not name:
        return None
    region = regions.find_region_prefix(name)
    return region.key if region else None


def is_news(text: str, has_unit_clauses: bool, has_doc_number: bool) -> bool:
    if has_unit_clauses or has_doc_number:
        return False
    head = text[:400]
    return bool(NEWS_CUE.search(head)) or ("|" in text[:80] and not META_FIELD.search(text[:200]))


# a government site's metadata block: 文 号 | 泰姜政办〔2023〕25号 | … or 文号: 龙政发〔2023〕8号 公开日期: …
META_KEYS = {"文号": "doc_number", "发文字号": "doc_number", "发文日期": "issued", "成文日期": "issued",
             "发布机构": "issuer", "发文机关": "issuer", "发文单位": "issuer"}
META_FIELD = re.compile(r"(?:索\s*引\s*号|文\s*号|发\s*文\s*日\s*期|成\s*文\s*日\s*期|发\s*布\s*机\s*构|发\s*文\s*机\s*关)\s*[|:：]")
META_PAIR = re.compile(r"([\u4e00-\u9fff][\u4e00-\u9fff ]{1,8}?)\s*[|:：]\s*([^|\s][^|]*?)\s*(?=\||$|\s+[\u4e00-\u9fff][\u4e00-\u9fff ]{1,8}?\s*[:：])")
ISO_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
# the body a title opens with: 龙游县人民政府深化数字政府建设…的实施意见 is issued by 龙游县人民政府
TITLE_ISSUER = re.compile(r"^(?P<issuer>.{2,12}?(?:人民政府办公厅|人民政府办公室|人民政府))(?=[\u4e00-\u9fff“]{4,})(?!关于印发)")
SIGNATURE = re.compile(r"(?:办公厅|办公室|人民政府|政府|委员会|领导小组|局|厅|委|办|中心|小组)$")
NOTICE_SENTENCE = re.compile(r"《(?P<title>[^《》\n]{4,80})》[^。\n]{0,40}?(?:印发给你们|现印发|现将.{0,4}印发|予以印发)")


def _metadata_fields(head: list[tuple[int, int, str]]) -> dict[str, Span]:
    fields: dict[str, Span] = {}
    for a, _, line in head[:12]:
        if not META_FIELD.search(line):
            continue
        for m in META_PAIR.finditer(line):
            key = re.sub(r"\s", "", m.group(1))
            what = META_KEYS.get(key)
            if what and what not in fields:
                fields[what] = Span(a + m.start(2), a + m.end(2), m.group(2).strip())
    return fields


def parse_plan_info(text: str, first_numbered: int) -> PlanInfo:
    """Metadata from the head of a plan document (everything before the first numbered item)."""
    info = PlanInfo()
    lines = lines_with_pos(text)
    head = [ln for ln in lines if ln[0] < max(first_numbered, 1)] or lines[:12]
    for i, (a, b, line) in enumerate(head):
        if not line:
            continue
        m = NOTICE_TITLE.match(line)
        if m and info.title is None:
            raw = m.group("title")
            info.title = raw.strip("《》")
            first = a + m.start("title") + (len(raw) - len(raw.lstrip("《")))
            info.title_span = Span(first, first + len(info.title), info.title)
            if m.group("issuer"):  # else the signature above the date says who issued it
                info.issuer = m.group("issuer").strip()
                info.issuer_span = Span(a + m.start("issuer"), a + m.end("issuer"), info.issuer)
            continue
        if info.doc_number is None and i < 8:
            dn = DOC_NUMBER.search(line)
            if dn and len(line) <= len(dn.group(0)) + 4:
                info.doc_number = dn.group(0)
                info.doc_number_span = Span(a + dn.start(), a + dn.end(), dn.group(0))
                continue
        date = parse_date_line(line)
        if date and info.issued is None:
            info.issued = date
            info.issued_span = Span(a, b, line)
            # the signature: the nearest preceding line that names a body (not a notice title or a number)
            for a2, b2, prev in reversed(head[:i]):
                if prev and not prev.startswith("(") and not prev.endswith((":", "。")):
                    if SIGNATURE.search(prev) and "关于" not in prev and not DOC_NUMBER.search(prev) \
                            and (info.issuer is None or len(prev) < 40):
                        info.issuer, info.issuer_span = prev, Span(a2, b2, prev)
                    break
            continue
    # a standalone title line (the last one before the body wins: it is the plan's own heading); a title
    # printed twice on one line (a page header) is read once, and one broken over two lines is joined
    previous: tuple[int, int, str] | None = None
    for a, b, line in head:
        single = _once(line)
        if TITLE_LINE.match(single) and "关于印发" not in single and not single.endswith("通知"):
            if previous and _title_start(previous[2]) and not TITLE_LINE.match(previous[2]):
                joined = previous[2] + single
                if info.title is None or joined == info.title:
                    info.title, info.title_span = joined, Span(previous[0], b, text[previous[0]:b])
                    previous = (a, b, line)
                    continue
            if info.title is None or single.strip("《》") == info.title:
                info.title = single.strip("《》")
                info.title_span = Span(a, a + len(single), single)
        previous = (a, b, line) if line else None
    if info.title is None:  # 《数智贵州建设2026年工作要点》已经省领导同意,现印发给你们
        m = NOTICE_SENTENCE.search(text, 0, max(first_numbered, 1) if first_numbered > 0 else len(text))
        if m:
            info.title = m.group("title")
            info.title_span = Span(m.start("title"), m.end("title"), info.title)
    fields = _metadata_fields(head)
    if info.doc_number is None and "doc_number" in fields and DOC_NUMBER.fullmatch(fields["doc_number"].text):
        info.doc_number, info.doc_number_span = fields["doc_number"].text, fields["doc_number"]
    if info.issued is None and "issued" in fields:
        m = ISO_DATE.match(fields["issued"].text)
        if m:
            info.issued, info.issued_span = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), fields["issued"]
    title_issuer = TITLE_ISSUER.match(info.title or "")
    if info.issuer is None and title_issuer and info.title_span:
        info.issuer = title_issuer.group("issuer")
        info.issuer_span = Span(info.title_span.start, info.title_span.start + len(info.issuer), info.issuer)
    if info.issuer is None and "issuer" in fields:
        info.issuer, info.issuer_span = fields["issuer"].text, fields["issuer"]
    # the plans this one implements: 为贯彻落实《…》《…》
    pre = text[: max(first_numbered, 0)] if first_numbered > 0 else text[:1500]
    for sent in re.finditer(r"[^。\n]+", pre):
        if IMPLEMENT_CUE.search(sent.group(0)) and "《" in sent.group(0):
            for bt in BOOK_TITLE.finditer(sent.group(0)):
                if bt.group(1) != info.title:
                    s = sent.start() + bt.start(1)
                    info.implements.append(Span(s, s + len(bt.group(1)), bt.group(1)))
    info.jurisdiction = (_leading_region(info.issuer) or region_of(info.issuer) or _leading_region(info.title)
                         or _first_region(info.title) or _head_line_region(head)
                         or _region_from_doc_number(info.doc_number)
                         or _most_mentioned_region(text))
    info.jurisdiction = _narrowed(info.jurisdiction, info.issuer, info.title)
    info.body_start = first_numbered
    return info


def _once(line: str) -> str:
    """A line that prints the same title twice (乐清市…行动计划 乐清市…行动计划 |) as the title once."""
    line = line.strip(" |")
    half = line.split()
    if len(half) == 2 and half[0] == half[1]:
        return half[0]
    return line


def _title_start(line: str) -> bool:
    """A line that can open a title broken over two lines: short, no punctuation, not metadata."""
    return 4 <= len(line) <= 40 and not re.search(r"[,。;:：|、()]|\d{4}", line)


def _leading_region(s: str | None, within: regions.Region | None = None) -> str | None:
    """The most specific region a name opens with, counties included: 济南市历城区人民政府办公室 ->
    历城区, 寿光市数字政府建设… -> 寿光市."""
    found = regions.jurisdiction_of_name(s, within)
    return found.key if found else None


def _head_line_region(head: list[tuple[int, int, str]]) -> str | None:
    """The region that the first head line opening with one names (龙游县人民政府深化…, a title
    printed over two lines or not recognised as the title)."""
    for _a, _b, line in head:
        found = _leading_region(line)
        if found:
            return found
    return None


def _narrowed(jurisdiction: str | None, issuer: str | None, title: str | None) -> str | None:
    """A county that the issuer or title opens with but which shares its name with counties
    elsewhere (鼓楼区人民政府…) is read inside the province or prefecture found from the rest."""
    scope = regions.lookup(jurisdiction) if jurisdiction else None
    if scope is None or scope.level == "county":
        return jurisdiction
    return _leading_region(issuer, scope) or _leading_region(title, scope) or jurisdiction


def _first_region(s: str | None) -> str | None:
    found = [m for m in regions.regions_in(s or "") if m.region.level != "county"]
    return found[0].region.key if found else None


def _most_mentioned_region(text: str) -> str | None:
    counts: dict[str, int] = {}
    for m in regions.regions_in(text):
        if m.region.level != "county":
            counts[m.region.key] = counts.get(m.region.key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _region_from_doc_number(doc_number: str | None) -> str | None:
    if not doc_number:
        return None
    head = re.match(r"[\u4e00-\u9fff]+", doc_number)
    if not head:
        return None
    for r in regions.REGIONS:
        if r.level == "province" and head.group(0)[0] in r.abbr:
            return r.name
    return None


def plan_jurisdiction_for_title(title: str, where: str | None) -> str | None:
    """Whose plan a cited title is: its own region prefix, else the citing jurisdiction's province
    for 省 plans, else the citing jurisdiction."""
    own = region_of(title) or region_of(re.sub(r"^(?:20\d{2}|\d{4}—\d{4})年?", "", title))
    if own:
        return own
    if where is None:
        return None
    region = regions.lookup(where)
    if region and ("强省" in title or "全省" in title or title.startswith("省")):
        return region.name if region.level == "province" else regions.province_of(region.key)
    if re.search(r"数字中国|国家|全国|国务院", title):
        return None
    return where


# -- news ------------------------------------------------------------------------------------------
HEADLINE_VERB = re.compile(r"印发|出台|发布|公布|召开|举行|启动|上线|出炉|亮相|推出|开通|建成|获批|入选|部署")
REGION_COLON = re.compile(r"^([\u4e00-\u9fff]{2,8})[:：]")  # 浙江:… in a digest of several regions


@dataclass
class Story:
    start: int
    end: int
    headline: Span | None


def split_stories(text: str) -> list[Story]:
    """A digest of several reports → one Story each; a single report → one Story."""
    lines = lines_with_pos(text)
    starts: list[int] = []
    headlines: dict[int, Span] = {}
    for i, (a, b, line) in enumerate(lines):
        if not line or "。" in line or len(line) > 40 or "|" in line:
            continue
        nxt = next((ln for ln in lines[i + 1:] if ln[2]), None)
        if nxt is None or len(nxt[2]) < 40:
            continue
        colon = REGION_COLON.match(line)
        if HEADLINE_VERB.search(line) or (colon and regions.lookup(colon.group(1))):
            starts.append(a)
            headlines[a] = Span(a, b, line)
    if len(starts) < 2:
        return [Story(0, len(text), headlines.get(starts[0]) if starts else None)]
    stories = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(text)
        stories.append(Story(s, e, headlines[s]))
    return stories


def story_jurisdiction(text: str, story: Story) -> str | None:
    """The region a report is about: the first one in its headline, else the most mentioned."""
    return (_headline_region(story.headline.text) if story.headline else None) or \
        _most_mentioned_region(text[story.start:story.end])


def _headline_region(headline: str) -> str | None:
    """The first region of a headline, or a city of it named next (广东:广州推进… -> 广州市)."""
    found = [m.region for m in regions.regions_in(headline) if m.region.level != "county"]
    if not found:
        return None
    inside = next((r for r in found[1:] if r.parent == found[0].key), None)
    return (inside or found[0]).key


def reported_plans(text: str, story: Story) -> list[Span]:
    """Titles in 《》 that the story says were issued (印发/出台/制定/发布…), plus a headline title."""
    found: list[Span] = []
    seen: set[str] = set()
    for bt in BOOK_TITLE.finditer(text, story.start, story.end):
        title = bt.group(1)
        context = text[max(story.start, bt.start() - 15):bt.start()] + text[bt.end():bt.end() + 12]
        is_plan = re.search(rf"{PLAN_WORDS}(?:\([^()]*\))?$", title)
        if is_plan and PUBLISH_VERB.search(context) and title not in seen and not re.fullmatch(r".{1,4}", title):
            seen.add(title)
            found.append(Span(bt.start(1), bt.end(1), title))
    if story.headline and not found:
        m = re.search(rf"(?:印发|出台|发布)(.{{4,40}}?{PLAN_WORDS})", story.headline.text)
        if m:
            s = story.headline.start + m.start(1)
            found.append(Span(s, s + len(m.group(1)), m.group(1)))
    return found
