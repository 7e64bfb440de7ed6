"""The app opens an encrypted database only through its login dialog; the demo keeps its login."""

from __future__ import annotations

import sqlite3

import pytest

from growthdesk import keys


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
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["demo-school.db", "demo-school.db.keys"]
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
