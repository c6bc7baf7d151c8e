"""Year-range parameters (--param years=2010..2015): parsed, bound as two integers, refused when malformed."""

from __future__ import annotations

import pytest
from rdflib import Literal

from iscm_kg import query
from iscm_kg.cli import main
from iscm_kg.engines import ResultTable
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import catalogue, resolve

YEARS = catalogue.Parameter("years", "year-range", None, "2010..2015", "the years")
STATE = "https://w3id.org/iscm-kg/id/state/"


def column(table: ResultTable, name: str) -> list[str]:
    i = table.variables.index(name)
    return ["" if row[i] is None else str(row[i]) for row in table.rows]


@pytest.mark.parametrize(("text", "expected"), [
    ("2015", (2015, 2015)),
    (" 2010..2015 ", (2010, 2015)),
    ("2010 .. 2015", (2010, 2015)),
    ("2012..2012", (2012, 2012)),
    ("2010..", (2010, resolve.OPEN_END)),
    ("..2015", (resolve.OPEN_START, 2015)),
    ("..", (resolve.OPEN_START, resolve.OPEN_END)),
])
def test_year_range_values(text: str, expected: tuple[int, int]) -> None:
    start, end = resolve.year_range(YEARS, text)
    assert (start.toPython(), end.toPython()) == expected
    assert start.datatype == end.datatype == Literal(1).datatype


@pytest.mark.parametrize(("text", "needle"), [
    ("2015..2010", "runs backwards"),
    ("abc", "got 'abc'"),
    ("2010-2015", "got '2010-2015'"),
    ("2010 2015", "got '2010 2015'"),
    ("", "got ''"),
    ("2010...2015", "got '2010...2015'"),
])
def test_bad_year_ranges_are_refused_naming_the_parameter(text: str, needle: str) -> None:
    with pytest.raises(IscmError, match="parameter 'years'") as err:
        resolve.year_range(YEARS, text)
    assert needle in str(err.value)
    assert "2010..2015" in str(err.value)  # says what was expected


@pytest.mark.parametrize("bad", ["2015..2010", "abc"])
def test_cli_bad_range_is_one_line_exit_2(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "mechanisms-founded", "--param", f"years={bad}"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "parameter 'years'" in err and "FROM..TO" in err


def test_a_year_range_cannot_take_several_values(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "mechanisms-founded", "--param", "years=2000", "--param", "years=2010"])
    assert code == 2
    assert "takes one value" in capsys.readouterr().err


def test_range_queries_declare_their_ranges() -> None:
    declared = {q.name: [p.name for p in q.parameters if p.type == "year-range"] for q in catalogue.all_queries()}
    assert declared["mechanisms-founded"] == ["years"]
    assert declared["chairs-with-years"] == ["years"]
    assert declared["members-in-year"] == ["year"]


def test_queries_name_shows_the_range_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries", "members-in-year"]) == 0
    out = capsys.readouterr().out
    assert "--param year=<year-range>" in out
    assert "FROM..TO" in out and "2010.." in out and "..2015" in out


def test_mechanisms_founded_in_a_range(kg: KnowledgeGraph) -> None:
    found = set(column(query.run("mechanisms-founded", {"years": "2000..2009"}, kg), "id"))
    assert "BALI" in found  # data/mechanisms/BALI.ttl: founding year 2002
    assert "IGC" not in found  # data/mechanisms/IGC.ttl: sources give 1985 and 1986
    assert column(query.run("mechanisms-founded", {"years": "2002"}, kg), "id").count("BALI") == 1
    assert "BALI" not in column(query.run("mechanisms-founded", {"years": "2003.."}, kg), "id")
    assert "IGC" in column(query.run("mechanisms-founded", {"years": "..1990"}, kg), "id")


@pytest.mark.parametrize("years", ["2000..2009", "1985", "..1995", "2010.."])
def test_mechanisms_founded_is_every_adopted_year_in_the_range(kg: KnowledgeGraph, years: str) -> None:
    start, end = (v.toPython() for v in resolve.year_range(YEARS, years))
    everyone = kg.select("PREFIX iscm: <https://w3id.org/iscm-kg/ontology#> "
                         "SELECT ?m ?y WHERE { ?m iscm:foundingYear ?y }")
    expected = {str(m) for m, y in everyone.rows if start <= int(str(y)) <= end}
    assert set(column(query.run("mechanisms-founded", {"years": years}, kg), "mechanism")) == expected


def test_chairs_in_a_range(kg: KnowledgeGraph) -> None:
    table = query.run("chairs-with-years", {"years": "2010..2012"}, kg)
    pairs = set(zip(column(table, "id"), column(table, "chair"), strict=True))
    # data/mechanisms/GFMD.ttl: Mexico chaired from 2010, Switzerland from 2011, Sweden from 2014.
    assert ("GFMD", STATE + "MEX") in pairs and ("GFMD", STATE + "CHE") in pairs
    assert ("GFMD", STATE + "SWE") not in pairs
    # Every row's stated years overlap the range; chairs without years are left out.
    for start, end in zip(column(table, "start"), column(table, "end"), strict=True):
        assert start and int(start) <= 2012 and 2010 <= int(end or start)
    turkey = query.run("chairs-with-years", {"years": "2006"}, kg)
    # data/mechanisms/BUDAPEST.ttl: Türkiye took over the chair in January 2006.
    assert ("BUDAPEST", STATE + "TUR") in set(zip(column(turkey, "id"), column(turkey, "chair"), strict=True))


def test_chairs_default_range_keeps_chairs_without_years(kg: KnowledgeGraph) -> None:
    table = query.run("chairs-with-years", {}, kg)
    assert "" in column(table, "start")  # data/mechanisms/BALI.ttl: Australia and Indonesia co-chair, no years
    assert len(table.rows) > len(query.run("chairs-with-years", {"years": "1900..2100"}, kg).rows)


def test_members_in_a_range_are_the_members_of_its_years(kg: KnowledgeGraph) -> None:
    def members(year: str) -> set[str]:
        return set(column(query.run("members-in-year", {"mechanism": "KHARTOUM", "year": year}, kg), "participant"))

    assert members("2015") == members("2015..2015")
    assert members("2014..2016") == members("2014") | members("2015") | members("2016")
    assert members("2014") <= members("2014..2016")


def test_a_range_is_bound_as_two_integers_not_pasted() -> None:
    q = catalogue.get("mechanisms-founded")
    start, end = resolve.year_range(YEARS, "2000..2009")
    text = query.bind_values(q.text, {"years_from": start, "years_to": end})
    assert f"VALUES (?years_from ?years_to) {{ ({start.n3()} {end.n3()}) }}" in text
