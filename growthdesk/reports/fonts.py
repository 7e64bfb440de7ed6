"""Bundled fonts for PDFs (and for Qt, via font_path()).

The machines GrowthDesk runs on may have no Chinese font at all, so every PDF embeds its fonts.
Droid Sans Fallback (Apache-2.0) has the Chinese glyphs but *no Latin letters or digits*, so a
second small font, DejaVu Sans (Bitstream Vera licence), draws those. ReportLab has no per-glyph
fallback, so text is split into runs by coverage: ``markup()`` for Paragraphs and ``runs()`` for
canvas drawing. ReportLab embeds TrueType fonts as subsets by default (only the glyphs used).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from growthdesk.paths import resource

FONT_FILE = "DroidSansFallbackFull.ttf"
LATIN_FONT_FILE = "DejaVuSans.ttf"
FONT_NAME = "GDSans"        # Chinese (and CJK punctuation)
LATIN_FONT_NAME = "GDLatin"  # digits, Latin letters, dashes and other Western punctuation


_registered = False  # fast path: the charts ask for every label


def font_path() -> Path:
    """Absolute path of the bundled Chinese TrueType font; raises FileNotFoundError if missing."""
    return _bundled(FONT_FILE)


def latin_font_path() -> Path:
    """Absolute path of the bundled Latin companion font (digits and letters)."""
    return _bundled(LATIN_FONT_FILE)


def _bundled(name: str) -> Path:
    path = resource("fonts", name)
    if not path.is_file():
        raise FileNotFoundError(f"bundled font missing / 缺少内置字体: {path}")
    return path


def register_reportlab_font() -> str:
    """Register both fonts with ReportLab once per process; return the Chinese font's name.

    The Chinese name is registered as a family (normal = bold = italic) so that Paragraph
    markup such as <b> never falls back to Helvetica, which has no Chinese glyphs.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    global _registered
    if _registered or FONT_NAME in pdfmetrics.getRegisteredFontNames():
        _registered = True
        return FONT_NAME
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    pdfmetrics.registerFont(TTFont(LATIN_FONT_NAME, str(latin_font_path())))
    for family in (FONT_NAME, LATIN_FONT_NAME):
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(family, bold, italic, family)
    _registered = True
    return FONT_NAME


@lru_cache(maxsize=1)
def _latin_chars() -> frozenset[int]:
    """Code points the Latin font covers; everything else is drawn with the Chinese font."""
    from reportlab.pdfbase import pdfmetrics

    register_reportlab_font()
    return frozenset(pdfmetrics.getFont(LATIN_FONT_NAME).face.charToGlyph)


@lru_cache(maxsize=8192)  # the same short strings (levels, dates, "—") recur thousands of times
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """Split text into (font name, chunk) runs so every character gets a font that has it."""
    latin = _latin_chars()
    out: list[tuple[str, str]] = []
    for ch in text:
        font = LATIN_FONT_NAME if ord(ch) in latin else FONT_NAME
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return tuple(out)


def markup(text: str) -> str:
    """Escape plain text for a Paragraph, wrapping Latin runs in the Latin font.

    The Paragraph's own style font must be the Chinese font (FONT_NAME).
    """
    parts = []
    for font, chunk in runs(text):
        chunk = escape(chunk).replace("\n", "<br/>")
        parts.append(f'<font face="{LATIN_FONT_NAME}">{chunk}</font>' if font == LATIN_FONT_NAME else chunk)
    return "".join(parts)


@lru_cache(maxsize=8192)
def string_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(chunk, font, size) for font, chunk in runs(text))


def draw_string(canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """Draw mixed Chinese/Latin text on a ReportLab canvas; align is left, centre or right.

    One text object with font switches inside it, so PDF readers (and pypdf) extract one line.
    """
    width = string_width(text, size)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    text_object = canvas.beginText(x, y)
    for font, chunk in runs(text):
        text_object.setFont(font, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)


def fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with … so that it is at most ``width`` wide (running headers)."""
    if string_width(text, size) <= width:
        return text
    while text and string_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
