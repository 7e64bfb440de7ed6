"""Files that are not usable rosters: each gets a clear message and leaves the database alone."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from growthdesk.errors import ValidationError
from growthdesk.models import AuditLog, Student
from growthdesk.sheets.reader import OLE_MAGIC
from growthdesk.sheets.roster import preview_roster
from tests.fixtures.sheets.helpers import student_no

SAVE_AS = "请在 Excel 中另存为 .xlsx（不加密）"


def _unchanged(db) -> None:
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0


def _ole_file(path) -> None:
    # An OLE2 compound document: what both a legacy .xls and an encrypted .xlsx are on disk.
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + os.urandom(4096))


@pytest.mark.parametrize("name", ["old.xls", "locked.xlsx"])
def test_xls_and_password_protected_xlsx(bare_school_db, tmp_path, name):
    path = tmp_path / name
    _ole_file(path)
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path)
    assert SAVE_AS in str(err.value).replace("另存为 .xlsx（不加密）后再导入", "另存为 .xlsx（不加密）")
    assert "password" in err.value.en and err.value.field == "file"
    _unchanged(bare_school_db)


@pytest.mark.parametrize("name, content, words", [
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
    ("random.bin", bytes(range(256)) * 8, "二进制"),
    ("empty.csv", b"", "空"),
    ("renamed.xlsx", "姓名,性别\n张三,男\n".encode(), "不是 Excel 工作簿"),
    ("page.xls", b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>", "网页"),
])
def test_not_a_spreadsheet(bare_school_db, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path)
    assert words in err.value.zh
    _unchanged(bare_school_db)


def test_zip_that_is_not_a_workbook(bare_school_db, tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="Word"):
        preview_roster(bare_school_db, path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="损坏"):
        preview_roster(bare_school_db, broken)
    _unchanged(bare_school_db)


def _big_roster(path, n: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["学籍号", "姓名", "性别", "班级"])
    for i in range(n):
        ws.append([student_no(i), "学生", "男" if i % 2 else "女", f"初一({i % 20 + 1})班"])
    wb.save(path)


def _peak_mb(db, path) -> tuple[float, object]:
    tracemalloc.start()
    try:
        # keep_rows=0: the streaming mode every file longer than KEEP_ROWS gets.
        pv = preview_roster(db, path, school_year=2025, keep_rows=0)
        return tracemalloc.get_traced_memory()[1] / 1e6, pv
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_file_grows(bare_school_db, tmp_path):
    """Streaming: 4× the rows must cost about the same memory (tracemalloc peak)."""
    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    _big_roster(small, 1_500)
    _big_roster(large, 6_000)
    peak_small, pv_small = _peak_mb(bare_school_db, small)
    peak_large, pv_large = _peak_mb(bare_school_db, large)
    assert (pv_small.new, pv_large.new) == (1_500, 6_000)
    assert peak_large < 8, peak_large
    # 4,500 more rows may cost at most ~200 bytes each (ours is 13: hash, row number, outcome).
    assert peak_large - peak_small < 0.9, (peak_small, peak_large)


_CHILD = r"""
import resource, sys
import growthdesk.sheets.reader as reader
reader.MAX_DATA_ROWS = 250_000  # a scale test, 4x beyond the largest roster a school has
from growthdesk.db import open_database
from growthdesk.sheets.roster import preview_roster
db = open_database(sys.argv[1])
preview_roster(db, sys.argv[3], school_year=2025)  # warm up: imports, caches, a small file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pv = preview_roster(db, sys.argv[2], school_year=2025)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(pv.total, pv.new, pv.error_rows, before, after)
"""


@pytest.mark.slow
def test_200k_row_roster_preview_in_bounded_memory(bare_school_db, tmp_path):
    """200,000 rows: the preview's high-water mark grows by a few MB, not by the file size
    (tracemalloc would slow this 5×; the flatness itself is checked with it above)."""
    path, small = tmp_path / "huge.xlsx", tmp_path / "small.xlsx"
    _big_roster(path, 200_000)
    _big_roster(small, 1_000)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(bare_school_db.path), str(path), str(small)],
                         capture_output=True, text=True, check=True, timeout=900).stdout.split()
    total, new, errors, before_kb, after_kb = map(int, out)
    assert (total, new, errors) == (200_000, 200_000, 0)
    assert (after_kb - before_kb) / 1e3 < 40, f"max RSS grew {(after_kb - before_kb) / 1e3:.0f} MB"
    _unchanged(bare_school_db)
