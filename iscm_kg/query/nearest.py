"""Comparing what a person typed with names: folded (case, accents, punctuation ignored), and the nearest few."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """Case, accents (NFKD without combining marks) and punctuation ignored: "Côte d'Ivoire" -> "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def did_you_mean(wanted: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The nearest few choices by difflib's similarity, compared folded."""
    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(fold(choice), choice)
    close = difflib.get_close_matches(fold(wanted), list(by_fold), n=n, cutoff=0.5)
    return [by_fold[c] for c in close]
