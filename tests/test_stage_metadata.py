"""The metadata stage (loaders/metadata.py) on its own: the head of a plan in (normalised, with the position of
its first numbered item, as extract.py hands it over), the plan's fields out; dates; genre; whose plan a cited
title is. tests/test_metadata.py runs heads through the whole pipeline; these heads are written for this file."""
from __future__ import annotations

import pytest

from govkg.loaders import metadata
from govkg.loaders.normalize import normalize
from govkg.loaders.text import MappedText


def norm(s: str) -> str:
    return normalize(MappedText.identity(s)).text


FIELDS = ("title", "issuer", "doc_number", "issued", "jurisdiction", "year", "implements")


def info_of(head: str):
    text = norm(head)
    first = text.find("一、")
    info = metadata.parse_plan_info(text, first if first >= 0 else 0)
    for span in (info.title_span, info.issuer_span, info.doc_number_span, info.issued_span, *info.implements):
        if span:
            assert text[span.start:span.end] == span.text
    got = {f: getattr(info, f) for f in FIELDS}
    got["implements"] = [s.text for s in info.implements]
    return got


HEADS = [
    # a notice: issuer and title from the notice title, number, signature, date
    ("厦门市人民政府办公厅关于印发厦门市数字政府建设2025年工作要点的通知\n厦府办〔2025〕7号\n各区人民政府:\n现印发给你们。\n"
     "厦门市人民政府办公厅\n2025年2月10日\n厦门市数字政府建设2025年工作要点\n一、总体要求\n",
     {"title": "厦门市数字政府建设2025年工作要点", "issuer": "厦门市人民政府办公厅", "doc_number": "厦府办〔2025〕7号",
      "issued": "2025-02-10", "jurisdiction": "厦门市", "year": 2025, "implements": []}),
    # the number above the title (鲁政办字〔2023〕12号 style), a date in Chinese numerals, a cited plan
    ("鲁政办字〔2023〕12号\n山东省人民政府办公厅关于印发山东省数据共享行动方案的通知\n各市人民政府:\n"
     "为贯彻落实《数字中国建设整体布局规划》,制定本方案。\n山东省人民政府办公厅\n二〇二三年三月五日\n一、重点任务\n",
     {"title": "山东省数据共享行动方案", "issuer": "山东省人民政府办公厅", "doc_number": "鲁政办字〔2023〕12号",
      "issued": "2023-03-05", "jurisdiction": "山东省", "year": 2023, "implements": ["数字中国建设整体布局规划"]}),
    # full-width brackets in the number, a date in brackets under the signature
    ("福州市数据局关于印发福州市公共数据开放工作方案的通知\n榕数〔2024〕15号\n福州市数据局\n（2024年6月18日）\n一、目标\n",
     {"title": "福州市公共数据开放工作方案", "issuer": "福州市数据局", "doc_number": "榕数〔2024〕15号",
      "issued": "2024-06-18", "jurisdiction": "福州市", "year": 2024, "implements": []}),
    # a title line only; two cited plans
    ("泉州市数据要素市场化配置改革实施方案\n为落实《福建省数字经济发展规划》和《数字中国建设整体布局规划》,制定本方案。\n一、目标\n",
     {"title": "泉州市数据要素市场化配置改革实施方案", "issuer": None, "doc_number": None, "issued": None,
      "jurisdiction": "泉州市", "year": None, "implements": ["福建省数字经济发展规划", "数字中国建设整体布局规划"]}),
    # traditional script
    ("廈門市數字政府建設工作方案\n為加快建設,制定本方案。\n一、目標\n",
     {"title": "厦门市数字政府建设工作方案", "issuer": None, "doc_number": None, "jurisdiction": "厦门市"}),
    # a notice title without an issuer, the title in 《》
    ("关于印发《漳州市政务数据管理办法》的通知\n漳政综〔2024〕3号\n一、总则\n",
     {"title": "漳州市政务数据管理办法", "issuer": None, "doc_number": "漳政综〔2024〕3号", "jurisdiction": "漳州市"}),
    # the issuer opens the title
    ("龙岩市人民政府关于加快数字政府建设的实施意见\n一、总体要求\n",
     {"title": "龙岩市人民政府关于加快数字政府建设的实施意见", "issuer": "龙岩市人民政府", "jurisdiction": "龙岩市"}),
    # a government site's metadata block
    ("文号: 三政办〔2024〕6号 发文日期: 2024-05-20\n三明市公共数据管理实施细则\n一、总则\n",
     {"title": "三明市公共数据管理实施细则", "doc_number": "三政办〔2024〕6号", "issued": "2024-05-20",
      "jurisdiction": "三明市", "year": 2024}),
    # the brackets of a document number
    ("闽政办[2024]2号\n福建省数据共享方案\n一、目标\n", {"doc_number": "闽政办[2024]2号", "title": "福建省数据共享方案"}),
    ("闽政办【2024】2号\n福建省数据共享方案\n一、目标\n", {"doc_number": "闽政办【2024】2号", "jurisdiction": "福建省"}),
    ("闽政办（2024）2号\n福建省数据共享方案\n一、目标\n", {"doc_number": "闽政办(2024)2号"}),
    # a signature over a date, then the title
    ("莆田市人民政府\n2024年1月5日\n莆田市数据工作方案\n一、目标\n",
     {"title": "莆田市数据工作方案", "issuer": "莆田市人民政府", "issued": "2024-01-05", "year": 2024}),
    # the year from the title when no date is printed; a period in brackets stays in the title
    ("漳州市数据工作2026年工作要点\n一、目标\n", {"title": "漳州市数据工作2026年工作要点", "issued": None, "year": 2026}),
    ("南平市数字政府建设行动计划(2024-2026年)\n一、目标\n",
     {"title": "南平市数字政府建设行动计划(2024-2026年)", "jurisdiction": "南平市", "year": 2024}),
    # an impossible date is no date
    ("宁德市数据局\n2024年13月40日\n一、目标\n", {"issued": None, "year": None, "jurisdiction": "宁德市"}),
    # nothing to read
    ("随便一些文字,没有标题。\n一、目标\n",
     {"title": None, "issuer": None, "doc_number": None, "issued": None, "jurisdiction": None, "year": None}),
    ("", {"title": None, "issuer": None, "doc_number": None, "issued": None, "jurisdiction": None, "implements": []}),
]


@pytest.mark.parametrize("head,expected", HEADS)
def test_plan_info(head, expected):
    got = info_of(head)
    assert {k: got[k] for k in expected} == expected


DATES = [
    ("2024年6月18日", "2024-06-18"),
    ("(2024年6月18日)", "2024-06-18"),
    ("  2024年6月18日  ", "2024-06-18"),
    ("二〇二四年六月十八日", "2024-06-18"),
    ("二〇二四年十二月三十一日", "2024-12-31"),
    ("2024年6月", None),
    ("2024年13月1日", None),
    ("发布于2024年6月18日", None),  # a date inside a sentence is not the date line
    ("", None),
]


@pytest.mark.parametrize("line,iso", DATES)
def test_parse_date_line(line, iso):
    assert metadata.parse_date_line(line) == iso


NEWS = [
    ("记者从市数据局获悉,鹭岛通上线。", False, False, True),
    ("近日,厦门市印发方案。", False, False, True),
    ("近日,厦门市印发方案。", True, False, False),  # unit clauses: a plan
    ("近日,厦门市印发方案。", False, True, False),  # a document number: a plan
    ("1.建设政务云。", False, False, False),
    ("", False, False, False),
]


@pytest.mark.parametrize("text,clauses,number,news", NEWS)
def test_is_news(text, clauses, number, news):
    assert metadata.is_news(text, clauses, number) is news


CITED = [
    ("福建省数字经济发展规划", "厦门市", "福建省"),  # its own place
    ("全省数据共享方案", "厦门市", "福建省"),  # 全省: the citing city's province
    ("省数字政府方案", "厦门市", "福建省"),
    ("数字中国建设整体布局规划", "厦门市", None),  # national
    ("数据管理办法", "厦门市", "厦门市"),  # no place: the citing plan's
    ("数据管理办法", None, None),
]


@pytest.mark.parametrize("title,where,jurisdiction", CITED)
def test_plan_jurisdiction_for_title(title, where, jurisdiction):
    assert metadata.plan_jurisdiction_for_title(title, where) == jurisdiction


STORIES = [
    # a digest: one story per headline
    ("福州:上线“榕易办”新版本\n" + "福州市数据局介绍,新版本整合了三百项高频服务,群众办事更加便捷,企业开办全程网办,进一步提升了服务效率。\n"
     "厦门:发布公共数据开放清单\n" + "厦门市数据局发布了年度公共数据开放清单,涵盖交通、医疗、教育等十二个领域,社会各界可以依法申请使用。\n",
     ["福州:上线“榕易办”新版本", "厦门:发布公共数据开放清单"], ["福州市", "厦门市"]),
    # one report
    ("厦门市数据局召开工作会议。会议强调,要加快推进数字政府建设。\n", [None], ["厦门市"]),
]


@pytest.mark.parametrize("text,headlines,jurisdictions", STORIES)
def test_split_stories(text, headlines, jurisdictions):
    stories = metadata.split_stories(text)
    assert [s.headline.text if s.headline else None for s in stories] == headlines
    assert [metadata.story_jurisdiction(text, s) for s in stories] == jurisdictions


def test_reported_plans():
    text = "近日,厦门市数据局印发《厦门市公共数据开放实施方案》,明确了目标。会议还提到《数字中国》一书。\n"
    (story,) = metadata.split_stories(text)
    assert [s.text for s in metadata.reported_plans(text, story)] == ["厦门市公共数据开放实施方案"]
