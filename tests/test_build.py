"""`govkg build`: the summary, failures with reasons, the time budget, and atomic switch-over."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from govkg.build import build_corpus
from govkg.cli import app
from govkg.graph.store import current_build
from govkg.loaders.pipeline import extract_file

PLAN = "数字滨州建设2024年工作要点\n一、重点任务\n1.完善城市大脑。(牵头单位:市大数据局)\n"


def test_time_budget_stops_a_pathological_document(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PLAN, encoding="utf-8")
    measures = "".join(f"{i}.完善“城市大脑”平台,建设不少于{i}个应用场景。(牵头单位:市大数据局)\n" for i in range(1, 999))
    (corpus / "slow.txt").write_text(measures * 10, encoding="utf-8")  # several seconds of work
    extract_file(corpus / "good.txt")  # load the converters and gazetteers before the clock starts
    report = build_corpus(corpus, tmp_path / "data", time_budget_s=0.5)
    status = {s.document: s for s in report.statuses}
    assert status["good.txt"].status == "ok"
    assert status["slow.txt"].status == "failed"
    assert "time budget" in status["slow.txt"].reason
    assert report.build.document_names() == ["good.txt"]


def test_cli_build_summary_export_and_stats(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "documents failed" in result.output and "empty.txt: empty file" in result.output
    strict = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "data"), "--strict"])
    assert strict.exit_code == 1
    out = tmp_path / "export.jsonl"
    result = runner.invoke(app, ["export", str(tmp_path / "data"), "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    leads = [r for r in records if r["kind"] == "edge" and r["type"] == "LEADS"]
    assert [r["source"] for r in leads] == ["agency:滨州市大数据局"]
    assert leads[0]["props"]["evidence"][0]["text"] == "(牵头单位:市大数据局)"
    result = runner.invoke(app, ["stats", str(tmp_path / "data")])
    assert result.exit_code == 0 and "Measure" in result.output


def test_rebuild_switches_over_and_keeps_ids(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    first = build_corpus(corpus, tmp_path / "data").build
    second = build_corpus(corpus, tmp_path / "data").build
    assert first.path != second.path
    assert current_build(tmp_path / "data").path == second.path
    assert set(first.graph().nodes) == set(second.graph().nodes)
