"""The proxies of the store tests (credentials, faults) pass requests on to the real server with this."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def pass_on(handler: BaseHTTPRequestHandler, upstream: str, body: bytes) -> tuple[int, bytes, str | None]:
    """Send the handler's request (method, path, body, Content-Type and Accept) upstream: status, body, type."""
    request = urllib.request.Request(upstream + handler.path, data=body or None, method=handler.command)
    for header in ("Content-Type", "Accept"):
        if handler.headers.get(header):
            request.add_header(header, handler.headers[header])
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type")


def answer(handler: BaseHTTPRequestHandler, status: int, data: bytes, kind: str | None) -> None:
    handler.send_response(status)
    if kind:
        handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextmanager
def serving() -> Iterator[Callable[[ThreadingHTTPServer], None]]:
    """Serve each server handed to the yielded function on a thread of its own; shut them all down at the end."""
    started: list[ThreadingHTTPServer] = []

    def serve(server: ThreadingHTTPServer) -> None:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)

    try:
        yield serve
    finally:
        for server in started:
            server.shutdown()
            server.server_close()
