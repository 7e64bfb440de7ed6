"""A teacher logged in on an office PC (a workstation) runs its sync rounds as themselves (the app's
automatic sync at login, on its timer and at quit; ``sync --user t001``). What the hub sends down
was made there by the school admin: a new class, a moved student, another class's pupils. The
teacher's round takes all of it in (it is the hub's, signed, and checked where it was made), while
the teacher still cannot make those changes on the workstation; the teacher's own edit goes up.
Found by bench/bench_sync_nodes.py: the round was refused with "只有学校管理员可以管理班级和任课安排"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.errors import PermissionDenied
from growthdesk.keys import FAST_FOR_TESTS
from growthdesk.models import ImportLog, SchoolClass, Student
from growthdesk.security import open_waiting_workstation, unlock_database
from growthdesk.services import students as svc
from growthdesk.services import users
from growthdesk.services.terms import current_term_code
from growthdesk.setup import add_school, create_district, create_workstation
from growthdesk.sync.auto import run_round
from growthdesk.sync.folder import sync_folder

ADMIN_PW, TEACHER_PW = "admin-pw-123", "teach-pw-456"


def number(i: int) -> str:
    body = f"110101201302{i:05d}"
    return "G" + body + svc.gb11643_check(body)


@pytest.fixture()
def t(tmp_path, monkeypatch):
    """A hub (admin; teacher t001 teaching 7(1) only; a pupil in 7(1) and one in 7(2)) and a
    workstation W01 in step with it (the accounts arrived); the sync folder F."""
    from growthdesk.services.offices import Admin, add_workstation, create_school_hub
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district = create_district(tmp_path / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", "示例学校", "urban", "junior")
    district.close()
    hub, _ = create_school_hub(tmp_path / "hub.db", setup, Admin("admin", "李校长", ADMIN_PW), kdf=FAST_FOR_TESTS)
    year = int(current_term_code()[:4])
    with hub.session(user="admin") as s:
        teacher = users.create_user(s, "t001", "王老师", "teacher", TEACHER_PW)
        c1 = svc.create_class(s, year, 7, 1)
        c2 = svc.create_class(s, year, 7, 2)
        users.assign_class(s, teacher.id, c1.id, "语文")
        svc.create_student(s, national_student_no=number(1), name="甲同学", gender="M", birth_date=date(2013, 2, 1),
                           class_id=c1.id)
        svc.create_student(s, national_student_no=number(2), name="乙同学", gender="F", birth_date=date(2013, 3, 1),
                           class_id=c2.id)
    add_workstation(hub, "办公室1", tmp_path / "W1.json")
    (tmp_path / "F").mkdir()
    create_workstation(tmp_path / "W01.db", tmp_path / "W1.json", kdf=FAST_FOR_TESTS).close()
    with open_waiting_workstation(tmp_path / "W01.db", kdf=FAST_FOR_TESTS) as ws:
        assert not sync_folder(ws, tmp_path / "F")["errors"]
    assert not sync_folder(hub, tmp_path / "F", user="admin")["errors"]
    hub.close()
    with open_waiting_workstation(tmp_path / "W01.db", kdf=FAST_FOR_TESTS) as ws:
        res = sync_folder(ws, tmp_path / "F")
        assert [b["status"] for b in res["imported"]] == ["imported"], res
    return tmp_path


def hub(t: Path):
    return unlock_database(t / "hub.db", "admin", ADMIN_PW, kdf=FAST_FOR_TESTS)


def teacher(t: Path):
    return unlock_database(t / "W01.db", "t001", TEACHER_PW, kdf=FAST_FOR_TESTS)


def test_a_teachers_round_takes_in_the_admins_classes_and_other_classes_pupils(t):
    year = int(current_term_code()[:4])
    with hub(t) as h:
        with h.session() as s:  # the admin, at the hub: a new class, 乙 moved there, a note on 乙
            c3 = svc.create_class(s, year, 7, 3)
            pupil = s.scalars(select(Student).where(Student.name == "乙同学")).one()
            svc.update_student(s, pupil.id, class_id=c3.id, note="转入7(3)班")
        assert not sync_folder(h, t / "F", user="admin")["errors"]
    with teacher(t) as ws:
        res = run_round(ws, t / "F", user=ws.login)  # as the app's automatic round runs it
        assert res["skipped"] == [] and [b["status"] for b in res["imported"]] == ["imported"], res
        with ws.session() as s:
            pupil = s.scalars(select(Student).where(Student.name == "乙同学")).one()
            assert pupil.note == "转入7(3)班"
            assert s.get(SchoolClass, pupil.class_id).class_no == 3
            # The import log names the teacher who ran the round.
            assert s.scalars(select(ImportLog.imported_by).order_by(ImportLog.id.desc())).first() == "t001"
        # The round did not make the teacher an admin on this PC: classes and other pupils stay closed.
        with pytest.raises(PermissionDenied, match="只有学校管理员可以管理班级"):
            with ws.session() as s:
                svc.create_class(s, year, 7, 4)
        with pytest.raises(PermissionDenied, match="只能修改自己任教"):
            with ws.session() as s:
                other = s.scalars(select(Student).where(Student.name == "乙同学")).one()
                svc.update_student(s, other.id, note="不该改")
        with ws.session() as s:  # their own pupil: fine, and it goes up
            own = s.scalars(select(Student).where(Student.name == "甲同学")).one()
            svc.update_student(s, own.id, note="作文进步")
        res = run_round(ws, t / "F", user=ws.login)
        assert res["errors"] == [] and len(res["sent"]) == 1, res
    with hub(t) as h:
        assert not sync_folder(h, t / "F", user="admin")["errors"]
        with h.session() as s:
            assert s.scalars(select(Student.note).where(Student.name == "甲同学")).one() == "作文进步"


def test_the_command_line_round_as_a_teacher(t, capsys, monkeypatch):
    with hub(t) as h:
        with h.session() as s:
            svc.create_class(s, int(current_term_code()[:4]), 8, 1)
        assert not sync_folder(h, t / "F", user="admin")["errors"]
    monkeypatch.setenv("GROWTHDESK_PASSWORD", TEACHER_PW)
    code = main(["sync", "--db", str(t / "W01.db"), "--folder", str(t / "F"), "--user", "t001"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "已跳过" not in out and "imported" in out
    with teacher(t) as ws, ws.session() as s:
        assert s.scalars(select(SchoolClass).where(SchoolClass.grade == 8)).one().class_no == 1
