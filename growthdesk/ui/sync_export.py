"""School app: export the sync bundle (choose folder, progress, result) and load the receipt.

Thin: ``sync.export_bundle`` / ``sync.load_receipt`` run through ``ui.ops.OpRunner``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

from ..models import SyncState
from ..sync import export_bundle, load_receipt
from ..sync.receipts import gap_texts
from .ops import OpRunner, record_label

# lupdate collects literal translate("Context", "text") calls: English source, Chinese in the .qm.
translate = QCoreApplication.translate


def sync_state_text(db) -> str:
    with db.session() as s:
        st = s.get(SyncState, db.school_code)
        if st is None or not st.last_sequence:
            return translate("BundleExport", "No bundle exported yet.")
        when = st.last_exported_at.strftime("%Y-%m-%d %H:%M") if st.last_exported_at else ""
        return translate(
            "BundleExport", "{count} bundle(s) exported (latest: {when} UTC); the district office has "
            "acknowledged up to number {ack}.").format(count=st.last_sequence, when=when,
                                                       ack=st.acknowledged_sequence)


class BundleExportDialog(QDialog):
    def __init__(self, db, user: str = "", parent=None, runner: OpRunner | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(translate("BundleExport", "Export sync bundle"))
        self.runner = runner or OpRunner(db, user, self)
        self.last_result: dict | None = None
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(translate("BundleExport", "e.g. a folder on a USB stick"))
        self.browse_button = QPushButton(translate("BundleExport", "Choose folder…"))
        self.full_box = QCheckBox(translate("BundleExport",
                                            "Export everything (not only the changes since the last bundle)"))
        self.evidence_box = QCheckBox(translate("BundleExport", "Include evidence files"))
        self.export_button = QPushButton(translate("BundleExport", "Export"))
        self.receipt_button = QPushButton(translate("BundleExport", "Load receipt…"))
        self.state = QLabel(sync_state_text(db))
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self._layout()
        self.browse_button.clicked.connect(self.pick_folder)
        self.export_button.clicked.connect(self.export)
        self.receipt_button.clicked.connect(self.pick_receipt)

    def _layout(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(translate("BundleExport", "Save to:"), row)
        form.addRow("", self.full_box)
        form.addRow("", self.evidence_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.receipt_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.result)

    def pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("BundleExport", "Choose the folder to save the "
                                                                                  "bundle in"))
        if folder:
            self.folder.setText(folder)

    def export(self) -> None:
        text = self.folder.text().strip()
        if not text:
            self.result.setText(translate("BundleExport", "Choose the folder to save the bundle in first."))
            return
        folder, full, evidence = Path(text), self.full_box.isChecked(), self.evidence_box.isChecked()
        self.result.setText(translate("BundleExport", "Exporting…"))
        self.export_button.setEnabled(False)

        def work(ctx):
            return export_bundle(ctx.db, folder, full=full, with_evidence=evidence, user=ctx.user,
                                 progress=lambda d, t, text="": ctx.progress(d, t, record_label(text)))
        self.runner.run(self, work, on_success=self._exported, on_error=self._failed,
                        title=translate("BundleExport", "Exporting the bundle…"), progress=True)

    def _exported(self, res: dict) -> None:
        self.last_result = res
        self.export_button.setEnabled(True)
        text = translate("BundleExport",
                         "Exported: {path}\n{rows} rows, {kb} KB. Hand this file to the district office.").format(
            path=res["path"], rows=res["rows"], kb=f"{res['bytes'] / 1024:.0f}")
        if res["missing_evidence"]:
            text += translate("BundleExport",
                              "\nNote: {n} evidence file(s) are not on this computer and were left out.").format(
                n=len(res["missing_evidence"]))
        self.result.setText(text)
        self.state.setText(sync_state_text(self.db))

    def _failed(self, exc) -> bool:
        self.export_button.setEnabled(True)
        self.result.setText(translate("BundleExport", "The export failed; see the message."))
        return False  # the runner still shows the message box

    def pick_receipt(self) -> None:
        title = translate("BundleExport", "Choose the district office's receipt")
        path, _ = QFileDialog.getOpenFileName(self, title, "",
                                              translate("BundleExport", "Receipts (*.receipt.json);;All files (*)"))
        if path:
            self.load_receipt(Path(path))

    def load_receipt(self, path: Path) -> None:
        def work(ctx):
            return load_receipt(ctx.db, path, user=ctx.user)

        def done(res: dict) -> None:
            gaps = translate("BundleExport", "; bundle(s) {numbers} are missing: export everything again").format(
                numbers=", ".join(gap_texts(res["gaps"]))) if res["gaps"] else ""
            text = translate("BundleExport", "Receipt loaded: the district office has acknowledged up to bundle "
                                             "{ack}{gaps}.")
            self.result.setText(text.format(ack=res["acknowledged_sequence"], gaps=gaps))
            self.state.setText(sync_state_text(self.db))
        self.runner.run(self, work, on_success=done, title=translate("BundleExport", "Loading the receipt…"))
