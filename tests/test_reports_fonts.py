"""The bundled fonts and the mixed Chinese/Latin text helpers."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from growthdesk.reports.fonts import (FONT_NAME, LATIN_FONT_NAME, fit, font_path, latin_font_path, markup,
                                      register_reportlab_font, runs, string_width)
from growthdesk.reports.portfolio import pieces


def test_bundled_fonts_exist_with_licences():
    for path in (font_path(), latin_font_path()):
        assert path.is_file() and path.stat().st_size > 100_000
    folder = font_path().parent
    assert (folder / "LICENSE-DroidSansFallback.txt").read_text().count("Apache") >= 1
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text()


def test_registration_is_idempotent_and_covers_chinese():
    assert register_reportlab_font() == register_reportlab_font() == FONT_NAME
    face = pdfmetrics.getFont(FONT_NAME).face
    assert all(ord(ch) in face.charToGlyph for ch in "学生成长档案第页共班主任评语（）：")


def test_runs_give_digits_to_the_latin_font():
    assert runs("第 12 页") == ((FONT_NAME, "第"), (LATIN_FONT_NAME, " 12 "), (FONT_NAME, "页"))
    assert runs("2025—2026学年") == ((LATIN_FONT_NAME, "2025—2026"), (FONT_NAME, "学年"))


def test_markup_escapes_and_tags_latin_runs():
    assert markup("张三 <b>&") == f'张三<font face="{LATIN_FONT_NAME}"> &lt;b&gt;&amp;</font>'
    assert markup("一\n二") == "一<br/>二"


def test_fit_shortens_to_width():
    text = "很长的学校名称" * 20
    short = fit(text, 9, 150)
    assert short.endswith("…") and string_width(short, 9) <= 150
    assert fit("短", 9, 150) == "短"


def test_pieces_cut_at_sentence_ends_and_keep_everything():
    text = "第一句话。" * 300
    parts = pieces(text, 100)
    assert "".join(parts) == text
    assert all(len(p) <= 100 for p in parts) and all(p.endswith("。") for p in parts)
    assert pieces("") == [""]
    assert "".join(pieces("x" * 250, 100)) == "x" * 250
