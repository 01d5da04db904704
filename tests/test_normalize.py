"""Noise removal and traditional-to-simplified conversion keep an exact map to the original."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkg.loaders.normalize import normalize
from govkg.loaders.text import MappedText


def norm(text: str) -> MappedText:
    return normalize(MappedText.identity(text))


@pytest.mark.parametrize("noisy,clean", [
    ("领导小(xiǎo)组", "领导小组"),  # pinyin gloss with tone marks
    ("技(jì )术", "技术"),  # gloss with a space inside
    ("政(zheng)(zheng)務(wu)服务", "政务服务"),  # toneless, repeated insertions
    ("數字強省", "数字强省"),  # traditional script
    ("升级（APP）", "升级(APP)"),  # upper case in brackets is not a gloss
])
def test_inline_noise(noisy, clean):
    assert norm(noisy).text == clean


@pytest.mark.parametrize("line", [
    "当前位置:首页 > 政务公开 > 通知公告",
    "首页 > 新闻中心",
    "来源时间为:2023-07-28",
    "Copyright © 2022-2032 某某科技咨询服务有限公司 版权所有 京ICP证000000号",
    "扫一扫关注我们",
    "投诉举报电话:13012673555 举报邮箱:13012673555@163.com",
    "0632-7903888",
    "责任编辑:王某",
    "【资料图】",
    "打印本页 关闭窗口",
    "主办:某市人民政府办公室 电话:0539-1234567",
    "2、凡本网注明“来源:某网”的所有信息内容,未经书面授权,任何单位及个人不得转载。",
])
def test_noise_lines_are_removed(line):
    text = f"1.推进数字政府建设。\n{line}\n2.完善城市大脑。\n"
    assert norm(text).text == "1.推进数字政府建设。\n2.完善城市大脑。\n"


def test_footer_block_with_company_name_is_removed():
    text = "27.营造良好氛围。\n0632-7903888\n山东省某某经济发展中心\n13012673555\n扫一扫关注我们\n"
    assert norm(text).text.strip() == "27.营造良好氛围。"


def test_reporter_credit_inside_a_paragraph_is_removed():
    assert norm("建立协调机制。(青岛日报记者 张三)\n").text == "建立协调机制。\n"


def test_offsets_point_into_the_original():
    original = "數字強省建設領導小(xiǎo)組辦(bàn)公(gōng)室\n"
    mapped = norm(original)
    start = mapped.text.index("领导小组办公室")
    o_start, o_end = mapped.to_original(start, start + len("领导小组办公室"))
    assert original[o_start:o_end] == "領導小(xiǎo)組辦(bàn)公(gōng)室"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("數字政务小(xiǎo)（）:，。\n 1.牵头单位市局zhengABC©版权")), max_size=80))
def test_every_kept_character_maps_to_its_source(text):
    mapped = norm(text)
    assert len(mapped.origin) == len(mapped.text)
    assert all(0 <= o < len(text) for o in mapped.origin)
    assert mapped.origin == sorted(mapped.origin)


@pytest.mark.parametrize("printed,clean", [
    ("2023 年底前,推进完成 20 个省级系统", "2023年底前,推进完成20个省级系统"),  # PDF-style spacing
    ("达到 85%以上", "达到85%以上"),
    ("1 加强数据整合", "1 加强数据整合"),  # a numbered item keeps its space
    ("1﹒打造门户", "1.打造门户"),  # U+FE52 small full stop numbers items too
])
def test_number_spacing_and_small_full_stop(printed, clean):
    out = normalize(MappedText.identity(printed))
    assert out.text == clean
    start, end = out.to_original(0, len(out.text))
    assert printed[start:end] == printed
