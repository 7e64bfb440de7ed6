"""backup.py: online backups of a database in use, automatic backups and their pruning."""

from __future__ import annotations

import sqlite3

import pytest

from growthdesk.backup import automatic_backup, backup, inspect_file
from growthdesk.errors import ValidationError
from growthdesk.paths import backups_dir
from growthdesk.services.students import create_student


def test_backup_of_an_open_database_holds_its_committed_rows(bare_school_db, tmp_path):
    with bare_school_db.session(user="admin") as s:  # committed, still in the WAL: the copy must see it
        create_student(s, national_student_no="G330106201201010012", name="张三", gender="M", stage="junior")
    info = backup(bare_school_db.url, tmp_path / "copy.db")
    assert info.kind == "school" and info.school_code == "S0001"
    assert not (tmp_path / "copy.db-wal").exists()              # one self-contained file
    con = sqlite3.connect(tmp_path / "copy.db")
    assert con.execute("SELECT name, name_pinyin FROM student").fetchall() == [("张三", "zhangsan zs")]
    con.close()
    assert not list(tmp_path.glob("*.partial"))


def test_automatic_backups_keep_the_newest(bare_school_db):
    path = bare_school_db.path
    made = [automatic_backup(path, keep=3) for _ in range(5)]
    kept = sorted(backups_dir(path).glob("*.db"))
    assert kept == sorted(made[-3:])
    assert all(inspect_file(p).kind == "school" for p in kept)


def test_automatic_backup_has_nothing_to_do_without_a_file(tmp_path):
    assert automatic_backup(tmp_path / "none.db") is None
    assert automatic_backup("postgresql+psycopg://u@localhost/gd") is None


def test_backup_is_for_sqlite_files_only(tmp_path):
    with pytest.raises(ValidationError) as err:
        backup("postgresql+psycopg://u@localhost/gd", tmp_path / "x.db")
    assert "pg_dump" in str(err.value)


def test_a_safety_copy_cut_short_by_kill_is_partial_not_a_backup(bare_school_db, tmp_path):
    """kill -9 of a restore while it writes its safety copy (issue 13): the half-written copy is
    named .partial, is never the newest backup nor counted by the keep-newest pruning, and the
    next backup removes it once stale. The database itself is untouched."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from growthdesk.app_launch import latest_backup
    from growthdesk.backup import PAUSE_ENV, STALE_PARTIAL_SECONDS, automatic_backups, clean_partials
    from growthdesk.db import integrity_ok
    from tests.damage import file_digest

    path = bare_school_db.path
    bare_school_db.close()
    older = automatic_backup(path)
    other = tmp_path / "other.db"
    backup(path, other)
    before = file_digest(path)
    marker = tmp_path / "copying"
    env = dict(os.environ, **{PAUSE_ENV: f"60:{marker}"})
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from growthdesk.backup import restore; "
                             "restore(sys.argv[1], sys.argv[2])", str(path), str(other)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    partials = list(backups_dir(path).glob("*.partial"))
    assert len(partials) == 1 and partials[0].stat().st_size > 0      # half-written, and named so
    assert automatic_backups(path) == [older]
    assert latest_backup(path) == older                                 # never offered as a backup
    assert file_digest(path) == before and integrity_ok(path)[0]
    made = [automatic_backup(path, keep=5) for _ in range(5)]
    assert automatic_backups(path) == sorted(made)                       # five real ones kept
    assert partials[0].exists()                                          # fresh: maybe still being written
    old = time.time() - STALE_PARTIAL_SECONDS - 5
    os.utime(partials[0], (old, old))
    automatic_backup(path, keep=5)
    assert not partials[0].exists() and clean_partials(backups_dir(path)) == []


def test_a_copy_cut_short_by_an_older_version_is_not_offered(bare_school_db):
    """Copies named *.db by an older version may be half-written: the newest *usable* one is offered."""
    from growthdesk.app_launch import latest_backup

    path = bare_school_db.path
    good = automatic_backup(path)
    cut = backups_dir(path) / f"{path.stem}-99991231-000000-000000.db"
    cut.write_bytes(good.read_bytes()[:8192])
    assert latest_backup(path) == good
