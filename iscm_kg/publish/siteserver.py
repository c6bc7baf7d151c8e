"""The HTTP front of `iscm-kg serve`: the static site, the persistent IRI paths by content negotiation, and
/query passed through to the Oxigraph SPARQL server listening on another loopback port.

`/id/mechanism/BALI` answers with BALI.ttl for `Accept: text/turtle`, BALI.jsonld for `application/ld+json`, and
the page otherwise (with `Vary: Accept` and `Content-Location` naming the file chosen), so the IRIs that
https://w3id.org/iscm-kg/ redirects to dereference for people and for programs alike.
"""

from __future__ import annotations

import http.server
import posixpath
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Media type of each document beside a page, in the order a tie is broken.
DOCUMENTS = (("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"))


def choose(accept: str) -> str:
    """The suffix of the document an Accept header prefers (q-values honoured; html when nothing matches)."""
    best, best_q = ".html", 0.0
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        for name, suffix in DOCUMENTS:
            if (media == name or media in ("*/*", name.split("/")[0] + "/*")) and q > best_q:
                best, best_q = suffix, q
                break
    return best


class Handler(http.server.SimpleHTTPRequestHandler):
    sparql: str | None = None
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".ttl": "text/turtle; charset=utf-8",
                      ".jsonld": "application/ld+json", ".js": "text/javascript; charset=utf-8",
                      ".svg": "image/svg+xml", ".nt": "application/n-triples"}

    def do_HEAD(self) -> None:  # noqa: N802
        if not self._negotiate():
            super().do_HEAD()

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        if not self._negotiate():
            super().do_GET()

    def _negotiate(self) -> bool:
        """Answer /query and the extension-less IRI paths; False leaves the request to the file server."""
        path = urlsplit(self.path).path
        if path == "/query" and self.sparql:  # read-only: updates and the store stay on the inner port
            self._proxy()
            return True
        if path.startswith("/id/") and not posixpath.splitext(path)[1] and path.count("/") == 3:
            suffix = choose(self.headers.get("Accept", ""))
            target = Path(self.directory) / (path.lstrip("/") + suffix)
            if target.is_file():
                self.send_response(200)
                self.send_header("Content-Type", self.extensions_map[suffix] if suffix != ".html"
                                 else "text/html; charset=utf-8")
                self.send_header("Content-Location", posixpath.basename(path) + suffix)
                self.send_header("Vary", "Accept")
                body = target.read_bytes()
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return True
        return False

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == "/query" and self.sparql:
            self._proxy()
        else:
            self.send_error(405)

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else None
        query = urlsplit(self.path).query
        request = urllib.request.Request(f"{self.sparql}{'?' + query if query else ''}", data=data,
                                         method=self.command)
        for name in ("Accept", "Content-Type"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as exc:
            status, headers, body = exc.code, exc.headers, exc.read()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the terminal shows the URLs once at start


def server(site: Path, host: str, port: int, sparql: str | None) -> http.server.ThreadingHTTPServer:
    """A server (not yet serving) for the site folder; sparql is Oxigraph's query URL, or None."""
    handler = type("SiteHandler", (Handler,), {"sparql": sparql})
    return http.server.ThreadingHTTPServer((host, port), partial(handler, directory=str(site)))
