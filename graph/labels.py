"""Rule-made descriptions of a document's nodes: agency function/level/jurisdiction and English names.

Runs on each document's facts as they are extracted (so the stored facts, the RDF store and the
Neo4j projection all carry the same props):
  Agency (not collective)  function, level, jurisdiction, name_en   (graph/agency_functions.py)
  Region                   name_en                                    (Binzhou, Shandong Province)
  Platform                 name_en                                    (Ai Shandong app)
  Plan                     name_en                                    (Key Tasks for Building a Digital City in 2023)
A prop the extraction already set is kept.
"""
from __future__ import annotations

from ..ontology.vocab import NodeType
from .agency_functions import profile
from .english import plan_title_en, platform_en, region_en
from .model import DocumentFacts, Node, is_collective


def describe_node(node: Node) -> None:
    props = node.props
    if node.type == NodeType.Agency and not is_collective(node):
        found = profile(node.name, tuple(props.get("aliases") or ()))
        for key, value in (("function", found.function), ("level", found.level),
                           ("jurisdiction", found.jurisdiction), ("name_en", found.name_en)):
            if props.get(key) in (None, ""):
                props[key] = value
    elif node.type == NodeType.Region:
        props.setdefault("name_en", region_en(node.name, props.get("level")))
    elif node.type == NodeType.Platform:
        props.setdefault("name_en", platform_en(node.name, props.get("kind")))
    elif node.type == NodeType.Plan:
        props.setdefault("name_en", plan_title_en(str(props.get("title") or node.name), props.get("jurisdiction")))


def describe(facts: DocumentFacts) -> DocumentFacts:
    for node in facts.nodes:
        describe_node(node)
    return facts
