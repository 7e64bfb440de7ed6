"""Names the portfolio could not draw (issue 13): CJK Extension B, Uyghur (shaped, right to left),
combining accents, characters no font has (printed as U+XXXX with a warning, never an empty
姓名), and long names that must not spill over the rows of the class sheet. PDFs are parsed
back with pypdf; pages are rendered to test-artifacts/ with pypdfium2 for a person to look at."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest

from growthdesk.cli import main
from growthdesk.reports import fonts
from growthdesk.reports.batch import render_portfolios, resolve_scope
from growthdesk.services import students, terms

TERM = "2025-2026-1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EXT_B = "𠮷𪚥𡈼"
UYGHUR = "ئابدۇرېھىم"
LONG = "热依拉·艾克拜尔江·吐尔逊托合提"
NAMES = {  # which sample student gets which name; more students are added for the rest
    0: f"吉{EXT_B}",
    1: UYGHUR,
    2: LONG,
}
EXTRA = ["𠀀𫟘", "Zoe\u0308 王", "王\U0001F004"]  # Ext B + Ext D; a decomposed ë; a mahjong tile (no font)


@pytest.fixture()
def school(school_db):
    ids = school_db.sample["student_ids"]
    with school_db.session(user="t") as s:
        terms.ensure_term(s, TERM)
        for i, name in NAMES.items():
            students.update_student(s, ids[i], name=name)
        for k, name in enumerate(EXTRA):
            body = f"1101012012020{k + 1:04d}"
            students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name=name,
                                    gender="F", birth_date=date(2012, 2, k + 1), class_id=school_db.sample["class_id"])
    return school_db


def render(db, out: Path, **kw):
    with db.session() as s:
        scope = resolve_scope(s, TERM, class_ref="初一(3)班")
    return render_portfolios(db, scope, out, printed_on=date(2026, 1, 20), **kw)


def test_runs_pick_a_font_for_every_name():
    assert fonts.runs(EXT_B) == ((fonts.EXTB_FONT_NAME, EXT_B),)
    assert fonts.undrawable(EXT_B + "𫟘" + UYGHUR + LONG) == []
    (font, shaped), = fonts.runs(UYGHUR)
    assert font == fonts.ARABIC_FONT_NAME
    # joined presentation forms, in visual (right-to-left) order: the first letter drawn last
    assert all(0xFB50 <= ord(c) <= 0xFEFF for c in shaped) and len(shaped) == len(UYGHUR)
    assert unicodedata.normalize("NFKC", shaped[::-1]) == UYGHUR
    assert fonts.runs("Zoe\u0308") == ((fonts.LATIN_FONT_NAME, "Zoë"),)       # NFC: one letter
    assert fonts.undrawable("王\U0001F004") == ["U+1F004"]
    assert fonts.runs("王\U0001F004") == ((fonts.FONT_NAME, "王"), (fonts.LATIN_FONT_NAME, "[U+1F004]"))


def test_every_name_prints_and_the_undrawable_one_is_warned(school, tmp_path, capsys):
    out = tmp_path / "class.pdf"
    result = render(school, out)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    flat = text.replace("\n", "")
    assert EXT_B in text and "𠀀𫟘" in text
    # Drawn as joined letter forms right to left; pypdf reads right-to-left runs back into
    # logical order, so the shaped letters appear reversed, and NFKC gives the name back.
    assert fonts.visual(UYGHUR)[::-1] in text and UYGHUR in unicodedata.normalize("NFKC", text)
    assert LONG in flat                                      # (wrapped on the class sheet, whole)
    assert "Zoë" in text and "[U+1F004]" in text
    assert text.count("姓") >= 6   # a 姓名 field on each cover
    assert [(n, cps) for _c, n, cps in result.undrawable] == [(result.undrawable[0][1], ["U+1F004"])]
    assert len(result.undrawable) == 1
    # the command line says it, one line on stderr, and still prints
    code = main(["portfolio", "--db", str(school.path), "--term", TERM, "--class", "初一(3)班",
                 "--out", str(tmp_path / "cli.pdf")])
    _out, err = capsys.readouterr()
    assert code == 0 and err.count("\n") == 1 and "U+1F004" in err and "无法显示" in err


def test_a_long_name_stays_inside_its_row_on_the_class_sheet(school):
    from growthdesk.reports.layout import TextLine, Styles
    st = Styles().cell.clone("sheet_l", fontSize=8.0, leading=9.5)
    for row_h in (15.0, 12.0, 9.0):
        line = TextLine(LONG, st, "left", max_height=row_h - 2)
        w, h = line.wrap(50.0, 1000)
        assert h <= row_h - 2, (row_h, h)
    short = TextLine("张三", st, "left", max_height=13)
    assert short.wrap(50.0, 1000)[1] == st.leading


def test_pages_render_for_a_person_to_look_at(school, tmp_path):
    import pypdfium2 as pdfium
    out = tmp_path / "class.pdf"
    render(school, out)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = pdfium.PdfDocument(str(out))
    try:
        reader = pypdf.PdfReader(str(out))
        wanted = {"sheet": None, "uyghur": None, "extb": None}
        for i, page in enumerate(reader.pages):
            t = page.extract_text()
            if "汇总表" in t and wanted["sheet"] is None:
                wanted["sheet"] = i
            elif fonts.visual(UYGHUR)[::-1] in t and wanted["uyghur"] is None:
                wanted["uyghur"] = i
            elif EXT_B in t and wanted["extb"] is None:
                wanted["extb"] = i
        assert None not in wanted.values(), wanted
        for what, i in wanted.items():
            image = pdf[i].render(scale=1.6).to_pil()
            image.save(ARTIFACTS / f"portfolio-names-{what}.png")
            assert sum(image.convert("L").histogram()[:128]) > 2000
    finally:
        pdf.close()
