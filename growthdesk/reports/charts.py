"""Charts of a term portfolio, drawn with reportlab.graphics shapes.

Drawn by hand rather than with SpiderChart/LineChart because the portfolio needs a fixed
0–100 scale (SpiderChart scales to the data's maximum, which makes a weak student look
perfect), mixed Chinese/Latin labels (one String has one font) and a consistent look.
"""

from __future__ import annotations

from math import cos, pi, sin

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import FONT_NAME, register_reportlab_font, runs

INK = colors.HexColor("#1F3B5C")
ACCENT = colors.HexColor("#2E75B6")
PREVIOUS = colors.HexColor("#C0504D")
GRID = colors.HexColor("#C9D3DF")
MUTED = colors.HexColor("#6B7785")


def drawing(width: float, height: float) -> Drawing:
    """A Drawing whose initial font is ours: renderPDF otherwise sets Helvetica, which would be
    listed in the PDF without being embedded."""
    d = Drawing(width, height)
    d.initialFontName = FONT_NAME
    return d


def text(x: float, y: float, value: str, size: float, anchor: str = "start", color=INK) -> Group:
    """A String per font run, so digits and Chinese both have glyphs; anchor start/middle/end."""
    register_reportlab_font()
    parts = runs(value)
    width = sum(stringWidth(chunk, font, size) for font, chunk in parts)
    x0 = x - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
    g = Group()
    for font, chunk in parts:
        g.add(String(x0, y, chunk, fontName=font, fontSize=size, fillColor=color))
        x0 += stringWidth(chunk, font, size)
    return g


def radar(labels: list[str], current: list[float | None], previous: list[float | None] | None,
          size: float = 190, lo: float = 0, hi: float = 100) -> Drawing:
    """Radar of dimension scores on a fixed scale; the previous term dashed underneath.

    A dimension without evaluations gets no vertex (its label says 暂无) instead of a zero.
    """
    d = drawing(size, size)
    cx, cy, r = size / 2, size / 2 - 4, size / 2 - 34
    n = len(labels)
    angles = [pi / 2 - 2 * pi * i / n for i in range(n)]

    def point(i: int, value: float) -> tuple[float, float]:
        k = max(0.0, min(1.0, (value - lo) / (hi - lo)))
        return cx + r * k * cos(angles[i]), cy + r * k * sin(angles[i])

    for ring in (20, 40, 60, 80, 100):
        pts = [c for i in range(n) for c in point(i, lo + (hi - lo) * ring / 100)]
        d.add(Polygon(pts, strokeColor=GRID, strokeWidth=0.5 if ring < 100 else 0.8, fillColor=None))
        if ring < 100:
            d.add(text(cx + 2, cy + r * ring / 100 + 1, str(ring), 5.5, color=MUTED))
    for i, name in enumerate(labels):
        x, y = point(i, hi)
        d.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.5))
        lx, ly = cx + (r + 10) * cos(angles[i]), cy + (r + 10) * sin(angles[i]) - 3
        anchor = "middle" if abs(cos(angles[i])) < 0.3 else ("start" if cos(angles[i]) > 0 else "end")
        missing = current[i] is None
        d.add(text(lx, ly, name + ("（暂无）" if missing else ""), 8, anchor, MUTED if missing else INK))
    if previous and sum(v is not None for v in previous) >= 2:
        _radar_series(d, point, previous, PREVIOUS, None, dashed=True)
    if sum(v is not None for v in current) >= 1:
        _radar_series(d, point, current, ACCENT, colors.Color(0.18, 0.46, 0.71, alpha=0.22))
    return d


def _radar_series(d: Drawing, point, values, stroke, fill, dashed: bool = False) -> None:
    pts = [c for i, v in enumerate(values) if v is not None for c in point(i, v)]
    if len(pts) >= 6:
        d.add(Polygon(pts, strokeColor=stroke, strokeWidth=1.4, fillColor=fill,
                      strokeDashArray=(3, 2) if dashed else None))
    elif len(pts) == 4:
        d.add(Line(*pts, strokeColor=stroke, strokeWidth=1.4, strokeDashArray=(3, 2) if dashed else None))
    if not dashed:
        for i, v in enumerate(values):
            if v is not None:
                x, y = point(i, v)
                d.add(Circle(x, y, 1.8, fillColor=stroke, strokeColor=colors.white, strokeWidth=0.4))


def legend(items: list[tuple[str, object, bool]], width: float, size: float = 7.5) -> Drawing:
    """A one-line legend: (label, colour, dashed)."""
    d = drawing(width, 12)
    x = 0.0
    for name, color, dashed in items:
        d.add(Line(x, 4, x + 16, 4, strokeColor=color, strokeWidth=1.6, strokeDashArray=(3, 2) if dashed else None))
        d.add(text(x + 20, 1.5, name, size))
        x += 28 + sum(stringWidth(c, f, size) for f, c in runs(name)) + 10
    return d


def line_chart(title: str, term_labels: list[str], values: list[float | None], width: float, height: float,
               color=ACCENT, lo: float | None = None, hi: float = 100) -> Drawing:
    """One small line chart: a dimension's score over the terms, value printed at each point."""
    d = drawing(width, height)
    d.add(Rect(0, 0, width, height, strokeColor=GRID, strokeWidth=0.5, fillColor=colors.HexColor("#FAFBFD")))
    d.add(text(6, height - 12, title, 8.5))
    present = [v for v in values if v is not None]
    if lo is None:  # start the axis a little under the lowest score so changes are visible
        lo = max(0.0, (min(present) // 10) * 10 - 10) if present else 0.0
    left, right, bottom, top = 24, width - 10, 18, height - 20
    for tick in _ticks(lo, hi):
        y = bottom + (tick - lo) / (hi - lo) * (top - bottom)
        d.add(Line(left, y, right, y, strokeColor=GRID, strokeWidth=0.3))
        d.add(text(left - 3, y - 2, f"{tick:.0f}", 5.5, "end", MUTED))
    n = len(term_labels)
    xs = [left + (right - left) * (i + 0.5) / n for i in range(n)]
    for x, name in zip(xs, term_labels):
        d.add(text(x, bottom - 10, name, 6, "middle", MUTED))
    if not present:
        d.add(text((left + right) / 2, (bottom + top) / 2, "暂无记录", 7.5, "middle", MUTED))
    pts = [(x, bottom + (v - lo) / (hi - lo) * (top - bottom)) for x, v in zip(xs, values) if v is not None]
    if len(pts) > 1:
        d.add(PolyLine([c for p in pts for c in p], strokeColor=color, strokeWidth=1.3))
    for (x, y), v in zip(pts, present):
        d.add(Circle(x, y, 1.9, fillColor=color, strokeColor=colors.white, strokeWidth=0.4))
        d.add(text(x, y + 4, f"{v:.0f}", 6, "middle", INK))
    return d


def _ticks(lo: float, hi: float) -> list[float]:
    step = 10 if hi - lo <= 50 else 20
    first = int(lo // step * step)
    return [t for t in range(first, int(hi) + 1, step) if t >= lo]
