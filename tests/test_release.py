"""iscm-kg build: the release folder is complete, reads back to the source graph, describes itself truthfully,
and comes out byte-identical every time; a failed build leaves nothing behind."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID
from rdflib.term import Node

from iscm_kg import __version__, graph
from iscm_kg.errors import IscmError
from iscm_kg.publish import export, ontodoc, release, tables

from .conftest import ROOT, cli

pytestmark = pytest.mark.slow  # whole builds (one per module, one more in a second process)

pyld = pytest.importorskip("pyld")
if not ontodoc.available():  # not importorskip: a bare import of pyLODE 3.4.1 fails (see iscm_kg/publish/ontodoc.py)
    pytest.skip("the build needs pyLODE (the 'docs' extra)", allow_module_level=True)

ISCM = "https://w3id.org/iscm-kg/ontology#"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # an open namespace: DCAT 3's dcat:version, no warnings
DATASET = URIRef("https://w3id.org/iscm-kg/dataset")
PARSE_AS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}
# JSON-LD files that are not data: the context, and the frame that refers to it by a relative address.
NOT_RDF = {"ontology/context.jsonld", "ontology/frame.jsonld"}


@pytest.fixture(scope="module")
def source() -> Graph:
    return graph.load(inferred=False).graph


@pytest.fixture(scope="module")
def derived(source: Graph) -> Graph:
    copy = Graph()
    copy += source
    return graph.derive(copy)


@pytest.fixture
def loaded_once(source: Graph, derived: Graph, monkeypatch: pytest.MonkeyPatch) -> release.Sources:
    """The build's sources from the module's graphs: for the tests of a build that fails, which need a build that
    starts, not the shipped data loaded and derived again."""
    inferred = Graph()
    inferred += source
    inferred += derived
    sources = release.Sources(source, derived, inferred)
    monkeypatch.setattr(release.Sources, "load", classmethod(lambda cls: sources))
    return sources


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("release") / "first"
    result = release.build(output)
    assert result.output == output
    return output


def _read(path: Path) -> Graph:
    fmt = PARSE_AS[path.suffix]
    if fmt in ("trig", "nquads"):
        merged = Graph()
        for s, p, o, _g in Dataset().parse(path, format=fmt).quads():
            merged.add((s, p, o))
        return merged
    return Graph().parse(path, format=fmt)


def _count(g: Graph, select: str) -> int:
    rows = list(g.query(select))
    return int(rows[0][0])  # type: ignore[index, arg-type]


# ---------------------------------------------------------------- what the folder holds


def test_the_folder_holds_every_part(built: Path) -> None:
    files = set(release.files_of(built))
    expected = {"iscm-kg.ttl", "iscm-kg.nt", "iscm-kg.jsonld", "iscm-kg.rdf", "iscm-kg.trig", "iscm-kg.nq",
                "iscm-kg-framed.jsonld", "iscm-kg-inferred.ttl", "void.ttl", "SHA256SUMS",
                "docs/ontology.html", "docs/data-dictionary.md"}
    expected |= {f"tables/{name}" for name in tables.package_names()}
    assert expected <= files
    for kind in ("ontology", "shapes"):
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / kind).rglob("*") if p.is_file()}
        assert shipped and shipped <= files
        for name in shipped:
            assert (built / name).read_bytes() == (ROOT / name).read_bytes()
    assert files == expected | {f for f in files if f.startswith(("ontology/", "shapes/", "site/"))}


def test_the_release_holds_the_site(built: Path) -> None:
    """The website, built from the same graph: its home page and a page per mechanism file in data/mechanisms."""
    assert (built / "site" / "index.html").is_file()
    mechanisms = sorted((ROOT / "data" / "mechanisms").glob("*.ttl"))
    assert mechanisms
    for path in mechanisms:
        iri = URIRef(f"https://w3id.org/iscm-kg/id/mechanism/{path.stem}")
        assert (iri, RDF.type, URIRef(ISCM + "ISCM")) in Graph().parse(path), path.name  # the file's own mechanism
        assert (built / "site" / "id" / "mechanism" / f"{path.stem}.html").is_file(), path.name
    bali = Graph().parse(ROOT / "data" / "mechanisms" / "BALI.ttl")
    label = bali.value(URIRef("https://w3id.org/iscm-kg/id/mechanism/BALI"),
                       URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    page = (built / "site" / "id" / "mechanism" / "BALI.html").read_text(encoding="utf-8")
    assert f"<h1>{label}</h1>" in page
    assert (built / "site" / "id" / "mechanism" / "BALI.ttl").is_file()


def test_serve_serves_the_release_site(built: Path) -> None:
    """`iscm-kg serve --site RELEASE/site`: the persistent IRI path answers with the release's own files."""
    exe = shutil.which("iscm-kg", path=os.path.dirname(sys.executable))
    oxigraph = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if exe is None or oxigraph is None:
        pytest.skip("serve needs the console script and Oxigraph's server (the 'server' extra)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--site", str(built / "site")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        site_dir = built / "site" / "id" / "mechanism"
        for accept, suffix in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("text/html", ".html")):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/id/mechanism/BALI", headers={"Accept": accept})
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.read() == (site_dir / f"BALI{suffix}").read_bytes(), accept
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_build_gives_the_same_bytes_in_another_process(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build, by the console script, with another hash seed, over a copy of a previous build (which
    the command may replace without --force)."""
    second = tmp_path / "second"
    shutil.copytree(built, second)
    (second / "iscm-kg.ttl").write_text("stale")
    monkeypatch.setenv("PYTHONHASHSEED", "12345")
    done = cli("build", "--output", str(second))
    assert done.returncode == 0, done.stderr
    assert release.files_of(second) == release.files_of(built)
    for name in release.files_of(built):
        assert (second / name).read_bytes() == (built / name).read_bytes(), name
    assert [p.name for p in tmp_path.iterdir()] == ["second"]


def test_the_tables_are_those_of_iscm_kg_tables(built: Path, tmp_path: Path) -> None:
    """The release's tables/ is the package `iscm-kg tables` writes from the loaded graph, byte for byte (the
    release reads them from its own derived graph, on the default engine), and it validates."""
    frictionless = pytest.importorskip("frictionless")
    alone = tables.build(tmp_path / "tables").output
    assert sorted(p.name for p in (built / "tables").iterdir()) == sorted(p.name for p in alone.iterdir())
    for path in alone.iterdir():
        assert (built / "tables" / path.name).read_bytes() == path.read_bytes(), path.name
    assert frictionless.validate(str(built / "tables" / "datapackage.json")).valid


DUMP_NAMES = ["iscm-kg.ttl", "iscm-kg.nt", "iscm-kg.jsonld", "iscm-kg.rdf", "iscm-kg.trig", "iscm-kg.nq"]


def test_every_rdf_file_parses(built: Path) -> None:
    rdf = [f for f in release.files_of(built) if Path(f).suffix in PARSE_AS and f not in NOT_RDF]
    assert len(rdf) >= 12 and set(DUMP_NAMES) <= set(rdf)
    for name in rdf:
        if name not in DUMP_NAMES:  # the dumps are parsed (and compared) by test_every_format_is_the_source_graph
            assert len(_read(built / name)) > 0, name
    for name in NOT_RDF:
        json.loads((built / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["iscm-kg.jsonld", "iscm-kg-framed.jsonld"])
def test_jsonld_files_read_with_pyld_as_with_rdflib(built: Path, name: str) -> None:
    doc = json.loads((built / name).read_text(encoding="utf-8"))
    by_pyld = Graph().parse(data=pyld.jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nquads")
    assert isomorphic(by_pyld, _read(built / name))


@pytest.mark.parametrize("name", DUMP_NAMES)
def test_every_format_is_the_source_graph(built: Path, source: Graph, name: str) -> None:
    assert isomorphic(_read(built / name), source)


def test_inferred_file_holds_the_derived_triples(built: Path, derived: Graph) -> None:
    assert len(derived) > 0
    assert isomorphic(_read(built / "iscm-kg-inferred.ttl"), derived)


def test_framed_view_is_contained_in_the_graph(built: Path, source: Graph, derived: Graph) -> None:
    framed = _read(built / "iscm-kg-framed.jsonld")
    inferred = source + derived
    assert len(framed) > 10_000
    assert [t for t in framed if t not in inferred] == []


# ---------------------------------------------------------------- the description


@pytest.fixture(scope="module")
def void(built: Path) -> Graph:
    return Graph().parse(built / "void.ttl", format="turtle")


def _int(g: Graph, subject: Node, prop: URIRef) -> int:
    value = g.value(subject, prop)
    assert isinstance(value, Literal), prop
    return int(value)


def test_void_counts_are_the_real_counts(void: Graph, source: Graph) -> None:
    queries = {
        VOID.triples: "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        VOID.entities: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }",
        VOID.distinctSubjects: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        VOID.properties: "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
        VOID.distinctObjects: "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
        VOID.classes: "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
    }
    for prop, select in queries.items():
        assert _int(void, DATASET, prop) == _count(source, select), prop


def test_void_class_partitions_are_the_real_counts(void: Graph, source: Graph) -> None:
    partitions = {void.value(p, VOID["class"]): _int(void, p, VOID.entities)
                  for p in void.objects(DATASET, VOID.classPartition)}
    expected = {c: int(n) for c, n in source.query(  # type: ignore[misc]
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER (isIRI(?s) && isIRI(?c)) } GROUP BY ?c")}
    assert partitions == expected
    # One file per mechanism in data/mechanisms/, so the ISCM partition counts those files.
    assert partitions[URIRef(ISCM + "ISCM")] == len(list((ROOT / "data" / "mechanisms").glob("*.ttl")))


def test_void_names_every_source_document_and_examples(void: Graph, source: Graph) -> None:
    documents = {s for (s,) in source.query(  # type: ignore[misc]
        "SELECT ?d WHERE { ?d a <https://w3id.org/iscm-kg/ontology#SourceDocument> }")}
    assert len(documents) > 0
    assert set(void.objects(DATASET, DCTERMS.source)) == documents
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert examples and all((e, None, None) in source for e in examples)


def test_void_states_version_licence_and_derived_count(void: Graph, derived: Graph) -> None:
    assert str(void.value(DATASET, DCAT.version)) == __version__
    assert void.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    derived_dataset = URIRef("https://w3id.org/iscm-kg/dataset/derived")
    assert _int(void, derived_dataset, VOID.triples) == len(derived)
    assert void.value(DATASET, VOID.sparqlEndpoint) is None  # only with --endpoint
    assert void.value(DATASET, DCTERMS.issued) is None  # only with SOURCE_DATE_EPOCH


def test_void_has_a_distribution_per_file_with_its_size(void: Graph, built: Path) -> None:
    sizes = {}
    for dist in void.subjects(RDF.type, DCAT.Distribution):
        sizes[str(void.value(dist, DCTERMS.title))] = _int(void, dist, DCAT.byteSize)
        assert void.value(dist, DCAT.mediaType) is not None
    site = {f for f in release.files_of(built) if f.startswith("site/")}
    described = set(release.files_of(built)) - {"void.ttl", "SHA256SUMS"} - site
    assert set(sizes) == described | {"site/"}
    for name, size in sizes.items():
        if name != "site/":
            assert (built / name).stat().st_size == size, name
    # The website is one distribution: all its files, opened at its home page.
    assert sizes["site/"] == sum((built / name).stat().st_size for name in site)
    assert URIRef(f"https://w3id.org/iscm-kg/release/{__version__}/site/index.html") in set(
        void.objects(None, DCAT.accessURL))


def test_sha256sums_match_the_files(built: Path) -> None:
    lines = (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert [line.split("  ", 1)[1] for line in lines] == sorted(listed)
    assert set(listed) == set(release.files_of(built)) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest, name


def test_data_dictionary_covers_every_ontology_term(built: Path, source: Graph) -> None:
    text = (built / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    ontology = Graph().parse(ROOT / "ontology" / "iscm.ttl")
    terms = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(ISCM)
             and not s.startswith(ISCM + "_")}
    assert len(terms) > 20
    for term in terms:
        assert f"### iscm:{term[len(ISCM):]}\n" in text, term
    # The participation count written there is the graph's.
    participations = len(set(source.subjects(RDF.type, URIRef(ISCM + "Participation"))))
    assert f"- instances: {participations} asserted" in text
    assert "shp:ParticipationShape" in text and "sh:minCount 1" in text


def test_ontology_page_names_every_class(built: Path) -> None:
    html = (built / "docs" / "ontology.html").read_text(encoding="utf-8")
    ontology = Graph().parse(ROOT / "ontology" / "iscm.ttl")
    for cls in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")):
        if isinstance(cls, URIRef):
            assert str(cls) in html, cls
    assert f"https://w3id.org/iscm-kg/ontology/{__version__}" in html  # the stamped owl:versionIRI


# ---------------------------------------------------------------- refusing, failing, and leaving nothing behind


def test_refuses_a_folder_that_is_not_a_previous_build(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    done = cli("build", "--output", str(target))
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert release.files_of(target) == ["notes.txt"]
    release.check_target(target, force=True)  # --force lifts the refusal


def test_a_file_is_not_a_target(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(IscmError):
        release.check_target(target, force=True)


def test_force_never_replaces_the_working_folder_or_the_sources(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for protected in (ROOT, ROOT / "ontology", ROOT / "data" / "mechanisms", ROOT / "iscm_kg", ROOT.parent):
        with pytest.raises(IscmError, match="refusing"):
            release.check_target(protected, force=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IscmError, match="refusing"):
        release.check_target(Path("."), force=True)


def test_an_unusable_target_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the parent folder should be")
    done = cli("build", "--output", str(blocker / "out"))
    assert done.returncode == 2
    assert done.stderr.startswith("iscm-kg build: error:") and "Traceback" not in done.stderr


def test_a_previous_build_is_recognised_only_as_it_was_built(built: Path, tmp_path: Path) -> None:
    assert release.is_previous_build(built)
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "extra.txt").write_text("a file the build did not make")
    assert not release.is_previous_build(copy)
    with pytest.raises(IscmError):
        release.check_target(copy, force=False)


@pytest.mark.usefixtures("loaded_once")
def test_a_failed_build_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def failing(graph_: Graph, fmt: str) -> str:
        calls.append(fmt)
        if len(calls) == 3:
            raise OSError("disk full")
        return "written"

    monkeypatch.setattr(export, "serialise", failing)
    target = tmp_path / "dist" / "out"
    with pytest.raises(OSError):
        release.build(target)
    assert len(calls) == 3  # it failed part-way through writing
    assert not target.exists()
    assert list((tmp_path / "dist").iterdir()) == []


@pytest.mark.usefixtures("loaded_once")
def test_a_failed_rebuild_keeps_the_previous_build(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(built, previous)
    # The dumps' text does not matter here (the checks are made to fail): a stand-in spares serialising them.
    monkeypatch.setattr(export, "serialise", lambda graph_, fmt: f"stand-in {fmt}")

    def fails_its_checks(folder: Path, sources: release.Sources) -> None:
        assert release.files_of(folder), "the build wrote nothing before its checks"
        raise release.VerificationError("forced")

    monkeypatch.setattr(release, "verify", fails_its_checks)
    with pytest.raises(release.VerificationError):
        release.build(previous)
    assert release.files_of(previous) == release.files_of(built)
    for name in release.files_of(built):
        assert (previous / name).read_bytes() == (built / name).read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["previous"]


def test_checks_catch_a_file_that_does_not_read_back(built: Path, tmp_path: Path,
                                                     loaded_once: release.Sources) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(built, broken)
    nt = broken / "iscm-kg.nt"
    nt.write_text("".join(nt.read_text(encoding="utf-8").splitlines(keepends=True)[1:]), encoding="utf-8")
    with pytest.raises(release.VerificationError, match="iscm-kg.nt"):
        release.verify(broken, loaded_once)


def test_endpoint_and_date_are_stated_only_when_given(source: Graph, derived: Graph,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from iscm_kg.publish import void as void_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    date = release.source_date()
    assert date is not None and date.date().isoformat() == "2023-11-14"
    desc = void_module.describe(source, derived, [], version=__version__, dumps=(), derived_file="x",
                                endpoint="http://127.0.0.1:7878/query", issued=date.date())
    assert desc.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    assert str(desc.value(DATASET, DCTERMS.issued)) == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(IscmError):
        release.source_date()
