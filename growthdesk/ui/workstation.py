"""Workstations from the app: 工作站 (添加工作站…) on the school hub, and 把本机加入学校 on a new PC.

The node mechanics (setup files with keys, enrollment, revoke, the sync folder) are
``growthdesk.setup`` / ``growthdesk.sync``; the calls go through ``services.offices`` and
``ui.ops``. A workstation that has just joined has no accounts yet: they arrive with the hub's
merged school, so the app waits (``WaitForSchoolDialog``) and syncs until they are there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from ..paths import data_dir
from .forms import FormDialog
from .login import _Host

translate = QCoreApplication.translate


def available() -> bool:
    from .. import setup
    return hasattr(setup, "add_workstation") and hasattr(setup, "create_workstation")


def setup_folder() -> Path:
    folder = data_dir() / "setup-files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _browse_row(edit: QLineEdit, text: str, slot) -> QWidget:
    from .start import _file_row
    return _file_row(edit, text, slot)


# ---------------------------------------------------------------- the hub's side

class WorkstationsDialog(QDialog):
    """The hub's workstations: add one (its setup file), issue a new setup file, revoke a key."""

    def __init__(self, main) -> None:
        super().__init__(main)
        self.setObjectName("workstationsDialog")
        self.main = main
        self.ops = main.ops
        self.db = main.db
        self.rows: list[dict] = []
        self.dialog = None
        self.setWindowTitle(translate("Workstations", "Workstations of this school"))
        lead = QLabel(translate("Workstations", "Teachers' office PCs and the computer lab join the school as "
                                                "workstations: add one here, take its setup file to that PC (USB "
                                                "stick), and choose 把本机加入学校 there. Each PC then works offline and "
                                                "syncs through the sync folder."))
        lead.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("workstationTable")
        self.table.setHorizontalHeaderLabels([translate("Workstations", "Workstation"),
                                              translate("Workstations", "Name"), translate("Workstations", "Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(translate("Workstations", "Add workstation…"))
        self.add_button.setObjectName("addWorkstation")
        self.reissue_button = QPushButton(translate("Workstations", "Issue a new setup file…"))
        self.revoke_button = QPushButton(translate("Workstations", "Revoke key"))
        self.status = QLabel()
        self.status.setObjectName("workstationStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for b in (self.add_button, self.reissue_button, self.revoke_button):
            row.addWidget(b)
        row.addStretch(1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("Workstations", "Close"))
        close.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(lead)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.add_button.clicked.connect(self.add_dialog)
        self.reissue_button.clicked.connect(lambda: self.reissue())
        self.revoke_button.clicked.connect(lambda: self.revoke())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.resize(760, 460)
        self.reload()

    def reload(self) -> None:
        from ..services.offices import list_workstations
        self.rows = self.ops.call(lambda ctx: list_workstations(ctx.db))
        status = {"pending": translate("Workstations", "setup file issued, not joined yet"),
                  "active": translate("Workstations", "joined"), "revoked": translate("Workstations", "revoked")}
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            for j, value in enumerate((r["node_id"], r["name"], status.get(r["status"], r["status"]))):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, node_id: str) -> None:
        for i, r in enumerate(self.rows):
            if r["node_id"] == node_id:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        row = self.selected()
        self.reissue_button.setEnabled(row is not None)
        self.revoke_button.setEnabled(row is not None and row["status"] != "revoked")

    def refresh_student(self) -> None:  # FormDialog's owner hook
        self.reload()

    def add_dialog(self) -> "AddWorkstationDialog":
        self.dialog = AddWorkstationDialog(self)
        self.dialog.open()
        return self.dialog

    def reissue(self, out: str | None = None) -> None:
        from ..services.offices import add_workstation
        row = self.selected()
        if row is None:
            return
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, translate("Workstations", "Save the workstation setup file"),
                                                 str(setup_folder() / f"{row['node_id']}-setup.json"),
                                                 translate("Workstations", "Setup file (*.json)"))
            if not out:
                return
        node, name = row["node_id"], row["name"]
        self.ops.run(self, lambda ctx: add_workstation(ctx.db, name, out, reissue=node), on_success=self.saved_file)

    def revoke(self, confirmed: bool = False) -> None:
        from ..services.offices import revoke_workstation
        row = self.selected()
        if row is None:
            return
        if not confirmed:
            box = QMessageBox(QMessageBox.Icon.Warning, translate("Workstations", "Revoke key"),
                              translate("Workstations", "Revoke the key of {name} ({node})? Its bundles are refused "
                                                        "from now on (a lost or stolen PC).").format(
                                  name=row["name"], node=row["node_id"]),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.button(QMessageBox.StandardButton.Yes).setText(translate("Workstations", "Revoke"))
            box.button(QMessageBox.StandardButton.No).setText(translate("Workstations", "Cancel"))
            if box.exec() != QMessageBox.StandardButton.Yes:
                return
        node, user = row["node_id"], self.ops.user
        self.ops.run(self, lambda ctx: revoke_workstation(ctx.db, node, user=user), on_success=lambda _r: (
            self.reload(), self.status.setText(translate("Workstations", "The key of {node} is revoked.").format(
                node=node))))

    def saved_file(self, result: dict) -> None:
        self.reload()
        self.select(result["node_id"])
        self.status.setText(translate("Workstations", "Setup file of {name} ({node}) saved: {path}. Take it to that PC "
                                                      "only; it holds a one-time key.").format(
            name=result["name"], node=result["node_id"], path=result["setup_file"]))


class AddWorkstationDialog(FormDialog):
    """添加工作站: a name people recognise (机房 01, 初一年级办公室) and where its setup file goes."""

    def __init__(self, owner: WorkstationsDialog) -> None:
        super().__init__(owner, translate("Workstations", "Add workstation"))
        self.setObjectName("addWorkstationDialog")
        self.owner = owner
        self.result = None
        self.name = self.line("name", translate("Workstations", "Name of the PC"), "",
                              translate("Workstations", "e.g. 机房01 or 初一年级办公室"))
        self.out = QLineEdit()
        self.add("out", translate("Workstations", "Save setup file as"),
                 _browse_row(self.out, translate("Workstations", "Change…"), self._browse), "setup", "file")
        self.fields["out"] = self.out
        self.name.textChanged.connect(self._propose)
        self._propose("")
        self.buttons.button(self.buttons.StandardButton.Ok).setText(translate("Workstations", "Add"))
        self.resize(560, 220)

    def _propose(self, name: str) -> None:
        if not self.out.isModified():
            safe = "".join(ch for ch in name.strip() if ch.isalnum() or ch in "-_")
            self.out.setText(str(setup_folder() / (f"workstation-{safe}-setup.json" if safe else
                                                   "workstation-setup.json")))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("Workstations", "Save the workstation setup file"),
                                              self.out.text(), translate("Workstations", "Setup file (*.json)"))
        if path:
            self.out.setText(path)
            self.out.setModified(True)

    def work(self):
        from ..errors import ValidationError
        from ..services.offices import add_workstation
        name, out = self.name.text(), self.out.text().strip()
        if not out:
            raise ValidationError("请选择设置文件的保存位置", "choose where to save the setup file", field="out")
        return lambda ctx: add_workstation(ctx.db, name, out)

    def saved(self, result) -> None:
        self.result = result
        self.owner.saved_file(result)


def add_dialog(main) -> WorkstationsDialog:
    dlg = WorkstationsDialog(main)
    dlg.open()
    return dlg


# ---------------------------------------------------------------- a new PC joins

class JoinSchoolDialog(FormDialog):
    """把本机加入学校: the workstation setup file from the hub, the sync folder, where the
    database goes on this PC. Accepted: ``db`` and ``target`` are set (no account yet)."""

    def __init__(self, parent: QWidget) -> None:
        self.host = _Host(None)
        super().__init__(self.host, translate("Workstations", "Join this PC to the school"))
        self.setParent(parent, self.windowFlags())
        self.setObjectName("joinSchoolDialog")
        self.db = None
        self.target = ""
        self.admin = None
        self.sync_result: dict = {}
        intro = QLabel(translate("Workstations", "The school administrator made a workstation setup file for this PC "
                                                 "(添加工作站). Choose it and the sync folder (a shared folder on the "
                                                 "school network, or the USB stick)."))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.setup_path = QLineEdit()
        self.add("setup", translate("Workstations", "Workstation setup file"),
                 _browse_row(self.setup_path, translate("Workstations", "Browse…"), self._browse_setup),
                 "format", "version", "school", "node", "parent", "enrollment_secret", "rubric", "school.code",
                 "parent.node_id")
        self.fields["setup"] = self.setup_path
        self.folder = QLineEdit()
        self.add("folder", translate("Workstations", "Sync folder"),
                 _browse_row(self.folder, translate("Workstations", "Browse…"), self._browse_folder), "sync_folder")
        self.fields["folder"] = self.folder
        self.location = QLineEdit()
        self.add("location", translate("Workstations", "Save as"), self.location, "db")
        self.fields["location"] = self.location
        self.setup_path.editingFinished.connect(lambda: self.set_setup_file(self.setup_path.text()))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(translate("Workstations", "Join"))
        self.resize(620, 320)

    def _browse_setup(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("Workstations", "Workstation setup file"), "",
                                              translate("Workstations", "Setup file (*.json)"))
        if path:
            self.set_setup_file(path)

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, translate("Workstations", "Sync folder"))
        if path:
            self.folder.setText(path)

    def set_setup_file(self, path: str) -> None:
        from ..errors import GrowthDeskError
        from ..setup import read_workstation_setup
        from .start import free_path
        self.setup_path.setText(path)
        self.clear_errors()
        if not path.strip():
            return
        try:
            doc = read_workstation_setup(path)
        except GrowthDeskError as exc:
            self.show_error(exc)
            return
        if not self.location.text().strip():
            self.location.setText(str(free_path(data_dir(), f"{doc['node']['node_id']}.db")))

    def work(self):
        from ..errors import ValidationError
        from ..services.offices import join_school
        setup, folder = self.setup_path.text().strip(), self.folder.text().strip()
        if not setup:
            raise ValidationError("请选择学校管理员生成的工作站设置文件", "choose the workstation setup file from the "
                                  "school administrator", field="setup")
        if not self.location.text().strip():
            self.set_setup_file(setup)
        target = self.location.text().strip()
        if not target:
            raise ValidationError("请选择数据库文件的保存位置", "choose where to save the database file", field="location")
        self.target = target
        return lambda _ctx: join_school(target, setup, folder or None)

    def saved(self, result) -> None:
        self.db, self.sync_result = result
        if self.folder.text().strip():
            from ..services.offices import set_sync_folder
            set_sync_folder(self.db, self.folder.text().strip())


class WaitForSchoolDialog(QDialog):
    """A workstation without accounts yet: the school (accounts, classes, records) comes with the
    hub's next sync. 立即同步 runs a round; once accounts are there the dialog closes itself."""

    def __init__(self, db, folder: str = "") -> None:
        super().__init__()
        self.setObjectName("waitForSchoolDialog")
        self.db = db
        self.host = _Host(db)
        self.setWindowTitle(translate("Workstations", "Waiting for the school"))
        school = db.settings.get("school_name", "")
        self.text = QLabel(translate("Workstations", "This PC has joined {school} as workstation {node}. The accounts "
                                                     "and the school's records arrive from the school hub: sync the "
                                                     "hub once (on the administrator's PC), then press Sync now here.")
                           .format(school=school, node=db.settings.get("node_id", "")))
        self.text.setWordWrap(True)
        # Encrypted from the start: the recovery key of this PC's database, shown this once.
        self.recovery = QLabel()
        self.recovery.setObjectName("waitRecoveryKey")
        self.recovery.setWordWrap(True)
        self.recovery.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key = getattr(db, "recovery_key_shown", None)
        if key:
            db.recovery_key_shown = None
            self.recovery.setText(translate("Workstations", "This PC's database is encrypted. Its recovery key opens "
                                                            "it if every password is forgotten; print it or write it "
                                                            "down and keep it locked away. It is shown only now:")
                                  + f"<br><b style='font-family: monospace; font-size: 12pt'>{key}</b>")
        self.recovery.setVisible(bool(key))
        self.folder = QLineEdit(folder)
        self.folder.setObjectName("waitFolder")
        row = _browse_row(self.folder, translate("Workstations", "Browse…"), self._browse)
        self.status = QLabel()
        self.status.setObjectName("waitStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.sync_button = buttons.addButton(translate("Workstations", "Sync now"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        later = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        later.setText(translate("Workstations", "Later"))
        later.clicked.connect(self.reject)
        self.sync_button.clicked.connect(self.sync_now)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(self.recovery)
        lay.addWidget(QLabel(translate("Workstations", "Sync folder")))
        lay.addWidget(row)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.resize(600, 260)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, translate("Workstations", "Sync folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def sync_now(self) -> None:
        from ..services.offices import workstation_status
        from ..sync.folder import sync_folder
        folder = self.folder.text().strip()
        if not folder:
            self.status.setText(translate("Workstations", "Choose the sync folder first."))
            return
        self.sync_button.setEnabled(False)
        self.status.setText(translate("Workstations", "Syncing…"))

        def work(ctx):
            from ..services.offices import set_sync_folder
            sync_folder(ctx.db, folder)
            set_sync_folder(ctx.db, folder)
            return workstation_status(ctx.db)

        def done(info) -> None:
            self.sync_button.setEnabled(True)
            if info["accounts"]:
                self.accept()
            else:
                self.status.setText(translate("Workstations", "Synced; the school has not arrived yet. Sync the hub, "
                                                              "then try again."))

        def failed(exc) -> bool:
            from . import app as ui_app
            from ..errors import GrowthDeskError
            self.sync_button.setEnabled(True)
            if isinstance(exc, GrowthDeskError):
                self.status.setText(exc.message(ui_app.lang()))
                return True
            return False

        self.host.ops.run(self, work, on_success=done, on_error=failed)
