"""From what a person types (a code, a name, an acronym, an IRI) to the RDF term a query parameter binds."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from iscm_kg.engines import Lookup
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import ISCM
from iscm_kg.query.catalogue import Parameter
from iscm_kg.query.labels import label_of

CLASS_OF_TYPE = {
    "mechanism": ISCM.ISCM,
    "state": ISCM.State,
    "organisation": ISCM.Organisation,
    "participant": ISCM.Participant,
    "theme": ISCM.Theme,
    "region": ISCM.Region,
    "status": ISCM.Status,
    "role": ISCM.Role,
}
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, ISCM.acronym, ISCM.isoAlpha2, ISCM.isoAlpha3,
                   ISCM.m49Code)


def _names(graph: Lookup, node: Node) -> set[str]:
    names = {str(o).casefold() for p in NAME_PROPERTIES for o in graph.objects(node, p)}
    text = str(node)
    names.add(text.casefold())
    names.add(text.rsplit("/", 1)[-1].rsplit("#", 1)[-1].casefold())
    return names


def candidates(graph: Lookup, ptype: str) -> list[Node]:
    if ptype == "mechanism-type":  # the ontology names the types: the subclasses of iscm:ISCM
        return sorted((c for c in graph.subjects(RDFS.subClassOf, ISCM.ISCM) if c != ISCM.ISCM), key=str)
    return sorted(set(graph.subjects(RDF.type, CLASS_OF_TYPE[ptype])), key=str)


def resolve(graph: Lookup, param: Parameter, text: str) -> Node:
    """Resolve one parameter value; an unknown or ambiguous value is an IscmError that says what was expected."""
    if param.type == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise IscmError(f"parameter '{param.name}' expects a whole number, got '{text}'") from None
    if param.type == "string":
        return Literal(text)
    wanted = text.strip().casefold()
    pool = candidates(graph, param.type)
    matches = [c for c in pool if wanted in _names(graph, c)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise IscmError(
            f"parameter '{param.name}': no {param.type} matches '{text}' "
            f"(give a code, an acronym, a name or an IRI; for example '{param.example}')"
        )
    listed = "; ".join(f"{label_of(graph, m)} <{m}>" for m in matches[:8])
    raise IscmError(f"parameter '{param.name}': '{text}' matches {len(matches)} {param.type}s: {listed}; "
                    "give a code or the IRI")

