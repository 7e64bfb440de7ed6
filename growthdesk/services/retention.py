"""Nothing kept too long: students who left or graduated long ago are deleted for real.

``due(s)`` lists the students whose status is graduated or transferred out and whose last class
ended more than ``retention_years`` (a setting, default 3) ago; the admin sees the list and
confirms ``purge(db, ids)``. A purge is a real deletion:
- the student and every record that is theirs alone become tombstones (``students.delete_student``)
  that travel in the next bundle, so the district and the workstations delete them too;
- the tombstones keep no personal data (name, number, birth date, note, comments emptied);
- the audit log's before/after copies of those records are removed;
- evidence files no live record uses any more are removed from the disk;
- SQLite's ``secure_delete`` overwrites the freed content and the WAL is checkpointed and
  truncated, so the old pages are not left in the file or beside it.
The access log keeps that it happened (who, when, which record ids; no names).
Automatic backups older than the purge still hold the data until they are pruned (5 are kept);
the school's own manual backups are the school's to destroy (the data inventory says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ..models import (AuditLog, CompetitionResultMember, Enrollment, Evidence, ProcessEvaluation, ProjectMember, Setting,
                      Student, TermEvaluation)
from ..models.enums import STUDENT_STATUSES, label
from . import access, accesslog
from . import students as student_svc

DEFAULT_YEARS = 3
LEFT_STATUSES = ("graduated", "transferred_out")
ANONYMOUS_NAME = "（已匿名）"


@dataclass
class DueStudent:
    id: str
    name: str
    status: str
    status_zh: str
    left_on: date | None


def retention_years(s: Session) -> int:
    row = s.get(Setting, "retention_years")
    try:
        return max(1, int(row.value)) if row is not None else DEFAULT_YEARS
    except ValueError:
        return DEFAULT_YEARS


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due(s: Session, today: date | None = None) -> list[DueStudent]:
    """Students past the retention period, oldest first (for the admin to review)."""
    access.require_role(s, "school_admin")
    today = today or date.today()
    cutoff = _years_before(today, retention_years(s))
    last_end = (select(Enrollment.student_id, func.max(func.coalesce(Enrollment.end_date, Enrollment.start_date))
                       .label("left_on"))
                .where(Enrollment.deleted.is_(False)).group_by(Enrollment.student_id).subquery())
    rows = s.execute(select(Student.id, Student.name, Student.status, last_end.c.left_on, Student.updated_at)
                     .outerjoin(last_end, last_end.c.student_id == Student.id)
                     .where(Student.deleted.is_(False), Student.status.in_(LEFT_STATUSES),
                            Student.name != ANONYMOUS_NAME)).all()  # anonymised ones are done
    out = []
    for sid, name, status, left_on, updated in rows:
        when = left_on if left_on is not None else (updated.date() if updated else None)
        if isinstance(when, str):
            when = date.fromisoformat(when[:10])
        if when is not None and when < cutoff:
            out.append(DueStudent(sid, name, status, label(STUDENT_STATUSES, status), when))
    return sorted(out, key=lambda d: (d.left_on or date.min, d.name))


_SCRUB = {Student: {"name": "", "name_pinyin": "", "national_student_no": None, "birth_date": None, "note": "",
                    "person_key": ""},
          ProcessEvaluation: {"comment": "", "evaluator_name": ""},
          TermEvaluation: {"comment": "", "adviser_name": ""},
          Evidence: {"original_name": "", "note": "", "url": ""}}


def _scrub(row) -> None:
    for field, value in _SCRUB.get(type(row), {}).items():
        if hasattr(row, field):
            setattr(row, field, value)


def delete_for_real(s: Session, student_ids, *, action: str = "retention_delete", reason: str = "") -> dict:
    """Delete ``student_ids`` as described above, in the caller's session; returns counts.
    (``purge`` runs it in its own session and then cleans the file.)"""
    ids = _begin(s, student_ids)
    touched: set[str] = set()
    shas: set[str] = set()
    for sid in ids:
        st = student_svc.get_student(s, sid)
        owned_ids = {sid}
        for model in (Enrollment, ProcessEvaluation, TermEvaluation, ProjectMember, CompetitionResultMember):
            owned_ids |= set(s.scalars(select(model.id).where(model.student_id == sid)))
        ev_rows = _evidence_of(s, sid)
        if not st.deleted:
            student_svc.delete_student(s, sid)
        for ev in ev_rows:
            ev.deleted = True
            if ev.sha256:
                shas.add(ev.sha256)
            owned_ids.add(ev.id)
            _scrub(ev)
        for model in (ProcessEvaluation, TermEvaluation):
            for row in s.scalars(select(model).where(model.student_id == sid)):
                _scrub(row)
        _scrub(st)
        touched |= owned_ids
    return _finish(s, action, ids, touched, shas, reason)


def anonymise(s: Session, student_ids, *, reason: str = "") -> dict:
    """Keep the students' records (levels, awards, projects: the school's statistics stay) but
    remove who they were, in the caller's session: name, 学籍号, birth date, note and the
    district link emptied; free-text comments emptied; evidence (certificates show names)
    removed; the audit log's before/after copies of their records removed. The student rows
    stay live (status graduated / transferred out) and the emptied fields travel as edits."""
    ids = _begin(s, student_ids)
    touched: set[str] = set()
    shas: set[str] = set()
    for sid in ids:
        st = student_svc.get_student(s, sid)
        touched.add(sid)
        ev_rows = _evidence_of(s, sid)
        for model in (ProcessEvaluation, TermEvaluation):
            for row in s.scalars(select(model).where(model.student_id == sid)):
                if getattr(row, "comment", ""):
                    row.comment = ""
                touched.add(row.id)
        for ev in ev_rows:
            if not ev.deleted:
                ev.deleted = True
            if ev.sha256:
                shas.add(ev.sha256)
            _scrub(ev)
            touched.add(ev.id)
        st.name = ANONYMOUS_NAME
        st.name_pinyin = ""
        st.national_student_no = None
        st.birth_date = None
        st.note = ""
        st.person_key = ""
    return _finish(s, "retention_anonymise", ids, touched, shas, reason)


def _begin(s: Session, student_ids) -> list[str]:
    """Only the school admin removes data, and SQLite overwrites what it frees."""
    access.require_role(s, "school_admin")
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA secure_delete=ON"))
    return [str(i) for i in student_ids]


def _evidence_of(s: Session, sid: str) -> list[Evidence]:
    """A student's evidence files: their own and their process evaluations'."""
    evals = list(s.scalars(select(ProcessEvaluation.id).where(ProcessEvaluation.student_id == sid)))
    return list(s.scalars(select(Evidence).where(
        ((Evidence.owner_type == "student") & (Evidence.owner_id == sid))
        | ((Evidence.owner_type == "evaluation") & Evidence.owner_id.in_(evals or ["-"])))))


def _finish(s: Session, action: str, ids: list[str], touched: set[str], shas: set[str], reason: str) -> dict:
    """Drop the audit log's copies of the touched records, log the removal, note the files to clean."""
    s.flush()
    audit = 0
    touched_list = sorted(touched)
    for i in range(0, len(touched_list), 500):
        audit += s.execute(delete(AuditLog).where(AuditLog.record_id.in_(touched_list[i:i + 500]))).rowcount or 0
    accesslog.record(s, action, ids, reason=reason, detail=f"{len(ids)} students, {len(touched)} records")
    s.info.setdefault("purged_shas", set()).update(shas)
    return {"students": len(ids), "records": len(touched), "audit_entries_removed": audit, "evidence_files": sorted(shas)}


def purge(db, student_ids, *, user: str | None = None, action: str = "retention_delete", reason: str = "",
          mode: str = "delete") -> dict:
    """``delete_for_real`` (``mode="anonymise"``: ``anonymise``) in one transaction, then the
    unused evidence files and the WAL."""
    if mode not in ("delete", "anonymise"):
        raise ValueError(f"unknown retention mode {mode!r}")
    with db.session(user=user or "") as s:
        if mode == "anonymise":
            result = anonymise(s, student_ids, reason=reason)
        else:
            result = delete_for_real(s, student_ids, action=action, reason=reason)
        shas = s.info.pop("purged_shas", set())
    result["evidence_files_removed"] = _remove_unused_files(db, shas)
    _checkpoint(db)
    return result


def _remove_unused_files(db, shas: set[str]) -> int:
    from .evidence import evidence_file_path
    if not shas or db.path is None:
        return 0
    with db.session() as s:
        still = set(s.scalars(select(Evidence.sha256).where(Evidence.sha256.in_(sorted(shas)),
                                                              Evidence.deleted.is_(False))))
    removed = 0
    for sha in shas - still:
        path = evidence_file_path(db.path, sha)
        if path.is_file():
            path.unlink()
            removed += 1
    return removed


def _checkpoint(db) -> None:
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def set_retention_years(s: Session, years: int) -> None:
    access.require_role(s, "school_admin")
    from ..db import write_settings
    from ..errors import ValidationError
    if not isinstance(years, int) or not 1 <= years <= 30:
        raise ValidationError("保存年限应为 1 到 30 年", "the retention period must be 1 to 30 years", field="years",
                              value=years)
    write_settings(s, {"retention_years": str(years)})


__all__ = ["due", "purge", "delete_for_real", "anonymise", "ANONYMOUS_NAME", "retention_years", "set_retention_years", "DueStudent", "DEFAULT_YEARS"]
