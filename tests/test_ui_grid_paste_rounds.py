"""The class grid (issue 12): paste a column or a block from Excel/WPS, undo it, move to the
next dimension after the last row, and keep several dated rounds in one term."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from growthdesk.models import ProcessEvaluation
from tests.test_ui_helpers import school_template, ui_school, user, wait_ops  # noqa: F401


def _grid(qtbot, db, info):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    win.tabs.setCurrentIndex(1)
    return win, win.grid


def _stored(db) -> dict:
    with db.session() as s:
        rows = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.deleted.is_(False))).all()
        return {(r.student_id, r.dimension, r.eval_date): r.level for r in rows}


def test_paste_a_column_and_a_block_then_undo(qtbot, ui_school):
    db, info = ui_school
    win, grid = _grid(qtbot, db, info)
    ids = info["student_ids"]
    assert grid.legend.text().count("优秀") == 1 and "待提高" in grid.legend.text()
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    n, bad = grid.table.paste_text("A\r\nb\r\n良好\r\n92\r\nX\r\n\r\n")  # as Excel puts a column on the clipboard
    wait_ops(qtbot, win)
    assert (n, bad) == (4, ["X"]) and "未能识别" in grid.info.text()
    today = date.today()
    assert _stored(db) == {(ids[0], "moral", today): "A", (ids[1], "moral", today): "B",
                           (ids[2], "moral", today): "B", (ids[3], "moral", today): "A"}
    grid.table.setCurrentIndex(grid.model.index(4, 1))
    grid.table.paste_text("C\tD\nA\tB\tA\tA\tA\tA\tA\tA\n")  # a block; what falls outside the grid is dropped
    wait_ops(qtbot, win)
    assert _stored(db)[(ids[5], "health", today)] == "B" and _stored(db)[(ids[4], "health", today)] == "D"
    assert len(_stored(db)) == 4 + 2 + 6
    grid.table.setFocus()
    QTest.keyClick(grid.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the block paste
    wait_ops(qtbot, win)
    assert len(_stored(db)) == 4
    grid.undo_btn.click()  # and the column
    wait_ops(qtbot, win)
    assert _stored(db) == {}
    win.grab().save(str(_artifact("grid-1366.png")))
    win.resize(1920, 1080)
    win.grab().save(str(_artifact("grid-1920.png")))


def test_after_the_last_row_the_cursor_goes_to_the_next_dimension(qtbot, ui_school):
    db, info = ui_school
    win, grid = _grid(qtbot, db, info)
    grid.advance_combo.setCurrentIndex(grid.advance_combo.findData("down"))
    grid.table.setFocus()
    grid.table.setCurrentIndex(grid.model.index(4, 0))
    QTest.keyClick(grid.table, "a")
    QTest.keyClick(grid.table, "b")  # the last student
    assert (grid.table.currentIndex().row(), grid.table.currentIndex().column()) == (0, 1)
    wait_ops(qtbot, win)


def test_several_dated_rounds_in_one_term(qtbot, ui_school):
    db, info = ui_school
    win, grid = _grid(qtbot, db, info)
    sid = info["student_ids"][0]
    today = date.today()
    earlier = today - timedelta(days=1)
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    grid.table.paste_text("A")
    wait_ops(qtbot, win)
    assert grid.round_combo.count() == 1  # the first round is today's
    grid.start_round(f"{earlier.month}月{earlier.day}日")  # typed as teachers do: this year
    assert grid.model.cells == {} and grid.round_combo.count() == 2
    assert grid.round_combo.currentData() == earlier
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    grid.table.paste_text("C")
    wait_ops(qtbot, win)
    assert _stored(db) == {(sid, "moral", today): "A", (sid, "moral", earlier): "C"}
    grid.round_combo.setCurrentIndex(grid.round_combo.findData(today))
    assert grid.model.cells == {(sid, "moral"): "A"}
    assert grid.round_combo.itemText(0).startswith("第 1 轮")


def _artifact(name: str):
    from pathlib import Path
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name
