"""Row problems found while importing a sheet, and the validation report workbook.

The report is an .xlsx copy of the rows that were not taken, under the file's own header,
with 原行号 (row in the original file) and 错误原因 columns added and each bad cell filled red.
It can be corrected and imported again as it is: the two added columns are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPORT_ROW_COLUMN = "原行号"
REPORT_REASON_COLUMN = "错误原因"


@dataclass(frozen=True)
class RowIssue:
    """One reason a row was not taken: where (row, column) and why, in Chinese and English."""

    row: int
    column: str          # header text of the column, "" when the whole row is concerned
    col_index: int | None  # 0-based position in the row, for highlighting
    zh: str
    en: str

    def message(self, lang: str = "zh_CN") -> str:
        if lang.startswith("zh"):
            return f"第 {self.row} 行" + (f"“{self.column}”列" if self.column else "") + f"：{self.zh}"
        return f"row {self.row}" + (f", column '{self.column}'" if self.column else "") + f": {self.en}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "zh": self.zh, "en": self.en}


def reason_text(issues: list[RowIssue]) -> str:
    return "；".join((f"{i.column}：" if i.column else "") + i.zh for i in issues)


def write_error_report(path: str | Path, header: tuple, rows: Iterable[tuple[int, tuple, list[RowIssue]]],
                       *, title: str = "未导入的行") -> Path:
    """Write the report: ``rows`` yields ``(row_number, values, issues)`` for each bad row."""
    # openpyxl's writer is imported here: a roster that is only read or applied never needs it
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    from .writer import ERROR_FILL, ERROR_FONT, _header_cell, column_widths, make_cell, safe_sheet_title

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header_texts = [("" if h is None else str(h)) for h in header]
    width = len(header_texts)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(safe_sheet_title(title))
    widths = column_widths(header_texts, None) + [8, 60]
    from openpyxl.utils import get_column_letter
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(w, 12)
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in header_texts + [REPORT_ROW_COLUMN, REPORT_REASON_COLUMN]])
    for row_no, values, issues in rows:
        vals = list(values[:width]) + [None] * (width - len(values))
        bad = {i.col_index for i in issues if i.col_index is not None and i.col_index < width}
        cells = []
        for c, v in enumerate(vals):
            cell = make_cell(ws, v)
            if c in bad:
                cell.fill = ERROR_FILL
                cell.font = ERROR_FONT
                cell.comment = Comment("；".join(i.zh for i in issues if i.col_index == c), "GrowthDesk")
            cells.append(cell)
        cells.append(make_cell(ws, row_no))
        reason = make_cell(ws, reason_text(issues))
        reason.font = ERROR_FONT
        cells.append(reason)
        ws.append(cells)
    from ..outfiles import save_workbook

    return save_workbook(wb, path)
