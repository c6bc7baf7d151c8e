"""The hand-written JSON-LD context shipped with the ontology: only the terms in use, readable keys."""

from __future__ import annotations

import json

from iscm_kg import resources


def context() -> dict[str, object]:
    doc: dict[str, object] = json.loads((resources.resource_root() / "ontology" / "context.jsonld").read_text())
    return doc
