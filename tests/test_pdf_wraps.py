"""PDF text with hard line wraps: rejoined before extraction, offsets still into the original.

The seed plan (002, 滨州) printed to a PDF at 28 characters a line must give the same measures, roles,
platforms and targets as its text file."""
from __future__ import annotations

import io
import textwrap

from corpora import SEEDS
from govkg.graph.model import DocumentFacts
from govkg.loaders.pdfwrap import hard_wraps
from govkg.loaders.pipeline import extract_file

BINZHOU = "002_0caad2ac46645fdc.txt"
WIDTH = 28


def _pdf(text: str, width: int = WIDTH) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    lines = [wrapped for paragraph in text.splitlines() for wrapped in (textwrap.wrap(paragraph, width) or [""])]
    for at in range(0, len(lines), 36):
        c.setFont("STSong-Light", 11)
        for n, line in enumerate(lines[at:at + 36]):
            c.drawString(40, 800 - 21 * n, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def _summary(facts: DocumentFacts) -> dict:
    nodes = {n.id: n for n in facts.nodes}
    measures = {n.id: n.props["number"] for n in facts.nodes if n.type == "Measure"}
    return {
        "measures": sorted(measures.values()),
        "roles": sorted((e.type, nodes[e.source].name, measures[e.target]) for e in facts.edges
                        if e.type in ("LEADS", "RESPONSIBLE_FOR")),
        "platforms": sorted(nodes[e.target].name for e in facts.edges
                            if e.type == "MENTIONS" and nodes[e.target].type == "Platform"),
        "targets": sorted((n.props["value"], n.props["unit"]) for n in facts.nodes if n.type == "Target"),
    }


def test_wraps_are_found_and_paragraph_ends_kept():
    text = "一、总体要求\n" + "数" * 27 + "字化\n常态化考核评价平台建设。\n1.完善平台。(牵头单位:市大数\n据局)\n" + "甲" * 30 + "\n"
    spans = hard_wraps(text * 2)
    joined = "".join(ch for i, ch in enumerate(text * 2) if not any(a <= i < b for a, b in spans))
    assert "数字化\n常态化" not in joined and "字化常态化" in joined
    assert "\n1.完善平台" in joined  # a numbered item starts a line of its own
    assert "建设。\n" in joined  # a sentence end is a paragraph end


def test_seed_printed_to_pdf_reads_like_its_text(tmp_path):
    txt = SEEDS / BINZHOU
    pdf = tmp_path / "002.pdf"
    pdf.write_bytes(_pdf(txt.read_text(encoding="utf-8")))
    source, from_pdf = extract_file(pdf)
    _, from_txt = extract_file(txt)
    assert source.original.count("\n") > txt.read_text(encoding="utf-8").count("\n") * 2  # it is wrapped
    got, want = _summary(from_pdf), _summary(from_txt)
    assert got["measures"] == want["measures"]
    assert got["roles"] == want["roles"]
    assert set(want["platforms"]) - set(got["platforms"]) == set()
    assert got["targets"] == want["targets"]
    for edge in from_pdf.edges:
        for ev in edge.evidence:
            assert source.original[ev.start:ev.end] == ev.text
