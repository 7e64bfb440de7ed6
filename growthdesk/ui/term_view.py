"""Term evaluation: each student's computed term scores, the adviser's levels and comment.

The levels start from the computed scores (the adviser can change them); the counter says how
many students of the class still have no comment.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QPlainTextEdit, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ..services import views
from ..services.names import mask_student_no
from . import app as ui_app

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class TermEvaluationView(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.main = main
        self.rubric = main.rubric
        self.rows: list[views.TermRow2] = []
        dims = self.rubric.dimensions
        zh = ui_app.lang().startswith("zh")
        heads = [self.tr("Name"), self.tr("Student no.")] + [d.short_zh if zh else d.name_en for d in dims] + [
            self.tr("Overall"), self.tr("Comment")]
        self.table = QTableWidget(0, len(heads))
        self.table.setObjectName("termTable")
        self.table.setHorizontalHeaderLabels(heads)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(lambda r, *_: self._show(r))
        self.counter = QLabel()
        self.counter.setObjectName("missingCounter")
        self.writable = False
        self.note = QLabel()  # why the form is read-only, when it is
        self.note.setObjectName("readOnlyNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background: #fff4ce; border: 1px solid #e0c36c; padding: 4px")
        self.note.hide()
        self._build_editor()
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.counter)
        lay.addWidget(self.note)
        lay.addWidget(split, 1)

    def _build_editor(self) -> None:
        self.editor = QWidget()
        form = QFormLayout(self.editor)
        self.who = QLabel()
        form.addRow(self.who)
        self.level_boxes: dict[str, QComboBox] = {}
        for d in self.rubric.dimensions:
            box = QComboBox()
            box.addItem("—", "")
            for lv in self.rubric.levels:
                box.addItem(f"{lv.code} {lv.label(ui_app.lang())}", lv.code)
            self.level_boxes[d.code] = box
            form.addRow(d.name(ui_app.lang()), box)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("termComment")
        self.comment.setPlaceholderText(self.tr("Class adviser's comment (班主任评语)"))
        form.addRow(self.tr("Comment"), self.comment)
        self.count = QLabel()
        self.count.setObjectName("commentCount")
        self.comment.textChanged.connect(self._count)
        form.addRow("", self.count)
        # The adviser's phrase bank: double-click puts a phrase in, with the pupil's name filled in.
        self.phrases = QListWidget()
        self.phrases.setObjectName("phraseBank")
        self.phrases.setMaximumHeight(110)
        self.phrases.setToolTip(self.tr("Double-click to insert; {name} becomes the student's name"))
        self.phrases.itemDoubleClicked.connect(lambda item: self.insert_phrase(item.text()))
        self.new_phrase = QLineEdit()
        self.new_phrase.setObjectName("newPhrase")
        self.new_phrase.setPlaceholderText(self.tr("New phrase, e.g. {name}学习认真，乐于助人。"))
        add = QPushButton(self.tr("Add"))
        add.clicked.connect(self.add_phrase)
        self.new_phrase.returnPressed.connect(self.add_phrase)
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self.remove_phrase)
        bank = QHBoxLayout()
        bank.addWidget(self.new_phrase, 1)
        bank.addWidget(add)
        bank.addWidget(remove)
        form.addRow(self.tr("Phrases"), self.phrases)
        form.addRow("", bank)
        self._load_phrases()
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.save_btn = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_btn.setObjectName("saveTerm")
        self.next_btn = QPushButton(self.tr("Save and next (Ctrl+Enter)"))
        self.save_btn.clicked.connect(lambda: self.save(advance=False))
        self.next_btn.clicked.connect(lambda: self.save(advance=True))
        row = QHBoxLayout()
        row.addWidget(self.save_btn)
        row.addWidget(self.next_btn)
        form.addRow(row)
        QShortcut(QKeySequence("Ctrl+S"), self.editor, lambda: self.save(advance=False))
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, lambda: self.save(advance=True))

    # ---- phrase bank and count
    DEFAULT_PHRASES = ["{姓名}学习认真，上课专心听讲，作业按时完成。", "{姓名}乐于助人，与同学相处融洽。",
                       "{姓名}积极参加科技创新活动，动手能力强。", "希望{姓名}今后多读书、多思考，不断进步。"]

    def _settings_key(self) -> str:
        return f"term/phrases/{self.main.user.login}"

    def _load_phrases(self) -> None:
        saved = ui_app.settings().value(self._settings_key())
        phrases = saved if isinstance(saved, list) else ([saved] if saved else list(self.DEFAULT_PHRASES))
        self.phrases.clear()
        self.phrases.addItems([p for p in phrases if p])

    def _save_phrases(self) -> None:
        st = ui_app.settings()
        st.setValue(self._settings_key(), [self.phrases.item(i).text() for i in range(self.phrases.count())])
        st.sync()

    def add_phrase(self) -> None:
        text = self.new_phrase.text().strip()
        if text:
            self.phrases.addItem(text)
            self.new_phrase.clear()
            self._save_phrases()

    def remove_phrase(self) -> None:
        row = self.phrases.currentRow()
        if row >= 0:
            self.phrases.takeItem(row)
            self._save_phrases()

    def insert_phrase(self, phrase: str) -> None:
        r = self.table.currentRow()
        if not self.writable or not 0 <= r < len(self.rows):
            return
        name = self.rows[r].name
        self.comment.insertPlainText(phrase.replace("{姓名}", name).replace("{name}", name))
        self.comment.setFocus()

    def _count(self) -> None:
        n = len("".join(self.comment.toPlainText().split()))
        self.count.setText(self.tr("%1 characters").replace("%1", str(n)))

    # ---- data
    def reload(self) -> None:
        cid, term = self.main.class_id, self.main.term_code
        keep = self.current_id()
        if not cid or not term:
            self.rows = []
        else:
            with self.main.db.session() as s:
                self.rows = views.term_table(s, cid, term)
        self._set_access(cid)
        self._fill()
        ids = [r.student_id for r in self.rows]
        self.table.setCurrentCell(ids.index(keep) if keep in ids else (0 if ids else -1), 0)
        self._show(self.table.currentRow())

    def _set_access(self, class_id: str | None) -> None:
        """Only the class adviser (or a school admin) writes; anyone else reads, and is told why."""
        self.writable = bool(class_id) and self.main.may_write_term(class_id)
        with self.main.db.session() as s:
            cls = views.class_row(s, class_id)
        adviser = cls.adviser_name if cls and cls.adviser_name else "—"
        self.note.setText(self.tr("Read only: term evaluations and comments of this class are written by its "
                                  "class adviser (%1) or a school admin.").replace("%1", adviser))
        self.note.setVisible(bool(class_id) and not self.writable)
        for box in self.level_boxes.values():
            box.setEnabled(self.writable)
        self.comment.setReadOnly(not self.writable)
        self.save_btn.setVisible(self.writable)
        self.next_btn.setVisible(self.writable)

    def _fill(self) -> None:
        dims = [d.code for d in self.rubric.dimensions]
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = [row.name, mask_student_no(row.national_student_no)] + [_fmt(row.scores.get(d)) for d in dims] + [
                _fmt(row.overall), "✓" if row.comment.strip() else ""]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(ID_ROLE, row.student_id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        missing = views.missing_comments(self.rows)
        text = self.tr("%n student(s) still without a comment", "", missing)
        self.counter.setText(text if self.rows else self.tr("Pick one class and a term."))

    def current_id(self) -> str | None:
        r = self.table.currentRow()
        return self.rows[r].student_id if 0 <= r < len(self.rows) else None

    def _show(self, r: int) -> None:
        self.error.setText("")
        ok = 0 <= r < len(self.rows)
        self.editor.setEnabled(ok)
        if not ok:
            self.who.setText("")
            self.comment.setPlainText("")
            return
        row = self.rows[r]
        self.who.setText(f"<b>{row.name}</b>  {mask_student_no(row.national_student_no)}")
        for code, box in self.level_boxes.items():
            level = row.levels.get(code) or (
                self.rubric.level_for_score(row.scores[code]).code if code in row.scores else "")
            box.setCurrentIndex(max(0, box.findData(level)))
        self.comment.setPlainText(row.comment)

    def save(self, advance: bool) -> None:
        from ..services import evaluations
        sid, term = self.current_id(), self.main.term_code
        if not sid or not term or not self.writable:  # Ctrl+S on a read-only view does nothing
            return
        levels = {code: box.currentData() for code, box in self.level_boxes.items() if box.currentData()}
        comment = self.comment.toPlainText()
        adviser, me = self.main.user.display_name, self.main.user

        def work(ctx):
            with ctx.session() as s:
                # Checked again where it is written: the adviser may have changed since the view loaded.
                evaluations.require_term_evaluation_writer(s, me, sid)
                evaluations.save_term_evaluation(s, student_id=sid, term_code=term, levels=levels,
                                                 comment=comment, adviser_name=adviser)

        def done(_r) -> None:
            row = self.table.currentRow()
            self.reload()
            if advance and row + 1 < self.table.rowCount():
                self.table.setCurrentCell(row + 1, 0)
                self.comment.setFocus()
            self.main.refresh_student()

        def failed(exc) -> bool:
            from ..errors import GrowthDeskError
            if isinstance(exc, GrowthDeskError):
                self.error.setText(exc.message(ui_app.lang()))  # beside the form; the text stays
                return True
            return False

        self.main.ops.run(self, work, on_success=done, on_error=failed)


def _fmt(v) -> str:
    return "" if v is None else f"{v:.1f}"
