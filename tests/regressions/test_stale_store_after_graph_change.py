"""Regression: oxigraph_engine.store_for cached an Oxigraph store per rdflib graph, keyed on id(graph) and
len(graph). Removing one triple and adding another kept the length, and query.run answered from the old store
while rdflib answered the new triple. Each engine must answer from the graph as it is now."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from iscm_kg import graph, query
from iscm_kg.namespaces import new_graph

THING = URIRef("https://example.org/thing")
ASK_LABEL = "SELECT ?label WHERE { <https://example.org/thing> skos:prefLabel ?label }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_plain_graph_changed_in_place_is_answered_as_it_is_now(engine: str) -> None:
    g = new_graph()
    g.add((THING, SKOS.prefLabel, Literal("old")))
    assert query.run_local(ASK_LABEL, g, engine).rows == [(Literal("old"),)]
    g.remove((THING, SKOS.prefLabel, Literal("old")))
    g.add((THING, SKOS.prefLabel, Literal("new")))  # same length, same graph object
    assert query.run_local(ASK_LABEL, g, engine).rows == [(Literal("new"),)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_knowledge_graph_changed_through_its_api_is_answered_as_it_is_now(engine: str) -> None:
    kg = graph.load(include_data=False, inferred=False, engine=engine)
    kg.add((THING, SKOS.prefLabel, Literal("old")))
    assert (THING, SKOS.prefLabel, Literal("old")) in kg.graph
    kg.remove((THING, SKOS.prefLabel, Literal("old")))
    kg.add((THING, SKOS.prefLabel, Literal("new")))
    assert kg.select(ASK_LABEL).rows == [(Literal("new"),)]
    # The rdflib view follows too (a fresh copy on Oxigraph, the live graph on rdflib).
    assert (THING, SKOS.prefLabel, Literal("new")) in kg.graph
    assert (THING, SKOS.prefLabel, Literal("old")) not in kg.graph


def test_query_on_a_knowledge_graph_converts_nothing() -> None:
    kg = graph.load(engine="oxigraph")
    query.run("iom-secretariat", {}, kg)
    assert kg._rdflib is None, "running a query on the Oxigraph engine built an rdflib copy"
