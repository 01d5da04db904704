"""The named research queries (queries/*.rq) and running SPARQL over a build's store with bindings."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .rdf_terms import literal
from .rdfstore import rdf_store

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"  # installed as govkg.queries


# -- queries --------------------------------------------------------------------------------------
def query_text(name: str) -> str:
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".rq")
    if not path.is_absolute() and not path.is_file():
        path = QUERIES_DIR / path.name
    return path.read_text(encoding="utf-8")


def term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A binding value as an RDF term: pyoxigraph terms pass through, Python values become literals."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    lit = literal(value)
    if lit is None:
        raise ValueError(f"cannot bind an empty value: {value!r}")
    return lit


def python_value(t: Any) -> Any:
    """An RDF term as a plain Python value (IRIs as str, typed literals converted)."""
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else ""
        try:
            if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
                return int(t.value)
            if dt.endswith(("#decimal", "#double", "#float")):
                return float(t.value)
            if dt.endswith("#boolean"):
                return t.value in ("true", "1")
        except ValueError:
            pass
        return t.value
    return str(t)


def run_query(store: ox.Store, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]] | bool:
    """Run a SELECT (rows as dicts of Python values) or ASK (bool) over the merged default graph."""
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
    result = store.query(query, substitutions=subs or None)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: python_value(sol[n]) for n in names} for sol in result]
    return [{"s": python_value(t.subject), "p": python_value(t.predicate), "o": python_value(t.object)}
            for t in result]


_BINDABLE_RE = re.compile(r"^#\s*bindable:\s*(.*)$", re.MULTILINE)


def bindable_variables(query: str) -> set[str] | None:
    """The variables a query file's `# bindable: ?a ?b` header line allows binding (None: no header)."""
    match = _BINDABLE_RE.search(query)
    if match is None:
        return None
    return set(re.findall(r"\?(\w+)", match.group(1)))


def run_query_file(build, name: str, bindings: dict[str, Any] | None = None,
                   store: ox.Store | None = None, base: str | None = None) -> list[dict[str, Any]] | bool:
    """Run queries/<name>.rq against a build's store (or `store`), over the merge of its graphs.

    `bindings` maps variable names (without ?) to values substituted before evaluation
    (e.g. {"agencyName": "山东省大数据局"}); str/int/float/bool become literals, pass an
    ox.NamedNode for an IRI. Only the variables of the file's `# bindable:` header may be bound:
    Oxigraph substitutes a variable only where it occurs in a required triple pattern (bound
    inside OPTIONAL or FILTER it would not restrict the results), and only if it is projected.
    """
    text = query_text(name)
    allowed = bindable_variables(text)
    if bindings and allowed is not None and not set(bindings) <= allowed:
        raise ValueError(f"query {name!r} cannot bind {sorted(set(bindings) - allowed)}: "
                         f"bindable: {sorted(allowed) or 'none'}")
    return run_query(store if store is not None else rdf_store(build, base), text, bindings)
