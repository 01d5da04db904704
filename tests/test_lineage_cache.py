"""graph/lineage.py memoisation and LineageCache: signatures once per distinct text, verifications once
per distinct pair of texts, and a persisted cache that makes an incremental lineage_edges compute only
what is new while giving exactly the edges of a cold run.

The corpora are bench/lineage.py's synthetic plans (cities adapting provincial measures), with
verbatim copies of whole documents under other names (as cities copying provincial measures word for
word, or the seed copies of bench/scale.py), so that many candidate pairs share their content."""
from __future__ import annotations

import copy
import json
import os
import pickle

import numpy as np
import pytest
from rapidfuzz import fuzz

from govkg.graph import lineage, similarity
from govkg.graph.factgraph import FactGraph
from govkg.graph.lineage import lineage_edges
from govkg.graph.similarity import LineageCache, similar_pairs, text_key
from govkg.graph.model import DocumentFacts
from benchmodules import bench_module



BENCH = bench_module("lineage")


def renamed(doc: DocumentFacts, name: str) -> DocumentFacts:
    """The document's facts as those of a verbatim copy named `name` (its measures get new ids)."""
    text = json.dumps(doc.to_dict(), ensure_ascii=False).replace(json.dumps(doc.document)[1:-1], name)
    return DocumentFacts.from_dict(json.loads(text))


def reworded(doc: DocumentFacts, measure_no: int, text: str) -> DocumentFacts:
    """The document with one measure's text replaced (a changed document)."""
    out = copy.deepcopy(doc)
    for node in out.nodes:
        if node.id == f"measure:{doc.document}#{measure_no}":
            node.props["text"] = text
    return out


def edge_dicts(edges):
    return [e.to_dict() for e in edges]


@pytest.fixture(scope="module")
def documents() -> list[DocumentFacts]:
    graph, _ = BENCH.synthetic_graph(2400, seed=3)
    docs = list(graph.documents.values())
    # verbatim copies of a provincial plan and of a city plan under other names
    return docs + [renamed(docs[0], "copy-a.txt"), renamed(docs[0], "copy-b.txt"), renamed(docs[1], "copy-c.txt")]


def graph_of(docs) -> FactGraph:
    return FactGraph.from_documents(docs)


def test_cold_memoisation_computes_each_distinct_text_and_pair_once(documents):
    infos = [m for m in lineage.measure_infos(graph_of(documents)) if m.plan is not None]
    texts = [m.text for m in infos]
    cache = LineageCache()
    pairs = similar_pairs(texts, [m.document for m in infos], [m.entities for m in infos], cache=cache)
    distinct = {t for t in texts if len(t) >= similarity.MIN_CHARS}
    assert len(distinct) < len(texts)  # the copies repeat texts
    assert cache.stats["signatures_computed"] == len(distinct) and cache.stats["signatures_reused"] == 0
    text_pairs = {frozenset((texts[p.a], texts[p.b])) for p in pairs}
    assert len(text_pairs) < len(pairs)  # the copies make pairs of the same content
    assert cache.stats["pairs_verified"] == len(cache.verified) >= len(text_pairs)
    assert set(cache.signatures) == {text_key(t) for t in distinct}
    # each pair's figures are those of a direct verification of its two texts
    for p in pairs[::7]:
        a, b = texts[p.a], texts[p.b]
        jac = similarity.jaccard(similarity.shingles(a), similarity.shingles(b))
        ratio = fuzz.ratio(a, b) / 100.0
        bonus = min(similarity.MAX_BONUS, similarity.SHARED_BONUS * len(infos[p.a].entities & infos[p.b].entities))
        assert (p.jaccard, p.ratio) == (round(jac, 3), round(ratio, 3))
        assert p.score == round(min(1.0, (jac + ratio) / 2 + bonus), 3)
        assert infos[p.a].document != infos[p.b].document
    assert pairs == similar_pairs(texts, [m.document for m in infos], [m.entities for m in infos])


def test_warm_cache_computes_only_what_is_new_and_gives_the_cold_edges(documents, tmp_path):
    old_docs = documents[:-13] + documents[-3:]
    new_docs = list(documents[-13:-3])  # 10 new documents
    removed = {old_docs[2].document, old_docs[5].document}
    changed = old_docs[3]
    new_text = "完善城市运行智慧中枢体系，推动数据按需共享，新增政务服务示范项目12个。"
    corpus = [d for d in old_docs if d.document not in removed and d is not changed]
    corpus += [reworded(changed, 2, new_text)] + new_docs

    cache = LineageCache()
    old_edges = lineage_edges(graph_of(old_docs), cache=cache)
    assert old_edges and cache.stats["signatures_reused"] == 0
    size = cache.save(tmp_path / "lineage.cache")
    assert size == (tmp_path / "lineage.cache").stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == ["lineage.cache"]  # no temporary file left
    old_signatures, old_verified = dict(cache.signatures), dict(cache.verified)

    warm = LineageCache.load(tmp_path / "lineage.cache")
    assert set(warm.signatures) == set(old_signatures) and warm.verified == old_verified
    assert all(np.array_equal(warm.signatures[k], v) for k, v in old_signatures.items())
    warm_edges = lineage_edges(graph_of(corpus), cache=warm)

    cold = LineageCache()
    cold_edges = lineage_edges(graph_of(corpus), cache=cold)
    assert edge_dicts(warm_edges) == edge_dicts(cold_edges) == edge_dicts(lineage_edges(graph_of(corpus)))
    assert edge_dicts(warm_edges) != edge_dicts(old_edges)

    # only the new texts' signatures and the new pairs' verifications were computed
    assert warm.stats["signatures_computed"] == len(set(cold.signatures) - set(old_signatures)) > 0
    assert warm.stats["signatures_reused"] == len(set(cold.signatures) & set(old_signatures)) > 0
    assert warm.stats["pairs_verified"] == len(set(cold.verified) - set(old_verified)) > 0
    assert warm.stats["pairs_reused"] == len(set(cold.verified) & set(old_verified)) > 0
    assert text_key(similarity.normalise(new_text)) in warm.signatures
    # and the cache holds the current corpus's entries only: those of a cold run
    assert set(warm.signatures) == set(cold.signatures) and warm.verified == cold.verified
    assert set(old_signatures) - set(warm.signatures)  # the removed documents' texts are gone

    # a second warm run computes nothing
    again = lineage_edges(graph_of(corpus), cache=warm)
    assert edge_dicts(again) == edge_dicts(cold_edges)
    assert warm.stats["signatures_computed"] == warm.stats["pairs_verified"] == 0


@pytest.mark.parametrize("content", [None, b"", b"not a pickle", pickle.dumps([1, 2, 3]),
                                     pickle.dumps({"params": "other"}), b"\x80\x05truncated"])
def test_a_missing_or_corrupt_cache_loads_empty(tmp_path, content):
    path = tmp_path / "lineage.cache"
    if content is not None:
        path.write_bytes(content)
    cache = LineageCache.load(path)
    assert isinstance(cache, LineageCache) and len(cache) == 0


def test_a_cache_of_other_parameters_or_shapes_loads_empty(tmp_path, documents):
    cache = LineageCache()
    lineage_edges(graph_of(documents[:20]), cache=cache)
    path = tmp_path / "lineage.cache"
    cache.save(path)
    assert len(LineageCache.load(path)) == len(cache) > 0
    with np.load(path) as npz:
        data = dict(npz)

    def write(**changes):
        with open(path, "wb") as fh:
            np.savez(fh, **dict(data, **changes))

    write(params=np.frombuffer(b'[0, "other"]', dtype=np.uint8))
    assert len(LineageCache.load(path)) == 0
    write(sigs=data["sigs"][:, :10])
    assert len(LineageCache.load(path)) == 0
    write(pair_keys=data["pair_keys"][:, :16])
    assert len(LineageCache.load(path)) == 0
    write()
    assert len(LineageCache.load(path)) == len(cache)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert len(LineageCache.load(path)) == 0
    # a pickle is not read (loading the cache runs no code)
    path.write_bytes(pickle.dumps({"params": "x"}))
    assert len(LineageCache.load(path)) == 0


def test_save_replaces_the_file_atomically(tmp_path, documents):
    path = tmp_path / "sub" / "lineage.cache"
    empty = LineageCache()
    empty.save(path)
    assert len(LineageCache.load(path)) == 0
    cache = LineageCache()
    lineage_edges(graph_of(documents[:20]), cache=cache)
    before = os.stat(path).st_ino
    cache.save(path)
    assert os.stat(path).st_ino != before  # a new file renamed over the old one
    loaded = LineageCache.load(path)
    assert loaded.verified == cache.verified and set(loaded.signatures) == set(cache.signatures)
    assert sorted(p.name for p in path.parent.iterdir()) == ["lineage.cache"]


def test_rounding_is_pythons_round():
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.random(200000), (np.arange(0, 2001) + 0.5) / 1000, np.arange(0, 1001) / 1000,
                             np.nextafter((np.arange(0, 2001) + 0.5) / 1000, 0), [0.6245, 0.0005, 0.9995, 1.0]])
    assert similarity._round3(values).tolist() == [round(v, 3) for v in values.tolist()]


def test_banding_over_distinct_texts_finds_the_same_candidates(documents):
    infos = [m for m in lineage.measure_infos(graph_of(documents + [renamed(documents[0], f"more-{k}.txt")
                                                                   for k in range(80)])) if m.plan is not None]
    distinct = similarity._Texts([m.text for m in infos], None, {})
    valid = np.flatnonzero(distinct.valid[distinct.of])
    plain = similarity.band_candidates(distinct.sigs[distinct.of], valid)
    assert len(plain) > 80 * similarity.MAX_BUCKET_SPAN  # the copies' buckets are cut at the span
    assert np.array_equal(similarity._distinct_band_candidates(distinct.sigs, distinct.of, valid), plain)
    texts = [m.text for m in infos]
    groups = [m.document for m in infos]
    assert similar_pairs(texts, groups, index="plain") == similar_pairs(texts, groups)


def _corpus_texts(documents):
    infos = [m for m in lineage.measure_infos(graph_of(documents + [renamed(documents[0], f"more-{k}.txt")
                                                                   for k in range(80)])) if m.plan is not None]
    return [m.text for m in infos], [m.document for m in infos]


def test_candidate_blocks_are_the_banding_candidates(documents):
    texts, _ = _corpus_texts(documents)
    distinct = similarity._Texts(texts, None, {})
    valid = np.flatnonzero(distinct.valid[distinct.of])
    plain = similarity.band_candidates(distinct.sigs[distinct.of], valid)
    for chunk in (1, 5000, 1 << 30):
        blocks = list(similarity.band_candidate_blocks(distinct.sigs, distinct.of, valid, chunk=chunk))
        assert (len(blocks) > 10) == (chunk < 1 << 30)  # small chunks: many blocks of measures
        assert all(len(a) and a.min() > blocks[k - 1][0].max() for k, (a, _) in enumerate(blocks) if k)
        cand = np.stack([np.concatenate([a for a, _ in blocks]), np.concatenate([b for _, b in blocks])], axis=1)
        assert np.array_equal(cand, plain)


def test_selected_candidates_are_the_plain_greedy_walk(documents):
    """_selected (per block filters, the walk by estimate) against the plain form: same-document pairs
    dropped, estimate >= ESTIMATE_MIN, walked by (estimate descending, (a, b)), each kept while both of
    its measures have fewer than `cap` kept pairs, the result sorted."""
    texts, groups = _corpus_texts(documents)
    distinct = similarity._Texts(texts, None, {})
    valid = np.flatnonzero(distinct.valid[distinct.of])
    plain = [(a, b) for a, b in similarity.band_candidates(distinct.sigs[distinct.of], valid).tolist()
             if groups[a] != groups[b]]
    agree = {p: int(np.count_nonzero(distinct.sigs[distinct.of[p[0]]] == distinct.sigs[distinct.of[p[1]]]))
             for p in plain}
    plain = [p for p in plain if agree[p] / similarity.NUM_PERM >= similarity.ESTIMATE_MIN]
    group_ids = np.array([sorted(set(groups)).index(g) for g in groups])
    refused_some = 0
    for cap in (1, 3, 10, similarity.MAX_CANDIDATES, 10 ** 6):
        seen = [0] * len(texts)
        expected = []
        for a, b in sorted(plain, key=lambda p: (-agree[p], p)):
            if seen[a] < cap and seen[b] < cap:
                seen[a] += 1
                seen[b] += 1
                expected.append((a, b))
        refused_some += len(expected) < len(plain)
        for chunk in (7, 1 << 30):
            blocks = similarity.band_candidate_blocks(distinct.sigs, distinct.of, valid, chunk=chunk)
            a, b, found = similarity._selected(blocks, distinct.of, distinct.sigs, group_ids, len(texts), cap)
            assert list(zip(a.tolist(), b.tolist())) == sorted(expected)
            assert found == len(similarity.band_candidates(distinct.sigs[distinct.of], valid))
    assert refused_some >= 3  # the small caps refuse pairs


def test_dense_signatures_agree_where_the_signatures_agree():
    rng = np.random.default_rng(11)
    sigs = rng.integers(0, 2 ** 32, size=(3000, similarity.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    sigs[rng.integers(0, 3000, 4000), rng.integers(0, similarity.NUM_PERM, 4000)] = 7  # shared values
    sigs[1500:1600] = sigs[:100]  # equal rows
    dense = similarity._dense(sigs)
    assert dense.dtype == np.uint16
    a, b = rng.integers(0, 3000, 20000), rng.integers(0, 3000, 20000)
    a[:100], b[:100] = np.arange(100), np.arange(1500, 1600)
    assert np.array_equal(dense[a] == dense[b], sigs[a] == sigs[b])
    codes = np.unique(np.minimum(a, b) * 3000 + np.maximum(a, b))
    assert similarity._agreements(dense, codes, 3000).tolist() == [
        int(np.count_nonzero(sigs[c // 3000] == sigs[c % 3000])) for c in codes.tolist()]
    assert similarity._dense(np.zeros((70000, 4), dtype=np.uint32)).dtype == np.uint32  # too many texts: as is
