"""Loading into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol: one PUT replaces the graph."""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph

from iscm_kg import export, remote
from iscm_kg.errors import IscmError

TIMEOUT_SECONDS = 120
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
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise IscmError(f"the store refused the credentials ({exc.code}) at {url}; "
                                "set ISCM_KG_USER and ISCM_KG_PASSWORD") from None
            if exc.code < 500 or attempt == ATTEMPTS:
                raise IscmError(f"the store answered {exc.code} {exc.reason} to {method} {url}") from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt == ATTEMPTS:
                reason = getattr(exc, "reason", exc)
                raise IscmError(f"cannot reach the store at {url}: {reason}") from None
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def load(graph: Graph, store: str, graph_iri: str | None) -> int:
    """Replace the store's graph with this graph by one PUT, then count what the store holds; returns the count.

    A PUT is applied by the store as one transaction, so the graph holds either the old or the new version.
    """
    payload = export.serialise(graph, "nt").encode("utf-8")
    url = _graph_url(store, graph_iri)
    _request("PUT", url, payload, "application/n-triples")
    stored = Graph()
    stored.parse(data=_request("GET", url).decode("utf-8"), format="nt")
    if len(stored) != len(graph):
        raise IscmError(f"the store holds {len(stored)} triples in the graph after the load, {len(graph)} were sent")
    return len(stored)
