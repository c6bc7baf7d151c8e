"""Every constraint of shapes/ has a passing and a failing case (tests/shape_cases/, see its README.md), and both
SHACL engines give exactly the expected results on every case.

All cases are merged with the base graph into one graph (each case's own nodes in a namespace of its own), which
each engine validates once; the report is then split by focus node, case by case.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from iscm_kg import graph, resources, validate
from iscm_kg.namespaces import PREFIXES

CASES_DIR = Path(__file__).resolve().parent / "shape_cases"
BASE = CASES_DIR / "base.ttl"
SHP = "https://w3id.org/iscm-kg/shapes#"
CASE_NS = "https://w3id.org/iscm-kg/id/test/case/"
BASE_NS = "https://w3id.org/iscm-kg/id/test/base/"
SEVERITIES = ("Violation", "Warning", "Info")
ENGINES = ("oxigraph", "rdflib")  # pyshacl-turbo on Oxigraph, pySHACL on rdflib
# A shape's own constraint parameters are everything but these: a node shape holding only property shapes
# (MechanismShape) is a container, not a constraint of its own.
NOT_CONSTRAINTS = {RDF.type, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target, SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order, SH.group,
                   URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                   URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

Row = tuple[str, str, str, str, str]  # severity, focus, path, constraint component, source shape


@dataclass(frozen=True)
class Case:
    shape: str  # the local name of the constraint's shape (the folder)
    name: str  # the file's name without .pass.ttl / .fail.ttl
    path: Path
    passing: bool

    @property
    def namespace(self) -> str:
        return f"{CASE_NS}{self.shape}/{self.name}/"

    @property
    def id(self) -> str:
        return f"{self.shape}/{self.name}.{'pass' if self.passing else 'fail'}"

    def prefixes(self) -> dict[str, str]:
        return {**PREFIXES, "shp": SHP, "base": BASE_NS, "": self.namespace}

    def header(self) -> str:
        """Prefixes for the snippet, on one line so that the snippet's line n is line n + 1 of the merged file."""
        prefixes = self.prefixes()
        return " ".join(f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items()) + "\n"

    def expand(self, token: str) -> str:
        """A prefixed name of the case (`:node`, `base:state-a`, `org:role`) as an IRI."""
        prefix, colon, local = token.partition(":")
        prefixes = self.prefixes()
        if not colon or prefix not in prefixes:
            raise ValueError(f"{self.path}: '{token}' is not a prefixed name with a known prefix")
        return prefixes[prefix] + local

    def expected(self) -> set[Row]:
        """The `# expect: SEVERITY FOCUS PATH COMPONENT SHAPE` lines of a failing case."""
        rows: set[Row] = set()
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"#\s*expect:\s*(.*)$", line)
            if not match:
                continue
            fields = match.group(1).split()
            if len(fields) != 5 or fields[0] not in SEVERITIES:
                raise ValueError(f"{self.path}:{number}: expected '# expect: SEVERITY FOCUS PATH COMPONENT SHAPE'")
            severity, focus, path, component, shape = fields
            rows.add((severity, self.expand(focus), "" if path == "-" else self.expand(path),
                      str(SH) + component + "ConstraintComponent", SHP + shape.removeprefix("shp:")))
        return rows


def collect() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*/*.ttl")):
        for suffix, passing in ((".pass.ttl", True), (".fail.ttl", False)):
            if path.name.endswith(suffix):
                cases.append(Case(path.parent.name, path.name[: -len(suffix)], path, passing))
    return cases


CASES = collect()


def text(node: Node | None) -> str:
    if node is None:
        return ""
    return "_:" if isinstance(node, BNode) else str(node)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The base graph and every case, as files (each case with its prefix line)."""
    folder = tmp_path_factory.mktemp("shape-cases")
    files = [BASE]
    for index, case in enumerate(CASES):
        target = folder / f"{index:03d}-{case.shape}-{case.name}.{'pass' if case.passing else 'fail'}.ttl"
        target.write_text(case.header() + case.path.read_text(encoding="utf-8"), encoding="utf-8")
        files.append(target)
    return files


@pytest.fixture(scope="module", params=ENGINES)
def results(request: pytest.FixtureRequest, merged: list[Path]) -> tuple[str, dict[str, set[Row]]]:
    """One load (with the ontology and the derived triples) and one validation run per engine, split by the case
    namespace of each result's focus node."""
    report = validate.validate(graph.load(merged, include_data=False, engine=request.param)).report_graph
    by_case: dict[str, set[Row]] = defaultdict(set)
    for result in report.objects(None, SH.result):  # not the nested results (sh:detail) of sh:node
        row: Row = (
            text(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            text(report.value(result, SH.focusNode)),
            text(report.value(result, SH.resultPath)),
            text(report.value(result, SH.sourceConstraintComponent)),
            text(report.value(result, SH.sourceShape)),
        )
        if row[4] in PENDING_SHAPES:  # judged by those files' own tests until their cases exist
            continue
        owner = next((c.namespace for c in CASES if row[1].startswith(c.namespace)), "")
        by_case[owner].add(row)
    return request.param, by_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_gives_exactly_its_expected_results(case: Case, results: tuple[str, dict[str, set[Row]]]) -> None:
    engine, by_case = results
    expected = set() if case.passing else case.expected()
    assert by_case.get(case.namespace, set()) == expected, f"{case.path} on {engine}"


def test_no_result_outside_the_cases(results: tuple[str, dict[str, set[Row]]]) -> None:
    """The base graph conforms, and no case reaches into the base or another case's nodes."""
    engine, by_case = results
    assert by_case.get("", set()) == set(), engine


def constraints(shapes: Graph) -> tuple[set[Node], set[Node]]:
    """(the shapes that hold constraints of their own, the node shapes that have targets)."""
    top = {s for t in TARGETS for s in shapes.subjects(t, None)}
    found = {s for s in top if any(p not in NOT_CONSTRAINTS for p in shapes.predicates(s))}
    found |= {p for s in top for p in shapes.objects(s, SH.property)}
    return found, top


# Shape files whose cases their authors are still writing: their constraints are checked all the same, and the
# test for such a file is an expected failure until every constraint there has its cases (then it passes, which
# strict xfail reports as a failure: take the file off this list).
PENDING = {
    "meeting-shapes.ttl": "the meeting shapes' author names their property shapes and adds their cases",
    "count-shapes.ttl": "tested on fixtures of its own in tests/test_count_shapes.py; its cases here are to come",
    "curation-shapes.ttl": "tested on fixtures of its own in tests/test_curation_shapes.py; its cases here are to come",
}
def _shapes_in(name: str) -> set[str]:
    shapes = Graph().parse(next(p for p in resources.shapes_files() if p.name == name), format="turtle")
    return {str(s) for s in shapes.subjects() if isinstance(s, URIRef)}


PENDING_SHAPES = {shape for name in PENDING for shape in _shapes_in(name)}


SHAPE_FILES = sorted(p.name for p in resources.shapes_files() if p.name != validate.KNOWN_TERMS)


@pytest.mark.parametrize("shape_file", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=PENDING[name])) if name in PENDING else name
    for name in SHAPE_FILES])
def test_every_constraint_has_a_passing_and_a_failing_case(shape_file: str) -> None:
    shapes = Graph()
    shapes.parse(next(p for p in resources.shapes_files() if p.name == shape_file), format="turtle")
    found, top = constraints(shapes)
    assert found, f"{shape_file} holds no constraint"
    unnamed = sorted(str(s) for s in found | top if not (isinstance(s, URIRef) and str(s).startswith(SHP)))
    assert not unnamed, f"{shape_file}: name these shapes in the {SHP} namespace (shp:NodeShape-field): {unnamed}"
    by_shape: dict[str, list[Case]] = defaultdict(list)
    for case in CASES:
        by_shape[case.shape].append(case)
    missing = []
    for shape in sorted(str(s)[len(SHP):] for s in found):
        cases = by_shape.get(shape, [])
        fails = [c for c in cases if not c.passing]
        if not any(c.passing for c in cases) or not any(SHP + shape in {r[4] for r in c.expected()} for c in fails):
            missing.append(shape)
    assert not missing, (f"{shape_file}: these constraints need tests/shape_cases/<shape>/*.pass.ttl and a *.fail.ttl "
                         f"expecting a result of that shape (see tests/shape_cases/README.md): {missing}")


def test_every_case_folder_names_a_constraint() -> None:
    found, _top = constraints(validate.shapes_graph())
    assert len(found) >= 46
    stale = sorted({c.shape for c in CASES} - {str(s)[len(SHP):] for s in found})
    assert not stale, f"case folders naming no constraint of shapes/: {stale}"


def test_every_failing_case_declares_its_results() -> None:
    for case in CASES:
        if not case.passing:
            assert case.expected(), f"{case.path}: a failing case needs '# expect: ...' lines"
        else:
            assert not case.expected(), f"{case.path}: a passing case expects no result"
