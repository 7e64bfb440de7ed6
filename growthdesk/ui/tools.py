"""Long work from the Tools menu: term portfolios (PDF), entry sheets and the class summary
(Excel), roster and entry imports, the sync bundle and receipt. Each runs as an op with a progress
bar and a Cancel button. ``print_portfolios_to`` takes the path (the menu asks for it first) so it
can be driven without a file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QVBoxLayout)

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

def print_portfolios_dialog(main, whole_class: bool):
    if not main.term_code or (whole_class and not main.class_id) or (not whole_class and not main.student_id):
        _info(main, translate("Tools", "Pick a term and a class (or a student) first."))
        return None
    if whole_class:  # choose students, one file or one per student, the class sheet, duplex
        dlg = PrintDialog(main)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg
    path, _ = QFileDialog.getSaveFileName(main, translate("Tools", "Save term portfolios"), "", "PDF (*.pdf)")
    if path:
        print_portfolios_to(main, Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf"), whole_class)
    return None


class PrintDialog(QDialog):
    """打印本班成长档案: which students, one PDF or one file each, the class summary sheet (off
    by default: copies for parents carry no other children's data), duplex padding."""

    def __init__(self, main) -> None:
        super().__init__(main)
        self.main = main
        self.setWindowTitle(translate("Tools", "Print class portfolios"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        rows = main.model.all_rows()
        self.students = QListWidget()
        self.students.setObjectName("printStudents")
        for r in rows:
            item = QListWidgetItem(r.name)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.students.addItem(item)
        all_btn = QPushButton(translate("Tools", "All"))
        none_btn = QPushButton(translate("Tools", "None"))
        all_btn.clicked.connect(lambda: self._tick_all(True))
        none_btn.clicked.connect(lambda: self._tick_all(False))
        self.one_file = QRadioButton(translate("Tools", "One PDF for the whole class"))
        self.per_student = QRadioButton(translate("Tools", "One PDF per student (into a folder)"))
        self.one_file.setChecked(True)
        self.class_sheet = QCheckBox(translate("Tools", "Include the class summary sheet (for the school; leave "
                                                        "it out of copies for parents)"))
        self.class_sheet.setObjectName("classSheet")
        self.class_sheet.setChecked(False)
        self.duplex = QCheckBox(translate("Tools", "Duplex printing: each student starts on a new sheet "
                                                   "(a blank page is added where needed)"))
        self.duplex.setObjectName("duplex")
        self.duplex.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("Tools", "Print…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Tools", "Cancel"))
        buttons.accepted.connect(self._ask_path)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(translate("Tools", "Students (%1 listed)").replace("%1", str(len(rows)))))
        lay.addWidget(self.students, 1)
        row = QHBoxLayout()
        row.addWidget(all_btn)
        row.addWidget(none_btn)
        row.addStretch(1)
        lay.addLayout(row)
        for w in (self.one_file, self.per_student, self.class_sheet, self.duplex):
            lay.addWidget(w)
        lay.addWidget(buttons)
        self.resize(520, 560)

    def _tick_all(self, on: bool) -> None:
        for i in range(self.students.count()):
            self.students.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_ids(self) -> list[str]:
        return [self.students.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.students.count())
                if self.students.item(i).checkState() == Qt.CheckState.Checked]

    def default_name(self) -> str:
        """初一(1)班成长档案 2025—2026学年第一学期.pdf in the documents folder: the save box
        then needs only 保存 (no file name to type)."""
        from PySide6.QtCore import QStandardPaths
        from ..services.terms import term_label
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = translate("Tools", "%1 portfolios %2").replace("%1", self.main.class_combo.currentText()).replace(
            "%2", term_label(self.main.term_code, ui_app.lang()))
        return str(Path(folder) / (name.replace("/", "-") + ".pdf"))

    def _ask_path(self) -> None:
        if self.per_student.isChecked():
            path = QFileDialog.getExistingDirectory(self, translate("Tools", "Folder for the portfolios"),
                                                    str(Path(self.default_name()).parent))
        else:
            path, _ = QFileDialog.getSaveFileName(self, translate("Tools", "Save term portfolios"), self.default_name(),
                                                  "PDF (*.pdf)")
            if path and not path.lower().endswith(".pdf"):
                path += ".pdf"
        if path:
            self.print_to(Path(path))

    def print_to(self, out: Path, open_after: bool = True):
        ids = self.chosen_ids()
        if not ids:
            _info(self, translate("Tools", "Tick at least one student."))
            return None
        self.accept()
        return print_portfolios_to(self.main, out, True, open_after, class_sheet=self.class_sheet.isChecked(),
                                   pad_even=self.duplex.isChecked(), student_ids=ids)


def print_scope(main, whole_class: bool, student_ids: list[str] | None = None):
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
        if student_ids is not None:  # the ones ticked, in the list's order
            chosen = set(student_ids)
            ids = [i for i in ids if i in chosen]
        return Scope(term, ids, name, "class", [(main.class_id, name)])
    row = main.model.row_of(main.student_id)
    name = main.model.row_at(row).name if row >= 0 else ""
    return Scope(term, [main.student_id], name, "student")


def print_portfolios_to(main, out: Path, whole_class: bool, open_after: bool = True, *,
                        class_sheet: bool | None = None, pad_even: bool = False,
                        student_ids: list[str] | None = None):
    """The class's (or the current student's) term portfolios as one PDF (``out`` ends in .pdf)
    or one file per student (``out`` is a folder)."""
    from ..reports import render_portfolios
    scope = print_scope(main, whole_class, student_ids)
    if whole_class and not scope.student_ids:
        _info(main, translate("Tools", "No students were enrolled in this class in that term: nothing to print."))
        return None
    per_student = out.suffix.lower() != ".pdf"

    def run(ctx):
        return render_portfolios(ctx.db, scope, out, per_student=per_student, class_sheet=class_sheet,
                                 progress=ctx.progress, cancel=ctx.cancel, pad_even=pad_even and not per_student)

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
