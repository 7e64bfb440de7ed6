"""Starting the app: unusable databases get a dialog (with a backup to restore), an empty start
gets the first-run wizard, and the window locks itself when left alone."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from growthdesk.models import User
from tests.test_ui_helpers import PASSWORD, school_template, ui_school, user, wait_ops  # noqa: F401


def test_damaged_database_gets_a_chinese_dialog_and_the_backup_restored(qtbot, school_template, tmp_path):
    from growthdesk.app_launch import database_error_dialog, open_for_ui
    from growthdesk.backup import automatic_backup
    from growthdesk.ui.app import make_app
    make_app("zh_CN")
    path = tmp_path / "school.db"
    shutil.copyfile(school_template[0], path)
    assert automatic_backup(path) is not None
    path.write_bytes(b"this is not a database at all" * 100)
    shown = []

    def user_clicks_restore(exc, p):  # the real dialog is built; the user's click is the answer
        box, actions = database_error_dialog(exc, p)
        qtbot.addWidget(box)
        shown.append((box.text(), [(b.text(), a) for b, a in actions], box.informativeText()))
        return "restore"

    db = open_for_ui(str(path), ask=user_clicks_restore)
    try:
        assert db.kind == "school" and db.school_code == "S0001"
    finally:
        db.close()
    text, buttons, info = shown[0]
    assert "不是" in text and "Traceback" not in text
    assert buttons == [("恢复备份", "restore"), ("退出", "quit")]
    assert "school-" in info
    assert list(tmp_path.glob("school.db.damaged-*")), "the unusable file must be kept"


def test_vanished_database_with_backups_is_offered_back(qtbot, school_template, tmp_path):
    from growthdesk.app_launch import open_for_ui
    from growthdesk.backup import automatic_backup
    from growthdesk.ui.app import make_app
    make_app("zh_CN")
    path = tmp_path / "school.db"
    shutil.copyfile(school_template[0], path)
    automatic_backup(path)
    path.unlink()
    seen = []
    assert open_for_ui(str(path), ask=lambda exc, p: seen.append(exc.zh) or "quit") is None
    assert "不存在" in seen[0] and not path.exists()
    db = open_for_ui(str(path), ask=lambda exc, p: "restore")
    assert db.school_code == "S0001"
    db.close()


def test_locked_database_offers_retry(qtbot, tmp_path):
    from growthdesk.app_launch import database_error_dialog
    from growthdesk.db import _as_database_error
    from growthdesk.ui.app import make_app
    make_app("zh_CN")
    exc = _as_database_error(Exception("database is locked"), "sqlite:///x.db")
    box, actions = database_error_dialog(exc, tmp_path / "x.db")
    qtbot.addWidget(box)
    assert "占用" in box.text()
    assert [a for _, a in actions] == ["retry", "quit"]  # no backup exists: nothing to restore
    assert box.icon() == QMessageBox.Icon.Critical


def test_missing_database_starts_the_first_run_wizard(qtbot, tmp_path, monkeypatch):
    from growthdesk.app_launch import open_for_ui
    from growthdesk.demo import demo_setup
    from growthdesk.setup import write_setup_file
    from growthdesk.ui.app import make_app
    from growthdesk.ui.login import FirstRunDialog
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    target = tmp_path / "new-school.db"
    assert open_for_ui(str(target)) == "new"
    setup = write_setup_file(demo_setup("D02", "S0002"), tmp_path / "setup.json")
    dlg = FirstRunDialog(target)
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.setup_path.setText(str(setup))
    dlg.display.setText("张校长")
    dlg.password.setText("abcdef-12")
    dlg.confirm.setText("abcdef-13")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.errors["confirm"].isVisible() and dlg.isVisible()
    assert not target.exists()  # nothing made before the form is right
    dlg.confirm.setText("abcdef-12")
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    try:
        assert dlg.db.kind == "school" and dlg.db.school_code == "S0002"
        with dlg.db.session() as s:
            admin = s.scalars(select(User)).one()
        assert (admin.login, admin.role, admin.display_name) == ("admin", "school_admin", "张校长")
        assert dlg.admin.id == admin.id
        assert dlg.db.encrypted and dlg.db.recovery_key_shown  # sealed from the start; the key is shown once
    finally:
        dlg.db.close()
    from growthdesk.security import LockedDatabase
    assert isinstance(open_for_ui(str(target)), LockedDatabase)  # the next start asks for a login first


def test_weak_password_in_wizard_makes_nothing_and_points_at_the_field(qtbot, tmp_path, monkeypatch):
    from growthdesk.demo import demo_setup
    from growthdesk.setup import write_setup_file
    from growthdesk.ui.app import make_app
    from growthdesk.ui.login import FirstRunDialog
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    target = tmp_path / "s.db"
    dlg = FirstRunDialog(target)
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.setup_path.setText(str(write_setup_file(demo_setup("D03", "S0003"), tmp_path / "setup.json")))
    dlg.display.setText("管理员")
    dlg.password.setText("123")
    dlg.confirm.setText("123")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dlg.errors["password"].isVisible(), timeout=10_000)
    assert "密码" in dlg.errors["password"].text()
    assert dlg.db is None and not target.exists()  # a weak password is refused before the school is made
    dlg.password.setText("school-admin-1")
    dlg.confirm.setText("school-admin-1")
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    dlg.db.close()


def test_idle_window_locks_and_needs_the_password(qtbot, ui_school):
    from growthdesk.ui.login import IdleLock
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    win.show()
    win.select_class(info["class_id"])
    from growthdesk.ui import editors
    editor = editors.new_evaluation(win, info["student_ids"][0])  # an open editor shows data too
    win.idle_lock = IdleLock(win, minutes=0.003)  # 180 ms
    qtbot.waitUntil(lambda: getattr(win, "locked", False), timeout=5000)
    assert not win.centralWidget().isVisible() and not win.menuBar().isEnabled()
    assert not editor.isVisible()
    dlg = win.lock_dialog
    assert dlg.login.text() == "teacher" and dlg.login.isReadOnly()
    dlg.password.setText("wrong-one")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dlg.errors["password"].isVisible(), timeout=5000)
    assert win.locked
    dlg.password.setText(PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert not win.locked and win.centralWidget().isVisible()
    assert editor.isVisible()  # back as it was, input intact
    win.idle_lock.set_minutes(0)  # stop it before the test ends


def test_layout_is_remembered(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(780, 560)  # the offscreen screen is 800×600; the toolbar needs ~740 px
    win.show()
    win.select_class(info["other_class_id"])
    win.close()
    again = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (780, 560)
    assert again.class_id == info["other_class_id"]


def test_keyboard_shortcut_opens_the_award_editor(qtbot, ui_school):
    from growthdesk.ui.editors import ResultDialog
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    win.select_class(info["class_id"])
    QTest.keyClick(win.table, "a", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dlg = win.findChild(ResultDialog)
    assert dlg is not None and dlg.isVisible()
    assert dlg.checked_ids(dlg.members) == [info["student_ids"][0]]  # the selected student is ticked
    dlg.reject()
    wait_ops(qtbot, win)


def test_shortcut_list_is_built_from_the_menus(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    keys = dict(win.shortcut_list())
    assert keys["录入获奖"] == "Ctrl+Shift+A" and keys["锁定"] == "Ctrl+L" and keys["查找学生"] == "Ctrl+F"
    box = win.show_shortcuts()
    assert "Ctrl+Shift+A" in box.text()
    box.close()


def test_grid_remembers_which_way_it_moves(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    win.grid.advance_combo.setCurrentIndex(win.grid.advance_combo.findData("right"))
    again = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(again)
    assert again.grid.table.advance == "right"


def test_district_database_opens_the_district_window_after_a_log_in(qtbot, tmp_path, monkeypatch):
    from growthdesk.app_launch import open_for_ui, start_ui
    from growthdesk.services.offices import Admin, create_district_office
    from growthdesk.ui.app import make_app
    from growthdesk.ui.login import LoginDialog
    from tests.test_ui_start import answer
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    create_district_office(tmp_path / "district.db", "D09", "示例区教育局", Admin("admin", "区管理员", PASSWORD))[0].close()
    db = open_for_ui(str(tmp_path / "district.db"))

    def log_in(dlg):
        dlg.login.setText("admin")
        dlg.password.setText(PASSWORD)
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    seen = answer(qtbot, LoginDialog, log_in)
    try:
        window = start_ui(db, str(tmp_path / "district.db"))  # a district database never opens without one
        qtbot.addWidget(window)
        assert seen and type(window).__name__ == "DistrictWindow" and window.isVisible()
        window.runner.wait()
        window.close()
    finally:
        db.close()


def test_uncaught_error_becomes_a_dialog_with_details(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from growthdesk import app_launch
    from growthdesk.ui.app import make_app
    make_app("zh_CN")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0)
    try:
        raise KeyError("boom")
    except KeyError as exc:
        app_launch.show_uncaught(type(exc), exc, exc.__traceback__)
    text, details = shown[0]
    assert "数据没有受到影响" in text and "KeyError: 'boom'" in details
