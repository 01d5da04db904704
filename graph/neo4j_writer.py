"""The property-graph projection: load a build into Neo4j 5 or ArcadeDB over Bolt.

    report = load_build(driver, "neo4j", current_build(data_dir))

Layout in the database
  * one node per fact node, labelled with its type (`:Agency`), properties `id`, `name` and its
    props made storable (scalars and lists of one scalar type; maps and mixed lists are JSON text;
    a prop whose key is reserved below is stored as `prop_<key>`);
  * one relationship per fact edge (`(:Agency)-[:LEADS]->(:Measure)`), its props plus the evidence
    as parallel lists `evidence_document`, `evidence_start`, `evidence_end`, `evidence_text`, so
    any edge leads to its sentence: original_text(evidence_document[i])[start[i]:end[i]];
  * support: `documents` on every node and relationship lists the documents that state it. Loading
    a document adds it, unloading removes it, and what is left with no document is deleted, so an
    agency named by two plans survives the removal of one of them;
  * corpus-level derived edges (OWNS, SIMILAR_TO, ...: edges of `build.graph()` that no document
    states) carry `derived = true` and no `documents`; they are synchronised after the documents;
  * bookkeeping: the Document node of each loaded document holds `load_document` (its name) and
    `load_hash` (sha-256 of its facts and of the loader version).

Node and relationship props are the build's merged props (`build.graph()`), whichever document
is loaded first, so the database matches the JSONL export of the same build.

Loading is incremental: documents whose hash the database already holds are skipped, changed ones
are replaced (their support removed and their new facts loaded in ONE transaction), documents no
longer in the build are unloaded. Consecutive documents share one transaction (up to `group_rows`
rows; per label / relationship type one `UNWIND` statement for all of them), and every document
is all-or-nothing: when a shared transaction fails it is rolled back and its documents are loaded
again one transaction each, so a failing document leaves none of its facts (it is reported in
`LoadReport.failed`) and the others are loaded. A lost connection stops the load with a
`LoadError` naming the documents of the lost transaction; running the load again completes it.
Labels and relationship types come from the ontology (`NODE_TYPES`, `RELATIONS`) and are checked
before they are put into a statement.

The statements keep to the Cypher that Neo4j 5 and ArcadeDB both run (MERGE on a unique `id`,
`SET n = map`, list comprehensions, `CREATE CONSTRAINT ... IF NOT EXISTS`).
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..ontology import NODE_TYPES, RELATIONS
from ..ontology.vocab import NodeType
from .factgraph import FactGraph
from .model import DocumentFacts, Edge, Node
from .neo4j_connection import is_connection_error
from .neo4j_queries import (CLEAR_MARK, CREATE_MARK, DERIVED_EDGES, LOADED_DOCUMENTS, MARK_DERIVED, SET_MARK,
                            UNLOAD_EDGES, UNLOAD_NODES, UNSUPPORTED_NODES, _IDENT, delete_derived_query,
                            delete_unsupported_edges_query, delete_unsupported_nodes_query, label,
                            merge_derived_query, merge_edges_query, merge_nodes_query, merge_stub_query,
                            refresh_edges_query, refresh_nodes_query, rel_type, schema_statements)
from .store import Build, derived_file, facts_file

LOADER_VERSION = "govkg-neo4j-1"
GROUP_ROWS = 5000  # rows per write transaction: consecutive documents share one up to this many
EVIDENCE_KEYS = ("evidence_document", "evidence_start", "evidence_end", "evidence_text")
RESERVED = frozenset({"id", "name", "documents", "derived", "load_hash", "load_document", "load_derived",
                      *EVIDENCE_KEYS})
SUPPORT = "documents"




class LoadError(RuntimeError):
    """The load stopped: the database went away (or refused the schema) while loading `document`."""

    def __init__(self, message: str, document: str | None = None, documents: list[str] | None = None):
        super().__init__(message)
        self.document = document
        # every document of the transaction that was lost (several: see `group_rows`)
        self.documents = list(documents) if documents is not None else ([document] if document else [])


@dataclass
class LoadReport:
    database: str
    build: str
    loaded: list[str] = field(default_factory=list)      # new documents
    replaced: list[str] = field(default_factory=list)    # changed documents, reloaded
    skipped: list[str] = field(default_factory=list)     # unchanged documents
    removed: list[str] = field(default_factory=list)     # no longer in the build, unloaded
    failed: dict[str, str] = field(default_factory=dict)  # document -> reason (nothing of it loaded)
    nodes_written: int = 0
    relationships_written: int = 0
    relationships_skipped: int = 0  # edges whose end node is in no loaded document
    derived_written: int = 0
    derived_removed: int = 0
    refreshed: int = 0
    schema: list[str] = field(default_factory=list)
    statements: int = 0
    schema_seconds: float = 0.0  # of `seconds`: checking / creating the constraints and indexes
    transactions: int = 0  # committed write transactions (documents are grouped, see load_build)
    retried: int = 0       # documents loaded again on their own after their group's transaction failed
    seconds: float = 0.0

    @property
    def rows_written(self) -> int:
        return self.nodes_written + self.relationships_written + self.derived_written

    @property
    def changed(self) -> bool:
        return bool(self.loaded or self.replaced or self.removed or self.derived_written
                    or self.derived_removed or self.refreshed)

    def summary(self) -> str:
        parts = [f"{len(self.loaded)} loaded", f"{len(self.replaced)} replaced",
                 f"{len(self.skipped)} unchanged", f"{len(self.removed)} removed"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return (f"{', '.join(parts)} documents; {self.nodes_written} nodes, {self.relationships_written} "
                f"relationships, {self.derived_written} derived edges written in {self.seconds:.2f} s")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}



_INT64 = (-(2**63), 2**63 - 1)


def storable(value: Any) -> Any:
    """A value Neo4j can store as a property: a scalar, a list of one scalar type, or JSON text."""
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return value if _INT64[0] <= value <= _INT64[1] else str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        kinds = {type(v) for v in items}
        if not items or (len(kinds) == 1 and kinds <= {bool, str, float, int}
                         and all(not isinstance(v, int) or _INT64[0] <= v <= _INT64[1] for v in items)):
            return items
        if kinds <= {int, float} and bool not in kinds:
            return [float(v) for v in items]
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def storable_props(props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in props.items():
        value = storable(value)
        if value is None:
            continue
        name = f"prop_{key}" if key in RESERVED else str(key)
        out[name] = value
    return out


def node_props(node: Node) -> dict[str, Any]:
    props = storable_props(node.props)
    props["id"] = node.id
    props["name"] = node.name
    return props


def edge_props(edge: Edge) -> dict[str, Any]:
    props = storable_props(edge.props)
    props["evidence_document"] = [e.document for e in edge.evidence]
    props["evidence_start"] = [int(e.start) for e in edge.evidence]
    props["evidence_end"] = [int(e.end) for e in edge.evidence]
    props["evidence_text"] = [e.text for e in edge.evidence]
    return props


def document_hash(facts: DocumentFacts) -> str:
    data = json.dumps(facts.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((LOADER_VERSION + "\n" + data).encode("utf-8")).hexdigest()


def stored_hash(build: Build, document: str) -> str:
    """The hash of a document's facts as the build stores them (no parsing: the bytes of
    facts/<document>.json, which the fact store writes the same way for the same facts)."""
    path = facts_file(build.path, document)
    try:
        data = path.read_bytes()
    except OSError:
        return document_hash(build.facts(document))
    return hashlib.sha256(LOADER_VERSION.encode() + b"\nfile\n" + data).hexdigest()


def derived_hash(build: Build) -> str:
    path = derived_file(build.path)
    data = path.read_bytes() if path.is_file() else b""
    return hashlib.sha256(LOADER_VERSION.encode() + b"\nderived\n" + data).hexdigest()


def props_hash(props: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(props, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


T = TypeVar("T")


def batches(rows: list[T], size: int) -> Iterator[list[T]]:
    size = max(1, int(size))
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


# ---------------------------------------------------------------------------------- running

def _run_batch(tx, query: str, rows: list[dict], **params: Any) -> int:
    """Run one batch statement; the number it reports written/deleted (tests patch this)."""
    record = tx.run(query, rows=rows, **params).single()
    return int(record[0]) if record is not None and record[0] is not None else 0


def _run(tx, query: str, **params: Any) -> list[dict]:
    return [r.data() for r in tx.run(query, **params)]



def _single_label(labels: list[str] | None) -> str | None:
    for name in labels or []:
        if name in NODE_TYPES and _IDENT.match(name):
            return name
    return None


@dataclass
class _Touched:
    """What an unload took a document's support from: refreshed or deleted afterwards."""

    nodes: dict[str, str | None] = field(default_factory=dict)  # id -> label
    edges: dict[tuple[str, str, str], tuple[str | None, str | None]] = field(default_factory=dict)

    def update(self, other: "_Touched") -> None:
        self.nodes.update(other.nodes)
        self.edges.update(other.edges)


def _names(names: list[str], shown: int = 5) -> str:
    out = ", ".join(repr(n) for n in names[:shown])
    return out + (f" and {len(names) - shown} more" if len(names) > shown else "")


@dataclass
class _Pending:
    """A document to write (or to unload: `doc_hash` None), its rows prepared and checked."""

    document: str
    doc_hash: str | None
    replace: bool
    outcome: str  # loaded, replaced, removed
    nodes: dict[str, list[dict]] = field(default_factory=dict)  # label -> rows {id, props}
    edges: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)  # (type, source, target label)
    own: set[str] = field(default_factory=set)   # its node ids
    ends: set[str] = field(default_factory=set)  # end node ids of its edges that are not its nodes
    dangling: int = 0
    mark: str | None = None  # the id of its Document node

    @property
    def rows(self) -> int:
        return (sum(len(r) for r in self.nodes.values()) + len(self.ends)
                + sum(len(r) for r in self.edges.values()) + 1)


class _Loader:
    def __init__(self, driver, database: str, build: Build, batch_size: int,
                 on_document: Callable[[str, str], None] | None, group_rows: int | None = None):
        self.driver = driver
        self.database = database
        self.build = build
        self.graph: FactGraph = build.graph()
        self.batch_size = max(1, int(batch_size))
        self.group_rows = max(1, int(group_rows if group_rows is not None else GROUP_ROWS))
        self.on_document = on_document
        self.report = LoadReport(database=database, build=build.path.name)
        self.touched = _Touched()
        self.derived_marks: set[str | None] = set()

    def session(self):
        return self.driver.session(database=self.database)

    # -- schema ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        statements = schema_statements()
        with self.session() as session:
            try:  # only what is missing (one round trip instead of two per node type)
                names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name").data()}
                names |= {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name").data()}
            except Exception as exc:
                if is_connection_error(exc):
                    raise LoadError(f"lost the connection to the graph database {self.database!r} while "
                                    f"reading its schema: {type(exc).__name__}: {exc}") from exc
                names = set()
            missing = [st for st in statements if st.split()[2] not in names]
            for statement in missing:
                try:
                    session.run(statement).consume()
                except Exception as exc:
                    where = "creating the schema"
                    raise LoadError(f"{'lost the connection to' if is_connection_error(exc) else 'error from'} "
                                    f"the graph database {self.database!r} while {where}: "
                                    f"{type(exc).__name__}: {exc}") from exc
                self.report.statements += 1
        self.report.schema = statements

    def loaded_documents(self) -> dict[str, str]:
        with self.session() as session:
            try:
                rows = session.run(LOADED_DOCUMENTS).data()
            except Exception as exc:
                raise LoadError(f"cannot read the loaded documents from {self.database!r}: "
                                f"{type(exc).__name__}: {exc}") from exc
        self.derived_marks = {r.get("derived") for r in rows if r.get("document")}
        return {r["document"]: r["hash"] for r in rows if r.get("document")}

    # -- one document ----------------------------------------------------------------------
    def node_rows(self, facts: DocumentFacts) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        seen: set[str] = set()
        for node in facts.nodes:
            if node.id in seen:
                continue
            seen.add(node.id)
            merged = self.graph.nodes.get(node.id, node)
            label(merged.type)  # validates
            groups[merged.type].append({"id": node.id, "props": node_props(merged)})
        return groups

    def node_type(self, node_id: str, facts: DocumentFacts | None = None) -> str | None:
        node = self.graph.nodes.get(node_id)
        if node is None and facts is not None:
            node = next((n for n in facts.nodes if n.id == node_id), None)
        return node.type if node is not None else None

    def edge_rows(self, facts: DocumentFacts) -> tuple[dict[tuple[str, str, str], list[dict]], int]:
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        dangling = 0
        seen: set[tuple[str, str, str]] = set()
        for edge in facts.edges:
            if edge.key in seen:
                continue
            seen.add(edge.key)
            rel_type(edge.type)
            source_type, target_type = self.node_type(edge.source, facts), self.node_type(edge.target, facts)
            if source_type is None or target_type is None:
                dangling += 1
                continue
            merged = self.graph.edges.get(edge.key, edge)
            groups[(edge.type, source_type, target_type)].append(
                {"source": edge.source, "target": edge.target, "props": edge_props(merged)})
        return groups, dangling

    def unload(self, tx, document: str) -> _Touched:
        touched = _Touched()
        for row in _run(tx, UNLOAD_EDGES, doc=document):
            touched.edges[(row["source"], row["type"], row["target"])] = (
                _single_label(row["source_labels"]), _single_label(row["target_labels"]))
        for row in _run(tx, UNLOAD_NODES, doc=document):
            touched.nodes[row["id"]] = _single_label(row["labels"])
        _run(tx, CLEAR_MARK, doc=document)
        self.report.statements += 3
        return touched

    def delete_unsupported(self, tx, touched: _Touched) -> None:
        edge_groups: dict[tuple[str, str | None, str | None], list[dict]] = defaultdict(list)
        for (source, edge_type, target), (source_type, target_type) in touched.edges.items():
            if edge_type in RELATIONS:
                edge_groups[(edge_type, source_type, target_type)].append({"source": source, "target": target})
        for (edge_type, source_type, target_type), rows in sorted(edge_groups.items(), key=str):
            query = delete_unsupported_edges_query(edge_type, source_type, target_type)
            for batch in batches(rows, self.batch_size):
                _run_batch(tx, query, batch)
                self.report.statements += 1
        node_groups: dict[str | None, list[str]] = defaultdict(list)
        for node_id, node_type in touched.nodes.items():
            node_groups[node_type].append(node_id)
        for node_type, ids in sorted(node_groups.items(), key=str):
            query = delete_unsupported_nodes_query(node_type)
            for id_batch in batches(ids, self.batch_size):
                tx.run(query, ids=id_batch).consume()
                self.report.statements += 1

    def document_node_id(self, facts: DocumentFacts) -> str | None:
        wanted = f"doc:{facts.document}"
        for node in facts.nodes:
            if node.type == NodeType.Document and node.id == wanted:
                return node.id
        for node in facts.nodes:
            if node.type == NodeType.Document and node.props.get("file") == facts.document:
                return node.id
        return None

    def prepare(self, document: str, facts: DocumentFacts | None, doc_hash: str | None,
                replace: bool) -> _Pending:
        """A document's rows, checked (an unknown type raises ValueError: nothing is sent)."""
        pending = _Pending(document, doc_hash, replace, "removed" if facts is None else
                           ("replaced" if replace else "loaded"))
        if facts is None:
            return pending
        pending.nodes = self.node_rows(facts)
        pending.own = {node.id for node in facts.nodes}
        pending.ends = {end for edge in facts.edges for end in (edge.source, edge.target)} - pending.own
        pending.edges, pending.dangling = self.edge_rows(facts)
        for _, source_type, target_type in pending.edges:
            label(source_type), label(target_type)  # validates
        pending.mark = self.document_node_id(facts)
        return pending

    def write_group(self, tx, group: list[_Pending]) -> tuple[int, int, int]:
        """The facts of several documents in the open transaction: per label / relationship type
        one `UNWIND` statement (of up to batch_size rows) for all of them; a node or relationship
        stated by several of them is one row whose `docs` lists them all."""
        group = [p for p in group if p.doc_hash is not None]
        nodes = rels = 0
        dangling = sum(p.dangling for p in group)
        node_groups: dict[str, dict[str, dict]] = defaultdict(dict)
        for pending in group:
            for node_type, rows in pending.nodes.items():
                by_id = node_groups[node_type]
                for row in rows:
                    known = by_id.get(row["id"])
                    if known is None:
                        by_id[row["id"]] = {**row, "docs": [pending.document]}
                    else:
                        known["docs"].append(pending.document)
        for node_type, by_id in sorted(node_groups.items()):
            query = merge_nodes_query(node_type)
            for batch in batches(list(by_id.values()), self.batch_size):
                nodes += _run_batch(tx, query, batch)
                self.report.statements += 1
        own = set().union(*(p.own for p in group)) if group else set()
        stubs: dict[str, list[dict]] = defaultdict(list)
        for node_id in sorted(set().union(*(p.ends for p in group)) - own if group else ()):
            node = self.graph.nodes.get(node_id)
            if node is not None:
                props = node_props(node)
                props[SUPPORT] = []
                stubs[node.type].append({"id": node_id, "props": props})
        for node_type, rows in sorted(stubs.items()):
            query = merge_stub_query(node_type)
            for batch in batches(rows, self.batch_size):
                _run_batch(tx, query, batch)
                self.report.statements += 1
        edge_groups: dict[tuple[str, str, str], dict[tuple[str, str], dict]] = defaultdict(dict)
        for pending in group:
            for key, rows in pending.edges.items():
                by_ends = edge_groups[key]
                for row in rows:
                    known = by_ends.get((row["source"], row["target"]))
                    if known is None:
                        by_ends[(row["source"], row["target"])] = {**row, "docs": [pending.document]}
                    else:
                        known["docs"].append(pending.document)
        for (edge_type, source_type, target_type), by_ends in sorted(edge_groups.items()):
            query = merge_edges_query(edge_type, source_type, target_type)
            for batch in batches(list(by_ends.values()), self.batch_size):
                written = _run_batch(tx, query, batch)
                rels += written
                dangling += len(batch) - written
                self.report.statements += 1
        marks = [{"id": p.mark, "hash": p.doc_hash, "doc": p.document} for p in group if p.mark is not None]
        # facts without their Document node: a bookkeeping node of that name
        created = [{"id": f"doc:{p.document}", "hash": p.doc_hash, "doc": p.document} for p in group
                   if p.mark is None]
        for query, rows in ((SET_MARK, marks), (CREATE_MARK, created)):
            for batch in batches(rows, self.batch_size):
                _run_batch(tx, query, batch)
                self.report.statements += 1
        return nodes, rels, dangling

    def load_group(self, group: list[_Pending]) -> None:
        """ONE transaction for the documents of `group`: unload the old versions (if any), write
        the new ones. When it fails, each document is loaded again on its own, so one bad document
        costs only itself and is the one named in `report.failed`."""
        with self.session() as session:
            tx = session.begin_transaction()
            try:
                touched = _Touched()
                for pending in group:
                    if pending.replace:
                        touched.update(self.unload(tx, pending.document))
                counts = self.write_group(tx, group)
                if touched.nodes or touched.edges:
                    self.delete_unsupported(tx, touched)
                tx.commit()
                self.report.transactions += 1
            except BaseException as exc:
                try:
                    if not tx.closed():
                        tx.close()  # rolls back
                except Exception:
                    pass
                names = [p.document for p in group]
                if is_connection_error(exc):
                    which = (f"document {names[0]!r}" if len(names) == 1 else
                             f"documents {_names(names)} (one transaction for {len(names)} documents)")
                    raise LoadError(f"lost the connection to the graph database while loading "
                                    f"{which}: {type(exc).__name__}: {exc}. Nothing of "
                                    f"{'it' if len(names) == 1 else 'them'} was committed; run the load "
                                    "again to complete it.", document=names[0], documents=names) from exc
                if not isinstance(exc, Exception):
                    raise
                if len(group) > 1:  # find the culprit: every document on its own
                    self.report.retried += len(group)
                    for pending in group:
                        self.load_group([pending])
                    return
                self.fail(group[0].document, exc)
                return
        self.touched.update(touched)
        self.report.nodes_written += counts[0]
        self.report.relationships_written += counts[1]
        self.report.relationships_skipped += counts[2]
        for pending in group:
            {"loaded": self.report.loaded, "replaced": self.report.replaced,
             "removed": self.report.removed}[pending.outcome].append(pending.document)
            self._notify(pending.document, pending.outcome)

    def fail(self, document: str, exc: BaseException) -> None:
        self.report.failed[document] = f"{type(exc).__name__}: {exc}"
        self._notify(document, "failed")

    # -- corpus level ----------------------------------------------------------------------
    def derived_edges(self) -> dict[tuple[str, str, str], Edge]:
        stated = {edge.key for facts in self.graph.documents.values() for edge in facts.edges}
        return {key: edge for key, edge in self.graph.edges.items() if key not in stated}

    def write_corpus(self, derived_mark: str | None = None) -> None:
        """Derived edges and props of nodes/edges whose support changed: one transaction."""
        desired: dict[tuple[str, str, str], tuple[str, str, dict]] = {}
        for key, edge in self.derived_edges().items():
            source_type, target_type = self.node_type(edge.source), self.node_type(edge.target)
            if source_type is None or target_type is None or edge.type not in RELATIONS:
                self.report.relationships_skipped += 1
                continue
            props = edge_props(edge)
            props["derived"] = True
            props["load_hash"] = props_hash(props)
            desired[key] = (source_type, target_type, props)
        with self.session() as session:
            tx = session.begin_transaction()
            try:
                existing = {(r["source"], r["type"], r["target"]): r for r in _run(tx, DERIVED_EDGES)}
                self.report.statements += 1
                stale: dict[tuple[str, str | None, str | None], list[dict]] = defaultdict(list)
                for (source, edge_type, target), row in existing.items():
                    if (source, edge_type, target) not in desired and edge_type in RELATIONS:
                        stale[(edge_type, _single_label(row["source_labels"]),
                               _single_label(row["target_labels"]))].append({"source": source, "target": target})
                for (edge_type, source_type, target_type), rows in sorted(stale.items(), key=str):
                    query = delete_derived_query(edge_type, source_type, target_type)
                    for batch in batches(rows, self.batch_size):
                        self.report.derived_removed += _run_batch(tx, query, batch)
                        self.report.statements += 1
                fresh: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
                for (source, edge_type, target), (source_type, target_type, props) in desired.items():
                    known = existing.get((source, edge_type, target))
                    if known is not None and known.get("hash") == props["load_hash"]:
                        continue
                    fresh[(edge_type, source_type, target_type)].append(
                        {"source": source, "target": target, "props": props})
                for (edge_type, source_type, target_type), rows in sorted(fresh.items()):
                    query = merge_derived_query(edge_type, source_type, target_type)
                    for batch in batches(rows, self.batch_size):
                        self.report.derived_written += _run_batch(tx, query, batch)
                        self.report.statements += 1
                self.refresh(tx)
                if self.report.loaded or self.report.replaced or self.report.removed or self.report.failed:
                    self.drop_stray_stubs(tx)
                if derived_mark is not None:  # the next load skips this transaction if nothing changed
                    tx.run(MARK_DERIVED, hash=derived_mark).consume()
                tx.commit()
                self.report.transactions += 1
            except BaseException as exc:
                try:
                    if not tx.closed():
                        tx.close()
                except Exception:
                    pass
                if isinstance(exc, Exception):
                    kind = "lost the connection to" if is_connection_error(exc) else "error from"
                    raise LoadError(f"{kind} the graph database while loading the corpus-level edges "
                                    f"(derived edges, shared props): {type(exc).__name__}: {exc}; "
                                    "run the load again to complete it", document=None) from exc
                raise

    def drop_stray_stubs(self, tx) -> None:
        """Nodes no loaded document states (end nodes of edges whose own document is gone or
        failed) that the build does not hold either."""
        stray: dict[str | None, list[str]] = defaultdict(list)
        for row in _run(tx, UNSUPPORTED_NODES):
            if row["id"] not in self.graph.nodes:
                stray[_single_label(row["labels"])].append(row["id"])
        self.report.statements += 1
        for node_type, ids in sorted(stray.items(), key=str):
            query = delete_unsupported_nodes_query(node_type)
            for batch in batches(ids, self.batch_size):
                tx.run(query, ids=batch).consume()
                self.report.statements += 1

    def refresh(self, tx) -> None:
        """Rewrite the props of nodes/edges that lost a document's support but are still stated."""
        node_groups: dict[str, list[dict]] = defaultdict(list)
        for node_id in self.touched.nodes:
            node = self.graph.nodes.get(node_id)
            if node is not None and node.type in NODE_TYPES:
                node_groups[node.type].append({"id": node_id, "props": node_props(node)})
        for node_type, rows in sorted(node_groups.items()):
            query = refresh_nodes_query(node_type)
            for batch in batches(rows, self.batch_size):
                self.report.refreshed += _run_batch(tx, query, batch)
                self.report.statements += 1
        edge_groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for key in self.touched.edges:
            edge = self.graph.edges.get(key)
            if edge is None:
                continue
            source_type, target_type = self.node_type(edge.source), self.node_type(edge.target)
            if source_type is None or target_type is None or edge.type not in RELATIONS:
                continue
            edge_groups[(edge.type, source_type, target_type)].append(
                {"source": edge.source, "target": edge.target, "props": edge_props(edge)})
        for (edge_type, source_type, target_type), rows in sorted(edge_groups.items()):
            query = refresh_edges_query(edge_type, source_type, target_type)
            for batch in batches(rows, self.batch_size):
                self.report.refreshed += _run_batch(tx, query, batch)
                self.report.statements += 1

    # -- all -------------------------------------------------------------------------------
    def run(self) -> LoadReport:
        started = time.perf_counter()
        self.ensure_schema()
        self.report.schema_seconds = time.perf_counter() - started
        in_db = self.loaded_documents()
        wanted = {name: stored_hash(self.build, name) for name in self.build.document_names()}
        for document in sorted(set(in_db) - set(wanted)):
            self.load_group([self.prepare(document, None, None, replace=True)])
        group: list[_Pending] = []
        rows = 0
        for document, doc_hash in wanted.items():
            known = in_db.get(document)
            if known == doc_hash:
                self.report.skipped.append(document)
                self._notify(document, "unchanged")
                continue
            # the facts build.graph() parsed (it merges copies of them, the documents' own are intact)
            facts = self.graph.documents.get(document) or self.build.facts(document)
            try:
                pending = self.prepare(document, facts, doc_hash, replace=known is not None)
            except Exception as exc:  # a type the ontology does not know: nothing of it is sent
                self.fail(document, exc)
                continue
            if group and rows + pending.rows > self.group_rows:
                self.load_group(group)
                group, rows = [], 0
            group.append(pending)
            rows += pending.rows
        if group:
            self.load_group(group)
        current = derived_hash(self.build)
        documents_changed = self.report.loaded or self.report.replaced or self.report.removed or self.report.failed
        if documents_changed or not in_db or self.derived_marks != {current}:
            self.write_corpus(current)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _notify(self, document: str, what: str) -> None:
        if self.on_document is not None:
            self.on_document(document, what)


def load_build(driver, database: str, build: Build, batch_size: int = 1000,
               on_document: Callable[[str, str], None] | None = None,
               group_rows: int | None = None) -> LoadReport:
    """Bring database `database` in line with `build` (see the module docstring).

    batch_size: rows per statement. group_rows (default GROUP_ROWS): consecutive new or changed
    documents share one transaction up to this many rows (a larger document is alone in its
    own; 1: one transaction per document); each is still all-or-nothing: when the shared
    transaction fails, its documents are loaded again one per transaction, so only the failing
    one is left out (and named).

    on_document(document, outcome) is called after each document: loaded, replaced, unchanged,
    removed or failed. Raises LoadError when the connection is lost (naming the documents of the
    transaction that was lost).
    """
    return _Loader(driver, database, build, batch_size, on_document, group_rows).run()


def graph_counts(driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per label, relationships per type) in the database."""
    with driver.session(database=database) as session:
        nodes: dict[str, int] = defaultdict(int)
        for row in session.run("MATCH (n) RETURN labels(n) AS labels, count(*) AS n").data():
            for name in row["labels"]:
                nodes[name] += row["n"]
        rels = {r["type"]: r["n"] for r in
                session.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n").data()}
    return dict(nodes), rels
