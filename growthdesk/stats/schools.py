"""The district's school list: category, bundles received, sequence gaps, days since the last
bundle, row counts, and whether the school is *behind*.

A school is behind when it never sent a bundle that imported, when its last imported bundle is
older than ``max_days`` days, or when its imported sequence numbers have gaps (a bundle was
lost or refused and not re-sent: DESIGN §5 says a gap must show, not be skipped).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (CompetitionResult, ImportLog, InnovationProject, ProcessEvaluation, School,
                      Student, utcnow)
from ..models.enums import SCHOOL_CATEGORIES
from .queries import num

BEHIND_DAYS = 30
IMPORTED = "imported"
# Tables counted per school in the list: key, model.
COUNTED = [("students", Student), ("results", CompetitionResult), ("projects", InnovationProject),
           ("evaluations", ProcessEvaluation)]


def sequence_gaps(sequences) -> list[int]:
    """Sequence numbers missing between 1 and the highest one received."""
    got = {s for s in sequences if s is not None}
    return [n for n in range(1, max(got, default=0) + 1) if n not in got]


def _bundles(session: Session) -> dict[str, dict]:
    log = ImportLog.__table__
    q = (select(log.c.school_code, log.c.sequence, func.max(log.c.imported_at).label("at"))
         .where(log.c.result == IMPORTED).group_by(log.c.school_code, log.c.sequence))
    out: dict[str, dict] = {}
    for r in session.execute(q):
        b = out.setdefault(r.school_code, {"sequences": set(), "last": None})
        b["sequences"].add(r.sequence)
        if b["last"] is None or r.at > b["last"]:
            b["last"] = r.at
    return out


def _row_counts(session: Session) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for key, model in COUNTED:
        t = model.__table__
        q = select(t.c.school_code, func.count()).where(~t.c.deleted).group_by(t.c.school_code)
        for code, n in session.execute(q):
            counts.setdefault(code, {})[key] = num(n)
    return counts


def school_list(session: Session, *, now: datetime | None = None, max_days: int = BEHIND_DAYS,
                category: str | None = None) -> list[dict]:
    """One row per registered school, ordered by code."""
    now = now or utcnow()
    bundles, counts = _bundles(session), _row_counts(session)
    q = select(School.code, School.name, School.category, School.stages).order_by(School.code)
    if category:
        q = q.where(School.category == category)
    rows = []
    for code, name, cat, stages in session.execute(q):
        b = bundles.get(code, {"sequences": set(), "last": None})
        gaps = sequence_gaps(b["sequences"])
        days = (now - b["last"]).days if b["last"] else None
        reasons = _behind_reasons(days, gaps, max_days)
        c = counts.get(code, {})
        rows.append({"school_code": code, "school_name": name, "category": cat,
                     "category_zh": SCHOOL_CATEGORIES.get(cat, (cat, cat))[0], "stages": stages,
                     "bundles": len(b["sequences"]), "last_sequence": max(b["sequences"], default=0),
                     "last_bundle_at": b["last"].isoformat(sep=" ", timespec="minutes") if b["last"] else None,
                     "days_since_last": days, "gaps": gaps,
                     **{key: c.get(key, 0) for key, _ in COUNTED},
                     "behind": bool(reasons), "behind_reasons": reasons})
    return rows


def _behind_reasons(days: int | None, gaps: list[int], max_days: int) -> list[str]:
    reasons = []
    if days is None:
        reasons.append("从未收到数据包")
    elif days > max_days:
        reasons.append(f"{days} 天未收到数据包")
    if gaps:
        reasons.append("缺少序号 " + "、".join(str(g) for g in gaps[:10]) + ("…" if len(gaps) > 10 else ""))
    return reasons
