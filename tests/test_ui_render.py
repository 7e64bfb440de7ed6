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
        assert zh.model.headerData(5, Qt.Orientation.Horizontal) == "学籍号"  # after 姓名 学号 性别 班级 学籍状态
        en_png, en = _render(qtbot, db, info, "en")
        assert en.menuBar().actions()[0].text() == "&File"
        assert en.tabs.tabText(1) == "Class evaluation grid"
        assert en.model.headerData(5, Qt.Orientation.Horizontal) == "Student no."
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


def _district_window(qtbot, tmp_path, lang: str):
    from datetime import datetime

    from growthdesk.stats.sample import create_sample_district
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district.window import DistrictWindow
    make_app(lang)
    db, _ = create_sample_district(tmp_path / f"district-{lang}.db", datetime(2026, 1, 10))
    win = DistrictWindow(db, "district", behind_days=100_000)
    qtbot.addWidget(win)
    win.resize(1180, 760)
    win.show()
    qtbot.waitUntil(lambda: win.report is not None, timeout=15_000)
    win.tabs.setCurrentWidget(win.stats_page)
    win.stats_page.list.setCurrentRow(0)
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / f"district_window_{lang}.png"))
    win.tabs.setCurrentWidget(win.cultivation_page)
    QApplication.processEvents()
    assert win.grab().save(str(ARTIFACTS / f"district_cultivation_{lang}.png"))
    win.runner.wait()
    return win, db


def _headers(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_district_window_in_english_and_chinese(qtbot, tmp_path):
    """Every visible text of the district window follows the UI language, the notice included."""
    from growthdesk.ui import app as ui_app
    try:
        en, en_db = _district_window(qtbot, tmp_path, "en")
        assert [en.tabs.tabText(i) for i in range(4)] == ["School bundles", "Statistics", "Students across stages",
                                                          "Cultivation list"]
        assert en.stats_page.title.text() == "Awards by level"
        assert _headers(en.stats_page.table)[:2] == ["Level", "Awards"]
        assert en.stats_page.table.item(0, 0).text() == en.stats_page.chart.labels[0] == "International"
        assert en.filter_bar.refresh_button.text() == "Compute" and en.filter_bar.term.itemText(0) == "All terms"
        assert "For cultivation programmes, not for admission decisions" in en.cultivation_page.notice.text()
        assert "6 student(s)." in en.cultivation_page.rules.text()
        assert "school(s)" in en.summary.text() and "all stages" in en.summary.text()
        assert _headers(en.school_table)[0] == "School code" and en.import_action.text() == "Import bundles…"
        why = {en.school_table.item(r, 0).text(): en.school_table.item(r, en.school_table.columnCount() - 1).text()
               for r in range(en.school_table.rowCount())}
        assert why["U2"] == "missing no. 2" and why["R1"] == "no bundle received yet", why
        english = "\n".join([en.summary.text(), en.cultivation_page.rules.text(), *_headers(en.school_table),
                             *_headers(en.cultivation_page.table), *why.values(),
                             en.windowTitle().replace(en_db.settings.get("district_name", ""), "")])
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), english
        zh, _ = _district_window(qtbot, tmp_path, "zh_CN")
        assert [zh.tabs.tabText(i) for i in range(4)] == ["学校数据报送", "统计分析", "学生跨学段跟踪", "培养名单"]
        assert zh.stats_page.title.text() == "获奖情况（按竞赛级别）" and _headers(zh.stats_page.table)[0] == "级别"
        assert "用于培养计划，不作为升学录取依据" in zh.cultivation_page.notice.text()
        assert "共 6 人" in zh.cultivation_page.rules.text() and "落后 2 所" in zh.summary.text()
        assert zh.filter_bar.summary_button.text() == "更新统计汇总"
    finally:
        ui_app.make_app("zh_CN")


def _import_dialog(qtbot, district, files, lang: str):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.sync_import import BundleImportDialog
    make_app(lang)
    dlg = BundleImportDialog(district, user="staff")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.set_files(files)
    dlg.run(dry_run=True)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20_000)
    QApplication.processEvents()
    assert dlg.grab().save(str(ARTIFACTS / f"sync_import_dialog_{lang}.png"))
    return dlg


def test_sync_import_dialog_in_english_and_chinese(qtbot, tmp_path, monkeypatch):
    from growthdesk.sync import export_bundle
    from growthdesk.sync.testing import make_district_and_school
    from growthdesk.ui import app as ui_app
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    ARTIFACTS.mkdir(exist_ok=True)
    district, school, _ = make_district_and_school(tmp_path, students=20)
    try:
        bundle = Path(export_bundle(school, tmp_path / "usb")["path"])
        junk = tmp_path / "usb" / "S0001-000009.gdbundle.zip"
        junk.write_bytes(b"not a zip")
        en = _import_dialog(qtbot, district, [bundle, junk], "en")
        rows = {en.table.item(r, 0).text(): en.table.item(r, 3).text() for r in range(2)}
        assert _headers(en.table)[:4] == ["File", "School", "No.", "Result"]
        assert en.windowTitle() == "Import school bundles"
        assert rows == {bundle.name: "Can be imported (check)", junk.name: "Rejected"}
        reason = en.table.item(next(r for r in range(2) if en.table.item(r, 0).text() == junk.name), 8).text()
        assert reason and not any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason
        assert en.summary.text() == "Check done: 1 can be imported, 0 already imported, 1 rejected."
        zh = _import_dialog(qtbot, district, [bundle, junk], "zh_CN")
        assert _headers(zh.table)[3] == "结果" and zh.windowTitle() == "导入学校数据包"
        assert zh.summary.text() == "预检完成：可导入 1 个，已导入过 0 个，拒绝 1 个。"
        assert zh.dry_button.text() == "预检（不改动数据）"
    finally:
        ui_app.make_app("zh_CN")
        district.close()
        school.close()
