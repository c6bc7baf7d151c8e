"""iscm-kg serve: a local SPARQL endpoint over the data, with Oxigraph's server (the 'server' extra)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence

from iscm_kg import graph, stores
from iscm_kg.cli import common
from iscm_kg.errors import IscmError


def body(args: argparse.Namespace) -> int:
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        raise IscmError("serve needs Oxigraph's server: pip install 'iscm-kg[server]'")
    kg = graph.load()
    base = f"http://{args.host}:{args.port}"
    server = subprocess.Popen([binary, "serve", "--bind", f"{args.host}:{args.port}"])
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
        print(f"serving {count} triples; SPARQL query endpoint: {base}/query (Ctrl-C stops)", flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("serve", "Start a local SPARQL endpoint over the data (Oxigraph, in memory).")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    return common.run("serve", body, p, argv)
