"""Writing an output file: atomically, so that an error never leaves a truncated file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from iscm_kg.errors import IscmError


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise IscmError(f"{path}: the folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
