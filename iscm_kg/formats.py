"""The one table of RDF formats: export, release, VoID, parsing and the tests all iterate over it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RdfFormat:
    name: str  # what users type: iscm-kg export --format NAME
    rdflib: str  # rdflib's serialiser and parser name
    suffix: str  # the file name ending, with its dot
    media_type: str
    quads: bool  # the format holds named graphs: the data travels as the dataset's named graph


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "turtle", ".ttl", "text/turtle", False),
    RdfFormat("nt", "nt", ".nt", "application/n-triples", False),
    RdfFormat("jsonld", "json-ld", ".jsonld", "application/ld+json", False),
    RdfFormat("rdfxml", "xml", ".rdf", "application/rdf+xml", False),
    RdfFormat("trig", "trig", ".trig", "application/trig", True),
    RdfFormat("nquads", "nquads", ".nq", "application/n-quads", True),
)
BY_NAME = {f.name: f for f in FORMATS}
# Views hold a chosen part of the graph, laid out for reading: they do not parse back to the whole graph.
VIEWS = ("jsonld-framed",)
NAMES = tuple(BY_NAME)
ALL_NAMES = (*NAMES, *VIEWS)

# Files people give us to read may also be N3 or OWL/XML.
_EXTRA_SUFFIXES = {".n3": "n3", ".owl": "xml"}


def parser_for_suffix(suffix: str) -> str:
    """rdflib's parser for a file name ending; Turtle when the ending says nothing."""
    suffix = suffix.lower()
    for fmt in FORMATS:
        if fmt.suffix == suffix:
            return fmt.rdflib
    return _EXTRA_SUFFIXES.get(suffix, "turtle")


def media_type_for_suffix(suffix: str) -> str | None:
    for fmt in FORMATS:
        if fmt.suffix == suffix:
            return fmt.media_type
    return None
