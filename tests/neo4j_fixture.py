"""Fixture builds and a shared Bolt server for the Neo4j loader and /cypher tests.

    from neo4j_fixture import write_build, graph_db

`documents(variant)` are three hand-written documents covering every node type and every edge
type: a provincial plan (山东), a city plan that IMPLEMENTS it (滨州) and a news report. The agency
山东省大数据局 and the platform 爱山东 are named by all three. Derived (corpus-level) edges OWNS,
SIMILAR_TO and DERIVED_FROM are written to derived.jsonl. Variants of the city plan:
  0  as described;
  1  measure 1 reworded, its LEADS by 山东省大数据局 dropped, a new platform 城市大脑 mentioned;
  None  the city plan is not in the build.

The server: `bolt_server()` starts ONE ArcadeDB Bolt server (graph.boltserver) per test session
and stops it at the end; with NEO4J_URI set the tests use that server instead. `graph_db(name)`
gives a fresh database on it (ArcadeDB creates one in ~50 ms; on a Neo4j without CREATE DATABASE
the configured database is wiped instead).
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from govkg.graph.model import DocumentFacts, Edge, Evidence, Node
from govkg.graph.store import Build, BuildWriter, DocumentStatus

PROV = "shandong/prov_plan.txt"
CITY = "binzhou/city_plan.txt"
NEWS = "news/report.txt"

PROV_PLAN = "plan:山东省:数字强省建设2023年工作要点"
CITY_PLAN = "plan:滨州市:数字强市建设2023年工作要点"
BIG_DATA = "agency:山东省大数据局"
AISHANDONG = "platform:爱山东"

PROV_TEXT = """山东省人民政府办公厅关于印发数字强省建设2023年工作要点的通知
鲁政办字〔2023〕7号
一、完善整体高效的数字政府
1.塑强“爱山东”政务服务品牌，推进“一网通办”。（牵头单位：省大数据局；责任单位：省直有关部门）
2.加强电子证照应用，到2025年电子证照共享率达到90%。（牵头单位：省公安厅、省大数据局）
二、夯实数字基础设施
3.建设全省一体化大数据平台，2024年数据共享率达到80%。（牵头单位：省大数据局）
"""

CITY_TEXT_0 = """滨州市人民政府办公室关于印发数字强市建设2023年工作要点的通知
为贯彻落实《数字强省建设2023年工作要点》，制定本要点。
一、完善数字政府
1.推进“爱山东”滨州分厅建设，增加“掌上办”事项500项。（牵头单位：市大数据局、省大数据局）
2.加强电子证照应用，到2025年电子证照共享率达到95%。（牵头单位：市公安局；责任单位：市大数据局）
"""

CITY_TEXT_1 = """滨州市人民政府办公室关于印发数字强市建设2023年工作要点的通知
为贯彻落实《数字强省建设2023年工作要点》，制定本要点。
一、完善数字政府
1.推进“爱山东”滨州分厅和城市大脑建设，增加“掌上办”事项600项。（牵头单位：市大数据局）
2.加强电子证照应用，到2025年电子证照共享率达到95%。（牵头单位：市公安局；责任单位：市大数据局）
"""

NEWS_TEXT = """一周大数据：“爱山东”注册用户突破1亿
记者从山东省大数据局获悉，“爱山东”持续推进“一网通办”，落实数字强省建设2023年工作要点。
"""


def ev(document: str, text: str, needle: str, nth: int = 0, after: str | None = None) -> list[Evidence]:
    at = text.index(after) if after else 0
    at = text.index(needle, at)
    for _ in range(nth):
        at = text.index(needle, at + 1)
    span = Evidence(document, at, at + len(needle), needle)
    assert text[span.start:span.end] == span.text
    return [span]


def _prov() -> DocumentFacts:
    d, t = PROV, PROV_TEXT

    def e(needle, nth=0, after=None):
        return ev(d, t, needle, nth, after)

    m = [f"measure:{d}#{i}" for i in (1, 2, 3)]
    s = [f"section:{d}#{i}" for i in (1, 2)]
    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "encoding": "utf-8", "genre": "plan",
                                         "title": "数字强省建设2023年工作要点"}),
        Node(PROV_PLAN, "Plan", "数字强省建设2023年工作要点",
             {"document": d, "title": "数字强省建设2023年工作要点", "doc_number": "鲁政办字〔2023〕7号",
              "issued": "2023-03-01", "jurisdiction": "山东省", "year": 2023}),
        Node(s[0], "Section", "完善整体高效的数字政府", {"document": d, "number": "一", "title": "完善整体高效的数字政府", "level": 1}),
        Node(s[1], "Section", "夯实数字基础设施", {"document": d, "number": "二", "title": "夯实数字基础设施", "level": 1}),
        Node(m[0], "Measure", "1", {"document": d, "number": "1", "seq": 1, "section": s[0],
                                    "text": "塑强“爱山东”政务服务品牌，推进“一网通办”。"}),
        Node(m[1], "Measure", "2", {"document": d, "number": "2", "seq": 2, "section": s[0],
                                    "text": "加强电子证照应用，到2025年电子证照共享率达到90%。"}),
        Node(m[2], "Measure", "3", {"document": d, "number": "3", "seq": 3, "section": s[1],
                                    "text": "建设全省一体化大数据平台，2024年数据共享率达到80%。",
                                    "flags": [1, "mixed"]}),  # a mixed list: stored as JSON text
        Node("agency:山东省人民政府办公厅", "Agency", "山东省人民政府办公厅",
             {"jurisdiction": "山东省", "collective": False, "kind": "office"}),
        Node(BIG_DATA, "Agency", "山东省大数据局",
             {"jurisdiction": "山东省", "collective": False, "kind": "bureau", "aliases": ["省大数据局"]}),
        Node("agency:山东省公安厅", "Agency", "山东省公安厅", {"jurisdiction": "山东省", "collective": False}),
        Node("agency:山东省直有关部门", "Agency", "山东省直有关部门", {"jurisdiction": "山东省", "collective": True}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP"]}),
        Node("platform:山东省一体化大数据平台", "Platform", "山东省一体化大数据平台", {"kind": "data", "aliases": []}),
        Node("initiative:一网通办", "Initiative", "一网通办", {"kind": "reform", "aliases": []}),
        Node(f"target:{d}#2.1", "Target", "电子证照共享率达到90%",
             {"value": 90, "unit": "%", "indicator": "电子证照共享率", "qualifier": "达到", "kind": "rate",
              "year": 2025, "jurisdiction": "山东省", "document": d, "range": {"min": 90, "max": 100}}),
        Node(f"target:{d}#3.1", "Target", "数据共享率达到80%",
             {"value": 80, "unit": "%", "indicator": "数据共享率", "qualifier": "达到", "kind": "rate",
              "year": 2024, "jurisdiction": "山东省", "document": d}),
        Node("region:山东省", "Region", "山东省", {"level": "province"}),
        Node("domain:数字政府", "Domain", "数字政府", {}),
    ]
    edges = [
        Edge(PROV_PLAN, f"doc:{d}", "PUBLISHED_IN", {}, e("数字强省建设2023年工作要点")),
        Edge(PROV_PLAN, "agency:山东省人民政府办公厅", "ISSUED_BY", {}, e("山东省人民政府办公厅")),
        Edge(PROV_PLAN, "region:山东省", "IN_REGION", {}, e("山东省")),
        Edge(BIG_DATA, "region:山东省", "IN_REGION", {}, e("省大数据局")),
        Edge(s[0], PROV_PLAN, "PART_OF", {}, e("一、完善整体高效的数字政府")),
        Edge(s[1], PROV_PLAN, "PART_OF", {}, e("二、夯实数字基础设施")),
        Edge(BIG_DATA, m[0], "LEADS", {"role": "牵头"}, e("省大数据局", 0)),
        Edge("agency:山东省直有关部门", m[0], "RESPONSIBLE_FOR", {}, e("省直有关部门")),
        Edge("agency:山东省公安厅", m[1], "LEADS", {}, e("省公安厅")),
        Edge(BIG_DATA, m[1], "LEADS", {}, e("省大数据局", 1)),
        Edge(BIG_DATA, m[2], "LEADS", {}, e("省大数据局", 2)),
        Edge(m[0], AISHANDONG, "MENTIONS", {}, e("“爱山东”")),
        Edge(m[0], "initiative:一网通办", "MENTIONS", {}, e("一网通办")),
        Edge(m[2], "platform:山东省一体化大数据平台", "MENTIONS", {}, e("全省一体化大数据平台")),
        Edge(m[1], f"target:{d}#2.1", "SETS_TARGET", {}, e("电子证照共享率达到90%")),
        Edge(PROV_PLAN, f"target:{d}#3.1", "SETS_TARGET", {}, e("数据共享率达到80%")),
        Edge(f"doc:{d}", AISHANDONG, "MENTIONS", {}, e("爱山东")),
        Edge(f"doc:{d}", BIG_DATA, "MENTIONS", {}, e("省大数据局")),
        Edge(f"doc:{d}", "initiative:一网通办", "MENTIONS", {}, e("一网通办")),
    ]
    for i, sec in ((0, s[0]), (1, s[0]), (2, s[1])):
        edges.append(Edge(m[i], PROV_PLAN, "PART_OF", {}, e(f"{i + 1}.")))
        edges.append(Edge(m[i], sec, "IN_SECTION", {}, e(f"{i + 1}.")))
    return DocumentFacts(d, nodes, edges)


def _city(variant: int) -> DocumentFacts:
    d = CITY
    t = CITY_TEXT_0 if variant == 0 else CITY_TEXT_1

    def e(needle, nth=0, after=None):
        return ev(d, t, needle, nth, after)

    m = [f"measure:{d}#{i}" for i in (1, 2)]
    sec = f"section:{d}#1"
    text1 = ("推进“爱山东”滨州分厅建设，增加“掌上办”事项500项。" if variant == 0
             else "推进“爱山东”滨州分厅和城市大脑建设，增加“掌上办”事项600项。")
    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "encoding": "utf-8", "genre": "plan",
                                         "title": "数字强市建设2023年工作要点"}),
        Node(CITY_PLAN, "Plan", "数字强市建设2023年工作要点",
             {"document": d, "title": "数字强市建设2023年工作要点", "jurisdiction": "滨州市", "year": 2023}),
        # the provincial plan it implements, as the city plan names it (props merge with the province's)
        Node(PROV_PLAN, "Plan", "数字强省建设2023年工作要点", {"title": "数字强省建设2023年工作要点"}),
        Node(sec, "Section", "完善数字政府", {"document": d, "number": "一", "title": "完善数字政府", "level": 1}),
        Node(m[0], "Measure", "1", {"document": d, "number": "1", "seq": 1, "section": sec, "text": text1}),
        Node(m[1], "Measure", "2", {"document": d, "number": "2", "seq": 2, "section": sec,
                                    "text": "加强电子证照应用，到2025年电子证照共享率达到95%。"}),
        Node("agency:滨州市人民政府办公室", "Agency", "滨州市人民政府办公室", {"jurisdiction": "滨州市", "collective": False}),
        Node("agency:滨州市大数据局", "Agency", "滨州市大数据局",
             {"jurisdiction": "滨州市", "collective": False, "aliases": ["市大数据局"]}),
        Node("agency:滨州市公安局", "Agency", "滨州市公安局", {"jurisdiction": "滨州市", "collective": False}),
        Node(BIG_DATA, "Agency", "山东省大数据局",
             {"jurisdiction": "山东省", "collective": False, "aliases": ["山东大数据局"]}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app", "aliases": ["爱山东APP", "爱山东政务服务平台"]}),
        Node("platform:爱山东滨州分厅", "Platform", "爱山东滨州分厅", {"kind": "app", "jurisdiction": "滨州市", "aliases": ["“爱山东”滨州分厅"]}),
        Node(f"target:{d}#2.1", "Target", "电子证照共享率达到95%",
             {"value": 95, "unit": "%", "indicator": "电子证照共享率", "qualifier": "达到", "year": 2025,
              "jurisdiction": "滨州市", "document": d}),
        Node(f"target:{d}#1.1", "Target", "增加“掌上办”事项500项" if variant == 0 else "增加“掌上办”事项600项",
             {"value": 500 if variant == 0 else 600, "unit": "项", "indicator": "新增“掌上办”事项",
              "year": 2023, "jurisdiction": "滨州市", "document": d}),
        Node("region:滨州市", "Region", "滨州市", {"level": "city"}),
    ]
    edges = [
        Edge(CITY_PLAN, f"doc:{d}", "PUBLISHED_IN", {}, e("数字强市建设2023年工作要点")),
        Edge(CITY_PLAN, "agency:滨州市人民政府办公室", "ISSUED_BY", {}, e("滨州市人民政府办公室")),
        Edge(CITY_PLAN, PROV_PLAN, "IMPLEMENTS", {}, e("为贯彻落实《数字强省建设2023年工作要点》")),
        Edge(CITY_PLAN, "region:滨州市", "IN_REGION", {}, e("滨州市")),
        Edge(sec, CITY_PLAN, "PART_OF", {}, e("一、完善数字政府")),
        Edge("agency:滨州市大数据局", m[0], "LEADS", {}, e("市大数据局", after="牵头单位")),
        Edge("agency:滨州市公安局", m[1], "LEADS", {}, e("市公安局")),
        Edge("agency:滨州市大数据局", m[1], "RESPONSIBLE_FOR", {}, e("市大数据局", after="2.")),
        Edge(m[0], "platform:爱山东滨州分厅", "MENTIONS", {}, e("“爱山东”滨州分厅")),
        Edge(m[0], AISHANDONG, "MENTIONS", {}, e("爱山东")),
        Edge("platform:爱山东滨州分厅", AISHANDONG, "BRANCH_OF", {}, e("“爱山东”滨州分厅")),
        Edge(m[1], f"target:{d}#2.1", "SETS_TARGET", {}, e("电子证照共享率达到95%")),
        Edge(m[0], f"target:{d}#1.1", "SETS_TARGET", {},
             e("增加“掌上办”事项500项" if variant == 0 else "增加“掌上办”事项600项")),
    ]
    if variant == 0:
        edges.append(Edge(BIG_DATA, m[0], "LEADS", {}, e("省大数据局", after="牵头单位")))
    else:
        nodes.append(Node("platform:城市大脑", "Platform", "城市大脑", {"kind": "system", "aliases": []}))
        edges.append(Edge(m[0], "platform:城市大脑", "MENTIONS", {}, e("城市大脑")))
    for i in (0, 1):
        edges.append(Edge(m[i], CITY_PLAN, "PART_OF", {}, e(f"{i + 1}.", after="一、")))
        edges.append(Edge(m[i], sec, "IN_SECTION", {}, e(f"{i + 1}.", after="一、")))
    return DocumentFacts(d, nodes, edges)


def _news() -> DocumentFacts:
    d, t = NEWS, NEWS_TEXT

    def e(needle, nth=0, after=None):
        return ev(d, t, needle, nth, after)

    nodes = [
        Node(f"doc:{d}", "Document", d, {"file": d, "format": "txt", "genre": "news",
                                         "title": "一周大数据：“爱山东”注册用户突破1亿"}),
        Node(AISHANDONG, "Platform", "爱山东", {"kind": "app", "aliases": []}),
        Node(BIG_DATA, "Agency", "山东省大数据局", {"jurisdiction": "山东省", "collective": False}),
        Node("initiative:一网通办", "Initiative", "一网通办", {"kind": "reform"}),
    ]
    edges = [
        Edge(f"doc:{d}", AISHANDONG, "MENTIONS", {}, e("“爱山东”")),
        Edge(f"doc:{d}", BIG_DATA, "MENTIONS", {}, e("山东省大数据局")),
        Edge(f"doc:{d}", "initiative:一网通办", "MENTIONS", {}, e("一网通办")),
        # the provincial plan is not among this document's nodes: an edge to another document's node
        Edge(f"doc:{d}", PROV_PLAN, "REPORTS_ON", {}, e("数字强省建设2023年工作要点")),
    ]
    return DocumentFacts(d, nodes, edges)


def texts(variant: int | None = 0) -> dict[str, str]:
    out = {PROV: PROV_TEXT, NEWS: NEWS_TEXT}
    if variant is not None:
        out[CITY] = CITY_TEXT_0 if variant == 0 else CITY_TEXT_1
    return out


def documents(variant: int | None = 0) -> list[DocumentFacts]:
    docs = [_prov(), _news()]
    if variant is not None:
        docs.insert(1, _city(variant))
    return docs


def derived(variant: int | None = 0) -> list[Edge]:
    """Corpus-level edges, as graph/derive.py would write them (fixed here, not computed)."""
    out = [
        Edge(BIG_DATA, AISHANDONG, "OWNS",
             {"basis": "leads_measure_building", "bases": ["leads_measure_building", "leads_measure_mentioning"],
              "confidence": 0.75, "measures": [f"measure:{PROV}#1"]},
             ev(PROV, PROV_TEXT, "省大数据局")),
        Edge(BIG_DATA, "platform:山东省一体化大数据平台", "OWNS",
             {"basis": "leads_measure_building", "bases": ["leads_measure_building"], "confidence": 0.6,
              "measures": [f"measure:{PROV}#3"], "detail": {"verb": "建设"}},
             ev(PROV, PROV_TEXT, "建设全省一体化大数据平台")),
    ]
    if variant is not None:
        out.append(Edge(f"measure:{CITY}#2", f"measure:{PROV}#2", "SIMILAR_TO", {"score": 0.91}, []))
        out.append(Edge(f"measure:{CITY}#2", f"measure:{PROV}#2", "DERIVED_FROM", {"score": 0.91},
                        ev(CITY, texts(variant)[CITY], "加强电子证照应用")))
        out.append(Edge("agency:滨州市大数据局", "platform:爱山东滨州分厅", "OWNS",
                        {"basis": "leads_measure_building", "bases": ["leads_measure_building"], "confidence": 0.6,
                         "measures": [f"measure:{CITY}#1"]}, []))
    return out


def write_build(data_dir: Path, variant: int | None = 0, *, extra: list[tuple[DocumentFacts, str]] = ()) -> Build:
    """Write the fixture as a new current build of data_dir (variant: see the module docstring)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    writer = BuildWriter(data_dir)
    txt = texts(variant)
    for facts in documents(variant):
        writer.add(facts, txt[facts.document], DocumentStatus(facts.document, "ok", None, {}, "txt", "utf-8"))
    for facts, text in extra:
        writer.add(facts, text, DocumentStatus(facts.document, "ok", None, {}, "txt", "utf-8"))
    writer.write_derived(derived(variant))
    return writer.commit({"corpus": "tests/neo4j_fixture.py"})


def export_counts(build: Build) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per type and edges per type in the JSONL export records of the build."""
    nodes: dict[str, int] = {}
    edges: dict[str, int] = {}
    for record in build.graph().iter_records():
        bucket = nodes if record["kind"] == "node" else edges
        bucket[record["type"]] = bucket.get(record["type"], 0) + 1
    return nodes, edges


# ------------------------------------------------------------------------------------- the server

@dataclass
class GraphDB:
    uri: str
    auth: tuple[str, str]
    database: str
    driver: object
    server: object | None = None  # the BoltServer, when bundled

    def run(self, query: str, **params) -> list[dict]:
        with self.driver.session(database=self.database) as session:
            return session.run(query, **params).data()

    def scalar(self, query: str, **params):
        rows = self.run(query, **params)
        return next(iter(rows[0].values())) if rows else None


_SHARED: dict[str, object] = {}


def external_settings():
    from govkg.settings import Settings

    settings = Settings()
    return settings if settings.neo4j_uri else None


def bolt_server():
    """The session's bundled Bolt server (started on first use, stopped at exit)."""
    server = _SHARED.get("server")
    if server is None or not server.running():
        from govkg.graph.boltserver import QUICK_START_JVM, BoltServer

        root = Path(tempfile.mkdtemp(prefix="govkg-bolt-"))
        server = BoltServer(root / "arcadedb", database="govkg", command_timeout_s=5,
                            jvm_args=QUICK_START_JVM).start()
        _SHARED["server"] = server

        def stop(server=server, root=root):
            server.stop()
            shutil.rmtree(root, ignore_errors=True)

        atexit.register(stop)
    return server


def graph_db(prefix: str = "t") -> GraphDB:
    """A fresh, empty database (on NEO4J_URI when set, else on the shared bundled server)."""
    import neo4j

    settings = external_settings()
    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    if settings is not None:
        auth = (settings.neo4j_user, settings.neo4j_password or "")
        driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth)
        try:
            with driver.session(database="system") as session:
                session.run(f"CREATE DATABASE {name} IF NOT EXISTS WAIT").consume()
            database = name
        except Exception:  # Neo4j community: one database, wiped
            database = settings.neo4j_database
            with driver.session(database=database) as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS").consume()
        return GraphDB(settings.neo4j_uri, auth, database, driver)
    server = bolt_server()
    server.new_database(name)
    driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
    return GraphDB(server.uri, server.auth, name, driver, server)

