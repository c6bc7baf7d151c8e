"""Query results and their formats: SPARQL 1.1 CSV, TSV and JSON for programs; aligned tables and Markdown
for people, with IRIs shown as labels."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from iscm_kg.engines import ResultTable

__all__ = ["FORMATS", "ResultTable", "render", "to_csv", "to_json", "to_markdown", "to_table", "to_tsv"]

FORMATS = ("table", "csv", "tsv", "json", "md")


def _csv_value(term: Node | None) -> str:
    return "" if term is None else str(term)


def to_csv(table: ResultTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    return term.n3().replace("\t", "\\t").replace("\n", "\\n")


def to_tsv(table: ResultTable) -> str:
    lines = ["\t".join(f"?{v}" for v in table.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in table.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_json(table: ResultTable) -> str:
    bindings = [
        {var: _json_term(t) for var, t in zip(table.variables, row, strict=True) if t is not None}
        for row in table.rows
    ]
    doc = {"head": {"vars": table.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _readable(term: Node | None, label: Callable[[URIRef], str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return label(term)
    return str(term)


MAX_CELL = 60


def _clip(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def to_table(table: ResultTable, label: Callable[[URIRef], str]) -> str:
    cells = [[_clip(_readable(t, label)) for t in row] for row in table.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(table.variables)]
    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
    out = [line(table.variables), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def to_markdown(table: ResultTable, label: Callable[[URIRef], str]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(table.variables) + " |", "|" + "---|" * len(table.variables)]
    out += ["| " + " | ".join(esc(_readable(t, label)) for t in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


def render(table: ResultTable, fmt: str, label: Callable[[URIRef], str]) -> str:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "tsv":
        return to_tsv(table)
    if fmt == "json":
        return to_json(table)
    if fmt == "md":
        return to_markdown(table, label)
    return to_table(table, label)
