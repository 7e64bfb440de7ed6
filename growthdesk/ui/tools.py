"""Long work from the Tools menu: printing portfolios, importing the roster, exporting the sync
bundle, loading the district's receipt. Each runs as an op with a progress bar and a Cancel
button; the ``*_to`` / ``*_from`` functions take the paths (the menu asks for them first), so they
can be driven without file dialogs."""

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


# ---------------------------------------------------------------- roster

def import_roster_dialog(main) -> None:
    path, _ = QFileDialog.getOpenFileName(main, tr("Roster from the student registry"), "",
                                          tr("Spreadsheets (*.xlsx *.csv)"))
    if path:
        import_roster_from(main, Path(path))


def import_roster_from(main, path: Path, confirm: bool = True):
    """Preview first (nothing written), show what would change, then import on the user's word."""
    from ..sheets.roster import apply_roster, preview_roster

    def preview(ctx):
        return preview_roster(ctx.db, path, progress=lambda d, t: ctx.progress(d, t), check=ctx.check)

    def apply(pv) -> None:
        def run(ctx):
            return apply_roster(ctx.db, pv, user=ctx.user, progress=lambda d, t: ctx.progress(d, t), check=ctx.check)

        def done(result) -> None:
            main.refresh()
            main.load_classes(int(main.term_code[:4]) if main.term_code else None)
            main.last_tool_message = tr("Roster imported: %1 new, %2 updated").replace(
                "%1", str(result.created)).replace("%2", str(result.updated))
            _info(main, main.last_tool_message)

        main.ops.run(main, run, on_success=done, title=tr("Importing the roster…"), progress=True)

    def previewed(pv) -> None:
        main.last_preview = pv
        if not confirm:
            apply(pv)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "GrowthDesk", pv.summary(ui_app.lang()),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, main)
        box.setInformativeText(tr("Import the rows without errors?"))
        box.buttonClicked.connect(lambda b: apply(pv) if box.standardButton(b) == QMessageBox.StandardButton.Yes
                                  else None)
        box.open()

    return main.ops.run(main, preview, on_success=previewed, title=tr("Checking the roster…"), progress=True)


# ---------------------------------------------------------------- sync

def export_bundle_dialog(main) -> None:
    folder = QFileDialog.getExistingDirectory(main, tr("Folder for the sync bundle"))
    if folder:
        export_bundle_to(main, Path(folder))


def export_bundle_to(main, folder: Path, full: bool = False):
    from ..sync.export import export_bundle

    def run(ctx):
        return export_bundle(ctx.db, folder, full=full, user=ctx.user, progress=lambda d, t, *x: ctx.progress(d, t))

    def done(result) -> None:
        main.last_tool_message = tr("Bundle written: %1").replace("%1", str(result.get("file", result)))
        _info(main, main.last_tool_message)

    return main.ops.run(main, run, on_success=done, title=tr("Exporting the sync bundle…"), progress=True)


def load_receipt_dialog(main) -> None:
    path, _ = QFileDialog.getOpenFileName(main, tr("Receipt from the district office"))
    if path:
        load_receipt_from(main, Path(path))


def load_receipt_from(main, path: Path):
    from ..sync.receipts import load_receipt

    def run(ctx):
        return load_receipt(ctx.db, path, user=ctx.user)

    def done(_result) -> None:
        main.last_tool_message = tr("Receipt loaded.")
        _info(main, main.last_tool_message)

    return main.ops.run(main, run, on_success=done, title=tr("Loading the receipt…"), progress=True)
