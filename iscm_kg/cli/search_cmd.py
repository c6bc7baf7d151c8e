"""iscm-kg search TEXT: every entity whose name, acronym or code matches, with its type and IRI."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from rdflib.term import Node

from iscm_kg import graph, query
from iscm_kg.cli import common
from iscm_kg.engines import Lookup
from iscm_kg.errors import IscmError
from iscm_kg.query import nearest, resolve

# Participant is the union of State and Organisation: searched as those two, each entity is listed once.
SEARCHED = ("mechanism", "state", "organisation", "theme", "region", "status", "role")


def search(kg: Lookup, text: str) -> list[tuple[str, str, str, Node]]:
    """(type, code, label, IRI) of every entity of SEARCHED whose folded name contains the folded text, or
    whose name pattern matches it."""
    wanted = nearest.fold(text)
    found = []
    for ptype in SEARCHED:
        for node in resolve.candidates(kg, ptype):
            names = resolve.names_of(kg, node)
            if any(wanted in name for name in names.strong | names.weak) or names.matches_weakly(wanted, text):
                found.append((ptype, resolve.code_of(kg, node), query.label_of(kg, node), node))
    return found


def body(args: argparse.Namespace) -> int:
    if not nearest.fold(args.text):
        raise IscmError("search needs some letters or digits to look for")
    kg = graph.load()
    found = search(kg, args.text)
    if args.format == "json":
        doc = [{"type": t, "code": c, "label": label, "iri": str(n)} for t, c, label, n in found]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"nothing matches '{args.text}'", file=sys.stderr)
        return 0
    widths = [max(len(str(row[i])) for row in found) for i in range(3)]
    for ptype, code, label, node in found:
        print(f"{ptype:<{widths[0]}}  {code:<{widths[1]}}  {label:<{widths[2]}}  <{node}>")
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("search", "Find every entity whose name (EN/FR/ES, alternative or former), acronym or code "
                      "contains TEXT, ignoring case and accents: its type, code, label and IRI.")
    p.add_argument("text", help="what to look for, e.g. 'congo' or 'Bali'")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    return common.run("search", body, p, argv)
