"""The class grid's optional comment column (issue 12): off by default, a toggle; one comment per
student and round, saved with the process evaluation; typed, pasted from Excel/WPS and undone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from growthdesk.models import ProcessEvaluation
from tests.test_ui_helpers import school_template, type_text, ui_school, user, wait_ops  # noqa: F401


def _grid(qtbot, db, info, size=(1366, 768)):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    win.select_class(info["class_id"])
    win.tabs.setCurrentIndex(1)
    return win, win.grid


def _rows(db) -> list[tuple]:
    with db.session() as s:
        q = select(ProcessEvaluation).where(ProcessEvaluation.deleted.is_(False))
        return sorted((r.student_id, r.dimension, r.level, r.comment) for r in s.scalars(q))


def _comments(db) -> dict:
    return {sid: text for sid, _d, _l, text in _rows(db) if text}


def _artifact(name: str) -> str:
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return str(d / name)


def test_comment_column_is_off_by_default_and_a_toggle(qtbot, ui_school):
    db, info = ui_school
    win, grid = _grid(qtbot, db, info)
    dims = len(grid.rubric.dimensions)
    assert not grid.comments_box.isChecked() and grid.model.columnCount() == dims
    assert grid.comments_box.text() == "评语列"
    grid.comments_box.click()
    assert grid.model.columnCount() == dims + 1
    assert grid.model.headerData(dims, Qt.Orientation.Horizontal) == "评语"
    win.close()
    win2, grid2 = _grid(qtbot, db, info)  # remembered, like the direction after a level
    assert grid2.comments_box.isChecked() and grid2.model.columnCount() == dims + 1


def test_typed_and_pasted_comments_are_saved_with_the_evaluation_and_undone(qtbot, ui_school):
    db, info = ui_school
    ids, names = info["student_ids"], info["names"]
    win, grid = _grid(qtbot, db, info)
    grid.comments_box.setChecked(True)
    dims = len(grid.rubric.dimensions)
    grid.table.setFocus()
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    grid.table.paste_text("A\tB\nC\n")  # 张三 德 A, 智 B; 李四 德 C
    wait_ops(qtbot, win)
    # type a comment for 张三: a typed character opens the editor, Enter saves it
    grid.table.setCurrentIndex(grid.model.index(0, dims))
    QTest.keyClick(grid.table, Qt.Key.Key_F2)
    editor = grid.table.focusWidget()
    assert editor is not grid.table
    type_text(editor, "上课积极发言")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    wait_ops(qtbot, win)
    assert _comments(db) == {ids[0]: "上课积极发言"}
    moral = [r for r in _rows(db) if r[0] == ids[0]]
    assert [r[3] for r in moral if r[1] == "moral"] == ["上课积极发言"]  # on one record, not on every dimension
    assert sum(1 for r in moral if r[3]) == 1
    grid.table.setFocus()
    # a column of comments pasted from Excel: 王五 has no level yet, so his is refused and named
    grid.table.setCurrentIndex(grid.model.index(1, dims))
    n, bad = grid.table.paste_text("作业认真\r\n乐于助人\r\n")
    wait_ops(qtbot, win)
    assert n == 1 and _comments(db) == {ids[0]: "上课积极发言", ids[1]: "作业认真"}
    assert names[2] in grid.info.text() and "先" in grid.info.text()
    # a block with a level and its comment in one row is fine
    grid.table.setCurrentIndex(grid.model.index(2, dims - 1))
    grid.table.paste_text("A\t乐于助人")
    wait_ops(qtbot, win)
    assert _comments(db)[ids[2]] == "乐于助人"
    QTest.keyClick(grid.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo that block
    wait_ops(qtbot, win)
    assert ids[2] not in _comments(db) and not [r for r in _rows(db) if r[0] == ids[2]]
    # clearing the dimension that carries 张三's comment keeps the comment on his other level
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    QTest.keyClick(grid.table, Qt.Key.Key_Delete)
    wait_ops(qtbot, win)
    assert [(r[1], r[3]) for r in _rows(db) if r[0] == ids[0]] == [("academic", "上课积极发言")]
    # clearing 李四's only level takes the comment with it; undo puts both back
    grid.table.setCurrentIndex(grid.model.index(1, 0))
    QTest.keyClick(grid.table, Qt.Key.Key_Delete)
    wait_ops(qtbot, win)
    assert ids[1] not in _comments(db) and grid.model.comments.get(ids[1]) is None
    grid.undo_btn.click()
    wait_ops(qtbot, win)
    assert _comments(db)[ids[1]] == "作业认真" and grid.model.comments[ids[1]] == "作业认真"
    # Delete in the comment column clears it
    grid.table.setFocus()
    grid.table.setCurrentIndex(grid.model.index(1, dims))
    QTest.keyClick(grid.table, Qt.Key.Key_Delete)
    wait_ops(qtbot, win)
    assert ids[1] not in _comments(db)
    # what is stored is what a reload shows
    grid.reload()
    assert grid.model.comments == {ids[0]: "上课积极发言"}
    grid.table.setCurrentIndex(grid.model.index(0, dims))
    win.grab().save(_artifact("grid-comments-1366.png"))
    win.resize(1920, 1080)
    qtbot.wait(50)
    win.grab().save(_artifact("grid-comments-1920.png"))
    assert date.today()  # rounds are covered by test_ui_grid_paste_rounds
