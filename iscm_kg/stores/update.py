"""Loading by SPARQL 1.1 Update, for stores without the Graph Store Protocol: batches into a temporary graph,
then one MOVE over the target."""

from __future__ import annotations

import re

from rdflib import URIRef

from iscm_kg.binding import bind_values
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import DATASET_GRAPH
from iscm_kg.stores import sparql
from iscm_kg.stores.graph_store import graph_term
from iscm_kg.stores.http import Progress, silent

BATCH_TRIPLES = 5000
# A blank node as the subject (line start) or the object (a _:label right before the final dot; a literal object
# ends with a quote, a language tag or a datatype IRI there, never with a bare label).
_BLANK = re.compile(rb"^_:|\s_:[A-Za-z0-9_.\-]+\s*\.\s*$")


def batches(ntriples: bytes, size: int = BATCH_TRIPLES) -> list[list[str]]:
    """N-Triples lines in batches. A blank node label is scoped to one update request, so every triple that
    mentions a blank node goes into one last batch: each blank node stays one node."""
    ground: list[str] = []
    blank: list[str] = []
    for line in ntriples.splitlines():
        if not line.strip() or line.startswith(b"#"):
            continue
        (blank if _BLANK.search(line) else ground).append(line.decode("utf-8"))
    ground.sort()
    out = [ground[i:i + size] for i in range(0, len(ground), size)]
    if blank:
        out.append(sorted(blank))
    return out


def query_endpoint_for(update_url: str) -> str:
    """Where to count after an update load: Oxigraph and Fuseki answer queries at .../query beside .../update;
    Virtuoso answers both at one address."""
    if update_url.rstrip("/").endswith("/update"):
        return update_url.rstrip("/")[: -len("update")] + "query"
    return update_url


def load_by_update(
    kg: KnowledgeGraph,
    update_url: str,
    graph_iri: str | None,
    query_url: str | None = None,
    progress: Progress = silent,
    batch_size: int = BATCH_TRIPLES,
) -> int:
    """Load in batches into a temporary graph, then MOVE it over the target in one update request (which the
    store applies as one transaction), then count. A failed or interrupted load leaves the target as it was;
    the next load drops the leftover temporary graph first."""
    target = graph_term(graph_iri).n3() if graph_iri is not None else "DEFAULT"
    temporary = URIRef(f"{graph_iri or DATASET_GRAPH}#loading").n3()
    parts = batches(kg.engine.dump_ntriples(), batch_size)
    total = len(kg)
    _update(update_url, f"DROP SILENT GRAPH {temporary}")
    sent = 0
    for number, batch in enumerate(parts, start=1):
        _update(update_url, f"INSERT DATA {{ GRAPH {temporary} {{\n" + "\n".join(batch) + "\n} }")
        sent += len(batch)
        progress(f"batch {number}/{len(parts)}: {sent} of {total} triples in the temporary graph")
    _update(update_url, f"MOVE SILENT GRAPH {temporary} TO {'GRAPH ' + target if graph_iri else target}")
    count = count_triples(query_url or query_endpoint_for(update_url), graph_iri)
    if count != total:
        raise IscmError(f"the store holds {count} triples in the graph after the load, {total} were sent")
    return count


def count_triples(query_url: str, graph_iri: str | None) -> int:
    if graph_iri is None:
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    else:
        text = bind_values("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph_term(graph_iri)})
    table = sparql.select(query_url, text)
    return int(str(table.rows[0][0])) if table.rows else 0


def _update(endpoint: str, text: str) -> None:
    sparql.update(endpoint, text)
