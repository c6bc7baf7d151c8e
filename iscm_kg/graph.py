"""Files to graph: parse the ontology and data, stamp the version, and derive what the rules imply."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iscm_kg import __version__, resources
from iscm_kg.errors import InputError
from iscm_kg.labels import Lookup
from iscm_kg.namespaces import ONTOLOGY_IRI, PREFIXES, new_graph

FORMATS_BY_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


class KnowledgeGraph:
    """The merged graph, held by one engine and converted to the other on first use.

    `graph` is the rdflib view people use; `store` is the pyoxigraph store the fast engine queries and
    validates. For each subject, `file_of` names the file it was written in (for curator-facing messages).
    """

    def __init__(self, files: Sequence[Path], *, graph: Graph | None = None, store: Any = None,
                 origin: dict[Node, Path] | None = None) -> None:
        self.files = list(files)
        self._graph = graph
        self._store = store
        self._origin = origin

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from iscm_kg import oxigraph_engine

            self._graph = oxigraph_engine.to_graph(self._store, new_graph())
        return self._graph

    @property
    def store(self) -> Any:
        """The pyoxigraph store (the 'fast' extra); built from the rdflib graph when that came first."""
        from iscm_kg import oxigraph_engine

        if self._store is None:
            return oxigraph_engine.store_for(self.graph)
        return self._store

    @property
    def has_store(self) -> bool:
        return self._store is not None

    def lookup(self) -> Lookup:
        """Subject and object lookups, from whichever engine holds the graph."""
        if self._store is not None:
            from iscm_kg import oxigraph_engine

            return oxigraph_engine.StoreView(self._store)
        return self.graph

    def file_of(self, node: Node) -> Path | None:
        if self._origin is None:
            from iscm_kg import oxigraph_engine

            if oxigraph_engine.available():
                self._origin = oxigraph_engine.subjects_by_file(self.files)
            else:
                self._origin = {}
                for path in self.files:
                    for subject in parse_file(path).subjects():
                        self._origin.setdefault(subject, path)
        return self._origin.get(node)

    def __len__(self) -> int:
        return len(self._store) if self._store is not None else len(self.graph)


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
    engine: str = "auto",
) -> KnowledgeGraph:
    """The knowledge graph: ontology, then the shipped data (unless include_data is false), then extra files.

    With inferred (the default), the derived triples (types and values adopted from claims, class and
    property closure, short role properties) are added, so that simple queries read them directly.
    The engine auto uses pyoxigraph where installed (and the cache), else rdflib; rdflib is the reference.
    """
    files = [*resources.ontology_files(), *(resources.data_files() if include_data else []), *extra_files]
    from iscm_kg import oxigraph_engine

    if oxigraph_engine.chosen(engine):
        return KnowledgeGraph(files, store=_load_store(files, inferred))
    graph = new_graph()
    origin: dict[Node, Path] = {}
    for path in files:
        part = parse_file(path)
        for subject in part.subjects():
            origin.setdefault(subject, path)
        graph += part
    stamp_version(graph)
    if inferred:
        derive(graph)
    return KnowledgeGraph(files, graph=graph, origin=origin)


def _load_store(files: Sequence[Path], inferred: bool) -> Any:
    """Parse and derive inside Oxigraph, or read the result of an earlier identical build from the cache."""
    import pyoxigraph as ox

    from iscm_kg import cache, oxigraph_engine

    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    rules = resources.rule_files()
    entry = cache.key("graph", [*files, *rules], f"inferred={inferred}")
    store = ox.Store()
    hit = cache.get(entry, ".nt")
    if hit is not None:
        store.load(path=str(hit), format=ox.RdfFormat.N_TRIPLES)
        return store
    oxigraph_engine.parse_files(files, store)
    ontology = URIRef(ONTOLOGY_IRI)
    oxigraph_engine.replace_value(store, ontology, OWL.versionInfo, Literal(__version__))
    oxigraph_engine.replace_value(store, ontology, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{__version__}"))
    if inferred:
        oxigraph_engine.derive(store, [rule.read_text(encoding="utf-8") for rule in rules])
    if cache.enabled():
        cache.put(entry, ".nt", store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"")
    return store
