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

from ..reference import genre, regions

BRANDS_FILE = Path(__file__).parent / "data" / "platform_brands.tsv"


@dataclass(frozen=True)
class Brand:
    name: str
    jurisdiction: str  # a region name, or 全国
    kind: str


def _load_brands() -> dict[str, Brand]:
    brands = {}
    for line in BRANDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, jurisdiction, kind = line.split("\t")
            brands[name] = Brand(name, jurisdiction, kind)
    return brands


BRANDS: dict[str, Brand] = _load_brands()
KNOWN_BRANDS = frozenset(BRANDS)

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
    ("热线", "other"),
]
HEAD_RE = re.compile("|".join(re.escape(h) for h, _ in sorted(HEADS, key=lambda x: -len(x[0]))))
HEAD_KIND = dict(HEADS)
LONGER_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:平台|系统)(?![\u4e00-\u9fff]{0,1}(?:化|型|级))")

# Descriptors after a quoted brand that do not belong to the canonical name.
GENERIC_DESCRIPTOR = re.compile(
    r"^(?:移动政务服务平台|政务服务平台|移动端|APP|App|app|客户端|小程序|公众号|政务服务品牌|品牌|协同办公平台|移动办公平台|政务服务移动端"
    r"|总门户|门户|主平台)$")
# after a coined brand (one that ends like a brand: 龙游通, 吉林祥云), a bare platform word is a descriptor too
BRAND_DESCRIPTOR = re.compile(r"^(?:平台|大数据平台|云平台|数据平台|系统|总门户|门户|主平台|移动端)$")
BRANDLIKE = re.compile(r"(?:办|通|钉|云|码|事|号)$")
QUOTED_SUFFIX = re.compile(
    r"(?![等和及与、])[\u4e00-\u9fffA-Za-z+]{0,10}?(?:移动政务服务平台|政务服务平台|协同办公平台|平台|系统|APP|App|app|客户端|小程序|公众号|服务号|大脑|智脑|云脑|总门户|云(?!网))"
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
    r"|迭代|使用|集成|连接|结合|延伸|赋能|申领|采购|推出|启动|扩大|布局|以上|左右|现有|各类|聚焦|壮大|满足"
    r"|一批|以及|包括|重点|为主|做好|设立|组建|扩展|丰富|全省|全市|全区|全县|全国|国家省市|省市县"
    r"|制定|出台|印发|发布|上线运行|投入运行|内部|构筑|确保|领域"
    r"|[,。;:、()《》“”\"'\s向在的和与及等为以对将把是了由从于到按个家项条]")
# a name that is only a generic modifier plus a platform word
GENERIC_BODY = re.compile(
    r"^(?:数字化|信息|信息化|业务|管理|服务|应用|创新|研发|开源|公共服务|综合|统一|政务|政务信息|数字化业务|企业级研发"
    r"|科技创新|技术|数字|智能|智慧|网络|通用|各类|相关|专业|特色|重点|基础|行业|公共|线上|线下|电子|数据|多跨|共性"
    r"|标杆|示范|产业|交易|流通|交易流通|数据流通交易|大模型|中台|行业数据流通交易|生产型|运营|服务型|部门|部门业务|各类业务"
    r"|支撑|公共支撑|政务信息化|政务类业务|政务类|业务类|信息化业务)?$")
# platform words that are a whole name on their own
STANDALONE = {"城市大脑", "政务云", "政务外网", "电子政务外网", "电子政务内网"}
# two names of one kind of system: the node takes the first, the printed one stays an alias
SYNONYMS = {"政务外网": "电子政务外网", "政务内网": "电子政务内网"}
# names any jurisdiction gives its own system: a node per jurisdiction even when quoted (“城市大脑”)
GENERIC_NAMES = STANDALONE | {
    "一体化大数据平台", "大数据平台", "政务服务平台", "一体化政务服务平台", "政务服务网", "数据共享交换平台",
    "政务数据共享交换平台", "公共数据平台", "视频融合平台", "政务云平台", "大数据中心", "政务服务中心"}
REGION_PREFIX = re.compile(r"^(?:全省|全市|全区|全县|全国|省级|市级|县级|区级|省市|市县|国家省市|我省|我市|本市|各市|各级|省\(市\)级"
                           # 市政务云 is 市 + 政务云, 市政设施 is not 市 + 政设施
                           r"|[省市县区](?![场块域份民级直辖属]|政(?!务)))")
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
    quoted: bool = False  # named in quotes: a coined name (a brand), unless it is a generic one
    scope: str | None = None  # whose system the text says it is: a region name, 全国, or a level (省, 市, 县, 区)
    owner_printed: str | None = None  # an agency printed as part of the name (省民政厅低收入人口…平台)


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


def _brand_kind(name: str) -> str:
    if name in BRANDS:
        return BRANDS[name].kind
    if name.endswith("云"):
        return "cloud"
    if re.search(r"(?:通|码|号|在线|办|钉|事)$", name):
        return "app"
    return _kind_of(name)


def _generic_kind(name: str, head_kind: str) -> str:
    """A platform named by what it is: its last word, and 数据/信息资源 before 平台 for a data platform."""
    if head_kind == "system" and name.endswith("平台") and re.search(r"数据|信息资源|资源共享|共享交换", name):
        return "data-platform"
    return head_kind


BOOK_TITLE = re.compile(r"《[^《》\n]{1,80}》")
LEVEL_WORD = re.compile(r"^(?:全国|国家|全省|省级|我省|本省|全市|市级|我市|本市|全县|县级|全区|区级|[省市县区])")
BREAK_SCOPE = re.compile(r"(?:全国|国家|全省|省级|全市|市级|全县|县级|全区|区级)$")


def _level_of(word: str) -> str:
    if word in ("全国", "国家"):
        return "全国"
    for marker in genre.LEVEL_MARKERS:
        if marker in word:
            return marker
    return word


def _printed_scope(printed: str) -> str | None:
    """The scope a name's own prefix gives: 山东省行政处罚…系统, 省智慧市场监管…平台, 全市…平台."""
    name = _plain(printed)
    region = regions.find_region_prefix(name)
    if region is not None:
        return region.name
    m = LEVEL_WORD.match(name)
    if m and not re.match(r"[省市县区](?:场|块|域|份|民(?!政)|直|属)", name):
        return _level_of(m.group(0))
    return None


def _break_scope(before: str) -> str | None:
    m = BREAK_SCOPE.search(before)
    return _level_of(m.group(0)) if m else None


def _quoted_scope(text: str, q_start: int, term: str, lo: int) -> str | None:
    """滨州市“互联网+…”平台, “山东省国家文化公园数字平台”, 省“…”平台."""
    inside = _printed_scope(term)
    if inside is not None:
        return inside
    before = text[max(lo, q_start - 8):q_start]
    for mention in reversed(regions.regions_in(before)):
        if mention.end == len(before):
            return mention.region.name
    return _break_scope(before)


def _owner_prefix(printed: str) -> str | None:
    """An agency printed at the head of a platform name (省民政厅低收入人口动态监测信息平台 → 省民政厅)."""
    name = _plain(printed)
    region = regions.find_region_prefix(name)
    head = ""
    if region is not None:
        form = next((f for f in region.forms if name.startswith(f)), "")
        head, name = name[:len(form)], name[len(form):]
    m = re.match(genre.LEVEL_MARKER, name) if not head else None
    if m:
        head, name = m.group(0), name[1:]
    agency = AGENCY_PREFIX.match(name)
    if agency and head:
        return head + agency.group(0)
    return None


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
    # names inside 《》 belong to a cited document's title (《温州市“城市大脑”建设方案》), not to this text
    for title in BOOK_TITLE.finditer(text, start, end):
        taken.append((title.start(), title.end()))
    quoted = [q for q in re.finditer(r"“([^“”\n]{1,24})”", text[start:end])
              if not any(a <= start + q.start() < b for a, b in taken)]
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
            bare = bool(GENERIC_DESCRIPTOR.match(descriptor)) or bool(
                BRAND_DESCRIPTOR.match(descriptor) and (BRANDLIKE.search(term) or term in KNOWN_BRANDS or brands.get(term) == term))
            if bare:
                canonical = term
            elif not re.search(r"[\u4e00-\u9fff]", term):  # “1+4+9+N”数字法治系统: the code is an alias
                canonical = descriptor
            else:
                canonical = term + descriptor
            if not bare:
                kind = _kind_of(term + descriptor)
            elif re.search(r"APP|App|app|客户端|移动", descriptor):
                kind = "app"
            elif "门户" in descriptor:
                kind = "portal"
            else:
                kind = _brand_kind(term)
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
            kind = _brand_kind(canonical) if idx not in run_platform else "app"
        # the printed name may start before the quote (滨州市“互联网+医疗影像云”平台)
        printed_start = q_start
        canonical = strip_prefixes(_plain(canonical), full_regions_only=True)
        if len(canonical) < 2:
            continue
        mention = PlatformMention(canonical, text[printed_start:printed_end], printed_start, printed_end, kind,
                                  aliases=[term] if term != canonical else [], quoted=True,
                                  scope=_quoted_scope(text, q_start, term, start))
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
        if (nxt and nxt in "化型式级性") or text[h_end:h_end + 2] in ("经济", "企业", "公司", "思维", "体系"):
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
        kind = _generic_kind(canonical, HEAD_KIND.get(m.group(0), "system"))
        scope = _printed_scope(printed) or _break_scope(window[:cut])
        owner = _owner_prefix(printed)
        taken.append((p_start, h_end))
        if canonical.endswith("内外网"):  # 电子政务内外网: two networks named at once
            stem = canonical[: -len("内外网")]
            for net in ("内网", "外网"):
                platforms.append(PlatformMention(stem + net, printed, p_start, h_end, "network", scope=scope))
            continue
        mention = PlatformMention(canonical, printed, p_start, h_end, kind, scope=scope, owner_printed=owner)
        platforms.append(mention)
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


@dataclass(frozen=True)
class PlatformIdentity:
    node_id: str
    name: str  # a generic system is named with its jurisdiction: 滨州市城市大脑
    jurisdiction: str | None  # a region name, or 全国
    concept: str | None  # the generic name every jurisdiction's instance shares (城市大脑), None for a brand


def identify(mention: PlatformMention, where_name: str | None, resolve_level) -> PlatformIdentity:
    """One node per real system. A known brand (爱山东, 浙里办) is one node with its jurisdiction, and so is
    a quoted name that carries its own place (健康山东服务号); any other name is one node per jurisdiction whose
    text names it (滨州市城市大脑, 吉林省政务云). `resolve_level(marker)` turns 省/市/县/区 into this text's region."""
    canonical = SYNONYMS.get(mention.canonical, mention.canonical)
    brand = BRANDS.get(canonical)
    if brand is not None:
        return PlatformIdentity(f"platform:{canonical}", canonical, brand.jurisdiction, None)
    own_place = regions.regions_in(canonical) if mention.quoted else []
    jurisdiction = own_place[0].region.name if own_place and mention.parent is None else \
        _jurisdiction(mention, where_name, resolve_level)
    concept = canonical if canonical in GENERIC_NAMES or not mention.quoted else None
    if mention.parent is not None or own_place or not jurisdiction or canonical.startswith(jurisdiction):
        return PlatformIdentity(f"platform:{canonical}", canonical, jurisdiction, concept)
    name = jurisdiction + canonical
    return PlatformIdentity(f"platform:{name}", name, jurisdiction, concept)


def _jurisdiction(mention: PlatformMention, where_name: str | None, resolve_level) -> str | None:
    """Whose system the text says it is: a branch's own place (爱山东滨州分厅), the scope its name or the
    words before it give (全国, 省…, 山东省…), else the text's jurisdiction."""
    if mention.parent is not None:
        found = regions.regions_in(mention.canonical[len(mention.parent):])
        if found:
            return found[0].region.name
    scope = mention.scope
    if scope == "全国":
        return "全国"
    if scope in ("省", "市", "县", "区"):
        return resolve_level(scope) or where_name
    return scope or where_name
