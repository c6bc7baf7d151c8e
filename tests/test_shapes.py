"""Each shape and SPARQL rule: the valid fixture passes, and one edit of it fails on exactly the targeted shape
and focus node, on both SHACL engines (the differential test behind pyshacl-turbo being the default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iscm_kg import graph, validate

from .conftest import FIXTURES

SHP = "https://w3id.org/iscm-kg/shapes#"
ID = "https://w3id.org/iscm-kg/id/"
VALID = (FIXTURES / "valid-mechanism.ttl").read_text()


# (case, text to replace, replacement, shape expected to fire, focus node)
CASES = [
    ("founding year as a string", 'rdf:value "2008"^^xsd:gYear', 'rdf:value "2008"', "ClaimShape", "claim/TEST-founding-year-1"),
    ("participation without a role", "org:role role:member ;", "", "ParticipationShape", "participation/TEST-KEN-member"),
    ("misspelt property", "iscm:acronym", "iscm:acronymn", "KnownTermsShape", "mechanism/TEST"),
    ("misspelt standard property", "dcterms:title", "dcterms:titel", "KnownTermsShape", "source/test-page"),
    ("malformed ISO code", 'iscm:isoAlpha3 "KEN"', 'iscm:isoAlpha3 "Ken"', "StateShape", "state/KEN"),
    ("duplicate ISO code", 'iscm:isoAlpha2 "UG"', 'iscm:isoAlpha2 "KE"', "StateShape", "state/UGA"),
    ("no status", "rdf:value status:active", "rdf:value status:actve", "ClaimShape", "claim/TEST-status-1"),
    ("no type", "rdf:value iscm:RCP", "rdf:value iscm:ISCM", "MechanismTypeShape", "mechanism/TEST"),
    ("no source on a participation", "role:observer ;\n    dcterms:source src:test-page .", "role:observer .",
     "ParticipationShape", "participation/TEST-UGA-observer"),
    ("State as secretariat", "org:member orgs:IOM ; org:organization mech:TEST ; org:role role:secretariat",
     "org:member state:UGA ; org:organization mech:TEST ; org:role role:secretariat", "ParticipationShape",
     "participation/TEST-IOM-secretariat"),
    ("member and observer at once", "org:member state:UGA ; org:organization mech:TEST ; org:role role:observer",
     "org:member state:KEN ; org:organization mech:TEST ; org:role role:observer", "ParticipationShape",
     "participation/TEST-KEN-member"),
    ("start after end", 'iscm:startYear "2008"^^xsd:gYear', 'iscm:startYear "2008"^^xsd:gYear ; iscm:endYear "2001"^^xsd:gYear',
     "ParticipationShape", "participation/TEST-KEN-member"),
    ("conflicting claims without preference", "claim:TEST-founding-year-1 a iscm:Claim",
     'claim:TEST-founding-year-2 a iscm:Claim ; iscm:claimSubject mech:TEST ; iscm:claimProperty iscm:foundingYear ; '
     'rdf:value "2009"^^xsd:gYear ; dcterms:source src:test-page .\nclaim:TEST-founding-year-1 a iscm:Claim',
     "MechanismShape", "mechanism/TEST"),
    ("undescribed source", "theme:labour-migration ;\n    dcterms:source src:test-page .",
     "theme:labour-migration ;\n    dcterms:source src:nowhere .",
     "MechanismSourceShape", "mechanism/TEST"),
    ("no English label", '"Test Dialogue on Migration"@en', '"Test Dialogue on Migration"@fr',
     "MechanismEnglishLabelShape", "mechanism/TEST"),
]


def run(text: str, tmp_path: Path, engine: str) -> validate.ValidationReport:
    path = tmp_path / "case.ttl"
    path.write_text(text)
    return validate.validate(graph.load([path], include_data=False, engine=engine))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_valid_fixture_conforms(tmp_path: Path, engine: str) -> None:
    report = run(VALID, tmp_path, engine)
    assert report.conforms, [f.message for f in report.findings]
    assert report.count("Violation") == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("case, old, new, shape, focus", CASES, ids=[c[0] for c in CASES])
def test_invalid_fixture_fails_on_its_shape(
    tmp_path: Path, engine: str, case: str, old: str, new: str, shape: str, focus: str
) -> None:
    assert old in VALID, f"the fixture edit for '{case}' no longer applies"
    report = run(VALID.replace(old, new, 1), tmp_path, engine)
    assert not report.conforms
    fired = {(f.named_shape, str(f.focus)) for f in report.findings if f.severity == "Violation"}
    assert (shape, ID + focus) in fired, fired


def test_engines_agree_on_shipped_data_warnings() -> None:
    kg = graph.load()
    turbo = validate.validate(kg)
    assert turbo.conforms
    warned = {str(f.focus).rsplit("/", 1)[-1] for f in turbo.findings if f.severity == "Warning"}
    # Seed 002 lists the Pan-African Forum as an "Intra-African" IRF: one region, hence a warning, not a violation.
    assert "PAFOM" in warned


def test_shapes_pass_shacl_for_shacl() -> None:
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    # meta_shacl checks the shapes graph against the SHACL-for-SHACL shapes before validating (an empty graph).
    conforms, _graph, text = shacl_validate(Graph(), shacl_graph=validate.shapes_graph(), meta_shacl=True)
    assert conforms, text


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_member_and_observer_from_different_sources_without_years_is_a_warning(tmp_path: Path, engine: str) -> None:
    second_source = VALID[VALID.index("src:test-page a"):].split("\n\n", 1)[0].replace("src:test-page", "src:test-page-2")
    observer = ("part:TEST-KEN-observer a iscm:Participation ; org:member state:KEN ; org:organization mech:TEST ; "
                "org:role role:observer ;\n    dcterms:source src:test-page-2 .\n")
    report = run(VALID + "\n" + second_source + "\n" + observer, tmp_path, engine)
    fired = {(f.named_shape, str(f.focus)) for f in report.findings if f.severity == "Warning"}
    assert ("MemberAndObserverUndatedShape", ID + "participation/TEST-KEN-member") in fired, fired
    assert report.count("Violation") == 0, [f.message for f in report.findings]
