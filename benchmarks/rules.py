"""The derivation rules the benchmarks run, as shipped.

The harness first measured the shipped rule 10 (a NOT EXISTS per claim, quadratic: over 300 s at 1M triples)
beside a grouped rewrite. The shipped rule has taken the grouped form since (its first form is kept, and
checked to adopt the same values, in tests/test_engines.py), so the 'rewritten' variant now reads the shipped
rule files too; it stays only so that earlier result files keep their columns.
"""

from __future__ import annotations

from iscm_kg import resources


def rule_texts(rewritten: bool = False) -> list[str]:
    """The rule texts in the order the toolkit applies them (the same for both variants, see above)."""
    del rewritten
    return [path.read_text(encoding="utf-8") for path in resources.rule_files()]
