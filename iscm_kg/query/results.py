"""Query results and their formats: CSV, TSV and JSON for programs; aligned tables and Markdown for people.

CSV, TSV and JSON keep every IRI column and add, right beside it, a NAME_label column with the entity's label
from the graph, so that a spreadsheet or a data frame reads names without a join and still has the IRI as key.
The table fits the terminal (or --width) by wrapping cells: every column stays, nothing is cut.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Callable, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from iscm_kg.engines import ResultTable

__all__ = ["FORMATS", "ResultTable", "render", "to_csv", "to_json", "to_markdown", "to_table", "to_tsv",
           "with_labels"]

FORMATS = ("table", "csv", "tsv", "json", "md")
LABEL_SUFFIX = "_label"


def with_labels(table: ResultTable, label: Callable[[URIRef], str]) -> ResultTable:
    """The table with a VAR_label column after each column that holds an IRI in any row."""
    iri_columns = {i for row in table.rows for i, t in enumerate(row) if isinstance(t, URIRef)}
    if not iri_columns:
        return table
    variables: list[str] = []
    for i, var in enumerate(table.variables):
        variables.append(var)
        if i in iri_columns:
            variables.append(var + LABEL_SUFFIX)
    rows: list[tuple[Node | None, ...]] = []
    for row in table.rows:
        cells: list[Node | None] = []
        for i, term in enumerate(row):
            cells.append(term)
            if i in iri_columns:
                cells.append(Literal(label(term)) if isinstance(term, URIRef) else None)
        rows.append(tuple(cells))
    return ResultTable(variables, rows)


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


GAP = 2
MIN_COLUMN = 8


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def _fit(natural: list[int], floors: list[int], width: int) -> list[int]:
    """Column widths within width: narrow the widest column one step at a time, never below its floor (the
    header or MIN_COLUMN), so every column stays; if even the floors do not fit, the lines run longer."""
    widths = list(natural)
    available = width - GAP * (len(widths) - 1)
    while sum(widths) > available:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width and text.isprintable() and not text.startswith(" ") and "  " not in text:
        # A cell that fits, with single spaces only: what textwrap gives, without its cost (0.15 s of 0.34 s
        # for the participations table).
        return [text.rstrip()]
    lines = textwrap.wrap(text.replace("\n", " "), width, break_long_words=True, break_on_hyphens=True)
    return lines or [""]


def to_table(table: ResultTable, label: Callable[[URIRef], str], width: int | None = None,
             limit: int | None = None) -> str:
    """Aligned columns for people, IRIs shown as labels, cells wrapped to fit width (default: the terminal).
    With limit, only the first rows of what the whole table prints (same widths), a '…' line and the count."""
    cells = [[_readable(t, label).replace("\n", " ") for t in row] for row in table.rows]
    natural = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(table.variables)]
    floors = [min(n, max(len(v), MIN_COLUMN)) for n, v in zip(natural, table.variables, strict=True)]
    widths = _fit(natural, floors, width or terminal_width())

    def lines(values: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join((w[k] if k < len(w) else "").ljust(n) for w, n in zip(wrapped, widths, strict=True)).rstrip()
            for k in range(height)
        ]

    out = lines(table.variables) + ["  ".join("-" * w for w in widths)]
    for row in cells[:limit]:
        out += lines(row)
    if limit is not None and len(cells) > limit:
        out.append("…")
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def to_markdown(table: ResultTable, label: Callable[[URIRef], str]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(table.variables) + " |", "|" + "---|" * len(table.variables)]
    out += ["| " + " | ".join(esc(_readable(t, label)) for t in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


def render(table: ResultTable, fmt: str, label: Callable[[URIRef], str], width: int | None = None) -> str:
    """The table in one of FORMATS; csv, tsv and json carry a label column beside each IRI column."""
    if fmt == "csv":
        return to_csv(with_labels(table, label))
    if fmt == "tsv":
        return to_tsv(with_labels(table, label))
    if fmt == "json":
        return to_json(with_labels(table, label))
    if fmt == "md":
        return to_markdown(table, label)
    return to_table(table, label, width)
