"""Hostile input, property-based (hypothesis): the reader and the extractor never take a build down.

* Any bytes, written as a file with any of the supported extensions (or none), give
  `govkg.build.process_file` an "ok" result or a "failed" status: it never raises.
* Any text (CJK, brackets, numbering such as "1." "(一)", the clause words 牵头单位/责任单位,
  curly quotes, pinyin glosses "(xiǎo)"), written as .txt, .html or .docx and run through
  `govkg.loaders.pipeline.extract_file`, never raises anything but the per-file `ReadError`, and
  every evidence span of every edge is exactly `original[start:end]` of the document as read.

The example counts are bounded (about 200 each, no deadline) so the file runs in well under a
minute; the seed is derandomised so a failure reproduces.
"""
from __future__ import annotations

import html
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

from govkg.build import process_file
from govkg.loaders.pipeline import extract_file
from govkg.loaders.readers import ReadError

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

EXTENSIONS = [".txt", ".html", ".htm", ".pdf", ".docx", ".md", "", ".xyz", ".2024"]

# -- strategies ------------------------------------------------------------------------------------

# pieces of the genre: numbering, clause words, quotes, brackets, pinyin glosses, agencies, targets
FRAGMENTS = [
    "1.", "2．", "10、", "(一)", "（二）", "一、", "二是", "第三条", "（1）", "①", "(", ")", "（", "）", "【", "】",
    "〔2023〕7号", "《", "》", "“", "”", "‘", "’", "\"", "'", "牵头单位", "责任单位", "配合单位", "：", ":", "；", ";",
    "，", "。", "、", "省大数据局", "市大数据局", "省直有关部门", "各市人民政府", "山东省", "滨州市", "爱山东",
    "“爱山东”移动政务服务平台", "城市大脑", "一网通办", "掌上办", "小(xiǎo)", "(xiǎo)", "达到90%", "500项",
    "到2025年", "年底前", "数字强省建设2023年工作要点", "关于印发", "的通知", "为贯彻落实《", "\n", "\r\n", " ",
    "\t", "\u3000", "<", ">", "&amp;", "&", "\ufeff", "\u200b", "　　", "愛山東", "數據局", "牽頭單位", "（牵头单位：",
    "；责任单位：", "）", "((((", "))))", "一、二、三、", "1.1.1.", "（一）（二）",
]
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
AGENCIES = ["省大数据局", "市大数据局", "省公安厅", "市公安局", "省直有关部门", "各市人民政府", "市委网信办",
            "省发展改革委", "国家税务总局山东省税务局", "中国电信山东分公司", "<b>局</b>", "“局”", "（局）"]
NUMBERS = ["1.", "2．", "10、", "(一)", "（二）", "三、", "（3）", "④", "第五条", "", "1.1", "一是"]
NOISE = st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=6))


@st.composite
def plan_documents(draw) -> str:
    """Something shaped like a work plan (title, sections, numbered measures with unit clauses),
    with noise spliced in anywhere, so the measure, agency and target stages have work to do."""
    def noise() -> str:
        return "".join(draw(st.lists(NOISE, max_size=3)))

    lines = [draw(st.sampled_from(["山东省人民政府办公厅关于印发数字强省建设2023年工作要点的通知",
                                   "滨州市数字政府建设2023年工作要点", "為貫徹落實《數字強省建設工作要點》", ""])) + noise()]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(draw(st.sampled_from(["一、", "二、", "（一）", "第一部分 "])) + noise() + "提升政务服务水平")
        for _ in range(draw(st.integers(0, 4))):
            leads = draw(st.lists(st.sampled_from(AGENCIES), min_size=0, max_size=3))
            resp = draw(st.lists(st.sampled_from(AGENCIES), max_size=3))
            sep = draw(st.sampled_from(["、", "，", ",", "；", " "]))
            clause = draw(st.sampled_from(["（牵头单位：{l}；责任单位：{r}）", "(牵头单位:{l},责任单位:{r})",
                                           "（{l}牵头，{r}配合）", "（{l}负责）", "牵头单位：{l}", "（责任单位：{r}",
                                           "{l}按职责分工负责。", "由{l}牵头，{r}配合。", "（责任单位：{l}（牵头）、{r}★）"]))
            body = draw(st.sampled_from(["推进“爱山东”滨州分厅建设，增加“掌上办”事项500项", "建设城市大脑",
                                         "到2025年电子证照共享率达到90%以上", "小(xiǎo)程序", ""]))
            lines.append(draw(st.sampled_from(NUMBERS)) + noise() + body + noise() + "。"
                         + clause.format(l=sep.join(leads), r=sep.join(resp)) + noise())
    newline = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\r"]))
    return newline.join(lines)


@st.composite
def task_tables(draw) -> str:
    """A task table (序号 | 任务 | 牵头单位 | 责任单位) with ragged rows, noise and either separator."""
    sep = draw(st.sampled_from(["\t", "|", " | "]))
    header = draw(st.lists(st.sampled_from(["序号", "重点任务", "工作内容", "牵头单位", "责任单位", "配合部门", "完成时限",
                                            "备注", ""]), min_size=2, max_size=6))
    rows = [sep.join(header)]
    for k in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(st.one_of(st.sampled_from(AGENCIES + NUMBERS + FRAGMENTS), st.text(ALPHABET, max_size=6)),
                              max_size=len(header) + 1))
        rows.append(sep.join([str(k + 1)] + cells))
    return draw(st.sampled_from(["\n", "\r\n"])).join(rows)


TEXT = st.one_of(
    plan_documents(),
    plan_documents(),
    task_tables(),
    st.text(ALPHABET, max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=8)), max_size=120).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=200).map("".join),
)

MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00",
         b"<!DOCTYPE html><html><body>", b"<html>", b"\x1f\x8b", b"\x89PNG", b"\x00\x00\x00"]


def _encoded(text: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "utf-32"]).map(
        lambda enc: text.encode(enc, errors="replace"))


BYTES = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=2048)).map(lambda t: t[0] + t[1]),
    TEXT.flatmap(_encoded),
    st.tuples(st.sampled_from(MAGIC), TEXT.flatmap(_encoded), st.binary(max_size=64)).map(lambda t: b"".join(t)),
)


# -- files -----------------------------------------------------------------------------------------

def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        # python-docx refuses XML-illegal characters; keep the rest of the line
        document.add_paragraph("".join(c for c in line if c in "\t" or (ord(c) >= 0x20 and c not in "\ufffe\uffff")))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _file_bytes(text: str, kind: str) -> bytes:
    if kind == "txt":
        return text.encode("utf-8", errors="surrogatepass")
    if kind == "html":
        body = "".join(f"<p>{html.escape(line, quote=False)}</p>\n" for line in text.split("\n"))
        return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode("utf-8")
    return _docx_bytes(text)


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def check_process_file(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory(prefix="govkg-hostile-") as folder:
        name = "doc" + ext
        facts, original, status = process_file(_write(folder, name, data), name)
        assert status.document == name
        if status.status == "ok":
            assert original is not None and facts.error is None
            for edge in facts.edges:
                for ev in edge.evidence:
                    if ev.document == name:
                        assert original[ev.start:ev.end] == ev.text, (edge.key, ev)
        else:
            assert status.status == "failed" and status.reason and original is None


def check_extract(text: str, kind: str) -> None:
    data = _file_bytes(text, kind)
    with tempfile.TemporaryDirectory(prefix="govkg-hostile-") as folder:
        name = f"doc.{kind}"
        try:
            source, facts = extract_file(_write(folder, name, data), name)
        except ReadError:
            return  # a per-file error (empty, binary-looking ...): what the build reports
        original = source.original
        for edge in facts.edges:
            for ev in edge.evidence:
                assert ev.document == name, (edge.key, ev)
                assert 0 <= ev.start <= ev.end <= len(original), (edge.key, ev, len(original))
                assert original[ev.start:ev.end] == ev.text, (edge.key, ev, original[ev.start:ev.end])


# -- properties ------------------------------------------------------------------------------------

@SETTINGS
@given(data=BYTES, ext=st.sampled_from(EXTENSIONS))
@example(data=b"", ext=".txt")
@example(data=b"%PDF-1.4\n%%EOF", ext="")
@example(data=b"PK\x03\x04word/", ext="")
@example(data=b"PK\x03\x04" + b"\x00" * 100, ext=".docx")
@example(data=b"\xff\xfe" + "（牵头单位：省大数据局）".encode("utf-16-le"), ext=".txt")
@example(data="1.（牵头单位：\n".encode("gb18030") * 50, ext="")
@example(data=b"<html><body>" + b"<div>" * 3000 + "（一）牵头单位".encode() + b"</div>" * 3000, ext=".html")
def test_any_bytes_give_a_result_or_a_failed_status(data, ext):
    check_process_file(data, ext)


@SETTINGS
@given(text=TEXT, kind=st.sampled_from(["txt", "txt", "html"]))
@example(text="一、提升政务服务水平\n1.持续完善“爱山东”移动政务服务平台。（牵头单位：省大数据局；责任单位：省直有关部门）\n",
         kind="txt")
@example(text="（一）小(xiǎo)“爱山东”。(牵头单位:省大数据局,责任单位:各市人民政府)\r\n2．到2025年达到90%。", kind="html")
@example(text="((((((((((((((((((((牵头单位" * 20, kind="txt")
@example(text="\ufeff1.（牵头单位：省大数据局）", kind="txt")
@example(text="序号\t重点任务\t牵头单位\n1\t建设城市大脑\t\n2\t\t市大数据局(牵头)\t多余", kind="txt")
def test_any_text_extracts_with_exact_evidence_spans(text, kind):
    check_extract(text, kind)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=TEXT)
@example(text="一、提升政务服务水平\n1.持续完善“爱山东”移动政务服务平台。（牵头单位：省大数据局）")
def test_any_text_in_a_docx_extracts_with_exact_evidence_spans(text):
    check_extract(text, "docx")
