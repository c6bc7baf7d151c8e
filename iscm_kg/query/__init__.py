"""Run a canned query by name with parameters, on the embedded graph or on a SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from iscm_kg.binding import bind_values
from iscm_kg.engines import Lookup, ResultTable
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import catalogue, nearest, resolve
from iscm_kg.query.catalogue import CannedQuery
from iscm_kg.query.labels import label_of

__all__ = ["bind_values", "label_of", "run", "run_local", "sort_lists"]


Given = Mapping[str, "str | Sequence[str]"]


def bind_parameters(query: CannedQuery, given: Given, graph: Lookup) -> dict[str, Node | list[Node]]:
    """Resolve the given KEY=VALUE texts (and defaults) to RDF terms; unknown keys are errors. A parameter
    declared with several values ('TYPE+') takes a list and adds NAME_count, how many distinct values; a
    'year-range' parameter binds NAME_from and NAME_to (see catalogue.Parameter)."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        near = nearest.did_you_mean(unknown[0], list(known))
        hint = f"did you mean: {', '.join(near)}?" if near else f"its parameters: {', '.join(known) or 'none'}"
        raise IscmError(f"query '{query.name}' has no parameter {', '.join(unknown)}; {hint}")
    bound: dict[str, Node | list[Node]] = {}
    for name, param in known.items():
        value = given.get(name, param.default)
        if value is None:
            raise IscmError(f"query '{query.name}' needs --param {name}=VALUE (for example {name}={param.example})")
        texts = [value] if isinstance(value, str) else list(value)
        if not texts:
            raise IscmError(f"query '{query.name}' needs at least one value of parameter {name}")
        if len(texts) > 1 and not param.multiple:
            raise IscmError(f"parameter '{name}' of query '{query.name}' takes one value, got {len(texts)}")
        if param.type == "year-range":
            bound[f"{name}_from"], bound[f"{name}_to"] = resolve.year_range(param, texts[0])
        elif param.multiple:
            terms = list(dict.fromkeys(resolve.resolve(graph, param, t) for t in texts))
            bound[name] = terms
            bound[f"{name}_count"] = Literal(len(terms), datatype=XSD.integer)
        else:
            bound[name] = resolve.resolve(graph, param, texts[0])
    return bound


def _knowledge_graph(target: Graph | KnowledgeGraph, engine: str) -> KnowledgeGraph:
    return target if isinstance(target, KnowledgeGraph) else KnowledgeGraph.of_graph(target, engine)


def run_local(text: str, target: Graph | KnowledgeGraph, engine: str = "auto") -> ResultTable:
    """Run a SELECT query of one's own on a KnowledgeGraph (by its engine) or on an rdflib Graph (by the named
    engine, on the graph as it is now)."""
    return _knowledge_graph(target, engine).select(text)


def run(
    name: str,
    params: Given,
    target: Graph | KnowledgeGraph,
    endpoint: str | None = None,
    engine: str = "auto",
    graph_iri: str | None = None,
) -> ResultTable:
    """Run canned query NAME on a KnowledgeGraph or an rdflib Graph (see run_local) or, with endpoint, on a
    SPARQL endpoint (with graph_iri: on that named graph there, as the default graph); parameters are resolved
    against the embedded graph in either case. A parameter that takes several values (see 'iscm-kg queries
    NAME') is given a list of texts."""
    query = catalogue.get(name)
    kg = _knowledge_graph(target, engine)
    text = bind_values(query.text, bind_parameters(query, params, kg))
    if endpoint:
        from iscm_kg.stores import sparql

        table = sparql.select(endpoint, text, graph_iri)
    else:
        table = kg.select(text)
    return sort_lists(table, query.lists)


LIST_SEPARATOR = ", "


def sort_lists(table: ResultTable, columns: tuple[str, ...]) -> ResultTable:
    """Sort the items of the columns a query builds with GROUP_CONCAT (declared in its '# lists:' header line):
    SPARQL leaves their order to the engine, and the same answer should read the same on every engine."""
    indexes = [table.variables.index(c) for c in columns if c in table.variables]
    if not indexes:
        return table
    # A cell already in order (most lists hold one item) is kept, and each distinct cell is sorted once.
    done: dict[Literal, Literal] = {}
    rows = []
    for row in table.rows:
        cells = list(row)
        for i in indexes:
            cell = cells[i]
            if isinstance(cell, Literal):
                if cell not in done:
                    text = str(cell)
                    ordered = LIST_SEPARATOR.join(sorted(text.split(LIST_SEPARATOR))) if text else ""
                    done[cell] = cell if ordered == text and cell.datatype is None and not cell.language \
                        else Literal(ordered)
                cells[i] = done[cell]
        rows.append(tuple(cells))
    return ResultTable(table.variables, rows)
