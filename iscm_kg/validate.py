"""Validate the knowledge graph against the SHACL shapes, giving a typed report written for curators."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from iscm_kg import graph as kg_graph
from iscm_kg import resources
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import new_graph

KNOWN_TERMS = "known-terms.ttl"
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One validation result: which entity, which property, what was found, and the shape that fired."""

    severity: str
    focus: Node
    path: Node | None
    value: Node | None
    message: str
    shape: Node
    component: Node
    file: Path | None
    named_shape: str = ""


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    fail_on_warning: bool = False

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        if self.count("Violation"):
            return False
        return not (self.fail_on_warning and self.count("Warning"))


def shapes_graph() -> Graph:
    shapes = new_graph()
    for path in resources.shapes_files():
        if path.name != KNOWN_TERMS:
            shapes += kg_graph.parse_file(path)
    return shapes


def data_graph_for(kg: KnowledgeGraph) -> Graph:
    """The graph the shapes see: ontology, data, derived triples, and the standard vocabularies' term lists."""
    data = Graph(bind_namespaces="none")
    data += kg.graph
    data += kg_graph.parse_file(resources.resource_root() / "shapes" / KNOWN_TERMS)
    return data


SHAPES_NS = "https://w3id.org/iscm-kg/shapes#"


def _named(shapes: Graph, shape: Node | None) -> str:
    """The named shape behind a result: the shape itself, or the node shape holding an anonymous property shape."""
    if isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS):
        return str(shape)[len(SHAPES_NS):]
    parent = shapes.value(None, SH.property, shape) if shape is not None else None
    return _named(shapes, parent) if parent is not None else str(shape)


def _findings(report: Graph, kg: KnowledgeGraph, shapes: Graph) -> list[Finding]:
    out: set[Finding] = set()
    # The report's own results only: a nested result (sh:detail, as sh:node gives) is not a finding of its own.
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        message = report.value(result, SH.resultMessage)
        assert focus is not None
        out.add(Finding(
            severity=SEVERITY_NAMES.get(severity, str(severity)),  # type: ignore[call-overload]
            focus=focus,
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            message=str(message) if message is not None else "",
            shape=report.value(result, SH.sourceShape) or URIRef(""),
            component=report.value(result, SH.sourceConstraintComponent) or URIRef(""),
            file=kg.file_of(focus),
            named_shape=_named(shapes, report.value(result, SH.sourceShape)),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda f: (order.get(f.severity, 3), str(f.file), str(f.focus), str(f.path), f.message))


ENGINES = ("auto", "turbo", "pyshacl")


def _engine(name: str) -> tuple[str, Callable[..., Any]]:
    """pyshacl-turbo (the 'fast' extra) by default where installed: it gives pySHACL's reports, which the
    differential tests check on every fixture, some 500 times faster on the shipped data. pySHACL is the
    reference engine."""
    if name not in ENGINES:
        raise IscmError(f"unknown SHACL engine '{name}'; the engines are: {', '.join(ENGINES)}")
    if name in ("auto", "turbo"):
        try:
            from pyshacl_turbo import validate as turbo_validate
        except ImportError:
            if name == "turbo":
                raise IscmError("the turbo engine needs pyshacl-turbo: pip install 'iscm-kg[fast]'") from None
        else:
            return "turbo", turbo_validate
    from pyshacl import validate as reference_validate  # heavy import, paid only by the verbs that validate

    return "pyshacl", reference_validate


def _turbo_data(kg: KnowledgeGraph) -> Any:
    """The data graph for pyshacl-turbo: a copy of the store (the caller's stays as it was) plus known terms."""
    import pyoxigraph as ox

    from iscm_kg import oxigraph_engine

    store = ox.Store()
    store.bulk_extend(kg.store)
    oxigraph_engine.parse_files([resources.resource_root() / "shapes" / KNOWN_TERMS], store)
    return store


def _report_graph(kg: KnowledgeGraph, engine_name: str, shacl_validate: Callable[..., Any], shapes: Graph,
                  meta_shacl: bool) -> Graph:
    if engine_name == "turbo" and kg.has_store:
        data: Any = _turbo_data(kg)
    else:
        data = data_graph_for(kg)
    _conforms, report_graph, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        meta_shacl=meta_shacl,
        allow_warnings=True,
        advanced=True,  # the shapes' SPARQL targets (SHACL-AF); pySHACL skips them silently otherwise
    )
    if not isinstance(report_graph, Graph):
        raise IscmError(f"the shapes cannot be run: {report_graph}")
    return report_graph


def validate(
    kg: KnowledgeGraph, *, fail_on_warning: bool = False, meta_shacl: bool = False, engine: str = "auto"
) -> ValidationReport:
    engine_name, shacl_validate = _engine(engine)
    shapes = shapes_graph()
    report_graph = _report_graph(kg, engine_name, shacl_validate, shapes, meta_shacl)
    return ValidationReport(_findings(report_graph, kg, shapes), report_graph, fail_on_warning)


def validate_files(
    extra: Sequence[Path] = (), *, fail_on_warning: bool = False, meta_shacl: bool = False, engine: str = "auto"
) -> tuple[KnowledgeGraph, ValidationReport]:
    """Validate the shipped data, or, when files are given, those files together with the shipped ontology.

    The report of an unchanged input (same files, shapes, code and engine versions) is read from the cache.
    """
    from iscm_kg import cache

    kg = kg_graph.load(extra, include_data=not extra)
    engine_name, shacl_validate = _engine(engine)
    shapes_files = resources.shapes_files()
    entry = cache.key("report", [*kg.files, *resources.rule_files(), *shapes_files],
                      f"engine={engine_name}", f"meta={meta_shacl}")
    shapes = shapes_graph()
    hit = cache.get(entry, ".nt")
    if hit is not None:
        report_graph = new_graph()
        report_graph.parse(hit, format="nt")
    else:
        report_graph = _report_graph(kg, engine_name, shacl_validate, shapes, meta_shacl)
        cache.put(entry, ".nt", report_graph.serialize(format="nt", encoding="utf-8"))
    report = ValidationReport(_findings(report_graph, kg, shapes), report_graph, fail_on_warning)
    return kg, report
