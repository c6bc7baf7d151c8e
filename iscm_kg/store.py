"""Loading into a triple store: one Graph Store Protocol PUT, or SPARQL 1.1 Update batches into a temporary
graph moved over the target in one request. Either way a store holds the old version or the new one."""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.message import Message
from typing import TypeVar

from rdflib import BNode, Graph, URIRef

from iscm_kg import remote
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph

TIMEOUT_SECONDS = 120
T = TypeVar("T")
ATTEMPTS = 3


def _graph_url(store: str, graph_iri: str | None) -> str:
    if graph_iri is None:
        return f"{store}?default"
    return f"{store}?{urllib.parse.urlencode({'graph': graph_iri})}"


def _request(method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    request.add_header("Accept", "application/n-triples")
    auth = remote.credentials()
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")

    def send() -> bytes:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read()
            return data

    return _with_retries(send, url, f"{method} {url}")


def _with_retries(send: Callable[[], T], url: str, what: str) -> T:
    """One retry policy for every request to a store: refused credentials and other 4xx fail at once;
    connection errors and 5xx are retried (ATTEMPTS in all), which is safe because every request this module
    sends is idempotent (PUT, GET, DROP, INSERT DATA, MOVE of a whole graph)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return send()
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise IscmError(f"the store refused the credentials ({exc.code}) at {url}; "
                                "set ISCM_KG_USER and ISCM_KG_PASSWORD") from None
            if exc.code < 500 or attempt == ATTEMPTS:
                raise IscmError(f"the store answered {exc.code} {exc.reason} to {what}") from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt == ATTEMPTS:
                raise IscmError(f"cannot reach the store at {url}: {getattr(exc, 'reason', exc)}") from None
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


def graph_term(graph_iri: str) -> URIRef:
    """The graph IRI as an RDF term, checked: it is written into requests by its N-Triples form only."""
    term = URIRef(graph_iri)
    if ":" not in graph_iri or any(c in graph_iri for c in ' <>"{}|\\^`'):
        raise IscmError(f"--graph expects an absolute IRI such as https://example.org/graph, got '{graph_iri}'")
    return term


def load(graph: Graph, store: str, graph_iri: str | None, progress: Progress = _silent) -> int:
    """Replace the store's graph with this graph by one PUT, then count what the store holds; returns the count.

    A PUT is applied by the store as one transaction, so the graph holds either the old or the new version.
    """
    return put_ntriples(graph.serialize(format="nt", encoding="utf-8"), len(graph), store, graph_iri, progress)


def load_knowledge_graph(kg: KnowledgeGraph, store: str, graph_iri: str | None, progress: Progress = _silent) -> int:
    """As load, serialised by the engine that holds the graph (Oxigraph writes N-Triples some 20 times faster)."""
    if not kg.has_store:
        return load(kg.graph, store, graph_iri, progress)
    import pyoxigraph as ox

    payload = kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    return put_ntriples(payload, len(kg), store, graph_iri, progress)


def put_ntriples(payload: bytes, expected: int, store: str, graph_iri: str | None,
                 progress: Progress = _silent) -> int:
    """PUT an N-Triples payload of `expected` triples as the graph, then read the graph back and count it."""
    if graph_iri is not None:
        graph_term(graph_iri)
    url = _graph_url(store, graph_iri)
    progress(f"sending {expected} triples ({len(payload) / 1e6:.1f} MB) in one PUT to {url}")
    _request("PUT", url, payload, "application/n-triples")
    # N-Triples holds one triple a line, and a graph has no duplicates: counting lines counts triples.
    stored = sum(1 for line in _request("GET", url).splitlines() if line.strip() and not line.startswith(b"#"))
    if stored != expected:
        raise IscmError(f"the store holds {stored} triples in the graph after the load, {expected} were sent")
    return stored


# SPARQL 1.1 Update, for stores without the Graph Store Protocol.

BATCH_TRIPLES = 5000


def batches(graph: Graph, size: int = BATCH_TRIPLES) -> list[list[str]]:
    """The graph as batches of N-Triples lines. A blank node label is scoped to one update request, so every
    triple that mentions a blank node goes into one last batch: each blank node stays one node."""
    ground: list[str] = []
    blank: list[str] = []
    for s, p, o in graph:
        line = f"{s.n3()} {p.n3()} {o.n3()} ."
        (blank if isinstance(s, BNode) or isinstance(o, BNode) else ground).append(line)
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
    graph: Graph,
    update_url: str,
    graph_iri: str | None,
    query_url: str | None = None,
    progress: Progress = _silent,
    batch_size: int = BATCH_TRIPLES,
) -> int:
    """Load in batches into a temporary graph, then MOVE it over the target in one update request (which the
    store applies as one transaction), then count. A failed or interrupted load leaves the target as it was;
    the next load drops the leftover temporary graph first."""
    from iscm_kg.namespaces import DATASET_GRAPH

    target = graph_term(graph_iri).n3() if graph_iri is not None else "DEFAULT"
    temporary = URIRef(f"{graph_iri or DATASET_GRAPH}#loading").n3()
    parts = batches(graph, batch_size)
    _update(update_url, f"DROP SILENT GRAPH {temporary}")
    sent = 0
    for number, batch in enumerate(parts, start=1):
        _update(update_url, f"INSERT DATA {{ GRAPH {temporary} {{\n" + "\n".join(batch) + "\n} }")
        sent += len(batch)
        progress(f"batch {number}/{len(parts)}: {sent} of {len(graph)} triples in the temporary graph")
    _update(update_url, f"MOVE SILENT GRAPH {temporary} TO {'GRAPH ' + target if graph_iri else target}")
    count = count_triples(query_url or query_endpoint_for(update_url), graph_iri)
    if count != len(graph):
        raise IscmError(f"the store holds {count} triples in the graph after the load, {len(graph)} were sent")
    return count


def count_triples(query_url: str, graph_iri: str | None) -> int:
    from iscm_kg.query import bind_values

    if graph_iri is None:
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    else:
        text = bind_values("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph_term(graph_iri)})
    table = remote.select(query_url, text)
    return int(str(table.rows[0][0])) if table.rows else 0


def _update(endpoint: str, text: str) -> None:
    """Send one SPARQL Update request through SPARQLWrapper, under the module's retry policy."""
    from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException, Unauthorized

    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    client.setTimeout(TIMEOUT_SECONDS)
    auth = remote.credentials()
    if auth:
        client.setCredentials(*auth)
    client.setQuery(text)

    def send() -> None:
        # SPARQLWrapper turns some HTTP statuses into its own exceptions: back to HTTP terms for the policy.
        try:
            client.query()
        except Unauthorized:
            raise urllib.error.HTTPError(endpoint, 401, "Unauthorized", Message(), None) from None
        except EndPointInternalError as exc:
            raise urllib.error.HTTPError(endpoint, 500, _first_line(exc), Message(), None) from None
        except SPARQLWrapperException as exc:
            raise IscmError(f"the store refused an update at {endpoint}: {_first_line(exc)}") from None

    _with_retries(send, endpoint, f"an update at {endpoint}")


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
