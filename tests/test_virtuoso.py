"""Against a second real store no one here wrote: Virtuoso 7 (Debian's virtuoso-opensource, installed by
scripts/setup.sh), started on free loopback ports over a database folder of its own. Loads by Graph Store PUT
with Digest authentication and by SPARQL Update, then every canned query gives the same rows as embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from iscm_kg import query, stores
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import catalogue

from .conftest import cli
from .test_store import free_port

pytestmark = pytest.mark.slow
SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH = "https://example.org/iscm-virtuoso"


def private_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """The package's virtuoso.ini with the database files in `folder` and both servers on loopback ports."""
    section, out = "", []
    values = {
        "Database": {key: str(folder / f"virtuoso.{ext}") for key, ext in
                     (("DatabaseFile", "db"), ("ErrorLogFile", "log"), ("LockFile", "lck"),
                      ("TransactionFile", "trx"), ("xa_persistent_file", "pxa"))},
        "TempDatabase": {"DatabaseFile": str(folder / "virtuoso-temp.db"),
                         "TransactionFile": str(folder / "virtuoso-temp.trx")},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}",
                       "DirsAllowed": f"., /usr/share/virtuoso-opensource-7/vad, {folder}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
    }
    for line in SYSTEM_INI.read_text().splitlines():
        header = re.match(r"\s*\[(\w+)\]", line)
        if header:
            section = header.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        if key and key.group(1) in values.get(section, {}):
            line = f"{key.group(1)} = {values[section][key.group(1)]}"
        out.append(line)
    return "\n".join(out) + "\n"


class Virtuoso:
    def __init__(self, folder: Path) -> None:
        if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None or not SYSTEM_INI.exists():
            pytest.skip("Virtuoso is not installed (scripts/setup.sh installs virtuoso-opensource as root)")
        self.sql_port, http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{http_port}"
        ini = folder / "virtuoso.ini"
        ini.write_text(private_ini(folder, self.sql_port, http_port))
        self.proc = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"], cwd=folder,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso stopped at start: {(folder / 'virtuoso.log').read_text()[-500:]}")
            if self.isql("SELECT 1;").returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("virtuoso did not start")
        # The anonymous /sparql and /sparql-graph-crud endpoints may update only with this grant.
        assert self.isql('GRANT SPARQL_UPDATE TO "SPARQL";').returncode == 0
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.base}/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)

    def isql(self, statement: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=60)

    def count(self, graph_iri: str) -> int:
        return stores.count_triples(f"{self.base}/sparql", graph_iri)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    running = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield running
    running.stop()


def test_store_load_with_digest_authentication_then_queries_match(virtuoso: Virtuoso, kg: KnowledgeGraph,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISCM_KG_USER", "dba")
    monkeypatch.setenv("ISCM_KG_PASSWORD", "wrong")
    url = f"{virtuoso.base}/sparql-graph-crud-auth"
    result = cli("load", "--store", url, "--graph", GRAPH)
    assert result.returncode == 2 and "refused the credentials (401)" in result.stderr
    monkeypatch.setenv("ISCM_KG_PASSWORD", "dba")
    for _ in range(2):  # a reload replaces
        result = cli("load", "--store", url, "--graph", GRAPH)
        assert result.returncode == 0, result.stderr
        assert virtuoso.count(GRAPH) == len(kg.graph)
    for q in catalogue.all_queries():
        params = {p.name: p.example for p in q.parameters}
        remote = query.run(q.name, params, kg, endpoint=f"{virtuoso.base}/sparql").sorted()
        local = query.run(q.name, params, kg).sorted()
        assert remote.variables == local.variables, q.name
        assert remote.rows == local.rows, q.name


def test_update_load_replaces_and_leaves_no_temporary_graph(virtuoso: Virtuoso, kg: KnowledgeGraph) -> None:
    target = GRAPH + "-update"
    for _ in range(2):
        result = cli("load", "--update", f"{virtuoso.base}/sparql", "--graph", target, "--progress")
        assert result.returncode == 0, result.stderr
    assert virtuoso.count(target) == len(kg.graph)
    assert virtuoso.count(target + "#loading") == 0


def test_default_graph_loads_fail_in_one_line_and_leave_no_temporary_graph(virtuoso: Virtuoso) -> None:
    from iscm_kg.namespaces import DATASET_GRAPH

    # Virtuoso refuses both (README, "Triple stores"): MOVE ... TO DEFAULT (SP031) and a PUT to ?default (500).
    for mode, url in (("--update", "/sparql"), ("--store", "/sparql-graph-crud")):
        result = cli("load", mode, virtuoso.base + url, "--default-graph")
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "SP031" in cli("load", "--update", virtuoso.base + "/sparql", "--default-graph").stderr
    assert virtuoso.count(DATASET_GRAPH + "#loading") == 0


def test_query_graph_answers_from_one_named_graph(virtuoso: Virtuoso, kg: KnowledgeGraph) -> None:
    """Virtuoso's /sparql default graph is every graph it holds; with --graph (default-graph-uri) the canned
    queries read one named graph only, and give the embedded rows whatever the store holds beside it."""
    target = GRAPH + "-named"
    result = cli("load", "--update", f"{virtuoso.base}/sparql", "--graph", target)
    assert result.returncode == 0, result.stderr
    for q in catalogue.all_queries():
        params = {p.name: p.example for p in q.parameters}
        remote = query.run(q.name, params, kg, endpoint=f"{virtuoso.base}/sparql", graph_iri=target).sorted()
        local = query.run(q.name, params, kg).sorted()
        assert remote.variables == local.variables, q.name
        assert remote.rows == local.rows, q.name
    empty = query.run("iom-secretariat", {}, kg, endpoint=f"{virtuoso.base}/sparql",
                      graph_iri="https://example.org/no-such-graph")
    assert empty.rows == []
