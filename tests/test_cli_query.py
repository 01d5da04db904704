"""`govkg query` (SPARQL over the build; --cypher over the database `govkg load` fills, here the bundled
Bolt server) and `govkg validate`, run as a user runs them."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOVKG = str(Path(sys.executable).parent / "govkg")
PLAN = """吉林省数字政府建设2023年工作要点
一、夯实平台支撑
1.强化政务云平台支撑能力。持续完善全省政务云。(责任部门:省政务服务和数字化建设管理局牵头,省直有关部门配合)
2.依托政务云,推动“吉事办”应用。(牵头单位:省公安厅)
"""
pytestmark = pytest.mark.timeout(600)


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run([GOVKG, *args], capture_output=True, text=True, env=env, check=check)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    (root / "corpus").mkdir()
    (root / "corpus" / "plan.txt").write_text(PLAN, encoding="utf-8")
    run("build", str(root / "corpus"), "--out", str(root / "data"))
    return root / "data"


def _owns(rows: list[dict], agency: str, platform: str) -> set[tuple[str, str]]:
    return {(r[agency], r[platform]) for r in rows if r["how"] == "OWNS"}


def test_query_a_bundled_sparql_file(data):
    rows = list(csv.DictReader(io.StringIO(run("query", str(data), "agency_platforms", "--format", "csv").stdout)))
    assert _owns(rows, "agencyName", "platformName") == {("吉林省政务服务和数字化建设管理局", "吉林省政务云")}
    bound = json.loads(run("query", str(data), "agency_platforms", "--bind", "agencyName=吉林省公安厅",
                           "--format", "json").stdout)
    assert {r["agencyName"] for r in bound} == {"吉林省公安厅"} and not _owns(bound, "agencyName", "platformName")


def test_query_errors_are_clear(data, tmp_path):
    missing = run("query", str(data), "no_such_query", check=False)
    assert missing.returncode == 2 and "no such query" in missing.stderr
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT WHERE {", encoding="utf-8")
    broken = run("query", str(data), str(bad), check=False)
    assert broken.returncode == 1 and "error" in broken.stderr


def test_query_cypher_after_load_gives_the_same_ownership(data):
    run("load", str(data))
    rows = json.loads(run("query", str(data), "agency_platforms.cypher", "--cypher", "--format", "json").stdout)
    sparql = json.loads(run("query", str(data), "agency_platforms", "--format", "json").stdout)
    assert _owns(rows, "agency", "platform") == _owns(sparql, "agencyName", "platformName")


def test_validate(data):
    done = run("validate", str(data))
    assert "conforms" in done.stdout


def test_the_base_iri_is_a_setting_passed_down(tmp_path):
    """GOVKG_BASE_IRI is read once, by govkg/settings.py; build, export and query get it from the CLI."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "plan.txt").write_text(PLAN, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")},
           "GOVKG_BASE_IRI": "http://kg.example.net/gov/"}

    def govkg(*args: str) -> str:
        return subprocess.run([GOVKG, *args], capture_output=True, text=True, env=env, check=True).stdout

    govkg("build", str(tmp_path / "corpus"), "--out", str(tmp_path / "data"))
    quads = govkg("export", str(tmp_path / "data"), "--format", "nq")
    assert "<http://kg.example.net/gov/agency/" in quads and "https://govkg.example.org/id/" not in quads
    rows = json.loads(govkg("query", str(tmp_path / "data"), "agency_platforms", "--format", "json"))
    assert {r["platform"].rsplit("/", 1)[0] for r in rows} == {"http://kg.example.net/gov/platform"}
    assert govkg("validate", str(tmp_path / "data")).strip()


def test_a_base_iri_that_is_not_an_iri_stops_the_build_before_anything_is_current(tmp_path):
    """The store's N-Quads are loaded without re-validating IRIs, so the base is checked up front."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "plan.txt").write_text(PLAN, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")},
           "GOVKG_BASE_IRI": "http://kg example.net/gov/"}
    done = subprocess.run([GOVKG, "build", str(tmp_path / "corpus"), "--out", str(tmp_path / "data")],
                          capture_output=True, text=True, env=env)
    assert done.returncode != 0
    assert "error: the RDF base IRI" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "current").exists()
