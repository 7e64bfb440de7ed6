"""Long work from the Tools menu: term portfolios (PDF), entry sheets and the class summary
(Excel), roster and entry imports, the sync bundle and receipt. Each runs as an op with a progress
bar and a Cancel button. ``print_portfolios_to`` takes the path (the menu asks for it first) so it
can be driven without a file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..services import views
from . import app as ui_app
from .ops import show_message


def tr(text: str) -> str:
    return QCoreApplication.translate("Tools", text)


def _info(main, text: str) -> QMessageBox:
    return show_message(main, QMessageBox.Icon.Information, text)


# ---------------------------------------------------------------- portfolios

def print_portfolios_dialog(main, whole_class: bool) -> None:
    if not main.term_code or (whole_class and not main.class_id) or (not whole_class and not main.student_id):
        _info(main, tr("Pick a term and a class (or a student) first."))
        return
    path, _ = QFileDialog.getSaveFileName(main, tr("Save term portfolios"), "", "PDF (*.pdf)")
    if path:
        print_portfolios_to(main, Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf"), whole_class)


def print_portfolios_to(main, out: Path, whole_class: bool, open_after: bool = True):
    """The class's (or the current student's) term portfolios as one PDF."""
    from ..reports import print_portfolios
    term = main.term_code
    scope = {"class_ref": _class_text(main)} if whole_class else {"student_no": _student_no(main)}

    def run(ctx):
        return print_portfolios(ctx.db, term, out=out, progress=ctx.progress, cancel=ctx.cancel, **scope)

    def done(result) -> None:
        box = _info(main, tr("%1 portfolio(s), %2 page(s) written to %3").replace("%1", str(result.students))
                    .replace("%2", str(result.pages)).replace("%3", str(out)))
        main.last_tool_message = box.text()
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    return main.ops.run(main, run, on_success=done, title=tr("Printing portfolios…"), progress=True)


def _class_text(main) -> str:
    with main.db.session() as s:
        rows = views.visible_classes(s, main.user, None)
    cls = next(c for c in rows if c.id == main.class_id)
    return cls.label("zh_CN")  # the form the report service reads (初一(3)班)


def _student_no(main) -> str:
    row = main.model.row_of(main.student_id)
    return main.model.row_at(row).national_student_no if row >= 0 else ""


# ---------------------------------------------------------------- spreadsheets and sync
# The dialogs belong to their areas (ui.sheets_import, ui.sync_export); the main window opens
# them on its own op runner, so their work shows progress and errors like every other op.

def import_roster(main):
    from .sheets_import import RosterImportDialog
    year = int(main.term_code[:4]) if main.term_code else None
    return _open_import(main, RosterImportDialog(main.ops, main, school_year=year))


def import_entries(main):
    from .sheets_import import EntriesImportDialog
    return _open_import(main, EntriesImportDialog(main.ops, main))


def _open_import(main, dlg):
    dlg.imported.connect(lambda _result: _after_import(main))
    dlg.open()
    return dlg


def _after_import(main) -> None:
    main.load_classes(int(main.term_code[:4]) if main.term_code else None)  # new classes appear
    main.refresh()


def save_sheet(main, kind: str, out: Path | None = None) -> None:
    """An award or evaluation entry sheet, or the class term summary, for the current class."""
    from .sheets_import import save_workbook
    if not main.class_id:
        _info(main, tr("Pick one class first."))
        return
    save_workbook(main.ops, main, kind, main.class_id, main.term_code, out=out,
                  on_done=lambda _r: setattr(main, "last_tool_message", str(out or "")))


def sync_bundle(main):
    """The school's one place for sync: export (changes or everything, with or without evidence
    files), the district's receipt, and where the school stands. School admins only; the window
    keeps one dialog, so a second click shows it again instead of stacking copies."""
    from ..errors import PermissionDenied
    from ..services.users import require_role
    from .sync_export import BundleExportDialog, sync_state_text
    try:
        require_role(main.user, "school_admin")
    except PermissionDenied as exc:
        show_message(main, QMessageBox.Icon.Warning, exc.message(ui_app.lang()))
        return None
    dlg = getattr(main, "bundle_dialog", None)
    if dlg is None:
        dlg = main.bundle_dialog = BundleExportDialog(main.db, main.user.login, main, runner=main.ops)
    else:
        dlg.state.setText(sync_state_text(main.db))  # a receipt may have come in since
    dlg.open()
    return dlg
