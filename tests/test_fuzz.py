"""Property-based fuzz (Hypothesis) of what a user types: query parameters of arbitrary text, and output paths of
arbitrary names onto whatever is already there. Every run ends in exit 0 or 2, with at most one line on standard
error and no exception out of main(); a refused run changes nothing, a written one changes only its own file.

In-process (iscm_kg.cli.main) for speed, with the streams a real process has: standard output strict UTF-8,
standard error with backslash escapes. Bounded: a fixed number of examples, each under a deadline, no example
database written to disk."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from iscm_kg.cli import main
from iscm_kg.query import catalogue

pytestmark = pytest.mark.slow  # property-based: hundreds of in-process runs

BOUNDED = settings(max_examples=60, deadline=timedelta(seconds=20), database=None,
                   suppress_health_check=[HealthCheck.too_slow])
SLOW_BOUNDED = settings(BOUNDED, max_examples=15)


@dataclass
class Outcome:
    code: int
    stdout: bytes
    stderr: str


@contextmanager
def _streams() -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    try:
        yield out, err
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            stream.detach()
        sys.stdout, sys.stderr = saved


def run(*argv: str) -> Outcome:
    with _streams() as (out, err):
        code = main(list(argv))
    return Outcome(code, out.getvalue(), err.getvalue().decode("utf-8"))


def assert_well_behaved(outcome: Outcome, verb: str) -> None:
    assert outcome.code in (0, 2), outcome
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) <= 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    if outcome.code == 2:
        assert lines and lines[0].startswith((f"iscm-kg {verb}: error: ", f"iscm-kg {verb}: ")), outcome.stderr


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """The first run reads the data (about a second); the examples' deadline is for what follows."""
    assert run("query", "iom-secretariat", "--format", "csv").code == 0


# Text as argv can carry it: any character but NUL (a real argv cannot hold one), lone surrogates included
# (bytes that are not UTF-8 reach Python as surrogate escapes).
ARG_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=()), max_size=40)
QUERIES = catalogue.all_queries()


@st.composite
def query_arguments(draw: st.DrawFn) -> list[str]:
    q = draw(st.sampled_from(QUERIES))
    names = [p.name for p in q.parameters]
    keys = st.one_of(st.sampled_from(names), ARG_TEXT) if names else ARG_TEXT
    pairs = draw(st.lists(st.tuples(keys, ARG_TEXT, st.sampled_from(["=", "", "=="])), max_size=3))
    argv = ["query", q.name, "--format", draw(st.sampled_from(["table", "csv", "tsv", "json", "md"]))]
    for key, value, sep in pairs:
        argv += ["--param", f"{key}{sep}{value}"]
    return argv


@BOUNDED
@given(argv=query_arguments())
@example(argv=["query", "members-of", "--param", "mechanism=\udcff"])
@example(argv=["query", "members-of", "--param", "mechanism=a\nb", "--param", "=x"])
def test_query_parameters_of_any_text_end_in_exit_0_or_2_with_one_line(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        before = os.getcwd()
        os.chdir(folder)
        try:
            outcome = run(*argv)
            assert os.listdir(folder) == []  # a query writes nothing
        finally:
            os.chdir(before)
    assert_well_behaved(outcome, "query")
    if outcome.code == 0:
        assert outcome.stdout


@SLOW_BOUNDED  # each export reads the data anew (about 2 s under load)
@given(name=ARG_TEXT, state=st.booleans())
def test_export_of_one_entity_named_by_any_text(name: str, state: bool) -> None:
    with _in_empty_folder() as folder:
        outcome = run("export", "--state" if state else "--mechanism", name, "--format", "nt")
        assert os.listdir(folder) == []
    assert_well_behaved(outcome, "export")


@contextmanager
def _in_empty_folder() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        before = os.getcwd()
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(before)


# Path segments: any character but "/" and NUL, never "..", sometimes longer than a file name may be (255 bytes).
SEGMENT = st.one_of(
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=()), min_size=1, max_size=12),
    st.text("abc", min_size=250, max_size=300),
).filter(lambda s: s not in (".", ".."))
KINDS = ("nothing", "file", "folder", "link to a file", "dangling link", "link to a folder", "below a file")


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every node under root, not following links: kind and mode, device, a file's content or a link's target."""
    nodes: dict[str, tuple[int, int, str]] = {}
    for here, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(here, name)
            info = os.lstat(path)
            content = ""
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    content = hashlib.sha256(handle.read()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                content = os.readlink(path)
            nodes[os.path.relpath(path, root)] = (info.st_mode, info.st_rdev, content)
    return nodes


def _prepare(root: Path, segments: list[str], kind: str) -> Path | None:
    """The output path root/segments..., with `kind` already at it; None when the names cannot be made here."""
    try:
        (root / "elsewhere.txt").write_text("elsewhere")
        (root / "elsewhere").mkdir()
        if kind == "below a file":
            (root / "a-file").write_text("a file, not a folder")
            return root.joinpath("a-file", *segments)
        target = root.joinpath(*segments)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "file":
            target.write_text("what was there")
        elif kind == "folder":
            target.mkdir()
        elif kind == "link to a file":
            target.symlink_to(root / "elsewhere.txt")
        elif kind == "dangling link":
            target.symlink_to(root / "nowhere")
        elif kind == "link to a folder":
            target.symlink_to(root / "elsewhere")
    except (OSError, UnicodeEncodeError):
        return None  # a name this file system cannot hold at all: the fuzz is about what the command does
    return target


def check_output_path(argv_before: list[str], segments: list[str], kind: str, verb: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        target = _prepare(root, segments, kind)
        if target is None:
            return
        before = _snapshot(root)
        outcome = run(*argv_before, "--output", str(target))
        after = _snapshot(root)
    assert_well_behaved(outcome, verb)
    relative = os.path.relpath(target, root)
    if outcome.code == 2:
        assert after == before  # refused: nothing changed, no temporary file left
        return
    assert kind in (("nothing",) if verb == "new" else ("nothing", "file")), outcome  # else: refused
    assert stat.S_ISREG(after[relative][0]) and after[relative][2] != before.get(relative, (0, 0, ""))[2]
    assert {k: v for k, v in after.items() if k != relative} == {k: v for k, v in before.items() if k != relative}


@SLOW_BOUNDED
@given(segments=st.lists(SEGMENT, min_size=1, max_size=3), kind=st.sampled_from(KINDS))
@example(segments=["a\nb.nt"], kind="nothing")  # the report of the written file is still one line
@example(segments=["\udcff.nt"], kind="file")  # a name that is not UTF-8 (a surrogate escape in argv)
@example(segments=["a" * 300], kind="nothing")  # longer than a file name may be
@example(segments=["x", "y.nt"], kind="below a file")
def test_export_onto_any_path_writes_only_its_file_or_changes_nothing(segments: list[str], kind: str) -> None:
    check_output_path(["export", "--mechanism", "RCM", "--format", "nt"], segments, kind, "export")


@BOUNDED
@given(segments=st.lists(SEGMENT, min_size=1, max_size=3), kind=st.sampled_from(KINDS), acronym=ARG_TEXT)
@example(segments=["n\udcff.ttl"], kind="nothing", acronym="X")  # encoded into the skeleton: refused, unwritten
@example(segments=["n\n.ttl"], kind="nothing", acronym="X")
def test_new_onto_any_path_with_any_acronym_writes_only_its_file_or_changes_nothing(
        segments: list[str], kind: str, acronym: str) -> None:
    argv = ["new", "mechanism", acronym or "X", "--name", "A name", "--type", "RCP", "--status", "active",
            "--source", "https://example.org/page", "--title", "A page", "--read-on", "2026-01-01"]
    check_output_path(argv, segments, kind, "new")
