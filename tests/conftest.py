from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The tests never read or fill the user's cache: one fresh cache folder per test run, shared with the CLI
# subprocesses through the environment.
os.environ.setdefault("ISCM_KG_CACHE_DIR", tempfile.mkdtemp(prefix="iscm-kg-test-cache-"))

from iscm_kg import graph
from iscm_kg.graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return graph.load()


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script, as a user would."""
    exe = shutil.which("iscm-kg", path=os.path.dirname(sys.executable)) or shutil.which("iscm-kg")
    assert exe, "the iscm-kg console script is not installed"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=600)
