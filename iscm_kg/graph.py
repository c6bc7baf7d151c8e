"""Files to graph: parse the ontology and data, stamp the version, and derive what the rules imply.

The one loader: whichever engine holds the graph, the steps and the cache are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from iscm_kg import __version__, cache, engines, resources
from iscm_kg.engines import Engine, ResultTable, Triple
from iscm_kg.engines.rdflib_engine import derive_into, parse_file
from iscm_kg.errors import InputError
from iscm_kg.namespaces import ONTOLOGY_IRI

__all__ = ["KnowledgeGraph", "derive", "load", "parse_file", "rule_texts", "stamp_version"]


class KnowledgeGraph:
    """The merged graph, held by one engine, with the files it was read from.

    Query, validate, export and load it as it is; `graph` gives an rdflib Graph for code that wants one (on the
    Oxigraph engine a copy, made once and dropped when the graph changes through add or remove).
    """

    def __init__(self, files: Sequence[Path], engine: Engine) -> None:
        self.files = list(files)
        self.engine = engine
        self._rdflib: Graph | None = None
        self._origin: dict[Node, Path] | None = None

    @classmethod
    def of_graph(cls, graph: Graph, engine: str = "auto") -> KnowledgeGraph:
        """A caller's rdflib graph as a KnowledgeGraph (see engines.wrap for what each engine does with it)."""
        return cls([], engines.wrap(graph, engine))

    @property
    def graph(self) -> Graph:
        if self._rdflib is None:
            self._rdflib = self.engine.to_rdflib()
        return self._rdflib

    def select(self, text: str) -> ResultTable:
        return self.engine.select(text)

    def add(self, triple: Triple) -> None:
        self.engine.add(triple)
        self._changed()

    def remove(self, triple: Triple) -> None:
        self.engine.remove(triple)
        self._changed()

    def _changed(self) -> None:
        if self.engine.name != "rdflib":
            self._rdflib = None

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]:
        return iter(self.engine.objects(subject, predicate))

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]:
        return iter(self.engine.subjects(predicate, obj))

    def file_of(self, node: Node) -> Path | None:
        """The first file that describes this subject (for curator-facing messages)."""
        if self._origin is None:
            self._origin = {}
            for path in self.files:
                for subject in self.engine.subjects_in(path):
                    self._origin.setdefault(subject, path)
        return self._origin.get(node)

    def __len__(self) -> int:
        return len(self.engine)


def stamp_version(target: Engine | Graph) -> None:
    """Write the package's single version number into the ontology header."""
    ontology = URIRef(ONTOLOGY_IRI)
    values = ((OWL.versionInfo, Literal(__version__)), (OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{__version__}")))
    for predicate, value in values:
        if isinstance(target, Graph):
            target.set((ontology, predicate, value))
        else:
            target.set_value(ontology, predicate, value)


def rule_texts() -> list[str]:
    """The derivation rules, ontology/rules/*.rq in file-name order."""
    return [rule.read_text(encoding="utf-8") for rule in resources.rule_files()]


def derive(graph: Graph) -> Graph:
    """Apply the derivation rules to an rdflib graph in place (reference engine); return what they added."""
    return derive_into(graph, rule_texts())


def load(
    extra_files: Sequence[Path] = (),
    *,
    include_data: bool = True,
    inferred: bool = True,
    engine: str = "auto",
) -> KnowledgeGraph:
    """The knowledge graph: ontology, then the shipped data (unless include_data is false), then extra files.

    With inferred (the default), the derived triples (types and values adopted from claims, class and
    property closure, short role properties) are added, so that simple queries read them directly. An
    identical earlier build (same files, rules, code, engine versions) is read from the cache.
    """
    files = [*resources.ontology_files(), *(resources.data_files() if include_data else []), *extra_files]
    for path in files:
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
    held = engines.create(engine)
    entry = cache.key("graph", [*files, *resources.rule_files()], f"inferred={inferred}", f"engine={held.name}")
    hit = cache.get(entry, ".nt")
    if hit is not None:
        held.load_ntriples(hit)
        return KnowledgeGraph(files, held)
    for path in files:
        held.parse(Path(path))
    stamp_version(held)
    if inferred:
        held.derive(rule_texts())
    if cache.enabled():
        cache.put(entry, ".nt", held.dump_ntriples())
    return KnowledgeGraph(files, held)
