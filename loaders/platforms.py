"""Platforms (named digital systems) and initiatives (programmes, reforms, pilots, slogans).

Two ways a platform is named in the genre:
- in quotes: “爱山东”APP, “一网统揽”综合慧治平台, “健康山东服务号”, “理论在线”“志愿山东”等业务应用;
- unquoted, ending in a platform word: 一体化大数据平台, 城市大脑, 政务云, 视频融合平台.
A canonical name drops quotes, jurisdiction prefixes and generic descriptors (“爱山东”移动政务服务平台
→ 爱山东); what was printed is kept as an alias. A city branch (“爱山东”滨州分厅) is a platform of
its own, BRANCH_OF the parent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pathlib import Path

from ..reference import regions

BRANDS_FILE = Path(__file__).parent / "data" / "platform_brands.txt"
KNOWN_BRANDS = frozenset(
    line.strip() for line in BRANDS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))

# What a platform name ends with, longest first, and the kind it implies.
HEADS: list[tuple[str, str]] = [
    ("移动政务服务平台", "app"), ("政务服务平台", "portal"), ("客户端", "app"), ("小程序", "app"), ("公众号", "app"),
    ("服务号", "app"), ("APP", "app"), ("App", "app"), ("app", "app"),
    ("大数据平台", "data-platform"), ("数据平台", "data-platform"), ("云平台", "cloud"), ("平台", "system"),
    ("系统", "system"), ("城市大脑", "brain"), ("智慧大脑", "brain"), ("大脑", "brain"), ("智脑", "brain"),
    ("云脑", "brain"), ("政务云", "cloud"), ("政务外网", "network"), ("外网", "network"), ("专网", "network"),
    ("感知网络", "network"), ("一张网", "network"), ("指挥中心", "centre"), ("运营中心", "centre"),
    ("指挥运营中心", "centre"), ("大数据中心", "centre"), ("专区", "data-platform"), ("数据库", "data-platform"),
    ("资源库", "data-platform"), ("证照库", "data-platform"), ("门户", "portal"), ("网站", "portal"),
    ("热线", "hotline"),
]
HEAD_RE = re.compile("|".join(re.escape(h) for h, _ in sorted(HEADS, key=lambda x: -len(x[0]))))
HEAD_KIND = dict(HEADS)
LONGER_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:平台|系统)(?![\u4e00-\u9fff]{0,1}(?:化|型|级))")

# Descriptors after a quoted brand that do not belong to the canonical name.
GENERIC_DESCRIPTOR = re.compile(
    r"^(?:移动政务服务平台|政务服务平台|移动端|APP|App|app|客户端|小程序|公众号|政务服务品牌|品牌|协同办公平台|移动办公平台|政务服务移动端)$")
QUOTED_SUFFIX = re.compile(
    r"(?![等和及与、])[\u4e00-\u9fffA-Za-z+]{0,10}?(?:移动政务服务平台|政务服务平台|协同办公平台|平台|系统|APP|App|app|客户端|小程序|公众号|服务号|大脑|智脑|云脑|云)"
    r"(?![\u4e00-\u9fff]{0,2}(?:功能|建设|应用|能力|服务|体系))?")
BRAND_END = re.compile(r"(?:平台|系统|APP|App|app|客户端|小程序|公众号|服务号|号|大脑|智脑|云脑|云|通|码|在线|一张网|政务网|外网|专网|专区|门户|e家|指数)$")
INITIATIVE_END = re.compile(r"(?:行动|工程|改革|试点|计划|专项行动|示范|创建|活动|大赛|战略|品牌)$")
SLOGAN = re.compile(r"一件事|一次办|一网通办|一网统管|一网协同|无证明|不打烊|掌上办|指尖办|通办|免证办|一码通|秒批|秒办|双全双百"
                    r"|^一.一.$|^一.{1,2}[通办]$|(?:网上|掌上|指尖|马上|就近|全程网|异地|跨域|跨省|一站)办")
RUN_CONTEXT = re.compile(r"^(?:[、和及]|等)?(?:等)?(?:业务|数字化|政务)?(?:应用|平台|APP|客户端|系统)")
BRANCH = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(分厅|分站|分平台|子站|专区|频道)")

# Backwards from a platform word: a name starts after the last of these.
BREAK_WORDS = re.compile(
    r"建设|打造|依托|完善|提升|推进|升级|构建|建成|上线|接入|对接|融通|完成|整合|搭建|共建|建立|推动|深化|加快|优化|强化"
    r"|加强|实施|利用|运用|通过|基于|围绕|发挥|用好|做强做优|做强|做优|推广|开展|形成|拓展|覆盖|汇聚|纳入|统筹|探索|预警"
    r"|培育|支持|引导|鼓励|新建|打通|贯通|联通|实现|健全|持续|全面|积极|进一步|着力|大力|加速|部署|配合|做好|指导"
    r"|迭代|使用|集成|连接|结合|延伸|赋能|申领|采购|推出|启动|扩大|布局|以上|左右|现有|各类"
    r"|一批|以及|包括|重点|为主|做好|设立|组建|扩展|丰富|全省|全市|全区|全县|全国|国家省市|省市县"
    r"|制定|出台|印发|发布|上线运行|投入运行|内部|构筑|确保|领域"
    r"|[,。;:、()《》“”\"'\s向在的和与及等为以对将把是了由从于到按个家项条]")
# a name that is only a generic modifier plus a platform word
GENERIC_BODY = re.compile(
    r"^(?:数字化|信息|信息化|业务|管理|服务|应用|创新|研发|开源|公共服务|综合|统一|政务|政务信息|数字化业务|企业级研发"
    r"|科技创新|技术|数字|智能|智慧|网络|通用|各类|相关|专业|特色|重点|基础|行业|公共|线上|线下|电子|数据|多跨|共性"
    r"|标杆|示范|产业|交易|流通|交易流通|数据流通交易|大模型|中台|行业数据流通交易|生产型|运营|服务型|部门|部门业务|各类业务)?$")
# platform words that are a whole name on their own
STANDALONE = {"城市大脑", "政务云", "政务外网", "电子政务外网"}
REGION_PREFIX = re.compile(r"^(?:全省|全市|全区|全县|全国|省级|市级|县级|区级|省市|市县|国家省市|我省|我市|本市|各市|各级|省\(市\)级"
                           r"|[省市县区](?![场块域份民政级直辖属]))")
AGENCY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:厅|局|委)(?=[\u4e00-\u9fff]{4,})")


@dataclass
class PlatformMention:
    canonical: str
    printed: str  # as printed (quotes kept)
    start: int
    end: int
    kind: str
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None  # canonical name of the parent platform, for a branch


@dataclass
class InitiativeMention:
    name: str
    printed: str
    start: int
    end: int
    kind: str


def strip_prefixes(name: str, full_regions_only: bool = False) -> str:
    """Drop jurisdiction and agency prefixes: 山东省行政处罚…系统 → 行政处罚…系统; 政务云平台 → 政务云."""
    for standalone in STANDALONE:
        if name.endswith(standalone + "平台"):
            name = name[: -2]
    prev = None
    while prev != name:
        prev = name
        region = regions.find_region_prefix(name)
        if region is not None and full_regions_only and not name.startswith(region.name):
            region = None  # a brand such as 黑龙江全省事 or 健康山东 keeps its place name
        if region is not None:
            for form in region.forms:
                if name.startswith(form):
                    rest = name[len(form):]
                    rest = re.sub(r"^(?:省|市|县|区)(?![\u4e00-\u9fff]{0,1}$)", "", rest)
                    if len(rest) >= 3:
                        name = rest
                    break
        m = REGION_PREFIX.match(name)
        if m and len(name) - m.end() >= 3:
            name = name[m.end():]
        m = AGENCY_PREFIX.match(name)
        if m:
            name = name[m.end():]
    return name


def _plain(s: str) -> str:
    return s.replace("“", "").replace("”", "").replace('"', "")


def _kind_of(name: str) -> str:
    m = None
    for m in HEAD_RE.finditer(name):
        pass
    if m and m.end() == len(name):
        return HEAD_KIND.get(m.group(0), "system")
    if re.search(r"(?:通|码|号|在线|办)$", name):
        return "app"
    return "other"


def classify_quoted(term: str) -> str | None:
    """'platform', 'initiative' or None for a quoted term with nothing after it."""
    if SLOGAN.search(term) or INITIATIVE_END.search(term):
        return "initiative"
    if re.search(r"办$", term) and len(term) <= 4 and not term.startswith("一"):
        return "platform"
    if BRAND_END.search(term) and len(term) >= 3 and not re.search(r"(?:城市|之省|之城|强省|强市)$", term):
        return "platform"
    return None


def known_brands(text: str) -> dict[str, str]:
    """Quoted terms that the document calls platforms somewhere (“爱山东”APP), with their canonical
    name, so that a bare “爱山东” elsewhere in it is the same platform."""
    found, _ = find_mentions(text, 0, len(text), quoted_only=True)
    brands = {p.canonical: p.canonical for p in found if not p.parent}
    for p in found:
        if not p.parent:
            for alias in p.aliases:
                brands.setdefault(alias, p.canonical)
    return brands


def find_mentions(text: str, start: int, end: int, brands: dict[str, str] | None = None,
                  quoted_only: bool = False) -> tuple[list[PlatformMention], list[InitiativeMention]]:
    brands = brands or {}
    platforms: list[PlatformMention] = []
    initiatives: list[InitiativeMention] = []
    taken: list[tuple[int, int]] = []
    quoted = list(re.finditer(r"“([^“”\n]{1,24})”", text[start:end]))
    # runs of quoted terms followed by 等业务应用 / 等平台
    run_platform: set[int] = set()
    i = 0
    while i < len(quoted):
        j = i
        while j + 1 < len(quoted) and re.fullmatch(r"[、,和及]?", text[start + quoted[j].end():start + quoted[j + 1].start()]):
            j += 1
        after = text[start + quoted[j].end():start + quoted[j].end() + 12]
        if j > i and RUN_CONTEXT.match(after):
            run_platform.update(range(i, j + 1))
        i = j + 1
    for idx, q in enumerate(quoted):
        q_start, q_end = start + q.start(), start + q.end()
        term = q.group(1).strip()
        if re.search(r"[、,;。]", term) and idx not in run_platform:
            taken.append((q_start, q_end))  # a slogan: nothing inside it is a platform name
            continue
        if term in HEAD_KIND or term in ("一网", "平台", "系统"):
            continue
        after = text[q_end:min(end, q_end + 14)]
        suffix_m = QUOTED_SUFFIX.match(after)
        suffix = suffix_m.group(0) if suffix_m else ""
        if suffix.endswith("上云"):
            suffix = ""
        if suffix and re.match(r"(?:行动|工程)", after[len(suffix):len(suffix) + 2] or ""):
            suffix = ""
        init_after = re.match(r"(?:专项行动|提升行动|行动|工程|改革|试点|计划)", after)
        if init_after and not suffix:
            name = term + init_after.group(0)
            initiatives.append(InitiativeMention(name, text[q_start:q_end + init_after.end()], q_start,
                                                 q_end + init_after.end(), "programme"))
            continue
        if suffix:
            printed_end = q_end + len(suffix)
            descriptor = suffix
            if GENERIC_DESCRIPTOR.match(descriptor):
                canonical = term
            elif not re.search(r"[\u4e00-\u9fff]", term):  # “1+4+9+N”数字法治系统: the code is an alias
                canonical = descriptor
            else:
                canonical = term + descriptor
            kind = _kind_of(term + descriptor) if not GENERIC_DESCRIPTOR.match(descriptor) else (
                "app" if re.search(r"APP|App|app|客户端|移动", descriptor) else _kind_of(term + descriptor))
        else:
            verdict = "platform" if idx in run_platform or term in brands or term in KNOWN_BRANDS or BRANCH.match(after) \
                else classify_quoted(term)
            if verdict == "initiative":
                initiatives.append(InitiativeMention(term, text[q_start:q_end], q_start, q_end, "slogan"))
                continue
            if verdict != "platform":
                continue
            printed_end = q_end
            canonical = brands.get(term, term)
            kind = _kind_of(term) if idx not in run_platform else "app"
        # the printed name may start before the quote (滨州市“互联网+医疗影像云”平台)
        printed_start = q_start
        canonical = strip_prefixes(_plain(canonical), full_regions_only=True)
        if len(canonical) < 2:
            continue
        mention = PlatformMention(canonical, text[printed_start:printed_end], printed_start, printed_end, kind,
                                  aliases=[term] if term != canonical else [])
        platforms.append(mention)
        taken.append((printed_start, printed_end))
        _add_branch(text, mention, end, platforms, taken)

    if quoted_only:
        return platforms, initiatives
    for m in HEAD_RE.finditer(text, start, end):
        h_end = m.end()
        if any(a <= m.start() < b for a, b in taken):
            continue
        # 城市大脑中枢平台: a platform word followed by more of the same name
        longer = LONGER_NAME.match(text, h_end, end)
        if longer and not BREAK_WORDS.search(longer.group(0)[:-2]):
            h_end = longer.end()
        # the word must end here: 平台建设 is fine, 系统框架 or 平台化 is not a name
        nxt = text[h_end:h_end + 1]
        if (nxt and nxt in "化型式级性") or text[h_end:h_end + 2] in ("经济", "企业", "公司", "思维"):
            continue
        window_start = max([start, m.start() - 22] + [b for a, b in taken if b <= m.start()])
        window = text[window_start:m.start()]
        breaks = list(BREAK_WORDS.finditer(window))
        cut = 0
        for k, br in enumerate(breaks):
            # 与 inside an official name (行政处罚与行政强制…系统): keep it when both sides are long
            left_from = breaks[k - 1].end() if k else 0
            if br.group(0) == "与" and br.start() - left_from >= 4 and len(window) - br.end() >= 4:
                continue
            cut = br.end()
        body = window[cut:]
        head = text[m.start():h_end]
        printed = body + head
        p_start = m.start() - len(body)
        canonical = strip_prefixes(printed)
        core = canonical[: len(canonical) - len(m.group(0))]
        canonical = re.sub(r"^级", "", canonical)
        core = canonical[: len(canonical) - len(head)] if h_end == m.end() else canonical
        if canonical not in STANDALONE and (GENERIC_BODY.match(core) or len(core) < 2
                                            or re.search(r"[\d\-]", re.sub(r"^\d{5,}", "", core))):
            continue
        if m.group(0) in ("门户", "网站", "专区", "数据库", "资源库") and len(core) < 3:
            continue
        mention = PlatformMention(canonical, printed, p_start, h_end, HEAD_KIND.get(m.group(0), "system"))
        platforms.append(mention)
        taken.append((p_start, h_end))
        _add_branch(text, mention, end, platforms, taken)

    for m in re.finditer(r"[\u4e00-\u9fff]{2,12}?(?:提升行动|专项行动|行动计划|工程|行动)", text[start:end]):
        name = m.group(0)
        cut = 0
        for b in BREAK_WORDS.finditer(name[:-2]):
            cut = b.end()
        name = name[cut:]
        if len(name) >= 5 and not any(a <= start + m.start() < b for a, b in taken):
            s = start + m.end() - len(name)
            initiatives.append(InitiativeMention(name, name, s, start + m.end(), "programme"))
    return platforms, initiatives


def _add_branch(text: str, parent: PlatformMention, end: int, platforms: list[PlatformMention],
                taken: list[tuple[int, int]]) -> None:
    m = BRANCH.match(text[parent.end:end])
    if not m:
        return
    place = m.group(1)
    region = regions.lookup(place)
    label = (region.short or region.name) if region else place
    b_end = parent.end + m.end()
    branch = PlatformMention(f"{parent.canonical}{label}{m.group(2)}", text[parent.start:b_end], parent.start, b_end,
                             parent.kind, aliases=[], parent=parent.canonical)
    platforms.append(branch)
    taken.append((parent.start, b_end))
