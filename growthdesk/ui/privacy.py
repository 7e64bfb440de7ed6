"""Admin: the access log (who read or exported whose records), its chain check and export;
the recovery key printed again."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from . import app as ui_app

MAX_ROWS = 2000


def _local(at) -> str:
    """A stored (naive UTC) time as the clock on the wall shows it."""
    from datetime import timezone
    return at.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


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
            values = [_local(e.at), e.user, accesslog.action_label(e.action, lang),
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
