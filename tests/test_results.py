"""Result formats: label columns beside IRI columns for programs, tables that fit and keep every column."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Literal, URIRef

from iscm_kg import query
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import results
from iscm_kg.query.results import ResultTable

from .conftest import cli


def test_csv_has_label_column_beside_each_iri_column(kg: KnowledgeGraph) -> None:
    table = query.run("members-of", {"mechanism": "IGC"}, kg)
    text = results.render(table, "csv", lambda iri: query.label_of(kg, iri))
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0])
    assert header[:6] == ["participant", "participant_label", "kind", "kind_label", "role", "role_label"]
    denmark = [r for r in rows if r["participant"].endswith("/state/DNK")]
    assert denmark and denmark[0]["participant_label"] == "Denmark"  # data/states.ttl: state:DNK prefLabel


def test_json_and_tsv_carry_the_labels_too(kg: KnowledgeGraph) -> None:
    table = query.run("mechanisms-of-state", {"state": "DNK"}, kg)
    label = lambda iri: query.label_of(kg, iri)  # noqa: E731
    doc = json.loads(results.render(table, "json", label))
    assert doc["head"]["vars"][:2] == ["mechanism", "mechanism_label"]
    igc = [b for b in doc["results"]["bindings"] if b["id"]["value"] == "IGC"]
    assert igc[0]["mechanism_label"]["type"] == "literal"
    assert "Consultations" in igc[0]["mechanism_label"]["value"]
    tsv = results.render(table, "tsv", label).splitlines()
    assert tsv[0].split("\t")[:2] == ["?mechanism", "?mechanism_label"]


def test_unbound_iri_cell_leaves_its_label_blank() -> None:
    table = ResultTable(["x", "n"], [(URIRef("https://w3id.org/x"), Literal(1)), (None, Literal(2))])
    out = results.with_labels(table, lambda iri: "X")
    assert out.variables == ["x", "x_label", "n"]
    assert out.rows[1] == (None, None, Literal(2))


def test_table_fits_the_width_wraps_and_keeps_every_column() -> None:
    long = "Intergovernmental Consultations on Migration, Asylum and Refugees and a long tail of words"
    table = ResultTable(["mechanism", "id", "sources"],
                        [(Literal(long), Literal("IGC"), Literal("https://example.org/" + "a" * 70))])
    text = results.to_table(table, lambda iri: str(iri), width=50)
    lines = text.splitlines()
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].split() == ["mechanism", "id", "sources"]
    body = " ".join(lines[2:-1])
    for word in long.split():
        assert word in body  # wrapped, never cut with an ellipsis
    assert "…" not in text


def test_table_width_option_on_the_command_line() -> None:
    result = cli("query", "mechanisms", "--width", "120")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert lines[0].split() == ["mechanism", "id", "type", "status", "founded", "memberStates", "statedMembers",
                                "listComplete", "memberCountNote"]
    assert cli("query", "mechanisms", "--width", "0").returncode == 2


def test_a_cell_is_wrapped_as_textwrap_wraps_it() -> None:
    """The short cut for cells that fit gives textwrap's own lines, on every kind of spacing."""
    import random
    import textwrap

    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice("ab -\t\n x") for _ in range(rng.randint(0, 14)))
        width = rng.randint(1, 12)
        expected = textwrap.wrap(text.replace("\n", " "), width, break_long_words=True, break_on_hyphens=True)
        assert results._wrap(text, width) == (expected or [""]), (text, width)


def test_list_cells_read_the_same_sorted_or_not() -> None:
    table = ResultTable(["sources"], [(Literal("b, a"),), (Literal("a, b"),), (Literal(""),), (None,)])
    assert [row[0] for row in query.sort_lists(table, ("sources",)).rows] == [
        Literal("a, b"), Literal("a, b"), Literal(""), None]
