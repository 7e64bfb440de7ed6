"""services.students: national numbers, classes, students, moves; failed writes change nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.models import AuditLog, Enrollment, Setting, Student
from growthdesk.services import students
from tests.dbdump import dump


def new_no(i: int) -> str:
    body = f"3201022013050{i:04d}"
    return "G" + body + students.gb11643_check(body)


def test_national_number_checksum_and_normalising():
    # GB 11643 worked example: 11010519491231002 → check digit X.
    assert students.gb11643_check("11010519491231002") == "X"
    assert students.validate_national_student_no("G11010519491231002X") == "G11010519491231002X"
    assert students.validate_national_student_no(" g110105 1949 1231002x ") == "G11010519491231002X"
    assert students.validate_national_student_no("Ｇ１１０１０５１９４９１２３１００２Ｘ") == "G11010519491231002X"
    # temporary numbers carry no checksum
    assert students.validate_national_student_no("L123456789012345678") == "L123456789012345678"


@pytest.mark.parametrize("bad", ["G110105194912310021", "110105194912310021X", "G1101051949123100X", "", None,
                                 "X11010519491231002X", "G11010519491231002Y"])
def test_national_number_rejects(bad):
    with pytest.raises(ValidationError) as err:
        students.validate_national_student_no(bad)
    assert err.value.field == "national_student_no"
    assert "学籍号" in err.value.zh and "national student number" in err.value.en


def test_create_student_derives_stage_year_person_key_and_enrollment(school_db):
    with school_db.session(user="admin") as s:
        cls = students.find_class(s, "初一(3)班")
        st = students.create_student(s, national_student_no=new_no(1), name=" 赵六 ", gender="女",
                                     birth_date="2013-05-01", class_id=cls.id)
    with school_db.session() as s:
        st = s.get(Student, st.id)
        assert (st.name, st.gender, st.stage, st.entry_year, st.school_code) == ("赵六", "F", "junior", 2025, "S0001")
        expected = hmac.new(("11" * 32).encode(), new_no(1).encode(), hashlib.sha256).hexdigest()
        assert st.person_key == expected
        rows = s.scalars(select(Enrollment).where(Enrollment.student_id == st.id)).all()
        assert [(r.class_id, r.reason, r.end_date) for r in rows] == [(cls.id, "entry", None)]
        assert students.get_student_by_no(s, new_no(1).lower()).id == st.id


def test_person_key_with_empty_secret_is_deterministic():
    a = students.person_key("", "G11010519491231002X")
    assert a == students.person_key("", "G11010519491231002X") != students.person_key("k", "G11010519491231002X")
    assert len(a) == 64


def _student_args(**over):
    args = dict(national_student_no=new_no(9), name="钱七", gender="M", birth_date=date(2012, 6, 1), stage="junior")
    args.update(over)
    return args


@pytest.mark.parametrize("over,field", [
    ({"national_student_no": "DUP"}, "national_student_no"),
    ({"birth_date": date.today() + timedelta(days=1)}, "birth_date"),
    ({"birth_date": date.today() - timedelta(days=365 * 2)}, "birth_date"),
    ({"birth_date": date(1990, 1, 1)}, "birth_date"),
    ({"name": "  "}, "name"),
    ({"gender": "X"}, "gender"),
    ({"stage": None}, "stage"),
    ({"national_student_no": "G123"}, "national_student_no"),
])
def test_create_student_rejects_and_changes_nothing(school_db, over, field):
    if over.get("national_student_no") == "DUP":
        over = {"national_student_no": school_db.sample["student_nos"][0]}
    before = dump(school_db)
    with pytest.raises(ValidationError) as err:
        with school_db.session(user="admin") as s:
            students.create_student(s, **_student_args(**over))
    assert err.value.field == field
    assert dump(school_db) == before


def test_duplicate_number_error_names_the_existing_student(school_db):
    with school_db.session(user="admin") as s:
        with pytest.raises(ValidationError) as err:
            students.create_student(s, **_student_args(national_student_no=school_db.sample["student_nos"][1]))
        # validation runs before anything is added, so the caught error leaves the session clean
        assert not s.new and not s.dirty
    assert "李四" in err.value.zh and "李四" in err.value.en and "初一(3)班" in err.value.zh


def test_class_creation_and_lookup(school_db):
    with school_db.session(user="admin") as s:
        with pytest.raises(ValidationError) as err:
            students.create_class(s, 2025, 7, 3)
        assert "初一(3)班" in err.value.zh
        c2026 = students.create_class(s, 2026, 7, 3)
        students.create_class(s, 2025, 8, 1)
        with pytest.raises(ValidationError):
            students.create_class(s, 2025, 13, 1)
    with school_db.session() as s:
        assert students.find_class(s, "七年级3班").id == c2026.id   # latest year by default
        assert students.find_class(s, "初一（3）班", school_year=2025).id == school_db.sample["class_id"]
        assert students.find_class(s, c2026.id).id == c2026.id
        assert [(c.school_year, c.grade) for c in students.list_classes(s, 2025)] == [(2025, 7), (2025, 8)]
        with pytest.raises(NotFoundError) as err:
            students.find_class(s, "初三(9)班")
        assert "初一(3)班" in err.value.zh


def test_move_student_writes_enrollments_and_audit(school_db):
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="admin") as s:
        other = students.create_class(s, 2025, 7, 4)
    with school_db.session(user="admin") as s:
        students.move_student(s, sid, other.id, "调班")
    with school_db.session() as s:
        rows = students.enrollments(s, sid)
        assert [(r.class_id, r.reason) for r in rows] == [(school_db.sample["class_id"], "entry"), (other.id, "reassignment")]
        assert rows[0].end_date == date.today() and rows[1].end_date is None
        assert s.get(Student, sid).class_id == other.id
        audit = s.scalars(select(AuditLog).where(AuditLog.table_name == "student", AuditLog.record_id == sid,
                                                 AuditLog.action == "update")).one()
        assert json.loads(audit.before_json) == {"class_id": school_db.sample["class_id"]}
        assert json.loads(audit.after_json) == {"class_id": other.id}
        assert audit.user == "admin"
    with school_db.session(user="admin") as s:
        students.move_student(s, sid, None, "transfer_out")
    with school_db.session() as s:
        st = s.get(Student, sid)
        assert (st.class_id, st.status) == (None, "transferred_out")


def test_update_student_validates_everything_first(school_db):
    sid, other_no = school_db.sample["student_ids"][0], school_db.sample["student_nos"][1]
    before = dump(school_db)
    with pytest.raises(ValidationError) as err:
        with school_db.session(user="admin") as s:
            students.update_student(s, sid, name="新名字", national_student_no=other_no)
    assert err.value.field == "national_student_no"
    assert dump(school_db) == before
    with school_db.session(user="admin") as s:
        students.update_student(s, sid, name="张三丰", status="suspended")
    with school_db.session() as s:
        assert (s.get(Student, sid).name, s.get(Student, sid).status) == ("张三丰", "suspended")


def test_delete_student_is_soft_and_hidden(school_db):
    sid, no = school_db.sample["student_ids"][2], school_db.sample["student_nos"][2]
    with school_db.session(user="admin") as s:
        students.delete_student(s, sid)
    with school_db.session(user="admin") as s:
        assert s.get(Student, sid).deleted is True
        assert [st.name for st in students.students_in_class(s, school_db.sample["class_id"])] == ["张三", "李四"]
        with pytest.raises(NotFoundError):
            students.get_student_by_no(s, no)
        actions = s.scalars(select(AuditLog.action).where(AuditLog.record_id == sid)).all()
        assert actions == ["create", "delete"]
        # the number is free again: a deleted record does not block re-entering the student
        students.create_student(s, national_student_no=no, name="王五", gender="M", birth_date=date(2012, 3, 3),
                                class_id=school_db.sample["class_id"])


def test_usn_increases_once_per_transaction(school_db):
    def usn():
        with school_db.session() as s:
            return int(s.get(Setting, "usn").value)

    start = usn()
    with school_db.session(user="admin") as s:
        a = students.create_student(s, **_student_args(national_student_no=new_no(21)))
        b = students.create_student(s, **_student_args(national_student_no=new_no(22)))
    assert usn() == start + 1
    with school_db.session(user="admin") as s:
        students.update_student(s, a.id, name="孙八")
    assert usn() == start + 2
    with school_db.session() as s:
        assert (s.get(Student, a.id).usn, s.get(Student, b.id).usn) == (start + 2, start + 1)
        assert s.scalar(select(func.count()).select_from(Student)) == 5


def test_update_student_class_change_is_a_move_and_clearing_it_is_refused(school_db):
    sid = school_db.sample["student_ids"][1]
    with school_db.session(user="admin") as s:
        other = students.create_class(s, 2025, 7, 5)
    before = dump(school_db)
    with school_db.session(user="admin") as s:
        with pytest.raises(ValidationError) as err:
            students.update_student(s, sid, name="李四四", class_id=None)
        assert err.value.field == "class_id" and not s.dirty   # refused before the name changed
    assert dump(school_db) == before
    with school_db.session(user="admin") as s:
        students.update_student(s, sid, class_id=other.id, note="")
    with school_db.session() as s:
        assert [r.reason for r in students.enrollments(s, sid)] == ["entry", "reassignment"]
        assert s.get(Student, sid).class_id == other.id
