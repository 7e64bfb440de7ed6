"""The home strip above the tabs: the daily jobs one click away (录入获奖, 班级评价, 写评语,
打印档案), what is left for the chosen class this term, and — for a brand-new school — the
first steps (导入学籍名单 → 建教师账户 → 设班主任)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ..services import views


class HomeStrip(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.main = main
        self.setObjectName("homeStrip")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        from . import tools
        from .main_window import _Lazy
        editors = _Lazy("editors")  # imported on first use: its dialogs are not part of the first screen
        self.buttons = {}
        for key, text, slot in (
                ("award", self.tr("Record award"), lambda: editors.new_result(main, main.selected_ids())),
                ("grid", self.tr("Class evaluation"), lambda: self._open_grid()),
                ("comments", self.tr("Write comments"), lambda: main.tabs.setCurrentIndex(2)),
                ("print", self.tr("Print portfolios"), lambda: tools.print_portfolios_dialog(main, True))):
            b = QPushButton(text)
            b.setObjectName(f"home_{key}")
            b.clicked.connect(slot)
            lay.addWidget(b)
            self.buttons[key] = b
        self.todo = QLabel()
        self.todo.setObjectName("homeTodo")
        self.todo.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        lay.addWidget(self.todo, 1)
        self.steps = QWidget()
        steps = QHBoxLayout(self.steps)
        steps.setContentsMargins(0, 0, 0, 0)
        self.step_label = QLabel(self.tr("A new school's first steps:"))
        steps.addWidget(self.step_label)
        self.step_buttons = {}
        for key, text, slot in (("roster", self.tr("1 Import the roster"), lambda: tools.import_roster(main)),
                                ("accounts", self.tr("2 Create teachers' accounts"),
                                 lambda: editors.manage_accounts(main)),
                                ("advisers", self.tr("3 Set class advisers"), lambda: editors.manage_accounts(main))):
            b = QPushButton(text)
            b.setObjectName(f"step_{key}")
            b.clicked.connect(slot)
            steps.addWidget(b)
            self.step_buttons[key] = b
        lay.addWidget(self.steps)

    def _open_grid(self) -> None:
        """The grid tab with the cursor in the first empty cell: the teacher types at once."""
        main = self.main
        main.tabs.setCurrentIndex(1)
        grid = main.grid
        model = grid.model
        for col in range(len(grid.rubric.dimensions)):
            for row in range(model.avg_row):
                if not model.cells.get((model.students[row].id, grid.rubric.dimensions[col].code)):
                    grid.table.setCurrentIndex(model.index(row, col))
                    grid.table.setFocus()
                    return
        grid.table.setFocus()

    def refresh(self) -> None:
        main = self.main
        with main.db.session() as s:
            steps = views.first_steps(s)
            t = views.todo(s, main.class_id, main.term_code) if main.class_id and main.term_code else None
        admin = main.user.role == "school_admin"
        self.steps.setVisible(admin and not steps.done)
        for key, done in (("roster", steps.roster), ("accounts", steps.accounts), ("advisers", steps.advisers)):
            b = self.step_buttons[key]
            b.setEnabled(not done)
            b.setText(b.text().lstrip("✓ ") if not done else "✓ " + b.text().lstrip("✓ "))
        if t is None or not t.students:
            self.todo.setText("")
            return
        parts = [self.tr("%1 without an evaluation this month").replace("%1", str(t.not_evaluated_this_month)),
                 self.tr("%1 comments not written").replace("%1", str(t.comments_missing)),
                 self.tr("%1 award(s) to verify").replace("%1", str(t.awards_to_verify))]
        self.todo.setText(self.tr("Still to do for this class: ") + " · ".join(parts))
