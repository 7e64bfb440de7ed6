"""The teacher's review queue: the submitted records of my classes, oldest first. Tick several
and approve them at once (each row shows who entered it, when, back-filled or not, and what the
catalog's rules say), or return one with a reason. Thin: ``services.review`` through ops."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from . import app as ui_app


class ReviewQueueDialog(QDialog):
    COLS = 7

    def __init__(self, main) -> None:
        super().__init__(main)
        self.main = main
        self.rows: list = []
        self.problems: dict = {}
        self.setObjectName("reviewQueue")
        self.setWindowTitle(self.tr("Review queue"))
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("queueSummary")
        lay.addWidget(self.summary)
        self.held = QLabel()
        self.held.setObjectName("heldChanges")
        self.held.setWordWrap(True)
        self.held.setStyleSheet("color: #8A6D00;")
        lay.addWidget(self.held)
        self.table = QTableWidget(0, self.COLS)
        self.table.setObjectName("queueTable")
        self.table.setHorizontalHeaderLabels([self.tr("Student"), self.tr("Class"), self.tr("Kind"), self.tr("Record"),
                                              self.tr("Date"), self.tr("Entered by"), self.tr("Check")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        for col, w in ((0, 90), (1, 80), (2, 90), (4, 90), (5, 150)):
            self.table.setColumnWidth(col, w)
        self.table.itemSelectionChanged.connect(self._selected)
        lay.addWidget(self.table)
        self.detail = QLabel()
        self.detail.setObjectName("queueDetail")
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(40)
        lay.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.approve_btn = QPushButton(self.tr("Approve selected"))
        self.approve_btn.setObjectName("approve")
        self.return_btn = QPushButton(self.tr("Return with reason…"))
        self.return_btn.setObjectName("returnRecord")
        close = QPushButton(self.tr("Close"))
        buttons.addWidget(self.approve_btn)
        buttons.addWidget(self.return_btn)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.approve_btn.clicked.connect(self.approve_selected)
        self.return_btn.clicked.connect(self.return_selected)
        close.clicked.connect(self.accept)
        self.resize(1200, 680)
        self.reload()

    def _read(self, func, *a, **kw):
        with self.main.db.session(user=self.main.user.login) as s:
            return func(s, *a, **kw)

    def reload(self, *_a) -> None:
        from ..services import review
        lang = ui_app.lang()
        self.rows = self._read(lambda s: review.review_queue(s, lang=lang))
        self.problems = self._read(review.queue_problems, self.rows)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            who = r.role_label + (self.tr(" · back-filled") if r.backfilled else "")
            problems = self.problems.get((r.record_type, r.record_id), [])
            check = "；".join(problems) if problems else self.tr("OK")
            cells = [r.student_name, r.class_label, r.type_label, r.title,
                     r.event_date.isoformat() if r.event_date else "", who, check]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 6 and problems:
                    item.setForeground(Qt.GlobalColor.red)
                if col == 5 and r.backfilled:
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(i, col, item)
        held = self._read(_held_lines)
        self.held.setVisible(bool(held))
        self.held.setText(self.tr("Changes from other PCs held back (kept, not applied):") + "\n" + "\n".join(held))
        self.summary.setText(self.tr("%1 record(s) waiting, oldest first. Select rows (Ctrl/Shift-click) and approve "
                                     "them together, or return one with a reason.").replace("%1", str(len(self.rows))))

    def selected(self) -> list:
        return [self.rows[i.row()] for i in self.table.selectionModel().selectedRows()]

    def _selected(self) -> None:
        rows = self.selected()
        if len(rows) != 1:
            self.detail.setText(self.tr("%1 selected").replace("%1", str(len(rows))) if rows else "")
            return
        r = rows[0]
        when = r.submitted_at.strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""
        self.detail.setText(f"{r.student_name} · {r.type_label} · {r.title} · {r.role_label} {r.entered_by} · "
                            + self.tr("submitted %1").replace("%1", when)
                            + (self.tr(" · entered more than the set days after the event") if r.backfilled else ""))

    def approve_selected(self) -> None:
        from ..services import review
        items = list(dict.fromkeys((r.record_type, r.record_id) for r in self.selected()))
        if not items:
            return

        def run(ctx):
            with ctx.session() as s:
                return review.approve(s, items)
        self.main.ops.run(self, run, on_success=self._done, title=self.tr("Approving…"))

    def return_selected(self, reason: str | None = None) -> None:
        from ..services import review
        rows = self.selected()
        if len(rows) != 1:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Return with reason"),
                                              self.tr("Why is it returned? The student sees this:"))
            if not ok:
                return
        r = rows[0]

        def run(ctx):
            with ctx.session() as s:
                review.return_record(s, r.record_type, r.record_id, reason)
        self.main.ops.run(self, run, on_success=self._done, title=self.tr("Returning…"))

    def _done(self, *_a) -> None:
        self.reload()
        refresh = getattr(self.main, "refresh_student", None)
        if refresh:
            refresh()


def _held_lines(s) -> list[str]:
    """The freeze's held-back changes: when, from which PC, why (the newest ten)."""
    from ..services import archive
    rows = archive.held_changes(s)
    return [f"{h.received_at.strftime('%Y-%m-%d %H:%M')} {h.source}：{h.reason.split(' (')[0]}" for h in rows[-10:]]


def open_review_queue(main) -> ReviewQueueDialog:
    dlg = ReviewQueueDialog(main)
    dlg.open()
    return dlg
