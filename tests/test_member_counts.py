"""Member counts read the same in every query that shows them (issue 15: "Bali shows three different counts in
three queries"): each count column means one thing everywhere, and is checked here against a SPARQL COUNT over
the participations themselves, for every mechanism. Unknown is not zero: no member list read is a blank count
with the reason beside it."""

from __future__ import annotations

from typing import Any

import pytest

from iscm_kg import query
from iscm_kg.engines import ResultTable
from iscm_kg.graph import KnowledgeGraph

PREFIXES = """PREFIX iscm: <https://w3id.org/iscm-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX role: <https://w3id.org/iscm-kg/id/role/>
"""

# Counted from the asserted participations (org:role member or founding member), not from the derived
# iscm:memberOf the queries read: two roads to the same number.
MEMBER_STATES = PREFIXES + """SELECT ?m (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?p a iscm:Participation ; org:organization ?m ; org:member ?s ; org:role ?r .
  FILTER (?r IN (role:member, role:founding-member)) ?s a iscm:State } GROUP BY ?m"""
ALL_MEMBERS = PREFIXES + """SELECT ?m (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?p a iscm:Participation ; org:organization ?m ; org:member ?s ; org:role ?r .
  FILTER (?r IN (role:member, role:founding-member)) } GROUP BY ?m"""
STATED = PREFIXES + "SELECT ?m ?n WHERE { ?m iscm:statedMemberCount ?n }"
MECHANISMS = PREFIXES + "SELECT ?m WHERE { ?m a iscm:ISCM }"


def counts(kg: KnowledgeGraph, text: str) -> dict[str, int]:
    return {str(m): int(str(n)) for m, n in kg.select(text).rows}


def rows_by_mechanism(table: ResultTable) -> dict[str, dict[str, Any]]:
    return {str(r[0]): dict(zip(table.variables, r, strict=True)) for r in table.rows}


def number(cell: Any) -> int | None:
    return None if cell is None else int(cell)


@pytest.fixture(scope="module")
def expected(kg: KnowledgeGraph) -> dict[str, dict[str, int | None]]:
    members, everyone, stated = counts(kg, MEMBER_STATES), counts(kg, ALL_MEMBERS), counts(kg, STATED)
    return {str(m): {"memberStates": members.get(str(m)), "allMembers": everyone.get(str(m)),
                     "statedMembers": stated.get(str(m))} for (m,) in kg.select(MECHANISMS).rows}


@pytest.mark.parametrize("name", ["mechanisms", "largest-by-members"])
def test_every_mechanism_counted_alike(kg: KnowledgeGraph, expected: dict[str, dict[str, int | None]],
                                       name: str) -> None:
    rows = rows_by_mechanism(query.run(name, {}, kg))
    assert set(rows) == set(expected)
    for mechanism, want in expected.items():
        got = rows[mechanism]
        assert number(got["memberStates"]) == want["memberStates"], (name, mechanism)
        assert number(got["statedMembers"]) == want["statedMembers"], (name, mechanism)
        if want["memberStates"] is None:  # blank, never 0, and the reason beside it
            assert str(got["memberCountNote"]).startswith("no member list read"), (name, mechanism)


def test_profile_counts_agree_for_every_mechanism(kg: KnowledgeGraph,
                                                   expected: dict[str, dict[str, int | None]]) -> None:
    listing = rows_by_mechanism(query.run("mechanisms", {}, kg))
    for mechanism, want in expected.items():
        table = query.run("mechanism-profile", {"mechanism": mechanism}, kg)
        assert len(table.rows) == 1, mechanism
        got = rows_by_mechanism(table)[mechanism]
        assert number(got["memberStates"]) == want["memberStates"], mechanism
        assert number(got["statedMembers"]) == want["statedMembers"], mechanism
        assert number(got["allMembers"]) == want["allMembers"], mechanism
        for column in ("listComplete", "memberCountNote"):
            assert got[column] == listing[mechanism][column], (mechanism, column)


def test_incomplete_lists_and_gaps_agree(kg: KnowledgeGraph, expected: dict[str, dict[str, int | None]]) -> None:
    incomplete = rows_by_mechanism(query.run("incomplete-member-lists", {}, kg))
    for mechanism, got in incomplete.items():
        assert number(got["memberStates"]) == expected[mechanism]["memberStates"], mechanism
        assert number(got["statedMembers"]) == expected[mechanism]["statedMembers"], mechanism
    gaps = rows_by_mechanism(query.run("gaps-members", {}, kg))
    assert set(gaps) == {m for m, want in expected.items() if want["memberStates"] is None}
    for mechanism, got in gaps.items():
        assert number(got["statedMembers"]) == expected[mechanism]["statedMembers"], mechanism


def test_bali_reads_the_same_everywhere(kg: KnowledgeGraph) -> None:
    bali = "https://w3id.org/iscm-kg/id/mechanism/BALI"
    seen = [rows_by_mechanism(query.run(name, params, kg))[bali]
            for name, params in (("mechanisms", {}), ("largest-by-members", {}), ("incomplete-member-lists", {}),
                                 ("mechanism-profile", {"mechanism": "BALI"}))]
    # data/mechanisms/BALI.ttl: the preferred claim states 45 members; the list read is marked incomplete.
    assert {str(row["statedMembers"]) for row in seen} == {"45"}
    assert {str(row["listComplete"]) for row in seen} == {"false"}
    assert len({str(row["memberStates"]) for row in seen}) == 1
    assert {str(row["memberCountNote"]) for row in seen} == {"recorded list incomplete"}
