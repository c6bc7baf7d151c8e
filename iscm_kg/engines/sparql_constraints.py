"""SHACL-SPARQL constraints answered as plain SELECT queries over the whole graph, on the engine that holds it.

A SHACL validator runs a SPARQL-based constraint once per focus node, with `$this` pre-bound. For the node
shapes of shapes/ whose only constraints are `sh:sparql`, the same results come from one query per constraint:
the focus nodes of the shape's targets (a sub-SELECT) joined with the constraint's own pattern, `$this` left
free. Each solution is one validation result, written as pySHACL writes it (focus node, sh:value from `?value`
or the focus node, sh:resultPath from `?path`, the message with `{?var}` and `{$var}` replaced by the bound
terms, sh:sourceConstraint, the shape's severity), so the report is the one the validator would give; the
differential tests compare the two on the shipped data and on every shape case.

`split` takes the shapes it can answer this way out of the shapes graph and leaves the rest (property shapes,
shapes that other shapes reference, shapes with core constraints beside `sh:sparql`, constraints using
`$PATH`, `$currentShape` or `$shapesGraph`, or a query whose text it does not recognise) to the validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from iscm_kg.engines.base import ResultTable

# What a node shape may carry beside its sh:sparql constraints and still be answered here.
SHAPE_PROPERTIES = {RDF.type, SH.sparql, SH.severity, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                    SH.targetObjectsOf, SH.target, RDFS.label, RDFS.comment, SH.name, SH.description}
CONSTRAINT_PROPERTIES = {RDF.type, SH.select, SH.message, SH.prefixes, RDFS.label, RDFS.comment}
TARGET_PROPERTIES = {RDF.type, SH.select, SH.prefixes, RDFS.label, RDFS.comment}
UNSUPPORTED_VARIABLES = re.compile(r"[?$](PATH|currentShape|shapesGraph)\b")
# The constraint's text up to the opening brace of its WHERE clause: prologue, SELECT and projection.
HEAD = re.compile(r"^\s*((?:PREFIX\s+[\w.-]*:\s*<[^>]*>\s*|BASE\s*<[^>]*>\s*)*)(SELECT\b[^{}\"']*?)(?:WHERE\s*)?\{",
                  re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Check:
    """One sh:sparql constraint of one node shape, as one query over the whole graph."""

    shape: Node
    constraint: Node
    severity: Node
    messages: tuple[Literal, ...]
    query: str


def _prefix_lines(shapes: Graph, holder: Node) -> dict[str, str] | None:
    """The sh:declare prefixes that holder's sh:prefixes point to; None where one prefix has two namespaces."""
    found: dict[str, str] = {}
    for ontology in shapes.objects(holder, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                continue
            if found.get(str(prefix), str(namespace)) != str(namespace):
                return None
            found[str(prefix)] = str(namespace)
    return found


def _only(shapes: Graph, node: Node, allowed: set[URIRef]) -> bool:
    return all(p in allowed for p in shapes.predicates(node, None))


def target_patterns(shapes: Graph, shape: Node, prefixes: dict[str, str]) -> list[str] | None:
    """One group pattern binding ?this per target of the shape (SHACL's target semantics); None if unsupported."""
    patterns = []
    for cls in shapes.objects(shape, SH.targetClass):
        patterns.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {cls.n3()} }}")
    nodes = [node.n3() for node in shapes.objects(shape, SH.targetNode)]
    if nodes:
        patterns.append("{ VALUES ?this { " + " ".join(nodes) + " } }")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"{{ ?this {prop.n3()} ?targetObject }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"{{ ?targetSubject {prop.n3()} ?this }}")
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        own = _prefix_lines(shapes, target)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None or own is None \
                or not _only(shapes, target, TARGET_PROPERTIES):
            return None
        for prefix, namespace in own.items():
            if prefixes.setdefault(prefix, namespace) != namespace:
                return None
        match = HEAD.match(str(select))
        if match is None or match.group(1).strip():
            return None
        patterns.append("{ " + str(select) + " }")
    return patterns


def _check(shapes: Graph, shape: Node, constraint: Node) -> Check | None:
    select = shapes.value(constraint, SH.select)
    if select is None or not _only(shapes, constraint, CONSTRAINT_PROPERTIES) \
            or UNSUPPORTED_VARIABLES.search(str(select)):
        return None
    prefixes = _prefix_lines(shapes, constraint)
    if prefixes is None:
        return None
    targets = target_patterns(shapes, shape, prefixes)
    match = HEAD.match(str(select))
    if not targets or match is None or match.group(1).strip():
        return None
    focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(targets) + " } }"
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes.items())
    text = str(select)
    query = prologue + text[: match.end()] + "\n  " + focus + "\n" + text[match.end():]
    messages = tuple(m for m in [*shapes.objects(shape, SH.message), *shapes.objects(constraint, SH.message)]
                     if isinstance(m, Literal))
    return Check(shape, constraint, shapes.value(shape, SH.severity) or SH.Violation, messages, query)


def split(shapes: Graph) -> tuple[Graph, list[Check]]:
    """The shapes left to the validator, and the checks answered as queries (the shapes they came from removed)."""
    checks: list[Check] = []
    taken: list[Node] = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        if (shape, RDF.type, SH.NodeShape) not in shapes or (shape, RDF.type, RDFS.Class) in shapes \
                or (None, None, shape) in shapes or not _only(shapes, shape, SHAPE_PROPERTIES) \
                or (shape, SH.deactivated, None) in shapes:
            continue
        found = [_check(shapes, shape, c) for c in shapes.objects(shape, SH.sparql)]
        if found and all(c is not None for c in found):
            checks.extend(c for c in found if c is not None)
            taken.append(shape)
    return without(shapes, taken), checks


def without(shapes: Graph, taken: Sequence[Node]) -> Graph:
    """The shapes graph without the triples of the taken shapes (the graph itself where none is taken)."""
    if not taken:
        return shapes
    rest = Graph(bind_namespaces="none")
    rest += shapes
    for shape in taken:
        for triple in list(rest.triples((shape, None, None))):
            rest.remove(triple)
    return rest


def report_root(report: Graph) -> Node:
    """The report's sh:ValidationReport node, made (conforming) where the report is still empty."""
    root = report.value(None, RDF.type, SH.ValidationReport, any=True)
    if root is None:
        root = BNode()
        report.add((root, RDF.type, SH.ValidationReport))
        report.add((root, SH.conforms, Literal(True)))
    return root


def new_result(report: Graph, root: Node, focus: Node, severity: Node, shape: Node, component: Node) -> BNode:
    """A validation result of the report, with the fields every result has."""
    node = BNode()
    report.add((root, SH.result, node))
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, focus))
    report.add((node, SH.resultSeverity, severity))
    report.add((node, SH.sourceShape, shape))
    report.add((node, SH.sourceConstraintComponent, component))
    return node


def _message(text: str, bound: dict[str, Node]) -> str:
    """pySHACL's substitution: {?name} and {$name} become the bound term's string form."""
    for name, value in bound.items():
        text = re.sub("{[?$]" + re.escape(name) + "}", str(value).replace("\\", "\\\\"), text)
    return text


def distinct_solutions(table: ResultTable) -> Iterator[dict[str, Node]]:
    """The bound variables of each distinct solution that binds ?this, as pySHACL reads a constraint's solutions."""
    seen: set[tuple[tuple[str, Node], ...]] = set()
    for row in table.rows:
        bound = {name: value for name, value in zip(table.variables, row, strict=True) if value is not None}
        key = tuple(sorted(bound.items()))
        if "this" in bound and key not in seen:
            seen.add(key)
            yield bound


def results(table: ResultTable) -> Iterator[tuple[Node, dict[str, Node]]]:
    """(focus node, bound variables) per distinct solution of a SHACL-SPARQL constraint."""
    for bound in distinct_solutions(table):
        if "failure" not in bound:  # a ?failure solution is a validator failure in pySHACL; never written by our shapes
            yield bound["this"], bound


def add_results(report: Graph, checks: Iterable[Check], select: Callable[[str], ResultTable]) -> int:
    """Answer each check with select and add its results to the report graph; how many were added."""
    root = report_root(report)
    added = 0
    for check in checks:
        for focus, bound in results(select(check.query)):
            node = new_result(report, root, focus, check.severity, check.shape, SH.SPARQLConstraintComponent)
            report.add((node, SH.sourceConstraint, check.constraint))
            report.add((node, SH.value, bound.get("value", focus)))
            if "path" in bound:
                report.add((node, SH.resultPath, bound["path"]))
            for message in check.messages:
                report.add((node, SH.resultMessage, Literal(_message(str(message), bound))))
            added += 1
    if added:
        report.set((root, SH.conforms, Literal(False)))
    return added
