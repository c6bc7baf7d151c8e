"""A cache of built artefacts keyed on the content of everything they were built from.

Every CLI call would otherwise parse the ontology and data and re-run the rules. The key hashes the bytes of
each input file, the package's own code and version and the engine versions, so an edit anywhere (data,
shapes, rules or code) is a miss, never a stale answer. Entries are written atomically; old ones are pruned.

ISCM_KG_CACHE_DIR chooses the folder (default: $XDG_CACHE_HOME/iscm-kg, else ~/.cache/iscm-kg);
ISCM_KG_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from iscm_kg import __version__

KEEP = 16
_CODE_DIGEST: list[str] = []


def enabled() -> bool:
    return os.environ.get("ISCM_KG_NO_CACHE", "") not in ("1", "true", "yes")


def directory() -> Path:
    chosen = os.environ.get("ISCM_KG_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iscm-kg"


def _code_digest() -> str:
    """The package's own source, so that a code change (say, a new rule) is never answered from the cache."""
    if not _CODE_DIGEST:
        digest = hashlib.sha256(__version__.encode())
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        for dist in ("pyoxigraph", "pyshacl-turbo", "pyshacl", "rdflib"):
            try:
                digest.update(f"{dist}={metadata.version(dist)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{dist}=none".encode())
        _CODE_DIGEST.append(digest.hexdigest())
    return _CODE_DIGEST[0]


def key(kind: str, files: Iterable[Path], *extra: str) -> str:
    """The key of an artefact of this kind built from these files (in this order) and options."""
    digest = hashlib.sha256(f"{kind}\0{_code_digest()}".encode())
    for text in extra:
        digest.update(b"\0" + text.encode())
    for path in files:
        digest.update(b"\0" + str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
    return f"{kind}-{digest.hexdigest()[:32]}"


def path_for(entry: str, suffix: str) -> Path:
    return directory() / f"{entry}{suffix}"


def get(entry: str, suffix: str) -> Path | None:
    if not enabled():
        return None
    path = path_for(entry, suffix)
    return path if path.is_file() else None


def put(entry: str, suffix: str, data: bytes) -> None:
    """Store an entry; a cache that cannot be written (read-only home, full disk) is skipped, not an error."""
    if not enabled():
        return
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path_for(entry, suffix))
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
