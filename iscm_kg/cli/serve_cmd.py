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

from iscm_kg import graph, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.publish import site, siteserver


def body(args: argparse.Namespace) -> int:
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        raise IscmError("serve needs Oxigraph's server: pip install 'iscm-kg[server]'")
    kg = graph.load()
    with socket.socket() as probe:  # a free loopback port for Oxigraph, behind the front
        probe.bind(("127.0.0.1", 0))
        inner = probe.getsockname()[1]
    base = f"http://127.0.0.1:{inner}"
    server = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{inner}"])
    scratch = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise IscmError(f"the Oxigraph server stopped at start (is port {args.port} free?)") from None
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
        if scratch is not None:
            scratch.cleanup()
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("serve", "Serve the website, the persistent IRIs (content negotiation) and a SPARQL endpoint "
                                 "(Oxigraph, in memory).")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--site", metavar="DIR", help="serve this built site (default: build one into a temporary folder)")
    return common.run("serve", body, p, argv)
