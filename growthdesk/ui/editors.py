"""Editors for every kind of record. Each reads its fields on the UI thread, then runs the
service call as an op; the services validate (see ``forms.FormDialog``)."""

from __future__ import annotations

import html
import mimetypes
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QTableWidget, QTableWidgetItem)

from ..models.enums import (AWARDS, EVALUATOR_ROLES, GENDERS, LEVELS, OUTCOME_KINDS, PROJECT_KINDS,
                            PROJECT_LOG_STAGES, PROJECT_STATUSES, ROLES, STAGES, STUDENT_STATUSES, VERIFICATION)
from ..services import views
from . import app as ui_app
from .forms import FormDialog
from .ops import show_message


PORTRAIT_NOTE = "证件照"  # the note that marks a student's portrait among their photo evidence


def _items(vocab) -> list[tuple[str, str]]:
    return views.vocab_items(vocab, ui_app.lang())


def _today() -> str:
    return date.today().isoformat()


def _class_students(main) -> list[views.StudentRow]:
    """The students a member list offers: the current class, or every visible class."""
    ids = main.class_ids()
    with main.db.session() as s:
        return views.student_rows(s, ids, ui_app.lang(), term_code=main.term_code) if ids else []


def _open(dlg: FormDialog) -> FormDialog:
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # editors are made per use, not kept
    dlg.open()  # window-modal, non-blocking: the event loop (and the tests) keep running
    return dlg


# ---------------------------------------------------------------- students

class StudentDialog(FormDialog):
    def __init__(self, main, student_id: str | None = None) -> None:
        super().__init__(main, self.tr("Edit student") if student_id else self.tr("New student"))
        self.student_id = student_id
        page = None
        if student_id:
            with main.db.session() as s:
                page = views.student_page(s, student_id, None, ui_app.lang())
        with main.db.session() as s:
            classes = views.visible_classes(s, main.user, None)
        class_items = [("", self.tr("(no class)"))] + [(c.id, c.label(ui_app.lang())) for c in classes]
        self.no = self.line("national_student_no", self.tr("Student no."), page.national_student_no if page else "",
                            self.tr("G + 18 digits"))
        self.name = self.line("name", self.tr("Name"), page.name if page else "")
        self.gender = self.combo("gender", self.tr("Gender"), _items(GENDERS), page.gender if page else None)
        birth = page.birth_date.isoformat() if page and page.birth_date else ""
        self.birth = self.date_line("birth_date", self.tr("Birth date"), birth, "2012-05-01", required=False)
        self.cls = self.combo("class_id", self.tr("Class"), class_items,
                              page.class_id if page else main.class_id, "class")
        self.seq = self.line("class_seq", self.tr("No. in class"), page.class_seq if page else "",
                             self.tr("e.g. 07 (optional)"))
        self.stage = self.combo("stage", self.tr("Stage"), [("", self.tr("(from the class)"))] + _items(STAGES),
                                page.stage if page else "")
        self.status = self.combo("status", self.tr("Status"), _items(STUDENT_STATUSES), page.status if page else None)
        self.note = self.text("note", self.tr("Note"), page.note if page else "")
        self.photo = self.line("photo", self.tr("Photo"), "", self.tr("A portrait for the portfolio's photo box "
                                                                       "(optional)"))
        self.photo.setReadOnly(True)
        pick = QPushButton(self.tr("Choose photo…"))
        pick.setObjectName("chooseStudentPhoto")
        pick.clicked.connect(self._choose_photo)
        self.form.addRow("", pick)

    def _choose_photo(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Photo"), "",
                                              self.tr("Images (*.jpg *.jpeg *.png *.bmp);;All files (*)"))
        if path:
            self.photo.setText(path)

    def extra_errors(self) -> list[tuple[str, str]]:
        from ..errors import GrowthDeskError
        from ..services.students import validate_national_student_no
        out = []
        try:
            validate_national_student_no(self.no.text())
        except GrowthDeskError as exc:
            out.append(("national_student_no", exc.message(ui_app.lang())))
        if not self.name.text().strip():
            out.append(("name", "请填写姓名" if ui_app.lang().startswith("zh") else "name is required"))
        try:
            from ..services.students import clean_class_seq
            clean_class_seq(self.seq.text())
        except GrowthDeskError as exc:
            out.append(("class_seq", exc.message(ui_app.lang())))
        return out

    def work(self):
        from ..services import students
        values = {"national_student_no": self.no.text(), "name": self.name.text(), "gender": self.gender.currentData(),
                  "birth_date": self.birth.text().strip() or None, "class_id": self.cls.currentData() or None,
                  "status": self.status.currentData(), "note": self.note.toPlainText(), "class_seq": self.seq.text()}
        stage = self.stage.currentData() or None
        sid = self.student_id

        photo, db_path = self.photo.text().strip(), self.main.db.path

        def run(ctx):
            from ..services import evidence
            with ctx.session() as s:
                st = (students.update_student(s, sid, **values) if sid
                      else students.create_student(s, stage=stage, **values))
                if photo:  # the portrait: printed in the portfolio's 照片 box
                    evidence.attach_file(s, db_path, owner_type="student", owner_id=st.id, file_path=photo,
                                         kind="photo", note=PORTRAIT_NOTE)
                return st.id
        return run

    def saved(self, student_id) -> None:
        self.main.student_id = None  # so the list reloads and the page is shown afresh
        self.main.refresh()
        self.main.select_student(student_id)


def new_student(main) -> FormDialog:
    return _open(StudentDialog(main))


def edit_student(main, student_id: str | None):
    return _open(StudentDialog(main, student_id)) if student_id else None


# ---------------------------------------------------------------- competition results

class ResultDialog(FormDialog):
    """One award, individual or team: tick every member, enter the award once. With
    ``result_id`` it edits that award (fields, verification and members).

    The competition field starts empty; typing finds entries by any part of the name, "可能是…"
    offers clickable near matches, and a competition not in the catalog is added on the spot
    (本校/本区竞赛, with level and organiser). A certificate photo is taken once for the whole
    team and stored with the award (not with one student)."""

    def __init__(self, main, student_ids: list[str], result_id: str | None = None) -> None:
        super().__init__(main, self.tr("Edit award") if result_id else self.tr("Record award"))
        self.result_id = result_id
        with main.db.session() as s:
            comps = views.competition_rows(s)
            r = views.result_detail(s, result_id, ui_app.lang()) if result_id else None
        self.comp_levels = {c.id: c.level for c in comps}
        self.comp = self.combo("competition_id", self.tr("Competition"), [(c.id, c.name) for c in comps],
                               r and r.competition_id, "competition")
        self.comp.setEditable(True)  # type to search the 47 + local entries
        self.comp.setInsertPolicy(self.comp.InsertPolicy.NoInsert)
        self.comp.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.comp.completer().setCompletionMode(self.comp.completer().CompletionMode.PopupCompletion)
        self.comp.lineEdit().setPlaceholderText(self.tr("Type part of the competition's name"))
        if r is None:  # nothing pre-selected: a wrong competition must not slip through unseen
            self.comp.setCurrentIndex(-1)
            self.comp.setEditText("")
        self.suggest = QLabel()
        self.suggest.setObjectName("compSuggest")
        self.suggest.setWordWrap(True)
        self.suggest.setTextFormat(Qt.TextFormat.RichText)
        self.suggest.linkActivated.connect(self._pick_suggestion)
        self.add_comp = QPushButton(self.tr("Not found? Add as a school/district competition…"))
        self.add_comp.setObjectName("addCompetition")
        self.add_comp.clicked.connect(self.add_local_competition)
        row = QHBoxLayout()
        row.addWidget(self.suggest, 1)
        row.addWidget(self.add_comp)
        self.form.addRow("", row)
        self.comp.editTextChanged.connect(self._update_suggestions)
        self.comp.currentIndexChanged.connect(self._competition_picked)
        self.level = self.combo("level", self.tr("Level"), _items(LEVELS), r.level if r else "district")
        self.award = self.combo("award", self.tr("Award"), _items(AWARDS), r.award if r else "first")
        self.date = self.date_line("award_date", self.tr("Award date"), r.award_date.isoformat() if r else _today(),
                              "2025-11-20")
        self.cert = self.line("certificate_no", self.tr("Certificate no."), r.certificate_no if r else "")
        self.photo = self.line("certificate_photo", self.tr("Certificate photo"), "",
                               self.tr("One photo for the whole team (optional)"))
        self.photo.setReadOnly(True)
        pick = QPushButton(self.tr("Choose photo…"))
        pick.setObjectName("choosePhoto")
        pick.clicked.connect(self._choose_photo)
        self.form.addRow("", pick)
        self.team = self.line("team_name", self.tr("Team name"), r.team_name if r else "")
        self.work_title = self.line("work_title", self.tr("Work title"), r.work_title if r else "")
        self.instructor = self.line("instructor", self.tr("Instructor"), r.instructor if r else "")
        if r is not None:
            self.verification = self.combo("verification", self.tr("Verification"), _items(VERIFICATION),
                                           r.verification)
        offered = _class_students(main)
        if r is not None:  # members from other classes stay on the list
            known = {x.id for x in offered}
            offered += [m for m in r.members if m.id not in known]
        ticked = {m.id for m in r.members} if r else set(student_ids)
        self.members = self.student_checklist("student_ids", self.tr("Students (tick all team members)"),
                                              offered, ticked, "members")

    def extra_errors(self) -> list[tuple[str, str]]:
        zh = ui_app.lang().startswith("zh")
        out = []
        if not self.comp.currentText().strip():
            out.append(("competition_id", "请选择竞赛（可输入名称的一部分查找）" if zh else "choose the competition"))
        if not self.checked_ids(self.members):
            out.append(("student_ids", "请勾选获奖学生（团体奖勾选全部成员）" if zh else "tick the students who won"))
        return out

    # ---- competition search
    def _update_suggestions(self, text: str) -> None:
        from ..services import competitions
        text = text.strip()
        if not text or self.comp.findText(text) >= 0:
            self.suggest.setText("")
            return
        with self.main.db.session() as s:
            found = [(c.id, c.name) for c in competitions.suggest(s, text)]
        if not found:
            self.suggest.setText(self.tr("Not in the catalog."))
            return
        links = "、".join(f'<a href="{cid}">{html.escape(name)}</a>' for cid, name in found)
        self.suggest.setText(self.tr("Did you mean: %1").replace("%1", links))

    def _pick_suggestion(self, competition_id: str) -> None:
        idx = self.comp.findData(competition_id)
        if idx >= 0:
            self.comp.setCurrentIndex(idx)
            self.suggest.setText("")

    def _competition_picked(self, idx: int) -> None:
        level = self.comp_levels.get(self.comp.itemData(idx)) if idx >= 0 else None
        if level:  # a local competition knows the level of its awards
            self.level.setCurrentIndex(max(0, self.level.findData(level)))

    def add_local_competition(self) -> "CompetitionDialog":
        dlg = CompetitionDialog(self.main, name=self.comp.currentText().strip(), on_saved=self._competition_added)
        dlg.setParent(self, dlg.windowFlags())
        return _open(dlg)

    def _competition_added(self, row) -> None:
        self.comp_levels[row.id] = row.level
        self.comp.blockSignals(True)
        self.comp.addItem(row.name, row.id)
        self.comp.blockSignals(False)
        self.comp.setCurrentIndex(self.comp.findData(row.id))
        self.suggest.setText("")

    def _choose_photo(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificate photo"), "",
                                              self.tr("Images (*.jpg *.jpeg *.png *.bmp);;All files (*)"))
        if path:
            self.photo.setText(path)

    def work(self):
        from ..errors import ValidationError
        from ..services import competitions, evidence
        typed = self.comp.currentText().strip()
        idx = self.comp.findText(typed) if typed else -1
        if not typed:
            raise ValidationError("请选择竞赛（可输入名称的一部分查找）", "choose the competition (type part of its name)",
                                  field="competition_id")
        values = {"competition_id": self.comp.itemData(idx) if idx >= 0 else typed,
                  "level": self.level.currentData(), "award": self.award.currentData(),
                  "award_date": self.date.text(), "certificate_no": self.cert.text(), "team_name": self.team.text(),
                  "work_title": self.work_title.text(), "instructor": self.instructor.text()}
        ids, rid = self.checked_ids(self.members), self.result_id
        if rid:
            values["verification"] = self.verification.currentData()
        photo, db_path = self.photo.text().strip(), self.main.db.path

        def run(ctx):
            with ctx.session() as s:
                cid = values["competition_id"]
                if cid and s.get(competitions.Competition, cid) is None:  # typed a name: find it
                    values["competition_id"] = competitions.find_competition(s, cid).id
                if rid is None:
                    result_id = competitions.record_result(s, student_ids=ids, **values).id
                else:
                    competitions.set_members(s, rid, ids)
                    result_id = competitions.update_result(s, rid, **values).id
                if photo:  # once for the team: the evidence belongs to the award
                    evidence.attach_file(s, db_path, owner_type="result", owner_id=result_id, file_path=photo,
                                         kind="certificate", note=values["certificate_no"])
                return result_id
        return run


class CompetitionDialog(FormDialog):
    """A school's (or district's) own competition: name, level of its awards, organiser."""

    def __init__(self, main, competition_id: str | None = None, name: str = "", on_saved=None) -> None:
        super().__init__(main, self.tr("Edit competition") if competition_id else self.tr("Add a school/district "
                                                                                          "competition"))
        self.competition_id, self.on_saved = competition_id, on_saved
        row = None
        if competition_id:
            with main.db.session() as s:
                row = next((c for c in views.competition_rows(s) if c.id == competition_id), None)
        self.name = self.line("name", self.tr("Competition name"), row.name if row else name,
                              self.tr("e.g. District Youth Science and Technology Innovation Contest"))
        levels = [(code, lbl) for code, lbl in _items(LEVELS) if code in ("school", "district", "municipal",
                                                                          "provincial")]
        self.level = self.combo("level", self.tr("Level"), levels, row.level if row and row.level else "district")
        self.organiser = self.line("organiser", self.tr("Organiser"), row.organiser if row else "",
                                   self.tr("e.g. district education bureau, district science association, this school"))
        self.discipline = self.line("discipline", self.tr("Discipline"), row.discipline if row else "",
                                    self.tr("e.g. science, mathematics, arts (optional)"))
        self.resize(520, self.sizeHint().height())

    def work(self):
        from ..services import competitions
        values = {"name": self.name.text(), "level": self.level.currentData(),
                  "organiser": self.organiser.text(), "discipline": self.discipline.text()}
        cid = self.competition_id

        def run(ctx):
            with ctx.session() as s:
                c = (competitions.update_competition(s, cid, **values) if cid
                     else competitions.create_competition(s, **values))
                return next(r for r in views.competition_rows(s) if r.id == c.id)
        return run

    def saved(self, row) -> None:
        if self.on_saved:
            self.on_saved(row)


class CompetitionsDialog(FormDialog):
    """The admin's competition list: the national list (read-only), the school's own entries
    (add, edit, delete while no award uses them) and the district's (read-only)."""

    def __init__(self, main) -> None:
        super().__init__(main, self.tr("Competition list"))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("competitionTable")
        self.table.setHorizontalHeaderLabels([self.tr("Competition name"), self.tr("Level"), self.tr("Organiser"),
                                              self.tr("Managed by"), self.tr("Awards")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.find = QLineEdit()
        self.find.setObjectName("competitionFilter")
        self.find.setPlaceholderText(self.tr("Find a competition"))
        self.find.textChanged.connect(self._filter)
        self.form.addRow(self.find)
        self.form.addRow(self.table)
        buttons = QHBoxLayout()
        for name, text, slot in (("addComp", self.tr("Add…"), self.add), ("editComp", self.tr("Edit…"), self.edit),
                                 ("deleteComp", self.tr("Delete"), self.delete)):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.buttons.button(self.buttons.StandardButton.Ok).hide()
        self.buttons.button(self.buttons.StandardButton.Cancel).setText(self.tr("Close"))
        self.resize(900, 600)
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        with self.main.db.session() as s:  # the school's own entries first: they are what is managed here
            order = {"school": 0, "district": 1, "national": 2}
            self.rows = sorted(views.competition_rows(s), key=lambda r: order[r.source])
        source = {"national": self.tr("National list"), "school": self.tr("This school"),
                  "district": self.tr("District office")}
        lang = ui_app.lang()
        self.table.setRowCount(len(self.rows))
        from ..models.enums import label
        for i, r in enumerate(self.rows):
            for j, v in enumerate([r.name, label(LEVELS, r.level, lang) if r.level else "—", r.organiser,
                                   source[r.source], str(r.results)]):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.table.setItem(i, j, item)
        for col in (1, 3, 4):
            self.table.resizeColumnToContents(col)
        self.table.setColumnWidth(2, 220)
        self._filter(self.find.text())
        if keep:
            ids = [r.id for r in self.rows]
            if keep in ids:
                self.table.selectRow(ids.index(keep))

    def _filter(self, text: str) -> None:
        text = text.strip()
        for i, r in enumerate(self.rows):
            self.table.setRowHidden(i, bool(text) and text not in r.name and text not in r.organiser)

    def current(self):
        i = self.table.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def add(self) -> "CompetitionDialog":
        dlg = CompetitionDialog(self.main, name=self.find.text().strip(), on_saved=lambda r: self.reload(r.id))
        dlg.setParent(self, dlg.windowFlags())
        return _open(dlg)

    def edit(self):
        r = self.current()
        if r is None:
            return None
        if not r.editable:
            show_message(self, QMessageBox.Icon.Information,
                         self.tr("This entry is managed by the national list or the district office and cannot be "
                                 "changed here."))
            return None
        dlg = CompetitionDialog(self.main, r.id, on_saved=lambda row: self.reload(row.id))
        dlg.setParent(self, dlg.windowFlags())
        return _open(dlg)

    def delete(self) -> None:
        from ..services import competitions
        r = self.current()
        if r is None:
            return
        cid = r.id

        def run(ctx):
            with ctx.session() as s:
                competitions.delete_competition(s, cid)

        def failed(exc) -> bool:
            from ..errors import GrowthDeskError
            if isinstance(exc, GrowthDeskError):
                self.general_error.setText(exc.message(ui_app.lang()))
                return True
            return False
        self.clear_errors()
        self.main.ops.run(self, run, on_success=lambda _r: self.reload(), on_error=failed)

    def submit(self) -> None:
        self.accept()


def manage_competitions(main) -> FormDialog:
    return _open(CompetitionsDialog(main))


def new_result(main, student_ids: list[str]) -> FormDialog:
    return _open(ResultDialog(main, [x for x in student_ids if x]))


def edit_result(main, result_id: str) -> FormDialog:
    return _open(ResultDialog(main, [], result_id))


# ---------------------------------------------------------------- projects

class ProjectDialog(FormDialog):
    """A new project with its members and mentors; with ``project_id`` it edits the project's
    own fields (members, mentors, log and outcomes have their own actions)."""

    def __init__(self, main, student_id: str | None, project_id: str | None = None) -> None:
        super().__init__(main, self.tr("Edit innovation project") if project_id else self.tr("New innovation project"))
        self.leader_id, self.project_id = student_id, project_id
        p = None
        if project_id:
            with main.db.session() as s:
                p = views.project_detail(s, project_id)
        self.title_edit = self.line("title", self.tr("Title"), p.title if p else "")
        self.kind = self.combo("kind", self.tr("Kind"), _items(PROJECT_KINDS), p.kind if p else "research")
        self.discipline = self.line("discipline", self.tr("Discipline"), p.discipline if p else "")
        self.start = self.date_line("start_date", self.tr("Start date"), p.start_date.isoformat() if p else _today(),
                                    future=True)
        end = p.end_date.isoformat() if p and p.end_date else ""
        self.end = self.date_line("end_date", self.tr("End date"), end, self.tr("(optional)"), required=False,
                                  future=True)
        self.status = self.combo("status", self.tr("Status"), _items(PROJECT_STATUSES), p.status if p else "proposed")
        self.summary = self.text("summary", self.tr("Summary"), p.summary if p else "")
        if p is not None:
            return
        self.members = self.student_checklist("members", self.tr("Members (the current student leads)"),
                                              _class_students(main), {student_id} if student_id else set(),
                                              "student_ids", "role")
        self.mentor_in = self.line("mentor.name", self.tr("In-school mentor"))
        self.mentor_ext = self.line("mentor_ext", self.tr("External mentor"), "", self.tr("name"))
        self.mentor_org = self.line("mentor.organisation", self.tr("External mentor's organisation"))

    def _fields(self) -> dict:
        return {"title": self.title_edit.text(), "kind": self.kind.currentData(),
                "discipline": self.discipline.text(), "start_date": self.start.text(),
                "end_date": self.end.text().strip() or None, "status": self.status.currentData(),
                "summary": self.summary.toPlainText()}

    def work(self):
        from ..services import projects
        values, pid = self._fields(), self.project_id
        if pid:
            def update(ctx):
                with ctx.session() as s:
                    return projects.update_project(s, pid, **values).id
            return update
        ids = self.checked_ids(self.members)
        leader = self.leader_id if self.leader_id in ids else (ids[0] if ids else None)
        values["members"] = [(sid, "leader" if sid == leader else "member") for sid in ids]
        values["mentors"] = []
        if self.mentor_in.text().strip():
            values["mentors"].append({"name": self.mentor_in.text(), "kind": "in_school"})
        if self.mentor_ext.text().strip():
            values["mentors"].append({"name": self.mentor_ext.text(), "kind": "external",
                                      "organisation": self.mentor_org.text()})
        values["term_code"] = self.main.term_code

        def run(ctx):
            with ctx.session() as s:
                return projects.create_project(s, **values).id
        return run


def new_project(main, student_id: str | None) -> FormDialog:
    return _open(ProjectDialog(main, student_id))


def edit_project(main, project_id: str) -> FormDialog:
    return _open(ProjectDialog(main, None, project_id))


class LogEntryDialog(FormDialog):
    """开题 / 中期 / 结题 or a note in a project's process log."""

    def __init__(self, main, project_id: str) -> None:
        super().__init__(main, self.tr("Add process log entry"))
        self.project_id = project_id
        self.stage = self.combo("stage", self.tr("Stage"), _items(PROJECT_LOG_STAGES), "midterm")
        self.date = self.date_line("entry_date", self.tr("Date"), _today())
        self.content = self.text("content", self.tr("Content"))

    def work(self):
        from ..services import projects
        pid, stage, when, content = self.project_id, self.stage.currentData(), self.date.text(), self.content.toPlainText()

        def run(ctx):
            with ctx.session() as s:
                return projects.add_log_entry(s, pid, stage, when, content).id
        return run


class OutcomeDialog(FormDialog):
    """A paper, patent, software copyright or work that came out of a project."""

    def __init__(self, main, project_id: str) -> None:
        super().__init__(main, self.tr("Add outcome"))
        self.project_id = project_id
        self.kind = self.combo("kind", self.tr("Kind"), _items(OUTCOME_KINDS), "paper")
        self.title_edit = self.line("title", self.tr("Title"))
        self.date = self.date_line("outcome_date", self.tr("Date"), "", self.tr("(optional)"), required=False)
        self.reference = self.line("reference", self.tr("Reference (patent no., journal…)"))

    def work(self):
        from ..services import projects
        values = (self.project_id, self.kind.currentData(), self.title_edit.text(), self.date.text().strip() or None,
                  self.reference.text())

        def run(ctx):
            with ctx.session() as s:
                return projects.add_outcome(s, *values).id
        return run


def add_project_log(main, project_id: str) -> FormDialog:
    return _open(LogEntryDialog(main, project_id))


def add_project_outcome(main, project_id: str) -> FormDialog:
    return _open(OutcomeDialog(main, project_id))


# ---------------------------------------------------------------- deleting

def delete_record(main, kind: str, record_id: str, student_id: str | None) -> QMessageBox:
    """Ask first (non-blocking), then delete through the service. A team award loses only this
    student; the others keep it."""
    # Literal context and text: lupdate files them under the context they are looked up in.
    text = {"evaluation": QCoreApplication.translate("MainWindow", "Delete this process evaluation?"),
            "evidence": QCoreApplication.translate("MainWindow", "Delete this evidence record?"),
            "result": QCoreApplication.translate("MainWindow",
                                                 "Remove this award from the student? Team members keep it."),
            "project": QCoreApplication.translate("MainWindow",
                                                  "Remove this project from the student? Other members keep it.")}[kind]
    box = QMessageBox(QMessageBox.Icon.Question, "GrowthDesk", text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, main)
    box.setObjectName("confirmDelete")
    yes = QMessageBox.StandardButton.Yes

    def clicked(button) -> None:
        if box.standardButton(button) == yes:
            main.ops.run(main, _deleter(kind, record_id, student_id), on_success=main.refresh_student)
    box.buttonClicked.connect(clicked)
    box.open()
    return box


def _deleter(kind: str, record_id: str, student_id: str | None):
    def run(ctx):
        from ..services import competitions, evaluations, evidence
        with ctx.session() as s:
            if kind == "evaluation":
                evaluations.delete_process_evaluation(s, record_id)
            elif kind == "evidence":
                evidence.delete_evidence(s, record_id)
            elif kind == "project":
                from ..services import projects
                members = projects.project_members(s, record_id)
                if len(members) > 1 and student_id in {m.student_id for m in members}:
                    me = next(m for m in members if m.student_id == student_id)
                    if me.role == "leader":  # the next member leads on
                        projects.set_leader(s, record_id, next(m.student_id for m in members
                                                               if m.student_id != student_id))
                    projects.remove_member(s, record_id, student_id)
                else:
                    projects.delete_project(s, record_id)
            else:
                others = [m.student_id for m in competitions.result_members(s, record_id) if m.student_id != student_id]
                if others:
                    competitions.set_members(s, record_id, others)
                else:
                    competitions.delete_result(s, record_id)
    return run


# ---------------------------------------------------------------- process evaluations

class EvaluationDialog(FormDialog):
    """A new process evaluation, or with ``evaluation_id`` an existing one to edit: the form starts
    from its stored values and only the fields the user changed are sent, so a level change takes
    that level's score and a typed score keeps its exact value."""

    def __init__(self, main, student_id: str, evaluation_id: str | None = None) -> None:
        super().__init__(main, self.tr("Edit process evaluation") if evaluation_id else self.tr("New process evaluation"))
        self.student_id, self.evaluation_id = student_id, evaluation_id
        old = self._stored(main, evaluation_id) if evaluation_id else {}
        lang = ui_app.lang()
        rub = main.rubric
        self.dim = self.combo("dimension", self.tr("Dimension"), [(d.code, d.name(lang)) for d in rub.dimensions],
                              old.get("dimension"))
        self.indicator = self.combo("indicator", self.tr("Indicator"), [])
        self.dim.currentIndexChanged.connect(self._indicators)
        self._indicators()
        if old:
            self.indicator.setCurrentIndex(max(0, self.indicator.findData(old["indicator"])))
        self.level = self.combo("level", self.tr("Level"), [(lv.code, f"{lv.code} {lv.label(lang)}")
                                                            for lv in rub.levels], old.get("level"))
        if old:  # a score typed elsewhere (sheet, import) need not be a level's score: show and keep it
            self.score = self.line("score", self.tr("Score"), old["score"], "0–100")
            self.level.currentIndexChanged.connect(self._level_score)
        role = old.get("evaluator_role") or ("adviser" if main.user.role == "adviser" else "teacher")
        self.role = self.combo("evaluator_role", self.tr("Evaluator role"), _items(EVALUATOR_ROLES), role)
        self.evaluator = self.line("evaluator_name", self.tr("Evaluator"), old.get("evaluator_name",
                                                                                   main.user.display_name))
        self.date = self.date_line("eval_date", self.tr("Date"), old.get("eval_date", _today()))
        self.comment = self.text("comment", self.tr("Comment"), old.get("comment", ""))
        self.original = self._values() if old else {}  # as the widgets show it: only edits differ

    def _level_score(self) -> None:
        """Picking a level shows its score, so the two never disagree unless the user types one."""
        lv = self.main.rubric.level(self.level.currentData())
        self.score.setText(f"{lv.score:g}")

    @staticmethod
    def _stored(main, evaluation_id: str) -> dict:
        from ..services import evaluations
        with main.db.session() as s:
            f = evaluations.evaluation_fields(s, evaluation_id)
        return {**f, "score": f"{f['score']:g}", "eval_date": f["eval_date"].isoformat()}

    def _indicators(self) -> None:
        self.indicator.clear()
        self.indicator.addItem(self.tr("(whole dimension)"), "")
        dim = self.main.rubric.dimension(self.dim.currentData()) if self.dim.currentData() else None
        for ind in dim.indicators if dim else ():
            self.indicator.addItem(ind.name_zh if ui_app.lang().startswith("zh") else ind.name_en, ind.code)

    def _values(self) -> dict:
        values = {"dimension": self.dim.currentData(), "indicator": self.indicator.currentData() or "",
                  "level": self.level.currentData(), "evaluator_role": self.role.currentData(),
                  "evaluator_name": self.evaluator.text(), "eval_date": self.date.text(),
                  "comment": self.comment.toPlainText()}
        if self.evaluation_id:
            values["score"] = self.score.text()
        return values

    def work(self):
        from ..services import evaluations
        values, eid = self._values(), self.evaluation_id
        if eid:
            changes = {k: v for k, v in values.items() if v != self.original[k]}

            def update(ctx):
                with ctx.session() as s:
                    return evaluations.update_process_evaluation(s, eid, **changes).id
            return update
        values.update(student_id=self.student_id, term_code=self.main.term_code)

        def run(ctx):
            with ctx.session() as s:
                return evaluations.record_process_evaluation(s, **values).id
        return run


def new_evaluation(main, student_id: str | None):
    return _open(EvaluationDialog(main, student_id)) if student_id and main.term_code else None


def edit_evaluation(main, evaluation_id: str | None):
    return _open(EvaluationDialog(main, main.student_id, evaluation_id)) if evaluation_id else None


def edit_term_evaluation(main, student_id: str | None) -> None:
    """The term evaluation is written in its own view (the counter and the class are there)."""
    main.tabs.setCurrentIndex(2)
    if student_id:
        ids = [r.student_id for r in main.term_view.rows]
        if student_id in ids:
            main.term_view.table.setCurrentCell(ids.index(student_id), 0)
        main.term_view.comment.setFocus()


# ---------------------------------------------------------------- evidence

def _kind_for(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or ""
    if mime.startswith("image/"):
        return "photo"
    if mime in ("application/pdf", "application/msword") or path.lower().endswith((".docx", ".pptx", ".doc")):
        return "report"
    return "other"


def attach_evidence(main, student_id: str, paths: list[str]) -> None:
    """Copy each file into the evidence folder (by hash) and attach it to the student."""
    from ..services import evidence
    db_path = main.db.path
    files = [p for p in paths if Path(p).is_file()]
    if not files:
        return

    def run(ctx):
        with ctx.session() as s:
            for i, p in enumerate(files):
                ctx.check()
                ctx.progress(i, len(files), Path(p).name)
                evidence.attach_file(s, db_path, owner_type="student", owner_id=student_id, file_path=p,
                                     kind=_kind_for(p))
        return len(files)

    main.ops.run(main, run, on_success=main.refresh_student, title=QCoreApplication.translate("MainWindow", "Attaching files…"),
                 progress=len(files) > 1)


class LinkDialog(FormDialog):
    """A video or web link as evidence (no file)."""

    def __init__(self, main, student_id: str) -> None:
        super().__init__(main, self.tr("Add link"))
        self.student_id = student_id
        self.url = self.line("url", self.tr("Link"), "", "https://")
        self.note = self.line("note", self.tr("Note"))

    def work(self):
        from ..services import evidence
        sid, url, note = self.student_id, self.url.text(), self.note.text()

        def run(ctx):
            with ctx.session() as s:
                return evidence.attach_link(s, owner_type="student", owner_id=sid, url=url, note=note).id
        return run


def add_link(main, student_id: str | None):
    return _open(LinkDialog(main, student_id)) if student_id else None


def evidence_target(main, evidence_id: str) -> str | None:
    """A local file path or a URL to open for this evidence record."""
    from ..models import Evidence
    from ..services.evidence import evidence_file_path
    with main.db.session() as s:
        ev = s.get(Evidence, evidence_id)
        if ev is None:
            return None
        if ev.url:
            return ev.url
        path = evidence_file_path(main.db, ev.sha256)
        name = ev.original_name or ""
    if not Path(path).is_file():
        show_message(main, QMessageBox.Icon.Warning,
                     QCoreApplication.translate("MainWindow", "The file of this evidence is not on this computer: %1").replace("%1", str(path)))
        return None
    from ..services.evidence import viewable_copy
    return str(viewable_copy(main.db, ev.sha256, name))  # a plain copy in a private temporary folder


# ---------------------------------------------------------------- accounts

class AccountDialog(FormDialog):
    def __init__(self, main) -> None:
        super().__init__(main, self.tr("New account"))
        self.login = self.line("login", self.tr("Login"))
        self.display = self.line("display_name", self.tr("Display name"))
        self.role = self.combo("role", self.tr("Role"), _items(ROLES), "teacher")
        self.password = self.line("password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        with main.db.session() as s:
            classes = views.visible_classes(s, main.user, None)
        self.cls = self.combo("class_id", self.tr("Teaches class"), [("", self.tr("(none)"))] +
                              [(c.id, c.label(ui_app.lang())) for c in classes])
        self.advises = _adviser_combo(self, classes)

    def work(self):
        from ..services import users
        login, name, role, pw = self.login.text(), self.display.text(), self.role.currentData(), self.password.text()
        cid, advised = self.cls.currentData(), self.advises.currentData()

        def run(ctx):
            with ctx.session() as s:
                u = users.create_user(s, login, name, role, pw)
                if cid:
                    users.assign_class(s, u.id, cid)
                if advised:
                    _make_adviser(s, u, advised)
                return u.id
        return run

    def saved(self, _r) -> None:
        pass


class AccountsDialog(FormDialog):
    """The school's accounts (active and stopped): add one, set a new password, stop or
    re-activate one. Admins only."""

    def __init__(self, main) -> None:
        super().__init__(main, self.tr("Accounts"))
        self.user_ids: list[str] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Display name"), self.tr("Role"),
                                              self.tr("Status"), self.tr("Class adviser of")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.form.addRow(self.table)
        row = QHBoxLayout()
        for name, text, slot in (("newAccount", self.tr("New account…"), lambda: _open_account(self)),
                                 ("setPassword", self.tr("Set password…"), lambda: self._with_user(self._password)),
                                 ("makeAdviser", self.tr("Class adviser of…"), lambda: self._with_user(self._adviser)),
                                 ("toggleAccount", self.tr("Stop / re-activate"),
                                  lambda: self._with_user(self._toggle))):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        self.layout().insertLayout(1, row)
        self.buttons.button(self.buttons.StandardButton.Cancel).hide()
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Close"))
        self.reload()

    def reload(self) -> None:
        from ..services import users
        with self.main.db.session() as s:
            rows = [(u.id, u.login, u.display_name, u.role, u.active) for u in users.list_users(s, include_inactive=True)]
            advised = views.advised_classes(s, ui_app.lang())
        self.user_ids = [r[0] for r in rows]
        self.table.setRowCount(len(rows))
        for r, (uid, login, name, role, active) in enumerate(rows):
            state = self.tr("Active") if active else self.tr("Stopped")
            for c, v in enumerate((login, name, views.label(ROLES, role, ui_app.lang()), state,
                                   "、".join(advised.get(uid, [])))):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def _with_user(self, action) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.user_ids):
            action(self.user_ids[r])

    def _password(self, user_id: str) -> FormDialog:
        dlg = PasswordDialog(self.main, user_id)
        dlg.open()
        return dlg

    def _adviser(self, user_id: str) -> FormDialog:
        dlg = AdviserDialog(self.main, user_id)
        dlg.accepted.connect(self.reload)
        dlg.open()
        return dlg

    def _toggle(self, user_id: str) -> None:
        from ..services import users
        me = self.main.user.id

        def run(ctx):
            if user_id == me:  # an admin must not lock themselves out
                from ..errors import ValidationError
                raise ValidationError("不能停用自己的账户", "you cannot stop your own account", field="user_id")
            with ctx.session() as s:
                u = users.get_user(s, user_id)
                (users.activate_user if not u.active else users.deactivate_user)(s, user_id)
        self.main.ops.run(self, run, on_success=lambda _r: self.reload())

    def submit(self) -> None:
        self.accept()


def _adviser_combo(dlg: FormDialog, classes) -> QComboBox:
    """Which class the account is the class adviser of: that adviser writes its term comments."""
    items = [("", QCoreApplication.translate("AccountDialog", "(none)"))] + [(c.id, f"{c.label(ui_app.lang())}  {c.adviser_name}".rstrip())
                                        for c in classes]
    return dlg.combo("adviser_class_id", QCoreApplication.translate("AccountDialog", "Class adviser of"),
                     items, "")


def _make_adviser(s, user, class_id: str) -> None:
    from ..services import students
    students.update_class(s, class_id, adviser_user_id=user.id, adviser_name=user.display_name)


class AdviserDialog(FormDialog):
    """Make an existing account the class adviser of a class (the previous adviser loses it)."""

    def __init__(self, main, user_id: str) -> None:
        super().__init__(main, self.tr("Class adviser"))
        self.user_id = user_id
        with main.db.session() as s:
            classes = views.visible_classes(s, main.user, None)
        self.advises = _adviser_combo(self, classes)

    def work(self):
        from ..services import users
        uid, cid = self.user_id, self.advises.currentData()

        def run(ctx):
            if not cid:
                from ..errors import ValidationError
                raise ValidationError("请选择班级", "pick a class", field="adviser_class_id")
            with ctx.session() as s:
                _make_adviser(s, users.get_user(s, uid), cid)
        return run

    def saved(self, _r) -> None:
        self.main.load_classes(int(self.main.term_code[:4]) if self.main.term_code else None)


class PasswordDialog(FormDialog):
    def __init__(self, main, user_id: str) -> None:
        super().__init__(main, self.tr("Set password"))
        self.user_id = user_id
        self.password = self.line("password", self.tr("New password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

    def work(self):
        from ..services import users
        uid, pw = self.user_id, self.password.text()

        def run(ctx):
            with ctx.session() as s:
                users.set_password(s, uid, pw)
        return run

    def saved(self, _r) -> None:
        pass


def _open_account(parent: AccountsDialog) -> None:
    dlg = AccountDialog(parent.main)
    dlg.accepted.connect(parent.reload)
    dlg.open()


def manage_accounts(main) -> FormDialog:
    return _open(AccountsDialog(main))

