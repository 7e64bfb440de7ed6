"""Issue 15 screens (pytest-qt, offscreen): the student's own entry window, the teacher's review
queue and the adviser's term archive dialog. Each is rendered at 1366x768 into test-artifacts/."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from growthdesk.models import ArchiveItem, Objection, SelfRecord
from growthdesk.services import _common, archive, review, self_records
from tests.dbdump import dump
from tests.zongping_fixtures import build, copy, user
from tests.zongping_fixtures import settle as _wait, shot as _shot, zh_app as _app

TERM = "2026-2027-1"


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    path = tmp_path_factory.mktemp("zpui") / "t.db"
    return path, build(path)


@pytest.fixture()
def db(tmp_path, _template, monkeypatch):
    monkeypatch.setattr(_common, "today", lambda: date(2026, 11, 2))  # a Monday of the term
    d = copy(_template[0], _template[1], tmp_path / "s.db")
    yield d
    d.close()


def test_student_writes_saves_and_submits_a_self_record_and_sees_only_their_own(qtbot, db):
    from growthdesk.ui.student_home import StudentWindow
    _app()
    sid = db.sample.junior[0]
    other = db.sample.junior[1]
    with db.session(user=db.sample.logins[other]) as s:  # a classmate's draft: never listed here
        theirs = self_records.create_self_record(s, student_id=other, title="李四的活动", activity_date=date(2026, 10, 8)).id
    win = StudentWindow(db, user(db, db.sample.logins[sid]))
    qtbot.addWidget(win)
    win.show()
    assert "张三" in win.header.text() and win.table.rowCount() == 0
    win.title.setText("校园科技节志愿讲解")
    win.when.setDate(QDate(2026, 10, 16))
    win.place.setText("学校科技馆")
    win.hours.setValue(3)
    win.role.setText("讲解员")
    win.reflection.setPlainText("学会了把复杂的原理讲给低年级同学听。")
    QTest.mouseClick(win.save_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert win.table.rowCount() == 1 and win.table.item(0, 3).text() == "草稿"
    win.table.selectRow(0)
    QTest.mouseClick(win.submit_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert win.table.item(0, 3).text() == "待审核"
    with db.session() as s:
        rows = s.query(SelfRecord).filter_by(student_id=sid).all()
        assert [(r.title, r.state, r.entered_role, r.hours) for r in rows] == [("校园科技节志愿讲解", "submitted", "student", 3.0)]
    win.table.selectRow(0)
    assert not win.submit_btn.isEnabled() and "不能再修改" in win.error.text()
    _shot(win, "student_entry_zh_CN")
    # a crafted edit of a classmate's record through the window: refused in Chinese, nothing changed
    before = dump(db)
    win.editing = theirs
    win.title.setText("改别人的记录")
    QTest.mouseClick(win.save_btn, Qt.MouseButton.LeftButton) if win.save_btn.isEnabled() else win.save(False)
    _wait(qtbot, win.ops)
    assert "本人" in win.error.text()
    assert dump(db) == before


def test_review_queue_bulk_approves_and_returns_with_a_reason(qtbot, db):
    from growthdesk.ui.main_window import MainWindow
    _app()
    ids = []
    for i, sid in enumerate(db.sample.junior):
        with db.session(user=db.sample.logins[sid]) as s:
            rid = self_records.create_self_record(s, student_id=sid, title=f"社区服务{i + 1}",
                                                  activity_date=date(2026, 9, 5 + i), hours=2).id
            review.submit(s, "self_record", rid)
        ids.append(rid)
    with db.session() as s:  # what the hub's import held back from a lab PC
        archive.hold_back(s, "self_record", {"id": ids[0], "title": "改过的"},
                          ("记录已进入公示，公示和签字确认期间冻结", "frozen"), source="S0001-W02")
    win = MainWindow(db, user(db, "wang"))
    qtbot.addWidget(win)
    win.show()
    dlg = win.open_review_queue()
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 4 and dlg.table.item(0, 3).text() == "社区服务1"
    assert not dlg.held.isHidden() and "S0001-W02" in dlg.held.text() and "冻结" in dlg.held.text()
    assert "补录" in dlg.table.item(0, 5).text()  # entered more than 30 days after 5 September
    _shot(dlg, "review_queue_zh_CN")
    dlg.table.selectRow(3)
    dlg.return_selected("请补充活动证明")
    _wait(qtbot, win.ops)
    assert dlg.table.rowCount() == 3
    dlg.table.selectAll()
    QTest.mouseClick(dlg.approve_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert dlg.table.rowCount() == 0
    with db.session() as s:
        states = {r.id: (r.state, r.return_reason) for r in s.query(SelfRecord).all()}
    assert [states[x] for x in ids] == [("approved", "")] * 3 + [("returned", "请补充活动证明")]


def test_archive_dialog_selection_publicity_sheet_objection(qtbot, db, tmp_path):
    from growthdesk.ui.main_window import MainWindow
    _app()
    for i, sid in enumerate(db.sample.junior[:3]):
        with db.session(user="wang") as s:  # entered on the students' behalf from paper: approved
            self_records.create_self_record(s, student_id=sid, title=f"研学旅行{i + 1}", activity_date=date(2026, 10, 9))
    win = MainWindow(db, user(db, "wang"))
    qtbot.addWidget(win)
    win.show()
    win.select_class(db.sample.junior_class)
    win.select_term(TERM)
    dlg = win.open_archive()
    qtbot.addWidget(dlg)
    assert dlg.tree.topLevelItemCount() == 4
    dlg._tick_all(True)
    assert dlg.tree.topLevelItem(0).text(0).endswith("（1/1）")
    _shot(dlg, "archive_selection_zh_CN")
    QTest.mouseClick(dlg.save_sel_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    dlg.tabs.setCurrentIndex(1)
    dlg.start.setDate(QDate(2026, 11, 2))
    assert dlg.end.date() == QDate(2026, 11, 13) and "10 个工作日" in dlg.days.text()
    _shot(dlg, "archive_publicity_zh_CN")
    QTest.mouseClick(dlg.open_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert not dlg.open_btn.isEnabled() and "公示中" in dlg.status.text()
    out = tmp_path / "wall.pdf"
    dlg.print_sheet(str(out))
    _wait(qtbot, win.ops)
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "研学旅行1" in text and "张三" in text and "G1101" not in text
    dlg.tabs.setCurrentIndex(2)
    dlg.obj_by.setCurrentIndex(dlg.obj_by.findData("parent"))
    dlg.obj_name.setText("王五家长")
    dlg.obj_text.setText("王五那天没有参加研学")
    dlg.obj_item.setCurrentIndex([t for _, t in dlg.items].index(next(t for _, t in dlg.items if t.startswith("王五"))))
    QTest.mouseClick(dlg.findChild(type(dlg.open_btn), "addObjection"), Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert dlg.obj_table.rowCount() == 1 and dlg.obj_table.item(0, 4).text() == "待处理"
    dlg.obj_table.selectRow(0)
    dlg.outcome.setCurrentIndex(dlg.outcome.findData("removed"))
    dlg.outcome_reason.setText("核实考勤，确未参加")
    QTest.mouseClick(dlg.findChild(type(dlg.open_btn), "resolveObjection"), Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert dlg.obj_table.item(0, 4).text() == "撤下"
    _shot(dlg, "archive_objections_zh_CN")
    with db.session() as s:
        assert s.query(Objection).one().outcome == "removed"
        assert sum(1 for it in s.query(ArchiveItem).all() if it.removed) == 1
    dlg.tabs.setCurrentIndex(3)
    _shot(dlg, "archive_signoff_zh_CN")
    assert not dlg.adviser_btn.isEnabled()  # the period runs until 13 November


def test_password_slips_for_the_class_from_the_main_window(qtbot, db, tmp_path):
    from growthdesk.services import students, users
    from growthdesk.ui.main_window import MainWindow
    _app()
    with db.session() as s:
        body = "11010120140799999"
        st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name="新同学",
                                     gender="F", class_id=db.sample.junior_class)
    win = MainWindow(db, user(db, "admin"))  # accounts are the school admin's (services.access)
    qtbot.addWidget(win)
    win.show()
    win.select_class(db.sample.junior_class)
    out = tmp_path / "slips.pdf"
    win.student_slips(str(out))
    _wait(qtbot, win.ops)
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "新同学" in text and "张三" not in text  # only the student without an account
    with db.session() as s:
        assert users.find_user(s, "s2026070305").student_id == st.id


def test_student_sees_the_class_publicity_objects_and_confirms(qtbot, db, monkeypatch):
    from growthdesk.models import SignOff
    from growthdesk.ui.student_home import StudentWindow
    _app()
    jun = db.sample.junior
    for i, sid in enumerate(jun[:3]):
        with db.session(user="wang") as s:
            self_records.create_self_record(s, student_id=sid, title=f"研学旅行{i + 1}", activity_date=date(2026, 10, 9))
    with db.session(user="wang") as s:
        cands = archive.candidates(s, TERM, db.sample.junior_class)
        archive.select_records(s, TERM, db.sample.junior_class,
                               [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records])
        archive.open_publicity(s, TERM, db.sample.junior_class, date(2026, 11, 2))
    li = db.sample.logins[jun[1]]
    win = StudentWindow(db, user(db, li))
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentIndex(1)
    assert win.wall.rowCount() == 3 and "1 条记录在班级公示中" in win.notice.text()
    texts = [win.wall.item(i, 2).text() for i in range(3)]
    win.wall.selectRow(texts.index("研学旅行1"))
    win.objection.setText("张三那天请假了")
    QTest.mouseClick(win.object_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert "已登记" in win.notice.text()
    _shot(win, "student_publicity_zh_CN")
    with db.session() as s:
        o = s.query(Objection).one()
        assert (o.raised_by, o.raised_by_name, o.entered_by) == ("classmate", "李四", li)
    QTest.mouseClick(win.confirm_btn, Qt.MouseButton.LeftButton)  # too early: in Chinese, nothing written
    _wait(qtbot, win.ops)
    assert "公示期到" in win.notice.text()
    monkeypatch.setattr(_common, "today", lambda: date(2026, 11, 16))
    with db.session(user="wang") as s:
        archive.resolve_objection(s, o.id, "kept", "核对考勤：当天上午在校")
    QTest.mouseClick(win.confirm_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert "已确认" in win.notice.text()
    with db.session() as s:
        assert [(x.kind, x.student_id) for x in s.query(SignOff).all()] == [("student", jun[1])]


def test_student_enters_an_award_with_its_certificate_photo_and_the_rules_speak(qtbot, db, tmp_path):
    from growthdesk.models import CompetitionResult, Evidence
    from growthdesk.ui.student_home import StudentWindow
    _app()
    sid = db.sample.junior[0]
    win = StudentWindow(db, user(db, db.sample.logins[sid]))
    qtbot.addWidget(win)
    win.show()
    win.forms.setCurrentIndex(1)
    # 全国青少年科技创新大赛 is open to senior students only: refused in Chinese, nothing written
    before = dump(db)
    win.competition.setCurrentIndex(win.competition.findText("全国青少年科技创新大赛"))
    win.level.setCurrentIndex(win.level.findData("national"))
    win.award.setCurrentIndex(win.award.findData("first"))
    win.award_date.setDate(QDate(2026, 10, 20))
    QTest.mouseClick(win.award_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert "只面向高中学生" in win.award_error.text()
    assert dump(db) == before
    photo = tmp_path / "证书.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"1" * 128)
    win.competition.setCurrentIndex(win.competition.findText("全国青少年人工智能创新挑战赛"))
    win.level.setCurrentIndex(win.level.findData("municipal"))
    win.photo.setText(str(photo))
    QTest.mouseClick(win.award_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert win.award_error.text() == ""
    rows = [win.table.item(i, 1).text() for i in range(win.table.rowCount())]
    assert any("人工智能创新挑战赛 市级一等奖" in r for r in rows)
    _shot(win, "student_award_zh_CN")
    with db.session() as s:
        r = s.query(CompetitionResult).one()
        assert (r.state, r.entered_role) == ("submitted", "student")
        assert s.query(Evidence).filter_by(owner_id=r.id, kind="certificate").count() == 1
    with db.session(user="wang") as s:
        assert review.approve(s, [("result", r.id)]) == 1  # the photo counts as its certificate
