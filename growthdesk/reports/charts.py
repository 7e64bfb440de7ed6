"""Charts of a term portfolio, drawn with reportlab.graphics shapes.

Drawn by hand rather than with SpiderChart/LineChart because the portfolio needs a fixed
0–100 scale (SpiderChart scales to the data's maximum, which makes a weak student look
perfect), mixed Chinese/Latin labels (one String has one font) and a consistent look.

Every chart is split into a *static* part (rings, spokes, grid, axis labels: the same for every
student of a batch) and a *dynamic* part (the student's values). The static part is drawn once
per PDF as a Form XObject and reused, which keeps a 500-student grade fast and small.
"""

from __future__ import annotations

import hashlib
from math import cos, pi, sin

from reportlab import rl_config

# Shapes check every attribute set against their declared types: a debugging aid that cost
# a grade's printing 5% (125,000 checked sets). Read once, when shapes is first imported.
rl_config.shapeChecking = 0

from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Polygon, Rect, String  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.platypus import Flowable  # noqa: E402

from .fonts import FONT_NAME, register_reportlab_font, runs  # noqa: E402

INK = colors.HexColor("#1F3B5C")
ACCENT = colors.HexColor("#2E75B6")
PREVIOUS = colors.HexColor("#C0504D")
GRID = colors.HexColor("#C9D3DF")
MUTED = colors.HexColor("#6B7785")
PANEL = colors.HexColor("#FAFBFD")
LINE_LO = 50.0  # line charts start at 50: every level of the default scale (D = 55) is above it


def drawing(width: float, height: float) -> Drawing:
    """A Drawing whose initial font is ours: renderPDF otherwise sets Helvetica, which would be
    listed in the PDF without being embedded."""
    d = Drawing(width, height)
    d.initialFontName = FONT_NAME
    return d


def text(x: float, y: float, value: str, size: float, anchor: str = "start", color=INK):
    """A String per font run, so digits and Chinese both have glyphs; anchor start/middle/end."""
    register_reportlab_font()
    parts = runs(value)
    width = sum(stringWidth(chunk, font, size) for font, chunk in parts)
    x0 = x - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
    if len(parts) == 1:  # the common case: no Group needed
        return String(x0, y, parts[0][1], fontName=parts[0][0], fontSize=size, fillColor=color)
    g = Group()
    for font, chunk in parts:
        g.add(String(x0, y, chunk, fontName=font, fontSize=size, fillColor=color))
        x0 += stringWidth(chunk, font, size)
    return g


class Chart(Flowable):
    """A chart flowable: the static Drawing becomes a shared Form XObject, then the dynamic one.

    ``static`` is a function making the static Drawing: it only runs for the first chart of its
    kind in a PDF, the rest reuse the form.
    """

    def __init__(self, static, dynamic: Drawing, key_parts: tuple):
        super().__init__()
        self.static, self.dynamic = static, dynamic
        self.width, self.height = dynamic.width, dynamic.height
        self.form = "gdc" + hashlib.sha1(repr(key_parts).encode()).hexdigest()[:16]

    def wrap(self, *_):
        return self.width, self.height

    def draw(self):
        c = self.canv
        if not c.hasForm(self.form):
            c.beginForm(self.form, -60, -30, self.width + 60, self.height + 30)  # labels may stick out
            renderPDF.draw(self.static(), c, 0, 0)
            c.endForm()
        c.doForm(self.form)
        if not all(_known(node) for node in self.dynamic.contents):
            renderPDF.draw(self.dynamic, c, 0, 0)  # a shape the direct drawing does not know
            return
        c.saveState()
        for node in self.dynamic.contents:
            _draw_node(c, node)
        c.restoreState()


def _known(node) -> bool:
    kind = type(node)
    if kind is Group:
        return tuple(node.transform) == (1, 0, 0, 1, 0, 0) and all(_known(n) for n in node.contents)
    if kind is String:
        return node.textAnchor in ("start", "inherited") and not getattr(node, "textRenderMode", 0)
    return kind in (Line, Circle, PolyLine, Polygon)


def _draw_node(c, node) -> None:
    """One shape of a chart's student part, drawn straight on the canvas with the operators
    ``renderPDF`` would emit for it (its state tracking and dispatch were most of a chart's
    cost: 9 charts a student). The static part stays a shared form drawn by renderPDF."""
    kind = type(node)
    if kind is Group:
        for child in node.contents:
            _draw_node(c, child)
        return
    if kind is String:
        c.setFillColor(node.fillColor)
        c.setFont(node.fontName, node.fontSize)
        c.drawString(node.x, node.y, node.text)
        return
    stroke = node.strokeColor is not None
    if stroke:
        c.setStrokeColor(node.strokeColor)
        c.setLineWidth(node.strokeWidth)
        if node.strokeDashArray:
            c.setDash(node.strokeDashArray)
        else:
            c.setDash()
    fill = getattr(node, "fillColor", None) is not None
    if fill:
        c.setFillColor(node.fillColor)
    if kind is Line:
        if stroke:
            c.line(node.x1, node.y1, node.x2, node.y2)
    elif kind is Circle:
        c.circle(node.cx, node.cy, node.r, stroke=int(stroke), fill=int(fill))
    elif kind is PolyLine or kind is Polygon:
        pts = node.points
        path = c.beginPath()
        path.moveTo(pts[0], pts[1])
        for i in range(2, len(pts), 2):
            path.lineTo(pts[i], pts[i + 1])
        if kind is Polygon:
            path.close()
            c.drawPath(path, stroke=int(stroke), fill=int(fill))
        elif stroke:
            c.drawPath(path, stroke=1, fill=0)


# ---------------------------------------------------------------- radar

def radar(labels: list[str], current: list[float | None], previous: list[float | None] | None,
          size: float = 190, lo: float = 0, hi: float = 100, current_name: str = "本学期",
          previous_name: str = "上学期") -> Chart:
    """Radar of dimension scores on a fixed scale; the previous term dashed underneath.

    A dimension without evaluations gets no vertex (暂无 beside its label) instead of a zero.
    """
    cx, cy, r = size / 2, size / 2 - 4, size / 2 - 34
    n = len(labels)
    angles = [pi / 2 - 2 * pi * i / n for i in range(n)]

    def point(i: int, value: float) -> tuple[float, float]:
        k = max(0.0, min(1.0, (value - lo) / (hi - lo)))
        return cx + r * k * cos(angles[i]), cy + r * k * sin(angles[i])

    label_at = []
    for i in range(n):
        lx, ly = cx + (r + 10) * cos(angles[i]), cy + (r + 10) * sin(angles[i]) - 3
        anchor = "middle" if abs(cos(angles[i])) < 0.3 else ("start" if cos(angles[i]) > 0 else "end")
        label_at.append((lx, ly, anchor))

    def static() -> Drawing:
        d = drawing(size, size)
        for ring in (20, 40, 60, 80, 100):
            pts = [c for i in range(n) for c in point(i, lo + (hi - lo) * ring / 100)]
            d.add(Polygon(pts, strokeColor=GRID, strokeWidth=0.5 if ring < 100 else 0.8, fillColor=None))
            if ring < 100:
                d.add(text(cx + 2, cy + r * ring / 100 + 1, str(ring), 5.5, color=MUTED))
        for i, name in enumerate(labels):
            d.add(Line(cx, cy, *point(i, hi), strokeColor=GRID, strokeWidth=0.5))
            d.add(text(*label_at[i][:2], name, 8, label_at[i][2]))
        return d

    dynamic = drawing(size, size)
    for i in range(n):
        if current[i] is None:
            lx, ly, anchor = label_at[i]
            dynamic.add(text(lx, ly - 9, "（暂无）", 6.5, anchor, MUTED))
    if previous and sum(v is not None for v in previous) >= 2:
        _radar_series(dynamic, point, previous, PREVIOUS, None, dashed=True)
    if any(v is not None for v in current):
        _radar_series(dynamic, point, current, ACCENT, colors.Color(0.18, 0.46, 0.71, alpha=0.22))
    shown_previous = previous and sum(v is not None for v in previous) >= 2
    legend(dynamic, [(current_name, ACCENT, False)] + ([(previous_name, PREVIOUS, True)] if shown_previous else []), 0)
    return Chart(static, dynamic, ("radar", tuple(labels), size, lo, hi))


def _radar_series(d: Drawing, point, values, stroke, fill, dashed: bool = False) -> None:
    pts = [c for i, v in enumerate(values) if v is not None for c in point(i, v)]
    dash = (3, 2) if dashed else None
    if len(pts) >= 6:
        d.add(Polygon(pts, strokeColor=stroke, strokeWidth=1.4, fillColor=fill, strokeDashArray=dash))
    elif len(pts) == 4:
        d.add(Line(*pts, strokeColor=stroke, strokeWidth=1.4, strokeDashArray=dash))
    if not dashed:
        for i, v in enumerate(values):
            if v is not None:
                x, y = point(i, v)
                d.add(Circle(x, y, 1.8, fillColor=stroke, strokeColor=colors.white, strokeWidth=0.4))


def legend(d: Drawing, items: list[tuple[str, object, bool]], y: float, size: float = 7.5) -> None:
    """A one-line legend centred at the foot of ``d``: (label, colour, dashed)."""
    widths = [28 + sum(stringWidth(c, f, size) for f, c in runs(name)) for name, _, _ in items]
    x = (d.width - sum(widths) - 10 * (len(items) - 1)) / 2
    for (name, color, dashed), w in zip(items, widths):
        d.add(Line(x, y + 2.5, x + 16, y + 2.5, strokeColor=color, strokeWidth=1.6,
                   strokeDashArray=(3, 2) if dashed else None))
        d.add(text(x + 20, y, name, size))
        x += w + 10


# ---------------------------------------------------------------- line charts

def line_chart(title: str, term_labels: list[str], values: list[float | None], width: float, height: float,
               color=ACCENT, lo: float = LINE_LO, hi: float = 100) -> Chart:
    """One small line chart: a score over the terms, the value printed at each point.

    The scale is fixed (50–100) so the background is shared by every student with the same
    terms; a score under 50 is drawn on the bottom line but printed as it is.
    """
    left, right, bottom, top = 24, width - 10, 18, height - 20
    n = len(term_labels)
    xs = [left + (right - left) * (i + 0.5) / n for i in range(n)]

    def static() -> Drawing:
        d = drawing(width, height)
        d.add(Rect(0, 0, width, height, strokeColor=GRID, strokeWidth=0.5, fillColor=PANEL))
        d.add(text(6, height - 12, title, 8.5))
        step = 10 if top - bottom > 60 else 25  # small multiples get fewer grid lines
        for tick in range(int(lo), int(hi) + 1, step):
            y = bottom + (tick - lo) / (hi - lo) * (top - bottom)
            d.add(Line(left, y, right, y, strokeColor=GRID, strokeWidth=0.3))
            d.add(text(left - 3, y - 2, f"{tick}", 5.5, "end", MUTED))
        for x, name in zip(xs, term_labels):
            d.add(text(x, bottom - 10, name, 6, "middle", MUTED))
        return d

    dynamic = drawing(width, height)
    present = [(x, v) for x, v in zip(xs, values) if v is not None]
    if not present:
        dynamic.add(text((left + right) / 2, (bottom + top) / 2, "暂无记录", 7.5, "middle", MUTED))
    pts = [(x, bottom + (max(lo, min(hi, v)) - lo) / (hi - lo) * (top - bottom)) for x, v in present]
    if len(pts) > 1:
        dynamic.add(PolyLine([c for p in pts for c in p], strokeColor=color, strokeWidth=1.3))
    for (x, y), (_, v) in zip(pts, present):
        dynamic.add(Circle(x, y, 1.9, fillColor=color, strokeColor=colors.white, strokeWidth=0.4))
        above = y + 12 < height - 14  # near the top the value goes under the point, clear of the title
        dynamic.add(text(x, y + 4 if above else y - 9, f"{v:.0f}", 6, "middle", INK))
    return Chart(static, dynamic, ("line", title, tuple(term_labels), width, height, lo, hi))
