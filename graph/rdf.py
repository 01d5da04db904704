"""The RDF projection of a build, as one namespace: a façade over the modules that do each job.

    graph/rdf_terms.py      vocabularies, the IRI scheme, Python values as literals
    graph/nquads.py         facts -> N-Quads (the text the store is loaded from)
    graph/rdfstore.py       the Oxigraph store on disk: written, versioned, opened
    graph/rdf_export.py     RDF / GraphML exports, rdflib and pySHACL adapters
    graph/named_queries.py  queries/*.rq and running SPARQL with bindings

New code imports from those modules; this one re-exports what older callers use.
"""
from __future__ import annotations

from ..ontology import RELATIONS
from .named_queries import (QUERIES_DIR, bindable_variables, python_value, query_text, run_query, run_query_file,
                            term)
from .nquads import (LOAD_CHUNK_LINES, build_documents, build_quads, derived_edges, iter_quads, literal_nt,
                     ontology_quads, vocabulary_files, vocabulary_graph_iris, with_union_default)
from .rdf_export import EXPORT_FORMATS, RDF_FORMATS, rdf_dataset, union_graph, validate_shacl, write_graphml, write_rdf
from .rdf_terms import (DEFAULT_BASE, ID_PREFIXES, NS, assertion_iri, base_iri, derived_graph_iri, document_graph_iri,
                        document_iri, evidence_iri, iri_segment, literal, node_id_from_iri, node_iri,
                        ontology_graph_iri, plan_eli, prefixes)
from .rdfstore import (STORE_DIR, STORE_LAYOUT, STORE_META, StoreWriter, forget_store, hook, project_rdf, rdf_store,
                       store_documents, store_layout, store_path, triple_count)

__all__ = [
    "DEFAULT_BASE", "EXPORT_FORMATS", "RELATIONS", "base_iri", "node_iri", "node_id_from_iri", "document_iri",
    "document_graph_iri", "derived_graph_iri", "ontology_graph_iri", "vocabulary_graph_iris", "evidence_iri",
    "assertion_iri", "iter_quads", "with_union_default", "build_quads", "union_graph", "validate_shacl",
    "StoreWriter", "project_rdf", "rdf_store", "rdf_dataset", "forget_store", "triple_count", "write_rdf", "write_graphml",
    "run_query", "run_query_file", "query_text", "prefixes", "store_path",
    # also used by callers
    "NS", "ID_PREFIXES", "RDF_FORMATS", "LOAD_CHUNK_LINES", "QUERIES_DIR", "STORE_DIR", "STORE_LAYOUT", "STORE_META",
    "bindable_variables", "python_value", "term", "literal", "literal_nt", "iri_segment", "plan_eli", "hook",
    "build_documents", "derived_edges", "ontology_quads", "vocabulary_files", "store_documents", "store_layout",
]
