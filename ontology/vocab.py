"""The names of the ontology's node types and relations, as Python objects: one home for every name.

In the style of rdflib's DefinedNamespace (rdflib/namespace/_SKOS.py), one term per class and
relation of govkg.ttl, so that code writes `NodeType.Plan` and `Rel.LEADS` instead of the quoted
strings "Plan" and "LEADS". A term IS its string (`NodeType.Plan == "Plan"`, a plain `str`), so
Node.type and Edge.type, the JSONL export, Cypher labels and SPARQL text are unchanged; its IRI is
`iri(NodeType.Plan)` (govkg:Plan). tests/test_vocab.py checks the terms against govkg.ttl both ways
and that no quoted name is left in the code outside ontology/.

The explorer's labels and colours are here too (`explorer_vocab`, served as GET /api/vocab): the
labels are govkg.ttl's rdfs:label (@zh and @en), the colours and shapes only a matter of display.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from rdflib import URIRef
from rdflib.namespace import RDFS

from . import GOVKG, ontology_graph


class _Terms(type):
    """Metaclass of a term namespace: iterating the class gives its terms in declaration order."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict[str, Any]):
        terms = tuple(value for key, value in namespace.items() if not key.startswith("_") and isinstance(value, str))
        for key, value in namespace.items():
            if not key.startswith("_") and isinstance(value, str) and key != value:
                raise ValueError(f"{name}.{key} = {value!r}: a term is its own local name")
        namespace["_terms"] = terms
        return super().__new__(mcs, name, bases, namespace)

    def __iter__(cls) -> Iterator[str]:
        return iter(cls._terms)  # type: ignore[attr-defined]

    def __contains__(cls, name: object) -> bool:
        return name in cls._terms  # type: ignore[attr-defined]

    def __len__(cls) -> int:
        return len(cls._terms)  # type: ignore[attr-defined]


class NodeType(metaclass=_Terms):
    """The node types: the subclasses of govkg:Node (`Node.type`)."""

    Document: Final = "Document"  # 文档: a source file of the corpus (plan text or news report)
    Plan: Final = "Plan"  # 规划/政策文件: a policy document issued by a government body
    Section: Final = "Section"  # 章节: a numbered heading of a plan
    Measure: Final = "Measure"  # 任务措施: one numbered task or measure of a plan
    Agency: Final = "Agency"  # 机构: a government body or a collective of bodies
    Platform: Final = "Platform"  # 平台: one digital-government system, app or portal
    Initiative: Final = "Initiative"  # 工作品牌/专项行动: a named programme, campaign or brand of work
    Target: Final = "Target"  # 目标指标: a quantified goal
    Region: Final = "Region"  # 行政区划: an administrative region
    Domain: Final = "Domain"  # 领域: a policy domain


class Rel(metaclass=_Terms):
    """The relations (edge types): the subproperties of govkg:relation (`Edge.type`)."""

    PUBLISHED_IN: Final = "PUBLISHED_IN"  # 发布于: Plan -> Document
    REPORTS_ON: Final = "REPORTS_ON"  # 报道: Document -> Plan
    ISSUED_BY: Final = "ISSUED_BY"  # 印发机关: Plan -> Agency
    IMPLEMENTS: Final = "IMPLEMENTS"  # 贯彻落实: Plan -> Plan
    PART_OF: Final = "PART_OF"  # 属于: Section|Measure -> Plan|Section
    IN_SECTION: Final = "IN_SECTION"  # 所在章节: Measure -> Section
    LEADS: Final = "LEADS"  # 牵头: Agency -> Measure
    RESPONSIBLE_FOR: Final = "RESPONSIBLE_FOR"  # 负责/配合: Agency -> Measure
    MENTIONS: Final = "MENTIONS"  # 提及: Measure|Document -> Platform|Initiative|Agency|Target
    SETS_TARGET: Final = "SETS_TARGET"  # 设定目标: Measure|Plan -> Target
    BRANCH_OF: Final = "BRANCH_OF"  # 分支: Platform -> Platform
    IN_REGION: Final = "IN_REGION"  # 所属地区: Plan|Agency -> Region
    OWNS: Final = "OWNS"  # 建设运营: Agency -> Platform (derived)
    SIMILAR_TO: Final = "SIMILAR_TO"  # 相似: Measure -> Measure (derived)
    DERIVED_FROM: Final = "DERIVED_FROM"  # 承接: Measure -> Measure (derived)
    COUNTERPART_OF: Final = "COUNTERPART_OF"  # 上下级对口部门: Agency -> Agency (derived)


def iri(term: str) -> URIRef:
    """The IRI of a node type or relation (govkg:Plan, govkg:LEADS); ValueError for any other name."""
    if term not in NodeType and term not in Rel:
        raise ValueError(f"{term!r} is not a node type or relation of govkg.ttl")
    return GOVKG[term]


# -- display (the explorer) ------------------------------------------------------------------

# node types in the order of the explorer's legend, with the colour and Cytoscape shape they are drawn in
NODE_STYLE: Final[dict[str, dict[str, str]]] = {
    NodeType.Agency: {"color": "#d1495b", "shape": "round-rectangle"},
    NodeType.Platform: {"color": "#00798c", "shape": "hexagon"},
    NodeType.Plan: {"color": "#edae49", "shape": "rectangle"},
    NodeType.Measure: {"color": "#66a182", "shape": "ellipse"},
    NodeType.Section: {"color": "#8d96a3", "shape": "tag"},
    NodeType.Initiative: {"color": "#9b5de5", "shape": "diamond"},
    NodeType.Target: {"color": "#f15bb5", "shape": "triangle"},
    NodeType.Region: {"color": "#2e4057", "shape": "octagon"},
    NodeType.Document: {"color": "#6c757d", "shape": "rhomboid"},
    NodeType.Domain: {"color": "#3a86ff", "shape": "barrel"},
}
DEFAULT_NODE_STYLE: Final = {"color": "#999999", "shape": "star"}
EDGE_COLOR: Final[dict[str, str]] = {
    Rel.OWNS: "#c0392b", Rel.BRANCH_OF: "#00798c", Rel.LEADS: "#d1495b", Rel.RESPONSIBLE_FOR: "#e8a0a8",
    Rel.MENTIONS: "#9aa5b1", Rel.PART_OF: "#c5a05a", Rel.IN_SECTION: "#b8bec6", Rel.ISSUED_BY: "#8e5c9e",
    Rel.SETS_TARGET: "#f15bb5", Rel.IN_REGION: "#2e4057", Rel.PUBLISHED_IN: "#7b8794", Rel.REPORTS_ON: "#7b8794",
    Rel.IMPLEMENTS: "#edae49", Rel.SIMILAR_TO: "#3d9970", Rel.DERIVED_FROM: "#3d9970", Rel.COUNTERPART_OF: "#6a4c93",
}
DEFAULT_EDGE_COLOR: Final = "#9aa5b1"


def labels(term: str) -> dict[str, str]:
    """govkg.ttl's rdfs:label of a node type or relation, by language: {"zh": "机构", "en": "Agency"}."""
    found: dict[str, str] = {}
    for label in ontology_graph().objects(iri(term), RDFS.label):
        lang = getattr(label, "language", None)
        if lang and lang not in found:
            found[lang] = str(label)
    return found


def _entry(term: str, **style: str) -> dict[str, str]:
    names = labels(term)
    zh, en = names.get("zh", ""), names.get("en", term)
    return {"type": term, "iri": str(iri(term)), "label_zh": zh, "label_en": en,
            "label": f"{zh} {en}".strip(), **style}


def explorer_vocab() -> dict[str, Any]:
    """What the explorer draws types with: every node type (legend order) and relation, its labels from
    govkg.ttl ("label" is the bilingual "机构 Agency" the page shows) and its colour."""
    return {"node_types": [_entry(t, **NODE_STYLE[t]) for t in NODE_STYLE],
            "edge_types": [_entry(t, color=EDGE_COLOR[t]) for t in EDGE_COLOR],
            "default_node": dict(DEFAULT_NODE_STYLE), "default_edge_color": DEFAULT_EDGE_COLOR}


__all__ = ["NodeType", "Rel", "iri", "labels", "explorer_vocab", "NODE_STYLE", "EDGE_COLOR",
           "DEFAULT_NODE_STYLE", "DEFAULT_EDGE_COLOR"]
