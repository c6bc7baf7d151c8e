"""iscm-kg serve: a local SPARQL endpoint over the data, with Oxigraph's server (the 'server' extra)."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from typing import IO

from iscm_kg import graph, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError


def body(args: argparse.Namespace) -> int:
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        raise IscmError("serve needs Oxigraph's server: pip install 'iscm-kg[server]'")
    if not 0 < args.port < 65536:
        raise IscmError(f"--port expects a number from 1 to 65535, got {args.port}")
    _check_free(args.host, args.port)
    kg = graph.load()
    base = f"http://{args.host}:{args.port}"
    # The server's own messages go to a file, so that a failure at start is shown as its last line rather than
    # as a Rust backtrace; RUST_BACKTRACE=0 keeps the backtrace out of that line too.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([binary, "serve", "--bind", f"{args.host}:{args.port}"], stderr=log,
                              env={**os.environ, "RUST_BACKTRACE": "0"})
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
        print(f"serving {count} triples; SPARQL query endpoint: {base}/query (Ctrl-C stops)", flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
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
    p = common.parser("serve", "Start a local SPARQL endpoint over the data (Oxigraph, in memory).")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    return common.run("serve", body, p, argv)
