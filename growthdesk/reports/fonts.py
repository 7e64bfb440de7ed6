"""Bundled fonts for PDFs (and for Qt, via font_path()).

The machines GrowthDesk runs on may have no Chinese font at all, so every PDF embeds its fonts.
Droid Sans Fallback (Apache-2.0) has the Chinese glyphs but *no Latin letters or digits*, so a
second small font, DejaVu Sans (Bitstream Vera licence), draws those. ReportLab has no per-glyph
fallback, so text is split into runs by coverage: ``markup()`` for Paragraphs and ``runs()`` for
canvas drawing. ReportLab embeds TrueType fonts as subsets by default (only the glyphs used).

Pupils' names go beyond both: CJK Extensions B–F (𠮷, 𪚥, 𫟘 …) come from Hanazono Mincho B
(HanaMinB, the supplementary-plane half of Hanazono Mincho), Uyghur and other Arabic-script names from Noto Naskh Arabic, shaped into
their joined forms (arabic-reshaper) and put in visual right-to-left order (python-bidi), since
ReportLab draws code points left to right as given. Text is NFC-normalised first (a combining
accent joins its letter). A character no bundled font has (an emoji, say) is drawn as its code
point ``U+1F600`` rather than as nothing, and ``undrawable()`` lets callers warn about it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from growthdesk.paths import resource

FONT_FILE = "DroidSansFallbackFull.ttf"
LATIN_FONT_FILE = "DejaVuSans.ttf"
EXTB_FONT_FILE = "HanaMinB.ttf"
ARABIC_FONT_FILE = "NotoNaskhArabic-Regular.ttf"
FONT_NAME = "GDSans"        # Chinese (and CJK punctuation)
LATIN_FONT_NAME = "GDLatin"  # digits, Latin letters, dashes and other Western punctuation
EXTB_FONT_NAME = "GDExtB"    # CJK Extensions B-F, plane 2 (rare characters in names)
ARABIC_FONT_NAME = "GDArabic"  # Uyghur, Kazakh (Arabic script) and Arabic
ALL_FONT_FILES = (FONT_FILE, LATIN_FONT_FILE, EXTB_FONT_FILE, ARABIC_FONT_FILE)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


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


def _utf16_hex(code: int) -> str:
    return "%04X" % code if code <= 0xFFFF else "%04X%04X" % (0xD800 + ((code - 0x10000) >> 10),
                                                              0xDC00 + ((code - 0x10000) & 0x3FF))


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 (a surrogate
    pair) as the PDF format requires: ReportLab writes ``<20BB7>``, which readers reject, so 𠮷
    could not be searched or copied from the PDF."""
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
            "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset)]
    body = ["<%02X> <%s>" % (i, _utf16_hex(v)) for i, v in enumerate(subset)]
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


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
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see there: astral characters (Extension B)
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


_EXTRA_FILES = {EXTB_FONT_NAME: EXTB_FONT_FILE, ARABIC_FONT_NAME: ARABIC_FONT_FILE}


@lru_cache(maxsize=4)
def _chars(font_name: str) -> frozenset[int]:
    """The code points ``font_name`` covers. The two fallback fonts are registered here, on
    first need: HanaMinB is 30 MB (0.7 s to load) and most classes never need it."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    register_reportlab_font()
    if font_name in _EXTRA_FILES and font_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font_name, str(_bundled(_EXTRA_FILES[font_name]))))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(font_name, bold, italic, font_name)
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def visual(text: str) -> str:
    """NFC, and Arabic-script runs shaped (joined letter forms) in right-to-left visual order."""
    text = unicodedata.normalize("NFC", text)
    if not _ARABIC.search(text):
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="L")


def _font_for(cp: int) -> str | None:
    if cp < 0x600 or not (0x600 <= cp <= 0x8FF or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF):
        if cp in _latin_chars():
            return LATIN_FONT_NAME
        if cp in _chars(FONT_NAME):
            return FONT_NAME
        if 0x20000 <= cp <= 0x2FFFF and cp in _chars(EXTB_FONT_NAME):
            return EXTB_FONT_NAME
        return None
    return ARABIC_FONT_NAME if cp in _chars(ARABIC_FONT_NAME) else None


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` no bundled font can draw (after NFC and shaping), as ``U+XXXX``."""
    seen: list[str] = []
    for ch in visual(text):
        if not ch.isspace() and _font_for(ord(ch)) is None:
            code = f"U+{ord(ch):04X}"
            if code not in seen:
                seen.append(code)
    return seen


@lru_cache(maxsize=8192)  # the same short strings (levels, dates, "—") recur thousands of times
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """Split text into (font name, chunk) runs so every character gets a font that has it;
    a character none has becomes its code point (``U+1F600``) in the Latin font."""
    out: list[tuple[str, str]] = []
    for ch in visual(text):
        font = _font_for(ord(ch)) if not ch.isspace() else (LATIN_FONT_NAME if ord(ch) in _latin_chars() else FONT_NAME)
        if font is None:
            font, ch = LATIN_FONT_NAME, f"[U+{ord(ch):04X}]"
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
        parts.append(chunk if font == FONT_NAME else f'<font face="{font}">{chunk}</font>')
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
