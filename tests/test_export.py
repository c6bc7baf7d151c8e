"""Exports: every format parses back to the same graph, repeated runs give the same bytes, writes are atomic.

The same bytes in another process (rdflib iterates a graph in the hash order of its terms, which Python randomises
per process) are tested for every format at once by the release build: tests/test_release.py
test_cli_build_gives_the_same_bytes_in_another_process builds every dump (one per format of iscm_kg/formats.py, and
the framed view) in a second process with another hash seed and compares the bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from iscm_kg import formats, graph
from iscm_kg.errors import IscmError
from iscm_kg.output import write_atomically
from iscm_kg.publish import export

PARSE_AS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}


@pytest.fixture(scope="module")
def source() -> Graph:
    return graph.load(inferred=False).graph


@pytest.mark.parametrize("fmt", list(formats.NAMES))
def test_round_trip_and_determinism(fmt: str, source: Graph) -> None:
    text = export.serialise(source, fmt)
    assert text == export.serialise(source, fmt)
    if fmt in ("trig", "nquads"):
        back = Graph()
        for s, p, o, _g in Dataset().parse(data=text, format=PARSE_AS[fmt]).quads():
            back.add((s, p, o))
    else:
        back = Graph().parse(data=text, format=PARSE_AS[fmt])
    assert isomorphic(back, source)


def test_jsonld_expands_with_pyld_to_the_same_graph(source: Graph) -> None:
    pyld = pytest.importorskip("pyld")
    import json

    doc = json.loads(export.serialise(source, "jsonld"))
    nquads = pyld.jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), source)


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old content")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(IscmError, match="out.ttl: cannot write"):  # one line for the CLI, naming the target
        write_atomically(target, "new content")
    assert target.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
