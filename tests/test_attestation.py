"""Time on participations: rule 50 derives iscm:attestedIn from the sources' own dates, and the year queries
(members-in-year, membership-changes) give exact rows on a small fixture, the same on both engines."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from iscm_kg import graph, query
from iscm_kg.engines import ResultTable
from iscm_kg.namespaces import ISCM

from .conftest import FIXTURES

FIXTURE = FIXTURES / "attestation.ttl"
PART = "https://w3id.org/iscm-kg/id/participation/"
ENGINES = ["rdflib", "oxigraph"]


def load(engine: str) -> graph.KnowledgeGraph:
    return graph.load([FIXTURE], include_data=False, engine=engine)


def short(node: object) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("/", 1)[-1] if isinstance(node, URIRef) else text


def rows(table: ResultTable, *columns: str) -> list[tuple[str, ...]]:
    index = [table.variables.index(c) for c in columns]
    return [tuple(short(row[i]) for i in index) for row in table.rows]


@pytest.mark.parametrize("engine", ENGINES)
def test_attested_in_comes_from_dated_sources_only(engine: str) -> None:
    kg = load(engine)
    found = {(str(s)[len(PART):], str(o)) for s, o in kg.graph.subject_objects(ISCM.attestedIn)}
    assert found == {("TESTMECH-A-member", "2012"), ("TESTMECH-B-member", "2012"), ("TESTMECH-C-member", "2016"),
                     ("TESTMECH-E-member", "2012"), ("TESTMECH-A-observer", "2012")}
    assert all(o.datatype == XSD.gYear for o in kg.graph.objects(None, ISCM.attestedIn)
               if isinstance(o, Literal))


@pytest.mark.parametrize("engine", ENGINES)
def test_members_in_2012_by_stated_dates_and_by_attestation(engine: str) -> None:
    table = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012"}, load(engine), engine=engine)
    assert sorted(rows(table, "participant", "basis", "start", "end", "sources")) == [
        ("state-a", "stated dates", "2010", "2015", "https://example.org/report-2012"),
        ("state-b", "attestation", "", "", "https://example.org/report-2012"),
        ("state-e", "stated dates", "2011", "2013", "https://example.org/undated-page"),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_members_in_2016_and_in_the_founding_year(engine: str) -> None:
    kg = load(engine)
    in_2016 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2016"}, kg, engine=engine)
    assert sorted(rows(in_2016, "participant", "basis", "start")) == [
        ("state-c", "attestation", ""), ("state-d", "stated dates", "2014")]
    in_2008 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2008"}, kg, engine=engine)
    assert rows(in_2008, "participant", "basis", "start") == [("state-c", "stated dates", "2008")]
    in_2000 = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2000"}, kg, engine=engine)
    assert in_2000.rows == []


@pytest.mark.parametrize("engine", ENGINES)
def test_membership_changes_between_two_years(engine: str) -> None:
    table = query.run("membership-changes", {"mechanism": "TESTMECH", "from": "2009", "to": "2015"}, load(engine),
                      engine=engine)
    assert rows(table, "change", "year", "participant") == [
        ("joined", "2010", "state-a"), ("joined", "2011", "state-e"), ("left", "2013", "state-e"),
        ("joined", "2014", "state-d")]
    founding = query.run("membership-changes", {"mechanism": "TESTMECH", "from": "2007", "to": "2008"},
                         load(engine), engine=engine)
    assert rows(founding, "change", "year", "participant", "role") == [
        ("joined", "2008", "state-c", "founding-member")]


def test_year_parameter_must_be_a_year_or_a_range() -> None:
    with pytest.raises(Exception, match="parameter 'year' expects a year such as 2015 or a range FROM..TO"):
        query.run("members-in-year", {"mechanism": "TESTMECH", "year": "twenty"}, load("rdflib"))
    with pytest.raises(Exception, match="parameter 'year': the range '2016..2012' runs backwards"):
        query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2016..2012"}, load("rdflib"))


@pytest.mark.parametrize("engine", ENGINES)
def test_members_in_a_range_of_years(engine: str) -> None:
    # The fixture's members of 2012 and of 2016 (above) together with state-d, whose stated years start in 2014;
    # state-c's founding year, 2008, lies outside the range, so it counts by its 2016 attestation only.
    table = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "2012..2016"}, load(engine), engine=engine)
    assert sorted(rows(table, "participant", "basis")) == [
        ("state-a", "stated dates"), ("state-b", "attestation"), ("state-c", "attestation"),
        ("state-d", "stated dates"), ("state-e", "stated dates")]
    before = query.run("members-in-year", {"mechanism": "TESTMECH", "year": "..2008"}, load(engine), engine=engine)
    assert rows(before, "participant", "basis") == [("state-c", "stated dates")]
