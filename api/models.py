"""The response (and request) models of the REST API under /api (api/rest.py): what each endpoint
answers, as pydantic models, with the examples the OpenAPI document shows."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..ontology.vocab import NodeType, Rel


def _examples(*examples: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class ErrorResponse(BaseModel):
    model_config = _examples({"error": "unknown agency: agency:不存在"})
    error: str


class NodeRef(BaseModel):
    model_config = _examples({"id": "agency:滨州市大数据局", "type": NodeType.Agency, "name": "滨州市大数据局"})
    id: str
    type: str | None = None
    name: str


class EvidenceSpan(BaseModel):
    model_config = _examples({"document": "002_0caad2ac46645fdc.txt", "start": 1234, "end": 1239,
                              "text": "市大数据局"})
    document: str
    start: int
    end: int
    text: str


class Page(BaseModel):
    total: int = Field(description="items matching, before limit/offset")
    limit: int
    offset: int


class SearchHit(BaseModel):
    model_config = _examples({"id": "platform:爱山东", "type": NodeType.Platform, "name": "爱山东", "score": 105,
                              "matched": "name", "snippet": None, "evidence": None})
    id: str
    type: str
    name: str
    score: int
    matched: str = Field(description="name, alias, text, pinyin, fuzzy (one character off) or news")
    snippet: str | None = None
    evidence: EvidenceSpan | None = Field(None, description="for a news hit: the sentence that holds the query")


class SearchPage(Page):
    model_config = _examples({"total": 1, "limit": 20, "offset": 0, "items": [
        {"id": "platform:爱山东", "type": NodeType.Platform, "name": "爱山东", "score": 105, "matched": "name",
         "snippet": None, "evidence": None}], "counts": {NodeType.Platform: 1}})
    items: list[SearchHit]
    counts: dict[str, int] = Field(description="hits of each type, before limit/offset")


class AgencyRow(BaseModel):
    model_config = _examples({"id": "agency:滨州市大数据局", "name": "滨州市大数据局", "jurisdiction": "滨州市",
                              "kind": "bureau", "collective": False, "measures_led": 16, "platforms_owned": 9})
    id: str
    name: str
    jurisdiction: str | None = None
    kind: str | None = None
    collective: bool
    measures_led: int
    platforms_owned: int


class AgencyPage(Page):
    items: list[AgencyRow]


class MeasureSummary(BaseModel):
    model_config = _examples({"id": "measure:002_0caad2ac46645fdc.txt#2", "number": "2",
                              "text": "推进“爱山东”移动政务服务平台滨州分厅建设……", "document": "002_0caad2ac46645fdc.txt",
                              "plan": {"id": "plan:滨州市:数字强市建设2023年工作要点", "type": NodeType.Plan,
                                       "name": "数字强市建设2023年工作要点"},
                              "leads": [{"id": "agency:滨州市大数据局", "type": NodeType.Agency, "name": "滨州市大数据局"}],
                              "responsible": []})
    id: str
    number: Any = None
    text: str | None = None
    document: str | None = None
    plan: NodeRef | None = None
    leads: list[NodeRef]
    responsible: list[NodeRef]


class MeasurePage(Page):
    items: list[MeasureSummary]


class Ownership(BaseModel):
    model_config = _examples({"id": "agency:滨州市大数据局", "type": NodeType.Agency, "name": "滨州市大数据局",
                              "basis": "measure_subject", "bases": ["measure_subject"],
                              "confidence": 0.75, "measures": ["measure:002_0caad2ac46645fdc.txt#2"],
                              "documents": ["002_0caad2ac46645fdc.txt"], "years": [2023], "support": 1,
                              "evidence": [{"document": "002_0caad2ac46645fdc.txt", "start": 10, "end": 15,
                                            "text": "市大数据局"}], "evidence_total": 1})
    id: str
    type: str | None = None
    name: str
    basis: str | None = None
    bases: list[str]
    confidence: float | None = None
    measures: list[str]
    documents: list[str] = Field(default_factory=list, description="the documents that support it")
    years: list[int] = Field(default_factory=list, description="the years of those documents")
    support: int = Field(0, description="how many documents support it")
    evidence: list[EvidenceSpan] = Field(description="the first spans the ownership rests on")
    evidence_total: int = Field(description="all spans; GET /api/edge?id=<agency>|OWNS|<platform> lists them")


class AgencyDetail(BaseModel):
    model_config = _examples({"id": "agency:滨州市大数据局", "type": NodeType.Agency, "name": "滨州市大数据局",
                              "props": {"jurisdiction": "滨州市"}, "jurisdiction": "滨州市", "collective": False,
                              "aliases": [], "regions": [],
                              "measures_led": {"total": 0, "limit": 200, "offset": 0, "items": []},
                              "measures_responsible": {"total": 0, "limit": 200, "offset": 0, "items": []},
                              "platforms_owned": [], "plans_issued": []})
    id: str
    type: str
    name: str
    props: dict[str, Any]
    jurisdiction: str | None = None
    collective: bool
    aliases: list[Any]
    regions: list[NodeRef]
    measures_led: MeasurePage
    measures_responsible: MeasurePage
    platforms_owned: list[Ownership]
    platforms_mentioned: list[NodeRef] = Field(default_factory=list,
                                           description="platforms its measures name that it does not own")
    plans_issued: list[NodeRef]
    function: str | None = Field(None, description="notation of a concept of ontology/agency_functions.ttl")
    function_label: dict[str, str] | None = Field(None, description="the function's labels: zh, en")
    level: str | None = Field(None, description="national, province, prefecture or county")
    name_en: str | None = None
    name_zh: str | None = Field(None, description="with ?lang=en: the Chinese name (name is then English)")
    counterparts: list[dict[str, Any]] = Field(default_factory=list,
                                               description="COUNTERPART_OF: the same function one level up or down")


class PlatformRow(BaseModel):
    model_config = _examples({"id": "platform:爱山东", "name": "爱山东", "kind": "app", "aliases": ["爱山东APP"],
                              "owners": [{"id": "agency:山东省大数据局", "type": NodeType.Agency, "name": "山东省大数据局"}],
                              "measures": 3, "plans": 2, "first_year": 2022, "last_year": 2023})
    id: str
    name: str
    kind: str | None = None
    aliases: list[Any]
    owners: list[NodeRef]
    measures: int
    plans: int
    first_year: int | None = None
    last_year: int | None = None


class PlatformPage(Page):
    items: list[PlatformRow]


class PlatformLink(NodeRef):
    evidence: list[EvidenceSpan]


class BranchLink(PlatformLink):
    owners: list[Ownership]


class PlanYear(NodeRef):
    year: int | None = None
    via_branch: bool = Field(False, description="the plan names a branch of this platform, not the platform")
    jurisdiction: str | None = None


class PlatformDetail(BaseModel):
    model_config = _examples({"id": "platform:爱山东", "type": NodeType.Platform, "name": "爱山东", "props": {"kind": "app"},
                              "aliases": ["爱山东APP"], "owners": [], "parents": [], "branches": [],
                              "measures": {"total": 0, "limit": 200, "offset": 0, "items": []}, "plans": [],
                              "documents": [], "first_year": 2022, "last_year": 2023})
    id: str
    type: str
    name: str
    props: dict[str, Any]
    aliases: list[Any]
    owners: list[Ownership]
    parents: list[PlatformLink]
    branches: list[BranchLink]
    measures: MeasurePage
    plans: list[PlanYear]
    documents: list[NodeRef]
    first_year: int | None = None
    last_year: int | None = None


class PlanRow(BaseModel):
    model_config = _examples({"id": "plan:滨州市:数字强市建设2023年工作要点", "name": "数字强市建设2023年工作要点",
                              "title": "数字强市建设2023年工作要点", "jurisdiction": "滨州市", "year": 2023,
                              "issued": "2023-07-28", "doc_number": "滨政办发〔2023〕7号",
                              "document": "002_0caad2ac46645fdc.txt", "measures": 38})
    id: str
    name: str
    title: str | None = None
    jurisdiction: str | None = None
    year: int | None = None
    issued: Any = None
    doc_number: str | None = None
    document: str | None = None
    measures: int
    reports: int = Field(0, description="news reports on the plan (REPORTS_ON)")


class PlanPage(Page):
    items: list[PlanRow]


class TargetRow(BaseModel):
    model_config = _examples({"id": "target:002_0caad2ac46645fdc.txt#2.1", "name": "新增“掌上办”事项500项",
                              "value": 500, "unit": "项", "indicator": "新增“掌上办”事项", "qualifier": None,
                              "kind": None, "year": 2023, "jurisdiction": "滨州市",
                              "document": "002_0caad2ac46645fdc.txt", "measure": None, "plan": None,
                              "evidence": []})
    id: str
    name: str
    value: Any = None
    unit: str | None = None
    indicator: str | None = None
    qualifier: Any = None
    kind: Any = None
    year: Any = None
    jurisdiction: str | None = None
    document: str | None = None
    measure: NodeRef | None = None
    plan: NodeRef | None = None
    evidence: list[EvidenceSpan]


class TargetPage(Page):
    items: list[TargetRow]


class MeasureFull(MeasureSummary):
    seq: Any = None
    platforms: list[NodeRef]
    initiatives: list[NodeRef]
    targets: list[TargetRow]


class SectionView(BaseModel):
    id: str
    number: Any = None
    title: str | None = None
    level: Any = None
    measures: list[MeasureFull]


class JurisdictionRegion(BaseModel):
    """A plan's jurisdiction: its level (province | city | county) and GB/T 2260 division code."""
    id: str
    name: str
    level: str | None = None
    code: str | None = None
    parent: str | None = None


class PlanDetail(PlanRow):
    model_config = _examples({"id": "plan:滨州市:数字强市建设2023年工作要点", "name": "数字强市建设2023年工作要点",
                              "title": "数字强市建设2023年工作要点", "jurisdiction": "滨州市", "year": 2023,
                              "issued": "2023-07-28", "doc_number": "滨政办发〔2023〕7号",
                              "document": "002_0caad2ac46645fdc.txt", "measures": 0, "props": {},
                              "issued_by": [], "implements": [], "implemented_by": [], "regions": [],
                              "jurisdiction_region": {"id": "region:滨州市", "name": "滨州市", "level": "city",
                                                      "code": "371600", "parent": "山东省"},
                              "sections": [], "unsectioned_measures": [], "targets": []})
    props: dict[str, Any]
    issued_by: list[NodeRef]
    implements: list[NodeRef]
    implemented_by: list[NodeRef]
    regions: list[NodeRef]
    jurisdiction_region: JurisdictionRegion | None = None
    sections: list[SectionView]
    unsectioned_measures: list[MeasureFull]
    targets: list[TargetRow]


class DocumentRow(BaseModel):
    model_config = _examples({"id": "doc:002_0caad2ac46645fdc.txt", "document": "002_0caad2ac46645fdc.txt",
                              "title": "数字强市建设2023年工作要点", "genre": "plan", "format": "txt", "plan": None,
                              "facts": 412})
    id: str
    document: str
    title: str | None = None
    genre: str | None = None
    format: str | None = None
    plan: NodeRef | None = None
    facts: int


class DocumentPage(Page):
    items: list[DocumentRow]


class Span(BaseModel):
    start: int
    end: int
    text: str


class DocumentFact(BaseModel):
    edge: str = Field(description="edge id: source|TYPE|target")
    type: str
    source: NodeRef
    target: NodeRef
    derived: bool
    spans: list[Span]


class DocumentDetail(BaseModel):
    model_config = _examples({"id": "doc:002_0caad2ac46645fdc.txt", "document": "002_0caad2ac46645fdc.txt",
                              "title": None, "genre": "plan", "format": "txt", "plan": None, "length": 5,
                              "text": "原始全文……", "facts": [{"edge": "agency:滨州市大数据局|LEADS|measure:002_0caad2ac46645fdc.txt#2",
                                                          "type": Rel.LEADS,
                                                          "source": {"id": "agency:滨州市大数据局", "type": NodeType.Agency,
                                                                     "name": "滨州市大数据局"},
                                                          "target": {"id": "measure:002_0caad2ac46645fdc.txt#2",
                                                                     "type": NodeType.Measure, "name": "2"},
                                                          "derived": False,
                                                          "spans": [{"start": 0, "end": 5, "text": "市大数据局"}]}]})
    id: str
    document: str
    title: str | None = None
    genre: str | None = None
    format: str | None = None
    plan: NodeRef | None = None
    length: int
    text: str = Field(description="the original text that evidence offsets index")
    facts: list[DocumentFact]


class GraphNode(BaseModel):
    model_config = _examples({"id": "platform:爱山东", "type": NodeType.Platform, "name": "爱山东", "props": {"kind": "app"}})
    id: str
    type: str
    name: str
    props: dict[str, Any]


class GraphEdge(BaseModel):
    model_config = _examples({"id": "agency:山东省大数据局|OWNS|platform:爱山东", "source": "agency:山东省大数据局",
                              "target": "platform:爱山东", "type": Rel.OWNS,
                              "props": {"basis": "measure_subject", "confidence": 0.75}, "evidence": [],
                              "evidence_total": 0})
    id: str
    source: str
    target: str
    type: str
    props: dict[str, Any]
    evidence: list[EvidenceSpan] = Field(description="in graph views only the first 3 spans")
    evidence_total: int


class Neighborhood(BaseModel):
    model_config = _examples({"center": "platform:爱山东", "depth": 1, "nodes": [], "edges": [], "truncated": False,
                              "edges_truncated": False})
    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="true when the node limit cut the neighbourhood")
    edges_truncated: bool = Field(False, description="true when max_edges cut the edges among the nodes")


class SubgraphRequest(BaseModel):
    model_config = _examples({"values": ["platform:爱山东", "https://example.org/id/agency%3A山东省大数据局"]})
    values: list[str] = Field(max_length=500, description="node ids or IRIs ending in one (from query results)")


class Subgraph(BaseModel):
    resolved: dict[str, str] = Field(description="value -> node id, for the values that name a node")
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    edges_truncated: bool = False


class NodeDetail(GraphNode):
    documents: list[str]
    edge_counts: dict[str, int]


class EdgeDetail(GraphEdge):
    source_node: NodeRef
    target_node: NodeRef


class Meta(BaseModel):
    model_config = _examples({"build": "20240101T000000-1-000001", "documents": 5,
                              "node_types": {NodeType.Agency: 120}, "edge_types": {Rel.LEADS: 300}})
    build: str
    documents: int
    node_types: dict[str, int]
    edge_types: dict[str, int]


# -- GET /api/vocab (api/vocab.py) ------------------------------------------------------------------

class TypeEntry(BaseModel):
    type: str
    iri: str
    label_zh: str
    label_en: str
    label: str
    color: str
    shape: str | None = None


class NodeStyle(BaseModel):
    color: str
    shape: str


class Vocab(BaseModel):
    node_types: list[TypeEntry]
    edge_types: list[TypeEntry]
    default_node: NodeStyle
    default_edge_color: str


# -- GET /api/build/problems (api/problems.py) -------------------------------------------------------

class ProblemDocument(BaseModel):
    document: str
    status: str
    reason: str | None = None
    format: str | None = None
    encoding: str | None = None


class BuildProblems(BaseModel):
    build: str
    documents: int
    failed: list[ProblemDocument]
    duplicates: list[ProblemDocument]


# -- POST /cypher (api/cypher.py) -----------------------------------------------------------------------

class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=100_000, examples=[
        "MATCH (a:Agency)-[r:LEADS]->(m:Measure) RETURN a.name, m.text LIMIT 10"])
    parameters: dict[str, Any] = Field(default_factory=dict)
