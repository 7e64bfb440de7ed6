"""How grades, classes, dates and school years are written (初一(3)班, 2025—2026学年) and read back."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone

from ..errors import ValidationError

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PRIMARY = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
_SECONDARY = {7: "初一", 8: "初二", 9: "初三", 10: "高一", 11: "高二", 12: "高三"}
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _zh(lang: str) -> bool:
    return (lang or "zh_CN").lower().startswith("zh")


def _check_grade(grade: int) -> int:
    if not isinstance(grade, int) or isinstance(grade, bool) or not 1 <= grade <= 12:
        raise ValidationError(f"年级应为 1–12：{grade}", f"grade must be 1-12: {grade!r}", field="grade", value=grade)
    return grade


def grade_label(grade: int, lang: str = "zh_CN") -> str:
    """1 → 一年级 … 6 → 六年级, 7 → 初一 … 12 → 高三; English "Grade 7"."""
    _check_grade(grade)
    if not _zh(lang):
        return f"Grade {grade}"
    return _PRIMARY[grade - 1] if grade <= 6 else _SECONDARY[grade]


def class_label(grade: int, class_no: int, lang: str = "zh_CN") -> str:
    """初一(3)班 / Grade 7 Class 3 (ASCII parentheses: what the CLI and file names use)."""
    if _zh(lang):
        return f"{grade_label(grade, lang)}({class_no})班"
    return f"Grade {grade} Class {class_no}"


def cn_number(text: str) -> int | None:
    """Chinese numerals up to 99 (七, 十二, 二十三) or ASCII digits; None if neither."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _normalise(text) -> str:
    # NFKC turns full-width digits, letters and parentheses into ASCII ones.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


def _grade_from(text: str) -> int | None:
    """The grade in one grade expression, or None."""
    t = text.strip()
    for g, name in _SECONDARY.items():
        if t == name:
            return g
    for prefix in ("初中", "高中"):  # 初中一年级, 高中二年级
        if t.startswith(prefix) and t.endswith("年级"):
            n = cn_number(t[2:-2])
            if n is not None and 1 <= n <= 3:
                return n + (6 if prefix == "初中" else 9)
    if t.endswith("年级"):
        t = t[:-2]
    m = re.fullmatch(r"(?i)(?:grade|g)\s*(\d{1,2})", t)
    if m:
        t = m.group(1)
    n = cn_number(t)
    return n if n is not None and 1 <= n <= 12 else None


def parse_grade(text) -> int:
    """初一 / 七年级 / 7 / "Grade 7" / 初中一年级 → 7; anything else is a ValidationError."""
    if isinstance(text, int) and not isinstance(text, bool):
        return _check_grade(text)
    grade = _grade_from(_normalise(text or ""))
    if grade is None:
        raise ValidationError(f"无法识别的年级：{text}（示例：初一、七年级、7）",
                              f"unknown grade: {text!r} (e.g. 初一, 七年级, 7, Grade 7)", field="grade", value=text)
    return grade


_CLASS_RES = [
    re.compile(r"(?P<g>.+?)\s*\((?P<c>[0-9一二三四五六七八九十]{1,3})\)\s*班?"),   # 初一(3)班
    re.compile(r"(?P<g>.*?(?:年级|初[一二三]|高[一二三]))\s*(?P<c>[0-9一二三四五六七八九十]{1,3})\s*班"),  # 七年级3班
    re.compile(r"(?i)(?P<g>(?:grade|g)\s*\d{1,2})\s*(?:class|c|-|/)?\s*(?P<c>\d{1,2})"),  # Grade 7 Class 3
    re.compile(r"(?P<g>\d{1,2})\s*[-./]\s*(?P<c>\d{1,2})"),                        # 7-3
]


def parse_class_label(text) -> tuple[int, int]:
    """初一(3)班, 初一（3）班, 七年级3班, Grade 7 Class 3 → (7, 3)."""
    norm = _normalise(text or "")
    for rx in _CLASS_RES:
        m = rx.fullmatch(norm)
        if not m:
            continue
        grade = _grade_from(m.group("g"))
        class_no = cn_number(m.group("c"))
        if grade is not None and class_no is not None and 1 <= class_no <= 99:
            return grade, class_no
    raise ValidationError(f"无法识别的班级：{text}（示例：初一(3)班、七年级3班）",
                          f"unknown class: {text!r} (e.g. 初一(3)班, 七年级3班, Grade 7 Class 3)",
                          field="class", value=text)


def stage_for_grade(grade: int) -> str:
    """primary (1–6), junior (7–9), senior (10–12)."""
    _check_grade(grade)
    return "primary" if grade <= 6 else "junior" if grade <= 9 else "senior"


def first_grade_of_stage(stage: str) -> int:
    return {"primary": 1, "junior": 7, "senior": 10}[stage]


def format_date(d: date | None, lang: str = "zh_CN") -> str:
    """2025年9月1日 / 1 Sep 2025; None → ''."""
    if d is None:
        return ""
    if _zh(lang):
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def local_datetime(utc_naive: datetime) -> datetime:
    """A stored (naive UTC) time as this PC's clock shows it."""
    return utc_naive.replace(tzinfo=timezone.utc).astimezone()


def local_date(utc_naive: datetime) -> date:
    """The day a stored (naive UTC) time fell on by this PC's clock."""
    return local_datetime(utc_naive).date()


def local_time_text(utc_naive: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as this PC's local time, 2026-01-10 08:30."""
    return None if utc_naive is None else local_datetime(utc_naive).strftime("%Y-%m-%d %H:%M")


def school_year_label(year: int, lang: str = "zh_CN") -> str:
    """2025 → 2025—2026学年 / 2025–2026 school year."""
    if _zh(lang):
        return f"{year}—{year + 1}学年"
    return f"{year}–{year + 1} school year"


def school_year_of(d: date) -> int:
    """The school year a date falls in: 1 September to 31 August."""
    return d.year if d.month >= 9 else d.year - 1


def mask_student_no(no: str | None) -> str:
    """A 学籍号 as lists and exports show it: the first 5 and last 4 characters, the rest hidden
    (G3301…0011). Enough to tell two students apart on a screen; the whole number is
    shown only where a task needs it (the student's own record, the entry sheets that match
    rows by it)."""
    text = str(no or "")
    if len(text) <= 9:
        return text
    return f"{text[:5]}…{text[-4:]}"
