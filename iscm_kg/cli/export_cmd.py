"""iscm-kg export: write the graph in one RDF format, deterministically and atomically."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rdflib import Graph, URIRef

from iscm_kg import graph
from iscm_kg.cli import common
from iscm_kg.output import check_output, write_output
from iscm_kg.publish import export
from iscm_kg.query import resolve
from iscm_kg.query.catalogue import Parameter


def _shown(path: str) -> str:
    """The path in one line: a character that is not printable (a newline, a byte that is not UTF-8) escaped."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in path)


def body(args: argparse.Namespace) -> int:
    if args.output:
        check_output(args.output)  # a path that will be refused is refused before the graph is read
    kg = graph.load(inferred=args.inferred)
    source: Graph = kg.graph
    for ptype in ("mechanism", "state"):
        text_given = getattr(args, ptype)
        if text_given:
            # Looked up like a query parameter: by code, acronym or name, candidates listed when ambiguous.
            node = resolve.resolve(kg, Parameter(ptype, ptype, None, "", ""), text_given)
            assert isinstance(node, URIRef)
            source = export.entity_subgraph(kg.graph, node)
    text = export.serialise(source, args.format)
    if args.output:
        write_output(args.output, text)
        print(f"wrote {len(source)} triples to {_shown(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("export", "Write ontology and data in an RDF format (byte-identical on repeated runs).")
    p.add_argument("--format", choices=export.ALL_FORMATS, default="turtle",
                   help="RDF format (default turtle); jsonld-framed: each mechanism with its participations nested")
    p.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("--inferred", action="store_true",
                   help="include the derived triples (adopted claim values, class closure, short properties)")
    one = p.add_mutually_exclusive_group()
    one.add_argument("--mechanism", metavar="NAME",
                     help="only this mechanism with its participations, claims, meetings and their sources")
    one.add_argument("--state", metavar="NAME", help="only this State with its participations and their sources")
    return common.run("export", body, p, argv)
