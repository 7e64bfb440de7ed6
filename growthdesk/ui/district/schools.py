"""The district's register of schools (学校登记): register a school and save its setup file,
write a setup file again, revoke a school's key (and enable it again). Thin: the work is
``services.offices`` run through the window's ``OpRunner``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ...models.enums import SCHOOL_CATEGORIES, STAGES
from .. import app as ui_app
from ..forms import FormDialog

translate = QCoreApplication.translate
REVOKED_BRUSH = QBrush(QColor("#F8D7DA"))


def _zh() -> bool:
    return ui_app.lang().startswith("zh")


def setup_folder() -> Path:
    from ...paths import data_dir
    folder = data_dir() / "setup-files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup_file_name(code: str) -> str:
    return f"{code}-setup.json"


def status_text(status: str) -> str:
    return {"pending": translate("DistrictSchools", "setup file issued, not joined yet"),
            "active": translate("DistrictSchools", "joined"),
            "revoked": translate("DistrictSchools", "revoked"),
            "legacy": translate("DistrictSchools", "format 1 (issue a new setup file)")}.get(status, status)


class SchoolsPage(QWidget):
    """A table of the registered schools with the actions on the selected one."""

    COLUMNS = ("code", "name", "category_label", "stages_label", "bundles", "status")

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("schoolsPage")
        self.window_ = window
        self.ops = window.runner   # what FormDialog needs from its owner
        self.db = window.db
        self.rows: list[dict] = []
        self.dialog = None
        lead = QLabel(translate("DistrictSchools", "Register each school here and give it its setup file (it holds "
                                                   "the school's keys: hand it to that school only, e.g. on a USB "
                                                   "stick). The school creates its database from it in GrowthDesk."))
        lead.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("schoolTable")
        self.table.setHorizontalHeaderLabels([
            translate("DistrictSchools", "School code"), translate("DistrictSchools", "School name"),
            translate("DistrictSchools", "Category"), translate("DistrictSchools", "Stages"),
            translate("DistrictSchools", "Bundles received"), translate("DistrictSchools", "Key")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(translate("DistrictSchools", "Register a school…"))
        self.add_button.setObjectName("registerSchool")
        self.reissue_button = QPushButton(translate("DistrictSchools", "Issue a new setup file…"))
        self.reissue_button.setObjectName("reissueSetup")
        self.revoke_button = QPushButton(translate("DistrictSchools", "Revoke key"))
        self.revoke_button.setObjectName("revokeKey")
        self.status = QLabel()
        self.status.setObjectName("schoolsStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.reissue_button, self.revoke_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(lead)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.add_button.clicked.connect(self.register_dialog)
        self.reissue_button.clicked.connect(lambda: self.reissue())
        self.revoke_button.clicked.connect(lambda: self.revoke())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()

    # ---------------------------------------------------------------- reading
    def reload(self) -> None:
        from ...services.offices import list_schools
        lang = ui_app.lang()
        self.rows = self.ops.call(lambda ctx: list_schools(ctx.db, lang))
        keep = self.selected_code()
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            status = status_text(row["status"])
            values = (row["code"], row["name"], row["category_label"], row["stages_label"], str(row["bundles"]), status)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row["revoked"]:
                    item.setBackground(REVOKED_BRUSH)
                self.table.setItem(i, j, item)
            if row["code"] == keep:
                self.table.selectRow(i)
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).text()

    def select(self, code: str) -> None:
        for i, row in enumerate(self.rows):
            if row["code"] == code:
                self.table.selectRow(i)

    def _row(self, code: str | None) -> dict | None:
        return next((r for r in self.rows if r["code"] == code), None)

    def _selection_changed(self) -> None:
        row = self._row(self.selected_code())
        self.reissue_button.setEnabled(row is not None)  # also the way back for a revoked school
        self.revoke_button.setEnabled(row is not None and row["status"] in ("active", "pending"))

    def refresh_student(self) -> None:  # FormDialog calls this after saving
        self.reload()

    # ---------------------------------------------------------------- actions
    def register_dialog(self) -> "RegisterSchoolDialog":
        self.dialog = RegisterSchoolDialog(self)
        self.dialog.open()
        return self.dialog

    def reissue(self, out: str | None = None) -> None:
        from ...services.offices import reissue_setup
        code = self.selected_code()
        if code is None:
            return
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, translate("DistrictSchools", "Save the setup file"),
                                                 str(setup_folder() / setup_file_name(code)),
                                                 translate("DistrictSchools", "Setup file (*.json)"))
            if not out:
                return
        self.ops.run(self, lambda ctx: reissue_setup(ctx.db, code, out), on_success=self._saved_file)

    def revoke(self, confirmed: bool = False) -> None:
        from ...services.offices import revoke_school
        row = self._row(self.selected_code())
        if row is None:
            return
        if not confirmed:
            box = QMessageBox(QMessageBox.Icon.Warning, translate("DistrictSchools", "Revoke key"),
                              translate("DistrictSchools", "Revoke the key of {name} ({code})? Bundles from this "
                                                           "school are then refused until it is enrolled again with a "
                                                           "new setup file (Issue a new setup file).")
                              .format(name=row["name"], code=row["code"]),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.button(QMessageBox.StandardButton.Yes).setText(translate("DistrictSchools", "Revoke"))
            box.button(QMessageBox.StandardButton.No).setText(translate("DistrictSchools", "Cancel"))
            if box.exec() != QMessageBox.StandardButton.Yes:
                return
        code = row["code"]
        user = self.ops.user
        self.ops.run(self, lambda ctx: revoke_school(ctx.db, code, user=user), on_success=self._revoked)

    def _revoked(self, result: dict) -> None:
        self.reload()
        self.status.setText(translate("DistrictSchools", "The key of {name} is revoked. To let the school send again, "
                                                         "save a new setup file for it.").format(name=result["school_name"]))

    def _saved_file(self, result: dict) -> None:
        self.reload()
        self.select(result["school_code"])
        self.status.setText(translate("DistrictSchools", "Setup file of {name} saved: {path}. It holds a one-time "
                                                         "key: hand it to that school only.")
                            .format(name=result["school_name"], path=result["setup_file"]))


class RegisterSchoolDialog(FormDialog):
    """登记学校: code, name, category, stages, and where its setup file is saved."""

    def __init__(self, page: SchoolsPage) -> None:
        super().__init__(page, translate("DistrictSchools", "Register a school"))
        self.setObjectName("registerSchoolDialog")
        self.page = page
        self.result = None
        self.code = self.line("school_code", translate("DistrictSchools", "School code"), "",
                              translate("DistrictSchools", "4–16 letters or digits, e.g. 33010601"), "code")
        self.name = self.line("school_name", translate("DistrictSchools", "School name"), "",
                              translate("DistrictSchools", "e.g. 西湖区实验中学"), "name")
        self.category = self.combo("category", translate("DistrictSchools", "Category"),
                                   [(c, p[0] if _zh() else p[1]) for c, p in SCHOOL_CATEGORIES.items()])
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.stage_boxes: dict[str, QCheckBox] = {}
        for code, pair in STAGES.items():
            cb = QCheckBox(pair[0] if _zh() else pair[1])
            cb.setObjectName(f"stage_{code}")
            cb.setChecked(code == "junior")
            self.stage_boxes[code] = cb
            row.addWidget(cb)
        row.addStretch(1)
        self.add("stages", translate("DistrictSchools", "Stages"), box)
        self.out = QLineEdit()
        browse = QPushButton(translate("DistrictSchools", "Change…"))
        browse.clicked.connect(self._browse)
        out_row = QWidget()
        lay = QHBoxLayout(out_row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.out, 1)
        lay.addWidget(browse)
        self.add("out", translate("DistrictSchools", "Save setup file as"), out_row, "setup", "file")
        self.fields["out"] = self.out
        self.code.textChanged.connect(self._propose)
        self._propose("")
        self.buttons.button(self.buttons.StandardButton.Ok).setText(translate("DistrictSchools", "Register"))
        self.resize(560, 320)

    def _propose(self, code: str) -> None:
        if not self.out.isModified():
            self.out.setText(str(setup_folder() / setup_file_name(code.strip() or "school")))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("DistrictSchools", "Save the setup file"),
                                              self.out.text() or str(setup_folder()),
                                              translate("DistrictSchools", "Setup file (*.json)"))
        if path:
            self.out.setText(path)
            self.out.setModified(True)

    def work(self):
        from ...errors import ValidationError
        from ...services.offices import register_school
        code, name, category = self.code.text(), self.name.text(), self.category.currentData()
        stages = [c for c, cb in self.stage_boxes.items() if cb.isChecked()]
        out = self.out.text().strip()
        if not out:
            raise ValidationError("请选择设置文件的保存位置", "choose where to save the setup file", field="out")
        return lambda ctx: register_school(ctx.db, code, name, category, stages, out)

    def saved(self, result) -> None:
        self.result = result
        self.page._saved_file(result)


__all__ = ["SchoolsPage", "RegisterSchoolDialog"]
