"""A teacher's sitting, driven through the real widgets offscreen: log in, pick a class, record
a team award for three students, fill a row of the evaluation grid by keyboard, find the term
view read-only (term comments are the class adviser's) — then the adviser writes a comment. The
database is read to check what was stored."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from growthdesk.models import AuditLog, CompetitionResult, CompetitionResultMember, ProcessEvaluation, TermEvaluation
from tests.test_ui_helpers import PASSWORD, school_template, type_text, ui_school, user, wait_ops  # noqa: F401

DIMS = ["moral", "academic", "health", "arts", "labour", "innovation", "practice"]


def _login(qtbot, db, login: str, password: str):
    from growthdesk.ui.login import LoginDialog
    dlg = LoginDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    QTest.keyClicks(dlg.login, login)
    QTest.keyClicks(dlg.password, password)
    QTest.keyClick(dlg.password, Qt.Key.Key_Return)
    return dlg


def test_login_rejects_a_wrong_password_beside_the_field_then_accepts(qtbot, ui_school):
    db, _ = ui_school
    dlg = _login(qtbot, db, "teacher", "wrong-password")
    qtbot.waitUntil(lambda: dlg.errors["password"].isVisible(), timeout=5000)
    assert "密码" in dlg.errors["password"].text()
    assert dlg.isVisible() and dlg.user is None
    assert dlg.login.text() == "teacher"  # the login is kept, the password cleared
    from growthdesk.services import users
    with db.session() as s:
        assert users.find_user(s, "teacher").failed_logins == 1  # the failed attempt is on record
    QTest.keyClicks(dlg.password, PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        QTest.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.user.login == "teacher" and dlg.user.role == "teacher"


def test_teacher_records_award_fills_grid_and_adviser_writes_comment(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    dlg = _login(qtbot, db, "teacher", PASSWORD)
    qtbot.waitUntil(lambda: dlg.user is not None, timeout=5000)
    win = MainWindow(db, dlg.user)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):  # shortcuts (Ctrl+S) go to the active window
        win.show()
        win.activateWindow()

    # A teacher sees only the class they teach, and picks it.
    classes = [win.class_combo.itemData(i) for i in range(win.class_combo.count())]
    assert classes == [info["class_id"]]
    win.select_class(info["class_id"])
    assert win.model.rowCount() == 6

    three = info["student_ids"][:3]
    _record_team_award(qtbot, win, three)
    with db.session() as s:
        results = s.scalars(select(CompetitionResult)).all()
        assert len(results) == 1 and results[0].is_team and results[0].award == "first"
        members = {m.student_id for m in s.scalars(select(CompetitionResultMember))}
        assert members == set(three)
        assert s.scalars(select(AuditLog).where(AuditLog.table_name == "competition_result",
                                                AuditLog.user == "teacher")).first() is not None
    assert win.page.results.rowCount() == 1  # the student page was refreshed

    _fill_grid_row(qtbot, win, info)
    _teacher_reads_term_view(qtbot, win, info)
    win.close()
    adviser = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(adviser)
    with qtbot.waitActive(adviser):
        adviser.show()
        adviser.activateWindow()
    adviser.select_class(info["class_id"])
    _write_comment(qtbot, adviser, info)


def _teacher_reads_term_view(qtbot, win, info) -> None:
    """A subject teacher sees the levels and comments but cannot change them, and is told why."""
    win.select_student(info["student_ids"][1])
    assert win.page.btn_term.text() == win.act_term.text() == "查看期末评价…"
    win.page.btn_term.click()
    view = win.term_view
    assert win.tabs.currentWidget() is view and view.counter.text() == "还有 6 名学生未填写评语"
    assert view.note.isVisible() and "班主任（王老师）" in view.note.text() and "学校管理员" in view.note.text()
    assert view.comment.isReadOnly() and not view.level_boxes["moral"].isEnabled()
    assert not view.save_btn.isVisible() and not view.next_btn.isVisible()
    type_text(view.comment, "不该保存")
    QTest.keyClick(view.comment, "s", Qt.KeyboardModifier.ControlModifier)
    view.save(advance=False)  # even called directly, a reader's save does nothing
    wait_ops(qtbot, win)
    with win.db.session() as s:
        assert s.scalars(select(TermEvaluation)).first() is None


def _record_team_award(qtbot, win, three: list[str]) -> None:
    from growthdesk.ui.editors import ResultDialog
    win.select_student(three[0])
    win.findChild(type(win.menuBar().actions()[0]), "actAward").trigger()
    dlg = win.findChild(ResultDialog)
    assert dlg is not None and dlg.isVisible()
    dlg.comp.setCurrentIndex(dlg.comp.findText("全国青少年科技创新大赛", Qt.MatchFlag.MatchContains))
    if dlg.comp.currentIndex() < 0:
        dlg.comp.setCurrentIndex(0)
    dlg.level.setCurrentIndex(dlg.level.findData("provincial"))
    dlg.award.setCurrentIndex(dlg.award.findData("first"))
    dlg.team.setText("未来工程师")
    for i in range(dlg.members.count()):  # tick the other two members
        item = dlg.members.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in three[1:]:
            item.setCheckState(Qt.CheckState.Checked)
    assert sorted(dlg.checked_ids(dlg.members)) == sorted(three)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)


def _fill_grid_row(qtbot, win, info) -> None:
    win.tabs.setCurrentIndex(1)
    grid = win.grid
    grid.advance_combo.setCurrentIndex(grid.advance_combo.findData("right"))
    table = grid.table
    table.setFocus()
    table.setCurrentIndex(grid.model.index(1, 0))  # second student, first dimension
    for letter in "ABCDABC":
        QTest.keyClick(table, letter.lower())
    wait_ops(qtbot, win)
    sid = info["student_ids"][1]
    with win.db.session() as s:
        rows = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.student_id == sid,
                                                         ProcessEvaluation.deleted.is_(False))).all()
        got = {r.dimension: (r.level, r.score, r.evaluator_role, r.evaluator_name) for r in rows}
    assert got == {d: (lv, {"A": 95, "B": 85, "C": 75, "D": 55}[lv], "teacher", "李老师")
                   for d, lv in zip(DIMS, "ABCDABC")}
    assert grid.saved.text() == "已全部保存"
    # The average row follows the typing: one student has innovation = B → 85.0 (B).
    avg = grid.model.index(grid.model.avg_row, DIMS.index("innovation"))
    assert grid.model.data(avg) == "85.0 (B)"
    # Arrow up, Enter down, Delete clears the cell (and the record).
    table.setCurrentIndex(grid.model.index(1, 3))
    QTest.keyClick(table, Qt.Key.Key_Up)
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 1
    QTest.keyClick(table, Qt.Key.Key_Delete)
    wait_ops(qtbot, win)
    with win.db.session() as s:
        arts = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.student_id == sid,
                                                         ProcessEvaluation.dimension == "arts")).all()
    assert arts and all(r.deleted for r in arts)
    assert grid.model.data(grid.model.index(grid.model.avg_row, 3)) == "—"


def _write_comment(qtbot, win, info) -> None:
    assert win.page.btn_term.text() == win.act_term.text() == "填写期末评价…"
    win.tabs.setCurrentIndex(2)
    view = win.term_view
    assert view.counter.text() == "还有 6 名学生未填写评语"
    assert not view.note.isVisible() and not view.comment.isReadOnly() and view.save_btn.isVisible()
    view.table.setCurrentCell(1, 0)
    assert view.current_id() == info["student_ids"][1]
    # Levels start from the computed term scores: moral A (95) from the grid.
    assert view.level_boxes["moral"].currentData() == "A"
    view.comment.setFocus()
    type_text(view.comment, "学习认真，乐于助人。")
    QTest.keyClick(view.comment, "s", Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot, win)
    with win.db.session() as s:
        te = s.scalars(select(TermEvaluation).where(TermEvaluation.student_id == info["student_ids"][1])).one()
    assert te.comment == "学习认真，乐于助人。" and te.term_code == info["term"] and te.adviser_name == "王老师"
    assert te.updated_by == "adviser"
    assert '"moral": "A"' in te.levels_json
    assert view.counter.text() == "还有 5 名学生未填写评语"


def test_validation_error_is_shown_beside_the_field_and_input_kept(qtbot, ui_school):
    from growthdesk.ui.editors import ResultDialog
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.select_class(info["class_id"])
    dlg = ResultDialog(win, [info["student_ids"][0]])
    qtbot.addWidget(dlg)
    dlg.open()
    assert dlg.comp.currentIndex() == -1  # the competition starts empty (issue 12)
    dlg.comp.setCurrentIndex(0)
    future = (date.today() + timedelta(days=30)).isoformat()
    dlg.date.setText(future)
    dlg.team.setText("队伍甲")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert dlg.isVisible()
    assert dlg.errors["award_date"].isVisible() and "获奖日期" in dlg.errors["award_date"].text()
    assert dlg.date.text() == future and dlg.team.text() == "队伍甲"
    # No students ticked: the message sits under the member list.
    dlg.date.setText(date.today().isoformat())
    dlg.members.item(0).setCheckState(Qt.CheckState.Unchecked)
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    wait_ops(qtbot, win)
    assert dlg.errors["student_ids"].isVisible() and not dlg.errors["award_date"].isVisible()
    with db.session() as s:
        assert s.scalars(select(CompetitionResult)).first() is None


def test_search_by_name_pinyin_initials_and_number(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.select_class(info["class_id"])
    names = lambda: [win.model.index(r, 0).data() for r in range(win.model.rowCount())]  # noqa: E731
    QTest.keyClicks(win.search, "zxm")  # 曾小明: the surname reads zeng
    assert names() == ["曾小明"]
    win.search.clear()
    QTest.keyClicks(win.search, "ouyang")
    assert names() == ["欧阳娜娜"]
    win.search.clear()
    type_text(win.search, "李")
    assert names() == ["李四"]
    win.search.clear()
    QTest.keyClicks(win.search, "00003")
    assert names() == ["王五"]
    win.search.clear()
    assert len(names()) == 6
    QTest.keyClicks(win.search, "zs")
    QTest.keyClick(win.search, Qt.Key.Key_Return)  # Enter opens the first match
    assert win.page.profile_labels["name"].text() == "张三"


def test_admin_sees_every_class_and_the_whole_school(qtbot, ui_school):
    from growthdesk.ui.main_window import ALL_CLASSES, MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    data = [win.class_combo.itemData(i) for i in range(win.class_combo.count())]
    assert data == [ALL_CLASSES, info["class_id"], info["other_class_id"]]
    win.class_combo.setCurrentIndex(0)
    assert win.model.rowCount() == 6 and win.class_id is None


def test_header_click_sorts_and_filter_keeps_the_current_student(qtbot, ui_school):
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.select_class(info["class_id"])
    win.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name (the first column), in pinyin order
    names = [win.model.index(r, 0).data() for r in range(win.model.rowCount())]
    assert names == ["李四", "欧阳娜娜", "王五", "曾小明", "张三", "赵六"]
    win.select_student(info["student_ids"][4])  # 曾小明
    QTest.keyClicks(win.search, "z")
    assert win.page.profile_labels["name"].text() == "曾小明"
    assert win.selected_ids() == [info["student_ids"][4]]
    QTest.keyClicks(win.search, "s")  # 张三 only: the page still shows 曾小明 until one is picked
    assert win.page.profile_labels["name"].text() == "曾小明"


def test_switching_term_shows_that_terms_records(qtbot, ui_school):
    from growthdesk.services import evaluations, terms
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    sid = info["student_ids"][0]
    with db.session(user="admin") as s:
        evaluations.save_term_evaluation(s, student_id=sid, term_code=info["term"], levels={}, comment="本学期进步大。")
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.select_class(info["class_id"])
    win.select_student(sid)
    assert win.page.term_comment.text() == "本学期进步大。"
    # The previous term is last school year, when the class did not exist yet: nothing from this
    # year is shown for it (issue 12), and coming back restores the class and the student.
    win.select_term(terms.previous_term_code(info["term"]))
    assert win.student_id is None and win.page.term_comment.text() == "" and not win.term_note.isHidden()
    win.select_term(info["term"])
    assert win.class_id == info["class_id"] and win.student_id == sid
    assert win.page.term_comment.text() == "本学期进步大。"


def test_term_view_write_access_follows_the_class_adviser(qtbot, ui_school):
    """An adviser of another class who teaches here reads only; an admin writes; an adviser
    replaced while the view is open is refused by the service, the message shown beside the form."""
    from growthdesk.services import students, users
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    with db.session(user="admin") as s:
        zhou = users.create_user(s, "zhou", "周老师", "adviser", PASSWORD)
        students.update_class(s, info["other_class_id"], adviser_user_id=zhou.id)
        users.assign_class(s, zhou.id, info["class_id"], "数学")
    windows = {}
    for login in ("zhou", "admin", "adviser"):
        win = windows[login] = MainWindow(db, user(db, login))
        qtbot.addWidget(win)
        win.select_class(info["class_id"])
        win.tabs.setCurrentIndex(2)
    assert not windows["zhou"].term_view.writable and windows["zhou"].term_view.note.text().startswith("只读")
    assert windows["admin"].term_view.writable and windows["adviser"].term_view.writable
    windows["zhou"].select_class(info["other_class_id"])  # the class zhou advises: writable there
    assert windows["zhou"].term_view.writable and windows["zhou"].term_view.note.isHidden()

    view = windows["adviser"].term_view
    with db.session(user="admin") as s:  # the admin hands the class to another adviser meanwhile
        students.update_class(s, info["class_id"], adviser_user_id=zhou.id)
    view.table.setCurrentCell(0, 0)
    view.comment.setPlainText("学习认真。")
    view.save(advance=False)
    wait_ops(qtbot, windows["adviser"])
    assert "只有该生所在班级的班主任或学校管理员" in view.error.text()
    assert view.comment.toPlainText() == "学习认真。"  # kept for the user
    with db.session() as s:
        assert s.scalars(select(TermEvaluation)).first() is None

    admin = windows["admin"].term_view
    admin.table.setCurrentCell(2, 0)
    admin.comment.setPlainText("积极参加科技活动。")
    admin.save(advance=True)
    wait_ops(qtbot, windows["admin"])
    with db.session() as s:
        te = s.scalars(select(TermEvaluation)).one()
    assert (te.student_id, te.comment, te.updated_by) == (info["student_ids"][2], "积极参加科技活动。", "admin")
    assert admin.current_id() == info["student_ids"][3]


def test_demo_database_login_names_its_account_and_a_real_school_does_not(qtbot, ui_school, tmp_path):
    from growthdesk.demo import DEMO_PASSWORD, create_demo_school
    from growthdesk.ui.login import LoginDialog

    real_db, _ = ui_school
    real = LoginDialog(real_db)
    qtbot.addWidget(real)
    assert not hasattr(real, "demo_hint")

    demo = create_demo_school(tmp_path / "demo.db", students=40, terms=1)
    try:
        dlg = _login(qtbot, demo, "admin", DEMO_PASSWORD)
        assert dlg.demo_hint.text() == f"演示数据：请用账户 admin、密码 {DEMO_PASSWORD} 登录。"
        qtbot.waitUntil(lambda: dlg.user is not None, timeout=20_000)  # OWASP re-hash on first login
        assert dlg.user.role == "school_admin"
    finally:
        demo.close()
