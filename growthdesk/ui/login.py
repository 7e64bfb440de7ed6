"""Log-in on a shared PC, the first-run wizard, and the idle lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton,
                               QWidget)

from . import app as ui_app
from .forms import FormDialog
from .ops import OpRunner

DEFAULT_IDLE_MINUTES = 10


class _Host(QWidget):
    """What ``FormDialog`` needs from its owner when there is no main window yet."""

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db
        self.ops = OpRunner(db, "", self)

    def refresh_student(self) -> None:
        pass


class LoginDialog(FormDialog):
    """Returns the logged-in ``User`` in ``self.user`` when accepted."""

    def __init__(self, db, host: QWidget | None = None, login: str = "", locked: bool = False) -> None:
        self.host = host if isinstance(host, _Host) else _Host(db)
        super().__init__(self.host, self.tr("Unlock GrowthDesk") if locked else self.tr("Log in to GrowthDesk"))
        self.db = db
        self.locked = locked
        self.user = None
        self.change_dialog = None
        self.typed_password = ""
        school = db.settings.get("school_name", "") or db.settings.get("district_name", "")
        if db.settings.get("demo_login"):
            demo = self.tr("Demo data")
            school = f"{school}（{demo}）" if ui_app.lang().startswith("zh") else f"{school} ({demo})"
        self.head = QLabel(f"<b>{school}</b>" if school else "")
        self.head.setObjectName("loginHead")
        self.form.addRow(self.head)
        demo_login = db.settings.get("demo_login")
        if demo_login and not locked:
            from ..demo_password import DEMO_PASSWORD  # not ..demo: it loads the whole database layer
            self.demo_hint = QLabel(self.tr("Demo data: log in as %1 with the password %2.")
                                    .replace("%1", demo_login).replace("%2", DEMO_PASSWORD))
            self.form.addRow(self.demo_hint)
        self.login = self.line("login", self.tr("Login"), login)
        self.login.setReadOnly(locked)
        self.password = self.line("password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Log in") if not locked else self.tr("Unlock"))
        (self.password if login else self.login).setFocus()

    def work(self):
        from ..errors import ValidationError
        from ..services import users
        login, password = self.login.text(), self.password.text()
        db, unlocking = self.db, self.unlocks()

        def run(ctx):
            if unlocking:  # an encrypted file (or a plain one, converted on this login): open it with the password
                from ..security import unlock_database
                if hasattr(db, "engine"):
                    db.engine.dispose()
                opened = unlock_database(db.url, login, password)
                with opened.session() as s:
                    return opened, users.get_user(s, opened.user_id)
            failed = None
            with ctx.db.session(user=login) as s:
                try:
                    return None, users.authenticate(s, login, password)
                except ValidationError as exc:  # commit the failed-attempt counter, then say no
                    failed = exc
            raise failed
        return run

    def unlocks(self) -> bool:
        """The first login opens an encrypted database (the idle lock only checks the password again)."""
        return not self.locked and not hasattr(self.db, "engine")  # a LockedDatabase

    def saved(self, result) -> None:
        opened, self.user = result
        if opened is not None:
            self.db = opened
        self.typed_password = self.password.text()

    def accept(self) -> None:
        """An initial password (from a printed slip) is replaced before the app opens."""
        if self.user is not None and self.user.must_change_password and self.change_dialog is None:
            self.change_dialog = ChangePasswordDialog(self.db, self.user, self.typed_password, self.host, forced=True)
            self.change_dialog.setParent(self, self.change_dialog.windowFlags())
            self.change_dialog.accepted.connect(self._changed)
            self.change_dialog.rejected.connect(self._not_changed)
            self.change_dialog.open()
            return
        super().accept()

    def _changed(self) -> None:
        self.user = self.change_dialog.user
        super().accept()

    def _not_changed(self) -> None:
        self.user = None
        self.change_dialog = None
        self.password.clear()
        self.general_error.setText(self.tr("The initial password must be changed before GrowthDesk opens."))

    def show_error(self, exc) -> bool:
        handled = super().show_error(exc)
        self.password.clear()  # the one field that is never kept
        return handled


class ChangePasswordDialog(FormDialog):
    """The user's own new password. ``forced``: the first log-in with an initial password (the
    current one is already known, so it is not asked again). ``self.user`` is updated on save."""

    def __init__(self, db, user, current: str = "", host: QWidget | None = None, forced: bool = False) -> None:
        self.host = host if isinstance(host, _Host) else _Host(db)
        super().__init__(self.host, self.tr("Change your password"))
        self.setObjectName("changePasswordDialog")
        self.db, self.user, self.forced = db, user, forced
        if forced:
            intro = QLabel(self.tr("%1, you logged in with an initial password. Choose your own password now; "
                                   "the initial one then stops working.").replace("%1", user.display_name))
            intro.setWordWrap(True)
            self.form.addRow(intro)
        self.current = self.line("old_password", self.tr("Current password"), current)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.setRowVisible(self.form.rowCount() - 1, not forced)
        self.new = self.line("password", self.tr("New password"), "", self.tr("at least 6 characters"))
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = self.line("confirm", self.tr("Repeat new password"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setFocus()

    def work(self):
        from ..services import users
        uid, old, new, confirm = self.user.id, self.current.text(), self.new.text(), self.confirm.text()

        def run(ctx):
            with ctx.db.session(user=self.user.login) as s:
                user = users.change_own_password(s, uid, old, new, confirm)
                s.flush()
                s.expunge(user)
                return user
        return run

    def saved(self, user) -> None:
        self.user = user


class FirstRunDialog(FormDialog):
    """Load the school's setup file (when the database does not exist yet) and create the
    first admin account. ``self.db`` holds the opened database when accepted."""

    def __init__(self, target: str | Path, db=None) -> None:
        self.host = _Host(db)
        super().__init__(self.host, self.tr("Welcome to GrowthDesk"))
        self.target = str(target)
        self.db = db
        self.admin = None  # the account made here, once saved
        if db is None:
            intro = QLabel(self.tr("First start: load the setup file your district office sent, then create the "
                                   "school administrator's account."))
        else:
            intro = QLabel(self.tr("This database has no accounts yet. Create its first administrator; from now "
                                   "on it opens only after a log-in."))
        self.role = "district_staff" if db is not None and db.kind == "district" else "school_admin"
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.setup_path = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.setup_path, 1)
        lay.addWidget(browse)
        self.setup_row = self.add("setup", self.tr("Setup file"), row, "file", "school", "district", "format")
        self.fields["setup"] = self.setup_path
        self.setup_row.setVisible(db is None)
        self.login = self.line("login", self.tr("Admin login"), "admin")
        self.display = self.line("display_name", self.tr("Your name"))
        self.password = self.line("password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = self.line("confirm", self.tr("Repeat password"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("School setup file"), "", "JSON (*.json)")
        if path:
            self.setup_path.setText(path)

    def work(self):
        from ..errors import ValidationError
        from ..services import users
        from ..setup import create_school
        setup, login, name, pw = self.setup_path.text().strip(), self.login.text(), self.display.text(), self.password.text()
        if pw != self.confirm.text():
            raise ValidationError("两次输入的密码不一致", "the passwords differ", field="confirm")
        problem = users.password_problem(pw, login)
        if problem:  # before anything is made: an encrypted school without its first account opens for nobody
            raise ValidationError(problem[0], problem[1], field="password")
        if self.db is None and not setup:
            raise ValidationError("请选择区教育局发来的学校设置文件", "choose the setup file from the district office",
                                  field="setup")
        target, holder, role = self.target, {"db": self.db}, self.role

        def run(ctx):
            from ..security import finish_encrypted_setup
            if holder["db"] is None:
                holder["db"] = create_school(target, setup, encrypt=True)  # sealed at rest from the start
            with holder["db"].session(user=login) as s:
                holder["admin"] = users.create_user(s, login, name, role, pw)
            holder["db"].recovery_key_shown = finish_encrypted_setup(holder["db"])
            return holder["db"]

        self._holder = holder
        return run

    def show_error(self, exc) -> bool:
        if getattr(self, "_holder", {}).get("db") is not None and self.db is None:
            self.db = self._holder["db"]  # the school exists now; only the account is left
            self.setup_row.setVisible(False)
        return super().show_error(exc)

    def saved(self, db) -> None:
        self.db = db
        self.admin = self._holder.get("admin")
        db.reload_settings()


# ---------------------------------------------------------------- idle lock

def idle_minutes() -> int:
    return int(ui_app.settings().value("idle_minutes", DEFAULT_IDLE_MINUTES))


class IdleLock(QObject):
    """Locks the main window after ``minutes`` without keyboard or mouse input (0 = never)."""

    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def __init__(self, main, minutes: float) -> None:
        super().__init__(main)
        self.main = main
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: lock_window(self.main))
        self.set_minutes(minutes)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.msecs = int(minutes * 60_000)
        self.poke()

    def poke(self) -> None:
        if self.msecs > 0 and not getattr(self.main, "locked", False):
            self.timer.start(self.msecs)
        else:
            self.timer.stop()

    def eventFilter(self, _obj, event) -> bool:
        if event.type() in self.INPUT:
            self.poke()
        return False


def lock_window(main) -> LoginDialog | None:
    """Hide the data and ask the same user's password again."""
    if getattr(main, "locked", False):
        return getattr(main, "lock_dialog", None)
    main.locked = True
    # Open editors show student data too: hide them until the password is given again.
    main.hidden_while_locked = [w for w in main.findChildren(QDialog) if w.isVisible()]
    for w in main.hidden_while_locked:
        w.hide()
    main.centralWidget().setVisible(False)
    main.menuBar().setEnabled(False)
    for bar in main.findChildren(QWidget, "pickers"):
        bar.setEnabled(False)
    dlg = LoginDialog(main.db, None, main.user.login, locked=True)
    dlg.setParent(main, dlg.windowFlags())
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.accepted.connect(lambda: _unlock(main))
    dlg.rejected.connect(lambda: QTimer.singleShot(0, lambda: _relock(main)))
    main.lock_dialog = dlg
    dlg.open()
    return dlg


def _relock(main) -> None:
    main.locked = False
    lock_window(main)  # closing the lock dialog does not unlock


def _unlock(main) -> None:
    main.locked = False
    main.lock_dialog = None
    main.centralWidget().setVisible(True)
    main.menuBar().setEnabled(True)
    for w in getattr(main, "hidden_while_locked", []):
        w.show()
    main.hidden_while_locked = []
    for bar in main.findChildren(QWidget, "pickers"):
        bar.setEnabled(True)
    idle = getattr(main, "idle_lock", None)
    if idle is not None:
        idle.poke()


def ask_idle_minutes(main) -> None:
    minutes, ok = QInputDialog.getInt(main, QCoreApplication.translate("MainWindow", "Idle lock"),
                                      QCoreApplication.translate("MainWindow", "Lock the window after this many idle minutes (0 = never):"),
                                      idle_minutes(), 0, 240)
    if ok:
        ui_app.settings().setValue("idle_minutes", minutes)
        if getattr(main, "idle_lock", None) is not None:
            main.idle_lock.set_minutes(minutes)


def role_label(role: str) -> str:
    from ..models.enums import ROLES  # the models load after the log-in dialog is shown
    return ROLES.get(role, (role, role))[0 if ui_app.lang().startswith("zh") else 1]
