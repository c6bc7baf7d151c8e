"""The count-vs-list warning (shapes/count-shapes.ttl) on a fixture, on both SHACL engines, and on the shipped data."""

from __future__ import annotations

import pytest

from iscm_kg import graph, validate

from .conftest import FIXTURES

SHAPE = "CompleteListCountShape"


# Each engine validates with its own SHACL engine: pySHACL on rdflib, pyshacl-turbo on Oxigraph.
@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_warns_on_an_unexplained_difference_only(engine: str) -> None:
    kg = graph.load([FIXTURES / "count-difference.ttl"], include_data=False, engine=engine)
    report = validate.validate(kg)
    found = [(str(f.focus).rsplit("/", 1)[-1], f.severity, f.message) for f in report.findings
             if f.named_shape == SHAPE]
    assert len(found) == 1
    focus, severity, message = found[0]
    assert (focus, severity) == ("UNEXPLAINED", "Warning")
    assert "records 2 member States" in message and "adopted stated count is 3" in message


def test_shipped_data_gives_no_count_warning(kg: graph.KnowledgeGraph) -> None:
    report = validate.validate(kg)
    assert [f.focus for f in report.findings if f.named_shape == SHAPE] == []
