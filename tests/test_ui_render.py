"""The main window renders in Chinese (default) and English, with the bundled font: PNGs are
kept under test-artifacts/ for people to look at; the assertions check the translations were
applied and that Chinese glyphs are drawn (distinct shapes, not identical 'tofu' boxes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

from tests.test_ui_helpers import school_template, ui_school, user  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _glyph(ch: str) -> QImage:
    img = QImage(40, 40, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(QApplication.font())
    p.setPen(QColor("black"))
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, ch)
    p.end()
    return img


def _two_terms_of_evaluations(db, info) -> None:
    """Grid levels for the first student in this term and the previous one (radar and lines)."""
    from growthdesk.services import evaluations, terms
    sid = info["student_ids"][0]
    with db.session(user="teacher") as s:
        for code, levels in ((terms.previous_term_code(info["term"]), "CBCDCBC"), (info["term"], "ABABBAA")):
            for dim, level in zip(("moral", "academic", "health", "arts", "labour", "innovation", "practice"), levels):
                evaluations.set_grid_level(s, student_id=sid, term_code=code, dimension=dim, evaluator_role="teacher",
                                           evaluator_name="李老师", level=level)


def _render(qtbot, db, info, lang: str) -> tuple[Path, object]:
    from growthdesk.ui.app import make_app
    from growthdesk.ui.main_window import MainWindow
    make_app(lang)
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.select_class(info["class_id"])
    win.select_student(info["student_ids"][0])
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"main_window_{lang}.png"
    assert win.grab().save(str(out))
    win.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert win.grab().save(str(ARTIFACTS / f"evaluation_grid_{lang}.png"))
    win.tabs.setCurrentIndex(0)
    win.page.setCurrentWidget(win.page.chart)
    QApplication.processEvents()
    assert win.grab().save(str(ARTIFACTS / f"growth_view_{lang}.png"))
    return out, win


def test_main_window_renders_in_chinese_and_english(qtbot, ui_school):
    from growthdesk.ui import app as ui_app
    db, info = ui_school
    _two_terms_of_evaluations(db, info)
    try:
        zh_png, zh = _render(qtbot, db, info, "zh_CN")
        assert zh.menuBar().actions()[0].text() == "文件(&F)"
        assert zh.tabs.tabText(1) == "班级过程性评价"
        assert zh.model.headerData(0, Qt.Orientation.Horizontal) == "学籍号"
        en_png, en = _render(qtbot, db, info, "en")
        assert en.menuBar().actions()[0].text() == "&File"
        assert en.tabs.tabText(1) == "Class evaluation grid"
        assert en.model.headerData(0, Qt.Orientation.Horizontal) == "Student no."
    finally:
        ui_app.make_app("zh_CN")
    assert zh_png.stat().st_size > 10_000 and en_png.stat().st_size > 10_000
    assert QImage(str(zh_png)) != QImage(str(en_png))
    growth = zh.page.chart.growth
    assert len(growth.terms) == 2 and growth.scores[info["term"]]["moral"] == 95


def test_bundled_font_draws_chinese(qtbot, ui_school):
    from growthdesk.ui.app import register_font
    families = register_font()
    assert families[0] == "Droid Sans Fallback", "the bundled CJK font was not registered first"
    font = QApplication.font()
    assert font.families() == families
    fm = QFontMetrics(font)
    assert all(fm.inFontUcs4(ord(ch)) for ch in "学生成长档案")
    # Missing glyphs draw as the same box; real glyphs differ from each other and from blank.
    shapes = [_glyph(ch) for ch in "学生档"]
    blank = _glyph(" ")
    assert shapes[0] != shapes[1] != shapes[2] and all(s != blank for s in shapes)


def test_every_ui_string_has_a_chinese_translation(tmp_path):
    """lupdate over today's sources finds no string the shipped .ts lacks or leaves unfinished."""
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    from growthdesk.paths import resource
    sys.path.insert(0, str(resource("translations")))
    try:
        import update
    finally:
        sys.path.pop(0)
    fresh = tmp_path / "fresh.ts"
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(tool), *update.SOURCES, "-ts", str(fresh), "-locations", "none"], check=True,
                   capture_output=True)
    shipped = ET.parse(resource("translations", "growthdesk_zh_CN.ts")).getroot()
    done = {(c.find("name").text, m.find("source").text) for c in shipped.iter("context")
            for m in c.iter("message") if m.find("translation").get("type") is None}
    needed = {(c.find("name").text, m.find("source").text) for c in ET.parse(fresh).getroot().iter("context")
              for m in c.iter("message")}
    assert needed - done == set(), "run: .venv/bin/python resources/translations/update.py"
    # The shipped .qm is the compiled .ts (lrelease output is byte-for-byte repeatable).
    qm = tmp_path / "fresh.qm"
    subprocess.run([str(tool.with_name("pyside6-lrelease")), str(resource("translations", "growthdesk_zh_CN.ts")),
                    "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == resource("translations", "growthdesk_zh_CN.qm").read_bytes()


def test_round_two_screens_render_in_chinese(qtbot, ui_school):
    """The teacher's read-only term view, the process evaluation editor and the sync dialog, as PNGs."""
    from growthdesk.services import evaluations
    from growthdesk.ui import editors, tools
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    _two_terms_of_evaluations(db, info)
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(teacher)
    teacher.resize(1280, 800)
    teacher.show()
    teacher.select_class(info["class_id"])
    teacher.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    assert teacher.term_view.note.isVisible() and "只读" in teacher.term_view.note.text()
    assert teacher.grab().save(str(ARTIFACTS / "term_view_teacher_read_only_zh_CN.png"))
    with db.session() as s:
        eid = evaluations.list_process_evaluations(s, info["student_ids"][0], info["term"])[0].id
    teacher.tabs.setCurrentIndex(0)
    teacher.select_student(info["student_ids"][0])
    dlg = editors.edit_evaluation(teacher, eid)
    QApplication.processEvents()
    assert dlg.windowTitle() == "修改过程性评价" and dlg.score.text() in ("95", "85")
    assert dlg.grab().save(str(ARTIFACTS / "evaluation_edit_dialog_zh_CN.png"))
    dlg.reject()
    admin = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(admin)
    admin.show()
    sync = tools.sync_bundle(admin)
    QApplication.processEvents()
    assert sync.grab().save(str(ARTIFACTS / "sync_dialog_zh_CN.png"))
