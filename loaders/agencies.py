"""Agency names: jurisdiction resolution, placeholders, enterprises, and mentions in running text.

`市大数据局` in a 滨州 plan is `滨州市大数据局`; `省大数据局` there is `山东省大数据局`;
`团市委` is `团滨州市委`; `市直相关部门单位` is the placeholder `滨州市直相关部门单位`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..reference import genre, regions
from ..reference.chinese import QUOTES

GOV_SUFFIX = re.compile(
    r"(?:局|厅|委|办|办公室|办公厅|委员会|政府|人民政府|部|署|中心|院|馆|会|联|队|所|站|台|处|组|小组|机关|集团|公司|行|党校|学院)"
    r"(?:\([^()]{1,8}\))?$")
ENTERPRISE = re.compile(r"(?:公司|集团|银行|分行|支行|有限|股份|研究院|联通|移动|电信|铁塔)")
COLLECTIVE = re.compile(
    r"^各|^全[省市区县]|(?:有关|相关|直属|所属|各)(?:部门|单位|机构)|直(?:有关|相关)?部门|各级|[省市县区]直各?部门|成员单位"
    r"|(?:主管|管理|职能)部门$")
PARTY = re.compile(r"^(?:中共|团)|[省市县区]委(?:[^员]|$)|纪委|监委|党校|工会|妇联|团委|工商联|科协|残联|红十字会")
NEWS_OUTLET = re.compile(r"(?:日报|晚报|新闻网|在线|电视台|广播电台|网$|报社|传媒|新闻中心)")


@dataclass(frozen=True)
class Jurisdiction:
    name: str  # 滨州市
    level: str  # province | city | county
    province: str | None  # 山东省
    city: str | None  # for a county

    @classmethod
    def of(cls, name: str | None) -> "Jurisdiction | None":
        if not name:
            return None
        region = regions.lookup(name)
        if region is None:
            return None
        province = region.name if region.level == "province" else regions.province_of(region.key)
        city = region.parent if region.level == "county" else (region.key if region.level == "city" else None)
        return cls(region.key, region.level, province, city)

    def full_for(self, marker: str) -> str | None:
        """The full region name a bare 省/市/县/区 prefix stands for here."""
        if marker == "省":
            return self.province
        if marker == "市":
            if self.level == "county" and self.name.endswith("市"):  # a county-level city: 寿光市
                return self.name
            return self.city or (self.name if self.level == "city" else None)
        if marker in "县区":
            return self.name if self.level == "county" else None
        return None


@dataclass(frozen=True)
class AgencyName:
    name: str  # resolved, simplified
    printed: str  # as printed in the document
    collective: bool
    kind: str  # government | party | enterprise | collective | other
    other_names: tuple[str, ...] = ()  # a second name printed with it: 市发改委〔市数据局〕


# Long official forms and the short forms plans print; both name one agency (one node).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("人民政府办公厅", "政府办公厅"), ("人民政府办公室", "政府办公室"), ("人民政府新闻办公室", "政府新闻办"),
    ("政府新闻办公室", "政府新闻办"), ("人民政府国有资产监督管理委员会", "国资委"), ("国有资产监督管理委员会", "国资委"),
    ("发展和改革委员会", "发展改革委"), ("网络安全和信息化委员会办公室", "网信办"), ("人力资源和社会保障", "人力资源社会保障"),
    ("住房和城乡建设", "住房城乡建设"), ("市场监督管理局", "市场监管局"), ("科学技术局", "科技局"), ("科学技术厅", "科技厅"),
    ("医疗保障局", "医保局"), ("卫生健康委员会", "卫生健康委"), ("教育委员会", "教委"), ("妇女联合会", "妇联"),
    ("工商业联合会", "工商联"), ("总工会", "总工会"), ("统一战线工作部", "统战部"), ("政法委员会", "政法委"),
    ("人民代表大会常务委员会", "人大常委会"), ("大数据管理局", "大数据局"), ("大数据发展管理局", "大数据局"),
    ("应急管理厅", "应急厅"), ("应急管理局", "应急局"),
)


def agency_key(name: str) -> str:
    """One key for the long and short forms of an agency name (the node id uses it)."""
    key = re.sub(r"^中共", "", name)
    key = re.sub(r"^共青团", "团", key)
    for long, short in ABBREVIATIONS:
        key = key.replace(long, short)
    return key


def _prefix_marker(name: str) -> str | None:
    """'省', '市', '县', '区' when the name starts with a bare jurisdiction marker."""
    if name[:1] in genre.LEVEL_MARKERS and not name.startswith(("市场", "区域", "县域", "省份")):
        return name[0]
    return None


def _has_region(name: str) -> bool:
    return regions.find_region_prefix(name) is not None or name.startswith(("国家", "国务院", "中央", "全国"))


# a body named by its own place (贵安新区数据管理部门, 济源示范区管委会): no jurisdiction prefix
OWN_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:新区|示范区|开发区|高新区|经开区|自贸区|试验区)")
# unnamed operators: not an agency of the jurisdiction
UNNAMED = re.compile(r"^(?:各)?(?:基础)?(?:电信)?(?:运营商|运营企业)$")
# a second name in brackets: 市发改委〔市数据局〕, 市委网信办(市大数据局)
DUAL_SECOND = re.compile(r"(?:局|委|厅|办|办公室|中心)$")  # 党校(行政学院) is one name, not two bodies
DUAL_NAME = re.compile(r"^(?P<first>.{2,}?)[〔(](?P<second>[^〔〕()]{3,})[〕)]$")


def resolve(printed: str, where: Jurisdiction | None, inherit: str | None = None) -> AgencyName | None:
    """Resolve one printed agency name. `inherit` is the jurisdiction prefix of the previous name in
    the same list (`省发展改革委、财政厅` → `财政厅` inherits `省`)."""
    raw = re.sub(rf"[\s{QUOTES}《》]", "", printed).strip("、,;:。")
    dual = DUAL_NAME.match(raw)
    if dual and DUAL_SECOND.search(dual.group("second")) and GOV_SUFFIX.search(dual.group("first")):
        first = resolve(dual.group("first"), where, inherit)
        second = resolve(dual.group("second"), where, jurisdiction_prefix(dual.group("first")) or inherit)
        if first is not None and second is not None:
            return AgencyName(first.name, printed, first.collective, first.kind, (second.name,))
    if len(raw) < 2:
        return None
    if raw.startswith("中共") and len(raw) > 4:  # the party prefix stands before the place: 中共市委组织部
        inner = resolve(raw[2:], where, inherit)
        if inner is not None:
            return AgencyName("中共" + inner.name, printed, inner.collective, _kind(raw), inner.other_names)
    name = _round_brackets(raw)
    if OWN_PLACE.match(raw) or UNNAMED.match(raw):
        collective = bool(COLLECTIVE.search(raw))
        return AgencyName(name, printed, collective, "collective" if collective else _kind(raw))
    collective = bool(COLLECTIVE.search(raw))
    if where is not None:
        if raw.startswith(("团市委", "团省委", "团县委", "团区委")):
            full = where.full_for(raw[1])
            if full:
                name = "团" + full + raw[2:]
        elif raw.startswith("各") or raw.startswith("全"):
            name = where.name + raw
        elif (marker := _prefix_marker(raw)) is not None:
            full = where.full_for(marker)
            if full:
                name = full + raw[1:]
        elif not _has_region(raw) and not ENTERPRISE.search(raw):
            if inherit:
                full = where.full_for(inherit) if inherit in genre.LEVEL_MARKERS else inherit
                if full:
                    name = full + raw
            elif GOV_SUFFIX.search(raw) and not collective:
                name = where.name + raw
    return AgencyName(_round_brackets(name), printed, collective, "collective" if collective else _kind(raw))


def _round_brackets(name: str) -> str:
    """各市〔州〕 and 各市(州) are one name: a place qualifier is written in round brackets."""
    return name.replace("〔", "(").replace("〕", ")")


def _kind(raw: str) -> str:
    if ENTERPRISE.search(raw) and not re.search(r"(?:局|厅|委|办)$", raw):
        return "enterprise"
    if PARTY.search(raw):
        return "party"
    if GOV_SUFFIX.search(raw):
        return "government"
    return "other"


def jurisdiction_prefix(printed: str) -> str | None:
    """What a following, prefix-less name in the same list inherits."""
    marker = _prefix_marker(printed)
    if marker:
        return marker
    region = regions.find_region_prefix(printed)
    if region is not None:
        return region.name if printed.startswith(region.name) else None
    return None


# -- mentions in running text (news reports, standing sentences) --------------------------------
_HEAD = (r"(?:(?:中共)?(?P<region>{regions})(?:省|市|自治区|县|区)?"
         r"|(?:(?<![\u4e00-\u9fff])|(?<=[日午从在由和与及同据合]))(?:中共)?[省市](?!场|民(?!政)|政(?!府|法|务))"
         r"|国家|国务院)")
_DEPT_END = re.compile(r"(?:委员会|办公室|办公厅|人民政府|政府|(?:管理|服务|数据|发展|信息)中心|[局厅委办])")
# words that end a name in running text: what the agency does next, or a function word
_NAME_BREAK = re.compile(
    r"局长|厅长|部长|主任|书记|处长|会同|联合|举办|举行|印发|发布|出台|制定|召开|介绍|表示|指出|起草|获悉|消息|牵头|负责|组织|推进|加快|开展"
    r"|实施|围绕|聚焦|坚持|深化|全面|大力|持续|重点|充分|进一步|打造|建设|提升|日前|近日|近期|今年|正式|积极"
    r"|[将在的了是对把从向为与及等并由已于也都还就]")
NOT_AGENCY = re.compile(r"数字化|领导小组$|新闻发布会|数字强|建设|出入口局|规划")


def _region_alternation() -> str:
    return regions.alternation({f for r in regions.REGIONS if r.level in ("province", "city") for f in r.forms
                                if len(f) >= 2})


_HEAD_RE: re.Pattern[str] | None = None


def _head_pattern() -> re.Pattern[str]:
    global _HEAD_RE
    if _HEAD_RE is None:
        _HEAD_RE = re.compile(_HEAD.format(regions=_region_alternation()))
    return _HEAD_RE


def find_mentions(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, printed name) of agency names with a jurisdiction prefix in running text."""
    end = len(text) if end is None else end
    found: list[tuple[int, int, str]] = []
    pos = start
    head_re = _head_pattern()
    while True:
        m = head_re.search(text, pos, end)
        if m is None:
            break
        window = re.match(r"[\u4e00-\u9fff]{0,14}", text[m.end():min(end, m.end() + 14)]).group(0)
        cut = _NAME_BREAK.search(window)
        if cut is not None:
            window = window[:cut.start()]
        last = None
        for d in _DEPT_END.finditer(window):
            last = d
        if last is None:
            pos = m.start() + 1
            continue
        name_end = m.end() + last.end()
        name = text[m.start():name_end]
        middle = window[: last.start()]
        if name.endswith("政府") and not name.endswith("人民政府") and middle:
            pos = m.start() + 1  # 数字政府 is a programme, 省政府 an agency
            continue
        if len(name) >= 3 and not NOT_AGENCY.search(name) and not NEWS_OUTLET.search(name):
            found.append((m.start(), name_end, name))
            pos = name_end
        else:
            pos = m.start() + 1
    return found
