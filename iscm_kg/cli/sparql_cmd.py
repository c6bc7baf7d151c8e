"""iscm-kg sparql FILE|-: run one's own SELECT query on the embedded graph or an endpoint."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from iscm_kg import graph, query, stores
from iscm_kg.cli import common, query_cmd
from iscm_kg.errors import IscmError
from iscm_kg.query import results


def read_query(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise IscmError(f"{source}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IscmError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def body(args: argparse.Namespace) -> int:
    stores.set_timeout(args.timeout)
    graph_iri = query_cmd.checked_graph(args)
    text = read_query(args.query)
    if not text.strip():
        raise IscmError(f"{args.query}: the query is empty")
    kg = graph.load()
    if args.endpoint:
        table = stores.sparql.select(args.endpoint, text, graph_iri)
    else:
        try:
            table = query.run_local(text, kg)
        except IscmError:
            raise
        except Exception as exc:  # the engines' parse errors have no common type; report them in one line
            message = " ".join(str(exc).split())
            raise IscmError(f"{args.query}: the query could not be run: {message}") from None
    sys.stdout.write(results.render(table, args.format, lambda iri: query.label_of(kg, iri), args.width))
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("sparql", "Run a SELECT query of one's own (the project's prefixes are predeclared) on the "
                      "embedded graph or a SPARQL endpoint, in the same formats as 'iscm-kg query'.")
    p.add_argument("query", metavar="FILE", help="a file holding the SELECT query, or - to read it from stdin")
    p.add_argument("--format", choices=results.FORMATS, default="table",
                   help="table (for people, IRIs as labels), csv/tsv/json (for programs: each IRI column with a "
                   "NAME_label column beside it), md (Markdown)")
    p.add_argument("--width", type=common.positive_int, metavar="N",
                   help="the table's width in characters (default: the terminal's); cells wrap to fit")
    p.add_argument("--endpoint", type=common.url, metavar="URL",
                   help="a SPARQL 1.1 query endpoint to run the query against")
    p.add_argument("--graph", metavar="IRI",
                   help="with --endpoint: query this named graph (as the default graph, by the SPARQL Protocol's "
                        "default-graph-uri), for stores whose default graph is not the union of their graphs")
    p.add_argument("--timeout", type=float, default=stores.http.DEFAULT_TIMEOUT_SECONDS, metavar="SECONDS",
                   help=f"with --endpoint: for the request (default {stores.http.DEFAULT_TIMEOUT_SECONDS:g})")
    return common.run("sparql", body, p, argv)
