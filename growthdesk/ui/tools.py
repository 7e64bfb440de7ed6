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


# Literal context and text in every call: lupdate files a string under the context it is looked
# up in (a bare ``tr("…")`` outside a class landed in lupdate's empty context, so the Chinese was
# never found and the English showed).
translate = QCoreApplication.translate


def _info(main, text: str) -> QMessageBox:
    return show_message(main, QMessageBox.Icon.Information, text)


# ---------------------------------------------------------------- portfolios

def print_portfolios_dialog(main, whole_class: bool) -> None:
    if not main.term_code or (whole_class and not main.class_id) or (not whole_class and not main.student_id):
        _info(main, translate("Tools", "Pick a term and a class (or a student) first."))
        return
    path, _ = QFileDialog.getSaveFileName(main, translate("Tools", "Save term portfolios"), "", "PDF (*.pdf)")
    if path:
        print_portfolios_to(main, Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf"), whole_class)


def print_scope(main, whole_class: bool):
    """What the window lists is what is printed: the class as it was in the chosen term (the
    students the list holds, in its order), or the current student; never a class looked up
    again by its name in some other school year."""
    from ..reports import Scope
    term = main.term_code
    if whole_class:
        with main.db.session() as s:
            cls = views.class_row(s, main.class_id)
        name = cls.label("zh_CN") if cls else ""
        ids = main.listed_ids()
        return Scope(term, ids, name, "class", [(main.class_id, name)])
    row = main.model.row_of(main.student_id)
    name = main.model.row_at(row).name if row >= 0 else ""
    return Scope(term, [main.student_id], name, "student")


def print_portfolios_to(main, out: Path, whole_class: bool, open_after: bool = True, *,
                        class_sheet: bool | None = None):
    """The class's (or the current student's) term portfolios as one PDF (``out`` ends in .pdf)
    or one file per student (``out`` is a folder)."""
    from ..reports import render_portfolios
    scope = print_scope(main, whole_class)
    if whole_class and not scope.student_ids:
        _info(main, translate("Tools", "No students were enrolled in this class in that term: nothing to print."))
        return None
    per_student = out.suffix.lower() != ".pdf"

    def run(ctx):
        return render_portfolios(ctx.db, scope, out, per_student=per_student, class_sheet=class_sheet,
                                 progress=ctx.progress, cancel=ctx.cancel)

    def done(result) -> None:
        if per_student:
            text = translate("Tools", "%1 portfolio(s), %2 page(s) written as separate files into %3")
        else:
            text = translate("Tools", "%1 portfolio(s), %2 page(s) written to %3")
        box = _info(main, text.replace("%1", str(result.students)).replace("%2", str(result.pages))
                    .replace("%3", str(out)))
        main.last_tool_message = box.text()
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    return main.ops.run(main, run, on_success=done, title=translate("Tools", "Printing portfolios…"), progress=True)


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
        _info(main, translate("Tools", "Pick one class first."))
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
