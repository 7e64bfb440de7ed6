"""Helpers for the desktop UI tests: a small real school database made through the services,
built once per session and copied into each test's tmp_path (copying is milliseconds, building
with password hashing is a second)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

PASSWORD = "secret-123"
STUDENTS = [("张三", "M"), ("李四", "F"), ("王五", "M"), ("赵六", "F"), ("曾小明", "M"), ("欧阳娜娜", "F")]


def build_school(path: Path) -> dict:
    """A school from a demo district's setup file: one class 初一(1)班 of the current school year
    with six students and its class adviser's account (王老师, login ``adviser``), an admin, and a
    teacher who teaches that class only; a second class the teacher does not see."""
    from growthdesk.demo import demo_setup
    from growthdesk.services import students, terms, users
    from growthdesk.setup import create_school

    from growthdesk.keys import FAST_FOR_TESTS
    db = create_school(path, demo_setup("D01", "S0001"), kdf=FAST_FOR_TESTS)  # cheap hashes: tests only
    term = terms.current_term_code()
    year = int(term[:4])
    info: dict = {"term": term, "student_ids": [], "names": [n for n, _ in STUDENTS]}
    with db.session(user="fixture") as s:
        cls = students.create_class(s, year, 7, 1, adviser_name="王老师")
        other = students.create_class(s, year, 7, 2)
        for i, (name, gender) in enumerate(STUDENTS):
            body = f"1101012013010{i + 1:04d}"
            st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name=name,
                                         gender=gender, birth_date=date(2013, 1, i + 1), class_id=cls.id)
            info["student_ids"].append(st.id)
        admin = users.create_user(s, "admin", "管理员", "school_admin", PASSWORD)
        teacher = users.create_user(s, "teacher", "李老师", "teacher", PASSWORD)
        users.assign_class(s, teacher.id, cls.id, "")  # no subject given: every dimension (subject limits: test_privacy_roles)
        adviser = users.create_user(s, "adviser", "王老师", "adviser", PASSWORD)
        students.update_class(s, cls.id, adviser_user_id=adviser.id)
        info.update(class_id=cls.id, other_class_id=other.id, admin_id=admin.id, teacher_id=teacher.id,
                    adviser_id=adviser.id)
    db.close()
    return info


def copy_school(template: tuple[Path, dict], tmp_path: Path) -> tuple[Path, dict]:
    src, info = template
    dst = tmp_path / "school.db"
    shutil.copyfile(src, dst)
    return dst, dict(info)


# ---------------------------------------------------------------- shared fixtures
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def school_template(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("ui-template") / "school.db"
    return path, build_school(path)


@pytest.fixture()
def ui_school(school_template, tmp_path, monkeypatch):
    """(Database, info) on a private copy, with the UI settings in tmp_path and a Chinese app."""
    from growthdesk.db import open_database
    from growthdesk.ui.app import make_app

    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    path, info = copy_school(school_template, tmp_path)
    from growthdesk.keys import FAST_FOR_TESTS
    db = open_database(path, kdf=FAST_FOR_TESTS)
    yield db, info
    db.close()


def user(db, login: str):
    from growthdesk.services import users
    with db.session() as s:
        return users.find_user(s, login)


def wait_ops(qtbot, window, timeout: int = 10_000) -> None:
    """Until every op of the window has delivered its result on the UI thread."""
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=timeout)


def type_text(widget, text: str) -> None:
    """Type ``text`` as a user would: ASCII by key clicks, Chinese as an input method commits it
    (QTest's key clicks only know ASCII)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)
