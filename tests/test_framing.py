"""The framed JSON-LD view: every mechanism with exactly its participations, and nothing the graph does not say.

That it comes out byte-identical in another process (another hash seed) is tested with every release file in
tests/test_release.py (test_cli_build_gives_the_same_bytes_in_another_process)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from iscm_kg import graph
from iscm_kg.publish import export

pyld = pytest.importorskip("pyld")

PREFIXES = "PREFIX iscm: <https://w3id.org/iscm-kg/ontology#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
ISCM = "https://w3id.org/iscm-kg/ontology#"


@pytest.fixture(scope="module")
def inferred(kg: graph.KnowledgeGraph) -> Graph:
    """The shipped graph with the derived triples: the session's, not loaded again."""
    return kg.graph


@pytest.fixture(scope="module")
def framed_text() -> str:
    return export.serialise(graph.load(inferred=False).graph, "jsonld-framed")


@pytest.fixture(scope="module")
def framed(framed_text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(framed_text)
    return doc


def _rows(g: Graph, select: str) -> list[tuple[str, ...]]:
    """A SELECT's rows as tuples of strings."""
    return [tuple(str(term) for term in row) for row in g.query(PREFIXES + select)]  # type: ignore[union-attr]


def _mechanisms(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in doc["@graph"]}


def test_every_mechanism_is_a_top_level_node(framed: dict[str, Any], inferred: Graph) -> None:
    expected = {m for (m,) in _rows(inferred, "SELECT ?m WHERE { ?m a iscm:ISCM }")}
    assert len(expected) > 0
    assert set(_mechanisms(framed)) == expected


def test_mechanism_types_are_the_adopted_ones(framed: dict[str, Any], inferred: Graph) -> None:
    rows = _rows(inferred, "SELECT ?m ?t WHERE { ?m a ?t VALUES ?t { iscm:RCP iscm:IRF iscm:GlobalProcess } }")
    expected = {(m, t.removeprefix(ISCM)) for m, t in rows}
    found = {(mid, t) for mid, node in _mechanisms(framed).items() for t in node["type"] if t != "ISCM"}
    assert found == expected


def test_participant_role_pairs_per_mechanism_match_sparql(framed: dict[str, Any], inferred: Graph) -> None:
    expected: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m, p, r in _rows(inferred, """SELECT ?m ?p ?r WHERE {
            ?x a iscm:Participation ; org:organization ?m ; org:member ?p ; org:role ?r . ?m a iscm:ISCM }"""):
        expected[m].add((p, r))
    assert sum(len(pairs) for pairs in expected.values()) > 0
    for mechanism_id, node in _mechanisms(framed).items():
        found = {(part["participant"]["id"], part["role"]["id"]) for part in node.get("participations", [])}
        assert found == expected.get(mechanism_id, set()), mechanism_id


def test_every_participation_carries_participant_role_and_sources(framed: dict[str, Any], inferred: Graph) -> None:
    """With @embed @always every mention of a participant is embedded in full, not only the first one."""
    iso = {str(s): {"iso2": str(o)} for s, o in inferred.subject_objects(URIRef(ISCM + "isoAlpha2"))}
    for s, o in inferred.subject_objects(URIRef(ISCM + "isoAlpha3")):
        iso[str(s)]["iso3"] = str(o)
    dcterms_source = URIRef("http://purl.org/dc/terms/source")
    checked = 0
    for node in _mechanisms(framed).values():
        for part in node.get("participations", []):
            participant = part["participant"]
            assert participant.get("name"), part["id"]
            assert part["role"].get("name"), part["id"]
            if participant["id"] in iso:
                assert {k: participant.get(k) for k in ("iso2", "iso3")} == iso[participant["id"]]
            sources = {s["id"] for s in part.get("source", [])}
            assert sources == {str(o) for o in inferred.objects(URIRef(part["id"]), dcterms_source)}
            checked += 1
    assert checked == len(set(inferred.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                                 URIRef(ISCM + "Participation"))))


def test_claims_are_nested_under_their_mechanism(framed: dict[str, Any], inferred: Graph) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for c, m in _rows(inferred, "SELECT ?c ?m WHERE { ?c a iscm:Claim ; iscm:claimSubject ?m }"):
        expected[m].add(c)
    for mechanism_id, node in _mechanisms(framed).items():
        assert {c["id"] for c in node.get("claims", [])} == expected.get(mechanism_id, set())


def _triples_of(nquads: str) -> Graph:
    return Graph().parse(data=nquads, format="nquads")


def test_framed_view_states_only_what_the_graph_states(framed: dict[str, Any], inferred: Graph) -> None:
    nquads = pyld.jsonld.to_rdf(framed, {"format": "application/n-quads"})
    expanded = _triples_of(nquads)
    assert len(expanded) > 10_000
    missing = [t for t in expanded if t not in inferred]
    assert missing == []


def test_rdflib_reads_the_framed_view_the_same_way(framed_text: str, framed: dict[str, Any]) -> None:
    by_rdflib = Graph().parse(data=framed_text, format="json-ld")
    by_pyld = _triples_of(pyld.jsonld.to_rdf(framed, {"format": "application/n-quads"}))
    assert set(by_rdflib) == set(by_pyld)


def test_language_maps_and_typed_values_survive(framed: dict[str, Any], inferred: Graph) -> None:
    """Spanish titles stay Spanish, years stay xsd:gYear: the readable keys lose nothing."""
    expanded = _triples_of(pyld.jsonld.to_rdf(framed, {"format": "application/n-quads"}))
    titles = [o for o in expanded.objects(None, URIRef("http://purl.org/dc/terms/title")) if isinstance(o, Literal)]
    assert {t.language for t in titles} >= {"en", "es"}
    years = list(expanded.objects(None, URIRef(ISCM + "foundingYear")))
    assert years and all(isinstance(y, Literal) and str(y.datatype).endswith("#gYear") for y in years)
