"""The spreadsheet dialogs with real widgets: preview lists problems, import only on confirm."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import func, select

from growthdesk.models import CompetitionResult, Student
from growthdesk.services import competitions as comp_svc
from tests.fixtures.sheets.helpers import student_no, write_xlsx


@pytest.fixture(autouse=True)
def chinese_ui():
    """The dialogs' source strings are English; install the Chinese translator the way the app does."""
    from growthdesk.ui.app import make_app
    make_app("zh_CN")


def _runner(qtbot, db):
    from growthdesk.ui.ops import OpRunner
    host = QWidget()
    qtbot.addWidget(host)
    return host, OpRunner(db, "admin", host)


def _students(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Student))


def test_roster_dialog_previews_then_imports_on_confirm(qtbot, bare_school_db, tmp_path):
    from growthdesk.ui.sheets_import import RosterImportDialog
    db = bare_school_db
    host, runner = _runner(qtbot, db)
    path = write_xlsx(tmp_path / "roster.xlsx", [
        ["姓名", "性别", "学籍号", "班级"], ["张三", "男", student_no(1), "初一(1)班"],
        ["李四", "女", "G0", "初一(1)班"], ["王五", "男", student_no(3), "初一(2)班"]])
    dlg = RosterImportDialog(runner, host, school_year=2025)
    dlg.show()
    assert not dlg.import_button.isEnabled()
    dlg.set_file(path)
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10_000)
    assert "新增 2" in dlg.summary.text() and "有错误 1" in dlg.summary.text()
    assert dlg.table.rowCount() == 1
    assert [dlg.table.item(0, c).text() for c in range(2)] == ["3", "学籍号"]
    assert dlg.import_button.isEnabled() and dlg.report_button.isEnabled()
    assert _students(db) == 0                       # previewing wrote nothing

    report = tmp_path / "errors.xlsx"
    dlg.save_report(report)
    qtbot.waitUntil(report.exists, timeout=10_000)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
    assert openpyxl.load_workbook(report).active["C2"].value == "G0"

    with qtbot.waitSignal(dlg.imported, timeout=10_000) as sig:
        dlg.import_button.click()
    assert sig.args[0].created == 2
    assert "新增 2" in dlg.summary.text() and "初一(1)班" in dlg.summary.text()
    assert not dlg.import_button.isEnabled()
    assert _students(db) == 2


def test_roster_dialog_shows_file_errors_in_place(qtbot, bare_school_db, tmp_path):
    from growthdesk.ui.sheets_import import RosterImportDialog
    host, runner = _runner(qtbot, bare_school_db)
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    dlg = RosterImportDialog(runner, host)
    dlg.set_file(bad)
    qtbot.waitUntil(lambda: "另存为 .xlsx" in dlg.summary.text(), timeout=10_000)
    assert not dlg.import_button.isEnabled() and runner.last_box is None


def test_entries_dialog_and_template_export(qtbot, bare_school_db, tmp_path):
    from growthdesk.sheets.roster import import_roster
    from growthdesk.ui.sheets_import import EntriesImportDialog, save_workbook
    db = bare_school_db
    import_roster(db, write_xlsx(tmp_path / "r.xlsx", [["姓名", "性别", "学籍号", "班级"],
                                                       ["张三", "男", student_no(1), "初一(1)班"]]), school_year=2024)
    with db.session() as s:
        comp_svc.load_national_catalog(s)
        comp = comp_svc.list_competitions(s)[0].name
        class_id = s.scalars(select(Student.class_id)).one()
    host, runner = _runner(qtbot, db)
    tpl = tmp_path / "awards.xlsx"
    done = []
    save_workbook(runner, host, "awards", class_id, None, out=tpl, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    wb = openpyxl.load_workbook(tpl)
    for c, v in enumerate([comp, "校级", "一等奖", "2025-05-01"], start=3):
        wb.worksheets[0].cell(3, c, v)
    wb.save(tpl)
    dlg = EntriesImportDialog(runner, host)
    dlg.set_file(tpl)
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10_000)
    assert dlg.import_button.isEnabled() and dlg.table.rowCount() == 0
    with qtbot.waitSignal(dlg.imported, timeout=10_000):
        dlg.import_button.click()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CompetitionResult)) == 1
    summary = tmp_path / "summary.xlsx"
    done.clear()
    save_workbook(runner, host, "summary", class_id, "2024-2025-2", out=summary, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done[0]["students"] == 1 and summary.exists()


def test_roster_dialog_in_english(qtbot, bare_school_db, tmp_path):
    """--lang en: the dialog's own words and the core's bilingual messages both in English."""
    from growthdesk.ui import app as ui_app
    from growthdesk.ui.sheets_import import RosterImportDialog
    host, runner = _runner(qtbot, bare_school_db)
    path = write_xlsx(tmp_path / "roster.xlsx", [["姓名", "性别", "学籍号", "班级"], ["李四", "女", "G0", "初一(1)班"]])
    try:
        ui_app.make_app("en")
        dlg = RosterImportDialog(runner, host, school_year=2025)
        assert dlg.windowTitle() == "Import student roster" and dlg.import_button.text() == "Import"
        assert [dlg.table.horizontalHeaderItem(c).text() for c in range(3)] == ["Row", "Column", "Reason"]
        dlg.set_file(path)
        qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10_000)
        reason = dlg.table.item(0, 2).text()
        assert reason and not any("\u4e00" <= ch <= "\u9fff" for ch in reason + dlg.summary.text()), reason
    finally:
        ui_app.make_app("zh_CN")
