"""Files to graph: parse the ontology and data, stamp the version, and derive what the rules imply."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iscm_kg import __version__, resources
from iscm_kg.errors import InputError
from iscm_kg.namespaces import ONTOLOGY_IRI, PREFIXES, new_graph

FORMATS_BY_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


@dataclass
class KnowledgeGraph:
    """The merged graph and, for each subject, the file it was written in (for curator-facing messages)."""

    graph: Graph
    files: list[Path] = field(default_factory=list)
    origin: dict[Node, Path] = field(default_factory=dict)

    def file_of(self, node: Node) -> Path | None:
        return self.origin.get(node)


def parse_file(path: Path) -> Graph:
    """Parse one RDF file; a missing file or a syntax error becomes an InputError naming file and line."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower(), "turtle")
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        text = exc._str.decode("utf-8", "replace") if isinstance(exc._str, bytes) else str(exc._str)
        line_start = text.rfind("\n", 0, exc._i) + 1
        column = exc._i - line_start + 1
        raise InputError(f"{path}:{exc.lines + 1}:{column}: Turtle syntax error: {exc._why}") from None
    except Exception as exc:  # rdflib raises many types for malformed input of the other formats
        raise InputError(f"{path}: cannot parse as {fmt}: {exc}") from None
    return graph


def read_files(paths: Iterable[Path], into: KnowledgeGraph) -> None:
    for path in paths:
        part = parse_file(path)
        for subject in set(part.subjects()):
            into.origin.setdefault(subject, path)
        into.graph += part
        into.files.append(path)


def stamp_version(graph: Graph) -> None:
    """Write the package's single version number into the ontology header."""
    ontology = URIRef(ONTOLOGY_IRI)
    graph.set((ontology, OWL.versionInfo, Literal(__version__)))
    graph.set((ontology, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{__version__}")))


def derive(graph: Graph) -> Graph:
    """Apply the derivation rules (ontology/rules/*.rq, in file-name order) and return what they added.

    Each rule is a CONSTRUCT query; a later rule sees what the earlier ones derived.
    """
    added = new_graph()
    for rule in resources.rule_files():
        result = graph.query(rule.read_text(encoding="utf-8"), initNs=PREFIXES)
        new = [t for t in result if t not in graph]  # type: ignore[operator]
        for triple in new:
            graph.add(triple)  # type: ignore[arg-type]
            added.add(triple)  # type: ignore[arg-type]
    return added


def load(
    extra_files: Sequence[Path] = (),
    *,
    include_data: bool = True,
    inferred: bool = True,
) -> KnowledgeGraph:
    """The knowledge graph: ontology, then the shipped data (unless include_data is false), then extra files.

    With inferred (the default), the derived triples (types and values adopted from claims, class and
    property closure, short role properties) are added, so that simple queries read them directly.
    """
    kg = KnowledgeGraph(new_graph())
    read_files(resources.ontology_files(), kg)
    if include_data:
        read_files(resources.data_files(), kg)
    read_files(extra_files, kg)
    stamp_version(kg.graph)
    if inferred:
        derive(kg.graph)
    return kg
