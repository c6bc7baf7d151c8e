"""Meetings and outcome documents: the canned query queries/meetings-of.rq answers from the shipped data.

The meeting shapes (shapes/meeting-shapes.ttl) have their passing and failing cases in tests/shape_cases/."""

from __future__ import annotations

from iscm_kg import query
from iscm_kg.graph import KnowledgeGraph


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
