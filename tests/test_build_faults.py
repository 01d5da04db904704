"""A build killed at any moment leaves the previous build intact, and a re-run completes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govkg.graph.store import current_build

CITIES = ["滨州", "青岛", "济南", "烟台", "潍坊", "临沂", "济宁", "淄博"]
TOPICS = ["城市大脑", "政务云", "一体化大数据平台", "视频融合平台", "智慧社区平台", "公共资源交易平台"]


def _plan(k: int) -> str:
    city = CITIES[k % len(CITIES)]
    lines = [f"数字{city}建设{2020 + k % 6}年工作要点第{k}号", "一、重点任务"]
    for i in range(1, 13):
        topic = TOPICS[(i * 7 + k) % len(TOPICS)]
        lines.append(f"{i}.围绕第{k * 13 + i}批场景完善“{topic}”,新建{k + i}个应用。(牵头单位:市大数据局,责任单位:市财政局)")
    return "\n".join(lines) + "\n"


def _corpus(root: Path, n: int) -> Path:
    root.mkdir()
    for k in range(n):
        (root / f"plan{k:03d}.txt").write_text(_plan(k), encoding="utf-8")
    return root


def _build(corpus: Path, data: Path) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from govkg.build import build_corpus; "
            "build_corpus(Path(sys.argv[1]), Path(sys.argv[2]))")
    return subprocess.Popen([sys.executable, "-c", code, str(corpus), str(data)])


@pytest.fixture(scope="module")
def built_60(tmp_path_factory) -> tuple[Path, Path]:
    """Sixty plans built once; each test kills a rebuild of a copy."""
    root = tmp_path_factory.mktemp("faults")
    corpus = _corpus(root / "corpus", 60)
    assert _build(corpus, root / "data").wait(timeout=120) == 0
    return corpus, root / "data"


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_sigkill_during_build_keeps_previous_build(tmp_path, delay, built_60):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(built_60[0], corpus)
    shutil.copytree(built_60[1], data, symlinks=True)
    before = current_build(data)
    names_before = before.document_names()
    nodes_before = set(before.graph().nodes)

    proc = _build(corpus, data)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    after = current_build(data)  # still a complete build: the old one, or the new one if it finished
    assert after.document_names() == names_before
    assert set(after.graph().nodes) == nodes_before

    assert _build(corpus, data).wait(timeout=120) == 0  # a re-run completes and cleans up
    final = current_build(data)
    assert set(final.graph().nodes) == nodes_before
    assert not list((data / "builds").glob(".*.partial"))


def test_serve_answers_throughout_a_rebuild_and_then_from_the_new_build(tmp_path, live_server):
    """Requests keep flowing while `govkg build` writes a new build next to the one being served;
    none fails, and once the new build is complete the server answers from it."""
    import threading

    import httpx

    from govkg.api.app import create_app

    corpus = _corpus(tmp_path / "corpus", 30)
    data = tmp_path / "data"
    assert _build(corpus, data).wait(timeout=120) == 0
    base = live_server(create_app(data))
    first_build = httpx.get(f"{base}/api/meta", timeout=30).json()["build"]
    (corpus / "plan-new.txt").write_text(
        "数字德州建设2030年工作要点\n一、重点任务\n1.建设“德州通办”平台。(牵头单位:市大数据局)\n", encoding="utf-8")

    statuses: list[int] = []
    builds_seen: set[str] = set()
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                for path, params in (("/api/search", {"q": "城市大脑"}), ("/api/meta", {}),
                                     ("/sparql", {"query": "ASK { ?s ?p ?o }"})):
                    response = client.get(path, params=params)
                    statuses.append(response.status_code)
                    if path == "/api/meta" and response.status_code == 200:
                        builds_seen.add(response.json()["build"])

    askers = [threading.Thread(target=keep_asking) for _ in range(3)]
    for t in askers:
        t.start()
    try:
        assert _build(corpus, data).wait(timeout=180) == 0
        time.sleep(1.0)  # requests after the switch
    finally:
        stop.set()
        for t in askers:
            t.join(timeout=60)
    assert statuses and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    meta = httpx.get(f"{base}/api/meta", timeout=30).json()
    assert meta["build"] != first_build and meta["build"] in builds_seen
    found = httpx.get(f"{base}/api/search", params={"q": "德州通办"}, timeout=30).json()
    assert any(item["type"] == "Platform" and "德州通办" in item["name"] for item in found["items"])
