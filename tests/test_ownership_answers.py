"""'Who owns 政务云 in 吉林省?' and 'Which platforms does 滨州市大数据局 own?' answered by REST, SPARQL
(queries/agency_platforms.rq) and Cypher (queries/agency_platforms.cypher on the real Bolt server) with
the same rows, on the seed corpus plus a provincial plan written for this test."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from corpora import SEEDS
from govkg.api.app import create_app
from govkg.build import build_corpus
from govkg.graph.neo4j_writer import load_build
from govkg.graph.named_queries import run_query_file
from neo4j_fixture import graph_db

QUERIES = Path(__file__).resolve().parents[1] / "queries"
JILIN = """吉林省数字政府建设2023年工作要点
一、夯实平台支撑
1.强化政务云平台支撑能力。持续完善全省政务云,推进省级系统迁移上云。(责任部门:省政务服务和数字化建设管理局牵头,省直有关部门配合)
2.依托政务云,推动“吉事办”应用。(牵头单位:省公安厅)
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for path in SEEDS.iterdir():
        shutil.copy(path, corpus / path.name)
    (corpus / "jilin_plan.txt").write_text(JILIN, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    build = build_corpus(corpus, data, workers=1).build
    db = graph_db("own")
    load_build(db.driver, db.database, build)
    cypher = (QUERIES / "agency_platforms.cypher").read_text(encoding="utf-8")
    with db.driver.session(database=db.database) as session:
        cypher_rows = [r.data() for r in session.run(cypher)]
    yield TestClient(create_app(data)), build, cypher_rows
    db.driver.close()


def _sparql(build) -> set[tuple[str, str]]:
    return {(r["agencyName"], r["platformName"]) for r in run_query_file(build, "agency_platforms")
            if r["how"] == "OWNS"}


def _cypher(rows) -> set[tuple[str, str]]:
    return {(r["agency"], r["platform"]) for r in rows if r["how"] == "OWNS"}


def test_who_owns_the_government_cloud_of_jilin(answers):
    client, build, cypher_rows = answers
    platform = client.get(f"/api/platforms/{quote('platform:吉林省政务云', safe='')}").json()
    assert platform["props"]["jurisdiction"] == "吉林省"
    rest = {(o["name"], "吉林省政务云") for o in platform["owners"]}
    assert rest == {("吉林省政务服务和数字化建设管理局", "吉林省政务云")}  # 省公安厅 only uses it
    assert {x for x in _sparql(build) if x[1] == "吉林省政务云"} == rest
    assert {x for x in _cypher(cypher_rows) if x[1] == "吉林省政务云"} == rest


def test_which_platforms_the_binzhou_big_data_bureau_owns(answers):
    client, build, cypher_rows = answers
    agency = client.get(f"/api/agencies/{quote('agency:滨州市大数据局', safe='')}").json()
    rest = {("滨州市大数据局", o["name"]) for o in agency["platforms_owned"]}
    assert ("滨州市大数据局", "滨州市政务云") in rest and ("滨州市大数据局", "爱山东滨州分厅") in rest
    assert ("滨州市大数据局", "山东通") not in rest  # used, not built
    assert {x for x in _sparql(build) if x[0] == "滨州市大数据局"} == rest
    assert {x for x in _cypher(cypher_rows) if x[0] == "滨州市大数据局"} == rest


def test_every_ownership_row_agrees(answers):
    client, build, cypher_rows = answers
    assert _sparql(build) == _cypher(cypher_rows)
    assert len(_sparql(build)) == sum(1 for e in build.graph().edges.values() if e.type == "OWNS")
