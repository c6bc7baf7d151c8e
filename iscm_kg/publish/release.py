"""iscm-kg build: the release folder, built whole in a temporary folder, checked, then renamed into place.

Two builds of one commit give the same bytes: every file is written by a deterministic serialiser, nothing
carries the time of the build, and a date (the dataset's dcterms:issued, the files' modification times) is
written only when SOURCE_DATE_EPOCH is set. The build checks its own output before it renames it into place:
every RDF file parses back to the graph it was made from, and the data conforms to the shapes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, VOID

from iscm_kg import __version__, formats, resources, validate
from iscm_kg import graph as kg_graph
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import ISCM
from iscm_kg.publish import datadict, export, framing, ontodoc, site, staging, void
from iscm_kg.publish import tables as analyst_tables
from iscm_kg.publish.staging import staged

# The asserted graph in every export format, one file each.
DUMPS = {f.name: f"iscm-kg{f.suffix}" for f in formats.FORMATS}
FRAMED = "iscm-kg-framed.jsonld"
DERIVED = "iscm-kg-inferred.ttl"
ONTOLOGY_HTML = "docs/ontology.html"
DATA_DICTIONARY = "docs/data-dictionary.md"
VOID_FILE = "void.ttl"
SUMS = "SHA256SUMS"
# The website (iscm-kg site), built from the same graph. In SHA256SUMS every one of its files has its line, like
# every other file: one `sha256sum -c SHA256SUMS` checks the whole release, and a previous build is recognised by
# the one rule (the manifest lists exactly the files). In void.ttl it is one distribution (its entry page, its
# file count and total size), not thousands: a page is not a way to get the dataset, and a distribution per page
# would drown the dumps a client looks for.
SITE = "site"
COPIED = ("ontology", "shapes")


class VerificationError(IscmError):
    """The built folder failed its own checks: nothing was put in place."""


@dataclass(frozen=True)
class BuildResult:
    output: Path
    files: int
    size: int
    seconds: float


def default_output() -> Path:
    return Path("dist") / f"iscm-kg-{__version__}"


def source_date() -> datetime.datetime | None:
    """The build date, from SOURCE_DATE_EPOCH only (reproducible-builds.org): never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    except ValueError:
        raise IscmError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got '{epoch}'") from None


# ---------------------------------------------------------------- the folder's files


def files_of(folder: Path) -> list[str]:
    """Every file under folder, as sorted paths with /."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _write(folder: Path, relative: str, text: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copied_files() -> Iterator[tuple[str, Path]]:
    root = resources.resource_root()
    for kind in COPIED:
        for path in sorted((root / kind).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path.relative_to(root).as_posix(), path


def sha256sums(folder: Path) -> str:
    """sha256sum's format (hash, two spaces, path), sorted by path, every file but SHA256SUMS itself."""
    lines = []
    for relative in files_of(folder):
        if relative != SUMS:
            lines.append(f"{hashlib.sha256((folder / relative).read_bytes()).hexdigest()}  {relative}\n")
    return "".join(lines)


@dataclass
class Sources:
    """The graphs a release is made from, loaded once."""

    asserted: Graph
    derived: Graph
    inferred: Graph

    @classmethod
    def load(cls) -> Sources:
        asserted = kg_graph.load(inferred=False).graph
        inferred = Graph(bind_namespaces="none")
        inferred += asserted
        derived = kg_graph.derive(inferred)
        return cls(asserted, derived, inferred)


def write_release(folder: Path, sources: Sources, endpoint: str | None) -> None:
    for fmt, name in DUMPS.items():
        _write(folder, name, export.serialise(sources.asserted, fmt))
    _write(folder, FRAMED, export.serialise(sources.asserted, "jsonld-framed"))
    _write(folder, DERIVED, export.serialise(sources.derived, "turtle"))
    for relative, path in _copied_files():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(path.read_bytes())

    ontology = kg_graph.parse_file(resources.resource_root() / "ontology" / "iscm.ttl")
    kg_graph.stamp_version(ontology)
    _write(folder, ONTOLOGY_HTML, ontodoc.ontology_html(ontology))
    _write(folder, DATA_DICTIONARY, datadict.render(
        ontology, sources.asserted, sources.inferred, validate.shapes_graph(), __version__))
    derived = kg_graph.KnowledgeGraph.of_graph(sources.inferred)
    analyst_tables.write_package(folder / analyst_tables.FOLDER, derived, created=source_date())

    try:
        site.write_site(folder / SITE, derived, None)
    except site.SiteError as exc:
        raise VerificationError(f"{SITE}/: {exc}") from None

    date = source_date()
    infos, site_files, site_size = [], 0, 0
    for p in files_of(folder):
        size = (folder / p).stat().st_size
        if p.startswith(SITE + "/"):
            site_files, site_size = site_files + 1, site_size + size
        else:
            infos.append(void.FileInfo(p, size))
    description = void.describe(
        sources.asserted, sources.derived, infos, version=__version__, dumps=tuple(DUMPS.values()),
        derived_file=DERIVED, endpoint=endpoint, issued=date.date() if date else None,
        folders=[void.FolderInfo(SITE + "/", SITE + "/index.html", "The website: a page per entity, with its Turtle "
                                 "and JSON-LD beside it", site_files, site_size)])
    _write(folder, VOID_FILE, void.serialise(description, __version__))
    _write(folder, SUMS, sha256sums(folder))
    if date is not None:
        stamp = date.timestamp()
        for path in [*folder.rglob("*"), folder]:
            os.utime(path, (stamp, stamp))


# ---------------------------------------------------------------- checking the output


def _parse(path: Path, fmt: str) -> Graph:
    """Read an RDF file back into one graph (the quad formats' named graph merged into it)."""
    try:
        if fmt in {f.rdflib for f in formats.FORMATS if f.quads}:
            merged = Graph()
            for s, p, o, _g in Dataset().parse(path, format=fmt).quads():
                merged.add((s, p, o))
            return merged
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many types for malformed input
        raise VerificationError(f"{path.name} does not parse as {fmt}: {exc}") from None


def verify(folder: Path, sources: Sources) -> None:
    """Check the built folder; raise VerificationError on the first problem."""
    for fmt, name in DUMPS.items():
        if not isomorphic(_parse(folder / name, formats.BY_NAME[fmt].rdflib), sources.asserted):
            raise VerificationError(f"{name} does not read back as the graph it was written from")
    if not isomorphic(_parse(folder / DERIVED, "turtle"), sources.derived):
        raise VerificationError(f"{DERIVED} does not read back as the derived triples")

    framed = _parse(folder / FRAMED, "json-ld")
    stray = [t for t in framed if t not in sources.inferred]
    if stray:
        raise VerificationError(f"{FRAMED} states {len(stray)} triple(s) that the graph does not, e.g. {stray[0]}")
    doc = json.loads((folder / FRAMED).read_text(encoding="utf-8"))
    mechanisms = set(sources.asserted.subjects(RDF.type, ISCM.ISCM))
    if len(framing.mechanism_nodes(doc)) != len(mechanisms):
        raise VerificationError(f"{FRAMED} holds {len(framing.mechanism_nodes(doc))} mechanisms, "
                                f"the graph {len(mechanisms)}")

    for relative, path in _copied_files():
        if (folder / relative).read_bytes() != path.read_bytes():
            raise VerificationError(f"{relative} differs from the packaged file")
        if relative.endswith(".ttl"):
            _parse(folder / relative, "turtle")
        elif relative.endswith(".jsonld"):
            json.loads((folder / relative).read_text(encoding="utf-8"))

    description = _parse(folder / VOID_FILE, "turtle")
    if description.value(void.DATASET, VOID.triples) != Literal(len(sources.asserted)):
        raise VerificationError(f"{VOID_FILE} gives a triple count other than the data's")

    _kg, report = validate.validate_files([folder / DUMPS["turtle"]])
    if not report.conforms:
        raise VerificationError(f"the data does not conform to the shapes: {report.count('Violation')} violation(s);"
                                " run 'iscm-kg validate' for the list")

    listed = (folder / SUMS).read_text(encoding="utf-8")
    if listed != sha256sums(folder):
        raise VerificationError(f"{SUMS} does not match the files")


# ---------------------------------------------------------------- putting it in place


def is_previous_build(folder: Path) -> bool:
    """A folder this command made: its SHA256SUMS lists exactly the files it holds."""
    sums = folder / SUMS
    if not sums.is_file():
        return False
    listed = sorted(line.split("  ", 1)[1] for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line)
    return listed == [f for f in files_of(folder) if f != SUMS]


def check_target(output: Path, force: bool) -> None:
    staging.check_target(output, force, is_previous_build,
                         "a previous build (its SHA256SUMS does not list exactly its files)")


def build(output: Path, *, endpoint: str | None = None, force: bool = False) -> BuildResult:
    """Build the release into output. On any error the temporary folder is removed and output is untouched."""
    started = time.monotonic()
    output = Path(output)
    check_target(output, force)
    with staged(output, "build") as work:
        sources = Sources.load()
        write_release(work, sources, endpoint)
        verify(work, sources)
    names = files_of(output)
    size = sum((output / name).stat().st_size for name in names)
    return BuildResult(output, len(names), size, time.monotonic() - started)
