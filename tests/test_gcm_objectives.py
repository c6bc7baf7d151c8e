"""The Global Compact's objectives as a SKOS scheme: 23 concepts numbered 1 to 23, each titled, each sourced."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from iscm_kg.graph import KnowledgeGraph

SCHEME = URIRef("https://w3id.org/iscm-kg/id/gcm-objective/scheme")


def test_twenty_three_objectives_numbered_one_to_twenty_three(kg: KnowledgeGraph) -> None:
    g = kg.graph
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g
    assert list(g.objects(SCHEME, DCTERMS.source))
    concepts = set(g.subjects(SKOS.inScheme, SCHEME))
    assert len(concepts) == 23
    notations = sorted(int(str(n)) for c in concepts for n in g.objects(c, SKOS.notation))
    assert notations == list(range(1, 24))
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in g
        labels = [lab for lab in g.objects(concept, SKOS.prefLabel) if isinstance(lab, Literal)]
        assert len(labels) == 1 and labels[0].language == "en"
        assert list(g.objects(concept, DCTERMS.source))


def test_objective_titles_match_the_compact(kg: KnowledgeGraph) -> None:
    g = kg.graph
    title = {int(str(g.value(c, SKOS.notation))): str(g.value(c, SKOS.prefLabel))
             for c in g.subjects(SKOS.inScheme, SCHEME)}
    assert title[1] == "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies"
    assert title[11] == "Manage borders in an integrated, secure and coordinated manner"
    assert title[23] == ("Strengthen international cooperation and global partnerships for safe, orderly and "
                         "regular migration")
