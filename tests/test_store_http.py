"""What a load or a remote query says when the store misbehaves or is not a store: fake servers on loopback
ports that answer 403, 500, 503, HTML, Digest challenges or nothing at all. Each run must end in one line
naming what happened, exit 2, and the request must not be repeated when repeating cannot help."""

from __future__ import annotations

import hashlib
import http.server
import re
import secrets
import subprocess
import threading
from collections.abc import Callable, Iterator

import pytest

from iscm_kg import stores
from iscm_kg.graph import KnowledgeGraph

from .conftest import cli
from .relay import answer, pass_on, serving
from .test_store import GRAPH, Server, own_server  # noqa: F401  (the fixture is used by name)

Handler = Callable[[http.server.BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class Fake(http.server.ThreadingHTTPServer):
    """A loopback HTTP server whose every answer comes from `answer`; it counts the requests it got."""

    def __init__(self, answer: Handler) -> None:
        self.requests = 0
        outer = self

        class Handle(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def respond(self) -> None:
                outer.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers, body = answer(self)
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = respond

        super().__init__(("127.0.0.1", 0), Handle)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        return None  # a client that gave up (the timeout test) is expected, not worth a trace


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], Fake]]:
    with serving() as serve:

        def start(answer: Handler) -> Fake:
            server = Fake(answer)
            serve(server)
            return server

        yield start


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    stderr = result.stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr and "Warning" not in stderr, stderr
    return lines[0]


def always(status: int, body: bytes, kind: str = "text/plain") -> Handler:
    return lambda _request: (status, {"Content-Type": kind}, body)


@pytest.mark.parametrize("mode", ["--store", "--update"])
def test_403_is_a_missing_permission_with_the_stores_text(fake: Callable[[Handler], Fake], mode: str) -> None:
    server = fake(always(403, b"Access denied: SPARQL_UPDATE is not granted\nsecond line"))
    where = f"{server.base}/store" if mode == "--store" else f"{server.base}/update"
    result = cli("load", mode, where)
    assert result.returncode == 2
    line = one_line(result)
    assert "the store refused the request: missing permission (403)" in line
    assert "SPARQL_UPDATE is not granted" in line and "second line" not in line
    assert server.requests == 1


def test_500_is_not_retried_and_shows_the_stores_error(fake: Callable[[Handler], Fake]) -> None:
    server = fake(always(500, b"\n  Virtuoso 37000 Error SP030: SPARQL compiler: memory exhausted  \n"))
    result = cli("load", "--store", f"{server.base}/sparql-graph-crud")
    assert result.returncode == 2
    assert "500" in one_line(result) and "SP030: SPARQL compiler: memory exhausted" in one_line(result)
    assert server.requests == 1


def test_503_is_retried_then_reported(fake: Callable[[Handler], Fake]) -> None:
    server = fake(always(503, b"busy"))
    result = cli("query", "mechanisms", "--endpoint", f"{server.base}/query")
    assert result.returncode == 2 and "503" in one_line(result)
    assert server.requests == stores.http.ATTEMPTS


def test_an_html_answer_is_not_taken_for_results(fake: Callable[[Handler], Fake]) -> None:
    server = fake(always(200, b"<html><body><h1>Welcome</h1></body></html>", "text/html"))
    result = cli("query", "mechanisms", "--endpoint", f"{server.base}/query")
    assert result.returncode == 2 and "text/html, not SPARQL JSON results" in one_line(result)
    result = cli("load", "--store", f"{server.base}/store")  # the PUT "succeeds"; the count then cannot
    assert result.returncode == 2 and "not SPARQL JSON results" in one_line(result)


def test_a_plain_web_server_is_reported_as_not_a_sparql_endpoint(fake: Callable[[Handler], Fake]) -> None:
    server = fake(always(501, b"Unsupported method ('POST')"))
    result = cli("query", "mechanisms", "--endpoint", f"{server.base}/")
    assert result.returncode == 2
    assert "501" in one_line(result) and "is it a SPARQL endpoint" in one_line(result)


def test_a_server_that_never_answers_times_out_once(fake: Callable[[Handler], Fake]) -> None:
    release = threading.Event()

    def hang(_request: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        release.wait(30)
        return 200, {}, b""

    server = fake(hang)
    try:
        result = cli("load", "--store", f"{server.base}/store", "--timeout", "1")
    finally:
        release.set()
    assert result.returncode == 2 and "did not answer within 1 s" in one_line(result)
    assert server.requests == 1


def test_a_bad_timeout_is_a_usage_error() -> None:
    result = cli("load", "--store", "http://127.0.0.1:9/store", "--timeout", "0")
    assert result.returncode == 2 and "--timeout expects a positive number" in one_line(result)


def test_a_store_address_without_a_known_query_endpoint_asks_for_endpoint(fake: Callable[[Handler], Fake]) -> None:
    server = fake(always(204, b""))
    result = cli("load", "--store", f"{server.base}/graphs")
    assert result.returncode == 2 and "give --endpoint URL" in one_line(result)
    assert server.requests == 0  # refused before anything was sent


def test_query_endpoints_beside_store_addresses() -> None:
    assert stores.query_endpoint_for_store("http://h:7878/store") == "http://h:7878/query"
    assert stores.query_endpoint_for_store("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert stores.query_endpoint_for_store("http://h:8890/sparql-graph-crud/") == "http://h:8890/sparql"
    assert stores.query_endpoint_for_store("http://h:3030/ds/data") == "http://h:3030/ds/query"


class DigestProxy(http.server.ThreadingHTTPServer):
    """A loopback reverse proxy that demands HTTP Digest authentication (RFC 7616, MD5, qop=auth), as Virtuoso's
    /sparql-graph-crud-auth does, in front of the real Oxigraph server."""

    def __init__(self, upstream: str, user: str, password: str, realm: str = "store") -> None:
        nonce = secrets.token_hex(16)
        ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()

        def authorised(method: str, header: str) -> bool:
            fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))
            if not header.startswith("Digest ") or fields.get("username") != user or fields.get("nonce") != nonce:
                return False
            ha2 = hashlib.md5(f"{method}:{fields.get('uri')}".encode()).hexdigest()
            parts = [ha1, nonce, fields.get("nc", ""), fields.get("cnonce", ""), fields.get("qop", ""), ha2]
            return fields.get("response") == hashlib.md5(":".join(parts).encode()).hexdigest()

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not authorised(self.command, self.headers.get("Authorization", "")):
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth", '
                                                         'algorithm=MD5')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer(self, *pass_on(self, upstream, body))

            do_GET = do_POST = do_PUT = forward

        super().__init__(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.mark.parametrize("mode", ["--store", "--update"])
def test_digest_authentication_with_right_and_wrong_credentials(own_server: Server, kg: KnowledgeGraph,  # noqa: F811
                                                                monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    proxy = DigestProxy(own_server.base, "dba", "secret")
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        url = f"{proxy.base}/store" if mode == "--store" else f"{proxy.base}/update"
        monkeypatch.setenv("ISCM_KG_USER", "dba")
        monkeypatch.setenv("ISCM_KG_PASSWORD", "wrong")
        result = cli("load", mode, url, "--graph", GRAPH, "--endpoint", f"{proxy.base}/query")
        assert result.returncode == 2 and "refused the credentials (401)" in one_line(result)
        assert own_server.count(GRAPH) == 0
        monkeypatch.delenv("ISCM_KG_PASSWORD")
        result = cli("load", mode, url, "--graph", GRAPH, "--endpoint", f"{proxy.base}/query")
        assert result.returncode == 2 and "asks for credentials (401)" in one_line(result)
        monkeypatch.setenv("ISCM_KG_PASSWORD", "secret")
        result = cli("load", mode, url, "--graph", GRAPH, "--endpoint", f"{proxy.base}/query")
        assert result.returncode == 0, result.stderr
        assert own_server.count(GRAPH) == len(kg.graph)
    finally:
        proxy.shutdown()
        proxy.server_close()
