"""services.users (scrypt, login, roles, visible classes) and services.audit (history)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from growthdesk.errors import PermissionDenied, ValidationError
from growthdesk.models import AuditLog, User
from growthdesk.services import audit, students, users


def test_password_hash_round_trip(production_kdf):
    stored = users.hash_password("正确的密码123")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p, len(salt), len(digest)) == ("scrypt", "131072", "8", "1", 32, 64)  # OWASP
    assert users.verify_password("正确的密码123", stored)
    assert not users.verify_password("正确的密码124", stored)
    assert users.hash_password("正确的密码123") != stored          # fresh salt every time
    assert not users.verify_password("x", "not-a-hash")
    assert not users.verify_password("x", "bcrypt$1$2$3$00$00")


def test_create_authenticate_and_deactivate(school_db):
    with school_db.session(user="admin") as s:
        u = users.create_user(s, " Zhou ", "周老师", "任课教师", "secret12")
        assert (u.login, u.role) == ("zhou", "teacher")
        for login, name, role, pw, field in [("ZHOU", "x", "teacher", "secret12", "login"),
                                             ("li", "李", "teacher", "12345", "password"),
                                             ("li", "李", "janitor", "secret12", "role"),
                                             ("", "李", "teacher", "secret12", "login")]:
            with pytest.raises(ValidationError) as err:
                users.create_user(s, login, name, role, pw)
            assert err.value.field == field
    with school_db.session() as s:
        assert users.authenticate(s, "ZHOU", "secret12").id == u.id
        assert s.get(User, u.id).last_login_at is not None
        with pytest.raises(ValidationError) as wrong_pw:
            users.authenticate(s, "zhou", "secret2")
        with pytest.raises(ValidationError) as wrong_login:
            users.authenticate(s, "nobody", "secret12")
        # the same message for both, so the form does not tell which logins exist
        assert (wrong_pw.value.zh, wrong_pw.value.en) == (wrong_login.value.zh, wrong_login.value.en)
    with pytest.raises(ValidationError):
        with school_db.session() as s:     # the error rolls the session back…
            users.authenticate(s, "zhou", "wrong-again")
    with school_db.session() as s:          # …but the failed attempts were kept
        assert s.get(User, u.id).failed_logins == 2
        users.authenticate(s, "zhou", "secret12")
    with school_db.session() as s:
        assert s.get(User, u.id).failed_logins == 0
    with school_db.session(user="admin") as s:
        users.set_password(s, u.id, "another12")
        users.deactivate_user(s, u.id)
    with school_db.session() as s:
        with pytest.raises(ValidationError) as err:
            users.authenticate(s, "zhou", "another12")
        assert "停用" in err.value.zh
        log = s.scalars(select(AuditLog).where(AuditLog.table_name == "app_user")).all()
        assert all("scrypt" not in (a.before_json + a.after_json) for a in log)   # hashes never reach the log


def test_visible_classes_and_roles(school_db):
    with school_db.session(user="admin") as s:
        c1 = students.find_class(s, "初一(3)班")
        c2 = students.create_class(s, 2025, 7, 4)
        c3 = students.create_class(s, 2025, 8, 1)
        admin = users.create_user(s, "admin", "管理员", "school_admin", "secret12")
        teacher = users.create_user(s, "t", "教师", "teacher", "secret12")
        adviser = users.create_user(s, "a", "班主任", "adviser", "secret12")
        users.assign_class(s, teacher.id, c1.id, "数学")
        users.assign_class(s, teacher.id, c2.id, "数学")
        users.assign_class(s, teacher.id, c2.id, "数学")     # twice is once
        students.update_class(s, c3.id, adviser_user_id=adviser.id)
        students.delete_class(s, c2.id)
    with school_db.session() as s:
        assert users.visible_class_ids(s, admin) == {c1.id, c3.id}
        assert users.visible_class_ids(s, teacher) == {c1.id}          # deleted class hidden
        assert users.visible_class_ids(s, adviser) == {c3.id}
        assert users.require_role(admin, "school_admin") is admin
        with pytest.raises(PermissionDenied) as err:
            users.require_role(teacher, "school_admin", "district_staff")
        assert "学校管理员" in err.value.zh and "School admin" in err.value.en
        with pytest.raises(PermissionDenied):
            users.require_role(None, "teacher")


def test_history_lists_create_update_delete_with_before_after(school_db):
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="admin") as s:
        students.update_student(s, sid, name="张三丰")
    with school_db.session(user="admin2") as s:
        students.delete_student(s, sid)
    with school_db.session() as s:
        rows = audit.history(s, "student", sid)
        assert [(r.action, r.user) for r in rows] == [("create", "fixture"), ("update", "admin"), ("delete", "admin2")]
        assert json.loads(rows[0].after_json)["name"] == "张三"
        changed = audit.changes(rows[1])
        assert changed["name"] == ("张三", "张三丰")
        assert set(changed) <= {"name", "name_pinyin"}   # the search key follows the name, nothing else moved
        assert audit.changes(rows[2]) == {"deleted": (False, True)}
        assert audit.history(s, "student", "nothing") == []
