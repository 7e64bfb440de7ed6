"""The three daily jobs walked as a teacher would, at 1366×768 and 1920×1080, counting every
click and keystroke (issue 12): a team award of 3 with a certificate photo; one process
evaluation round for a class of 45; printing the class's copies for parents. Each step's screen
is rendered to test-artifacts/walk-*.png; the counts go to test-artifacts/teacher-walk.json.

Counting rules: a mouse click is 1 (a drop-down is 2: open it, pick); Chinese is typed with a
pinyin input method as its initials plus one key to choose (科技创新 = kjcx␣ = 5); a file box
costs what a person does in it (a double-click on the file = 2, 保存 = 1)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton
from pypdf import PdfReader
from sqlalchemy import select

from growthdesk.models import CompetitionResult, CompetitionResultMember, Evidence, ProcessEvaluation
from tests.test_ui_helpers import school_template, type_text, ui_school, user, wait_ops  # noqa: F401

ART = Path(__file__).resolve().parent.parent / "test-artifacts"
SURNAMES = "赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭"
SIZES = {"1366": (1366, 768), "1920": (1920, 1080)}


class Walk:
    """Does what a teacher does, and counts it."""

    def __init__(self, qtbot, size: str) -> None:
        self.qtbot, self.size = qtbot, size
        self.clicks = self.keys = 0

    def click(self, widget, pos=None) -> None:
        top = widget.window()
        if QApplication.activeWindow() is not top:  # what the window manager does for a new window
            top.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is top, timeout=2000)
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         pos if pos is not None else widget.rect().center())
        self.clicks += 1

    def pick(self, combo, data) -> None:
        """Open a drop-down and pick an entry: two clicks."""
        combo.setCurrentIndex(combo.findData(data))
        self.clicks += 2

    def type(self, widget, text: str) -> None:
        if text.isascii():
            QTest.keyClicks(widget, text)
            self.keys += len(text)
        else:
            from growthdesk.services.pinyin import name_pinyin
            type_text(widget, text)
            self.keys += len(name_pinyin(text).split()[-1]) + 1  # initials, then the choice

    def key(self, widget, key) -> None:
        QTest.keyClick(widget, key)
        self.keys += 1

    def shot(self, widget, step: str) -> None:
        ART.mkdir(exist_ok=True)
        widget.grab().save(str(ART / f"walk-{step}-{self.size}.png"))

    def count(self) -> dict:
        return {"clicks": self.clicks, "keys": self.keys}


@pytest.fixture()
def class45(ui_school):
    """The fixture school's class grown to 45 students, each with a 学号."""
    from growthdesk.services import students
    db, info = ui_school
    info["student_ids"] = list(info["student_ids"])  # the template's list is shared with other tests
    with db.session(user="fixture") as s:
        for sid, seq in zip(info["student_ids"], range(1, 7)):
            students.update_student(s, sid, class_seq=str(seq))
        for i in range(39):
            body = f"1101012013020{i + 1:04d}"
            st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body),
                                         name=SURNAMES[i] + "小" + "明红华丽"[i % 4], gender="MF"[i % 2],
                                         birth_date=date(2013, 2, 1 + i % 28), class_id=info["class_id"],
                                         class_seq=str(7 + i))
            info["student_ids"].append(st.id)
    return db, info


def _window(qtbot, db, info, size: str, login: str = "teacher"):
    from growthdesk.ui.main_window import MainWindow
    win = MainWindow(db, user(db, login))
    qtbot.addWidget(win)
    win.resize(*SIZES[size])
    win.show()
    win.select_class(info["class_id"])
    return win


def _save(job: str, size: str, counts: dict) -> None:
    ART.mkdir(exist_ok=True)
    path = ART / "teacher-walk.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault(job, {})[size] = counts
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.parametrize("size", list(SIZES))
def test_team_award_of_three_with_a_certificate_photo(qtbot, class45, size, tmp_path, monkeypatch):
    from growthdesk.ui import editors
    db, info = class45
    walk = Walk(qtbot, size)
    photo = tmp_path / "证书.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"certificate" * 50)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(photo), ""))  # the system's file box
    win = _window(qtbot, db, info, size)
    walk.shot(win, "0-home")
    walk.click(win.home.buttons["award"])
    dlg = win.findChild(editors.ResultDialog)
    assert dlg is not None and dlg.isVisible() and dlg.comp.currentText() == ""
    walk.click(dlg.comp.lineEdit())
    walk.type(dlg.comp.lineEdit(), "科技创新")
    walk.clicks += 1  # a click on 全国青少年科技创新大赛 in the list that drops down as one types
    dlg.comp.setCurrentIndex(dlg.comp.findText("全国青少年科技创新大赛"))
    walk.pick(dlg.level, "municipal")
    when = date.today() - timedelta(days=10)
    walk.click(dlg.date)
    typed_date = f"{when.month}-{when.day}" if when.year == date.today().year else when.strftime("%Y%m%d")
    walk.type(dlg.date, typed_date)
    walk.click(dlg.cert)
    walk.type(dlg.cert, "2025-0417")
    walk.click(dlg.findChild(QPushButton, "choosePhoto"))
    walk.clicks += 2  # the file box: a double-click on the photo
    assert dlg.photo.text() == str(photo)
    find = dlg.findChild(QLineEdit, "student_idsFilter")
    walk.click(find)
    for initials in ("zs", "ls", "ww"):  # 张三, 李四, 王五: initials, Enter ticks
        walk.type(find, initials)
        walk.key(find, Qt.Key.Key_Return)
    assert sorted(dlg.checked_ids(dlg.members)) == sorted(info["student_ids"][:3])
    assert dlg.date.text() in (f"{when.month}-{when.day}", when.strftime("%Y%m%d"))  # the click selected the old date
    walk.shot(dlg, "1-award-dialog")
    walk.click(dlg.buttons.button(dlg.buttons.StandardButton.Ok))
    wait_ops(qtbot, win)
    assert win.ops.last_error == ""
    with db.session() as s:
        r = s.scalars(select(CompetitionResult).where(CompetitionResult.deleted.is_(False))).one()
        members = {m.student_id for m in s.scalars(select(CompetitionResultMember).where(
            CompetitionResultMember.result_id == r.id))}
        ev = s.scalars(select(Evidence).where(Evidence.owner_id == r.id)).one()
    assert members == set(info["student_ids"][:3]) and (r.level, r.award, r.award_date) == ("municipal", "first", when)
    assert (ev.owner_type, ev.kind, r.certificate_no) == ("result", "certificate", "2025-0417")
    win.select_student(info["student_ids"][0])
    win.page.setCurrentIndex(2)
    walk.shot(win, "2-award-saved")
    _save("team award of 3 with a certificate photo", size, walk.count())
    # kjcx␣ + the date (11-20) + 2025-0417 + zs⏎ ls⏎ ww⏎
    assert walk.count() == {"clicks": 12, "keys": 5 + len(typed_date) + 9 + 9}


def test_one_evaluation_round_for_a_class_of_45(qtbot, class45):
    """Walked at 1366×768 (the counts do not depend on the size); the screen shown at both."""
    db, info = class45
    size = "1366"
    walk = Walk(qtbot, size)
    win = _window(qtbot, db, info, size)
    walk.click(win.home.buttons["grid"])
    grid = win.grid
    assert grid.model.avg_row == 45 and grid.table.hasFocus() or QApplication.focusWidget() is grid.table
    assert (grid.table.currentIndex().row(), grid.table.currentIndex().column()) == (0, 0)
    dims = len(grid.rubric.dimensions)
    letters = "ABCD"
    for col in range(dims):
        for row in range(45):
            walk.type(grid.table, letters[(row + col) % 4 if row % 3 else 0].lower())
    wait_ops(qtbot, win)
    walk.shot(win, "3-grid-done")
    win.resize(*SIZES["1920"])
    qtbot.wait(20)
    win.grab().save(str(ART / "walk-3-grid-done-1920.png"))
    with db.session() as s:
        n = len(s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.deleted.is_(False))).all())
    assert n == 45 * dims
    _save("one process evaluation round, class of 45", size, walk.count())
    assert walk.count() == {"clicks": 1, "keys": 45 * dims}


def test_printing_the_class_copies_for_parents(qtbot, class45, tmp_path, monkeypatch):
    """The whole class of 45 at 1366×768; the dialog and the result shown at both sizes."""
    from growthdesk.ui.tools import PrintDialog
    db, info = class45
    size = "1366"
    walk = Walk(qtbot, size)
    asked = {}

    def save_box(parent, title, default, filters):
        asked["default"] = default
        walk.clicks += 1  # 保存: the name is filled in
        return str(tmp_path / Path(default).name), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_box)
    win = _window(qtbot, db, info, size, login="adviser")
    win.tabs.setCurrentIndex(0)
    chosen = info["student_ids"]
    walk.click(win.home.buttons["print"])
    dlg = win.findChild(PrintDialog)
    assert not dlg.class_sheet.isChecked() and dlg.duplex.isChecked() and dlg.one_file.isChecked()
    walk.shot(dlg, "4-print-dialog")
    win.resize(*SIZES["1920"])
    qtbot.wait(20)
    win.grab().save(str(ART / "walk-4-print-window-1920.png"))
    win.resize(*SIZES["1366"])
    monkeypatch.setattr(win, "_open_file", lambda *_a, **_k: None, raising=False)
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    walk.clicks += 1
    wait_ops(qtbot, win, timeout=60_000)
    name = Path(asked["default"]).name
    assert name == "初一(1)班成长档案 " + _term_label(info["term"]) + ".pdf"
    pdf = PdfReader(str(tmp_path / name))
    assert len(pdf.pages) % 2 == 0 and len(pdf.pages) >= 2 * len(chosen)
    text = "".join(p.extract_text() for p in pdf.pages[:4])
    assert "班级汇总" not in text  # no other children's data in parents' copies
    walk.shot(win, "5-printed")
    win.resize(*SIZES["1920"])
    qtbot.wait(20)
    win.grab().save(str(ART / "walk-5-printed-1920.png"))
    _save("class copies for parents", size, walk.count())
    assert walk.count() == {"clicks": 3, "keys": 0}


def _term_label(code: str) -> str:
    from growthdesk.services.terms import term_label
    return term_label(code)
