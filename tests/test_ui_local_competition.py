"""Local competitions (issue 12, blocker): the award form starts with no competition chosen,
offers clickable "可能是…" matches, adds a 本校/本区 competition on the spot (with level and
organiser) and saves the award with one certificate photo for the whole team; the admin's
competition list shows who manages each entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QImage
from sqlalchemy import select

from growthdesk.models import Competition, CompetitionResult, CompetitionResultMember, Evidence
from tests.test_ui_helpers import school_template, type_text, ui_school, user, wait_ops  # noqa: F401

NEW = "示例区青少年机器人挑战赛"


def _window(qtbot, db, info, login):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, login))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    return win


def _ok(dlg):
    return dlg.buttons.button(dlg.buttons.StandardButton.Ok)


def test_teacher_adds_a_local_competition_from_the_award_form_and_saves_a_team_award(qtbot, ui_school, tmp_path):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info, "teacher")
    three = info["student_ids"][:3]
    win.select_student(three[0])
    win.findChild(QAction, "actAward").trigger()
    dlg = win.findChild(editors.ResultDialog)
    assert dlg is not None and dlg.isVisible()
    assert dlg.comp.currentIndex() == -1 and dlg.comp.currentText() == ""  # nothing pre-selected
    assert dlg.comp.lineEdit().placeholderText() == "输入竞赛名称的一部分查找"

    # A part of a national entry's name: clickable suggestions; a click picks it.
    type_text(dlg.comp.lineEdit(), "青少年科技创新")
    assert "可能是" in dlg.suggest.text() and "<a href=" in dlg.suggest.text()
    with db.session() as s:
        target = s.scalars(select(Competition).where(Competition.name.contains("青少年科技创新"))).first()
    dlg.suggest.linkActivated.emit(target.id)
    assert dlg.comp.currentData() == target.id and dlg.suggest.text() == ""

    # A district contest that is not in the catalog: add it from the form.
    dlg.comp.setEditText("")
    type_text(dlg.comp.lineEdit(), NEW)
    assert dlg.suggest.text() in ("竞赛目录中没有。",) or "可能是" in dlg.suggest.text()
    assert dlg.add_comp.text() == "没有找到？添加为本校/本区竞赛…"
    add = dlg.add_local_competition()
    assert add.isVisible() and add.name.text() == NEW and add.windowTitle() == "添加本校/本区竞赛"
    add.level.setCurrentIndex(add.level.findData("district"))
    type_text(add.organiser, "示例区教育局")
    with qtbot.waitSignal(add.accepted, timeout=5000):
        _ok(add).click()
    wait_ops(qtbot, win)
    assert dlg.comp.currentText() == NEW and dlg.level.currentData() == "district"
    dlg.grab().save(str(_artifact("award-form-1366.png")))

    photo = tmp_path / "证书.png"
    img = QImage(400, 300, QImage.Format.Format_RGB32)
    img.fill(QColor("#ffe"))
    img.save(str(photo))
    dlg.photo.setText(str(photo))
    type_text(dlg.cert, "QJ2025-001")
    dlg.award.setCurrentIndex(dlg.award.findData("second"))
    for i in range(dlg.members.count()):
        item = dlg.members.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in three[1:]:
            item.setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        _ok(dlg).click()
    wait_ops(qtbot, win)

    with db.session() as s:
        comp = s.scalars(select(Competition).where(Competition.name == NEW)).one()
        assert (comp.level, comp.organiser, comp.owner_code, comp.on_national_list) == (
            "district", "示例区教育局", "S0001", False)
        result = s.scalars(select(CompetitionResult)).one()
        assert (result.competition_id, result.level, result.award, result.is_team) == (comp.id, "district",
                                                                                       "second", True)
        members = {m.student_id for m in s.scalars(select(CompetitionResultMember))}
        assert members == set(three)
        ev = s.scalars(select(Evidence)).all()  # one photo, linked to the award, not to a student
        assert [(e.owner_type, e.owner_id, e.kind) for e in ev] == [("result", result.id, "certificate")]

    # Each member's portfolio shows the certificate: its number and a small picture of it.
    from pypdf import PdfReader

    from growthdesk.ui import tools
    win.select_student(three[2])
    out = tmp_path / "one.pdf"
    tools.print_portfolios_to(win, out, False, open_after=False)
    wait_ops(qtbot, win, 60_000)
    reader = PdfReader(str(out))
    page = next(pg for pg in reader.pages if "证书编号：QJ2025-001" in (pg.extract_text() or ""))
    assert len(page.images) >= 1  # the certificate thumbnail
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(out))
    pdf[reader.pages.index(page)].render(scale=1.3).to_pil().save(str(_artifact("portfolio-award-certificate.png")))


def test_admin_competition_list_adds_edits_and_refuses_what_is_not_the_schools(qtbot, ui_school):
    from growthdesk.services import competitions
    from growthdesk.ui import editors
    db, info = ui_school
    with db.session(user="fixture") as s:
        competitions.create_competition(s, "示例区中小学生艺术节", level="district", organiser="示例区教育局",
                                        owner_code="D01")  # as a district bundle would bring it
    win = _window(qtbot, db, info, "admin")
    win.findChild(QAction, "actCompetitions").trigger()
    dlg = win.findChild(editors.CompetitionsDialog)
    assert dlg is not None and dlg.isVisible()
    rows = {r.name: r for r in dlg.rows}
    assert rows["示例区中小学生艺术节"].source == "district" and not rows["示例区中小学生艺术节"].editable
    assert sum(1 for r in dlg.rows if r.source == "national") >= 40
    add = dlg.add()
    type_text(add.name, "校园科技节")
    add.level.setCurrentIndex(add.level.findData("school"))
    with qtbot.waitSignal(add.accepted, timeout=5000):
        _ok(add).click()
    wait_ops(qtbot, win)
    mine = next(r for r in dlg.rows if r.name == "校园科技节")
    assert mine.source == "school" and mine.editable and mine.level == "school"
    headers = [dlg.table.horizontalHeaderItem(i).text() for i in range(dlg.table.columnCount())]
    assert headers == ["竞赛名称", "级别", "主办单位", "管理方", "获奖记录"]
    dlg.find.setText("艺术节")
    dlg.table.selectRow(next(i for i, r in enumerate(dlg.rows) if r.name == "示例区中小学生艺术节"))
    dlg.delete()
    wait_ops(qtbot, win)
    assert "区教育局" in dlg.general_error.text()  # a district entry is not the school's to delete
    dlg.find.setText("")
    dlg.grab().save(str(_artifact("competition-list-1366.png")))
    dlg.resize(1400, 900)
    dlg.grab().save(str(_artifact("competition-list-1920.png")))


def _artifact(name: str):
    from pathlib import Path
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name


def test_every_field_error_at_once_and_dates_as_teachers_type_them(qtbot, ui_school):
    from growthdesk.ui import editors
    db, info = ui_school
    win = _window(qtbot, db, info, "teacher")
    win.select_student(info["student_ids"][0])
    dlg = editors.new_result(win, [])
    dlg.date.setText("2025-02-30")
    _ok(dlg).click()
    # competition, date and members: all three said at once, nothing sent
    for key in ("competition_id", "award_date", "student_ids"):
        assert dlg.errors[key].isVisible() and dlg.errors[key].text(), key
    assert "2025年11月20日" in dlg.errors["award_date"].text()
    dlg.date.setText("")
    cal = dlg._calendar(dlg.date, dlg.findChild(type(dlg.findChild(__import__("PySide6.QtWidgets").QtWidgets.QToolButton)),
                                                 "award_dateCalendar"))
    from PySide6.QtCore import QDate
    cal.clicked.emit(QDate(2025, 11, 20))
    assert dlg.date.text() == "2025-11-20"
    dlg.date.setText("2025年11月20日")
    dlg.comp.setCurrentIndex(0)
    dlg.members.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        _ok(dlg).click()
    wait_ops(qtbot, win)
    from datetime import date
    with db.session() as s:
        assert s.scalars(select(CompetitionResult)).one().award_date == date(2025, 11, 20)
