"""批量导入教师账户: choose the teacher list → preview (new / updated / errors by row and column)
→ confirm → the accounts, teaching assignments and advisers are written in one transaction and
the slips PDF (each new teacher's login and initial password) is saved and offered for printing.

Thin: ``sheets.accounts`` and ``reports.slips`` run through ``ui.ops`` (``SheetImportDialog``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QPushButton, QTableWidgetItem

from . import app as ui_app
from .sheets_import import SheetImportDialog

translate = QCoreApplication.translate


class AccountImportDialog(SheetImportDialog):
    """The roster import's dialog with a template button, a change list and slips."""

    def title(self) -> str:
        return translate("AccountImport", "Import teachers' accounts")

    def __init__(self, runner, parent=None, school_name: str = "") -> None:
        super().__init__(runner, parent)
        self.setObjectName("accountImportDialog")
        self.school_name = school_name
        self.slips_path: str | None = None   # asked for at import time unless set (tests)
        self.slips_saved: Path | None = None
        self.summary.setText(translate(
            "AccountImport", "Choose the teacher list (.xlsx): 工号, 姓名, 任教班级, 任教学科, 是否班主任. You see a "
                             "preview first; nothing is written until you confirm. New teachers get an initial "
                             "password on a printed slip and choose their own at the first log-in."))
        self.template_button = QPushButton(translate("AccountImport", "Download template…"))
        self.template_button.setObjectName("accountTemplate")
        self.template_button.clicked.connect(lambda: self.save_template())
        self.buttons.addButton(self.template_button, self.buttons.ButtonRole.ActionRole)
        self.table.setColumnCount(3)
        self.resize(900, 560)

    # ---------------------------------------------------------------- the core calls
    def run_preview(self, ctx, path: Path):
        from ..sheets.accounts import preview_accounts
        return preview_accounts(ctx.db, path)

    def run_apply(self, ctx, preview):
        from ..reports.slips import write_slips
        from ..sheets.accounts import apply_accounts
        out, school = self.slips_path, self.school_name
        saved: dict = {}

        def slips(result) -> None:  # inside the transaction: no slips written, no accounts made
            if result.slips:
                saved["path"] = write_slips(result.slips, out, school=school)
        result = apply_accounts(ctx.db, preview, user=ctx.user, progress=lambda d, t: ctx.progress(d, t),
                                before_commit=slips)
        result.slips_path = str(saved["path"]) if "path" in saved else None
        return result

    def run_report(self, preview, out: Path) -> Path:
        from ..sheets.accounts import write_account_report
        return write_account_report(preview, out)

    def importable(self, preview) -> int:
        return preview.new + preview.updated

    # ---------------------------------------------------------------- showing
    def _show_preview(self, preview) -> None:
        """Problems first (row, column, reason), then what changes for each teacher."""
        super()._show_preview(preview)
        zh = ui_app.lang().startswith("zh")
        kinds = {"new": translate("AccountImport", "new account"), "updated": translate("AccountImport", "updated")}
        start = self.table.rowCount()
        self.table.setRowCount(start + len(preview.changes))
        self.table.setHorizontalHeaderLabels([translate("SheetImport", "Row"),
                                              translate("AccountImport", "Teacher / column"),
                                              translate("AccountImport", "Change or reason")])
        for i, change in enumerate(preview.changes):
            what = "；".join(change["what"]) if zh else ", ".join(change["what"])
            values = (str(change["row"]), f"{change['name']}（{change['login']}）",
                      f"{kinds[change['kind']]}：{what}")
            for c, value in enumerate(values):
                self.table.setItem(start + i, c, QTableWidgetItem(value))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)

    def confirm(self) -> None:
        if self.preview is None:
            return
        if self.preview.new and not self.slips_path:
            default = str(Path(self.path_edit.text()).with_name(translate("AccountImport", "account-slips.pdf")))
            path, _ = QFileDialog.getSaveFileName(self, translate("AccountImport", "Save the account slips"), default,
                                                  translate("AccountImport", "PDF (*.pdf)"))
            if not path:
                return
            self.slips_path = path
        super().confirm()

    def describe_result(self, r) -> str:
        text = translate("AccountImport", "Imported: {new} new accounts, {updated} updated, {unchanged} unchanged, "
                                          "{skipped} rows skipped.").format(
            new=r.created, updated=r.updated, unchanged=r.unchanged, skipped=r.skipped)
        if getattr(r, "slips_path", None):
            self.slips_saved = Path(r.slips_path)
            text += "\n" + translate("AccountImport", "Account slips with the initial passwords: {path} — print them, "
                                                      "cut along the dashed lines, hand each teacher theirs.").format(
                path=r.slips_path)
        return text

    def _done(self, result) -> None:
        super()._done(result)
        if self.slips_saved is not None and getattr(self, "open_slips", True):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.slips_saved)))

    def save_template(self, out: str | None = None) -> None:
        from ..sheets.accounts import write_account_template
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, translate("AccountImport", "Save the template"),
                                                 translate("AccountImport", "teacher-list.xlsx"), "Excel (*.xlsx)")
            if not out:
                return
        target = Path(out)
        self.runner.run(self, lambda _ctx: write_account_template(target),
                        on_success=lambda p: self.summary.setText(
                            translate("AccountImport", "Template saved: {path}").format(path=p)))


def open_dialog(main) -> AccountImportDialog:
    dlg = AccountImportDialog(main.ops, main, main.db.settings.get("school_name", ""))
    dlg.imported.connect(lambda _r: main.refresh())
    dlg.open()
    return dlg
