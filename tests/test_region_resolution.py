"""Region resolution as a table: input text and context -> region name, level, GB/T 2260 code, parent."""
from __future__ import annotations

import pytest

from govkg.loaders.pipeline import extract_file
from govkg.reference import regions

# (text, parent context, name, level, code, parent key)
CASES = [
    ("龙游县", None, "龙游县", "county", "330825", "衢州市"),
    ("乐清市", None, "乐清市", "county", "330382", "温州市"),
    ("姜堰区", None, "姜堰区", "county", "321204", "泰州市"),
    ("静安区", None, "静安区", "county", "310106", "上海市"),
    ("龙游", None, "龙游县", "county", "330825", "衢州市"),
    ("乐清", "温州", "乐清市", "county", "330382", "温州市"),
    ("滨州", None, "滨州市", "city", "371600", "山东省"),
    ("山东", None, "山东省", "province", "370000", ""),
    ("广西", None, "广西壮族自治区", "province", "450000", ""),
    ("宁夏", None, "宁夏回族自治区", "province", "640000", ""),
    ("新疆", None, "新疆维吾尔自治区", "province", "650000", ""),
    ("内蒙", None, "内蒙古自治区", "province", "150000", ""),
    ("香港", None, "香港特别行政区", "province", "810000", ""),
    ("吉林", None, "吉林省", "province", "220000", ""),  # the province wins the shared short form
    ("吉林市", None, "吉林市", "city", "220200", "吉林省"),
    ("延边州", None, "延边朝鲜族自治州", "city", "222400", "吉林省"),
    ("黔南", None, "黔南布依族苗族自治州", "city", "522700", "贵州省"),
    ("西双版纳", None, "西双版纳傣族自治州", "city", "532800", "云南省"),
    ("锡林郭勒", None, "锡林郭勒盟", "city", "152500", "内蒙古自治区"),
    ("喀什", None, "喀什地区", "city", "653100", "新疆维吾尔自治区"),
    ("长阳", None, "长阳土家族自治县", "county", "420528", "宜昌市"),
    ("神农架", None, "神农架林区", "county", "429021", "湖北省"),
    ("浦东", None, "浦东新区", "county", "310115", "上海市"),
    ("济源市", None, "济源市", "county", "419001", "河南省"),  # directly under the province
    ("和县", None, "和县", "county", "340523", "马鞍山市"),  # two characters: keeps its suffix
    ("沙县", None, "沙县区", "county", "350405", "三明市"),
    ("鼓楼区", "南京市", "鼓楼区", "county", "320106", "南京市"),  # five cities have a 鼓楼区
    ("鼓楼区", "福州", "鼓楼区", "county", "350102", "福州市"),
    ("鼓楼区", "徐州", "鼓楼区", "county", "320302", "徐州市"),
    ("鼓楼区", "江苏省", None, None, None, None),  # 南京 and 徐州 both have one
    ("朝阳区", "北京市", "朝阳区", "county", "110105", "北京市"),
    ("朝阳区", "长春市", "朝阳区", "county", "220104", "长春市"),
    ("市中区", "枣庄市", "市中区", "county", "370402", "枣庄市"),
    ("南京市鼓楼区", None, "鼓楼区", "county", "320106", "南京市"),  # the key of a shared name
    ("温州市乐清市", None, "乐清市", "county", "330382", "温州市"),
    ("历城区", None, "历城区", "county", "370112", "济南市"),
    ("贵安新区", None, None, None, None, None),  # a functional area, not a division
]


@pytest.mark.parametrize("text, parent, name, level, code, parent_key", CASES)
def test_lookup_table(text, parent, name, level, code, parent_key):
    region = regions.lookup(text, parent=parent)
    if name is None:
        assert region is None
        return
    assert region is not None
    assert (region.name, region.level, region.code, region.parent) == (name, level, code, parent_key)
    assert regions.by_code(code) is region


@pytest.mark.parametrize("shared", ["鼓楼区", "朝阳区", "市中区", "城区", "鼓楼", "和平"])
def test_a_shared_name_without_context_resolves_to_nothing(shared):
    assert regions.lookup(shared) is None


@pytest.mark.parametrize("text, expected", [
    ("浙江省温州市乐清市人民政府办公室", "乐清市"),
    ("龙游县人民政府深化数字政府建设", "龙游县"),
    ("泰州市姜堰区人民政府", "姜堰区"),
    ("上海市静安区人民政府办公室", "静安区"),
    ("南京市鼓楼区数据局", "南京市鼓楼区"),
    ("鼓楼区数据局", None),  # which 鼓楼区 is not said
    ("山东省济南市历城区人民政府", "历城区"),
    ("滨州市大数据局", "滨州市"),
])
def test_jurisdiction_of_a_name(text, expected):
    found = regions.jurisdiction_of_name(text)
    assert (found.key if found else None) == expected


def test_shared_name_resolved_inside_the_plans_province():
    found = regions.jurisdiction_of_name("鼓楼区数据局", within=regions.lookup("福建省"))
    assert found is not None and found.code == "350102" and found.key == "福州市鼓楼区"


def test_counts_cover_the_country():
    levels = [r.level for r in regions.REGIONS]
    assert levels.count("province") == 34 and levels.count("city") >= 330 and levels.count("county") >= 2800
    assert len({r.key for r in regions.REGIONS}) == len(regions.REGIONS)
    assert all(len(r.code) == 6 and r.code.isdigit() for r in regions.REGIONS)


def test_county_short_forms_are_not_matched_in_running_text():
    assert [m.text for m in regions.regions_in("惠民政策长安久治,平安建设")] == []


COUNTY_PLANS = {
    "lq.txt": ("乐清市数字政府建设2024年工作要点\n乐清市人民政府办公室\n2024年3月1日\n"
               "一、推进一网通办。完善政务服务平台。(责任单位:市大数据局、市财政局)\n", "乐清市", "330382",
               {"乐清市大数据局", "乐清市财政局"}),
    "ly.txt": ("龙游县数字政府建设2024年工作要点\n龙游县人民政府办公室\n2024年3月1日\n"
               "一、推进一网通办。完善政务服务平台。(责任单位:县大数据局、市数据局)\n", "龙游县", "330825",
               {"龙游县大数据局", "衢州市数据局"}),
    "jy.txt": ("姜堰区数字政府建设2024年工作要点\n泰州市姜堰区人民政府办公室\n2024年3月1日\n"
               "一、推进一网通办。完善政务服务平台。(责任单位:区数据局、区财政局)\n", "姜堰区", "321204",
               {"姜堰区数据局", "姜堰区财政局"}),
    "ja.txt": ("静安区数字化转型2024年工作要点\n上海市静安区人民政府办公室\n2024年3月1日\n"
               "一、推进一网通办。完善政务服务平台。(责任单位:区数据局、市数据局)\n", "静安区", "310106",
               {"静安区数据局", "上海市数据局"}),
}


@pytest.mark.parametrize("name", sorted(COUNTY_PLANS))
def test_county_level_plans_resolve_their_agencies(tmp_path, name):
    text, jurisdiction, code, agencies = COUNTY_PLANS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, facts = extract_file(path)
    plan = next(n for n in facts.nodes if n.type == "Plan" and n.props.get("document"))
    assert plan.props["jurisdiction"] == jurisdiction
    region = next(n for n in facts.nodes if n.type == "Region" and n.name == jurisdiction)
    assert region.id == f"region:{jurisdiction}"
    assert region.props["division_code"] == code and region.props["level"] == "county"
    responsible = {n.name for n in facts.nodes if n.type == "Agency"
                   if any(e.source == n.id and e.type in ("LEADS", "RESPONSIBLE_FOR") for e in facts.edges)}
    assert responsible == agencies


def test_stats_rest_and_rdf_show_jurisdiction_level_and_code(tmp_path):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from govkg.api.app import create_app
    from govkg.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (text, *_rest) in COUNTY_PLANS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "city.txt").write_text("数字滨州建设2024年工作要点\n一、重点任务\n1.完善城市大脑。(牵头单位:市大数据局)\n",
                                     encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "data")]).exit_code == 0
    stats = runner.invoke(app, ["stats", str(tmp_path / "data")])
    assert stats.exit_code == 0
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in stats.output.splitlines()
            if line.count("│") == 3}
    assert rows["plans at county level"] == "4"
    assert rows["plans at prefecture level"] == "1"
    assert rows["plans at province level"] == "0"

    client = TestClient(create_app(tmp_path / "data"))
    plans = client.get("/api/plans", params={"jurisdiction": "乐清市"}).json()["items"]
    assert len(plans) == 1
    detail = client.get(f"/api/plans/{plans[0]['id']}").json()
    assert detail["jurisdiction_region"] == {"id": "region:乐清市", "name": "乐清市", "level": "county",
                                             "code": "330382", "parent": "温州市"}

    nq = tmp_path / "out.nq"
    assert runner.invoke(app, ["export", str(tmp_path / "data"), "--format", "nq", "--output", str(nq)]).exit_code == 0
    lines = nq.read_text(encoding="utf-8").splitlines()
    assert any("/region/乐清市>" in ln and "divisionCode>" in ln and '"330382"' in ln for ln in lines)
