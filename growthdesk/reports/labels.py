"""How a portfolio prints terms, classes, grades, dates and vocabulary codes.

``services.names`` and ``services.terms`` are the single source when they exist; the small
fallbacks here keep reports working (and tested) while those modules are being written.
"""

from __future__ import annotations

from datetime import date

from ..models.enums import LEVEL_ORDER, MENTOR_KINDS, label

_CN = "零一二三四五六七八九十"
_SECONDARY = {7: "初一", 8: "初二", 9: "初三", 10: "高一", 11: "高二", 12: "高三"}


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n]
    if n < 20:
        return "十" + _CN[n - 10]
    return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")


def term_label(code: str) -> str:
    """``2025-2026-1`` → ``2025—2026学年第一学期``."""
    try:
        from ..services import terms
        return terms.term_label(code)
    except (ImportError, AttributeError, ValueError):
        pass
    try:
        start, end, no = code.split("-")
        return f"{int(start)}—{int(end)}学年第{_cn_number(int(no))}学期"
    except ValueError:
        return code


def grade_label(grade: int) -> str:
    try:
        from ..services import names
        return names.grade_label(grade)
    except (ImportError, AttributeError, ValueError, TypeError):
        pass
    return _SECONDARY.get(grade) or f"{_cn_number(grade)}年级"


def class_label(grade: int, class_no: int) -> str:
    try:
        from ..services import names
        return names.class_label(grade, class_no)
    except (ImportError, AttributeError, ValueError, TypeError):
        pass
    return f"{grade_label(grade)}({class_no})班"


def short_term(code: str, grade_then: int | None) -> str:
    """Chart axis label: ``初一上`` when the grade in that term is known, else ``2025秋``."""
    try:
        start, _, no = code.split("-")
    except ValueError:
        return code
    half = "上" if no == "1" else "下"
    if grade_then and 1 <= grade_then <= 12:
        g = _SECONDARY.get(grade_then) or f"{_cn_number(grade_then)}年级"
        return g + half
    return f"{start}{'秋' if no == '1' else '春'}"


def zh_date(d: date | None) -> str:
    """``2026年11月23日`` — the way dates are printed on Chinese school documents."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def mentor_text(name: str, kind: str, organisation: str, title: str) -> str:
    extra = "，".join(x for x in (organisation, title) if x)
    return f"{name}（{label(MENTOR_KINDS, kind)}{'，' + extra if extra else ''}）"
