"""The district window: schools' sync status, statistics (chart + table, filters), students
followed across schools, and the cultivation list. Thin: every query is a ``growthdesk.stats``
call run through ``ui.ops.OpRunner`` (off the UI thread). English source strings through Qt's
translation; headers and labels the statistics give in Chinese go through ``labels``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ...models.enums import SCHOOL_CATEGORIES, STAGES
from ...stats.cultivation import DEFAULT_RULES, NOTICE, NOTICE_EN
from ...stats.export import write_pdf, write_xlsx
from ...stats.filters import Filters, term_codes
from ...stats.people import person_history, search_persons
from ...stats.schools import BEHIND_DAYS
from ...stats.report import CULTIVATION_COLUMNS, META, SCHOOL_COLUMNS, Column, build_report, cell_text
from ...models import School
from .. import app as ui_app
from ..ops import OpRunner
from . import labels
from .chart import BarChart

# lupdate collects literal translate("Context", "text") calls: English source, Chinese in the .qm.
translate = QCoreApplication.translate

BEHIND_BRUSH = QBrush(QColor("#F8D7DA"))


def fill_table(table: QTableWidget, columns, rows, highlight=None) -> None:
    """Rows of dicts into a read-only table; ``highlight(row)`` true → the row stands out."""
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels([labels.header(c) for c in columns])
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        marked = bool(highlight and highlight(row))
        for j, col in enumerate(columns):
            item = QTableWidgetItem(cell_text(labels.cell_value(row, col.key), col.kind))
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
        captions = (translate("DistrictWindow", "Term"), translate("DistrictWindow", "Stage"),
                    translate("DistrictWindow", "School category"), translate("DistrictWindow", "School"))
        for caption, box in zip(captions, (self.term, self.stage, self.category, self.school)):
            lay.addWidget(QLabel(caption))
            lay.addWidget(box)
        self.refresh_button = QPushButton(translate("DistrictWindow", "Compute"))
        lay.addWidget(self.refresh_button)
        self.summary_button = QPushButton(translate("DistrictWindow", "Update summary"))
        self.summary_button.setToolTip(translate(
            "DistrictWindow", "Run once after importing bundles: evaluation statistics of a large district then "
                              "filter in seconds"))
        lay.addWidget(self.summary_button)
        lay.addStretch(1)
        self.xlsx_button = QPushButton(translate("DistrictWindow", "Export Excel…"))
        self.pdf_button = QPushButton(translate("DistrictWindow", "Export PDF…"))
        lay.addWidget(self.xlsx_button)
        lay.addWidget(self.pdf_button)

    def load(self, terms: list[str], schools: list[tuple[str, str]], default_term: str | None) -> None:
        self.term.clear()
        self.term.addItem(translate("DistrictWindow", "All terms"), None)
        for code in reversed(terms):  # 2025—2026学年第一学期, never the raw code
            self.term.addItem(labels.term_text(code), code)
        if default_term in terms:
            self.term.setCurrentIndex(self.term.findData(default_term))
        for box, vocab, blank in ((self.stage, STAGES, translate("DistrictWindow", "All stages")),
                                  (self.category, SCHOOL_CATEGORIES, translate("DistrictWindow", "All categories"))):
            box.clear()
            box.addItem(blank, None)
            for code, pair in vocab.items():
                box.addItem(labels.vocab_label(pair), code)
        self.school.clear()
        self.school.addItem(translate("DistrictWindow", "All schools"), None)
        for code, name in schools:
            self.school.addItem(f"{name}（{code}）" if labels.chinese() else f"{name} ({code})", code)

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
            item = QListWidgetItem(stat_title(meta))
            item.setToolTip(stat_title(meta))  # long titles are cut at the list's width
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
        self.title.setText(stat_title(meta))
        names = [labels.cell_value(r, meta.label) for r in rows]
        series = [(labels.header(c), [r.get(c.key) for r in rows]) for c in meta.columns if c.key in meta.values]
        self.chart.set_data(names, series, meta.percent)
        fill_table(self.table, meta.columns, rows)


class PeoplePage(QWidget):
    """Search a student by name or 学籍号; one person's history across schools as a timeline."""

    TIMELINE = ("date", "school_name", "kind_zh", "text")

    def __init__(self, window: "DistrictWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.query = QLineEdit()
        self.query.setPlaceholderText(translate("DistrictWindow", "Name or student no., then Enter"))
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(translate("DistrictWindow", "Reason for looking up this student (required; "
                                                 "written to the access log)"))
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
        lay.addWidget(self.reason)
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
            sep = "、" if labels.chinese() else ", "
            item = QListWidgetItem(f"{p['name']}  ·  {sep.join(p['schools'])}")
            item.setData(Qt.ItemDataRole.UserRole, p["person_key"])
            self.results.addItem(item)
        if persons:
            self.results.setCurrentRow(0)

    def open_person(self, item) -> None:
        if item is None:
            return
        key, reason = item.data(Qt.ItemDataRole.UserRole), self.reason.text()
        if len(reason.strip()) < 2:
            self.header.setText(translate("DistrictWindow", "State the reason for looking up this student first "
                                          "(it is written to the access log)."))
            self.reason.setFocus()
            return
        self.window_.runner.run(self, lambda ctx: _in_session(ctx, lambda s, k: person_history(s, k, reason=reason),
                                                               key), on_success=self._show)

    def _show(self, history: dict) -> None:
        self.history = history
        where = " → ".join(translate("DistrictWindow", "{school} {cls} ({stage}, {status})").format(
            school=r["school_name"], cls=r["class"], stage=labels.cell_value(r, "stage_zh"),
            status=labels.cell_value(r, "status_zh")) for r in history["records"])
        self.header.setText(translate("DistrictWindow", "{name}: {where}").format(name=history["name"], where=where))
        cols = (Column("date", translate("DistrictWindow", "Date"), "text"),
                Column("school_name", translate("DistrictWindow", "School"), "text"),
                Column("kind_text", translate("DistrictWindow", "Kind"), "text"),
                Column("text", translate("DistrictWindow", "Content"), "text"))
        kinds = {"enrollment": translate("DistrictWindow", "Enrolled"),
                 "project": translate("DistrictWindow", "Innovation project"),
                 "award": translate("DistrictWindow", "Competition award"),
                 "evaluation": translate("DistrictWindow", "Term evaluation")}
        rows = [dict(e, kind_text=kinds.get(e["kind"], e["kind"])) for e in history["timeline"]]
        fill_table(self.timeline, cols, rows)


class CultivationPage(QWidget):
    """The cultivation list, labelled for cultivation programmes and not admission."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.notice = QLabel(f"※ {NOTICE if labels.chinese() else NOTICE_EN}")
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
        shown = "" if len(students) <= self.MAX_ROWS else translate(
            "DistrictWindow", " The table shows the first {n}; export Excel or PDF for the whole list.").format(
            n=self.MAX_ROWS)
        lines = [translate("DistrictWindow", "Rules (a student meeting any one is listed, with the grounds):"),
                 *(_rule_line(r) for r in cult["rules"]),
                 translate("DistrictWindow", "{n} student(s).").format(n=len(students)) + shown]
        self.rules.setText("\n".join(lines))
        rows = students[:self.MAX_ROWS]
        if not labels.chinese():  # rule names in English; the grounds stay as the statistics word them
            names = {r["label_zh"]: r.get("label_en") or r["label_zh"] for r in cult["rules"]}
            rows = [dict(s, rule_labels=[names.get(x, x) for x in s["rule_labels"]]) for s in rows]
        fill_table(self.table, CULTIVATION_COLUMNS, rows)


def _rule_line(rule: dict) -> str:
    if labels.chinese():
        return f"· {rule['label_zh']}：{rule['description']}"
    return f"· {rule.get('label_en') or rule['label_zh']}"


def stat_title(meta) -> str:
    return meta.title_zh if labels.chinese() else meta.title_en


def _step_text(title_zh: str) -> str:
    """build_report names its steps by their Chinese titles; English mode shows the English one."""
    if labels.chinese():
        return title_zh
    titles = {m.title_zh: m.title_en for m in META.values()}
    titles.update({"学校数据报送情况": "school bundles", "培养名单": "cultivation list"})
    return titles.get(title_zh, title_zh)


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
        title = translate("DistrictWindow", "GrowthDesk district office · {name}")
        self.setWindowTitle(title.format(name=db.settings.get("district_name", "")))
        self.resize(1180, 760)
        self.filter_bar = FilterBar()
        self.summary = QLabel()
        self.tabs = QTabWidget()
        self.school_table = _table()
        self.stats_page, self.people_page, self.cultivation_page = StatsPage(), PeoplePage(self), CultivationPage()
        self.tabs.addTab(self.school_table, translate("DistrictWindow", "School bundles"))
        self.tabs.addTab(self.stats_page, translate("DistrictWindow", "Statistics"))
        self.tabs.addTab(self.people_page, translate("DistrictWindow", "Students across stages"))
        self.tabs.addTab(self.cultivation_page, translate("DistrictWindow", "Cultivation list"))
        from .process import ProcessPage  # 综评进度 per school and class (issue 15)
        self.process_page = ProcessPage()
        self.tabs.addTab(self.process_page, translate("DistrictWindow", "Term archive progress"))
        from .schools import SchoolsPage
        self.schools_page = SchoolsPage(self)
        self.tabs.addTab(self.schools_page, translate("DistrictWindow", "Schools and setup files"))
        from ..programmes import ProgrammesPage  # cultivation programmes (issue 16)
        self.programmes_page = ProgrammesPage(self.runner, self)
        self.tabs.addTab(self.programmes_page, translate("DistrictWindow", "Programmes"))
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
        from ..filemenu import add_database_actions, add_sync_actions, mark_demo
        file_menu = self.menuBar().addMenu(translate("DistrictWindow", "&File"))
        file_menu.addAction(translate("DistrictWindow", "Quit"), self.close)
        if db.settings.get("node_id"):
            add_sync_actions(self, file_menu)
        add_database_actions(self, file_menu)
        mark_demo(self, db)
        from ..sync_import import open_import_dialog  # bundle import dialog (sync, issue 5)
        self.import_action = self.menuBar().addAction(translate("DistrictWindow", "Import bundles…"),
                                                      lambda: open_import_dialog(self))
        self._load_choices()
        self.refresh()
        # The Programmes tab loads when first shown (no extra work when the window opens).
        self._programmes_loaded = False
        self.tabs.currentChanged.connect(self._tab_shown)

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.programmes_page and not self._programmes_loaded:
            self._programmes_loaded = True
            self.programmes_page.reload()

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
        self.summary.setText(translate("DistrictWindow", "Computing…"))

        def work(ctx):
            def step(done, total, text):
                ctx.check()  # Cancel in the progress dialog stops between statistics
                what = translate("DistrictWindow", "Computing: {what}").format(what=_step_text(text)) if text else ""
                ctx.progress(done, total, what)
            return _in_session(ctx, lambda s: build_report(s, f, rules=rules, max_days=days, progress=step))
        self.runner.run(self, work, on_success=self._show_report, title=translate("DistrictWindow", "Computing…"),
                        progress=True)

    def rebuild_summary(self) -> None:
        """Build the summary cells of every evaluated term (a write: once after imports). The
        first build on a large district takes minutes: a progress dialog shows each step, and
        its Cancel stops the build keeping the terms already built (``summary.build``)."""
        from ...stats import summary

        def work(ctx):
            def step(done, total, term):
                text = translate("DistrictWindow", "Summarising: {term}").format(
                    term=labels.term_text(term)) if term else ""
                ctx.progress(done, total, text)
            try:
                return summary.build(ctx.db, user=ctx.user, progress=step, cancel=ctx.cancel), False
            except summary.Interrupted as exc:
                return exc.done, True
        self.runner.run(self, work, on_success=self._summary_built,
                        title=translate("DistrictWindow", "Updating the summary…"), progress=True)

    def _summary_built(self, outcome) -> None:
        terms, interrupted = outcome
        self.refresh()
        if interrupted:
            self.summary_note = translate(
                "DistrictWindow", "Summary update stopped: {n} term(s) done; the others are computed on the fly "
                                  "until the next update").format(n=len(terms))
            self.statusBar().showMessage(self.summary_note, 15_000)

    def _show_report(self, report: dict) -> None:
        self.report = report
        schools = report["schools"]
        behind = [s for s in schools if s["behind"]]
        hint = ""
        if report.get("summary") == "stale":
            hint = translate("DistrictWindow",
                             "  |  The summary is out of date: after importing bundles, press “Update summary”")
        filters = Filters(**report["filters"]).describe(ui_app.lang())
        text = translate("DistrictWindow", "{filters}  |  {schools} school(s), {behind} behind with their bundles "
                                           "(in red)")
        self.summary.setText(text.format(filters=filters, schools=len(schools), behind=len(behind)) + hint)
        fill_table(self.school_table, SCHOOL_COLUMNS, schools, highlight=lambda r: r["behind"])
        self.stats_page.set_statistics(report["statistics"])
        self.cultivation_page.set_list(report["cultivation"])
        self.process_page.set_process(report.get("archive_process"))

    def export_to(self, path: str, kind: str) -> None:
        """Write the current report as xlsx or pdf (off the UI thread)."""
        report = self.report
        writer = write_xlsx if kind == "xlsx" else write_pdf
        self.runner.run(self, lambda ctx: writer(report, path),
                        on_success=lambda p: self.statusBar().showMessage(
                            translate("DistrictWindow", "Exported: {path}").format(path=p), 8000),
                        title=translate("DistrictWindow", "Exporting…"), progress=True)

    def _ask_export(self, kind: str) -> None:
        if self.report is None:
            return
        if kind == "xlsx":
            pattern = translate("DistrictWindow", "Excel workbook (*.xlsx)")
        else:
            pattern = translate("DistrictWindow", "PDF file (*.pdf)")
        default = translate("DistrictWindow", "district-statistics") + f".{kind}"
        path, _ = QFileDialog.getSaveFileName(self, translate("DistrictWindow", "Export statistics"), default, pattern)
        if path:
            self.export_to(path, kind)

