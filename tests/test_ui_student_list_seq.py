"""学号/座号 (issue 12): read from the roster's 学号 or 座号 column (optional), shown after the name
in the student list, which is sorted by class and that number; the 学籍号 last and masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from growthdesk.errors import ValidationError
from growthdesk.models import Student
from growthdesk.services import students as svc
from growthdesk.services import views
from growthdesk.sheets.roster import import_roster, preview_roster
from tests.fixtures.sheets.helpers import student_no, write_xlsx
from tests.test_ui_helpers import school_template, ui_school, user  # noqa: F401

YEAR = 2025


def _seqs(db) -> dict[str, str]:
    with db.session() as s:
        return {st.name: st.class_seq for st in s.scalars(select(Student).where(Student.deleted.is_(False)))}


def _artifact(name: str) -> str:
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return str(d / name)


def test_roster_seat_numbers_are_read_updated_and_never_blanked(bare_school_db, tmp_path):
    db = bare_school_db
    rows = [["姓名", "性别", "学籍号", "班级", "座号"],
            ["甲", "男", student_no(1), "初一(1)班", 10],
            ["乙", "女", student_no(2), "初一(1)班", "２"],      # full-width, as typed in WPS
            ["丙", "男", student_no(3), "初一(1)班", None],      # none: after the numbered ones
            ["丁", "女", student_no(4), "初一(2)班", 1.0],       # Excel's float
            ["戊", "男", student_no(5), "初一(1)班", "07"]]
    pv, _ = import_roster(db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR)
    assert pv.columns["class_seq"] == "座号" and pv.error_rows == 0
    assert _seqs(db) == {"甲": "10", "乙": "2", "丙": "", "丁": "1", "戊": "07"}
    with db.session() as s:
        classes = [c.id for c in svc.list_classes(s, school_year=YEAR)]
        order = [r.name for r in views.student_rows(s, classes)]
    assert order == ["乙", "戊", "甲", "丙", "丁"]  # 初一(1)班 by number (2, 07, 10, none), then 初一(2)班
    # a second roster: 学号 column, a changed number; an empty cell keeps what the database has
    rows2 = [["学号", "姓名", "性别", "学籍号", "班级"],
             [3, "甲", "男", student_no(1), "初一(1)班"],
             [None, "乙", "女", student_no(2), "初一(1)班"]]
    pv2 = preview_roster(db, write_xlsx(tmp_path / "b.xlsx", rows2), school_year=YEAR)
    assert (pv2.updated, pv2.unchanged) == (1, 1) and pv2.changes[0]["fields"] == ["学号"]
    import_roster(db, tmp_path / "b.xlsx", school_year=YEAR)
    assert _seqs(db)["甲"] == "3" and _seqs(db)["乙"] == "2"


def test_a_bad_seat_number_is_named_with_its_row_and_column(bare_school_db, tmp_path):
    rows = [["姓名", "性别", "学籍号", "班级", "学号"], ["甲", "男", student_no(1), "初一(1)班", "3号"]]
    pv = preview_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR)
    assert pv.error_rows == 1 and pv.new == 0
    issue = pv.issues[0]
    assert (issue.row, issue.column) == (2, "学号") and "3号" in issue.zh and "数字" in issue.zh
    with pytest.raises(ValidationError):
        svc.clean_class_seq("12345678901234567")


def test_student_list_name_then_seat_number_sorted_masked_number_last(qtbot, ui_school):
    from growthdesk.services.names import mask_student_no
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    ids, names = info["student_ids"], info["names"]
    with db.session(user="fixture") as s:
        for sid, seq in zip(ids, ["12", "2", "", "5", "1", "30"]):
            svc.update_student(s, sid, class_seq=seq)
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    m, table = win.model, win.table
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == [
        "姓名", "学号", "性别", "班级", "学籍状态", "学籍号"]
    assert not table.isColumnHidden(1)
    shown = [(m.index(r, 0).data(), m.index(r, 1).data()) for r in range(m.rowCount())]
    assert shown == [(names[4], "1"), (names[1], "2"), (names[3], "5"), (names[0], "12"), (names[5], "30"),
                     (names[2], "")]
    no = m.row_at(0).national_student_no
    assert m.index(0, 5).data() == mask_student_no(no) != no
    win.search.setText("5")  # a 学号 typed whole finds the student (the 学籍号's digits match too)
    assert names[3] in [m.index(r, 0).data() for r in range(m.rowCount())]
    win.search.setText("")
    for c in range(m.columnCount() - 1):  # nothing clipped at 1366×768
        assert table.columnWidth(c) >= table.sizeHintForColumn(c) - 2, c
    last = m.columnCount() - 1
    win.grab().save(_artifact("student-list-seq-1366.png"))
    assert table.columnViewportPosition(last) + table.sizeHintForColumn(last) <= table.viewport().width()
    win.select_student(ids[1])
    assert win.page.profile_labels["seq"].text() == "2"
    assert win.page.profile_labels["no"].text() == m.row_at(1).national_student_no  # whole once opened
    assert "年" in win.page.profile_labels["birth"].text()  # 2013年1月2日, not 2013-01-02
    win.grab().save(_artifact("student-list-seq-1366.png"))
    win.resize(1920, 1080)
    qtbot.wait(50)
    win.grab().save(_artifact("student-list-seq-1920.png"))
