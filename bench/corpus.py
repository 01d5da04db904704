"""Synthetic corpus of Chinese digital-governance documents for benchmarks and stress tests.

    python bench/corpus.py N OUT_DIR [--seed S]

writes N documents (UTF-8 .txt) into OUT_DIR: provincial plans (工作要点 / 行动方案), city plans that
implement a provincial plan (为贯彻落实《…》, measures copied with changed numbers and 市 agencies)
and news reports. Every unit-clause form of the genre appears; some documents are in traditional
script, some carry pinyin glosses (小(xiǎo)), some end with a website footer (copyright, phone).
The expected facts of every document are written to OUT_DIR/.truth.jsonl (hidden, so `govkg build`
skips it). Output is a pure function of (N, seed).

Library use: `generate(n, out_dir, seed)` returns the written paths; `measures(n, seed)` yields
synthetic measure texts (with their unit clauses) for lineage/similarity benchmarks.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:
    from govkg.reference.regions import REGIONS
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from govkg.reference.regions import REGIONS  # type: ignore[no-redef]

# ---------------------------------------------------------------------------------------------- vocabulary

PROVINCE_APPS = {
    "北京市": "京通", "天津市": "津心办", "河北省": "冀时办", "山西省": "三晋通", "内蒙古自治区": "蒙速办",
    "辽宁省": "辽事通", "吉林省": "吉事办", "黑龙江省": "黑龙江全省事", "上海市": "随申办", "江苏省": "苏服办",
    "浙江省": "浙里办", "安徽省": "皖事通", "福建省": "闽政通", "江西省": "赣服通", "山东省": "爱山东",
    "河南省": "豫事办", "湖北省": "鄂汇办", "湖南省": "湘易办", "广东省": "粤省事", "广西壮族自治区": "智桂通",
    "海南省": "海易办", "重庆市": "渝快办", "四川省": "天府通办", "贵州省": "贵人服务", "云南省": "办事通",
    "陕西省": "秦务员", "甘肃省": "甘快办", "青海省": "青松办", "宁夏回族自治区": "我的宁夏",
    "新疆维吾尔自治区": "新服办", "西藏自治区": "西藏政务",
}
# provincial agency -> the city counterpart
AGENCIES = [
    ("省大数据局", "市大数据局"), ("省发展改革委", "市发展改革委"), ("省财政厅", "市财政局"),
    ("省公安厅", "市公安局"), ("省工业和信息化厅", "市工业和信息化局"), ("省通信管理局", "市通信发展管理办公室"),
    ("省委网信办", "市委网信办"), ("省市场监管局", "市市场监管局"), ("省人力资源社会保障厅", "市人力资源社会保障局"),
    ("省住房城乡建设厅", "市住房城乡建设局"), ("省民政厅", "市民政局"), ("省卫生健康委", "市卫生健康委"),
    ("省教育厅", "市教育局"), ("省自然资源厅", "市自然资源和规划局"), ("省生态环境厅", "市生态环境局"),
    ("省交通运输厅", "市交通运输局"), ("省农业农村厅", "市农业农村局"), ("省商务厅", "市商务局"),
    ("省医保局", "市医保局"), ("省政务服务中心", "市政务服务中心"), ("省应急厅", "市应急局"),
    ("省科技厅", "市科技局"), ("省文化和旅游厅", "市文化广电和旅游局"), ("省税务局", "市税务局"),
    ("省委编办", "市委编办"), ("省司法厅", "市司法局"), ("省档案局", "市档案馆"),
]
COLLECTIVES_PROVINCE = ["各市人民政府", "省直有关部门", "省直相关部门单位", "各有关单位"]
COLLECTIVES_CITY = ["各县区人民政府", "市直有关部门", "市直相关部门单位", "各有关单位"]
ENTERPRISES = ["中国电信{p}分公司", "中国移动{p}公司", "中国联通{p}分公司", "中国铁塔{p}分公司"]

PLATFORMS = ["一体化大数据平台", "城市大脑", "一体化政务服务平台", "政务云", "电子证照库", "公共数据开放平台",
             "社会信用信息平台", "一网统管平台", "12345政务服务便民热线", "视频共享平台", "城市运行管理服务平台",
             "数字乡村服务平台", "政务外网", "协同办公平台", "基层治理平台", "物联感知平台"]
INITIATIVES = ["一网通办", "跨省通办", "一件事一次办", "无证明城市", "一网统管", "一网协同", "免申即享",
               "掌上办", "秒批秒办", "双全双百", "好差评"]
SECTIONS = ["提升政务服务效能", "夯实数字基础设施", "推进数据资源共享", "强化数字治理能力", "发展数字经济",
            "建设数字社会", "筑牢安全防线", "加强组织保障"]
SUBSECTIONS = ["深化政务服务改革", "推进平台整合", "扩大数据共享", "加强基层应用", "完善制度规范", "优化营商环境"]
VERBS = ["优化", "完善", "升级", "深化", "推进", "加快建设", "持续完善", "迭代升级", "全面推广", "拓展"]

# (template, indicator, unit, low, high, step) ; {n} is the number, {p} a platform, {i} an initiative
TARGETS = [
    ("新建5G基站{n}个", "5G基站", "个", 500, 40000, 100),
    ("建成不少于{n}个智慧社区", "智慧社区", "个", 20, 800, 10),
    ("新增“{i}”事项{n}项", "事项", "项", 10, 200, 5),
    ("年底前高频政务服务事项“掌上办”比例达到{n}%以上", "掌上办比例", "%", 60, 98, 1),
    ("汇聚政务数据资源目录{n}个", "数据资源目录", "个", 500, 20000, 100),
    ("数据共享调用量突破{n}万次", "数据共享调用量", "万次", 100, 50000, 100),
    ("新增电子证照类型不少于{n}类", "电子证照类型", "类", 10, 120, 5),
    ("接入部门业务系统{n}个以上", "业务系统", "个", 10, 300, 5),
    ("培育数字化转型示范企业{n}家", "示范企业", "家", 10, 500, 10),
    ("打造{n}个以上“{p}”应用场景", "应用场景", "个", 5, 100, 1),
    ("政务云资源利用率提高到{n}%", "政务云资源利用率", "%", 50, 95, 1),
    ("开展网络安全攻防演练{n}次", "攻防演练", "次", 1, 6, 1),
]
PINYIN = {"小": "xiǎo", "工": "gōng", "作": "zuò", "有": "yǒu", "办": "bàn", "公": "gōng", "山": "shān",
          "中": "zhōng", "国": "guó", "务": "wù", "理": "lǐ", "用": "yòng", "质": "zhì", "产": "chǎn",
          "能": "néng", "新": "xīn", "区": "qū", "分": "fēn", "医": "yī", "文": "wén", "为": "wèi"}
OUTLETS = ["{s}日报", "{s}新闻网", "{s}政务在线", "中国{s}网", "{s}广播电视台", "大众数字报"]
FOOTERS = [
    "版权所有：{outlet} Copyright © {year} All Rights Reserved\n主办单位：{outlet} 联系电话：{phone}\n{abbr}ICP备{icp}号-1 网站标识码：{site}",
    "【打印本页】【关闭窗口】\n主办：{s}人民政府办公厅 承办：{s}大数据中心\n电话：{phone} 传真：{phone2}\n版权所有 © {year} {outlet}",
    "分享到：微信 微博 QQ空间\n责任编辑：{editor}\n网站地图 | 联系我们 | 隐私声明\nCopyright © {year} {outlet} 版权所有 客服热线：{phone}",
]
EDITORS = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "周敏"]


@dataclass
class Measure:
    number: str
    text: str  # the whole printed measure, clause included
    lead: list[str]
    responsible: list[str]
    platforms: list[str]
    initiatives: list[str]
    targets: list[dict]
    clause_form: str
    body: str = ""  # the text before the clause
    template: str = ""  # body with {0}, {1}… in place of the target values
    source: str | None = None  # for a city measure: the provincial measure it derives from


@dataclass
class Doc:
    file: str
    genre: str  # plan | news
    jurisdiction: str
    title: str
    text: str
    doc_number: str = ""
    issued: str = ""
    implements: str | None = None  # plan: the title of the plan it implements
    reports_on: str | None = None  # news: the title of the plan it reports on
    measures: list[Measure] = field(default_factory=list)
    script: str = "simplified"
    noise: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- helpers

PROVINCES = [r for r in REGIONS if r.level == "province" and r.name not in ("台湾省", "香港特别行政区", "澳门特别行政区")]
CITIES: dict[str, list] = {}
for _r in REGIONS:
    if _r.level == "city":
        CITIES.setdefault(_r.parent, []).append(_r)
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    tens, ones = divmod(n, 10)
    return CN_NUM[tens - 1] + "十" + (CN_NUM[ones - 1] if ones else "")


def short_of(region) -> str:
    return region.short or region.name[:-1]


def _join(names: list[str]) -> str:
    return "、".join(names)


def clause(rng: random.Random, lead: list[str], resp: list[str], form: str | None = None) -> tuple[str, str, list[str], list[str]]:
    """A unit clause in one of the genre's forms: (text, form, leads as printed, responsible as printed)."""
    forms = ["lead_resp", "lead_resp_semicolon", "resp_only", "lead_only", "lead_resp_long", "bracket_resp",
             "x_lead_y_cooperate", "shared", "x_lead_others_by_duty"]
    form = form or rng.choice(forms)
    full = rng.random() < 0.5  # full-width or half-width punctuation
    lp, rp, colon, comma = ("（", "）", "：", "，") if full else ("(", ")", ":", ",")
    if form == "lead_resp":
        return f"{lp}牵头单位{colon}{_join(lead)}{comma}责任单位{colon}{_join(resp)}{rp}", form, lead, resp
    if form == "lead_resp_semicolon":
        return f"{lp}牵头单位{colon}{_join(lead)}；责任单位{colon}{_join(resp)}{rp}", form, lead, resp
    if form == "resp_only":
        return f"{lp}责任单位{colon}{_join(lead + resp)}{rp}", form, [], lead + resp
    if form == "lead_only":
        return f"{lp}牵头单位{colon}{_join(lead)}{rp}", form, lead, []
    if form == "lead_resp_long":
        return f"{lp}牵头责任单位{colon}{_join(lead)}；相关责任单位{colon}{_join(resp)}{rp}", form, lead, resp
    if form == "bracket_resp":
        return f"〔责任单位{colon}{_join(lead + resp)}〕", form, [], lead + resp
    if form == "x_lead_y_cooperate":
        return f"{lp}{_join(lead)}牵头{comma}{_join(resp)}配合{rp}", form, lead, resp
    if form == "shared":
        return f"{lp}{_join(lead + resp)}分工负责{rp}", form, [], lead + resp
    if form == "x_lead_others_by_duty":
        return f"{lp}{_join(lead)}牵头{comma}{_join(resp)}等有关单位按职责分工负责{rp}", form, lead, resp
    raise ValueError(form)


def numbering(style: str, n: int) -> str:
    return {"dot": f"{n}.", "comma": f"{n}、", "paren": f"({cn_number(n)})", "fullparen": f"（{cn_number(n)}）"}[style]


def target_text(rng: random.Random, platform: str, initiative: str, slot: int) -> tuple[str, dict]:
    """A target phrase with '{slot}' where the number goes, and the target."""
    template, indicator, unit, low, high, step = rng.choice(TARGETS)
    value = rng.randrange(low, high + 1, step)
    text = template.replace("{n}", "{%d}" % slot).replace("{p}", platform).replace("{i}", initiative)
    return text, {"value": value, "unit": unit, "indicator": indicator}


def measure_body(rng: random.Random, app: str) -> tuple[str, str, list[str], list[str], list[dict]]:
    """(body, template, platforms, initiatives, targets); body == template.format(*target values)."""
    platform = rng.choice(PLATFORMS + [app] * 3)
    initiative = rng.choice(INITIATIVES)
    verb = rng.choice(VERBS)
    parts, targets = [], []
    if platform == app:
        parts.append(f"{verb}“{app}”APP功能，推动更多高频事项“{initiative}”")
    else:
        parts.append(f"{verb}{platform}，深化“{initiative}”改革")
    for slot in range(rng.choice([1, 1, 2])):
        text, target = target_text(rng, platform, initiative, slot)
        parts.append(text)
        targets.append(target)
    if rng.random() < 0.3:
        parts.append("探索建立长效运行机制")
    template = "，".join(parts) + "。"
    return template.format(*(t["value"] for t in targets)), template, [platform], [initiative], targets


def scaled(rng: random.Random, target: dict) -> int:
    """The city's number for a provincial target: a share of it, or a slightly higher percentage."""
    if target["unit"] == "%":
        return min(99, target["value"] + rng.randint(1, 5))
    return max(1, int(target["value"] * rng.uniform(0.05, 0.3)))


def pick_agencies(rng: random.Random, level: str) -> tuple[list[str], list[str]]:
    pairs = rng.sample(AGENCIES, rng.randint(2, 5))
    names = [p[0] if level == "province" else p[1] for p in pairs]
    k = rng.choice([1, 1, 1, 2])
    lead, resp = names[:k], names[k:]
    if rng.random() < 0.2:
        resp.append(rng.choice(COLLECTIVES_PROVINCE if level == "province" else COLLECTIVES_CITY))
    return lead, resp


def gloss(rng: random.Random, text: str, rate: float) -> str:
    return "".join(f"{c}({PINYIN[c]})" if c in PINYIN and rng.random() < rate else c for c in text)


_S2T = None


def to_traditional(text: str) -> str:
    global _S2T
    if _S2T is None:
        import opencc

        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)


def footer(rng: random.Random, province, year: int) -> str:
    s = short_of(province)
    outlet = rng.choice(OUTLETS).format(s=s)
    abbr = province.abbr[0] if province.abbr else "京"
    return rng.choice(FOOTERS).format(
        outlet=outlet, year=year, s=s, abbr=abbr, editor=rng.choice(EDITORS),
        phone=f"0{rng.randint(10, 999)}-{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}",
        phone2=f"0{rng.randint(10, 999)}-{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}",
        icp=f"{rng.randint(10000000, 99999999)}", site=f"{rng.randint(1000000000, 9999999999)}")


# ---------------------------------------------------------------------------------------------- documents

def province_plan(rng: random.Random, province, year: int, index: int) -> Doc:
    s = short_of(province)
    abbr = province.abbr[0] if province.abbr else s[0]
    app = PROVINCE_APPS.get(province.name, f"{abbr}事办")
    is_muni = province.name in MUNICIPALITIES
    title = rng.choice([f"{province.name}数字政府建设{year}年工作要点", f"数字{s}建设{year}年行动方案",
                        f"数字强省建设{year}年工作要点" if not is_muni else f"数字{s}建设{year}年工作要点",
                        f"{province.name}{year}年政务服务“一网通办”工作要点"])
    issuer = f"{province.name}人民政府办公厅"
    doc_number = f"{abbr}政办〔{year}〕{rng.randint(1, 60)}号"
    month, day = rng.randint(1, 6), rng.randint(1, 28)
    issued = f"{year}年{month}月{day}日"
    style = rng.choice(["dot", "dot", "comma", "paren"])
    addressees = "各区人民政府，市政府各委、办、局" if is_muni else "各市人民政府，省人民政府各部门"
    lines = [f"{issuer}关于印发{title}的通知", doc_number, f"{addressees}，各有关单位：",
             f"现将《{title}》印发给你们，请认真贯彻落实。", issuer, issued, "（此件公开发布）", "", title, "",
             f"为深入贯彻数字中国建设部署，加快建设数字{s}，制定本工作要点。"]
    measures: list[Measure] = []
    n = subs = 0
    for si, section in enumerate(rng.sample(SECTIONS, rng.randint(2, 4)), 1):
        lines.append(f"{cn_number(si)}、{section}")
        # measures numbered (一) leave no room for (一) subsections
        for sub in (rng.sample(SUBSECTIONS, rng.randint(0, 2)) or [None] if style != "paren" else [None]):
            if sub:
                subs += 1
                lines.append(f"（{cn_number(subs)}）{sub}")
            for _ in range(rng.randint(2, 4)):
                n += 1
                body, template, platforms, initiatives, targets = measure_body(rng, app)
                lead, resp = pick_agencies(rng, "province")
                ctext, form, lead_p, resp_p = clause(rng, lead, resp)
                number = numbering(style, n)
                text = f"{number}{body}{ctext}"
                lines.append(text)
                measures.append(Measure(number, text, lead_p, resp_p, platforms, initiatives, targets, form, body,
                                        template))
    return Doc(f"{index:05d}_plan_{province.name}.txt", "plan", province.name, title, "\n".join(lines) + "\n",
               doc_number, issued, measures=measures)


def city_plan(rng: random.Random, province_doc: Doc, province, city, year: int, index: int) -> Doc:
    cs = short_of(city)
    title = rng.choice([f"{city.name}数字政府建设{year}年工作要点", f"数字{cs}建设{year}年行动方案"])
    doc_number = f"{cs[0]}政办〔{year}〕{rng.randint(1, 80)}号"
    month, day = rng.randint(6, 12), rng.randint(1, 28)
    issued = f"{year}年{month}月{day}日"
    issuer = f"{city.name}人民政府办公室"
    style = rng.choice(["dot", "comma", "comma", "fullparen"])
    lines = [f"{issuer}关于印发{title}的通知", doc_number, "各县（市、区）人民政府，市政府各部门，各有关单位：",
             f"现将《{title}》印发给你们，请结合实际认真抓好贯彻落实。", issuer, issued, "", title, "",
             f"为贯彻落实《{province_doc.title}》，加快推进数字{cs}建设，结合我市实际，制定本工作要点。"]
    measures = []
    copied = rng.sample(province_doc.measures, min(len(province_doc.measures), rng.randint(2, 3)))
    n = 0
    lines.append(f"一、{rng.choice(SECTIONS)}")
    for source in copied:
        n += 1
        # the same indicators with the city's numbers
        targets = [{**t, "value": scaled(rng, t)} for t in source.targets]
        body = source.template.format(*(t["value"] for t in targets))
        lead, resp = pick_agencies(rng, "city")
        ctext, form, lead_p, resp_p = clause(rng, lead, resp, rng.choice(
            ["x_lead_y_cooperate", "bracket_resp", "x_lead_others_by_duty", "shared", "lead_resp"]))
        number = numbering(style, n)
        text = f"{number}{body}{ctext}"
        lines.append(text)
        measures.append(Measure(number, text, lead_p, resp_p, source.platforms, source.initiatives, targets, form,
                                body, source.template, source=f"{province_doc.file}#{source.number}"))
    lines.append(f"二、{rng.choice(SECTIONS)}")
    app = PROVINCE_APPS.get(province.name, "政务服务")
    for _ in range(rng.randint(1, 3)):
        n += 1
        body, template, platforms, initiatives, targets = measure_body(rng, app)
        lead, resp = pick_agencies(rng, "city")
        ctext, form, lead_p, resp_p = clause(rng, lead, resp)
        number = numbering(style, n)
        text = f"{number}{body}{ctext}"
        lines.append(text)
        measures.append(Measure(number, text, lead_p, resp_p, platforms, initiatives, targets, form, body, template))
    return Doc(f"{index:05d}_plan_{city.name}.txt", "plan", city.name, title, "\n".join(lines) + "\n", doc_number,
               issued, implements=province_doc.title, measures=measures)


def news(rng: random.Random, plan: Doc, province, year: int, index: int) -> Doc:
    where = plan.jurisdiction
    short = where[:-1] if where.endswith(("省", "市")) else where
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    reporter = rng.choice(EDITORS)
    outlet = rng.choice(OUTLETS).format(s=short_of(province))
    picked = rng.sample(plan.measures, min(3, len(plan.measures)))
    headline_target = next((m.targets[0] for m in picked if m.targets), None)
    title = f"{short}印发《{plan.title}》"
    if headline_target:
        title += f" {headline_target['indicator']}目标{headline_target['value']}{headline_target['unit']}"
    lines = [title, f"{year}-{month:02d}-{day:02d} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d} 来源：{outlet}",
             "", f"本网讯（记者 {reporter}）近日，{plan.jurisdiction}印发《{plan.title}》（以下简称《要点》），"
                 f"部署{len(plan.measures)}项重点任务。"]
    for m in picked:
        body = m.body.rstrip("。")
        lines.append(f"《要点》提出，要{body}。{m.lead[0] if m.lead else (m.responsible[0] if m.responsible else '有关部门')}"
                     f"有关负责人表示，将抓好任务落实。")
    lines.append(f"据介绍，{short}将持续推进“{rng.choice(INITIATIVES)}”，让企业群众办事更便捷。")
    return Doc(f"{index:05d}_news_{where}.txt", "news", where, title, "\n".join(lines) + "\n",
               reports_on=plan.title, measures=[])


def _documents(n: int, seed: int) -> Iterator[Doc]:
    rng = random.Random(seed)
    produced = 0
    while produced < n:
        province = rng.choice(PROVINCES)
        year = rng.randint(2021, 2025)
        plan = province_plan(rng, province, year, produced)
        family = [plan]
        cities = CITIES.get(province.name, [])
        for city in rng.sample(cities, min(len(cities), rng.randint(0, 2))):
            family.append(city_plan(rng, plan, province, city, year, produced + len(family)))
        if rng.random() < 0.5:
            family.append(news(rng, plan, province, year, produced + len(family)))
        for doc in family:
            if produced >= n:
                return
            doc.file = f"{produced:05d}" + doc.file[5:]
            _add_noise(rng, doc, province, year)
            produced += 1
            yield doc


def _add_noise(rng: random.Random, doc: Doc, province, year: int) -> None:
    if doc.genre == "news" or rng.random() < 0.15:
        doc.text = doc.text.rstrip("\n") + "\n\n" + footer(rng, province, year) + "\n"
        doc.noise.append("footer")
    if rng.random() < 0.1:
        doc.text = gloss(rng, doc.text, 0.6)
        doc.noise.append("pinyin")
    if rng.random() < (0.4 if doc.genre == "news" else 0.15):
        doc.text = to_traditional(doc.text)
        doc.script = "traditional"


def _truth(doc: Doc) -> dict:
    return {
        "file": doc.file, "genre": doc.genre, "jurisdiction": doc.jurisdiction, "title": doc.title,
        "doc_number": doc.doc_number, "issued": doc.issued, "implements": doc.implements,
        "reports_on": doc.reports_on, "script": doc.script,
        "noise": doc.noise,
        "measures": [{"number": m.number, "lead": m.lead, "responsible": m.responsible, "platforms": m.platforms,
                      "initiatives": m.initiatives, "targets": m.targets, "clause_form": m.clause_form,
                      "derived_from": m.source} for m in doc.measures],
    }


def generate(n: int, out_dir: Path | str, seed: int = 0) -> list[Path]:
    """Write n synthetic documents into out_dir (plus the hidden .truth.jsonl); returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with (out / ".truth.jsonl").open("w", encoding="utf-8") as truth:
        for doc in _documents(n, seed):
            path = out / doc.file
            path.write_text(doc.text, encoding="utf-8", newline="\n")
            paths.append(path)
            truth.write(json.dumps(_truth(doc), ensure_ascii=False) + "\n")
    return paths


def measures(n: int, seed: int = 0) -> Iterator[str]:
    """n synthetic measure texts (numbered, with a unit clause). Every fourth one rewrites an earlier
    measure the way a city plan copies a provincial one (other numbers, 市 agencies, another clause
    form), so lineage/similarity benchmarks have true pairs."""
    rng = random.Random(seed)
    pool: list[Measure] = []
    for i in range(n):
        if pool and i % 4 == 3:
            src = rng.choice(pool)
            body = src.template.format(*(scaled(rng, t) for t in src.targets))
            lead, resp = pick_agencies(rng, "city")
            ctext, *_ = clause(rng, lead, resp)
            yield f"{rng.randint(1, 30)}、{body}{ctext}"
            continue
        province = rng.choice(PROVINCES)
        app = PROVINCE_APPS.get(province.name, "政务服务")
        body, template, platforms, initiatives, targets = measure_body(rng, app)
        lead, resp = pick_agencies(rng, "province")
        ctext, form, lead_p, resp_p = clause(rng, lead, resp)
        m = Measure(f"{rng.randint(1, 30)}.", "", lead_p, resp_p, platforms, initiatives, targets, form, body, template)
        pool.append(m)
        yield f"{m.number}{body}{ctext}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out_dir, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1024:.0f} KB) to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
