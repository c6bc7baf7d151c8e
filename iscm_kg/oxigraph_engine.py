"""The fast engine (the 'fast' extra): files parsed, rules derived and SPARQL answered inside pyoxigraph.

rdflib stays the API people see and the reference engine; the heavy work runs here when pyoxigraph is
installed, because it parses some 40 times and answers the canned queries one to three orders of magnitude
faster (docs/benchmarks.md). The differential tests check that both engines build the same graph and give
the same rows for every canned query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iscm_kg.errors import InputError
from iscm_kg.results import ResultTable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_STORES: dict[int, Any] = {}


def available() -> bool:
    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        return False
    return True


ENGINES = ("auto", "oxigraph", "rdflib")


def chosen(engine: str) -> bool:
    """Whether this engine name means Oxigraph: 'oxigraph', or 'auto' where pyoxigraph is installed."""
    from iscm_kg.errors import IscmError

    if engine not in ENGINES:
        raise IscmError(f"unknown engine '{engine}'; the engines are: {', '.join(ENGINES)}")
    if engine == "oxigraph" and not available():
        raise IscmError("the oxigraph engine needs pyoxigraph: pip install 'iscm-kg[fast]'")
    return engine == "oxigraph" or (engine == "auto" and available())


def to_ox(term: Node) -> Any:
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


def from_ox(term: Any) -> Node | None:
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
    if datatype == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def new_store(triples: Iterable[tuple[Node, Node, Node]] = ()) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), default) for s, p, o in triples)
    return store


def store_for(graph: Graph) -> Any:
    """An Oxigraph store holding an rdflib graph's triples, built once per graph object and size."""
    key = id(graph)
    cached = _STORES.get(key)
    if cached is not None and cached[0] is graph and cached[1] == len(graph):
        return cached[2]
    store = new_store(graph)
    _STORES[key] = (graph, len(graph), store)
    return store


def to_graph(store: Any, into: Graph) -> Graph:
    """Copy the store's default graph into an rdflib graph (term by term: faster than re-parsing text)."""
    for quad in store:
        into.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))  # type: ignore[arg-type]
    return into


def parse_files(paths: Sequence[Path], store: Any) -> None:
    """Parse Turtle (or N-Triples) files into the store's default graph.

    On a syntax error the file is parsed again with rdflib, whose message names file, line and column in the
    same words whichever engine is in use.
    """
    import pyoxigraph as ox

    formats = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            store.load(path=str(path), format=formats.get(path.suffix.lower(), ox.RdfFormat.TURTLE),
                       base_iri=path.resolve().as_uri())
        except (SyntaxError, ValueError, OSError) as exc:
            from iscm_kg.graph import parse_file

            parse_file(path)  # raises the InputError with file:line:column
            raise InputError(f"{path}: {exc}") from None


def subjects_by_file(paths: Sequence[Path]) -> dict[Node, Path]:
    """For each subject, the first file that describes it (for curator-facing messages)."""
    import pyoxigraph as ox

    origin: dict[Node, Path] = {}
    for path in paths:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            subject = from_ox(triple.subject)
            if subject is not None and subject not in origin:
                origin[subject] = path
    return origin


def derive(store: Any, rules: Sequence[str]) -> int:
    """Apply the derivation rules (CONSTRUCT queries, in order; a later rule sees what the earlier ones added)
    inside the store; returns how many triples were added."""
    import pyoxigraph as ox

    before = len(store)
    default = ox.DefaultGraph()
    for rule in rules:
        store.extend([ox.Quad(t.subject, t.predicate, t.object, default) for t in store.query(rule)])
    return len(store) - before


def replace_value(store: Any, subject: URIRef, predicate: URIRef, value: Node) -> None:
    """Give the subject exactly one value of the predicate (what rdflib's Graph.set does)."""
    import pyoxigraph as ox

    s, p = to_ox(subject), to_ox(predicate)
    for quad in list(store.quads_for_pattern(s, p, None, ox.DefaultGraph())):
        store.remove(quad)
    store.add(ox.Quad(s, p, to_ox(value), ox.DefaultGraph()))


class StoreView:
    """The two lookups that parameter resolution and labels need, answered from a store in rdflib terms."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        for quad in self.store.quads_for_pattern(to_ox(subject), to_ox(predicate), None, None):
            term = from_ox(quad.object)
            assert term is not None
            yield term

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        for quad in self.store.quads_for_pattern(None, to_ox(predicate), to_ox(obj), None):
            term = from_ox(quad.subject)
            assert term is not None
            yield term


def select_store(store: Any, text: str) -> ResultTable:
    from iscm_kg.namespaces import sparql_prologue

    # The same default prefixes rdflib's engine is given (initNs); a query's own PREFIX lines win.
    solutions = store.query(sparql_prologue() + text)
    variables = [v.value for v in solutions.variables]
    rows = [tuple(from_ox(solution[v]) for v in variables) for solution in solutions]
    return ResultTable(variables, rows)


def select(graph: Graph, text: str) -> ResultTable:
    return select_store(store_for(graph), text)
