"""The adviser's term archive dialog: 遴选 (pick records by student, with counts) → 公示 (open the
period, print the sheet) → 异议 (record and resolve) → 签字 (confirmations, the adviser's
signature, the principal's sign-off). Thin: ``services.archive`` through ops."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..models.enums import OBJECTION_BY, OBJECTION_OUTCOMES, label
from ..services.names import format_date
from . import app as ui_app

KEY = Qt.ItemDataRole.UserRole


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ArchiveDialog(QDialog):
    def __init__(self, main, class_id: str, term_code: str) -> None:
        super().__init__(main)
        self.main, self.class_id, self.term_code = main, class_id, term_code
        self.setObjectName("archiveDialog")
        self.items: list = []
        self.objs: list = []
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("archiveStatus")
        self.status.setStyleSheet("font-weight: bold; padding: 4px;")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("archiveTabs")
        lay.addWidget(self.tabs)
        self._build_selection()
        self._build_publicity()
        self._build_objections()
        self._build_signoff()
        self._build_amendments()
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.resize(1200, 700)
        self.reload()

    def _read(self, func, *a, **kw):
        with self.main.db.session(user=self.main.user.login) as s:
            return func(s, *a, **kw)

    def _run(self, func, done=None, title: str = "") -> None:
        def run(ctx):
            with ctx.session() as s:
                return func(s)
        self.main.ops.run(self, run, on_success=lambda r: (self.reload(), done and done(r)), title=title)

    # ------------------------------------------------------------ 遴选
    def _build_selection(self) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr("Tick the approved records of this term that go into each student's archive.")))
        self.tree = QTreeWidget()
        self.tree.setObjectName("selectionTree")
        self.tree.setHeaderLabels([self.tr("Student / record"), self.tr("Kind"), self.tr("Date")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemChanged.connect(self._tree_changed)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        self.select_all_btn = QPushButton(self.tr("Tick all"))
        self.save_sel_btn = QPushButton(self.tr("Save selection"))
        self.save_sel_btn.setObjectName("saveSelection")
        row.addWidget(self.select_all_btn)
        row.addStretch(1)
        row.addWidget(self.save_sel_btn)
        lay.addLayout(row)
        self.select_all_btn.clicked.connect(lambda: self._tick_all(True))
        self.save_sel_btn.clicked.connect(self.save_selection)
        self.tabs.addTab(w, self.tr("1 Selection"))

    def _fill_tree(self, cands) -> None:
        from ..models.enums import RECORD_TYPES
        self.tree.blockSignals(True)
        self.tree.clear()
        for sc in cands:
            top = QTreeWidgetItem([f"{sc.name}（{sc.selected_count}/{len(sc.records)}）", "", ""])
            top.setData(0, KEY, sc.student_id)
            for r in sc.records:
                child = QTreeWidgetItem([r.title + (self.tr(" (removed after objection)") if r.removed else ""),
                                         label(RECORD_TYPES, r.record_type, ui_app.lang()),
                                         format_date(r.event_date, ui_app.lang())])
                child.setData(0, KEY, (sc.student_id, r.record_type, r.record_id))
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked if r.selected else Qt.CheckState.Unchecked)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.tree.blockSignals(False)

    def _tree_changed(self, item, _col) -> None:
        top = item.parent()
        if top is None:
            return
        n = sum(1 for i in range(top.childCount()) if top.child(i).checkState(0) == Qt.CheckState.Checked)
        name = top.text(0).split("（")[0]
        self.tree.blockSignals(True)
        top.setText(0, f"{name}（{n}/{top.childCount()}）")
        self.tree.blockSignals(False)

    def _tick_all(self, on: bool) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                top.child(j).setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def picks(self) -> list:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).checkState(0) == Qt.CheckState.Checked:
                    out.append(top.child(j).data(0, KEY))
        return out

    def save_selection(self) -> None:
        from ..services import archive
        picks, term, cls = self.picks(), self.term_code, self.class_id
        self._run(lambda s: archive.select_records(s, term, cls, picks), title=self.tr("Saving selection…"))

    # ------------------------------------------------------------ 公示
    def _build_publicity(self) -> None:
        w = QWidget()
        form = QFormLayout(w)
        self.start = QDateEdit(QDate.currentDate())
        self.start.setObjectName("publicityStart")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(self.tr("yyyy-MM-dd"))
        self.end = QDateEdit(QDate.currentDate())
        self.end.setObjectName("publicityEnd")
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat(self.tr("yyyy-MM-dd"))
        self.days = QLabel()
        self.days.setObjectName("workingDays")
        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(self._count_days)
        self.open_btn = QPushButton(self.tr("Open the publicity period"))
        self.open_btn.setObjectName("openPublicity")
        self.sheet_btn = QPushButton(self.tr("Print publicity sheet…"))
        self.sheet_btn.setObjectName("printSheet")
        form.addRow(QLabel(self.tr("During the period the selected records are frozen on every PC. Weekends and the "
                                   "school's holidays do not count as working days.")))
        form.addRow(self.tr("Start"), self.start)
        form.addRow(self.tr("End"), self.end)
        form.addRow(self.tr("Working days"), self.days)
        form.addRow(self.open_btn)
        form.addRow(self.sheet_btn)
        self.open_btn.clicked.connect(lambda: self.open_publicity())
        self.sheet_btn.clicked.connect(lambda: self.print_sheet())
        self.tabs.addTab(w, self.tr("2 Publicity"))

    def _start_changed(self, *_a) -> None:
        from ..services import archive
        end = self._read(archive.publicity_end, _pydate(self.start.date()))
        self.end.setDate(_qdate(end))
        self._count_days()

    def _count_days(self, *_a) -> None:
        from ..services import archive
        n = self._read(archive.working_days, _pydate(self.start.date()), _pydate(self.end.date()))
        need = self._read(archive.min_days)
        self.days.setText(self.tr("%1 working days (at least %2)").replace("%1", str(n)).replace("%2", str(need)))

    def open_publicity(self, confirm_empty: bool | None = None) -> None:
        """Open the period; with nothing selected, only once the adviser confirms an empty list
        (the class then does not hold up the grade's sign-off)."""
        from ..services import archive
        start, end, term, cls = _pydate(self.start.date()), _pydate(self.end.date()), self.term_code, self.class_id
        empty = not self.items
        if empty and confirm_empty is None:
            from PySide6.QtWidgets import QMessageBox
            answer = QMessageBox.question(
                self, self.tr("Empty publicity list"),
                self.tr("No record of this class is selected for this term's archive. Open the publicity period with "
                        "an empty list? The class can then be signed off after it, so that it does not hold up the "
                        "principal's sign-off of the grade."))
            confirm_empty = answer == QMessageBox.StandardButton.Yes
        if empty and not confirm_empty:
            return
        self._run(lambda s: archive.open_publicity(s, term, cls, start, end, empty_ok=empty), title=self.tr("Opening…"))

    def print_sheet(self, path: str | None = None) -> None:
        from ..reports.publicity import render_sheet, sheet_data
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Publicity sheet"), "公示表.pdf", "PDF (*.pdf)")
            if not path:
                return
        term, cls = self.term_code, self.class_id

        def run(ctx):
            with ctx.session() as s:
                sheet = sheet_data(s, term, cls)
            return render_sheet(sheet, Path(path))
        self.main.ops.run(self, run, title=self.tr("Printing…"))

    # ------------------------------------------------------------ 异议
    def _build_objections(self) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.obj_table = QTableWidget(0, 6)
        self.obj_table.setObjectName("objectionTable")
        self.obj_table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Raised by"), self.tr("Date"),
                                                  self.tr("Objection"), self.tr("Outcome"), self.tr("Reason")])
        self.obj_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.obj_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.obj_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.obj_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.obj_table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.obj_table.setColumnWidth(0, 220)
        lay.addWidget(self.obj_table)
        form = QFormLayout()
        self.obj_item = QComboBox()
        self.obj_item.setObjectName("objectionItem")
        self.obj_by = QComboBox()
        for code, (zh, en) in OBJECTION_BY.items():
            self.obj_by.addItem(zh if ui_app.lang().startswith("zh") else en, code)
        self.obj_name = QLineEdit()
        self.obj_text = QLineEdit()
        self.obj_text.setObjectName("objectionText")
        add = QPushButton(self.tr("Record objection"))
        add.setObjectName("addObjection")
        form.addRow(self.tr("Record"), self.obj_item)
        who = QHBoxLayout()
        who.addWidget(self.obj_by)
        who.addWidget(self.obj_name)
        form.addRow(self.tr("Raised by (name)"), who)
        form.addRow(self.tr("Objection"), self.obj_text)
        form.addRow(add)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        for code, (zh, en) in OBJECTION_OUTCOMES.items():
            self.outcome.addItem(zh if ui_app.lang().startswith("zh") else en, code)
        self.outcome_reason = QLineEdit()
        self.outcome_reason.setObjectName("outcomeReason")
        resolve = QPushButton(self.tr("Resolve selected objection"))
        resolve.setObjectName("resolveObjection")
        res = QHBoxLayout()
        res.addWidget(self.outcome)
        res.addWidget(self.outcome_reason, 1)
        res.addWidget(resolve)
        form.addRow(self.tr("Resolution"), res)
        lay.addLayout(form)
        add.clicked.connect(self.add_objection)
        resolve.clicked.connect(self.resolve_selected)
        self.tabs.addTab(w, self.tr("3 Objections"))

    def add_objection(self) -> None:
        from ..services import archive
        item_id, by, name, text = (self.obj_item.currentData(), self.obj_by.currentData(), self.obj_name.text(),
                                   self.obj_text.text())
        self._run(lambda s: archive.raise_objection(s, item_id, text, raised_by=by, raised_by_name=name),
                  done=lambda _r: (self.obj_text.clear(), self.obj_name.clear()), title=self.tr("Saving…"))

    def resolve_selected(self) -> None:
        from ..services import archive
        rows = self.obj_table.selectionModel().selectedRows()
        if not rows:
            return
        oid = self.objs[rows[0].row()].id
        outcome, reason = self.outcome.currentData(), self.outcome_reason.text()
        self._run(lambda s: archive.resolve_objection(s, oid, outcome, reason),
                  done=lambda _r: self.outcome_reason.clear(), title=self.tr("Saving…"))

    # ------------------------------------------------------------ 签字
    def _build_signoff(self) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.sign_info = QLabel()
        self.sign_info.setObjectName("signInfo")
        self.sign_info.setWordWrap(True)
        lay.addWidget(self.sign_info)
        self.sign_table = QTableWidget(0, 2)
        self.sign_table.setObjectName("confirmTable")
        self.sign_table.setHorizontalHeaderLabels([self.tr("Student"), self.tr("Confirmed")])
        self.sign_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.sign_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.sign_table)
        row = QHBoxLayout()
        self.confirm_btn = QPushButton(self.tr("Record the selected student's paper confirmation"))
        self.adviser_btn = QPushButton(self.tr("Adviser signs the class"))
        self.adviser_btn.setObjectName("adviserSigns")
        self.principal_btn = QPushButton(self.tr("Principal signs off the grade"))
        self.principal_btn.setObjectName("principalSigns")
        for b in (self.confirm_btn, self.adviser_btn, self.principal_btn):
            row.addWidget(b)
        lay.addLayout(row)
        self.principal_btn.setVisible(self.main.user.role == "school_admin")
        self.confirm_btn.clicked.connect(self.confirm_selected)
        self.adviser_btn.clicked.connect(self.sign_adviser)
        self.principal_btn.clicked.connect(self.sign_principal)
        self.tabs.addTab(w, self.tr("4 Sign-off"))

    def confirm_selected(self) -> None:
        from ..services import archive
        rows = self.sign_table.selectionModel().selectedRows()
        if not rows:
            return
        sid, term = self.sign_table.item(rows[0].row(), 0).data(KEY), self.term_code
        self._run(lambda s: archive.confirm_student(s, term, sid), title=self.tr("Saving…"))

    def sign_adviser(self) -> None:
        from ..services import archive
        term, cls = self.term_code, self.class_id
        self._run(lambda s: archive.sign_adviser(s, term, cls), title=self.tr("Signing…"))

    def sign_principal(self) -> None:
        from ..services import archive
        from ..models import SchoolClass
        term, cls = self.term_code, self.class_id

        def sign(s):
            c = s.get(SchoolClass, cls)
            return archive.sign_principal(s, term, c.school_year, c.grade)
        self._run(sign, title=self.tr("Signing…"))

    # ------------------------------------------------------------ 归档后更正
    def _build_amendments(self) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.amend_info = QLabel()
        self.amend_info.setObjectName("amendInfo")
        self.amend_info.setWordWrap(True)
        lay.addWidget(self.amend_info)
        self.amend_table = QTableWidget(0, 3)
        self.amend_table.setObjectName("amendTable")
        self.amend_table.setHorizontalHeaderLabels([self.tr("Student"), self.tr("Original record (as signed)"),
                                                    self.tr("Amendments (reason, who, when)")])
        self.amend_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.amend_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.amend_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.amend_table.setWordWrap(True)
        head = self.amend_table.horizontalHeader()
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.amend_table.setColumnWidth(0, 110)
        lay.addWidget(self.amend_table)
        form = QFormLayout()
        self.amend_content = QLineEdit()
        self.amend_content.setObjectName("amendContent")
        self.amend_content.setPlaceholderText(self.tr("What the record should now say"))
        self.amend_reason = QLineEdit()
        self.amend_reason.setObjectName("amendReason")
        self.amend_reason.setPlaceholderText(self.tr("Why, and on what evidence"))
        self.amend_btn = QPushButton(self.tr("Add amendment to the selected record"))
        self.amend_btn.setObjectName("addAmendment")
        form.addRow(self.tr("Correction"), self.amend_content)
        form.addRow(self.tr("Reason for the correction"), self.amend_reason)
        form.addRow(self.amend_btn)
        lay.addLayout(form)
        self.amend_btn.clicked.connect(self.add_amendment)
        self.tabs.addTab(w, self.tr("5 Amendments"))

    def add_amendment(self) -> None:
        from ..services import archive
        rows = self.amend_table.selectionModel().selectedRows()
        if not rows:
            from PySide6.QtWidgets import QMessageBox

            from .ops import show_message
            show_message(self, QMessageBox.Icon.Information, self.tr("Pick the record to amend in the table first."))
            return
        rec = self.archived[rows[0].row()]
        content, reason = self.amend_content.text(), self.amend_reason.text()
        rtype, rid, sid = rec.record_type, rec.record_id, rec.student_id
        self._run(lambda s: archive.amend(s, rtype, rid, content, reason, student_id=sid),
                  done=lambda _r: (self.amend_content.clear(), self.amend_reason.clear()), title=self.tr("Saving…"))

    def _fill_amendments(self, data) -> None:
        from ..services.names import format_date
        self.archived = data["archived"]
        names = data["people"]
        self.amend_table.setRowCount(len(self.archived))
        for i, rec in enumerate(self.archived):
            lines = [f"{a.content}（理由：{a.reason}；{names.get(a.amended_by.lower(), a.amended_by)}，"
                     f"{format_date(a.amended_at.date())}）" for a in rec.amendments]
            cells = [rec.name, rec.title, "\n".join(lines) or "—"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2 and rec.amendments:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.amend_table.setItem(i, col, item)
        self.amend_table.resizeRowsToContents()
        locked = data["step"] == "locked"
        self.amend_btn.setEnabled(locked and bool(self.archived))
        self.amend_content.setEnabled(locked)
        self.amend_reason.setEnabled(locked)
        self.amend_info.setText(self.tr("The term's archive is signed off and locked. A correction does not change the "
                                        "signed record: it is added beside it with its reason, and both are printed in "
                                        "the portfolio.") if locked else
                                self.tr("Amendments are possible once the principal has signed off the grade; until "
                                        "then records are corrected through objections."))

    # ------------------------------------------------------------ reload
    def reload(self, *_a) -> None:
        data = self._read(_dialog_data, self.term_code, self.class_id)
        self.setWindowTitle(self.tr("Term archive: %1").replace("%1", data["title"]))
        step = data["step"]
        self.status.setText(self.tr("%1 · step: %2").replace("%1", data["title"]).replace("%2", data["step_label"]))
        self._fill_tree(data["candidates"])
        frozen = data["period"] is not None
        self.save_sel_btn.setEnabled(not frozen)
        self.select_all_btn.setEnabled(not frozen)
        self.open_btn.setEnabled(not frozen)
        if frozen:
            p = data["period"]
            self.start.setDate(_qdate(p[0]))
            self.end.setDate(_qdate(p[1]))
        else:
            self._start_changed()
        self.items = data["items"]
        self.obj_item.clear()
        for item_id, text in self.items:
            self.obj_item.addItem(text, item_id)
        self.objs = data["objections"]
        self.obj_table.setRowCount(len(self.objs))
        for i, o in enumerate(self.objs):
            cells = [data["item_text"].get(o.item_id, ""), f"{label(OBJECTION_BY, o.raised_by, ui_app.lang())} "
                     f"{o.raised_by_name}", format_date(o.raised_on, ui_app.lang()), o.content,
                     label(OBJECTION_OUTCOMES, o.outcome, ui_app.lang()) if o.outcome else self.tr("open"),
                     o.resolution]
            for col, text in enumerate(cells):
                self.obj_table.setItem(i, col, QTableWidgetItem(text))
        self.sign_table.setRowCount(len(data["confirm"]))
        for i, (sid, name, at) in enumerate(data["confirm"]):
            it = QTableWidgetItem(name)
            it.setData(KEY, sid)
            self.sign_table.setItem(i, 0, it)
            self.sign_table.setItem(i, 1, QTableWidgetItem(at or "—"))
        self.sign_info.setText(data["sign_text"])
        self._fill_amendments(data)
        self.adviser_btn.setEnabled(step in ("confirming",))
        self.principal_btn.setEnabled(step == "adviser_signed")


def _dialog_data(s, term_code: str, class_id: str) -> dict:
    """Everything the dialog shows, in one read (the services check the user's right to see it)."""
    from ..models import ArchiveItem, SchoolClass, SignOff
    from ..services import archive
    from ..services._common import live
    from ..services.names import class_label
    from ..services.terms import term_label
    lang = "zh_CN"
    cls = s.get(SchoolClass, class_id)
    cands = archive.candidates(s, term_code, class_id)
    title_of = {(c.student_id, r.record_type, r.record_id): (c.name, r.title) for c in cands for r in c.records}
    items, item_text = [], {}
    for it in s.scalars(live(ArchiveItem).where(ArchiveItem.term_code == term_code, ArchiveItem.class_id == class_id)):
        name, title = title_of.get((it.student_id, it.record_type, it.record_id), ("", it.record_id))
        text = f"{name}：{title}"
        items.append((it.id, text))
        item_text[it.id] = text
    items.sort(key=lambda x: x[1])
    period = archive.publicity_of(s, term_code, class_id)
    step = archive.class_steps(s, term_code).get(class_id, "recording")
    confirmed = {x.student_id: format_date(x.signed_at.date()) for x in s.scalars(live(SignOff).where(
        SignOff.term_code == term_code, SignOff.kind == "student", SignOff.class_id == class_id))}
    with_items = {c.student_id for c in cands if c.selected_count}
    confirm = [(c.student_id, c.name, confirmed.get(c.student_id)) for c in cands if c.student_id in with_items]
    text = ""
    if period is not None:
        text = (f"公示期：{format_date(period.start_date)}至{format_date(period.end_date)}（{period.working_days} 个工作日）；"
                f"未处理异议 {archive.open_objections(s, term_code, class_id)} 条；"
                f"已确认 {len(confirmed)}/{len(confirm)} 人。公示期结束且异议处理完毕后，学生确认、班主任签字，再由校长签发全年级。")
    archived = archive.archived_records(s, term_code, class_id)
    people = archive.display_names(s, {a.amended_by for r in archived for a in r.amendments})
    return {"title": f"{class_label(cls.grade, cls.class_no, lang)} {term_label(term_code, lang)}",
            "archived": archived, "people": people,
            "candidates": cands, "items": items, "item_text": item_text,
            "period": (period.start_date, period.end_date) if period else None, "step": step,
            "step_label": archive.STEPS[step][0], "objections": archive.objections(s, term_code, class_id),
            "confirm": confirm, "sign_text": text}


def open_archive_dialog(main) -> ArchiveDialog | None:
    if not main.class_id or not main.term_code:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QMessageBox

        from .ops import show_message
        show_message(main, QMessageBox.Icon.Information,
                     QCoreApplication.translate("MainWindow", "Pick one class and a term first."))
        return None
    dlg = ArchiveDialog(main, main.class_id, main.term_code)
    dlg.open()
    return dlg
