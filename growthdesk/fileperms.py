"""Owner-only permissions for every file and folder the app makes (where the OS has them).

Databases, their -wal/-shm, key files, backups, safety copies, evidence and exports hold
minors' data: 0600 files in 0700 folders on POSIX. On Windows the user's data folder is
already private to the user; ``chmod`` there only toggles read-only, so it is skipped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"


def private_dir(path: str | Path) -> Path:
    """``mkdir -p`` with 0700 for the folders it makes (existing parents are left alone)."""
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        tighten(path)
    return path


def tighten(path: str | Path) -> None:
    """0600 for a file, 0700 for a folder; silently nothing where the OS does not allow it."""
    if not POSIX:
        return
    path = Path(path)
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)


def tighten_sqlite(path: str | Path) -> None:
    """A database and the -wal/-shm/-journal SQLite keeps beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            tighten(p)


def touch_private(path: str | Path) -> None:
    """Create an empty file 0600 before SQLite opens it (SQLite gives its -wal/-shm the same mode)."""
    path = Path(path)
    if path.exists():
        tighten(path)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    tighten(path)


@contextlib.contextmanager
def private_file(path: str | Path, mode: str = "wb") -> Iterator:
    """Open for writing, created 0600 from the start (no window where it is world-readable)."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    tighten(path)
    with os.fdopen(fd, mode) as fh:
        yield fh


__all__ = ["private_dir", "tighten", "tighten_sqlite", "touch_private", "private_file"]
