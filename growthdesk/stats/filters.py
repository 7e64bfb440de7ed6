"""Filters shared by every statistic: term, stage, school category, school.

Validated against the database so a typo fails with the list of valid values instead of
silently returning empty statistics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import School, Term
from ..models.enums import SCHOOL_CATEGORIES, STAGES


@dataclass(frozen=True)
class Filters:
    term: str | None = None       # term code 2025-2026-1; None = all terms
    stage: str | None = None      # primary / junior / senior (the student's stage)
    category: str | None = None   # urban / town / rural (the school's category)
    school: str | None = None     # school code

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self, lang: str = "zh_CN") -> str:
        """A one-line human description for report headers."""
        zh = lang.startswith("zh")
        parts = [
            (("学期 " if zh else "term ") + _term_text(self.term, zh)) if self.term else ("全部学期" if zh else "all terms"),
            _vocab_label(STAGES, self.stage, zh) or ("全部学段" if zh else "all stages"),
            _vocab_label(SCHOOL_CATEGORIES, self.category, zh) or ("全部类别学校" if zh else "all school categories"),
            (("学校 " if zh else "school ") + self.school) if self.school else ("全部学校" if zh else "all schools"),
        ]
        return "；".join(parts) if zh else "; ".join(parts)


def _vocab_label(vocab, code, zh: bool) -> str:
    if not code:
        return ""
    pair = vocab.get(code)
    return code if pair is None else pair[0 if zh else 1]


def _blank(value):
    return None if value is None or str(value).strip() in ("", "all", "*") else str(value).strip()


def make_filters(session: Session, term=None, stage=None, category=None, school=None) -> Filters:
    """Build validated Filters; accepts codes or Chinese/English labels for stage and category."""
    f = Filters(term=_blank(term), stage=_code(STAGES, _blank(stage), "stage", "学段"),
                category=_code(SCHOOL_CATEGORIES, _blank(category), "category", "学校类别"),
                school=_blank(school))
    validate(session, f)
    return f


def _code(vocab, value, field: str, zh_name: str):
    if value is None:
        return None
    for code, (zh, en) in vocab.items():
        if value in (code, zh) or value.lower() == en.lower():
            return code
    raise ValidationError(f"{zh_name}无效：{value}；可选：{'、'.join(z for z, _ in vocab.values())}",
                          f"invalid {field}: {value!r}; valid: {', '.join(vocab)}", field=field, value=value)


def validate(session: Session, f: Filters) -> None:
    if f.term is not None:
        terms = term_codes(session)
        if f.term not in terms:
            raise ValidationError(f"学期不存在：{f.term}；可选：{'、'.join(terms) or '（无）'}",
                                  f"unknown term: {f.term}; valid: {', '.join(terms) or '(none)'}",
                                  field="term", value=f.term)
    if f.school is not None:
        codes = list(session.scalars(select(School.code).order_by(School.code)))
        if f.school not in codes:
            shown = "、".join(codes[:20]) + ("…" if len(codes) > 20 else "")
            raise ValidationError(f"学校代码不存在：{f.school}；可选：{shown or '（无）'}",
                                  f"unknown school: {f.school}; valid: {shown or '(none)'}",
                                  field="school", value=f.school)
    for value, vocab, field, zh in ((f.stage, STAGES, "stage", "学段"),
                                    (f.category, SCHOOL_CATEGORIES, "category", "学校类别")):
        if value is not None and value not in vocab:
            _code(vocab, value, field, zh)


def term_codes(session: Session) -> list[str]:
    """Every term the database knows, oldest first (term codes sort chronologically)."""
    return list(session.scalars(select(Term.code).order_by(Term.code)))


def previous_term(session: Session, code: str) -> str | None:
    return session.scalar(select(Term.code).where(Term.code < code).order_by(Term.code.desc()).limit(1))


def _term_text(code: str, zh: bool) -> str:
    from ..errors import GrowthDeskError
    from ..services.terms import term_label
    try:
        return term_label(code, "zh_CN" if zh else "en")
    except GrowthDeskError:
        return code
