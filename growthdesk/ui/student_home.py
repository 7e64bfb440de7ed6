"""The student's own window (a ``student`` account): only their records and the 写实记录 form.

Thin: reads through ``services.self_records`` / ``services.review`` (which check that the
account only ever sees its own student), writes as ops (``ui.ops``)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow, QPlainTextEdit, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..models.enums import RECORD_STATES, ROLES, SELF_RECORD_KINDS, label
from . import app as ui_app
from .ops import OpRunner


class StudentWindow(QMainWindow):
    """Left: my records with their state (and a returned record's reason). Right: the form."""

    COLS = 5

    def __init__(self, db, user, runner: OpRunner | None = None) -> None:
        super().__init__()
        self.db, self.user = db, user
        self.ops = runner or OpRunner(db, user.login, self)
        self.student_id = user.student_id
        self.editing: str | None = None
        self.rows: list = []
        self.setWindowTitle(self.tr("GrowthDesk — My growth records"))
        self._build()
        self.reload()

    def _read(self, func, *args, **kw):
        with self.db.session(user=self.user.login) as s:
            return func(s, *args, **kw)

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        st = self._read(_student_header, self.student_id)
        self.header = QLabel(st)
        self.header.setObjectName("studentHeader")
        self.header.setStyleSheet("font-size: 15px; font-weight: bold; padding: 6px;")
        self.table = QTableWidget(0, self.COLS)
        self.table.setObjectName("myRecords")
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Activity"), self.tr("Hrs"),
                                              self.tr("State"), self.tr("Reviewer's note")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, w in ((0, 96), (2, 56), (3, 76)):
            self.table.setColumnWidth(col, w)
        self.table.itemSelectionChanged.connect(self._picked)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("studentTabs")
        mine = QWidget()
        ml = QVBoxLayout(mine)
        ml.addWidget(QLabel(self.tr("My records this term (a teacher reviews each one you submit)")))
        ml.addWidget(self.table)
        self.tabs.addTab(mine, self.tr("My records"))
        self.tabs.addTab(self._build_wall(), self.tr("Class publicity"))
        ll.addWidget(self.tabs)
        self.confirm_btn = QPushButton(self.tr("I confirm my term archive"))
        self.confirm_btn.setObjectName("confirmArchive")
        self.confirm_btn.clicked.connect(self.confirm)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        ll.addWidget(self.notice)
        ll.addWidget(self.confirm_btn)

        form_box = QGroupBox(self.tr("Self record"))
        form = QFormLayout(form_box)
        self.kind = QComboBox()
        for code, (zh, en) in SELF_RECORD_KINDS.items():
            self.kind.addItem(zh if ui_app.lang().startswith("zh") else en, code)
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText(self.tr("What did you do?"))
        self.when = QDateEdit(QDate.currentDate())
        self.when.setObjectName("when")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("hours")
        self.hours.setRange(0, 1000)
        self.hours.setDecimals(1)
        self.role = QLineEdit()
        self.role.setObjectName("role")
        self.role.setPlaceholderText(self.tr("e.g. organiser, volunteer, member"))
        self.reflection = QPlainTextEdit()
        self.reflection.setObjectName("reflection")
        self.reflection.setPlaceholderText(self.tr("What did you learn? What would you do differently?"))
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("What"), self.title)
        form.addRow(self.tr("When"), self.when)
        form.addRow(self.tr("Where"), self.place)
        form.addRow(self.tr("Hours"), self.hours)
        form.addRow(self.tr("My role"), self.role)
        form.addRow(self.tr("Reflection"), self.reflection)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.new_btn = QPushButton(self.tr("New"))
        self.save_btn = QPushButton(self.tr("Save draft"))
        self.save_btn.setObjectName("saveDraft")
        self.submit_btn = QPushButton(self.tr("Submit for review"))
        self.submit_btn.setObjectName("submit")
        for b in (self.new_btn, self.save_btn, self.submit_btn):
            buttons.addWidget(b)
        form.addRow(buttons)
        self.new_btn.clicked.connect(self.clear_form)
        self.save_btn.clicked.connect(lambda: self.save(submit=False))
        self.submit_btn.clicked.connect(lambda: self.save(submit=True))
        self.forms = QTabWidget()
        self.forms.setObjectName("studentForms")
        self.forms.addTab(form_box, self.tr("Self record"))
        self.forms.addTab(self._build_award_form(), self.tr("Award"))
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.forms)
        split.setSizes([760, 560])
        self.setCentralWidget(split)
        self.statusBar().addWidget(QLabel(f"{self.user.display_name}（{label(ROLES, 'student', ui_app.lang())}）"))
        self.resize(1280, 760)

    def _build_award_form(self) -> QWidget:
        from ..models.enums import AWARDS, LEVELS
        from ..services import views
        w = QGroupBox(self.tr("My award (with its certificate)"))
        form = QFormLayout(w)
        self.competition = QComboBox()
        self.competition.setObjectName("competition")
        for cid, name in self._read(views.competitions):
            self.competition.addItem(name, cid)
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.award = QComboBox()
        self.award.setObjectName("award")
        zh = ui_app.lang().startswith("zh")
        for box, vocab in ((self.level, LEVELS), (self.award, AWARDS)):
            for code, (z, e) in vocab.items():
                box.addItem(z if zh else e, code)
        self.award_date = QDateEdit(QDate.currentDate())
        self.award_date.setObjectName("awardDate")
        self.award_date.setCalendarPopup(True)
        self.award_date.setDisplayFormat("yyyy-MM-dd")
        self.certificate_no = QLineEdit()
        self.certificate_no.setObjectName("certificateNo")
        self.photo = QLineEdit()
        self.photo.setObjectName("certificatePhoto")
        self.photo.setReadOnly(True)
        pick = QPushButton(self.tr("Choose photo…"))
        pick.clicked.connect(self._pick_photo)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo, 1)
        photo_row.addWidget(pick)
        self.award_error = QLabel()
        self.award_error.setObjectName("awardError")
        self.award_error.setStyleSheet("color: #C62828;")
        self.award_error.setWordWrap(True)
        self.award_btn = QPushButton(self.tr("Submit award for review"))
        self.award_btn.setObjectName("submitAward")
        self.award_btn.clicked.connect(self.submit_award)
        form.addRow(self.tr("Competition"), self.competition)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Prize"), self.award)
        form.addRow(self.tr("Date"), self.award_date)
        form.addRow(self.tr("Certificate no."), self.certificate_no)
        form.addRow(self.tr("Certificate photo"), photo_row)
        form.addRow(QLabel(self.tr("Awards at municipal level and above need the certificate number or its photo. "
                                   "Team awards are entered by your teacher.")))
        form.addRow(self.award_error)
        form.addRow(self.award_btn)
        return w

    def _pick_photo(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificate photo"), "", "Images (*.png *.jpg *.jpeg)")
        if path:
            self.photo.setText(path)

    def submit_award(self) -> None:
        from ..services import competitions, evidence, review
        d = self.award_date.date()
        values = {"competition_id": self.competition.currentData(), "level": self.level.currentData(),
                  "award": self.award.currentData(), "award_date": date(d.year(), d.month(), d.day()),
                  "certificate_no": self.certificate_no.text()}
        photo, sid, db_path = self.photo.text(), self.student_id, self.db.path

        def run(ctx):
            with ctx.session() as s:
                r = competitions.record_result(s, student_ids=[sid], **values)
                if photo:
                    evidence.attach_file(s, db_path, owner_type="result", owner_id=r.id, file_path=photo,
                                         kind="certificate")
                review.submit(s, "result", r.id)
                return r.id

        def done(_r):
            self.award_error.clear()
            self.certificate_no.clear()
            self.photo.clear()
            self.reload()

        def failed(exc) -> bool:
            from ..errors import GrowthDeskError
            if isinstance(exc, GrowthDeskError):
                self.award_error.setText(exc.message(ui_app.lang()))
                return True
            return False
        self.ops.run(self, run, on_success=done, on_error=failed, title=self.tr("Saving…"))

    def _build_wall(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr("During the publicity period the class's archive records are shown here. If one "
                                     "is wrong, select it and write your objection.")))
        self.wall = QTableWidget(0, 4)
        self.wall.setObjectName("classWall")
        self.wall.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Record"), self.tr("Date")])
        self.wall.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.wall.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.wall.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.wall.verticalHeader().setVisible(False)
        self.wall.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.wall)
        row = QHBoxLayout()
        self.objection = QLineEdit()
        self.objection.setObjectName("objection")
        self.objection.setPlaceholderText(self.tr("What is wrong with the selected record?"))
        self.object_btn = QPushButton(self.tr("Raise objection"))
        self.object_btn.setObjectName("raiseObjection")
        self.object_btn.clicked.connect(self.raise_objection)
        row.addWidget(self.objection, 1)
        row.addWidget(self.object_btn)
        lay.addLayout(row)
        self.shown: list = []
        return w

    def term_code(self) -> str:
        from ..services import _common, terms
        return terms.current_term_code(_common.today())

    def class_id(self) -> str | None:
        from sqlalchemy import select

        from ..models import Student
        return self._read(lambda s: s.scalar(select(Student.class_id).where(Student.id == self.student_id)))

    # ------------------------------------------------------------ data
    def reload(self, *_a) -> None:
        from ..models.enums import RECORD_TYPES
        from ..services import archive, self_records
        cid, term = self.class_id(), self.term_code()
        self.shown = self._read(archive.publicity_list, term, cid) if cid else []
        self.wall.setRowCount(len(self.shown))
        for i, r in enumerate(self.shown):
            for col, text in enumerate((r.name, label(RECORD_TYPES, r.record_type, ui_app.lang()), r.title,
                                        r.event_date.isoformat() if r.event_date else "")):
                self.wall.setItem(i, col, QTableWidgetItem(text))
        self.object_btn.setEnabled(bool(self.shown))
        mine = [r for r in self.shown if r.student_id == self.student_id]
        self.notice.setText(self.tr("%1 of your records are in the class publicity.").replace("%1", str(len(mine)))
                            if self.shown else "")
        self.confirm_btn.setVisible(bool(mine))
        self.rows = self._read(self_records.list_self_records, self.student_id)
        self.awards = self._read(_my_awards, self.student_id)
        self.table.setRowCount(len(self.rows) + len(self.awards))
        for i, r in enumerate(self.rows):
            state = label(RECORD_STATES, r.state, ui_app.lang())
            cells = [r.activity_date.isoformat(), r.title, f"{r.hours:g}" if r.hours else "", state,
                     r.return_reason if r.state == "returned" else ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and r.state == "returned":
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(i, col, item)
        for j, (on, text, state, reason) in enumerate(self.awards):
            for col, value in enumerate((on.isoformat(), text, "", label(RECORD_STATES, state, ui_app.lang()),
                                         reason if state == "returned" else "")):
                self.table.setItem(len(self.rows) + j, col, QTableWidgetItem(value))

    def _picked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return  # an award: shown with its state; entered and fixed in the award form
        r = self.rows[rows[0].row()]
        self.editing = r.id
        self.kind.setCurrentIndex(max(0, self.kind.findData(r.kind)))
        self.title.setText(r.title)
        self.when.setDate(QDate(r.activity_date.year, r.activity_date.month, r.activity_date.day))
        self.place.setText(r.place or "")
        self.hours.setValue(r.hours or 0)
        self.role.setText(r.role or "")
        self.reflection.setPlainText(r.reflection or "")
        editable = r.state in ("draft", "returned")
        for w in (self.save_btn, self.submit_btn):
            w.setEnabled(editable)
        self.error.setText("" if editable else self.tr("This record is %1 and can no longer be changed.").replace(
            "%1", label(RECORD_STATES, r.state, ui_app.lang())))

    def clear_form(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for w in (self.title, self.place, self.role):
            w.clear()
        self.reflection.clear()
        self.hours.setValue(0)
        self.when.setDate(QDate.currentDate())
        self.error.clear()
        for w in (self.save_btn, self.submit_btn):
            w.setEnabled(True)

    def values(self) -> dict:
        d = self.when.date()
        return {"kind": self.kind.currentData(), "title": self.title.text(), "activity_date": date(d.year(), d.month(), d.day()),
                "place": self.place.text(), "hours": self.hours.value() or None, "role": self.role.text(),
                "reflection": self.reflection.toPlainText()}

    def save(self, submit: bool) -> None:
        from ..services import review, self_records
        values, editing, sid = self.values(), self.editing, self.student_id

        def run(ctx):
            with ctx.session() as s:
                if editing:
                    rid = self_records.update_self_record(s, editing, **values).id
                else:
                    rid = self_records.create_self_record(s, student_id=sid, **values).id
                if submit:
                    review.submit(s, "self_record", rid)
                return rid

        def done(rid):
            self.error.clear()
            self.reload()
            self.clear_form()

        def failed(exc) -> bool:
            from ..errors import GrowthDeskError
            if isinstance(exc, GrowthDeskError):
                self.error.setText(exc.message(ui_app.lang()))
                return True
            return False

        self.ops.run(self, run, on_success=done, on_error=failed, title=self.tr("Saving…"))

    def _failed(self, exc) -> bool:
        from ..errors import GrowthDeskError
        if isinstance(exc, GrowthDeskError):
            self.notice.setText(exc.message(ui_app.lang()))
            return True
        return False

    def raise_objection(self) -> None:
        from ..services import archive
        rows = self.wall.selectionModel().selectedRows()
        if not rows:
            return
        item_id, text = self.shown[rows[0].row()].item_id, self.objection.text()

        def run(ctx):
            with ctx.session() as s:
                return archive.raise_objection(s, item_id, text).id

        def done(_r):
            self.objection.clear()
            self.reload()
            self.notice.setText(self.tr("Your objection was recorded; the class adviser will look into it."))
        self.ops.run(self, run, on_success=done, on_error=self._failed, title=self.tr("Saving…"))

    def confirm(self) -> None:
        from ..services import archive
        term, sid = self.term_code(), self.student_id

        def run(ctx):
            with ctx.session() as s:
                return archive.confirm_student(s, term, sid).id

        def done(_r):
            self.reload()
            self.notice.setText(self.tr("You confirmed your term archive."))
        self.ops.run(self, run, on_success=done, on_error=self._failed, title=self.tr("Saving…"))


def _my_awards(s, student_id: str) -> list[tuple]:
    """(date, "竞赛 级别奖项", state, return reason) of the student's awards this account may see."""
    from ..models import Competition
    from ..models.enums import AWARDS, LEVELS
    from ..services import competitions, review
    review.require_student_access(s, student_id)
    names = {}
    out = []
    for r in competitions.list_results_for_student(s, student_id):
        if r.competition_id not in names:
            c = s.get(Competition, r.competition_id)
            names[r.competition_id] = c.name if c else ""
        out.append((r.award_date, f"{names[r.competition_id]} {label(LEVELS, r.level)}{label(AWARDS, r.award)}",
                    r.state, r.return_reason))
    return out


def _student_header(s, student_id: str) -> str:
    from ..models import SchoolClass, Student
    from ..services.names import class_label
    st = s.get(Student, student_id)
    if st is None:
        return ""
    cls = s.get(SchoolClass, st.class_id) if st.class_id else None
    return f"{st.name}　{class_label(cls.grade, cls.class_no) if cls else ''}"
