"""Where a database target lives on disk, without SQLAlchemy (the launcher decides what to show
before the database layer has loaded: the log-in dialog of an encrypted file comes first).
``db`` re-exports these; its ``sqlite_path`` handles every URL form."""

from __future__ import annotations

from pathlib import Path

from . import keys

SQLITE_MAGIC = b"SQLite format 3\x00"


def to_url(target: str | Path) -> str:
    """A path becomes a SQLite URL; anything with ``://`` is taken as an SQLAlchemy URL."""
    s = str(target)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).expanduser().resolve()}"


def file_path(target: str | Path) -> Path | None:
    """The SQLite file of ``target`` (``db.sqlite_path(to_url(target))``); a URL is parsed by
    SQLAlchemy, a plain path needs nothing."""
    s = str(target)
    if "://" in s:
        from .db import sqlite_path
        return sqlite_path(s)
    return Path(s).expanduser().resolve()


def is_encrypted(path: Path) -> bool:
    """An SQLCipher file: not plain SQLite, with its key file beside it."""
    if not path.is_file() or path.stat().st_size == 0:
        return keys.keyfile_path(path).is_file()
    with open(path, "rb") as fh:
        head = fh.read(16)
    return head != SQLITE_MAGIC and keys.keyfile_path(path).is_file()
