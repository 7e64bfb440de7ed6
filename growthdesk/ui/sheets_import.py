"""Spreadsheet dialogs: pick a file → preview with every problem listed → confirm → progress.

Thin: the work is ``sheets.roster`` / ``sheets.templates`` run through ``ui.ops`` (off the UI
thread, with progress and Cancel; a cancelled import rolls back whole). Nothing is written
before the user presses 导入. Texts are Chinese first, English when the UI runs in English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from . import app as ui_app
from .ops import OpRunner

FILE_FILTER = "表格 / Spreadsheets (*.xlsx *.xlsm *.csv *.txt);;所有文件 / All files (*)"


def _t(zh: str, en: str) -> str:
    return zh if ui_app.lang().startswith("zh") else en


class SheetImportDialog(QDialog):
    """Base: file row, summary, problem table, report/import buttons. Subclasses say what to run."""

    imported = Signal(object)   # the result, once written: the main window refreshes
    previewed = Signal(object)

    title_zh, title_en = "导入", "Import"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preview = None
        self.result = None
        self.setWindowTitle(_t(self.title_zh, self.title_en))
        self.resize(820, 520)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("sheetPath")
        self.path_edit.setReadOnly(True)
        browse = QPushButton(_t("选择文件…", "Choose file…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.summary = QLabel(_t("请选择要导入的文件。导入前会先预览，确认后才写入。",
                                 "Choose a file. You will see a preview; nothing is written until you confirm."))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("issues")
        self.table.setHorizontalHeaderLabels([_t("行", "Row"), _t("列", "Column"), _t("原因", "Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox()
        self.report_button = self.buttons.addButton(_t("导出错误报告…", "Save error report…"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.report_button.setObjectName("saveReport")
        self.import_button = self.buttons.addButton(_t("导入", "Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("confirmImport")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_t("关闭", "Close"))
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
        path, _ = QFileDialog.getOpenFileName(self, _t("选择文件", "Choose file"), "", FILE_FILTER)
        if path:
            self.set_file(path)

    def set_file(self, path: str | Path) -> None:
        """Show ``path`` and start its preview (off the UI thread)."""
        self.preview = self.result = None
        self.path_edit.setText(str(path))
        self.import_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.table.setRowCount(0)
        self.summary.setText(_t("正在检查文件…", "Checking the file…"))
        target = Path(path)
        self.runner.run(self, lambda ctx: self.run_preview(ctx, target), on_success=self._show_preview,
                        on_error=self._preview_failed, title=_t("正在检查文件…", "Checking the file…"), progress=True)

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
            return _t(f"（列出前 {shown} 处问题，共 {total} 处；完整列表请导出错误报告）",
                      f" (first {shown} of {total} problems listed; save the error report for all)")
        return ""

    def confirm(self) -> None:
        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        pv = self.preview
        self.runner.run(self, lambda ctx: self.run_apply(ctx, pv), on_success=self._done,
                        on_error=self._apply_failed, title=_t("正在导入…", "Importing…"), progress=True)

    def _apply_failed(self, exc) -> bool:
        self.import_button.setEnabled(True)
        return False  # the runner shows the message

    def _done(self, result) -> None:
        self.result = result
        self.summary.setText(self.describe_result(result))
        self.import_button.setEnabled(False)
        self.imported.emit(result)

    def choose_report_path(self) -> None:
        default = str(Path(self.path_edit.text()).with_name("未导入的行.xlsx"))
        out, _ = QFileDialog.getSaveFileName(self, _t("保存错误报告", "Save error report"), default, "Excel (*.xlsx)")
        if out:
            self.save_report(out)

    def save_report(self, out: str | Path) -> None:
        pv = self.preview
        self.runner.run(self, lambda _ctx: self.run_report(pv, Path(out)),
                        on_success=lambda p: self.summary.setText(
                            self.summary.text() + _t(f"\n错误报告已保存：{p}", f"\nError report saved: {p}")))


class RosterImportDialog(SheetImportDialog):
    """学生名单导入 (school admins): .xlsx/.csv from the 学籍 system."""

    title_zh, title_en = "导入学生名单", "Import student roster"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None, school_year: int | None = None) -> None:
        super().__init__(runner, parent)
        self.school_year = school_year

    def run_preview(self, ctx, path: Path):
        from ..sheets.roster import preview_roster
        return preview_roster(ctx.db, path, school_year=self.school_year,
                              progress=lambda done, total: ctx.progress(done, total, _t(f"已检查 {done} 行", f"{done} rows checked")),
                              check=ctx.check)

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
        text = _t(f"导入完成：新增 {r.created}，更新 {r.updated}，无变化 {r.unchanged}，跳过 {r.skipped}",
                  f"Imported: {r.created} new, {r.updated} updated, {r.unchanged} unchanged, {r.skipped} skipped")
        if r.classes_created:
            text += _t(f"；新建班级：{'、'.join(r.classes_created)}", f"; new classes: {', '.join(r.classes_created)}")
        return text


class EntriesImportDialog(SheetImportDialog):
    """A filled batch-entry template (competition results or process evaluations)."""

    title_zh, title_en = "导入批量录入表", "Import batch entries"

    def run_preview(self, ctx, path: Path):
        from ..sheets.templates import preview_entries
        return preview_entries(ctx.db, path)

    def run_apply(self, ctx, preview):
        from ..sheets.templates import apply_entries
        return apply_entries(ctx.db, preview, user=ctx.user)

    def run_report(self, preview, out: Path) -> Path:
        from ..sheets.templates import write_entries_report
        return write_entries_report(preview, out)

    def describe_result(self, r) -> str:
        return _t(f"导入完成：新增 {r['created']} 条，已存在跳过 {r['skipped_existing']} 条，有错误 {r['error_rows']} 行",
                  f"Imported: {r['created']} new, {r['skipped_existing']} already present, {r['error_rows']} rows with errors")


def save_workbook(runner: OpRunner, parent: QWidget, kind: str, class_id: str, term_code: str | None,
                  out: str | Path | None = None, on_done=None) -> None:
    """Write an award/evaluation template or the class summary for ``class_id`` (asks where
    unless ``out`` is given), off the UI thread."""
    from ..sheets import summary, templates
    names = {"awards": ("竞赛获奖录入表.xlsx", "awards.xlsx"), "evaluations": ("过程性评价录入表.xlsx", "evaluations.xlsx"),
             "summary": ("班级学期汇总.xlsx", "class-summary.xlsx")}
    if out is None:
        out, _ = QFileDialog.getSaveFileName(parent, _t("保存", "Save"), _t(*names[kind]), "Excel (*.xlsx)")
        if not out:
            return
    target = Path(out)

    def work(ctx):
        if kind == "awards":
            return templates.write_award_template(ctx.db, class_id, target)
        if kind == "evaluations":
            return templates.write_evaluation_template(ctx.db, class_id, target, term=term_code)
        return summary.write_class_summary(ctx.db, class_id, term_code, target)

    runner.run(parent, work, on_success=on_done, title=_t("正在生成…", "Writing…"), progress=True)
