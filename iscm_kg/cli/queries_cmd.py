"""iscm-kg queries [NAME]: list the canned queries, or show one with its parameters and their allowed values."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from iscm_kg import graph
from iscm_kg.cli import common
from iscm_kg.query import catalogue, resolve

# Parameter types with a short, closed set of values: shown in full. The others (States, mechanisms,
# organisations) are looked up by code or name; 'iscm-kg search' finds them.
ENUMERATED = ("mechanism-type", "status", "role", "region", "theme")


def allowed_values(ptype: str) -> str:
    if ptype == "integer":
        return "a whole number"
    if ptype == "year-range":
        return ("a year (2015) or a range FROM..TO, both years included (2010..2015); an end may be left open "
                "(2010.., ..2015; '..' is every year)")
    if ptype == "string":
        return "any text"
    if ptype in ENUMERATED:
        kg = graph.load()
        return ", ".join(sorted(resolve.code_of(kg, n) for n in resolve.candidates(kg, ptype)))
    return f"a {ptype} by code, acronym, name (EN/FR/ES) or IRI; find one with 'iscm-kg search TEXT'"


def show(name: str, as_json: bool) -> int:
    q = catalogue.get(name)
    params = [{**vars(p), "allowed": allowed_values(p.type)} for p in q.parameters]
    if as_json:
        doc = {"name": q.name, "title": q.title, "question": q.question, "description": q.description,
               "parameters": params}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    print(f"{q.name}: {q.title}")
    print(f"  question: {q.question}")
    if q.description:
        print(f"  {q.description}")
    if not params:
        print("  parameters: none")
    for p in params:
        repeat = " (repeatable: all values given)" if p["multiple"] else ""
        default = f", default {p['default']}" if p["default"] else ", required"
        print(f"  --param {p['name']}=<{p['type']}>{repeat}{default}, e.g. {p['name']}={p['example']}")
        print(f"      {p['description']}")
        print(f"      allowed: {p['allowed']}")
    return 0


def body(args: argparse.Namespace) -> int:
    if args.name:
        return show(args.name, args.format == "json")
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
        params = " ".join(f"{p.name}=<{p.type}>" + ("..." if p.multiple else "")
                          + (f" (default {p.default})" if p.default else "") for p in q.parameters)
        print(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("queries", "List the canned queries: name, title and parameters; with NAME, one query's "
                      "question and parameters with their allowed values.")
    p.add_argument("name", nargs="?", help="show this query in full")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    return common.run("queries", body, p, argv)
