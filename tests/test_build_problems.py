"""Failed and duplicate documents: a notice saved as .txt and .docx is kept once and the other file
reported (govkg/duplicates.py), a file that cannot be read is listed with its reason, in the build
report, GET /api/build/problems and the explorer's "Build problems" page (headless Chromium)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.build import build_corpus
from govkg.duplicates import DUPLICATE, DuplicateTexts, text_key

pytestmark = pytest.mark.timeout(180)

NOTICE = ["某市人民政府办公室关于印发某市数字政府建设2024年工作要点的通知",
          "一、提升政务服务",
          "1.推进“某市通”平台建设，新增高频事项100项。(牵头单位:市大数据局)",
          "2.建设城市大脑。(牵头单位:市大数据局)"]


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("problems-corpus")
    (corpus / "a_notice.txt").write_text("\n".join(NOTICE) + "\n", encoding="utf-8")
    (corpus / "b_notice.docx").write_bytes(_docx(NOTICE))
    (corpus / "c_broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (corpus / "d_other.txt").write_text("某市大数据局召开会议。\n部署数字政府建设工作。\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("problems-data")
    return data, build_corpus(corpus, data, workers=1)


def test_same_text_in_two_formats_is_kept_once(built):
    data, report = built
    assert [s.document for s in report.duplicates] == ["b_notice.docx"]
    assert "a_notice.txt" in report.duplicates[0].reason and report.duplicates[0].status == DUPLICATE
    assert report.build.document_names() == ["a_notice.txt", "d_other.txt"]
    measures = [n for n in report.build.graph().nodes.values() if n.type == "Measure"]
    assert len(measures) == 2  # not 4: the docx copy added nothing
    assert [s.document for s in report.failed] == ["c_broken.docx"] and report.failed[0].reason


def test_rebuilding_reports_the_same(built, tmp_path):
    data, report = built
    corpus = Path(report.build.manifest["corpus"])
    again = build_corpus(corpus, tmp_path / "again", workers=1)
    assert [(s.document, s.status, s.reason) for s in again.statuses] == \
        [(s.document, s.status, s.reason) for s in report.statuses]


def test_text_key_ignores_layout_not_content():
    assert text_key("一、提升\n政务服务。") == text_key("一、提升 政务服务")
    assert text_key("ＡＢＣ１２３") == text_key("abc123")
    assert text_key("提升政务服务") != text_key("提升政务服")
    assert text_key(" \n") is None
    seen = DuplicateTexts()
    assert seen.first_with("a", "") is None and seen.first_with("b", "") is None


def test_api_lists_failed_and_duplicate_documents(built):
    data, _ = built
    body = TestClient(create_app(data)).get("/api/build/problems").json()
    assert body["documents"] == 4
    assert [(d["document"], d["status"]) for d in body["failed"]] == [("c_broken.docx", "failed")]
    assert body["failed"][0]["reason"]
    assert [d["document"] for d in body["duplicates"]] == ["b_notice.docx"]
    assert "a_notice.txt" in body["duplicates"][0]["reason"]


def test_explorer_page_lists_them(open_page, live_server, built):
    data, _ = built
    page = open_page(live_server(create_app(data)) + "/#tab=problems", ready="body[data-problems=loaded]")
    failed = page.locator('#problems-failed tr[data-document="c_broken.docx"]')
    assert failed.is_visible() and len(failed.inner_text()) > len("c_broken.docx") + 5
    dup = page.inner_text('#problems-duplicates tr[data-document="b_notice.docx"]')
    assert "a_notice.txt" in dup
    assert "(1)" in page.inner_text("#problems-failed-title") and "(1)" in page.inner_text("#problems-duplicates-title")
    assert not page.errors


def test_the_cli_counts_duplicates_apart_from_failures(tmp_path):
    from typer.testing import CliRunner

    from govkg.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "滨州市数字强市建设2023年工作要点\n一、重点任务\n1.完善政务云。(牵头单位:市大数据局)\n"
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "b.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    built = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "data")])
    assert built.exit_code == 0, built.output
    stats = CliRunner().invoke(app, ["stats", str(tmp_path / "data")])
    for out in (built.output, stats.output):
        rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
        assert (rows["documents read"], rows["documents failed"], rows["documents duplicate"]) == ("1", "0", "1")
