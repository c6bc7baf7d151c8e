"""Time on participations: rule 50 derives iscm:attestedIn from the sources' own dates, and the year queries
(members-in-year, membership-changes) give exact rows on a small fixture, the same on both engines; rule 60 gives
each mechanism the sources of its claims and participations.

The fixture is loaded once per engine for the module: nothing here changes the graph."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from iscm_kg import graph, query
from iscm_kg.engines import ResultTable
from iscm_kg.namespaces import ISCM

from .conftest import FIXTURES

FIXTURE = FIXTURES / "attestation.ttl"
PART = "https://w3id.org/iscm-kg/id/participation/"
ENGINES = ["rdflib", "oxigraph"]


@pytest.fixture(scope="module", params=ENGINES)
def attested(request: pytest.FixtureRequest) -> graph.KnowledgeGraph:
    """The fixture with the ontology and the derived triples, once per engine."""
    return graph.load([FIXTURE], include_data=False, engine=request.param)


def short(node: object) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("/", 1)[-1] if isinstance(node, URIRef) else text


def rows(table: ResultTable, *columns: str) -> list[tuple[str, ...]]:
    index = [table.variables.index(c) for c in columns]
    return [tuple(short(row[i]) for i in index) for row in table.rows]


def test_attested_in_comes_from_dated_sources_only(attested: graph.KnowledgeGraph) -> None:
    kg = attested
    found = {(str(s)[len(PART):], str(o)) for s, o in kg.graph.subject_objects(ISCM.attestedIn)}
    assert found == {("TESTMECH-A-member", "2012"), ("TESTMECH-B-member", "2012"), ("TESTMECH-C-member", "2016"),
                     ("TESTMECH-E-member", "2012"), ("TESTMECH-A-observer", "2012")}
    assert all(o.datatype == XSD.gYear for o in kg.graph.objects(None, ISCM.attestedIn)
               if isinstance(o, Literal))


def test_members_in_2012_by_stated_dates_and_by_attestation(attested: graph.KnowledgeGraph) -> None:
    table = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012"}, attested)
    assert sorted(rows(table, "participant", "basis", "start", "end", "sources")) == [
        ("state-a", "stated dates", "2010", "2015", "https://example.org/report-2012"),
        ("state-b", "attestation", "", "", "https://example.org/report-2012"),
        ("state-e", "stated dates", "2011", "2013", "https://example.org/undated-page"),
    ]


def test_members_in_2016_and_in_the_founding_year(attested: graph.KnowledgeGraph) -> None:
    kg = attested
    in_2016 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2016"}, kg)
    assert sorted(rows(in_2016, "participant", "basis", "start")) == [
        ("state-c", "attestation", ""), ("state-d", "stated dates", "2014")]
    in_2008 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2008"}, kg)
    assert rows(in_2008, "participant", "basis", "start") == [("state-c", "stated dates", "2008")]
    in_2000 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2000"}, kg)
    assert in_2000.rows == []


def test_membership_changes_between_two_years(attested: graph.KnowledgeGraph) -> None:
    table = query.run("membership-changes", {"mechanism": "TESTMECH", "from": "2009", "to": "2015"}, attested)
    assert rows(table, "change", "year", "participant") == [
        ("joined", "2010", "state-a"), ("joined", "2011", "state-e"), ("left", "2013", "state-e"),
        ("joined", "2014", "state-d")]
    founding = query.run("membership-changes", {"mechanism": "TESTMECH", "from": "2007", "to": "2008"}, attested)
    assert rows(founding, "change", "year", "participant", "role") == [
        ("joined", "2008", "state-c", "founding-member")]


def test_observers_in_a_year_with_the_role_parameter(attested: graph.KnowledgeGraph) -> None:
    kg = attested
    observers = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012", "role": "observer"}, kg)
    # State A is a member 2010-2015 on stated dates and, separately, an observer attested in 2012 (fixture).
    assert rows(observers, "participant", "basis", "sources") == [
        ("state-a", "attestation", "https://example.org/report-2012")]
    in_2016 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2016", "role": "observer"}, kg)
    assert in_2016.rows == []
    # The default role is member: the observer row never shows among the members.
    explicit = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012", "role": "member"}, kg)
    default = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012"}, kg)
    assert sorted(explicit.rows, key=str) == sorted(default.rows, key=str)
    assert ("state-a", "stated dates") in rows(default, "participant", "basis")


@pytest.mark.parametrize("engine", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_pidc_observers_in_2017_are_those_of_the_20th_conference_communique(engine: str) -> None:
    kg = graph.load(engine=engine)
    communique = "http://pidcsec.org/news.asp?pageID=2145885662&RefID=2141745878"  # dated 9 August 2017
    table = query.run("members-in-year", {"mechanism": "PIDC", "year": "2017", "role": "observer"}, kg)
    found = {row[0] for row in rows(table, "participant", "basis", "sources")
             if row[1] == "attestation" and communique in row[2]}
    # data/mechanisms/PIDC.ttl: the observers the 2017 communiqué welcomed (organisations, Canada's and the United
    # States' agencies, Tokelau), each citing the communiqué.
    assert {"IOM", "UNHCR", "UNODC", "PIFS", "PICP", "OCO", "PILON", "CAN", "USA", "tokelau"} <= found
    # Canada is only an observer of the PIDC: it is no member in 2017.
    members = query.run("members-in-year", {"mechanism": "PIDC", "year": "2017"}, kg)
    assert "CAN" not in {row[0] for row in rows(members, "participant")}


def test_mechanism_cites_the_sources_of_its_participations(attested: graph.KnowledgeGraph) -> None:
    test_mech = URIRef("https://w3id.org/iscm-kg/id/mechanism/TESTMECH")
    assert {str(s) for s in attested.graph.objects(test_mech, DCTERMS.source)} == {
        "https://example.org/report-2012", "https://example.org/report-2016", "https://example.org/undated-page",
        "https://example.org/dated-page"}


def test_khartoum_cites_a_source_only_its_claims_and_participations_name(kg: graph.KnowledgeGraph) -> None:
    # The Kampala Post is cited by Khartoum's count claim and member participations, not on the mechanism itself.
    khartoum = URIRef("https://w3id.org/iscm-kg/id/mechanism/KHARTOUM")
    kampala = URIRef("https://kampalapost.com/index.php/content/uganda-joins-khartoum-process-steering-committee"
                     "-during-cairo-meeting")
    assert kampala in set(kg.graph.objects(khartoum, DCTERMS.source))


def test_year_parameter_must_be_a_year_or_a_range(attested: graph.KnowledgeGraph) -> None:
    with pytest.raises(Exception, match="parameter 'year' expects a year such as 2015 or a range FROM..TO"):
        query.run("members-in-year", {"mechanism": "TESTMECH", "year": "twenty"}, attested)
    with pytest.raises(Exception, match="parameter 'year': the range '2016..2012' runs backwards"):
        query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2016..2012"}, attested)


def test_members_in_a_range_of_years(attested: graph.KnowledgeGraph) -> None:
    # The fixture's members of 2012 and of 2016 (above) together with state-d, whose stated years start in 2014;
    # state-c's founding year, 2008, lies outside the range, so it counts by its 2016 attestation only.
    table = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012..2016"}, attested)
    assert sorted(rows(table, "participant", "basis")) == [
        ("state-a", "stated dates"), ("state-b", "attestation"), ("state-c", "attestation"),
        ("state-d", "stated dates"), ("state-e", "stated dates")]
    before = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "..2008"}, attested)
    assert rows(before, "participant", "basis") == [("state-c", "stated dates")]
