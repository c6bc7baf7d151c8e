"""Every constraint of shapes/ has a passing and a failing case (tests/shape_cases/, see its README.md), and both
SHACL engines give exactly the expected results on every case.

All cases are loaded with the base graph into one graph (each case's own nodes in a namespace of its own), which
each engine validates once; the report is then split by the case file that describes each result's focus node.
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
        """A prefixed name of the case (`:node`, `base:state-a`, `org:role`) as an IRI; `^prov:generated`, an
        inverse path, as ^ and the IRI."""
        if token.startswith("^"):
            return "^" + self.expand(token[1:])
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


def text(node: Node | None, report: Graph | None = None) -> str:
    """A term of a result; an inverse path (a blank node in the report) as ^ and its property."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        inverse = report.value(node, SH.inversePath) if report is not None else None
        return "^" + str(inverse) if isinstance(inverse, URIRef) else "_:"
    return str(node)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Case]:
    """Every case as a file (each with its prefix line), and the case each file holds."""
    folder = tmp_path_factory.mktemp("shape-cases")
    files = {}
    for index, case in enumerate(CASES):
        target = folder / f"{index:03d}-{case.shape}-{case.name}.{'pass' if case.passing else 'fail'}.ttl"
        target.write_text(case.header() + case.path.read_text(encoding="utf-8"), encoding="utf-8")
        files[target] = case
    return files


@dataclass
class Results:
    """One engine's report, split by the case whose file describes each result's focus node ("" for the base and
    the ontology)."""

    engine: str
    rows: dict[str, set[Row]]
    messages: dict[str, set[tuple[str, str]]]  # (source shape's local name, message)


@pytest.fixture(scope="module", params=ENGINES)
def results(request: pytest.FixtureRequest, merged: dict[Path, Case]) -> Results:
    """One load of the base and every case (with the ontology and the derived triples) and one validation run per
    engine."""
    kg = graph.load([BASE, *merged], include_data=False, engine=request.param)
    out = Results(request.param, defaultdict(set), defaultdict(set))
    report = validate.validate(kg)
    for finding in report.findings:  # the report's own results, not the nested ones (sh:detail)
        row: Row = (finding.severity, text(finding.focus), text(finding.path, report.report_graph),
                    text(finding.component), text(finding.shape))
        case = merged.get(finding.file) if finding.file is not None else None
        out.rows[case.id if case else ""].add(row)
        out.messages[case.id if case else ""].add((finding.named_shape, finding.message))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_gives_exactly_its_expected_results(case: Case, results: Results) -> None:
    expected = set() if case.passing else case.expected()
    assert results.rows.get(case.id, set()) == expected, f"{case.path} on {results.engine}"


def test_no_result_outside_the_cases(results: Results) -> None:
    """The base graph conforms, and no case reaches into the base or another case's nodes."""
    assert results.rows.get("", set()) == set(), results.engine


def test_every_message_is_filled_in(results: Results) -> None:
    """A SPARQL constraint's message names what it found ({?var} replaced by the value), on both engines."""
    unfilled = sorted(m for messages in results.messages.values() for _shape, m in messages if "{" in m)
    assert not unfilled, (results.engine, unfilled)


# (case, shape, what its message must say): the figures the SPARQL constraints put in their messages.
MESSAGES = [
    ("CompleteListCountShape/unexplained.fail", "CompleteListCountShape",
     ("records 2 member States", "adopted stated count is 3")),
    ("ParticipationIRIShape/role-edited.fail", "ParticipationIRIShape",
     ("should read https://w3id.org/iscm-kg/id/participation/XIRIC-state-a-chair ",)),
    ("MeetingEndAfterStartShape/ends-before-start.fail", "MeetingEndAfterStartShape",
     ("ends (2008-05-19) before it starts (2008-05-20)",)),
]


@pytest.mark.parametrize("case, shape, parts", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_message_names_the_figures(results: Results, case: str, shape: str, parts: tuple[str, ...]) -> None:
    messages = [m for s, m in results.messages.get(case, set()) if s == shape]
    assert len(messages) == 1, (results.engine, messages)
    for part in parts:
        assert part in messages[0], (results.engine, messages[0])


def constraints(shapes: Graph) -> tuple[set[Node], set[Node]]:
    """(the shapes that hold constraints of their own, the node shapes that have targets)."""
    top = {s for t in TARGETS for s in shapes.subjects(t, None)}
    found = {s for s in top if any(p not in NOT_CONSTRAINTS for p in shapes.predicates(s))}
    found |= {p for s in top for p in shapes.objects(s, SH.property)}
    return found, top


SHAPE_FILES = sorted(p.name for p in resources.shapes_files() if p.name != validate.KNOWN_TERMS)


@pytest.mark.parametrize("shape_file", SHAPE_FILES)
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
