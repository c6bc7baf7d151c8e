"""iscm-kg export: write the graph in one RDF format, deterministically and atomically."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from iscm_kg import graph
from iscm_kg.cli import common
from iscm_kg.output import check_output, write_output
from iscm_kg.publish import export


def body(args: argparse.Namespace) -> int:
    if args.output:
        check_output(args.output)  # a path that will be refused is refused before the graph is read
    kg = graph.load(inferred=args.inferred)
    text = export.serialise(kg.graph, args.format)
    if args.output:
        write_output(args.output, text)
        print(f"wrote {len(kg)} triples to {args.output}", file=sys.stderr)
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
    return common.run("export", body, p, argv)
