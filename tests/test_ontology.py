"""The ontology: documented terms, OWL RL consistency with the data, and the one rule for short properties."""

from __future__ import annotations

import re
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from iscm_kg import __version__, graph, query, resources, validate
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import ISCM, ONTOLOGY_IRI, ORG, sparql_prologue

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


@pytest.fixture(scope="module")
def owl_rl_closure() -> tuple[Graph, Graph]:
    """(our derived graph, its OWL RL closure), computed once: the closure of the asserted triples with our rules'
    triples (the claims rule gives types OWL cannot derive; owlrl then closes over them). Our derived graph holds
    the asserted triples, so this is also the closure the consistency check needs."""
    asserted = graph.load(inferred=False).graph
    ours = graph.load(inferred=True).graph
    closure = Graph()
    closure += asserted
    closure += ours
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return ours, closure


@pytest.mark.slow  # the OWL RL closure of the whole graph
def test_owl_rl_finds_no_inconsistency(owl_rl_closure: tuple[Graph, Graph]) -> None:
    _ours, g = owl_rl_closure
    errors = [str(g.value(m, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
              for m in g.subjects(RDF.type, ERRORS)]
    assert errors == []
    # ORG's trap: States are modelled as organisations (org:FormalOrganization), so no disjointness clash.
    assert (URIRef("https://w3id.org/iscm-kg/id/state/DNK"), RDF.type, ORG.FormalOrganization) in g


@pytest.mark.slow
def test_owl_rl_agrees_with_the_class_rules(owl_rl_closure: tuple[Graph, Graph]) -> None:
    ours, closure = owl_rl_closure
    assert len(ours) < len(closure)
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


ROLE = "https://w3id.org/iscm-kg/id/role/"
ROLE_TERM = re.compile(r"role:([\w-]+)|<https://w3id\.org/iscm-kg/id/role/([\w-]+)>")


def role_terms(path: Path) -> set[URIRef]:
    """The role terms a shapes file or a query names, written role:x or in full."""
    return {URIRef(ROLE + (a or b)) for a, b in ROLE_TERM.findall(path.read_text(encoding="utf-8"))}


def test_role_collections_named_by_shapes_and_queries_are_the_ontologys() -> None:
    """A shape or query naming a collection the ontology does not define would select nothing, silently."""
    g = ontology()
    collections = set(g.subjects(RDF.type, SKOS.Collection))
    roles = set(g.subjects(RDF.type, ISCM.Role))
    named = {path.name: role_terms(path) for path in [*resources.shapes_files(), *resources.query_files()]}
    unknown = {name: sorted(t - collections - roles - {URIRef(ROLE)}) for name, t in named.items()}
    assert {name: t for name, t in unknown.items() if t} == {}
    # The secretariat shape and the secretariat query read one collection: the same list of roles.
    functions = URIRef(ROLE + "secretariat-functions")
    assert functions in named["iscm-shapes.ttl"] and functions in named["iom-secretariat.rq"]
    assert collections & (named["iscm-shapes.ttl"] | named["iom-secretariat.rq"]) == {functions}


def test_every_secretariat_role_is_a_secretariat_function() -> None:
    g = ontology()
    functions = set(g.objects(URIRef(ROLE + "secretariat-functions"), SKOS.member))
    about_secretariats = {r for r in g.subjects(RDF.type, ISCM.Role)
                          if any("secretariat" in str(label).lower() for label in g.objects(r, SKOS.prefLabel))}
    assert about_secretariats == functions
    assert URIRef(ROLE + "technical-secretariat") in functions


def test_the_secretariat_shape_takes_the_roles_of_being_the_secretariat_from_the_hierarchy() -> None:
    """The shape's target (one participation per role) picks role:secretariat and the roles narrower than it."""
    shapes = validate.shapes_graph()
    shape = URIRef("https://w3id.org/iscm-kg/shapes#SecretariatIsOrganisationShape")
    target = shapes.value(shape, SH.target)
    select = str(shapes.value(target, SH.select))
    g = ontology()
    for role in g.subjects(RDF.type, ISCM.Role):
        g.add((URIRef(f"{ROLE}test-participation/{str(role)[len(ROLE):]}"), ORG.role, role))
    picked = {str(row[0]).rsplit("/", 1)[-1] for row in query.run_local(sparql_prologue() + select, g, "rdflib").rows}
    assert picked == {"secretariat", "technical-secretariat"}
