"""The school's 综评 settings (DESIGN §4a), for a school admin: the holidays and make-up working
days that the publicity period counts with, the back-fill threshold (days after the event), the
minimum publicity period in working days, and the teacher designated for each grade to record
and resolve objections (besides each class's adviser). Thin: ``services.archive`` / ``review``
through ops, all saved in one unit of work (a bad date leaves everything as it was)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

KEY = Qt.ItemDataRole.UserRole


def _settings_data(s, school_year: int) -> dict:
    """Everything the dialog shows, in one read."""
    from sqlalchemy import select

    from ..models import SchoolClass, User
    from ..services import archive, review
    from ..services.names import grade_label
    holidays, extra = archive.holiday_lists(s)
    grades = sorted(set(s.scalars(select(SchoolClass.grade).where(SchoolClass.deleted.is_(False),
                                                                  SchoolClass.school_year == school_year))))
    teachers = [(u.login, u.display_name) for u in s.scalars(
        select(User).where(User.role.in_(("teacher", "adviser", "school_admin")), User.active.is_(True))
        .order_by(User.display_name))]
    return {"holidays": holidays, "extra": extra, "backfill": review.backfill_days(s), "min_days": archive.min_days(s),
            "grades": [(g, grade_label(g), archive.objection_teacher(s, school_year, g)) for g in grades],
            "teachers": teachers}


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", "\n").replace(",", "\n").splitlines() if x.strip()]


class ProcessSettingsDialog(QDialog):
    def __init__(self, main, school_year: int) -> None:
        super().__init__(main)
        self.main, self.school_year = main, school_year
        self.setObjectName("processSettings")
        self.setWindowTitle(self.tr("Term archive settings"))
        lay = QVBoxLayout(self)

        days = QGroupBox(self.tr("Records and publicity"))
        form = QFormLayout(days)
        self.backfill = QSpinBox()
        self.backfill.setObjectName("backfillDays")
        self.backfill.setRange(1, 365)
        self.backfill.setSuffix(self.tr(" days"))
        self.min_days = QSpinBox()
        self.min_days.setObjectName("minDays")
        self.min_days.setRange(10, 60)
        self.min_days.setSuffix(self.tr(" working days"))
        for box in (self.backfill, self.min_days):
            box.setMaximumWidth(160)
        form.addRow(self.tr("A record counts as back-filled when entered more than"), self.backfill)
        form.addRow(self.tr("A publicity period lasts at least"), self.min_days)
        lay.addWidget(days)

        hol = QGroupBox(self.tr("Holidays (not counted as working days)"))
        hl = QVBoxLayout(hol)
        hl.addWidget(QLabel(self.tr("One date or range per line, e.g. 2026-10-01..2026-10-07. Weekends never count; "
                                    "a make-up working day (a weekend day with classes) counts.")))
        row = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Holidays")))
        self.holidays = QPlainTextEdit()
        self.holidays.setObjectName("holidays")
        self.holidays.setPlaceholderText("2026-10-01..2026-10-07")
        left.addWidget(self.holidays)
        right.addWidget(QLabel(self.tr("Make-up working days")))
        self.extra = QPlainTextEdit()
        self.extra.setObjectName("extraWorkdays")
        self.extra.setPlaceholderText("2026-10-10")
        right.addWidget(self.extra)
        row.addLayout(left)
        row.addLayout(right)
        hl.addLayout(row)
        lay.addWidget(hol)

        obj = QGroupBox(self.tr("Teacher designated to resolve objections, per grade"))
        ol = QVBoxLayout(obj)
        ol.addWidget(QLabel(self.tr("Besides each class's adviser, this teacher may record and resolve the grade's "
                                    "objections during publicity.")))
        self.grades = QTableWidget(0, 2)
        self.grades.setObjectName("objectionTeachers")
        self.grades.setHorizontalHeaderLabels([self.tr("Grade"), self.tr("Designated teacher")])
        self.grades.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.grades.setColumnWidth(0, 140)
        self.grades.verticalHeader().setVisible(False)
        self.grades.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        ol.addWidget(self.grades)
        lay.addWidget(obj, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_btn = buttons.button(QDialogButtonBox.StandardButton.Save)
        lay.addWidget(buttons)
        self.resize(760, 640)
        self.reload()

    def reload(self) -> None:
        with self.main.db.session(user=self.main.user.login) as s:
            data = _settings_data(s, self.school_year)
        self.backfill.setValue(data["backfill"])
        self.min_days.setValue(data["min_days"])
        self.holidays.setPlainText("\n".join(data["holidays"]))
        self.extra.setPlainText("\n".join(data["extra"]))
        self.grades.setRowCount(len(data["grades"]))
        for i, (grade, text, login) in enumerate(data["grades"]):
            item = QTableWidgetItem(text)
            item.setData(KEY, grade)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.grades.setItem(i, 0, item)
            box = QComboBox()
            box.addItem(self.tr("(only the class advisers)"), "")
            for t_login, name in data["teachers"]:
                box.addItem(f"{name}（{t_login}）", t_login)
            box.setCurrentIndex(max(0, box.findData(login)))
            self.grades.setCellWidget(i, 1, box)

    def designations(self) -> dict[int, str]:
        return {self.grades.item(i, 0).data(KEY): self.grades.cellWidget(i, 1).currentData()
                for i in range(self.grades.rowCount())}

    def save(self) -> None:
        from ..services import archive, review
        backfill, need, year = self.backfill.value(), self.min_days.value(), self.school_year
        holidays, extra = _lines(self.holidays.toPlainText()), _lines(self.extra.toPlainText())
        chosen = self.designations()

        def run(ctx):
            with ctx.session() as s:
                review.set_backfill_days(s, backfill)
                archive.set_min_days(s, need)
                archive.set_holidays(s, holidays, extra_workdays=extra)
                for grade, login in chosen.items():
                    if login != archive.objection_teacher(s, year, grade):
                        archive.designate_objection_teacher(s, year, grade, login)
        self.main.ops.run(self, run, on_success=lambda _r: self.accept(), title=self.tr("Saving…"))


def open_process_settings(main) -> ProcessSettingsDialog:
    from ..services.terms import current_term_code
    from ..models import utcnow
    term = main.term_code or current_term_code(utcnow().date())
    dlg = ProcessSettingsDialog(main, int(term[:4]))
    dlg.open()
    return dlg
