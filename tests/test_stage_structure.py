"""The structure stage (loaders/structure.py) on its own: plan text in (normalised, as extract.py hands it
over), headings, measures and their unit clauses out. Every text here is written for this file."""
from __future__ import annotations

import pytest

from govkg.loaders import units
from govkg.loaders.normalize import normalize
from govkg.loaders.structure import find_unit_clauses, is_unit_clause, parse_structure
from govkg.reference.chinese import numeral_value
from govkg.loaders.text import MappedText


def norm(s: str) -> str:
    return normalize(MappedText.identity(s)).text


def outline(text: str):
    """(measure level, [(heading number, heading)], [(number, measure text, clause contents, open headings)])"""
    st = parse_structure(text)
    sections = [(s.number, text[s.body_start:s.end].strip()) for s in st.sections]
    measures = [(m.item.number, text[m.text_start:m.text_end].strip(), [c.content for c in m.clauses],
                 [s.number for s in m.sections]) for m in st.measures]
    return st.measure_level, sections, measures


PLANS = [
    # 一、 sections over (一) measures, each with its clause; the (一) numbering restarts under 二、
    ("一、夯实数字底座\n(一)建设政务云。(牵头单位:市数据局;责任单位:市财政局)\n(二)完善政务外网。(牵头单位:市数据局)\n"
     "二、提升服务能力\n(一)推广“榕城通”。(责任单位:市政务服务中心)\n",
     ("paren_cn", [("一", "夯实数字底座"), ("二", "提升服务能力")],
      [("(一)", "建设政务云。", ["牵头单位:市数据局;责任单位:市财政局"], ["一"]),
       ("(二)", "完善政务外网。", ["牵头单位:市数据局"], ["一"]),
       ("(一)", "推广“榕城通”。", ["责任单位:市政务服务中心"], ["二"])])),
    # full-width brackets and colons, 1. measures under 一、; a measure without a clause is still a measure
    ("一、总体要求\n到2025年底,基本建成整体协同的数字政府。\n二、重点任务\n"
     "1.建设一体化政务大数据平台。（牵头单位：市数据局，配合单位：市公安局）\n2.推进电子证照应用。（责任单位：市政务服务中心）\n"
     "3.优化“一网通办”。\n",
     ("arabic", [("一", "总体要求"), ("二", "重点任务")],
      [("1", "建设一体化政务大数据平台。", ["牵头单位:市数据局,配合单位:市公安局"], ["二"]),
       ("2", "推进电子证照应用。", ["责任单位:市政务服务中心"], ["二"]),
       ("3", "优化“一网通办”。", [], ["二"])])),
    # three levels without clauses: 一、 > (一) > 1.
    ("一、重点任务\n（一）推进数据共享\n1. 完善数据目录。\n2. 健全共享机制。\n（二）提升治理能力\n1. 建设城市大脑。\n2. 推广移动办公。\n",
     ("arabic", [("一", "重点任务"), ("(一)", "推进数据共享"), ("(二)", "提升治理能力")],
      [("1", "完善数据目录。", [], ["一", "(一)"]), ("2", "健全共享机制。", [], ["一", "(一)"]),
       ("1", "建设城市大脑。", [], ["一", "(二)"]), ("2", "推广移动办公。", [], ["一", "(二)"])])),
    # unbracketed closing sentences that name the units
    ("1.建设政务云。市数据局牵头,市财政局配合。\n2.完善视频平台。市公安局、市数据局按职责分工负责。\n",
     ("arabic", [], [("1", "建设政务云。", ["市数据局牵头,市财政局配合"], []),
                     ("2", "完善视频平台。", ["市公安局、市数据局按职责分工负责"], [])])),
    # two measures on one line, told apart after the closing bracket
    ("1.建设政务云。(牵头单位:市数据局)2.完善外网。(牵头单位:市公安局)\n",
     ("arabic", [], [("1", "建设政务云。", ["牵头单位:市数据局"], []), ("2", "完善外网。", ["牵头单位:市公安局"], [])])),
    # 一是…;二是… with inline roles
    ("一是建设政务云(市数据局牵头);二是完善外网(市公安局牵头)。\n",
     ("shi", [], [("一是", "建设政务云", ["市数据局牵头"], []), ("二是", "完善外网", ["市公安局牵头"], [])])),
    # unnumbered paragraphs, each closed by its clause, under a numbered heading
    ("一、强化基础支撑\n建设政务云平台。(牵头单位:市数据局)\n完善政务外网。(配合单位:市公安局)\n",
     ("cn", [("一", "强化基础支撑")],
      [("", "建设政务云平台。", ["牵头单位:市数据局"], ["一"]), ("", "完善政务外网。", ["配合单位:市公安局"], ["一"])])),
    # traditional script
    ("一、加強組織領導\n1.建立工作專班。(牽頭單位:市數據局)\n2.完善考核機制。(責任單位:市財政局)\n",
     ("arabic", [("一", "加强组织领导")],
      [("1", "建立工作专班。", ["牵头单位:市数据局"], ["一"]), ("2", "完善考核机制。", ["责任单位:市财政局"], ["一"])])),
    # an 附件 line after the last measure is not part of it
    ("1.建设政务云。(牵头单位:市数据局)\n2.完善外网。(牵头单位:市公安局)\n附件:任务分工表\n",
     ("arabic", [], [("1", "建设政务云。", ["牵头单位:市数据局"], []), ("2", "完善外网。", ["牵头单位:市公安局"], [])])),
    # numbers inside a sentence are not markers: (3)个, 10个
    ("1.到2025年,建成10个场景。\n2.新建(3)个机房。\n",
     ("arabic", [], [("1", "到2025年,建成10个场景。", [], []), ("2", "新建(3)个机房。", [], [])])),
    # a task table: its rows are the measures, the prose headings above are the sections
    ("一、基础设施\n序号\t重点任务\t牵头单位\t责任单位\n1\t建设政务云\t市数据局\t市财政局\n2\t完善政务外网\t市公安局\t市数据局\n"
     "二、数据资源\n序号\t重点任务\t牵头单位\n1\t建设数据目录\t市数据局\n",
     ("table", [("一", "基础设施"), ("二", "数据资源")],
      [("1", "建设政务云", ["市数据局", "市财政局"], ["一"]), ("2", "完善政务外网", ["市公安局", "市数据局"], ["一"]),
       ("1", "建设数据目录", ["市数据局"], ["二"])])),
    # 1. headings over （1） measures
    ("1.强化数据支撑\n（1）编制数据目录。（牵头单位：市数据局）\n（2）建设数据仓。（牵头单位：市数据局）\n2.优化政务服务\n"
     "（1）推广掌上办。（责任单位：市政务服务中心）\n",
     ("paren_arabic", [("1", "强化数据支撑"), ("2", "优化政务服务")],
      [("(1)", "编制数据目录。", ["牵头单位:市数据局"], ["1"]), ("(2)", "建设数据仓。", ["牵头单位:市数据局"], ["1"]),
       ("(1)", "推广掌上办。", ["责任单位:市政务服务中心"], ["2"])])),
    # circled numbers
    ("①建设政务云。(牵头单位:市数据局)\n②完善外网。(牵头单位:市公安局)\n",
     ("circled", [], [("①", "建设政务云。", ["牵头单位:市数据局"], []), ("②", "完善外网。", ["牵头单位:市公安局"], [])])),
    # formal numerals 壹、贰、 as section numbers
    ("壹、总体要求\n贰、重点任务\n1.建设政务云。\n2.完善外网。\n",
     ("arabic", [("壹", "总体要求"), ("贰", "重点任务")],
      [("1", "建设政务云。", [], ["贰"]), ("2", "完善外网。", [], ["贰"])])),
    # 1、 and 1 (a blank) as markers
    ("1、建设政务云。\n2、完善外网。\n", ("arabic", [], [("1", "建设政务云。", [], []), ("2", "完善外网。", [], [])])),
    ("1 建设政务云。\n2 完善外网。\n", ("arabic", [], [("1", "建设政务云。", [], []), ("2", "完善外网。", [], [])])),
    # only 一、 items: they are the measures
    ("一、建设政务云\n二、完善外网\n", ("cn", [], [("一", "建设政务云", [], []), ("二", "完善外网", [], [])])),
    # an unbracketed unit line under the measure
    ("1.建设政务云。\n责任单位:市数据局、市财政局\n2.完善外网。\n责任单位:市公安局\n",
     ("arabic", [], [("1", "建设政务云。", ["责任单位:市数据局、市财政局"], []),
                     ("2", "完善外网。", ["责任单位:市公安局"], [])])),
    # a preamble section without measures, then numbered measures, then a closing section
    ("一、主要目标\n到2025年底,建成政务云。\n二、重点任务\n1.建设政务云。(牵头单位:市数据局)\n2.完善外网。(牵头单位:市公安局)\n"
     "三、保障措施\n加强组织领导。\n",
     ("arabic", [("一", "主要目标"), ("二", "重点任务"), ("三", "保障措施")],
      [("1", "建设政务云。", ["牵头单位:市数据局"], ["二"]), ("2", "完善外网。", ["牵头单位:市公安局"], ["二"])])),
    # nothing numbered
    ("", (None, [], [])),
    ("本网站提供政务信息服务。\n", (None, [], [])),
]


@pytest.mark.parametrize("text,expected", PLANS)
def test_outline(text, expected):
    assert outline(norm(text)) == expected


# (协同单位:市财政局) through the structure stage: found as a clause, read as RESPONSIBLE_FOR 市财政局
BRACKETED = [
    ("1.统筹资金保障。(协同单位:市财政局)\n", "协同单位:市财政局", [(units.RESPONSIBLE_FOR, "市财政局")]),
    ("1.统筹资金保障。（协同单位：市财政局）\n", "协同单位:市财政局", [(units.RESPONSIBLE_FOR, "市财政局")]),
    ("1.统筹资金保障。〔配合单位:市财政局〕\n", "配合单位:市财政局", [(units.RESPONSIBLE_FOR, "市财政局")]),
    ("1.统筹资金保障。【牵头单位:市财政局】\n", "牵头单位:市财政局", [(units.LEADS, "市财政局")]),
]


@pytest.mark.parametrize("text,content,roles", BRACKETED)
def test_a_bracketed_clause_is_found_and_read(text, content, roles):
    text = norm(text)
    assert is_unit_clause(content)
    (clause,) = find_unit_clauses(text)
    assert clause.content == content
    assert is_unit_clause(text[clause.start:clause.end])  # brackets included
    assert text[clause.content_start:clause.content_start + len(clause.content)] == content
    assert [(r.role, r.printed) for r in units.parse_clause(clause.content, clause.content_start)] == roles
    (measure,) = parse_structure(text).measures
    assert [c.content for c in measure.clauses] == [content]


NOT_CLAUSES = [
    "1.建设政务云(含灾备中心)。\n",  # a bracket without roles
    "1.完成3个试点(2025年底前)。\n",
    "1.建设政务云。\n",
    "",
]


@pytest.mark.parametrize("text", NOT_CLAUSES)
def test_no_clause(text):
    assert find_unit_clauses(norm(text)) == []


CN_NUMBERS = [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("壹", 1), ("拾", 10), ("①", 1),
              ("⑳", 20), ("3", 3)]


@pytest.mark.parametrize("printed,value", CN_NUMBERS)
def test_numeral_value(printed, value):
    assert numeral_value(printed) == value
