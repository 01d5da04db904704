"""The agencies stage (loaders/agencies.py) on its own: a printed name and the plan's jurisdiction in, the
resolved agency out; jurisdictions; name keys; agency mentions in running text. Names written for this file."""
from __future__ import annotations

import pytest

from govkg.loaders import agencies
from govkg.loaders.agencies import Jurisdiction

JURISDICTIONS = [
    ("厦门市", ("厦门市", "city", "福建省", "厦门市"), ["福建省", "厦门市", None, None]),
    ("福建省", ("福建省", "province", "福建省", None), ["福建省", None, None, None]),
    ("思明区", ("思明区", "county", "福建省", "厦门市"), ["福建省", "厦门市", "思明区", "思明区"]),
    ("晋江市", ("晋江市", "county", "福建省", "泉州市"), ["福建省", "晋江市", "晋江市", "晋江市"]),  # county-level city
]


@pytest.mark.parametrize("name,fields,full", JURISDICTIONS)
def test_jurisdiction(name, fields, full):
    j = Jurisdiction.of(name)
    assert (j.name, j.level, j.province, j.city) == fields
    assert [j.full_for(m) for m in "省市县区"] == full


@pytest.mark.parametrize("name", ["不存在市", "", None])
def test_no_jurisdiction(name):
    assert Jurisdiction.of(name) is None


RESOLVE = [
    # printed, where, inherited prefix -> (name, collective, kind, other names)
    ("市数据局", "厦门市", None, ("厦门市数据局", False, "government", ())),
    ("省数据管理局", "厦门市", None, ("福建省数据管理局", False, "government", ())),
    ("区数据局", "思明区", None, ("思明区数据局", False, "government", ())),
    ("市数据局", "思明区", None, ("厦门市数据局", False, "government", ())),  # a district plan's 市 is its city
    ("市数据局", "晋江市", None, ("晋江市数据局", False, "government", ())),
    ("数据局", "厦门市", None, ("厦门市数据局", False, "government", ())),  # no prefix: the plan's own
    ("市场监管局", "厦门市", None, ("厦门市市场监管局", False, "government", ())),  # 市场 is not a 市 prefix
    ("财政厅", "福建省", "省", ("福建省财政厅", False, "government", ())),  # 省发展改革委、财政厅
    ("公安局", "厦门市", "市", ("厦门市公安局", False, "government", ())),
    ("福州市数据局", "厦门市", None, ("福州市数据局", False, "government", ())),  # another city's, kept
    ("国家数据局", "厦门市", None, ("国家数据局", False, "government", ())),
    # the party prefix stands before the place: the place is read after it
    ("中共厦门市委组织部", "厦门市", None, ("中共厦门市委组织部", False, "party", ())),
    ("中共市委组织部", "厦门市", None, ("中共厦门市委组织部", False, "party", ())),
    ("市人民政府办公厅", "厦门市", None, ("厦门市人民政府办公厅", False, "government", ())),
    ("  市 数据局 ", "厦门市", None, ("厦门市数据局", False, "government", ())),  # blanks of a broken line
    # placeholders
    ("市直各部门", "厦门市", None, ("厦门市直各部门", True, "collective", ())),
    ("各区政府", "厦门市", None, ("厦门市各区政府", True, "collective", ())),
    ("各有关单位", "厦门市", None, ("厦门市各有关单位", True, "collective", ())),
    # party bodies
    ("团市委", "厦门市", None, ("团厦门市委", False, "party", ())),
    ("市委网信办", "厦门市", None, ("厦门市委网信办", False, "party", ())),
    # enterprises and bodies named by their own place
    ("市电信公司", "厦门市", None, ("厦门市电信公司", False, "enterprise", ())),
    ("中国移动厦门分公司", "厦门市", None, ("中国移动厦门分公司", False, "enterprise", ())),
    ("运营商", "厦门市", None, ("运营商", False, "other", ())),
    ("翔安新区管委会", "厦门市", None, ("翔安新区管委会", False, "government", ())),
    # a second name in brackets
    ("市委网信办(市数据局)", "厦门市", None, ("厦门市委网信办", False, "party", ("厦门市数据局",))),
    ("市委网信办〔市数据局〕", "厦门市", None, ("厦门市委网信办", False, "party", ("厦门市数据局",))),
    # no jurisdiction: the printed name stays
    ("市数据局", None, None, ("市数据局", False, "government", ())),
    ("县政务服务中心", "福建省", None, ("县政务服务中心", False, "government", ())),  # a province has no 县
]


@pytest.mark.parametrize("printed,where,inherit,expected", RESOLVE)
def test_resolve(printed, where, inherit, expected):
    a = agencies.resolve(printed, Jurisdiction.of(where), inherit)
    assert (a.name, a.collective, a.kind, a.other_names) == expected
    assert a.printed == printed


@pytest.mark.parametrize("printed", ["局", "", "、", " "])
def test_not_an_agency(printed):
    assert agencies.resolve(printed, Jurisdiction.of("厦门市")) is None


PREFIXES = [("市数据局", "市"), ("省财政厅", "省"), ("区委", "区"), ("福建省数据局", "福建省"), ("厦门市数据局", "厦门市"),
            ("数据局", None), ("市场监管局", None)]


@pytest.mark.parametrize("printed,prefix", PREFIXES)
def test_jurisdiction_prefix(printed, prefix):
    assert agencies.jurisdiction_prefix(printed) == prefix


KEYS = [
    ("厦门市大数据管理局", "厦门市大数据局"),
    ("中共厦门市委网络安全和信息化委员会办公室", "厦门市委网信办"),
    ("共青团厦门市委", "团厦门市委"),
    ("厦门市发展和改革委员会", "厦门市发展改革委"),
    ("厦门市人力资源和社会保障局", "厦门市人力资源社会保障局"),
    ("厦门市数据局", "厦门市数据局"),
]


@pytest.mark.parametrize("name,key", KEYS)
def test_agency_key(name, key):
    assert agencies.agency_key(name) == key
    assert agencies.agency_key(key) == key


MENTIONS = [
    ("近日,厦门市数据局印发《方案》。", ["厦门市数据局"]),
    ("会上,市数据局局长介绍了情况。", ["市数据局"]),  # 局长 ends the name
    ("福建省人民政府办公厅发布通知。", ["福建省人民政府办公厅"]),
    ("由省数据局牵头组织", ["省数据局"]),
    ("厦门市数据局会同市财政局开展评估。", ["厦门市数据局", "市财政局"]),
    ("推进数字政府建设。", []),  # a programme, not a body
    ("据厦门日报报道", []),  # a news outlet
    ("", []),
]


@pytest.mark.parametrize("text,expected", MENTIONS)
def test_find_mentions(text, expected):
    found = agencies.find_mentions(text)
    assert [name for _, _, name in found] == expected
    assert all(text[a:b] == name for a, b, name in found)
