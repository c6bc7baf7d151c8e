"""The framed JSON-LD view: each mechanism with its participations, claims and sources nested inside it.

The frame is ontology/frame.jsonld, read with the hand-written context beside it. PyLD does the framing
(rdflib has none). Two choices matter:

- Every nested node is framed with ``"@embed": "@always"``. By the JSON-LD 1.1 default (``@once``) a node is
  embedded in full only the first time it is met, and later mentions shrink to ``{"id": ...}``: the second
  participation of IOM in one mechanism would lose IOM's name. PyLD 3.3 happens to hide this for nodes reached
  through ``@reverse`` (it frames each of them as if at the top level, so its record of embedded nodes starts
  afresh), but ``@always`` says what the view needs without leaning on that.
- The view frames the asserted graph plus the values each mechanism adopts from its claims (its type RCP, IRF
  or GlobalProcess, status, founding year, ...), not the whole inferred graph, so that the types read
  ``["ISCM", "RCP"]`` rather than every superclass of the class closure.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF

from iscm_kg import graph as kg_graph
from iscm_kg import resources
from iscm_kg.errors import IscmError
from iscm_kg.namespaces import ISCM, new_graph
from iscm_kg.publish.context import context

FRAME_FILE = "frame.jsonld"

# omitDefault: a property a node lacks is left out, instead of written as null (the framing default).
OPTIONS: dict[str, Any] = {"omitDefault": True, "omitGraph": False, "pruneBlankNodeIdentifiers": True}


def frame() -> dict[str, Any]:
    """The shipped frame, its reference to context.jsonld replaced by that context itself (read from the
    package, so that framing never goes to the network for it)."""
    doc: dict[str, Any] = json.loads((resources.resource_root() / "ontology" / FRAME_FILE).read_text("utf-8"))
    if doc.get("@context") != "context.jsonld":
        raise IscmError(f"{FRAME_FILE} must refer to its context as \"context.jsonld\"")
    doc["@context"] = context()["@context"]
    return doc


def adopted_values(graph: Graph) -> Graph:
    """The (mechanism, property, value) triples that the derivation rules adopt from claims, and no others."""
    closure = Graph(bind_namespaces="none")
    closure += graph
    kg_graph.derive(closure)
    adopted = new_graph()
    for claim in closure.subjects(RDF.type, ISCM.Claim):
        subject = closure.value(claim, ISCM.claimSubject)
        prop = closure.value(claim, ISCM.claimProperty)
        value = closure.value(claim, RDF.value)
        if subject is not None and prop is not None and value is not None and (subject, prop, value) in closure:
            adopted.add((subject, prop, value))
    return adopted


def view_graph(graph: Graph) -> Graph:
    """What the frame is applied to: the graph and the values adopted from claims."""
    view = new_graph()
    view += graph
    view += adopted_values(graph)
    return view


def framed(graph: Graph) -> dict[str, Any]:
    """The framed document, with every array in a stable order."""
    try:
        from pyld import jsonld  # the 'jsonld' extra: only this view needs it
    except ImportError:
        raise IscmError("the framed JSON-LD view needs PyLD: pip install 'iscm-kg[jsonld]'") from None
    # rdflib writes expanded JSON-LD when given no context; PyLD's own from_rdf took 48 s on this graph.
    expanded = json.loads(view_graph(graph).serialize(format="json-ld"))
    doc: dict[str, Any] = _stable(jsonld.frame(expanded, frame(), dict(OPTIONS)))
    return doc


def _sort_key(item: Any) -> tuple[str, str]:
    node_id = item.get("id", item.get("@id", "")) if isinstance(item, dict) else ""
    return (str(node_id), json.dumps(item, sort_keys=True, ensure_ascii=False))


def _stable(value: Any) -> Any:
    """Sort every array, nodes by id: JSON-LD arrays are unordered sets except under @list, which this view
    does not use, so the order PyLD gives them (the graph's iteration order) carries no meaning."""
    if isinstance(value, dict):
        return {key: (val if key in ("@list", "@context") else _stable(val)) for key, val in value.items()}
    if isinstance(value, list):
        return sorted((_stable(item) for item in value), key=_sort_key)
    return value


def serialise(graph: Graph) -> str:
    """The framed view as text: sorted keys, sorted arrays, the same bytes for the same graph."""
    return json.dumps(framed(graph), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def mechanism_nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-level nodes of a framed document (one per mechanism)."""
    nodes = doc.get("@graph", [])
    return [node for node in nodes if isinstance(node, dict)]

