"""Admin: the access log (who read or exported whose records), its chain check and export;
the recovery key printed again."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..services.names import local_time_text
from . import app as ui_app

MAX_ROWS = 2000




class AccessLogDialog(QDialog):
    """The newest entries (at most 2,000; the export has them all), whether the chain holds."""

    def __init__(self, main) -> None:
        super().__init__(main)
        self.main = main
        self.setObjectName("accessLog")
        self.setWindowTitle(self.tr("Access log"))
        self.resize(1000, 560)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Account"), self.tr("Action"),
                                              self.tr("Students"), self.tr("What"), self.tr("Reason"), self.tr("No.")])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("exportAccessLog")
        self.export_button.clicked.connect(self._export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.load()

    def load(self) -> None:
        from ..services import accesslog
        lang = ui_app.lang()
        with self.main.db.session() as s:
            check = accesslog.verify(s)
            rows = accesslog.entries(s, limit=MAX_ROWS)
            keep = accesslog.keep_days(s)
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            values = [local_time_text(e.at), e.user, accesslog.action_label(e.action, lang),
                      str(e.student_count), e.detail, e.reason, str(e.id)]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        kept = self.tr("Entries are kept %1 days.").replace("%1", str(keep))
        if check.ok:
            self.status.setText(self.tr("%1 entries; the chain is intact (no entry was edited or removed).")
                                .replace("%1", str(check.entries)) + " " + kept)
        else:
            problem = check.problem_zh if lang.startswith("zh") else check.problem_en
            self.status.setText(self.tr("Warning: the access log was tampered with: %1").replace("%1", problem))
            self.status.setStyleSheet("color: #b00020; font-weight: bold")

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the access log"), "", "CSV (*.csv)")
        if path:
            self.export_to(path if path.lower().endswith(".csv") else path + ".csv")

    def export_to(self, path: str):
        from ..services import accesslog
        lang = ui_app.lang()

        def run(ctx):
            with ctx.session() as s:
                return accesslog.export_csv(s, path, lang)
        return self.main.ops.run(self, run, on_success=lambda _n: self.load())


def show_access_log(main) -> AccessLogDialog | None:
    from ..errors import PermissionDenied
    from ..services.users import require_role
    from .ops import show_message
    try:
        require_role(main.user, "school_admin")
    except PermissionDenied as exc:
        from PySide6.QtWidgets import QMessageBox
        show_message(main, QMessageBox.Icon.Warning, exc.message(ui_app.lang()))
        return None
    dlg = AccessLogDialog(main)
    dlg.open()
    return dlg


def show_recovery_key(main) -> None:
    """Print the recovery key again (admins only; it is shown, not saved to a file)."""
    from PySide6.QtWidgets import QMessageBox

    from ..errors import GrowthDeskError
    from ..security import recovery_key
    from .ops import show_message
    try:
        from ..services.users import require_role
        require_role(main.user, "school_admin")
        key = recovery_key(main.db)
    except GrowthDeskError as exc:
        show_message(main, QMessageBox.Icon.Warning, exc.message(ui_app.lang()))
        return
    from PySide6.QtCore import QCoreApplication
    box = QMessageBox(QMessageBox.Icon.Information, "GrowthDesk", QCoreApplication.translate(
        "AccessLogDialog", "Recovery key of this database (keep it locked away; it opens the database without any "
        "password):"), parent=main)
    box.setObjectName("recoveryKey")
    box.setInformativeText(key)
    box.open()
    main.recovery_box = box


class DataInventoryDialog(QDialog):
    """The data inventory shipped with the app (``resources/reference/data_inventory.md``):
    every field kept, why, for how long; saved as a PDF to print for the school's records."""

    def __init__(self, parent=None) -> None:
        from PySide6.QtWidgets import QTextBrowser

        from ..paths import resource
        super().__init__(parent)
        self.setObjectName("dataInventory")
        self.setWindowTitle(self.tr("Data inventory"))
        self.resize(900, 640)
        self.view = QTextBrowser()
        self.view.setMarkdown(resource("reference", "data_inventory.md").read_text(encoding="utf-8"))
        save = QPushButton(self.tr("Save as PDF…"))
        save.setObjectName("savePdf")
        save.clicked.connect(self._save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addLayout(row)

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the data inventory"), "", "PDF (*.pdf)")
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def save_pdf(self, path: str) -> None:
        from PySide6.QtGui import QPageSize, QPdfWriter

        from ..fileperms import tighten
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(150)
        self.view.document().print_(writer)
        del writer  # the file is complete once the writer is gone
        tighten(path)


def show_data_inventory(main) -> DataInventoryDialog:
    dlg = DataInventoryDialog(main)
    dlg.open()
    return dlg


# ---------------------------------------------------------------- retention (school admin)


def _zh_date(d) -> str:
    from ..reports.labels import zh_date
    if d is None:
        return ""
    return zh_date(d) if ui_app.lang().startswith("zh") else d.isoformat()


def _ask(parent, text: str, on_yes) -> "QMessageBox":
    """A non-blocking yes/no question (the UI and the tests keep running); ``on_yes`` on Yes."""
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Icon.Warning, "GrowthDesk", text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setObjectName("confirmBox")
    box.finished.connect(lambda code: on_yes() if code == QMessageBox.StandardButton.Yes else None)
    box.open()
    return box


class RetentionDialog(QDialog):
    """Students who left or graduated more than N years ago (N: a setting, default 3): the admin
    checks the list, ticks who goes, and confirms anonymising or deleting them (for real)."""

    def __init__(self, main) -> None:
        from PySide6.QtWidgets import QSpinBox
        super().__init__(main)
        self.main = main
        self.setObjectName("retention")
        self.setWindowTitle(self.tr("Records past the retention period"))
        self.resize(980, 600)
        self.due_rows: list = []
        self.confirm_box = None
        self.explain = QLabel(self.tr(
            "Personal information is kept only as long as needed. Students listed here left or graduated more than "
            "the retention period ago. Check the list, untick anyone whose records must stay, then anonymise "
            "(levels, awards and projects stay for the school's statistics; names, student numbers, birth dates, "
            "comments and certificates are removed) or delete everything. Neither can be undone; it is written to "
            "the access log and travels to the district and the other workstations."))
        self.explain.setWordWrap(True)
        self.years = QSpinBox()
        self.years.setObjectName("retentionYears")
        self.years.setRange(1, 30)
        self.years.setSuffix(self.tr(" years"))
        self.save_years = QPushButton(self.tr("Save the period"))
        self.save_years.setObjectName("saveYears")
        self.save_years.clicked.connect(self._save_years)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Keep the records of students who left for")))
        top.addWidget(self.years)
        top.addWidget(self.save_years)
        top.addStretch(1)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalHeaderLabels([self.tr("Include"), self.tr("Name"), self.tr("Status"),
                                              self.tr("Left on")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.count_label = QLabel()
        self.result_label = QLabel()
        self.result_label.setObjectName("retentionResult")
        self.result_label.setWordWrap(True)
        self.anonymise_button = QPushButton(self.tr("Anonymise the ticked students…"))
        self.anonymise_button.setObjectName("anonymise")
        self.anonymise_button.clicked.connect(lambda: self.ask("anonymise"))
        self.delete_button = QPushButton(self.tr("Delete the ticked students…"))
        self.delete_button.setObjectName("deleteForReal")
        self.delete_button.clicked.connect(lambda: self.ask("delete"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.anonymise_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.explain)
        lay.addLayout(top)
        lay.addWidget(self.count_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.result_label)
        lay.addLayout(row)
        self.load()

    def load(self) -> None:
        from PySide6.QtCore import Qt

        from ..models.enums import STUDENT_STATUSES, label
        from ..services import retention
        with self.main.db.session(user=self.main.user.login) as s:
            years = retention.retention_years(s)
            self.due_rows = retention.due(s)
        self.years.setValue(years)
        lang = ui_app.lang()
        self.table.setRowCount(len(self.due_rows))
        for r, d in enumerate(self.due_rows):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, 0, tick)
            for c, v in enumerate((d.name, label(STUDENT_STATUSES, d.status, "zh" if lang.startswith("zh") else "en"),
                                   _zh_date(d.left_on)), start=1):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(3)
        self.count_label.setText(self.tr("%1 students left more than %2 years ago.")
                                 .replace("%1", str(len(self.due_rows))).replace("%2", str(years)))
        self.anonymise_button.setEnabled(bool(self.due_rows))
        self.delete_button.setEnabled(bool(self.due_rows))

    def ticked_ids(self) -> list[str]:
        from PySide6.QtCore import Qt
        return [d.id for r, d in enumerate(self.due_rows)
                if self.table.item(r, 0).checkState() == Qt.CheckState.Checked]

    def _save_years(self) -> None:
        from ..services import retention
        years = self.years.value()

        def run(ctx):
            with ctx.session() as s:
                retention.set_retention_years(s, years)
        self.main.ops.run(self, run, on_success=lambda _r: self.load())

    def ask(self, mode: str) -> None:
        ids = self.ticked_ids()
        if not ids:
            self.result_label.setText(self.tr("Tick at least one student first."))
            return
        if mode == "anonymise":
            text = self.tr("Anonymise %1 students? Their names, student numbers, birth dates, comments and "
                           "certificates are removed for good; this cannot be undone.")
        else:
            text = self.tr("Delete %1 students and all their records for good? This cannot be undone.")
        self.confirm_box = _ask(self, text.replace("%1", str(len(ids))), lambda: self.run(mode, ids))

    def run(self, mode: str, ids: list[str]):
        from ..services import retention
        db, login = self.main.db, self.main.user.login

        def job(_ctx):
            return retention.purge(db, ids, user=login, mode=mode)

        def done(result) -> None:
            msg = (self.tr("Anonymised %1 students.") if mode == "anonymise" else
                   self.tr("Deleted %1 students and %2 records; %3 evidence files removed."))
            self.result_label.setText(msg.replace("%1", str(result["students"])).replace("%2", str(result["records"]))
                                      .replace("%3", str(result.get("evidence_files_removed", 0))))
            self.load()
            self.main.refresh()
        return self.main.ops.run(self, job, on_success=done)


def _require_admin(main) -> bool:
    from ..errors import PermissionDenied
    from ..services.users import require_role
    from .ops import show_message
    try:
        require_role(main.user, "school_admin")
    except PermissionDenied as exc:
        from PySide6.QtWidgets import QMessageBox
        show_message(main, QMessageBox.Icon.Warning, exc.message(ui_app.lang()))
        return False
    return True


def show_retention(main) -> RetentionDialog | None:
    if not _require_admin(main):
        return None
    dlg = RetentionDialog(main)
    dlg.open()
    return dlg


# ---------------------------------------------------------------- a guardian's request


class GuardianDialog(QDialog):
    """A guardian's request about one student (PIPL art. 45–47): export everything held (PDF +
    Excel), correct a field, or delete the student. The request's reason is required and each
    step is written to the access log."""

    FIELDS = ("name", "gender", "birth_date", "national_student_no", "note")

    def __init__(self, main, student_id: str) -> None:
        from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit
        super().__init__(main)
        self.main = main
        self.student_id = student_id
        self.confirm_box = None
        self.outputs: dict = {}
        self.setObjectName("guardianRequest")
        self.setWindowTitle(self.tr("Guardian's request"))
        self.resize(820, 600)
        self.who = QLabel()
        self.who.setObjectName("guardianStudent")
        self.who.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("guardianReason")
        self.reason.setPlaceholderText(self.tr("e.g. written request of the mother, received 20 November"))
        form = QFormLayout()
        form.addRow(self.tr("Student"), self.who)
        form.addRow(self.tr("Request and reason (required)"), self.reason)

        export_box = QGroupBox(self.tr("1. See everything held"))
        self.export_button = QPushButton(self.tr("Export everything held (PDF + Excel)…"))
        self.export_button.setObjectName("guardianExport")
        self.export_button.clicked.connect(self._export)
        ex = QVBoxLayout(export_box)
        ex.addWidget(QLabel(self.tr("Every record about this student, in a PDF to print and a spreadsheet.")))
        ex.addWidget(self.export_button)

        correct_box = QGroupBox(self.tr("2. Correct a field"))
        self.field = QComboBox()
        self.field.setObjectName("guardianField")
        labels = {"name": self.tr("Name"), "gender": self.tr("Gender"), "birth_date": self.tr("Birth date"),
                  "national_student_no": self.tr("National student number"), "note": self.tr("Note")}
        for f in self.FIELDS:
            self.field.addItem(labels[f], f)
        self.current = QLabel()
        self.current.setObjectName("guardianCurrent")
        self.value = QLineEdit()
        self.value.setObjectName("guardianValue")
        self.correct_button = QPushButton(self.tr("Correct"))
        self.correct_button.setObjectName("guardianCorrect")
        self.correct_button.clicked.connect(self.correct)
        cf = QFormLayout(correct_box)
        cf.addRow(self.tr("Field"), self.field)
        cf.addRow(self.tr("Now"), self.current)
        cf.addRow(self.tr("Corrected value"), self.value)
        cf.addRow("", self.correct_button)
        self.field.currentIndexChanged.connect(self._show_current)

        delete_box = QGroupBox(self.tr("3. Delete the student"))
        self.delete_button = QPushButton(self.tr("Delete everything about this student…"))
        self.delete_button.setObjectName("guardianDelete")
        self.delete_button.clicked.connect(self.ask_delete)
        dl = QVBoxLayout(delete_box)
        dl.addWidget(QLabel(self.tr("The student and all their records are deleted for good, also at the district "
                                    "and on the other workstations.")))
        dl.addWidget(self.delete_button)

        self.result_label = QLabel()
        self.result_label.setObjectName("guardianResult")
        self.result_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(export_box)
        lay.addWidget(correct_box)
        lay.addWidget(delete_box)
        lay.addWidget(self.result_label)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.values: dict = {}
        self.load()

    def load(self) -> None:
        from ..models.enums import GENDERS, label
        from ..models import Student
        from ..services import access
        with self.main.db.session(user=self.main.user.login) as s:
            access.require_role(s, "school_admin")
            st = s.get(Student, self.student_id)
            if st is None or st.deleted:
                self.values = {}
                self.who.setText(self.tr(" (deleted)").strip())
                for w in (self.export_button, self.correct_button, self.delete_button):
                    w.setEnabled(False)
                self._show_current()
                return
            cls = st.school_class
            from ..services.names import class_label
            class_name = class_label(cls.grade, cls.class_no, ui_app.lang()) if cls is not None else ""
            self.values = {"name": st.name, "gender": label(GENDERS, st.gender), "birth_date": _zh_date(st.birth_date),
                           "national_student_no": st.national_student_no or "", "note": st.note or ""}
        self.who.setText(f"{self.values['name']}　{class_name}")
        self._show_current()

    def _show_current(self, *_a) -> None:
        self.current.setText(self.values.get(self.field.currentData(), ""))

    def _reason(self) -> str | None:
        text = self.reason.text().strip()
        if len(text) < 2:
            self.result_label.setText(self.tr("Write down the request and its reason first (it goes into the access "
                                              "log)."))
            self.result_label.setStyleSheet("color: #b00020")
            self.reason.setFocus()
            return None
        self.result_label.setStyleSheet("")
        return text

    def _export(self) -> None:
        if self._reason() is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the export"))
        if folder:
            self.export_to(folder)

    def export_to(self, folder: str):
        from ..services import guardian
        reason = self._reason()
        if reason is None:
            return None
        db, login, sid = self.main.db, self.main.user.login, self.student_id

        def done(result) -> None:
            self.outputs = result
            self.result_label.setText(self.tr("Saved %1 records to %2 and %3.").replace("%1", str(result["records"]))
                                      .replace("%2", result["pdf"]).replace("%3", result["xlsx"]))
        return self.main.ops.run(self, lambda _c: guardian.export_all(db, sid, folder, reason=reason, user=login),
                                 on_success=done)

    def correct(self):
        from ..services import guardian
        reason = self._reason()
        if reason is None:
            return None
        field, value = self.field.currentData(), self.value.text().strip()
        db, login, sid = self.main.db, self.main.user.login, self.student_id

        def done(_r) -> None:
            self.value.clear()
            self.load()
            self.result_label.setText(self.tr("Corrected: %1.").replace("%1", self.field.currentText()))
            self.main.refresh()

        def failed(exc) -> bool:
            from ..errors import GrowthDeskError
            if isinstance(exc, GrowthDeskError):
                self.result_label.setText(exc.message(ui_app.lang()))
                self.result_label.setStyleSheet("color: #b00020")
                return True
            return False
        return self.main.ops.run(self, lambda _c: guardian.correct(db, sid, {field: value or None}, reason=reason,
                                                                   user=login), on_success=done, on_error=failed)

    def ask_delete(self) -> None:
        if self._reason() is None:
            return
        text = self.tr("Delete %1 and all their records for good? This cannot be undone.").replace(
            "%1", self.values.get("name", ""))
        self.confirm_box = _ask(self, text, self.delete)

    def delete(self):
        from ..services import guardian
        reason = self._reason()
        if reason is None:
            return None
        db, login, sid = self.main.db, self.main.user.login, self.student_id

        def done(result) -> None:
            self.load()
            self.result_label.setText(self.tr("Deleted the student and %1 records.").replace(
                "%1", str(result["records"])))
            self.main.show_student(None)
            self.main.refresh()
        return self.main.ops.run(self, lambda _c: guardian.delete(db, sid, reason=reason, user=login), on_success=done)


def show_guardian_request(main, student_id: str | None = None) -> GuardianDialog | None:
    from PySide6.QtWidgets import QMessageBox

    from .ops import show_message
    if not _require_admin(main):
        return None
    student_id = student_id or getattr(main, "student_id", None)
    if not student_id:
        from PySide6.QtCore import QCoreApplication
        show_message(main, QMessageBox.Icon.Information,
                     QCoreApplication.translate("GuardianDialog", "Pick the student in the list first."))
        return None
    dlg = GuardianDialog(main, student_id)
    dlg.open()
    return dlg

