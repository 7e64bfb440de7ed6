"""Damage a real SQLite file the way a bad disk or a cut power line does (tests only)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def damage_table(path: Path, table: str) -> int:
    """Overwrite the b-tree page header of one of ``table``'s pages (the database must be closed,
    its WAL checkpointed). The file still opens; ``PRAGMA quick_check`` fails, and reading the
    table says "database disk image is malformed". Returns the page number damaged."""
    con = sqlite3.connect(path)
    try:
        pages = [r[0] for r in con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    assert pages and pages[-1] != 1, f"{table} has no page of its own to damage"
    page = pages[-1]
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(b"\x00\xff\xff\xff\xff\xff\xff\xff")  # no valid b-tree page type, cells beyond the page
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = con.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError:
        result = [("malformed",)]
    finally:
        con.close()
    assert result != [("ok",)], "the damage was not detected; pick another table"
    return page


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
