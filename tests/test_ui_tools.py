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


def _district_for(db, tmp_path):
    """A district database that registered this school with the school's own key (as the one that
    made its setup file did), so bundles import and receipts verify."""
    from growthdesk.setup import create_district, school_sync_key
    from growthdesk.sync.testing import register_school
    district = create_district(tmp_path / "district.db", db.district_code, "示例区")
    register_school(district, {"school": {"code": db.school_code, "name": db.settings["school_name"],
                                          "category": "urban", "stages": ["junior"]},
                               "sync_key": school_sync_key(db)})
    return district


def test_admin_exports_a_full_bundle_with_evidence_and_loads_the_receipt(qtbot, ui_school, tmp_path):
    import json
    import zipfile
    from pathlib import Path

    from PySide6.QtCore import Qt

    from growthdesk.models import SyncState
    from growthdesk.services import evidence
    from growthdesk.sync import IMPORTED, import_bundle
    from growthdesk.ui.sync_export import BundleExportDialog
    db, info = ui_school
    photo = tmp_path / "证书.png"
    photo.write_bytes(b"\x89PNG fake certificate")
    with db.session(user="admin") as s:
        sha = evidence.attach_file(s, db.path, owner_type="student", owner_id=info["student_ids"][0],
                                   file_path=photo, kind="photo").sha256
    win = _window(qtbot, db, info)
    win.findChild(QAction, "actBundle").trigger()
    dlg = win.findChild(BundleExportDialog)
    assert "尚未导出" in dlg.state.text()
    dlg.folder.setText(str(tmp_path / "usb"))
    dlg.full_box.setChecked(True)
    dlg.evidence_box.setChecked(True)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, win, timeout=20_000)
    assert win.ops.last_error == "" and dlg.last_result is not None
    bundle = Path(dlg.last_result["path"])
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert f"files/{sha}" in zf.namelist()
    assert manifest["full"] is True and manifest["sequence"] == 1 and manifest["usn_from"] == 0
    assert bundle.name in dlg.result.text() and "已导出 1 个数据包" in dlg.state.text()
    with db.session() as s:
        st = s.get(SyncState, db.school_code)
        assert (st.last_sequence, st.acknowledged_sequence or 0) == (1, 0)

    district = _district_for(db, tmp_path)
    try:
        res = import_bundle(district, bundle, receipts_dir=tmp_path / "receipts")
    finally:
        district.close()
    assert res["status"] == IMPORTED
    dlg.reject()
    win.findChild(QAction, "actBundle").trigger()   # the same dialog comes back, not a second one
    assert win.findChildren(BundleExportDialog) == [dlg] and dlg.isVisible()
    dlg.load_receipt(Path(res["receipt"]))
    wait_ops(qtbot, win)
    assert win.ops.last_error == "" and "确认到第 1 个" in dlg.result.text()
    assert "确认到第 1 个" in dlg.state.text()
    with db.session() as s:
        assert s.get(SyncState, db.school_code).acknowledged_sequence == 1


def test_only_school_admins_get_the_sync_dialog(qtbot, ui_school):
    from growthdesk.ui import tools
    from growthdesk.ui.main_window import MainWindow
    from growthdesk.ui.sync_export import BundleExportDialog
    db, info = ui_school
    for login in ("teacher", "adviser"):
        win = MainWindow(db, user(db, login))
        qtbot.addWidget(win)
        assert win.findChild(QAction, "actBundle") is None
        assert tools.sync_bundle(win) is None and win.findChild(BundleExportDialog) is None  # refused
