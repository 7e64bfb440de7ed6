"""Every screen of setting up from the app, rendered on a 1366x768 screen into test-artifacts/
(for people to look at), in Chinese: no English word on any label or button, and nothing wider
or taller than the screen."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (QAbstractButton, QApplication, QGroupBox, QLabel, QLineEdit, QTableWidget, QWidget)

from tests.test_ui_start import PASSWORD, make_district

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREEN = (1366, 768)
# Words that stay as they are in Chinese UI text: the product name, file kinds, our sample codes.
ALLOWED = {"GrowthDesk", "json", "xlsx", "pdf", "PDF", "Excel", "setup", "USB", "Ctrl"}


def english_words(widget: QWidget) -> list[str]:
    """ASCII words of 3+ letters shown by the widget's labels, buttons, headers and placeholders
    (file paths and values typed by the test are not UI text)."""
    texts = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if not w.isVisibleTo(widget) and w is not widget:
            continue
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
            if hasattr(w, "description"):
                texts.append(w.description())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTableWidget):
            texts += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount()) if w.horizontalHeaderItem(i)]
    texts.append(widget.windowTitle())
    words = []
    for text in texts:
        text = re.sub(r"<[^>]+>", " ", text)               # rich-text tags
        text = re.sub(r"(/|[A-Za-z]:\\)[^\s，。：）)]*", " ", text)  # paths
        text = re.sub(r"\b[A-Z2-7]{4}(-[A-Z2-7]{4}){7}\b", " ", text)  # a recovery key (a value, like a path)
        words += [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]
    return words


def render(widget: QWidget, name: str) -> Path:
    """Show ``widget`` as it appears on the screen (a window at the screen's size, a dialog at
    its own), save the PNG, and check it fits and speaks Chinese."""
    from PySide6.QtWidgets import QMainWindow
    if isinstance(widget, QMainWindow):
        widget.resize(*SCREEN)
    widget.show()
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(out))
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], (name, widget.size())
    if not isinstance(widget, QMainWindow):  # a dialog opens at its size hint: it must fit the screen
        hint = widget.sizeHint()
        assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (name, hint)
    assert english_words(widget) == [], (name, english_words(widget))
    return out


def test_setup_screens_render_in_chinese_at_1366x768(qtbot, tmp_path, monkeypatch):
    from growthdesk.app_launch import start_ui
    from growthdesk.services.offices import Admin, add_workstation, create_school_hub
    from growthdesk.ui.app import make_app
    from growthdesk.ui.login import ChangePasswordDialog
    from growthdesk.ui.start import CreateDistrictDialog, StartDialog
    from growthdesk.ui.workstation import JoinSchoolDialog, WaitForSchoolDialog, WorkstationsDialog
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    district_path, setup = make_district(tmp_path)
    start = StartDialog()
    qtbot.addWidget(start)
    render(start, "setup_start_dialog_zh_CN")
    school = start.choose_school()
    school.set_setup_file(str(setup))
    render(school, "setup_create_school_zh_CN")
    school.reject()
    district = CreateDistrictDialog(start)
    render(district, "setup_create_district_zh_CN")
    district.reject()
    # The district window's register of schools, and its registration form.
    from growthdesk.db import open_database
    from growthdesk.services import users
    from growthdesk.security import unlock_database
    ddb = unlock_database(district_path, "admin", PASSWORD)
    with ddb.session() as s:
        staff = users.find_user(s, "admin")
    dwin = start_ui(ddb, str(district_path), user=staff)
    qtbot.addWidget(dwin)
    qtbot.waitUntil(lambda: dwin.runner.pending == 0, timeout=30_000)
    dwin.tabs.setCurrentWidget(dwin.schools_page)
    dwin.schools_page.status.setText("示例区第一中学 的设置文件已保存。")
    render(dwin, "setup_district_schools_zh_CN")
    reg = dwin.schools_page.register_dialog()
    render(reg, "setup_register_school_zh_CN")
    reg.reject()
    # The hub: demo-free title, the workstations dialog, the account import with a preview.
    hub, admin = create_school_hub(tmp_path / "hub.db", setup, Admin("admin", "李校长", PASSWORD))
    add_workstation(hub, "机房01", tmp_path / "ws1.json")
    win = start_ui(hub, str(tmp_path / "hub.db"), user=admin)
    qtbot.addWidget(win)
    win.menuBar().actions()[0].menu().aboutToShow.emit()
    render(win, "setup_hub_main_window_zh_CN")
    ws = WorkstationsDialog(win)
    ws.selected_row = ws.table.selectRow(0)
    render(ws, "setup_workstations_zh_CN")
    add = ws.add_dialog()
    render(add, "setup_add_workstation_zh_CN")
    add.reject()
    ws.reject()
    from growthdesk.services import students
    from growthdesk.sheets.roster import default_school_year
    with hub.session() as s:
        students.create_class(s, default_school_year(), 7, 1)
    from growthdesk.ui.accounts_import import open_dialog
    from tests.test_accounts_import import sheet
    imp = open_dialog(win)
    path = sheet(tmp_path / "teachers.xlsx", [("T001", "王老师", "初一(1)班", "语文", "是"),
                                              ("T002", "李老师", "初一(9)班", "数学", "")])
    with qtbot.waitSignal(imp.previewed, timeout=20_000):
        imp.set_file(path)
    render(imp, "setup_account_import_preview_zh_CN")
    imp.reject()
    with hub.session() as s:
        teacher = users.create_user(s, "t009", "周老师", "teacher", "init-pass", must_change=True)
    change = ChangePasswordDialog(hub, teacher, "init-pass", forced=True)
    qtbot.addWidget(change)
    render(change, "setup_change_password_zh_CN")
    change.reject()
    # A new PC joining, and a workstation waiting for its school.
    join = JoinSchoolDialog(start)
    join.set_setup_file(str(tmp_path / "ws1.json"))
    render(join, "setup_join_school_zh_CN")
    join.reject()
    from growthdesk.services.offices import join_school
    wdb, _ = join_school(tmp_path / "ws.db", tmp_path / "ws1.json")
    wait = WaitForSchoolDialog(wdb, str(tmp_path / "sync"))
    qtbot.addWidget(wait)
    render(wait, "setup_wait_for_school_zh_CN")
    wait.reject()
    wdb.close()
    for w in (win, dwin):
        runner = getattr(w, "ops", None) or getattr(w, "runner", None)
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
        w.close()
        w.db.close()


def test_demo_window_is_marked_in_title_and_status_bar(qtbot, tmp_path, monkeypatch):
    from growthdesk.demo import ensure_demo_database
    from growthdesk.db import open_database
    from growthdesk.services import users
    from growthdesk.ui.app import make_app
    from growthdesk.ui.main_window import MainWindow
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    path = ensure_demo_database(tmp_path / "demo.db", students=30, terms=1)
    db = open_database(path)
    with db.session() as s:
        admin = users.find_user(s, "admin")
    win = MainWindow(db, admin)
    qtbot.addWidget(win)
    try:
        render(win, "setup_demo_main_window_zh_CN")
        assert win.windowTitle().startswith("【演示数据】") and win.demo_badge.isVisible()
    finally:
        qtbot.waitUntil(lambda: win.ops.pending == 0, timeout=20_000)
        win.close()
        db.close()
