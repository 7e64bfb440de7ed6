"""Term codes ``2025-2026-1`` (autumn) / ``2025-2026-2`` (spring): parsing, labels, dates, rows."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, ValidationError
from ..models import ProcessEvaluation, Term
from .names import school_year_label, school_year_of
from .rules import RuleError, check_term_code

_CODE = re.compile(r"(\d{4})-(\d{4})-(\d)")
_TERM_ZH = {1: "第一学期", 2: "第二学期"}
_TERM_EN = {1: "Term 1 (autumn)", 2: "Term 2 (spring)"}


def _bad(code, why_zh: str, why_en: str) -> ValidationError:
    return ValidationError(f"学期代码无效：{code}（{why_zh}；应为 2025-2026-1 或 2025-2026-2）",
                           f"invalid term code {code!r} ({why_en}; expected e.g. 2025-2026-1 or 2025-2026-2)",
                           field="term_code", value=code)


def parse_term_code(code) -> tuple[int, int]:
    """``2025-2026-1`` → (2025, 1). The years must follow each other and the term be 1 or 2."""
    text = str(code or "").strip()
    m = _CODE.fullmatch(text)
    if not m:
        raise _bad(code, "格式不对", "wrong format")
    y1, y2, no = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y2 != y1 + 1:
        raise _bad(code, "两个年份应相差一年", "the two years must be consecutive")
    if no not in (1, 2):
        raise _bad(code, "学期只能是 1 或 2", "the term must be 1 or 2")
    if not 2000 <= y1 <= 2099:
        raise _bad(code, "学年超出范围", "school year out of range")
    return y1, no


def term_code(school_year: int, term_no: int) -> str:
    return f"{school_year}-{school_year + 1}-{term_no}"


def normalise_term_code(code) -> str:
    return term_code(*parse_term_code(code))


def term_label(code, lang: str = "zh_CN") -> str:
    """2025—2026学年第一学期 / 2025–2026 school year, Term 1 (autumn)."""
    year, no = parse_term_code(code)
    if (lang or "zh").lower().startswith("zh"):
        return f"{school_year_label(year)}{_TERM_ZH[no]}"
    return f"{school_year_label(year, 'en')}, {_TERM_EN[no]}"


def term_dates(code) -> tuple[date, date]:
    """Default dates: autumn 1 Sep – 31 Jan, spring 15 Feb – 15 Jul (a Term row may differ)."""
    year, no = parse_term_code(code)
    if no == 1:
        return date(year, 9, 1), date(year + 1, 1, 31)
    return date(year + 1, 2, 15), date(year + 1, 7, 15)


def ensure_term(s: Session, code) -> Term:
    """The Term row for ``code``, created with the default dates if missing."""
    year, no = parse_term_code(code)
    key = term_code(year, no)
    term = s.get(Term, key)
    if term is None:
        try:  # the rule a bundle's terms obey too: no term beyond next school year
            check_term_code(key)
        except RuleError as exc:
            raise ValidationError(exc.zh, exc.en, field="term_code", value=code) from None
        start, end = term_dates(key)
        term = Term(code=key, school_year=year, term_no=no, start_date=start, end_date=end)
        s.add(term)
        s.flush()
    return term


def get_term(s: Session, code) -> Term:
    """An existing Term row; NotFoundError lists the terms this database has."""
    key = normalise_term_code(code)
    term = s.get(Term, key)
    if term is None:
        known = [t.code for t in list_terms(s)]
        listing = "、".join(known) or "无"
        raise NotFoundError(f"数据库中没有学期 {key}；已有：{listing}",
                            f"no term {key} in this database; known: {', '.join(known) or 'none'}",
                            field="term_code", value=code)
    return term


def set_term_dates(s: Session, code, start_date: date, end_date: date) -> Term:
    """A school's own term dates. The term must stay within its school year (1 Sep–31 Aug, the
    autumn term starting from August), and records already dated in the term must stay inside."""
    term = ensure_term(s, code)
    if not isinstance(start_date, date) or not isinstance(end_date, date) or start_date >= end_date:
        raise ValidationError("学期开始日期应早于结束日期", "the term must start before it ends", field="start_date",
                              value=start_date)
    year_start, year_end = date(term.school_year, 8, 1), date(term.school_year + 1, 8, 31)
    if start_date < year_start or end_date > year_end:
        raise ValidationError(f"学期日期应在{school_year_label(term.school_year)}内（{year_start}—{year_end}）",
                              f"term dates must lie within school year {term.school_year}-{term.school_year + 1}",
                              field="start_date", value=start_date)
    outside = s.scalar(select(func.count()).select_from(ProcessEvaluation).where(
        ProcessEvaluation.term_code == term.code, ProcessEvaluation.deleted.is_(False),
        (ProcessEvaluation.eval_date < start_date) | (ProcessEvaluation.eval_date > end_date)))
    if outside:
        raise ValidationError(f"有 {outside} 条过程性评价的日期将落在学期之外，请先修改它们",
                              f"{outside} process evaluations would fall outside the new dates; change them first",
                              field="end_date", value=end_date)
    if (term.start_date, term.end_date) != (start_date, end_date):
        term.start_date, term.end_date = start_date, end_date
    s.flush()
    return term


def list_terms(s: Session) -> list[Term]:
    return list(s.scalars(select(Term).order_by(Term.code)))


def previous_term_code(code) -> str:
    """2025-2026-2 → 2025-2026-1 → 2024-2025-2."""
    year, no = parse_term_code(code)
    return term_code(year, 1) if no == 2 else term_code(year - 1, 2)


def next_term_code(code) -> str:
    year, no = parse_term_code(code)
    return term_code(year, 2) if no == 1 else term_code(year + 1, 1)


def term_for_date(d: date) -> str:
    """The term a date belongs to. Holidays count with the term before them: a date in
    August is in the spring term of the school year ending then (school years run Sep–Aug),
    a date in early February in the spring term that is about to start."""
    year = school_year_of(d)
    return term_code(year, 1 if d.month >= 9 or d.month == 1 else 2)


def current_term_code(today: date | None = None) -> str:
    return term_for_date(today or date.today())
