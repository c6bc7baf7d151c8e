"""iscm-kg load: replace a graph in a triple store with the current data (with the derived triples)."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from iscm_kg import graph, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import DATASET_GRAPH


def _progress(message: str) -> None:
    print(f"iscm-kg load: {message}", file=sys.stderr, flush=True)


def _quiet(_message: str) -> None:
    return None


def _terminated(_signum: int, _frame: FrameType | None) -> None:
    # SIGTERM (a service manager, `kill`) unwinds like Ctrl-C, so the load drops its temporary graph first.
    raise KeyboardInterrupt


def body(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    target = None if args.default_graph else args.graph
    if target is not None:
        stores.graph_term(target)  # a bad IRI is refused before anything is read or sent
    if args.batch_size < 1:
        raise IscmError(f"--batch-size expects a positive number of triples, got {args.batch_size}")
    stores.set_timeout(args.timeout)
    kg = graph.load()
    progress = _progress if args.progress or sys.stderr.isatty() else _quiet
    if args.update:
        count = stores.load_by_update(kg, args.update, target, args.endpoint, progress, args.batch_size)
        where = args.update
    else:
        count = stores.load(kg, args.store, target, progress, args.endpoint)
        where = args.store
    print(f"loaded {count} triples into {target or 'the default graph'} at {where}", file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("load", "Replace a graph in a triple store with the current data, so that the store holds "
                              "the old version or the new one, never a mix; then count what it holds. "
                              "Credentials come from ISCM_KG_USER and ISCM_KG_PASSWORD, never the command line.")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--store", type=common.url, metavar="URL",
                     help="Graph Store Protocol endpoint, one PUT: http://127.0.0.1:7878/store (Oxigraph), "
                          "http://HOST:3030/DATASET/data (Fuseki)")
    how.add_argument("--update", type=common.url, metavar="URL",
                     help="SPARQL 1.1 Update endpoint instead: batches into a temporary graph, then one MOVE "
                          "(Oxigraph http://HOST:7878/update, Fuseki .../DATASET/update)")
    p.add_argument("--endpoint", type=common.url, metavar="URL",
                   help="the query endpoint for the count after the load (default: beside the store's address: "
                        ".../store or .../update -> .../query (Oxigraph), .../sparql-graph-crud -> .../sparql "
                        "(Virtuoso), .../data -> .../query (Fuseki))")
    p.add_argument("--timeout", type=float, default=stores.http.DEFAULT_TIMEOUT_SECONDS, metavar="SECONDS",
                   help=f"for every request (default {stores.http.DEFAULT_TIMEOUT_SECONDS:g})")
    p.add_argument("--batch-size", type=int, default=stores.BATCH_TRIPLES, metavar="N",
                   help=f"with --update: triples per request (default {stores.BATCH_TRIPLES})")
    p.add_argument("--graph", default=DATASET_GRAPH, metavar="IRI", help=f"the named graph (default {DATASET_GRAPH})")
    p.add_argument("--progress", action="store_true",
                   help="report each step on standard error (the default when it is a terminal)")
    p.add_argument("--default-graph", action="store_true", help="load into the default graph instead")
    return common.run("load", body, p, argv)
