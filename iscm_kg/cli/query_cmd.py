"""iscm-kg query NAME: run one canned query and print its result."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from iscm_kg import graph, query, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.query import results


def checked_graph(args: argparse.Namespace) -> str | None:
    """--graph IRI: checked, and only with --endpoint (the embedded graph is one graph, there is none to name)."""
    if args.graph is None:
        return None
    if not args.endpoint:
        raise IscmError("--graph names a graph at an endpoint: give --endpoint URL as well")
    stores.graph_term(args.graph)
    return str(args.graph)


def body(args: argparse.Namespace) -> int:
    stores.set_timeout(args.timeout)
    graph_iri = checked_graph(args)
    kg = graph.load()
    table = query.run(args.name, common.parse_params(args.param), kg, endpoint=args.endpoint, graph_iri=graph_iri)
    sys.stdout.write(results.render(table, args.format, lambda iri: query.label_of(kg, iri), args.width))
    return 0


def add_result_options(p: argparse.ArgumentParser) -> None:
    """The options query and sparql share: the result's format and width, and the endpoint to ask."""
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


def main(argv: Sequence[str]) -> int:
    p = common.parser("query", "Run a canned query (see 'iscm-kg queries') on the embedded graph or an endpoint.")
    p.add_argument("name", help="the query's name, e.g. iom-secretariat")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter, e.g. --param state=KEN (repeatable)")
    add_result_options(p)
    return common.run("query", body, p, argv)
