"""The fast SPARQL engine: the graph copied into an in-memory pyoxigraph store (the 'fast' extra).

rdflib stays the API people see; queries run here when pyoxigraph is installed, because its engine answers
the canned queries one to three orders of magnitude faster (docs/benchmarks.md). The differential tests check
that every canned query gives the same rows on both engines.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iscm_kg.results import ResultTable

_STORES: dict[int, Any] = {}


def _to_ox(term: Node) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_ox(term: Any) -> Node | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def store_for(graph: Graph) -> Any:
    """An Oxigraph store holding the graph's triples, built once per graph object."""
    import pyoxigraph as ox

    key = id(graph)
    cached = _STORES.get(key)
    if cached is not None and cached[0] is graph and cached[1] == len(graph):
        return cached[2]
    store = ox.Store()
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), default) for s, p, o in graph)
    _STORES[key] = (graph, len(graph), store)
    return store


def select(graph: Graph, text: str) -> ResultTable:
    from iscm_kg.namespaces import sparql_prologue

    # The same default prefixes rdflib's engine is given (initNs).
    solutions = store_for(graph).query(sparql_prologue() + text)
    variables = [v.value for v in solutions.variables]
    rows = [tuple(_from_ox(solution[v]) for v in variables) for solution in solutions]
    return ResultTable(variables, rows)


def available() -> bool:
    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        return False
    return True
