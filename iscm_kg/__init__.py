"""iscm-kg: the linked-data knowledge graph of inter-State consultation mechanisms on migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

    from iscm_kg.graph import KnowledgeGraph

__version__ = "0.2.0"


def tables(kg: KnowledgeGraph | None = None) -> dict[str, pandas.DataFrame]:
    """The analyst tables (mechanisms, participations, states, territories, organisations, claims, sources, themes,
    mechanism_themes) as pandas DataFrames, read from kg (default: the shipped graph, derived triples included).

    The same tables as `iscm-kg tables`: IRIs kept, a label or code column beside them, blanks as missing values.
    Needs the 'pandas' extra (pip install 'iscm-kg[pandas]'); pandas is imported only when this is called.
    """
    from iscm_kg.publish import tables as analyst_tables

    return analyst_tables.frames(kg)
