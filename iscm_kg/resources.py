"""Where the ontology, data, shapes and queries are read from: inside the installed package, or the checkout."""

from __future__ import annotations

from pathlib import Path

RESOURCE_DIRS = ("ontology", "data", "shapes", "queries")


def resource_root() -> Path:
    """The folder holding ontology/, data/, shapes/ and queries/.

    A built wheel carries them in iscm_kg/resources; a checkout (or an editable install) keeps them at the
    top of the repository, where curators edit them.
    """
    packaged = Path(__file__).resolve().parent / "resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def turtle_files(kind: str) -> list[Path]:
    """The Turtle files of one resource folder, sorted, subfolders included."""
    return sorted((resource_root() / kind).rglob("*.ttl"))


def ontology_files() -> list[Path]:
    return turtle_files("ontology")


def data_files() -> list[Path]:
    return turtle_files("data")


def shapes_files() -> list[Path]:
    return turtle_files("shapes")


def rule_files() -> list[Path]:
    return sorted((resource_root() / "ontology" / "rules").glob("*.rq"))


def query_files() -> list[Path]:
    return sorted((resource_root() / "queries").glob("*.rq"))
