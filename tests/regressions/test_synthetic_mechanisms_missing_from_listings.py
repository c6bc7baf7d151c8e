"""Regression: the benchmark generator wrote no skos:notation, so every canned query that lists mechanisms
(`mechanisms`, `largest-by-members`, ...) answered no rows on synthetic data, and docs/benchmarks.md timed
queries that found nothing. No shape asked for the identifier, so the generated data still conformed (and so
did the skeleton `iscm-kg new mechanism` writes). Now MechanismShape-notation requires it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iscm_kg import graph, query

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("profile", ["dense", "realistic"])
def test_every_generated_mechanism_is_listed(tmp_path: Path, profile: str) -> None:
    data = tmp_path / "synthetic.nt"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples", "3000", "--seed", "2",
                    "--profile", profile, "--output", str(data)], check=True, capture_output=True, timeout=120)
    kg = graph.load([data], include_data=False)
    generated = {str(row[0]) for row in kg.select(
        "SELECT ?m WHERE { ?m a <https://w3id.org/iscm-kg/ontology#ISCM> }").rows}
    assert len(generated) >= 3
    for name in ("mechanisms", "largest-by-members"):
        listed = {str(row[0]) for row in query.run(name, {}, kg).rows}
        assert listed == generated, name
