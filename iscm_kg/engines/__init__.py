"""The engine layer: the one place that chooses an engine, by one vocabulary.

- ``oxigraph``: pyoxigraph (the shapes answered as its queries, pyshacl-turbo for what they do not cover), core
  dependencies, the default (``auto``);
- ``rdflib``: rdflib and pySHACL, the pure-Python reference that the differential tests compare against.
"""

from __future__ import annotations

from rdflib import Graph

from iscm_kg.engines.base import Engine, Lookup, ResultTable, Triple
from iscm_kg.errors import IscmError

__all__ = ["ENGINES", "Engine", "Lookup", "ResultTable", "Triple", "create", "name_of", "wrap"]

ENGINES = ("auto", "oxigraph", "rdflib")


def name_of(engine: str) -> str:
    """The concrete engine an engine name means: 'auto' is Oxigraph."""
    if engine not in ENGINES:
        raise IscmError(f"unknown engine '{engine}'; the engines are: {', '.join(ENGINES)}")
    return "rdflib" if engine == "rdflib" else "oxigraph"


def create(engine: str = "auto") -> Engine:
    """A new, empty graph held by the named engine."""
    if name_of(engine) == "rdflib":
        from iscm_kg.engines.rdflib_engine import RdflibEngine

        return RdflibEngine()
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine

    return OxigraphEngine()


def wrap(graph: Graph, engine: str = "auto") -> Engine:
    """An engine over a caller's rdflib graph: rdflib works on it in place (so it sees every later change);
    Oxigraph gets a fresh copy each time (never a cached one, which would answer from an older state)."""
    if name_of(engine) == "rdflib":
        from iscm_kg.engines.rdflib_engine import RdflibEngine

        return RdflibEngine(graph)
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine

    return OxigraphEngine.of_graph(graph)
