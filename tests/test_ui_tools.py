"""Long work from the Tools menu, run as ops: a real PDF read back, a real roster imported, a real
bundle written."""

from __future__ import annotations

import csv

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from growthdesk.models import Student
from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401


def _window(qtbot, db, info):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.show()
    win.select_class(info["class_id"])
    return win


def test_class_portfolios_print_to_a_pdf_with_every_student(qtbot, ui_school, tmp_path):
    from pypdf import PdfReader

    from growthdesk.ui import tools
    db, info = ui_school
    win = _window(qtbot, db, info)
    out = tmp_path / "初一1班.pdf"
    tools.print_portfolios_to(win, out, whole_class=True, open_after=False)
    wait_ops(qtbot, win, timeout=60_000)
    assert win.ops.last_error == ""
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for name in info["names"]:
        assert name in text
    assert "6" in win.last_tool_message and str(out) in win.last_tool_message


def test_roster_import_previews_then_adds_students(qtbot, ui_school, tmp_path):
    from growthdesk.services.students import gb11643_check
    from growthdesk.ui import tools
    db, info = ui_school
    win = _window(qtbot, db, info)
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["学籍号", "姓名", "性别", "出生日期", "年级", "班级"])
        for i, name in enumerate(["周一", "吴二"]):
            body = f"1101012013020{i + 1:04d}"
            w.writerow(["G" + body + gb11643_check(body), name, "男", "2013-02-01", "初一", "1班"])
    tools.import_roster_from(win, roster)
    wait_ops(qtbot, win)
    assert win.last_preview.new == 2
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 6  # nothing written by the preview
    box = next(b for b in win.findChildren(QMessageBox) if b.isVisible() and "新增 2" in b.text())
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 8
    assert win.model.rowCount() == 8


def test_sync_bundle_export(qtbot, ui_school, tmp_path):
    from growthdesk.ui import tools
    db, info = ui_school
    win = _window(qtbot, db, info)
    tools.export_bundle_to(win, tmp_path / "out")
    wait_ops(qtbot, win, timeout=30_000)
    assert win.ops.last_error == ""
    files = list((tmp_path / "out").glob("*.gdbundle.zip"))
    assert len(files) == 1 and files[0].name.startswith("S0001-000001")
    assert files[0].name in win.last_tool_message
