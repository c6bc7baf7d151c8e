"""iscm-kg info: version, triple counts, counts per class, where the resources were read from."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from rdflib import URIRef
from rdflib.namespace import RDF

from iscm_kg import __version__, graph, resources
from iscm_kg.cli import common
from iscm_kg.namespaces import ISCM
from iscm_kg.query.labels import label_of

Row = tuple[str, int, str]


def aligned(sections: list[tuple[str, list[Row]]]) -> list[str]:
    """Each section's heading, then its rows indented under it: one label column padded to the longest label of
    every section, the numbers right-aligned in one column, then what each row refers to."""
    rows = [row for _, section in sections for row in section]
    label_width = max(len(label) for label, _, _ in rows)
    number_width = max(len(str(n)) for _, n, _ in rows)
    lines: list[str] = []
    for heading, section in sections:
        lines.append(f"{heading}:")
        lines += [f"  {label:<{label_width}}  {n:>{number_width}}" + (f"  {note}" if note else "")
                  for label, n, note in section]
    return lines


def body(args: argparse.Namespace) -> int:
    full = graph.load(inferred=False).graph
    asserted = len(full)
    graph.derive(full)
    print(f"iscm-kg {__version__}")
    print(f"resources: {resources.resource_root()}")
    files: list[Row] = []
    for kind in ("ontology", "data", "shapes", "queries"):
        count = len(resources.query_files()) if kind == "queries" else len(resources.turtle_files(kind))
        files.append((f"{kind}/", count, "files"))
    triples: list[Row] = [("asserted", asserted, ""), ("derived", len(full) - asserted, ""), ("in all", len(full), "")]
    counts = Counter(o for o in full.objects(None, RDF.type) if isinstance(o, URIRef) and str(o).startswith(str(ISCM)))
    classes: list[Row] = [(label_of(full, cls), n, f"({cls})")
                          for cls, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    print("\n".join(aligned([("files", files), ("triples", triples), ("instances per class", classes)])))
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("info", "Show the version, triple counts, counts per class and the resource folders.")
    return common.run("info", body, p, argv)
