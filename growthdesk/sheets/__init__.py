"""Excel/CSV in and out: roster import, validation reports, batch-entry templates, exports.

Qt-free. Reading uses openpyxl's read-only mode and streams rows, so memory stays flat for
large files; writing goes through ``writer`` (formula-safe text, frozen headers, CJK widths).
``writer`` is imported when first asked for: reading a roster never needs openpyxl's writer.
"""

__all__ = ["Styled", "write_table_workbook"]


def __getattr__(name: str):
    if name in __all__:
        from . import writer
        return getattr(writer, name)
    raise AttributeError(name)
