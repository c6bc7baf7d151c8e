"""Validate the knowledge graph against the SHACL shapes, giving a typed report written for curators."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from iscm_kg import cache, resources
from iscm_kg import graph as kg_graph
from iscm_kg.engines.rdflib_engine import parse_file
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
    line: int | None = None


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    fail_on_warning: bool = False

    def __post_init__(self) -> None:
        # The SHACL specification: sh:conforms is false whenever there is a result, whatever its severity.
        # pySHACL run with allow_warnings writes true beside warnings; the report published must not.
        for node in set(self.report_graph.subjects(RDF.type, SH.ValidationReport)):
            has_results = self.report_graph.value(node, SH.result) is not None
            self.report_graph.set((node, SH.conforms, Literal(not has_results)))

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def shacl_conforms(self) -> bool:
        """The SHACL verdict (the report's sh:conforms): no result of any severity."""
        return not self.findings

    @property
    def conforms(self) -> bool:
        """The project's policy, which decides the exit code: violations fail; warnings fail only with
        fail_on_warning; info never fails."""
        if self.count("Violation"):
            return False
        return not (self.fail_on_warning and self.count("Warning"))


def shapes_graph() -> Graph:
    shapes = new_graph()
    for path in resources.shapes_files():
        if path.name != KNOWN_TERMS:
            parse_file(path, shapes)
    return shapes


def known_terms_file() -> Path:
    """The standard vocabularies' term lists: validated beside the data, never part of the user's graph."""
    return resources.resource_root() / "shapes" / KNOWN_TERMS


SHAPES_NS = "https://w3id.org/iscm-kg/shapes#"


def _named(shapes: Graph, shape: Node | None) -> str:
    """The named shape behind a result: the shape itself, or the node shape holding an anonymous property shape."""
    if isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS):
        return str(shape)[len(SHAPES_NS):]
    parent = shapes.value(None, SH.property, shape) if shape is not None else None
    return _named(shapes, parent) if parent is not None else str(shape)


PREFIX_LINE = re.compile(r"^\s*@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _subject_lines(path: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    lines = tuple(text.splitlines())
    prefixes = {}
    for line in lines:
        match = PREFIX_LINE.match(line)
        if match:
            prefixes[match.group(1) or ""] = match.group(2)
    return prefixes, lines


def line_of(path: Path | None, node: Node) -> int | None:
    """The first line of the file on which the node is written as a subject (at the start of a line), so that a
    finding can name file and line; None where it is written only inside another statement, or is derived."""
    if path is None or not isinstance(node, URIRef) or path.suffix.lower() != ".ttl":
        return None
    prefixes, lines = _subject_lines(path)
    iri = str(node)
    forms = [f"<{iri}>"] + [f"{name}:{iri[len(ns):]}" for name, ns in prefixes.items() if ns and iri.startswith(ns)]
    for number, line in enumerate(lines, start=1):
        for form in forms:
            if line.startswith(form) and (len(line) == len(form) or line[len(form)] in " \t;,"):
                return number
    return None


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
            line=line_of(kg.file_of(focus), focus),
            named_shape=_named(shapes, report.value(result, SH.sourceShape)),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda f: (order.get(f.severity, 3), str(f.file), str(f.focus), str(f.path), f.message))


def _report_graph(kg: KnowledgeGraph, shapes: Graph, meta_shacl: bool) -> Graph:
    return kg.engine.shacl(shapes, [known_terms_file()], meta_shacl)


def validate(kg: KnowledgeGraph, *, fail_on_warning: bool = False, meta_shacl: bool = False) -> ValidationReport:
    """Validate a loaded graph with its own engine (the shapes as queries on Oxigraph, pySHACL on rdflib)."""
    shapes = shapes_graph()
    report_graph = _report_graph(kg, shapes, meta_shacl)
    return ValidationReport(_findings(report_graph, kg, shapes), report_graph, fail_on_warning)


def files_with_shipped_data(extra: Sequence[Path]) -> list[Path]:
    """The shipped data with the given files in it: a file replaces the shipped file of the same name (a curator's
    edited copy of data/mechanisms/RABAT.ttl), any other is added."""
    names = {Path(path).name for path in extra}
    return [*(path for path in resources.data_files() if path.name not in names), *extra]


def validate_files(
    extra: Sequence[Path] = (), *, fail_on_warning: bool = False, meta_shacl: bool = False, engine: str = "auto",
    alone: bool = False,
) -> tuple[KnowledgeGraph, ValidationReport]:
    """Validate the shipped data; with files, the shipped data with those files in it (each replaces the shipped
    file of its name, or is added); with alone, the files with the shipped ontology only.

    The report of an unchanged input (same files, shapes, code and engine versions) is read from the cache.
    """
    if extra and alone:
        kg = kg_graph.load(extra, include_data=False, engine=engine)
    else:
        kg = kg_graph.load(files_with_shipped_data(extra), include_data=False, engine=engine)
    entry = cache.key("report", [*kg.files, *resources.rule_files(), *resources.shapes_files()],
                      f"engine={kg.engine.name}", f"meta={meta_shacl}")
    shapes = shapes_graph()
    hit = cache.get(entry, ".nt")
    if hit is not None:
        report_graph = new_graph()
        report_graph.parse(hit, format="nt")
    else:
        report_graph = _report_graph(kg, shapes, meta_shacl)
        cache.put(entry, ".nt", report_graph.serialize(format="nt", encoding="utf-8"))
    report = ValidationReport(_findings(report_graph, kg, shapes), report_graph, fail_on_warning)
    return kg, report
