"""iscm-kg load: replace a graph in a triple store with the current data (with the derived triples)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from iscm_kg import graph, store
from iscm_kg.cli import common
from iscm_kg.namespaces import DATASET_GRAPH


def body(args: argparse.Namespace) -> int:
    kg = graph.load()
    target = None if args.default_graph else args.graph
    count = store.load(kg.graph, args.store, target)
    print(f"loaded {count} triples into {target or 'the default graph'} at {args.store}", file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("load", "Replace a graph in a store (SPARQL 1.1 Graph Store Protocol endpoint) by one PUT. "
                              "Credentials come from ISCM_KG_USER and ISCM_KG_PASSWORD.")
    p.add_argument("--store", required=True, metavar="URL",
                   help="Graph Store endpoint: http://127.0.0.1:7878/store (Oxigraph), .../DATASET/data (Fuseki)")
    p.add_argument("--graph", default=DATASET_GRAPH, metavar="IRI", help=f"the named graph (default {DATASET_GRAPH})")
    p.add_argument("--default-graph", action="store_true", help="load into the default graph instead")
    return common.run("load", body, p, argv)
