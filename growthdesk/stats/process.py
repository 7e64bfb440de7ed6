"""Per school, how far each class is in the term's 综评 process (DESIGN §4a): recording →
selected → in publicity → objections open → awaiting sign-off → adviser signed → archived.

Reads only the tables that travel in bundles (classes, archive items, publicity periods,
objections, sign-offs), so it answers the same on a school and on a district database."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import School, SchoolClass, utcnow
from ..services import archive
from ..services.names import class_label
from ..services.terms import current_term_code

STEP_ORDER = list(archive.STEPS)


def process_by_school(session: Session, term: str | None = None, on: date | None = None,
                      school_code: str | None = None) -> dict:
    """Per school: how many classes are at each step, and each class with its step (the
    district window's table, the 综评进度 sheet and the PDF section)."""
    term = term or current_term_code(on or utcnow().date())
    steps = archive.class_steps(session, term, on or utcnow().date())
    q = select(SchoolClass.id, SchoolClass.school_code, SchoolClass.grade, SchoolClass.class_no).where(
        SchoolClass.deleted.is_(False), SchoolClass.school_year == int(term[:4]))
    if school_code:
        q = q.where(SchoolClass.school_code == school_code)
    per: dict[str, Counter] = {}
    classes: dict[str, list] = {}
    for cid, code, grade, class_no in session.execute(q):
        step = steps.get(cid, "recording")
        per.setdefault(code, Counter())[step] += 1
        classes.setdefault(code, []).append((grade, class_no, step))
    names = dict(session.execute(select(School.code, School.name)).all())
    rows = []
    for code in sorted(per):
        c = per[code]
        rows.append({"school_code": code, "school_name": names.get(code, code), "classes": sum(c.values()),
                     "steps": {k: c.get(k, 0) for k in STEP_ORDER},
                     "archived_share": round(c.get("locked", 0) / max(1, sum(c.values())), 4),
                     "class_steps": [{"grade": g, "class_no": n, "class": class_label(g, n), "step": st,
                                      "step_zh": archive.STEPS[st][0]} for g, n, st in sorted(classes[code])]})
    return {"term": term, "steps": {k: {"zh": v[0], "en": v[1]} for k, v in archive.STEPS.items()}, "schools": rows}


def school_rows(process: dict) -> list[dict]:
    """One row per school: the count of classes at each step (for tables: keys ``step_<code>``)."""
    return [{"school_code": r["school_code"], "school_name": r["school_name"], "classes": r["classes"],
             **{f"step_{k}": v for k, v in r["steps"].items()}, "archived_share": r["archived_share"]}
            for r in process.get("schools", [])]


def class_rows(process: dict) -> list[dict]:
    """One row per school and class with the step it has reached."""
    return [{"school_code": r["school_code"], "school_name": r["school_name"], **c}
            for r in process.get("schools", []) for c in r.get("class_steps", [])]


def _columns():
    from .report import Column
    school = (Column("school_code", "学校代码", "text"), Column("school_name", "学校", "text"),
              Column("classes", "班级数")) + tuple(Column(f"step_{k}", v[0]) for k, v in archive.STEPS.items()) + (
              Column("archived_share", "归档率", "share"),)
    cls = (Column("school_code", "学校代码", "text"), Column("school_name", "学校", "text"),
           Column("class", "班级", "text"), Column("step_zh", "进度", "text"))
    return school, cls


PROCESS_SCHOOL_COLUMNS, PROCESS_CLASS_COLUMNS = _columns()
PROCESS_TITLE = "综评档案进度（写实记录 → 遴选 → 公示 → 异议 → 签字归档）"
