"""Readable names for IRIs: an English preferred label, else a prefixed name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from iscm_kg.namespaces import PREFIXES


class Lookup(Protocol):
    """What labels and parameter resolution read: an rdflib Graph, or a view of an Oxigraph store."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterable[Node]: ...

    def subjects(self, predicate: Node, obj: Node, /) -> Iterable[Node]: ...


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
