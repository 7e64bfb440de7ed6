"""Class evaluation grid: students × dimensions for one term and evaluator role, keyboard only.

Arrows move, a level letter (A/B/C/D, or whatever the rubric's scale uses) sets the cell and
moves on, Enter moves down, Delete clears. Each edit is shown at once and saved by an op
(``services.evaluations.set_grid_level``); the average row is recomputed from the cells in
memory, so it follows the typing without reading the database.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSizePolicy, QTableView, QVBoxLayout, QWidget)

from ..models.enums import EVALUATOR_ROLES, label
from ..services import views
from ..services.rubric import RubricDoc
from . import app as ui_app

LEVEL_COLORS = ["#d4edda", "#e2f0fb", "#fff3cd", "#f8d7da", "#eeeeee"]


class GridModel(QAbstractTableModel):
    """Rows: the class's students, then one average row. Columns: the rubric's dimensions."""

    cell_set = Signal(str, str, str)  # student_id, dimension, level ('' clears): a single change
    cells_set = Signal(list)          # [(student_id, dimension, level)]: every change, saved as one

    def __init__(self, rubric: RubricDoc, parent=None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.students: list[views.StudentRow] = []
        self.cells: dict[tuple[str, str], str] = {}
        self._scores = {lv.code: lv.score for lv in rubric.levels}
        self.undo_stack: list[list[tuple[int, int, str]]] = []

    def load(self, students: list[views.StudentRow], cells: dict[tuple[str, str], str]) -> None:
        self.beginResetModel()
        self.students, self.cells = students, dict(cells)
        self.undo_stack = []
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
        self.set_many([(row, col, level)])

    def set_many(self, changes: list[tuple[int, int, str]], *, undoable: bool = True) -> int:
        """Set several cells as one change (a key press, a paste, an undo); emits ``cells_set``
        once with what changed, and remembers the previous levels for undo. Returns the count."""
        done, before = [], []
        for row, col, level in changes:
            if not 0 <= row < self.avg_row or not 0 <= col < self.columnCount():
                continue
            sid = self.students[row].id
            dim = self.rubric.dimensions[col].code
            old = self.cells.get((sid, dim), "")
            if old == level:
                continue
            if level:
                self.cells[(sid, dim)] = level
            else:
                self.cells.pop((sid, dim), None)
            before.append((row, col, old))
            done.append((sid, dim, level))
            self.dataChanged.emit(self.index(row, col), self.index(row, col))
        if done:
            self.dataChanged.emit(self.index(self.avg_row, 0), self.index(self.avg_row, self.columnCount() - 1))
            if undoable:
                self.undo_stack.append(before)
            self.cells_set.emit(done)
            if len(done) == 1:
                self.cell_set.emit(*done[0])
        return len(done)

    def undo(self) -> int:
        """Put back the levels the last change replaced (one key press, or a whole paste)."""
        if not self.undo_stack:
            return 0
        return self.set_many(self.undo_stack.pop(), undoable=False)

    def level_code(self, text: str) -> str | None:
        """What a pasted cell means: a level code (a/A), its name (优秀), or a 0–100 score."""
        value = str(text).strip()
        for lv in self.rubric.levels:
            if value.upper() == lv.code.upper() or value in (lv.label_zh, lv.label_en, f"{lv.code}{lv.label_zh}",
                                                               f"{lv.code} {lv.label_zh}"):
                return lv.code
        try:
            score = float(value)
        except ValueError:
            return None
        return self.rubric.level_for_score(score).code if 0 <= score <= 100 else None


def parse_block(text: str) -> list[list[str]]:
    """A block copied from Excel/WPS: rows by line, cells by tab (a trailing empty line dropped)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


class GridTable(QTableView):
    """Keyboard handling of the grid (see module doc)."""

    ADVANCE = {"down": (1, 0), "right": (0, 1), "stay": (0, 0)}
    pasted = Signal(int, list)  # cells set, cells not understood

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
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and key == Qt.Key.Key_V:
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if ctrl and key == Qt.Key.Key_Z:
            model.undo()
            return
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
        last = model.avg_row - 1
        if drow > 0 and cur.row() == last and cur.column() + 1 < model.columnCount():
            self.setCurrentIndex(model.index(0, cur.column() + 1))  # column done: next dimension, top
            return
        row = max(0, min(last, cur.row() + drow))
        col = cur.column() + dcol
        if col >= model.columnCount():  # wrap to the next student's first dimension
            col, row = 0, min(last, row + 1)
        self.setCurrentIndex(model.index(row, col))

    def paste_text(self, text: str) -> tuple[int, list[str]]:
        """Paste a column or a block copied from Excel/WPS, starting at the current cell. Cells
        that are not a level (A, 优秀, 92) are left alone and listed; blanks are skipped."""
        model: GridModel = self.model()
        cur = self.currentIndex()
        if not cur.isValid() or model.avg_row == 0:
            self.pasted.emit(0, [])
            return 0, []
        changes, bad = [], []
        for i, cells in enumerate(parse_block(text)):
            for j, cell in enumerate(cells):
                row, col = cur.row() + i, cur.column() + j
                if not cell.strip() or row >= model.avg_row or col >= model.columnCount():
                    continue
                code = model.level_code(cell)
                if code is None:
                    bad.append(cell.strip())
                else:
                    changes.append((row, col, code))
        n = model.set_many(changes)
        self.pasted.emit(n, bad)
        return n, bad


class EvalGridView(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.main = main
        self.rubric = main.rubric
        self.model = GridModel(self.rubric, self)
        self.model.cells_set.connect(self._save_many)
        self.table = GridTable()
        self.table.setObjectName("evalGrid")
        self.table.setModel(self.model)
        self.table.pasted.connect(self._pasted)
        self.round_combo = QComboBox()
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.round_combo.currentIndexChanged.connect(lambda _i: self._round_changed())
        self.new_round = QPushButton(self.tr("New round…"))
        self.new_round.setObjectName("newRound")
        self.new_round.clicked.connect(self.ask_new_round)
        self.undo_btn = QPushButton(self.tr("Undo (Ctrl+Z)"))
        self.undo_btn.setObjectName("undoGrid")
        self.undo_btn.clicked.connect(lambda: (self.model.undo(), self.table.setFocus()))
        self._round_date = None  # the round shown: a date, or None before any round exists
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
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Evaluator role")))
        top.addWidget(self.role_combo)
        top.addWidget(QLabel(self.tr("After a level")))
        top.addWidget(self.advance_combo)
        top.addWidget(QLabel(self.tr("Round")))
        top.addWidget(self.round_combo)
        top.addWidget(self.new_round)
        top.addWidget(self.undo_btn)
        top.addWidget(self.info, 1)
        top.addWidget(self.saved)
        self.legend = QLabel("　".join(f"<b>{lv.code}</b> {lv.label(ui_app.lang())}" for lv in self.rubric.levels))
        self.legend.setObjectName("gridLegend")
        hint = QLabel(self.tr("Arrows move · A/B/C/D set a level · Delete clears · Enter moves down, then to the "
                              "next dimension · Ctrl+V pastes a column from Excel/WPS · every change is saved at once"))
        hint.setStyleSheet("color: #666")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.legend)
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
            self._fill_rounds([])
            self.info.setText(self.tr("Pick one class and a term to evaluate."))
            return
        with self.main.db.session() as s:
            students = views.student_rows(s, [cid], ui_app.lang(), term_code=term)  # the class as it was then
            ids = [r.id for r in students]
            rounds = views.grid_rounds(s, ids, term, self.role, self.evaluator_name())
            if self._round_date is not None and self._round_date not in rounds and self._round_key == (cid, term):
                rounds = sorted(set(rounds) | {self._round_date})  # a new round, still empty
            elif self._round_key != (cid, term) or self._round_date not in rounds:
                self._round_date = rounds[-1] if rounds else None  # the latest round
            cells = views.grid_levels(s, ids, term, self.role, self.evaluator_name(), self._round_date)
        self._round_key = (cid, term)
        self._fill_rounds(rounds)
        self.model.load(students, cells)
        self.info.setText(self.tr("Evaluator: %1").replace("%1", self.evaluator_name()))
        if students and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    _round_key: tuple | None = None

    def _fill_rounds(self, rounds) -> None:
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        if not rounds:
            self.round_combo.addItem(self.tr("First round (today)"), None)
        for i, d in enumerate(rounds, start=1):
            self.round_combo.addItem(self.tr("Round %1 · %2").replace("%1", str(i)).replace(
                "%2", f"{d.month}月{d.day}日" if ui_app.lang().startswith("zh") else d.isoformat()), d)
        idx = self.round_combo.findData(self._round_date) if self._round_date is not None else 0
        self.round_combo.setCurrentIndex(max(0, idx))
        self.round_combo.blockSignals(False)

    def _round_changed(self) -> None:
        self._round_date = self.round_combo.currentData()
        self.reload()

    def start_round(self, when) -> None:
        """A new round of the term on ``when`` (a date): an empty grid saved under that date."""
        from ..services.dates import parse_date
        d = when if hasattr(when, "year") else parse_date(when)
        if d is None:
            return
        self._round_date = d
        self.reload()

    def ask_new_round(self) -> None:
        from datetime import date
        from PySide6.QtWidgets import QInputDialog
        text, ok = QInputDialog.getText(self, self.tr("New round"), self.tr("Date of this round (e.g. 2025-11-20 "
                                        "or 11月20日):"), text=date.today().isoformat())
        if ok:
            self.start_round(text)

    def _pasted(self, n: int, bad: list) -> None:
        if bad:
            sample = "、".join(bad[:3])
            self.info.setText(self.tr("%1 cell(s) pasted; %2 not understood (e.g. %3) were left as they were")
                              .replace("%1", str(n)).replace("%2", str(len(bad))).replace("%3", sample))
        else:
            self.info.setText(self.tr("%1 cell(s) pasted").replace("%1", str(n)))

    def _save(self, student_id: str, dimension: str, level: str) -> None:
        self._save_many([(student_id, dimension, level)])

    def _save_many(self, cells: list) -> None:
        from ..services import evaluations
        term, role, name = self.main.term_code, self.role, self.evaluator_name()
        when = self._round_date
        cells = list(cells)

        def work(ctx):
            with ctx.session() as s:  # one transaction: a paste is saved whole or not at all
                evaluations.set_grid_levels(s, cells, term_code=term, evaluator_role=role, evaluator_name=name,
                                            round_date=when)

        self.saved.setText(self.tr("Saving…"))
        self.main.ops.run(self, work, on_success=lambda _r: self.saved.setText(self.tr("All changes saved")),
                          on_error=self._failed)

    def _failed(self, _exc) -> bool:
        self.saved.setText(self.tr("Not saved"))
        self.reload()  # show what the database holds, then let the op runner explain why
        return False
