"""The whole content of a SQLite database file as SQL text: tests compare it before and after
a refused write to prove that nothing at all changed."""

from __future__ import annotations

import sqlite3


def dump(db) -> list[str]:
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()
