"""What the benchmarks measured: one Cell per task, engine and size, and how a figure is written."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

LABELS = {
    "rdflib": "rdflib", "oxigraph": "pyoxigraph", "owlrl": "owlrl (OWL RL)",
    "oxigraph-rewritten": "pyoxigraph, rule 10 rewritten", "pyshacl": "pySHACL",
    "turbo": "Oxigraph engine (on the store)",
}
EXPORT_FORMATS = ("turtle", "nt", "jsonld")
TARGET_SECONDS, TARGET_MB = 30.0, 1536.0


@dataclass
class Cell:
    """The runs of one task with one engine at one size."""

    task: str
    engine: str
    size: str
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    over: bool = False
    budget: float = 0.0
    skipped: str = ""  # why it was not run
    floor: float | None = None  # for a task not run: the linear estimate of its seconds
    error: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak(self) -> float | None:
        return max(self.peaks) if self.peaks else None

    @property
    def known_over(self) -> bool:
        """Over budget: killed, or not run for a reason that implies it (not merely skipped)."""
        if self.over:
            return True
        if not self.skipped:
            return False
        return self.skipped.startswith("its derivation") or (self.floor is not None and self.floor > self.budget)

    @property
    def done(self) -> bool:
        return self.median is not None and not self.over and not self.error


def seconds_text(value: float) -> str:
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 100:
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:,.0f} s"


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return "—"
    if cell.error:
        return "error"
    if cell.over:
        return f"over {cell.budget:g} s"
    if cell.skipped:
        estimate = f"; est. ≥ {seconds_text(cell.floor)}" if cell.floor else ""
        if cell.known_over:
            return f"over {cell.budget:g} s (not run: {cell.skipped}{estimate})"
        return f"not run ({cell.skipped}{estimate})"
    median, peak = cell.median, cell.peak
    assert median is not None
    memory = f" · {peak:,.0f} MB" if peak is not None else ""
    return f"{seconds_text(median)}{memory}"
