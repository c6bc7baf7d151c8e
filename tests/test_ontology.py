"""The ontology: documented terms, OWL RL consistency with the data, and the one rule for short properties."""

from __future__ import annotations

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from iscm_kg import __version__, graph, query, resources
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import ISCM, ONTOLOGY_IRI, ORG

ERRORS = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")


def ontology() -> Graph:
    g = Graph()
    for path in resources.ontology_files():
        g.parse(path)
    return g


def test_every_term_has_label_definition_and_is_defined_by() -> None:
    g = ontology()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ISCM))}
    assert len(terms) > 40
    for term in terms:
        assert g.value(term, RDFS.label), term
        assert g.value(term, SKOS.definition), term
        assert g.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), term


def test_version_is_stamped_from_the_package(kg: KnowledgeGraph) -> None:
    assert kg.graph.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo) == Literal(__version__)
    assert kg.graph.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{__version__}")


def test_owl_rl_finds_no_inconsistency() -> None:
    g = graph.load(inferred=True).graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    errors = [str(g.value(m, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
              for m in g.subjects(RDF.type, ERRORS)]
    assert errors == []
    # ORG's trap: States are modelled as organisations (org:FormalOrganization), so no disjointness clash.
    assert (URIRef("https://w3id.org/iscm-kg/id/state/DNK"), RDF.type, ORG.FormalOrganization) in g


def test_owl_rl_agrees_with_the_class_rules() -> None:
    asserted = graph.load(inferred=False).graph
    ours = graph.load(inferred=True).graph
    closure = Graph()
    closure += asserted
    closure += ours  # the claims rule gives types OWL cannot derive; owlrl then closes over them
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    for instance, cls in ours.subject_objects(RDF.type):
        if str(cls).startswith(str(ISCM)):
            assert (instance, RDF.type, cls) in closure


def test_short_properties_match_participation_nodes(kg: KnowledgeGraph) -> None:
    for role, short in [("member", "memberOf"), ("observer", "observerOf"), ("secretariat", "secretariatOf")]:
        via_nodes = query.run_local(f"""
            SELECT DISTINCT ?p ?m WHERE {{ ?x org:member ?p ; org:organization ?m ;
                org:role <https://w3id.org/iscm-kg/id/role/{role}> }}""", kg.graph).sorted()
        via_short = query.run_local(f"SELECT DISTINCT ?p ?m WHERE {{ ?p iscm:{short} ?m }}", kg.graph).sorted()
        assert via_nodes.rows == via_short.rows and via_nodes.rows
