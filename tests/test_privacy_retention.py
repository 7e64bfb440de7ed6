"""Retention: students who left long ago are listed for the admin, then deleted for real."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from growthdesk.errors import PermissionDenied
from growthdesk.models import Enrollment, Student
from growthdesk.services import retention, students, users


@pytest.fixture()
def school(school_db, tmp_path):
    db = school_db
    from growthdesk import keys
    db.kdf = keys.FAST_FOR_TESTS
    with db.session(user="fixture") as s:
        users.create_user(s, "admin", "管理员", "school_admin", "secret-123")
        users.create_user(s, "teacher01", "李老师", "teacher", "secret-123")
        old, recent = db.sample["student_ids"][:2]
        for sid, end in ((old, date(2020, 7, 1)), (recent, date(2025, 7, 1))):
            st = s.get(Student, sid)
            st.status = "graduated"
            for e in s.scalars(select(Enrollment).where(Enrollment.student_id == sid)):
                e.end_date = end
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"certificate of " + "张三".encode() * 20)
    from growthdesk.services import evidence
    with db.session(user="fixture") as s:
        evidence.attach_file(s, db.path, owner_type="student", owner_id=old, file_path=photo, kind="certificate")
    return db


def test_admin_sees_the_list_and_the_deletion_is_real(school):
    db = school
    old, recent = db.sample["student_ids"][:2]
    with pytest.raises(PermissionDenied):
        with db.session(user="teacher01") as s:
            retention.due(s, today=date(2026, 12, 1))
    with db.session(user="admin") as s:
        due = retention.due(s, today=date(2026, 12, 1))
    assert [d.id for d in due] == [old] and due[0].name == "张三" and due[0].left_on == date(2020, 7, 1)
    from growthdesk.services.evidence import evidence_file_path
    with db.session() as s:
        from growthdesk.models import Evidence
        sha = s.scalars(select(Evidence.sha256)).one()
    assert evidence_file_path(db.path, sha).is_file()
    result = retention.purge(db, [old], user="admin")
    assert result["students"] == 1 and result["evidence_files_removed"] == 1
    assert not evidence_file_path(db.path, sha).exists()
    with db.session() as s:
        st = s.get(Student, old)
        assert st.deleted and st.name == "" and st.national_student_no is None  # a tombstone that travels, empty
        from growthdesk.services import accesslog
        log = accesslog.entries(s)[0]
        assert log.action == "retention_delete" and log.student_ids == old and accesslog.verify(s).ok
    db.close()
    blob = db.path.read_bytes()
    wal = db.path.with_name(db.path.name + "-wal")
    blob += wal.read_bytes() if wal.exists() else b""
    assert "张三".encode() not in blob and db.sample["student_nos"][0].encode() not in blob
    assert "李四".encode() in blob  # the others stay


def test_retention_years_is_a_setting(school):
    db = school
    with db.session(user="admin") as s:
        retention.set_retention_years(s, 1)
        assert {d.id for d in retention.due(s, today=date(2026, 12, 1))} == set(db.sample["student_ids"][:2])
        with pytest.raises(Exception):
            retention.set_retention_years(s, 0)
