"""Forgiving lookup: names as people type them find the entity, or list the candidates, or suggest the nearest."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import resolve
from iscm_kg.query.catalogue import Parameter

from .conftest import cli

STATE = Parameter("state", "state", None, "KEN", "")
MECHANISM = Parameter("mechanism", "mechanism", None, "GFMD", "")
ID = "https://w3id.org/iscm-kg/id/"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey", "state/TUR"),  # country_converter's pattern for Türkiye (data/states.ttl)
        ("UK", "state/GBR"),
        ("Ivory Coast", "state/CIV"),
        ("Cote d'Ivoire", "state/CIV"),  # accents folded: "Côte d'Ivoire"
        ("COTE D’IVOIRE", "state/CIV"),  # case and a typographic apostrophe
        ("Holy See", "state/VAT"),  # part of "Holy See (Vatican City State)"
        ("Zaïre", "state/COD"),  # a former name (ISO 3166-3, pycountry)
        ("Turquía", "state/TUR"),  # Spanish
        ("Royaume-Uni", "state/GBR"),  # French
        ("Guinea", "state/GIN"),  # the English name wins over Equatorial Guinea, Guinea-Bissau
        ("dk", "state/DNK"),
    ],
)
def test_state_names_people_type(kg: KnowledgeGraph, text: str, expected: str) -> None:
    assert resolve.resolve(kg, STATE, text) == URIRef(ID + expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Abu Dhabi", "mechanism/ADD"),  # "Abu Dhabi Dialogue" (data/mechanisms/ADD.ttl)
        ("Global Forum", "mechanism/GFMD"),  # "Global Forum on Migration and Development"
        ("budapest process", "mechanism/BUDAPEST"),
        ("Soderkoping Process", "mechanism/SODERKOPING"),
        ("IGAD-RCP", "mechanism/MID-IGAD"),  # another acronym
    ],
)
def test_mechanism_names_and_acronyms(kg: KnowledgeGraph, text: str, expected: str) -> None:
    assert resolve.resolve(kg, MECHANISM, text) == URIRef(ID + expected)


@pytest.mark.parametrize("text, codes", [("Korea", ["KOR", "PRK"]), ("Congo", ["COD", "COG"])])
def test_ambiguous_names_list_every_candidate_with_its_code(kg: KnowledgeGraph, text: str, codes: list[str]) -> None:
    with pytest.raises(IscmError) as caught:
        resolve.resolve(kg, STATE, text)
    message = str(caught.value)
    assert "matches 2 states" in message
    assert all(f"({code})" in message for code in codes)


def test_unknown_name_suggests_the_nearest(kg: KnowledgeGraph) -> None:
    with pytest.raises(IscmError, match=r"did you mean: Denmark \(DNK\)"):
        resolve.resolve(kg, STATE, "Denmrk")
    with pytest.raises(IscmError, match=r"did you mean: Budapest Process \(BUDAPEST\)"):
        resolve.resolve(kg, MECHANISM, "Budapst Process")


def test_cli_ambiguous_state_exits_2_listing_both() -> None:
    result = cli("query", "mechanisms-of-state", "--param", "state=Korea")
    assert result.returncode == 2
    assert "(KOR)" in result.stderr and "(PRK)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_turkey_finds_turkiye() -> None:
    result = cli("query", "mechanisms-of-state", "--param", "state=Turkey", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert ",BUDAPEST," in result.stdout  # Türkiye chairs and takes part in the Budapest Process (BUDAPEST.ttl)


def test_mistyped_query_name_and_parameter_key_get_did_you_mean() -> None:
    result = cli("query", "mechanims")
    assert result.returncode == 2
    assert "did you mean: mechanisms" in result.stderr
    assert "gaps-sources" not in result.stderr  # not the whole list
    result = cli("query", "members-of", "--param", "mechansm=IGC")
    assert result.returncode == 2
    assert "did you mean: mechanism?" in result.stderr


@pytest.mark.parametrize("iri", [ID + "mechanism/UN-HLD", ID + "mechanism/BALI", ID + "state/KEN"])
def test_an_iri_as_search_prints_it_picks_its_entity(kg: KnowledgeGraph, iri: str) -> None:
    param = STATE if "/state/" in iri else MECHANISM
    assert resolve.resolve(kg, param, iri) == URIRef(iri)
