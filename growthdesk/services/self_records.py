"""写实记录: a student's own record of an activity (what, when, where, hours, role, reflection)
or their self evaluation. Students write them; a teacher reviews, never writes for them
(a teacher may enter one on a student's behalf from paper, and it shows as such)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import SelfRecord, Student
from ..models.enums import SELF_RECORD_KINDS
from . import review
from ._common import as_date, bounded_text, get_live, live, not_future, only_editable, required_text, vocab_code
from .terms import ensure_term, normalise_term_code, term_for_date

EDITABLE = {"kind", "title", "activity_date", "end_date", "place", "hours", "role", "reflection", "term_code"}


def _hours(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        h = float(str(value).strip())
    except ValueError:
        h = -1.0
    if not 0 <= h <= 1000 or h != h:
        raise ValidationError(f"时长应为 0 到 1000 之间的小时数：{value}", f"hours must be 0-1000: {value!r}",
                              field="hours", value=value)
    return round(h, 1)


def _values(s: Session, data: dict, current: SelfRecord | None = None) -> dict:
    get = lambda k: data[k] if k in data else (getattr(current, k) if current is not None else None)
    kind = vocab_code(SELF_RECORD_KINDS, get("kind") or "activity", "kind", "记录类型")
    d = not_future(as_date(get("activity_date"), "activity_date", "活动日期"), "activity_date", "活动日期")
    end = as_date(get("end_date"), "end_date", "结束日期", required=False)
    if end is not None and end < d:
        raise ValidationError("结束日期不能早于活动日期", "end_date cannot be before activity_date", field="end_date", value=end)
    code = normalise_term_code(get("term_code")) if get("term_code") else term_for_date(d)
    return {"kind": kind, "activity_date": d, "end_date": end, "term_code": ensure_term(s, code).code,
            "title": required_text(get("title"), "title", "活动内容" if kind == "activity" else "标题", 200),
            "place": bounded_text(get("place") or "", "place", "地点", 100),
            "hours": _hours(get("hours")), "role": bounded_text(get("role") or "", "role", "角色", 50),
            "reflection": bounded_text(get("reflection") or "", "reflection", "收获与反思", 4000)}


def create_self_record(s: Session, *, student_id: str, **data) -> SelfRecord:
    st = get_live(s, Student, student_id, "学生", "student", "student_id")
    values = _values(s, data)
    row = SelfRecord(student_id=st.id, **values)
    review.stamp_entry(s, row, values["activity_date"], [st.id])
    s.add(row)
    s.flush()
    return row


def update_self_record(s: Session, record_id: str, **changes) -> SelfRecord:
    row = review.get_record(s, "self_record", record_id)
    only_editable(changes, EDITABLE)
    review.check_can_edit(s, row)
    for key, value in _values(s, changes, row).items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    s.flush()
    return row


def delete_self_record(s: Session, record_id: str) -> None:
    row = review.get_record(s, "self_record", record_id)
    review.check_can_edit(s, row, action_zh="删除", action_en="delete")
    row.deleted = True
    s.flush()


def list_self_records(s: Session, student_id: str, term_code: str | None = None,
                      approved_only: bool = False) -> list[SelfRecord]:
    """The student's self records, oldest first. Drafts show only to their author."""
    review.require_student_access(s, student_id)
    q = live(SelfRecord).where(SelfRecord.student_id == student_id)
    if term_code:
        q = q.where(SelfRecord.term_code == normalise_term_code(term_code))
    if approved_only:
        q = q.where(SelfRecord.state == review.APPROVED)
    else:
        login = s.info.get("user") or ""
        q = q.where(or_(SelfRecord.state != review.DRAFT, SelfRecord.entered_by == login))
    return list(s.scalars(q.order_by(SelfRecord.activity_date, SelfRecord.created_at)))
