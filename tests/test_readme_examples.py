"""The README's example outputs are what the commands print now: each block under a '<!-- iscm-kg docs: ... -->'
line is compared with a real run of the command through the CLI (in-process), not with the docs renderer."""

from __future__ import annotations

import contextlib
import io
import re
import shlex

import pytest

from iscm_kg.cli import docs_cmd, main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [(m.group("command"), m.group("output")) for m in docs_cmd.EXAMPLE.finditer(README)]


def test_the_readme_shows_the_headline_examples() -> None:
    commands = [command for command, _ in EXAMPLES]
    assert any(c.startswith("query iom-secretariat ") for c in commands)
    assert any(c.startswith("query mechanisms-of-state ") for c in commands)


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_is_the_start_of_what_the_command_prints(command: str, shown: str) -> None:
    argv = shlex.split(command)
    rows = argv.index("--rows") if "--rows" in argv else None
    if rows is not None:
        del argv[rows: rows + 2]  # --rows is the excerpt's length, not an option of the command
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    printed = out.getvalue().splitlines()
    lines = shown.splitlines()
    if "…" in lines:
        cut = lines.index("…")
        assert lines[:cut] == printed[:cut]
        assert lines[cut + 1:] == printed[-1:]  # the count of all rows
        assert len(printed) > cut + 1
    else:
        assert lines == printed
    assert re.fullmatch(r"\(\d+ rows?\)", lines[-1])
