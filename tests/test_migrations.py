"""Databases made by older schema revisions open with their data; newer or foreign ones are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.db import current_revision, head_revision, open_database
from growthdesk.errors import DatabaseError
from growthdesk.models import Student

FIXTURE = Path(__file__).parent / "fixtures" / "school_rev0001.db"


@pytest.fixture()
def rev0001(tmp_path) -> Path:
    path = tmp_path / "old-school.db"
    shutil.copyfile(FIXTURE, path)
    return path


def test_fixture_really_is_at_revision_0001(rev0001):
    con = sqlite3.connect(rev0001)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        columns = {r[1] for r in con.execute("PRAGMA table_info(student)")}
    finally:
        con.close()
    assert "name" in columns and "name_pinyin" not in columns


def test_revision_0001_database_opens_migrated_with_its_data_and_pinyin_filled(rev0001):
    db = open_database(rev0001)
    try:
        assert current_revision(db.engine) == head_revision() != "0001"
        assert db.kind == "school" and db.school_code == "S0001"
        with db.session() as s:
            keys = {st.name: st.name_pinyin for st in s.scalars(select(Student))}
    finally:
        db.close()
    assert keys == {"张三": "zhangsan zs", "李思思": "lisisi lss", "曾小贤": "zengxiaoxian zxx",
                    "欧阳娜娜": "ouyangnana oynn"}


def test_new_students_after_migration_get_their_search_key(rev0001):
    from growthdesk.services.students import create_student

    db = open_database(rev0001)
    try:
        with db.session(user="admin") as s:
            st = create_student(s, national_student_no="G330106201205050011", name="单小明", gender="M",
                                stage="junior")
            assert st.name_pinyin == "shanxiaoming sxm"
    finally:
        db.close()


def test_database_from_a_newer_version_is_refused_untouched(rev0001):
    con = sqlite3.connect(rev0001)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.close()
    before = rev0001.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_database(rev0001)
    assert "newer" in str(err.value) and "更新版本" in str(err.value)
    assert rev0001.read_bytes() == before


def test_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库 " * 100, encoding="utf-8")
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert "not an SQLite file" in str(err.value)


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other-app.db"
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
        con.execute("INSERT INTO orders(item) VALUES ('book')")
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert "not a GrowthDesk database" in str(err.value)
    assert path.read_bytes() == before
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert tables == {"orders"}


def test_fast_revision_reading_agrees_with_alembic():
    """db.py reads revisions as text so an up-to-date database opens without Alembic."""
    from alembic.script import ScriptDirectory

    from growthdesk.db import _known_revisions, alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert _known_revisions() == {r.revision for r in script.walk_revisions()}
