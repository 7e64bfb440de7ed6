"""A school for the 综评 process tests (issue 15): two classes, an adviser, a teacher, a school
admin and student accounts. Built once per test run, copied per test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from growthdesk.db import open_database, write_settings
from growthdesk.services import competitions, student_accounts, students, users

PASSWORD = "secret123"


@dataclass
class Sample:
    junior_class: str     # 初一(3)班 of 2026, adviser wang
    senior_class: str     # 高一(1)班 of 2026, adviser zhao
    junior: list[str]     # 张三 李四 王五 赵六
    senior: list[str]     # 钱七 孙八 周九 吴十
    logins: dict[str, str]  # student id -> login
    passwords: dict[str, str]


def build(path) -> Sample:
    db = open_database(path, create=True)
    with db.session() as s:
        write_settings(s, {"kind": "school", "school_code": "S0001", "school_name": "示例市第一中学",
                           "district_code": "D01", "district_name": "示例区", "person_key_secret": "11" * 32})
    db.reload_settings()
    sample = populate(db)
    db.close()
    return sample


def populate(db) -> Sample:
    with db.session() as s:
        competitions.load_national_catalog(s)
        if users.find_user(s, "admin") is not None:  # a school made by setup has its own admin
            users.find_user(s, "admin").login = "admin0"
        wang = users.create_user(s, "wang", "王老师", "adviser", PASSWORD)
        zhao = users.create_user(s, "zhao", "赵老师", "adviser", PASSWORD)
        users.create_user(s, "li", "李老师", "teacher", PASSWORD)
        users.create_user(s, "admin", "校长", "school_admin", PASSWORD)
        jc = students.create_class(s, 2026, 7, 3, adviser_name="王老师", adviser_user_id=wang.id)
        sc = students.create_class(s, 2026, 10, 1, adviser_name="赵老师", adviser_user_id=zhao.id)
        li = users.find_user(s, "li")
        users.assign_class(s, li.id, jc.id, "科学")
        ids = {}
        for cls, names, year in ((jc, ["张三", "李四", "王五", "赵六"], 2014), (sc, ["钱七", "孙八", "周九", "吴十"], 2011)):
            ids[cls.id] = []
            for i, name in enumerate(names):
                body = f"110101{year}{cls.grade:02d}{i + 1:05d}"
                no = "G" + body + students.gb11643_check(body)
                st = students.create_student(s, national_student_no=no, name=name, gender="MF"[i % 2],
                                             birth_date=date(year, 3, i + 1), class_id=cls.id)
                ids[cls.id].append(st.id)
        slips = student_accounts.create_student_accounts(s, [jc.id, sc.id])
        sample = Sample(jc.id, sc.id, ids[jc.id], ids[sc.id], {x.student_id: x.login for x in slips},
                        {x.student_id: x.password for x in slips})
    return sample


def copy(template, sample: Sample, dest):
    shutil.copyfile(template, dest)
    db = open_database(dest)
    db.sample = sample
    return db


# ---------------------------------------------------------------- for the UI tests on this school

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def user(db, login):
    """The account ``login``, detached from its session (a window keeps it)."""
    from growthdesk.models import User
    with db.session() as s:
        u = s.query(User).filter_by(login=login).one()
        s.expunge(u)
        return u


def zh_app():
    from growthdesk.ui.app import make_app
    return make_app("zh_CN")


def shot(widget, name: str) -> Path:
    """``widget`` at the usual school PC's 1366×768, saved to test-artifacts/<name>.png."""
    from PySide6.QtWidgets import QApplication
    widget.resize(1366, 768)
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(out))
    return out


def settle(qtbot, ops):
    """Until every op has delivered its result, and the UI has taken it in."""
    from PySide6.QtWidgets import QApplication
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=15000)
    QApplication.processEvents()
