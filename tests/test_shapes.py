"""The shapes as a whole: the shipped data and the valid fixture conform, both SHACL engines give the same whole
report, the shapes pass SHACL-for-SHACL, and the lists the shapes check come from the ontology.

Each constraint's own passing and failing cases are in tests/shape_cases/ (tests/test_shape_cases.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iscm_kg import graph, validate

from .conftest import FIXTURES, cli

Row = tuple[str, str, str, str, str]
# Each engine validates with its own SHACL engine: pyshacl-turbo on Oxigraph, pySHACL (the reference) on rdflib.
ENGINES = ["oxigraph", "rdflib"]


def rows(report: validate.ValidationReport) -> set[Row]:
    """The whole report as (severity, focus node, path, constraint component, source shape)."""
    return {(f.severity, str(f.focus), str(f.path), str(f.component), str(f.shape)) for f in report.findings}


def run(text: str, tmp_path: Path, engine: str) -> validate.ValidationReport:
    path = tmp_path / "case.ttl"
    path.write_text(text, encoding="utf-8")
    return validate.validate(graph.load([path], include_data=False, engine=engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_valid_fixture_conforms(tmp_path: Path, engine: str) -> None:
    report = run((FIXTURES / "valid-mechanism.ttl").read_text(encoding="utf-8"), tmp_path, engine)
    assert report.conforms, [f.message for f in report.findings]
    assert report.findings == []


@pytest.fixture(scope="module")
def shipped_report(kg: graph.KnowledgeGraph) -> validate.ValidationReport:
    """The shipped data validated once for the module, on the session's graph (Oxigraph, pyshacl-turbo)."""
    assert kg.engine.name == "oxigraph"
    return validate.validate(kg)


def test_shipped_data_conforms_with_its_known_warnings(shipped_report: validate.ValidationReport) -> None:
    report = shipped_report
    assert report.conforms  # no violation: every participation IRI follows part:<MECH>-<PARTICIPANT>-<role>, ...
    warned = {str(f.focus).rsplit("/", 1)[-1] for f in report.findings if f.severity == "Warning"}
    # Seed 002 lists the Pan-African Forum as an "Intra-African" IRF: one region, hence a warning, not a violation.
    assert "PAFOM" in warned
    # Every complete member list records as many States as its adopted count, or the count claim says why not.
    assert [f.focus for f in report.findings if f.named_shape == "CompleteListCountShape"] == []


def test_engines_give_the_same_whole_report_on_the_shipped_data(shipped_report: validate.ValidationReport) -> None:
    turbo = rows(shipped_report)
    reference = rows(validate.validate(graph.load(engine="rdflib")))  # pySHACL, the reference
    assert turbo == reference
    assert any(r[0] == "Warning" for r in turbo)


@pytest.mark.slow
def test_the_reference_engine_gives_the_same_report_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user runs it: a fresh process, rdflib parsing and rules, pySHACL; messages and files included."""
    monkeypatch.setenv("ISCM_KG_NO_CACHE", "1")
    reports = {}
    for engine in ENGINES:
        result = cli("validate", "--engine", engine, "--format", "json")
        assert result.returncode == 0, result.stderr
        doc = json.loads(result.stdout)
        reports[engine] = sorted(json.dumps(r, sort_keys=True) for r in doc["results"])
    assert reports["oxigraph"] == reports["rdflib"]
    assert reports["oxigraph"]


def test_shapes_pass_shacl_for_shacl() -> None:
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    # meta_shacl checks the shapes graph against the SHACL-for-SHACL shapes before validating (an empty graph).
    conforms, _graph, text = shacl_validate(Graph(), shacl_graph=validate.shapes_graph(), meta_shacl=True,
                                            advanced=True)
    assert conforms, text


# One extra ontology file adds a mechanism type and a claimable property: the shapes take both from it.
EXTENDED = """
@prefix iscm: <https://w3id.org/iscm-kg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
iscm:TestForum a owl:Class ; rdfs:subClassOf iscm:ISCM ; rdfs:label "test forum"@en ;
    skos:definition "A mechanism type that only this test defines."@en ;
    rdfs:isDefinedBy <https://w3id.org/iscm-kg/ontology> .
iscm:testCount a owl:DatatypeProperty ; iscm:claimable true ; rdfs:range xsd:integer ; rdfs:label "test count"@en ;
    skos:definition "A claimable property that only this test defines."@en ;
    rdfs:isDefinedBy <https://w3id.org/iscm-kg/ontology> .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_mechanism_types_and_claimable_properties_come_from_the_ontology(tmp_path: Path, engine: str) -> None:
    fixture = (FIXTURES / "valid-mechanism.ttl").read_text(encoding="utf-8")
    typed = fixture.replace("rdf:value iscm:RCP", "rdf:value iscm:TestForum")
    claim = ('\nclaim:TEST-count-1 a iscm:Claim ; iscm:claimSubject mech:TEST ; iscm:claimProperty iscm:testCount ; '
             'rdf:value VALUE ; dcterms:source src:test-page .\n')
    assert typed != fixture
    extension = tmp_path / "extension.ttl"
    extension.write_text(EXTENDED, encoding="utf-8")

    def report(text: str, with_extension: bool) -> set[tuple[str, str]]:
        path = tmp_path / "data.ttl"
        path.write_text(text, encoding="utf-8")
        files = [extension, path] if with_extension else [path]
        result = validate.validate(graph.load(files, include_data=False, engine=engine))
        return {(f.named_shape, str(f.focus).rsplit("/", 1)[-1]) for f in result.findings if f.severity == "Violation"}

    assert report(typed + claim.replace("VALUE", "7"), with_extension=True) == set()
    assert report(typed + claim.replace("VALUE", '"seven"'), with_extension=True) == {
        ("ClaimValueShape", "TEST-count-1")}
    # Without the extension the same type is no mechanism type, and no term of the ontology either.
    assert report(typed, with_extension=False) == {("ClaimValueShape", "TEST-type-1"), ("MechanismShape-type", "TEST"),
                                                   ("KnownTermsShape", "TEST")}
