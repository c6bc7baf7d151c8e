"""iscm-kg serve: the website and a SPARQL endpoint on one port.

Oxigraph's server (the 'server' extra) holds the data on a free loopback port of its own; a small Python front on
the given port serves the site (built into a temporary folder, or --site DIR), answers the persistent IRI paths
/id/... by content negotiation and passes /query through, read-only, to Oxigraph."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from iscm_kg import graph, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.publish import site, siteserver


def body(args: argparse.Namespace) -> int:
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        raise IscmError("serve needs Oxigraph's server: pip install 'iscm-kg[server]'")
    if not 0 <= args.port < 65536:
        raise IscmError(f"--port expects a number from 0 (any free port) to 65535, got {args.port}")
    _check_free(args.host, args.port)
    kg = graph.load()
    with socket.socket() as probe:  # a free loopback port for Oxigraph, behind the front
        probe.bind(("127.0.0.1", 0))
        inner = probe.getsockname()[1]
    base = f"http://127.0.0.1:{inner}"
    # The server's own messages go to a file, so that a failure at start is shown as its last line rather than
    # as a Rust backtrace; RUST_BACKTRACE=0 keeps the backtrace out of that line too.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{inner}"], stderr=log,
                              env={**os.environ, "RUST_BACKTRACE": "0"})
    scratch = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise IscmError(f"the Oxigraph server stopped at start: {_last_line(log)}") from None
                time.sleep(0.1)
        count = stores.load(kg, f"{base}/store", None)
        if args.site:
            folder = Path(args.site)
        else:
            scratch = tempfile.TemporaryDirectory(prefix="iscm-kg-site.")
            folder = site.build(Path(scratch.name) / "site", kg=kg).output
        front = siteserver.server(folder, args.host, args.port, f"{base}/query")
        threading.Thread(target=front.serve_forever, daemon=True).start()
        url = f"http://{args.host}:{front.server_address[1]}"
        print(f"serving {count} triples; site: {url}/ ; SPARQL query endpoint: {url}/query (Ctrl-C stops)",
              flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        if scratch is not None:
            scratch.cleanup()
    return 0


def _check_free(host: str, port: int) -> None:
    """Bind the address once before starting the server: a port in use is one line, before any work."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as exc:
        raise IscmError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (another server on the port? "
                        "choose one with --port)") from None


def _last_line(log: IO[bytes]) -> str:
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("note: run with")]
    return lines[-1] if lines else "no message"


def main(argv: Sequence[str]) -> int:
    p = common.parser("serve", "Serve the website, the persistent IRIs (content negotiation) and a SPARQL endpoint "
                                 "(Oxigraph, in memory).")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--site", metavar="DIR", help="serve this built site (default: build one into a temporary folder)")
    return common.run("serve", body, p, argv)
