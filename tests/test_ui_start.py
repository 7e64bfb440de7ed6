"""Setting up from the app, no terminal: the start dialog's choices (demo, school from the
district's setup file, existing database, district office), the district register of schools,
recent databases and the File menu, and the first log-in with an initial password."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from growthdesk.models import User

PASSWORD = "district-123"


@pytest.fixture()
def app_home(tmp_path, monkeypatch):
    from growthdesk.ui.app import make_app
    home = tmp_path / "home"
    monkeypatch.setenv("GROWTHDESK_HOME", str(home))
    make_app("zh_CN")
    return home


def answer(qtbot, cls, action, timeout: int = 15_000) -> list:
    """When a dialog of ``cls`` is shown (also one run with exec()), do ``action(dialog)`` with it."""
    done: list = []

    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, cls) and w.isVisible() and not done:
                done.append(w)
                action(w)
                return
        if not done:
            QTimer.singleShot(30, poll)
    QTimer.singleShot(0, poll)
    return done


def fill_admin(dlg, name: str = "张主任", password: str = PASSWORD) -> None:
    dlg.display.setText(name)
    dlg.password.setText(password)
    dlg.confirm.setText(password)


def ok(dlg):
    return dlg.buttons.button(dlg.buttons.StandardButton.Ok)


def close(qtbot, window) -> None:
    """Close a window once its ops are done (they use the database), then its database."""
    runner = getattr(window, "ops", None) or getattr(window, "runner", None)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
    window.close()
    window.db.close()


def make_district(tmp_path: Path):
    """A district made by the service the app uses, with one school registered: (db path, setup path)."""
    from growthdesk.services.offices import Admin, create_district_office, register_school
    db, _admin = create_district_office(tmp_path / "district.db", "D01", "示例区教育局", Admin("admin", "区管理员", PASSWORD))
    try:
        info = register_school(db, "S0001", "示例区第一中学", "town", ["junior"], tmp_path / "S0001-setup.json")
    finally:
        db.close()
    return tmp_path / "district.db", Path(info["setup_file"])


def test_start_dialog_creates_the_school_from_the_district_setup_file(qtbot, app_home, tmp_path):
    from growthdesk import recent
    from growthdesk.app_launch import start_ui
    from growthdesk.ui.start import CreateSchoolDialog, StartDialog
    _district, setup = make_district(tmp_path)
    dlg = StartDialog()
    qtbot.addWidget(dlg)
    dlg.open()
    assert [b.text() for b in dlg.choices.values()] == [
        "用区里发来的设置文件创建本校", "把本机加入学校（工作站设置文件）", "打开已有数据库", "设立区教育局（区级数据库）", "打开演示学校"]
    child = dlg.choose_school()
    assert isinstance(child, CreateSchoolDialog)
    child.set_setup_file(str(setup))
    assert "示例区第一中学" in child.about.text() and "S0001" in child.about.text()
    assert child.location.text() == str(app_home / "S0001.db")
    fill_admin(child, "李校长", "short")
    child.confirm.setText("short")
    ok(child).click()
    qtbot.waitUntil(lambda: child.errors["password"].isVisible(), timeout=10_000)
    assert "密码至少" in child.errors["password"].text()
    assert not (app_home / "S0001.db").exists()  # nothing made while the form is wrong
    fill_admin(child, "李校长")
    with qtbot.waitSignal(dlg.accepted, timeout=20_000):
        ok(child).click()
    assert dlg.db.kind == "school" and dlg.db.school_code == "S0001"
    assert dlg.user.login == "admin" and dlg.user.role == "school_admin"
    window = start_ui(dlg.db, dlg.target, user=dlg.user)  # no second log-in for who just chose it
    qtbot.addWidget(window)
    try:
        assert type(window).__name__ == "MainWindow" and window.isVisible()
        assert "演示数据" not in window.windowTitle()
        assert recent.last().target == str(app_home / "S0001.db")
        assert recent.last().name == "示例区第一中学"
    finally:
        close(qtbot, window)


def test_district_from_the_app_needs_a_login_and_registers_schools(qtbot, app_home, tmp_path):
    from growthdesk.app_launch import start_ui
    from growthdesk.setup import read_setup_file
    from growthdesk.ui.login import LoginDialog
    from growthdesk.ui.start import StartDialog
    dlg = StartDialog()
    qtbot.addWidget(dlg)
    dlg.open()
    child = dlg.choose_district()
    child.code.setText("330106")
    child.name.setText("西湖区教育局")
    child.code.editingFinished.emit()
    assert child.location.text().endswith("district-330106.db")
    fill_admin(child)
    with qtbot.waitSignal(dlg.accepted, timeout=20_000):
        ok(child).click()
    db, target = dlg.db, dlg.target
    assert db.kind == "district" and dlg.user.role == "district_staff"
    window = start_ui(db, target, user=dlg.user)
    qtbot.addWidget(window)
    page = window.schools_page
    reg = page.register_dialog()
    reg.code.setText("S0101")
    reg.name.setText("西湖区实验小学")
    reg.category.setCurrentIndex(reg.category.findData("rural"))
    reg.stage_boxes["junior"].setChecked(False)
    ok(reg).click()
    qtbot.waitUntil(lambda: reg.errors["stages"].isVisible(), timeout=10_000)  # no stage ticked
    reg.stage_boxes["primary"].setChecked(True)
    with qtbot.waitSignal(reg.accepted, timeout=10_000):
        ok(reg).click()
    setup = Path(reg.result["setup_file"])
    doc = read_setup_file(setup)
    assert doc["school"] == {"code": "S0101", "name": "西湖区实验小学", "category": "rural", "stages": ["primary"]}
    assert [(r["code"], r["status"]) for r in page.rows] == [("S0101", "pending")]
    assert "设置文件" in page.status.text() and page.table.item(0, 5).text() == "已发设置文件，尚未加入"
    page.select("S0101")
    page.revoke(confirmed=True)
    qtbot.waitUntil(lambda: page.rows and page.rows[0]["revoked"], timeout=10_000)
    assert page.table.item(0, 5).text() == "已吊销" and not page.revoke_button.isEnabled()
    # A new setup file enrolls the school again, with a new one-time secret.
    again = tmp_path / "again.json"
    page.reissue(str(again))
    qtbot.waitUntil(lambda: again.exists(), timeout=10_000)
    assert read_setup_file(again)["enrollment_secret"] != doc["enrollment_secret"]
    qtbot.waitUntil(lambda: page.rows[0]["status"] == "pending", timeout=10_000)
    # The school's first use of the file: a school database made from it.
    from growthdesk.services.offices import Admin, create_school_hub
    hub, _ = create_school_hub(tmp_path / "hub.db", again, Admin("admin", "校管理员", PASSWORD))
    assert hub.settings["node_role"] == "hub" and hub.school_code == "S0101"
    hub.close()
    close(qtbot, window)
    # Opened again: a district database asks for a log-in.
    from growthdesk.app_launch import open_for_ui
    db = open_for_ui(target)

    def log_in(login):
        login.login.setText("admin")
        login.password.setText(PASSWORD)
        ok(login).click()
    seen = answer(qtbot, LoginDialog, log_in)
    window = start_ui(db, target)
    qtbot.addWidget(window)
    try:
        assert seen and type(window).__name__ == "DistrictWindow"
    finally:
        close(qtbot, window)


def test_district_database_without_accounts_asks_for_its_first_administrator(qtbot, app_home, tmp_path):
    from growthdesk.app_launch import open_for_ui, start_ui
    from growthdesk.setup import create_district
    from growthdesk.ui.login import FirstRunDialog
    create_district(tmp_path / "district.db", "D09", "示例区教育局").close()  # as init-district without --admin
    db = open_for_ui(str(tmp_path / "district.db"))

    def create(wizard):
        assert not wizard.setup_row.isVisible()
        wizard.display.setText("区管理员")
        wizard.password.setText(PASSWORD)
        wizard.confirm.setText(PASSWORD)
        ok(wizard).click()
    seen = answer(qtbot, FirstRunDialog, create)
    window = start_ui(db, str(tmp_path / "district.db"))
    qtbot.addWidget(window)
    try:
        assert seen and type(window).__name__ == "DistrictWindow"
        with window.db.session() as s:
            assert [(u.login, u.role) for u in s.scalars(select(User))] == [("admin", "district_staff")]
    finally:
        close(qtbot, window)


def test_demo_choice_is_marked_as_demo_data_everywhere(qtbot, app_home, monkeypatch):
    from growthdesk.app_launch import start_ui
    from growthdesk.ui import start
    from growthdesk.ui.login import LoginDialog
    from growthdesk.ui.start import StartDialog
    monkeypatch.setattr(start, "DEMO_SIZE", {"students": 40, "terms": 1})
    dlg = StartDialog()
    qtbot.addWidget(dlg)
    dlg.open()
    with qtbot.waitSignal(dlg.accepted, timeout=60_000):
        dlg.choices["demo"].click()
    assert dlg.target == str(app_home / "demo-school.db") and dlg.user is None
    heads = []

    def log_in(login):
        heads.append(login.head.text())
        login.login.setText("admin")
        login.password.setText("demo1234")
        ok(login).click()
    answer(qtbot, LoginDialog, log_in)
    window = start_ui(dlg.db, dlg.target)
    qtbot.addWidget(window)
    try:
        assert "演示数据" in heads[0]
        assert window.windowTitle().startswith("【演示数据】")
        assert window.demo_badge.text() == "演示数据" and window.demo_badge.isVisible()
    finally:
        close(qtbot, window)


def test_open_existing_and_recent_databases_switch_the_window(qtbot, app_home, tmp_path):
    from growthdesk import recent
    from growthdesk.app_launch import start_remembered, start_ui
    from growthdesk.ui.login import LoginDialog
    from growthdesk.ui.start import StartDialog
    district, setup = make_district(tmp_path)
    from growthdesk.services.offices import Admin, create_school_hub
    school_db, _ = create_school_hub(tmp_path / "school.db", setup, Admin("admin", "李校长", PASSWORD))
    school_db.close()
    assert recent.last() is None  # nothing opened yet on this PC: the start dialog

    def log_in(login):
        login.login.setText("admin")
        login.password.setText(PASSWORD)
        ok(login).click()
    dlg = StartDialog()
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.choose_existing(str(tmp_path / "nothing.db"))
    assert "不是 GrowthDesk 数据库" in dlg.message.text() and dlg.isVisible()
    assert dlg.choose_existing(str(district))
    answer(qtbot, LoginDialog, log_in)
    first = start_ui(dlg.db, dlg.target)  # switching deletes it (deleteLater): not handed to qtbot
    assert recent.last().target == str(district)
    # File → Open the school: log in, the school window replaces the district window.
    from growthdesk.ui.filemenu import switch_to
    answer(qtbot, LoginDialog, log_in)
    qtbot.waitUntil(lambda: first.runner.pending == 0, timeout=20_000)
    second = switch_to(first, str(tmp_path / "school.db"))
    assert type(second).__name__ == "MainWindow" and not first.isVisible()
    assert [r.target for r in recent.recent()] == [str(tmp_path / "school.db"), str(district)]
    second.recent_menu.aboutToShow.emit()
    entries = [a for a in second.recent_menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(tmp_path / "school.db"), str(district)]
    assert not entries[0].isEnabled() and entries[1].isEnabled()  # the open one is greyed
    assert "示例区教育局" in entries[1].text()
    # The recent entry switches back.
    answer(qtbot, LoginDialog, log_in)
    qtbot.waitUntil(lambda: second.ops.pending == 0, timeout=20_000)
    entries[1].trigger()
    qtbot.waitUntil(lambda: not second.isVisible(), timeout=10_000)
    from growthdesk.app_launch import WINDOWS
    third = WINDOWS[-1]
    qtbot.addWidget(third)
    assert type(third).__name__ == "DistrictWindow"
    close(qtbot, third)
    # Next start: the database opened last opens again (log-in first), no start dialog.
    answer(qtbot, LoginDialog, log_in)
    again = start_remembered()
    qtbot.addWidget(again)
    try:
        assert type(again).__name__ == "DistrictWindow" and again.target == str(district)
    finally:
        close(qtbot, again)


def test_file_menu_has_open_switch_and_recent(qtbot, app_home, tmp_path):
    from growthdesk.services.offices import Admin, create_school_hub
    from growthdesk.ui.main_window import MainWindow
    _district, setup = make_district(tmp_path)
    db, admin = create_school_hub(tmp_path / "school.db", setup, Admin("admin", "李校长", PASSWORD))
    win = MainWindow(db, admin)
    qtbot.addWidget(win)
    try:
        file_menu = win.menuBar().actions()[0].menu()
        texts = [a.text() for a in file_menu.actions() if a.text()]
        assert texts[:3] == ["打开…", "切换/新建…", "最近打开"]
        assert "导入教师账户…" in [a.text() for a in win.findChildren(type(file_menu.actions()[0]))]
    finally:
        win.close()
        db.close()


def test_initial_password_must_be_changed_at_first_login(qtbot, app_home, tmp_path):
    from growthdesk.services import users
    from growthdesk.services.offices import Admin, create_school_hub
    from growthdesk.ui.login import ChangePasswordDialog, LoginDialog
    _district, setup = make_district(tmp_path)
    db, _admin = create_school_hub(tmp_path / "school.db", setup, Admin("admin", "李校长", PASSWORD))
    try:
        with db.session() as s:
            users.create_user(s, "t001", "王老师", "teacher", "init-pass", must_change=True)
        login = LoginDialog(db)
        qtbot.addWidget(login)
        login.open()
        login.login.setText("T001")
        login.password.setText("init-pass")
        ok(login).click()
        qtbot.waitUntil(lambda: login.change_dialog is not None and login.change_dialog.isVisible(), timeout=10_000)
        change = login.change_dialog
        assert isinstance(change, ChangePasswordDialog) and login.isVisible() and not login.result()
        change.reject()  # refusing to choose a password: not logged in
        assert login.user is None and "必须先修改初始密码" in login.general_error.text()
        login.password.setText("init-pass")
        ok(login).click()
        qtbot.waitUntil(lambda: login.change_dialog is not None and login.change_dialog.isVisible(), timeout=10_000)
        change = login.change_dialog
        change.new.setText("init-pass")
        change.confirm.setText("init-pass")
        ok(change).click()
        qtbot.waitUntil(lambda: change.errors["password"].isVisible(), timeout=10_000)
        assert "不能与原密码相同" in change.errors["password"].text()
        change.new.setText("my-own-pw")
        change.confirm.setText("my-own-pw")
        with qtbot.waitSignal(login.accepted, timeout=10_000):
            ok(change).click()
        assert login.user.login == "t001" and not login.user.must_change_password
        with db.session() as s:
            stored = users.find_user(s, "t001")
            assert not stored.must_change_password
            assert users.verify_password("my-own-pw", stored.password_hash)
            assert not users.verify_password("init-pass", stored.password_hash)
    finally:
        db.close()


def test_hub_adds_a_workstation_and_a_new_pc_joins_from_the_start_dialog(qtbot, app_home, tmp_path):
    from growthdesk.services.offices import Admin, create_school_hub
    from growthdesk.sync import nodes
    from growthdesk.ui.main_window import MainWindow
    from growthdesk.ui.start import StartDialog
    from growthdesk.ui.workstation import JoinSchoolDialog, WaitForSchoolDialog, WorkstationsDialog
    _district, setup = make_district(tmp_path)
    hub, admin = create_school_hub(tmp_path / "hub.db", setup, Admin("admin", "李校长", PASSWORD))
    win = MainWindow(hub, admin)
    qtbot.addWidget(win)
    act = win.findChild(type(win.menuBar().actions()[0]), "actAddWorkstation")
    assert act is not None and act.text() == "添加工作站…"
    act.trigger()
    dlg = win.findChild(WorkstationsDialog)
    add = dlg.add_dialog()
    add.name.setText("机房01")
    out = tmp_path / "ws1.json"
    add.out.setText(str(out))
    add.out.setModified(True)
    with qtbot.waitSignal(add.accepted, timeout=10_000):
        ok(add).click()
    assert add.result["node_id"] == "S0001-W01" and out.exists()
    assert [(r["node_id"], r["name"], r["status"]) for r in dlg.rows] == [("S0001-W01", "机房01", "pending")]
    assert dlg.table.item(0, 2).text() == "已发设置文件，尚未加入"
    # On the new PC: 把本机加入学校. A school setup file is refused in place.
    folder = tmp_path / "sync"
    folder.mkdir()
    start = StartDialog()
    qtbot.addWidget(start)
    start.open()
    join = start.choose_workstation()
    assert isinstance(join, JoinSchoolDialog)
    join.set_setup_file(str(setup))
    assert join.errors["setup"].isVisible() and "不是工作站设置文件" in join.errors["setup"].text()
    join.set_setup_file(str(out))
    assert join.location.text() == str(app_home / "S0001-W01.db")
    join.folder.setText(str(folder))
    with qtbot.waitSignal(start.accepted, timeout=30_000):
        ok(join).click()
    ws = start.db
    try:
        assert ws.settings["node_role"] == "workstation" and ws.settings["node_id"] == "S0001-W01"
        assert ws.settings["sync_folder"] == str(folder)
        assert list((folder / "to-S0001").glob("S0001-W01-*.gdbundle"))  # its first bundle: its keys
        # The hub's round from its File menu (立即同步): pins the workstation, sends the school down.
        from growthdesk.ui.filemenu import sync_now
        sync_now(win, str(folder))
        qtbot.waitUntil(lambda: win.ops.pending == 0 and hasattr(win, "last_sync"), timeout=30_000)
        assert [b["sender"] for b in win.last_sync["imported"]] == ["S0001-W01"]
        assert hub.settings["sync_folder"] == str(folder) and "已同步" in win.statusBar().currentMessage()
        with hub.session() as s:
            assert nodes.get_peer(s, "S0001-W01").status == "active"
        wait = WaitForSchoolDialog(ws, ws.settings["sync_folder"])
        qtbot.addWidget(wait)
        wait.open()
        assert "S0001-W01" in wait.text.text() and wait.folder.text() == str(folder)
        wait.sync_now()
        try:
            import growthdesk.sync.schoolwide  # noqa: F401  (accounts travel hub → workstation)
        except ImportError:
            qtbot.waitUntil(lambda: "还没有到达" in wait.status.text(), timeout=30_000)
        else:
            with qtbot.waitSignal(wait.accepted, timeout=30_000):
                pass
            with ws.session() as s:
                assert s.scalars(select(User.login)).all() == ["admin"]
    finally:
        ws.close()
        qtbot.waitUntil(lambda: win.ops.pending == 0, timeout=10_000)
        win.close()
        hub.close()


def test_hub_loads_the_setup_file_the_district_reissued(qtbot, app_home, tmp_path):
    from growthdesk.db import open_database
    from growthdesk.services.offices import Admin, create_school_hub, reissue_setup
    from growthdesk.sync import nodes
    from growthdesk.ui.filemenu import load_reissued_setup
    from growthdesk.ui.main_window import MainWindow
    district_path, setup = make_district(tmp_path)
    hub, admin = create_school_hub(tmp_path / "hub.db", setup, Admin("admin", "李校长", PASSWORD))
    old_key = nodes.identity(hub).keys.sign_public
    with open_database(district_path) as district:
        reissue_setup(district, "S0001", tmp_path / "again.json")
    win = MainWindow(hub, admin)
    qtbot.addWidget(win)
    try:
        assert win.findChild(type(win.menuBar().actions()[0]), "actEnrollAgain") is not None
        load_reissued_setup(win, str(tmp_path / "again.json"))
        qtbot.waitUntil(lambda: "新的设置文件已载入" in win.statusBar().currentMessage(), timeout=20_000)
        assert nodes.identity(hub).keys.sign_public != old_key
    finally:
        qtbot.waitUntil(lambda: win.ops.pending == 0, timeout=20_000)
        win.close()
        hub.close()


def test_recent_list_keeps_paths_not_passwords(app_home, tmp_path):
    from growthdesk import recent
    recent.remember(tmp_path / "a.db", kind="school", name="甲校")
    recent.remember("postgresql+psycopg://gd:secret@db.example/district", kind="district")
    recent.remember("postgresql+psycopg://gd@db.example/district2", kind="district")
    recent.remember(tmp_path / "b.db", kind="school", name="乙校")
    recent.remember(tmp_path / "a.db", kind="school", name="甲校")
    assert [r.target for r in recent.recent()] == [str(tmp_path / "a.db"), str(tmp_path / "b.db"),
                                                   "postgresql+psycopg://gd@db.example/district2"]
    assert "secret" not in (app_home / "databases.json").read_text(encoding="utf-8")
    assert recent.last().target == str(tmp_path / "a.db") and not recent.last().exists()
    (app_home / "databases.json").write_text("{broken", encoding="utf-8")
    assert recent.recent() == []  # an unreadable list is an empty one, not a crash


def test_first_start_and_a_vanished_last_database_show_the_start_dialog(qtbot, app_home, tmp_path):
    from growthdesk import recent
    from growthdesk.app_launch import start_remembered
    from growthdesk.ui.start import StartDialog
    shown = answer(qtbot, StartDialog, lambda d: d.reject())
    assert start_remembered() is None and shown  # first start: nothing remembered
    recent.remember(tmp_path / "gone.db", kind="school", name="甲校")
    shown = answer(qtbot, StartDialog, lambda d: d.reject())
    assert start_remembered() is None and shown  # the file is gone and has no backup
