"""The release's dataset description (void.ttl): VoID statistics and DCAT distributions for the files.

Counts are computed here from the graph, never typed in. Definitions, so that anyone can recount them:
triples are the asserted graph's (ontology and data files, as in every export format); entities are the
distinct IRIs in subject position; a class partition's entities are the distinct IRIs typed with that class
(classes whose only instances are blank nodes, such as owl:AllDisjointClasses, have no partition).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from iscm_kg import formats
from iscm_kg.namespaces import ID, ISCM, ONTOLOGY_IRI, PROV, new_graph

DATASET = URIRef("https://w3id.org/iscm-kg/dataset")
DERIVED_DATASET = URIRef("https://w3id.org/iscm-kg/dataset/derived")
RELEASE_BASE = "https://w3id.org/iscm-kg/release/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
# Data, ontology, shapes and documentation are CC BY 4.0; the derivation rules are code, under the code's MIT.
MIT = URIRef("https://spdx.org/licenses/MIT")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
# dcat:version is DCAT 3; rdflib's closed DCAT namespace stops at DCAT 2 and warns on it.
DCAT3 = Namespace(str(DCAT))

# The release's other files; RDF formats come from the format table.
OTHER_MEDIA_TYPES = {".html": "text/html", ".md": "text/markdown", ".rq": "application/sparql-query",
                     ".csv": "text/csv", ".json": "application/json",
                     ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

# Classes whose first instance (by IRI) is given as an example resource.
EXAMPLE_CLASSES = (ISCM.ISCM, ISCM.Participation, ISCM.State, ISCM.Organisation, ISCM.Claim, ISCM.SourceDocument)


@dataclass(frozen=True)
class FileInfo:
    """One file of the release: its path inside the folder (with /), and its size in bytes."""

    path: str
    size: int

    @property
    def media_type(self) -> str:
        suffix = "." + self.path.rsplit(".", 1)[-1] if "." in self.path else ""
        return formats.media_type_for_suffix(suffix) or OTHER_MEDIA_TYPES.get(suffix, "application/octet-stream")


@dataclass(frozen=True)
class FolderInfo:
    """A folder of the release described as one distribution (the website): its path (ending in /), the page
    to open first, what it is, how many files it holds and their total size in bytes."""

    path: str
    entry: str
    description: str
    files: int
    size: int


def release_iri(version: str, path: str = "") -> URIRef:
    """Where a file of this release is published (the pattern the README lists)."""
    return URIRef(f"{RELEASE_BASE}{version}/{path}")


def entities(graph: Graph) -> int:
    return len({s for s in graph.subjects() if isinstance(s, URIRef)})


def class_entities(graph: Graph) -> Counter[URIRef]:
    """For each class, the distinct IRIs typed with it."""
    pairs = {(s, o) for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and isinstance(o, URIRef)}
    return Counter(o for _s, o in pairs)


def _examples(graph: Graph) -> list[URIRef]:
    found = []
    for cls in EXAMPLE_CLASSES:
        instances = sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))
        if instances:
            found.append(instances[0])
    return found


def _statistics(desc: Graph, dataset: URIRef, graph: Graph) -> None:
    desc.add((dataset, VOID.triples, Literal(len(graph))))
    desc.add((dataset, VOID.entities, Literal(entities(graph))))
    desc.add((dataset, VOID.distinctSubjects, Literal(len(set(graph.subjects())))))
    desc.add((dataset, VOID.properties, Literal(len(set(graph.predicates())))))
    desc.add((dataset, VOID.distinctObjects, Literal(len(set(graph.objects())))))
    desc.add((dataset, VOID.classes, Literal(len(set(graph.objects(None, RDF.type))))))
    for cls, count in sorted(class_entities(graph).items()):
        partition = BNode()
        desc.add((dataset, VOID.classPartition, partition))
        desc.add((partition, VOID["class"], cls))
        desc.add((partition, VOID.entities, Literal(count)))


def _distribution(desc: Graph, dataset: URIRef, version: str, info: FileInfo) -> URIRef:
    dist = release_iri(version, info.path)
    desc.add((dataset, DCAT.distribution, dist))
    desc.add((dist, RDF.type, DCAT.Distribution))
    desc.add((dist, DCTERMS.title, Literal(info.path)))
    desc.add((dist, DCAT.downloadURL, dist))
    desc.add((dist, DCAT.mediaType, IANA[info.media_type]))
    desc.add((dist, DCAT.byteSize, Literal(info.size, datatype=XSD.nonNegativeInteger)))
    desc.add((dist, DCTERMS.license, MIT if info.path.endswith(".rq") else CC_BY))
    return dist


def describe(
    asserted: Graph,
    derived: Graph,
    files: Sequence[FileInfo],
    *,
    version: str,
    dumps: Sequence[str],
    derived_file: str,
    endpoint: str | None = None,
    issued: datetime.date | None = None,
    folders: Sequence[FolderInfo] = (),
) -> Graph:
    """The description of the dataset (the asserted graph) and of its derived triples, with one distribution per
    file. dumps are the files holding the whole asserted graph; derived_file holds the derived triples."""
    desc = Graph(bind_namespaces="none")
    for cls in (VOID.Dataset, DCAT.Dataset):
        desc.add((DATASET, RDF.type, cls))
    desc.add((DATASET, DCTERMS.title, Literal("ISCM knowledge graph", lang="en")))
    desc.add((DATASET, DCTERMS.description, Literal(
        "The inter-State consultation mechanisms on migration (regional consultative processes, interregional "
        "forums and global processes), the States and organisations that take part in them, in which role, and "
        "according to which source, with the ISCM ontology.", lang="en")))
    desc.add((DATASET, DCTERMS.license, CC_BY))
    desc.add((DATASET, DCAT3.version, Literal(version)))
    desc.add((DATASET, OWL.versionInfo, Literal(version)))
    desc.add((DATASET, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    desc.add((DATASET, VOID.uriSpace, Literal(ID)))
    if issued is not None:
        desc.add((DATASET, DCTERMS.issued, Literal(issued)))
    if endpoint:
        desc.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    for source in sorted(s for s in asserted.subjects(RDF.type, ISCM.SourceDocument) if isinstance(s, URIRef)):
        desc.add((DATASET, DCTERMS.source, source))
    for example in _examples(asserted):
        desc.add((DATASET, VOID.exampleResource, example))
    _statistics(desc, DATASET, asserted)

    for cls in (VOID.Dataset, DCAT.Dataset):
        desc.add((DERIVED_DATASET, RDF.type, cls))
    desc.add((DERIVED_DATASET, DCTERMS.title, Literal("ISCM knowledge graph: derived triples", lang="en")))
    desc.add((DERIVED_DATASET, DCTERMS.description, Literal(
        "The triples that the rules in ontology/rules add to the dataset: values adopted from claims, class and "
        "property closure, and the short role properties.", lang="en")))
    desc.add((DERIVED_DATASET, DCTERMS.license, CC_BY))
    desc.add((DERIVED_DATASET, DCAT3.version, Literal(version)))
    desc.add((DERIVED_DATASET, PROV.wasDerivedFrom, DATASET))
    desc.add((DERIVED_DATASET, VOID.triples, Literal(len(derived))))

    for info in files:
        owner = DERIVED_DATASET if info.path == derived_file else DATASET
        dist = _distribution(desc, owner, version, info)
        if info.path in dumps or info.path == derived_file:
            desc.add((owner, VOID.dataDump, dist))
    for folder in folders:
        dist = release_iri(version, folder.path)
        desc.add((DATASET, DCAT.distribution, dist))
        desc.add((dist, RDF.type, DCAT.Distribution))
        desc.add((dist, DCTERMS.title, Literal(folder.path)))
        desc.add((dist, DCTERMS.description, Literal(f"{folder.description} ({folder.files} files).", lang="en")))
        desc.add((dist, DCAT.accessURL, release_iri(version, folder.entry)))
        desc.add((dist, DCAT.mediaType, IANA["text/html"]))
        desc.add((dist, DCAT.byteSize, Literal(folder.size, datatype=XSD.nonNegativeInteger)))
        desc.add((dist, DCTERMS.license, CC_BY))
    return desc


def serialise(desc: Graph, version: str) -> str:
    """Turtle with canonical blank-node labels (the class partitions), so the same description gives the same
    bytes."""
    out = new_graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dist", Namespace(release_iri(version)))):
        out.bind(prefix, namespace)
    out += to_canonical_graph(desc)
    return out.serialize(format="turtle")
