"""The reference engine: rdflib for parsing and SPARQL, pySHACL for validation (pure Python, slow, trusted)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iscm_kg.engines.base import ResultTable, Triple
from iscm_kg.errors import InputError, IscmError
from iscm_kg.formats import parser_for_suffix
from iscm_kg.namespaces import PREFIXES, new_graph


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file; a missing file or a syntax error becomes an InputError naming file, line and column."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = parser_for_suffix(path.suffix)
    graph = into if into is not None else Graph(bind_namespaces="none")
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        text = exc._str.decode("utf-8", "replace") if isinstance(exc._str, bytes) else str(exc._str)
        line_start = text.rfind("\n", 0, exc._i) + 1
        column = exc._i - line_start + 1
        raise InputError(f"{path}:{exc.lines + 1}:{column}: Turtle syntax error: {exc._why}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}): {exc.reason}") from None
    except Exception as exc:  # rdflib raises many types for malformed input of the other formats
        raise InputError(f"{path}: cannot parse as {fmt}: {exc}") from None
    return graph


class RdflibEngine:
    """The Engine contract over an rdflib Graph (given, to work on a caller's graph in place, or new)."""

    name = "rdflib"

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else new_graph()

    def parse(self, path: Path) -> None:
        parse_file(path, self.graph)

    def load_ntriples(self, path: Path) -> None:
        self.graph.parse(path, format="nt")

    def subjects_in(self, path: Path) -> Iterator[Node]:
        return iter(set(parse_file(path).subjects()))

    def add(self, triple: Triple) -> None:
        self.graph.add(triple)

    def remove(self, triple: Triple) -> None:
        self.graph.remove(triple)

    def set_value(self, subject: Node, predicate: Node, value: Node) -> None:
        self.graph.set((subject, predicate, value))

    def derive(self, rules: Sequence[str]) -> int:
        return len(derive_into(self.graph, rules))

    def select(self, text: str) -> ResultTable:
        result = self.graph.query(text, initNs=PREFIXES)
        variables = [str(v) for v in (result.vars or [])]
        return ResultTable(variables, [tuple(row) for row in result])  # type: ignore[arg-type]

    def shacl(self, shapes: Graph, extra: Sequence[Path], meta_shacl: bool) -> Graph:
        from pyshacl import validate  # heavy import, paid only by the verbs that validate

        data = Graph(bind_namespaces="none")
        data += self.graph
        for path in extra:
            parse_file(path, data)
        _conforms, report, text = validate(data, shacl_graph=shapes, inference="none", meta_shacl=meta_shacl,
                                           allow_warnings=True, advanced=True)  # the shapes' SPARQL targets
        # (SHACL-AF sh:target): without advanced mode pySHACL skips those shapes silently
        if not isinstance(report, Graph):
            raise IscmError(f"the shapes cannot be run: {text}")
        return report

    def dump_ntriples(self) -> bytes:
        return self.graph.serialize(format="nt", encoding="utf-8")

    def to_rdflib(self) -> Graph:
        return self.graph

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]:
        return self.graph.objects(subject, predicate)

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]:
        return self.graph.subjects(predicate, obj)

    def __len__(self) -> int:
        return len(self.graph)


def derive_into(graph: Graph, rules: Sequence[str]) -> Graph:
    """Apply the rules to graph in place; return a graph of what they added."""
    added = new_graph()
    for rule in rules:
        result = graph.query(rule, initNs=PREFIXES)
        new = [t for t in result if t not in graph]  # type: ignore[operator]
        for triple in new:
            graph.add(triple)  # type: ignore[arg-type]
            added.add(triple)  # type: ignore[arg-type]
    return added
