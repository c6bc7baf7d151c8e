"""The participation IRI convention (shapes/curation-shapes.ttl) and the rule that gives each mechanism the
sources of its claims and participations (ontology/rules/60-mechanism-sources.rq)."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from iscm_kg import graph, validate

from .conftest import FIXTURES

SHAPE = "ParticipationIRIShape"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_participation_iri_must_follow_the_pattern(engine: str) -> None:
    kg = graph.load([FIXTURES / "participation-iri.ttl"], include_data=False, engine=engine)
    report = validate.validate(kg)
    found = sorted((str(f.focus).rsplit("/", 1)[-1], f.message) for f in report.findings if f.named_shape == SHAPE)
    # A qualifier after the role is allowed (RCM-CRI-member-copy); a role the IRI does not name is not.
    assert [focus for focus, _ in found] == ["RCM-CRI-member-2"]
    assert "participation/RCM-CRI-chair" in found[0][1]


def test_shipped_participations_follow_the_pattern(kg: graph.KnowledgeGraph) -> None:
    report = validate.validate(kg)
    assert [f.focus for f in report.findings if f.named_shape == SHAPE] == []


def test_khartoum_cites_a_source_only_its_claims_and_participations_name(kg: graph.KnowledgeGraph) -> None:
    # The Kampala Post is cited by Khartoum's count claim and member participations, not on the mechanism itself.
    khartoum = URIRef("https://w3id.org/iscm-kg/id/mechanism/KHARTOUM")
    kampala = URIRef("https://kampalapost.com/index.php/content/uganda-joins-khartoum-process-steering-committee"
                     "-during-cairo-meeting")
    assert kampala in set(kg.graph.objects(khartoum, DCTERMS.source))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_mechanism_cites_the_sources_of_its_participations(engine: str) -> None:
    kg = graph.load([FIXTURES / "attestation.ttl"], include_data=False, engine=engine)
    test_mech = URIRef("https://w3id.org/iscm-kg/id/mechanism/TESTMECH")
    assert {str(s) for s in kg.graph.objects(test_mech, DCTERMS.source)} == {
        "https://example.org/report-2012", "https://example.org/report-2016", "https://example.org/undated-page",
        "https://example.org/dated-page"}
