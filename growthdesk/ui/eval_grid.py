"""Class evaluation grid: students × dimensions for one term and evaluator role, keyboard only.

Arrows move, a level letter (A/B/C/D, or whatever the rubric's scale uses) sets the cell and
moves on, Enter moves down, Delete clears. Each edit is shown at once and saved by an op
(``services.evaluations.set_grid_level``); the average row is recomputed from the cells in
memory, so it follows the typing without reading the database.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from ..models.enums import EVALUATOR_ROLES, label
from ..services import views
from ..services.rubric import RubricDoc
from . import app as ui_app

LEVEL_COLORS = ["#d4edda", "#e2f0fb", "#fff3cd", "#f8d7da", "#eeeeee"]


class GridModel(QAbstractTableModel):
    """Rows: the class's students, then one average row. Columns: the rubric's dimensions."""

    cell_set = Signal(str, str, str)  # student_id, dimension, level ('' clears)

    def __init__(self, rubric: RubricDoc, parent=None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.students: list[views.StudentRow] = []
        self.cells: dict[tuple[str, str], str] = {}
        self._scores = {lv.code: lv.score for lv in rubric.levels}

    def load(self, students: list[views.StudentRow], cells: dict[tuple[str, str], str]) -> None:
        self.beginResetModel()
        self.students, self.cells = students, dict(cells)
        self.endResetModel()

    @property
    def avg_row(self) -> int:
        return len(self.students)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.students) + (1 if self.students else 0)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rubric.dimensions)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            d = self.rubric.dimensions[section]
            return f"{d.short_zh} {d.name_zh}" if ui_app.lang().startswith("zh") else d.name_en
        if section == self.avg_row:
            return self.tr("Class average")
        st = self.students[section]
        return f"{section + 1}. {st.name}"

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        dim = self.rubric.dimensions[index.column()].code
        if index.row() == self.avg_row:
            return self._avg_data(dim, role)
        level = self.cells.get((self.students[index.row()].id, dim), "")
        if role == Qt.ItemDataRole.DisplayRole:
            return level
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and level:
            codes = [lv.code for lv in self.rubric.levels]
            i = codes.index(level) if level in codes else len(LEVEL_COLORS) - 1
            return QBrush(QColor(LEVEL_COLORS[min(i, len(LEVEL_COLORS) - 1)]))
        return None

    def _avg_data(self, dim: str, role):
        if role == Qt.ItemDataRole.DisplayRole:
            avg = self.average(dim)
            if avg is None:
                return "—"
            return f"{avg:.1f} ({self.rubric.level_for_score(avg).code})"
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#f3f3f3"))
        return None

    def average(self, dim: str) -> float | None:
        values = [self._scores[lv] for (sid, d), lv in self.cells.items() if d == dim and lv in self._scores]
        return sum(values) / len(values) if values else None

    def flags(self, index: QModelIndex):
        if index.isValid() and index.row() == self.avg_row:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_level(self, row: int, col: int, level: str) -> None:
        if row >= self.avg_row:
            return
        sid = self.students[row].id
        dim = self.rubric.dimensions[col].code
        if self.cells.get((sid, dim), "") == level:
            return
        if level:
            self.cells[(sid, dim)] = level
        else:
            self.cells.pop((sid, dim), None)
        self.dataChanged.emit(self.index(row, col), self.index(row, col))
        avg = self.index(self.avg_row, col)
        self.dataChanged.emit(avg, avg)
        self.cell_set.emit(sid, dim, level)


class GridTable(QTableView):
    """Keyboard handling of the grid (see module doc)."""

    ADVANCE = {"down": (1, 0), "right": (0, 1), "stay": (0, 0)}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.advance = "down"
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event) -> None:
        model: GridModel = self.model()
        cur = self.currentIndex()
        key = event.key()
        if not cur.isValid() or model is None:
            return super().keyPressEvent(event)
        text = event.text().strip().upper()
        codes = {lv.code.upper(): lv.code for lv in model.rubric.levels}
        if text in codes and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            model.set_level(cur.row(), cur.column(), codes[text])
            self._move(*self.ADVANCE[self.advance])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            model.set_level(cur.row(), cur.column(), "")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._move(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1, 0)
        else:
            super().keyPressEvent(event)

    def _move(self, drow: int, dcol: int) -> None:
        model = self.model()
        cur = self.currentIndex()
        row = max(0, min(model.avg_row - 1, cur.row() + drow))
        col = cur.column() + dcol
        if col >= model.columnCount():  # wrap to the next student's first dimension
            col, row = 0, min(model.avg_row - 1, row + 1)
        self.setCurrentIndex(model.index(row, col))


class EvalGridView(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.main = main
        self.rubric = main.rubric
        self.model = GridModel(self.rubric, self)
        self.model.cell_set.connect(self._save)
        self.table = GridTable()
        self.table.setObjectName("evalGrid")
        self.table.setModel(self.model)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for code in EVALUATOR_ROLES:
            self.role_combo.addItem(label(EVALUATOR_ROLES, code, ui_app.lang()), code)
        default_role = "adviser" if main.user.role == "adviser" else "teacher"
        self.role_combo.setCurrentIndex(self.role_combo.findData(default_role))
        self.role_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.advance_combo = QComboBox()
        self.advance_combo.setObjectName("advanceCombo")
        for key, text in (("down", self.tr("move down")), ("right", self.tr("move right")),
                          ("stay", self.tr("stay"))):
            self.advance_combo.addItem(text, key)
        self.advance_combo.currentIndexChanged.connect(self._advance_changed)
        saved = ui_app.settings().value("grid/advance", "down")
        self.advance_combo.setCurrentIndex(max(0, self.advance_combo.findData(saved)))
        self.table.advance = self.advance_combo.currentData()
        self.info = QLabel()
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Evaluator role")))
        top.addWidget(self.role_combo)
        top.addWidget(QLabel(self.tr("After a level")))
        top.addWidget(self.advance_combo)
        top.addWidget(self.info, 1)
        top.addWidget(self.saved)
        hint = QLabel(self.tr("Arrows move · A/B/C/D set a level · Delete clears · Enter moves down · "
                              "every change is saved at once"))
        hint.setStyleSheet("color: #666")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)

    def _advance_changed(self, _index: int) -> None:
        self.table.advance = self.advance_combo.currentData()
        ui_app.settings().setValue("grid/advance", self.table.advance)  # remembered like the layout

    @property
    def role(self) -> str:
        return self.role_combo.currentData()

    def evaluator_name(self) -> str:
        return self.main.user.display_name

    def reload(self) -> None:
        cid, term = self.main.class_id, self.main.term_code
        if not cid or not term:
            self.model.load([], {})
            self.info.setText(self.tr("Pick one class and a term to evaluate."))
            return
        with self.main.db.session() as s:
            students = views.student_rows(s, [cid], ui_app.lang(), term_code=term)  # the class as it was then
            cells = views.grid_levels(s, [r.id for r in students], term, self.role, self.evaluator_name())
        self.model.load(students, cells)
        self.info.setText(self.tr("Evaluator: %1").replace("%1", self.evaluator_name()))
        if students and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _save(self, student_id: str, dimension: str, level: str) -> None:
        from ..services import evaluations
        term, role, name = self.main.term_code, self.role, self.evaluator_name()

        def work(ctx):
            with ctx.session() as s:
                evaluations.set_grid_level(s, student_id=student_id, term_code=term, dimension=dimension,
                                           evaluator_role=role, evaluator_name=name, level=level or None)

        self.saved.setText(self.tr("Saving…"))
        self.main.ops.run(self, work, on_success=lambda _r: self.saved.setText(self.tr("All changes saved")),
                          on_error=self._failed)

    def _failed(self, _exc) -> bool:
        self.saved.setText(self.tr("Not saved"))
        self.reload()  # show what the database holds, then let the op runner explain why
        return False
