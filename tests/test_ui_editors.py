"""Editors for each kind of record, through the real dialogs: what they store, and where a
mistake is shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton
from sqlalchemy import func, select

from growthdesk.models import (CompetitionResultMember, Evidence, InnovationProject, ProcessEvaluation,
                               ProjectLogEntry, ProjectMember, ProjectMentor, ProjectOutcome, Student)
from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401


def _window(qtbot, db, info, login="admin"):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, login))
    qtbot.addWidget(win)
    win.show()
    win.select_class(info["class_id"])
    return win


def _save(qtbot, win, dlg) -> None:
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)


def test_new_student_bad_number_points_at_the_field_then_saves(qtbot, ui_school):
    from growthdesk.services.students import gb11643_check
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    dlg = editors.new_student(win)
    dlg.no.setText("G12345")
    dlg.name.setText("孙七")
    dlg.birth.setText("2013-02-30")
    _save(qtbot, win, dlg)
    assert dlg.isVisible() and dlg.errors["national_student_no"].isVisible()
    assert "学籍号" in dlg.errors["national_student_no"].text()
    assert dlg.name.text() == "孙七" and dlg.birth.text() == "2013-02-30"  # kept
    body = "11010120130100099"
    dlg.no.setText("G" + body + gb11643_check(body))
    _save(qtbot, win, dlg)
    assert dlg.errors["birth_date"].isVisible() and not dlg.errors["national_student_no"].isVisible()
    dlg.birth.setText("2013-02-28")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        st = s.scalars(select(Student).where(Student.name == "孙七")).one()
    assert st.class_id == info["class_id"] and st.birth_date == date(2013, 2, 28) and st.stage == "junior"
    assert win.model.rowCount() == 7 and win.page.profile_labels["name"].text() == "孙七"


def test_project_with_members_mentors_log_and_outcome(qtbot, ui_school):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    lead, other = info["student_ids"][0], info["student_ids"][3]
    win.select_student(lead)
    dlg = editors.new_project(win, lead)
    dlg.title_edit.setText("校园雨水回收装置")
    dlg.kind.setCurrentIndex(dlg.kind.findData("engineering"))
    for i in range(dlg.members.count()):
        if dlg.members.item(i).data(Qt.ItemDataRole.UserRole) == other:
            dlg.members.item(i).setCheckState(Qt.CheckState.Checked)
    dlg.mentor_in.setText("刘老师")
    dlg.mentor_ext.setText("陈研究员")
    dlg.mentor_org.setText("市水利研究所")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        p = s.scalars(select(InnovationProject)).one()
        roles = {m.student_id: m.role for m in s.scalars(select(ProjectMember))}
        mentors = {(m.name, m.kind, m.organisation) for m in s.scalars(select(ProjectMentor))}
    assert p.kind == "engineering" and p.term_code == info["term"]
    assert roles == {lead: "leader", other: "member"}
    assert mentors == {("刘老师", "in_school", ""), ("陈研究员", "external", "市水利研究所")}
    assert win.page.projects.rowCount() == 1
    win.page.projects.setCurrentCell(0, 0)
    win.page.btn_log.click()
    log = win.findChild(editors.LogEntryDialog)
    log.stage.setCurrentIndex(log.stage.findData("opening"))
    log.content.setPlainText("完成开题报告。")
    _save(qtbot, win, log)
    win.page.btn_outcome.click()
    out = win.findChild(editors.OutcomeDialog)
    out.kind.setCurrentIndex(out.kind.findData("patent"))
    out.title_edit.setText("一种雨水收集装置")
    out.reference.setText("ZL2026XXXX")
    _save(qtbot, win, out)
    with db.session() as s:
        assert [e.stage for e in s.scalars(select(ProjectLogEntry))] == ["opening"]
        assert [(o.kind, o.reference) for o in s.scalars(select(ProjectOutcome))] == [("patent", "ZL2026XXXX")]


def test_process_evaluation_dialog_and_delete(qtbot, ui_school):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info, "teacher")
    sid = info["student_ids"][2]
    win.select_student(sid)
    dlg = editors.new_evaluation(win, sid)
    dlg.dim.setCurrentIndex(dlg.dim.findData("innovation"))
    dlg.indicator.setCurrentIndex(dlg.indicator.findData("inquiry"))
    dlg.level.setCurrentIndex(dlg.level.findData("A"))
    dlg.comment.setPlainText("实验设计有创意")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        ev = s.scalars(select(ProcessEvaluation)).one()
    assert (ev.dimension, ev.indicator, ev.level, ev.score, ev.evaluator_name) == ("innovation", "inquiry", "A", 95, "李老师")
    assert win.page.evaluations.rowCount() == 1
    win.page.evaluations.setCurrentCell(0, 0)
    win.page.findChild(QObject, "delete_evaluation").click()
    box = win.findChild(QMessageBox, "confirmDelete")
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert s.get(ProcessEvaluation, ev.id).deleted
    assert win.page.evaluations.rowCount() == 0


def test_removing_a_team_award_from_one_student_keeps_it_for_the_others(qtbot, ui_school):
    from growthdesk.services import competitions
    from growthdesk.ui import editors
    db, info = ui_school
    ids = info["student_ids"][:3]
    with db.session(user="admin") as s:
        comp = competitions.list_competitions(s)[0]
        rid = competitions.record_result(s, competition_id=comp.id, student_ids=ids, level="municipal", award="second",
                                         award_date=date.today()).id
    win = _window(qtbot, db, info)
    win.select_student(ids[0])
    win.page.results.setCurrentCell(0, 0)
    box = editors.delete_record(win, "result", rid, ids[0])
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        left = {m.student_id for m in s.scalars(select(CompetitionResultMember).where(
            CompetitionResultMember.result_id == rid, CompetitionResultMember.deleted.is_(False)))}
    assert left == set(ids[1:])


class _Opener(QObject):
    """Receives what QDesktopServices would hand to the system (a real Qt hook, not a mock)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


# Qt has only the deprecated QPoint constructor for a synthetic drag-enter; the drop itself is real.
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_dropped_file_is_stored_by_hash_and_opens_on_double_click(qtbot, ui_school, tmp_path):
    db, info = ui_school
    win = _window(qtbot, db, info)
    sid = info["student_ids"][0]
    win.select_student(sid)
    cert = tmp_path / "获奖证书.png"
    cert.write_bytes(b"\x89PNG\r\n\x1a\n" + b"certificate" * 50)
    table = win.page.evidence
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(cert))])
    at, buttons, mods = QPointF(10, 10), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(table.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(table.viewport(), QDropEvent(at, Qt.DropAction.CopyAction, mime, buttons, mods))
    wait_ops(qtbot, win)
    assert win.ops.last_error == ""
    with db.session() as s:
        ev = s.scalars(select(Evidence)).one()
    assert (ev.owner_type, ev.owner_id, ev.kind, ev.original_name) == ("student", sid, "photo", "获奖证书.png")
    assert table.rowCount() == 1
    opener = _Opener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    try:
        table.itemDoubleClicked.emit(table.item(0, 0))
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(opener.urls) == 1
    opened = opener.urls[0].toLocalFile()
    assert opened.endswith(ev.sha256) and open(opened, "rb").read() == cert.read_bytes()


def test_editing_an_award_changes_verification_and_members(qtbot, ui_school):
    from growthdesk.models import CompetitionResult
    from growthdesk.services import competitions
    from growthdesk.ui import editors
    db, info = ui_school
    ids = info["student_ids"][:3]
    with db.session(user="admin") as s:
        comp = competitions.list_competitions(s)[0]
        rid = competitions.record_result(s, competition_id=comp.id, student_ids=ids, level="district", award="third",
                                         award_date=date.today(), team_name="星火队").id
    win = _window(qtbot, db, info)
    win.select_student(ids[0])
    win.page.results.itemDoubleClicked.emit(win.page.results.item(0, 0))
    dlg = win.findChild(editors.ResultDialog)
    assert dlg.result_id == rid and dlg.team.text() == "星火队"
    assert sorted(dlg.checked_ids(dlg.members)) == sorted(ids)
    dlg.verification.setCurrentIndex(dlg.verification.findData("verified"))
    for i in range(dlg.members.count()):
        if dlg.members.item(i).data(Qt.ItemDataRole.UserRole) == ids[2]:
            dlg.members.item(i).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert s.get(CompetitionResult, rid).verification == "verified"
        members = {m.student_id for m in competitions.result_members(s, rid)}
    assert members == set(ids[:2])


def test_editing_a_project_points_at_a_bad_end_date(qtbot, ui_school):
    from growthdesk.services import projects
    from growthdesk.ui import editors
    db, info = ui_school
    sid = info["student_ids"][0]
    with db.session(user="admin") as s:
        pid = projects.create_project(s, title="智能垃圾分类", kind="software", term_code=info["term"],
                                      start_date=date.today(), members=[(sid, "leader")]).id
    win = _window(qtbot, db, info)
    win.select_student(sid)
    win.page.projects.itemDoubleClicked.emit(win.page.projects.item(0, 0))
    dlg = win.findChild(editors.ProjectDialog)
    assert dlg.title_edit.text() == "智能垃圾分类"
    dlg.status.setCurrentIndex(dlg.status.findData("concluded"))
    dlg.end.setText("2000-01-01")
    _save(qtbot, win, dlg)
    assert dlg.errors["end_date"].isVisible() and dlg.isVisible()
    dlg.end.setText(date.today().isoformat())
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        p = s.get(InnovationProject, pid)
    assert p.status == "concluded" and p.end_date == date.today()


def test_link_evidence_checks_the_address_beside_the_field(qtbot, ui_school):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    sid = info["student_ids"][1]
    win.select_student(sid)
    win.page.btn_link.click()
    dlg = win.findChild(editors.LinkDialog)
    dlg.url.setText("www.example.com/video")
    dlg.note.setText("答辩视频")
    _save(qtbot, win, dlg)
    assert dlg.errors["url"].isVisible() and "链接" in dlg.errors["url"].text() and dlg.note.text() == "答辩视频"
    dlg.url.setText("https://www.example.com/video")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        ev = s.scalars(select(Evidence)).one()
    assert (ev.kind, ev.url, ev.owner_id) == ("video_link", "https://www.example.com/video", sid)


def test_admin_adds_an_account_sets_its_password_and_stops_it(qtbot, ui_school):
    from growthdesk.errors import ValidationError
    from growthdesk.services import users, views
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    accounts = editors.manage_accounts(win)
    accounts.findChild(QPushButton, "newAccount").click()
    new = win.findChild(editors.AccountDialog)
    new.login.setText("wanglaoshi")
    new.display.setText("王老师")
    new.role.setCurrentIndex(new.role.findData("adviser"))
    new.password.setText("abc")
    new.cls.setCurrentIndex(new.cls.findData(info["class_id"]))
    _save(qtbot, win, new)
    assert new.errors["password"].isVisible()
    new.password.setText("abcdef-12")
    with qtbot.waitSignal(new.accepted, timeout=5000):
        new.buttons.button(new.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert accounts.table.rowCount() == 4
    row = [accounts.table.item(r, 0).text() for r in range(4)].index("wanglaoshi")
    accounts.table.setCurrentCell(row, 0)
    pw = accounts._password(accounts.user_ids[row])
    pw.password.setText("new-pass-1")
    with qtbot.waitSignal(pw.accepted, timeout=5000):
        pw.buttons.button(pw.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        assert users.authenticate(s, "wanglaoshi", "new-pass-1").role == "adviser"
        assert [c.id for c in views.visible_classes(s, users.find_user(s, "wanglaoshi"))] == [info["class_id"]]
    accounts._toggle(accounts.user_ids[row])
    wait_ops(qtbot, win)
    assert accounts.table.item(row, 3).text() == "已停用"
    with db.session() as s:
        with pytest.raises(ValidationError):
            users.authenticate(s, "wanglaoshi", "new-pass-1")


def test_member_list_filters_by_pinyin_and_keeps_ticks(qtbot, ui_school):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    dlg = editors.new_result(win, [info["student_ids"][0]])
    assert dlg.members.item(0).text().startswith("张三")  # the ticked student first
    search = dlg.findChild(QLineEdit, "student_idsFilter")
    QTest.keyClicks(search, "zxm")
    shown = [dlg.members.item(i).text().split()[0] for i in range(dlg.members.count())
             if not dlg.members.item(i).isHidden()]
    assert shown == ["张三", "曾小明"]  # the ticked one stays in sight
    assert dlg.checked_ids(dlg.members) == [info["student_ids"][0]]
    dlg.reject()


def _stored_eval(db, eid):
    with db.session() as s:
        ev = s.get(ProcessEvaluation, eid)
        return (ev.dimension, ev.indicator, ev.level, ev.score, ev.comment, ev.eval_date, ev.updated_by)


def test_process_evaluation_is_edited_by_double_click_or_edit_button(qtbot, ui_school):
    from growthdesk.services import evaluations
    from growthdesk.ui.editors import EvaluationDialog
    db, info = ui_school
    sid = info["student_ids"][4]
    with db.session(user="teacher") as s:
        eid = evaluations.record_process_evaluation(
            s, student_id=sid, term_code=info["term"], dimension="innovation", indicator="inquiry", level="B",
            evaluator_role="teacher", evaluator_name="李老师", eval_date=date.today(), comment="有想法").id
    win = _window(qtbot, db, info, "teacher")
    win.select_student(sid)
    table = win.page.evaluations
    win.page.setCurrentWidget(table.parentWidget())
    rect = table.visualItemRect(table.item(0, 2))
    # A real double-click is press, release, double-click: the view opens what was pressed.
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    dlg = win.findChild(EvaluationDialog)
    assert dlg is not None and dlg.isVisible() and dlg.windowTitle() == "修改过程性评价"
    assert (dlg.dim.currentData(), dlg.indicator.currentData(), dlg.level.currentData(), dlg.score.text(),
            dlg.date.text(), dlg.comment.toPlainText()) == ("innovation", "inquiry", "B", "85",
                                                           date.today().isoformat(), "有想法")
    before = _stored_eval(db, eid)
    dlg.date.setText((date.today() + timedelta(days=1)).isoformat())   # in the future
    _save(qtbot, win, dlg)
    assert dlg.isVisible() and dlg.errors["eval_date"].isVisible() and "晚于今天" in dlg.errors["eval_date"].text()
    assert _stored_eval(db, eid) == before   # nothing changed
    dlg.date.setText(date.today().isoformat())
    dlg.dim.setCurrentIndex(dlg.dim.findData("moral"))  # the indicator list follows: whole dimension
    dlg.level.setCurrentIndex(dlg.level.findData("A"))
    assert dlg.score.text() == "95"
    dlg.comment.setPlainText("乐于助人")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert _stored_eval(db, eid) == ("moral", "", "A", 95, "乐于助人", date.today(), "teacher")
    assert table.rowCount() == 1 and table.item(0, 2).text() == "A" and table.item(0, 1).text() == "思想品德"

    # The 编辑 button edits the selected row; a typed score keeps its value, off-scale is refused.
    table.setCurrentCell(0, 0)
    win.page.findChild(QPushButton, "edit_evaluation").click()
    dlg, = [d for d in win.findChildren(EvaluationDialog) if d.isVisible()]  # the first awaits deletion
    dlg.score.setText("101")
    _save(qtbot, win, dlg)
    assert dlg.errors["score"].isVisible() and dlg.isVisible()
    dlg.score.setText("91.5")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert _stored_eval(db, eid)[2:4] == ("A", 91.5)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessEvaluation)) == 1   # edited, not added


def test_admin_makes_an_account_class_adviser_who_then_writes_term_comments(qtbot, ui_school):
    from growthdesk.models import SchoolClass
    from growthdesk.services import evaluations, users
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info)
    accounts = editors.manage_accounts(win)
    logins = [accounts.table.item(r, 0).text() for r in range(accounts.table.rowCount())]
    assert accounts.table.item(logins.index("adviser"), 4).text() == "初一(1)班"
    row = logins.index("teacher")
    accounts.table.setCurrentCell(row, 0)
    accounts.findChild(QPushButton, "makeAdviser").click()
    dlg = win.findChild(editors.AdviserDialog)
    _save(qtbot, win, dlg)  # no class picked: said beside the field
    assert dlg.isVisible() and dlg.errors["adviser_class_id"].isVisible()
    dlg.advises.setCurrentIndex(dlg.advises.findData(info["class_id"]))
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert accounts.table.item(row, 4).text() == "初一(1)班"
    assert accounts.table.item(logins.index("adviser"), 4).text() == ""  # the class has one adviser
    with db.session() as s:
        cls = s.get(SchoolClass, info["class_id"])
        assert (cls.adviser_user_id, cls.adviser_name) == (info["teacher_id"], "李老师")
        assert evaluations.may_write_term_evaluation(s, users.find_user(s, "teacher"), info["class_id"])
        assert not evaluations.may_write_term_evaluation(s, users.find_user(s, "adviser"), info["class_id"])
