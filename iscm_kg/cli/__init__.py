"""The iscm-kg command: dispatches each verb to its own module's main(argv) -> int.

Exit codes everywhere: 0 success (validate: conforms), 1 validation found violations, 2 usage or runtime error.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from iscm_kg import __version__

VERBS = {
    "queries": "list the canned queries (name, title, parameters)",
    "query": "run a canned query on the embedded graph or a SPARQL endpoint",
    "search": "find entities by name, acronym or code: their type, code, label and IRI",
    "sparql": "run one's own SELECT query (a file, or - for stdin) on the embedded graph or an endpoint",
    "validate": "validate the shipped data, with given files in it, against the SHACL shapes",
    "new": "write the skeleton of a mechanism file that validates (iscm-kg new mechanism ACRONYM ...)",
    "export": "write the graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads",
    "load": "replace a named graph in a triple store with the current data",
    "serve": "start a local SPARQL endpoint over the data (Oxigraph)",
    "info": "version, triple counts, counts per class, where resources were read from",
    "docs": "regenerate docs/queries.md from the canned queries and their real results",
    "build": "build the release folder: every format, framed view, VoID, docs, checksums",
    "tables": "write the analyst tables: a CSV per table, a Frictionless datapackage.json and one XLSX workbook",
    "site": "build the static website: a page per mechanism, State, organisation, ...; map, search, overlaps",
}

USAGE = "usage: iscm-kg [-V | --version] VERB [options]   (iscm-kg VERB --help for a verb's options)"


def _help() -> str:
    lines = [USAGE, "", "The ISCM knowledge graph toolkit.", "", "verbs:"]
    lines += [f"  {verb:<10} {text}" for verb, text in VERBS.items()]
    lines += ["", "exit codes: 0 success or conforms, 1 violations found, 2 usage or runtime error"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        sys.stderr.write(_help())  # a usage error: the help goes where errors go, exit 2
        return 2
    if args[0] in ("-h", "--help", "help"):
        sys.stdout.write(_help())
        return 0
    if args[0] in ("-V", "--version"):
        print(f"iscm-kg {__version__}")
        return 0
    verb, rest = args[0], args[1:]
    if verb not in VERBS:
        print(f"iscm-kg: error: unknown verb '{verb}'; the verbs are: {', '.join(VERBS)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"iscm_kg.cli.{verb}_cmd")
    code: int = module.main(rest)
    return code


if __name__ == "__main__":
    sys.exit(main())
