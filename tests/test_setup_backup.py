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
