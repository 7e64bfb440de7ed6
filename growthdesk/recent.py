"""Which databases this PC opened: the last one (opened again at the next start) and a short
list of recent ones for the File menu. Qt-free; one small JSON file in the data folder
(``databases.json``), written atomically. Only paths, kinds and school/district names are kept:
no personal data.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .paths import data_dir

FILE_NAME = "databases.json"
MAX_RECENT = 8


@dataclass
class RecentDatabase:
    target: str           # a SQLite file path (absolute) or an SQLAlchemy URL
    kind: str = ""        # school | district
    name: str = ""        # school or district name, as the menu shows it
    role: str = ""        # hub | workstation | district (node role), "" when unknown
    demo: bool = False
    opened_at: str = ""

    def exists(self) -> bool:
        """A file that is still there (a URL database is taken to exist)."""
        if "://" in self.target:
            return True
        path = Path(self.target)
        return path.exists() and path.stat().st_size > 0


def _file() -> Path:
    return data_dir() / FILE_NAME


def _normal(target: str | Path) -> str:
    text = str(target)
    if "://" in text:
        return text
    return str(Path(text).expanduser().resolve())


def load() -> list[RecentDatabase]:
    """The remembered databases, most recent first. An unreadable file counts as empty."""
    try:
        doc = json.loads(_file().read_text(encoding="utf-8"))
        rows = doc.get("recent", []) if isinstance(doc, dict) else []
        out = []
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("target"), str):
                out.append(RecentDatabase(**{k: row[k] for k in RecentDatabase.__dataclass_fields__ if k in row}))
        return out
    except (OSError, ValueError, TypeError):
        return []


def _save(rows: list[RecentDatabase]) -> None:
    path = _file()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"version": 1, "recent": [asdict(r) for r in rows[:MAX_RECENT]]},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _has_password(target: str) -> bool:
    if "://" not in target:
        return False
    from sqlalchemy.engine import make_url
    try:
        return bool(make_url(target).password)
    except Exception:  # noqa: BLE001 - not a URL we can read: do not keep it either
        return True


def remember(target: str | Path, *, kind: str = "", name: str = "", role: str = "", demo: bool = False) -> None:
    """Put ``target`` first: the database the app opens at its next start. A database URL with
    a password in it is not written to disk (it would sit there in plain text)."""
    key = _normal(target)
    if _has_password(key):
        return
    rows = [r for r in load() if _normal(r.target) != key]
    rows.insert(0, RecentDatabase(key, kind, name, role, bool(demo),
                                  datetime.now().replace(microsecond=0).isoformat()))
    with contextlib.suppress(OSError):  # a read-only data folder must not stop the app
        _save(rows)


def remember_database(db, target: str | Path) -> None:
    """``remember`` with what an open ``Database`` says about itself."""
    settings = db.settings
    name = settings.get("school_name") or settings.get("district_name") or ""
    remember(target, kind=db.kind or "", name=name, role=settings.get("node_role", ""),
             demo=bool(settings.get("demo_login")))


def forget(target: str | Path) -> None:
    key = _normal(target)
    rows = [r for r in load() if _normal(r.target) != key]
    with contextlib.suppress(OSError):
        _save(rows)


def last() -> RecentDatabase | None:
    """The database opened last (the launcher says so if it is gone, and offers its backup)."""
    rows = load()
    return rows[0] if rows else None


def recent() -> list[RecentDatabase]:
    return load()


__all__ = ["RecentDatabase", "remember", "remember_database", "forget", "last", "recent", "load"]
