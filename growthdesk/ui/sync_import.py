"""District app: import sync bundles — pick files, check them (dry run), apply, see the result.

Thin: the work is ``sync.import_bundles`` run through ``ui.ops.OpRunner`` (off the UI thread,
with progress); this dialog only collects files and shows one result row per bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..sync import DUPLICATE, IMPORTED, REJECTED, import_bundles
from . import app as ui_app
from .ops import OpRunner, record_label

# lupdate collects literal translate("Context", "text") calls: English source, Chinese in the .qm.
translate = QCoreApplication.translate

_COLOURS = {IMPORTED: "#e6f4ea", DUPLICATE: "#f1f3f4", REJECTED: "#fce8e6"}


def columns() -> list[str]:
    """The result table's headers in the UI language (translated when asked, not at import)."""
    # Spelled out: pyside6-lupdate only collects literal translate calls.
    return [translate("BundleImport", "File"),
            translate("BundleImport", "School"),
            translate("BundleImport", "No."),
            translate("BundleImport", "Result"),
            translate("BundleImport", "Inserted"),
            translate("BundleImport", "Updated"),
            translate("BundleImport", "Deleted"),
            translate("BundleImport", "Unchanged"),
            translate("BundleImport", "Reason")]


def status_text(status: str, dry_run: bool) -> str:
    if dry_run and status == IMPORTED:
        return translate("BundleImport", "Can be imported (check)")
    names = {IMPORTED: translate("BundleImport", "Imported"),
             DUPLICATE: translate("BundleImport", "Already imported"),
             REJECTED: translate("BundleImport", "Rejected")}
    return names.get(status, status)


def totals(counts: dict) -> list[int]:
    keys = ("inserted", "updated", "deleted", "unchanged")
    return [sum(c.get(k, 0) for c in counts.values()) for k in keys]


class BundleImportDialog(QDialog):
    """``on_imported`` is called after a real (not dry-run) import, e.g. to refresh the school list."""

    def __init__(self, db, user: str = "", parent=None, runner: OpRunner | None = None,
                 on_imported: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("BundleImport", "Import school bundles"))
        self.resize(900, 520)
        self.runner = runner or OpRunner(db, user, self)
        self.on_imported = on_imported
        self.files: list[Path] = []
        self.result: dict | None = None
        self.file_list = QListWidget()
        self.add_button = QPushButton(translate("BundleImport", "Add bundles…"))
        self.clear_button = QPushButton(translate("BundleImport", "Clear list"))
        self.dry_button = QPushButton(translate("BundleImport", "Check (changes nothing)"))
        self.apply_button = QPushButton(translate("BundleImport", "Import"))
        headers = columns()
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(translate("BundleImport",
                                        "Add the bundle files (*.gdbundle, *.gdbundle.zip), check them first, then import."))
        self._layout()
        self.add_button.clicked.connect(self.pick_files)
        self.clear_button.clicked.connect(lambda: self.set_files([]))
        self.dry_button.clicked.connect(lambda: self.run(dry_run=True))
        self.apply_button.clicked.connect(lambda: self.run(dry_run=False))
        self._enable()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for b in (self.add_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.dry_button, self.apply_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.file_list, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 2)

    def _enable(self) -> None:
        busy = self.runner.pending > 0
        for b in (self.dry_button, self.apply_button):
            b.setEnabled(bool(self.files) and not busy)

    def pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, translate("BundleImport", "Choose bundles"), "",
                                                translate("BundleImport",
                                                          "GrowthDesk bundles (*.gdbundle *.gdbundle.zip);;All files (*)"))
        if paths:
            self.set_files(self.files + [Path(p) for p in paths])

    def set_files(self, paths) -> None:
        seen, self.files = set(), []
        for p in map(Path, paths):
            if p not in seen:
                seen.add(p)
                self.files.append(p)
        self.file_list.clear()
        self.file_list.addItems([p.name for p in self.files])
        self._enable()

    def run(self, dry_run: bool) -> None:
        files = list(self.files)
        if not files:
            return
        if dry_run:
            self.summary.setText(translate("BundleImport", "Checking the bundles…"))
        else:
            self.summary.setText(translate("BundleImport", "Importing…"))

        def work(ctx):
            return import_bundles(ctx.db, files, dry_run=dry_run, user=ctx.user,
                                  progress=lambda d, t, text="": ctx.progress(d, t, record_label(text)))
        self.runner.run(self, work, on_success=self.show_result,
                        title=translate("BundleImport", "Processing bundles…"), progress=True)
        self._enable()

    def show_result(self, result: dict) -> None:
        self.result = result
        self.table.setRowCount(0)
        for b in result["bundles"]:
            self._add_row(b, result["dry_run"])
        s = result["summary"]
        if result["dry_run"]:
            text = translate("BundleImport", "Check done: {ok} can be imported, {dup} already imported, "
                                             "{bad} rejected.")
        else:
            text = translate("BundleImport", "Import done: {ok} imported, {dup} already imported, {bad} rejected.")
        self.summary.setText(text.format(ok=s[IMPORTED], dup=s[DUPLICATE], bad=s[REJECTED]))
        self._enable()
        if not result["dry_run"] and self.on_imported is not None:
            self.on_imported()

    def _add_row(self, b: dict, dry_run: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        reason = _reason(b.get("reason")) if b["status"] != IMPORTED else ""
        values = [b["file"], b.get("school_code") or "", b.get("sequence") or "", status_text(b["status"], dry_run),
                  *totals(b["counts"]), reason]
        brush = QBrush(QColor(_COLOURS.get(b["status"], "#ffffff")))
        for col, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setBackground(brush)
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == len(values) - 1 and b.get("reason"):
                item.setToolTip(b["reason"].get("message", ""))
            self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()


def _reason(reason: dict | None) -> str:
    """A rejection's reason in the UI language (the import result carries both)."""
    from ..errors import GrowthDeskError
    if not reason:
        return ""
    err = GrowthDeskError(reason.get("zh") or "", reason.get("en") or reason.get("zh") or "",
                          row=reason.get("row"), column=reason.get("column"))
    return err.message(ui_app.lang())  # with the row/column it points at, as every error dialog shows


def open_import_dialog(window) -> BundleImportDialog:
    """From the district window: share its runner and refresh its school list afterwards."""
    dlg = BundleImportDialog(window.db, parent=window, runner=getattr(window, "runner", None),
                             on_imported=getattr(window, "refresh", None))
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
