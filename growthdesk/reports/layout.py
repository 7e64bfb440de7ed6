"""Page furniture shared by portfolios and class sheets: styles, page templates, the canvas.

Running header and footer ("第 x 页 共 y 页", print date) are drawn when the document is saved,
because the page total of each student is only known then. Pages are counted per student, so a
class printed as one PDF still gives every family a portfolio numbered from 第 1 页.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from .charts import ACCENT, GRID, INK, MUTED
from .fonts import FONT_NAME, draw_string, fit, markup, register_reportlab_font, string_width
from .labels import zh_date

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
LIGHT = colors.HexColor("#EEF3F9")
SEAL_RED = colors.HexColor("#C0392B")


class PortfolioCancelled(Exception):
    """Raised inside a build when the caller's cancel event is set; no file is left behind."""


# ---------------------------------------------------------------- styles

def _style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
    # wordWrap CJK: Chinese has no spaces, so without it a long comment would never wrap.
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=FONT_NAME, fontSize=size, leading=leading, wordWrap="CJK", **kw)


@dataclass
class Styles:
    body: ParagraphStyle = field(default_factory=lambda: _style("body", 9.5, 15.5, spaceAfter=3))
    small: ParagraphStyle = field(default_factory=lambda: _style("small", 8, 11.5, textColor=MUTED))
    cell: ParagraphStyle = field(default_factory=lambda: _style("cell", 8.5, 11.5))
    cell_c: ParagraphStyle = field(default_factory=lambda: _style("cell_c", 8.5, 11.5, alignment=TA_CENTER))
    head_c: ParagraphStyle = field(default_factory=lambda: _style("head_c", 8.5, 11.5, alignment=TA_CENTER,
                                                                  textColor=colors.white))
    sub: ParagraphStyle = field(default_factory=lambda: _style("sub", 10.5, 15, spaceBefore=6, spaceAfter=3,
                                                               keepWithNext=1))
    note: ParagraphStyle = field(default_factory=lambda: _style("note", 9.5, 15, textColor=MUTED, spaceAfter=4))
    right: ParagraphStyle = field(default_factory=lambda: _style("right", 9.5, 15, alignment=TA_RIGHT))
    left: ParagraphStyle = field(default_factory=lambda: _style("left", 9.5, 15, alignment=TA_LEFT))
    title: ParagraphStyle = field(default_factory=lambda: _style("title", 15, 22, alignment=TA_CENTER,
                                                                 spaceAfter=6))


def para(value: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from plain text (escaped; Latin runs get the Latin font)."""
    return Paragraph(markup(value), style)


# ---------------------------------------------------------------- small flowables

class TextLine(Flowable):
    """One line of short text (a score, a level, a date) drawn directly, without a Paragraph.

    Tables of a 500-student grade hold tens of thousands of such cells; a Paragraph per cell
    (markup parsing, line breaking) was most of the layout time. Text wider than its cell falls
    back to a wrapping Paragraph, so nothing ever overflows.

    With ``max_height`` (a cell of a fixed-height row, e.g. a name on the class sheet) the text
    never grows taller than that: it is set smaller until it fits on one line, or wrapped within
    the height (热依拉·艾克拜尔江·吐尔逊托合提 in a 15 pt row), instead of spilling over the rows
    below.
    """

    MIN_SIZE = 3.6

    def __init__(self, text: str, style: ParagraphStyle, align: str = "centre", max_height: float | None = None):
        super().__init__()
        self.text, self.style, self.align, self.max_height = text, style, align, max_height
        self._para = None

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        if string_width(self.text, self.style.fontSize) > avail_w:
            if self.max_height is not None:
                return self._fit(avail_w)
            self._para = Paragraph(markup(self.text), self.style)
            return self._para.wrap(avail_w, avail_h)
        self._para = None
        self.height = self.style.leading
        return avail_w, self.height

    def _fit(self, avail_w):
        size = self.style.fontSize
        while size > self.MIN_SIZE:
            size = max(self.MIN_SIZE, size - 0.4)
            leading = size * 1.12
            if string_width(self.text, size) <= avail_w:
                self.style = self.style.clone(f"{self.style.name}_fit", fontSize=size, leading=leading)
                self._para = None
                self.height = min(self.max_height, self.style.leading)
                return avail_w, self.height
            para = Paragraph(markup(self.text), self.style.clone(f"{self.style.name}_wrap", fontSize=size,
                                                                 leading=leading))
            _w, h = para.wrap(avail_w, self.max_height)
            if h <= self.max_height or size <= self.MIN_SIZE:
                self._para = para
                self.height = min(h, self.max_height)
                return avail_w, self.height
        return avail_w, self.max_height

    def split(self, avail_w, avail_h):
        return self._para.split(avail_w, avail_h) if self._para is not None else []

    def draw(self):
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        c = self.canv
        c.setFillColor(self.style.textColor)
        x = {"left": 0, "centre": self.width / 2, "right": self.width}[self.align]
        size = self.style.fontSize
        draw_string(c, x, (self.style.leading - size) / 2 + size * 0.18, self.text, size, self.align)


class SectionTitle(Flowable):
    """``一、综合素质评价`` with an accent bar and a rule; always kept with what follows."""

    def __init__(self, text: str, width: float = CONTENT_W):
        super().__init__()
        self.text, self.width, self.height = text, width, 24
        self.keepWithNext = 1

    def wrap(self, *_):
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(ACCENT)
        c.rect(0, 7, 3.2, 13, stroke=0, fill=1)
        c.setFillColor(INK)
        draw_string(c, 9, 9.5, self.text, 12.5)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.6)
        c.line(0, 3, self.width, 3)


class Marker(Flowable):
    """Zero-size: tells the canvas which document part (student, class sheet) this page is.

    Also where batch progress is reported and cancellation is noticed: once per student.
    """

    def __init__(self, meta: "PageMeta", outline: list[tuple[str, int]], on_draw=None):
        super().__init__()
        self.meta, self.outline, self.on_draw = meta, outline, on_draw

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        if self.on_draw:
            self.on_draw(self.meta)
        self.canv.gd_meta = self.meta
        for title, level in self.outline:
            self.canv.gd_outline.append((title, level))


@dataclass
class PageMeta:
    key: str            # pages with the same key are numbered together
    kind: str           # cover | body | sheet
    header_left: str
    header_right: str
    footer_left: str = ""
    name: str = ""      # the student's name, for progress reports
    watermark: str = ""  # 草稿 until the term's archive is signed off (DESIGN §4a)


class SetKind(Flowable):
    """Switches the page kind (cover → body) for the header without a new numbering group."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        m = self.canv.gd_meta
        if m is not None:
            self.canv.gd_meta = dataclasses.replace(m, kind=self.kind)


# ---------------------------------------------------------------- canvas and document

def make_canvas_class(printed_on: date):
    """A canvas that keeps its pages until save, then numbers and decorates them."""

    class PortfolioCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # Start pages in our font: the default (Helvetica) would be listed unembedded.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT_NAME
            super().__init__(*args, **kwargs)
            self.gd_pages: list[tuple[dict, PageMeta | None, list]] = []
            self.gd_meta: PageMeta | None = None
            self.gd_outline: list[tuple[str, int]] = []

        def showPage(self):
            self.gd_pages.append((dict(self.__dict__), self.gd_meta, self.gd_outline))
            self.gd_outline = []
            self._startPage()

        def save(self):
            totals = Counter(m.key if m else "" for _, m, _ in self.gd_pages)
            seen: Counter = Counter()
            pages = self.gd_pages
            for i, (state, meta, outline) in enumerate(pages):
                self.__dict__.update(state)
                key = meta.key if meta else ""
                seen[key] += 1
                # Bookmarks are added now: only here does ReportLab know the real page object.
                for n, (title, level) in enumerate(outline):
                    anchor = f"gd{i}_{n}"
                    self.bookmarkPage(anchor)
                    self.addOutlineEntry(title, anchor, level=level, closed=level == 0)
                decorate(self, meta, seen[key], totals[key], printed_on)
                Canvas.showPage(self)
            self.gd_pages = []
            Canvas.save(self)

    return PortfolioCanvas


def decorate(c: Canvas, meta: PageMeta | None, page_no: int, total: int, printed_on: date) -> None:
    c.saveState()
    if meta is not None and meta.watermark:
        _watermark(c, meta.watermark)
    if meta is not None and meta.kind == "cover":
        _cover_border(c)
    elif meta is not None:
        c.setFillColor(MUTED)
        y = PAGE_H - 13 * mm
        left = fit(meta.header_left, 8.5, CONTENT_W * 0.45)  # a very long name must not overprint
        draw_string(c, MARGIN_X, y, left, 8.5)
        right = fit(meta.header_right, 8.5, CONTENT_W - string_width(left, 8.5) - 24)
        draw_string(c, PAGE_W - MARGIN_X, y, right, 8.5, "right")
        c.setStrokeColor(ACCENT)
        c.setLineWidth(0.8)
        c.line(MARGIN_X, y - 4, PAGE_W - MARGIN_X, y - 4)
    c.setFillColor(MUTED)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    y = 11 * mm
    c.line(MARGIN_X, y + 10, PAGE_W - MARGIN_X, y + 10)
    draw_string(c, PAGE_W / 2, y, f"第 {page_no} 页 共 {total} 页", 8.5, "centre")
    draw_string(c, PAGE_W - MARGIN_X, y, f"打印日期：{zh_date(printed_on)}", 8, "right")
    if meta is not None and meta.footer_left:
        draw_string(c, MARGIN_X, y, meta.footer_left, 8)
    c.restoreState()


def _watermark(c: Canvas, text: str) -> None:
    """A large, light, diagonal word across the page (drawn first, so the content stays on top
    in the reading order; the page content itself is drawn over it)."""
    c.saveState()
    c.setFillColor(colors.Color(0.75, 0.75, 0.75, alpha=0.35))
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(35)
    draw_string(c, 0, -40, text, 120, "centre")
    c.restoreState()


def _cover_border(c: Canvas) -> None:
    c.setStrokeColor(INK)
    c.setLineWidth(1.6)
    c.rect(12 * mm, 20 * mm, PAGE_W - 24 * mm, PAGE_H - 32 * mm)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.5)
    c.rect(14 * mm, 22 * mm, PAGE_W - 28 * mm, PAGE_H - 36 * mm)


class Lazy(Flowable):
    """Stands for flowables made only when layout reaches them (one student at a time), so a
    500-student batch never holds every student's tables and charts in memory at once."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        pass


class PortfolioDoc(BaseDocTemplate):
    def handle_flowable(self, flowables):
        while flowables and isinstance(flowables[0], Lazy):
            flowables[0:1] = flowables[0].make()
        if flowables:
            super().handle_flowable(flowables)


def make_doc(target, title: str, author: str) -> BaseDocTemplate:
    """A4 document with the cover and body templates (same frame; furniture is drawn at save)."""
    register_reportlab_font()
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="main")
    doc = PortfolioDoc(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
                          creator="GrowthDesk", subject="学生成长档案")
    doc.addPageTemplates([PageTemplate("page", [frame])])
    return doc
