"""A past term shows, grids and prints that term's class with the students enrolled then
(issue 12, blocker): never this year's class of the same name, and a term with no data says so."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt

from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401

OLD = [("钱一", "M"), ("孙二", "F"), ("周三", "M")]


def _last_year(db, info) -> dict:
    """Last school year's 初一(1)班 (same adviser) with three pupils, promoted this September
    to 初二(1)班; one of them (周三) transferred out in the summer."""
    from growthdesk.services import students, terms
    year = int(info["term"][:4])
    prev_spring = terms.term_code(year - 1, 2)
    out = {"term": prev_spring, "ids": [], "names": [n for n, _ in OLD]}
    with db.session(user="fixture") as s:
        terms.ensure_term(s, prev_spring)
        old = students.create_class(s, year - 1, 7, 1, adviser_name="王老师")
        students.update_class(s, old.id, adviser_user_id=info["adviser_id"])
        now = students.create_class(s, year, 8, 1, adviser_name="王老师")
        for i, (name, gender) in enumerate(OLD):
            body = f"1101012012020{i + 1:04d}"
            st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name=name,
                                         gender=gender, birth_date=date(2012, 2, i + 1), class_id=old.id)
            out["ids"].append(st.id)
            if name == "周三":
                students.move_student(s, st.id, None, "transfer_out", on=date(year, 8, 1))
            else:
                students.move_student(s, st.id, now.id, "promotion", on=date(year, 9, 1))
        out["old_class"], out["new_class"] = old.id, now.id
    return out


def test_past_term_lists_grids_and_prints_that_terms_class(qtbot, ui_school, tmp_path):
    from growthdesk.ui import tools
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    past = _last_year(db, info)
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert sorted(r.name for r in win.model.all_rows()) == sorted(info["names"])  # this year's 初一(1)班

    win.select_term(past["term"])
    classes = [win.class_combo.itemData(i) for i in range(win.class_combo.count())]
    assert classes == [past["old_class"]] and win.class_combo.currentText() == "初一(1)班"
    listed = [r.name for r in win.model.all_rows()]
    assert sorted(listed) == sorted(past["names"])  # as enrolled then, the pupil who left included
    assert {r.class_name for r in win.model.all_rows()} == {"初一(1)班"}
    assert not win.term_note.isVisible()

    win.tabs.setCurrentIndex(1)  # the grid: the same students
    assert [win.grid.model.students[i].name for i in range(len(win.grid.model.students))] == listed
    win.tabs.setCurrentIndex(2)  # the term view: the same students
    assert [r.name for r in win.term_view.rows] == listed
    win.grab().save(str(_artifact("past-term-term-view-1366.png")))
    win.resize(1920, 1080)
    win.grab().save(str(_artifact("past-term-term-view-1920.png")))

    out = tmp_path / "class.pdf"
    tools.print_portfolios_to(win, out, True, open_after=False)
    wait_ops(qtbot, win)
    text = "".join(page.extract_text() or "" for page in PdfReader(str(out)).pages)
    for name in past["names"]:
        assert name in text
    for name in info["names"]:
        assert name not in text  # none of this year's 初一(1)班
    assert "3 份成长档案" in win.last_tool_message  # the Chinese result message


def test_a_term_without_data_says_so_and_clears_the_page(qtbot, ui_school):
    from growthdesk.services import terms
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    year = int(info["term"][:4])
    empty = terms.term_code(year - 3, 1)
    with db.session(user="fixture") as s:
        terms.ensure_term(s, empty)
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    win.select_student(info["student_ids"][0])
    assert win.page.profile_labels["name"].text() == "张三"
    win.select_term(empty)
    assert win.model.rowCount() == 0 and win.student_id is None
    assert win.term_note.isVisible() and "没有班级" in win.term_note.text()
    assert terms.term_label(empty) in win.term_note.text()
    assert win.page.profile_labels["name"].text() == "" and win.page.chart.growth is None  # nothing stale
    win.grab().save(str(_artifact("past-term-empty-1366.png")))
    win.tabs.setCurrentIndex(1)
    assert win.grid.model.rowCount() == 0


def _artifact(name: str):
    from pathlib import Path
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name


def test_student_list_name_first_number_masked_last_in_class_order(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    m = win.model
    assert [m.headerData(c, Qt.Orientation.Horizontal)
            for c in range(m.columnCount())] == ["姓名", "学号", "性别", "班级", "学籍状态", "学籍号"]
    assert win.table.isColumnHidden(1)  # no 学号/座号 in this school's roster
    assert [m.index(r, 0).data() for r in range(m.rowCount())] == info["names"]  # by student number
    first = m.row_at(0).national_student_no
    from growthdesk.services.names import mask_student_no
    assert m.index(0, 5).data() == mask_student_no(first) != first and m.index(0, 5).data().endswith(first[-4:])
    win.select_student(info["student_ids"][0])
    assert win.page.profile_labels["no"].text() == first  # whole on the opened record
    for c in range(m.columnCount() - 1):  # nothing clipped: each column fits its widest text
        if not win.table.isColumnHidden(c):
            assert win.table.columnWidth(c) >= win.table.sizeHintForColumn(c) - 2, c
    win.grab().save(str(_artifact("student-list-1366.png")))
    win.resize(1920, 1080)
    win.grab().save(str(_artifact("student-list-1920.png")))
