"""The Tools menu: portfolios printed as an op (the PDF read back), and the spreadsheet and sync
dialogs of their areas opened on the main window's op runner."""

from __future__ import annotations

from PySide6.QtGui import QAction

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


def test_tools_menu_opens_the_sheet_and_sync_dialogs_on_the_window_runner(qtbot, ui_school, tmp_path):
    from growthdesk.ui.sheets_import import EntriesImportDialog, RosterImportDialog
    from growthdesk.ui.sync_export import BundleExportDialog
    db, info = ui_school
    win = _window(qtbot, db, info)
    for name, cls in (("actRoster", RosterImportDialog), ("actEntries", EntriesImportDialog),
                      ("actBundle", BundleExportDialog)):
        win.findChild(QAction, name).trigger()
        dlg = win.findChild(cls)
        assert dlg is not None and dlg.isVisible() and dlg.runner is win.ops
        dlg.reject()
    out = tmp_path / "awards.xlsx"
    from growthdesk.ui import tools
    tools.save_sheet(win, "awards", out)
    wait_ops(qtbot, win)
    assert win.ops.last_error == "" and out.stat().st_size > 0


def test_teacher_has_no_admin_tools(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    assert win.findChild(QAction, "actRoster") is None and win.findChild(QAction, "actAccounts") is None
    assert win.findChild(QAction, "actAwardSheet") is not None
