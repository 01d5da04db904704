"""Reading documents: formats, encodings and every kind of bad input (fixtures are generated here)."""
from __future__ import annotations

import io
import os
import pathlib
import time
import zipfile
from pathlib import Path

import pytest

from govkg.loaders import readers
from govkg.loaders.readers import MAX_BYTES, ReadError, html_view, read_document
from benchmodules import bench_module

PLAN = (
    "河南省人民政府办公厅关于印发数字政府建设2024年工作要点的通知\n"
    "豫政办〔2024〕12号\n"
    "一、加快政务服务“一网通办”\n"
    "(一)提升“豫事办”APP服务能力\n"
    "1.新建5G基站3万个，建成不少于500个智慧社区。(牵头单位:省大数据局,责任单位:省发展改革委、省财政厅)\n"
    "2.推进城市大脑和一体化大数据平台建设，实现高频事项“跨省通办”。(省通信管理局牵头,各省辖市政府配合)\n"
)
TRAD = "國際在線河南頻道消息：河南省政府新聞辦公室舉辦新聞發佈會，介紹數字政府建設工作情況。記者獲悉，全省將新建5G基站3萬個。\n"


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def check_identity(doc) -> None:
    assert doc.view.text == doc.original
    assert doc.view.origin == list(range(len(doc.original)))


# ------------------------------------------------------------------ plain text and encodings

@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb2312", "gb18030"),
    ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-16-le-bom", "utf-16"), ("utf-16-be-bom", "utf-16"),
])
def test_text_encodings(tmp_path, encoding, expected):
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + PLAN.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + PLAN.encode("utf-16-be")
    else:
        data = PLAN.encode(encoding)
    doc = read_document(write(tmp_path, "plan.txt", data))
    assert doc.original == PLAN  # BOM dropped, nothing else changed
    assert "\ufeff" not in doc.original
    assert doc.format == "txt" and doc.encoding == expected
    assert doc.name == "plan.txt"
    check_identity(doc)


def test_name_argument_and_extensions(tmp_path):
    for name in ("plan", "plan.text", "plan.md", "plan.TXT", "工作要点(2024.3.1)", "通知.2024"):
        doc = read_document(write(tmp_path, name, PLAN), name="sub/" + name)
        assert doc.name == "sub/" + name and doc.original == PLAN and doc.format == "txt"


def test_gbk_traditional_and_big5(tmp_path):
    assert read_document(write(tmp_path, "a.txt", TRAD, "gbk")).original == TRAD
    doc = read_document(write(tmp_path, "b.txt", TRAD, "big5"))
    assert doc.original == TRAD and doc.encoding == "big5"


def test_gb18030_only_characters(tmp_path):
    text = PLAN + "𠀀字与€符号\n"  # outside GBK: needs GB18030 four-byte sequences
    doc = read_document(write(tmp_path, "a.txt", text, "gb18030"))
    assert doc.original == text and doc.encoding == "gb18030"


def test_crlf_kept_exactly(tmp_path):
    text = PLAN.replace("\n", "\r\n")
    for enc in ("utf-8", "gbk", "utf-16"):
        doc = read_document(write(tmp_path, f"crlf-{enc}.txt", text, enc))
        assert doc.original == text
        assert "\r\n" in doc.view.text


def test_utf16_without_bom(tmp_path):
    text = "Digital government 2024 work plan: build 30000 5G base stations.\n"
    doc = read_document(write(tmp_path, "a.txt", text.encode("utf-16-le")))
    assert doc.original == text and doc.encoding == "utf-16-le"
    doc = read_document(write(tmp_path, "b.txt", text.encode("utf-16-be")))
    assert doc.original == text and doc.encoding == "utf-16-be"


def test_truncated_gbk_replaces_only_the_cut_character(tmp_path):
    text = PLAN + "特此通知"
    data = text.encode("gbk")
    assert data[-2] >= 0x80  # the text ends with a two-byte character
    doc = read_document(write(tmp_path, "cut.txt", data[:-1]))
    assert doc.original == text[:-1] + "\ufffd"
    assert doc.encoding == "gb18030"


def test_truncated_utf8_and_utf16(tmp_path):
    text = PLAN + "特此通知"
    assert read_document(write(tmp_path, "a.txt", text.encode()[:-1])).original == text[:-1] + "\ufffd"
    data = PLAN.encode("utf-16")
    assert read_document(write(tmp_path, "b.txt", data[:-1])).original == PLAN[:-1] + "\ufffd"


def test_utf8_with_one_corrupt_byte_stays_utf8(tmp_path):
    data = (PLAN * 5).encode("utf-8")
    cut = data.index("豫事办".encode()) + 1
    doc = read_document(write(tmp_path, "a.txt", data[:cut] + b"\xff" + data[cut + 2:]))
    assert doc.encoding == "utf-8"
    assert doc.original.count("\ufffd") <= 2 and doc.original.count("河南省") == 5


SHORT = ["数字政府", "一、总体要求\n", "豫政办〔2024〕12号", "新建5G基站3万个。", "河南省大数据局", "（一）",
         "牵头单位：省大数据局", "市大数据局牵头，市发展改革委配合", "國際在線山東頻道", "支持APP和Web端同步办理"]


def _decodable_cases() -> list[tuple[str, str]]:
    """(text, encoding) pairs the reader can be asked to recognise: the text is encodable, and a UTF-16
    text without BOM has NUL bytes (nothing else marks it)."""
    cases = []
    for encoding in ("gbk", "big5", "utf-16-le"):
        for text in SHORT:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            if encoding.startswith("utf-16") and b"\x00" not in data:
                continue
            cases.append((text, encoding))
    return cases


@pytest.mark.parametrize("text,encoding", _decodable_cases())
def test_short_texts_decode(tmp_path, text, encoding):
    """charset-normalizer alone calls most of these cp949/big5/utf-16-be; the plausibility check fixes that."""
    assert read_document(write(tmp_path, "s.txt", text.encode(encoding))).original == text


def test_ascii_and_latin1(tmp_path):
    assert read_document(write(tmp_path, "a.txt", "plain ascii\n")).original == "plain ascii\n"
    text = "Réforme numérique de l'État : « guichet unique » pour les démarches administratives.\n" * 3
    assert read_document(write(tmp_path, "b.txt", text, "cp1252")).original == text
    assert read_document(write(tmp_path, "c.txt", "Réforme numérique de l'État", "cp1252")).original == "Réforme numérique de l'État"
    assert read_document(write(tmp_path, "d.txt", text, "utf-16-le")).original == text


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n",
                                  "\u3000\u3000\n".encode("utf-8"), " \n".encode("utf-16"), b"\xff\xfe"])
def test_empty(tmp_path, data):
    with pytest.raises(ReadError, match="^empty file$"):
        read_document(write(tmp_path, "e.txt", data))


@pytest.mark.parametrize("name, data", [
    ("nul.txt", b"abc\x00\x01\x02def" * 100),
    ("random.txt", bytes((i * 7919 + 13) % 256 for i in range(4096))),
    ("random-no-nul.txt", bytes(1 + (i * 7919 + 13) % 255 for i in range(4096))),
    ("controls.txt", bytes(range(1, 9)) * 200),
    ("png-renamed.txt", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 50),
    ("zip-no-ext", b"PK\x03\x04" + b"\x00\x14" * 100),
])
def test_binary(tmp_path, name, data):
    with pytest.raises(ReadError, match=r"^not a text document \(binary content\)$"):
        read_document(write(tmp_path, name, data))


@pytest.mark.parametrize("name", ["scan.png", "table.xlsx", "bundle.zip", "old.doc", "slides.PPTX"])
def test_unsupported_extension(tmp_path, name):
    ext = Path(name).suffix.lower()
    with pytest.raises(ReadError, match=rf"^unsupported file type \{ext}$"):
        read_document(write(tmp_path, name, b"whatever"))


def test_too_large_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # 50 MB, sparse: nothing is written but the size
        fh.truncate(50 * 1024 * 1024)
    opened = []
    real_open = pathlib.Path.open
    monkeypatch.setattr(pathlib.Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    start = time.perf_counter()
    with pytest.raises(ReadError, match=r"^file too large: 50 MB > 20 MB$"):
        read_document(path)
    assert time.perf_counter() - start < 1 and not opened
    assert MAX_BYTES == 20 * 1024 * 1024


def test_just_under_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 4096)
    assert read_document(write(tmp_path, "a.txt", "x" * 4096)).original == "x" * 4096
    with pytest.raises(ReadError, match=r"^file too large: 0\.004 MB|^file too large"):
        read_document(write(tmp_path, "b.txt", "x" * 4097))


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", PLAN)
    if os.geteuid() != 0:
        path.chmod(0)
        try:
            with pytest.raises(ReadError, match="permission denied"):
                read_document(path)
        finally:
            path.chmod(0o644)

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "open", deny)
    with pytest.raises(ReadError, match="^cannot read file: permission denied$"):
        read_document(path)


def test_missing_and_directory(tmp_path):
    with pytest.raises(ReadError, match="not found"):
        read_document(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ReadError, match="directory"):
        read_document(tmp_path / "dir.txt")


# ------------------------------------------------------------------ HTML

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>工作要点_河南省人民政府门户网站</title>
<style>p {{ color: red }}</style><script>var s = "<p>不要</p>";</script></head>
<body>
<header class="site"><div class="logo">河南省人民政府</div></header>
<div class="nav-bar"><ul><li><a href="/">首页</a><li><a href="/zw">政务</a></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政策文件</div>
<div id="zoom" class="article-content">
<article><header><h1>河南省数字政府建设2024年工作要点</h1></header>
<p>　　一、加快推进“豫事办”APP&amp;城市大脑建设&nbsp;&nbsp;新建5G基站3万个。<br>
(牵头单位:省大数据局,责任单位:省发展改革委、省财政厅)</p>
<p>2.建设一体化
大数据平台，接入&#x8C6B;&#20107;办 and smart
city services.</p>
<table><tr><th>序号</th><th>任务</th></tr><tr><td>1</td><td>智慧社区不少于500个</td></tr></table>
<p>a &lt; b, &copy unknown &zzz; done</p>
</article></div>
<aside>相关阅读</aside>
<div class="share">分享到：微信</div>
<div id="footer"><p class="copyright">版权所有：河南省人民政府办公厅 电话:0371-65500000</p></div>
<footer>网站标识码 4100000001</footer>
</body></html>
"""


def check_html_mapping(original: str, view) -> None:
    """Every character maps into the source: itself, or its entity/tag start, or whitespace to whitespace."""
    assert len(view.origin) == len(view.text)
    assert all(b > a for a, b in zip(view.origin, view.origin[1:])), "origins must increase"
    for ch, pos in zip(view.text, view.origin):
        src = original[pos]
        if src == ch:
            continue
        if src == "&":  # entity
            continue
        if src == "<":
            assert ch in "\n\t", (ch, original[pos:pos + 10])  # inserted line break / cell separator
            continue
        assert ch.isspace() and src.isspace(), (ch, original[pos:pos + 10])


def test_html_main_text_and_offsets(tmp_path):
    doc = read_document(write(tmp_path, "page.html", PAGE.format(charset="utf-8")))
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert doc.original == PAGE.format(charset="utf-8")
    text = doc.view.text
    lines = text.split("\n")
    assert lines[0] == "河南省数字政府建设2024年工作要点"
    assert lines[1] == "一、加快推进“豫事办”APP&城市大脑建设 新建5G基站3万个。"  # indent dropped, &nbsp;&nbsp; -> ' '
    assert "(牵头单位:省大数据局,责任单位:省发展改革委、省财政厅)" in lines
    assert "2.建设一体化大数据平台，接入豫事办 and smart city services." in lines  # CJK line break dropped
    assert "序号\t任务" in lines and "1\t智慧社区不少于500个" in lines
    assert "a < b, © unknown &zzz; done" in lines
    for noise in ("首页", "当前位置", "不要", "门户网站", "相关阅读", "分享", "版权所有", "0371", "标识码", "color",
                  "河南省人民政府\n"):
        assert noise not in text, noise
    check_html_mapping(doc.original, doc.view)
    # a measure found in the view maps back to exactly the same characters in the source
    i = text.index("牵头单位:省大数据局")
    start, end = doc.view.to_original(i, i + len("牵头单位:省大数据局"))
    assert doc.original[start:end] == "牵头单位:省大数据局"
    # entities map to their '&'
    j = text.index("&城市")
    assert doc.original[doc.view.origin[j]:].startswith("&amp;")
    k = text.index("豫事办 and")
    assert doc.original[doc.view.origin[k]:].startswith("&#x8C6B;")


@pytest.mark.parametrize("declared, encoding", [("gbk", "gbk"), ("gb2312", "gbk"), ("GB18030", "gb18030"),
                                                ("utf-8", "utf-8"), ("big5", "big5")])
def test_html_meta_charset(tmp_path, declared, encoding):
    page = PAGE.format(charset=declared)
    if encoding == "big5":
        page = page.replace("河南省数字政府建设2024年工作要点", "河南省數字政府建設2024年工作要點")
        page = "".join(c if _encodable(c, "big5") else "?" for c in page)
    doc = read_document(write(tmp_path, "page.htm", page.encode(encoding)))
    assert doc.original == page
    assert doc.encoding == ("gb18030" if encoding in ("gbk", "gb18030") else encoding)
    check_html_mapping(doc.original, doc.view)
    assert doc.view.text.split("\n")[0] in ("河南省数字政府建设2024年工作要点", "河南省數字政府建設2024年工作要點")


def _encodable(c: str, enc: str) -> bool:
    try:
        c.encode(enc)
        return True
    except UnicodeEncodeError:
        return False


def test_html_wrong_or_missing_declaration_is_detected(tmp_path):
    page = PAGE.format(charset="utf-8")
    doc = read_document(write(tmp_path, "a.html", page.encode("gbk")))  # declares utf-8, is GBK
    assert doc.original == page and doc.encoding == "gb18030"
    page = PAGE.replace('<meta charset="{charset}">', "")
    doc = read_document(write(tmp_path, "b.html", page.encode("gbk")))
    assert doc.original == page and doc.encoding == "gb18030"
    doc = read_document(write(tmp_path, "c.html", b"\xef\xbb\xbf" + page.encode()))
    assert doc.original == page and doc.encoding == "utf-8-sig"


def test_html_crlf_and_unclosed_tags():
    src = ("<html><head><title>t</title>\r\n<body><div class=main><p>第一段\r\n<p>第二段<br>第三行"
           "<ul><li>甲<li>乙</ul><div class=menu-list><li>菜单<li>栏目</div><p>正文&amp;结束")
    view = html_view(src)
    assert view.text == "第一段\n第二段\n第三行\n甲\n乙\n正文&结束"
    check_html_mapping(src, view)


def test_html_everything_is_furniture_falls_back():
    src = '<body><div class="sidebar"><p>只有这一段</p></div></body>'
    assert html_view(src).text == "只有这一段"


def test_html_without_text_is_an_error(tmp_path):
    with pytest.raises(ReadError, match="no text"):
        read_document(write(tmp_path, "x.html", "<html><head><title>t</title></head><body><script>x</script></body></html>"))


def test_html_sniffed_without_extension(tmp_path):
    doc = read_document(write(tmp_path, "page", "<!doctype html><html><body><p>一、总体要求</p></body></html>"))
    assert doc.format == "html" and doc.view.text == "一、总体要求"


def test_html_large_page_offsets_exact():
    body = "".join(f"<p class='c{i}'>第{i}条&nbsp;措施&#21478;外\n内容{i}</p>\n" for i in range(2000))
    src = f"<html><body>{body}</body></html>"
    view = html_view(src)
    check_html_mapping(src, view)
    assert view.text.count("\n") == 1999


# ------------------------------------------------------------------ PDF

def make_pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for n, line in enumerate(lines):
            c.drawString(72, 760 - 20 * n, line)
        if not lines:
            c.rect(72, 72, 200, 200, fill=1)  # an image-like page without text
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_text_layer(tmp_path):
    lines = PLAN.splitlines()
    data = make_pdf([lines[:3], lines[3:]])
    doc = read_document(write(tmp_path, "plan.pdf", data))
    assert doc.format == "pdf"
    assert doc.original.split("\n") == lines
    check_identity(doc)
    doc = read_document(write(tmp_path, "plan-no-ext", data))
    assert doc.format == "pdf" and "豫事办" in doc.original


def test_pdf_without_text_layer(tmp_path):
    with pytest.raises(ReadError, match=r"^no text layer \(scanned PDF\?\)$"):
        read_document(write(tmp_path, "scan.pdf", make_pdf([[], []])))


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%garbage\n", b"not a pdf at all", b"%PDF-1.7\n" + bytes(range(256)) * 4])
def test_broken_pdf(tmp_path, data):
    with pytest.raises(ReadError, match="^(broken PDF|no text layer)"):
        read_document(write(tmp_path, "bad.pdf", data))


def test_truncated_pdf(tmp_path):
    data = make_pdf([PLAN.splitlines()])
    try:
        doc = read_document(write(tmp_path, "cut.pdf", data[: len(data) // 2]))
    except ReadError as exc:
        assert str(exc).startswith(("broken PDF", "no text layer"))
    else:  # pypdf may recover the page
        assert "河南省" in doc.original


# ------------------------------------------------------------------ DOCX

def make_docx(paragraphs: list[str], table: list[list[str]] | None = None, merge: bool = False) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs[:2]:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        if merge:
            t.cell(0, 1).merge(t.cell(0, 2))
    for p in paragraphs[2:]:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables(tmp_path):
    lines = PLAN.splitlines()
    data = make_docx(lines, [["序号", "任务", "牵头单位"], ["1", "建设城市大脑", "省大数据局"]])
    doc = read_document(write(tmp_path, "plan.docx", data))
    assert doc.format == "docx"
    assert doc.original.split("\n") == lines[:2] + ["序号\t任务\t牵头单位", "1\t建设城市大脑\t省大数据局"] + lines[2:]
    check_identity(doc)
    merged = read_document(write(tmp_path, "merged.docx", make_docx(lines, [["序号", "任务", "x"], ["1", "a", "b"]], merge=True)))
    assert "序号\t任务" in merged.original.split("\n")[2]
    assert read_document(write(tmp_path, "plan-no-ext", data)).format == "docx"


def test_empty_docx(tmp_path):
    with pytest.raises(ReadError, match="no text"):
        read_document(write(tmp_path, "empty.docx", make_docx(["", "  "])))


def test_broken_docx(tmp_path):
    cases = {"garbage.docx": b"this is not a zip",
             "cut.docx": make_docx(PLAN.splitlines())[:500]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    cases["other-zip.docx"] = buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx(PLAN.splitlines()))) as src, zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            z.writestr(item, b"<w:document" if item.filename == "word/document.xml" else src.read(item))
    cases["bad-xml.docx"] = buf.getvalue()
    for name, data in cases.items():
        with pytest.raises(ReadError, match="^broken DOCX: "):
            read_document(write(tmp_path, name, data))


# ------------------------------------------------------------------ the build reports failures and goes on

def bad_corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "good.txt", PLAN, "gbk")
    write(corpus, "page.html", PAGE.format(charset="utf-8"))
    expected = {
        "empty.txt": "empty file",
        "binary.txt": "not a text document (binary content)",
        "image.png": "unsupported file type .png",
        "scan.pdf": "no text layer (scanned PDF?)",
        "broken.pdf": "broken PDF",
        "broken.docx": "broken DOCX",
        "huge.txt": "file too large: 21 MB > 20 MB",
    }
    write(corpus, "empty.txt", b"  \n")
    write(corpus, "binary.txt", b"\x00\x01\x02\x03" * 64)
    write(corpus, "image.png", b"\x89PNG\r\n\x1a\n")
    write(corpus, "scan.pdf", make_pdf([[]]))
    write(corpus, "broken.pdf", b"%PDF-1.4\nbroken")
    write(corpus, "broken.docx", b"PK\x03\x04broken")
    with (corpus / "huge.txt").open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    return corpus, expected


def test_build_reports_each_failure_and_builds_the_good_ones(tmp_path):
    from govkg.build import build_corpus

    corpus, expected = bad_corpus(tmp_path)
    seen = []
    report = build_corpus(corpus, tmp_path / "data", workers=1, on_document=seen.append)
    statuses = {s.document: s for s in report.statuses}
    assert len(seen) == len(statuses) == len(expected) + 2
    for name, reason in expected.items():
        assert statuses[name].status == "failed", name
        assert statuses[name].reason.startswith(reason), (name, statuses[name].reason)
    assert statuses["good.txt"].status == "ok", statuses["good.txt"].reason
    assert statuses["good.txt"].encoding == "gb18030" and statuses["good.txt"].format == "txt"
    assert statuses["page.html"].status == "ok" and statuses["page.html"].format == "html"
    assert report.build.original_text("good.txt") == PLAN


def test_cli_strict_exits_non_zero(tmp_path):
    from typer.testing import CliRunner

    from govkg.cli import app

    corpus, expected = bad_corpus(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "d1")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "d2"), "--strict"])
    assert result.exit_code != 0
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    for name in expected:
        assert name in output
    assert "unsupported file type .png" in output


# ------------------------------------------------------------------ HTML robustness

def test_html_fuzz_mapping_invariant():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from([
        "<p>", "</p>", "<div class='nav'>", "<div>", "</div>", "<br>", "<br/>", "<li>", "</ul>", "<td>", "<tr>",
        "<script>", "</script>", "<!-- c -->", "<!--", "-->", "<![CDATA[x]]>", "&amp;", "&nbsp;", "&#20013;",
        "&#x4e2d", "&bogus;", "&", "<", ">", "\n", "\r\n", " ", "\u3000", "\t", "数字政府", "a b", "<header>",
        "</header>", "<article>", "</article>", "<footer>", "</footer>", "<head>", "<body>", "<title>",
        "</title>", "<img alt='x'>", "<p class=\"copyright\">", "<h1>", "</h1>", "<!DOCTYPE html>", "<?xml?>",
    ])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=40))
    def run(parts):
        src = "".join(parts)
        try:
            view = html_view(src)
        except ReadError:
            return
        check_html_mapping(src, view)

    run()


# ------------------------------------------------------------------ the synthetic benchmark corpus

def test_synthetic_corpus_is_deterministic_and_readable(tmp_path):
    import json

    corpus = bench_module("corpus")
    a = corpus.generate(60, tmp_path / "a", seed=7)
    b = corpus.generate(60, tmp_path / "b", seed=7)
    c = corpus.generate(60, tmp_path / "c", seed=8)
    assert len(a) == 60
    assert [p.name for p in a] == [p.name for p in b]
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(a, b))
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    truth = [json.loads(line) for line in (tmp_path / "a" / ".truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["file"] for t in truth] == [p.name for p in a]
    assert {t["genre"] for t in truth} == {"plan", "news"}
    assert any(t["implements"] for t in truth) and any(t["script"] == "traditional" for t in truth)
    forms = {m["clause_form"] for t in truth for m in t["measures"]}
    assert len(forms) >= 8, forms
    for p in a:
        doc = read_document(p)
        assert doc.encoding == "utf-8" and doc.original == p.read_text(encoding="utf-8")
    texts = list(corpus.measures(40, seed=1))
    assert len(texts) == 40 and texts == list(corpus.measures(40, seed=1))
    assert all("单位" in t or "牵头" in t or "负责" in t for t in texts)
