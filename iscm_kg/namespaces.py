"""The project's namespaces, bound once for every graph it builds."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef

ISCM = Namespace("https://w3id.org/iscm-kg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/iscm-kg/ontology"
ID = "https://w3id.org/iscm-kg/id/"
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DATASET_GRAPH = "https://w3id.org/iscm-kg/graph"

PREFIXES: dict[str, str] = {
    "iscm": str(ISCM),
    "mech": ID + "mechanism/",
    "state": ID + "state/",
    "terr": ID + "territory/",
    "orgs": ID + "organisation/",
    "part": ID + "participation/",
    "claim": ID + "claim/",
    "src": ID + "source/",
    "role": ID + "role/",
    "status": ID + "status/",
    "theme": ID + "theme/",
    "region": ID + "region/",
    "org": str(ORG),
    "prov": str(PROV),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
}


def new_graph() -> Graph:
    """An empty graph with exactly the project's prefixes, so that serialisations are stable."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def sparql_prologue() -> str:
    """PREFIX lines for the project's prefixes, for engines that take no initNs; a query's own PREFIX wins."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def prefixed(iri: URIRef) -> str | None:
    """The IRI as prefix:local with the project's prefixes, or None where no prefix fits."""
    text = str(iri)
    for prefix, ns in _BY_LENGTH:
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return None


def compact(iri: URIRef) -> str:
    """The IRI as prefix:local, else in angle brackets (Turtle's forms, for messages)."""
    return prefixed(iri) or f"<{iri}>"
