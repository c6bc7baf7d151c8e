"""Graph to files: deterministic serialisations, written atomically."""

from __future__ import annotations

import json

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, RDF, SKOS

from iscm_kg import formats
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import DATASET_GRAPH, ISCM, PREFIXES, new_graph
from iscm_kg.publish import framing
from iscm_kg.publish.context import context
from iscm_kg.publish.ordered import ordered_copy

ALL_FORMATS = formats.ALL_NAMES


def serialise(source: Graph | KnowledgeGraph, fmt: str) -> str:
    """Serialise so that the same graph always gives the same bytes: blank nodes get canonical labels,
    line-based formats are sorted, and the prefixes are the project's own. jsonld-framed is the framed view
    (iscm_kg.framing): every mechanism with its participations, claims and sources nested."""
    graph = source.graph if isinstance(source, KnowledgeGraph) else source
    if fmt not in ALL_FORMATS:
        raise IscmError(f"unknown export format '{fmt}'; the formats are: {', '.join(ALL_FORMATS)}")
    if fmt == "jsonld-framed":
        return framing.serialise(graph)
    spec = formats.BY_NAME[fmt]
    out = ordered_copy(new_graph())  # the project's prefixes, iterated in sorted order (see iscm_kg.ordered)
    out += to_canonical_graph(graph)
    if fmt == "jsonld":
        return _jsonld(out)
    if spec.quads:
        text = _in_named_graph(out).serialize(format=spec.rdflib)
    else:
        text = out.serialize(format=spec.rdflib)
    if spec.rdflib in ("nt", "nquads"):
        return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    return text


def _jsonld(graph: Graph) -> str:
    """Compacted with the shipped context. rdflib lists the top-level nodes in the hash order of a set of subjects,
    which changes from process to process: they are sorted by id here."""
    doc = json.loads(graph.serialize(format="json-ld", context=context()["@context"]))
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("id", "")) if isinstance(node, dict) else "")
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _in_named_graph(graph: Graph) -> Dataset:
    """The graph as the dataset's named graph, for the quad formats."""
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri)
    named = dataset.graph(URIRef(DATASET_GRAPH))
    named += graph
    return dataset


DESCRIBED_REFERENCES = (RDF.type, SKOS.prefLabel, SKOS.notation, ISCM.acronym, ISCM.isoAlpha3, DCTERMS.title,
                        ISCM.readOn, DCTERMS.source)


def entity_subgraph(graph: Graph, node: URIRef) -> Graph:
    """One entity with everything about it: its own triples, every resource that points at it (participations,
    claims, meetings) with their triples, and for each IRI these mention (participants, roles, sources) its type,
    names and, for a source, its title and date read, so the extract reads on its own."""
    out = new_graph()
    around = {node} | {s for s, _, _ in graph.triples((None, None, node)) if isinstance(s, URIRef | BNode)}
    for subject in around:
        for triple in graph.triples((subject, None, None)):
            out.add(triple)
    mentioned = {o for o in out.objects() if isinstance(o, URIRef)} | {s for s in around if s != node}
    for iri in mentioned - {node}:
        for prop in DESCRIBED_REFERENCES:
            for value in graph.objects(iri, prop):
                if isinstance(value, Literal) or prop == RDF.type:
                    out.add((iri, prop, value))
    for source in list(out.objects(None, DCTERMS.source)):
        for prop in (RDF.type, DCTERMS.title, ISCM.readOn, ISCM.seedFile):
            for value in graph.objects(source, prop):
                out.add((source, prop, value))
    return out
