"""The fast engine (the default): pyoxigraph parses, derives, answers SPARQL and validates: each SHACL Core and
SHACL-SPARQL constraint is one SELECT (engines/core_constraints.py, sparql_constraints.py); pyshacl-turbo runs only
shapes that neither translates, and SHACL-for-SHACL.

It parses some 40 times and answers the canned queries one to three orders of magnitude faster than rdflib
(docs/benchmarks.md). The differential tests check that it builds the same graph, derives the same triples,
gives the same rows for every canned query and the same SHACL reports as the rdflib reference engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from iscm_kg.engines.base import ResultTable, Triple
from iscm_kg.errors import InputError, IscmError
from iscm_kg.namespaces import new_graph, sparql_prologue

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT = ox.DefaultGraph()
_OX_FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
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


def from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def _quad(triple: Triple) -> ox.Quad:
    s, p, o = (to_ox(t) for t in triple)
    assert not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode)
    return ox.Quad(s, p, o, DEFAULT)


def _declared_prefixes(shapes: Graph, holder: Node) -> str:
    """PREFIX lines for the sh:declare entries that a SHACL-SPARQL node's sh:prefixes point to."""
    lines = []
    for ontology in shapes.objects(holder, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(lines)


def _ox_format(path: Path) -> ox.RdfFormat:
    return _OX_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)


class OxigraphEngine:
    """The Engine contract over an in-memory pyoxigraph Store (its default graph)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()

    @classmethod
    def of_graph(cls, graph: Graph) -> OxigraphEngine:
        engine = cls()
        engine.store.bulk_extend(_quad(t) for t in graph)
        return engine

    def parse(self, path: Path) -> None:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        if path.suffix.lower() not in _OX_FORMATS:  # JSON-LD, RDF/XML, N3: rdflib reads them for us
            from iscm_kg.engines.rdflib_engine import parse_file

            self.store.bulk_extend(_quad(t) for t in parse_file(path))
            return
        try:
            self.store.load(path=str(path), format=_ox_format(path), base_iri=path.resolve().as_uri())
        except (SyntaxError, ValueError, OSError) as exc:
            from iscm_kg.engines.rdflib_engine import parse_file

            parse_file(path)  # raises the InputError with file:line:column in the reference engine's words
            raise InputError(f"{path}: {exc}") from None

    def load_ntriples(self, path: Path) -> None:
        self.store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

    def subjects_in(self, path: Path) -> Iterator[Node]:
        # Deduplicated on pyoxigraph's own terms, so each subject is converted once, not once per triple (1M
        # triples: 3.0 s -> 1.1 s when a validation report names its files).
        seen: set[object] = set()
        for triple in ox.parse(path=str(path), format=_ox_format(path), base_iri=path.resolve().as_uri()):
            if triple.subject not in seen:
                seen.add(triple.subject)
                yield from_ox(triple.subject)

    def add(self, triple: Triple) -> None:
        self.store.add(_quad(triple))

    def remove(self, triple: Triple) -> None:
        self.store.remove(_quad(triple))

    def set_value(self, subject: Node, predicate: Node, value: Node) -> None:
        s, p = to_ox(subject), to_ox(predicate)
        for quad in list(self.store.quads_for_pattern(s, p, None, DEFAULT)):  # type: ignore[arg-type]
            self.store.remove(quad)
        self.add((subject, predicate, value))

    def derive(self, rules: Sequence[str]) -> int:
        before = len(self.store)
        for rule in rules:
            solutions = self.store.query(rule)
            assert isinstance(solutions, ox.QueryTriples)
            self.store.extend([ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in solutions])
        return len(self.store) - before

    def select(self, text: str) -> ResultTable:
        # The same default prefixes rdflib's engine is given (initNs); a query's own PREFIX lines win.
        solutions = self.store.query(sparql_prologue() + text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise IscmError("only SELECT queries give a result table")
        variables = [v.value for v in solutions.variables]
        # Each distinct term is converted once: rdflib's Literal is costly to build, and the same mechanisms,
        # roles, years and sources fill most cells (participations at 1M triples: 4.6 s -> 1.9 s to convert).
        converted: dict[object, Node] = {}

        def convert(term: object) -> Node | None:
            if term is None:
                return None
            node = converted.get(term)
            if node is None:
                node = converted[term] = from_ox(term)
            return node

        rows = [tuple(convert(term) for term in solution) for solution in solutions]
        return ResultTable(variables, rows)

    def shacl(self, shapes: Graph, extra: Sequence[Path], meta_shacl: bool) -> Graph:
        """Every constraint answered here as one SELECT: the SHACL-SPARQL node shapes (engines/sparql_constraints.py)
        and the SHACL Core ones (engines/core_constraints.py), with the same results as the validator; pyshacl-turbo
        runs only the shapes neither translates, and SHACL-for-SHACL."""
        from iscm_kg.engines import core_constraints, sparql_constraints

        added = self._add_for_validation(extra)  # validated beside the data, then taken out again
        try:
            resolved = self.targets_resolved(shapes)
            # SHACL-for-SHACL reads the shapes as given to the validator: all of them then.
            rest, checks = (resolved, []) if meta_shacl else sparql_constraints.split(resolved)
            rest, core = (rest, []) if meta_shacl else core_constraints.split(rest, self.subclasses)
            report = self._validator_report(rest, meta_shacl) if meta_shacl or core_constraints.needs_validator(rest) \
                else Graph()
            core_constraints.add_results(report, resolved, core, self.select)
            sparql_constraints.add_results(report, checks, self.select)
        finally:
            for quad in added:
                self.store.remove(quad)
        return report

    def subclasses(self, cls: Node) -> list[Node]:
        """The class and every class below it in this graph (rdfs:subClassOf*)."""
        rows = self.select(f"SELECT DISTINCT ?class WHERE {{ ?class <{RDFS.subClassOf}>* {cls.n3()} }}").rows
        return sorted({row[0] for row in rows if row[0] is not None} | {cls}, key=str)

    def _validator_report(self, shapes: Graph, meta_shacl: bool) -> Graph:
        """pyshacl-turbo's report on the shapes left (it copies the whole store first: avoided where none is left)."""
        from pyshacl_turbo import validate

        _conforms, report, text = validate(self.store, shacl_graph=shapes, inference="none", meta_shacl=meta_shacl,
                                           allow_warnings=True, advanced=True)
        if not isinstance(report, Graph):
            raise IscmError(f"the shapes cannot be run: {text}")
        return report

    def _add_for_validation(self, extra: Sequence[Path]) -> list[ox.Quad]:
        """Add the extra files' triples that the graph lacks; those quads (to remove after validating).

        Validating in place saves a copy of the whole store (4.8 s of CPU at 1M triples): only the triples that
        were not already there are added, so removing them leaves the graph exactly as it was."""
        scratch = OxigraphEngine()
        for path in extra:
            scratch.parse(path)
        added = [ox.Quad(q.subject, q.predicate, q.object, DEFAULT) for q in scratch.store if q not in self.store]
        self.store.extend(added)
        return added

    def targets_resolved(self, shapes: Graph) -> Graph:
        """The shapes with each SHACL-AF SPARQL target replaced by the focus nodes it selects, answered here.

        pyshacl-turbo evaluates a SPARQL target far slower than pyoxigraph answers the same query (the
        ConflictingClaims target at 1M triples: 85 s inside the validator, 0.19 s here); the nodes are the same,
        so the report is the same (the shape-case differential checks it against pySHACL)."""
        targets = [(shape, target) for shape, target in shapes.subject_objects(SH.target)
                   if (target, RDF.type, SH.SPARQLTarget) in shapes]
        if not targets:
            return shapes
        resolved = Graph(bind_namespaces="none")
        resolved += shapes
        answered: dict[Node, list[tuple[Node | None, ...]]] = {}  # a target shared by shapes is answered once
        for shape, target in targets:
            select = shapes.value(target, SH.select)
            if select is None:
                continue
            if target not in answered:
                answered[target] = self.select(_declared_prefixes(shapes, target) + str(select)).rows
            nodes = answered[target]
            for triple in list(resolved.triples((target, None, None))):
                resolved.remove(triple)
            resolved.remove((shape, SH.target, target))
            for (node,) in nodes:
                if node is not None:
                    resolved.add((shape, SH.targetNode, node))
        return resolved

    def dump_ntriples(self) -> bytes:
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=DEFAULT) or b""

    def to_rdflib(self) -> Graph:
        """A copy, term by term (faster than writing and re-parsing text)."""
        graph = new_graph()
        for quad in self.store:
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return graph

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]:
        for quad in self.store.quads_for_pattern(to_ox(subject), to_ox(predicate), None, None):  # type: ignore[arg-type]
            yield from_ox(quad.object)

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]:
        for quad in self.store.quads_for_pattern(None, to_ox(predicate), to_ox(obj), None):  # type: ignore[arg-type]
            yield from_ox(quad.subject)

    def __len__(self) -> int:
        return len(self.store)
