"""The school admin's privacy screens: the retention list (anonymise or delete after confirming)
and a guardian's request (export, correct, delete), each read back from the access log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _window(qtbot, db, login="admin"):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, login))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    wait_ops(qtbot, win)
    return win


def _render(dlg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dlg.resize(max(dlg.width(), dlg.sizeHint().width()), max(dlg.height(), dlg.sizeHint().height()))
    assert dlg.width() <= 1366 and dlg.height() <= 768
    assert dlg.grab().save(str(ARTIFACTS / name))


def _left_long_ago(db, ids, when=date(2019, 7, 1)):
    from growthdesk.models import Enrollment, Student
    with db.session() as s:
        for sid in ids:
            s.get(Student, sid).status = "graduated"
            for e in s.scalars(select(Enrollment).where(Enrollment.student_id == sid)):
                e.end_date = when


def _yes(qtbot, dlg):
    from PySide6.QtWidgets import QMessageBox
    box = dlg.confirm_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()


def test_retention_list_anonymise_and_delete(qtbot, ui_school):
    from PySide6.QtCore import Qt

    from growthdesk.models import AccessLog, Student
    from growthdesk.services import accesslog
    from growthdesk.services.retention import ANONYMOUS_NAME
    from growthdesk.ui import privacy
    db, info = ui_school
    ids = info["student_ids"]
    _left_long_ago(db, ids[:3])
    win = _window(qtbot, db)
    assert privacy.show_retention(_window(qtbot, db, "teacher")) is None  # admins only
    dlg = privacy.show_retention(win)
    qtbot.addWidget(dlg)
    assert dlg.years.value() == 3 and dlg.table.rowCount() == 3
    assert {dlg.table.item(r, 1).text() for r in range(3)} == {"张三", "李四", "王五"}
    assert dlg.table.item(0, 2).text() == "毕业" and dlg.table.item(0, 3).text() == "2019年7月1日"
    assert "3 年" in dlg.count_label.text() or "3年" in dlg.count_label.text()
    _render(dlg, "retention_zh_CN.png")
    # untick 王五: only the other two are anonymised, after the admin says yes
    row_wang = next(r for r in range(3) if dlg.table.item(r, 1).text() == "王五")
    dlg.table.item(row_wang, 0).setCheckState(Qt.CheckState.Unchecked)
    dlg.anonymise_button.click()
    assert "2" in dlg.confirm_box.text() and "不可恢复" in dlg.confirm_box.text()
    _yes(qtbot, dlg)
    wait_ops(qtbot, win)
    assert "2" in dlg.result_label.text()
    with db.session() as s:
        names = {sid: s.get(Student, sid).name for sid in ids[:3]}
        assert names[ids[0]] == names[ids[1]] == ANONYMOUS_NAME and names[ids[2]] == "王五"
        assert s.get(Student, ids[0]).national_student_no is None and not s.get(Student, ids[0]).deleted
        e = accesslog.entries(s)[0]
        assert e.action == "retention_anonymise" and e.user == "admin" and e.student_count == 2
        assert accesslog.verify(s).ok
    assert dlg.table.rowCount() == 1  # the anonymised are done; 王五 is still listed
    # a "no" changes nothing
    dlg.delete_button.click()
    from PySide6.QtWidgets import QMessageBox
    dlg.confirm_box.button(QMessageBox.StandardButton.No).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert not s.get(Student, ids[2]).deleted
    dlg.delete_button.click()
    _yes(qtbot, dlg)
    wait_ops(qtbot, win)
    with db.session() as s:
        st = s.get(Student, ids[2])
        assert st.deleted and st.name == ""
        assert [e.action for e in s.scalars(select(AccessLog).order_by(AccessLog.id.desc()).limit(2))] == [
            "retention_delete", "retention_anonymise"]
    assert dlg.table.rowCount() == 0 and "0" in dlg.count_label.text()
    # the period is a setting: 10 years, then nobody is due
    _left_long_ago(db, ids[3:4], date(2020, 7, 1))
    dlg.load()
    assert dlg.table.rowCount() == 1
    dlg.years.setValue(10)
    dlg.save_years.click()
    wait_ops(qtbot, win)
    assert dlg.table.rowCount() == 0 and dlg.years.value() == 10


def test_guardian_request_export_correct_delete(qtbot, ui_school, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from growthdesk.models import Student
    from growthdesk.services import accesslog
    from growthdesk.ui import privacy
    db, info = ui_school
    sid = info["student_ids"][1]
    win = _window(qtbot, db)
    assert privacy.show_guardian_request(_window(qtbot, db, "adviser"), sid) is None  # admins only
    dlg = privacy.show_guardian_request(win, sid)
    qtbot.addWidget(dlg)
    assert "李四" in dlg.who.text() and "初一" in dlg.who.text()
    _render(dlg, "guardian_request_zh_CN.png")
    # no reason, nothing done
    dlg.export_to(str(tmp_path / "out"))
    assert "原因" in dlg.result_label.text() and not (tmp_path / "out").exists()
    dlg.reason.setText("李四母亲书面申请（2025年11月20日收）")
    dlg.export_to(str(tmp_path / "out"))
    wait_ops(qtbot, win)
    pdf, xlsx = Path(dlg.outputs["pdf"]), Path(dlg.outputs["xlsx"])
    assert "李四" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "李四" in str([c.value for row in load_workbook(xlsx, read_only=True).worksheets[0].iter_rows() for c in row])
    # a wrong birth date is refused in Chinese, nothing changes
    dlg.field.setCurrentIndex(dlg.FIELDS.index("birth_date"))
    assert dlg.current.text() == "2013年1月2日"
    dlg.value.setText("2030-01-01")
    dlg.correct()
    wait_ops(qtbot, win)
    assert "出生日期" in dlg.result_label.text()
    dlg.field.setCurrentIndex(dlg.FIELDS.index("name"))
    dlg.value.setText("李思")
    dlg.correct()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert s.get(Student, sid).name == "李思"
    assert dlg.current.text() == "李思"
    dlg.delete_button.click()
    assert "李思" in dlg.confirm_box.text()
    _yes(qtbot, dlg)
    wait_ops(qtbot, win)
    with db.session() as s:
        assert s.get(Student, sid).deleted
        log = [e for e in accesslog.entries(s) if e.action.startswith("guardian")]
        assert [e.action for e in log] == ["guardian_delete", "guardian_correct", "guardian_export"]
        assert all(e.user == "admin" and e.student_ids == sid and "书面申请" in e.reason for e in log)
        assert accesslog.verify(s).ok
    assert not dlg.delete_button.isEnabled()
