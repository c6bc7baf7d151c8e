"""Every verb through the installed console script: --help, a real call, and bad usage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal

from iscm_kg import __version__
from iscm_kg.cli import VERBS

from .conftest import FIXTURES, cli


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_has_help(verb: str) -> None:
    result = cli(verb, "--help")
    assert result.returncode == 0, result.stderr
    assert f"iscm-kg {verb}" in result.stdout


def test_version_is_the_package_version() -> None:
    assert cli("--version").stdout.strip() == f"iscm-kg {__version__}"


def test_queries_lists_at_least_25() -> None:
    result = cli("queries", "--format", "json")
    assert result.returncode == 0
    names = [q["name"] for q in json.loads(result.stdout)]
    assert len(names) >= 25
    assert {"iom-secretariat", "mechanisms-of-state", "members-of"} <= set(names)


def test_query_iom_secretariat_in_json_results_format() -> None:
    result = cli("query", "iom-secretariat", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert "mechanism" in doc["head"]["vars"]
    pairs = {(b["id"]["value"], b["role"]["value"].rsplit("/", 1)[-1]) for b in doc["results"]["bindings"]}
    # Seed 002: IOM "serves as the technical secretariat to ... RIAM" and "administratively hosts the IGC Secretariat".
    assert ("RIAM", "technical-secretariat") in pairs
    assert ("IGC", "secretariat-host") in pairs


def test_query_from_another_directory(tmp_path: Path) -> None:
    result = cli("query", "mechanisms-of-state", "--param", "state=DK", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("mechanism,mechanism_label,id,type,type_label,status,status_label,"
                                             "role,role_label,start,end,sources")
    assert ",IGC," in result.stdout  # Denmark founded the IGC (seed 004, footnote 5)


def test_table_and_markdown_show_labels() -> None:
    table = cli("query", "members-of", "--param", "mechanism=IGC").stdout
    assert "Denmark" in table and "founding member" in table
    md = cli("query", "members-of", "--param", "mechanism=IGC", "--format", "md").stdout
    assert md.startswith("| participant | kind | role |")


def test_validate_shipped_data_conforms() -> None:
    result = cli("validate")
    assert result.returncode == 0, result.stdout
    assert "conforms" in result.stdout.splitlines()[-1]


def test_validate_file_with_violation_exits_1() -> None:
    result = cli("validate", str(FIXTURES / "invalid-founding-year.ttl"))
    assert result.returncode == 1
    assert "invalid-founding-year.ttl" in result.stdout
    assert "gYear" in result.stdout


def test_validate_json_names_shape_and_focus() -> None:
    result = cli("validate", "--format", "json", str(FIXTURES / "invalid-founding-year.ttl"))
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False
    assert any(r["focusNode"].endswith("claim/TEST-founding-year-1") for r in doc["results"])


def test_turtle_syntax_error_gives_file_line_and_exit_2() -> None:
    result = cli("validate", str(FIXTURES / "syntax-error.ttl"))
    assert result.returncode == 2
    assert "syntax-error.ttl:5:" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["query", "no-such-query"], "unknown query 'no-such-query'"),
        (["query", "mechanisms", "--format", "xml"], "invalid choice"),
        (["validate", "/no/such/file.ttl"], "no such file"),
        (["export", "--format", "n3"], "invalid choice"),
        (["query", "members-of"], "needs --param mechanism=VALUE"),
        (["query", "members-of", "--param", "mechanism=Atlantis Process"], "no mechanism matches"),
        (["frobnicate"], "unknown verb"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args: list[str], needle: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_parameter_injection_is_refused_without_trace() -> None:
    result = cli("query", "mechanisms-of-state", "--param", 'state=KEN> } UNION { ?s ?p ?o } #')
    assert result.returncode == 2
    assert "no state matches" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_writes_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "kg.nt"
    result = cli("export", "--format", "nt", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text().count("\n") > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nt"]


def test_info_counts_classes() -> None:
    result = cli("info")
    assert result.returncode == 0
    assert f"iscm-kg {__version__}" in result.stdout
    assert "ontology#RCP" in result.stdout


def test_docs_are_up_to_date() -> None:
    from .conftest import ROOT

    result = cli("docs", "--check", "--output", str(ROOT / "docs" / "queries.md"), "--readme", str(ROOT / "README.md"))
    assert result.returncode == 0, result.stdout


def test_shacl_report_says_false_beside_warnings_while_the_exit_code_keeps_the_policy() -> None:
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    result = cli("validate", "--format", "turtle")  # the shipped data carries warnings (e.g. PAFOM's one region)
    assert result.returncode == 0, result.stderr
    report = Graph().parse(data=result.stdout, format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport, any=False)
    results = list(report.objects(node, SH.result))
    severities = {report.value(r, SH.resultSeverity) for r in results}
    assert results and SH.Violation not in severities
    assert list(report.objects(node, SH.conforms)) == [Literal(False)]
    doc = json.loads(cli("validate", "--format", "json").stdout)
    assert doc["conforms"] is False and doc["passes"] is True and doc["counts"]["Warning"] > 0
    text = cli("validate")
    assert text.returncode == 0 and "passes" in text.stdout.splitlines()[-1]
    assert "sh:conforms false" in text.stdout.splitlines()[-1]
    strict = cli("validate", "--fail-on-warning", "--format", "json")
    assert strict.returncode == 1 and json.loads(strict.stdout)["passes"] is False


def test_shacl_report_says_true_without_results() -> None:
    from rdflib import Graph
    from rdflib.namespace import SH

    result = cli("validate", "--format", "turtle", str(FIXTURES / "valid-mechanism.ttl"))
    report = Graph().parse(data=result.stdout, format="turtle")
    if any(report.objects(None, SH.result)):
        pytest.skip("the valid fixture gives Info results: no result-free report to check")
    assert result.returncode == 0 and list(report.objects(None, SH.conforms)) == [Literal(True)]

def test_short_version_flag_and_bare_command() -> None:
    assert cli("-V").stdout.strip() == f"iscm-kg {__version__}"
    bare = cli()
    assert bare.returncode == 2
    assert bare.stdout == "" and bare.stderr.startswith("usage: iscm-kg")


def test_search_lists_every_match_with_type_code_and_iri() -> None:
    result = cli("search", "congo", "--format", "json")
    assert result.returncode == 0, result.stderr
    found = {(e["type"], e["code"]) for e in json.loads(result.stdout)}
    assert {("state", "COD"), ("state", "COG")} <= found  # data/states.ttl: both names contain "Congo"
    text = cli("search", "bali").stdout
    assert "mechanism" in text and "<https://w3id.org/iscm-kg/id/mechanism/BALI>" in text
    assert "state  AUT  Austria" in cli("search", "AUTRICHE").stdout  # French name, any case


def test_sparql_runs_ones_own_query_from_stdin_and_file(tmp_path: Path) -> None:
    text = "SELECT ?m ?id WHERE { ?m a iscm:RCP ; iscm:acronym ?id } ORDER BY ?id"
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    result = cli("sparql", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "m,m_label,id"
    assert ",APC" in result.stdout and "Asia-Pacific Consultations" in result.stdout  # data/mechanisms/APC.ttl
    exe = shutil.which("iscm-kg", path=os.path.dirname(sys.executable)) or "iscm-kg"
    piped = subprocess.run([exe, "sparql", "-", "--format", "csv"], input=text, capture_output=True, text=True)
    assert piped.stdout == result.stdout
    bad = subprocess.run([exe, "sparql", "-"], input="SELECT ?s WHERE { ?s a", capture_output=True, text=True)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_queries_name_shows_parameters_with_allowed_values() -> None:
    result = cli("queries", "mechanisms-by-status")
    assert result.returncode == 0, result.stderr
    assert "allowed: active, concluded, dormant, emerging" in result.stdout  # ontology status scheme
    spanning = cli("queries", "mechanisms-spanning-regions").stdout
    assert "repeatable" in spanning and "europe" in spanning


def test_repeated_region_param_means_all_of_them() -> None:
    result = cli("query", "mechanisms-spanning-regions", "--param", "region=asia", "--param", "region=europe",
                 "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert ",BUDAPEST," in result.stdout and ",MIDCOM," not in result.stdout


def test_export_one_mechanism_with_its_participations_claims_and_sources() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS, ORG, RDF

    from iscm_kg.namespaces import ISCM

    from .conftest import ROOT

    result = cli("export", "--mechanism", "Abu Dhabi Dialogue", "--format", "nt")
    assert result.returncode == 0, result.stderr
    extract = Graph().parse(data=result.stdout, format="nt")
    add = URIRef("https://w3id.org/iscm-kg/id/mechanism/ADD")
    shipped = Graph().parse(ROOT / "data" / "mechanisms" / "ADD.ttl")
    participations = set(shipped.subjects(ORG.organization, add))
    assert participations and participations <= set(extract.subjects(ORG.organization, add))
    assert set(shipped.subjects(ISCM.claimSubject, add)) <= set(extract.subjects(ISCM.claimSubject, add))
    for source in extract.objects(None, DCTERMS.source):
        if isinstance(source, URIRef) and "/id/source/" in source:
            assert (source, RDF.type, ISCM.SourceDocument) in extract  # each seed source described
    other = URIRef("https://w3id.org/iscm-kg/id/mechanism/BALI")
    assert not set(extract.subjects(ORG.organization, other))
    assert cli("export", "--state", "Korea").returncode == 2  # ambiguous: candidates listed
