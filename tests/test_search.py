"""Search (graph/search.py, queries.search): the FTS5 index in the build folder, and recall on the
seed corpus for what researchers type: pinyin, initials, short forms, aliases, one-character typos."""
from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from apifixture import NEWS, write_build
from corpora import SEEDS
from govkg.api.app import create_app
from govkg.graph import queries
from govkg.graph.model import Node
from govkg.graph.search import INDEX_FILE, short_forms
from govkg.graph.store import current_build

BINZHOU_PLAN = "002_0caad2ac46645fdc.txt"

# query -> ids that must be among the hits (read in the seed documents)
RECALL = [
    ("aishandong", "platform:爱山东"),  # pinyin, full
    ("AiShanDong", "platform:爱山东"),
    ("asd", "platform:爱山东"),  # pinyin initials
    ("shandongtong", "platform:山东通"),
    ("sdt", "platform:山东通"),
    ("binzhou", "agency:滨州市大数据局"),  # an English place name is its pinyin
    ("Binzhou", "plan:滨州市:数字强市建设2023年工作要点"),
    ("qingdao", "agency:青岛市大数据局"),
    ("爱山东APP", "platform:爱山东"),  # alias
    ("政务云平台", "platform:滨州市政务云"),  # a jurisdiction's system by its generic name and word
    ("滨州大数据局", "agency:滨州市大数据局"),  # region short form + agency
    ("山东大数据局", "agency:山东省大数据局"),
    ("青岛大数据局", "agency:青岛市大数据局"),
    ("爱山冬", "platform:爱山东"),  # one character changed
    ("滨州市大数局", "agency:滨州市大数据局"),  # one dropped
    ("aishandogn", "platform:爱山东"),  # two swapped, in pinyin
    ("愛山東", "platform:爱山东"),  # traditional
    ("大數據局", "agency:山东省大数据局"),
    ("一网统", "platform:滨州市一网统揽综合慧治平台"),  # prefix
]


@pytest.fixture(scope="module")
def seed_index(request) -> queries.GraphIndex:
    if not (SEEDS / BINZHOU_PLAN).is_file():
        pytest.skip("shared/corpus/seeds is not beside the repository")
    ix = queries.GraphIndex(current_build(request.getfixturevalue("seed_data")))
    ix.warm_up()
    return ix


def test_recall_on_the_seed_corpus(seed_index):
    missed = []
    for q, want in RECALL:
        ids = [h["id"] for h in queries.search(seed_index, q, limit=200)["items"]]
        if want not in ids:
            missed.append((q, want, ids[:5]))
    assert not missed, missed


def test_first_hit_is_the_one_meant(seed_index):
    for q, want in [("aishandong", "platform:爱山东"), ("滨州大数据局", "agency:滨州市大数据局"),
                    ("爱山冬", "platform:爱山东")]:
        assert queries.search(seed_index, q)["items"][0]["id"] == want, q
    # 政务云平台 names every jurisdiction's government cloud: those come first, before measures naming one
    first = queries.search(seed_index, "政务云平台")["items"][:2]
    assert {h["id"] for h in first} == {"platform:山东省政务云", "platform:滨州市政务云"}


def test_text_only_in_news_is_found_with_its_sentence(seed_index):
    page = queries.search(seed_index, "5G基站", limit=200)
    news = [h for h in page["items"] if h["matched"] == "news"]
    assert news and page["counts"]["Document"] == len(news)
    text = seed_index.build.original_text(news[0]["evidence"]["document"])
    ev = news[0]["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["text"] and "5G基站" in ev["text"]


def test_results_are_counted_by_type(seed_index):
    page = queries.search(seed_index, "青岛", limit=2)
    assert sum(page["counts"].values()) == page["total"] > 2 and len(page["items"]) == 2
    assert page["counts"]["Agency"] >= 1


def test_nothing_like_the_query_finds_nothing(seed_index):
    assert queries.search(seed_index, "不存在的东西")["total"] == 0
    assert queries.search(seed_index, "zzzqqq")["total"] == 0


def test_short_forms():
    agency = Node("agency:滨州市大数据局", "Agency", "滨州市大数据局", {"jurisdiction": "滨州市"})
    assert short_forms(agency) == ["滨州大数据局"]
    bare = Node("agency:某某自治区发展改革委", "Agency", "某某自治区发展改革委", {})
    assert short_forms(bare, {"某某自治区"}) == ["某某发展改革委"]
    assert short_forms(Node("agency:市大数据局", "Agency", "市大数据局", {}), {"市"}) == []
    assert "政务云平台" in short_forms(Node("platform:政务云", "Platform", "政务云", {}))
    plan = Node("plan:滨州市:数字强市", "Plan", "数字强市", {"jurisdiction": "滨州市"})
    assert short_forms(plan) == ["滨州市数字强市", "滨州数字强市"]
    assert short_forms(Node("platform:政务云平台", "Platform", "政务云平台", {})) == ["政务云"]


def test_the_index_is_written_into_the_build_folder_once(tmp_path):
    build = write_build(tmp_path)
    ix = queries.GraphIndex(current_build(tmp_path))
    assert queries.search(ix, "注册用户")["items"][0]["id"] == f"doc:{NEWS}"
    path = build.path / INDEX_FILE
    assert path.is_file()
    stamp = path.stat().st_mtime_ns
    again = queries.GraphIndex(current_build(tmp_path))  # a second server opens it, does not rewrite it
    assert queries.search(again, "注册用户")["total"] == 1 and path.stat().st_mtime_ns == stamp
    with sqlite3.connect(path) as db:  # a stale or foreign file is replaced
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
    third = queries.GraphIndex(current_build(tmp_path))
    assert queries.search(third, "爱山东")["total"] >= 1
    with sqlite3.connect(path) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["version"] != "old"
    assert not [p for p in build.path.iterdir() if p.name.endswith(".tmp")]


def test_a_build_folder_it_cannot_write_into_still_searches(tmp_path):
    build = write_build(tmp_path)
    (build.path / INDEX_FILE).mkdir()  # the index cannot be put there
    ix = queries.GraphIndex(current_build(tmp_path))
    assert queries.search(ix, "aishandong")["items"][0]["id"] == "platform:爱山东"
    assert ix.search_index.path.parent != build.path and (build.path / INDEX_FILE).is_dir()
    assert not [p for p in build.path.iterdir() if p.name.endswith(".tmp")]


def test_rest_search_gives_counts_and_news_evidence(tmp_path):
    write_build(tmp_path)
    client = TestClient(create_app(tmp_path))
    page = client.get("/api/search", params={"q": "爱山东"}).json()
    assert page["counts"]["Platform"] >= 2 and sum(page["counts"].values()) == page["total"]
    news = client.get("/api/search", params={"q": "注册用户", "types": "Document"}).json()["items"]
    assert news[0]["matched"] == "news" and news[0]["evidence"]["document"] == NEWS
    assert client.get("/api/search", params={"q": "aishandong", "types": "Agency"}).json()["total"] == 0
