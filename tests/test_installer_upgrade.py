"""Upgrade safety: a new version opening an older database backs it up first and keeps the last N.

The old database is the committed fixture ``tests/fixtures/school_rev0001.db`` (made by schema
revision 0001, with a school, a class and four students), copied into tmp_path.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from growthdesk.db import AUTOMATIC_BACKUPS_KEPT, current_revision, head_revision, open_database
from growthdesk.errors import DatabaseError
from growthdesk.paths import backups_dir

FIXTURE = Path(__file__).parent / "fixtures" / "school_rev0001.db"
OLD_REV = "0001"


def _old_db(tmp_path: Path, name: str = "school.db") -> Path:
    target = tmp_path / name
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(FIXTURE, target)
    return target


def _schema(path: Path) -> dict[str, list[str]]:
    """Table -> column names, read with plain sqlite3 (read-only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: [c[1] for c in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    finally:
        con.close()


def _query(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _needs_a_newer_schema():
    if head_revision() == OLD_REV:  # pragma: no cover - only before the first schema change
        pytest.skip("no schema revision after 0001 yet: nothing to upgrade")


def test_opening_an_old_database_leaves_a_backup_of_the_old_version_beside_it(tmp_path):
    path = _old_db(tmp_path)
    old_schema = _schema(path)
    assert _query(path, "SELECT version_num FROM alembic_version") == [(OLD_REV,)]

    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.close()

    folder = backups_dir(path)
    assert folder == tmp_path / "school.backups"  # beside the database, named after it
    backups = sorted(folder.glob("*.db"))
    assert len(backups) == 1
    backup = backups[0]
    # The backup is the old version: old revision, old schema, and the old data.
    assert _query(backup, "SELECT version_num FROM alembic_version") == [(OLD_REV,)]
    assert _schema(backup) == old_schema
    assert _schema(path) != old_schema  # while the database itself moved on
    names = [r[0] for r in _query(backup, "SELECT name FROM student ORDER BY name")]
    assert sorted(names) == sorted(["张三", "李思思", "曾小贤", "欧阳娜娜"])
    assert _query(backup, "PRAGMA integrity_check") == [("ok",)]
    # A self-contained file: no -wal needed beside it to read it.
    assert not Path(str(backup) + "-wal").exists()


def test_opening_a_current_database_makes_no_backup(tmp_path):
    path = _old_db(tmp_path)
    open_database(path).close()  # the upgrade: one backup
    open_database(path).close()  # already at head: no new backup
    open_database(path).close()
    assert len(list(backups_dir(path).glob("*.db"))) == 1


def test_only_the_last_n_automatic_backups_are_kept(tmp_path):
    path = _old_db(tmp_path)
    made = []
    for _ in range(AUTOMATIC_BACKUPS_KEPT + 2):
        _old_db(tmp_path)  # the school went back to the old version's file each time
        open_database(path).close()
        made.extend(p for p in backups_dir(path).glob("*.db") if p not in made)
    kept = sorted(backups_dir(path).glob("*.db"))
    assert AUTOMATIC_BACKUPS_KEPT == 5
    assert len(made) == AUTOMATIC_BACKUPS_KEPT + 2
    assert kept == sorted(made)[-AUTOMATIC_BACKUPS_KEPT:]  # the newest ones survive


def test_no_backup_no_upgrade(tmp_path):
    """If the backup cannot be written, the database is refused and left exactly as it was."""
    path = _old_db(tmp_path)
    before = path.read_bytes()
    backups_dir(path).write_text("a file where the backups folder should be")
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert "备份" in err.value.zh and "back up" in err.value.en
    assert path.read_bytes() == before
    assert _query(path, "SELECT version_num FROM alembic_version") == [(OLD_REV,)]
