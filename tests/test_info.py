"""iscm-kg info: aligned columns (a padded label column, numbers right-aligned in one column) and true counts."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from iscm_kg.cli import main

from .conftest import ROOT

ROW = re.compile(r"^  (?P<label>\S.*?\S|\S)(?P<pad> +)(?P<number>\d+)(?:  (?P<note>\S.*))?$")


@pytest.fixture(scope="module")
def table() -> list[tuple[str, re.Match[str]]]:
    """(heading, match) for every indented row of 'iscm-kg info', run in-process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["info"]) == 0
    found, heading = [], ""
    for line in out.getvalue().splitlines():
        if line.endswith(":") and not line.startswith(" "):
            heading = line[:-1]
        elif line.startswith("  ") and heading:
            match = ROW.match(line)
            assert match, line
            found.append((heading, match))
    return found


def test_info_rows_share_one_label_column_and_right_aligned_numbers(table: list[tuple[str, re.Match[str]]]) -> None:
    assert [h for h in dict.fromkeys(h for h, _ in table)] == ["files", "triples", "instances per class"]
    widest = max(len(m.group("label")) for _, m in table)
    number_ends = {m.end("number") for _, m in table}
    assert len(number_ends) == 1, "numbers are right-aligned in one column"
    digits = max(len(m.group("number")) for _, m in table)
    # The label column is padded to the longest label, then two spaces, then the numbers' column.
    assert number_ends == {2 + widest + 2 + digits}
    notes = {m.start("note") for _, m in table if m.group("note")}
    assert len(notes) == 1, "what each row refers to starts in one column"


def test_info_counts_what_the_data_holds(table: list[tuple[str, re.Match[str]]]) -> None:
    found = {(h, m.group("label")): int(m.group("number")) for h, m in table}
    assert found[("triples", "asserted")] + found[("triples", "derived")] == found[("triples", "in all")]
    assert found[("files", "queries/")] == len(list((ROOT / "queries").glob("*.rq")))
    mechanisms = len(list((ROOT / "data" / "mechanisms").glob("*.ttl")))  # one file per mechanism
    assert found[("instances per class", "inter-State consultation mechanism on migration")] == mechanisms
    states = (ROOT / "data" / "states.ttl").read_text(encoding="utf-8").count(" a iscm:State")
    assert found[("instances per class", "State")] == states
