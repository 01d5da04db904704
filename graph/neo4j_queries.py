"""The Cypher text of the property-graph projection: the schema, the batch MERGE / refresh /
delete statements of the loader (graph/neo4j_writer.py) and its bookkeeping queries.

Labels and relationship types come from the ontology (`NODE_TYPES`, `RELATIONS`) and are checked
before they are put into a statement (`label`, `rel_type`).

The statements keep to the Cypher that Neo4j 5 and ArcadeDB both run (MERGE on a unique `id`,
`SET n = map`, list comprehensions, `CREATE CONSTRAINT ... IF NOT EXISTS`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..ontology import NODE_TYPES, RELATIONS

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ---------------------------------------------------------------------------------- names & values

def label(name: str) -> str:
    """A node label from the ontology, quoted for a statement; ValueError otherwise."""
    if name not in NODE_TYPES or not _IDENT.match(name):
        raise ValueError(f"unknown node type {name!r}: not a node type of the ontology "
                         f"({', '.join(sorted(NODE_TYPES))})")
    return f"`{name}`"


def rel_type(name: str) -> str:
    """A relationship type from the ontology, quoted for a statement; ValueError otherwise."""
    if name not in RELATIONS or not _IDENT.match(name):
        raise ValueError(f"unknown relation {name!r}: not a relation of the ontology "
                         f"({', '.join(sorted(RELATIONS))})")
    return f"`{name}`"


# ---------------------------------------------------------------------------------- statements

def schema_statements(node_types: Iterable[str] = NODE_TYPES) -> list[str]:
    """A uniqueness constraint on `id` and an index on `name` for every node type."""
    out = []
    for name in sorted(node_types):
        quoted = label(name)
        out.append(f"CREATE CONSTRAINT govkg_{name}_id IF NOT EXISTS FOR (n:{quoted}) REQUIRE n.id IS UNIQUE")
        out.append(f"CREATE INDEX govkg_{name}_name IF NOT EXISTS FOR (n:{quoted}) ON (n.name)")
    return out


def merge_nodes_query(node_type: str) -> str:
    """Rows {id, props, docs}: the node with its build props; `docs` (the documents of the
    transaction that state it) added to its support."""
    return (f"UNWIND $rows AS row MERGE (n:{label(node_type)} {{id: row.id}}) "
            "WITH n, row, coalesce(n.documents, []) AS docs, n.load_hash AS lh, n.load_document AS ld, "
            "n.load_derived AS lder "
            "SET n = row.props "
            "SET n.documents = docs + [d IN row.docs WHERE NOT d IN docs], "
            "n.load_hash = lh, n.load_document = ld, n.load_derived = lder "
            "RETURN count(n) AS written")


def merge_stub_query(node_type: str) -> str:
    """An end node stated by another document (not loaded yet): created without support."""
    return (f"UNWIND $rows AS row MERGE (n:{label(node_type)} {{id: row.id}}) "
            "ON CREATE SET n = row.props RETURN count(n) AS written")


def _merge_pair(edge_type: str, source_type: str, target_type: str) -> str:
    """The relationship of each row between its two ends (matched by id), created when missing."""
    return (f"UNWIND $rows AS row MATCH (a:{label(source_type)} {{id: row.source}}) "
            f"MATCH (b:{label(target_type)} {{id: row.target}}) "
            f"MERGE (a)-[r:{rel_type(edge_type)}]->(b) ")


def merge_edges_query(edge_type: str, source_type: str, target_type: str) -> str:
    return (_merge_pair(edge_type, source_type, target_type) +
            "WITH r, row, coalesce(r.documents, []) AS docs "
            "SET r = row.props "
            "SET r.documents = docs + [d IN row.docs WHERE NOT d IN docs] "
            "RETURN count(r) AS written")


def merge_derived_query(edge_type: str, source_type: str, target_type: str) -> str:
    return (_merge_pair(edge_type, source_type, target_type) +
            "SET r = row.props "
            "RETURN count(r) AS written")


def _match_pair(source_type: str | None, edge_type: str, target_type: str | None) -> str:
    src = f":{label(source_type)}" if source_type else ""
    tgt = f":{label(target_type)}" if target_type else ""
    return (f"MATCH (a{src} {{id: row.source}})-[r:{rel_type(edge_type)}]->(b{tgt} {{id: row.target}})")


def delete_derived_query(edge_type: str, source_type: str | None, target_type: str | None) -> str:
    return (f"UNWIND $rows AS row {_match_pair(source_type, edge_type, target_type)} "
            "WHERE r.derived = true DELETE r RETURN count(*) AS deleted")


def delete_unsupported_edges_query(edge_type: str, source_type: str | None, target_type: str | None) -> str:
    return (f"UNWIND $rows AS row {_match_pair(source_type, edge_type, target_type)} "
            "WHERE size(coalesce(r.documents, [''])) = 0 DELETE r RETURN count(*) AS deleted")


def delete_unsupported_nodes_query(node_type: str | None) -> str:
    lab = f":{label(node_type)}" if node_type else ""
    return (f"UNWIND $ids AS id MATCH (n{lab} {{id: id}}) "
            "WHERE size(coalesce(n.documents, [''])) = 0 DETACH DELETE n RETURN count(*) AS deleted")


def refresh_nodes_query(node_type: str) -> str:
    return (f"UNWIND $rows AS row MATCH (n:{label(node_type)} {{id: row.id}}) "
            "WITH n, row, n.documents AS docs, n.load_hash AS lh, n.load_document AS ld, n.load_derived AS lder "
            "SET n = row.props SET n.documents = docs, n.load_hash = lh, n.load_document = ld, n.load_derived = lder "
            "RETURN count(n) AS written")


def refresh_edges_query(edge_type: str, source_type: str, target_type: str) -> str:
    return (f"UNWIND $rows AS row {_match_pair(source_type, edge_type, target_type)} "
            "WHERE r.documents IS NOT NULL "
            "WITH r, row, r.documents AS docs SET r = row.props SET r.documents = docs "
            "RETURN count(r) AS written")


UNLOAD_NODES = ("MATCH (n) WHERE $doc IN n.documents "
                "SET n.documents = [x IN n.documents WHERE x <> $doc] "
                "RETURN n.id AS id, labels(n) AS labels")
UNLOAD_EDGES = ("MATCH (a)-[r]->(b) WHERE $doc IN r.documents "
                "SET r.documents = [x IN r.documents WHERE x <> $doc] "
                "RETURN a.id AS source, labels(a) AS source_labels, type(r) AS type, "
                "b.id AS target, labels(b) AS target_labels")
CLEAR_MARK = ("MATCH (d:Document) WHERE d.load_document = $doc "
              "SET d.load_hash = null, d.load_document = null, d.load_derived = null RETURN count(d) AS cleared")
SET_MARK = ("UNWIND $rows AS row MATCH (d:Document {id: row.id}) "
            "SET d.load_hash = row.hash, d.load_document = row.doc RETURN count(d) AS marked")
CREATE_MARK = ("UNWIND $rows AS row MERGE (d:Document {id: row.id}) "
               "ON CREATE SET d.name = row.doc, d.file = row.doc, d.documents = [row.doc] "
               "SET d.load_hash = row.hash, d.load_document = row.doc RETURN count(d) AS marked")
UNSUPPORTED_NODES = "MATCH (n) WHERE size(n.documents) = 0 RETURN n.id AS id, labels(n) AS labels"
LOADED_DOCUMENTS = ("MATCH (d:Document) WHERE d.load_hash IS NOT NULL "
                    "RETURN d.load_document AS document, d.load_hash AS hash, d.load_derived AS derived")
MARK_DERIVED = ("MATCH (d:Document) WHERE d.load_hash IS NOT NULL SET d.load_derived = $hash "
                "RETURN count(d) AS marked")
DERIVED_EDGES = ("MATCH (a)-[r]->(b) WHERE r.derived = true "
                 "RETURN a.id AS source, labels(a) AS source_labels, type(r) AS type, "
                 "b.id AS target, labels(b) AS target_labels, r.load_hash AS hash")
