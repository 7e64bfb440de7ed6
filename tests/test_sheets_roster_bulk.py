"""The roster's bulk writes (``sheets.bulk``) store and audit what the ORM path stores and audits."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from growthdesk.errors import GrowthDeskError
from growthdesk.models import AuditLog, Enrollment, Setting, Student
from growthdesk.sheets.roster import apply_roster, import_roster, preview_roster
from tests.fixtures.sheets.helpers import student_no, write_xlsx

YEAR = 2025
HEADER = ["姓名", "性别", "学籍号", "出生日期", "班级"]
SKIP = {"id", "national_student_no", "person_key", "created_at", "updated_at", "usn", "clock", "versions",
        "student_id"}


def _audit(s, table: str, record_id: str) -> dict:
    row = s.scalars(select(AuditLog).where(AuditLog.table_name == table, AuditLog.record_id == record_id)).one()
    assert (row.action, row.before_json, row.user) == ("create", "", "admin")
    return json.loads(row.after_json)


def test_bulk_student_and_its_audit_row_equal_the_services(bare_school_db, tmp_path):
    from growthdesk.services import students as svc

    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["欧阳娜娜", "女", student_no(1), "2012-03-05", "初二(4)班"]])
    import_roster(bare_school_db, path, school_year=YEAR, user="admin")
    with bare_school_db.session(user="admin") as s:
        cls = svc.find_class(s, "初二(4)班", school_year=YEAR)
        ref = svc.create_student(s, national_student_no=student_no(2), name="欧阳娜娜", gender="F",
                                 birth_date=date(2012, 3, 5), class_id=cls.id)
    with bare_school_db.session() as s:
        mine = s.scalars(select(Student).where(Student.national_student_no == student_no(1))).one()
        ref = s.get(Student, ref.id)
        a, b = _audit(s, "student", mine.id), _audit(s, "student", ref.id)
        # every column, in the same form; the bookkeeping is the record's own
        assert set(a) == set(b) == {c.key for c in Student.__mapper__.column_attrs}
        assert {k: v for k, v in a.items() if k not in SKIP} == {k: v for k, v in b.items() if k not in SKIP}
        assert (a["id"], a["usn"], a["clock"], a["versions"]) == (mine.id, mine.usn, mine.clock, mine.versions)
        assert a["name_pinyin"] == "ouyangnana oynn" and a["deleted"] is False
        # the stamps of a creation: one usn and clock per transaction, versions {"*": [clock, node]}
        assert json.loads(mine.versions) == {"*": [mine.clock, "S0001"]} and mine.updated_by == "admin"
        assert mine.usn == int(s.scalars(select(Setting.value).where(Setting.key == "usn")).one()) - 1
        e_mine, e_ref = (s.scalars(select(Enrollment).where(Enrollment.student_id == sid)).one()
                         for sid in (mine.id, ref.id))
        ea, eb = _audit(s, "enrollment", e_mine.id), _audit(s, "enrollment", e_ref.id)
        assert set(ea) == set(eb)
        assert {k: v for k, v in ea.items() if k not in SKIP} == {k: v for k, v in eb.items() if k not in SKIP}
        assert ea["student_id"] == mine.id and e_mine.usn == mine.usn


def test_a_teacher_may_not_add_students_by_roster(bare_school_db, tmp_path):
    """The bulk rows bypass the flush guard, so the roster asks it itself: nothing is written."""
    from growthdesk.services import users

    with bare_school_db.session() as s:
        users.create_user(s, "admin", "管理员", "school_admin", "Abcd1234!x", password_hash="x")
        users.create_user(s, "t1", "李老师", "teacher", "Abcd1234!x", password_hash="x")
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["张三", "男", student_no(1), "2012-03-05", "初二(4)班"]])
    pv = preview_roster(bare_school_db, path, school_year=YEAR)
    with pytest.raises(GrowthDeskError):
        apply_roster(bare_school_db, pv, user="t1")
    with bare_school_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.table_name == "student")) == 0
    assert apply_roster(bare_school_db, pv, user="admin").created == 1


def test_many_rows_one_audit_row_each_and_one_usn(bare_school_db, tmp_path):
    rows = [HEADER] + [[f"学生{i}", "男" if i % 2 else "女", student_no(i), "2012-03-05", f"初一({i % 7 + 1})班"]
                       for i in range(1, 1301)]
    _pv, result = import_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR,
                                user="admin")
    assert result.created == 1300 and len(result.classes_created) == 7
    with bare_school_db.session() as s:
        for model, table in ((Student, "student"), (Enrollment, "enrollment")):
            ids = set(s.scalars(select(model.id)))
            assert len(ids) == 1300
            assert set(s.scalars(select(AuditLog.record_id).where(AuditLog.table_name == table))) == ids
        assert set(s.scalars(select(Student.usn))) == set(s.scalars(select(Enrollment.usn))) and \
            len(set(s.scalars(select(Student.usn)))) == 1
        keys = dict(s.execute(select(Student.name, Student.name_pinyin)).all())
        from growthdesk.services.pinyin import name_pinyin
        assert all(keys[n] == name_pinyin(n) for n in ("学生1", "学生12", "学生1300"))
