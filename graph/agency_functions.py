"""What an agency is: its function (ontology/agency_functions.ttl), level, jurisdiction and English name.

`profile(name, aliases)` reads the resolved name (滨州市大数据局): the jurisdiction is the region the
name starts with (the gazetteer), the level follows from it (national when the name is a central
body: 国家…, 国务院…, 中共中央…, a ministry 部), and the function from the body after the
jurisdiction by the genre's keyword rules (RULES, first match wins; party organs are the bodies of
the 委 that follows the jurisdiction: 市委宣传部). An agency with two names (市发改委〔市数据局〕) is
classified by the first name a rule knows. The English name follows the forms Chinese government
sites use: "<Jurisdiction adjective> <Body> <Bureau|Department|Commission|Office>" for government
bodies, "<Body> of the CPC <Jurisdiction adjective> Committee" for party organs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .english import phrase_en, pinyin_word, region_adjective, region_base
from ..reference import regions as gazetteer

FUNCTIONS_FILE = Path(__file__).resolve().parent.parent / "ontology" / "agency_functions.ttl"
FUNCTION_NS = "https://govkg.example.org/agency-function/"
LEVELS = ("national", "province", "prefecture", "county")
_GAZETTEER_LEVEL = {"province": "province", "city": "prefecture", "county": "county"}


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    function: str
    english: str  # {S}: the body's suffix word (Bureau, Department, Commission, Office)
    form: str = "government"  # government | party | of (the English names the jurisdiction inside: "{J}")


def _r(pattern: str, function: str, english: str, form: str = "government") -> Rule:
    return Rule(re.compile(pattern), function, english, form)


# over the body after the jurisdiction; party organs over the body after 委 (市委宣传部 -> 宣传部)
PARTY_RULES: tuple[Rule, ...] = (
    _r(r"^办公厅|^办公室", "party_general_office", "General Office", "party"),
    _r(r"宣传部", "party_propaganda", "Publicity Department", "party"),
    _r(r"组织部", "party_organisation", "Organization Department", "party"),
    _r(r"统战部|统一战线工作部", "party_united_front", "United Front Work Department", "party"),
    _r(r"网信办|网络安全和信息化委员会办公室", "party_cyberspace", "Cyberspace Affairs Office", "party"),
    _r(r"政法委", "party_political_legal", "Political and Legal Affairs Commission", "party"),
    _r(r"金融办|金融委", "financial_affairs", "Financial Affairs Office", "party"),
    _r(r"机要|保密", "party_confidential", "Confidential Affairs Bureau", "party"),
    _r(r"政研室|政策研究室", "party_policy_research", "Policy Research Office", "party"),
    _r(r"党校", "party_school", "Party School", "party"),
    _r(r"编办|机构编制", "party_organisation", "Commission Office for Public Sector Reform", "party"),
)
RULES: tuple[Rule, ...] = (
    _r(r"纪委监委|纪委|监委", "party_discipline", "{J} Commission for Discipline Inspection and Supervision", "of"),
    _r(r"领导小组", "leading_group", "", "leading"),
    _r(r"人大常委会法工委", "peoples_congress",
       "Legislative Affairs Commission of the Standing Committee of the {J} People's Congress", "of"),
    _r(r"人大常委会办公[室厅]", "peoples_congress", "General Office of the Standing Committee of the {J} People's Congress", "of"),
    _r(r"人大", "peoples_congress", "Standing Committee of the {J} People's Congress", "of"),
    _r(r"政协", "cppcc", "General Office of the {J} Committee of the CPPCC", "of"),
    _r(r"人民法院|法院", "court", "{J} People's Court", "of"),
    _r(r"人民检察院|检察院", "procuratorate", "{J} People's Procuratorate", "of"),
    _r(r"^(?:人民)?政府办(?:公[厅室])?$", "government_office", "General Office of the {J} People's Government", "of"),
    _r(r"^(?:人民)?政府新闻办", "information_office", "Information Office of the {J} People's Government", "of"),
    _r(r"^(?:人民)?政府$", "government", "{J} People's Government", "of"),
    _r(r"管委会|管理委员会", "government", "{J} {X} Administrative Committee", "of"),
    _r(r"发展改革委|发改委|发展和改革", "development_reform", "Development and Reform {S}"),
    _r(r"工业和信息化|工信", "industry_it", "Industry and Information Technology {S}"),
    _r(r"经济和信息化|经信", "industry_it", "Economy and Information Technology {S}"),
    _r(r"大数据", "big_data", "Big Data {S}"),
    _r(r"^数据", "big_data", "Data {S}"),
    _r(r"行政审批", "government_services", "Administrative Approval Service {S}"),
    _r(r"政务服务|^政务办", "government_services", "Government Services Management {S}"),
    _r(r"公安", "public_security", "Public Security {S}"),
    _r(r"财政", "finance", "Finance {S}"),
    _r(r"金融", "financial_affairs", "Financial Affairs {S}"),
    _r(r"人力资源", "human_resources_social_security", "Human Resources and Social Security {S}"),
    _r(r"自然资源", "natural_resources", "Natural Resources {S}"),
    _r(r"住房", "housing_urban_rural", "Housing and Urban-Rural Development {S}"),
    _r(r"交通运输|交通", "transport", "Transport {S}"),
    _r(r"农业农村|农业", "agriculture_rural", "Agriculture and Rural Affairs {S}"),
    _r(r"城乡水务|水务", "water", "Urban and Rural Water Affairs {S}"),
    _r(r"水利", "water", "Water Resources {S}"),
    _r(r"海洋发展渔业", "ocean_fisheries", "Ocean Development and Fisheries {S}"),
    _r(r"海洋|渔业", "ocean_fisheries", "Ocean {S}"),
    _r(r"能源", "energy", "Energy {S}"),
    _r(r"商务", "commerce", "Commerce {S}"),
    _r(r"文化和旅游|文旅", "culture_tourism", "Culture and Tourism {S}"),
    _r(r"广电|广播电视", "radio_television", "Radio and Television {S}"),
    _r(r"体育", "sports", "Sports {S}"),
    _r(r"档案", "archives", "{J} Archives", "of"),
    _r(r"卫生健康|卫健", "health", "Health {S}"),
    _r(r"医保|医疗保障", "healthcare_security", "Healthcare Security {S}"),
    _r(r"民政", "civil_affairs", "Civil Affairs {S}"),
    _r(r"市场监管|市场监督", "market_regulation", "{J} Administration for Market Regulation", "of"),
    _r(r"生态环境|环保", "ecology_environment", "Ecology and Environment {S}"),
    _r(r"教育", "education", "Education {S}"),
    _r(r"科技|科学技术", "science_technology", "Science and Technology {S}"),
    _r(r"司法", "justice", "Justice {S}"),
    _r(r"消防救援", "emergency_management", "{J} Fire and Rescue Corps", "of"),
    _r(r"应急", "emergency_management", "Emergency Management {S}"),
    _r(r"统计", "statistics", "Statistics {S}"),
    _r(r"国资委|国有资产", "state_assets", "State-owned Assets Supervision and Administration Commission"),
    _r(r"审计", "audit", "Audit {S}"),
    _r(r"税务", "taxation", "{J} Tax Service", "of"),
    _r(r"气象", "meteorology", "Meteorological {S}"),
    _r(r"机关事务", "government_affairs_administration", "Government Offices Administration"),
    _r(r"通信管理", "communications", "Communications Administration"),
    _r(r"信息通信", "communications", "Information and Communications Development {S}"),
    _r(r"密码|保密", "cryptography", "Cryptography Administration"),
)
MASS_RULES: tuple[Rule, ...] = (
    _r(r"^团.*委$|共青团", "youth_league", "{J} Committee of the Communist Youth League", "of"),
    _r(r"妇联|妇女联合会", "womens_federation", "{J} Women's Federation", "of"),
    _r(r"总工会|工会", "trade_union", "{J} Federation of Trade Unions", "of"),
    _r(r"工商联|工商业联合会", "industry_commerce_federation", "{J} Federation of Industry and Commerce", "of"),
    _r(r"科协", "science_association", "{J} Association for Science and Technology", "of"),
    _r(r"残联", "disabled_persons_federation", "{J} Disabled Persons' Federation", "of"),
    _r(r"红十字会", "red_cross", "{J} Red Cross Society", "of"),
)
ENTERPRISE_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^(?:基础电信)?运营商$"), "telecom_operator", "Telecom Operators"),
    (re.compile(r"中国移动|移动"), "telecom_operator", "China Mobile"),
    (re.compile(r"中国联通|联通"), "telecom_operator", "China Unicom"),
    (re.compile(r"中国电信|电信"), "telecom_operator", "China Telecom"),
    (re.compile(r"铁塔"), "telecom_operator", "China Tower"),
    (re.compile(r"国网|国家电网|供电"), "power_grid", "State Grid"),
    (re.compile(r"银行|分行|支行"), "financial_institution", ""),
    (re.compile(r"集团|公司|有限|股份"), "state_owned_enterprise", ""),
)
SUFFIX_EN = (("委员会", "Commission"), ("办公室", "Office"), ("总队", "Corps"), ("中心", "Center"),
             ("局", "Bureau"), ("厅", "Department"), ("委", "Commission"), ("办", "Office"), ("部", "Ministry"),
             ("院", "Institute"), ("馆", "Museum"), ("所", "Institute"), ("站", "Station"), ("会", "Association"))
NATIONAL = re.compile(r"^(?:国家|国务院|中共中央|中央|全国|中华人民共和国)")


@dataclass(frozen=True)
class AgencyProfile:
    function: str  # a skos:notation of ontology/agency_functions.ttl
    level: str  # national | province | prefecture | county
    jurisdiction: str  # 滨州市; 中国 for national bodies
    name_en: str


@lru_cache(maxsize=1)
def function_labels() -> dict[str, dict[str, str]]:
    """notation -> {"zh": …, "en": …, "broader": …} read from ontology/agency_functions.ttl."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    graph = Graph().parse(FUNCTIONS_FILE, format="turtle")
    out: dict[str, dict[str, str]] = {}
    for concept in set(graph.subjects(SKOS.inScheme, URIRef(FUNCTION_NS + "scheme"))):
        code = str(concept)[len(FUNCTION_NS):]
        entry = {str(label.language).split("-")[0]: str(label) for label in graph.objects(concept, SKOS.prefLabel)}
        broader = next(iter(graph.objects(concept, SKOS.broader)), None)
        if broader is not None:
            entry["broader"] = str(broader)[len(FUNCTION_NS):]
        out[code] = entry
    return out


def function_iri(code: str) -> str:
    return FUNCTION_NS + code


def _split_jurisdiction(name: str):
    """(region or None, body): 滨州市大数据局 -> (滨州市, 大数据局); 团滨州市委 -> (滨州市, 团委)."""
    regions = gazetteer
    text = re.sub(r"^中共", "", name)
    youth = text.startswith("团") and not text.startswith("团结")
    if youth:
        text = text[1:]
    region = regions.find_region_prefix(text)
    if region is None:
        return None, ("团" if youth else "") + text
    form = next((f for f in sorted(region.forms, key=len, reverse=True) if text.startswith(f)), "")
    body = text[len(form):]
    while (inner := regions.find_region_prefix(body)) is not None and inner.parent and \
            regions.lookup(inner.parent) == region:  # 泰州市姜堰区政府办: the district is the jurisdiction
        inner_form = next((f for f in sorted(inner.forms, key=len, reverse=True) if body.startswith(f)), "")
        if not inner_form:
            break
        region, body = inner, body[len(inner_form):]
    # 山东数字强省…: a short form; 滨州市县区…: nested regions are left in the body
    return region, ("团" if youth else "") + body


def _suffix_en(body: str) -> str:
    body = re.sub(r"[(（〔].*?[)）〕]$", "", body)
    return next((en for zh, en in SUFFIX_EN if body.endswith(zh)), "Office")


def _national_en(body: str) -> str:
    text = NATIONAL.sub("", body)
    if text.endswith("部") and not text.endswith(("宣传部", "组织部", "统战部")):
        return "Ministry of " + phrase_en(text[:-1])
    return "National " + phrase_en(text)


def profile(name: str, aliases: tuple[str, ...] | list[str] = ()) -> AgencyProfile:
    """Function, level, jurisdiction and English name of one (non-collective) agency."""
    best: AgencyProfile | None = None
    for candidate in _names(name, aliases):
        found = _profile_one(candidate)
        if found.function not in ("other", "public_institution"):  # the fallbacks: try the other names
            return found
        best = best or found
    assert best is not None
    return best


def _names(name: str, aliases) -> list[str]:
    """The name, the names inside it (市发改委〔市数据局〕, X(Y)), then the aliases."""
    out = [name]
    m = re.match(r"^(?P<a>[^〔（(]+)[〔（(](?P<b>[^〕）)]+)[〕）)]$", name)
    if m and not m.group("b") in ("行政学院",):
        out += [m.group("a"), m.group("b")]
    out += [a for a in aliases if isinstance(a, str) and a and a not in out]
    return out


ZONE = re.compile(r"(?:示范区|新区|开发区|高新区|经开区|综合试验区)")


def _profile_one(name: str) -> AgencyProfile:
    region, body = _split_jurisdiction(name)
    national = region is None and bool(NATIONAL.match(body))
    if region is not None:
        level = _GAZETTEER_LEVEL.get(region.level, "county")
        jurisdiction = region.name
        adjective = region_adjective(region.name, region.level)
    elif national:
        level, jurisdiction, adjective = "national", "中国", "National"
    else:  # a place named inside (国网滨州供电公司), a county's short form before a zone (济源示范区), or none
        inside = [m.region for m in gazetteer.regions_in(body)]
        for k in (3, 2):
            if not inside and ZONE.match(body[k:]) and (short := gazetteer.lookup(body[:k])) is not None:
                inside, body = [short], body[k:]
        if inside:
            found = inside[0]
            level, jurisdiction = _GAZETTEER_LEVEL.get(found.level, "county"), found.name
            adjective = region_adjective(found.name, found.level)
        else:
            level, jurisdiction, adjective = "national", "中国", "National"
    function, english = _classify(body, adjective, jurisdiction == "中国")
    return AgencyProfile(function, level, jurisdiction, english)


def _classify(body: str, adjective: str, national: bool) -> tuple[str, str]:
    party_body = None
    if body.startswith("委") and not body.startswith("委员会"):
        party_body = body[1:]
    elif body.startswith("党委") or body.startswith("中央"):
        party_body = re.sub(r"^(?:党委|中央)", "", body)
    committee = "CPC Central Committee" if national else f"CPC {adjective} Committee"
    if party_body is not None:
        for rule in PARTY_RULES:
            if rule.pattern.search(party_body):
                if rule.function == "party_school":
                    return rule.function, f"Party School of the {committee}"
                return rule.function, f"{rule.english} of the {committee}"
    for rule in MASS_RULES:
        if rule.pattern.search(body):
            return rule.function, rule.english.format(J=adjective)
    for pattern, function, brand in ENTERPRISE_RULES:
        if pattern.search(body):
            where = ""  # the place is in the rest of the name (中国移动滨州分公司 -> China Mobile Binzhou Branch)
            rest = pattern.sub("", body, count=1)
            rest = re.sub(r"^(?:中国|有限)?", "", rest)
            words = phrase_en(rest) if rest else ""
            company = " ".join(w for w in (brand, where, words) if w).strip()
            return function, company or pinyin_word(body)
    if party_body is not None:
        return "party_organ", f"{phrase_en(party_body)} of the {committee}"
    if national:
        body = NATIONAL.sub("", body) or body
    for rule in RULES:
        if rule.pattern.search(body):
            if rule.form == "leading":
                topic = re.sub(r"领导小组(?:办公室)?$", "", body)
                office = "Office of the " if body.endswith("办公室") else ""
                return rule.function, f"{office}{adjective} Leading Group for {phrase_en(topic)}".replace(
                    "for Digital Province Building", "for Building a Digital Province").replace(
                    "for Digital City Building", "for Building a Digital City")
            if rule.form == "of":  # {X}: what the name says beside the rule's words (示范区 -> Demonstration Zone)
                rest = phrase_en(rule.pattern.sub("", body)) if "{X}" in rule.english else ""
                return rule.function, re.sub(r"\s+", " ", rule.english.format(J=adjective.rsplit(" ", 1)[0]
                                                                               if "{X}" in rule.english else adjective,
                                                                               X=rest))
            english = rule.english.format(S=_suffix_en(body)).strip()
            if national:
                if body.endswith("部"):
                    return rule.function, "Ministry of " + english.removesuffix(" Ministry")
                english = re.sub(r"^National ", "", english)
                return rule.function, f"National {english}"
            return rule.function, f"{adjective} {english}"
    if national:
        return "other", _national_en(body)
    english = phrase_en(re.sub(r"(?:局|厅|委|办|办公室|中心)$", "", body))
    return ("public_institution" if body.endswith(("中心", "院", "所", "站", "馆")) else "other",
            f"{adjective} {english} {_suffix_en(body)}".strip())


__all__ = ["AgencyProfile", "profile", "function_labels", "function_iri", "LEVELS", "region_base"]
