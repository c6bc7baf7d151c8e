"""Run a canned query by name with parameters, on the embedded graph or on a SPARQL endpoint."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph, Literal
from rdflib.term import Node

from iscm_kg import catalogue, resolve
from iscm_kg.catalogue import CannedQuery
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.labels import Lookup, label_of
from iscm_kg.namespaces import PREFIXES
from iscm_kg.results import ResultTable

__all__ = ["bind_values", "label_of", "run", "run_local", "sort_lists"]

OUTER_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind parameters by a VALUES block at the top of the outermost WHERE group.

    The block is built from each term's N-Triples form, which rdflib escapes, so a value can never change
    the query's structure; this works the same on the embedded engine and on any SPARQL 1.1 endpoint.
    """
    if not bindings:
        return text
    match = OUTER_WHERE.search(text)
    if match is None:
        raise IscmError("a query with parameters needs a 'WHERE {' clause")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({values}) }}\n"
    return text[: match.end()] + block + text[match.end():]


def bind_parameters(query: CannedQuery, given: Mapping[str, str], graph: Lookup) -> dict[str, Node]:
    """Resolve the given KEY=VALUE texts (and defaults) to RDF terms; unknown keys are errors."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        expected = ", ".join(known) or "none"
        raise IscmError(f"query '{query.name}' has no parameter {', '.join(unknown)} (its parameters: {expected})")
    bound: dict[str, Node] = {}
    for name, param in known.items():
        text = given.get(name, param.default)
        if text is None:
            raise IscmError(f"query '{query.name}' needs --param {name}=VALUE (for example {name}={param.example})")
        bound[name] = resolve.resolve(graph, param, text)
    return bound


def run_local(text: str, target: Graph | KnowledgeGraph, engine: str = "auto") -> ResultTable:
    """Run on the embedded graph: Oxigraph where installed (engine auto), else rdflib's engine."""
    from iscm_kg import oxigraph_engine

    if oxigraph_engine.chosen(engine):
        if isinstance(target, KnowledgeGraph):
            return oxigraph_engine.select_store(target.store, text)
        return oxigraph_engine.select(target, text)
    graph = target.graph if isinstance(target, KnowledgeGraph) else target
    result = graph.query(text, initNs=PREFIXES)
    variables = [str(v) for v in (result.vars or [])]
    return ResultTable(variables, [tuple(row) for row in result])  # type: ignore[arg-type]


def run(
    name: str,
    params: Mapping[str, str],
    target: Graph | KnowledgeGraph,
    endpoint: str | None = None,
    engine: str = "auto",
) -> ResultTable:
    """Run canned query NAME on a graph (or a loaded KnowledgeGraph, whichever engine holds it) or, with
    endpoint, on a SPARQL endpoint; parameters are resolved against the embedded graph in either case."""
    query = catalogue.get(name)
    lookup = target.lookup() if isinstance(target, KnowledgeGraph) else target
    text = bind_values(query.text, bind_parameters(query, params, lookup))
    if endpoint:
        from iscm_kg import remote  # SPARQLWrapper is imported only when an endpoint is used

        table = remote.select(endpoint, text)
    else:
        table = run_local(text, target, engine)
    return sort_lists(table, query.lists)


LIST_SEPARATOR = ", "


def sort_lists(table: ResultTable, columns: tuple[str, ...]) -> ResultTable:
    """Sort the items of the columns a query builds with GROUP_CONCAT (declared in its '# lists:' header line):
    SPARQL leaves their order to the engine, and the same answer should read the same on every engine."""
    indexes = [table.variables.index(c) for c in columns if c in table.variables]
    if not indexes:
        return table
    rows = []
    for row in table.rows:
        cells = list(row)
        for i in indexes:
            cell = cells[i]
            if isinstance(cell, Literal):
                items = sorted(str(cell).split(LIST_SEPARATOR)) if str(cell) else []
                cells[i] = Literal(LIST_SEPARATOR.join(items))
        rows.append(tuple(cells))
    return ResultTable(table.variables, rows)
