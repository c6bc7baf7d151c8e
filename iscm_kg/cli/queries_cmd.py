"""iscm-kg queries: list the canned queries with their titles and parameters."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from iscm_kg.cli import common
from iscm_kg.query import catalogue


def body(args: argparse.Namespace) -> int:
    queries = catalogue.all_queries()
    if args.format == "json":
        doc = [
            {"name": q.name, "title": q.title, "question": q.question,
             "parameters": [vars(p) for p in q.parameters]}
            for q in queries
        ]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    width = max(len(q.name) for q in queries)
    for q in queries:
        params = " ".join(f"{p.name}=<{p.type}>" + (f" (default {p.default})" if p.default else "")
                          for p in q.parameters)
        print(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("queries", "List the canned queries: name, title and parameters.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    return common.run("queries", body, p, argv)
