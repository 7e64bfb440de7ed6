"""打印本班成长档案 (issue 12): choose students, one PDF or one per student, the class summary
sheet off by default (parents' copies), each student padded to an even page count for duplex;
the PDFs are read back."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt

from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401


def _dialog(qtbot, db, info):
    from growthdesk.ui import tools
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    dlg = tools.print_portfolios_dialog(win, True)
    assert dlg is not None and dlg.isVisible()
    return win, dlg


def test_parent_copies_chosen_students_no_class_sheet_even_pages(qtbot, ui_school, tmp_path):
    db, info = ui_school
    win, dlg = _dialog(qtbot, db, info)
    assert not dlg.class_sheet.isChecked() and dlg.duplex.isChecked() and dlg.one_file.isChecked()
    assert dlg.students.count() == 6
    dlg.grab().save(str(_artifact("print-dialog-1366.png")))
    dlg.students.item(5).setCheckState(Qt.CheckState.Unchecked)  # 欧阳娜娜 not this time
    out = tmp_path / "家长版.pdf"
    dlg.print_to(out, open_after=False)
    wait_ops(qtbot, win, 60_000)
    pages = [p.extract_text() or "" for p in PdfReader(str(out)).pages]
    text = "".join(pages)
    assert "欧阳娜娜" not in text and "班级汇总表" not in text
    starts = [next(i for i, p in enumerate(pages) if name in p) for name in info["names"][:5]]
    assert all(i % 2 == 0 for i in starts), starts  # each pupil starts on the front of a sheet
    assert len(pages) % 2 == 0
    assert win.last_tool_message.startswith("已生成 5 份成长档案")


def test_one_file_per_student_into_a_folder(qtbot, ui_school, tmp_path):
    db, info = ui_school
    win, dlg = _dialog(qtbot, db, info)
    dlg.per_student.setChecked(True)
    dlg.class_sheet.setChecked(True)
    out = tmp_path / "folder"
    dlg.print_to(out, open_after=False)
    wait_ops(qtbot, win, 60_000)
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 7 and any("班级汇总表" in f for f in files)  # six pupils and the sheet
    assert "每人一个文件" in win.last_tool_message


def _artifact(name: str):
    from pathlib import Path
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name
