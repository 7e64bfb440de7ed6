"""Turn what people type into Excel into clean values: text, numbers, dates, genders.

Each parser returns the clean value or raises ``CellError`` with a Chinese and English
reason; the importer adds the row and column and collects them for the report.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any


class CellError(Exception):
    """One cell's value is unusable; ``zh``/``en`` say why (no row/column: the caller knows)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def clean_text(value: Any) -> str:
    """Full-width letters/digits/brackets to ASCII (NFKC), zero-width characters dropped,
    spaces (incl. U+3000) trimmed and collapsed, and removed between Chinese characters
    ("张 三" is 张三)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def clean_header(value: Any) -> str:
    """A header cell reduced for matching: no spaces, no required-field stars, no notes in
    brackets ("出生日期（yyyy-mm-dd）" → 出生日期), no trailing colon."""
    text = clean_text(value).replace(" ", "")
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return text.strip("*:：").strip()


def clean_code(value: Any, what_zh: str, what_en: str) -> str:
    """An identifier such as a student number: no spaces at all, letters upper-cased.

    A long number typed without text format arrives as a float that Excel has already
    rounded (15 significant digits); that cannot be repaired, so it is refused clearly.
    """
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise CellError(f"{what_zh}被 Excel 存成了数字，末尾几位已经丢失；请把这一列设为“文本”格式后重新填写",
                            f"the {what_en} was stored by Excel as a number and lost its last digits; "
                            "format the column as Text and enter it again")
        value = int(value)
    return clean_text(value).replace(" ", "").upper()


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_ONLY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, *, allow_month: bool = False) -> date | None:
    """A date from a datetime cell, an Excel serial number, or text like 2009/3/5, 2009-03-05,
    2009.3.5, 2009年3月5日, 20090305. Empty gives None. With ``allow_month`` (出生年月), a
    year and month alone (2009年3月) give the first of that month."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_text(value)
    if not text:
        return None
    if text.isdigit() and len(text) == 5:  # a serial that came through CSV as text
        return _from_serial(int(text))
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _MONTH_ONLY.match(text)
    if m and allow_month:
        return _make_date(int(m.group(1)), int(m.group(2)), 1, text)
    raise CellError(f"日期无法识别：{text}（应为 2009-03-05、2009/3/5 或 2009年3月5日）",
                    f"unrecognised date: {text!r} (expected 2009-03-05, 2009/3/5 or 2009年3月5日)")


def _from_serial(n: float) -> date:
    if not 1 <= n < 2958466:
        raise CellError(f"日期无法识别：{n}", f"unrecognised date: {n}")
    return EXCEL_EPOCH + timedelta(days=int(n))


def _make_date(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"日期不存在：{text}", f"no such date: {text!r}") from None


_GENDERS = {"男": "M", "男性": "M", "M": "M", "MALE": "M", "1": "M", "男生": "M",
            "女": "F", "女性": "F", "F": "F", "FEMALE": "F", "2": "F", "女生": "F"}


def parse_gender(value: Any) -> str:
    """男/女 (also M/F, male/female and the GB/T 2261.1 codes 1/2) → "M"/"F"."""
    text = clean_text(value).upper()
    if not text:
        raise CellError("请填写性别", "gender is required")
    code = _GENDERS.get(text)
    if code is None:
        raise CellError(f"性别无法识别：{text}（应为 男 或 女）", f"unrecognised gender: {text!r} (expected 男 or 女)")
    return code


_YEAR = re.compile(r"^(\d{4})(?:\s*(?:年|[-/.]).*)?$")


def parse_year(value: Any, lo: int = 1990, hi: int = 2100) -> int | None:
    """A year such as 2023, 2023年, 2023-09 or a date cell (入学年份/入学年月)."""
    if value is None or value == "":
        return None
    if isinstance(value, (datetime, date)):
        year = value.year
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and lo <= value <= hi:
        year = int(value)
    else:
        text = clean_text(value)
        if not text:
            return None
        m = _YEAR.match(text)
        if not m:
            raise CellError(f"年份无法识别：{text}（应为 2023）", f"unrecognised year: {text!r} (expected e.g. 2023)")
        year = int(m.group(1))
    if not lo <= year <= hi:
        raise CellError(f"年份超出范围：{year}", f"year out of range: {year}")
    return year
