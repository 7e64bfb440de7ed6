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
from .fonts import FONT_NAME, draw_string, fit, markup, register_reportlab_font, runs, string_width
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


def para(value: str, style: ParagraphStyle):
    """Plain text as a paragraph (Latin runs get the Latin font): a ``PlainText``, which lays
    out and draws exactly as a CJK-wrapped Paragraph of ``markup(value)`` would, or that
    Paragraph itself for a style PlainText does not handle."""
    if PlainText.handles(style):
        return PlainText(value, style)
    return Paragraph(markup(value), style)


_BREAK = "\n"      # a line break (<br/>): no width
_BREAK_SP = "\r"   # a line break a split turned into a space (see PlainText._tail): a space's width
_TAG = None
_CANNOT_START = None


def _characters(text: str) -> list[tuple[str, str]]:
    """(character, font) as ReportLab's Paragraph holds ``markup(text)`` after its
    ``cleanBlockQuotedText``: that cleaning splits the *markup* at whitespace and joins it
    with single spaces, so each whitespace run becomes one space and the ends are stripped,
    but a run never spans a tag (a Latin run's <font>, a line break's <br/>)."""
    items: list = []  # (char, font) or _TAG
    for font, chunk in runs(text):
        latin = font != FONT_NAME
        if latin:
            items.append(_TAG)
        for ch in chunk:
            items.append((_BREAK, "") if ch == "\n" else (ch, font))
            if ch == "\n":
                items.append(_TAG)  # <br/> is markup: it ends a whitespace run
        if latin:
            items.append(_TAG)
    # strip the ends (tags are not whitespace), then collapse each whitespace run
    lo, hi = 0, len(items)
    while lo < hi and items[lo] is not _TAG and items[lo][0] != _BREAK and items[lo][0].isspace():
        lo += 1
    while hi > lo and items[hi - 1] is not _TAG and items[hi - 1][0] != _BREAK and items[hi - 1][0].isspace():
        hi -= 1
    out: list[tuple[str, str]] = []
    in_space = False
    for item in items[lo:hi]:
        if item is _TAG:
            in_space = False
            continue
        ch, font = item
        if ch != _BREAK and ch.isspace():
            if not in_space:
                out.append((" ", font))
            in_space = True
            continue
        in_space = False
        out.append(item)
    return out


def _char_widths(font_name: str) -> dict:
    return _WIDTHS.setdefault(font_name, {})


_WIDTHS: dict[str, dict[tuple[str, float], float]] = {}  # font → (character, size) → width


class PlainText(Flowable):
    """A paragraph of plain text, laid out as ReportLab's CJK word wrap lays out
    ``Paragraph(markup(text), style)`` (``paragraph.cjkFragSplit``: the same widths, the same
    break rule with its Latin-word and hanging-punctuation cases, the same split and orphan
    rules), but without the markup parser and a fragment object per character: a grade's
    comments and table cells were a third of its printing time. Drawn as one text object.
    ``test_reports_plaintext`` compares its lines and heights with Paragraph's."""

    @staticmethod
    def handles(style) -> bool:
        return (style.alignment in (TA_LEFT, TA_CENTER, TA_RIGHT) and style.wordWrap == "CJK"
                and not getattr(style, "bulletText", None) and not getattr(style, "autoLeading", "")
                and not getattr(style, "endDots", None) and not getattr(style, "borderRadius", 0)
                and not getattr(style, "allowWidows", 1) == 0)

    def __init__(self, text: str, style: ParagraphStyle, _chars=None, _first_indent: bool = True):
        super().__init__()
        self.style = style
        self.text = text
        self._first_indent = _first_indent
        self._chars = _chars  # [(char, font)] after whitespace cleaning; "\n" stands for a line break
        self._lines = None
        self._wrapped_w = None
        self._mode = None  # "single" / "cjk": how ReportLab would wrap it (a split's tail is told)

    # ------------------------------------------------------------------ characters and widths
    def _characters(self) -> list[tuple[str, str]]:
        if self._chars is None:
            self._chars = _characters(self.text)
        return self._chars

    def _single_frag(self) -> bool:
        """Whether ReportLab would hold this text as one fragment (one font, no line break):
        it then wraps with ``textsplit.dumbSplit`` instead of ``cjkFragSplit``."""
        if self._mode is not None:
            return self._mode == "single"
        chars = self._characters()
        return bool(chars) and all(ch not in (_BREAK, _BREAK_SP) for ch, _f in chars) and len({f for _c, f in chars}) == 1

    def _break_lines(self, widths: tuple[float, float]) -> list[tuple[int, int, float]]:
        """Lines as (start, stop, extra space) over the characters, as ReportLab's
        ``cjkFragSplit`` makes them, or ``dumbSplit`` for a one-fragment text (which strips
        the whitespace at the ends of the lines it breaks)."""
        global _CANNOT_START
        if _CANNOT_START is None:
            from reportlab.lib.textsplit import ALL_CANNOT_START
            _CANNOT_START = ALL_CANNOT_START
        from unicodedata import category

        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.style.fontSize
        chars = self._characters()
        single = self._single_frag()
        ws = []
        for ch, font in chars:
            if ch == _BREAK:
                ws.append(0.0)
                continue
            if ch == _BREAK_SP:
                ch = " "
            table = _char_widths(font)
            w = table.get((ch, size))
            if w is None:
                w = table[(ch, size)] = stringWidth(ch, font, size)
            ws.append(w)
        lines: list[tuple[int, int, float]] = []
        i = used = start = 0
        n = len(chars)
        max_w = widths[0]
        while i < n:
            ch = chars[i][0]
            w = ws[i]
            i += 1
            used += w
            line_break = ch == _BREAK or ch == _BREAK_SP
            if (used > max_w + 1e-6 and used > 0) or line_break:
                extra = max_w - used
                if not line_break:
                    u = ch
                    if ord(u) < 0x3000:  # inside a Latin word: back to a space or a Chinese character
                        limit = (start + i) >> 1
                        for j in range(i - 1, limit, -1):
                            uj = chars[j][0]
                            if category(uj) == "Zs" or ord(uj) >= 0x3000:
                                k = j + 1
                                if k < i:
                                    j = k + 1
                                    extra += sum(ws[j:i])
                                    w = ws[k]
                                    u = chars[k][0]
                                    i = j
                                    break
                    if u not in _CANNOT_START and i > start + 1:
                        i -= 1
                        extra += w
                a, b = start, i
                if single:  # dumbSplit: word[lineStartPos:i].strip()
                    while a < b and chars[a][0].isspace():
                        a += 1
                    while b > a and chars[b - 1][0].isspace():
                        b -= 1
                lines.append((a, b, extra))
                max_w = widths[1]
                start = i
                used = 0
        if used > 0:
            lines.append((start, n, max_w - used))
        return lines

    def _tail(self, lines: list[tuple[int, int, float]]) -> "PlainText":
        """What ReportLab's split leaves for the next frame, as it makes it: a one-fragment
        text continues with the remaining lines' text as drawn (``_split_blParaSimple``);
        otherwise with each remaining line's fragments, every line but the last ending in a
        space (``_split_blParaHard``: a break becomes that space), one fragment per font run
        of each line, so that a single run left wraps with dumbSplit again."""
        chars: list[tuple[str, str]] = []
        if self._single_frag():
            for a, b, _e in lines:
                chars += self._chars[a:b]
            mode = "single"
        else:
            frags = 0
            for n, (a, b, _e) in enumerate(lines):
                part = list(self._chars[a:b])
                prev = None
                for ch, f in part:
                    brk = ch == _BREAK or ch == _BREAK_SP
                    if brk or f != prev:
                        frags += 1
                    prev = _BREAK if brk else f
                if n < len(lines) - 1 and part:
                    ch, f = part[-1]
                    if ch == _BREAK:
                        part[-1] = (_BREAK_SP, f or FONT_NAME)
                    elif ch != " ":
                        part.append((" ", f))
                chars += part
            mode = "single" if frags == 1 else "cjk"
        tail = PlainText(self.text, self.style, chars, False)
        tail._mode = mode
        return tail

    # ------------------------------------------------------------------ flowable
    def _widths(self, avail_w: float) -> tuple[float, float]:
        st = self.style
        first = st.firstLineIndent if self._first_indent else 0
        return (avail_w - (st.leftIndent + first) - st.rightIndent, avail_w - st.leftIndent - st.rightIndent)

    def wrap(self, avail_w, avail_h):
        if avail_w < 1e-6:
            return 0, 0x7FFFFFFF
        self.width = avail_w
        if self._wrapped_w != avail_w:
            self._lines = self._break_lines(self._widths(avail_w))
            self._wrapped_w = avail_w
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_w, avail_h):
        if not self._characters() or avail_w < 1e-6 or avail_h < 1e-6:
            return []
        if self._wrapped_w != avail_w:
            self.wrap(avail_w, avail_h)
        leading = self.style.leading
        s = int(avail_h / float(leading))
        if (not getattr(self.style, "allowOrphans", 0) and s <= 1) or s == 0:
            return []
        lines = self._lines
        if len(lines) <= s:
            return [self]
        cut = lines[s - 1][1]
        head = PlainText(self.text, self.style, self._chars[:cut], self._first_indent)
        head._lines, head._wrapped_w, head._mode = lines[:s], avail_w, self._mode
        head.width, head.height = avail_w, s * leading
        return [head, self._tail(lines[s:])]

    def minWidth(self):
        return max((string_width(c, self.style.fontSize) for c, _f in self._characters()
                    if c not in (_BREAK, _BREAK_SP)), default=0)

    def getPlainText(self):
        return "".join("\n" if c in (_BREAK, _BREAK_SP) else c for c, _f in self._characters())

    def draw(self):
        st = self.style
        c = self.canv
        left = st.leftIndent
        bw, bc, bg = getattr(st, "borderWidth", None), getattr(st, "borderColor", None), st.backColor
        if bg or (bc and bw):
            from reportlab.lib.geomutils import normalizeTRBL
            c.saveState()
            if bc and bw:
                c.setStrokeColor(bc)
                c.setLineWidth(bw)
            if bg:
                c.setFillColor(bg)
            tbp, rbp, bbp, lbp = normalizeTRBL(getattr(st, "borderPadding", 0))
            c.rect(left - lbp, -bbp, self.width - (left + st.rightIndent) + lbp + rbp, self.height + tbp + bbp,
                   stroke=1 if (bc and bw) else 0, fill=1 if bg else 0)
            c.restoreState()
        if not self._lines:
            return
        size, leading = st.fontSize, st.leading
        chars = self._chars
        first = st.firstLineIndent if self._first_indent else 0
        align = st.alignment
        c.saveState()
        c.setFillColor(st.textColor)
        t = c.beginText()
        y = self.height - size
        for n, (a, b, extra) in enumerate(self._lines):
            x = left + (first if n == 0 else 0)
            if align == TA_CENTER:
                x += 0.5 * extra
            elif align == TA_RIGHT:
                x += extra
            t.setTextOrigin(x, y)
            font, chunk = None, []
            for ch, f in chars[a:b]:
                if ch == _BREAK or ch == _BREAK_SP:
                    continue
                if f != font:
                    if chunk:
                        t.setFont(font, size)
                        t.textOut("".join(chunk))
                    font, chunk = f, []
                chunk.append(ch)
            if chunk:
                t.setFont(font, size)
                t.textOut("".join(chunk))
            y -= leading
        c.drawText(t)
        c.restoreState()


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

    def drawOn(self, canvas, x, y, _sW=0):
        """The one-line case drawn at its place on the page in one text object between q and Q,
        the colour set inside it, instead of Flowable.drawOn's saveState, translate, draw and
        restoreState: tens of thousands of table cells a grade, the same marks on the page."""
        if self._para is not None or getattr(self, "_showBoundary", 0):
            return super().drawOn(canvas, x, y, _sW)
        x = self._hAlignAdjust(x, _sW)
        size = self.style.fontSize
        if self.align != "left":
            width = string_width(self.text, size)
            x += self.width / 2 - width / 2 if self.align == "centre" else self.width - width
        code = canvas._code
        code.append("q")
        t = canvas.beginText(x, y + (self.style.leading - size) / 2 + size * 0.18)
        t.setFillColor(self.style.textColor)
        for font, chunk in runs(self.text):
            t.setFont(font, size)
            t.textOut(chunk)
        canvas.drawText(t)
        code.append("Q")


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
