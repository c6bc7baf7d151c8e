"""The Engine contract: what the toolkit asks of an RDF engine, and the result table a SELECT gives.

Two engines implement it: rdflib with pySHACL (the pure-Python reference) and pyoxigraph, which answers the
shapes as queries (the fast default). Everything above this layer (loading, queries, validation, publishing,
stores) talks to an Engine and never to rdflib's or Oxigraph's store directly, so the differential tests can run
every feature on both and compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


@dataclass
class ResultTable:
    """The columns (read from the result, never from the query text) and the rows of RDF terms."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]

    def sorted(self) -> ResultTable:
        """Rows in a canonical order, for comparing answers of different engines."""
        key = lambda row: tuple("" if t is None else t.n3() for t in row)  # noqa: E731
        return ResultTable(self.variables, sorted(self.rows, key=key))


class Lookup(Protocol):
    """What labels and parameter resolution read: an Engine, or an rdflib Graph."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterable[Node]: ...

    def subjects(self, predicate: Node, obj: Node, /) -> Iterable[Node]: ...


class Engine(Protocol):
    """One graph held by one engine. Methods raise InputError (file:line:column) for unreadable input."""

    name: str

    def parse(self, path: Path) -> None:
        """Add the triples of one RDF file (format from its suffix)."""

    def load_ntriples(self, path: Path) -> None:
        """Add the triples of an N-Triples file this engine (or the other) dumped."""

    def subjects_in(self, path: Path) -> Iterator[Node]:
        """The subjects one file describes, parsed the way parse() reads it: where each entity came from."""

    def add(self, triple: Triple) -> None: ...

    def remove(self, triple: Triple) -> None: ...

    def set_value(self, subject: Node, predicate: Node, value: Node) -> None:
        """Give the subject exactly this one value of the predicate."""

    def derive(self, rules: Sequence[str]) -> int:
        """Apply CONSTRUCT rules in order (a later rule sees what earlier ones added); how many triples were added."""

    def select(self, text: str) -> ResultTable:
        """Answer a SELECT query; the project's prefixes are predeclared, a query's own PREFIX wins."""

    def shacl(self, shapes: Graph, extra: Sequence[Path], meta_shacl: bool) -> Graph:
        """Validate this graph plus the extra files (left out of this graph) against the shapes: the report."""

    def dump_ntriples(self) -> bytes: ...

    def to_rdflib(self) -> Graph:
        """The triples as an rdflib Graph: the engine's own graph on rdflib, a copy on Oxigraph."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]: ...

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]: ...

    def __len__(self) -> int: ...
