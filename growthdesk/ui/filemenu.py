"""The File menu's database actions, shared by the school and the district window: 打开…,
切换/新建…, 最近打开 (recent databases), and the 演示数据 mark of a demo database."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu

from .. import recent

translate = QCoreApplication.translate

DEMO_STYLE = "background: #F5A623; color: #000; font-weight: bold; padding: 1px 8px; border-radius: 3px"


def is_demo(db) -> bool:
    return bool(db.settings.get("demo_login"))


def demo_text() -> str:
    return translate("FileMenu", "Demo data")


def mark_demo(window: QMainWindow, db) -> None:
    """A demo database says so in the title and, always visible, in the status bar."""
    if not is_demo(db):
        return
    window.setWindowTitle(f"【{demo_text()}】{window.windowTitle()}")
    badge = QLabel(demo_text())
    badge.setObjectName("demoBadge")
    badge.setStyleSheet(DEMO_STYLE)
    badge.setToolTip(translate("FileMenu", "Made-up data for trying GrowthDesk out. Do not enter real pupils here."))
    window.statusBar().addPermanentWidget(badge)
    window.demo_badge = badge


def add_database_actions(window: QMainWindow, menu: QMenu) -> None:
    """打开… (Ctrl+O), 切换/新建…, 最近打开 ▸ at the top of ``menu``."""
    first = menu.actions()[0] if menu.actions() else None

    def action(text: str, slot, name: str, shortcut=None) -> QAction:
        act = QAction(text, window)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.insertAction(first, act)
        return act

    action(translate("FileMenu", "Open…"), lambda: open_database_file(window), "actOpenDatabase",
           QKeySequence.StandardKey.Open)
    action(translate("FileMenu", "Switch or create…"), lambda: switch_or_create(window), "actSwitchDatabase")
    sub = QMenu(translate("FileMenu", "Recent databases"), window)
    sub.setObjectName("recentMenu")
    sub.aboutToShow.connect(lambda: fill_recent(window, sub))
    menu.insertMenu(first, sub)
    fill_recent(window, sub)
    menu.insertSeparator(first)
    window.recent_menu = sub


def recent_label(row: recent.RecentDatabase) -> str:
    kinds = {"district": translate("FileMenu", "district"), "school": translate("FileMenu", "school")}
    what = kinds.get(row.kind, "")
    if row.role == "workstation":
        what = translate("FileMenu", "workstation")
    name = row.name or row.target
    if row.demo:
        name += f"（{demo_text()}）"
    return f"{name} · {what} · {row.target}" if what else f"{name} · {row.target}"


def fill_recent(window: QMainWindow, sub: QMenu) -> None:
    sub.clear()
    current = getattr(window, "target", "")
    rows = [r for r in recent.recent() if r.exists()]
    for row in rows:
        act = sub.addAction(recent_label(row))
        act.setData(row.target)
        if row.target == current:
            act.setEnabled(False)  # the one open now
        act.triggered.connect(lambda _checked=False, t=row.target: switch_to(window, t))
    if not rows:
        none = sub.addAction(translate("FileMenu", "(none yet)"))
        none.setEnabled(False)


def open_database_file(window: QMainWindow) -> None:
    from .start import database_filter
    from ..paths import data_dir
    path, _ = QFileDialog.getOpenFileName(window, translate("FileMenu", "Open database"), str(data_dir()),
                                          database_filter())
    if path:
        switch_to(window, path)


def switch_to(window: QMainWindow, target: str):
    from ..app_launch import switch_database
    return switch_database(window, target)


def switch_or_create(window: QMainWindow):
    from ..app_launch import switch_database
    return switch_database(window, start_dialog=True)


# ---------------------------------------------------------------- sync folder, re-issued setup file

def add_sync_actions(window: QMainWindow, menu: QMenu) -> None:
    """立即同步: one sync round now; 同步设置… (this PC's folder and interval); on a school hub
    also 载入区里重新签发的设置文件… (re-enrollment after the district re-issued the school's file)."""
    first = menu.actions()[0] if menu.actions() else None
    for text, slot, name in (
            (translate("FileMenu", "Sync now"), lambda: sync_now(window), "actSyncNow"),
            (translate("FileMenu", "Sync settings…"), lambda: open_sync_settings(window), "actSyncFolder")):
        act = QAction(text, window)
        act.setObjectName(name)
        act.triggered.connect(slot)
        menu.insertAction(first, act)
    if window.db.kind == "school" and window.db.settings.get("node_role") == "hub":
        act = QAction(translate("FileMenu", "Load a re-issued setup file…"), window)
        act.setObjectName("actEnrollAgain")
        act.triggered.connect(lambda: load_reissued_setup(window))
        menu.insertAction(first, act)
    menu.insertSeparator(first)


def runner_of(window):
    return getattr(window, "ops", None) or getattr(window, "runner", None)


def open_sync_settings(window: QMainWindow):
    from .autosync import open_settings
    return open_settings(window)


def sync_now(window: QMainWindow, folder: str | None = None, ask: bool = False) -> None:
    """One round through the sync folder (remembered in the database; asked the first time),
    through the same path as the automatic rounds (``ui.autosync``): never two at once."""
    from ..services.offices import sync_folder_of
    folder = folder or ("" if ask else sync_folder_of(window.db))
    if not folder:
        folder = QFileDialog.getExistingDirectory(window, translate("FileMenu", "Sync folder"),
                                                  sync_folder_of(window.db))
        if not folder:
            return
    sync = getattr(window, "autosync", None)
    if sync is None:
        from .autosync import AutoSync
        sync = window.autosync = AutoSync(window)
        sync.apply_interval()
    sync.sync("manual", folder=folder)


def load_reissued_setup(window: QMainWindow, path: str | None = None) -> None:
    """The district re-issued this school's setup file (a new PC, a revoked key): new keys here."""
    from ..services.offices import enroll_existing_school
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, translate("FileMenu", "School setup file"), "",
                                              translate("FileMenu", "Setup file (*.json)"))
        if not path:
            return
    runner_of(window).run(window, lambda ctx: enroll_existing_school(ctx.db, path), on_success=lambda _r: (
        window.db.reload_settings(),
        window.statusBar().showMessage(translate("FileMenu", "The new setup file is loaded: this school sends "
                                                             "with its new keys from now on."), 15_000)))
