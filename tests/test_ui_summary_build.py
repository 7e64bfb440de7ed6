"""The district window's summary build: a progress dialog with 取消; cancelling keeps what
was built, says so, and the statistics stay right (computed on the fly meanwhile)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from growthdesk.stats.sample import PREV, TERM, create_sample_district

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture()
def window(qtbot, tmp_path):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district.window import DistrictWindow

    make_app("zh_CN")
    db, _ = create_sample_district(tmp_path / "district.db", datetime(2026, 1, 10))
    win = DistrictWindow(db, "district", behind_days=100_000)
    win.resize(1366, 768)
    win.show()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.report is not None, timeout=15_000)
    yield win
    win.runner.wait()
    db.close()


def _states(db) -> dict[str, str]:
    from growthdesk.stats import summary
    from growthdesk.stats.scoring import load_rubric
    with db.session() as s:
        rubric = load_rubric(s)
        return {t: summary.state_of(s, t, rubric) for t in (TERM, PREV)}


def test_cancel_in_the_progress_dialog_stops_the_build_and_says_so(window, qtbot):
    before = window.report["statistics"]
    release = threading.Event()
    window.runner.run(window, lambda ctx: release.wait(10))  # holds the worker: the build waits its turn
    qtbot.mouseClick(window.filter_bar.summary_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in window.findChildren(QProgressDialog) if d.windowTitle() == "正在更新统计汇总…")
    dialog.show()
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "district_summary_progress_zh_CN.png"))
    assert dialog.grab().save(str(ARTIFACTS / "district_summary_progress_dialog_zh_CN.png"))
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    old = window.report
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: window.report is not old, timeout=15_000)
    assert "汇总更新已停止：已完成 0 个学期" in window.statusBar().currentMessage()
    assert _states(window.db) == {TERM: "absent", PREV: "absent"}
    assert window.report["statistics"] == before  # computed on the fly, the same numbers
    old = window.report
    qtbot.mouseClick(window.filter_bar.summary_button, Qt.MouseButton.LeftButton)  # again, not cancelled
    qtbot.waitUntil(lambda: window.report is not old, timeout=15_000)
    window.runner.wait()
    assert _states(window.db) == {TERM: "fresh", PREV: "fresh"}
    assert window.report["statistics"] == before
