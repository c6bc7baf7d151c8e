"""Graph to files: deterministic serialisations, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from iscm_kg import resources
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import DATASET_GRAPH, PREFIXES, new_graph
from iscm_kg.ordered import ordered_copy

FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}
# Views hold a chosen part of the graph, laid out for reading: they do not parse back to the whole graph.
VIEWS = ("jsonld-framed",)
ALL_FORMATS = (*FORMATS, *VIEWS)


def context() -> dict[str, object]:
    """The hand-written JSON-LD context shipped with the ontology: only the terms in use, readable keys."""
    doc: dict[str, object] = json.loads((resources.resource_root() / "ontology" / "context.jsonld").read_text())
    return doc


def serialise(graph: Graph, fmt: str) -> str:
    """Serialise so that the same graph always gives the same bytes: blank nodes get canonical labels,
    line-based formats are sorted, and the prefixes are the project's own. jsonld-framed is the framed view
    (iscm_kg.framing): every mechanism with its participations, claims and sources nested."""
    if fmt not in ALL_FORMATS:
        raise IscmError(f"unknown export format '{fmt}'; the formats are: {', '.join(ALL_FORMATS)}")
    if fmt == "jsonld-framed":
        from iscm_kg import framing  # imported here: framing reads this module's context()

        return framing.serialise(graph)
    out = ordered_copy(new_graph())  # the project's prefixes, iterated in sorted order (see iscm_kg.ordered)
    out += to_canonical_graph(graph)
    if fmt == "jsonld":
        return _jsonld(out)
    if fmt in ("trig", "nquads"):
        text = _in_named_graph(out).serialize(format=fmt)
    else:
        text = out.serialize(format=FORMATS[fmt])
    if fmt in ("nt", "nquads"):
        return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    return text


def _jsonld(graph: Graph) -> str:
    """Compacted with the shipped context. rdflib lists the top-level nodes in the hash order of a set of subjects,
    which changes from process to process: they are sorted by id here."""
    doc = json.loads(graph.serialize(format="json-ld", context=context()["@context"]))
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("id", "")) if isinstance(node, dict) else "")
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _in_named_graph(graph: Graph) -> Dataset:
    """The graph as the dataset's named graph, for the quad formats."""
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri)
    named = dataset.graph(URIRef(DATASET_GRAPH))
    named += graph
    return dataset


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: an error never leaves a truncated file."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise IscmError(f"{path}: the folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
