"""The benchmark harness works: the generator is deterministic and conforms, run.py writes its tables.

These check the scripts, not timings (the figures live in docs/benchmarks.md).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rdflib import Graph

from iscm_kg import graph, validate

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def generate(path: Path, seed: int, triples: int = 2000, profile: str = "dense") -> bytes:
    subprocess.run([sys.executable, str(BENCHMARKS / "generate.py"), "--triples", str(triples), "--seed", str(seed),
                    "--output", str(path), "--profile", profile], check=True, capture_output=True, timeout=120)
    return path.read_bytes()


ISCM = "https://w3id.org/iscm-kg/ontology#"


def test_generator_is_seeded_parses_and_conforms(tmp_path: Path) -> None:
    first = generate(tmp_path / "a.nt", seed=7)
    assert generate(tmp_path / "b.nt", seed=7) == first
    assert generate(tmp_path / "c.nt", seed=8) != first

    parsed = Graph().parse(tmp_path / "a.nt", format="nt")
    assert 2000 <= len(parsed) < 2600  # the target, plus at most one mechanism's triples
    assert len(parsed) == first.count(b"\n")  # no triple written twice

    report = validate.validate(graph.load([tmp_path / "a.nt"], include_data=False))
    assert report.conforms, [f.message for f in report.findings if f.severity != "Info"]
    assert report.count("Warning") == 0


def test_the_realistic_profile_keeps_about_200_states_and_grows_in_meetings_and_years(tmp_path: Path) -> None:
    data = tmp_path / "realistic.nt"
    assert generate(data, seed=3, triples=60_000, profile="realistic") == generate(
        tmp_path / "again.nt", seed=3, triples=60_000, profile="realistic")
    dense = Graph().parse(generate(tmp_path / "dense.nt", seed=3, triples=60_000), format="nt")
    realistic = Graph().parse(data, format="nt")

    def count(g: Graph, query: str) -> int:
        row = next(iter(g.query("PREFIX iscm: <" + ISCM + "> " + query)))
        return int(str(row[0]))  # type: ignore[index]

    states = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a iscm:State }"
    assert count(dense, states) > 300  # the dense profile grows States with the data (up to 676)
    assert 150 <= count(realistic, states) <= 200
    meetings = ("SELECT (COUNT(?m) AS ?n) WHERE { VALUES ?class { iscm:Meeting iscm:MinisterialMeeting "
                "iscm:SeniorOfficialsMeeting } ?m a ?class }")
    assert count(dense, meetings) == 0
    mechanisms = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a iscm:ISCM }"
    assert count(realistic, meetings) >= count(realistic, mechanisms)  # at least one meeting a year each
    dated = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a iscm:Participation ; iscm:startYear ?y }"
    participations = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a iscm:Participation }"
    assert count(realistic, dated) * 2 > count(realistic, participations)  # most participations dated
    share = count(realistic, dated) / count(realistic, participations)
    assert share > count(dense, dated) / count(dense, participations)


def test_realistic_data_conforms(tmp_path: Path) -> None:
    generate(tmp_path / "r.nt", seed=5, triples=4000, profile="realistic")
    report = validate.validate(graph.load([tmp_path / "r.nt"], include_data=False))
    assert report.conforms, [f.message for f in report.findings if f.severity != "Info"]
    assert report.count("Warning") == 0


def test_run_writes_a_row_per_engine(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "1k", "--runs", "1", "--budget", "20",
                    "--groups", "load,query", "--workdir", str(tmp_path / "work"), "--output", str(doc)],
                   check=True, capture_output=True, timeout=120)
    text = doc.read_text()
    for task in ("load", "query members-of"):
        for engine in ("rdflib", "oxigraph"):
            # The raw table: task | engine | size | median s | peak MB | runs | ...
            row = re.search(rf"^\| {task} \| {engine} \| 1k \| ([0-9.e-]+) \| ([0-9,]+) \| 1 \|", text, re.MULTILINE)
            assert row, f"no finished row for {task} / {engine}"
            assert float(row.group(1)) > 0
    assert re.search(r"^\| 1k \(\d[\d,]* triples\) \| .+ ms .+ \| .+ ms .+ \|", text, re.MULTILINE)  # side by side


def test_same_answers_reports_an_unknown_revision_in_one_line() -> None:
    result = subprocess.run([sys.executable, str(BENCHMARKS / "same_answers.py"), "no-such-revision"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_same_answers_compares_the_changed_queries_only(tmp_path: Path) -> None:
    # Against HEAD no query file differs, so nothing is compared and nothing differs.
    result = subprocess.run([sys.executable, str(BENCHMARKS / "same_answers.py"), "HEAD"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if "DIFFERENT" in line] == []
