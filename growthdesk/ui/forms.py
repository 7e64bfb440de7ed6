"""A form dialog whose validation errors appear next to the field that caused them.

Fields are kept as typed (dates are plain text, not a date picker that silently corrects), the
service validates in an op, and a ``ValidationError`` with ``field`` set puts its message under
that field and focuses it; the dialog stays open with the user's input intact.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QCalendarWidget, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QToolButton, QVBoxLayout,
                               QWidget)

from ..errors import GrowthDeskError
from . import app as ui_app

ERROR_STYLE = "color: #c00"


class _EnterTicks(QObject):
    """Enter in a member list's find box ticks the match, and is kept from the dialog (whose
    default button would otherwise save the award with only the first member)."""

    def __init__(self, parent, tick) -> None:
        super().__init__(parent)
        self.tick = tick

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.tick()
            return True
        return False


class _SelectOnClick(QObject):
    """A click into a date selects it whole, so what is typed replaces it (no Ctrl+A or
    Backspaces first): one less step in every award and evaluation."""

    def eventFilter(self, obj, event) -> bool:
        if not isinstance(obj, QLineEdit):
            return False
        if event.type() == QEvent.Type.FocusIn:
            obj.setProperty("freshFocus", True)
        elif event.type() == QEvent.Type.MouseButtonRelease and obj.property("freshFocus"):
            obj.setProperty("freshFocus", False)  # the click that brought focus, after it placed the cursor
            if not obj.hasSelectedText():
                obj.selectAll()
        elif event.type() == QEvent.Type.FocusOut:
            obj.setProperty("freshFocus", False)
        return False


class FormDialog(QDialog):
    def __init__(self, main, title: str) -> None:
        super().__init__(main)
        self.main = main
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.dates: dict[str, tuple] = {}
        self.form = QFormLayout()
        self.general_error = QLabel()
        self.general_error.setObjectName("generalError")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.general_error)
        lay.addWidget(self.buttons)
        self.saving = False

    # ---- building
    def add(self, name: str, text: str, widget: QWidget, *aliases: str) -> QWidget:
        """A labelled field with its error line beneath; ``aliases`` are other service field
        names that mean this widget (``student_ids`` for the member list, …)."""
        widget.setObjectName(name)
        err = QLabel()
        err.setObjectName(f"{name}Error")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(1)
        col.addWidget(widget)
        col.addWidget(err)
        self.form.addRow(text, box)
        for key in (name, *aliases):
            self.fields[key] = widget
            self.errors[key] = err
        return widget

    def line(self, name: str, text: str, value: str = "", placeholder: str = "", *aliases: str) -> QLineEdit:
        w = QLineEdit(value)
        w.setPlaceholderText(placeholder)
        return self.add(name, text, w, *aliases)

    def date_line(self, name: str, text: str, value: str = "", placeholder: str = "", *, required: bool = True,
                  future: bool = False) -> QLineEdit:
        """A date typed as teachers write it (2025-11-20, 2025/11/20, 2025年11月20日, 20251120,
        11月20日) with a calendar button beside it; checked with the other fields on save."""
        w = QLineEdit(value)
        w.setPlaceholderText(placeholder or self.tr("e.g. 2025-11-20 or 11月20日"))
        if not hasattr(self, "_select_on_click"):
            self._select_on_click = _SelectOnClick(self)
        w.installEventFilter(self._select_on_click)
        pick = QToolButton()
        pick.setText(self.tr("Calendar"))
        pick.setObjectName(f"{name}Calendar")
        pick.clicked.connect(lambda: self._calendar(w, pick))
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(w, 1)
        row.addWidget(pick)
        self.add(name, text, box)
        box.setObjectName(f"{name}Box")
        w.setObjectName(name)
        self.fields[name] = w  # errors focus the line, not the box
        self.dates[name] = (w, text, required, future)
        return w

    def _calendar(self, line: QLineEdit, anchor: QWidget) -> QCalendarWidget:
        from PySide6.QtCore import QDate
        from ..services.dates import parse_date
        cal = QCalendarWidget(self)
        cal.setWindowFlags(Qt.WindowType.Popup)
        d = parse_date(line.text())
        if d is not None:
            cal.setSelectedDate(QDate(d.year, d.month, d.day))
        cal.clicked.connect(lambda qd: (line.setText(qd.toString("yyyy-MM-dd")), cal.close()))
        cal.move(anchor.mapToGlobal(anchor.rect().bottomLeft()))
        cal.show()
        self.calendar = cal
        return cal

    def field_errors(self) -> list[tuple[str, str]]:
        """(field, message) for every field that is wrong before anything is sent: the dates and
        whatever a dialog adds (``extra_errors``). All are shown at once."""
        from datetime import date

        from ..services.dates import parse_date
        zh = ui_app.lang().startswith("zh")
        out = []
        for name, (w, label, required, future) in self.dates.items():
            text = w.text().strip()
            if not text:
                if required:
                    out.append((name, f"请填写{label}" if zh else f"{label} is required"))
                continue
            d = parse_date(text)
            if d is None:
                out.append((name, f"{label}不是有效日期：{text}（可写 2025-11-20、2025/11/20、2025年11月20日 或 11月20日）"
                            if zh else f"{label} is not a date: {text} (e.g. 2025-11-20 or 20251120)"))
            elif not future and d > date.today():
                out.append((name, f"{label}不能晚于今天" if zh else f"{label} cannot be in the future"))
        return out + self.extra_errors()

    def extra_errors(self) -> list[tuple[str, str]]:
        return []

    def combo(self, name: str, text: str, items: list[tuple[str, str]], current: str | None = None,
              *aliases: str) -> QComboBox:
        w = QComboBox()
        for code, lbl in items:
            w.addItem(lbl, code)
        if current is not None:
            w.setCurrentIndex(max(0, w.findData(current)))
        return self.add(name, text, w, *aliases)

    def text(self, name: str, text: str, value: str = "") -> QPlainTextEdit:
        w = QPlainTextEdit(value)
        w.setMaximumHeight(90)
        return self.add(name, text, w)

    def student_checklist(self, name: str, text: str, rows, checked: set[str], *aliases: str) -> QListWidget:
        """Students of the class with check boxes: a team is entered once, for all its members."""
        w = QListWidget()
        w.setMinimumHeight(160)
        rows = sorted(rows, key=lambda r: r.id not in checked)  # the ticked ones first
        for r in rows:
            from ..services.names import mask_student_no
            item = QListWidgetItem(f"{r.name}  {mask_student_no(r.national_student_no)}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if r.id in checked else Qt.CheckState.Unchecked)
            w.addItem(item)
        search = QLineEdit()
        search.setObjectName(f"{name}Filter")
        search.setPlaceholderText(self.tr("Find: name, pinyin initials or student no."))
        search.textChanged.connect(lambda text: self._filter_list(w, rows, text))
        search.installEventFilter(_EnterTicks(self, lambda: self._tick_match(w, search)))
        self.form.addRow("", search)
        return self.add(name, text, w, *aliases)

    @staticmethod
    def _filter_list(w: QListWidget, rows, text: str) -> None:
        """Show the students that match, and always the ticked ones: the team stays in sight."""
        needle = text.strip().lower()
        for i, r in enumerate(rows):
            item = w.item(i)
            item.setHidden(bool(needle) and not r.matches(needle) and item.checkState() != Qt.CheckState.Checked)

    @staticmethod
    def _tick_match(w: QListWidget, search: QLineEdit) -> None:
        """Enter in the find box ticks the first student shown (zs ⏎ ticks 张三) and selects
        the text, so the next member's initials replace it: a team of 3 without the mouse."""
        if not search.text().strip():
            return
        for i in range(w.count()):  # the first match not yet ticked (ticked ones stay shown)
            item = w.item(i)
            if not item.isHidden() and item.checkState() != Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Checked)
                w.scrollToItem(item)
                break
        search.selectAll()

    @staticmethod
    def checked_ids(w: QListWidget) -> list[str]:
        return [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked]

    # ---- errors
    def clear_errors(self) -> None:
        for err in self.errors.values():
            err.hide()
            err.setText("")
        self.general_error.setText("")

    def show_error(self, exc: BaseException) -> bool:
        """Point at the field when the service named one; returns False for non-user errors."""
        if not isinstance(exc, GrowthDeskError):
            return False
        msg = exc.message(ui_app.lang())
        key = exc.field or ""
        label = self.errors.get(key) or self.errors.get(key.split(".")[0])
        if label is not None:
            label.setText(msg)
            label.show()
            self.fields.get(key, self.fields.get(key.split(".")[0])).setFocus()
        else:
            self.general_error.setText(msg)
        return True

    # ---- saving
    def work(self) -> Callable:
        """The core call to run, built from the current field values (subclasses)."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        wrong = self.field_errors()
        if wrong:  # every field's error at once, not one per save
            for key, msg in wrong:
                label = self.errors.get(key)
                if label is None:
                    self.general_error.setText(msg)
                    continue
                label.setText(msg)
                label.show()
            self.fields.get(wrong[0][0], self).setFocus()
            return
        try:
            work = self.work()
        except GrowthDeskError as exc:  # a field the dialog itself could not read
            self.show_error(exc)
            return
        self.saving = True
        self.buttons.setEnabled(False)

        def done(result) -> None:
            self._finish()
            self.saved(result)
            self.accept()
            bar = getattr(self.main, "statusBar", None)
            if callable(bar):  # a short word that it worked
                bar().showMessage(self.tr("Saved"), 3000)

        def failed(exc) -> bool:
            self._finish()
            return self.show_error(exc)

        self.main.ops.run(self, work, on_success=done, on_error=failed)

    def _finish(self) -> None:
        self.saving = False
        self.buttons.setEnabled(True)

    def saved(self, _result) -> None:
        self.main.refresh_student()
