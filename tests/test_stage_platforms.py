"""The platforms stage (loaders/platforms.py) on its own: measure text in, platform and initiative mentions
out; prefixes stripped; quoted terms classified; one identity per real system. Names written for this file
(鹭岛通, 榕易办, 海丝通 are invented brands; 闽政通 is in the brands list)."""
from __future__ import annotations

import pytest

from govkg.loaders import platforms
from govkg.loaders.agencies import Jurisdiction


def mentions(text: str, brands=None):
    found, initiatives = platforms.find_mentions(text, 0, len(text), brands)
    for p in found:
        assert text[p.start:p.end] == p.printed
    return ([(p.canonical, p.printed, p.kind, p.parent, p.quoted, p.scope) for p in found],
            [(i.name, i.kind) for i in initiatives])


MENTIONS = [
    # a quoted brand with a descriptor after it: the descriptor is not part of the name
    ("2025年底前建成“鹭岛通”APP。", [("鹭岛通", "“鹭岛通”APP", "app", None, True, None)], []),
    ("推广“鹭岛通”移动政务服务平台,上线1000项服务。",
     [("鹭岛通", "“鹭岛通”移动政务服务平台", "app", None, True, None)], []),
    ("依托“鹭岛通”平台办理。", [("鹭岛通", "“鹭岛通”平台", "app", None, True, None)], []),  # 通 ends like a brand
    ("建设“海丝通”。", [("海丝通", "“海丝通”", "app", None, True, None)], []),
    # a run of quoted names followed by 等业务应用
    ("优化“榕易办”“鹭岛通”等业务应用。",
     [("榕易办", "“榕易办”", "app", None, True, None), ("鹭岛通", "“鹭岛通”", "app", None, True, None)], []),
    # a branch of a quoted platform
    ("推广“鹭岛通”厦门分厅。",
     [("鹭岛通", "“鹭岛通”", "app", None, True, None),
      ("鹭岛通厦门分厅", "“鹭岛通”厦门分厅", "app", "鹭岛通", False, None)], []),
    # unquoted names ending in a platform word; the scope word before them is kept apart
    ("建设全市一体化大数据平台。", [("一体化大数据平台", "一体化大数据平台", "data-platform", None, False, "市")], []),
    ("建设省一体化政务服务平台。", [("一体化政务服务平台", "省一体化政务服务平台", "portal", None, False, "省")], []),
    ("完善政务云。", [("政务云", "政务云", "cloud", None, False, None)], []),
    ("推进省级政务云建设。", [("政务云", "省级政务云", "cloud", None, False, "省")], []),
    # 省 / 市 before 政务 is the scope (市政务云 is not 市政 + 务云)
    ("完善省政务云。", [("政务云", "省政务云", "cloud", None, False, "省")], []),
    ("升级市政务云平台。", [("政务云", "市政务云", "cloud", None, False, "市")], []),
    ("打造城市大脑中枢平台。", [("城市大脑中枢平台", "城市大脑中枢平台", "brain", None, False, None)], []),
    ("构建电子政务内外网。", [("电子政务内网", "电子政务内外网", "network", None, False, None),
                         ("电子政务外网", "电子政务内外网", "network", None, False, None)], []),
    # an agency printed at the head of the name: stripped from the name
    ("建设市民政局低收入人口监测平台。",
     [("低收入人口监测平台", "市民政局低收入人口监测平台", "system", None, False, "市")], []),
    # quoted slogans and programmes are initiatives
    ("推进“一网通办”改革。", [], [("一网通办改革", "programme")]),
    ("实施“数据赋能”行动。", [], [("数据赋能行动", "programme")]),
    # not platforms
    ("《厦门市“城市大脑”建设方案》", [], []),  # inside a cited title
    ("推进平台化转型。", [], []),
    ("提升数字化水平。", [], []),
    ("", [], []),
]


@pytest.mark.parametrize("text,found,initiatives", MENTIONS)
def test_find_mentions(text, found, initiatives):
    assert mentions(text) == (found, initiatives)


def test_owner_printed_in_the_name():
    (p,), _ = platforms.find_mentions("建设市民政局低收入人口监测平台。", 0, 16)
    assert p.owner_printed == "市民政局"


def test_a_quoted_name_called_a_platform_once_is_one_everywhere():
    brands = platforms.known_brands("推广“鹭岛通”APP。")
    assert brands == {"鹭岛通": "鹭岛通"}
    assert mentions("持续优化“鹭岛通”。", brands)[0] == [("鹭岛通", "“鹭岛通”", "app", None, True, None)]


STRIP = [
    ("厦门市行政审批系统", "行政审批系统", "行政审批系统"),
    ("政务云平台", "政务云", "政务云"),
    ("全市视频融合平台", "视频融合平台", "视频融合平台"),
    ("省数据局数据共享平台", "数据共享平台", "数据共享平台"),
    ("福建省鹭岛通", "鹭岛通", "鹭岛通"),
]


@pytest.mark.parametrize("name,stripped,full_only", STRIP)
def test_strip_prefixes(name, stripped, full_only):
    assert platforms.strip_prefixes(name) == stripped
    assert platforms.strip_prefixes(name, full_regions_only=True) == full_only


CLASSIFY = [
    ("鹭岛通", "platform"), ("海丝通", "platform"), ("e办", "platform"),
    ("一网通办", "initiative"), ("数据赋能行动", "initiative"), ("一件事", "initiative"),
    ("数字厦门", None), ("智慧之城", None),
]


@pytest.mark.parametrize("term,verdict", CLASSIFY)
def test_classify_quoted(term, verdict):
    assert platforms.classify_quoted(term) == verdict


XIAMEN = Jurisdiction.of("厦门市")

IDENTIFY = [
    # a generic system is one node per jurisdiction
    ("建设城市大脑。", 0, ("platform:厦门市城市大脑", "厦门市城市大脑", "厦门市", "城市大脑")),
    # a quoted coined name is the text's jurisdiction's own
    ("推广“鹭岛通”APP。", 0, ("platform:厦门市鹭岛通", "厦门市鹭岛通", "厦门市", None)),
    # a known brand keeps its own jurisdiction
    ("推广“闽政通”APP。", 0, ("platform:闽政通", "闽政通", "福建省", None)),
    # the national system
    ("接入全国一体化政务服务平台。", 0,
     ("platform:全国一体化政务服务平台", "全国一体化政务服务平台", "全国", "一体化政务服务平台")),
    # a quoted name that carries its own place
    ("建设“厦门健康”服务号。", 0, ("platform:厦门健康服务号", "厦门健康服务号", "厦门市", None)),
    # a branch is its own node, in the branch's place
    ("推广“鹭岛通”厦门分厅。", 1, ("platform:鹭岛通厦门分厅", "鹭岛通厦门分厅", "厦门市", "鹭岛通厦门分厅")),
    # 省 before the name: the province of the text
    ("建设省一体化政务服务平台。", 0,
     ("platform:福建省一体化政务服务平台", "福建省一体化政务服务平台", "福建省", "一体化政务服务平台")),
]


@pytest.mark.parametrize("text,k,expected", IDENTIFY)
def test_identify(text, k, expected):
    found, _ = platforms.find_mentions(text, 0, len(text))
    who = platforms.identify(found[k], XIAMEN.name, XIAMEN.full_for)
    assert (who.node_id, who.name, who.jurisdiction, who.concept) == expected


def test_identify_without_a_jurisdiction():
    found, _ = platforms.find_mentions("建设城市大脑。", 0, 7)
    who = platforms.identify(found[0], None, lambda marker: None)
    assert (who.node_id, who.jurisdiction) == ("platform:城市大脑", None)
