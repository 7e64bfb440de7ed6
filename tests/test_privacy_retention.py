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


def test_guardian_export_correct_and_delete_on_a_demo_school(tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from growthdesk import keys
    from growthdesk.demo import create_demo_school
    from growthdesk.services import accesslog, guardian
    db = create_demo_school(tmp_path / "demo.db", students=30, terms=2, seed=3)
    db.kdf = keys.FAST_FOR_TESTS
    with db.session() as s:
        st = s.scalars(select(Student).where(Student.deleted.is_(False)).order_by(Student.name)).first()
        sid, name = st.id, st.name
    with pytest.raises(Exception):
        guardian.export_all(db, sid, tmp_path / "out", reason="", user="admin")  # a reason is required
    with pytest.raises(PermissionDenied):
        guardian.export_all(db, sid, tmp_path / "out", reason="家长申请", user="teacher01")
    res = guardian.export_all(db, sid, tmp_path / "out", reason="家长申请查阅", user="admin")
    wb = load_workbook(res["xlsx"], read_only=True)
    assert name in str([c.value for row in wb.worksheets[0].iter_rows() for c in row])
    assert len(wb.sheetnames) == 7 and res["records"] > 3
    text = "".join(p.extract_text() for p in PdfReader(res["pdf"]).pages)
    assert name in text and "过程性评价" in text
    guardian.correct(db, sid, {"note": "监护人更正"}, reason="家长申请更正", user="admin")
    result = guardian.delete(db, sid, reason="家长申请删除", user="admin")
    assert result["students"] == 1
    with db.session() as s:
        assert s.get(Student, sid).deleted and s.get(Student, sid).name == ""
        actions = [e.action for e in accesslog.entries(s)]
        assert actions[:3] == ["guardian_delete", "guardian_correct", "guardian_export"] and accesslog.verify(s).ok
    db.close()
