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
    query_cmd.add_result_options(p)
    return common.run("sparql", body, p, argv)
