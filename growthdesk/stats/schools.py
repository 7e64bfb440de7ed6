"""The district's school list: category, bundles received, sequence gaps, days since the last
bundle, row counts, and whether the school is *behind*.

A school is behind when it never sent a bundle that imported, when its last bundle is older than
``max_days`` days, or when its imported sequence numbers have gaps (a bundle was lost or refused
and not re-sent: DESIGN §5 says a gap must show, not be skipped). Gaps and sequences are read
the way the sync engine reads them for receipts (``sync.receipts.coverage``), so the list and
the receipts agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (CompetitionResult, ImportLog, InnovationProject, ProcessEvaluation, School,
                      Student, utcnow)
from ..models.enums import SCHOOL_CATEGORIES
from ..sync.receipts import coverage, gap_texts, log_entry
from ..services.names import local_time_text
from .queries import num

BEHIND_DAYS = 30
IMPORTED = "imported"
# Tables counted per school in the list: key, model.
COUNTED = [("students", Student), ("results", CompetitionResult), ("projects", InnovationProject),
           ("evaluations", ProcessEvaluation)]


def _bundles(session: Session) -> dict[str, dict]:
    """Per school, the sync engine's own reading of its import log (``sync.receipts.coverage``):
    last sequence, gaps (a full bundle closes the gaps before it), bundles, last received."""
    log = ImportLog.__table__
    q = (select(log.c.school_code, log.c.sequence, log.c.counts_json, log.c.imported_at, log.c.result,
                log.c.file_sha256)
         .where(log.c.result.in_([IMPORTED, "duplicate", "rejected"])).order_by(log.c.id))
    entries: dict[str, list[tuple]] = {}
    for r in session.execute(q):
        entry = log_entry(r.sequence, r.counts_json, r.imported_at, r.result, r.file_sha256)
        if entry is not None:
            entries.setdefault(r.school_code, []).append(entry)
    out = {}
    for code, rows in entries.items():
        cov = coverage(rows)
        cov["last"] = max((e[3] for e in rows if e[4] != "reused"), default=None)
        out[code] = cov
    return out


def tombstone_condition(table):
    """``deleted = true``, spelled as the partial tombstone indexes (``models.stats.tombstone_index``) spell it."""
    return table.c.deleted == True  # noqa: E712 (SQL, not Python truthiness)


def _row_counts(session: Session) -> dict[str, dict[str, int]]:
    """Live rows per school: all rows (an index-only count on ``school_code``) minus tombstones
    (few, and found through a small partial index): no table row is read."""
    counts: dict[str, dict[str, int]] = {}
    for key, model in COUNTED:
        t = model.__table__
        for code, n in session.execute(select(t.c.school_code, func.count()).group_by(t.c.school_code)):
            counts.setdefault(code, {})[key] = num(n)
        dead = select(t.c.school_code, func.count()).where(tombstone_condition(t)).group_by(t.c.school_code)
        for code, n in session.execute(dead):
            counts[code][key] -= num(n)
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
        b = bundles.get(code, {"last_sequence": 0, "gaps": [], "bundles": 0, "last": None})
        gaps = gap_texts(b["gaps"], limit=3)  # ranges as text, at most 3: a cell and a PDF row stay short
        days = (now - b["last"]).days if b["last"] else None
        reasons = _behind_reasons(days, gaps, max_days)
        c = counts.get(code, {})
        rows.append({"school_code": code, "school_name": name, "category": cat,
                     "category_zh": SCHOOL_CATEGORIES.get(cat, (cat, cat))[0], "stages": stages,
                     "bundles": b["bundles"], "last_sequence": b["last_sequence"],
                     "last_bundle_at": b["last"].isoformat(sep=" ", timespec="minutes") if b["last"] else None,
                     "last_bundle_local": local_time_text(b["last"]),  # what a person reads
                     "days_since_last": days, "gaps": gaps,
                     **{key: c.get(key, 0) for key, _ in COUNTED},
                     "behind": bool(reasons), "behind_reasons": reasons})
    return rows


def _behind_reasons(days: int | None, gaps: list[str], max_days: int) -> list[str]:
    reasons = []
    if days is None:
        reasons.append("从未收到数据包")
    elif days > max_days:
        reasons.append(f"{days} 天未收到数据包")
    if gaps:
        reasons.append("缺少序号 " + "、".join(gaps))
    return reasons
