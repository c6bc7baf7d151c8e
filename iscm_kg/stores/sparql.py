"""Queries against a remote SPARQL 1.1 endpoint (SPARQL 1.1 Protocol: a form-encoded POST, JSON results).

Sent through stores.http, as every request to a store is: the same credentials, timeout, retry policy and error
messages (the store's own text) as loads; an answer that is not SPARQL results is an error that says so."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from iscm_kg.binding import bind_values
from iscm_kg.engines import ResultTable
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import sparql_prologue
from iscm_kg.stores.http import request

RESULTS_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def _term(binding: dict[str, Any]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def select(endpoint: str, text: str, graph_iri: str | None = None) -> ResultTable:
    """Run a SELECT query at the endpoint; with graph_iri, against that graph as the default graph (the SPARQL 1.1
    Protocol's default-graph-uri), for stores whose default graph is not the union of their graphs."""
    fields = {"query": sparql_prologue() + text}
    if graph_iri is not None:
        fields["default-graph-uri"] = graph_iri
    body = urllib.parse.urlencode(fields).encode()
    data, media_type = request("POST", endpoint, body, FORM, accept=f"{RESULTS_JSON}, application/json;q=0.9")
    what = f"the endpoint {endpoint} answered with {media_type or 'no media type'}, not SPARQL JSON results"
    if "json" not in media_type:
        raise IscmError(f"{what} (is it a SPARQL query endpoint?)")
    try:
        doc = json.loads(data)
        variables = list(doc["head"].get("vars", []))
        rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IscmError(f"the endpoint {endpoint} did not answer with SPARQL JSON results") from None
    return ResultTable(variables, rows)


def update(endpoint: str, text: str) -> None:
    """One SPARQL 1.1 Update request (a direct POST of application/sparql-update)."""
    request("POST", endpoint, text.encode("utf-8"), "application/sparql-update", accept="*/*")


def count_triples(query_url: str, graph_iri: str | None) -> int:
    """The store's count of a graph's triples (or of the default graph's), by a SPARQL COUNT: never by reading
    the graph back, which stores cap (Virtuoso's ResultSetMaxRows)."""
    if graph_iri is None:
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    else:
        text = bind_values("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph_iri)})
    table = select(query_url, text)
    return int(str(table.rows[0][0])) if table.rows else 0
