"""The analyst tables: a Frictionless data package that validates (foreign keys included), loads into pandas with its
keys intact, counts what the graph holds, says what the data files say, and gives the same rows in the workbook;
`iscm-kg tables` refuses what it must not replace."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

import iscm_kg
from iscm_kg import graph, query
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import ISCM, ORG
from iscm_kg.publish import tables

from .conftest import ROOT, cli

frictionless = pytest.importorskip("frictionless")
openpyxl = pytest.importorskip("openpyxl")
pandas = pytest.importorskip("pandas")

ID = "https://w3id.org/iscm-kg/id/"
NAMES = [t.name for t in tables.TABLES]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, kg: KnowledgeGraph) -> Path:
    output = tmp_path_factory.mktemp("tables") / "out"
    result = tables.build(output, kg=kg)
    assert result.output == output
    return output


def read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def count(kg: KnowledgeGraph, where: str) -> int:
    table = kg.select("PREFIX iscm: <https://w3id.org/iscm-kg/ontology#>\n"
                      f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(str(table.rows[0][0]))


# ---------------------------------------------------------------- the package


def test_the_package_validates_with_frictionless(package: Path) -> None:
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert sorted(task.name for task in report.tasks) == sorted(NAMES)


def test_frictionless_does_check_the_foreign_keys(package: Path, tmp_path: Path) -> None:
    """The validation above is worth something: without the Bali Process's row in mechanisms.csv, every
    participation and claim of it is a foreign-key error."""
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    descriptor = json.loads((broken / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        del resource["hash"], resource["bytes"]  # the CSV is edited below
    (broken / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    path = broken / "mechanisms.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(line for line in lines if not line.startswith(f"{ID}mechanism/BALI,".encode())))
    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["type"])
    assert errors and {e[0] for e in errors} == {"foreign-key"}


def test_the_descriptor_names_version_licence_keys_and_references(package: Path) -> None:
    doc = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert doc["version"] == iscm_kg.__version__
    # The data's licence as the project states it: LICENSE-DATA and pyproject's licence expression.
    assert "Creative Commons Attribution 4.0" in (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert [(lic["name"], lic["path"]) for lic in doc["licenses"]] == [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")]
    resources = {r["name"]: r for r in doc["resources"]}
    assert list(resources) == NAMES
    assert set(p.name for p in package.iterdir()) == {r["path"] for r in resources.values()} | {
        "datapackage.json", "iscm-kg-tables.xlsx"}
    for resource in resources.values():
        assert resource["schema"]["primaryKey"]
    references = {(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
                  for fk in resources["participations"]["schema"]["foreignKeys"]}
    assert {("mechanism", "mechanisms", "iri"), ("state", "states", "iri"),
            ("organisation", "organisations", "iri"), ("territory", "territories", "iri")} <= references
    years = {f["name"] for f in resources["participations"]["schema"]["fields"] if f["type"] == "year"}
    assert years == {"start_year", "end_year"}


def test_row_counts_are_the_graphs(package: Path, kg: KnowledgeGraph) -> None:
    """Each table against its own SPARQL COUNT, asked of the graph directly."""
    expected = {
        "mechanisms": "SELECT DISTINCT ?m WHERE { ?m a iscm:ISCM }",
        "participations": "SELECT DISTINCT ?p WHERE { ?p a iscm:Participation }",
        "states": "SELECT DISTINCT ?s WHERE { ?s a iscm:State }",
        "territories": "SELECT DISTINCT ?s WHERE { ?s a iscm:Territory }",
        "organisations": "SELECT DISTINCT ?s WHERE { ?s a iscm:Organisation }",
        "claims": "SELECT DISTINCT ?c WHERE { ?c a iscm:Claim }",
        "sources": "SELECT DISTINCT ?s WHERE { ?s a iscm:SourceDocument }",
        "themes": "SELECT DISTINCT ?t WHERE { ?t a iscm:Theme }",
        "mechanism_themes": "SELECT DISTINCT ?m ?t WHERE { ?m iscm:theme ?t }",
    }
    assert set(expected) == set(NAMES)
    for name, select in expected.items():
        n = count(kg, select.replace("SELECT", "{ SELECT", 1) + " }")
        assert n > 0, name
        assert len(read_csv(package, name)) == n, name
    # The mechanisms are the files of data/mechanisms/, one each.
    assert len(read_csv(package, "mechanisms")) == len(list((ROOT / "data" / "mechanisms").glob("*.ttl")))


def test_it_loads_into_pandas_with_the_foreign_keys_intact(package: Path) -> None:
    frames = {name: pandas.read_csv(package / f"{name}.csv", dtype=str, keep_default_na=False) for name in NAMES}
    parts = frames["participations"]
    assert parts["iri"].is_unique and frames["mechanisms"]["iri"].is_unique
    assert parts["mechanism"].isin(frames["mechanisms"]["iri"]).all()
    for kind, table in (("state", "states"), ("territory", "territories"), ("organisation", "organisations")):
        of_kind = parts[parts["participant_type"] == kind]
        assert len(of_kind) > 0, kind
        assert of_kind[kind].isin(frames[table]["iri"]).all()
        assert (of_kind[kind] == of_kind["participant"]).all()
        assert (parts.loc[parts["participant_type"] != kind, kind] == "").all()
    assert frames["claims"]["mechanism"].isin(frames["mechanisms"]["iri"]).all()
    links = frames["mechanism_themes"]
    assert links["mechanism"].isin(frames["mechanisms"]["iri"]).all() and links["theme"].isin(
        frames["themes"]["iri"]).all()
    # The list columns too, which no schema can check: every cited source is in sources.
    cited = {s for cell in [*parts["sources"], *frames["claims"]["sources"]] for s in cell.split("; ") if s}
    assert cited and cited <= set(frames["sources"]["iri"])
    joined = parts.merge(frames["mechanisms"], left_on="mechanism", right_on="iri", suffixes=("", "_m"))
    assert len(joined) == len(parts)


def test_the_bali_process_as_its_data_file_says(package: Path) -> None:
    bali = Graph().parse(ROOT / "data" / "mechanisms" / "BALI.ttl")
    mechanism = URIRef(f"{ID}mechanism/BALI")
    member = URIRef(f"{ID}role/member")
    in_file = {str(bali.value(p, ORG.member)) for p in bali.subjects(ORG.organization, mechanism)
               if bali.value(p, ORG.role) == member}
    parts = [r for r in read_csv(package, "participations") if r["mechanism_id"] == "BALI"]
    assert {r["participant"] for r in parts if r["role"] == str(member)} == in_file
    assert len(parts) == len(set(bali.subjects(RDF.type, ISCM.Participation)))
    # BALI.ttl: part:BALI-AFG-member, Afghanistan a member State, with the sources the file cites for it.
    afghanistan = next(r for r in parts if r["iri"] == f"{ID}participation/BALI-AFG-member")
    cited = sorted(str(s) for s in bali.objects(URIRef(f"{ID}participation/BALI-AFG-member"), DCTERMS.source))
    assert cited
    assert (afghanistan["state"], afghanistan["participant_label"], afghanistan["participant_type"],
            afghanistan["role_label"], afghanistan["sources"]) == (
        f"{ID}state/AFG", "Afghanistan", "state", "member", "; ".join(cited))
    row = next(r for r in read_csv(package, "mechanisms") if r["id"] == "BALI")
    states = {m for m in in_file if m.startswith(f"{ID}state/")}
    # BALI.ttl: founded 2002, 45 member States stated (the preferred claim), the list read is not complete.
    assert (row["founding_year"], row["stated_member_count"], row["member_list_complete"]) == ("2002", "45", "false")
    assert row["member_states_recorded"] == str(len(states))
    assert row["type_label"] == "interregional forum on migration"
    claims = {r["iri"].rsplit("/", 1)[1]: r for r in read_csv(package, "claims") if r["mechanism_id"] == "BALI"}
    assert (claims["BALI-member-count-1"]["preferred"], claims["BALI-member-count-1"]["adopted"]) == ("true", "true")
    assert (claims["BALI-member-count-2"]["value"], claims["BALI-member-count-2"]["preferred"],
            claims["BALI-member-count-2"]["adopted"]) == ("48", "false", "false")


def test_unknown_is_blank_never_zero(package: Path, kg: KnowledgeGraph) -> None:
    rows = read_csv(package, "mechanisms")
    blank = [r for r in rows if r["member_states_recorded"] == ""]
    assert blank and "0" not in {r["member_states_recorded"] for r in rows}
    for row in blank:  # no member State recorded at all: unknown, not zero
        assert count(kg, f"?s iscm:memberOf <{row['iri']}> ; a iscm:State") == 0, row["id"]
    parts = read_csv(package, "participations")
    assert {r["start_year"] for r in parts} >= {""} and all(
        r["start_year"] == "" or (len(r["start_year"]) == 4 and r["start_year"].isdigit()) for r in parts)


def test_the_participations_table_agrees_with_the_canned_query(package: Path, kg: KnowledgeGraph) -> None:
    canned = query.run("participations", {}, kg)
    def cell(value: object) -> str:
        return "" if value is None else str(value)
    expected = sorted((cell(r[0]), cell(r[2]), cell(r[4]), cell(r[5]), cell(r[6]),
                       tuple(sorted(filter(None, cell(r[7]).split(", "))))) for r in canned.rows)
    got = sorted((r["mechanism"], r["participant"], r["role"], r["start_year"], r["end_year"],
                  tuple(sorted(filter(None, r["sources"].split("; "))))) for r in read_csv(package, "participations"))
    assert got == expected


def test_the_workbook_has_the_rows_of_the_csvs(package: Path) -> None:
    book = openpyxl.load_workbook(package / "iscm-kg-tables.xlsx", read_only=True)
    assert book.sheetnames == NAMES

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    for name in NAMES:
        with open(package / f"{name}.csv", encoding="utf-8", newline="") as handle:
            expected = list(csv.reader(handle))
        got = [[text(v) for v in row] for row in book[name].iter_rows(values_only=True)]
        assert got == expected, name
    book.close()


def test_frames_are_the_tables_with_types(package: Path, kg: KnowledgeGraph) -> None:
    frames = iscm_kg.tables(kg)
    assert list(frames) == NAMES
    for name in NAMES:
        rows = read_csv(package, name)
        assert list(frames[name].columns) == list(rows[0]) and len(frames[name]) == len(rows), name
    mechanisms = frames["mechanisms"].set_index("id")
    assert mechanisms.loc["BALI", "stated_member_count"] == 45  # BALI.ttl, the preferred claim
    assert str(mechanisms["founding_year"].dtype) == "Int64" and str(mechanisms["member_list_complete"].dtype) == (
        "boolean")
    blank = {r["id"] for r in read_csv(package, "mechanisms") if r["member_states_recorded"] == ""}
    assert set(mechanisms.index[mechanisms["member_states_recorded"].isna()]) == blank
    sources = frames["sources"].set_index("iri")
    read_on = sources.loc[f"{ID}source/seed-003", "read_on"]
    assert isinstance(read_on, pandas.Timestamp) and read_on.date().isoformat() == "2026-11-23"  # data/sources.ttl


def test_without_pandas_the_error_names_the_extra(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(IscmError, match=r"iscm-kg\[pandas\]"):
        iscm_kg.tables(kg)


@pytest.mark.slow
def test_both_engines_give_the_same_tables(kg: KnowledgeGraph) -> None:
    reference = graph.load(engine="rdflib")
    fast = tables.read_all(kg)
    for name, rows in tables.read_all(reference).items():
        assert rows.rows == fast[name].rows, name


# ---------------------------------------------------------------- iscm-kg tables


def test_cli_writes_the_same_bytes_and_replaces_a_previous_package(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = tmp_path / "second"
    shutil.copytree(package, second)
    (second / "claims.csv").write_text("stale")
    monkeypatch.setenv("PYTHONHASHSEED", "4321")
    done = cli("tables", "--output", str(second))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in second.iterdir()) == sorted(p.name for p in package.iterdir())
    for path in package.iterdir():
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name
    assert [p.name for p in tmp_path.iterdir()] == ["second"]  # no temporary folder left


def test_cli_refuses_a_folder_that_is_not_a_previous_package(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    done = cli("tables", "--output", str(target))
    assert done.returncode == 2
    assert done.stderr.startswith("iscm-kg tables: error:") and "--force" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    forced = cli("tables", "--output", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "notes.txt" not in {p.name for p in target.iterdir()}


def test_cli_output_under_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    for target in (blocker, blocker / "out"):
        done = cli("tables", "--output", str(target), "--force")
        assert done.returncode == 2, target
        assert done.stderr.startswith("iscm-kg tables: error:") and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert blocker.read_text() == "a file where a folder should be"
    missing = cli("tables")
    assert missing.returncode == 2 and "--output" in missing.stderr


def test_force_never_replaces_the_sources() -> None:
    for protected in (ROOT, ROOT / "data", ROOT / "iscm_kg" / "publish"):
        with pytest.raises(IscmError, match="refusing"):
            tables.check_target(protected, force=True)


def test_the_workbook_takes_the_given_creation_time_and_nothing_else(kg: KnowledgeGraph) -> None:
    import datetime
    import io

    read = tables.read_all(kg)
    when = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)  # SOURCE_DATE_EPOCH 1700000000
    first, again = tables.to_xlsx(read, when), tables.to_xlsx(read, when)
    assert first == again
    book = openpyxl.load_workbook(io.BytesIO(first), read_only=True)
    assert book.properties.created == when.replace(tzinfo=None)
    assert tables.to_xlsx(read) != first  # without a date: the fixed one


def test_a_state_can_publish_a_source(package: Path) -> None:
    # A ministry's page is published by its State (BALI.ttl: Japan's Ministry of Foreign Affairs, 2002): the
    # publisher goes to the column of its kind, whose foreign key is the States table.
    bali = Graph().parse(ROOT / "data" / "mechanisms" / "BALI.ttl")
    by_state = {str(s): str(o) for s, o in bali.subject_objects(DCTERMS.publisher) if str(o).startswith(f"{ID}state/")}
    assert by_state
    rows = {r["iri"]: r for r in read_csv(package, "sources")}
    for source, state in by_state.items():
        row = rows[source]
        assert (row["publisher"], row["publisher_type"], row["publisher_state"], row["publisher_organisation"]) == (
            state, "state", state, "")
