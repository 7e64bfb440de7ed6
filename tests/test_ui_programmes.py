"""The Programmes tab of the district window and the school's programme page, with real widgets
(pytest-qt, offscreen), rendered at 1366×768 into test-artifacts/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from growthdesk.stats.cultivation import NOTICE
from tests import programme_sample
from tests.test_ui_helpers import school_template, ui_school, user  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _cells(table, col):
    return [table.item(r, col).text() if table.item(r, col) else "" for r in range(table.rowCount())]


def _header(table):
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def _idle(qtbot, runner):
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
    QApplication.processEvents()


def _save(widget, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    assert widget.grab().save(str(out))
    return out


@pytest.fixture()
def window(qtbot, tmp_path):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district.window import DistrictWindow

    make_app("zh_CN")
    db, ids, extra = programme_sample.build(tmp_path / "district.db")
    win = DistrictWindow(db, "区教研员", behind_days=100_000)
    win.resize(1366, 768)
    win.show()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.report is not None, timeout=20_000)
    _idle(qtbot, win.runner)
    win.ids, win.extra = ids, extra
    yield win
    win.runner.wait()
    db.close()


def test_district_programmes_tab_nominate_select_and_chain(window, qtbot, monkeypatch):
    page = window.programmes_page
    window.tabs.setCurrentWidget(page)
    assert window.tabs.tabText(window.tabs.indexOf(page)) == "培养项目"
    assert page.notice.text() == f"※ {NOTICE}" and page.cand_notice.text() == f"※ {NOTICE}"
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)   # loaded when the tab is first shown
    _idle(qtbot, window.runner)
    assert page.programmes.count() == 3 and page.programmes.currentItem().text().startswith("科创苗子班")
    assert _header(page.candidates)[:4] == ["姓名", "学校", "入选规则", "依据"]
    names = _cells(page.candidates, 0)
    assert "王一鸣" in names and "李思远" in names
    _save(window, "programmes_district_candidates_zh_CN.png")
    # Nominate everyone the rules propose, then select 李思远 with a reason.
    old = page.data
    qtbot.mouseClick(page.rules_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not old, timeout=20_000)
    _idle(qtbot, window.runner)
    row = _cells(page.candidates, 0).index("李思远")
    assert _cells(page.candidates, 5)[row] == "待遴选"
    page.candidates.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("国家级一等奖，兴趣浓厚", True)))
    old = page.data
    qtbot.mouseClick(page.select_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not old, timeout=20_000)
    _idle(qtbot, window.runner)
    row = _cells(page.candidates, 0).index("李思远")
    assert (_cells(page.candidates, 5)[row], _cells(page.candidates, 6)[row], _cells(page.candidates, 7)[row]) == (
        "入选", "国家级一等奖，兴趣浓厚", "在培")
    # Members: 李思远 joined; a member's log shows below.
    page.tabs.setCurrentIndex(1)
    assert "李思远" in _cells(page.members, 0) and _header(page.members)[4:6] == ["校内导师", "校外导师"]
    # Mentors, a growth-log entry and an evaluation through the member dialogs.
    page.members.selectRow(_cells(page.members, 0).index("李思远"))
    page.open_mentors_dialog()
    dlg = page.dialog
    dlg.in_box.setCurrentIndex(dlg.in_box.findText("刘老师（U1）"))
    dlg.new_name.setText("孙研究员")
    dlg.new_org.setText("示例人工智能研究院")
    old = page.data
    dlg.accept()
    qtbot.waitUntil(lambda: page.data is not old, timeout=20_000)
    _idle(qtbot, window.runner)
    row = _cells(page.members, 0).index("李思远")
    assert (_cells(page.members, 4)[row], _cells(page.members, 5)[row]) == ("刘老师", "孙研究员（示例人工智能研究院）")
    page.members.selectRow(row)
    page.open_log_dialog()
    dlg = page.dialog
    dlg.date.setDate(date.today())
    dlg.activity.setCurrentIndex(dlg.activity.findData("fieldwork"))
    dlg.hours.setValue(3.5)
    dlg.content.setPlainText("湿地鸟类调查")
    dlg.feedback.setText("观察细致")
    _save(dlg, "programmes_log_dialog_zh_CN.png")
    old = page.data
    dlg.accept()
    qtbot.waitUntil(lambda: page.data is not old, timeout=20_000)
    _idle(qtbot, window.runner)
    page.members.selectRow(_cells(page.members, 0).index("李思远"))
    assert _cells(page.logs, 1) == ["野外考察"] and _cells(page.logs, 3) == ["湿地鸟类调查"]
    assert _cells(page.members, 6)[_cells(page.members, 0).index("李思远")] == "3.5"
    page.open_evaluation_dialog()
    dlg = page.dialog
    assert [dlg.layout().itemAt(i, dlg.layout().ItemRole.LabelRole).widget().text()
            for i in range(2, 7)] == ["研究兴趣", "研究能力", "创新能力", "团队合作", "坚持性"]
    dlg.scores["创新能力"].setValue(5)
    dlg.comment.setText("想法新颖")
    old = page.data
    dlg.accept()
    qtbot.waitUntil(lambda: page.data is not old, timeout=20_000)
    _idle(qtbot, window.runner)
    page.members.selectRow(_cells(page.members, 0).index("李思远"))
    page.member_tabs.setCurrentIndex(1)
    assert _cells(page.evaluations, 5) == ["继续培养"] and "创新能力 5" in _cells(page.evaluations, 3)[0]
    page.member_tabs.setCurrentIndex(0)
    _save(window, "programmes_district_members_zh_CN.png")
    # The chain: tiers, retention.
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.chain is not None, timeout=20_000)
    page.chain_choice.setCurrentIndex(page.chain_choice.findData("by_tier"))
    assert _cells(page.chain_table, 0) == ["小学科创苗子", "初中学科特长", "高中拔尖人才"]
    assert _cells(page.chain_table, 2) == ["4", "3", "2"]
    page.chain_choice.setCurrentIndex(page.chain_choice.findData("retention"))
    assert _cells(page.chain_table, 5) == ["100.0%", "50.0%"]
    _save(window, "programmes_district_chain_zh_CN.png")
    page.chain_choice.setCurrentIndex(page.chain_choice.findData("chain"))
    assert _cells(page.chain_table, 0) == ["林小川"] and _cells(page.chain_table, 1) == ["小学→初中→高中"]
    # Chinese everywhere on the tab (the walk of tests/test_ui_chinese_walk.py): no English, no raw term codes.
    from tests.test_ui_chinese_walk import RAW_TERM, _english, _texts
    texts = []
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        for k in range(page.chain_choice.count() if i == 2 else 1):
            if i == 2:
                page.chain_choice.setCurrentIndex(k)
            QApplication.processEvents()
            texts += _texts(window) + [page.candidates.item(r, c).text() for r in range(page.candidates.rowCount())
                                       for c in range(page.candidates.columnCount()) if page.candidates.item(r, c)]
    assert not _english(texts) and not [t for t in texts if RAW_TERM.search(t)]
    # Export of the programmes (off the UI thread)
    out = window.programmes_page
    path = Path(window.db.path).parent / "progs.xlsx"
    out.export_to(str(path))
    _idle(qtbot, window.runner)
    assert path.exists()


def test_school_programme_page_from_the_tools_menu(qtbot, ui_school):
    from growthdesk.services import programmes as svc
    from growthdesk.services import users
    from growthdesk.ui.main_window import MainWindow

    db, info = ui_school
    with db.session(user="admin") as s:
        p = svc.create_programme(s, name="校科创社", tier="junior", start_term=info["term"], disciplines="科学")
        mi = svc.add_mentor(s, kind="in_school", login="teacher")
        me = svc.add_mentor(s, kind="external", name="周教授", institution="示例大学", field="物理")
        m = svc.add_member(s, p.id, student_id=info["student_ids"][0], in_mentor_id=mi.id, ext_mentor_id=me.id,
                           joined_on=date.today())
        svc.add_log(s, m.id, entry_date=date.today(), activity="lab_day", hours=2, content="光学实验",
                    mentor_feedback="认真")
    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.show()
    win.findChild(type(win.menuBar().actions()[0]), "actProgrammes").trigger()
    dlg = win._programmes_dialog
    dlg.resize(1366, 768)
    qtbot.waitUntil(lambda: dlg.page.data is not None, timeout=20_000)
    qtbot.waitUntil(lambda: dlg.runner.pending == 0, timeout=20_000)
    page = dlg.page
    page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert _cells(page.members, 0) == ["张三"] and _cells(page.members, 4) == ["李老师"]
    assert _cells(page.logs, 3) == ["光学实验"]
    assert page.tabs.tabText(2) == "导师" and page.chain_choice.count() == 1
    qtbot.waitUntil(lambda: page.chain is not None, timeout=20_000)
    assert _cells(page.chain_table, 0) == ["李老师", "周教授"] or sorted(_cells(page.chain_table, 0)) == ["周教授", "李老师"]
    _save(dlg, "programmes_school_page_zh_CN.png")
    dlg.close()


def test_new_and_edited_programme_from_the_page(window, qtbot):
    page = window.programmes_page
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    _idle(qtbot, window.runner)
    page.open_programme_dialog(False)
    dlg = page.dialog
    assert dlg.criteria.text() == "研究兴趣、研究能力、创新能力、团队合作、坚持性"
    dlg.name.setText("初中化学特长班")
    dlg.tier.setCurrentIndex(dlg.tier.findData("junior"))
    dlg.disciplines.setText("化学")
    dlg.capacity.setValue(12)
    _save(dlg, "programmes_new_programme_dialog_zh_CN.png")
    dlg.accept()
    qtbot.waitUntil(lambda: page.programmes.count() == 4, timeout=20_000)
    _idle(qtbot, window.runner)
    names = [page.programmes.item(i).text().split("\n")[0] for i in range(page.programmes.count())]
    assert names == ["科创苗子班", "初中化学特长班", "学科特长班", "拔尖人才班"]
    page.programmes.setCurrentRow(1)
    qtbot.waitUntil(lambda: page.data and page.data["candidates"]["programme"]["name"] == "初中化学特长班",
                    timeout=20_000)
    _idle(qtbot, window.runner)
    page.open_programme_dialog(True)
    dlg = page.dialog
    assert (dlg.name.text(), dlg.disciplines.text(), dlg.capacity.value()) == ("初中化学特长班", "化学", 12)
    dlg.criteria.setText("研究兴趣、实验能力")
    dlg.accept()
    qtbot.waitUntil(lambda: page.data["candidates"]["programme"]["criteria"] == ["研究兴趣", "实验能力"],
                    timeout=20_000)
    assert "实验能力" in page.info.text()
