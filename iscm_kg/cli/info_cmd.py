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


def body(args: argparse.Namespace) -> int:
    full = graph.load(inferred=False).graph
    asserted = len(full)
    graph.derive(full)
    print(f"iscm-kg {__version__}")
    print(f"resources: {resources.resource_root()}")
    for kind in ("ontology", "data", "shapes", "queries"):
        count = len(resources.query_files()) if kind == "queries" else len(resources.turtle_files(kind))
        print(f"  {kind + '/':<10} {count} files")
    print(f"triples: {asserted} asserted, {len(full) - asserted} derived, {len(full)} in all")
    counts = Counter(o for o in full.objects(None, RDF.type) if isinstance(o, URIRef) and str(o).startswith(str(ISCM)))
    print("instances per class:")
    for cls, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print(f"  {label_of(full, cls):<8} {n:>6}  ({cls})")
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("info", "Show the version, triple counts, counts per class and the resource folders.")
    return common.run("info", body, p, argv)
