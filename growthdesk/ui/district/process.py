"""The district window's 综评进度 tab: per school, how many classes are at each step of the
term's process, and below it every class with its step (DESIGN §4a; ``stats.process``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from . import labels

STEP_COLOURS = {"objections": "#F8D7DA", "publicity": "#FFF3CD", "confirming": "#FFF3CD", "locked": "#D4EDDA"}
translate = QCoreApplication.translate


class ProcessPage(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from .window import _table
        self.setObjectName("processPage")
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("processTitle")
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        split = QSplitter(Qt.Orientation.Vertical)
        self.schools = _table()
        self.schools.setObjectName("processSchools")
        self.classes = _table()
        self.classes.setObjectName("processClasses")
        split.addWidget(self.schools)
        split.addWidget(self.classes)
        split.setSizes([220, 380])
        lay.addWidget(split, 1)

    def set_process(self, process: dict | None) -> None:
        from ...stats.process import PROCESS_CLASS_COLUMNS, PROCESS_SCHOOL_COLUMNS, class_rows, school_rows
        from .window import fill_table
        process = process or {"term": "", "schools": []}
        classes = class_rows(process)
        fill_table(self.schools, PROCESS_SCHOOL_COLUMNS, school_rows(process))
        fill_table(self.classes, PROCESS_CLASS_COLUMNS, classes)
        step_col = len(PROCESS_CLASS_COLUMNS) - 1
        for i, row in enumerate(classes):
            colour = STEP_COLOURS.get(row["step"])
            if colour:
                self.classes.item(i, step_col).setBackground(QBrush(QColor(colour)))
        locked = sum(1 for r in classes if r["step"] == "locked")
        term = labels.term_text(process["term"]) if process.get("term") else ""
        self.title.setText(translate("ProcessPage", "{term}: {schools} school(s), {classes} class(es), {locked} archived "
                                     "(signed off by the principal). Only approved records count.")
                           .format(term=term, schools=len(process["schools"]), classes=len(classes), locked=locked))
