"""English labels made by rule from what the graph knows (no translation service).

Regions: the name in pinyin (pypinyin) with its level (Binzhou, Shandong Province, Longyou County,
Jing'an District); the romanisations that differ from plain pinyin are official ones (Shaanxi,
Inner Mongolia). Platforms and plan titles: the words of the genre from GLOSSARY (longest first),
place names in pinyin, what is left in pinyin syllables, and the title patterns of plans
(…工作要点 -> Key Tasks for …).
"""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from ..reference import regions as gazetteer
from ..reference.chinese import QUOTES, TITLE_MARKS

# official English forms that are not the plain pinyin of the name without its level word
OFFICIAL_REGION_EN = {
    "陕西省": "Shaanxi Province", "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "广西壮族自治区": "Guangxi Zhuang Autonomous Region", "西藏自治区": "Xizang Autonomous Region",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region", "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
    "香港特别行政区": "Hong Kong Special Administrative Region", "澳门特别行政区": "Macao Special Administrative Region",
}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

# words of plan titles, platform names and leading groups, longest match first
GLOSSARY: dict[str, str] = {
    "全国": "National", "国家": "National", "全省": "Provincial", "全市": "Municipal",
    "数字强省": "Digital Province", "数字强市": "Digital City", "数字政府": "Digital Government",
    "数字经济": "Digital Economy", "数字社会": "Digital Society", "数字中国": "Digital China",
    "数字变革创新": "Digital Transformation and Innovation", "数字化": "Digital", "数字": "Digital",
    "新型智慧城市": "New-type Smart City", "智慧城市": "Smart City", "智慧社区": "Smart Community",
    "智慧": "Smart", "一体化": "Integrated", "大数据": "Big Data", "数据": "Data", "政务服务": "Government Service",
    "政务": "Government", "平台": "Platform", "系统": "System", "大脑": "Brain", "云脑": "Cloud Brain",
    "云平台": "Cloud Platform", "云": "Cloud", "一张网": "Network", "网络": "Network", "外网": "Extranet",
    "中心": "Center", "热线": "Hotline", "服务号": "Service Account", "码": "Code", "专区": "Zone",
    "资源库": "Database", "数据库": "Database", "算力": "Computing Power", "服务": "Service", "管理": "Management",
    "监管": "Supervision", "综合": "Comprehensive", "公共": "Public", "共享": "Sharing", "开放": "Open",
    "互联网+": "Internet Plus ", "互联网": "Internet", "工业互联网": "Industrial Internet", "医疗健康": "Healthcare",
    "医疗影像": "Medical Imaging", "健康": "Health", "医保基金支付": "Medical Insurance Fund Payment",
    "城市": "City", "社区": "Community", "市场": "Market", "教育": "Education", "教学资源": "Teaching Resources",
    "文旅": "Culture and Tourism", "文化": "Culture", "旅游": "Tourism", "交通运输": "Transport", "养老": "Elderly Care",
    "消防": "Fire Safety", "法治": "Rule of Law", "市民": "Citizen", "企业": "Enterprise", "居民": "Resident",
    "运营": "Operation", "运行": "Operation", "指挥": "Command", "创新": "Innovation", "应用": "Application",
    "信息": "Information", "基础": "Basic", "感知": "Sensing", "物联": "IoT", "区块链": "Blockchain",
    "实验": "Experimental", "先进": "Advanced", "认证": "Authentication", "无感": "Seamless", "一件事": "One Thing",
    "就业": "Employment", "人才": "Talent", "电商": "E-commerce", "水务": "Water", "农机": "Agricultural Machinery",
    "宣传思想文化": "Publicity and Culture", "考核评价": "Assessment", "常态化": "Regular", "食安": "Food Safety",
    "理论": "Theory", "在线": "Online", "阅读": "Reading", "全民": "National", "志愿": "Volunteer",
    "营商环境": "Business Environment", "一网通办": "One-Stop Online Service", "一网统管": "Unified Urban Governance",
    "领导小组": "Leading Group", "办公室": "Office", "建设": "Building", "发展": "Development",
    "深入推进": "Further Advancing", "推进": "Advancing", "加快": "Accelerating", "实施": "Implementation",
    "十四五": "14th Five-Year", "景区票务": "Scenic Area Ticketing", "密码支撑": "Cryptography Support",
    "地方金融治理": "Local Financial Governance", "低收入人口动态监测": "Low-income Population Monitoring",
    "多模态中文语料": "Multimodal Chinese Corpus", "空间操作系统": "Spatial Operating System",
    "研发测试": "R&D Testing", "特色型行业": "Specialised Industry", "停车场": "Parking", "机构": "Institution",
    "国家文化公园": "National Cultural Park", "分厅": "Branch", "上线": "Launch", "七库": "Seven Databases",
    "供电公司": "Power Supply Company", "分公司": "Branch", "有限公司": "Co., Ltd.", "公司": "Company",
    "集团": "Group", "示范区": "Demonstration Zone", "开发区": "Development Zone", "高新区": "High-tech Zone",
    "新区": "New Area", "分行": "Branch", "银行": "Bank",
}
_GLOSSARY_RE = re.compile("|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True)))
_HAN = re.compile(r"[\u4e00-\u9fff]+")
NUMBER_WORDS = {"一": "One", "二": "Two", "两": "Two", "三": "Three", "五": "Five", "七": "Seven", "十": "Ten"}

# plan titles: (pattern over the title without its jurisdiction, English form with {x} the subject)
PLAN_TITLE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<x>.+?)建设(?P<y>20\d\d)年工作要点$"), "Key Tasks for Building a {x} in {y}"),
    (re.compile(r"^(?P<x>.+?)(?P<y>20\d\d)年工作要点$"), "Key Tasks for {x} in {y}"),
    (re.compile(r"^(?P<x>.+?)工作要点$"), "Key Tasks for {x}"),
    (re.compile(r"^(?P<x>.+?)(?P<y>20\d\d)年?行动方案$"), "{x} Action Plan {y}"),
    (re.compile(r"^(?P<x>.+?)(?P<y>20\d\d)年?行动计划$"), "{x} Action Plan {y}"),
    (re.compile(r"^(?P<x>.+?)三年行动计划(?:[（(](?P<y>20\d\d[—–-]20\d\d)年?[)）])?$"), "Three-Year Action Plan for {x}"),
    (re.compile(r"^(?P<x>.+?)行动(?:方案|计划)$"), "Action Plan for {x}"),
    (re.compile(r"^关于(?P<x>.+?)的实施意见$"), "Implementing Opinions on {x}"),
    (re.compile(r"^关于(?P<x>.+?)的(?:指导)?意见$"), "Opinions on {x}"),
    (re.compile(r"^(?P<x>.+?)实施方案$"), "Implementation Plan for {x}"),
    (re.compile(r"^十四五(?P<x>.+?)建设规划$"), "14th Five-Year Plan for Building a {x}"),
    (re.compile(r"^(?P<x>.+?)建设规划[（(](?P<y>20\d\d[—–-]20\d\d)年?[)）]$"), "Plan for Building a {x} ({y})"),
    (re.compile(r"^(?P<x>.+?)建设规划$"), "Plan for Building a {x}"),
    (re.compile(r"^(?P<x>.+?)规划$"), "{x} Plan"),
    (re.compile(r"^(?P<x>.+?)若干(?:措施|政策)$"), "Measures on {x}"),
)


def syllables(text: str) -> list[str]:
    """Pinyin syllables without tones (ü as u: Lyu is not what maps print)."""
    return [s.replace("v", "u") for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def pinyin_word(text: str) -> str:
    """One capitalised pinyin word, with the apostrophe before a syllable starting a/e/o (Jing'an)."""
    out = ""
    for i, syl in enumerate(syllables(text)):
        if i and syl[:1] in "aeo":
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def region_base(name: str) -> tuple[str, str]:
    """(name without its level word, level word) — 滨州市 -> (滨州, 市), 静安区 -> (静安, 区)."""
    m = re.match(r"^(.+?)(特别行政区|自治区|自治州|自治县|地区|省|市|县|区|州|盟|旗)$", name)
    return (m.group(1), m.group(2)) if m and len(m.group(1)) >= 1 else (name, "")


def region_en(name: str, level: str | None = None) -> str:
    """Binzhou (prefecture-level city), Shandong Province, Longyou County, Jing'an District, Shouguang City."""
    if name in OFFICIAL_REGION_EN:
        return OFFICIAL_REGION_EN[name]
    if level is None:
        region = gazetteer.lookup(name)
        level = region.level if region is not None else None
    base, word = region_base(name)
    py = pinyin_word(base)
    if name in MUNICIPALITIES or (level == "city" and word == "市"):
        return py
    return py + " " + {"省": "Province", "自治区": "Autonomous Region", "自治州": "Autonomous Prefecture",
                       "自治县": "Autonomous County", "地区": "Prefecture", "州": "Prefecture", "盟": "League",
                       "县": "County", "区": "District", "市": "City", "旗": "Banner"}.get(word, "").strip() \
        if word else py


def region_adjective(name: str, level: str | None) -> str:
    """The jurisdiction as it stands before an agency: Shandong Provincial, Binzhou Municipal, Longyou County."""
    if name in OFFICIAL_REGION_EN:
        return OFFICIAL_REGION_EN[name].replace(" Province", " Provincial")
    base, word = region_base(name)
    py = pinyin_word(base)
    return py + " " + {"省": "Provincial", "市": "Municipal", "自治区": "Autonomous Regional",
                       "自治州": "Prefectural", "州": "Prefectural", "地区": "Prefectural", "盟": "League",
                       "县": "County", "自治县": "Autonomous County", "区": "District", "旗": "Banner"}.get(word, "")


def phrase_en(text: str) -> str:
    """Glossary words in English, place names and other Chinese in pinyin, ASCII kept."""
    words: list[str] = []
    pos = 0
    text = re.sub(rf"[{QUOTES}{TITLE_MARKS}\s·]+", " ", text).strip()
    while pos < len(text):
        m = _GLOSSARY_RE.search(text, pos)
        chunk = text[pos: m.start() if m else len(text)]
        if chunk:
            words.extend(_rest_en(chunk))
        if m is None:
            break
        words.append(GLOSSARY[m.group()])
        pos = m.end()
    return re.sub(r"\s+", " ", " ".join(w for w in words if w)).strip()


def _rest_en(chunk: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in _HAN.finditer(chunk):
        if chunk[pos:m.start()].strip():
            out.append(chunk[pos:m.start()].strip())
        run = m.group()
        i = 0
        while i < len(run):
            region = gazetteer.find_region_prefix(run[i:])
            form = next((f for f in sorted(region.forms, key=len, reverse=True) if run[i:].startswith(f)), None) \
                if region is not None else None
            if form:
                out.append(pinyin_word(region_base(form)[0] if form == region.name else form))
                i += len(form)
            elif run[i] in NUMBER_WORDS:
                out.append(NUMBER_WORDS[run[i]])
                i += 1
            else:
                out.append(pinyin_word(run[i]))
                i += 1
        pos = m.end()
    if chunk[pos:].strip():
        out.append(chunk[pos:].strip())
    return out


KIND_EN = {"app": "app", "portal": "portal", "hotline": "hotline", "system": "system", "cloud": "cloud",
           "brain": "brain", "network": "network", "centre": "center", "data-platform": "data platform"}


def platform_en(name: str, kind: str | None) -> str:
    """A platform's brand in pinyin/glossary words, with its kind when the name does not say it (Ai Shandong app)."""
    words = phrase_en(name)
    kind_word = KIND_EN.get(kind or "", "")
    if kind_word and not words.lower().endswith(tuple(kind_word.split()[-1:])) \
            and not re.search(r"(?:Platform|System|Network|Brain|Center|Hotline|Cloud|Database|Code|Account|Zone)$", words):
        words = f"{words} {kind_word}"
    return words


def plan_title_en(title: str, jurisdiction: str | None = None) -> str:
    """数字强市建设2023年工作要点 -> Key Tasks for Building a Digital City in 2023."""
    text = re.sub(rf"[{QUOTES}{TITLE_MARKS}\s]", "", title)
    lead = ""
    if jurisdiction and text.startswith(jurisdiction):
        lead, text = region_en(jurisdiction), text[len(jurisdiction):]
    text = text.replace("“十四五”", "十四五")
    for pattern, form in PLAN_TITLE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = {k: (phrase_en(v) if k == "x" else v) for k, v in m.groupdict().items() if v}
            english = form.format(x=parts.get("x", ""), y=parts.get("y", "")).replace(" ()", "").replace(" in ", " in ")
            english = re.sub(r"\s+", " ", english).strip()
            return f"{lead}: {english}" if lead else english
    english = phrase_en(text)
    return f"{lead}: {english}" if lead else english
