"""Query parameters bound as RDF terms: a VALUES block built from N-Triples forms, never text pasted in."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from rdflib.term import Node

from iscm_kg.errors import IscmError

OUTER_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(text: str, bindings: Mapping[str, Node | Sequence[Node]]) -> str:
    """Bind parameters by a VALUES block at the top of the outermost WHERE group.

    The block is built from each term's N-Triples form, which rdflib escapes, so a value can never change
    the query's structure; this works the same on the embedded engines and on any SPARQL 1.1 endpoint.
    A parameter given several terms gives one row per term (rows of several such parameters combine).
    """
    if not bindings:
        return text
    match = OUTER_WHERE.search(text)
    if match is None:
        raise IscmError("a query with parameters needs a 'WHERE {' clause")
    names = " ".join(f"?{name}" for name in bindings)
    columns = [[value] if isinstance(value, Node) else list(value) for value in bindings.values()]
    rows = " ".join("(" + " ".join(term.n3() for term in row) + ")" for row in itertools.product(*columns))
    block = f"\n  VALUES ({names}) {{ {rows} }}\n"
    return text[: match.end()] + block + text[match.end():]
