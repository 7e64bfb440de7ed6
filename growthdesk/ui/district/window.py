"""The district window: schools' sync status, statistics (chart + table, filters), students
followed across schools, and the cultivation list. Thin: every query is a ``growthdesk.stats``
call run through ``ui.ops.OpRunner`` (off the UI thread, errors shown in Chinese)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ...models.enums import SCHOOL_CATEGORIES, STAGES
from ...stats.cultivation import DEFAULT_RULES, NOTICE
from ...stats.export import write_pdf, write_xlsx
from ...stats.filters import Filters, term_codes
from ...stats.people import person_history, search_persons
from ...stats.schools import BEHIND_DAYS
from ...stats.report import CULTIVATION_COLUMNS, META, SCHOOL_COLUMNS, build_report, cell_text
from ...models import School
from ..ops import OpRunner
from .chart import BarChart

BEHIND_BRUSH = QBrush(QColor("#F8D7DA"))


def fill_table(table: QTableWidget, columns, rows, highlight=None) -> None:
    """Rows of dicts into a read-only table; ``highlight(row)`` true → the row stands out."""
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels([c.zh for c in columns])
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        marked = bool(highlight and highlight(row))
        for j, col in enumerate(columns):
            item = QTableWidgetItem(cell_text(row.get(col.key), col.kind))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if col.kind in ("int", "float", "share"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if marked:
                item.setBackground(BEHIND_BRUSH)
            table.setItem(i, j, item)
    table.resizeColumnsToContents()


def _table() -> QTableWidget:
    t = QTableWidget()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class FilterBar(QWidget):
    """Term, stage, school category and school; ``filters()`` gives the chosen Filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.term, self.stage, self.category, self.school = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        for caption, box in (("学期", self.term), ("学段", self.stage), ("学校类别", self.category), ("学校", self.school)):
            lay.addWidget(QLabel(caption))
            lay.addWidget(box)
        self.refresh_button = QPushButton("统计")
        lay.addWidget(self.refresh_button)
        self.summary_button = QPushButton("更新统计汇总")
        self.summary_button.setToolTip("导入数据包后运行一次：大型区域的评价统计随后可秒级筛选")
        lay.addWidget(self.summary_button)
        lay.addStretch(1)
        self.xlsx_button, self.pdf_button = QPushButton("导出 Excel…"), QPushButton("导出 PDF…")
        lay.addWidget(self.xlsx_button)
        lay.addWidget(self.pdf_button)

    def load(self, terms: list[str], schools: list[tuple[str, str]], default_term: str | None) -> None:
        self.term.clear()
        self.term.addItem("全部学期", None)
        for code in reversed(terms):
            self.term.addItem(code, code)
        if default_term in terms:
            self.term.setCurrentIndex(self.term.findData(default_term))
        for box, vocab, blank in ((self.stage, STAGES, "全部学段"), (self.category, SCHOOL_CATEGORIES, "全部类别")):
            box.clear()
            box.addItem(blank, None)
            for code, (zh, _) in vocab.items():
                box.addItem(zh, code)
        self.school.clear()
        self.school.addItem("全部学校", None)
        for code, name in schools:
            self.school.addItem(f"{name}（{code}）", code)

    def filters(self) -> Filters:
        return Filters(term=self.term.currentData(), stage=self.stage.currentData(),
                       category=self.category.currentData(), school=self.school.currentData())


class StatsPage(QWidget):
    """List of statistics on the left; the chosen one as a bar chart above its table."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.statistics: dict = {}
        self.list = QListWidget()
        for key, meta in META.items():
            item = QListWidgetItem(meta.title_zh)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
        self.list.setMaximumWidth(260)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold")
        self.chart, self.table = BarChart(), _table()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart)
        right.addWidget(self.table)
        box = QVBoxLayout()
        box.addWidget(self.title)
        box.addWidget(right, 1)
        lay = QHBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(box, 1)
        self.list.currentRowChanged.connect(lambda _row: self.show_current())

    def set_statistics(self, statistics: dict) -> None:
        self.statistics = statistics
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.show_current()

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def show_current(self) -> None:
        key = self.current_key()
        if key is None or key not in self.statistics:
            return
        meta, rows = META[key], self.statistics[key]
        self.title.setText(meta.title_zh)
        labels = [r.get(meta.label) for r in rows]
        series = [(c.zh, [r.get(c.key) for r in rows]) for c in meta.columns if c.key in meta.values]
        self.chart.set_data(labels, series, meta.percent)
        fill_table(self.table, meta.columns, rows)


class PeoplePage(QWidget):
    """Search a student by name or 学籍号; one person's history across schools as a timeline."""

    TIMELINE = ("date", "school_name", "kind_zh", "text")
    KINDS = {"enrollment": "在读", "project": "科创项目", "award": "竞赛获奖", "evaluation": "学期评价"}

    def __init__(self, window: "DistrictWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.query = QLineEdit()
        self.query.setPlaceholderText("输入姓名或学籍号，回车查找")
        self.results = QListWidget()
        self.results.setMaximumWidth(300)
        self.header = QLabel()
        self.timeline = _table()
        right = QVBoxLayout()
        right.addWidget(self.header)
        right.addWidget(self.timeline, 1)
        body = QHBoxLayout()
        body.addWidget(self.results)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.query)
        lay.addLayout(body, 1)
        self.history: dict | None = None
        self.query.returnPressed.connect(self.search)
        self.results.currentItemChanged.connect(lambda item, _old: self.open_person(item))

    def search(self) -> None:
        text = self.query.text()
        self.window_.runner.run(self, lambda ctx: _in_session(ctx, search_persons, text), on_success=self._found)

    def _found(self, persons: list[dict]) -> None:
        self.results.clear()
        for p in persons:
            item = QListWidgetItem(f"{p['name']}  ·  {'、'.join(p['schools'])}")
            item.setData(Qt.ItemDataRole.UserRole, p["person_key"])
            self.results.addItem(item)
        if persons:
            self.results.setCurrentRow(0)

    def open_person(self, item) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        self.window_.runner.run(self, lambda ctx: _in_session(ctx, person_history, key), on_success=self._show)

    def _show(self, history: dict) -> None:
        self.history = history
        where = " → ".join(f"{r['school_name']} {r['class']}（{r['stage_zh']}，{r['status_zh']}）" for r in history["records"])
        self.header.setText(f"{history['name']}：{where}")
        from ...stats.report import Column
        cols = (Column("date", "日期", "text"), Column("school_name", "学校", "text"), Column("kind_zh", "类别", "text"),
                Column("text", "内容", "text"))
        rows = [dict(e, kind_zh=self.KINDS.get(e["kind"], e["kind"])) for e in history["timeline"]]
        fill_table(self.timeline, cols, rows)


class CultivationPage(QWidget):
    """The cultivation list, labelled for cultivation programmes and not admission."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.notice = QLabel(f"※ {NOTICE}")
        self.notice.setStyleSheet("color: #B8463F; font-size: 13pt; font-weight: bold")
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.table = _table()
        lay = QVBoxLayout(self)
        lay.addWidget(self.notice)
        lay.addWidget(self.rules)
        lay.addWidget(self.table, 1)

    MAX_ROWS = 3000  # a table widget of tens of thousands of rows is slow; the export has them all

    def set_list(self, cult: dict) -> None:
        students = cult["students"]
        shown = "" if len(students) <= self.MAX_ROWS else f"表中显示前 {self.MAX_ROWS} 人，完整名单请导出 Excel 或 PDF。"
        self.rules.setText("入选规则（满足任一条即列入，并注明依据）：\n" + "\n".join(
            f"· {r['label_zh']}：{r['description']}" for r in cult["rules"]) + f"\n共 {len(students)} 人。{shown}")
        fill_table(self.table, CULTIVATION_COLUMNS, students[:self.MAX_ROWS])


def _in_session(ctx, func, *args):
    with ctx.session() as s:
        return func(s, *args)


class DistrictWindow(QMainWindow):
    def __init__(self, db, user: str = "", parent=None, *, behind_days: int = BEHIND_DAYS) -> None:
        super().__init__(parent)
        self.db = db
        self.behind_days = behind_days
        self.runner = OpRunner(db, user, self)
        self.report: dict | None = None
        self.rules = DEFAULT_RULES
        self.setWindowTitle(f"GrowthDesk 区教育局 · {db.settings.get('district_name', '')}")
        self.resize(1180, 760)
        self.filter_bar = FilterBar()
        self.summary = QLabel()
        self.tabs = QTabWidget()
        self.school_table = _table()
        self.stats_page, self.people_page, self.cultivation_page = StatsPage(), PeoplePage(self), CultivationPage()
        self.tabs.addTab(self.school_table, "学校数据报送")
        self.tabs.addTab(self.stats_page, "统计分析")
        self.tabs.addTab(self.people_page, "学生跨学段跟踪")
        self.tabs.addTab(self.cultivation_page, "培养名单")
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.addWidget(self.filter_bar)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.filter_bar.refresh_button.clicked.connect(self.refresh)
        self.filter_bar.summary_button.clicked.connect(self.rebuild_summary)
        self.filter_bar.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.filter_bar.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        from ..sync_import import open_import_dialog  # bundle import dialog (sync, issue 5)
        self.import_action = self.menuBar().addAction("导入数据包…", lambda: open_import_dialog(self))
        self._load_choices()
        self.refresh()

    def _load_choices(self) -> None:
        from ...stats.queries import latest_evaluated_term

        def load(ctx):
            with ctx.session() as s:
                schools = [(c, n) for c, n in s.execute(School.__table__.select().with_only_columns(
                    School.code, School.name).order_by(School.code))]
                return term_codes(s), schools, latest_evaluated_term(s)
        terms, schools, latest = self.runner.call(load)
        self.filter_bar.load(terms, schools, latest)

    def refresh(self) -> None:
        f, rules, days = self.filter_bar.filters(), self.rules, self.behind_days
        self.summary.setText("正在统计…")

        def work(ctx):
            def step(done, total, text):
                ctx.check()  # Cancel in the progress dialog stops between statistics
                ctx.progress(done, total, f"正在统计：{text}" if text else "")
            return _in_session(ctx, lambda s: build_report(s, f, rules=rules, max_days=days, progress=step))
        self.runner.run(self, work, on_success=self._show_report, title="正在统计…", progress=True)

    def rebuild_summary(self) -> None:
        """Build the summary cells of every evaluated term (a write: once after imports)."""
        from ...stats import summary

        def work(ctx):
            def step(done, total, term):
                ctx.check()
                ctx.progress(done, total, f"正在汇总：{term}")
            with ctx.session() as s:
                return summary.refresh(s, progress=step)
        self.runner.run(self, work, on_success=lambda terms: self.refresh(), title="正在更新统计汇总…", progress=True)

    def _show_report(self, report: dict) -> None:
        self.report = report
        schools = report["schools"]
        behind = [s for s in schools if s["behind"]]
        hint = "　|　统计汇总已过期：导入数据包后请点“更新统计汇总”" if report.get("summary") == "stale" else ""
        self.summary.setText(f"{report['filters_text']}　|　学校 {len(schools)} 所，"
                             f"数据报送落后 {len(behind)} 所（红色标出）{hint}")
        fill_table(self.school_table, SCHOOL_COLUMNS, schools, highlight=lambda r: r["behind"])
        self.stats_page.set_statistics(report["statistics"])
        self.cultivation_page.set_list(report["cultivation"])

    def export_to(self, path: str, kind: str) -> None:
        """Write the current report as xlsx or pdf (off the UI thread)."""
        report = self.report
        writer = write_xlsx if kind == "xlsx" else write_pdf
        self.runner.run(self, lambda ctx: writer(report, path),
                        on_success=lambda p: self.statusBar().showMessage(f"已导出：{p}", 8000),
                        title="正在导出…", progress=True)

    def _ask_export(self, kind: str) -> None:
        if self.report is None:
            return
        pattern = "Excel 工作簿 (*.xlsx)" if kind == "xlsx" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, "导出统计", f"区域统计.{kind}", pattern)
        if path:
            self.export_to(path, kind)

