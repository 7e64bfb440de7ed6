"""write_table_workbook: formula-safe text (checked in the sheet XML), formats, widths, frozen header."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

import openpyxl

from growthdesk.sheets.writer import DATE_FORMAT, PERCENT_FORMAT, Styled, write_table_workbook


def _sheet_xml(path, n=1) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")


def test_dangerous_text_is_never_a_formula(tmp_path):
    path = tmp_path / "t.xlsx"
    evil = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")", "\t=1"]
    write_table_workbook(path, [("表", ["内容"], [[v] for v in evil])])
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    cells = re.findall(r'<c r="A(\d+)"([^>]*)>', xml)
    assert len(cells) == len(evil) + 1
    for row, attrs in cells[1:]:
        assert 't="inlineStr"' in attrs, (row, attrs)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(r, 1).value for r in range(2, len(evil) + 2)] == evil
    assert all(ws.cell(r, 1).data_type == "s" and ws.cell(r, 1).quotePrefix for r in range(2, len(evil) + 2))


def test_formats_widths_and_frozen_header(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [["张三丰张三丰张三丰", date(2025, 9, 1), 3, 85.25, Styled(0.125, PERCENT_FORMAT), True, None],
            ["李四", datetime(2025, 9, 1, 8, 30), 1200, 1.0, Styled(1.0, PERCENT_FORMAT), False, "x\x01y"]]
    write_table_workbook(path, [("第一页", ["姓名", "日期", "人数", "分数", "占比", "是否", "备注"], rows),
                                ("bad/name:[x]", ["a"], iter([[1], [2]]))])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["第一页", "bad_name__x_"]
    ws = wb["第一页"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b
    assert ws["B2"].number_format == DATE_FORMAT and ws["B2"].value == datetime(2025, 9, 1)
    assert ws["C3"].number_format == "#,##0" and ws["C3"].value == 1200
    assert ws["E2"].number_format == PERCENT_FORMAT
    assert ws["F2"].value == "是" and ws["F3"].value == "否"
    assert ws["G3"].value == "xy"  # control character dropped instead of a corrupt file
    # CJK counts double: 9 characters -> 18 units + padding.
    assert ws.column_dimensions["A"].width >= 18
    assert ws.column_dimensions["A"].width > ws.column_dimensions["C"].width
    assert [c.value for c in wb["bad_name__x_"]["A"]] == ["a", 1, 2]


def test_large_table_streams(tmp_path):
    path = tmp_path / "big.xlsx"
    rows = ((i, f"学生{i}", date(2010, 1, 1)) for i in range(20_000))
    write_table_workbook(path, [("大表", ["序号", "姓名", "生日"], rows)])
    ws = openpyxl.load_workbook(path, read_only=True).active
    assert sum(1 for _ in ws.iter_rows(values_only=True)) == 20_001
