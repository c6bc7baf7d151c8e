"""Readable names for IRIs: an English preferred label, else a prefixed name."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from iscm_kg.engines import Lookup
from iscm_kg.namespaces import compact, prefixed

__all__ = ["compact", "label_of", "prefixed"]


def label_of(graph: Lookup, node: Node) -> str:
    """An English (or untagged) skos:prefLabel or rdfs:label, else any label, else the prefixed name."""
    fallback = None
    for prop in (SKOS.prefLabel, RDFS.label):
        for label in graph.objects(node, prop):
            if isinstance(label, Literal):
                if label.language in (None, "en"):
                    return str(label)
                fallback = fallback or str(label)
    if fallback:
        return fallback
    return (prefixed(node) if isinstance(node, URIRef) else None) or str(node)
