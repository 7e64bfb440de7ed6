"""Excel/CSV in and out: roster import, validation reports, batch-entry templates, exports.

Qt-free. Reading uses openpyxl's read-only mode and streams rows, so memory stays flat for
large files; writing goes through ``writer`` (formula-safe text, frozen headers, CJK widths).
"""

from .writer import Styled, write_table_workbook

__all__ = ["Styled", "write_table_workbook"]
