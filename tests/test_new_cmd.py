"""iscm-kg new mechanism: the skeleton validates with the shipped data, states only what it was given, and never
replaces a file."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from iscm_kg import validate

from .conftest import cli

ARGS = ["--name", 'The "Test" Dialogue', "--type", "IRF", "--status", "active",
        "--source", "https://example.org/test-dialogue", "--title", "Test Dialogue page", "--read-on", "2026-12-02"]


def test_skeleton_validates_with_the_shipped_data(tmp_path: Path) -> None:
    out = tmp_path / "TESTDIALOGUE.ttl"
    result = cli("new", "mechanism", "TESTDIALOGUE", *ARGS, "--output", str(out))
    assert result.returncode == 0, result.stderr
    g = Graph().parse(out)
    mech = URIRef("https://w3id.org/iscm-kg/id/mechanism/TESTDIALOGUE")
    assert g.value(mech, SKOS.prefLabel) == Literal('The "Test" Dialogue', lang="en")
    _, report = validate.validate_files([out], engine="oxigraph")
    assert report.conforms, [f.message for f in report.findings if f.severity == "Violation"]
    assert cli("validate", str(out)).returncode == 0


def test_skeleton_never_replaces_a_file_and_checks_its_input(tmp_path: Path) -> None:
    out = tmp_path / "X.ttl"
    out.write_text("keep")
    result = cli("new", "mechanism", "X", *ARGS, "--output", str(out))
    assert result.returncode == 2 and "exists" in result.stderr and out.read_text() == "keep"
    bad = cli("new", "mechanism", "bad name", *ARGS, "--output", str(tmp_path / "Y.ttl"))
    assert bad.returncode == 2 and "ACRONYM" in bad.stderr
    missing = cli("new", "mechanism", "Z", "--output", str(tmp_path / "Z.ttl"))
    assert missing.returncode == 2 and not (tmp_path / "Z.ttl").exists()
