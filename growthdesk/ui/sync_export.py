"""School app: export the sync bundle (choose folder, progress, result) and load the receipt.

Thin: ``sync.export_bundle`` / ``sync.load_receipt`` run through ``ui.ops.OpRunner``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

from ..models import SyncState
from ..sync import export_bundle, load_receipt
from .ops import OpRunner


def sync_state_text(db) -> str:
    with db.session() as s:
        st = s.get(SyncState, db.school_code)
        if st is None or not st.last_sequence:
            return "尚未导出过数据包。"
        when = st.last_exported_at.strftime("%Y-%m-%d %H:%M") if st.last_exported_at else ""
        return (f"已导出 {st.last_sequence} 个数据包（最近：{when} UTC）；"
                f"区教育局已确认到第 {st.acknowledged_sequence} 个。")


class BundleExportDialog(QDialog):
    def __init__(self, db, user: str = "", parent=None, runner: OpRunner | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("导出同步数据包")
        self.runner = runner or OpRunner(db, user, self)
        self.last_result: dict | None = None
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("例如 U 盘上的文件夹")
        self.browse_button = QPushButton("选择文件夹…")
        self.full_box = QCheckBox("导出全部数据（不只是上次以来的变更）")
        self.evidence_box = QCheckBox("包含佐证材料文件")
        self.export_button = QPushButton("导出")
        self.receipt_button = QPushButton("载入回执…")
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
        form.addRow("保存到：", row)
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
        folder = QFileDialog.getExistingDirectory(self, "选择保存数据包的文件夹")
        if folder:
            self.folder.setText(folder)

    def export(self) -> None:
        text = self.folder.text().strip()
        if not text:
            self.result.setText("请先选择保存数据包的文件夹。")
            return
        folder, full, evidence = Path(text), self.full_box.isChecked(), self.evidence_box.isChecked()
        self.result.setText("正在导出…")
        self.export_button.setEnabled(False)

        def work(ctx):
            return export_bundle(ctx.db, folder, full=full, with_evidence=evidence, user=ctx.user,
                                 progress=lambda d, t, text="": ctx.progress(d, t, text))
        self.runner.run(self, work, on_success=self._exported, on_error=self._failed, title="正在导出数据包…",
                        progress=True)

    def _exported(self, res: dict) -> None:
        self.last_result = res
        self.export_button.setEnabled(True)
        text = f"已导出：{res['path']}\n共 {res['rows']} 行，{res['bytes'] / 1024:.0f} KB。请把该文件交给区教育局。"
        if res["missing_evidence"]:
            text += f"\n注意：有 {len(res['missing_evidence'])} 个佐证文件在本机找不到，未包含在内。"
        self.result.setText(text)
        self.state.setText(sync_state_text(self.db))

    def _failed(self, exc) -> bool:
        self.export_button.setEnabled(True)
        self.result.setText("导出失败，请看提示。")
        return False  # the runner still shows the message box

    def pick_receipt(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择区教育局的回执", "", "回执 (*.receipt.json);;所有文件 (*)")
        if path:
            self.load_receipt(Path(path))

    def load_receipt(self, path: Path) -> None:
        def work(ctx):
            return load_receipt(ctx.db, path, user=ctx.user)

        def done(res: dict) -> None:
            gaps = f"；缺少第 {', '.join(map(str, res['gaps']))} 个数据包，请重新导出全部数据" if res["gaps"] else ""
            self.result.setText(f"回执已载入：区教育局已确认到第 {res['acknowledged_sequence']} 个数据包{gaps}。")
            self.state.setText(sync_state_text(self.db))
        self.runner.run(self, work, on_success=done, title="正在载入回执…")
