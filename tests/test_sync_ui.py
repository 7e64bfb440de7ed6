"""The sync dialogs with real widgets: export at the school, dry run and import at the district."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from growthdesk.sync import export_bundle
from growthdesk.sync.testing import make_district_and_school, records, table_checksums


@pytest.fixture()
def pair(tmp_path, monkeypatch):
    from growthdesk.ui.app import make_app
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")  # the app's own setup: Chinese translator installed, as users see the dialogs
    district, school, _ = make_district_and_school(tmp_path, students=20)
    yield district, school, tmp_path
    district.close()
    school.close()


def test_export_dialog_writes_the_bundle_and_shows_it(pair, qtbot):
    from growthdesk.ui.sync_export import BundleExportDialog

    district, school, tmp = pair
    dlg = BundleExportDialog(school, user="admin")
    qtbot.addWidget(dlg)
    assert "尚未导出" in dlg.state.text()
    dlg.folder.setText(str(tmp / "usb"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=20_000)
    path = Path(dlg.last_result["path"])
    assert path.exists() and path.name in dlg.result.text()
    assert "已导出 1 个数据包" in dlg.state.text()


def test_import_dialog_dry_run_then_apply(pair, qtbot):
    from growthdesk.ui.sync_import import BundleImportDialog

    district, school, tmp = pair
    bundle = Path(export_bundle(school, tmp / "usb")["path"])
    junk = tmp / "usb" / "S0001-000009.gdbundle.zip"
    junk.write_bytes(b"not a zip")
    refreshed = []
    dlg = BundleImportDialog(district, user="staff", on_imported=lambda: refreshed.append(1))
    qtbot.addWidget(dlg)
    assert not dlg.apply_button.isEnabled()
    dlg.set_files([bundle, junk])
    before = table_checksums(district)

    qtbot.mouseClick(dlg.dry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20_000)
    assert dlg.table.rowCount() == 2
    cells = {dlg.table.item(r, 0).text(): [dlg.table.item(r, c).text() for c in range(9)] for r in range(2)}
    assert cells[bundle.name][3] == "可以导入（预检）" and int(cells[bundle.name][4]) > 100
    assert cells[junk.name][3] == "已拒绝" and "zip" in cells[junk.name][8]
    assert table_checksums(district) == before and not refreshed

    dlg.result = None
    qtbot.mouseClick(dlg.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20_000)
    row = next(r for r in range(2) if dlg.table.item(r, 0).text() == bundle.name)
    assert dlg.table.item(row, 3).text() == "已导入"
    assert "已导入 1 个" in dlg.summary.text() and refreshed == [1]
    assert records(district, "S0001") == records(school, "S0001")


def test_district_window_opens_the_import_dialog(pair, qtbot):
    from growthdesk.ui.district.window import DistrictWindow
    from growthdesk.ui.sync_import import BundleImportDialog

    district, school, tmp = pair
    win = DistrictWindow(district, user="staff")
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.report is not None, timeout=20_000)
    win.import_action.trigger()
    dlg = win.findChild(BundleImportDialog)
    assert dlg is not None and dlg.isVisible() and dlg.runner is win.runner
    dlg.set_files([export_bundle(school, tmp / "usb")["path"]])
    win.report = None
    dlg.run(dry_run=False)
    qtbot.waitUntil(lambda: dlg.result is not None and win.report is not None, timeout=30_000)
    assert dlg.result["summary"]["imported"] == 1
    dlg.close()


def test_export_dialog_in_english(pair, qtbot):
    from growthdesk.ui import app as ui_app
    from growthdesk.ui.sync_export import BundleExportDialog

    district, school, tmp = pair
    try:
        ui_app.make_app("en")
        dlg = BundleExportDialog(school, user="admin")
        qtbot.addWidget(dlg)
        assert dlg.windowTitle() == "Export sync bundle" and dlg.state.text() == "No bundle exported yet."
        dlg.folder.setText(str(tmp / "usb"))
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=20_000)
        assert dlg.result.text().startswith("Exported: ") and "Hand this file to the district office." in dlg.result.text()
        assert dlg.state.text().startswith("1 bundle(s) exported")
    finally:
        ui_app.make_app("zh_CN")
