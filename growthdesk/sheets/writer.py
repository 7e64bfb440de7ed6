"""Write .xlsx workbooks that open cleanly in Excel and WPS.

Every workbook we hand out goes through here so the same rules hold everywhere:

* text that starts with ``= + - @`` (or a tab/CR) is stored as an inline string with Excel's
  quote-prefix flag, so neither Excel nor a later CSV round trip turns it into a formula
  (CSV/formula injection);
* the header row is bold and frozen, columns are sized to their content (a CJK character
  counts as two), dates print as ``2025年9月1日`` and numbers with a Chinese-friendly format.

Written with openpyxl's write-only mode, so memory stays flat however many rows a table has.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's own "bad" red
ERROR_FONT = Font(color="9C0006")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters are illegal in the XML of a worksheet; openpyxl would raise on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class Styled:
    """A value with its own number format, e.g. ``Styled(0.25, PERCENT_FORMAT)``."""

    value: Any
    number_format: str


Table = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def display_width(value: Any) -> int:
    """Approximate width in Excel character units: wide (CJK) characters count double."""
    if value is None:
        return 0
    if isinstance(value, Styled):
        value = value.value
    if isinstance(value, datetime):
        return 18
    if isinstance(value, date):
        return 12
    text = value if isinstance(value, str) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def make_cell(ws, value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
    """A write-only cell with the value typed safely and the format its type deserves."""
    fmt = None
    if isinstance(value, Styled):
        value, fmt = value.value, value.number_format
    cell = WriteOnlyCell(ws)
    if value is None:
        pass
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
    elif isinstance(value, datetime):
        cell.value = value
        cell.number_format = fmt or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = fmt or DATE_FORMAT
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = fmt or INT_FORMAT
    elif isinstance(value, float):
        cell.value = value
        cell.number_format = fmt or FLOAT_FORMAT
    else:
        _set_text(cell, str(value))
    if fmt and cell.number_format == "General":
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _set_text(cell, text: str) -> None:
    text = _ILLEGAL_XML.sub("", text)
    cell.value = text
    # Assigning "=…" made openpyxl type the cell as a formula; force a plain string instead.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


def column_widths(headers: Sequence[str], rows: Iterable[Sequence[Any]] | None) -> list[float]:
    widths = [display_width(h) for h in headers]
    if isinstance(rows, Sequence):
        for row in rows[:_WIDTH_SAMPLE_ROWS]:
            for i, v in enumerate(row):
                if i < len(widths):
                    widths[i] = max(widths[i], display_width(v))
                else:
                    widths.append(display_width(v))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def add_table_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                    *, widths: Sequence[float] | None = None):
    """Append one sheet (write-only workbook) with a frozen, styled header row and ``rows``."""
    ws = wb.create_sheet(title=safe_sheet_title(title))
    for i, w in enumerate(widths or column_widths(headers, rows), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])
    for row in rows:
        ws.append([make_cell(ws, v) for v in row])
    return ws


def _header_cell(ws, text: str) -> WriteOnlyCell:
    cell = make_cell(ws, text, font=HEADER_FONT, fill=HEADER_FILL)
    cell.border = HEADER_BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_title(title: str) -> str:
    """Excel refuses sheet names with []:*?/\\ or longer than 31 characters."""
    return _BAD_TITLE.sub("_", title or "Sheet")[:31] or "Sheet"


def write_table_workbook(path: str | Path, sheets: Sequence[Table]) -> Path:
    """Write ``sheets`` — a list of ``(title, headers, rows)`` — to one .xlsx file at ``path``.

    ``rows`` may be any iterable (a generator streams); when it is a list, column widths are
    fitted to the first rows as well as the header. Wrap a value in ``Styled`` to choose its
    number format (``PERCENT_FORMAT`` for shares).
    """
    from ..outfiles import save_workbook

    path = Path(path)
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        add_table_sheet(wb, title, headers, rows)
    if not sheets:
        add_table_sheet(wb, "Sheet", [], [])
    return save_workbook(wb, path)


__all__ = ["write_table_workbook", "add_table_sheet", "make_cell", "Styled", "safe_sheet_title",
           "DATE_FORMAT", "PERCENT_FORMAT", "INT_FORMAT", "FLOAT_FORMAT", "ERROR_FILL", "display_width",
           "is_formula_like"]
