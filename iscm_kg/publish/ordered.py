"""A graph that lists its triples in sorted order.

rdflib's in-memory store keeps a graph's triples in a set, so iterating a graph follows the hash order of its terms,
which Python randomises per process (PYTHONHASHSEED). Writers that emit triples in iteration order (rdflib's
RDF/XML and JSON-LD, pyLODE) therefore give different bytes from run to run for the same graph. Reading the graph
through this class makes every iteration, and so their output, the same in every process.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from rdflib import Graph


def _key(triple: tuple[Any, Any, Any]) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


class OrderedGraph(Graph):
    """A Graph whose triples(), and so subjects(), predicate_objects() and the rest, yield in sorted order."""

    def triples(self, triple: Any) -> Generator[Any, None, None]:
        yield from sorted(super().triples(triple), key=_key)


def ordered_copy(graph: Graph) -> OrderedGraph:
    """A copy of graph with its namespace bindings, iterating in sorted order."""
    copy = OrderedGraph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    copy += graph
    return copy
