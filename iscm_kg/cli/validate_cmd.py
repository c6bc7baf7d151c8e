"""iscm-kg validate: check the shipped data, or a curator's files with the shipped ontology, against the shapes."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from iscm_kg import engines, validate
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import compact
from iscm_kg.validate import Finding, ValidationReport


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    return compact(node) if isinstance(node, URIRef) else node.n3()


def as_text(kg: KnowledgeGraph, report: ValidationReport) -> str:
    groups: dict[tuple[str, Node], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        where = f"{finding.file}:{finding.line}" if finding.file and finding.line else str(finding.file or "(derived)")
        groups[(where, finding.focus)].append(finding)
    lines = []
    for (file, focus), findings in groups.items():
        lines.append(f"{file}: {_short(focus)}")
        for f in findings:
            where = f" [{_short(f.path)}]" if f.path is not None else ""
            found = f" (found {_short(f.value)})" if f.value is not None and f.value != f.focus else ""
            lines.append(f"  {f.severity}{where}: {f.message}{found}")
    summary = (f"{report.count('Violation')} violation(s), {report.count('Warning')} warning(s), "
               f"{report.count('Info')} info: {_verdict(report)}")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _verdict(report: ValidationReport) -> str:
    if report.shacl_conforms:
        return "conforms"
    if report.conforms:
        return ("passes (the SHACL report says sh:conforms false, as there are results; only violations fail, "
                "warnings too with --fail-on-warning)")
    why = "violations" if report.count("Violation") else "warnings, with --fail-on-warning"
    return f"does NOT conform ({why})"


def as_json(kg: KnowledgeGraph, report: ValidationReport) -> str:
    doc = {
        "conforms": report.shacl_conforms,
        "passes": report.conforms,
        "failOnWarning": report.fail_on_warning,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "results": [
            {
                "severity": f.severity,
                "focusNode": str(f.focus),
                "file": str(f.file) if f.file else None,
                "line": f.line,
                "path": str(f.path) if f.path is not None else None,
                "value": str(f.value) if f.value is not None else None,
                "message": f.message,
                "sourceShape": str(f.shape),
                "sourceConstraintComponent": str(f.component),
            }
            for f in report.findings
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def body(args: argparse.Namespace) -> int:
    kg, report = validate.validate_files(
        [Path(f) for f in args.files], fail_on_warning=args.fail_on_warning, engine=args.engine, alone=args.alone
    )
    if args.format == "turtle":
        sys.stdout.write(report.report_graph.serialize(format="turtle"))
    elif args.format == "json":
        sys.stdout.write(as_json(kg, report))
    else:
        sys.stdout.write(as_text(kg, report))
    return 0 if report.conforms else 1


def main(argv: Sequence[str]) -> int:
    from iscm_kg.cli import common

    p = common.parser("validate", "Validate the shipped data, with FILEs in it (each replaces the shipped file of "
                                  "its name, or is added), against the SHACL shapes. Exit 0 conforms, "
                                  "1 violations, 2 unreadable input.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="Turtle files to validate with the shipped data (a file named like a shipped one replaces it)")
    p.add_argument("--alone", action="store_true",
                   help="validate the FILEs with the shipped ontology only, without the shipped data")
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text",
                   help="text (grouped by entity and file), turtle (the SHACL report), json")
    p.add_argument("--fail-on-warning", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--engine", choices=engines.ENGINES, default="auto",
                   help="auto or oxigraph (the shapes as pyoxigraph queries, fast), rdflib (rdflib and pySHACL, "
                        "the reference)")
    return common.run("validate", body, p, argv)
