"""A horizontal grouped bar chart drawn with QPainter (PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

# lupdate collects literal translate("Context", "text") calls: English source, Chinese in the .qm.
translate = QCoreApplication.translate

COLOURS = ["#2F6FB3", "#E08A2E", "#4E9A57", "#B8463F", "#7E5AA6"]
MAX_BARS = 40


class BarChart(QWidget):
    """``set_data(labels, [(series name, values), …], percent)``; negative values draw leftwards."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self.percent = False

    def set_data(self, labels, series, percent: bool = False) -> None:
        self.labels = [str(x) for x in labels][:MAX_BARS]
        self.series = [(name, [float(v or 0) for v in values][:MAX_BARS]) for name, values in series]
        self.percent = percent
        self.update()

    def _text(self, value: float) -> str:
        return f"{value * 100:.1f}%" if self.percent else (f"{value:g}" if value == int(value) else f"{value:.2f}")

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if not self.labels or not self.series:
            p.setPen(QColor("#888"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, translate("BarChart", "No data"))
            return
        self._legend(p)
        self._bars(p)

    def _legend(self, p: QPainter) -> None:
        x = 120.0
        for i, (name, _) in enumerate(self.series):
            p.fillRect(QRectF(x, 6, 10, 10), QColor(COLOURS[i % len(COLOURS)]))
            p.setPen(QColor("#333"))
            width = p.fontMetrics().horizontalAdvance(name)
            p.drawText(QRectF(x + 14, 2, width + 4, 18), Qt.AlignmentFlag.AlignVCenter, name)
            x += width + 32

    def _bars(self, p: QPainter) -> None:
        top, label_w, right_pad = 24.0, 110.0, 60.0
        values = [v for _, vs in self.series for v in vs]
        biggest = max((abs(v) for v in values), default=0) or 1.0
        negative = any(v < 0 for v in values)
        plot_w = max(40.0, self.width() - label_w - right_pad)
        zero = label_w + (plot_w / 2 if negative else 0)
        scale = (plot_w / 2 if negative else plot_w) / biggest
        group_h = (self.height() - top - 6) / len(self.labels)
        bar_h = max(2.0, min(18.0, (group_h - 4) / len(self.series)))
        block = bar_h * len(self.series)
        for row, label in enumerate(self.labels):
            # The bars sit in the middle of their row and the label beside them, not at the row's
            # centre while the bars hug its top (with few rows the two drifted apart).
            y = top + row * group_h + max(0.0, (group_h - block) / 2)
            p.setPen(QColor("#333"))
            label_text = p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.drawText(QRectF(0, y, label_w - 6, block), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       label_text)
            for i, (_, vs) in enumerate(self.series):
                v = vs[row] if row < len(vs) else 0.0
                w = v * scale
                rect = QRectF(zero + min(w, 0), y + i * bar_h, abs(w), bar_h - 1)
                p.fillRect(rect, QColor(COLOURS[i % len(COLOURS)]))
                p.setPen(QColor("#333"))
                if w >= 0:  # the value at the bar's end, on its side of the axis
                    p.drawText(QRectF(zero + w + 3, rect.y() - 2, right_pad, bar_h + 4),
                               Qt.AlignmentFlag.AlignVCenter, self._text(v))
                else:
                    p.drawText(QRectF(zero + w - right_pad - 3, rect.y() - 2, right_pad, bar_h + 4),
                               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self._text(v))
        p.setPen(QColor("#999"))
        p.drawLine(int(zero), int(top), int(zero), self.height() - 4)
