"""iscm-kg new mechanism ACRONYM: write the skeleton of a mechanism file that validates with the shipped data.

The facts a mechanism file cannot do without (its name, type, status and the source that states them) are asked
for as options, never filled in: a skeleton states only what the curator gives it."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from pathlib import Path

from iscm_kg.errors import IscmError
from iscm_kg.output import write_output

ACRONYM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
TYPES = ("RCP", "IRF", "GlobalProcess")
STATUSES = ("active", "emerging", "dormant", "concluded")

TEMPLATE = """@prefix iscm:    <https://w3id.org/iscm-kg/ontology#> .
@prefix mech:    <https://w3id.org/iscm-kg/id/mechanism/> .
@prefix state:   <https://w3id.org/iscm-kg/id/state/> .
@prefix orgs:    <https://w3id.org/iscm-kg/id/organisation/> .
@prefix part:    <https://w3id.org/iscm-kg/id/participation/> .
@prefix claim:   <https://w3id.org/iscm-kg/id/claim/> .
@prefix role:    <https://w3id.org/iscm-kg/id/role/> .
@prefix status:  <https://w3id.org/iscm-kg/id/status/> .
@prefix region:  <https://w3id.org/iscm-kg/id/region/> .
@prefix theme:   <https://w3id.org/iscm-kg/id/theme/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

# Written by `iscm-kg new mechanism {acronym}`. Add regions, themes, the founding year, members and their
# sources as docs/curation.md describes, then run `iscm-kg validate {filename}`.

mech:{acronym} a iscm:ISCM ;
    skos:prefLabel {name} ;
    skos:notation {acronym_literal} ;
    iscm:acronym {acronym_literal} ;
    dcterms:source <{source}> .

# ---- claims: type, status (add founding year and member count where a source states them)

claim:{acronym}-type-1 a iscm:Claim ;
    iscm:claimSubject mech:{acronym} ; iscm:claimProperty rdf:type ; rdf:value iscm:{type} ;
    dcterms:source <{source}> .

claim:{acronym}-status-1 a iscm:Claim ;
    iscm:claimSubject mech:{acronym} ; iscm:claimProperty iscm:status ; rdf:value status:{status} ;
    dcterms:source <{source}> .

# ---- participations: part:{acronym}-<PARTICIPANT>-<role>, each with its dcterms:source

# ---- web pages cited

<{source}> a iscm:SourceDocument ;
    dcterms:title {title} ;
    iscm:readOn "{read_on}"^^xsd:date ;
    iscm:readInFull {read_in_full} .
"""


def _literal(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


SOURCE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def skeleton(args: argparse.Namespace, filename: str) -> str:
    if not ACRONYM.match(args.acronym):
        raise IscmError(f"ACRONYM '{args.acronym}': expected letters, digits and hyphens, such as RCM or ASIA-EU-LM")
    if not SOURCE.match(args.source):
        raise IscmError(f"--source '{args.source}': expected the http(s) address of the page read")
    if not DATE.match(args.read_on):
        raise IscmError(f"--read-on '{args.read_on}': expected a date YYYY-MM-DD")
    return TEMPLATE.format(
        acronym=args.acronym, acronym_literal=_literal(args.acronym, None), name=_literal(args.name),
        source=args.source, type=args.type, status=args.status, title=_literal(args.title),
        read_on=args.read_on, read_in_full="true" if args.read_in_full else "false", filename=filename)


def body(args: argparse.Namespace) -> int:
    if args.kind != "mechanism":
        raise IscmError(f"'{args.kind}': only 'mechanism' skeletons can be written")
    path = Path(args.output or f"{args.acronym}.ttl")
    if os.path.lexists(path):  # a dangling symlink counts: it is not replaced either
        raise IscmError(f"{path}: exists; give another --output (a skeleton never replaces a file)")
    write_output(path, skeleton(args, path.name))
    print(path)
    return 0


def main(argv: Sequence[str]) -> int:
    from iscm_kg.cli import common

    p = common.parser("new", "Write the skeleton of a mechanism file, with the name, type, status and source you "
                             "give, that validates with the shipped data. Exit 0 written, 2 bad input.")
    p.add_argument("kind", choices=("mechanism",), help="what to write (mechanism)")
    p.add_argument("acronym", metavar="ACRONYM", help="the mechanism's acronym, its IRI's last part (mech:ACRONYM)")
    p.add_argument("--name", required=True, help="the mechanism's English name (skos:prefLabel)")
    p.add_argument("--type", required=True, choices=TYPES, help="the type the source gives")
    p.add_argument("--status", required=True, choices=STATUSES, help="the status the source gives")
    p.add_argument("--source", required=True, help="the address of the page that states name, type and status")
    p.add_argument("--title", required=True, help="the page's title")
    p.add_argument("--read-on", required=True, help="the date the page was read, YYYY-MM-DD")
    p.add_argument("--read-in-full", action="store_true", help="the copy read was complete")
    p.add_argument("--output", help="the file to write (default ACRONYM.ttl); never replaced if it exists")
    return common.run("new", body, p, argv)
