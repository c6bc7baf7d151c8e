"""The SHACL-SPARQL node shapes answered as plain SELECT queries on Oxigraph give the very results that
pyshacl-turbo gives when it runs them itself: every field, the value and the message included, on every shape
case (tests/shape_cases/) merged into one graph, and on the shipped data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from iscm_kg import graph, validate
from iscm_kg.engines import sparql_constraints
from iscm_kg.engines.oxigraph_engine import OxigraphEngine

from .test_shape_cases import BASE, CASES

FIELDS = (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.value, SH.sourceConstraintComponent, SH.sourceShape,
          SH.sourceConstraint, SH.resultMessage)


def rows(report: Graph) -> set[tuple[str, ...]]:
    def text(node: Node | None) -> str:
        if isinstance(node, Literal) and node.datatype == XSD.string:  # RDF 1.1: the same term as a plain literal
            node = Literal(str(node))  # (pyshacl-turbo writes the datatype, pySHACL and the Oxigraph engine do not)
        return "" if node is None else "_:" if isinstance(node, BNode) else node.n3()

    return {tuple(text(report.value(r, f)) for f in FIELDS) for r in report.objects(None, SH.result)}


def turbo_on_the_full_shapes(engine: OxigraphEngine) -> Graph:
    """What the engine ran before: pyshacl-turbo on every shape, on a copy with the known terms."""
    from pyshacl_turbo import validate as run

    data = OxigraphEngine()
    data.store.bulk_extend(engine.store)
    data.parse(validate.known_terms_file())
    _conforms, report, _text = run(data.store, shacl_graph=data.targets_resolved(validate.shapes_graph()),
                                   inference="none", allow_warnings=True, advanced=True)
    assert isinstance(report, Graph)
    return report


def cases_graph(folder: Path) -> OxigraphEngine:
    files = [BASE]
    for index, case in enumerate(CASES):
        target = folder / f"{index:03d}-{case.shape}-{case.name}.ttl"
        target.write_text(case.header() + case.path.read_text(encoding="utf-8"), encoding="utf-8")
        files.append(target)
    engine = graph.load(files, include_data=False, engine="oxigraph").engine
    assert isinstance(engine, OxigraphEngine)
    return engine


def test_the_split_takes_the_sparql_node_shapes_and_leaves_the_rest() -> None:
    shapes = validate.shapes_graph()
    rest, checks = sparql_constraints.split(shapes)
    taken = {str(c.shape).rsplit("#", 1)[-1] for c in checks}
    # Node shapes whose constraints are all sh:sparql, as shapes/ writes them.
    assert {"ConflictingClaimsShape", "ClaimValueShape", "StartNotAfterEndShape", "MemberAndObserverShape",
            "MemberAndObserverUndatedShape", "UniqueISOCodeShape", "KnownTermsShape",
            "ParticipationIRIShape", "MeetingEndAfterStartShape", "CompleteListCountShape"} <= taken
    for check in checks:
        assert (check.shape, None, None) not in rest
    # Core shapes stay with the validator.
    for kept in ("ParticipationShape", "StateShape", "MechanismShape", "SecretariatIsOrganisationShape"):
        assert kept not in taken
        assert any(str(s).endswith("#" + kept) for s in rest.subjects())


def test_every_shape_case_gives_the_validators_own_results(tmp_path: Path) -> None:
    engine = cases_graph(tmp_path)
    before = len(engine)
    answered = rows(engine.shacl(validate.shapes_graph(), [validate.known_terms_file()], False))
    assert len(engine) == before  # validated in place, the known terms taken out again
    expected = rows(turbo_on_the_full_shapes(engine))
    sparql = {r for r in expected if r[4] == SH.SPARQLConstraintComponent.n3()}
    assert len(sparql) >= 10  # the failing cases of the SPARQL rules are in there
    assert answered == expected


@pytest.mark.parametrize("meta_shacl", [False])
def test_the_shipped_data_gives_the_validators_own_results(meta_shacl: bool) -> None:
    engine = graph.load(engine="oxigraph").engine
    assert isinstance(engine, OxigraphEngine)
    answered = rows(engine.shacl(validate.shapes_graph(), [validate.known_terms_file()], meta_shacl))
    assert answered == rows(turbo_on_the_full_shapes(engine))
