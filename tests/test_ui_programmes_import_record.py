"""The district window's programme-list import (preview, errors by row in Chinese, one
transaction) and the school app's mentor's record (students guided, hours, awards and projects;
.xlsx), with real widgets; rendered at 1366×768 into test-artifacts/."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from growthdesk.models import ProgrammeMember
from tests.dbdump import dump
from tests.test_programmes_sheets import _file
from tests.test_ui_helpers import school_template, ui_school, user  # noqa: F401
from tests.test_ui_programmes import _cells, _idle, _save, window  # noqa: F401  (fixtures)


def test_district_imports_a_programme_list_after_a_preview(window, qtbot, tmp_path):  # noqa: F811
    page = window.programmes_page
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    _idle(qtbot, window.runner)
    assert page.import_button.isVisible() and page.import_button.text() == "导入名单…"
    dlg = page.open_import_dialog()
    dlg.resize(1366, 768)
    before = dump(window.db)
    dlg.set_file(_file(tmp_path))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=20_000)
    _idle(qtbot, window.runner)
    assert dump(window.db) == before                    # the preview wrote nothing
    assert dlg.summary.text().startswith("可导入成员 2 行，已是成员 1 行，有问题 7 行")
    rows = _cells(dlg.table, 0)
    assert rows == ["6", "7", "8", "9", "10", "11", "12"]   # every problem, by the file's row
    reasons = dict(zip(rows, _cells(dlg.table, 2)))
    assert "大学" in reasons["6"] and "找不到" in reasons["8"] and "重复" in reasons["10"]
    assert _cells(dlg.table, 1)[0] == "层级"
    assert dlg.import_button.isEnabled() and dlg.import_button.text() == "导入"
    _save(dlg, "programmes_import_preview_zh_CN.png")
    dlg.save_report(tmp_path / "bad.xlsx")
    _idle(qtbot, window.runner)
    assert [r[-2] for r in list(load_workbook(tmp_path / "bad.xlsx").active.iter_rows(values_only=True))[1:]] == [
        6, 7, 8, 9, 10, 11, 12]
    dlg.confirm()
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20_000)
    _idle(qtbot, window.runner)
    assert dlg.result == {"programmes": 1, "mentors": 2, "members": 2}
    assert dlg.summary.text() == "已导入：成员 2 名，新建培养项目 1 个，新建导师 2 名"
    qtbot.waitUntil(lambda: page.programmes.count() == 4, timeout=20_000)   # the page reloaded
    assert any(page.programmes.item(i).text().startswith("初中数学特长班") for i in range(page.programmes.count()))
    with window.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeMember)) == 10
    dlg.close()


def test_mentor_opens_and_exports_their_own_record(qtbot, ui_school, tmp_path):  # noqa: F811
    from growthdesk.services import programmes as svc
    from growthdesk.ui.main_window import MainWindow

    db, info = ui_school
    with db.session(user="admin") as s:
        p = svc.create_programme(s, name="校科创社", tier="junior", start_term=info["term"], disciplines="科学")
        mi = svc.add_mentor(s, kind="in_school", login="teacher")
        me = svc.add_mentor(s, kind="external", name="周教授", institution="示例大学", field="物理")
        for sid in info["student_ids"][:2]:
            m = svc.add_member(s, p.id, student_id=sid, in_mentor_id=mi.id, ext_mentor_id=me.id,
                               joined_on=date(2025, 9, 15))
            svc.add_log(s, m.id, entry_date=date(2025, 10, 8), activity="lab_day", hours=2.5, content="光学实验",
                        mentor_feedback="认真")
    win = MainWindow(db, user(db, "teacher"))
    qtbot.addWidget(win)
    win.show()
    win.findChild(type(win.menuBar().actions()[0]), "actProgrammes").trigger()
    dlg = win._programmes_dialog
    dlg.resize(1366, 768)
    page = dlg.page
    qtbot.waitUntil(lambda: page.chain is not None, timeout=20_000)
    _idle(qtbot, dlg.runner)
    page.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    assert page.record_button.isVisible() and page.record_button.text() == "导师档案…"
    _save(dlg, "programmes_school_mentors_tab_zh_CN.png")
    # nobody chosen: the logged-in teacher's own record (they are the in-school mentor)
    page.chain_table.setCurrentCell(-1, -1)
    page.open_mentor_record()
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.windowTitle().startswith("导师档案"),
                    timeout=20_000)
    rec = page.dialog
    rec.resize(1366, 768)
    assert rec.record["mentor"]["id"] == mi.id
    assert "指导学生 2 名" in rec.head.text() and "学时 5" in rec.head.text()
    assert rec.table.rowCount() == 2 and set(_cells(rec.table, 1)) == {"校科创社"}
    assert _cells(rec.table, 3) == ["2025年9月15日"] * 2 and _cells(rec.table, 6) == ["2.5", "2.5"]
    _save(rec, "programmes_mentor_record_zh_CN.png")
    out = tmp_path / "导师档案.xlsx"
    rec.export_to(str(out))
    _idle(qtbot, dlg.runner)
    wb = load_workbook(out)
    head = dict(wb["导师档案"].iter_rows(min_row=2, values_only=True))
    assert head["指导学生"] == 2 and head["指导学时"] == 5
    assert len(list(wb["指导学生"].iter_rows(min_row=2, values_only=True))) == 2
    # choosing the external mentor shows theirs
    rec.close()
    page.chain_table.selectRow(_cells(page.chain_table, 0).index("周教授"))
    page.open_mentor_record()
    qtbot.waitUntil(lambda: page.dialog is not rec, timeout=20_000)
    assert page.dialog.record["mentor"]["name"] == "周教授"
    page.dialog.close()
    dlg.close()
