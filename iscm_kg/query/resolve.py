"""From what a person types (a code, a name, an acronym, an IRI) to the RDF term a query parameter binds.

Lookup forgives what people type: case, accents and punctuation are ignored; a name matches in English, French
or Spanish, as an alternative or former name, as a whole-word part of a name ("Holy See", "Abu Dhabi"), or by a
State's name pattern from country_converter (data/states.ttl: "Turkey", "UK", "Ivory Coast"). A code, an
acronym, an IRI or the English name picks its entity outright; otherwise every entity matched is a candidate,
and more than one is an error listing them, so "Congo" or "Korea" never silently picks one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from iscm_kg.engines import Lookup
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import ISCM
from iscm_kg.query.catalogue import Parameter
from iscm_kg.query.labels import label_of
from iscm_kg.query.nearest import fold

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
CODE_PROPERTIES = (ISCM.acronym, ISCM.isoAlpha2, ISCM.isoAlpha3, ISCM.m49Code)
LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)
SHOWN_CANDIDATES = 8

# A year range's open ends: far enough outside any year the data holds that every year falls inside.
OPEN_START = -9999
OPEN_END = 9999
YEAR_RANGE = re.compile(r"^\s*(\d{1,4})?\s*(\.\.)?\s*(\d{1,4})?\s*$")
YEAR_RANGE_EXPECTED = "a year such as 2015 or a range FROM..TO such as 2010..2015 (2010.. or ..2015 leaves an end open)"


@dataclass(frozen=True)
class Names:
    """One entity's names, folded: `strong` pick it outright, `weak` make it a candidate."""

    node: Node
    strong: frozenset[str]
    weak: frozenset[str]
    patterns: tuple[str, ...]

    def matches_weakly(self, wanted: str, raw: str) -> bool:
        if wanted in self.weak:
            return True
        padded = f" {wanted} "
        if any(padded in f" {name} " for name in self.strong | self.weak):
            return True
        return any(re.search(p, raw, re.IGNORECASE) or re.search(p, wanted, re.IGNORECASE) for p in self.patterns)


def names_of(graph: Lookup, node: Node) -> Names:
    strong = {fold(str(o)) for p in CODE_PROPERTIES for o in graph.objects(node, p)}
    text = str(node)
    strong.add(text.casefold())
    strong.add(fold(text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]))
    weak: set[str] = set()
    for prop in LABEL_PROPERTIES:
        for label in graph.objects(node, prop):
            if not isinstance(label, Literal):
                continue
            english = prop == SKOS.prefLabel and label.language in (None, "en")
            (strong if english else weak).add(fold(str(label)))
    patterns = tuple(str(p) for p in graph.objects(node, ISCM.namePattern))
    return Names(node, frozenset(strong), frozenset(weak - strong), patterns)


def candidates(graph: Lookup, ptype: str) -> list[Node]:
    if ptype == "mechanism-type":  # the ontology names the types: the subclasses of iscm:ISCM
        return sorted((c for c in graph.subjects(RDFS.subClassOf, ISCM.ISCM) if c != ISCM.ISCM), key=str)
    return sorted(set(graph.subjects(RDF.type, CLASS_OF_TYPE[ptype])), key=str)


def code_of(graph: Lookup, node: Node) -> str:
    """The short handle a person can type back: ISO alpha-3, else the IRI's last part (a mechanism's ID)."""
    for value in graph.objects(node, ISCM.isoAlpha3):
        return str(value)
    return str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def describe(graph: Lookup, nodes: Iterable[Node]) -> str:
    return "; ".join(f"{label_of(graph, n)} ({code_of(graph, n)})" for n in nodes)


def find(graph: Lookup, ptype: str, text: str) -> list[Node]:
    """Every entity of the type that the text names: the one picked outright, or all candidates."""
    wanted = fold(text)
    if not wanted:
        return []
    pool = [names_of(graph, c) for c in candidates(graph, ptype)]
    raw = text.strip()
    strong = [n.node for n in pool if wanted in n.strong or raw.casefold() in n.strong]  # an IRI: casefolded
    if strong:
        return strong
    return [n.node for n in pool if n.matches_weakly(wanted, raw)]


def nearest_entities(graph: Lookup, ptype: str, text: str) -> list[Node]:
    labelled: dict[str, Node] = {}
    for node in candidates(graph, ptype):
        names = names_of(graph, node)
        for name in names.strong | names.weak:
            labelled.setdefault(name, node)
    found: list[Node] = []
    for name in difflib.get_close_matches(fold(text), list(labelled), n=12, cutoff=0.5):
        if labelled[name] not in found:
            found.append(labelled[name])
    return found[:3]


def year_range(param: Parameter, text: str) -> tuple[Literal, Literal]:
    """The inclusive (from, to) years of a 'year-range' value: '2015' is 2015..2015, an open end is
    OPEN_START or OPEN_END; a malformed or backwards range is an IscmError naming the parameter."""
    match = YEAR_RANGE.match(text)
    if match is None or (match.group(2) is None and (match.group(1) is None or match.group(3) is not None)):
        raise IscmError(f"parameter '{param.name}' expects {YEAR_RANGE_EXPECTED}, got '{text}'")
    first, dots, last = match.groups()
    if dots is None:
        start = end = int(first)
    else:
        start = int(first) if first is not None else OPEN_START
        end = int(last) if last is not None else OPEN_END
    if start > end:
        raise IscmError(f"parameter '{param.name}': the range '{text.strip()}' runs backwards ({start} is after "
                        f"{end}); expected {YEAR_RANGE_EXPECTED}")
    return Literal(start, datatype=XSD.integer), Literal(end, datatype=XSD.integer)


def resolve(graph: Lookup, param: Parameter, text: str) -> Node:
    """Resolve one parameter value; an unknown or ambiguous value is an IscmError that says what was expected."""
    if param.type == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise IscmError(f"parameter '{param.name}' expects a whole number, got '{text}'") from None
    if param.type == "string":
        return Literal(text)
    matches = find(graph, param.type, text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        near = nearest_entities(graph, param.type, text)
        hint = f"; did you mean: {describe(graph, near)}?" if near else f"; for example '{param.example}'"
        raise IscmError(f"parameter '{param.name}': no {param.type} matches '{text}'{hint}")
    shown = describe(graph, matches[:SHOWN_CANDIDATES])
    more = f" and {len(matches) - SHOWN_CANDIDATES} more" if len(matches) > SHOWN_CANDIDATES else ""
    raise IscmError(f"parameter '{param.name}': '{text}' matches {len(matches)} {param.type}s: {shown}{more}; "
                    "give one of these codes")
