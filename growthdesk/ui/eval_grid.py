"""Class evaluation grid: students × dimensions for one term and evaluator role, keyboard only.

Arrows move, a level letter (A/B/C/D, or whatever the rubric's scale uses) sets the cell and
moves on, Enter moves down, Delete clears. Each edit is shown at once and saved by an op
(``services.evaluations.set_grid_level``); the average row is recomputed from the cells in
memory, so it follows the typing without reading the database.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSizePolicy, QTableView, QVBoxLayout, QWidget)

from ..models.enums import EVALUATOR_ROLES, label
from ..services import views
from ..services.rubric import RubricDoc
from . import app as ui_app

LEVEL_COLORS = ["#d4edda", "#e2f0fb", "#fff3cd", "#f8d7da", "#eeeeee"]
COMMENT = "#comment"  # the key of the comment column's changes (a dimension code never starts with #)


class GridModel(QAbstractTableModel):
    """Rows: the class's students, then one average row. Columns: the rubric's dimensions, then
    (when ``show_comments``) one comment column, saved with the student's process evaluation."""

    cell_set = Signal(str, str, str)  # student_id, dimension, level ('' clears): a single change
    cells_set = Signal(list)          # [(student_id, dimension or COMMENT, level or text)]: saved as one
    refused = Signal(list)            # names of students whose comment was refused (no level yet)

    def __init__(self, rubric: RubricDoc, parent=None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.students: list[views.StudentRow] = []
        self.cells: dict[tuple[str, str], str] = {}
        self.comments: dict[str, str] = {}
        self.show_comments = False
        self.last_refused: list[str] = []
        self._scores = {lv.code: lv.score for lv in rubric.levels}
        self.undo_stack: list[list[tuple[int, int, str]]] = []

    def load(self, students: list[views.StudentRow], cells: dict[tuple[str, str], str],
             comments: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.students, self.cells, self.comments = students, dict(cells), dict(comments or {})
        self.undo_stack = []
        self.endResetModel()

    @property
    def avg_row(self) -> int:
        return len(self.students)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.students) + (1 if self.students else 0)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rubric.dimensions) + (1 if self.show_comments else 0)

    @property
    def comment_col(self) -> int:
        """The comment column's index, or -1 while it is hidden."""
        return len(self.rubric.dimensions) if self.show_comments else -1

    def set_show_comments(self, on: bool) -> None:
        if on == self.show_comments:
            return
        self.beginResetModel()
        self.show_comments = on
        self.endResetModel()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == self.comment_col:
                return self.tr("Comment")
            d = self.rubric.dimensions[section]
            return f"{d.short_zh} {d.name_zh}" if ui_app.lang().startswith("zh") else d.name_en
        if section == self.avg_row:
            return self.tr("Class average")
        st = self.students[section]
        return f"{section + 1}. {st.name}"

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.column() == self.comment_col:
            return self._comment_data(index.row(), role)
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

    def _comment_data(self, row: int, role):
        if row == self.avg_row:
            return QBrush(QColor("#f3f3f3")) if role == Qt.ItemDataRole.BackgroundRole else None
        text = self.comments.get(self.students[row].id, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
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
        if index.isValid() and index.column() == self.comment_col:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        """The comment column's editor (a typed comment); the level cells are set by keys."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.comment_col:
            return False
        self.set_many([(index.row(), index.column(), str(value or ""))])
        return True

    def _has_level(self, sid: str) -> bool:
        return any((sid, d.code) in self.cells for d in self.rubric.dimensions)

    def set_level(self, row: int, col: int, level: str) -> None:
        self.set_many([(row, col, level)])

    def set_many(self, changes: list[tuple[int, int, str]], *, undoable: bool = True) -> int:
        """Set several cells as one change (a key press, a paste, an undo); emits ``cells_set``
        once with what changed, and remembers the previous levels for undo. Returns the count.

        A comment needs a level of the student in this round (the record that carries it); one
        for a student without any is refused and named by ``refused``. Clearing a student's last
        level clears the comment too (as the database does), so an undo puts both back."""
        done, before, refused, touched = [], [], [], []
        for row, col, level in changes:
            if not 0 <= row < self.avg_row or not 0 <= col <= len(self.rubric.dimensions):
                continue
            sid = self.students[row].id
            if col == len(self.rubric.dimensions):  # the comment column (an undo may reach it hidden)
                old = self.comments.get(sid, "")
                level = level.strip()
                if old == level:
                    continue
                if level and not self._has_level(sid):
                    refused.append(self.students[row].name)
                    continue
                self._set_comment(sid, level)
                before.append((row, col, old))
                done.append((sid, COMMENT, level))
                self.dataChanged.emit(self.index(row, col), self.index(row, col))
                continue
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
            touched.append(row)
            self.dataChanged.emit(self.index(row, col), self.index(row, col))
        for row in dict.fromkeys(touched):  # the last level gone: its comment goes with it
            sid = self.students[row].id
            if self.comments.get(sid) and not self._has_level(sid):
                before.append((row, len(self.rubric.dimensions), self.comments[sid]))
                done.append((sid, COMMENT, ""))
                self._set_comment(sid, "")
                if self.show_comments:
                    self.dataChanged.emit(self.index(row, self.comment_col), self.index(row, self.comment_col))
        self.last_refused = refused
        if refused:
            self.refused.emit(refused)
        if done:
            self.dataChanged.emit(self.index(self.avg_row, 0), self.index(self.avg_row, self.columnCount() - 1))
            if undoable:
                self.undo_stack.append(before)
            self.cells_set.emit(done)
            if len(done) == 1 and done[0][1] != COMMENT:
                self.cell_set.emit(*done[0])
        return len(done)

    def _set_comment(self, sid: str, text: str) -> None:
        if text:
            self.comments[sid] = text
        else:
            self.comments.pop(sid, None)

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
        # Only the comment column is editable (typing, F2 or a double click opens its editor);
        # the level cells take their letter from keyPressEvent.
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def show_comments(self, on: bool) -> None:
        """The comment column on or off: it takes the room a comment needs, the levels share the rest."""
        model: GridModel = self.model()
        model.set_show_comments(on)
        head = self.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        if on:
            head.setSectionResizeMode(model.comment_col, QHeaderView.ResizeMode.Interactive)
            head.resizeSection(model.comment_col, max(220, self.viewport().width() // 3))

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
        if cur.column() == model.comment_col and cur.row() < model.avg_row:
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                model.set_level(cur.row(), cur.column(), "")
            elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._move(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1, 0)
            else:
                super().keyPressEvent(event)  # a typed character opens the comment's editor
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
                if col == model.comment_col:  # a comment is taken as written
                    changes.append((row, col, cell.strip()))
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
        self.model.refused.connect(self._refused)
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
        self.comments_box = QCheckBox(self.tr("Comment column"))
        self.comments_box.setObjectName("gridComments")
        self.comments_box.setToolTip(self.tr("One comment per student for this round, saved with the evaluation"))
        self.comments_box.setChecked(ui_app.settings().value("grid/comments", False, type=bool))  # off by default
        self.comments_box.toggled.connect(self._comments_toggled)
        self.table.show_comments(self.comments_box.isChecked())
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
        top.addWidget(self.comments_box)
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

    def _comments_toggled(self, on: bool) -> None:
        ui_app.settings().setValue("grid/comments", on)
        cur = self.table.currentIndex()
        self.table.show_comments(on)
        if cur.isValid() and cur.column() < self.model.columnCount():
            self.table.setCurrentIndex(self.model.index(cur.row(), cur.column()))

    def _refused_text(self, names: list) -> str:
        return self.tr("A comment needs a level first: %1").replace(
            "%1", "、".join(names[:3]) + ("…" if len(names) > 3 else ""))

    def _refused(self, names: list) -> None:
        self.info.setText(self._refused_text(names))

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
            comments = views.grid_comments(s, ids, term, self.role, self.evaluator_name(), self._round_date)
        self._round_key = (cid, term)
        self._fill_rounds(rounds)
        self.model.load(students, cells, comments)
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
        fm = self.round_combo.fontMetrics()  # the widest round's text, never clipped ("第 1 轮 · 12月1|")
        widest = max(fm.horizontalAdvance(self.round_combo.itemText(i)) for i in range(self.round_combo.count()))
        self.round_combo.setMinimumWidth(widest + 44)
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
        if self.model.last_refused:
            self.info.setText(self.info.text() + "；" + self._refused_text(self.model.last_refused))

    def _save(self, student_id: str, dimension: str, level: str) -> None:
        self._save_many([(student_id, dimension, level)])

    def _save_many(self, cells: list) -> None:
        from ..services import evaluations
        term, role, name = self.main.term_code, self.role, self.evaluator_name()
        when = self._round_date
        levels = [c for c in cells if c[1] != COMMENT]
        comments = [(sid, text) for sid, key, text in cells if key == COMMENT]

        def work(ctx):
            with ctx.session() as s:  # one transaction: a paste is saved whole or not at all
                evaluations.set_grid_levels(s, levels, term_code=term, evaluator_role=role, evaluator_name=name,
                                            round_date=when)
                evaluations.set_grid_comments(s, comments, term_code=term, evaluator_role=role,
                                              evaluator_name=name, round_date=when)

        self.saved.setText(self.tr("Saving…"))
        self.main.ops.run(self, work, on_success=lambda _r: self.saved.setText(self.tr("All changes saved")),
                          on_error=self._failed)

    def _failed(self, _exc) -> bool:
        self.saved.setText(self.tr("Not saved"))
        self.reload()  # show what the database holds, then let the op runner explain why
        return False
