"""Against a real Oxigraph server started on a free loopback port: load, count, remote queries, reload."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from iscm_kg import catalogue, query, store
from iscm_kg.graph import KnowledgeGraph

from .conftest import cli


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        pytest.skip("oxigraph server not installed (pip install 'iscm-kg[server]')")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


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
    first = store.load(kg.graph, f"{server}/store", "https://example.org/g")
    second = store.load(kg.graph, f"{server}/store", "https://example.org/g")
    assert first == second == len(kg.graph)


def test_unreachable_endpoint_is_one_line_exit_2() -> None:
    port = free_port()
    result = cli("query", "mechanisms", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr
    result = cli("load", "--store", f"http://127.0.0.1:{port}/store")
    assert result.returncode == 2 and "cannot reach the store" in result.stderr
