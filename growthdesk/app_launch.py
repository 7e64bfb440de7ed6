"""Start the desktop app (``growthdesk`` with no sub-command).

Opens ``--db``, or the database this PC opened last (``growthdesk.recent``), or on the first
start the start dialog (demo school, school from its setup file, workstation, existing file,
district office). A database that is missing, locked, damaged or newer gets a Chinese dialog
instead of a traceback, with an offer to restore the newest automatic backup; a district
database opens the district window, always after a log-in.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication

_T0 = time.perf_counter()


def launch(args) -> int:
    """``--db`` if given; else the database this PC opened last; else (first start, or the last
    one is gone) the start dialog with its five choices."""
    from .errors import GrowthDeskError
    from .ui.app import make_app
    app = make_app(getattr(args, "lang", None))
    from PySide6.QtCore import QTimer
    # Started by the first event loop, i.e. once the log-in (or start) dialog is up: a thread
    # importing SQLAlchemy meanwhile would hold the interpreter lock while the dialog is built.
    QTimer.singleShot(0, prewarm)
    sys.excepthook = show_uncaught  # a slot that raises shows a dialog, not a console traceback
    try:
        explicit = getattr(args, "db", None)
        if explicit:
            db = open_for_ui(explicit)
            if db is None:
                return 1
            window = start_ui(db, explicit)
        else:
            window = start_remembered()
    except GrowthDeskError as exc:
        from .ui.app import lang
        error_box(exc.message(lang()), "").exec()
        return 1
    if window is None:
        return 0
    return app.exec()


_PREWARM = ("growthdesk.db", "growthdesk.ui.login", "growthdesk.ui.main_window",
            "growthdesk.ui.autosync", "growthdesk.sync.folder")  # the status line's N 条未同步


def prewarm():
    """Import the main window's modules on a worker thread, started once the first dialog is up:
    they load while the log-in dialog waits for the password and while its check runs (scrypt
    releases the interpreter lock), not after it. Returns the thread. A module that fails here
    fails again, with its message, where it is really imported."""
    import importlib
    import threading

    def work() -> None:
        ahead = hasattr(os, "posix_fadvise")
        if ahead:
            read_ahead(WARM_FILES)  # asks the kernel, returns at once
        for name in _PREWARM:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - reported by the real import on the main thread
                return
        from .db import _freeze_long_lived
        _freeze_long_lived()  # the session's modules out of the collector's way (once a process)
        if not ahead:
            read_ahead(WARM_FILES)

    thread = threading.Thread(target=work, name="growthdesk-prewarm", daemon=True)
    thread.start()
    return thread


# The database file the log-in dialog is about to open (set by start_ui): read ahead while the
# password is typed. Its first write checks the whole file (PRAGMA quick_check), which on the
# first start of the day would otherwise wait for the disk after the click on 登录.
WARM_FILES: list[Path] = []
READ_AHEAD_MAX = 512 * 1024 * 1024


def read_ahead(paths: list[Path]) -> None:
    for path in list(paths):
        try:
            if path.stat().st_size > READ_AHEAD_MAX:
                continue
            with open(path, "rb") as fh:
                if hasattr(os, "posix_fadvise"):
                    os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_WILLNEED)
                else:
                    while fh.read(1 << 20):  # the read releases the interpreter lock
                        pass
        except OSError:
            continue


def start_remembered():
    """The last database, opened again (log-in first); the start dialog when there is none, or
    when it cannot be opened and the user did not restore it."""
    from . import recent
    last = recent.last()
    if last is not None:
        db = open_for_ui(last.target)
        if db is not None and db != "new":
            return start_ui(db, last.target)
    return run_start_dialog()


def run_start_dialog(parent=None):
    """The start dialog; the window of what was chosen, or None when the user gave up."""
    from .ui.start import StartDialog
    dlg = StartDialog(parent)
    if not dlg.exec() or dlg.db is None:
        return None
    return start_ui(dlg.db, dlg.target, user=dlg.user)


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
        from .redact import redact
        details = redact("".join(traceback.format_exception(exc_type, exc, tb)))  # no names or numbers in reports
    from .redact import redact
    print(redact(details or text), file=sys.stderr)  # kept for whoever reads the log: no names or ID numbers
    error_box(text, details).exec()


def open_for_ui(target: str, ask=None):
    """The opened database, ``"new"`` for the first-run wizard (no file yet, or an empty one), or
    None after telling the user why not. ``ask(exc, path)`` shows the dialog and returns the
    user's choice (retry / restore / quit); a file that vanished but has backups is offered back."""
    from .dbfile import file_path, is_encrypted
    from .errors import DatabaseError
    ask = ask or ask_database_error
    path = file_path(target)  # no SQLAlchemy yet: an encrypted file's log-in dialog comes first
    while True:
        try:
            if path is not None and (not path.exists() or path.stat().st_size == 0):
                if latest_backup(path) is None:
                    return "new"
                raise DatabaseError(f"数据库文件不存在：{path}", f"database file not found: {path}", value=str(path))
            if path is not None and is_encrypted(path):
                from .security import LockedDatabase, waiting_for_accounts
                if waiting_for_accounts(path):  # a workstation before its accounts: nobody can log in yet
                    return open_waiting_for_ui(target)
                return LockedDatabase(target)  # opened by the login dialog (and checked then)
            from .db import open_database
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


def open_waiting_for_ui(target: str, ask_setup=None):
    """A workstation that joined its school but has no accounts yet: opened with its enrollment
    secret (this PC's copy), or else with its workstation setup file, asked for here
    (``ask_setup()`` returns a path or "" to give up). None after telling the user why not."""
    from .errors import GrowthDeskError
    from .security import open_waiting_workstation
    try:
        return open_waiting_workstation(target)
    except GrowthDeskError as exc:
        if exc.field != "setup":
            raise
    ask_setup = ask_setup or ask_workstation_setup
    while True:
        setup = ask_setup()
        if not setup:
            return None
        try:
            return open_waiting_workstation(target, setup=setup)
        except GrowthDeskError as exc:
            from .ui import app as ui_app
            error_box(exc.message(ui_app.lang()), "").exec()


def ask_workstation_setup() -> str:
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    QMessageBox.information(None, "GrowthDesk", QCoreApplication.translate(
        "Launcher", "This PC has joined its school as a workstation and waits for the school's accounts. To sync "
        "until they arrive, choose its workstation setup file again (from the school administrator)."))
    path, _ = QFileDialog.getOpenFileName(None, QCoreApplication.translate("Launcher", "Workstation setup file"), "",
                                          QCoreApplication.translate("Launcher", "Setup file (*.json)"))
    return path


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
    from . import keys
    if path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path.rename(path.with_name(f"{path.name}.damaged-{stamp}"))
        if keys.keyfile_path(path).exists():
            keys.keyfile_path(path).rename(path.with_name(f"{path.name}.damaged-{stamp}.keys"))
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    if keys.keyfile_path(backup).is_file():
        # An encrypted backup is a complete, checked file with its key file: copied as it is,
        # opened (and checked again) by the login that follows.
        import shutil

        from .fileperms import tighten
        shutil.copyfile(backup, path)
        shutil.copyfile(keys.keyfile_path(backup), keys.keyfile_path(path))
        tighten(path)
        tighten(keys.keyfile_path(path))
        return path
    restore(path, backup)
    return path


# Windows opened after the first one (File → switch) are kept here, or Python would collect them.
WINDOWS: list = []


def start_ui(db, target: str, user=None):
    """First-run wizard when needed, log-in, then the district window for a district database or
    the main window. ``user``: already logged in (an administrator just created). Returns the
    window shown, or None if the user gave up. The database is remembered for the next start."""
    from .ui.login import FirstRunDialog, IdleLock, LoginDialog, idle_minutes
    locked = db != "new" and not hasattr(db, "engine")  # an encrypted file: only a login opens it
    if not locked and db != "new" and user is None and db.settings.get("node_role") == "workstation" \
            and _user_count(db) == 0:
        # A workstation that has just joined: its accounts come with the hub's merged school.
        from .services.offices import sync_folder_of
        from .ui.workstation import WaitForSchoolDialog
        wait = WaitForSchoolDialog(db, sync_folder_of(db))
        if not wait.exec():
            return None
    if db == "new" or (not locked and user is None and _user_count(db) == 0):
        # A database without accounts (made on the command line): its first administrator now.
        wizard = FirstRunDialog(target, None if db == "new" else db)
        if not wizard.exec():
            return None
        db, user = wizard.db, wizard.admin  # who just chose the password need not type it again
    if user is None:
        path = getattr(db, "path", None)
        WARM_FILES[:] = [path, path.with_name(path.name + "-wal")] if path is not None else []
        login = LoginDialog(db)
        if not login.exec() or login.user is None:
            return None
        user, db = login.user, login.db
    db = convert_if_plain(db)
    show_recovery_key(db)
    from .services.accesslog import purge_due
    purge_due(db)  # access-log entries past the kept period (issue 14); student data only with the admin's yes
    if db.kind == "district":
        window = _district_window(db, user.login)
    elif user.role == "student":  # a student sees only their own page and 写实记录 form
        from .ui.student_home import StudentWindow
        window = StudentWindow(db, user)
        window.idle_lock = IdleLock(window, idle_minutes())
        window.show()
    else:
        from .ui.main_window import MainWindow  # imported meanwhile by prewarm()
        window = MainWindow(db, user)
        window.idle_lock = IdleLock(window, idle_minutes())
        window.show()
    if window is None:
        return None
    window.target = str(target)
    WINDOWS[:] = [w for w in WINDOWS if _alive(w)] + [window]
    from . import recent
    recent.remember_database(db, target)
    if _env_flag("GROWTHDESK_STARTUP_TIME"):
        print(f"main window shown after {time.perf_counter() - _T0:.3f} s", flush=True)
    return window


def _alive(widget) -> bool:
    from shiboken6 import isValid
    return isValid(widget) and widget.isVisible()


def switch_database(old_window, target: str | None = None, start_dialog: bool = False):
    """File → Open / recent / Switch or create: open the other database (log-in first) and close
    this window and its database only once the new one is shown. Returns the new window or None."""
    if start_dialog:
        window = run_start_dialog(old_window)
    else:
        db = open_for_ui(str(target))
        if db is None:
            return None
        if db == "new":
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(old_window, "GrowthDesk", QCoreApplication.translate(
                "Launcher", "%1 is not a GrowthDesk database (it is empty or missing).").replace("%1", str(target)))
            return None
        window = start_ui(db, str(target))
        if window is None:
            db.close()
    if window is not None and old_window is not None:
        old_db = old_window.db
        idle = getattr(old_window, "idle_lock", None)
        if idle is not None:
            idle.set_minutes(0)  # a closed window must not lock itself later
            from PySide6.QtWidgets import QApplication
            QApplication.instance().removeEventFilter(idle)
        runner = getattr(old_window, "ops", None) or getattr(old_window, "runner", None)
        if runner is not None:
            runner.wait(10_000)  # nothing may still be using the database about to close
        old_window.close()
        old_window.deleteLater()
        if old_db is not window.db:
            old_db.close()
    return window


def convert_if_plain(db):
    """A plain SQLite file from an older version becomes encrypted after its first login here
    (the automatic backup first; see ``security.encrypt_plain_database``)."""
    if not hasattr(db, "engine") or db.path is None or db.key is not None:
        return db
    from .security import encrypt_plain_database
    login, user_id = getattr(db, "login", ""), getattr(db, "user_id", "")
    new = encrypt_plain_database(db)
    new.login, new.user_id = login, user_id
    return new


def show_recovery_key(db, parent=None):
    """Once, right after a database became encrypted: the recovery key to print and keep
    (shown without blocking; an administrator can show it again from the Admin menu)."""
    key = getattr(db, "recovery_key_shown", None)
    if not key:
        return None
    db.recovery_key_shown = None
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Icon.Information, "GrowthDesk", QCoreApplication.translate(
        "Launcher", "The database is now encrypted. Its recovery key opens it if every password is forgotten. "
        "Print it or write it down and keep it locked away; it is shown only now (an administrator can print it "
        "again later):"), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("recoveryKey")
    box.setInformativeText(key)
    box.open()
    WINDOWS.append(box)
    return box


def _env_flag(name: str) -> bool:
    import os
    return bool(os.environ.get(name))


def _user_count(db) -> int:
    from .services.views import user_count
    with db.session() as s:
        return user_count(s)


def _district_window(db, login: str):
    """The district window for a logged-in member of the district office."""
    from PySide6.QtWidgets import QMessageBox
    try:
        from .ui.district import open_district_window
    except ImportError:
        QMessageBox.information(None, "GrowthDesk", QCoreApplication.translate(
            "Launcher", "This is a district database. The district window is not part of this version; use the "
            "command line (growthdesk stats, growthdesk bundle import)."))
        return None
    return open_district_window(db, login)
