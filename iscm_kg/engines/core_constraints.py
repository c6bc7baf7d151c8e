"""SHACL Core constraints answered as plain SELECT queries over the whole graph, on the engine that holds it.

A SHACL validator walks each focus node and each value node. For the constraint components that shapes/ uses,
the same results come from one query per constraint: the focus nodes of the node shape's targets (a sub-SELECT)
joined with the property path, filtered by the component's condition, `$this` left free. Nested shapes (sh:node,
sh:not, sh:or, sh:and, sh:qualifiedValueShape, nested sh:property) become a boolean SPARQL expression saying
whether a node conforms. Each solution is one validation result, written as pySHACL writes it: the focus node;
sh:value for the components that report a value node; sh:resultPath, the property shape's path; the shape's
messages and severity; sh:sourceShape and sh:sourceConstraintComponent. The differential tests compare every field
with pyshacl-turbo's own results on every shape case and on the shipped data.

Why: the validator first copies the whole store into its own (a dump and a parse, 7.6 s and twice the memory at
1M triples), and with every shape answered here that copy is never made (docs/benchmarks.md).

`split` takes the node shapes it can answer this way out of the shapes graph, and leaves to the validator any
shape with a parameter it does not translate (it never guesses: an unknown parameter keeps the whole node shape
with the validator).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from iscm_kg.engines.base import ResultTable
from iscm_kg.engines.sparql_constraints import distinct_solutions, new_result, report_root, target_patterns, without

# What a shape may carry beside its constraint parameters; anything else not in PARAMETERS keeps it with the
# validator.
DESCRIPTIVE = {RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDFS.label,
               RDFS.comment, SH.path}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
# Parameters read together with another one: they are not constraints of their own.
AUXILIARY = {SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount}
# Value types whose lexical forms Oxigraph can check by casting, as a validator checks that a literal is well formed.
CASTABLE = {XSD.gYear, XSD.gYearMonth, XSD.date, XSD.dateTime, XSD.integer, XSD.decimal, XSD.double, XSD.float,
            XSD.boolean}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
# The components that report the value node (sh:value); the others report only the focus node.
VALUE_COMPONENTS = {SH["class"], SH.datatype, SH.pattern, SH.languageIn, SH.node, SH["not"], SH["or"], SH["and"],
                    SH["in"], *COMPARISONS}
COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
    SH.node: SH.NodeConstraintComponent, SH["not"]: SH.NotConstraintComponent, SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent, SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
PARAMETERS = {*COMPONENT, SH.property, SH.qualifiedValueShape} | AUXILIARY


class Unsupported(Exception):
    """A shape this module does not translate; it stays with the validator."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as one query over the whole graph: ?this, and ?value where it reports one."""

    shape: Node
    component: URIRef
    severity: Node
    messages: tuple[Literal, ...]
    path: Node | None
    query: str


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Callable[[Node], list[Node]]) -> None:
        self.shapes = shapes
        self.subclasses = functools.cache(subclasses)  # one query per class, though several shapes name it
        self.names = itertools.count()

    def fresh(self) -> str:
        return f"?v{next(self.names)}"

    def value(self, node: Node, parameter: URIRef) -> Node:
        values = list(self.shapes.objects(node, parameter))
        if len(values) != 1:
            raise Unsupported(f"{node} has {len(values)} values for {parameter}")
        return values[0]

    def typed(self, term: str, shape: Node) -> str:
        """A pattern matching term when it is an instance of shape's sh:class: SHACL's rdf:type/rdfs:subClassOf*,
        with the class and its subclasses listed (a path followed from each value node cost ParticipationShape-member
        5.9 s at 1M triples, the list 0.23 s)."""
        classes = ", ".join(c.n3() for c in self.subclasses(self.value(shape, SH["class"])))
        variable = self.fresh()
        return f"{term} {RDF.type.n3()} {variable} FILTER ({variable} IN ({classes}))"

    def number(self, node: Node, parameter: URIRef) -> int:
        value = self.value(node, parameter)
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise Unsupported(f"{node}: {parameter} is not an integer")
        return int(value.toPython())

    def items(self, node: Node, parameter: URIRef) -> list[Node]:
        return list(Collection(self.shapes, self.value(node, parameter)))

    def path(self, shape: Node) -> str:
        path = self.value(shape, SH.path)
        if isinstance(path, URIRef):
            return path.n3()
        inverse = self.shapes.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and set(self.shapes.predicates(path, None)) == {SH.inversePath}:
            return "^" + inverse.n3()
        raise Unsupported(f"{shape}: a path other than an IRI or an inverse IRI")

    def parameters(self, shape: Node) -> list[URIRef]:
        found: list[URIRef] = []
        for parameter in set(self.shapes.predicates(shape, None)):
            assert isinstance(parameter, URIRef)
            if parameter in DESCRIPTIVE or parameter in TARGETS:
                continue
            if parameter not in PARAMETERS or parameter == SH.deactivated:
                raise Unsupported(f"{shape}: {parameter}")
            if parameter not in AUXILIARY:
                found.append(parameter)
        return sorted(found, key=str)

    def value_test(self, shape: Node, parameter: URIRef, term: str) -> str:
        """Whether the value node `term` satisfies the component of shape's parameter."""
        if parameter == SH["class"]:
            return f"EXISTS {{ {self.typed(term, shape)} }}"
        if parameter == SH.datatype:
            datatype = self.value(shape, parameter)
            if datatype == RDF.langString:
                return f"(isLiteral({term}) && LANG({term}) != \"\")"
            test = f"isLiteral({term}) && sameTerm(DATATYPE({term}), {datatype.n3()})"
            if datatype in CASTABLE:
                test += f" && COALESCE(sameTerm(DATATYPE({datatype.n3()}(STR({term}))), {datatype.n3()}), false)"
            return f"({test})"
        if parameter == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return f"(!isBlank({term}) && REGEX(STR({term}), {Literal(str(self.value(shape, parameter))).n3()}{extra}))"
        if parameter == SH.languageIn:
            tags = " || ".join(f"langMatches(LANG({term}), {Literal(str(t)).n3()})"
                               for t in self.items(shape, parameter))
            return f"(isLiteral({term}) && ({tags or 'false'}))"
        if parameter in COMPARISONS:
            return f"COALESCE({term} {COMPARISONS[parameter]} {self.value(shape, parameter).n3()}, false)"
        if parameter == SH["in"]:
            members = " || ".join(f"sameTerm({term}, {m.n3()})" for m in self.items(shape, parameter))
            return f"({members or 'false'})"
        if parameter == SH.hasValue:
            return f"sameTerm({term}, {self.value(shape, parameter).n3()})"
        if parameter == SH.node:
            return self.conforms(self.value(shape, parameter), term)
        if parameter == SH["not"]:
            return f"!({self.conforms(self.value(shape, parameter), term)})"
        if parameter in (SH["or"], SH["and"]):
            joined = (" || " if parameter == SH["or"] else " && ").join(
                self.conforms(member, term) for member in self.items(shape, parameter))
            return f"({joined or ('false' if parameter == SH['or'] else 'true')})"
        raise Unsupported(f"{shape}: {parameter} on a value node")

    def conforms(self, shape: Node, term: str) -> str:
        """Whether the node `term` conforms to shape (a nested shape: a node shape, or a property shape)."""
        tests: list[str] = []
        is_property = (shape, SH.path, None) in self.shapes
        for parameter in self.parameters(shape):
            if parameter == SH.property:
                tests.extend(self.conforms(p, term) for p in self.shapes.objects(shape, SH.property))
            elif not is_property:
                if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape):
                    raise Unsupported(f"{shape}: {parameter} on a node shape")
                tests.append(self.value_test(shape, parameter, term))
            else:
                tests.append(self.property_test(shape, parameter, term))
        return "(" + (" && ".join(tests) or "true") + ")"

    def property_test(self, shape: Node, parameter: URIRef, term: str) -> str:
        path, other = self.path(shape), self.fresh()
        if parameter == SH.minCount and self.number(shape, parameter) == 1:
            return f"EXISTS {{ {term} {path} {other} }}"
        if parameter == SH.maxCount and self.number(shape, parameter) == 1:
            second = self.fresh()
            return f"NOT EXISTS {{ {term} {path} {other} , {second} FILTER (!sameTerm({other}, {second})) }}"
        if parameter == SH.hasValue:
            return f"EXISTS {{ {term} {path} {self.value(shape, parameter).n3()} }}"
        if parameter in VALUE_COMPONENTS:
            return f"NOT EXISTS {{ {term} {path} {other} FILTER (!({self.value_test(shape, parameter, other)})) }}"
        raise Unsupported(f"{shape}: {parameter} in a nested property shape")

    def checks(self, shape: Node, focus: str) -> list[Check]:
        """The checks of a node shape with targets (focus: a group binding ?this) and of its property shapes."""
        found = []
        for parameter in self.parameters(shape):
            if parameter == SH.property:
                for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                    found.extend(self.property_checks(prop, focus))
                continue
            if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape):
                raise Unsupported(f"{shape}: {parameter} on a node shape")
            if parameter == SH["class"]:
                query = (f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} "
                         f"MINUS {{ {self.typed('?this', shape)} }} }}")
            else:
                test = self.value_test(shape, parameter, "?this")
                query = f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!({test})) }}"
            found.append(self.check(shape, COMPONENT[parameter], None, query))
        return found

    def property_checks(self, shape: Node, focus: str) -> list[Check]:
        path = self.path(shape)
        path_node = self.value(shape, SH.path)
        found = []
        for parameter in self.parameters(shape):
            if parameter == SH.property:
                raise Unsupported(f"{shape}: a property shape nested in a property shape")
            if parameter == SH.minCount:
                count = self.number(shape, parameter)
                query = (f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}" if count == 1
                         else f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                              f"HAVING (COUNT(DISTINCT ?value) < {count})")
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
            elif parameter == SH.maxCount:
                count = self.number(shape, parameter)
                # Two distinct values join faster than a count grouped by focus node (0.12 s and 0.30 s at 1M).
                query = (f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value , ?other "
                         f"FILTER (!sameTerm(?value, ?other)) }}" if count == 1
                         else f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} GROUP BY ?this "
                              f"HAVING (COUNT(DISTINCT ?value) > {count})")
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
            elif parameter == SH.hasValue:
                query = (f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS "
                         f"{{ ?this {path} {self.value(shape, parameter).n3()} }} }}")
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
            elif parameter == SH.uniqueLang:
                if self.value(shape, parameter) != Literal(True):
                    continue
                # One result per language used twice, and no value: pySHACL's reading of the specification.
                query = (f"SELECT DISTINCT ?this (LCASE(LANG(?value)) AS ?language) WHERE {{ {focus} "
                         f"?this {path} ?value , ?other FILTER (isLiteral(?value) && isLiteral(?other) && "
                         f"!sameTerm(?value, ?other) && LANG(?value) != \"\" && "
                         f"LCASE(LANG(?value)) = LCASE(LANG(?other))) }}")
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
            elif parameter == SH.qualifiedValueShape:
                found.extend(self.qualified_checks(shape, path, path_node, focus))
            elif parameter == SH["class"]:
                # A MINUS finds the instances once; an EXISTS looks each value node up, which in a store that took
                # the derived triples after its first load cost 4.7 s at 1M triples (the MINUS 0.25 s).
                query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                         f"MINUS {{ {self.typed('?value', shape)} }} }}")
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
            else:
                test = self.value_test(shape, parameter, "?value")
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value FILTER (!({test})) }}"
                found.append(self.check(shape, COMPONENT[parameter], path_node, query))
        return found

    def qualified_checks(self, shape: Node, path: str, path_node: Node, focus: str) -> list[Check]:
        if (shape, SH.qualifiedValueShapesDisjoint, None) in self.shapes:
            raise Unsupported(f"{shape}: sh:qualifiedValueShapesDisjoint")
        test = self.conforms(self.value(shape, SH.qualifiedValueShape), "?value")
        found = []
        for bound, operator, component in ((SH.qualifiedMinCount, "<", SH.QualifiedMinCountConstraintComponent),
                                           (SH.qualifiedMaxCount, ">", SH.QualifiedMaxCountConstraintComponent)):
            if (shape, bound, None) in self.shapes:
                query = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value FILTER ({test}) }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {operator} {self.number(shape, bound)})")
                found.append(self.check(shape, component, path_node, query))
        if not found:
            raise Unsupported(f"{shape}: sh:qualifiedValueShape without a count")
        return found

    def check(self, shape: Node, component: URIRef, path: Node | None, query: str) -> Check:
        messages = tuple(m for m in self.shapes.objects(shape, SH.message) if isinstance(m, Literal))
        if not messages:
            raise Unsupported(f"{shape}: no sh:message (the validator writes its own)")
        return Check(shape, component, self.shapes.value(shape, SH.severity) or SH.Violation, messages, path, query)


def split(shapes: Graph, subclasses: Callable[[Node], list[Node]]) -> tuple[Graph, list[Check]]:
    """The shapes left to the validator, and the checks answered as queries (the node shapes they came from
    removed). A node shape without targets, referenced by no other shape, selects no focus node: it is removed
    too, since it can give no result. subclasses gives a class and every class of the data graph below it
    (rdfs:subClassOf*)."""
    compiler = _Compiler(shapes, subclasses)
    checks: list[Check] = []
    taken: list[Node] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if (None, None, shape) in shapes or (shape, SH.sparql, None) in shapes \
                or (shape, RDF.type, RDFS.Class) in shapes:
            continue
        if not any((shape, target, None) in shapes for target in TARGETS):
            taken.append(shape)
            continue
        prefixes: dict[str, str] = {}
        targets = target_patterns(shapes, shape, prefixes)
        if not targets or prefixes:
            continue
        focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(targets) + " } }"
        try:
            found = compiler.checks(shape, focus)
        except Unsupported:
            continue
        checks.extend(found)
        taken.append(shape)
    return without(shapes, taken), checks


def needs_validator(shapes: Graph) -> bool:
    """Whether any shape left could select a focus node (a target, or a node shape that is also a class)."""
    if any((None, target, None) in shapes for target in TARGETS):
        return True
    return any((shape, RDF.type, RDFS.Class) in shapes for shape in shapes.subjects(RDF.type, SH.NodeShape))


def _copy_path(report: Graph, shapes: Graph, path: Node) -> Node:
    if isinstance(path, URIRef):
        return path
    node = BNode()
    for predicate, obj in shapes.predicate_objects(path):
        report.add((node, predicate, obj))
    return node


def add_results(report: Graph, shapes: Graph, checks: Iterable[Check], select: Callable[[str], ResultTable]) -> int:
    """Answer each check with select and add its results to the report graph; how many were added."""
    root = report_root(report)
    added = 0
    for check in checks:
        reports_value = check.component in {COMPONENT[p] for p in VALUE_COMPONENTS}
        for bound in distinct_solutions(select(check.query)):
            node = new_result(report, root, bound["this"], check.severity, check.shape, check.component)
            if reports_value and "value" in bound:
                report.add((node, SH.value, bound["value"]))
            if check.path is not None:
                report.add((node, SH.resultPath, _copy_path(report, shapes, check.path)))
            for message in check.messages:
                report.add((node, SH.resultMessage, message))
            added += 1
    if added:
        report.set((root, SH.conforms, Literal(False)))
    return added
