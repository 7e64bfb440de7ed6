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
from ..services.terms import current_term_code

STEP_ORDER = list(archive.STEPS)


def process_by_school(session: Session, term: str | None = None, on: date | None = None,
                      school_code: str | None = None) -> dict:
    term = term or current_term_code(on or utcnow().date())
    steps = archive.class_steps(session, term, on or utcnow().date())
    q = select(SchoolClass.id, SchoolClass.school_code).where(SchoolClass.deleted.is_(False),
                                                              SchoolClass.school_year == int(term[:4]))
    if school_code:
        q = q.where(SchoolClass.school_code == school_code)
    per: dict[str, Counter] = {}
    for cid, code in session.execute(q):
        per.setdefault(code, Counter())[steps.get(cid, "recording")] += 1
    names = dict(session.execute(select(School.code, School.name)).all())
    rows = []
    for code in sorted(per):
        c = per[code]
        rows.append({"school_code": code, "school_name": names.get(code, code), "classes": sum(c.values()),
                     "steps": {k: c.get(k, 0) for k in STEP_ORDER},
                     "archived_share": round(c.get("locked", 0) / max(1, sum(c.values())), 4)})
    return {"term": term, "steps": {k: {"zh": v[0], "en": v[1]} for k, v in archive.STEPS.items()}, "schools": rows}
