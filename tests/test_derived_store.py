"""derived.jsonl: the corpus-level edges one line each, and what an incremental build finds changed in them
(graph/store.py BuildWriter.write_derived)."""
from __future__ import annotations

from govkg.graph.model import Edge, Evidence
from govkg.graph.store import BuildWriter, derived_edges, derived_file, edge_line


def _edge(source: str, target: str, score: float, text: str = "同一条措施") -> Edge:
    return Edge(f"measure:{source}", f"measure:{target}", "SIMILAR_TO", {"score": score, "shared": ["platform:爱山东"]},
                [Evidence(f"{source}.txt", 3, 3 + len(text), text), Evidence(f"{target}.txt", 0, len(text), text)])


def _build(data_dir, edges, previous=None):
    writer = BuildWriter(data_dir)
    change = writer.write_derived(edges, previous)
    return writer.commit({"corpus": "tests/test_derived_store.py"}), change


def test_a_full_build_stores_every_edge_as_it_reads_back(tmp_path):
    edges = [_edge(f"a{k}", f"b{k}", k / 10) for k in range(2500)]  # more than one batch of lines
    build, change = _build(tmp_path, edges)
    assert change is None
    assert list(derived_edges(build.path)) == edges
    lines = derived_file(build.path).read_bytes().split(b"\n")
    assert lines[-1] == b"" and lines[:-1] == [edge_line(e) for e in edges]
    assert "爱山东".encode() in lines[0]  # UTF-8, not \u escapes


def test_an_incremental_build_gives_the_edges_whose_line_came_and_went(tmp_path):
    kept, changed, gone, quoted = _edge("a", "b", 1.0), _edge("a", "c", 0.8), _edge("d", "e", 0.7), _edge("h", "i", 1.0)
    first, _ = _build(tmp_path, [kept, changed, gone, quoted])
    rescored, new, requoted = _edge("a", "c", 0.9), _edge("f", "g", 0.6), _edge("h", "i", 1.0, "另一条措施")
    second, change = _build(tmp_path, [kept, rescored, new, requoted], previous=first)
    assert change is not None
    assert change.came == [rescored, new, requoted]  # in the order written
    assert change.went == [changed, gone, quoted]  # in the previous file's order
    assert list(derived_edges(second.path)) == [kept, rescored, new, requoted]


def test_nothing_changed_gives_nothing(tmp_path):
    edges = [_edge("a", "b", 1.0), _edge("b", "c", 0.5)]
    first, _ = _build(tmp_path, edges)
    _, change = _build(tmp_path, list(edges), previous=first)
    assert change is not None and change.came == [] and change.went == []
