"""Bad input as a new user gives it: wrong paths, devices, symlinks, full disks, read-only places, bad URLs.
Every row must end in exit 2 with one line on standard error, no traceback, and nothing changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

EXE = shutil.which("iscm-kg", path=os.path.dirname(sys.executable)) or shutil.which("iscm-kg") or "iscm-kg"


def run(*args: str, umask: int = 0o022, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], stdout=subprocess.PIPE if stdout is None else stdout,
                          stderr=subprocess.PIPE, text=True, umask=umask, timeout=600)


def fingerprint(path: Path) -> tuple[int, int, str]:
    """What must not change: the kind and mode of the node (not following a link), and a file's content."""
    info = os.lstat(path)
    content = ""
    if stat.S_ISREG(info.st_mode):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    elif stat.S_ISLNK(info.st_mode):
        content = os.readlink(path)
    return info.st_mode, info.st_rdev, content


def _folder(tmp: Path) -> tuple[list[str], list[Path]]:
    (tmp / "out").mkdir()
    (tmp / "out" / "keep.txt").write_text("keep")
    return ["export", "--output", str(tmp / "out")], [tmp / "out", tmp / "out" / "keep.txt"]


def _symlink(tmp: Path) -> tuple[list[str], list[Path]]:
    (tmp / "target.ttl").write_text("the target")
    (tmp / "link.ttl").symlink_to(tmp / "target.ttl")
    return ["export", "--output", str(tmp / "link.ttl")], [tmp / "link.ttl", tmp / "target.ttl"]


def _device(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["export", "--format", "nt", "--output", "/dev/full"], [Path("/dev/full")]


def _proc(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["export", "--output", "/proc/version"], [Path("/proc/version")]


def _missing_folder(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["export", "--output", str(tmp / "no-such-folder" / "x.ttl")], [tmp]


def _under_a_file(tmp: Path) -> tuple[list[str], list[Path]]:
    (tmp / "plain").write_text("plain")
    return ["export", "--output", str(tmp / "plain" / "x.ttl")], [tmp / "plain"]


def _read_only_folder(tmp: Path) -> tuple[list[str], list[Path]]:
    # As root, chmod does not stop a write; an immutable folder does.
    (tmp / "ro").mkdir()
    (tmp / "ro" / "old.ttl").write_text("old")
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(tmp / "ro")]).returncode != 0:
        pytest.skip("chattr +i is not available on this filesystem: no read-only folder to test with")
    return ["export", "--output", str(tmp / "ro" / "old.ttl")], [tmp / "ro" / "old.ttl"]


def _docs_onto_device(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["docs", "--output", "/dev/null"], [Path("/dev/null")]


def _query_not_a_url(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["query", "mechanisms", "--endpoint", "notaurl"], []


def _load_not_a_url(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["load", "--store", "ftp://example.org/store"], []


def _load_update_not_a_url(tmp: Path) -> tuple[list[str], list[Path]]:
    return ["load", "--update", "localhost:7878/update"], []


Case = Callable[[Path], tuple[list[str], list[Path]]]
BAD_INPUT: dict[str, tuple[Case, str]] = {
    "export onto a device (/dev/full)": (_device, "is a device"),
    "export onto a folder": (_folder, "is a folder"),
    "export onto a symlink": (_symlink, "is a symbolic link"),
    "export onto /proc/version": (_proc, "cannot create a file in /proc"),
    "export into a missing folder": (_missing_folder, "does not exist"),
    "export below a plain file": (_under_a_file, "not a folder"),
    "export into a read-only (immutable) folder": (_read_only_folder, "Operation not permitted"),
    "docs onto a device (/dev/null)": (_docs_onto_device, "is a device"),
    "query --endpoint notaurl": (_query_not_a_url, "expected an http:// or https:// address"),
    "load --store ftp://": (_load_not_a_url, "expected an http:// or https:// address"),
    "load --update without a scheme": (_load_update_not_a_url, "expected an http:// or https:// address"),
}


@pytest.mark.parametrize("name", list(BAD_INPUT))
def test_bad_input_is_one_line_exit_2_and_changes_nothing(name: str, tmp_path: Path) -> None:
    make, expected = BAD_INPUT[name]
    args, watched = make(tmp_path)
    before = {path: fingerprint(path) for path in watched}
    listing = sorted(os.listdir(tmp_path))
    try:
        result = run(*args)
    finally:
        if (tmp_path / "ro").exists():
            subprocess.run(["chattr", "-i", str(tmp_path / "ro")])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert expected in lines[0]
    assert {path: fingerprint(path) for path in watched} == before
    assert sorted(os.listdir(tmp_path)) == listing  # no temporary file left behind


def test_stdout_on_a_full_device_is_one_line_exit_2() -> None:
    with open("/dev/full", "w") as full:
        result = run("export", "--format", "nt", stdout=full.fileno())
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["iscm-kg export: error: standard output: No space left on device"], result.stderr


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_output_file_gets_the_mode_the_umask_allows(tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "graph.nt"
    result = run("export", "--format", "nt", "--output", str(out), umask=umask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_an_existing_output_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    out.write_text("old")
    out.chmod(0o640)
    result = run("export", "--format", "nt", "--output", str(out), umask=0o077)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text() != "old"


def test_dash_is_standard_output_and_a_fifo_is_written_directly(tmp_path: Path) -> None:
    dash = run("export", "--format", "nt", "--output", "-")
    assert dash.returncode == 0 and dash.stdout.count("\n") > 1000
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--format", "nt", "--output", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not replaced by a file
    assert received and received[0].decode() == dash.stdout
