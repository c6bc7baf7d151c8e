"""Building a folder of output (the release, the site) so that the target holds the old build or the new one.

The new folder is written beside the target, checked by the caller, then renamed into place; on any error it is
removed and the target is untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from iscm_kg import resources
from iscm_kg.errors import IscmError


def check_target(output: Path, force: bool, is_previous: Callable[[Path], bool], previous: str) -> None:
    """Refuse a target that a folder build (release, site, tables) must not replace: a file or a path under one; a
    non-empty folder that is_previous does not recognise (unless force; previous says what it should have been);
    never, whatever force says, the working folder or the project's sources."""
    protect(output)
    for parent in output.parents:
        if parent.exists() and not parent.is_dir():
            raise IscmError(f"{output}: {parent} is not a folder")
    if output.exists() and not output.is_dir():
        raise IscmError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not force and not is_previous(output):
        raise IscmError(f"{output} is not empty and is not {previous}: refusing to replace it; choose another "
                        "--output or pass --force")


def protect(output: Path) -> None:
    """Refuse, whatever --force says, a target that is, holds or lies in the working folder or the project's
    sources: replacing a folder means deleting the old one."""
    resolved = output.resolve()
    root = resources.resource_root()
    kept = [(root / kind).resolve() for kind in resources.RESOURCE_DIRS] + [Path(__file__).resolve().parent.parent]
    cwd = Path.cwd().resolve()
    if any(resolved == k or resolved in k.parents or k in resolved.parents for k in kept) or (
        resolved == cwd or resolved in cwd.parents
    ):
        raise IscmError(f"{output} is, holds or lies in the working folder or the project's sources: "
                        "refusing to replace it")


def swap_in(built: Path, output: Path) -> None:
    """Rename the built folder onto output; an existing output is moved aside first and removed after."""
    if not output.exists():
        os.replace(built, output)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))
    aside.rmdir()
    os.replace(output, aside)
    try:
        os.replace(built, output)
    except BaseException:
        os.replace(aside, output)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def umask_mode() -> int:
    """mkdtemp makes a private folder (0700); a build gets the mode a plain mkdir would give it."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


@contextmanager
def staged(output: Path, label: str) -> Iterator[Path]:
    """A temporary folder beside output to build in; renamed onto output when the block ends without error."""
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.{label}.", dir=output.parent))
    try:
        work.chmod(umask_mode())
        yield work
        swap_in(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
