"""Issue 15 screens left at the last stop (pytest-qt, offscreen, rendered at 1366x768 into
test-artifacts/): amendments beside the original (the archive dialog and the portfolio PDF), the
school's 综评 settings (holidays, back-fill threshold, minimum publicity days, the teacher
designated for a grade's objections) and an empty class opening its publicity so that the
principal's sign-off of the grade can proceed."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from growthdesk.errors import ValidationError
from growthdesk.models import Amendment, SelfRecord, User
from growthdesk.services import _common, archive, review, self_records, students
from growthdesk.services.terms import ensure_term
from tests.dbdump import dump
from tests.zongping_fixtures import build, copy, user
from tests.zongping_fixtures import settle as _wait, shot as _shot, zh_app as _app

TERM = "2026-2027-1"


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    path = tmp_path_factory.mktemp("zps") / "t.db"
    return path, build(path)


class Clock:
    def __init__(self, monkeypatch):
        self.mp = monkeypatch

    def set(self, d: date) -> None:
        self.mp.setattr(_common, "today", lambda: d)


@pytest.fixture()
def clock(monkeypatch):
    c = Clock(monkeypatch)
    c.set(date(2026, 10, 30))
    return c


@pytest.fixture()
def db(tmp_path, _template, clock):
    d = copy(_template[0], _template[1], tmp_path / "s.db")
    yield d
    d.close()


def _main(qtbot, db, login):
    from growthdesk.ui.main_window import MainWindow
    _app()
    win = MainWindow(db, user(db, login))
    qtbot.addWidget(win)
    win.show()
    return win


def locked_term(db, clock) -> dict[str, str]:
    """Each junior student has one approved activity, all picked, shown 10 working days,
    confirmed, signed by the adviser and signed off by the principal: the archive is locked."""
    jun, cls = db.sample.junior, db.sample.junior_class
    ids = {}
    for i, sid in enumerate(jun):
        with db.session(user="wang") as s:  # entered from paper on the students' behalf: approved
            ids[sid] = self_records.create_self_record(s, student_id=sid, title=f"社区志愿服务{i + 1}",
                                                       activity_date=date(2026, 10, 9), place="幸福社区", hours=2).id
    with db.session(user="wang") as s:
        archive.select_records(s, TERM, cls, [(c.student_id, r.record_type, r.record_id)
                                              for c in archive.candidates(s, TERM, cls) for r in c.records])
        archive.open_publicity(s, TERM, cls, date(2026, 11, 2))
    clock.set(date(2026, 11, 16))
    for sid in jun:
        with db.session(user="wang") as s:
            archive.confirm_student(s, TERM, sid)
    with db.session(user="wang") as s:
        archive.sign_adviser(s, TERM, cls)
    with db.session(user="admin") as s:
        archive.sign_principal(s, TERM, 2026, 7, signer_name="陈校长")
    return ids


# ---------------------------------------------------------------- amendments

def test_amendment_is_entered_in_the_archive_dialog_and_shown_beside_the_original(qtbot, db, clock, tmp_path):
    ids = locked_term(db, clock)
    jun = db.sample.junior
    win = _main(qtbot, db, "wang")
    win.select_class(db.sample.junior_class)
    win.select_term(TERM)
    dlg = win.open_archive()
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(4)
    assert dlg.tabs.tabText(4) == "5 归档后更正"
    assert "已签发归档" in dlg.amend_info.text() and dlg.amend_btn.isEnabled()
    assert dlg.amend_table.rowCount() == 4
    row = next(i for i in range(4) if dlg.amend_table.item(i, 0).text() == "王五")
    assert dlg.amend_table.item(row, 1).text().startswith("社区志愿服务3（2026年10月9日")

    # nothing picked: told so, nothing written
    before = dump(db)
    dlg.amend_table.clearSelection()
    dlg.add_amendment()
    assert dump(db) == before
    # no reason: refused in Chinese, nothing written
    dlg.amend_table.selectRow(row)
    dlg.amend_content.setText("服务时长应为 3 小时")
    QTest.mouseClick(dlg.amend_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    assert "更正理由" in win.ops.last_error and dump(db) == before
    win.ops.last_box and win.ops.last_box.close()

    dlg.amend_table.selectRow(row)
    dlg.amend_content.setText("服务时长应为 3 小时")
    dlg.amend_reason.setText("补交的签到表显示为 3 小时")
    QTest.mouseClick(dlg.amend_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    row = next(i for i in range(4) if dlg.amend_table.item(i, 0).text() == "王五")
    beside = dlg.amend_table.item(row, 2).text()
    assert "服务时长应为 3 小时" in beside and "补交的签到表" in beside and "王老师" in beside
    assert "2026年11月16日" in beside or "年" in beside
    assert dlg.amend_table.item(row, 1).text().startswith("社区志愿服务3")  # the original as signed
    assert not dlg.amend_content.text()
    _shot(dlg, "archive_amendments_zh_CN")
    with db.session() as s:
        a = s.query(Amendment).one()
        assert (a.student_id, a.record_id, a.amended_by) == (jun[2], ids[jun[2]], "wang")
        assert s.get(SelfRecord, ids[jun[2]]).hours == 2  # the original stays

    # the portfolio prints the original beside the amendment (one table row)
    from growthdesk.reports.batch import render_portfolios, resolve_scope
    with db.session() as s:
        scope = resolve_scope(s, TERM, class_ref="初一(3)班")
    pdf = tmp_path / "class.pdf"
    render_portfolios(db, scope, pdf, per_student=False, class_sheet=False)
    pages = [pg.extract_text() for pg in PdfReader(pdf).pages]
    page = next(p for p in pages if "归档后更正" in p)
    part = page[page.index("归档后更正"):]
    assert "原记录" in part and "更正理由" in part and "更正人、日期" in part
    assert part.index("社区志愿服务3") < part.index("服务时长应为 3 小时") < part.index("补交的签到表")
    assert "王老师" in part and "wang" not in part
    assert sum("归档后更正" in p for p in pages) == 1  # only 王五's portfolio has one


def test_amendment_before_the_lock_is_refused_and_the_tab_says_why(qtbot, db, clock):
    with db.session(user="wang") as s:
        rid = self_records.create_self_record(s, student_id=db.sample.junior[0], title="研学",
                                              activity_date=date(2026, 10, 9)).id
        with pytest.raises(ValidationError, match="不在已归档的档案中"):
            archive.amend(s, "self_record", rid, "改", "理由")
    win = _main(qtbot, db, "wang")
    win.select_class(db.sample.junior_class)
    win.select_term(TERM)
    dlg = win.open_archive()
    qtbot.addWidget(dlg)
    assert dlg.amend_table.rowCount() == 0 and not dlg.amend_btn.isEnabled()
    assert "校长签发" in dlg.amend_info.text()


# ---------------------------------------------------------------- settings

def test_school_admin_sets_holidays_thresholds_and_the_objection_teacher(qtbot, db, clock):
    win = _main(qtbot, db, "admin")
    act = win.findChild(type(win.menuBar().actions()[0]), "actProcessSettings")
    assert act is not None and act.text().startswith("综评档案设置")
    win.select_term(TERM)
    dlg = win.open_process_settings()
    qtbot.addWidget(dlg)
    assert dlg.backfill.value() == 30 and dlg.min_days.value() == 10
    assert dlg.min_days.minimum() == 10
    assert [dlg.grades.item(i, 0).text() for i in range(dlg.grades.rowCount())] == ["初一", "高一"]
    box = dlg.grades.cellWidget(0, 1)
    assert box.currentText() == "（仅由各班班主任处理）"

    # a bad date: a Chinese reason naming it, nothing saved
    before = dump(db)
    dlg.backfill.setValue(14)
    dlg.holidays.setPlainText("2026-11-05\n11月9日")
    dlg.save()
    _wait(qtbot, win.ops)
    assert "日期无效：11月9日" in win.ops.last_error and dlg.isVisible()
    assert dump(db) == before
    win.ops.last_box and win.ops.last_box.close()

    dlg.holidays.setPlainText("2026-11-05\n2026-11-09..2026-11-10")
    dlg.extra.setPlainText("2026-11-07")
    dlg.min_days.setValue(12)
    box.setCurrentIndex(box.findData("li"))
    _shot(dlg, "process_settings_zh_CN")
    dlg.save()
    _wait(qtbot, win.ops)
    assert not dlg.isVisible()
    with db.session() as s:
        assert review.backfill_days(s) == 14 and archive.min_days(s) == 12
        assert archive.holiday_lists(s) == (["2026-11-05", "2026-11-09..2026-11-10"], ["2026-11-07"])
        assert archive.objection_teacher(s, 2026, 7) == "li" and archive.objection_teacher(s, 2026, 10) == ""
        # 12 working days from Monday 2 Nov: 5, 9, 10 off, Saturday 7 on → Thursday 19 Nov
        assert archive.publicity_end(s, date(2026, 11, 2)) == date(2026, 11, 19)
    # the designated teacher may now resolve the grade's objections
    with db.session(user="wang") as s:
        sid = db.sample.junior[0]
        rid = self_records.create_self_record(s, student_id=sid, title="研学", activity_date=date(2026, 10, 9)).id
        archive.select_records(s, TERM, db.sample.junior_class, [(sid, "self_record", rid)])
        archive.open_publicity(s, TERM, db.sample.junior_class, date(2026, 11, 2))
        item = archive.publicity_list(s, TERM, db.sample.junior_class)[0].item_id
    clock.set(date(2026, 11, 3))
    with db.session(user="wang") as s:
        oid = archive.raise_objection(s, item, "那天下雨，研学取消了", raised_by="classmate").id
    with db.session(user="li") as s:
        assert archive.resolve_objection(s, oid, "kept", "改期到次日，照常进行").resolved_by == "li"

    # reopened: shows what was saved
    dlg2 = win.open_process_settings()
    qtbot.addWidget(dlg2)
    assert dlg2.backfill.value() == 14 and dlg2.min_days.value() == 12
    assert dlg2.grades.cellWidget(0, 1).currentData() == "li"
    assert dlg2.holidays.toPlainText() == "2026-11-05\n2026-11-09..2026-11-10"


def test_settings_are_for_a_school_admin_only(qtbot, db):
    win = _main(qtbot, db, "wang")
    assert win.findChild(type(win.menuBar().actions()[0]), "actProcessSettings") is None
    before = dump(db)
    from growthdesk.errors import PermissionDenied
    for call in (lambda s: archive.set_min_days(s, 15), lambda s: archive.set_holidays(s, ["2026-11-05"]),
                 lambda s: archive.designate_objection_teacher(s, 2026, 7, "wang")):
        with db.session(user="wang") as s, pytest.raises(PermissionDenied, match="学校管理员"):
            call(s)
    with db.session(user="admin") as s:
        with pytest.raises(ValidationError, match="10 到 60"):
            archive.set_min_days(s, 5)
        with pytest.raises(ValidationError, match="只能指定教师"):
            archive.designate_objection_teacher(s, 2026, 7, db.sample.logins[db.sample.junior[0]])
        with pytest.raises(Exception, match="找不到账户"):
            archive.designate_objection_teacher(s, 2026, 7, "nobody")
    assert dump(db) == before


# ---------------------------------------------------------------- an empty class

def test_a_class_with_nothing_selected_opens_an_empty_publicity_and_does_not_block_the_grade(qtbot, db, clock):
    """初一(4)班 has a student but no approved record: its adviser opens an empty publicity list
    (after confirming), signs after it, and the principal signs off the grade."""
    with db.session() as s:
        wang = s.query(User).filter_by(login="wang").one()
        c4 = students.create_class(s, 2026, 7, 4, adviser_name="王老师", adviser_user_id=wang.id).id
        ensure_term(s, TERM)
        body = "110101201407" + "00099"
        students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name="郑十一",
                                gender="M", birth_date=date(2014, 5, 1), class_id=c4)
    win = _main(qtbot, db, "wang")
    win.select_class(c4)
    win.select_term(TERM)
    dlg = win.open_archive()
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(1)
    from PySide6.QtCore import QDate
    dlg.start.setDate(QDate(2026, 11, 2))
    before = dump(db)
    dlg.open_publicity(confirm_empty=False)  # the adviser said no
    _wait(qtbot, win.ops)
    assert dump(db) == before
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="可确认以空名单公示"):
        archive.open_publicity(s, TERM, c4, date(2026, 11, 2))
    dlg.open_publicity(confirm_empty=True)
    _wait(qtbot, win.ops)
    assert not dlg.open_btn.isEnabled() and "公示中" in dlg.status.text()
    _shot(dlg, "archive_empty_publicity_zh_CN")
    with db.session() as s:
        assert archive.publicity_of(s, TERM, c4).working_days == 10

    # the other class of the grade goes through its term; then both sign and the grade is signed off
    jun, c3 = db.sample.junior, db.sample.junior_class
    with db.session(user="wang") as s:
        rid = self_records.create_self_record(s, student_id=jun[0], title="研学", activity_date=date(2026, 10, 9)).id
        archive.select_records(s, TERM, c3, [(jun[0], "self_record", rid)])
        archive.open_publicity(s, TERM, c3, date(2026, 11, 2))
    clock.set(date(2026, 11, 16))
    with db.session(user="wang") as s:
        archive.confirm_student(s, TERM, jun[0])
        archive.sign_adviser(s, TERM, c3)
    with db.session(user="admin") as s, pytest.raises(ValidationError, match=r"初一\(4\)班"):
        archive.sign_principal(s, TERM, 2026, 7)
    dlg.reload()
    dlg.tabs.setCurrentIndex(3)
    assert dlg.adviser_btn.isEnabled()
    QTest.mouseClick(dlg.adviser_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, win.ops)
    with db.session(user="admin") as s:
        archive.sign_principal(s, TERM, 2026, 7, signer_name="陈校长")
        steps = archive.class_steps(s, TERM)
        assert steps[c4] == "locked" and steps[c3] == "locked"
