"""One student's page: profile, projects, competition results, process evaluations, term
evaluation, evidence and the growth view, as tabs. It only shows data and asks for actions
(signals); the main window runs them through ``ui.ops``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..models.enums import (AWARDS, EVALUATOR_ROLES, EVIDENCE_KINDS, EVIDENCE_OWNERS, GENDERS, LEVELS,
                            PROJECT_KINDS, PROJECT_MEMBER_ROLES, PROJECT_STATUSES, STAGES, STUDENT_STATUSES,
                            VERIFICATION, label)
from ..services.rubric import RubricDoc
from ..services.names import format_date
from ..services.views import Growth, StudentPage, term_label
from . import app as ui_app
from .growth_chart import GrowthChart

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordTable(QTableWidget):
    """A read-only table of a handful of records; each row remembers its record id."""

    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)

    def fill(self, rows: list[tuple[str, list]]) -> None:
        self.setRowCount(len(rows))
        for r, (rid, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setData(ID_ROLE, rid)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()

    def current_id(self) -> str | None:
        item = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return item.data(ID_ROLE) if item else None


class EvidenceTable(RecordTable):
    """Accepts files dropped from the desktop; double-click opens one."""

    files_dropped = Signal(list)

    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(headers, parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


def _button(text: str, shortcut: str | None = None) -> QPushButton:
    b = QPushButton(text)
    if shortcut:
        b.setShortcut(shortcut)
        b.setToolTip(shortcut)
    return b


class StudentPageWidget(QTabWidget):
    """Signals carry what to do; the main window decides how."""

    edit_profile = Signal()
    add_project = Signal()
    add_result = Signal()
    add_evaluation = Signal()
    edit_term_evaluation = Signal()
    add_evidence = Signal()
    add_link = Signal()
    files_dropped = Signal(list)
    open_evidence = Signal(str)
    add_project_log = Signal(str)      # project id
    add_project_outcome = Signal(str)  # project id
    delete_record = Signal(str, str)   # kind (evaluation / result / evidence), record id
    edit_result = Signal(str)
    edit_project = Signal(str)
    edit_evaluation = Signal(str)      # process evaluation id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.page: StudentPage | None = None
        self._build_profile()
        self._build_projects()
        self._build_results()
        self._build_evaluations()
        self._build_term()
        self._build_evidence()
        self.chart = GrowthChart()
        self.addTab(self.chart, self.tr("Growth"))
        self.setEnabled(False)

    # ---- building
    def _tab(self, title: str, body: QWidget, *buttons: QPushButton) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(body)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.addTab(w, title)

    def _build_profile(self) -> None:
        box = QWidget()
        form = QFormLayout(box)
        self.profile_labels: dict[str, QLabel] = {}
        for key, text in (("name", self.tr("Name")), ("no", self.tr("Student no.")), ("gender", self.tr("Gender")),
                          ("birth", self.tr("Birth date")), ("stage", self.tr("Stage")),
                          ("class", self.tr("Class")), ("seq", self.tr("No. in class")),
                          ("status", self.tr("Enrolment status")), ("note", self.tr("Note"))):
            lbl = QLabel()
            lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.profile_labels[key] = lbl
            form.addRow(text, lbl)
        self.btn_profile = _button(self.tr("Edit profile…"))
        self.btn_profile.clicked.connect(self.edit_profile)
        self._tab(self.tr("Profile"), box, self.btn_profile)

    def _build_projects(self) -> None:
        self.projects = RecordTable([self.tr("Title"), self.tr("Kind"), self.tr("Status"), self.tr("Term"),
                                     self.tr("Role")])
        self.projects.itemDoubleClicked.connect(lambda item: self.edit_project.emit(item.data(ID_ROLE)))
        self.btn_project = _button(self.tr("New…"))
        self.btn_project.setObjectName("new_project")
        self.btn_project.clicked.connect(self.add_project)
        self.btn_log = _button(self.tr("Add process log entry…"))
        self.btn_log.clicked.connect(lambda: self._with_current(self.projects, self.add_project_log.emit))
        self.btn_outcome = _button(self.tr("Add outcome…"))
        self.btn_outcome.clicked.connect(lambda: self._with_current(self.projects, self.add_project_outcome.emit))
        # The same three first on every tab: 新增… 编辑… 删除…, then what is particular to the tab.
        self._tab(self.tr("Innovation projects"), self.projects, self.btn_project,
                  self._edit_button("project", self.projects, self.edit_project.emit),
                  self._delete_button("project", self.projects), self.btn_log, self.btn_outcome)

    def _build_results(self) -> None:
        self.results = RecordTable([self.tr("Competition"), self.tr("Level"), self.tr("Award"), self.tr("Date"),
                                    self.tr("Team members"), self.tr("Verification")])
        self.results.itemDoubleClicked.connect(lambda item: self.edit_result.emit(item.data(ID_ROLE)))
        self.btn_result = _button(self.tr("New…"))
        self.btn_result.setObjectName("new_result")
        self.btn_result.clicked.connect(self.add_result)
        self._tab(self.tr("Competition results"), self.results, self.btn_result,
                  self._edit_button("result", self.results, self.edit_result.emit),
                  self._delete_button("result", self.results))

    def _build_evaluations(self) -> None:
        self.evaluations = RecordTable([self.tr("Date"), self.tr("Dimension"), self.tr("Level"), self.tr("Score"),
                                        self.tr("Evaluator role"), self.tr("Evaluator"), self.tr("Comment")])
        self.evaluations.itemDoubleClicked.connect(lambda item: self.edit_evaluation.emit(item.data(ID_ROLE)))
        self.btn_eval = _button(self.tr("New…"))
        self.btn_eval.clicked.connect(self.add_evaluation)
        self.btn_eval_edit = _button(self.tr("Edit…"))
        self.btn_eval_edit.setObjectName("edit_evaluation")
        self.btn_eval_edit.clicked.connect(lambda: self._with_current(self.evaluations, self.edit_evaluation.emit))
        self._tab(self.tr("Process evaluations"), self.evaluations, self.btn_eval, self.btn_eval_edit,
                  self._delete_button("evaluation", self.evaluations))

    def _build_term(self) -> None:
        box = QWidget()
        lay = QVBoxLayout(box)
        self.term_levels = QLabel()
        self.term_levels.setWordWrap(True)
        self.term_comment = QLabel()
        self.term_comment.setWordWrap(True)
        self.term_comment.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.term_levels)
        lay.addWidget(self.term_comment, 1)
        self.btn_term = _button(self.tr("Write term evaluation…"))
        self.btn_term.setObjectName("termButton")
        self.btn_term.clicked.connect(self.edit_term_evaluation)
        self._tab(self.tr("Term evaluation"), box, self.btn_term)

    def _build_evidence(self) -> None:
        self.evidence = EvidenceTable([self.tr("File"), self.tr("Kind"), self.tr("Attached to"), self.tr("Size"),
                                       self.tr("Note")])
        self.evidence.files_dropped.connect(self.files_dropped)
        self.evidence.itemDoubleClicked.connect(lambda item: self.open_evidence.emit(item.data(ID_ROLE)))
        self.btn_evidence = _button(self.tr("New…"))
        self.btn_evidence.setToolTip(self.tr("Attach a file"))
        self.btn_evidence.clicked.connect(self.add_evidence)
        self.btn_link = _button(self.tr("Add link…"))
        self.btn_link.clicked.connect(self.add_link)
        hint = QLabel(self.tr("Drop files here to attach them; double-click to open."))
        hint.setStyleSheet("color: #666")
        self._tab(self.tr("Evidence"), self.evidence, self.btn_evidence, self.btn_link,
                  self._delete_button("evidence", self.evidence),
                  hint)

    def _edit_button(self, kind: str, table: RecordTable, action) -> QPushButton:
        b = _button(self.tr("Edit…"))
        b.setObjectName(f"edit_{kind}")
        b.clicked.connect(lambda: self._with_current(table, action))
        return b

    def _delete_button(self, kind: str, table: RecordTable) -> QPushButton:
        b = _button(self.tr("Delete…"))
        b.setObjectName(f"delete_{kind}")
        b.clicked.connect(lambda: self._with_current(table, lambda rid: self.delete_record.emit(kind, rid)))
        return b

    @staticmethod
    def _with_current(table: RecordTable, action) -> None:
        """Run ``action(record_id)`` on the selected row, if any."""
        rid = table.current_id()
        if rid:
            action(rid)

    # ---- showing
    def show_page(self, page: StudentPage | None, rubric: RubricDoc, growth: Growth | None, term: str) -> None:
        self.page = page
        self.setEnabled(page is not None)
        if page is None:  # nothing stale stays: records, profile, term text and the chart clear
            for t in (self.projects, self.results, self.evaluations, self.evidence):
                t.setRowCount(0)
            for lbl in self.profile_labels.values():
                lbl.setText("")
            self.term_levels.setText("")
            self.term_comment.setText("")
            self.chart.set_data(None, rubric, term)
            return
        lang = ui_app.lang()
        self._show_profile(page, lang)
        self.projects.fill([(p.id, [p.title, label(PROJECT_KINDS, p.kind, lang), label(PROJECT_STATUSES, p.status, lang),
                                    term_label(p.term_code, lang), label(PROJECT_MEMBER_ROLES, p.role, lang)])
                            for p in page.projects])
        sep = "、" if lang.startswith("zh") else ", "
        self.results.fill([(r.id, [r.competition, label(LEVELS, r.level, lang), label(AWARDS, r.award, lang),
                                   format_date(r.award_date, lang), sep.join(r.members) if r.is_team else "",
                                   label(VERIFICATION, r.verification, lang)]) for r in page.results])
        dims = {d.code: d.name(lang) for d in rubric.dimensions}
        self.evaluations.fill([(e.id, [format_date(e.eval_date, lang), dims.get(e.dimension, e.dimension), e.level,
                                       f"{e.score:g}", label(EVALUATOR_ROLES, e.evaluator_role, lang),
                                       e.evaluator_name, e.comment]) for e in page.evaluations])
        self._show_term(page, dims)
        self.evidence.fill([(e.id, [e.original_name or e.url, label(EVIDENCE_KINDS, e.kind, lang),
                                    label(EVIDENCE_OWNERS, e.owner_type, lang), _size(e.size), e.note])
                            for e in page.evidence])
        self.chart.set_data(growth, rubric, term)  # None clears the previous student's chart

    def set_term_writable(self, writable: bool) -> None:
        """The term tab's button opens the term view; for a reader it says so."""
        self.btn_term.setText(self.tr("Write term evaluation…") if writable else self.tr("View term evaluation…"))

    def _show_profile(self, page: StudentPage, lang: str) -> None:
        values = {"name": page.name, "no": page.national_student_no, "gender": label(GENDERS, page.gender, lang),
                  "birth": format_date(page.birth_date, lang),
                  "stage": label(STAGES, page.stage, lang), "class": page.class_name, "seq": page.class_seq,
                  "status": label(STUDENT_STATUSES, page.status, lang), "note": page.note}
        for key, value in values.items():
            self.profile_labels[key].setText(value)

    def _show_term(self, page: StudentPage, dims: dict[str, str]) -> None:
        te = page.term_evaluation
        if te is None:
            self.term_levels.setText(self.tr("No term evaluation yet."))
            self.term_comment.setText("")
            return
        self.term_levels.setText("  ".join(f"{dims.get(k, k)}: {v}" for k, v in te.levels.items()))
        self.term_comment.setText(te.comment)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
