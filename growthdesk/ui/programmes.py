"""Cultivation programmes in the app: the district window's Programmes tab and the school's
programme page share ``ProgrammesPage`` — programmes on the left; on the right the candidates
with their grounds and the decisions (nominate from the rules, select / not this time /
withdraw with a reason), members with their mentors and hours, a member's growth log and
evaluations, and (at the district) the chain across stages with retention and mentors' load.

Thin: every read and write is a ``services.programmes`` / ``stats.programmes`` call run through
``ui.ops.OpRunner``. The notice 「用于培养计划，不作为升学录取依据」 stays on top of the page.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..models.enums import (DECISIONS, GROWTH_ACTIVITIES, LOG_AUTHORS, MEMBER_STATUSES, MENTOR_KINDS, NOMINATORS,
                            PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_TIERS, RECORD_STATES,
                            SCHOOL_CATEGORIES, STAGES)
from ..stats.cultivation import NOTICE, NOTICE_EN
from . import app as ui_app
from .ops import OpRunner
from .sheets_import import SheetImportDialog

translate = QCoreApplication.translate


def _zh() -> bool:
    return ui_app.lang().startswith("zh")


def _vocab(vocab, code) -> str:
    pair = vocab.get(code)
    return "" if code is None else (code if pair is None else pair[0 if _zh() else 1])


def _table() -> QTableWidget:
    t = QTableWidget()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    t.verticalHeader().setVisible(False)
    return t


def fill(table: QTableWidget, headers: list[str], rows: list[list], keys: list | None = None) -> None:
    """Rows of cell texts into a read-only table; ``keys[i]`` is kept on row i's first cell."""
    table.clearContents()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            text = "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            item = QTableWidgetItem(text)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if j == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[i])
            table.setItem(i, j, item)
    table.resizeColumnsToContents()
    for j in range(table.columnCount() - 1):
        table.setColumnWidth(j, min(table.columnWidth(j), 260))


def selected_key(table: QTableWidget):
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item else None


def _headers() -> dict[str, str]:
    """Column headers in the UI language (literal calls, so lupdate collects them)."""
    return {
        "Name": translate("Programmes", "Name"),
        "School": translate("Programmes", "School"),
        "Rules met": translate("Programmes", "Rules met"),
        "Grounds": translate("Programmes", "Grounds"),
        "Nominated by": translate("Programmes", "Nominated by"),
        "Decision": translate("Programmes", "Decision"),
        "Reason": translate("Programmes", "Reason"),
        "Member": translate("Programmes", "Member"),
        "Joined": translate("Programmes", "Joined"),
        "Status": translate("Programmes", "Status"),
        "In-school mentor": translate("Programmes", "In-school mentor"),
        "External mentor": translate("Programmes", "External mentor"),
        "Hours": translate("Programmes", "Hours"),
        "Awards during": translate("Programmes", "Awards during"),
        "Projects during": translate("Programmes", "Projects during"),
        "Destination": translate("Programmes", "Destination"),
        "Date": translate("Programmes", "Date"),
        "Activity": translate("Programmes", "Activity"),
        "Content": translate("Programmes", "Content"),
        "Mentor feedback": translate("Programmes", "Mentor feedback"),
        "Entered by": translate("Programmes", "Entered by"),
        "State": translate("Programmes", "State"),
        "Kind": translate("Programmes", "Kind"),
        "Evaluator": translate("Programmes", "Evaluator"),
        "Scores": translate("Programmes", "Scores"),
        "Comment": translate("Programmes", "Comment"),
        "Result": translate("Programmes", "Result"),
        "Tier": translate("Programmes", "Tier"),
        "Programmes": translate("Programmes", "Programmes"),
        "Members": translate("Programmes", "Members"),
        "Active": translate("Programmes", "Active"),
        "Left": translate("Programmes", "Left"),
        "Completed": translate("Programmes", "Completed"),
        "School category": translate("Programmes", "School category"),
        "Students of the stage": translate("Programmes", "Students of the stage"),
        "Share": translate("Programmes", "Share"),
        "From": translate("Programmes", "From"),
        "To": translate("Programmes", "To"),
        "Reached the next stage": translate("Programmes", "Reached the next stage"),
        "Continued": translate("Programmes", "Continued"),
        "Retention": translate("Programmes", "Retention"),
        "Path": translate("Programmes", "Path"),
        "Mentor": translate("Programmes", "Mentor"),
        "Institution or school": translate("Programmes", "Institution or school"),
    }


def _page_data(s, programme_id: str, term: str | None) -> dict:
    from ..stats import programmes as pst
    return {"candidates": pst.candidates(s, programme_id, term), "members": pst.member_rows(s, programme_id,
                                                                                          with_details=True)}


class ProgrammesPage(QWidget):
    """Programmes of this database, their candidates, decisions, members, logs and evaluations;
    ``with_chain`` adds the district's chain statistics."""

    def __init__(self, runner: OpRunner, parent=None, *, with_chain: bool = True) -> None:
        super().__init__(parent)
        self.runner = runner
        self.data: dict | None = None
        self.chain: dict | None = None
        self.notice = QLabel(f"※ {NOTICE if _zh() else NOTICE_EN}")
        self.notice.setStyleSheet("color: #B8463F; font-size: 13pt; font-weight: bold")
        self.programmes = QListWidget()
        self.programmes.setMaximumWidth(250)
        self.new_button = QPushButton(translate("Programmes", "New programme…"))
        self.edit_button = QPushButton(translate("Programmes", "Edit programme…"))
        self.term = QComboBox()
        self.term.setMinimumContentsLength(17)  # room for 2025—2026学年第一学期 (14 was clipped)
        self.term.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.tabs = QTabWidget()
        # candidates and decisions
        self.candidates = _table()
        self.rules_button = QPushButton(translate("Programmes", "Nominate from the rules"))
        self.select_button = QPushButton(translate("Programmes", "Select…"))
        self.not_now_button = QPushButton(translate("Programmes", "Not this time…"))
        self.withdraw_button = QPushButton(translate("Programmes", "Withdraw…"))
        self.nominate_button = QPushButton(translate("Programmes", "Nominate…"))
        cand = QWidget()
        cl = QVBoxLayout(cand)
        bar = QHBoxLayout()
        for b in (self.rules_button, self.nominate_button, self.select_button, self.not_now_button,
                  self.withdraw_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.cand_notice = QLabel(f"※ {NOTICE if _zh() else NOTICE_EN}")
        self.cand_notice.setStyleSheet("color: #B8463F")
        cl.addLayout(bar)
        cl.addWidget(self.candidates, 1)
        cl.addWidget(self.cand_notice)
        self.tabs.addTab(cand, translate("Programmes", "Candidates and decisions"))
        # members, with the chosen member's log and evaluations below
        self.members = _table()
        self.logs, self.evaluations = _table(), _table()
        self.leave_button = QPushButton(translate("Programmes", "Leave…"))
        self.mentors_button = QPushButton(translate("Programmes", "Mentors…"))
        self.log_button = QPushButton(translate("Programmes", "Add log entry…"))
        self.evaluate_button = QPushButton(translate("Programmes", "Evaluate…"))
        mem = QWidget()
        ml = QVBoxLayout(mem)
        mbar = QHBoxLayout()
        for b in (self.mentors_button, self.log_button, self.evaluate_button, self.leave_button):
            mbar.addWidget(b)
        mbar.addStretch(1)
        ml.addLayout(mbar)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.members)
        below = QTabWidget()
        below.addTab(self.logs, translate("Programmes", "Growth log"))
        below.addTab(self.evaluations, translate("Programmes", "Evaluations"))
        self.member_tabs = below
        split.addWidget(below)
        ml.addWidget(split, 1)
        self.tabs.addTab(mem, translate("Programmes", "Members, logs and evaluations"))
        self.district = with_chain
        self.chain_table, self.chain_choice = _table(), QComboBox()
        ch = QWidget()
        chl = QVBoxLayout(ch)
        choices = (("by_tier", translate("Programmes", "Members by tier")),
                   ("by_category", translate("Programmes", "Members by school category")),
                   ("retention", translate("Programmes", "Retention from tier to tier")),
                   ("chain", translate("Programmes", "The chain: persons in several tiers")),
                   ("mentors", translate("Programmes", "Mentors' load")))
        for key, text in choices if with_chain else choices[-1:]:
            self.chain_choice.addItem(text, key)
        chl.addWidget(self.chain_choice)
        chl.addWidget(self.chain_table, 1)
        self.tabs.addTab(ch, translate("Programmes", "The chain across stages") if with_chain
                         else translate("Programmes", "Mentors"))
        self.record_button = QPushButton(translate("Programmes", "Mentor's record…"))
        self.record_button.setToolTip(translate("Programmes", "The chosen mentor's record (yours, if you are a "
                                                              "mentor and none is chosen): students guided, hours, "
                                                              "their awards and projects"))
        self.record_hint = QLabel()
        rbar = QHBoxLayout()
        rbar.addWidget(self.record_button)
        rbar.addWidget(self.record_hint, 1)
        chl.addLayout(rbar)
        self.export_button = QPushButton(translate("Programmes", "Export Excel…"))
        self.import_button = QPushButton(translate("Programmes", "Import list…"))
        self.import_button.setVisible(with_chain)  # the district keeps programme lists in Excel
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Programmes", "Term")))
        top.addWidget(self.term)
        top.addStretch(1)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(self.info)
        right.addWidget(self.tabs, 1)
        left = QVBoxLayout()
        left.addWidget(self.programmes, 1)
        left.addWidget(self.new_button)
        left.addWidget(self.edit_button)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.notice)
        lay.addLayout(body, 1)
        self.programmes.currentItemChanged.connect(lambda _item, _old: self.load_programme())
        self.term.activated.connect(lambda _i: self.load_programme())
        self.members.itemSelectionChanged.connect(self.show_member)
        self.chain_choice.currentIndexChanged.connect(lambda _i: self.show_chain())
        self.rules_button.clicked.connect(self.nominate_from_rules)
        self.nominate_button.clicked.connect(self.nominate)
        self.select_button.clicked.connect(lambda: self.decide("selected"))
        self.not_now_button.clicked.connect(lambda: self.decide("not_this_time"))
        self.withdraw_button.clicked.connect(lambda: self.decide("withdrawn"))
        self.leave_button.clicked.connect(self.leave)
        self.mentors_button.clicked.connect(self.open_mentors_dialog)
        self.log_button.clicked.connect(self.open_log_dialog)
        self.evaluate_button.clicked.connect(self.open_evaluation_dialog)
        self.dialog: QDialog | None = None  # the open member dialog (tests fill and accept it)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self.open_import_dialog)
        self.record_button.clicked.connect(self.open_mentor_record)
        self.new_button.clicked.connect(lambda: self.open_programme_dialog(False))
        self.edit_button.clicked.connect(lambda: self.open_programme_dialog(True))

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        from ..services import programmes as svc
        from ..stats.filters import term_codes

        from ..stats.queries import latest_evaluated_term

        def work(ctx):
            with ctx.session() as s:
                progs = [(p.id, p.name, p.tier) for p in svc.list_programmes(s)]
                return progs, term_codes(s), latest_evaluated_term(s)
        self.runner.run(self, work, on_success=self._loaded)

    def _loaded(self, result) -> None:
        progs, terms, latest = result
        current = self.programmes.currentItem().data(Qt.ItemDataRole.UserRole) if self.programmes.currentItem() else None
        self.term.blockSignals(True)
        keep = self.term.currentData() or latest  # by default the latest term with evaluations
        self.term.clear()
        from ..services.terms import term_label
        for code in reversed(terms):
            self.term.addItem(term_label(code, ui_app.lang()), code)  # 2025—2026学年第一学期, never the raw code
        if keep in terms:
            self.term.setCurrentIndex(self.term.findData(keep))
        self.term.blockSignals(False)
        self.programmes.blockSignals(True)
        self.programmes.clear()
        for pid, name, tier in progs:
            item = QListWidgetItem(f"{name}\n{_vocab(PROGRAMME_TIERS, tier)}")
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.programmes.addItem(item)
        self.programmes.blockSignals(False)
        ids = [p[0] for p in progs]
        if ids:
            self.programmes.setCurrentRow(ids.index(current) if current in ids else 0)
            self.load_programme()
        self._load_chain()

    def programme_id(self) -> str | None:
        item = self.programmes.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def load_programme(self) -> None:
        pid, term = self.programme_id(), self.term.currentData()
        if pid is None:
            return

        def work(ctx):
            with ctx.session() as s:
                return _page_data(s, pid, term)
        self.runner.run(self, work, on_success=self._show)

    def _load_chain(self) -> None:
        from ..stats import programmes as pst

        def work(ctx):
            with ctx.session() as s:
                return pst.chain_statistics(s)
        self.runner.run(self, work, on_success=self._chain_loaded)

    def _chain_loaded(self, chain: dict) -> None:
        self.chain = chain
        self.show_chain()

    # ------------------------------------------------------------ showing

    def _show(self, data: dict) -> None:
        from ..services.terms import term_label
        self.data = data
        cand = data["candidates"]
        p = cand["programme"]
        if self.term.currentData() != cand["term"] and cand["term"]:
            idx = self.term.findData(cand["term"])
            if idx >= 0:
                self.term.setCurrentIndex(idx)
        owner = translate("Programmes", "district") if p["owner_kind"] == "district" else p["owner_name"]
        sep = "、" if _zh() else ", "
        self.info.setText(translate("Programmes", "{name} · {tier} · {owner} · disciplines: {disc} · from {start} · "
                                                  "capacity: {cap} · criteria: {crit}").format(
            name=p["name"], tier=_vocab(PROGRAMME_TIERS, p["tier"]), owner=owner, disc=sep.join(p["disciplines"]) or "—",
            start=term_label(p["start_term"], ui_app.lang()), cap=p["capacity"] or "—", crit=sep.join(p["criteria"])))
        heads = [_headers()[h] for h in ("Name", "School", "Rules met", "Grounds", "Nominated by",
                                                       "Decision", "Reason", "Member")]
        rows, keys = [], []
        for c in cand["candidates"]:
            n = c["nomination"] or {}
            rows.append([c["name"], c["school_name"], "；".join(c["rule_labels"]) or
                         translate("Programmes", "(no rule matches now)"), "；".join(c["reasons"]),
                         (_vocab(NOMINATORS, n.get("by_kind")) + (f" {n['by']}" if n.get("by") else "")) if n else "",
                         _vocab(DECISIONS, n.get("decision")) if n else "",
                         (n.get("decision_reason") or n.get("reason") or "") if n else "",
                         _vocab(MEMBER_STATUSES, c["member_status"]) if c["member_status"] else ""])
            keys.append(c)
        fill(self.candidates, heads, rows, keys)
        mheads = [_headers()[h] for h in ("Name", "School", "Joined", "Status", "In-school mentor",
                                                        "External mentor", "Hours", "Awards during", "Projects during",
                                                        "Destination")]
        mrows = [[m["name"], m["school_name"], m["joined_on"], _vocab(MEMBER_STATUSES, m["status"]), m["in_mentor"],
                  f"{m['ext_mentor']}（{m['ext_institution']}）" if m["ext_mentor"] else "", m["hours"],
                  len(m["awards"]), len(m["projects"]),
                  "，".join(x for x in (m["destination_school"], m["destination_track"]) if x)]
                 for m in data["members"]]
        fill(self.members, mheads, mrows, [m["id"] for m in data["members"]])
        if data["members"]:
            self.members.selectRow(0)
        self.show_member()

    def _member(self) -> dict | None:
        mid = selected_key(self.members)
        return next((m for m in (self.data or {}).get("members", []) if m["id"] == mid), None)

    def show_member(self) -> None:
        m = self._member()
        logs = m["logs"] if m else []
        evals = m["evaluations"] if m else []
        fill(self.logs, [_headers()[h] for h in ("Date", "Activity", "Hours", "Content", "Mentor feedback",
                                                               "Entered by", "State")],
             [[e["date"], _vocab(GROWTH_ACTIVITIES, e["activity"]), e["hours"], e["content"], e["mentor_feedback"],
               _vocab(LOG_AUTHORS, e["author_kind"]), _vocab(RECORD_STATES, e["state"])] for e in logs])
        sep = "；" if _zh() else "; "
        fill(self.evaluations, [_headers()[h] for h in ("Date", "Kind", "Evaluator", "Scores", "Comment",
                                                                      "Result", "Reason")],
             [[e["date"], _vocab(PROGRAMME_EVAL_KINDS, e["kind"]), e["evaluator"],
               sep.join(f"{k} {v}" for k, v in e["scores"].items()), e["comment"],
               _vocab(PROGRAMME_EVAL_RESULTS, e["result"]), e["reason"]] for e in evals])

    def show_chain(self) -> None:
        if not self.chain:
            return
        key = self.chain_choice.currentData()
        rows = self.chain[key]
        t = _headers().__getitem__
        if key == "by_tier":
            heads = [t("Tier"), t("Programmes"), t("Members"), t("Active"), t("Left"), t("Completed")]
            cells = [[_vocab(PROGRAMME_TIERS, r["tier"]), r["programmes"], r["members"], r["active"], r["left"],
                      r["completed"]] for r in rows]
        elif key == "by_category":
            heads = [t("Tier"), t("School category"), t("Members"), t("Students of the stage"), t("Share")]
            cells = [[_vocab(PROGRAMME_TIERS, r["tier"]), _vocab(SCHOOL_CATEGORIES, r["category"]), r["members"],
                      r["population"], f"{r['share'] * 100:.1f}%"] for r in rows]
        elif key == "retention":
            heads = [t("From"), t("To"), t("Members"), t("Reached the next stage"), t("Continued"), t("Retention")]
            cells = [[_vocab(PROGRAMME_TIERS, r["from"]), _vocab(PROGRAMME_TIERS, r["to"]), r["members"], r["reached"],
                      r["continued"], f"{r['rate'] * 100:.1f}%"] for r in rows]
        elif key == "chain":
            heads = [t("Name"), t("Path"), t("Programmes")]
            cells = [[r["name"], r["path"] if _zh() else "→".join(_vocab(STAGES, s) for s in _path_codes(r["path"])),
                      "；".join(r["programmes"])] for r in rows]
        else:
            heads = [t("Mentor"), t("Kind"), t("Institution or school"), t("Members"), t("Active"), t("Hours")]
            cells = [[r["name"], _vocab(MENTOR_KINDS, r["kind"]), r["institution"], r["members"], r["active"],
                      r["hours"]] for r in rows]
            fill(self.chain_table, heads, cells, [r["id"] for r in rows])
            self.record_button.setVisible(True)
            return
        self.record_button.setVisible(False)
        self.record_hint.clear()
        fill(self.chain_table, heads, cells)

    # ------------------------------------------------------------ actions

    def _reason(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, prompt)
        return text if ok else None

    def _after_write(self, _result=None) -> None:
        self.load_programme()
        self._load_chain()

    def nominate_from_rules(self) -> None:
        pid, data = self.programme_id(), self.data
        if pid is None or data is None:
            return
        from ..services import programmes as svc
        cands = [c for c in data["candidates"]["candidates"] if c["rules"]]
        term = data["candidates"]["term"]

        def work(ctx):
            with ctx.session() as s:
                return svc.nominate_from_rules(s, pid, cands, term)
        self.runner.run(self, work, on_success=self._after_write)

    def nominate(self) -> None:
        cand = selected_key(self.candidates)
        pid, data = self.programme_id(), self.data
        if cand is None or pid is None or cand.get("nomination"):
            return
        reason = self._reason(translate("Programmes", "Nominate"), translate("Programmes", "Why is {name} nominated?")
                              .format(name=cand["name"]))
        if reason is None:
            return
        from ..services import programmes as svc
        by_kind = "district" if self.district else "teacher"
        term = data["candidates"]["term"]

        def work(ctx):
            with ctx.session() as s:
                return svc.nominate(s, pid, term_code=term, by_kind=by_kind, by=ctx.user, reason=reason,
                                    student_id=cand.get("student_id"), person_key=cand.get("person_key"))
        self.runner.run(self, work, on_success=self._after_write)

    def decide(self, decision: str) -> None:
        cand = selected_key(self.candidates)
        if cand is None or not cand.get("nomination"):
            return
        prompt = translate("Programmes", "Reason for “{decision}” ({name}):").format(
            decision=_vocab(DECISIONS, decision), name=cand["name"])
        reason = self._reason(translate("Programmes", "Decision"), prompt)
        if reason is None:
            return
        from ..services import programmes as svc
        nid = cand["nomination"]["id"]

        def work(ctx):
            with ctx.session() as s:
                return svc.decide(s, nid, decision, reason=reason, by=ctx.user).id
        self.runner.run(self, work, on_success=self._after_write)

    def leave(self) -> None:
        m = self._member()
        if m is None or m["status"] != "active":
            return
        reason = self._reason(translate("Programmes", "Leave"), translate("Programmes", "Why does {name} leave?")
                              .format(name=m["name"]))
        if reason is None:
            return
        from ..services import programmes as svc
        mid = m["id"]

        def work(ctx):
            with ctx.session() as s:
                return svc.leave(s, mid, reason=reason).id
        self.runner.run(self, work, on_success=self._after_write)

    def _member_op(self, build, on_done=None) -> None:
        """Run ``build(s)`` (a service write) for the chosen member, then reload."""
        def work(ctx):
            with ctx.session() as s:
                build(s)
        self.runner.run(self, work, on_success=on_done or self._after_write)

    def open_programme_dialog(self, edit: bool) -> None:
        """New programme, or edit the chosen one (name, tier, disciplines, terms, capacity, criteria)."""
        from ..services import programmes as svc
        info = self.data["candidates"]["programme"] if edit and self.data else None
        if edit and info is None:
            return
        dlg = self.dialog = ProgrammeDialog(info, self.term.currentData(), self)
        pid = info["id"] if info else None

        def save():
            v = dlg.values()

            def work(ctx):
                with ctx.session() as s:
                    if pid:
                        return svc.update_programme(s, pid, **v).id
                    return svc.create_programme(s, **v).id
            self.runner.run(self, work, on_success=lambda _id: self.reload())
        dlg.accepted.connect(save)
        dlg.open()

    def open_mentors_dialog(self) -> None:
        m = self._member()
        if m is None:
            return
        from ..services import programmes as svc

        def load(ctx):
            with ctx.session() as s:
                return [(x.id, x.kind, x.name, x.institution or x.mentor_school) for x in svc.list_mentors(s)]
        mentors = self.runner.call(load)
        dlg = self.dialog = MentorDialog(mentors, m, self)
        mid = m["id"]

        def save():
            values = dlg.values()

            def build(s):
                ext = values["ext"]
                if values["new_name"]:
                    ext = svc.add_mentor(s, kind="external", name=values["new_name"], institution=values["new_org"],
                                         field=values["new_field"]).id
                svc.set_mentors(s, mid, in_mentor_id=values["in"], ext_mentor_id=ext)
            self._member_op(build)
        dlg.accepted.connect(save)
        dlg.open()

    def open_log_dialog(self) -> None:
        m = self._member()
        if m is None:
            return
        from ..services import programmes as svc
        dlg = self.dialog = LogDialog(m, self)
        mid = m["id"]

        def save():
            v = dlg.values()
            self._member_op(lambda s: svc.add_log(s, mid, author_kind="mentor", **v))
        dlg.accepted.connect(save)
        dlg.open()

    def open_evaluation_dialog(self) -> None:
        m = self._member()
        if m is None or self.data is None:
            return
        from ..services import programmes as svc
        p = self.data["candidates"]["programme"]
        dlg = self.dialog = EvaluationDialog(m, p["criteria"], self.term.currentData() or p["start_term"], self)
        mid = m["id"]

        def save():
            v = dlg.values()
            self._member_op(lambda s: svc.evaluate(s, mid, **v))
        dlg.accepted.connect(save)
        dlg.open()

    def open_import_dialog(self) -> "ProgrammeImportDialog":
        """``programme import`` with a preview: errors by row, then one transaction."""
        dlg = self.dialog = ProgrammeImportDialog(self.runner, self)
        dlg.imported.connect(lambda _r: self.reload())
        dlg.open()
        return dlg

    def open_mentor_record(self) -> None:
        """The chosen mentor's record; with none chosen, the logged-in user's own (an in-school mentor)."""
        from sqlalchemy import select

        from ..models import ProgrammeMentor
        from ..stats import programmes as pst
        chosen = selected_key(self.chain_table) if self.chain_choice.currentData() == "mentors" else None

        def work(ctx):
            with ctx.session() as s:
                mid = chosen or s.scalar(select(ProgrammeMentor.id).where(
                    ProgrammeMentor.login == ctx.user, ProgrammeMentor.deleted.is_(False)).limit(1))
                return pst.mentor_record(s, mid) if mid else None

        def shown(record) -> None:
            self.record_hint.setText("" if record else translate("Programmes", "Choose a mentor in the list first."))
            if record is None:
                return
            dlg = self.dialog = MentorRecordDialog(self.runner, record, self)
            dlg.open()
        self.runner.run(self, work, on_success=shown)

    def export_to(self, path: str) -> None:
        from ..sheets.programmes import export_programmes
        self.runner.run(self, lambda ctx: export_programmes(ctx.db, path), title=translate("Programmes", "Exporting…"),
                        progress=True)

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("Programmes", "Export programmes"),
                                              translate("Programmes", "programmes") + ".xlsx",
                                              translate("Programmes", "Excel workbook (*.xlsx)"))
        if path:
            self.export_to(path)


def _form_dialog(dlg: QDialog, title: str) -> QFormLayout:
    """The shape every member/programme dialog here shares: a title and a form (``_finish_form``
    adds OK and Cancel as its last row)."""
    dlg.setWindowTitle(title)
    return QFormLayout(dlg)


def _finish_form(dlg: QDialog, form: QFormLayout, rows=()) -> None:
    """``rows`` ((label, widget) pairs) into the form, then OK and Cancel."""
    for text, widget in rows:
        form.addRow(text, widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("Programmes", "OK"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Programmes", "Cancel"))
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    form.addRow(buttons)


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日" if _zh() else "yyyy-MM-dd")
    return edit


def _vocab_box(vocab) -> QComboBox:
    box = QComboBox()
    for code, pair in vocab.items():
        box.addItem(pair[0] if _zh() else pair[1], code)
    return box


def _path_codes(path: str) -> list[str]:
    zh = {pair[0]: code for code, pair in STAGES.items()}
    return [zh.get(part, part) for part in path.split("→")]


class ProgrammesDialog(QDialog):
    """The school's programme page: its own programmes and the district's it takes part in."""

    def __init__(self, db, user: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Programmes", "Cultivation programmes"))
        self.resize(1280, 720)
        self.runner = OpRunner(db, user, self)
        self.page = ProgrammesPage(self.runner, self, with_chain=False)
        lay = QVBoxLayout(self)
        lay.addWidget(self.page)
        self.page.reload()


class MentorDialog(QDialog):
    """双导师: choose the in-school and the external mentor, or add an external one."""

    def __init__(self, mentors: list[tuple], member: dict, parent=None) -> None:
        super().__init__(parent)
        form = _form_dialog(self, translate("Programmes", "Mentors of {name}").format(name=member["name"]))
        self.in_box, self.ext_box = QComboBox(), QComboBox()
        for box in (self.in_box, self.ext_box):
            box.addItem(translate("Programmes", "(none)"), None)
        for mid, kind, name, where in mentors:
            box = self.in_box if kind == "in_school" else self.ext_box
            box.addItem(f"{name}（{where}）" if where else name, mid)
            if name in (member["in_mentor"], member["ext_mentor"]):
                box.setCurrentIndex(box.count() - 1)
        self.new_name, self.new_org, self.new_field = QLineEdit(), QLineEdit(), QLineEdit()
        form.addRow(translate("Programmes", "In-school mentor"), self.in_box)
        form.addRow(translate("Programmes", "External mentor"), self.ext_box)
        form.addRow(QLabel(translate("Programmes", "Or a new external mentor:")))
        _finish_form(self, form, ((translate("Programmes", "Name"), self.new_name),
                                  (translate("Programmes", "Institution"), self.new_org),
                                  (translate("Programmes", "Field"), self.new_field)))

    def values(self) -> dict:
        return {"in": self.in_box.currentData(), "ext": self.ext_box.currentData(),
                "new_name": self.new_name.text().strip(), "new_org": self.new_org.text().strip(),
                "new_field": self.new_field.text().strip()}


class LogDialog(QDialog):
    """A growth-log entry: date, activity, hours, content and the mentor's feedback."""

    def __init__(self, member: dict, parent=None) -> None:
        super().__init__(parent)
        form = _form_dialog(self, translate("Programmes", "Growth log of {name}").format(name=member["name"]))
        self.date = _date_edit()
        self.activity = _vocab_box(GROWTH_ACTIVITIES)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(2)
        self.content, self.feedback = QPlainTextEdit(), QLineEdit()
        self.content.setMaximumHeight(90)
        _finish_form(self, form, ((translate("Programmes", "Date"), self.date),
                                  (translate("Programmes", "Activity"), self.activity),
                                  (translate("Programmes", "Hours"), self.hours),
                                  (translate("Programmes", "Content"), self.content),
                                  (translate("Programmes", "Mentor feedback"), self.feedback)))

    def values(self) -> dict:
        return {"entry_date": self.date.date().toPython(), "activity": self.activity.currentData(),
                "hours": self.hours.value(), "content": self.content.toPlainText(),
                "mentor_feedback": self.feedback.text()}


class EvaluationDialog(QDialog):
    """A mid-term or annual evaluation: 1–5 on each of the programme's criteria, a result and reason."""

    def __init__(self, member: dict, criteria: list[str], term: str, parent=None) -> None:
        super().__init__(parent)
        form = _form_dialog(self, translate("Programmes", "Evaluate {name}").format(name=member["name"]))
        self.term_code = term
        self.kind, self.result = _vocab_box(PROGRAMME_EVAL_KINDS), _vocab_box(PROGRAMME_EVAL_RESULTS)
        self.date = _date_edit()
        form.addRow(translate("Programmes", "Kind"), self.kind)
        form.addRow(translate("Programmes", "Date"), self.date)
        self.scores: dict[str, QSpinBox] = {}
        for c in criteria:
            spin = QSpinBox()
            spin.setRange(1, 5)
            spin.setValue(3)
            self.scores[c] = spin
            form.addRow(c, spin)
        self.comment, self.reason = QLineEdit(), QLineEdit()
        _finish_form(self, form, ((translate("Programmes", "Comment"), self.comment),
                                  (translate("Programmes", "Result"), self.result),
                                  (translate("Programmes", "Reason"), self.reason)))

    def values(self) -> dict:
        return {"kind": self.kind.currentData(), "term_code": self.term_code, "eval_date": self.date.date().toPython(),
                "scores": {c: spin.value() for c, spin in self.scores.items()}, "comment": self.comment.text(),
                "result": self.result.currentData(), "reason": self.reason.text()}


class ProgrammeDialog(QDialog):
    """A programme's name, tier, disciplines, term span, capacity, criteria and description."""

    def __init__(self, info: dict | None, term: str | None, parent=None) -> None:
        super().__init__(parent)
        from ..models.enums import DEFAULT_CRITERIA
        form = _form_dialog(self, translate("Programmes", "Edit programme") if info
                            else translate("Programmes", "New programme"))
        self.setMinimumWidth(520)
        sep = "、"
        self.name = QLineEdit(info["name"] if info else "")
        self.tier = _vocab_box(PROGRAMME_TIERS)
        if info:
            self.tier.setCurrentIndex(self.tier.findData(info["tier"]))
        self.disciplines = QLineEdit(sep.join(info["disciplines"]) if info else "")
        self.start = QLineEdit(info["start_term"] if info else (term or ""))
        self.end = QLineEdit((info["end_term"] or "") if info else "")
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10000)
        self.capacity.setSpecialValueText(translate("Programmes", "no limit"))
        self.capacity.setValue((info["capacity"] or 0) if info else 0)
        self.criteria = QLineEdit(sep.join(info["criteria"] if info else DEFAULT_CRITERIA))
        self.description = QPlainTextEdit(info["description"] if info else "")
        self.description.setMaximumHeight(80)
        _finish_form(self, form, ((translate("Programmes", "Programme name"), self.name),
                                  (translate("Programmes", "Tier"), self.tier),
                                  (translate("Programmes", "Disciplines"), self.disciplines),
                                  (translate("Programmes", "From term"), self.start),
                                  (translate("Programmes", "To term"), self.end),
                                  (translate("Programmes", "Capacity"), self.capacity),
                                  (translate("Programmes", "Evaluation criteria"), self.criteria),
                                  (translate("Programmes", "Description"), self.description)))

    def values(self) -> dict:
        return {"name": self.name.text(), "tier": self.tier.currentData(), "disciplines": self.disciplines.text(),
                "start_term": self.start.text(), "end_term": self.end.text() or None,
                "capacity": self.capacity.value() or None, "criteria": self.criteria.text(),
                "description": self.description.toPlainText()}


class ProgrammeImportDialog(SheetImportDialog):
    """培养项目名单导入 (``programme import``): programmes, members matched by person, mentors and
    decisions from an .xlsx; preview with every problem by row, then one transaction."""

    def title(self) -> str:
        return translate("Programmes", "Import programme list")

    def run_preview(self, ctx, path):
        from ..sheets.programmes import preview_programmes
        return preview_programmes(ctx.db, path)

    def run_apply(self, ctx, preview):
        from ..sheets.programmes import apply_programmes
        return apply_programmes(ctx.db, preview, user=ctx.user)

    def run_report(self, preview, out):
        from ..sheets.programmes import write_programme_report
        return write_programme_report(preview, out)

    def importable(self, preview) -> int:
        return len(preview.good)

    def describe_result(self, r) -> str:
        return translate("Programmes", "Imported: {members} members, {programmes} new programmes, "
                                       "{mentors} new mentors").format(**r)


class MentorRecordDialog(QDialog):
    """A mentor's own record (教师成长档案): students guided, hours, those students' awards and
    projects during the programme; exported to .xlsx for the mentor's own evaluation."""

    def __init__(self, runner: OpRunner, record: dict, parent=None) -> None:
        super().__init__(parent)
        self.runner, self.record = runner, record
        m = record["mentor"]
        self.setWindowTitle(translate("Programmes", "Mentor's record: {name}").format(name=m["name"]))
        self.resize(1100, 560)
        where = m["institution"] or m.get("school_name") or m["school"]
        self.head = QLabel(translate("Programmes", "{name} · {kind} · {where} · students guided: {n} · hours: {hours} · "
                                                   "their awards: {awards} · their projects: {projects}").format(
            name=m["name"], kind=_vocab(MENTOR_KINDS, m["kind"]), where=where or "—", n=len(record["students"]),
            hours=f"{record['hours']:g}", awards=record["awards"], projects=record["projects"]))
        self.head.setWordWrap(True)
        self.table = _table()
        t = _headers().__getitem__
        sep = "；" if _zh() else "; "
        fill(self.table, [t("Name"), translate("Programmes", "Programme"), t("Tier"), t("Joined"),
                          translate("Programmes", "Left on"), t("Status"), t("Hours"), t("Awards during"),
                          t("Projects during")],
             [[r["name"], r["programme"], r["tier_zh"] if _zh() else _vocab(PROGRAMME_TIERS, r.get("tier")), _date_text(r["joined_on"]),
               _date_text(r["left_on"]), _vocab(MEMBER_STATUSES, r["status"]), r["hours"],
               sep.join(a["text"] for a in r["awards"]), sep.join(p["text"] for p in r["projects"])]
              for r in record["students"]])
        self.export_button = QPushButton(translate("Programmes", "Export Excel…"))
        close = QPushButton(translate("Programmes", "Close"))
        self.export_button.clicked.connect(self._ask_export)
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.head)
        lay.addWidget(self.table, 1)
        lay.addLayout(bar)

    def export_to(self, path: str) -> None:
        from ..stats.programmes import write_mentor_record
        mid = self.record["mentor"]["id"]

        def work(ctx):
            with ctx.session() as s:
                return write_mentor_record(s, mid, path)
        self.runner.run(self, work, title=translate("Programmes", "Exporting…"))

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("Programmes", "Export the mentor's record"),
                                              translate("Programmes", "mentor record") + ".xlsx",
                                              translate("Programmes", "Excel workbook (*.xlsx)"))
        if path:
            self.export_to(path)


def _date_text(iso: str | None) -> str:
    """2025-09-15 → 2025年9月15日 (the UI's date), empty for none."""
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日" if _zh() else iso
