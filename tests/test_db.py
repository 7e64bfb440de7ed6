"""Opening databases: ours, foreign, damaged, newer; pragmas; all-or-nothing writes; tracking."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from growthdesk.db import head_revision, open_database
from growthdesk.errors import DatabaseError
from growthdesk.models import AuditLog, SchoolClass, Setting, Student


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_file_is_refused_without_creating_it(tmp_path):
    target = tmp_path / "nope.db"
    with pytest.raises(DatabaseError) as err:
        open_database(target)
    assert "不存在" in err.value.zh and "not found" in err.value.en
    assert not target.exists()


def test_non_sqlite_file_is_refused_and_untouched(tmp_path):
    target = tmp_path / "notes.db"
    target.write_bytes("这是一个文本文件，不是数据库\n".encode() * 100)
    before = _digest(target)
    with pytest.raises(DatabaseError) as err:
        open_database(target)
    assert "不是 GrowthDesk 数据库" in err.value.zh
    assert _digest(target) == before


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    target = tmp_path / "other.db"
    con = sqlite3.connect(target)
    con.execute("CREATE TABLE grades (name TEXT, score INT)")
    con.execute("INSERT INTO grades VALUES ('x', 1)")
    con.commit()
    con.close()
    before = _digest(target)
    with pytest.raises(DatabaseError) as err:
        open_database(target, create=True)
    assert "不是 GrowthDesk 数据库" in err.value.zh
    assert _digest(target) == before


def test_database_from_a_newer_version_is_refused(bare_school_db):
    path = bare_school_db.path
    with bare_school_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    bare_school_db.close()
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert "更新版本" in err.value.zh and "9999_future" in err.value.zh


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(bare_school_db):
    with bare_school_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_reopening_keeps_kind_and_schema_head(bare_school_db):
    path = bare_school_db.path
    bare_school_db.close()
    db = open_database(path)
    assert db.kind == "school" and db.school_code == "S0001"
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    db.close()


def _counts(db) -> tuple[int, int, int, str]:
    with db.session() as s:
        usn = s.get(Setting, "usn")
        return (s.scalar(select(func.count()).select_from(Student)),
                s.scalar(select(func.count()).select_from(SchoolClass)),
                s.scalar(select(func.count()).select_from(AuditLog)),
                usn.value if usn else "0")


def test_failed_write_leaves_nothing_half_done(bare_school_db):
    db = bare_school_db
    before = _counts(db)
    with pytest.raises(IntegrityError):
        with db.session("teacher1") as s:
            cls = SchoolClass(school_year=2025, grade=7, class_no=1)
            s.add(cls)
            s.flush()
            s.add(Student(national_student_no="G1", name="王小明", gender="M", stage="junior", class_id=cls.id))
            s.flush()
            # A gender outside the vocabulary is stopped by the CHECK constraint at the door.
            s.add(Student(national_student_no="G2", name="李小红", gender="X", stage="junior", class_id=cls.id))
    assert _counts(db) == before


def test_every_change_is_stamped_and_audited(bare_school_db):
    db = bare_school_db
    with db.session("admin") as s:
        cls = SchoolClass(school_year=2025, grade=7, class_no=2)
        s.add(cls)
        s.flush()
        s.add(Student(national_student_no="G3", name="赵一", gender="F", stage="junior",
                      class_id=cls.id, birth_date=date(2012, 5, 1)))
    with db.session("teacher2") as s:
        st = s.scalars(select(Student)).one()
        first_usn = st.usn
        st.name = "赵二"
    with db.session() as s:
        st = s.scalars(select(Student)).one()
        assert st.usn == first_usn + 1 and st.updated_by == "teacher2" and st.school_code == "S0001"
        rows = s.scalars(select(AuditLog).where(AuditLog.record_id == st.id).order_by(AuditLog.id)).all()
        assert [r.action for r in rows] == ["create", "update"]
        assert rows[1].user == "teacher2"
        assert '"赵一"' in rows[1].before_json and '"赵二"' in rows[1].after_json
