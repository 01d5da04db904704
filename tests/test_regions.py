from govkg.reference.regions import (REGIONS, find_region_prefix, lookup, lookup_abbr, province_of,
                                   regions_in)


def test_counts():
    levels = [r.level for r in REGIONS]
    assert levels.count("province") == 34
    assert levels.count("city") >= 333
    assert len({r.name for r in REGIONS if r.level != "county"}) == levels.count("province") + levels.count("city")


def test_lookup_short_and_full():
    assert lookup("滨州").name == "滨州市"
    assert lookup("滨州市").parent == "山东省"
    assert lookup("广西").name == "广西壮族自治区"
    assert lookup("内蒙") .name == "内蒙古自治区"
    assert lookup("吉林").name == "吉林省"  # the province wins the ambiguous short form
    assert lookup("吉林市").level == "city"
    assert lookup("延边州").name == "延边朝鲜族自治州"
    assert lookup("市中区", parent="枣庄市").parent == "枣庄市"
    assert lookup("不存在") is None
    assert lookup_abbr("豫").name == "河南省"


def test_province_of():
    assert province_of("青岛市") == "山东省"
    assert province_of("青岛") == "山东省"
    assert province_of("惠民县") == "山东省"
    assert province_of("山东省") == "山东省"
    assert province_of("恩施土家族苗族自治州") == "湖北省"
    assert province_of("火星") is None


def test_find_region_prefix():
    assert find_region_prefix("山东省人民政府办公厅").name == "山东省"
    assert find_region_prefix("滨州市大数据局").name == "滨州市"
    assert find_region_prefix("郑州市大数据管理局").name == "郑州市"
    assert find_region_prefix("济南市大数据局").name == "济南市"
    assert find_region_prefix("省大数据局") is None
    assert find_region_prefix("新建5G基站") is None  # one-character abbreviations are never matched
    assert find_region_prefix("广西壮族自治区大数据发展局").name == "广西壮族自治区"


def test_regions_in():
    found = [(m.text, m.region.name) for m in regions_in("为贯彻落实《河南省数字政府建设工作要点》，郑州、洛阳市先行")]
    assert found == [("河南省", "河南省"), ("郑州", "郑州市"), ("洛阳市", "洛阳市")]
    text = "惠民政策覆盖来宾"
    assert regions_in(text) == []


def test_the_trie_alternation_matches_like_a_longest_first_alternation():
    import re

    from govkg.reference import regions

    words = sorted({f for r in regions.REGIONS for f in r.forms} | {"A", "AB", "ABC", "B"})
    trie = re.compile(regions.alternation(words))
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    text = "ABCAB xAByB 山东省济南市市中区 滨州市大数据局 内蒙古自治区呼和浩特市 青岛市市南区 滨州"
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
