"""The district window with real widgets (pytest-qt, offscreen) on the sample district."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from growthdesk.stats.sample import TERM, create_sample_district


@pytest.fixture()
def window(qtbot, tmp_path):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district.window import DistrictWindow

    make_app()
    db, _ = create_sample_district(tmp_path / "district.db", datetime(2026, 1, 10))
    # The sample's bundles are dated early 2026; a generous day limit leaves only U2 (gap) and
    # R1 (never a good bundle) behind, whatever today's date is.
    win = DistrictWindow(db, "district", behind_days=100_000)
    win.show()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.report is not None, timeout=15_000)
    yield win
    win.runner.wait()
    db.close()


def _cells(table, col):
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_school_list_highlights_schools_behind(window):
    t = window.school_table
    assert _cells(t, 0) == ["R1", "T1", "U1", "U2"]
    red = QColor("#F8D7DA")
    colours = {t.item(r, 0).text(): t.item(r, 0).background().color() for r in range(t.rowCount())}
    assert (colours["R1"], colours["U2"]) == (red, red)
    assert colours["U1"] != red and colours["T1"] != red
    gaps_col = [window.school_table.horizontalHeaderItem(c).text() for c in range(t.columnCount())].index("缺失序号")
    assert t.item(3, gaps_col).text() == "2"
    assert "落后 2 所" in window.summary.text()


def test_statistics_page_chart_table_and_filters(window, qtbot):
    # The default term is the latest one with evaluations.
    assert window.filter_bar.term.currentData() == TERM
    page = window.stats_page
    window.tabs.setCurrentWidget(page)
    page.list.setCurrentRow(0)                                  # awards by level
    assert page.title.text() == "获奖情况（按竞赛级别）"
    assert _cells(page.table, 0)[:3] == ["国际级", "国家级", "省级"]
    assert _cells(page.table, 1)[:3] == ["0", "1", "2"]
    assert page.chart.labels[:2] == ["国际级", "国家级"]
    image = page.chart.grab().toImage()
    blue = QColor("#2F6FB3").rgb()
    assert any(image.pixel(x, y) == blue for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))
    # Filter to rural schools: the urban team award disappears.
    bar = window.filter_bar
    bar.category.setCurrentIndex(bar.category.findData("rural"))
    old = window.report
    qtbot.mouseClick(bar.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not old, timeout=15_000)
    assert window.report["filters"]["category"] == "rural"
    assert _cells(page.table, 1)[:3] == ["0", "0", "0"]          # R1 has no national/provincial award
    page.list.setCurrentRow(list(window.report["statistics"]).index("evaluation_coverage"))
    assert "覆盖率" in page.title.text() and page.table.rowCount() == 7


def test_open_district_window_is_what_the_launcher_calls(qtbot, tmp_path):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district import open_district_window

    make_app()
    db, _ = create_sample_district(tmp_path / "district.db", datetime(2026, 1, 10))
    win = open_district_window(db, "district")
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.report is not None, timeout=15_000)
    assert win.isVisible() and win.tabs.count() == 7   # … the schools page, the Programmes tab (issue 16), 综评进度 (issue 15)
    win.runner.wait()
    db.close()


def test_person_search_shows_history_across_schools(window, qtbot):
    page = window.people_page
    window.tabs.setCurrentWidget(page)
    page.query.setText("林小川")  # QTest.keyClicks cannot type Chinese (no input method offscreen)
    qtbot.keyClick(page.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.results.count() == 1, timeout=10_000)
    assert page.history is None and "reason" in page.header.text().lower() or "原因" in page.header.text()
    page.reason.setText("升学衔接核对")  # no history without a stated reason (it is logged)
    page.open_person(page.results.item(0))
    qtbot.waitUntil(lambda: page.history is not None, timeout=10_000)
    assert page.results.count() == 1
    assert "城区实验小学" in page.header.text() and "城区第一中学" in page.header.text()
    schools = set(_cells(page.timeline, 1))
    assert schools == {"城区实验小学", "城区第一中学"}
    assert "竞赛获奖" in _cells(page.timeline, 2)


def test_cultivation_list_is_labelled_not_for_admission(window, tmp_path, qtbot):
    page = window.cultivation_page
    assert "用于培养计划，不作为升学录取依据" in page.notice.text()
    assert page.table.rowCount() == 6
    assert "马文静" in _cells(page.table, 0)
    page.MAX_ROWS = 2                           # a huge list shows its head and points at the export
    page.set_list(window.report["cultivation"])
    assert page.table.rowCount() == 2 and "共 6 人" in page.rules.text() and "导出" in page.rules.text()
    out = tmp_path / "stats.xlsx"
    window.export_to(str(out), "xlsx")
    qtbot.waitUntil(out.exists, timeout=10_000)
    window.runner.wait()
    assert out.stat().st_size > 0


def test_summary_button_builds_cells_and_statistics_stay_the_same(window, qtbot):
    from growthdesk.stats import summary
    from growthdesk.stats.scoring import load_rubric

    before = window.report["statistics"]
    old = window.report
    qtbot.mouseClick(window.filter_bar.summary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not old, timeout=15_000)
    with window.db.session() as s:
        assert summary.is_fresh(s, TERM, load_rubric(s))
    assert window.report["statistics"] == before


def test_every_statistics_header_has_english():
    """English mode shows the stats' Chinese-only column headers through ui.district.labels: a
    column added to the statistics without an English header fails here, not in front of a user."""
    from growthdesk.stats.report import CULTIVATION_COLUMNS, META, SCHOOL_COLUMNS
    from growthdesk.ui.district.labels import HEADERS_EN
    headers = {c.zh for cols in [*(m.columns for m in META.values()), SCHOOL_COLUMNS, CULTIVATION_COLUMNS]
               for c in cols}
    assert headers - set(HEADERS_EN) == set()
