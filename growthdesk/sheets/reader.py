"""Open a spreadsheet file (.xlsx or .csv) and stream its rows, whatever the school sent.

What arrives in practice: .xlsx from the 学籍 system, CSV in UTF-8 (with or without BOM) or
GBK, Excel's "Unicode 文本" (UTF-16, tab-separated), old .xls files, password-protected
workbooks, and files that are not spreadsheets at all. The file's first bytes decide, not its
name; each unusable kind gets a message saying what to do. An .xlsx sheet of ordinary size is
read by calamine (fast); a larger or odd one is streamed (openpyxl read-only mode) so a
200,000-row file reads in constant memory.

The work is bounded by the real data: a sheet ends after ``EMPTY_RUN_LIMIT`` empty rows in a
row (a stray space in row 1,048,576 must not make us walk a million empty rows), and more than
``MAX_DATA_ROWS`` rows with content is refused at once (no school's roster is that long).
A CSV cell holding NUL or other control characters, or bytes that are not in the file's
encoding (one GBK name in a UTF-8 file), is refused naming its row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import zipfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import ValidationError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_SAMPLE = 64 * 1024
EMPTY_RUN_LIMIT = 1_000
MAX_DATA_ROWS = 50_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNDECODED = re.compile(r"[\udc80-\udcff]")  # bytes kept by errors="surrogateescape"
_BINARY_MAGICS = {b"%PDF": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF",
                  b"SQLite format 3": "SQLite", b"Rar!": "RAR", b"7z\xbc\xaf": "7z"}


@dataclass
class SheetRows:
    """One sheet's rows: ``rows`` yields ``(row_number, values)`` with 1-based row numbers."""

    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    close: Any = None


@dataclass
class OpenedFile:
    path: Path
    kind: str  # "xlsx" | "csv"
    encoding: str = ""
    sheet_names: list[str] = field(default_factory=list)


def _err(zh: str, en: str, path: Path) -> ValidationError:
    return ValidationError(zh, en, field="file", value=str(path))


def sniff(path: str | Path) -> OpenedFile:
    """Decide what ``path`` is from its bytes; raise a clear ValidationError if unusable."""
    path = Path(path)
    if not path.exists():
        raise _err(f"文件不存在：{path}", f"file not found: {path}", path)
    if path.is_dir():
        raise _err(f"这是文件夹，不是文件：{path}", f"this is a folder, not a file: {path}", path)
    with open(path, "rb") as fh:
        head = fh.read(_SAMPLE)
    if not head:
        raise _err("文件是空的", "the file is empty", path)
    if head.startswith(OLE_MAGIC):
        raise _err("这是旧版 .xls 文件或设置了密码（加密）的 .xlsx 文件，无法读取。"
                   "请在 Excel 中另存为 .xlsx（不加密）后再导入",
                   "this is an old .xls file or a password-protected (encrypted) .xlsx; "
                   "open it in Excel and save it as .xlsx without a password, then import again", path)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    utf16 = _utf16(head)
    if utf16:  # Excel's "Unicode 文本 (*.txt)": UTF-16 with a BOM, tab-separated
        return OpenedFile(path=path, kind="csv", encoding=utf16)
    for magic, what in _BINARY_MAGICS.items():
        if head.startswith(magic):
            raise _err(f"这不是表格文件（是 {what} 文件），请选择 .xlsx 或 .csv 文件",
                       f"this is not a spreadsheet (it is a {what} file); choose an .xlsx or .csv file", path)
    if path.suffix.lower() in (".xls", ".htm", ".html") and head.lstrip()[:1] == b"<":
        raise _err("这个文件实际上是网页（HTML）格式，不是真正的 Excel 文件。请在 Excel 中另存为 .xlsx 后再导入",
                   "this file is really a web page (HTML), not an Excel workbook; save it as .xlsx in Excel", path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _err("文件名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏或被改了扩展名）",
                   "the name says .xlsx but the content is not an Excel workbook (damaged or renamed)", path)
    if b"\x00" in head:
        raise _err("这不是表格文件（无法识别的二进制内容），请选择 .xlsx 或 .csv 文件",
                   "this is not a spreadsheet (unrecognised binary content); choose an .xlsx or .csv file", path)
    return OpenedFile(path=path, kind="csv", encoding=detect_encoding(head))


def _utf16(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    # No BOM: digits, commas and line ends (every roster has them) put a zero byte beside each
    # of their bytes, mostly on the same side (一 is 00 4E); text in 8-bit encodings has no zero bytes.
    even, odd = head[0:8192:2], head[1:8192:2]
    for zeros, none, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if len(head) >= 8 and zeros.count(0) >= 0.2 * len(zeros) and zeros.count(0) > 4 * none.count(0):
            try:
                head[:len(head) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return ""


def _sniff_zip(path: Path) -> OpenedFile:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as exc:
        raise _err("文件已损坏，无法作为 .xlsx 打开", "the file is damaged and cannot be opened as .xlsx", path) from exc
    if "xl/workbook.xml" not in names:
        what = "Word 文档" if "word/document.xml" in names else ("演示文稿" if "ppt/presentation.xml" in names else "压缩包")
        raise _err(f"这不是 Excel 工作簿（是{what}），请选择 .xlsx 或 .csv 文件",
                   "this is not an Excel workbook (a zip of another kind); choose an .xlsx or .csv file", path)
    return OpenedFile(path=path, kind="xlsx")


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not) if the sample decodes as UTF-8, otherwise GB18030 (a superset of GBK)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # Incremental and not final: a multi-byte character cut at the sample's end is fine.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray bytes (one name pasted from a GBK file) is UTF-8: reading it
    # as GBK would garble every other name. GBK text read as UTF-8 is almost all invalid.
    text = sample.decode("utf-8", errors="surrogateescape")
    stray = len(_UNDECODED.findall(text))
    multibyte = sum(1 for ch in text if "\u0080" <= ch and not "\udc80" <= ch <= "\udcff")
    return "utf-8" if multibyte >= 4 * stray else "gb18030"


# ---------------------------------------------------------------------------------------- xlsx


def _size_from_header(self) -> None:
    """``ReadOnlyWorksheet._get_size`` that stops where the rows begin.

    openpyxl (3.1) looks for ``<dimension>`` by parsing to the *end* of ``<sheetData>``: a sheet
    without that element (written by many programs) is parsed whole just to open the workbook,
    minutes for a million sparse rows. The element, when present, precedes ``<sheetData>``."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == f"{{{SHEET_MAIN_NS}}}dimension":
                if element.get("ref"):
                    self._min_column, self._min_row, self._max_column, self._max_row = \
                        SheetDimension.from_tree(element).boundaries
                return
            if element.tag == f"{{{SHEET_MAIN_NS}}}sheetData":
                return
    finally:
        src.close()


def _install_bounded_sizing() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    ReadOnlyWorksheet._get_size = _size_from_header  # see there: opening must not read every row


def iter_xlsx_sheets(opened: OpenedFile) -> Iterator[SheetRows]:
    """Each visible worksheet of the workbook in order, vertical merges filled down.

    A sheet of ordinary size is read by calamine (Rust: a 5,000-row roster in 0.05 s instead
    of 1 s of openpyxl); anything else, and any workbook calamine cannot open, is streamed by
    openpyxl in read-only mode (flat memory, and its messages for damaged files)."""
    fast = _calamine_sheets(opened)
    if fast is not None:
        yield from fast
        return
    yield from _openpyxl_sheets(opened)


def _openpyxl_sheets(opened: OpenedFile) -> Iterator[SheetRows]:
    from openpyxl import load_workbook
    _install_bounded_sizing()

    try:
        wb = load_workbook(opened.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken parts; all mean "damaged"
        raise _err(f"无法读取这个 .xlsx 文件（{type(exc).__name__}），文件可能已损坏",
                   f"cannot read this .xlsx file ({type(exc).__name__}); it may be damaged", opened.path) from exc
    opened.sheet_names = list(wb.sheetnames)
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            merges = merged_ranges(opened.path, ws)
            yield SheetRows(name=ws.title, rows=_xlsx_rows(ws, merges))
    finally:
        wb.close()


# Calamine holds a sheet in memory as a dense grid (every cell from the first used to the last), so it
# only gets sheets whose extent is known to be small: the XML is scanned first (10 ms for
# 5,000 rows) for its last row and widest column. A stray cell in row 1,048,576 or column XFD,
# or a sheet longer than any roster, goes to openpyxl's streaming reader instead.
CALAMINE_MAX_CELLS = 1_000_000            # at most ~40 MB held by calamine (32 bytes a cell + text)
CALAMINE_MAX_ROWS = 51_000                # MAX_DATA_ROWS and an empty run: longer sheets stream
CALAMINE_MAX_XML = 64 * 1024 * 1024       # uncompressed bytes of one sheet's XML
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW_R = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside the zip, from workbook.xml and its relationships."""
    from xml.etree.ElementTree import fromstring
    book = fromstring(z.read("xl/workbook.xml"))
    rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    out = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _small_extent(z: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet's grid (last row × widest column) is small enough for calamine. The
    XML is scanned in 256 KB pieces cut after a ``>`` (no tag start is split), so the scan
    itself holds no more than that, whatever the sheet's size."""
    try:
        info = z.getinfo(part)
    except KeyError:
        return False
    if info.file_size > CALAMINE_MAX_XML:
        return False
    rows = counted = cells = referenced = 0
    width, seen_data, tail = 26, False, b""
    with z.open(part) as fh:
        while True:
            chunk = fh.read(1 << 18)
            buf = tail + chunk
            cut = buf.rfind(b">") + 1 if chunk else len(buf)
            seen_data = seen_data or buf.find(b"<sheetData", 0, cut) >= 0
            counted += buf.count(b"<row ", 0, cut) + buf.count(b"<row>", 0, cut)
            last = buf.rfind(b"<row ", 0, cut)
            if last >= 0:
                m = _ROW_R.match(buf, last, cut)
                if m:
                    rows = int(m.group(1))
            cells += buf.count(b"<c ", 0, cut) + buf.count(b"<c>", 0, cut)
            referenced += buf.count(b'<c r="', 0, cut)
            wide = set(_WIDE_CELL.findall(buf, 0, cut))
            tail = buf[cut:]
            for letters in wide:
                n = 0
                for ch in letters:
                    n = n * 26 + ch - 64
                width = max(width, n)
            if max(rows, counted) > CALAMINE_MAX_ROWS or max(rows, counted) * width > CALAMINE_MAX_CELLS:
                return False
            if not chunk:
                break
    # Prefixed elements (<x:row>) or cells placed without their reference (width unknown
    # without parsing): openpyxl.
    return seen_data and cells == referenced


def _calamine_sheets(opened: OpenedFile) -> list[SheetRows] | None:
    """The visible sheets read by calamine, or None when openpyxl should read the workbook."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum
    except ImportError:
        return None
    try:
        with zipfile.ZipFile(opened.path) as z:
            parts = _sheet_parts(z)
            book = CalamineWorkbook.from_path(str(opened.path))
            try:
                names = list(book.sheet_names)
                visible = [m.name for m in book.sheets_metadata
                           if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
                if any(not _small_extent(z, parts.get(n, "")) for n in visible):
                    return None
                sheets = []
                for name in visible:
                    sheet = book.get_sheet_by_name(name)  # parsed here, whole: errors surface now
                    merges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
                              for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
                    sheets.append(SheetRows(name=name, rows=_calamine_rows(sheet.iter_rows(), sheet.start, sheet.end,
                                                                           merges)))
            finally:
                book.close()
    except Exception:  # anything calamine or the zip objects to: openpyxl decides and words the error
        return None
    opened.sheet_names = names
    if "openpyxl" in sys.modules:
        _install_bounded_sizing()  # as the openpyxl path would have left it
    return sheets


def _cell(v: Any) -> Any:
    """A calamine value as openpyxl gives it: None for an empty cell, int for a whole number
    (Excel stores 3 as "3"), datetime for a date cell."""
    t = type(v)
    if t is str:
        return v if v else None
    if t is float:
        return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v
    if t is date:
        return datetime(v.year, v.month, v.day)
    return v


def _calamine_rows(raw_rows, start, end,
                   merges: list[tuple[int, int, int, int]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows numbered as in the sheet, cells from column A. ``iter_rows`` yields Python rows one
    at a time (the grid itself stays in calamine) from row 1, but its cells from the first used
    column: those before it are added back (tests/test_sheets_calamine.py pins this)."""
    pending = deque(sorted(merges))
    active: list[tuple[int, int, int, int, Any]] = []
    cell = _cell
    r, pad, width = 0, (), 0
    if start is not None and end is not None:
        for r, raw in enumerate(raw_rows, start=1):
            if r == 1:
                width = end[1] + 1
                pad = (None,) * (width - len(raw))
            values = pad + tuple(map(cell, raw))
            if pending or active:
                values, active = _fill_merged(r, values, pending, active)
            yield r, values
    # A merge reaching below the last cell with a value still fills its rows (openpyxl reads
    # to the sheet's recorded end, which covers them).
    blank = (None,) * width
    for r in range(r + 1, max((m[2] for m in merges), default=0) + 1):
        values, active = _fill_merged(r, blank, pending, active)
        yield r, values


def _xlsx_rows(ws, merges: list[tuple[int, int, int, int]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # The recorded dimension is often stale in exports from other software ("A1" for a full
    # sheet), and openpyxl would stop reading there: ignore it and read to the real end.
    ws.reset_dimensions()
    pending = deque(sorted(merges))  # by first row
    active: list[tuple[int, int, int, int, Any]] = []
    for r, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        if pending or active:
            values, active = _fill_merged(r, values, pending, active)
        yield r, values


def _fill_merged(r: int, values: tuple, pending: deque, active: list) -> tuple[tuple, list]:
    """Merged cells keep their value only in the top-left cell; copy it into the whole range
    (a 年级 or 班级 column merged over many students is common in rosters)."""
    vals = list(values)
    while pending and pending[0][0] == r:
        r1, c1, r2, c2 = pending.popleft()
        active.append((r1, c1, r2, c2, vals[c1 - 1] if c1 - 1 < len(vals) else None))
    active = [m for m in active if m[2] >= r]
    for r1, c1, _r2, c2, top in active:
        for c in range(c1, c2 + 1):
            while len(vals) < c:
                vals.append(None)
            if vals[c - 1] is None:
                vals[c - 1] = top
    return tuple(vals), active


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def merged_ranges(path: Path, ws) -> list[tuple[int, int, int, int]]:
    """Merged ranges ``(row1, col1, row2, col2)`` of a read-only worksheet.

    Read-only mode does not expose merges, and loading the sheet fully would cost memory in
    proportion to its size; the ``<mergeCells>`` list is scanned from the streamed XML.
    """
    from openpyxl.utils import column_index_from_string

    part = getattr(ws, "_worksheet_path", None) or getattr(ws, "worksheet_path", None)
    if not part:
        return []
    part = part.lstrip("/")
    out = []
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            if b"mergeCell" in buf:
                for m in _MERGE_RE.finditer(buf):
                    out.append((int(m.group(2)), column_index_from_string(m.group(1).decode()),
                                int(m.group(4)), column_index_from_string(m.group(3).decode())))
                # Keep only what follows the last complete match to avoid double counting.
                last = buf.rfind(b"/>")
                tail = buf[last + 2:] if last >= 0 else buf[-200:]
            else:
                tail = buf[-200:]
    return sorted(set(out))


# ----------------------------------------------------------------------------------------- csv


def iter_csv_sheets(opened: OpenedFile) -> Iterator[SheetRows]:
    # surrogateescape: a byte that is not in the encoding is kept and reported with its row and
    # column, not a decoding error somewhere near it (or a traceback while sniffing the dialect).
    fh = open(opened.path, "r", encoding=opened.encoding, errors="surrogateescape", newline="")
    try:
        sample = fh.read(_SAMPLE)
        fh.seek(0)
        dialect = _dialect(_UNDECODED.sub("?", sample))
        yield SheetRows(name=opened.path.stem, rows=_csv_rows(fh, dialect, opened))
    finally:
        fh.close()


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def _check_csv_cells(r: int, row: list[str], opened: OpenedFile) -> None:
    joined = "".join(row)
    if not (_UNDECODED.search(joined) or _CONTROL.search(joined)):
        return
    for c, v in enumerate(row):
        if _UNDECODED.search(v):
            other = "GBK" if opened.encoding.startswith("utf-8") else "UTF-8"
            raise ValidationError(
                f"这一格的文字不是文件其余部分所用的编码（{opened.encoding}，这一格可能是 {other}）："
                "请在 Excel 或记事本中把整个文件另存为“UTF-8 CSV”后再导入",
                f"this cell's text is not in the file's encoding ({opened.encoding}; perhaps {other}); save the "
                "whole file as UTF-8 CSV and import again", field="file", value=str(opened.path), row=r,
                column=_column_letter(c))
        m = _CONTROL.search(v)
        if m:
            what = "空字符（NUL）" if m.group(0) == "\x00" else f"控制字符 U+{ord(m.group(0)):04X}"
            raise ValidationError(
                f"这一格含有不可见的{what}，文件可能已损坏或不是文本表格；请检查后另存为 CSV 再导入",
                f"this cell holds an invisible {'NUL byte' if m.group(0) == chr(0) else 'control character'} "
                f"(U+{ord(m.group(0)):04X}); the file may be damaged or not a text table", field="file",
                value=str(opened.path), row=r, column=_column_letter(c))


def _csv_rows(fh: io.TextIOBase, dialect, opened: OpenedFile) -> Iterator[tuple[int, tuple[Any, ...]]]:
    reader = csv.reader(fh, dialect)
    r = 0
    try:
        for r, row in enumerate(reader, start=1):
            _check_csv_cells(r, row, opened)
            yield r, tuple(v if v != "" else None for v in row)
    except UnicodeDecodeError as exc:
        raise ValidationError(f"第 {r + 1} 行附近的文字编码无法识别（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 CSV",
                              f"text near row {r + 1} is neither UTF-8 nor GBK; save the file as UTF-8 CSV",
                              field="file", value=str(opened.path), row=r + 1) from exc
    except csv.Error as exc:
        raise ValidationError(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}", field="file",
                              value=str(opened.path), row=r + 1) from exc


def _is_empty(values: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def bounded_rows(rows: Iterator[tuple[int, tuple[Any, ...]]], opened: OpenedFile,
                 sheet: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``rows`` until ``EMPTY_RUN_LIMIT`` empty rows in a row (the data has ended: the rest is
    formatting or a stray keystroke far below), refusing more than ``MAX_DATA_ROWS`` rows with
    content. Empty rows inside the data still pass (row numbers stay those of the sheet)."""
    empty_run, data = [], 0
    for r, values in rows:
        if _is_empty(values):
            empty_run.append((r, values))
            if len(empty_run) >= EMPTY_RUN_LIMIT:
                return
            continue
        data += 1
        if data > MAX_DATA_ROWS:  # read at call time: a benchmark may raise it
            raise ValidationError(
                f"工作表“{sheet}”超过 {MAX_DATA_ROWS} 行数据，比任何一所学校的名单都长，已停止读取；"
                "请检查是否选错了文件，或把名单拆成几个文件",
                f"sheet '{sheet}' has more than {MAX_DATA_ROWS} rows of data, longer than "
                "any school's roster; reading stopped. Check the file, or split it", field="file",
                value=str(opened.path), row=r)
        yield from empty_run
        empty_run = []
        yield r, values


def _bounded_sheets(sheets, opened: OpenedFile) -> Iterator[SheetRows]:
    try:
        for sheet in sheets:
            sheet.rows = bounded_rows(sheet.rows, opened, sheet.name)
            yield sheet
    finally:
        sheets.close()  # the workbook is closed when the caller is done with it


def iter_sheets(path: str | Path) -> tuple[OpenedFile, Iterator[SheetRows]]:
    """Sniff ``path`` and return it with an iterator over its sheets' streamed rows."""
    opened = sniff(path)
    if opened.kind == "xlsx":
        return opened, _bounded_sheets(iter_xlsx_sheets(opened), opened)
    return opened, _bounded_sheets(iter_csv_sheets(opened), opened)
