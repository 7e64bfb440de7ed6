"""The start dialog: what this PC is to be, chosen without a terminal.

Shown on the very first start (no database remembered yet) and from 文件 → 切换/新建…. Five
choices: the demo school (marked 演示数据 wherever it is open), a school made from the setup file
the district sent, this PC joined to its school as a workstation, an existing database file,
or a new district office. Each ends with ``self.db`` (the opened database), ``self.target``
(where it lives) and, when an administrator was just created here, ``self.user`` (no second
log-in for the person who just chose the password). The work runs in ``services.offices`` /
``growthdesk.setup`` through ``ui.ops``; this module only asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QCommandLinkButton, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from ..paths import data_dir
from .forms import FormDialog
from .login import _Host

translate = QCoreApplication.translate

DEMO_SIZE = {"students": 2000, "terms": 4}  # tests make it smaller


def database_filter() -> str:
    return translate("StartDialog", "GrowthDesk database (*.db *.sqlite *.sqlite3);;All files (*)")


def _file_row(edit: QLineEdit, button_text: str, slot) -> QWidget:
    browse = QPushButton(button_text)
    browse.clicked.connect(slot)
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    lay.addWidget(browse)
    return row


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2.db``… when that file already holds data."""
    path = folder / name
    n = 2
    while path.exists() and path.stat().st_size > 0:
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


class StartDialog(QDialog):
    """The five choices. Accepted: ``db``, ``target`` and maybe ``user`` are set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = None
        self.target = ""
        self.user = None
        self.child: QDialog | None = None
        self.host = _Host(None)
        self.setObjectName("startDialog")
        self.setWindowTitle(self.tr("GrowthDesk — Getting started"))
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Welcome to GrowthDesk student growth portfolios"))
        head.setStyleSheet("font-size: 15pt; font-weight: bold")
        lay.addWidget(head)
        lead = QLabel(self.tr("What is this computer for? Choose one; you can switch later in the File menu."))
        lead.setWordWrap(True)
        lay.addWidget(lead)
        self.choices: dict[str, QCommandLinkButton] = {}
        for key, title, text, slot in (
                ("school", self.tr("Create this school from the district's setup file"),
                 self.tr("For the school administrator's PC (the school hub). You need the setup file "
                         "the district office sent for your school."), self.choose_school),
                ("workstation", self.tr("Join this PC to the school (workstation setup file)"),
                 self.tr("For teachers' office PCs and the computer lab. The school administrator makes the "
                         "workstation setup file with 添加工作站."), self.choose_workstation),
                ("existing", self.tr("Open an existing database"),
                 self.tr("A GrowthDesk database file already on this PC, e.g. after moving to a new computer."),
                 self.choose_existing),
                ("district", self.tr("Set up a district education office (district database)"),
                 self.tr("For the district office: register schools, give them their setup files, read "
                         "the statistics."), self.choose_district),
                ("demo", self.tr("Open the demo school"),
                 self.tr("Made-up students and teachers to try everything out. Marked 演示数据 wherever "
                         "it is open; never enter real pupils here."), self.choose_demo)):
            button = QCommandLinkButton(title, text)
            button.setObjectName(f"start_{key}")
            button.clicked.connect(slot)
            self.choices[key] = button
            lay.addWidget(button)
        self.message = QLabel()
        self.message.setObjectName("startMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c00")
        lay.addWidget(self.message)
        buttons = QDialogButtonBox()
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Quit") if parent is None else self.tr("Cancel"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 560)

    # ---------------------------------------------------------------- the choices
    def _child(self, dlg: QDialog) -> QDialog:
        self.child = dlg
        dlg.accepted.connect(lambda: self._done(dlg.db, dlg.target, getattr(dlg, "admin", None)))
        dlg.open()
        return dlg

    def choose_school(self) -> QDialog:
        return self._child(CreateSchoolDialog(self))

    def choose_district(self) -> QDialog:
        return self._child(CreateDistrictDialog(self))

    def choose_workstation(self) -> QDialog:
        from .workstation import JoinSchoolDialog
        return self._child(JoinSchoolDialog(self))

    def choose_existing(self, path: str | None = None) -> bool:
        """Open a database file; its problems (damaged, newer, locked) are shown by the launcher's
        dialog, a file that is empty or missing is said here."""
        from ..app_launch import open_for_ui
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open database"), str(data_dir()), database_filter())
            if not path:
                return False
        db = open_for_ui(str(path))
        if db is None:
            return False
        if db == "new":
            self.message.setText(self.tr("%1 is not a GrowthDesk database (it is empty or missing).")
                                 .replace("%1", str(path)))
            return False
        self._done(db, str(path), None)
        return True

    def choose_demo(self) -> None:
        """Make the demo school in the data folder on first use (a few seconds), then open it."""
        from ..demo import ensure_demo_database
        from ..paths import default_database
        path = default_database()
        self.setEnabled(False)

        def opened(_result) -> None:
            from ..db import open_database
            self.setEnabled(True)
            self._done(open_database(path), str(path), None)

        def failed(_exc) -> bool:
            self.setEnabled(True)
            return False

        self.host.ops.run(self, lambda _ctx: ensure_demo_database(path, **DEMO_SIZE), on_success=opened,
                          on_error=failed, title=self.tr("Creating the demo school…"), progress=True)

    def _done(self, db, target: str, user) -> None:
        self.db, self.target, self.user = db, target, user
        self.accept()


class _SetupForm(FormDialog):
    """A form that makes a new database: where it goes, and its first administrator."""

    admin_role = "school_admin"

    def __init__(self, parent: QWidget, title: str) -> None:
        self.host = _Host(None)
        super().__init__(self.host, title)
        self.setParent(parent, self.windowFlags())
        self.db = None
        self.target = ""
        self.admin = None
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Create"))

    def _location_row(self, name: str) -> QLineEdit:
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("Where the database file is kept on this PC"))
        row = _file_row(self.location, self.tr("Change…"), self._browse_location)
        self.add("location", self.tr("Save as"), row, "db")
        self.fields["location"] = self.location
        if name:
            self.location.setText(str(free_path(data_dir(), name)))
        return self.location

    def _browse_location(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the database as"),
                                              self.location.text() or str(data_dir()), database_filter())
        if path:
            self.location.setText(path if Path(path).suffix else path + ".db")

    def _admin_rows(self) -> None:
        self.add_section(self.tr("First administrator (logs in with this password)"))
        self.login = self.line("login", self.tr("Admin login"), "admin")
        self.display = self.line("display_name", self.tr("Your name"))
        self.password = self.line("password", self.tr("Password"), "", self.tr("at least 6 characters"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = self.line("confirm", self.tr("Repeat password"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)

    def add_section(self, text: str) -> None:
        label = QLabel(f"<b>{text}</b>")
        self.form.addRow(label)

    def admin_input(self):
        from ..services.offices import Admin
        return Admin(self.login.text(), self.display.text(), self.password.text(), self.confirm.text())

    def checked_location(self) -> str:
        from ..errors import ValidationError
        text = self.location.text().strip()
        if not text:
            raise ValidationError("请选择数据库文件的保存位置", "choose where to save the database file", field="location")
        path = Path(text).expanduser()
        if path.exists() and path.stat().st_size > 0:
            raise ValidationError(f"文件已存在：{path}（不会覆盖，请换一个文件名）",
                                  f"the file already exists: {path} (not overwritten; choose another name)",
                                  field="location", value=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    def saved(self, result) -> None:
        self.db, self.admin = result
        self.db.reload_settings()


class CreateSchoolDialog(_SetupForm):
    """用区里发来的设置文件创建本校: the setup file, where the database goes, the school admin."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr("Create this school from its setup file"))
        self.setObjectName("createSchoolDialog")
        intro = QLabel(self.tr("The district office registered your school and sent a setup file (…-setup.json). "
                               "Choose it; this PC then holds the school's main database (the hub)."))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.setup_path = QLineEdit()
        self.add("setup", self.tr("Setup file"), _file_row(self.setup_path, self.tr("Browse…"), self._browse),
                 "file", "school", "district", "format", "version", "sync_key", "person_key_secret", "rubric")
        self.fields["setup"] = self.setup_path
        self.about = QLabel()
        self.about.setObjectName("setupAbout")
        self.about.setWordWrap(True)
        self.form.addRow("", self.about)
        self._location_row("")
        self._admin_rows()
        self.setup_path.editingFinished.connect(lambda: self.set_setup_file(self.setup_path.text()))
        self.resize(620, 480)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("School setup file"), "",
                                              self.tr("Setup file (*.json);;All files (*)"))
        if path:
            self.set_setup_file(path)

    def set_setup_file(self, path: str) -> None:
        """Show which school the file is for, and propose ``<school code>.db`` in the data folder."""
        from ..errors import GrowthDeskError
        from ..services.offices import default_database_name, setup_summary
        self.setup_path.setText(path)
        self.clear_errors()
        if not path.strip():
            self.about.setText("")
            return
        try:
            info = setup_summary(path)
        except GrowthDeskError as exc:
            self.about.setText("")
            self.show_error(exc)
            return
        self.about.setText(self.tr("%1 (%2), %3").replace("%1", info["school_name"])
                           .replace("%2", info["school_code"]).replace("%3", info["district_name"]))
        if not self.location.text().strip():
            self.location.setText(str(free_path(data_dir(), default_database_name(info["school_code"]))))

    def work(self):
        from ..errors import ValidationError
        from ..services.offices import create_school_hub
        setup = self.setup_path.text().strip()
        if not setup:
            raise ValidationError("请选择区教育局发来的学校设置文件", "choose the setup file from the district office",
                                  field="setup")
        admin = self.admin_input().check()
        target = self.checked_location()
        self.target = target
        return lambda _ctx: create_school_hub(target, setup, admin)


class CreateDistrictDialog(_SetupForm):
    """设立区教育局: district code and name, where the database goes, the first administrator."""

    admin_role = "district_staff"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr("Set up a district education office"))
        self.setObjectName("createDistrictDialog")
        intro = QLabel(self.tr("The district database receives the schools' data and makes each school's setup "
                               "file. It always asks for a log-in."))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.code = self.line("district_code", self.tr("District code"), "", self.tr("e.g. 330106"), "code")
        self.name = self.line("district_name", self.tr("District name"), "", self.tr("e.g. 西湖区教育局"), "name")
        self._location_row("")
        self.code.editingFinished.connect(self._propose_location)
        self._admin_rows()
        self.resize(620, 440)

    def _propose_location(self) -> None:
        from ..setup import DISTRICT_CODE_RE
        code = self.code.text().strip()
        if DISTRICT_CODE_RE.fullmatch(code) and not self.location.text().strip():
            self.location.setText(str(free_path(data_dir(), f"district-{code}.db")))

    def work(self):
        from ..services.offices import create_district_office
        from ..setup import _check_name, check_district_code
        code = check_district_code(self.code.text())
        name = _check_name(self.name.text(), "district_name", "区")
        admin = self.admin_input().check()
        if not self.location.text().strip():
            self._propose_location()
        target = self.checked_location()
        self.target = target
        return lambda _ctx: create_district_office(target, code, name, admin)

