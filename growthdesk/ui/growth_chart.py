"""Growth view: this term's dimension scores as a radar, each dimension across terms as lines.

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
Y_MIN, Y_MAX = 40.0, 100.0


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
        left = QRectF(10, 24, w * 0.42 - 20, h - 34)
        right = QRectF(w * 0.42 + 10, 24, w * 0.58 - 20, h - 34)
        p.setPen(QColor("#333"))
        p.drawText(QRectF(0, 2, w * 0.42, 20), Qt.AlignmentFlag.AlignCenter,
                   self.tr("This term") + " · " + term_label(self.term, ui_app.lang()))
        p.drawText(QRectF(w * 0.42, 2, w * 0.58, 20), Qt.AlignmentFlag.AlignCenter, self.tr("Across terms"))
        self._radar(p, left)
        self._lines(p, right)

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

    def _lines(self, p: QPainter, box: QRectF) -> None:
        terms = self.growth.terms
        plot = QRectF(box.left() + 40, box.top() + 6, box.width() - 80, box.height() - 60)  # room for term labels
        p.setPen(QPen(QColor("#ccc"), 1))
        for v in range(int(Y_MIN), int(Y_MAX) + 1, 20):
            y = self._y(plot, v)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#666"))
            p.drawText(QRectF(box.left(), y - 8, 34, 16), Qt.AlignmentFlag.AlignRight, str(v))
            p.setPen(QPen(QColor("#ccc"), 1))
        xs = self._xs(plot, len(terms))
        p.setPen(QColor("#666"))
        labels = [self._term_text(code) for code in terms]
        width = max((p.fontMetrics().horizontalAdvance(x) for x in labels), default=0) + 8
        spacing = (xs[1] - xs[0]) if len(xs) > 1 else plot.width()
        every = max(1, math.ceil(width / max(spacing, 1)))  # never two labels on top of each other
        for i, (x, text) in enumerate(zip(xs, labels)):
            if i % every == 0:
                p.drawText(QRectF(x - width / 2, plot.bottom() + 2, width, 16), Qt.AlignmentFlag.AlignCenter, text)
        n = len(self.rubric.dimensions)
        for i, dim in enumerate(self.rubric.dimensions):
            color = QColor(PALETTE[i % len(PALETTE)])
            shift = (i - (n - 1) / 2) * 2.5  # equal scores side by side, not one line over another
            pts = [QPointF(x + shift, self._y(plot, self.growth.scores[t][dim.code]))
                   for x, t in zip(xs, terms) if dim.code in self.growth.scores[t]]
            pen = QPen(color, 2)
            pen.setStyle(DASHES[i % len(DASHES)])
            p.setPen(pen)
            if len(pts) > 1:
                p.drawPolyline(QPolygonF(pts))
            p.setPen(QPen(color, 1.5))
            for pt in pts:
                _marker(p, pt, i)
        self._legend(p, QRectF(box.left(), plot.bottom() + 22, box.width(), 30))

    def _term_text(self, code: str) -> str:
        """初一上 / 初一下 when the grade then is known (2025秋 otherwise); English: 2025-26/1."""
        if ui_app.lang().startswith("zh"):
            from ..reports.labels import short_term
            return short_term(code, (self.growth.grades or {}).get(code))
        return _short_term(code)

    def _legend(self, p: QPainter, box: QRectF) -> None:
        labels = self._labels()
        step = box.width() / max(1, len(labels))
        for i, text in enumerate(labels):
            x = box.left() + i * step
            color = QColor(PALETTE[i % len(PALETTE)])
            p.setPen(QPen(color, 1.5))
            _marker(p, QPointF(x + 9, box.top() + 10), i)
            p.setPen(QColor("#333"))
            room = int(step - 19)
            shown = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)
            p.drawText(QRectF(x + 17, box.top(), room, 20), Qt.AlignmentFlag.AlignVCenter, shown)

    @staticmethod
    def _y(plot: QRectF, v: float) -> float:
        k = (max(Y_MIN, min(Y_MAX, v)) - Y_MIN) / (Y_MAX - Y_MIN)
        return plot.bottom() - k * plot.height()

    @staticmethod
    def _xs(plot: QRectF, n: int) -> list[float]:
        if n == 1:
            return [plot.center().x()]
        return [plot.left() + plot.width() * i / (n - 1) for i in range(n)]


DASHES = [Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.SolidLine, Qt.PenStyle.DotLine,
          Qt.PenStyle.SolidLine, Qt.PenStyle.DashDotLine, Qt.PenStyle.DashLine]


def _marker(p: QPainter, c: QPointF, i: int) -> None:
    """A different marker per dimension (circle, square, triangle, diamond, …): lines that
    meet stay readable, in colour and in black and white."""
    r = 3.5
    kind = i % 7
    p.setBrush(p.pen().color() if kind in (0, 2, 4) else Qt.BrushStyle.NoBrush)
    if kind in (0, 5):
        p.drawEllipse(c, r, r)
    elif kind in (1, 4):
        p.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
    elif kind in (2, 6):
        p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r - 1), QPointF(c.x() + r + 1, c.y() + r),
                                 QPointF(c.x() - r - 1, c.y() + r)]))
    else:
        p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r - 1), QPointF(c.x() + r + 1, c.y()),
                                 QPointF(c.x(), c.y() + r + 1), QPointF(c.x() - r - 1, c.y())]))
    p.setBrush(Qt.BrushStyle.NoBrush)


def _short_term(code: str) -> str:
    """2025-2026-1 → 2025-26/1: the axis has room for a few characters per term."""
    y1, y2, n = (code.split("-") + ["", "", ""])[:3]
    return f"{y1}-{y2[2:]}/{n}" if n else code
