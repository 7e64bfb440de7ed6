"""Spreadsheet dialogs: pick a file → preview with every problem listed → confirm → progress.

Thin: the work is ``sheets.roster`` / ``sheets.templates`` run through ``ui.ops`` (off the UI
thread, with progress and Cancel; a cancelled import rolls back whole). Nothing is written
before the user presses 导入 (Import). English source strings, Chinese from the translation (.qm).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from . import app as ui_app
from .ops import OpRunner

# lupdate collects literal translate("Context", "text") calls: English source, Chinese in the .qm.
translate = QCoreApplication.translate


def file_filter() -> str:
    return translate("SheetImport", "Spreadsheets (*.xlsx *.xlsm *.csv *.txt);;All files (*)")


class SheetImportDialog(QDialog):
    """Base: file row, summary, problem table, report/import buttons. Subclasses say what to run."""

    imported = Signal(object)   # the result, once written: the main window refreshes
    previewed = Signal(object)

    def title(self) -> str:
        return translate("SheetImport", "Import")

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preview = None
        self.result = None
        self.setWindowTitle(self.title())
        self.resize(820, 520)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("sheetPath")
        self.path_edit.setReadOnly(True)
        browse = QPushButton(translate("SheetImport", "Choose file…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.summary = QLabel(translate("SheetImport",
                                        "Choose a file. You will see a preview; nothing is written until you confirm."))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("issues")
        self.table.setHorizontalHeaderLabels([translate("SheetImport", "Row"), translate("SheetImport", "Column"),
                                              translate("SheetImport", "Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox()
        self.report_button = self.buttons.addButton(translate("SheetImport", "Save error report…"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.report_button.setObjectName("saveReport")
        self.import_button = self.buttons.addButton(translate("SheetImport", "Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("confirmImport")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("SheetImport", "Close"))
        self.report_button.clicked.connect(self.choose_report_path)
        self.import_button.clicked.connect(self.confirm)
        close.clicked.connect(self.reject)
        self.report_button.setEnabled(False)
        self.import_button.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.buttons)

    # ---------------------------------------------------------------- what subclasses provide
    def run_preview(self, ctx, path: Path):
        raise NotImplementedError

    def run_apply(self, ctx, preview):
        raise NotImplementedError

    def run_report(self, preview, out: Path) -> Path:
        raise NotImplementedError

    def describe_result(self, result) -> str:
        return str(result)

    def issue_count(self, preview) -> int:
        return len(preview.issues)

    def importable(self, preview) -> int:
        return preview.new

    # ---------------------------------------------------------------- flow
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("SheetImport", "Choose file"), "", file_filter())
        if path:
            self.set_file(path)

    def set_file(self, path: str | Path) -> None:
        """Show ``path`` and start its preview (off the UI thread)."""
        self.preview = self.result = None
        self.path_edit.setText(str(path))
        self.import_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.table.setRowCount(0)
        self.summary.setText(translate("SheetImport", "Checking the file…"))
        target = Path(path)
        self.runner.run(self, lambda ctx: self.run_preview(ctx, target), on_success=self._show_preview,
                        on_error=self._preview_failed, title=translate("SheetImport", "Checking the file…"),
                        progress=True)

    def _preview_failed(self, exc) -> bool:
        from ..errors import GrowthDeskError
        if isinstance(exc, GrowthDeskError):
            self.summary.setText(exc.message(ui_app.lang()))  # shown in place, no extra box
            return True
        return False

    def _show_preview(self, preview) -> None:
        self.preview = preview
        self.summary.setText(preview.summary(ui_app.lang()) + self._more(preview))
        issues = preview.issues
        self.table.setRowCount(len(issues))
        zh = ui_app.lang().startswith("zh")
        for i, issue in enumerate(issues):
            for c, value in enumerate((str(issue.row), issue.column, issue.zh if zh else issue.en)):
                self.table.setItem(i, c, QTableWidgetItem(value))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.report_button.setEnabled(bool(issues))
        self.import_button.setEnabled(self.importable(preview) > 0)
        self.previewed.emit(preview)

    def _more(self, preview) -> str:
        shown, total = len(preview.issues), self.issue_count(preview)
        if total > shown:
            return translate("SheetImport",
                             " (first {shown} of {total} problems listed; save the error report for all)").format(
                shown=shown, total=total)
        return ""

    def confirm(self) -> None:
        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        pv = self.preview
        self.runner.run(self, lambda ctx: self.run_apply(ctx, pv), on_success=self._done,
                        on_error=self._apply_failed, title=translate("SheetImport", "Importing…"), progress=True)

    def _apply_failed(self, exc) -> bool:
        self.import_button.setEnabled(True)
        return False  # the runner shows the message

    def _done(self, result) -> None:
        self.result = result
        self.summary.setText(self.describe_result(result))
        self.import_button.setEnabled(False)
        self.imported.emit(result)

    def choose_report_path(self) -> None:
        default = str(Path(self.path_edit.text()).with_name(translate("SheetImport", "rows-not-imported.xlsx")))
        out, _ = QFileDialog.getSaveFileName(self, translate("SheetImport", "Save error report"), default,
                                             "Excel (*.xlsx)")
        if out:
            self.save_report(out)

    def save_report(self, out: str | Path) -> None:
        pv = self.preview
        self.runner.run(self, lambda _ctx: self.run_report(pv, Path(out)),
                        on_success=lambda p: self.summary.setText(
                            self.summary.text() + translate("SheetImport", "\nError report saved: {path}").format(
                                path=p)))


class RosterImportDialog(SheetImportDialog):
    """学生名单导入 (school admins): .xlsx/.csv from the 学籍 system."""

    def title(self) -> str:
        return translate("SheetImport", "Import student roster")

    def __init__(self, runner: OpRunner, parent: QWidget | None = None, school_year: int | None = None) -> None:
        super().__init__(runner, parent)
        self.school_year = school_year

    def run_preview(self, ctx, path: Path):
        from ..sheets.roster import preview_roster
        def progress(done, total):
            ctx.progress(done, total, translate("SheetImport", "{n} rows checked").format(n=done))
        return preview_roster(ctx.db, path, school_year=self.school_year, progress=progress, check=ctx.check)

    def run_apply(self, ctx, preview):
        from ..sheets.roster import apply_roster
        return apply_roster(ctx.db, preview, user=ctx.user, progress=lambda d, t: ctx.progress(d, t), check=ctx.check)

    def run_report(self, preview, out: Path) -> Path:
        from ..sheets.roster import write_roster_report
        return write_roster_report(preview, out)

    def issue_count(self, preview) -> int:
        return preview.issue_count

    def importable(self, preview) -> int:
        return preview.new + preview.updated

    def describe_result(self, r) -> str:
        text = translate("SheetImport",
                         "Imported: {new} new, {updated} updated, {unchanged} unchanged, {skipped} skipped").format(
            new=r.created, updated=r.updated, unchanged=r.unchanged, skipped=r.skipped)
        if r.classes_created:
            sep = "、" if ui_app.lang().startswith("zh") else ", "
            text += translate("SheetImport", "; new classes: {classes}").format(classes=sep.join(r.classes_created))
        return text


class EntriesImportDialog(SheetImportDialog):
    """A filled batch-entry template (competition results or process evaluations).

    Competitions the catalog lacks are listed above the problems with a check box to add them
    as this school's competitions (with the level and organiser the sheet gives) in the same
    transaction as the awards; it starts ticked unless a name looks like a catalog entry
    mistyped ("可能是…")."""

    def title(self) -> str:
        return translate("SheetImport", "Import batch entries")

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.add_box = QCheckBox()
        self.add_box.setObjectName("addCompetitions")
        self.add_box.toggled.connect(self._add_toggled)
        self.unknown_label = QLabel()
        self.unknown_label.setObjectName("unknownCompetitions")
        self.unknown_label.setWordWrap(True)
        self.unknown_label.setStyleSheet("background: #fff4ce; border: 1px solid #e0c36c; padding: 4px")
        lay = self.layout()
        lay.insertWidget(2, self.add_box)
        lay.insertWidget(3, self.unknown_label)
        self.add_box.hide()
        self.unknown_label.hide()

    def _show_preview(self, preview) -> None:
        unknown = getattr(preview, "unknown", [])
        self.add_box.blockSignals(True)
        self.add_box.setChecked(bool(unknown) and not any(u.suggestions for u in unknown))
        self.add_box.blockSignals(False)
        self.add_box.setVisible(bool(unknown))
        self.add_box.setEnabled(True)
        self.unknown_label.setVisible(bool(unknown))
        if unknown:
            lang = ui_app.lang()
            self.add_box.setText(translate("SheetImport", "Add the {n} competition(s) not in the catalog as school "
                                           "competitions, and import their {m} award(s)").format(
                n=len(unknown), m=len(preview.pending)))
            self.unknown_label.setText(translate("SheetImport", "Not in the catalog:") + "\n" + "\n".join(
                "· " + u.describe(lang) for u in unknown))
        super()._show_preview(preview)
        if unknown:  # their rows go in the error report too, with what to do
            self.report_button.setEnabled(True)

    def _done(self, result) -> None:
        super()._done(result)
        self.add_box.setEnabled(False)  # done: the choice was made

    def _add_toggled(self, _on: bool) -> None:
        if self.preview is not None and self.result is None:
            self.import_button.setEnabled(self.importable(self.preview) > 0)

    def importable(self, preview) -> int:
        return preview.new + (len(preview.pending) if self.add_box.isChecked() else 0)

    def run_preview(self, ctx, path: Path):
        from ..sheets.templates import preview_entries
        return preview_entries(ctx.db, path)

    def run_apply(self, ctx, preview):
        from ..sheets.templates import apply_entries
        return apply_entries(ctx.db, preview, user=ctx.user, add_competitions=self.add_box.isChecked())

    def run_report(self, preview, out: Path) -> Path:
        from ..sheets.templates import write_entries_report
        return write_entries_report(preview, out)

    def describe_result(self, r) -> str:
        text = translate("SheetImport",
                         "Imported: {new} new, {present} already present, {errors} rows with errors").format(
            new=r["created"], present=r["skipped_existing"], errors=r["error_rows"])
        sep = "、" if ui_app.lang().startswith("zh") else ", "
        if r.get("competitions_added"):
            text += translate("SheetImport", "; school competitions added: {names}").format(
                names=sep.join(r["competitions_added"]))
        if r.get("skipped_unknown"):
            text += translate("SheetImport", "; {n} row(s) naming a competition not in the catalog were not "
                              "imported").format(n=r["skipped_unknown"])
        return text


def save_workbook(runner: OpRunner, parent: QWidget, kind: str, class_id: str, term_code: str | None,
                  out: str | Path | None = None, on_done=None) -> None:
    """Write an award/evaluation template or the class summary for ``class_id`` (asks where
    unless ``out`` is given), off the UI thread."""
    from ..sheets import summary, templates
    names = {"awards": translate("SheetImport", "awards.xlsx"),
             "evaluations": translate("SheetImport", "evaluations.xlsx"),
             "summary": translate("SheetImport", "class-summary.xlsx")}
    if out is None:
        out, _ = QFileDialog.getSaveFileName(parent, translate("SheetImport", "Save"), names[kind], "Excel (*.xlsx)")
        if not out:
            return
    target = Path(out)

    def work(ctx):
        if kind == "awards":
            return templates.write_award_template(ctx.db, class_id, target)
        if kind == "evaluations":
            return templates.write_evaluation_template(ctx.db, class_id, target, term=term_code)
        return summary.write_class_summary(ctx.db, class_id, term_code, target)

    runner.run(parent, work, on_success=on_done, title=translate("SheetImport", "Writing…"), progress=True)
