"""SHACL Core constraints answered as SELECT queries on Oxigraph (engines/core_constraints.py) give the validators'
own results, every field compared, on shapes written here for each component it translates (beyond what shapes/
uses), and leave to the validator what they do not translate. The shape cases and the shipped data are compared
in tests/test_sparql_constraints.py.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph

from iscm_kg import graph, validate
from iscm_kg.engines import core_constraints, sparql_constraints
from iscm_kg.engines.oxigraph_engine import OxigraphEngine

from .test_sparql_constraints import rows

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""

DATA = PREFIXES + """
ex:Thing a rdfs:Class . ex:Special rdfs:subClassOf ex:Thing . ex:Other a rdfs:Class .
ex:a a ex:Thing ; ex:code "AB", "ab" ; ex:size 5 ; ex:year "2015"^^xsd:gYear ; ex:label "x"@en, "y"@EN, "z"@fr ;
    ex:link ex:b, ex:c ; ex:kind ex:red ; ex:flag true .
ex:b a ex:Special ; ex:code "abc" ; ex:size 12 ; ex:year "20x5"^^xsd:gYear ; ex:label "w"@de ; ex:link ex:a ;
    ex:kind ex:blue .
ex:c a ex:Other ; ex:size "7" ; ex:year "2016" ; ex:link ex:a, ex:b, ex:c ; ex:kind ex:green ; ex:flag false .
ex:d a ex:Thing .
"""

# One node shape per kind of constraint, each property shape named and with a message, as shapes/ writes them.
SHAPES = PREFIXES + """
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property ex:code, ex:size, ex:year, ex:label, ex:link, ex:kind, ex:linked, ex:pair .
ex:code a sh:PropertyShape ; sh:path ex:code ; sh:minCount 2 ; sh:maxCount 1 ; sh:pattern "^[a-z]+$" ;
    sh:flags "i" ; sh:message "code"@en .
ex:size a sh:PropertyShape ; sh:path ex:size ; sh:datatype xsd:integer ; sh:maxInclusive 10 ;
    sh:minExclusive 5 ; sh:severity sh:Warning ; sh:message "size"@en .
ex:year a sh:PropertyShape ; sh:path ex:year ; sh:datatype xsd:gYear ; sh:minCount 1 ; sh:message "year"@en .
ex:label a sh:PropertyShape ; sh:path ex:label ; sh:uniqueLang true ; sh:languageIn ( "en" "fr" ) ;
    sh:qualifiedValueShape [ sh:languageIn ( "de" ) ] ; sh:qualifiedMaxCount 0 ; sh:message "label"@en .
ex:link a sh:PropertyShape ; sh:path ex:link ; sh:class ex:Thing ; sh:maxCount 2 ;
    sh:node [ sh:property [ sh:path ex:kind ; sh:minCount 1 ] ] ; sh:message "link"@en .
ex:kind a sh:PropertyShape ; sh:path ex:kind ; sh:in ( ex:red ex:blue ) ; sh:hasValue ex:red ;
    sh:message "kind"@en .
ex:linked a sh:PropertyShape ; sh:path [ sh:inversePath ex:link ] ; sh:minCount 1 ;
    sh:not [ sh:class ex:Other ] ; sh:message "linked"@en .
ex:pair a sh:PropertyShape ; sh:path ex:link ;
    sh:and ( [ sh:property [ sh:path ex:size ; sh:minInclusive 6 ] ]
             [ sh:property [ sh:path ex:code ; sh:maxCount 1 ] ] ) ;
    sh:message "pair"@en .
ex:FlagShape a sh:NodeShape ; sh:targetSubjectsOf ex:flag ; sh:message "flag"@en ;
    sh:or ( [ sh:property [ sh:path ex:flag ; sh:hasValue true ] ] [ sh:not [ sh:class ex:Other ] ] ) .
ex:NodeShape a sh:NodeShape ; sh:targetNode ex:c, ex:d ; sh:message "node"@en ; sh:class ex:Thing .
"""


def engine_with(data: str, tmp_path: Path) -> OxigraphEngine:
    path = tmp_path / "data.ttl"
    path.write_text(data, encoding="utf-8")
    engine = OxigraphEngine()
    engine.parse(path)
    return engine


def turbo(engine: OxigraphEngine, shapes: Graph) -> Graph:
    from pyshacl_turbo import validate as run

    _conforms, report, _text = run(engine.store, shacl_graph=shapes, inference="none", allow_warnings=True,
                                   advanced=True)
    assert isinstance(report, Graph)
    return report


def reference(data: str, shapes: Graph) -> Graph:
    _conforms, report, _text = pyshacl.validate(Graph().parse(data=data, format="turtle"), shacl_graph=shapes,
                                                inference="none", allow_warnings=True, advanced=True)
    assert isinstance(report, Graph)
    return report


def test_every_translated_component_gives_the_validators_results(tmp_path: Path) -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    engine = engine_with(DATA, tmp_path)
    rest, checks = core_constraints.split(shapes, engine.subclasses)
    assert not core_constraints.needs_validator(rest)  # every shape above is translated
    components = {c.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent") for c in checks}
    assert components == {"Class", "Datatype", "Pattern", "LanguageIn", "Node", "Not", "Or", "And", "In",
                          "MaxInclusive", "MinExclusive", "HasValue", "MinCount", "MaxCount", "UniqueLang",
                          "QualifiedMaxCount"}
    answered = rows(engine.shacl(shapes, [], False))
    assert len(answered) >= 20  # the data breaks each constraint at least once
    assert answered == rows(turbo(engine, shapes))
    # pySHACL accepts an ill-formed "20x5"^^xsd:gYear as a gYear (rdflib does not check that datatype's lexical
    # form); SHACL says a literal that is not well formed fails sh:datatype, as pyshacl-turbo and the queries say.
    lenient = {r for r in answered if r[1] == "<https://example.org/b>" and r[2] == "<https://example.org/year>"}
    assert len(lenient) == 1
    assert answered - lenient == rows(reference(DATA, shapes))


UNTRANSLATED = ["sh:equals ex:code", "sh:nodeKind sh:IRI", "sh:qualifiedValueShapesDisjoint true"]


@pytest.mark.parametrize("parameter", UNTRANSLATED)
def test_an_untranslated_parameter_keeps_its_node_shape_with_the_validator(parameter: str, tmp_path: Path) -> None:
    text = SHAPES.replace('sh:message "kind"@en .', f'sh:message "kind"@en ; {parameter} .')
    if "Disjoint" in parameter:
        text = SHAPES.replace('sh:qualifiedMaxCount 0 ;', f'sh:qualifiedMaxCount 0 ; {parameter} ;')
    shapes = Graph().parse(data=text, format="turtle")
    engine = engine_with(DATA, tmp_path)
    rest, checks = core_constraints.split(shapes, engine.subclasses)
    assert core_constraints.needs_validator(rest)
    assert {str(c.shape) for c in checks}.isdisjoint({"https://example.org/code", "https://example.org/kind"})
    assert rows(engine.shacl(shapes, [], False)) == rows(turbo(engine, shapes))


def test_the_shipped_shapes_never_need_the_validators_copy_of_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the SPARQL targets answered, every shape of shapes/ is a query: validating the shipped data makes no
    copy of the store (pyshacl-turbo is not called)."""
    import pyshacl_turbo

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pyshacl-turbo was called")

    monkeypatch.setattr(pyshacl_turbo, "validate", refuse)
    kg = graph.load(engine="oxigraph")
    report = validate.validate(kg)
    assert report.count("Violation") == 0
    engine = kg.engine
    assert isinstance(engine, OxigraphEngine)
    rest, _ = sparql_constraints.split(engine.targets_resolved(validate.shapes_graph()))
    assert not core_constraints.needs_validator(core_constraints.split(rest, engine.subclasses)[0])


def test_meta_shacl_still_runs_the_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """SHACL-for-SHACL checks the shapes as given to the validator, so it is still called then."""
    import pyshacl_turbo

    calls: list[bool] = []
    real = pyshacl_turbo.validate

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(pyshacl_turbo, "validate", counted)
    validate.validate(graph.load(engine="oxigraph"), meta_shacl=True)
    assert calls
