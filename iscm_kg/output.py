"""Writing an output file so that nothing is ever destroyed: an error never leaves a truncated file, and a path
that is not a regular file (a device, a folder, a symlink) is refused rather than replaced by the rename."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from iscm_kg.errors import IscmError

STDOUT = "-"


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: str | Path, text: str) -> None:
    """Write text to path: `-` is standard output; an existing FIFO is written directly (a reader waits on it);
    a regular file or a new path is written atomically (temporary file beside it, then rename), keeping an
    existing file's mode and giving a new one the mode the umask allows; anything else is refused."""
    if str(path) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(path)
    info = check_output(path)
    if info is not None and stat.S_ISFIFO(info.st_mode):
        with open(path, "w", encoding="utf-8") as fifo:
            fifo.write(text)
        return
    write_atomically(path, text, info)


def check_output(path: str | Path) -> os.stat_result | None:
    """Refuse, before any work is done, an output path that write_output would refuse; returns its lstat
    (None for a new path, or standard output)."""
    if str(path) == STDOUT:
        return None
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        directory = path.parent if str(path.parent) else Path(".")
        if not directory.is_dir():
            raise IscmError(f"{path}: the folder {directory} does not exist") from None
        return None
    except NotADirectoryError:
        raise IscmError(f"{path}: a part of the path is not a folder") from None
    if stat.S_ISLNK(info.st_mode):
        raise IscmError(f"{path} is a symbolic link: refusing to replace its target; give the target's own path")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise IscmError(f"{path} is {_kind(info.st_mode)}, not a regular file: refusing to replace it")
    return info


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def write_atomically(path: Path, text: str, existing: os.stat_result | None = None) -> None:
    """Write to a temporary file beside the target, then rename. Callers go through write_output, which has
    checked that the target is a regular file or absent (`existing` is its lstat)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise IscmError(f"{path}: the folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise IscmError(f"{path}: cannot create a file in {directory} ({exc.strerror})") from None
    try:
        # mkstemp creates 0600; an output takes the existing file's mode, or what the umask gives a new file.
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
        os.fchmod(fd, mode)
        if existing is not None and os.geteuid() == 0:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise IscmError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
