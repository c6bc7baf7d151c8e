"""Loading by one SPARQL 1.1 Graph Store Protocol PUT: the store applies it as one transaction."""

from __future__ import annotations

import urllib.parse

from rdflib import URIRef

from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.stores.http import Progress, request, silent
from iscm_kg.stores.sparql import count_triples


def graph_term(graph_iri: str) -> URIRef:
    """The graph IRI as an RDF term, checked: it is written into requests by its N-Triples form only."""
    # Checked before the term is made: rdflib logs a warning of its own for an invalid IRI.
    if ":" not in graph_iri or any(c in graph_iri for c in ' <>"{}|\\^`') or not graph_iri.isprintable():
        raise IscmError(f"--graph expects an absolute IRI such as https://example.org/graph, got '{graph_iri}'")
    return URIRef(graph_iri)


def _graph_url(store: str, graph_iri: str | None) -> str:
    if graph_iri is None:
        return f"{store}?default"
    return f"{store}?{urllib.parse.urlencode({'graph': graph_iri})}"


# Where a store answers queries, from where it takes Graph Store requests: (suffix, its replacement).
_QUERY_ENDPOINTS = (
    ("/store", "/query"),  # Oxigraph
    ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),
    ("/data", "/query"),  # Fuseki
)


def query_endpoint_for_store(store: str) -> str:
    """The query endpoint beside a Graph Store endpoint, for counting after a PUT (`load --endpoint` otherwise)."""
    base = store.split("?", 1)[0].rstrip("/")
    for suffix, replacement in _QUERY_ENDPOINTS:
        if base.endswith(suffix):
            return base[: -len(suffix)] + replacement
    raise IscmError(f"cannot tell where {store} answers queries (to count what it holds): give --endpoint URL")


def load(kg: KnowledgeGraph, store: str, graph_iri: str | None, progress: Progress = silent,
         query_url: str | None = None) -> int:
    """Replace the store's graph with this graph by one PUT, then count what the store holds; returns the count.

    The engine that holds the graph writes the N-Triples (Oxigraph some 20 times faster than rdflib).
    """
    return put_ntriples(kg.engine.dump_ntriples(), len(kg), store, graph_iri, progress, query_url)


def put_ntriples(payload: bytes, expected: int, store: str, graph_iri: str | None,
                 progress: Progress = silent, query_url: str | None = None) -> int:
    """PUT an N-Triples payload of `expected` triples as the graph, then count the graph with a SPARQL COUNT
    (reading the graph back would be capped by stores that limit result sizes: Virtuoso's ResultSetMaxRows)."""
    if graph_iri is not None:
        graph_term(graph_iri)
    endpoint = query_url or query_endpoint_for_store(store)
    url = _graph_url(store, graph_iri)
    progress(f"sending {expected} triples ({len(payload) / 1e6:.1f} MB) in one PUT to {url}")
    request("PUT", url, payload, "application/n-triples", accept="*/*")
    progress(f"counting the graph's triples at {endpoint}")
    stored = count_triples(endpoint, graph_iri)
    if stored != expected:
        raise IscmError(f"the store holds {stored} triples in the graph after the load, {expected} were sent")
    return stored
