"""Start the desktop app (``growthdesk`` with no sub-command).

Opens ``--db`` or the demo school in the data folder (made on first start); a database that is
missing, locked, damaged or newer gets a Chinese dialog instead of a traceback, with an offer to
restore the newest automatic backup; a district database opens the district window.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication

_T0 = time.perf_counter()


def launch(args) -> int:
    from .errors import GrowthDeskError
    from .ui.app import make_app
    app = make_app(getattr(args, "lang", None))
    sys.excepthook = show_uncaught  # a slot that raises shows a dialog, not a console traceback
    try:
        explicit = getattr(args, "db", None)
        target = explicit or str(_default_database())
        db = open_for_ui(target)
        if db is None:
            return 1
        window = start_ui(db, target)
    except GrowthDeskError as exc:
        from .ui.app import lang
        error_box(exc.message(lang()), "").exec()
        return 1
    if window is None:
        return 0
    return app.exec()


def error_box(text: str, details: str):
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Icon.Critical, "GrowthDesk", text)
    if details:
        box.setDetailedText(details)
    return box


def show_uncaught(exc_type, exc, tb) -> None:
    """The last resort for an error no op caught: say so in the UI language, details folded away."""
    import traceback

    from .errors import GrowthDeskError
    from .ui.app import lang
    if isinstance(exc, GrowthDeskError):
        text, details = exc.message(lang()), ""
    else:
        text = QCoreApplication.translate("Launcher", "Something went wrong. Your data is safe; the action was "
                                          "not completed.")
        details = "".join(traceback.format_exception(exc_type, exc, tb))
    print(details or text, file=sys.stderr)  # kept for whoever reads the log
    error_box(text, details).exec()


def _default_database() -> Path:
    """The demo school in the data folder, made on the very first start (a few seconds, shown
    with a busy progress bar so the start does not look frozen)."""
    from .paths import default_database
    path = default_database()
    if not path.exists():
        from .demo import ensure_demo_database
        title = QCoreApplication.translate("Launcher", "Creating the demo school…")
        _with_busy_dialog(title, lambda _ctx: ensure_demo_database(path))
    return path


def _with_busy_dialog(title: str, func) -> None:
    """Run ``func`` as an op while a local event loop keeps the progress dialog alive."""
    from PySide6.QtCore import QEventLoop

    from .ui.ops import OpRunner
    runner = OpRunner(None)
    loop = QEventLoop()
    runner.idle.connect(loop.quit)
    errors: list[BaseException] = []
    runner.run(None, func, title=title, progress=True, on_error=lambda exc: errors.append(exc) or True)
    loop.exec()
    if errors:
        raise errors[0]


def open_for_ui(target: str, ask=None):
    """The opened database, ``"new"`` for the first-run wizard (no file yet, or an empty one), or
    None after telling the user why not. ``ask(exc, path)`` shows the dialog and returns the
    user's choice (retry / restore / quit); a file that vanished but has backups is offered back."""
    from .db import open_database, sqlite_path, to_url
    from .errors import DatabaseError
    ask = ask or ask_database_error
    path = sqlite_path(to_url(target))
    while True:
        try:
            if path is not None and (not path.exists() or path.stat().st_size == 0):
                if latest_backup(path) is None:
                    return "new"
                raise DatabaseError(f"数据库文件不存在：{path}", f"database file not found: {path}", value=str(path))
            db = open_database(target)
            try:  # a damaged file is said at once, with the backup offered, not at the first save
                db.check_integrity()
            except DatabaseError:
                db.close()
                raise
            return db
        except DatabaseError as exc:
            if "数据库是空的" in exc.zh:
                return "new"
            action = ask(exc, path)
            if action == "restore" and restore_latest_backup(path) is not None:
                continue
            if action != "retry":
                return None


def latest_backup(path: Path | None) -> Path | None:
    """The newest complete, usable automatic backup (never a copy cut short)."""
    from .backup import latest_automatic_backup
    return None if path is None else latest_automatic_backup(path)


def database_error_dialog(exc, path: Path | None):
    """A message box saying what is wrong, in the UI language, with Retry (locked) / Restore
    backup (when one exists) / Quit. Returns the box and [(button, action)]."""
    from PySide6.QtWidgets import QMessageBox

    from .ui import app as ui_app
    box = QMessageBox(QMessageBox.Icon.Critical, "GrowthDesk", exc.message(ui_app.lang()))
    box.setObjectName("databaseError")
    actions = []
    if "locked" in exc.en:
        retry = QCoreApplication.translate("Launcher", "Retry")
        actions.append((box.addButton(retry, QMessageBox.ButtonRole.AcceptRole), "retry"))
    # A database from a newer GrowthDesk is fine; the app is what needs upgrading, not the data.
    backup = None if "newer" in exc.en else latest_backup(path)
    if backup is not None:
        box.setInformativeText(QCoreApplication.translate(
            "Launcher", "The newest automatic backup is %1. Restore it? The unusable file is kept "
            "beside it.").replace("%1", backup.name))
        restore = QCoreApplication.translate("Launcher", "Restore backup")
        actions.append((box.addButton(restore, QMessageBox.ButtonRole.ActionRole), "restore"))
    quit_text = QCoreApplication.translate("Launcher", "Quit")
    actions.append((box.addButton(quit_text, QMessageBox.ButtonRole.RejectRole), "quit"))
    return box, actions


def ask_database_error(exc, path: Path | None) -> str:
    box, actions = database_error_dialog(exc, path)
    box.exec()
    clicked = box.clickedButton()
    return next((action for button, action in actions if button is clicked), "quit")


def restore_latest_backup(path: Path | None) -> Path | None:
    """Move the unusable file aside (kept, never deleted) and restore the newest backup."""
    from .backup import restore
    backup = latest_backup(path)
    if backup is None or path is None:
        return None
    if path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path.rename(path.with_name(f"{path.name}.damaged-{stamp}"))
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    restore(path, backup)
    return path


def start_ui(db, target: str):
    """First-run wizard when needed, the district window for a district database, else log-in
    and the main window. Returns the window shown, or None if the user gave up."""
    from .ui.login import FirstRunDialog, IdleLock, LoginDialog, idle_minutes
    from .ui.main_window import MainWindow
    if db != "new" and db.kind == "district":
        return _district_window(db)
    user = None
    if db == "new" or _user_count(db) == 0:
        wizard = FirstRunDialog(target, None if db == "new" else db)
        if not wizard.exec():
            return None
        db, user = wizard.db, wizard.admin  # who just chose the password need not type it again
    if user is None:
        login = LoginDialog(db)
        if not login.exec() or login.user is None:
            return None
        user = login.user
    window = MainWindow(db, user)
    window.idle_lock = IdleLock(window, idle_minutes())
    window.show()
    if _env_flag("GROWTHDESK_STARTUP_TIME"):
        print(f"main window shown after {time.perf_counter() - _T0:.3f} s", flush=True)
    return window


def _env_flag(name: str) -> bool:
    import os
    return bool(os.environ.get(name))


def _user_count(db) -> int:
    from .services.views import user_count
    with db.session() as s:
        return user_count(s)


def _district_window(db):
    """District staff log in when the district database has accounts; an office PC without
    accounts opens straight away (the database file is the boundary there)."""
    from PySide6.QtWidgets import QMessageBox

    from .ui.login import LoginDialog
    try:
        from .ui.district import open_district_window
    except ImportError:
        QMessageBox.information(None, "GrowthDesk", QCoreApplication.translate(
            "Launcher", "This is a district database. The district window is not part of this version; use the "
            "command line (growthdesk stats, growthdesk bundle import)."))
        return None
    login = ""
    if _user_count(db):
        dlg = LoginDialog(db)
        if not dlg.exec() or dlg.user is None:
            return None
        login = dlg.user.login
    return open_district_window(db, login)
