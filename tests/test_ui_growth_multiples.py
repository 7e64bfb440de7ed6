"""Growth view (issue 12): one small chart per dimension (small multiples, as the PDF), with
初一上-style term labels that never overprint each other or the scale, at the sizes the student
page gives at 1366×768 and 1920×1080 and at the widget's minimum."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetrics

from growthdesk.services.rubric import default_rubric
from growthdesk.services.views import Growth
from tests.test_ui_helpers import school_template, ui_school, user  # noqa: F401

TERMS = ["2023-2024-1", "2023-2024-2", "2024-2025-1", "2024-2025-2", "2025-2026-1", "2025-2026-2"]


def _growth(terms=TERMS) -> Growth:
    rub = default_rubric()
    same = {d.code: 85.0 for d in rub.dimensions}  # equal scores: one line would hide the others
    return Growth(list(terms), {t: dict(same) for t in terms}, {t: 7 + i // 2 for i, t in enumerate(terms)})


def test_small_multiples_in_the_student_page_at_both_sizes(qtbot, ui_school):
    from growthdesk.ui import growth_chart
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    win = MainWindow(db, user(db, "adviser"))
    qtbot.addWidget(win)
    rub = default_rubric()
    art = Path(__file__).resolve().parent.parent / "test-artifacts"
    art.mkdir(exist_ok=True)
    for w, h in ((1366, 768), (1920, 1080)):
        win.resize(w, h)
        win.show()
        win.select_student(info["student_ids"][0])
        win.page.setCurrentIndex(win.page.count() - 1)  # 成长视图
        chart = win.page.chart
        chart.set_data(_growth(), rub, TERMS[-1])
        qtbot.wait(20)
        assert chart.width() >= 480
        box_w = chart.width() * (1 - 0.36) - 12
        box_h = chart.height() - 32
        cols = growth_chart._columns(len(rub.dimensions), box_w, box_h, 6)
        rows = -(-len(rub.dimensions) // cols)
        assert rows * cols >= 7 and (box_h - 6 * (rows - 1)) / rows >= 100  # room for a line in each panel
        assert [chart._term_text(t) for t in TERMS] == ["初一上", "初一下", "初二上", "初二下", "初三上", "初三下"]
        win.grab().save(str(art / f"growth-multiples-{w}.png"))
        chart.grab().save(str(art / f"growth-chart-{w}.png"))


def test_term_labels_never_overprint_and_stay_in_the_panel(qtbot):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.growth_chart import _label_x, _thinned
    from growthdesk.reports.labels import short_term
    make_app("zh_CN")
    fm = QFontMetrics(QFont())
    codes = [f"{2013 + i // 2}-{2014 + i // 2}-{1 + i % 2}" for i in range(12)]
    for n in range(1, 13):
        labels = [short_term(c, 1 + i // 2) for i, c in enumerate(codes[:n])]
        for width in (60, 90, 140, 220, 400):
            room = QRectF(30, 0, width, 100)
            xs = [room.left() + 2 + (width - 4) * (k + 0.5) / n for k in range(n)]
            spots = [_label_x(x, fm.horizontalAdvance(t), room) for x, t in zip(xs, labels)]
            shown = _thinned(spots, labels, fm)
            assert shown and shown[-1] == n - 1  # the latest term is always named
            for a, b in zip(shown, shown[1:]):
                gap = spots[b] - spots[a] - (fm.horizontalAdvance(labels[a]) + fm.horizontalAdvance(labels[b])) / 2
                assert gap >= 6 or len(shown) == 1, (n, width, a, b)
            for k in shown:
                half = fm.horizontalAdvance(labels[k]) / 2
                if fm.horizontalAdvance(labels[k]) <= width:
                    assert room.left() - 0.01 <= spots[k] - half and spots[k] + half <= room.right() + 0.01


def test_every_dimension_gets_its_panel_at_the_minimum_size(qtbot):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.growth_chart import GrowthChart
    make_app("zh_CN")
    chart = GrowthChart()
    qtbot.addWidget(chart)
    chart.resize(chart.minimumSize())
    chart.set_data(_growth(TERMS[:1]), default_rubric(), TERMS[0])  # one term: points, no line
    image = chart.grab().toImage()
    assert image.width() == chart.minimumWidth()
    colours = {image.pixelColor(x, y).name() for x in range(image.width() // 3, image.width(), 2)
               for y in range(0, image.height(), 2)}
    from growthdesk.ui.growth_chart import PALETTE
    assert sum(1 for c in PALETTE[:7] if c in colours) >= 6  # each dimension's own colour is drawn
