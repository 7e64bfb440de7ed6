"""Roles are checked in the core: each role calls the services directly and is refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from growthdesk import keys
from growthdesk.db import open_database
from growthdesk.errors import PermissionDenied
from growthdesk.services import access, evaluations, students, users

PW = "secret-123"


@pytest.fixture()
def school(school_db):
    db = school_db
    db.kdf = keys.FAST_FOR_TESTS
    cls_id = db.sample["class_id"]
    with db.session(user="fixture") as s:
        other = students.create_class(s, 2025, 7, 4)
        body = "11010120120101" + "099"
        outsider = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body),
                                           name="赵六", gender="M", birth_date=date(2012, 5, 1), class_id=other.id)
        admin = users.create_user(s, "admin", "管理员", "school_admin", PW)
        teacher = users.create_user(s, "teacher01", "李老师", "teacher", PW)
        users.assign_class(s, teacher.id, cls_id, "科学")
        adviser = users.create_user(s, "adviser", "王老师", "adviser", PW)
        students.update_class(s, cls_id, adviser_user_id=adviser.id)
        users.create_user(s, "district", "区里", "district_staff", PW)
    db.sample.update(admin_id=admin.id, teacher_id=teacher.id, outsider_id=outsider.id, other_class=other.id)
    return db


def _refused(db, login, action):
    with pytest.raises(PermissionDenied) as exc:
        with db.session(user=login) as s:
            action(s)
    assert exc.value.zh and exc.value.en and "this account" in exc.value.en
    return exc.value


def test_the_attack_of_the_issue_is_refused(school):
    db, info = school, school.sample
    admin_id = info["admin_id"]
    t = "teacher01"
    e = _refused(db, t, lambda s: users.update_user(s, info["teacher_id"], role="school_admin"))
    assert "only a school admin" in e.en and "teacher01" in e.en
    _refused(db, t, lambda s: users.create_user(s, "evil", "坏人", "school_admin", "evil-pass-1"))
    _refused(db, t, lambda s: users.set_password(s, admin_id, "taken-over-1"))
    _refused(db, t, lambda s: users.deactivate_user(s, admin_id))
    e = _refused(db, t, lambda s: students.delete_student(s, info["student_ids"][0]))
    assert "delete students" in e.en
    with db.session() as s:  # nothing of it happened
        admin = users.get_user(s, admin_id)
        assert admin.active and users.verify_password(PW, admin.password_hash)
        assert users.find_user(s, "teacher01").role == "teacher" and users.find_user(s, "evil") is None
        assert not students.get_student(s, info["student_ids"][0]).deleted


def test_each_role_reads_and_writes_its_own(school):
    db, info = school, school.sample
    mine, outsider = info["student_ids"][0], info["outsider_id"]
    term = "2025-2026-1"

    def evaluate(student_id):  # 科学 covers 创新能力 (see test_a_subject_teacher_writes_their_subjects_only)
        return lambda s: evaluations.record_process_evaluation(
            s, student_id=student_id, term_code=term, dimension="innovation", level="A", evaluator_role="teacher",
            evaluator_name="李老师", eval_date=date(2025, 10, 1))
    for login in ("teacher01", "adviser", "admin"):
        with db.session(user=login) as s:
            evaluate(mine)(s)
            access.require_student(s, mine)
    e = _refused(db, "teacher01", evaluate(outsider))
    assert "classes you teach" in e.en
    _refused(db, "adviser", evaluate(outsider))
    _refused(db, "district", evaluate(mine))
    _refused(db, "teacher01", lambda s: access.require_student(s, outsider))
    _refused(db, "district", lambda s: access.require_student(s, mine))
    _refused(db, "teacher01", lambda s: students.move_student(s, mine, info["other_class"]))
    _refused(db, "adviser", lambda s: students.create_class(s, 2025, 7, 9))
    with db.session(user="admin") as s:
        evaluate(outsider)(s)
        access.require_student(s, outsider)
    with db.session(user="adviser") as s:  # anyone changes their own password
        me = users.find_user(s, "adviser")
        users.set_password(s, me.id, "my-own-pass-2")


def test_a_subject_teacher_writes_their_subjects_only(school):
    """Least privilege: the 科学 teacher writes 学业水平 / 创新能力 / 实践能力 evaluations of their class,
    not 思想品德 or 身心健康; the class's adviser and the admin write every dimension; a second
    assignment (体育与健康) adds 身心健康; the school's own subject map is a setting."""
    import json

    from growthdesk.db import write_settings
    from growthdesk.models import ProcessEvaluation
    db, info = school, school.sample
    sid, term = info["student_ids"][0], "2025-2026-1"

    def evaluate(dimension):
        return lambda s: evaluations.record_process_evaluation(
            s, student_id=sid, term_code=term, dimension=dimension, level="B", evaluator_role="teacher",
            evaluator_name="李老师", eval_date=date(2025, 10, 1)).id
    e = _refused(db, "teacher01", evaluate("moral"))
    assert e.zh.startswith("您在该班任教的学科（科学）只能填写这些维度的过程性评价") and "思想品德" in e.zh
    assert "创新能力" in e.zh and "teacher01" in e.zh
    _refused(db, "teacher01", evaluate("health"))
    _refused(db, "teacher01", lambda s: evaluations.set_grid_level(
        s, student_id=sid, term_code=term, dimension="moral", evaluator_role="teacher", level="A",
        round_date=date(2025, 10, 1)))
    with db.session(user="teacher01") as s:
        own = evaluate("innovation")(s)
        evaluate("academic")(s)
    e = _refused(db, "teacher01", lambda s: evaluations.update_process_evaluation(s, own, dimension="moral"))
    assert "思想品德" in e.zh
    with db.session(user="adviser") as s:
        moral = evaluate("moral")(s)
    _refused(db, "teacher01", lambda s: evaluations.delete_process_evaluation(s, moral))
    _refused(db, "teacher01", lambda s: evaluations.update_process_evaluation(s, moral, level="A"))
    with db.session(user="admin") as s:
        evaluate("health")(s)
        users.assign_class(s, info["teacher_id"], info["class_id"], "体育与健康")
    with db.session(user="teacher01") as s:
        evaluate("health")(s)
    with db.session(user="admin") as s:
        write_settings(s, {"subject_dimensions": json.dumps({"科学": ["moral"]})})
    with db.session(user="teacher01") as s:
        evaluate("moral")(s)
    _refused(db, "teacher01", evaluate("innovation"))
    with db.session() as s:
        assert s.query(ProcessEvaluation).filter_by(student_id=sid, updated_by="teacher01").count() >= 3


def test_the_last_admin_stays(school):
    db, info = school, school.sample
    e = _refused(db, "admin", lambda s: users.deactivate_user(s, info["admin_id"]))
    assert "only active school admin" in e.en
    with db.session(user="admin") as s:
        second = users.create_user(s, "admin2", "副管理员", "school_admin", PW)
    with db.session(user="admin") as s:
        users.deactivate_user(s, second.id)
    _refused(db, "admin2", lambda s: students.create_class(s, 2025, 7, 8))  # deactivated: writes nothing


def test_the_cli_audit_names_the_logged_in_user(school, tmp_path, monkeypatch, capsys):
    from sqlalchemy import select

    from growthdesk.cli import main
    from growthdesk.models import AuditLog
    path = school.path
    school.close()
    monkeypatch.setenv("GROWTHDESK_PASSWORD", "wrong-password-1")
    assert main(["roster", "template", "awards", "--db", str(path), "--class", "初一(3)班",
                 "--out", str(tmp_path / "t.xlsx")]) == 1
    assert "--user" in capsys.readouterr().err  # an account-holding database needs a login
    assert main(["--user", "admin", "roster", "template", "awards", "--db", str(path), "--class", "初一(3)班",
                 "--out", str(tmp_path / "t.xlsx")]) == 1
    assert "wrong login or password" in capsys.readouterr().err
    monkeypatch.setenv("GROWTHDESK_PASSWORD", PW)
    from tests.test_sheets_cli import _roster
    args = ["roster", "import", "--db", str(path), str(_roster(tmp_path)), "--yes", "--school-year", "2025"]
    assert main(["--user", "teacher01", *args]) == 1  # a teacher adds no students
    assert "only a school admin" in capsys.readouterr().err
    assert main(["--user", "admin", *args]) == 0
    db = open_database(path, key=keys.unlock_key(path, "admin", PW))
    with db.session() as s:
        who = set(s.scalars(select(AuditLog.user).where(AuditLog.table_name == "student")))
    db.close()
    assert who == {"fixture", "admin"}  # the template's students, then the logged-in admin's
