"""The per-build answer cache of /api/search and /api/graph/neighborhood (api/rest.py, api/state.py):
the bytes are those the response models would give, a new build is never answered from the old
one's cache, and the cache stays within its bounds."""
from __future__ import annotations

import gc

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from apifixture import PROV_PLAN, documents, write_build
from govkg.api.app import create_app
from govkg.api.models import Neighborhood, SearchPage
from govkg.api.state import AnswerCache, ServerSettings
from govkg.graph import queries
from govkg.graph.derive import derive_edges
from govkg.graph.factgraph import FactGraph
from govkg.graph.store import BuildWriter, DocumentStatus

BRANCH = "platform:爱山东滨州分厅"


def _write_province_only(data_dir):
    """A second build of data_dir holding only the provincial plan (no city plan, no branch)."""
    writer = BuildWriter(data_dir)
    graph = FactGraph()
    for facts, text in documents():
        if facts.document != "prov_plan.txt":
            continue
        writer.add(facts, text, DocumentStatus(facts.document, "ok", None, {}, "txt", "utf-8"))
        graph.add(facts)
    writer.write_derived(derive_edges(graph))
    return writer.commit({"corpus": "tests/test_api_cache.py"})


@pytest.fixture(scope="module")
def client(api_data) -> TestClient:
    return TestClient(create_app(api_data))  # its own app: the tests look into its caches


def _index(client: TestClient) -> queries.GraphIndex:
    state = client.app.state.govkg
    return queries.index_for(state.build(), state.per_build, warm=True)


def _model_bytes(model, content) -> bytes:
    """What FastAPI sends for a route with response_model=model (validate, then dump_json)."""
    adapter = TypeAdapter(model)
    return adapter.dump_json(adapter.validate_python(content))


NEIGHBORHOODS = [
    {"id": "platform:爱山东"}, {"id": "platform:爱山东", "depth": 2, "max_edges": 4},
    {"id": "platform:爱山东", "depth": 3, "limit": 5}, {"id": "platform:爱山东", "depth": 3, "limit": 500},
    {"id": "platform:爱山东", "types": "Agency,Measure", "depth": 2}, {"id": "platform:爱山东", "edge_types": "OWNS"},
    {"id": BRANCH, "depth": 0}, {"id": PROV_PLAN, "depth": 2}, {"id": "agency:滨州市大数据局", "depth": 2},
]
SEARCHES = [{"q": "爱山东"}, {"q": "愛山東", "limit": 2, "offset": 1}, {"q": "大數據局", "types": "Agency"},
            {"q": "掌上办", "types": "Measure,Platform", "limit": 200}, {"q": "<script>"}, {"q": "不存在的东西"},
            {"q": "电子证照"}]


@pytest.mark.parametrize("params", NEIGHBORHOODS)
def test_neighborhood_bytes_are_the_response_models(client, params):
    ix = _index(client)
    types = params.get("types", "").split(",") if params.get("types") else None
    edge_types = params.get("edge_types", "").split(",") if params.get("edge_types") else None
    want = _model_bytes(Neighborhood, queries.neighborhood(
        ix, params["id"], params.get("depth", 1), types, edge_types, params.get("limit", 100), params.get("max_edges")))
    first = client.get("/api/graph/neighborhood", params=params)
    again = client.get("/api/graph/neighborhood", params=params)  # from the cache
    for r in (first, again):
        assert r.status_code == 200 and r.content == want
        assert r.headers["content-type"] == "application/json"
        assert r.headers["content-length"] == str(len(want))


@pytest.mark.parametrize("params", SEARCHES)
def test_search_bytes_are_the_response_models(client, params):
    ix = _index(client)
    types = params["types"].split(",") if params.get("types") else None
    want = _model_bytes(SearchPage, queries.search(ix, params["q"], types, params.get("limit", 20),
                                                   params.get("offset", 0)))
    for _ in range(2):
        r = client.get("/api/search", params=params)
        assert r.status_code == 200 and r.content == want and r.headers["content-type"] == "application/json"


def test_types_in_another_order_share_one_answer(client):
    state = client.app.state.govkg
    cache = state.answers(state.build())
    a = client.get("/api/graph/neighborhood", params={"id": PROV_PLAN, "types": "Measure,Agency"})
    kept = len(cache)
    b = client.get("/api/graph/neighborhood", params={"id": PROV_PLAN, "types": "Agency,Measure,Agency"})
    assert a.content == b.content and len(cache) == kept


def test_unknown_node_is_404_and_not_kept(client):
    state = client.app.state.govkg
    cache = state.answers(state.build())
    kept = len(cache)
    for _ in range(2):
        r = client.get("/api/graph/neighborhood", params={"id": "platform:不存在"})
        assert r.status_code == 404 and set(r.json()) == {"error"}
    assert len(cache) == kept


def test_a_new_build_is_not_answered_from_the_old_ones_cache(tmp_path):
    write_build(tmp_path)
    client = TestClient(create_app(tmp_path))
    state = client.app.state.govkg
    old_build = state.build()
    before = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东"})
    found = client.get("/api/search", params={"q": "滨州分厅"})
    assert before.status_code == 200 and any(n["id"] == BRANCH for n in before.json()["nodes"])
    assert found.json()["total"] >= 1
    assert state.answers(old_build) is not None and len(state.answers(old_build)) == 2

    _write_province_only(tmp_path)
    after = client.get("/api/graph/neighborhood", params={"id": "platform:爱山东"})
    assert after.status_code == 200 and after.content != before.content
    assert all(n["id"] != BRANCH for n in after.json()["nodes"])
    assert client.get("/api/search", params={"q": "滨州分厅"}).json()["total"] == 0
    assert client.get("/api/graph/neighborhood", params={"id": BRANCH}).status_code == 404
    assert state.answers(old_build) is None  # an answer computed from the old build is not kept
    new_cache = state.answers(state.build())
    assert new_cache.build_id != old_build.path.name and len(new_cache) == 2


def test_answer_cache_is_bounded_by_entries_and_bytes():
    cache = AnswerCache("b", max_entries=3, max_bytes=800)
    for k in range(5):
        cache.put(k, b"x" * 10)
    assert len(cache) == 3 and [cache.get(k) for k in range(2)] == [None, None] and cache.bytes == 30
    assert cache.get(2) == b"x" * 10  # 2 is now the most recently used: 3 goes first
    cache.put(5, b"y" * 10)
    assert cache.get(3) is None and cache.get(2) is not None and len(cache) == 3
    cache.put(6, b"z" * 101)  # over an eighth of max_bytes: not kept
    assert cache.get(6) is None and len(cache) == 3
    cache.put(2, b"w" * 100)  # replacing an answer counts its new size
    assert cache.bytes == 120 and cache.get(2) == b"w" * 100
    small = AnswerCache("b", max_entries=100, max_bytes=800)
    for k in range(20):
        small.put(k, b"v" * 100)
    assert small.bytes <= 800 and len(small) == 8 and small.get(19) is not None and small.get(0) is None
    off = AnswerCache("b", max_entries=0, max_bytes=800)
    off.put(1, b"a")
    assert len(off) == 0 and off.get(1) is None


def test_the_app_keeps_no_more_answers_than_its_settings_allow(api_data):
    client = TestClient(create_app(api_data, ServerSettings(answer_cache_entries=3)))
    for depth in (0, 1, 2, 3):
        for limit in (5, 50):
            params = {"id": "platform:爱山东", "depth": depth, "limit": limit}
            first = client.get("/api/graph/neighborhood", params=params).content
            assert client.get("/api/graph/neighborhood", params=params).content == first
    state = client.app.state.govkg
    assert len(state.answers(state.build())) == 3


def test_the_loaded_graph_is_out_of_the_collectors_way(api_data):
    client = TestClient(create_app(api_data))
    assert client.get("/api/meta").status_code == 200
    assert client.app.state.govkg.per_build.get("rest.gc_frozen") is True
    assert gc.get_freeze_count() > 0


def _search_every_entry(ix: queries.GraphIndex, needle: str) -> list[str]:
    """The ids search finds when it checks every entry (what _candidates narrows down)."""
    found = []
    for node, name, aliases, text in ix.search_entries:
        if needle in name or any(needle in a for a in aliases) or (text and needle in text):
            found.append(node.id)
    return found


@pytest.mark.parametrize("needle", ["爱山东", "山东", "局", "滨州分厅", "掌上办", "app", "\x00", "局\x00", "\x00省",
                                    "不存在", "<script>", "1"])
def test_search_scan_finds_what_checking_every_entry_finds(client, needle):
    ix = _index(client)
    hits = queries._search(ix, needle, set(queries.SEARCH_TYPES))
    assert sorted(h["id"] for h in hits) == sorted(_search_every_entry(ix, needle))
