"""Meetings and outcome documents (shapes/meeting-shapes.ttl, queries/meetings-of.rq): a valid meeting passes,
each broken one fails on its shape on both SHACL engines, and the canned query answers from the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from iscm_kg import graph, query, validate
from iscm_kg.graph import KnowledgeGraph

from .conftest import FIXTURES

ID = "https://w3id.org/iscm-kg/id/"
VALID = (FIXTURES / "valid-mechanism.ttl").read_text()

MEETING = """
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix meeting: <https://w3id.org/iscm-kg/id/meeting/> .
@prefix outcome: <https://w3id.org/iscm-kg/id/document/> .

meeting:TEST-ministerial-1 a iscm:MinisterialMeeting ;
    skos:prefLabel "First Ministerial Meeting of the Test Dialogue"@en ;
    iscm:ofMechanism mech:TEST ; dcterms:date "2008-05-20"^^xsd:date ; iscm:endDate "2008-05-21"^^xsd:date ;
    iscm:city "Nairobi"@en ; prov:atLocation state:KEN ; iscm:hostedBy state:KEN ; iscm:chairedBy state:KEN ;
    iscm:statedParticipantCount 12 ;
    prov:generated outcome:TEST-declaration-2008 ;
    dcterms:source src:test-page .

outcome:TEST-declaration-2008 a iscm:OutcomeDocument ;
    dcterms:title "Nairobi Declaration"@en ;
    dcterms:source src:test-page .
"""

# (case, text to replace, replacement, focus node expected among the violations)
CASES = [
    ("no mechanism", "iscm:ofMechanism mech:TEST ; ", "", "meeting/TEST-ministerial-1"),
    ("mechanism is not a mechanism", "iscm:ofMechanism mech:TEST", "iscm:ofMechanism state:KEN",
     "meeting/TEST-ministerial-1"),
    ("date as a string", 'dcterms:date "2008-05-20"^^xsd:date', 'dcterms:date "20 May 2008"',
     "meeting/TEST-ministerial-1"),
    ("ends before it starts", 'iscm:endDate "2008-05-21"', 'iscm:endDate "2008-05-19"', "meeting/TEST-ministerial-1"),
    ("no source", "    iscm:statedParticipantCount 12 ;\n    prov:generated outcome:TEST-declaration-2008 ;\n"
     "    dcterms:source src:test-page .",
     "    iscm:statedParticipantCount 12 ;\n    prov:generated outcome:TEST-declaration-2008 .",
     "meeting/TEST-ministerial-1"),
    ("chair not a participant", "iscm:chairedBy state:KEN", "iscm:chairedBy src:test-page",
     "meeting/TEST-ministerial-1"),
    ("participant count zero", "iscm:statedParticipantCount 12", "iscm:statedParticipantCount 0",
     "meeting/TEST-ministerial-1"),
    ("outcome without title", 'dcterms:title "Nairobi Declaration"@en ;\n', "", "document/TEST-declaration-2008"),
    ("outcome of no meeting", "    prov:generated outcome:TEST-declaration-2008 ;\n", "",
     "document/TEST-declaration-2008"),
]


def run(text: str, tmp_path: Path, engine: str) -> validate.ValidationReport:
    path = tmp_path / "case.ttl"
    path.write_text(text)
    return validate.validate(graph.load([path], include_data=False, engine=engine))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_valid_meeting_conforms(tmp_path: Path, engine: str) -> None:
    report = run(VALID + MEETING, tmp_path, engine)
    assert report.conforms, [f.message for f in report.findings]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("case, old, new, focus", CASES, ids=[c[0] for c in CASES])
def test_broken_meeting_fails_on_its_focus(tmp_path: Path, engine: str, case: str, old: str, new: str,
                                            focus: str) -> None:
    assert old in MEETING, f"the edit for '{case}' no longer applies"
    report = run(VALID + MEETING.replace(old, new, 1), tmp_path, engine)
    assert not report.conforms
    fired = {str(f.focus) for f in report.findings if f.severity == "Violation"}
    assert ID + focus in fired, fired


def test_meetings_of_budapest_has_the_istanbul_conference_and_its_declaration(kg: KnowledgeGraph) -> None:
    table = query.run("meetings-of", {"mechanism": "BUDAPEST"}, kg.graph)
    rows = {str(r[0]).rsplit("/", 1)[-1]: dict(zip(table.variables, r, strict=True)) for r in table.rows}
    # The Budapest Process's list of ministerial conferences: the 5th, Istanbul, 19 April 2013, 53 countries,
    # hosted by Turkey as the Chair, adopted the Istanbul Ministerial Declaration.
    istanbul = rows["BUDAPEST-ministerial-5"]
    assert str(istanbul["date"]) == "2013-04-19"
    assert str(istanbul["host"]).endswith("/state/TUR")
    assert str(istanbul["states"]) == "53"
    assert "Istanbul Ministerial Declaration" in str(istanbul["outcomes"])
    # Oldest first: the Berlin conference of October 1991 opens the list, whatever the dates' datatypes.
    dates = [str(r[table.variables.index("date")]) for r in table.rows]
    assert dates[0] == "1991-10-30" and dates == sorted(dates)
