"""The fast .xlsx reader (calamine) gives exactly the rows openpyxl's streaming reader gives,
and leaves every sheet it cannot hold safely (a stray cell far away, too many rows) to openpyxl.

Issue 17: openpyxl spent ~1 s parsing a 5,000-row roster; calamine reads it in ~0.05 s.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from growthdesk.errors import ValidationError
from growthdesk.sheets import reader
from growthdesk.sheets.roster import preview_roster
from tests.fixtures.sheets.helpers import student_no


def _rows(path, *, fast: bool, monkeypatch) -> dict[str, list]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(reader, "CALAMINE_MAX_CELLS", 0)  # every sheet "too big": the streaming reader
        opened, sheets = reader.iter_sheets(path)
        try:
            out = {sheet.name: list(sheet.rows) for sheet in sheets}
        finally:
            sheets.close()
    return out, opened.sheet_names


def _workbook(path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["B1"] = "示例市第一中学 2025学年学生名单"
    ws.append([])
    ws["B3"], ws["C3"], ws["D3"], ws["E3"], ws["F3"], ws["G3"] = "学籍号", "姓名", "性别", "出生日期", "年级", "班级"
    for i in range(6):
        r = 4 + i
        ws.cell(r, 2, student_no(i))
        ws.cell(r, 3, f"学生{i} ")
        ws.cell(r, 4, "男" if i % 2 else "女")
        ws.cell(r, 5, datetime(2012, 3, i + 1) if i != 3 else 41000)   # a date cell and a bare serial
        ws.cell(r, 7, f"{i % 2 + 1}班")
    ws["F4"] = "初一"
    ws.merge_cells("F4:F12")          # the grade merged over the students and beyond the last value
    ws["H4"], ws["H5"], ws["H6"], ws["H7"] = 3, 3.5, True, time(8, 30)
    ws["I5"] = 12345678901234567      # a long number Excel has already rounded
    hidden = wb.create_sheet("说明")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "hidden"
    other = wb.create_sheet("第二页")
    other["C2"] = "x"
    wb.save(path)


def test_calamine_rows_are_openpyxl_rows(tmp_path, monkeypatch):
    path = tmp_path / "roster.xlsx"
    _workbook(path)
    fast, fast_names = _rows(path, fast=True, monkeypatch=monkeypatch)
    slow, slow_names = _rows(path, fast=False, monkeypatch=monkeypatch)
    assert fast_names == slow_names == ["名单", "说明", "第二页"]
    assert list(fast) == ["名单", "第二页"]          # the hidden sheet is skipped by both
    for name in fast:
        # openpyxl may pad rows further right; a cell beyond a row is None either way
        width = max(len(v) for _r, v in fast[name] + slow[name])
        pad = lambda rows: [(r, tuple(v) + (None,) * (width - len(v))) for r, v in rows]  # noqa: E731
        assert pad(fast[name]) == pad(slow[name]), name
    rows = dict(fast["名单"])
    assert rows[4][1] == student_no(0) and rows[4][5] == "初一" and rows[12][5] == "初一"  # merged down
    assert rows[4][4] == datetime(2012, 3, 1) and rows[7][4] == 41000                    # as openpyxl gives them
    assert (rows[4][7], rows[5][7], rows[6][7]) == (3, 3.5, True) and type(rows[4][7]) is int
    assert dict(fast["第二页"])[2] == (None, None, "x")


def test_a_stray_cell_far_away_is_left_to_the_streaming_reader(tmp_path, monkeypatch):
    """Calamine would allocate the whole grid up to XFD1048576 (17 billion cells)."""
    path = tmp_path / "stray.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["学籍号", "姓名", "性别", "出生日期", "班级"])
    for i in range(5):
        ws.append([student_no(i), f"学生{i}", "男", "2013-05-01", "初一(1)班"])
    ws["XFD1048576"] = " "
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert not reader._small_extent(z, "xl/worksheets/sheet1.xml")
        wide = z.read("xl/worksheets/sheet1.xml")
    assert b'r="XFD1048576"' in wide
    used = []
    monkeypatch.setattr(reader, "_openpyxl_sheets", lambda o, f=reader._openpyxl_sheets: used.append(1) or f(o))
    opened, sheets = reader.iter_sheets(path)
    try:
        rows = list(next(sheets).rows)
    finally:
        sheets.close()
    assert used and len(rows) == 6 and rows[5][1][:2] == (student_no(4), "学生4")


def test_a_roster_preview_is_the_same_either_way(bare_school_db, tmp_path, monkeypatch):
    """Errors keep their row, their column and their Chinese, whichever reader read the file."""
    path = tmp_path / "roster.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["2025学年名单"])
    ws.append(["学籍号", "姓名", "性别", "出生日期", "班级", "学号"])
    for i in range(30):
        ws.append([student_no(i), f"学生{i}", "男" if i % 2 else "女", datetime(2013, 5, 1), f"初一({i % 3 + 1})班", i + 1])
    ws["C10"] = "未知"                 # a bad gender
    ws["D12"] = "2013-02-30"           # no such date
    ws["A14"] = 1.2345678901234567e17  # a number Excel rounded
    ws["A20"] = ws["A21"].value        # a duplicate
    wb.save(path)
    fast = preview_roster(bare_school_db, path, school_year=2025).to_dict()
    monkeypatch.setattr(reader, "CALAMINE_MAX_CELLS", 0)
    slow = preview_roster(bare_school_db, path, school_year=2025).to_dict()
    assert fast == slow
    assert (fast["new"], fast["errors"]) == (25, 5)
    where = {(i["row"], i["column"]) for i in fast["issues"]}
    assert {(10, "性别"), (12, "出生日期"), (14, "学籍号"), (20, "学籍号"), (21, "学籍号")} <= where
    assert any("日期不存在" in i["zh"] for i in fast["issues"])


def test_a_damaged_workbook_still_gets_the_damaged_message(bare_school_db, tmp_path):
    path = tmp_path / "broken.xlsx"
    _workbook(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 60: info.header_offset + 400] = b"\x00" * 340   # the sheet's deflate stream
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path, school_year=2025)
    assert "损坏" in err.value.zh or "无法读取" in err.value.zh


def test_dates_arrive_as_datetimes_like_openpyxl_gives_them():
    assert reader._cell(date(2012, 3, 4)) == datetime(2012, 3, 4) and reader._cell("") is None
    assert reader._cell(3.0) == 3 and type(reader._cell(3.0)) is int and reader._cell(2.0 ** 60) == 2.0 ** 60
