"""Incremental builds: `govkg build CORPUS --out DATA` on a folder that holds a build reads only new and
changed documents, and the result equals a full build of the same corpus (JSONL export, sorted N-Quads of
the named graphs, the merged default graph), after adds, changes and removals; a build killed with
SIGKILL in the middle of an update leaves the previous build current and readable."""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpora import SEEDS

HERE = Path(__file__).resolve().parent
LINEAGE = HERE / "fixtures" / "lineage"  # a provincial plan and city plans implementing it (derived edges)
GOVKG = Path(sys.executable).with_name("govkg")


def _build(corpus: Path, data: Path, full: bool = False):
    from govkg.build import build_corpus

    return build_corpus(corpus, data, workers=1, full=full)


def snapshot(data: Path) -> dict:
    """What must be equal: the JSONL export, the named graphs' N-Quads and the default graph, sorted;
    the documents with their statuses."""
    import pyoxigraph as ox

    from govkg.graph.rdf_export import write_rdf
    from govkg.graph.rdfstore import forget_store, rdf_store
    from govkg.graph.store import current_build

    build = current_build(data)
    records = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in build.graph().iter_records())
    buf = io.BytesIO()
    write_rdf(build, "nq", buf)
    quads = sorted(line for line in buf.getvalue().decode("utf-8").splitlines() if line.strip())
    store = rdf_store(build)
    default = io.BytesIO()
    store.dump(default, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    triples = sorted(line for line in default.getvalue().decode("utf-8").splitlines() if line.strip())
    documents = [{k: v for k, v in d.items()} for d in build.manifest["documents"]]
    forget_store(build)
    return {"records": records, "quads": quads, "default": triples, "documents": documents}


_FULL: dict[tuple, dict] = {}  # the snapshot of a full build, per corpus content (name, sha-256 of each file)


def assert_same_as_full(corpus: Path, data: Path, tmp_path: Path, step: str) -> None:
    from govkg.build import file_sha256

    content = tuple(sorted((p.name, file_sha256(p)) for p in corpus.iterdir() if p.is_file()))
    if content not in _FULL:  # the same corpus is built in full once per session
        full = tmp_path / f"full-{step}"
        _build(corpus, full, full=True)
        _FULL[content] = snapshot(full)
    got, want = snapshot(data), _FULL[content]
    for key in want:
        missing = sorted(set(want[key]) - set(got[key]) if key != "documents" else [])[:3]
        extra = sorted(set(got[key]) - set(want[key]) if key != "documents" else [])[:3]
        assert got[key] == want[key], f"{step}: {key} differs; missing {missing}, extra {extra}"
    assert want["quads"] and want["records"]


def _manifest(data: Path) -> dict:
    from govkg.graph.store import current_build

    return current_build(data).manifest


def _seed_files() -> list[Path]:
    assert SEEDS.is_dir(), "shared/corpus/seeds is not beside the repository"
    return sorted(p for p in SEEDS.iterdir() if p.is_file())


def test_incremental_equals_full_after_adds_changes_removals(tmp_path):
    seeds, lineage = _seed_files(), sorted(LINEAGE.iterdir())
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    for src in seeds[:3] + lineage[:2]:
        shutil.copyfile(src, corpus / src.name)
    _build(corpus, data)
    assert _manifest(data)["incremental"] is None  # nothing to start from

    # adds: the other seeds, another city plan of the province (new derived edges), a document in a folder
    for src in seeds[3:] + lineage[2:]:
        shutil.copyfile(src, corpus / src.name)
    (corpus / "sub").mkdir()
    shutil.copyfile(seeds[0], corpus / "sub" / "copy.txt")
    first = _manifest(data)["build"]
    _build(corpus, data)
    assert _manifest(data)["incremental"] == {"from": first, "reused": 5, "read": len(seeds) - 3 + len(lineage) - 2 + 1}
    assert_same_as_full(corpus, data, tmp_path, "adds")

    # changes: a seed loses its second half, a city plan gets a measure more, a file becomes unreadable
    seed = corpus / seeds[1].name
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text[: len(text) // 2], encoding="utf-8")
    city = corpus / lineage[0].name
    city.write_text(city.read_text(encoding="utf-8") + "\n9.建设全市统一的公共数据平台，实现数据共享率达到95%。（责任单位：市大数据局）\n",
                    encoding="utf-8")
    (corpus / "sub" / "copy.txt").write_bytes(b"\xff\xfe\x00broken\x00" * 3)
    _build(corpus, data)
    assert _manifest(data)["incremental"]["read"] == 3
    assert_same_as_full(corpus, data, tmp_path, "changes")

    # removals: a seed, the provincial plan the cities derive from, the broken file
    for name in (seeds[2].name, lineage[-1].name):
        (corpus / name).unlink()
    shutil.rmtree(corpus / "sub")
    _build(corpus, data)
    assert _manifest(data)["incremental"]["read"] == 0
    assert_same_as_full(corpus, data, tmp_path, "removals")

    # nothing changed: nothing read, the same result
    _build(corpus, data)
    assert _manifest(data)["incremental"]["read"] == 0
    assert_same_as_full(corpus, data, tmp_path, "unchanged")


def test_full_flag_reads_everything(tmp_path):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    for src in sorted(LINEAGE.iterdir()):
        shutil.copyfile(src, corpus / src.name)
    _build(corpus, data)
    _build(corpus, data, full=True)
    assert _manifest(data)["incremental"] is None
    _build(corpus, data)
    assert _manifest(data)["incremental"]["reused"] == len(list(LINEAGE.iterdir()))


@pytest.fixture(scope="module")
def before_the_update(tmp_path_factory) -> tuple[Path, Path]:
    """Three seeds and the lineage plans, built once; each killed-build test updates a copy."""
    seeds, lineage = _seed_files(), sorted(LINEAGE.iterdir())
    root = tmp_path_factory.mktemp("before-update")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    for src in seeds[:3] + lineage:
        shutil.copyfile(src, corpus / src.name)
    _build(corpus, data)
    return corpus, data


@pytest.mark.parametrize("point", ["rdf-removed", "documents", "rdf-derived", "commit"])
def test_killed_incremental_build_leaves_the_previous_build_current(tmp_path, point, before_the_update):
    from govkg.graph.named_queries import run_query
    from govkg.graph.rdfstore import forget_store, rdf_store
    from govkg.graph.store import current_build

    seeds, lineage = _seed_files(), sorted(LINEAGE.iterdir())
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(before_the_update[0], corpus)
    shutil.copytree(before_the_update[1], data, symlinks=True)
    before = snapshot(data)
    previous = current_build(data).path.name

    # the update: a seed removed, another added, a city plan changed
    (corpus / seeds[0].name).unlink()
    shutil.copyfile(seeds[3], corpus / seeds[3].name)
    city = corpus / lineage[0].name
    city.write_text(city.read_text(encoding="utf-8") + "\n10.完善一网通办。\n", encoding="utf-8")
    marker = tmp_path / "reached"
    env = {**os.environ, "GOVKG_BUILD_STOP_AT": point, "GOVKG_BUILD_STOP_FILE": str(marker)}
    proc = subprocess.Popen([str(GOVKG), "build", str(corpus), "--out", str(data)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, f"the build never reached {point}"
            time.sleep(0.05)
        # in the middle of the update a reader sees the previous build, whole
        assert current_build(data).path.name == previous
        assert snapshot(data) == before
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    build = current_build(data)
    assert build.path.name == previous
    assert snapshot(data) == before
    rows = run_query(rdf_store(build), "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://govkg.example.org/ontology#Measure> }")
    assert rows[0]["n"] > 0
    forget_store(build)

    # the next build finishes the update, and equals a full build
    _build(corpus, data)
    assert current_build(data).path.name != previous
    assert_same_as_full(corpus, data, tmp_path, f"after-kill-{point}")
    assert not [p for p in (data / "builds").iterdir() if p.name.endswith(".partial")]


def _neo4j_rows(db) -> tuple[dict, dict]:
    """Every node and relationship with labels and properties, without the loader's bookkeeping of
    when it loaded what (`documents` sorted: its order is the load order)."""
    def norm(props: dict) -> dict:
        props = {k: v for k, v in props.items() if not k.startswith("load_")}
        if isinstance(props.get("documents"), list):
            props["documents"] = sorted(props["documents"])
        return props

    nodes = {r["id"]: (tuple(sorted(r["labels"])), norm(r["props"])) for r in
             db.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")}
    rels = {(r["s"], r["t"], r["o"]): norm(r["props"]) for r in
            db.run("MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r) AS props")}
    return nodes, rels


def test_neo4j_rows_of_incremental_builds_equal_a_full_build(tmp_path):
    """`govkg load` after each incremental build gives the rows a full build loaded fresh gives."""
    from neo4j_fixture import graph_db

    from govkg.graph.neo4j_writer import load_build
    from govkg.graph.store import current_build

    seeds, lineage = _seed_files(), sorted(LINEAGE.iterdir())
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    for src in seeds[:1] + lineage[:2]:
        shutil.copyfile(src, corpus / src.name)
    incremental = graph_db("inc")
    try:
        def step(name: str) -> None:
            _build(corpus, data)
            load_build(incremental.driver, incremental.database, current_build(data))
            full_data = tmp_path / f"full-{name}"
            _build(corpus, full_data, full=True)
            fresh = graph_db("full")
            try:
                load_build(fresh.driver, fresh.database, current_build(full_data))
                want = _neo4j_rows(fresh)
            finally:
                fresh.driver.close()
            assert _neo4j_rows(incremental) == want, name
            assert want[0] and want[1]

        step("first")
        for src in seeds[1:2] + lineage[2:]:  # adds
            shutil.copyfile(src, corpus / src.name)
        step("adds")
        city = corpus / lineage[0].name  # a change
        city.write_text(city.read_text(encoding="utf-8") + "\n9.推进一网通办。（责任单位：市大数据局）\n", encoding="utf-8")
        step("changes")
        (corpus / lineage[-1].name).unlink()  # removals: the province the cities derive from, a seed
        (corpus / seeds[0].name).unlink()
        step("removals")
    finally:
        incremental.driver.close()
