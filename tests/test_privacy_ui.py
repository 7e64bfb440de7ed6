"""The app opens an encrypted database only through its login dialog; the demo keeps its login."""

from __future__ import annotations

import sqlite3

import pytest

from growthdesk import keys
from tests.test_ui_helpers import school_template, ui_school  # noqa: F401


def test_encrypted_demo_opens_through_the_login_dialog(qtbot, tmp_path, monkeypatch):
    from growthdesk.app_launch import open_for_ui
    from growthdesk.demo import DEMO_PASSWORD, ensure_demo_database
    from growthdesk.security import LockedDatabase
    from growthdesk.ui.app import make_app
    from growthdesk.ui.login import LoginDialog
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    path = tmp_path / "demo-school.db"
    ensure_demo_database(path, students=30, terms=1, encrypt=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["demo-school.db", "demo-school.db.keys",
                                                                       "demo-school.db.lockout"]
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("SELECT count(*) FROM student").fetchone()
    con.close()
    locked = open_for_ui(str(path))
    assert isinstance(locked, LockedDatabase) and locked.kind == "school"
    dlg = LoginDialog(locked)
    qtbot.addWidget(dlg)
    dlg.open()
    assert "admin" in dlg.demo_hint.text() and DEMO_PASSWORD in dlg.demo_hint.text()  # the printed demo login
    dlg.login.setText("admin")
    dlg.password.setText("wrong-pass-1")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dlg.errors["password"].isVisible(), timeout=10_000)
    assert "密码" in dlg.errors["password"].text() and dlg.user is None
    dlg.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=20_000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    try:
        assert dlg.user.login == "admin" and dlg.db.encrypted
        from growthdesk.services.views import user_count
        with dlg.db.session() as s:
            assert user_count(s) > 3
    finally:
        dlg.db.close()
    assert {s["login"] for s in keys.read_keyfile(path)["slots"]} >= {"admin", "teacher01", "adviser0701"}


def test_admin_sees_the_access_log_and_a_teacher_does_not(qtbot, ui_school, tmp_path):
    from pathlib import Path

    from growthdesk.services import views
    from growthdesk.ui import privacy
    from growthdesk.ui.main_window import MainWindow
    from tests.test_ui_helpers import user, wait_ops
    db, info = ui_school
    with db.session(user="teacher") as s:
        views.student_page(s, info["student_ids"][0], info["term"])
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    wait_ops(qtbot, win)
    assert win.findChild(type(win.menuBar().actions()[0]), "actAccessLog") is not None
    dlg = privacy.show_access_log(win)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() >= 1 and "完整" in dlg.status.text()
    users_seen = {dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())}
    assert "teacher" in users_seen
    assert "查看学生档案" in {dlg.table.item(r, 2).text() for r in range(dlg.table.rowCount())}
    artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    assert dlg.grab().save(str(artifacts / "access_log_zh_CN.png"))
    out = tmp_path / "log.csv"
    dlg.export_to(str(out))
    wait_ops(qtbot, win)
    assert "查看学生档案" in out.read_text(encoding="utf-8-sig")
    teacher_win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(teacher_win)
    assert teacher_win.findChild(type(win.menuBar().actions()[0]), "actAccessLog") is None
    assert privacy.show_access_log(teacher_win) is None


def test_data_inventory_is_shown_and_saved_as_pdf(qtbot, tmp_path):
    from pypdf import PdfReader

    from growthdesk.ui.app import make_app
    from growthdesk.ui.privacy import DataInventoryDialog
    make_app("zh_CN")
    dlg = DataInventoryDialog()
    qtbot.addWidget(dlg)
    dlg.resize(1000, 700)
    text = dlg.view.toPlainText()
    for words in ("学籍号", "访问日志", "保存多久", "6 个月", "EXIF"):
        assert words in text
    from pathlib import Path
    artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    dlg.show()
    assert dlg.grab().save(str(artifacts / "data_inventory_zh_CN.png"))
    out = tmp_path / "inventory.pdf"
    dlg.save_pdf(str(out))
    pages = PdfReader(out).pages
    assert len(pages) >= 2 and "访问日志" in "".join(p.extract_text() for p in pages)
