"""The main window: term and class pickers, the student list, the student page, the class
evaluation grid and the term evaluation view. Reads come from ``services.views`` on the UI
thread (they take milliseconds); every change runs as an op (``ui.ops``)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHeaderView, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QSizePolicy, QSplitter, QTableView, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from .. import __version__
from ..models.enums import ROLES, label
from ..services import views
from . import app as ui_app
from .ops import OpRunner
from .student_list import ID_ROLE, StudentListModel
from .student_page import StudentPageWidget

ALL_CLASSES = "__all__"


class MainWindow(QMainWindow):
    def __init__(self, db, user, runner: OpRunner | None = None) -> None:
        super().__init__()
        self.db = db
        self.user = user
        self.ops = runner or OpRunner(db, user.login, self)
        self.rubric = self._read(views.rubric)
        self.term_code: str | None = None
        self.class_id: str | None = None
        self.student_id: str | None = None
        self._last_class: str | None = None  # the class last picked: a term without it keeps it in mind
        self._last_student: str | None = None
        self._page_loads = 0  # student pages shown: a term change that already showed one skips another
        title = self.tr("GrowthDesk — Student growth portfolios")
        self.setWindowTitle(f"{title} {__version__}")  # the version, so support can ask which one
        self._build_central()
        self._build_toolbar()
        self._build_actions()
        self._build_status()
        from .filemenu import mark_demo
        mark_demo(self, db)
        self._restore_layout()
        self.load_terms()
        from .autosync import install as install_autosync
        self.autosync = install_autosync(self)  # a node: a round now (login), every few minutes, at quit

    # ------------------------------------------------------------ reading
    def _read(self, func, *args, **kwargs):
        with self.db.session(user=self.user.login) as s:
            return func(s, *args, **kwargs)

    # ------------------------------------------------------------ building
    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Pickers"))
        bar.setObjectName("pickers")
        bar.setMovable(False)
        self.term_combo = QComboBox()
        self.term_combo.setObjectName("termCombo")
        self.term_combo.setMinimumContentsLength(16)
        self.term_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # 2025—2026学年第二学期 whole
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("classCombo")
        self.class_combo.setMinimumContentsLength(10)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials or student no. (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)  # the term combo shows 2025—2026学年第一学期 whole
        bar.addWidget(QLabel(self.tr("Term") + " "))
        bar.addWidget(self.term_combo)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("Class") + " "))
        bar.addWidget(self.class_combo)
        bar.addSeparator()
        bar.addWidget(self.search)
        self.addToolBar(bar)
        self.term_combo.currentIndexChanged.connect(self._term_changed)
        self.class_combo.currentIndexChanged.connect(self._class_changed)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._select_first)

    def _build_central(self) -> None:
        self.model = StudentListModel(self)
        self.table = QTableView()
        self.table.setObjectName("studentTable")
        self.table.setModel(self.model)  # it sorts and filters itself (see student_list)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the loaded order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Fixed row heights: after a filter the view need not measure thousands of rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((84, 44, 40, 84, 72)):  # fixed widths: measuring 5,000 rows costs
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.page = StudentPageWidget()
        self.splitter = QSplitter()
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.page)
        self.splitter.setStretchFactor(1, 2)
        self.count_label = QLabel()
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        self.term_note = QLabel()
        self.term_note.setObjectName("termNote")
        self.term_note.setWordWrap(True)
        self.term_note.setStyleSheet("background: #fff4ce; border: 1px solid #e0c36c; padding: 4px")
        self.term_note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # one line, not half the page
        self.term_note.hide()
        lay.addWidget(self.term_note)
        lay.addWidget(self.splitter)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(left, self.tr("Students"))
        from .eval_grid import EvalGridView
        from .term_view import TermEvaluationView
        self.grid = EvalGridView(self)
        self.term_view = TermEvaluationView(self)
        self.tabs.addTab(self.grid, self.tr("Class evaluation grid"))
        self.tabs.addTab(self.term_view, self.tr("Term evaluation"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        from .home import HomeStrip
        self.home = HomeStrip(self)  # the daily jobs and what is left, above the tabs
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.home)
        col.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._connect_page()

    def _connect_page(self) -> None:
        editors = _Lazy("editors")  # its dialogs are imported when first opened
        p = self.page
        p.edit_profile.connect(lambda: editors.edit_student(self, self.student_id))
        p.add_project.connect(lambda: editors.new_project(self, self.student_id))
        p.add_result.connect(lambda: editors.new_result(self, [self.student_id] if self.student_id else []))
        p.add_evaluation.connect(lambda: editors.new_evaluation(self, self.student_id))
        p.edit_term_evaluation.connect(lambda: editors.edit_term_evaluation(self, self.student_id))
        p.add_evidence.connect(self.attach_files_dialog)
        p.add_link.connect(lambda: editors.add_link(self, self.student_id))
        p.files_dropped.connect(self.attach_files)
        p.open_evidence.connect(self.open_evidence)
        p.add_project_log.connect(lambda pid: editors.add_project_log(self, pid))
        p.edit_project.connect(lambda pid: editors.edit_project(self, pid))
        p.edit_result.connect(lambda rid: editors.edit_result(self, rid))
        p.edit_evaluation.connect(lambda eid: editors.edit_evaluation(self, eid))
        p.add_project_outcome.connect(lambda pid: editors.add_project_outcome(self, pid))
        p.delete_record.connect(lambda kind, rid: editors.delete_record(self, kind, rid, self.student_id))

    def _action(self, menu, text: str, slot, shortcut=None, name: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        if name:
            act.setObjectName(name)
        menu.addAction(act)
        return act

    def _build_actions(self) -> None:
        editors = _Lazy("editors")  # its dialogs are imported when first opened
        mb = self.menuBar()
        f = mb.addMenu(self.tr("&File"))
        self._action(f, self.tr("Lock"), self.lock, "Ctrl+L", "actLock")
        self._action(f, self.tr("Idle lock…"), self.set_idle_minutes, None, "actIdle")
        f.addSeparator()
        self._action(f, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit, "actQuit")
        from .filemenu import add_database_actions, add_sync_actions
        if self.db.settings.get("node_id"):
            add_sync_actions(self, f)
        add_database_actions(self, f)
        r = mb.addMenu(self.tr("&Records"))
        self._action(r, self.tr("New student…"), lambda: editors.new_student(self), "Ctrl+N", "actNewStudent")
        self._action(r, self.tr("Record award…"), lambda: editors.new_result(self, self.selected_ids()),
                     "Ctrl+Shift+A", "actAward")
        self._action(r, self.tr("New innovation project…"), lambda: editors.new_project(self, self.student_id),
                     "Ctrl+Shift+N", "actProject")
        self._action(r, self.tr("New process evaluation…"), lambda: editors.new_evaluation(self, self.student_id),
                     "Ctrl+E", "actEval")
        self.act_term = self._action(r, self.tr("Write term evaluation…"),
                                     lambda: editors.edit_term_evaluation(self, self.student_id), "Ctrl+T", "actTerm")
        self._action(r, self.tr("Attach evidence…"), self.attach_files_dialog, "Ctrl+Shift+E", "actEvidence")
        r.addSeparator()
        self._action(r, self.tr("Review queue…"), self.open_review_queue, "Ctrl+Shift+R", "actReview")
        self._action(r, self.tr("Term archive: selection, publicity, sign-off…"), self.open_archive, None,
                     "actArchive")
        self._action(r, self.tr("Student accounts and password slips…"), self.student_slips, None, "actSlips")
        if self.user.role == "school_admin":
            self._action(r, self.tr("Term archive settings (holidays, publicity days, objections)…"),
                         self.open_process_settings, None, "actProcessSettings")
        v = mb.addMenu(self.tr("&View"))
        self._action(v, self.tr("Find student"), self._focus_search, QKeySequence.StandardKey.Find, "actFind")
        self._action(v, self.tr("Students"), lambda: self.tabs.setCurrentIndex(0), "Ctrl+1", "actTabStudents")
        self._action(v, self.tr("Class evaluation grid"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2", "actTabGrid")
        self._action(v, self.tr("Term evaluation"), lambda: self.tabs.setCurrentIndex(2), "Ctrl+3", "actTabTerm")
        self._action(v, self.tr("Refresh"), self.refresh, QKeySequence.StandardKey.Refresh, "actRefresh")
        from . import tools
        t = mb.addMenu(self.tr("&Tools"))
        self._action(t, self.tr("Print class portfolios…"), lambda: tools.print_portfolios_dialog(self, True),
                     QKeySequence.StandardKey.Print, "actPrintClass")
        self._action(t, self.tr("Print this student's portfolio…"), lambda: tools.print_portfolios_dialog(self, False),
                     "Ctrl+Shift+P", "actPrintStudent")
        t.addSeparator()
        self._action(t, self.tr("Award entry sheet for this class…"), lambda: tools.save_sheet(self, "awards"),
                     None, "actAwardSheet")
        self._action(t, self.tr("Evaluation entry sheet for this class…"),
                     lambda: tools.save_sheet(self, "evaluations"), None, "actEvalSheet")
        self._action(t, self.tr("Import filled entry sheet…"), lambda: tools.import_entries(self), None,
                     "actEntries")
        self._action(t, self.tr("Class term summary (Excel)…"), lambda: tools.save_sheet(self, "summary"), None,
                     "actSummary")
        t.addSeparator()
        self._action(t, self.tr("Cultivation programmes…"), self.open_programmes, None, "actProgrammes")
        if self.user.role == "school_admin":
            t.addSeparator()
            self._action(t, self.tr("Import roster…"), lambda: tools.import_roster(self), None, "actRoster")
            self._action(t, self.tr("Sync bundle and receipt…"), lambda: tools.sync_bundle(self), None, "actBundle")
            a = mb.addMenu(self.tr("&Admin"))
            self._action(a, self.tr("Accounts…"), lambda: editors.manage_accounts(self), None, "actAccounts")
            self._action(a, self.tr("Competition list…"), lambda: editors.manage_competitions(self), None,
                         "actCompetitions")
            # The dialogs' modules are imported when first used: the setup and sync code behind
            # them is a third of a second the first screen does not need.
            if self.db.settings.get("node_role") != "workstation":  # accounts are the hub's: they travel down only
                self._action(a, self.tr("Import teachers' accounts…"), lambda: _ui("accounts_import").open_dialog(self),
                             None, "actAccountImport")
            if self.db.settings.get("node_role") == "hub":  # (setup.add_workstation: imported at the click)
                self._action(a, self.tr("Add workstation…"), lambda: _ui("workstation").add_dialog(self), None,
                             "actAddWorkstation")
            self._action(a, self.tr("Access log…"), lambda: _ui("privacy").show_access_log(self), None,
                         "actAccessLog")
            self._action(a, self.tr("Guardian's request for this student…"),
                         lambda: _ui("privacy").show_guardian_request(self), None, "actGuardian")
            self._action(a, self.tr("Records past the retention period…"), lambda: _ui("privacy").show_retention(self),
                         None, "actRetention")
            if getattr(self.db, "key", None) is not None:
                self._action(a, self.tr("Show the recovery key…"), lambda: _ui("privacy").show_recovery_key(self),
                             None, "actRecoveryKey")
        h = mb.addMenu(self.tr("&Help"))
        self._action(h, self.tr("Keyboard shortcuts"), self.show_shortcuts, QKeySequence.StandardKey.HelpContents,
                     "actShortcuts")
        self._action(h, self.tr("About GrowthDesk"), self.about, None, "actAbout")
        self._action(h, self.tr("Data inventory…"), lambda: _ui("privacy").show_data_inventory(self), None,
                     "actDataInventory")

    def _build_status(self) -> None:
        role = label(ROLES, self.user.role, ui_app.lang())
        school = self.db.settings.get("school_name", "")
        self.statusBar().addWidget(QLabel(f"{self.user.display_name}（{role}）" if ui_app.lang().startswith("zh")
                                          else f"{self.user.display_name} ({role})"))
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(QLabel(school))

    # ------------------------------------------------------------ layout memory
    def _restore_layout(self) -> None:
        st = ui_app.settings()
        geo = st.value("main/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1200, 760)
        state = st.value("main/state")
        if state is not None:
            self.restoreState(state)
        split = st.value("main/splitter")
        if split is not None:
            self.splitter.restoreState(split)
        else:
            self.splitter.setSizes([420, 780])

    def save_layout(self) -> None:
        st = ui_app.settings()
        st.setValue("main/geometry", self.saveGeometry())
        st.setValue("main/state", self.saveState())
        st.setValue("main/splitter", self.splitter.saveState())
        if self.class_id:
            st.setValue(f"main/class/{self.user.login}", self.class_id)
        st.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        if getattr(self, "autosync", None) is not None:
            self.autosync.at_quit()  # send what is left, waiting a bounded time
        self.ops.wait(10_000)  # let a save in flight land before the database closes
        super().closeEvent(event)

    # ------------------------------------------------------------ pickers
    def load_terms(self) -> None:
        rows = self._read(views.terms)
        cur = views.current_term(rows)
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        for t in rows:
            self.term_combo.addItem(views.term_label(t.code, ui_app.lang()), t.code)
        if cur is not None:
            self.term_combo.setCurrentIndex(self.term_combo.findData(cur.code))
        self.term_combo.blockSignals(False)
        self._term_changed()

    def _term_changed(self, *_args) -> None:
        code = self.term_combo.currentData()
        self.term_code = code
        year = int(code[:4]) if code else None
        shown = self._page_loads
        self.load_classes(year)  # picks a class and shows its first student (for this term) and home
        if self._page_loads == shown:
            self.refresh_student()  # same student, other term: its evaluations and radar change

    def load_classes(self, school_year: int | None) -> None:
        # Only that school year's classes: a past term is that term's classes with the students
        # enrolled then; a term with no classes says so (no fall-back to this year's classes).
        rows = self._read(views.visible_classes, self.user, school_year)
        keep = self.class_id or self._last_class or ui_app.settings().value(f"main/class/{self.user.login}")
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        if self.user.role in ("school_admin", "district_staff"):
            self.class_combo.addItem(self.tr("Whole school"), ALL_CLASSES)
        for c in rows:
            self.class_combo.addItem(c.label(ui_app.lang()), c.id)
        idx = self.class_combo.findData(keep) if keep else -1
        first_class = 1 if self.class_combo.itemData(0) == ALL_CLASSES and self.class_combo.count() > 1 else 0
        self.class_combo.setCurrentIndex(idx if idx >= 0 else first_class)
        self.class_combo.blockSignals(False)
        self._class_changed()

    def _class_changed(self, *_args) -> None:
        data = self.class_combo.currentData()
        self.class_id = data if data and data != ALL_CLASSES else None
        if self.class_id:
            self._last_class = self.class_id
        self.load_students()
        self._refresh_tab()
        if hasattr(self, "home"):
            self.home.refresh()

    def select_class(self, class_id: str) -> None:
        idx = self.class_combo.findData(class_id)
        if idx >= 0:
            self.class_combo.setCurrentIndex(idx)

    def select_term(self, term_code: str) -> None:
        idx = self.term_combo.findData(term_code)
        if idx >= 0:
            self.term_combo.setCurrentIndex(idx)

    # ------------------------------------------------------------ students
    def class_ids(self) -> list[str] | None:
        """The classes the list shows: one, or every visible one for 'whole school'."""
        if self.class_id:
            return [self.class_id]
        return [self.class_combo.itemData(i) for i in range(self.class_combo.count())
                if self.class_combo.itemData(i) != ALL_CLASSES]

    def load_students(self) -> None:
        ids = self.class_ids()
        rows = self._read(views.student_rows, ids, ui_app.lang(), term_code=self.term_code) if ids else []
        self.model.set_rows(rows)
        self.table.setColumnHidden(StudentListModel.SEQ_COLUMN, not self.model.has_class_seq())  # 学号/座号
        self._fit_list()
        self.count_label.setText(self.tr("%n student(s)", "", len(rows)))
        self._show_term_note(ids, rows)
        keep = self.student_id or self._last_student
        if keep and self.model.row_of(keep) >= 0:
            self.select_student(keep)
        elif rows:
            self.table.selectRow(0)
        else:
            self.show_student(None)

    def _fit_list(self) -> None:
        """The list is never narrower than its columns and a masked 学籍号 (G1101…0054): nothing
        clipped at 1366×768, whether or not the 学号/座号 column shows."""
        t = self.table
        cols = sum(t.columnWidth(c) for c in range(self.model.columnCount() - 1) if not t.isColumnHidden(c))
        last = t.fontMetrics().horizontalAdvance("G1101…00540") + 12
        t.setMinimumWidth(cols + last + t.verticalScrollBar().sizeHint().width() + 2 * t.frameWidth())

    def _show_term_note(self, class_ids, rows) -> None:
        """Say so when the chosen term has no classes or no students (instead of showing another
        term's): the list, the grid, the term view and printing all stay empty then."""
        term = views.term_label(self.term_code, ui_app.lang()) if self.term_code else ""
        if self.term_code and not class_ids:
            text = self.tr("%1 has no classes in this database (nothing was recorded for that term).")
        elif self.term_code and not rows:
            text = self.tr("No students were enrolled in this class in %1.")
        else:
            text = ""
        self.term_note.setText(text.replace("%1", term))
        self.term_note.setVisible(bool(text))

    def listed_ids(self) -> list[str]:
        """The students the list holds (all of them, whatever the search box hides)."""
        return [r.id for r in self.model.all_rows()]

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A filter that hides the current row leaves the page as it is: typing in the search box
        # must not blank (and repaint) the student page on every keystroke.
        if not current.isValid():
            return
        sid = self.model.data(current, ID_ROLE)
        if sid != self.student_id:
            self.show_student(sid)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        if self.student_id and self.model.row_of(self.student_id) >= 0:
            self.select_student(self.student_id)  # still listed: keep it selected

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)
            self.table.setFocus()

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def select_student(self, student_id: str) -> bool:
        src = self.model.row_of(student_id)
        if src < 0:
            return False
        idx = self.model.index(src, 0)
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)
        return True

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.data(i, ID_ROLE) for i in rows]

    def show_student(self, student_id: str | None) -> None:
        self._page_loads += 1
        self.student_id = student_id
        if student_id:
            self._last_student = student_id
        if student_id is None:
            self.page.show_page(None, self.rubric, None, self.term_code or "")
            return
        page = self._read(views.student_page, student_id, self.term_code, ui_app.lang())
        growth = self._read(views.growth, student_id, self.rubric)
        self.page.show_page(page, self.rubric, growth, self.term_code or "")
        writable = self.may_write_term(page.class_id)
        self.page.set_term_writable(writable)
        self.act_term.setText(self.tr("Write term evaluation…") if writable else self.tr("View term evaluation…"))

    def may_write_term(self, class_id: str | None) -> bool:
        """Term evaluations are the class adviser's (or a school admin's) to write; others read."""
        from ..services import evaluations
        return self._read(evaluations.may_write_term_evaluation, self.user, class_id)

    # ------------------------------------------------------------ refresh after ops
    def refresh(self, *_args) -> None:
        self.load_students()
        self._refresh_tab()
        self.home.refresh()

    def refresh_student(self, *_args) -> None:
        if self.student_id:
            self.show_student(self.student_id)
        self.home.refresh()  # an award or a comment changes what is left to do

    def _refresh_tab(self) -> None:
        i = self.tabs.currentIndex()
        if i == 1:
            self.grid.reload()
        elif i == 2:
            self.term_view.reload()

    # ------------------------------------------------------------ evidence
    def attach_files_dialog(self) -> None:
        if not self.student_id:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach evidence"))
        if paths:
            self.attach_files(paths)

    def attach_files(self, paths: list[str]) -> None:
        from . import editors
        if self.student_id:
            editors.attach_evidence(self, self.student_id, paths)

    def open_programmes(self) -> None:
        """The school's programme page (members, mentors, decisions); one per window."""
        from .programmes import ProgrammesDialog
        dlg = getattr(self, "_programmes_dialog", None)
        if dlg is None:
            dlg = self._programmes_dialog = ProgrammesDialog(self.db, self.user.login, self)
        dlg.show()
        dlg.raise_()

    def open_evidence(self, evidence_id: str) -> None:
        from . import editors
        target = editors.evidence_target(self, evidence_id)
        if target:
            QDesktopServices.openUrl(QUrl(target) if "://" in target else QUrl.fromLocalFile(target))

    # ------------------------------------------------------------ 综评 process
    def open_review_queue(self):
        from .review_queue import open_review_queue
        return open_review_queue(self)

    def student_slips(self, path: str | None = None) -> None:
        """Accounts for the students of this class who have none; their slips as a PDF."""
        from PySide6.QtWidgets import QFileDialog

        from ..services import student_accounts
        if not self.class_id:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Password slips"), "学生账户.pdf", "PDF (*.pdf)")
            if not path:
                return
        class_id, school = self.class_id, self.db.settings.get("school_name", "")

        def run(ctx):
            with ctx.session() as s:
                slips = student_accounts.create_student_accounts(s, [class_id])
            return student_accounts.slips_pdf(slips, path, school)
        self.ops.run(self, run, title=self.tr("Making accounts…"))

    def open_process_settings(self):
        from .process_settings import open_process_settings
        return open_process_settings(self)

    def open_archive(self):
        from .archive_dialog import open_archive_dialog
        return open_archive_dialog(self)

    # ------------------------------------------------------------ misc
    def lock(self) -> None:
        from .login import lock_window
        lock_window(self)

    def set_idle_minutes(self) -> None:
        from .login import ask_idle_minutes
        ask_idle_minutes(self)

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(action, key) for every menu action that has a shortcut, from the menus themselves."""
        out = []
        for act in self.findChildren(QAction):
            if act.shortcut().isEmpty() or not act.text():
                continue
            out.append((act.text().replace("&", "").rstrip("…"),
                        act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        grid = self.tr("Class evaluation grid") + ": " + self.tr(
            "Arrows move · A/B/C/D set a level · Delete clears · Enter moves down")
        return sorted(out, key=lambda x: x[1]) + [(grid, "")]

    def show_shortcuts(self) -> QMessageBox:
        rows = "".join(f"<tr><td>{a}</td><td>&nbsp;&nbsp;<b>{k}</b></td></tr>" for a, k in self.shortcut_list())
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>",
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("shortcutsBox")
        box.open()
        return box

    def about(self) -> None:
        text = self.tr("GrowthDesk %1\nOffline student growth portfolios for schools and district offices.\n"
                       "Competition results are recorded for growth, never used to rank for admission.")
        QMessageBox.about(self, self.tr("About GrowthDesk"), text.replace("%1", __version__))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.table.setFocus)


class _Lazy:
    """Stands for a module of ``growthdesk.ui`` in menu and button slots; the module is
    imported at its first use (a click), not while the first screen is built."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(_ui(self._name), attr)


def _ui(name: str):
    """A module of ``growthdesk.ui``, imported on first use (menu actions of rarely used dialogs)."""
    import importlib
    return importlib.import_module(f"{__package__}.{name}")
