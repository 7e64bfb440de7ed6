"""The home strip (issue 12): the daily jobs one click away, what is left for the class, and a
new school's first steps."""

from __future__ import annotations

from datetime import date

from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401


def test_daily_jobs_and_what_is_left_for_the_class(qtbot, ui_school):
    from growthdesk.services import competitions, evaluations
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    ids = info["student_ids"]
    with db.session(user="fixture") as s:
        evaluations.record_process_evaluation(s, student_id=ids[0], term_code=info["term"], dimension="moral",
                                              level="A", evaluator_role="teacher")
        evaluations.save_term_evaluation(s, student_id=ids[1], term_code=info["term"], levels={}, comment="认真。")
        comp = competitions.list_competitions(s)[0]
        competitions.record_result(s, competition_id=comp.id, student_ids=ids[:2], level="school", award="first",
                                   award_date=date.today())
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    home = win.home
    assert [home.buttons[k].text() for k in ("award", "grid", "comments", "print")] == [
        "录入获奖", "班级评价", "写评语", "打印档案"]
    assert home.todo.text() == "本班待办：本月未评价 5 人 · 未写评语 5 人 · 待核验获奖 1 项"
    assert home.steps.isHidden()  # not an admin, and the school is set up
    home.buttons["grid"].click()
    assert win.tabs.currentIndex() == 1
    home.buttons["comments"].click()
    assert win.tabs.currentIndex() == 2
    win.grab().save(str(_artifact("home-strip-1366.png")))
    win.resize(1920, 1080)
    win.grab().save(str(_artifact("home-strip-1920.png")))


def test_a_new_school_sees_its_first_steps(qtbot, tmp_path, monkeypatch):
    from growthdesk.demo import demo_setup
    from growthdesk.services import users
    from growthdesk.setup import create_school
    from growthdesk.ui.app import make_app
    from growthdesk.ui.main_window import MainWindow
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    db = create_school(tmp_path / "new.db", demo_setup("D01", "S0009"))
    with db.session(user="setup") as s:
        admin = users.create_user(s, "admin", "管理员", "school_admin", "secret-123")
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.show()
    home = win.home
    assert not home.steps.isHidden()
    assert [home.step_buttons[k].text() for k in ("roster", "accounts", "advisers")] == [
        "① 导入学籍名单", "② 建教师账户", "③ 设班主任"]
    assert all(b.isEnabled() for b in home.step_buttons.values())
    assert admin.role == "school_admin"
    win.grab().save(str(_artifact("home-first-steps-1366.png")))
    db.close()


def _artifact(name: str):
    from pathlib import Path
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name


def test_term_comment_phrase_bank_fills_the_name_and_counts_characters(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    win.tabs.setCurrentIndex(2)
    view = win.term_view
    view.table.setCurrentCell(1, 0)  # 李四
    view.new_phrase.setText("{姓名}热爱劳动。")
    view.add_phrase()
    last = view.phrases.item(view.phrases.count() - 1)
    view.phrases.itemDoubleClicked.emit(last)
    assert view.comment.toPlainText() == "李四热爱劳动。" and view.count.text() == "已写 7 字"
    again = MainWindow(db, user(db, "adviser"))  # the bank is the adviser's, kept
    qtbot.addWidget(again)
    assert again.term_view.phrases.item(again.term_view.phrases.count() - 1).text() == "{姓名}热爱劳动。"
    heads = [view.table.horizontalHeaderItem(c).text() for c in range(2, 9)]
    assert heads == list("德智体美劳创践")
    win.grab().save(str(_artifact("term-view-phrases-1366.png")))


def test_student_page_tabs_share_new_edit_delete_and_saving_says_so(qtbot, ui_school):
    from PySide6.QtWidgets import QMessageBox, QPushButton
    from sqlalchemy import select

    from growthdesk.models import InnovationProject, ProjectMember
    from growthdesk.services import projects
    from growthdesk.ui import editors
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    a, b = info["student_ids"][:2]
    with db.session(user="fixture") as s:
        pid = projects.create_project(s, title="校园雨水回收", kind="research", term_code=info["term"],
                                      start_date=date.today(), members=[(a, "leader"), (b, "member")]).id
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    win.select_student(a)
    page = win.page
    for i in (1, 2, 3, 5):  # projects, awards, evaluations, evidence
        texts = [btn.text() for btn in page.widget(i).findChildren(QPushButton)]
        assert texts[:3] == ["新增…", "编辑…", "删除…"] or (i == 5 and texts[0] == "新增…"), (i, texts)
    page.projects.setCurrentCell(0, 0)
    page.findChild(QPushButton, "delete_project").click()
    box = win.findChild(QMessageBox, "confirmDelete")
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_ops(qtbot, win)
    with db.session() as s:
        live = {m.student_id for m in s.scalars(select(ProjectMember).where(ProjectMember.deleted.is_(False)))}
        assert live == {b} and not s.get(InnovationProject, pid).deleted  # the other member keeps it
    dlg = editors.edit_student(win, a)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert win.statusBar().currentMessage() == "已保存"


def test_profile_photo_fills_the_portfolio_photo_box(qtbot, ui_school, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from growthdesk.reports.data import gather
    from growthdesk.ui import editors
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.show()
    win.select_class(info["class_id"])
    sid = info["student_ids"][0]
    other = tmp_path / "活动.png"
    img = QImage(300, 400, QImage.Format.Format_RGB32)
    img.fill(QColor("#ccc"))
    img.save(str(other))
    portrait = tmp_path / "证件照.png"
    img.fill(QColor("#369"))
    img.save(str(portrait))
    dlg = editors.edit_student(win, sid)
    dlg.photo.setText(str(portrait))
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    editors.attach_evidence(win, sid, [str(other)])  # an activity photo, attached later: not the portrait
    wait_ops(qtbot, win)
    with db.session() as s:
        batch = gather(s, info["term"], [sid], db.path)
    assert batch.students[0].photo is not None and batch.students[0].photo.read_bytes() == portrait.read_bytes()
