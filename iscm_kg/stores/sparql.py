"""Queries against a remote SPARQL 1.1 endpoint, through SPARQLWrapper."""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from iscm_kg.engines import ResultTable
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import sparql_prologue
from iscm_kg.stores.http import credentials

TIMEOUT_SECONDS = 60


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


def select(endpoint: str, text: str) -> ResultTable:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint)
    client.setQuery(sparql_prologue() + text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(TIMEOUT_SECONDS)
    auth = credentials()
    if auth:
        client.setCredentials(*auth)
    try:
        doc = client.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise IscmError(f"the endpoint {endpoint} refused the query: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise IscmError(f"cannot reach the SPARQL endpoint {endpoint}: {getattr(exc, 'reason', exc)}") from None
    if not isinstance(doc, dict) or "head" not in doc:
        raise IscmError(f"the endpoint {endpoint} did not answer with SPARQL JSON results")
    variables = list(doc["head"].get("vars", []))
    rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in doc["results"]["bindings"]]
    return ResultTable(variables, rows)
