"""Against a real Oxigraph server started on a free loopback port: load (Graph Store PUT and SPARQL Update),
count, remote queries, reload, and faults: unreachable, killed mid-load, wrong credentials."""

from __future__ import annotations

import base64
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode

from iscm_kg import query, stores
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import catalogue

from .conftest import cli
from .relay import answer, pass_on


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A real Oxigraph server on a loopback port over an on-disk folder; it can be killed and started again
    on the same folder, as after a crash."""

    def __init__(self, location: Path, union: bool = True) -> None:
        binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
        if binary is None:
            pytest.skip("oxigraph server not installed (pip install 'iscm-kg[server]')")
        self.binary, self.location, self.union = binary, location, union
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        args = [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(args + (["--union-default-graph"] if self.union else []),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(1200):  # recovery after a kill can take a while
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the oxigraph server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def count(self, graph_iri: str) -> int:
        return stores.count_triples(f"{self.base}/query", graph_iri)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = Server(tmp_path_factory.mktemp("oxigraph"))
    yield running.base
    running.stop()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own, for loads that must not disturb the shared one."""
    running = Server(tmp_path / "oxigraph")
    yield running
    running.stop()


@pytest.mark.slow  # every canned query against a real server
def test_load_then_every_query_matches_embedded(server: str, kg: KnowledgeGraph) -> None:
    result = cli("load", "--store", f"{server}/store")
    assert result.returncode == 0, result.stderr
    assert f"loaded {len(kg.graph)} triples" in result.stderr
    for q in catalogue.all_queries():
        params = {p.name: p.example for p in q.parameters}
        remote = query.run(q.name, params, kg.graph, endpoint=f"{server}/query").sorted()
        local = query.run(q.name, params, kg.graph).sorted()
        assert remote.variables == local.variables, q.name
        assert remote.rows == local.rows, q.name


def test_reload_replaces_rather_than_appends(server: str, kg: KnowledgeGraph) -> None:
    first = stores.load(kg, f"{server}/store", "https://example.org/g")
    second = stores.load(kg, f"{server}/store", "https://example.org/g")
    assert first == second == len(kg.graph)


def test_unreachable_endpoint_is_one_line_exit_2() -> None:
    port = free_port()
    result = cli("query", "mechanisms", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr
    result = cli("load", "--store", f"http://127.0.0.1:{port}/store")
    assert result.returncode == 2 and "cannot reach the store" in result.stderr


GRAPH = "https://example.org/iscm"


def test_update_load_in_batches_then_queries_match(own_server: Server, kg: KnowledgeGraph) -> None:
    result = cli("load", "--update", f"{own_server.base}/update", "--batch-size", "4000", "--default-graph",
                 "--progress")
    assert result.returncode == 0, result.stderr
    assert "batch 1/" in result.stderr and f"loaded {len(kg.graph)} triples" in result.stderr
    for name, params in (("iom-secretariat", {}), ("members-of", {"mechanism": "IGC"})):
        remote = query.run(name, params, kg, endpoint=f"{own_server.base}/query").sorted()
        assert remote.rows == query.run(name, params, kg).sorted().rows


def test_update_reload_replaces_and_leaves_no_temporary_graph(own_server: Server, kg: KnowledgeGraph) -> None:
    for _ in range(2):
        result = cli("load", "--update", f"{own_server.base}/update", "--graph", GRAPH)
        assert result.returncode == 0, result.stderr
    assert own_server.count(GRAPH) == len(kg.graph)
    assert own_server.count(GRAPH + "#loading") == 0


def test_update_loads_send_blank_nodes_as_well_known_iris(kg: KnowledgeGraph) -> None:
    from rdflib import Graph

    dump = kg.engine.dump_ntriples()
    assert b"_:" in dump  # the ontology's owl:unionOf lists
    skolem = Graph().parse(data=stores.skolemise(dump).decode(), format="nt")
    original = Graph().parse(data=dump.decode(), format="nt")
    assert len(skolem) == len(original) and not any(isinstance(t, BNode) for triple in skolem for t in triple)
    genids = {t for triple in skolem for t in triple if str(t).startswith(stores.GENID)}
    assert len(genids) == len({t for triple in original for t in triple if isinstance(t, BNode)})
    literal = b'<https://example.org/s> <https://example.org/p> "a _:b ." .\n'
    assert stores.skolemise(literal) == literal


def test_bad_graph_iri_is_refused_before_loading(own_server: Server) -> None:
    result = cli("load", "--store", f"{own_server.base}/store", "--graph", "not an iri")
    assert result.returncode == 2 and "--graph expects an absolute IRI" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def synthetic_ntriples(count: int, version: str) -> bytes:
    """A large payload, so that a kill lands while the server is still taking it in."""
    lines = (f"<https://example.org/s/{i}> <https://example.org/p/{version}> \"{i}\" .\n" for i in range(count))
    return "".join(lines).encode()


@pytest.mark.slow  # kills a real server three times
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_server_killed_during_a_put_keeps_old_or_new_never_a_mix(own_server: Server, fraction: float) -> None:
    old, new = 20_000, 100_000
    old_payload, new_payload = synthetic_ntriples(old, "old"), synthetic_ntriples(new, "new")
    url = f"{own_server.base}/store"
    started = time.perf_counter()
    stores.put_ntriples(new_payload, new, url, "https://example.org/calibration")
    duration = time.perf_counter() - started  # how long a whole PUT of the new version takes here
    assert stores.put_ntriples(old_payload, old, url, GRAPH) == old
    errors: list[Exception] = []

    def load_new() -> None:
        try:
            stores.put_ntriples(new_payload, new, url, GRAPH)
        except IscmError as exc:
            errors.append(exc)

    loader = threading.Thread(target=load_new)
    loader.start()
    time.sleep(duration * fraction)
    own_server.kill()
    loader.join(timeout=60)
    own_server.start()
    assert own_server.count(GRAPH) in (old, new)
    assert errors or own_server.count(GRAPH) == new


@pytest.mark.parametrize("delay", [0.1, 0.5])
def test_server_killed_during_update_batches_keeps_the_old_graph(own_server: Server, kg: KnowledgeGraph,
                                                                 delay: float) -> None:
    old = stores.put_ntriples(synthetic_ntriples(1000, "old"), 1000, f"{own_server.base}/store", GRAPH)
    errors: list[Exception] = []

    def load_new() -> None:
        try:
            stores.load_by_update(kg, f"{own_server.base}/update", GRAPH, batch_size=200)
        except IscmError as exc:
            errors.append(exc)

    loader = threading.Thread(target=load_new)
    loader.start()
    time.sleep(delay)
    own_server.kill()
    loader.join(timeout=60)
    own_server.start()
    assert own_server.count(GRAPH) in (old, len(kg.graph))
    assert errors or own_server.count(GRAPH) == len(kg.graph)


class BasicAuthProxy(http.server.ThreadingHTTPServer):
    """A loopback reverse proxy that demands HTTP Basic credentials in front of the real server, as a
    store behind an authenticating gateway does (Oxigraph itself has no authentication)."""

    def __init__(self, upstream: str, user: str, password: str) -> None:
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def forward(self) -> None:
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="store"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer(self, *pass_on(self, upstream, body))

            # HEAD too, as authenticating gateways do: the client asks for the challenge by a HEAD before a
            # large body. Without it the proxy answered 501, the client sent the body unauthorised and, once the
            # data outgrew the socket buffer, met a broken pipe instead of the 401.
            do_GET = do_POST = do_PUT = do_HEAD = forward

        super().__init__(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def guarded(own_server: Server) -> Iterator[tuple[Server, str]]:
    proxy = BasicAuthProxy(own_server.base, "curator", "right")
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield own_server, proxy.base
    proxy.shutdown()
    proxy.server_close()


@pytest.mark.parametrize("mode", ["--store", "--update"])
def test_wrong_credentials_fail_clearly_and_change_nothing(guarded: tuple[Server, str], kg: KnowledgeGraph,
                                                           monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    server, proxy = guarded
    old = stores.put_ntriples(synthetic_ntriples(500, "old"), 500, f"{server.base}/store", GRAPH)
    url = f"{proxy}/store" if mode == "--store" else f"{proxy}/update"
    monkeypatch.setenv("ISCM_KG_USER", "curator")
    monkeypatch.setenv("ISCM_KG_PASSWORD", "wrong")
    result = cli("load", mode, url, "--graph", GRAPH)
    assert result.returncode == 2
    assert "refused the credentials" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.count(GRAPH) == old
    monkeypatch.setenv("ISCM_KG_PASSWORD", "right")
    result = cli("load", mode, url, "--graph", GRAPH, "--endpoint", f"{proxy}/query")
    assert result.returncode == 0, result.stderr
    assert server.count(GRAPH) == len(kg.graph)


def test_serve_answers_queries_and_stops_cleanly_on_ctrl_c(kg: KnowledgeGraph) -> None:
    exe = shutil.which("iscm-kg", path=os.path.dirname(sys.executable)) or shutil.which("iscm-kg")
    assert exe
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"serving {len(kg)} triples" in line and f"http://127.0.0.1:{port}/query" in line
        remote = query.run("iom-secretariat", {}, kg, endpoint=f"http://127.0.0.1:{port}/query").sorted()
        assert remote.rows == query.run("iom-secretariat", {}, kg).sorted().rows
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    with pytest.raises(OSError):  # the server went with it: nothing listens on the port any more
        urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2)


def test_serve_on_a_port_in_use_is_one_line_exit_2_without_a_backtrace() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Address already in use" in lines[0] and f":{port}" in lines[0], result.stderr
    assert "backtrace" not in result.stderr.lower() and "panicked" not in result.stderr


def test_query_graph_answers_from_a_named_graph_on_a_store_without_a_union_default_graph(
        tmp_path: Path, kg: KnowledgeGraph) -> None:
    """Oxigraph started without --union-default-graph: the data loaded into a named graph is not in the default
    graph, so the canned queries find nothing there; with --graph (default-graph-uri) they give the embedded rows."""
    running = Server(tmp_path / "oxigraph", union=False)
    try:
        endpoint = f"{running.base}/query"
        result = cli("load", "--store", f"{running.base}/store", "--graph", GRAPH)
        assert result.returncode == 0, result.stderr
        assert stores.count_triples(endpoint, None) == 0  # the default graph is empty: not the union
        for q in catalogue.all_queries():
            params = {p.name: p.example for p in q.parameters}
            remote = query.run(q.name, params, kg, endpoint=endpoint, graph_iri=GRAPH).sorted()
            local = query.run(q.name, params, kg).sorted()
            assert remote.variables == local.variables, q.name
            assert remote.rows == local.rows, q.name
        embedded = cli("query", "members-of", "--param", "mechanism=IGC", "--format", "csv")
        named = cli("query", "members-of", "--param", "mechanism=IGC", "--format", "csv", "--endpoint", endpoint,
                    "--graph", GRAPH)
        default = cli("query", "members-of", "--param", "mechanism=IGC", "--format", "csv", "--endpoint", endpoint)
        assert embedded.returncode == named.returncode == default.returncode == 0, named.stderr + default.stderr
        assert named.stdout == embedded.stdout and len(embedded.stdout.splitlines()) > 2
        assert len(default.stdout.splitlines()) == 1  # the header only
        own = tmp_path / "count.rq"
        own.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", encoding="utf-8")
        counted = cli("sparql", str(own), "--format", "csv", "--endpoint", endpoint, "--graph", GRAPH)
        assert counted.returncode == 0, counted.stderr
        assert counted.stdout.splitlines()[1:] == [str(len(kg.graph))]
    finally:
        running.stop()


@pytest.mark.parametrize("verb", ["query", "sparql"])
def test_query_graph_without_an_endpoint_or_with_a_bad_iri_is_one_line_exit_2(verb: str, tmp_path: Path) -> None:
    own = tmp_path / "q.rq"
    own.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    first = ["query", "iom-secretariat"] if verb == "query" else ["sparql", str(own)]
    for extra, expected in ((["--graph", GRAPH], "give --endpoint URL"),
                            (["--graph", "not an iri", "--endpoint", "http://127.0.0.1:9/query"],
                             "--graph expects an absolute IRI")):
        result = cli(*first, *extra)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and expected in lines[0], result.stderr
