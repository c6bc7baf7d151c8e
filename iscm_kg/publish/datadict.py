"""The data dictionary (Markdown): every class and property of the ISCM ontology with its label, definition,
domain and range, how often the released graph uses it, and the SHACL constraints that apply to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Literal, Node

from iscm_kg.namespaces import ISCM, compact

PROPERTY_TYPES = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
                  OWL.AnnotationProperty: "annotation property"}
# Shown as the constraint's own words, not as constraint parameters.
NOT_PARAMETERS: set[URIRef] = {SH.path, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group,
                                RDF.type}
SHAPES_NS = "https://w3id.org/iscm-kg/shapes#"
PLAIN_DATATYPES = {XSD.integer, XSD.boolean, XSD.decimal}


def _english(graph: Graph, node: Node, prop: URIRef) -> str:
    values = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
    english = [str(o) for o in values if o.language in (None, "en")]
    return " ".join(sorted(english or [str(o) for o in values]))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _names(nodes: Iterable[Node]) -> str:
    return ", ".join(sorted(f"`{compact(n)}`" for n in nodes if isinstance(n, URIRef))) or "—"


def _term(shapes: Graph, node: Node) -> str:
    """A constraint parameter's value in Turtle-like form: prefixed names, lists, nested shapes in brackets."""
    if isinstance(node, URIRef):
        return _name(node)
    if isinstance(node, Literal):
        return str(node) if node.datatype in PLAIN_DATATYPES else node.n3()
    if (node, RDF.first, None) in shapes:
        return "( " + " ".join(_term(shapes, item) for item in Collection(shapes, node)) + " )"
    return f"[ {_parameters(shapes, node, set())} ]"


def _parameters(shapes: Graph, node: Node, skip: set[URIRef]) -> str:
    """The node's predicates and values, sorted by their text (blank-node labels differ from parse to parse)."""
    pairs = sorted(f"{compact(p)} {_term(shapes, o)}" for p, o in shapes.predicate_objects(node)
                   if isinstance(p, URIRef) and p not in skip)
    return "; ".join(pairs)


def _key(shapes: Graph) -> Callable[[Node], str]:
    return lambda node: _term(shapes, node)


def _severity(shapes: Graph, shape: Node, owner: Node | None) -> str:
    for node in (shape, owner):
        if node is not None:
            severity = shapes.value(node, SH.severity)
            if isinstance(severity, URIRef):
                return str(severity).rsplit("#", 1)[-1]
    return "Violation"


def _property_constraint(shapes: Graph, prop_shape: Node, owner: Node) -> str:
    params = _parameters(shapes, prop_shape, NOT_PARAMETERS)
    message = _english(shapes, prop_shape, SH.message)
    return f"{_severity(shapes, prop_shape, owner)}: `{params}`" + (f" — {message}" if message else "")


def _name(node: URIRef) -> str:
    """A prefixed name; the shapes' own namespace (not one of the data's prefixes) as shp:."""
    return f"shp:{node[len(SHAPES_NS):]}" if node.startswith(SHAPES_NS) else compact(node)


def _shape_name(node: Node) -> str:
    return _name(node) if isinstance(node, URIRef) else "(unnamed shape)"


def _class_constraints(shapes: Graph, cls: URIRef) -> list[str]:
    lines = []
    for shape in sorted(shapes.subjects(SH.targetClass, cls), key=_key(shapes)):
        lines.append(f"- {_shape_name(shape)}:")
        for prop_shape in sorted(shapes.objects(shape, SH.property), key=_key(shapes)):
            path = shapes.value(prop_shape, SH.path)
            path_text = f"`{_term(shapes, path)}`" if path is not None else "(no path)"
            lines.append(f"  - {path_text} {_property_constraint(shapes, prop_shape, shape)}")
        for sparql in sorted(shapes.objects(shape, SH.sparql), key=lambda n: _english(shapes, n, SH.message)):
            lines.append(f"  - SPARQL {_severity(shapes, sparql, shape)}: {_english(shapes, sparql, SH.message)}")
    return lines


def _property_constraints(shapes: Graph, prop: URIRef) -> list[str]:
    lines = []
    for prop_shape in sorted(shapes.subjects(SH.path, prop), key=_key(shapes)):
        for owner in sorted(shapes.subjects(SH.property, prop_shape), key=_key(shapes)):
            targets = _names(shapes.objects(owner, SH.targetClass))
            lines.append(f"- {_shape_name(owner)} (on {targets}): {_property_constraint(shapes, prop_shape, owner)}")
    return lines


def _anchor(term: URIRef) -> str:
    """The anchor Markdown renderers give the heading '### prefix:Local'."""
    return compact(term).replace(":", "").lower()


def _instances(graph: Graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def _uses(graph: Graph, prop: URIRef) -> int:
    return len(list(graph.triples((None, prop, None))))


def _ontology_terms(ontology: Graph, kinds: Iterable[URIRef]) -> list[URIRef]:
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    return sorted(t for t in terms if isinstance(t, URIRef) and str(t).startswith(str(ISCM)))


def render(ontology: Graph, asserted: Graph, inferred: Graph, shapes: Graph, version: str) -> str:
    """ontology: ontology/iscm.ttl; asserted: ontology and data files; inferred: with the derived triples."""
    out = [f"# Data dictionary: ISCM ontology {version}", "",
           "Generated by `iscm-kg build` from `ontology/iscm.ttl`, the data and `shapes/iscm-shapes.ttl`. "
           "*Asserted* counts what the ontology and data files state; *with derived* adds what the rules in "
           "`ontology/rules/` derive (values adopted from claims, class and property closure, short role "
           "properties). Severity is Violation unless a shape says otherwise.", ""]
    classes = _ontology_terms(ontology, (OWL.Class,))
    properties = _ontology_terms(ontology, PROPERTY_TYPES)

    out += ["## Classes", "", "| class | label | instances, asserted | instances, with derived |", "|---|---|--:|--:|"]
    out += [f"| [`{compact(c)}`](#{_anchor(c)}) | {_cell(_english(ontology, c, RDFS.label))} "
            f"| {_instances(asserted, c)} | {_instances(inferred, c)} |" for c in classes]
    out.append("")
    for cls in classes:
        out += [f"### {compact(cls)}", "",
                f"**{_english(ontology, cls, RDFS.label)}.** {_english(ontology, cls, SKOS.definition)}", "",
                f"- IRI: <{cls}>",
                f"- subclass of: {_names(ontology.objects(cls, RDFS.subClassOf))}",
                f"- instances: {_instances(asserted, cls)} asserted, {_instances(inferred, cls)} with derived", ""]
        constraints = _class_constraints(shapes, cls)
        out += (["SHACL shapes targeting this class:", "", *constraints] if constraints
                else ["No SHACL shape targets this class."]) + [""]

    out += ["## Properties", "",
            "| property | label | kind | domain | range | triples, asserted | triples, with derived |",
            "|---|---|---|---|---|--:|--:|"]
    for prop in properties:
        kinds = ", ".join(sorted(PROPERTY_TYPES[k] for k in ontology.objects(prop, RDF.type)
                                  if isinstance(k, URIRef) and k in PROPERTY_TYPES))
        out.append(f"| [`{compact(prop)}`](#{_anchor(prop)}) "
                   f"| {_cell(_english(ontology, prop, RDFS.label))} | {kinds} "
                   f"| {_names(ontology.objects(prop, RDFS.domain))} | {_names(ontology.objects(prop, RDFS.range))} "
                   f"| {_uses(asserted, prop)} | {_uses(inferred, prop)} |")
    out.append("")
    for prop in properties:
        functional = (prop, RDF.type, OWL.FunctionalProperty) in ontology
        out += [f"### {compact(prop)}", "",
                f"**{_english(ontology, prop, RDFS.label)}.** {_english(ontology, prop, SKOS.definition)}", "",
                f"- IRI: <{prop}>",
                f"- domain: {_names(ontology.objects(prop, RDFS.domain))}; "
                f"range: {_names(ontology.objects(prop, RDFS.range))}" + ("; functional" if functional else ""),
                f"- subproperty of: {_names(ontology.objects(prop, RDFS.subPropertyOf))}",
                f"- triples: {_uses(asserted, prop)} asserted, {_uses(inferred, prop)} with derived", ""]
        constraints = _property_constraints(shapes, prop)
        out += (["SHACL property shapes on this property:", "", *constraints] if constraints
                else ["No SHACL property shape has this property as its path."]) + [""]
    return "\n".join(out).rstrip("\n") + "\n"

