"""Automatic sync in the app (issue 11), with real widgets: a real hub and a real workstation on
disk and a real shared folder. A round at login, every few minutes and at quit; the status line
``N 条未同步 · 上次同步 今天 14:05``; an unreachable folder says why and nothing breaks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from growthdesk.keys import FAST_FOR_TESTS
from growthdesk.models import Student, User

PASSWORD = "school-pw-123"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """District, hub (encrypted, one class and two pupils) and one workstation that has the school
    (both PCs synced once through the folder F)."""
    from growthdesk.db import open_database
    from growthdesk.services import students, terms
    from growthdesk.services.offices import Admin, add_workstation, create_school_hub, join_school
    from growthdesk.setup import add_school, create_district
    from growthdesk.sync.folder import sync_folder

    t = tmp_path_factory.mktemp("autosync")
    old = os.environ.get("GROWTHDESK_HOME")
    os.environ["GROWTHDESK_HOME"] = str(t / "home")
    try:
        district = create_district(t / "district.db", "D01", "示例区")
        setup = add_school(district, "S0001", "示例区第一中学", "urban", "junior")
        district.close()
        hub, _admin = create_school_hub(t / "hub.db", setup, Admin("admin", "李校长", PASSWORD), kdf=FAST_FOR_TESTS)
        year = int(terms.current_term_code()[:4])
        with hub.session(user="admin") as s:
            cls = students.create_class(s, year, 7, 1, adviser_name="王老师")
            for i, name in enumerate(("张三", "李四")):
                body = f"1101012013010{i + 1:04d}"
                students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name=name,
                                        gender="MF"[i], birth_date=date(2013, 1, i + 1), class_id=cls.id)
        F = t / "F"
        F.mkdir()
        add_workstation(hub, "初一办公室", t / "W1.json")
        ws, _ = join_school(t / "ws.db", t / "W1.json", F)   # its keys up
        sync_folder(hub, F)                                  # pinned; the school goes down
        sync_folder(ws, F)                                   # accounts and pupils arrive
        sync_folder(hub, F)                                  # receipts
        ws.close()
        hub.close()
    finally:
        if old is None:
            os.environ.pop("GROWTHDESK_HOME", None)
        else:
            os.environ["GROWTHDESK_HOME"] = old
    return t


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    from growthdesk.ui.app import make_app
    for p in template.iterdir():
        (shutil.copytree if p.is_dir() else shutil.copy2)(p, tmp_path / p.name)
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    return tmp_path


def open_ws(t: Path, folder: Path | None = None, minutes: int = 5):
    from growthdesk.sync import auto
    from growthdesk.security import unlock_database  # encrypted from its creation; the accounts have arrived
    ws = unlock_database(t / "ws.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS)
    auto.save_settings(ws, str(folder if folder is not None else t / "F"), minutes)
    with ws.session() as s:
        admin = s.scalars(select(User).where(User.login == "admin")).one()
        s.expunge(admin)
    return ws, admin


def hub_names(t: Path) -> dict[str, str]:
    from growthdesk.security import unlock_database
    from growthdesk.sync.folder import sync_folder
    with unlock_database(t / "hub.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS) as hub:
        sync_folder(hub, t / "F")
        with hub.session() as s:
            return {st.id: st.note for st in s.scalars(select(Student))}


def note_on(db, text: str) -> str:
    from growthdesk.services import students
    with db.session(user="admin") as s:
        st = s.scalars(select(Student).order_by(Student.name)).first()
        students.update_student(s, st.id, note=text)
        return st.id


def label_text(win) -> str:
    return win.findChild(type(win.autosync.label), "syncStatus").text()


def wait_rounds(qtbot, win, n: int) -> None:
    qtbot.waitUntil(lambda: len(win.autosync.rounds) >= n and not win.autosync.busy and win.ops.pending == 0,
                    timeout=30_000)


def test_login_round_sends_the_workstations_change_to_the_hub(env, qtbot):
    from growthdesk.sync.folder import pending_changes
    from growthdesk.ui.main_window import MainWindow
    ws, admin = open_ws(env)
    sid = note_on(ws, "在工作站上改的")
    assert pending_changes(ws) == 1
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    try:
        first = label_text(win)
        assert first.startswith("1 条未同步"), first          # before the login round ran
        wait_rounds(qtbot, win, 1)
        assert win.autosync.rounds == ["login"] and win.autosync.problem == ""
        shown = label_text(win)
        now = time.localtime()
        assert shown.startswith("0 条未同步 · 上次同步 今天 "), shown
        hhmm = shown.rsplit(" ", 1)[1]
        assert abs((int(hhmm[:2]) * 60 + int(hhmm[3:])) - (now.tm_hour * 60 + now.tm_min)) <= 1  # local time
        assert list((env / "F" / "to-S0001").glob("S0001-W01-*.gdbundle"))
        assert hub_names(env)[sid] == "在工作站上改的"
        assert ws.settings["sync_last_at"]  # remembered for the next start
    finally:
        win.close()
        ws.close()


def test_timer_rounds_and_sync_now_share_one_path(env, qtbot):
    from growthdesk.ui.main_window import MainWindow
    ws, admin = open_ws(env, minutes=7)
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    try:
        assert win.autosync.timer.isActive() and win.autosync.timer.interval() == 7 * 60_000
        wait_rounds(qtbot, win, 1)
        sid = note_on(ws, "定时同步")
        win.autosync.refresh()
        assert label_text(win).startswith("1 条未同步")
        win.autosync.timer.setInterval(50)   # "every few minutes", sped up
        wait_rounds(qtbot, win, 2)
        win.autosync.timer.stop()
        assert win.autosync.rounds[1] == "timer" and label_text(win).startswith("0 条未同步")
        assert hub_names(env)[sid] == "定时同步"
        # 文件 → 立即同步 takes the same path: a second press while a round runs starts nothing.
        act = win.findChild(type(win.menuBar().actions()[0]), "actSyncNow")
        act.trigger()
        act.trigger()
        assert win.autosync.rounds.count("manual") == 1
        wait_rounds(qtbot, win, 3)
        assert "已同步" in win.statusBar().currentMessage()
    finally:
        win.close()
        ws.close()


def test_unreachable_folder_shows_the_reason_and_nothing_breaks(env, qtbot):
    from growthdesk.ui.main_window import MainWindow
    usb = env / "usb"
    usb.mkdir()
    ws, admin = open_ws(env, folder=usb)
    usb.rmdir()   # the stick was pulled before the login
    note_on(ws, "离线时改的")
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    try:
        wait_rounds(qtbot, win, 1)
        text = label_text(win)
        assert text.startswith("1 条未同步 · 无法同步：同步文件夹不存在或无法访问"), text
        assert "U 盘未插入" in win.autosync.label.toolTip()
        assert win.ops.last_box is None  # said in the status line, no box in the way
        win.refresh()                    # the window works on
        assert win.model.rowCount() == 2
        usb.mkdir()                      # plugged in again: the next round goes through
        win.autosync.tick()
        wait_rounds(qtbot, win, 2)
        assert label_text(win).startswith("0 条未同步 · 上次同步 今天"), label_text(win)
        assert list((usb / "to-S0001").glob("*.gdbundle"))
    finally:
        win.close()
        ws.close()


@contextlib.contextmanager
def read_only_mount(where: Path):
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a read-only file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_read_only_folder_says_so(env, qtbot):
    from growthdesk.sync import auto
    from growthdesk.ui.main_window import MainWindow
    with read_only_mount(env / "ro") as ro:
        assert "只读" in auto.folder_problem(ro).zh
        ws, admin = open_ws(env, folder=ro)
        win = MainWindow(ws, admin)
        qtbot.addWidget(win)
        try:
            wait_rounds(qtbot, win, 1)
            assert "无法同步：同步文件夹只读" in label_text(win), label_text(win)
        finally:
            win.close()
            ws.close()


def test_quit_sends_what_is_left_and_never_waits_forever(env, qtbot):
    from growthdesk.ui.main_window import MainWindow
    ws, admin = open_ws(env, minutes=0)
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    wait_rounds(qtbot, win, 1)
    assert not win.autosync.timer.isActive()  # 0 minutes: only login, quit and 立即同步
    sid = note_on(ws, "退出前改的")
    win.close()
    assert win.autosync.rounds[-1] == "quit"
    ws.close()
    assert hub_names(env)[sid] == "退出前改的"
    # A round that cannot finish (a share that hangs) does not hold quit for longer than the bound.
    ws, admin = open_ws(env, minutes=0)
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    wait_rounds(qtbot, win, 1)
    win.ops.run(win, lambda ctx: time.sleep(1.5))
    t0 = time.monotonic()
    assert win.autosync.at_quit(wait_ms=200) is False
    assert time.monotonic() - t0 < 1.0
    win.ops.wait(20_000)
    win.close()
    ws.close()


def test_sync_settings_dialog_remembers_folder_and_minutes(env, qtbot):
    from growthdesk.ui.main_window import MainWindow
    ws, admin = open_ws(env)
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    try:
        wait_rounds(qtbot, win, 1)
        win.findChild(type(win.menuBar().actions()[0]), "actSyncFolder").trigger()
        dlg = win.sync_settings_dialog
        assert dlg.windowTitle() == "同步设置" and dlg.minutes.value() == 5
        dlg.folder.setText("")
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
        assert dlg.error.isVisible() and "请选择同步文件夹" in dlg.error.text()
        other = env / "share"
        other.mkdir()
        dlg.folder.setText(str(other))
        dlg.minutes.setValue(12)
        note_on(ws, "换了文件夹")
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
        assert ws.settings["sync_folder"] == str(other) and ws.settings["sync_interval_minutes"] == "12"
        assert win.autosync.timer.interval() == 12 * 60_000
        wait_rounds(qtbot, win, 2)
        assert win.autosync.rounds[-1] == "settings" and list((other / "to-S0001").glob("*.gdbundle"))
    finally:
        win.close()
        ws.close()


def test_render_status_line_and_settings_at_1366x768(env, qtbot):
    from growthdesk.ui.main_window import MainWindow
    ws, admin = open_ws(env)
    note_on(ws, "改了一处")
    win = MainWindow(ws, admin)
    qtbot.addWidget(win)
    try:
        win.resize(1366, 768)
        win.show()
        QApplication.processEvents()
        ARTIFACTS.mkdir(exist_ok=True)
        assert win.grab().save(str(ARTIFACTS / "autosync_pending_zh_CN.png"))
        wait_rounds(qtbot, win, 1)
        QApplication.processEvents()
        assert win.autosync.label.isVisible() and win.autosync.label.width() >= \
            win.autosync.label.fontMetrics().horizontalAdvance(label_text(win))  # not clipped
        assert win.grab().save(str(ARTIFACTS / "autosync_main_window_zh_CN.png"))
        win.autosync.problem = win.autosync.problem_detail = "同步文件夹不存在或无法访问：/media/usb/同步（U 盘未插入或网络未连接？）"
        win.autosync.refresh()
        QApplication.processEvents()
        assert win.grab().save(str(ARTIFACTS / "autosync_unreachable_zh_CN.png"))
        win.findChild(type(win.menuBar().actions()[0]), "actSyncFolder").trigger()
        dlg = win.sync_settings_dialog
        QApplication.processEvents()
        assert dlg.grab().save(str(ARTIFACTS / "autosync_settings_dialog_zh_CN.png"))
        dlg.reject()
    finally:
        win.close()
        ws.close()
