"""Growth view: this term's dimension scores as a radar, and each dimension across terms in a
small chart of its own (small multiples, as the printed portfolio draws them).

Drawn with QPainter: PySide6-Essentials has no QtCharts, and two small charts do not need it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..services.rubric import RubricDoc
from ..services.views import Growth, term_label
from . import app as ui_app

PALETTE = ["#d9534f", "#0275d8", "#5cb85c", "#f0ad4e", "#8e44ad", "#16a085", "#795548", "#607d8b"]
LINE_LO = 50.0  # the printed portfolio's scale (reports.charts.LINE_LO): a score under 50 sits on the floor
Y_MIN, Y_MAX = LINE_LO, 100.0


class GrowthChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.growth: Growth | None = None
        self.rubric: RubricDoc | None = None
        self.term = ""

    def set_data(self, growth: Growth | None, rubric: RubricDoc, term: str) -> None:
        self.growth, self.rubric, self.term = growth, rubric, term
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.growth or not self.rubric or not self.growth.terms:
            p.setPen(QColor("#888"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No evaluations recorded yet"))
            return
        w, h = self.width(), self.height()
        split = 0.36
        left = QRectF(10, 24, w * split - 20, h - 34)
        right = QRectF(w * split + 4, 24, w * (1 - split) - 12, h - 32)
        p.setPen(QColor("#333"))
        head = self.tr("This term") + " · " + term_label(self.term, ui_app.lang())
        p.drawText(QRectF(0, 2, w * split, 20), Qt.AlignmentFlag.AlignCenter,
                   p.fontMetrics().elidedText(head, Qt.TextElideMode.ElideRight, int(w * split - 8)))
        p.drawText(QRectF(w * split, 2, w * (1 - split), 20), Qt.AlignmentFlag.AlignCenter, self.tr("Across terms"))
        self._radar(p, left)
        self._multiples(p, right)

    def _labels(self) -> list[str]:
        zh = ui_app.lang().startswith("zh")
        return [(d.short_zh or d.name_zh) if zh else d.name_en.split()[0] for d in self.rubric.dimensions]

    def _radar(self, p: QPainter, box: QRectF) -> None:
        dims = self.rubric.dimensions
        n = len(dims)
        c = box.center()
        r = min(box.width(), box.height()) / 2 - 34  # room for the labels around it

        def point(i: int, value: float) -> QPointF:
            a = -math.pi / 2 + 2 * math.pi * i / n
            k = max(0.0, min(1.0, value / 100.0))
            return QPointF(c.x() + r * k * math.cos(a), c.y() + r * k * math.sin(a))

        p.setPen(QPen(QColor("#ccc"), 1))
        for ring in (25, 50, 75, 100):
            p.drawPolygon(QPolygonF([point(i, ring) for i in range(n)]))
        labels = self._labels()
        for i in range(n):
            p.drawLine(c, point(i, 100))
            tip = point(i, 118)
            p.setPen(QColor("#333"))
            p.drawText(QRectF(tip.x() - 45, tip.y() - 9, 90, 18), Qt.AlignmentFlag.AlignCenter, labels[i])
            p.setPen(QPen(QColor("#ccc"), 1))
        scores = self.growth.scores.get(self.term, {})
        if scores:
            poly = QPolygonF([point(i, scores.get(d.code, 0.0)) for i, d in enumerate(dims)])
            p.setPen(QPen(QColor(PALETTE[1]), 2))
            p.setBrush(QColor(2, 117, 216, 60))
            p.drawPolygon(poly)
            p.setBrush(Qt.BrushStyle.NoBrush)

    def _multiples(self, p: QPainter, box: QRectF) -> None:
        """One small chart per dimension (as the printed portfolio draws them): no line can hide
        another. A shared 50–100 scale, 初一上-style term labels under each panel, thinned so
        that no two labels (nor a label and the scale) overprint, and the score at each point."""
        dims = self.rubric.dimensions
        n = len(dims)
        gap = 6
        cols = _columns(n, box.width(), box.height(), gap)
        rows = math.ceil(n / cols)
        pw = (box.width() - gap * (cols - 1)) / cols
        ph = (box.height() - gap * (rows - 1)) / rows
        labels = [self._term_text(code) for code in self.growth.terms]
        for i, dim in enumerate(dims):
            r, c = divmod(i, cols)
            panel = QRectF(box.left() + c * (pw + gap), box.top() + r * (ph + gap), pw, ph)
            self._panel(p, panel, i, dim, labels)

    def _panel(self, p: QPainter, panel: QRectF, i: int, dim, labels: list[str]) -> None:
        fm = p.fontMetrics()
        line_h = fm.height()
        p.setPen(QPen(QColor("#ddd"), 1))
        p.setBrush(QColor("#fafafa"))
        p.drawRect(panel)
        p.setBrush(Qt.BrushStyle.NoBrush)
        zh = ui_app.lang().startswith("zh")
        title = f"{dim.short_zh} {dim.name_zh}" if zh else dim.name_en
        if zh and fm.horizontalAdvance(title) > panel.width() - 12:
            title = dim.name_zh if fm.horizontalAdvance(dim.name_zh) <= panel.width() - 12 else dim.short_zh
        p.setPen(QColor("#333"))
        p.drawText(QRectF(panel.left() + 6, panel.top() + 2, panel.width() - 12, line_h), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(title, Qt.TextElideMode.ElideRight, int(panel.width() - 12)))
        scale_w = fm.horizontalAdvance("100") + 6
        plot = QRectF(panel.left() + scale_w + 4, panel.top() + line_h + 10, panel.width() - scale_w - 12,
                      panel.height() - 2 * line_h - 18)
        if plot.height() < 20 or plot.width() < 20:
            return
        for v in (LINE_LO, 75, 100):  # three grid lines: the scale labels never touch each other
            y = self._y(plot, v)
            p.setPen(QPen(QColor("#e3e3e3"), 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#888"))
            p.drawText(QRectF(panel.left() + 2, y - line_h / 2, scale_w, line_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{v:g}")
        terms = self.growth.terms
        xs = [plot.left() + plot.width() * (k + 0.5) / len(terms) for k in range(len(terms))]
        # labels stay in the panel and clear of the scale's "50" beside the bottom line
        room = QRectF(plot.left() - 2, plot.top(), panel.right() - 3 - (plot.left() - 2), plot.height())
        spots = [_label_x(x, fm.horizontalAdvance(text), room) for x, text in zip(xs, labels)]
        p.setPen(QColor("#666"))
        for k in _thinned(spots, labels, fm):
            w = fm.horizontalAdvance(labels[k]) + 2
            p.drawText(QRectF(spots[k] - w / 2, plot.bottom() + 3, w, line_h), Qt.AlignmentFlag.AlignCenter,
                       labels[k])
        color = QColor(PALETTE[i % len(PALETTE)])
        pts = [(QPointF(x, self._y(plot, self.growth.scores[t][dim.code])), self.growth.scores[t][dim.code])
               for x, t in zip(xs, terms) if dim.code in self.growth.scores[t]]
        if not pts:
            p.setPen(QColor("#999"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No record"))
            return
        if len(pts) > 1:
            p.setPen(QPen(color, 2))
            p.drawPolyline(QPolygonF([pt for pt, _v in pts]))
        small = p.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        p.save()
        p.setFont(small)
        sfm = p.fontMetrics()
        values_fit = plot.width() / len(terms) >= sfm.horizontalAdvance("100") + 2
        for pt, v in pts:
            p.setPen(QPen(color, 1.5))
            p.setBrush(color)
            p.drawEllipse(pt, 3, 3)
            p.setBrush(Qt.BrushStyle.NoBrush)
            if values_fit:  # the score beside its point, above it unless that would leave the plot
                above = pt.y() - sfm.height() - 3 >= plot.top() - sfm.height()
                y = pt.y() - sfm.height() - 2 if above else pt.y() + 3
                p.setPen(QColor("#333"))
                p.drawText(QRectF(pt.x() - 20, y, 40, sfm.height()), Qt.AlignmentFlag.AlignCenter, f"{v:.0f}")
        p.restore()

    def _term_text(self, code: str) -> str:
        """初一上 / 初一下 when the grade then is known (2025秋 otherwise); English: 2025-26/1."""
        if ui_app.lang().startswith("zh"):
            from ..reports.labels import short_term
            return short_term(code, (self.growth.grades or {}).get(code))
        return _short_term(code)

    @staticmethod
    def _y(plot: QRectF, v: float) -> float:
        k = (max(Y_MIN, min(Y_MAX, v)) - Y_MIN) / (Y_MAX - Y_MIN)
        return plot.bottom() - k * plot.height()

    @staticmethod
    def _xs(plot: QRectF, n: int) -> list[float]:
        if n == 1:
            return [plot.center().x()]
        return [plot.left() + plot.width() * i / (n - 1) for i in range(n)]


def _columns(n: int, width: float, height: float, gap: float) -> int:
    """How many panels side by side: the layout whose panels come nearest a 4:3 landscape
    shape, none narrower than 120 px (fewer empty slots breaking a tie)."""
    def size(cols: int) -> tuple[float, float]:
        rows = math.ceil(n / cols)
        return (width - gap * (cols - 1)) / cols, (height - gap * (rows - 1)) / rows

    # nothing fits (a very small window): the layout whose smaller side is largest
    best, best_cost = max(range(1, n + 1), key=lambda c: min(size(c))), float("inf")
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        pw, ph = size(cols)
        if (pw < 120 and cols > 1) or ph < 100:  # below that a panel has no room for its line
            continue
        cost = abs(math.log((pw / ph) / (4 / 3))) + 0.05 * (rows * cols - n)
        if cost < best_cost:
            best, best_cost = cols, cost
    return best


def _label_x(x: float, w: float, room: QRectF) -> float:
    """A term label's centre: under its point, pushed inward at the panel's edges."""
    return max(room.left() + w / 2, min(room.right() - w / 2, x))


def _thinned(spots: list[float], labels: list[str], fm) -> list[int]:
    """Which term labels to draw: every k-th, with the last one always, k growing until no
    two labels overprint (6 px apart at least)."""
    n = len(spots)

    def apart(a: int, b: int) -> bool:
        return spots[b] - spots[a] >= (fm.horizontalAdvance(labels[a]) + fm.horizontalAdvance(labels[b])) / 2 + 6

    for every in range(1, n + 1):
        picked = [k for k in range(n) if k % every == 0 and (k == n - 1 or apart(k, n - 1))]
        if n - 1 not in picked:
            picked.append(n - 1)
        if all(apart(a, b) for a, b in zip(picked, picked[1:])):
            return picked
    return [n - 1]


def _short_term(code: str) -> str:
    """2025-2026-1 → 2025-26/1: the axis has room for a few characters per term."""
    y1, y2, n = (code.split("-") + ["", "", ""])[:3]
    return f"{y1}-{y2[2:]}/{n}" if n else code
