"""Rosters that broke the import (issue 13): NUL bytes after the first 64 KiB, one GBK name in
a UTF-8 file, Excel's "Unicode 文本" (UTF-16), a workbook with a million sparse rows, a sheet
longer than any school's roster. Each is read or refused with its row and column; nothing odd
is stored."""

from __future__ import annotations

import codecs
import zipfile

import pytest
from sqlalchemy import func, select

from growthdesk.cli import main
from growthdesk.errors import ValidationError
from growthdesk.models import Student
from growthdesk.sheets import reader
from growthdesk.sheets.roster import import_roster, preview_roster
from tests.fixtures.sheets.helpers import student_no

HEADER = ["学籍号", "姓名", "性别", "出生日期", "班级"]


def roster_lines(n: int) -> list[list[str]]:
    return [HEADER] + [[student_no(i), f"学生{i}", "男" if i % 2 else "女", "2013-05-01", f"初一({i % 8 + 1})班"]
                       for i in range(n)]


def students(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Student))


def write_csv(path, rows, *, encoding="utf-8", sep=",", patch=None) -> bytes:
    text = "\r\n".join(sep.join(r) for r in rows) + "\r\n"
    data = text.encode(encoding)
    if patch:
        data = patch(data)
    path.write_bytes(data)
    return data


def test_a_nul_byte_beyond_the_first_64_kib_is_refused_with_row_and_column(bare_school_db, tmp_path, capsys):
    rows = roster_lines(1500)
    rows[1200][1] = "王\x00五"
    path = tmp_path / "nul.csv"
    data = write_csv(path, rows)
    assert data.index(b"\x00") > 64 * 1024       # the sniffing sample does not see it
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path, school_year=2025)
    assert err.value.row == 1201 and err.value.column == "B" and "NUL" in err.value.zh
    code = main(["roster", "import", "--db", str(bare_school_db.path), str(path), "--yes", "--school-year", "2025"])
    out, errtext = capsys.readouterr()
    assert code == 1 and errtext.count("\n") == 1 and "第 1201 行" in errtext and "“B”列" in errtext
    assert students(bare_school_db) == 0


@pytest.mark.parametrize("where", [5, 1400])  # inside and beyond the 64 KiB the encoding is guessed from
def test_one_gbk_name_in_a_utf8_file_names_its_row(bare_school_db, tmp_path, where):
    rows = roster_lines(1500)
    rows[where][1] = "@@@"
    path = tmp_path / "mixed.csv"
    write_csv(path, rows, patch=lambda d: d.replace(b"@@@", "欧阳".encode("gbk")))
    assert reader.sniff(path).encoding == "utf-8"   # not GBK for the whole file: the rest would be garbled
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path, school_year=2025)
    assert err.value.row == where + 1 and err.value.column == "B"
    assert "GBK" in err.value.zh and "UTF-8" in err.value.zh
    assert students(bare_school_db) == 0


def test_excel_unicode_text_utf16_is_read(bare_school_db, tmp_path):
    path = tmp_path / "名单.txt"
    write_csv(path, roster_lines(30), encoding="utf-16", sep="\t")   # what Excel's "Unicode 文本" writes
    assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    pv, result = import_roster(bare_school_db, path, school_year=2025)
    assert (pv.total, pv.new, pv.error_rows) == (30, 30, 0)
    assert students(bare_school_db) == 30
    with bare_school_db.session() as s:
        assert s.scalar(select(Student.name).where(Student.name == "学生7")) == "学生7"


def test_utf16_without_bom_is_read(bare_school_db, tmp_path):
    path = tmp_path / "名单.csv"
    write_csv(path, roster_lines(5), encoding="utf-16-le")
    assert preview_roster(bare_school_db, path, school_year=2025).new == 5


def _sparse_xlsx(path, data_rows: list[list[str]], empty_rows: int, *, dimension: bool = False) -> None:
    """An .xlsx written by hand: the data, then ``empty_rows`` rows holding only a space (as a
    stray keystroke or formatting copied down a column leaves them), no <dimension>."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets>'
                   '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="'
                   'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                   'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'.encode())
            if dimension:
                fh.write(f'<dimension ref="A1:E{len(data_rows) + empty_rows}"/>'.encode())
            fh.write(b"<sheetData>")
            from openpyxl.utils import get_column_letter
            for r, row in enumerate(data_rows, start=1):
                cells = "".join(f'<c r="{get_column_letter(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                for c, v in enumerate(row, start=1))
                fh.write(f'<row r="{r}">{cells}</row>'.encode())
            first = len(data_rows) + 1
            block = []
            for r in range(first, first + empty_rows):
                block.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>')
                if len(block) == 10_000:
                    fh.write("".join(block).encode())
                    block = []
            fh.write("".join(block).encode())
            fh.write(b"</sheetData></worksheet>")


def test_a_million_sparse_rows_are_not_walked(bare_school_db, tmp_path):
    path = tmp_path / "sparse.xlsx"
    _sparse_xlsx(path, roster_lines(40), 1_000_000)
    opened, sheets = reader.iter_sheets(path)
    try:
        sheet = next(sheets)
        rows = list(sheet.rows)
    finally:
        sheets.close()
    # Opening did not parse the sheet to size it, and reading stopped after the empty run.
    assert rows[-1][0] == 41 and len(rows) == 41
    pv = preview_roster(bare_school_db, path, school_year=2025)
    assert (pv.total, pv.new, pv.error_rows) == (40, 40, 0)


def test_opening_a_workbook_does_not_read_all_its_rows(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "sparse.xlsx"
    _sparse_xlsx(path, roster_lines(3), 20_000)
    list(reader.iter_sheets(path)[1])       # installs the bounded sizing
    wb = load_workbook(path, read_only=True)
    try:
        assert wb.worksheets[0].max_row is None   # unknown until read, not found by parsing every row
    finally:
        wb.close()
    sized = tmp_path / "sized.xlsx"
    _sparse_xlsx(sized, roster_lines(3), 10, dimension=True)
    wb = load_workbook(sized, read_only=True)
    try:
        assert wb.worksheets[0].max_row == 14     # a <dimension> before the rows is still used
    finally:
        wb.close()


def test_rows_inside_the_data_and_a_short_gap_still_count(bare_school_db, tmp_path):
    rows = roster_lines(10) + [[""] * 5] * 500 + roster_lines(20)[11:]
    path = tmp_path / "gap.csv"
    write_csv(path, rows)
    pv = preview_roster(bare_school_db, path, school_year=2025)
    assert pv.new == 20   # 10 rows, 500 empty ones, 10 more


def test_a_sheet_longer_than_any_school_roster_stops_early(bare_school_db, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_DATA_ROWS", 300)
    path = tmp_path / "huge.csv"
    write_csv(path, roster_lines(1000))
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path, school_year=2025)
    assert "超过 300 行" in err.value.zh and err.value.row == 301   # the header counts as a row with content
    assert reader.MAX_DATA_ROWS == 300 and students(bare_school_db) == 0
