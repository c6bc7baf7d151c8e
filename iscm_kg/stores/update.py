"""Loading by SPARQL 1.1 Update, for stores without the Graph Store Protocol: batches into a temporary graph,
then one MOVE over the target.

Blank nodes are skolemised (SPARQL 1.1 / RDF 1.1 section 3.5) to IRIs under GENID before they are sent: a
blank node label is scoped to one request, and some stores refuse blank nodes in INSERT DATA altogether
(Virtuoso: SP031), so with IRIs every batch can be of any size and every store accepts it."""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from rdflib import URIRef

from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import DATASET_GRAPH
from iscm_kg.stores import sparql
from iscm_kg.stores.graph_store import graph_term
from iscm_kg.stores.http import Progress, StoreError, StoreTimeout, silent
from iscm_kg.stores.sparql import count_triples

BATCH_TRIPLES = 5000
BATCH_FLOOR = 100
GENID = "https://w3id.org/iscm-kg/.well-known/genid/"
# What a store says when one request is too large for its SPARQL parser (Virtuoso: SP030 memory exhausted, SP031
# on some overflows); the batch is then halved, down to BATCH_FLOOR.
_PARSER_LIMIT = re.compile(r"SP030|SP031|memory exhausted|too large|too many", re.IGNORECASE)
# After an interrupted load whose request in flight was abandoned, how long the temporary graph is watched for
# that request's triples (the store applies it whatever the client does), and how many drops are tried in all.
SETTLE_SECONDS = 2.0
DROP_ATTEMPTS = 8
_SUBJECT_BLANK = re.compile(rb"^_:([A-Za-z0-9_\-.]+)")
_OBJECT_BLANK = re.compile(rb"(\s)_:([A-Za-z0-9_\-.]*[A-Za-z0-9_\-])(\s*\.\s*)$")


class Abandoned(KeyboardInterrupt):
    """A second SIGINT or SIGTERM: the load stops without waiting for the answer to the request in flight."""


def skolemise(ntriples: bytes) -> bytes:
    """Every blank node as the IRI GENID + its label (labels are unique within one dump, so nodes stay distinct
    and the same node stays one IRI). In N-Triples a blank node is the subject at the line start, or the object
    right before the final dot (a literal ends with a quote, tag or datatype IRI there): literals are untouched."""
    prefix = b"<" + GENID.encode()
    out = []
    for line in ntriples.splitlines():
        line = _SUBJECT_BLANK.sub(lambda m: prefix + m.group(1) + b">", line, count=1)
        line = _OBJECT_BLANK.sub(lambda m: m.group(1) + prefix + m.group(2) + b">" + m.group(3), line, count=1)
        out.append(line)
    return b"\n".join(out) + b"\n"


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
    store applies as one transaction), then count. A failed or interrupted load (KeyboardInterrupt; the CLI
    turns SIGTERM into one) drops the temporary graph before it ends, and leaves the target as it was."""
    target = graph_term(graph_iri).n3() if graph_iri is not None else "DEFAULT"
    temporary_iri = f"{graph_iri or DATASET_GRAPH}#loading"
    temporary = URIRef(temporary_iri).n3()
    counter = query_url or query_endpoint_for(update_url)
    lines = [line.decode("utf-8") for line in skolemise(kg.engine.dump_ntriples()).splitlines()
             if line.strip() and not line.startswith(b"#")]
    total = len(kg)
    left = _clear(update_url, temporary_iri, counter)  # a leftover of an earlier load, if any
    if left:
        raise IscmError(f"the store still holds {left} triples in the temporary graph {temporary} after "
                        "dropping it: remove them before loading")
    try:
        _send_batches(update_url, temporary, lines, batch_size, progress)
        _answered(update_url, f"MOVE SILENT GRAPH {temporary} TO {'GRAPH ' + target if graph_iri else target}",
                  progress)
    except BaseException as exc:
        _drop_quietly(update_url, temporary_iri, counter, progress,
                      abandoned=isinstance(exc, (Abandoned, StoreTimeout)))
        raise
    count = count_triples(counter, graph_iri)
    if count != total:
        raise IscmError(f"the store holds {count} triples in the graph after the load, {total} were sent")
    return count


def _send_batches(update_url: str, temporary: str, lines: list[str], size: int, progress: Progress) -> None:
    sent, number = 0, 0
    while sent < len(lines):
        batch = lines[sent:sent + size]
        try:
            _answered(update_url, f"INSERT DATA {{ GRAPH {temporary} {{\n" + "\n".join(batch) + "\n} }", progress)
        except StoreError as exc:
            if not _PARSER_LIMIT.search(exc.detail) or size <= BATCH_FLOOR:
                raise
            size = max(BATCH_FLOOR, size // 2)
            progress(f"the store cannot take {len(batch)} triples in one request ({exc.detail}): "
                     f"batches of {size} from now on")
            continue
        sent += len(batch)
        number += 1
        expected = number + -(-(len(lines) - sent) // size)
        progress(f"batch {number}/{expected}: {sent} of {len(lines)} triples in the temporary graph")


def _clear(update_url: str, temporary_iri: str, query_url: str) -> int:
    """DROP the temporary graph; if the store still counts triples in it, delete them by pattern. Returns what
    is left. Oxigraph (0.5) can hold quads in a graph it no longer lists as a named graph, when a DROP ran
    concurrently with an INSERT into it: DROP SILENT then does nothing ("the graph does not exist" without
    SILENT) while a COUNT still finds the quads; a DELETE WHERE matches the quads themselves."""
    temporary = URIRef(temporary_iri).n3()
    _update(update_url, f"DROP SILENT GRAPH {temporary}")
    left = count_triples(query_url, temporary_iri)
    if left:
        _update(update_url, f"DELETE WHERE {{ GRAPH {temporary} {{ ?s ?p ?o }} }}")
        left = count_triples(query_url, temporary_iri)
    return left


def _drop_quietly(update_url: str, temporary_iri: str, query_url: str, progress: Progress,
                  abandoned: bool = False) -> None:
    """Drop the temporary graph after a failure, and check that it is gone. The request in flight when the client
    was interrupted has been answered by now (see _answered), unless a second signal cut the wait short or the
    request timed out (`abandoned`): the store may then still apply it after the drop, so the graph is watched
    for SETTLE_SECONDS and dropped again whenever triples reappear. If the store is gone, say so: the next load
    drops the leftover first."""
    temporary = URIRef(temporary_iri).n3()
    watch_until = time.monotonic() + (SETTLE_SECONDS if abandoned else 0.0)
    try:
        for attempt in range(DROP_ATTEMPTS):
            if _clear(update_url, temporary_iri, query_url) == 0 and time.monotonic() >= watch_until:
                progress(f"dropped the temporary graph {temporary}")
                return
            time.sleep(0.2 * (attempt + 1))
    except (IscmError, OSError):
        pass
    progress(f"could not drop the temporary graph {temporary}: the next load drops it first")


def _update(endpoint: str, text: str) -> None:
    sparql.update(endpoint, text)


def _answered(endpoint: str, text: str, progress: Progress) -> None:
    """Send one update and wait for its answer even if SIGINT or SIGTERM arrives meanwhile, then stop the load.

    Abandoning a request does not withdraw it: the store has it and applies it, whatever the client does next. If
    the temporary graph were dropped at once, the DROP would run beside the abandoned INSERT, and on Oxigraph the
    INSERT's quads then survive in a graph the store no longer lists, where no DROP reaches them (see _clear). So
    the drop comes only after the answer. A second signal stops the wait (the request timeout bounds it anyway)."""
    with _signals_held(progress) as held:
        _update(endpoint, text)
    if held:
        raise KeyboardInterrupt


@contextmanager
def _signals_held(progress: Progress) -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM for the duration: the first is recorded in the yielded list, a second raises
    Abandoned at once. Only the main thread receives signals; elsewhere nothing is held."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def hold(signum: int, _frame: FrameType | None) -> None:
        if held:
            raise Abandoned
        held.append(signum)
        progress("interrupted: waiting for the store's answer to the request in flight before dropping the "
                 "temporary graph (interrupt again to stop waiting)")

    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    for signum in previous:
        signal.signal(signum, hold)
    try:
        yield held
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
