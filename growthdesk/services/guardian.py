"""A guardian's request (PIPL art. 45–47): see everything held about one student, correct it,
or delete it. Each is for a school admin, needs the request's reason, and is logged.

- ``export_all(db, student_id, out_dir, reason=)``: one spreadsheet (a sheet per kind of record:
  every field the database keeps about the student, raw values) and one PDF listing the same,
  both owner-only files;
- ``correct(db, student_id, changes, reason=)``: ``students.update_student`` plus the log entry;
- ``delete(db, student_id, reason=)``: the real deletion of ``retention.purge``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from ..models import (CompetitionResult, CompetitionResultMember, Enrollment, Evidence, InnovationProject,
                      ProcessEvaluation, ProjectMember, Student, TermEvaluation)
from . import access, accesslog
from . import students as student_svc

_SKIP = {"usn", "school_code", "deleted", "updated_by", "clock", "versions", "name_pinyin", "person_key"}


def _row(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in sa_inspect(type(obj)).mapper.column_attrs if c.key not in _SKIP}


def _cell(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    return v


def gather(s, student_id: str) -> list[tuple[str, list[dict]]]:
    """Every record about the student, by kind (live records only)."""
    st = student_svc.get_student(s, student_id)
    sections: list[tuple[str, list[dict]]] = [("学生 Student", [_row(st)])]

    def live(model, *where):
        return [_row(r) for r in s.scalars(select(model).where(model.deleted.is_(False), *where))]
    sections.append(("在班记录 Enrollment", live(Enrollment, Enrollment.student_id == student_id)))
    sections.append(("过程性评价 Evaluations", live(ProcessEvaluation, ProcessEvaluation.student_id == student_id)))
    sections.append(("期末评价 Term evaluations", live(TermEvaluation, TermEvaluation.student_id == student_id)))
    result_ids = list(s.scalars(select(CompetitionResultMember.result_id).where(
        CompetitionResultMember.student_id == student_id, CompetitionResultMember.deleted.is_(False))))
    sections.append(("竞赛获奖 Awards", live(CompetitionResult, CompetitionResult.id.in_(result_ids or ["-"]))))
    project_ids = list(s.scalars(select(ProjectMember.project_id).where(
        ProjectMember.student_id == student_id, ProjectMember.deleted.is_(False))))
    sections.append(("科创项目 Projects", live(InnovationProject, InnovationProject.id.in_(project_ids or ["-"]))))
    evals = [r["id"] for r in sections[2][1]]
    sections.append(("佐证材料 Evidence", live(Evidence, ((Evidence.owner_type == "student") & (Evidence.owner_id == student_id))
                                              | ((Evidence.owner_type == "evaluation") & Evidence.owner_id.in_(evals or ["-"]))
                                              | ((Evidence.owner_type == "result") & Evidence.owner_id.in_(result_ids or ["-"]))
                                              | ((Evidence.owner_type == "project") & Evidence.owner_id.in_(project_ids or ["-"])))))
    return sections


def export_all(db, student_id: str, out_dir: str | Path, *, reason: str, user: str | None = None) -> dict:
    """Write ``<out_dir>/guardian-<date>.xlsx`` and ``.pdf`` with everything about the student."""
    from ..fileperms import private_dir, tighten
    from ..sheets.writer import write_table_workbook
    out_dir = private_dir(Path(out_dir))
    with db.session(user=user or "") as s:
        access.require_role(s, "school_admin")
        accesslog.record(s, "guardian_export", [student_id], reason=reason)  # refuses without a reason, first
        sections = gather(s, student_id)
    stamp = date.today().isoformat()
    xlsx = out_dir / f"guardian-{stamp}.xlsx"
    sheets = []
    for title, rows in sections:
        headers = list(rows[0]) if rows else ["（无 none）"]
        sheets.append((title[:31], headers, [[_cell(r[h]) for h in headers] for r in rows]))
    write_table_workbook(xlsx, sheets)
    pdf = out_dir / f"guardian-{stamp}.pdf"
    _write_pdf(pdf, sections)
    for f in (xlsx, pdf):
        tighten(f)
    return {"xlsx": str(xlsx), "pdf": str(pdf), "records": sum(len(r) for _, r in sections)}


def _write_pdf(path: Path, sections) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from ..reports.fonts import markup, register_reportlab_font
    font = register_reportlab_font()
    head = ParagraphStyle("h", fontName=font, fontSize=13, leading=18, spaceBefore=8)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=13)
    story = [Paragraph(markup("学生个人信息副本（应监护人要求导出）Everything held about this student"), head),
             Paragraph(markup(f"导出日期 {date.today().isoformat()}"), body), Spacer(1, 4 * mm)]
    for title, rows in sections:
        story.append(Paragraph(markup(f"{title}（{len(rows)}）"), head))
        for r in rows:
            text = "；".join(f"{k}: {_cell(v)}" for k, v in r.items() if v not in (None, ""))
            story.append(Paragraph(markup(text), body))
            story.append(Spacer(1, 2 * mm))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title="Guardian export").build(story)


def correct(db, student_id: str, changes: dict, *, reason: str, user: str | None = None):
    """Correct the student's own fields at a guardian's request (logged with the reason)."""
    with db.session(user=user or "") as s:
        access.require_role(s, "school_admin")
        accesslog.record(s, "guardian_correct", [student_id], reason=reason, detail=",".join(sorted(changes)))
        return student_svc.update_student(s, student_id, **changes)


def delete(db, student_id: str, *, reason: str, user: str | None = None) -> dict:
    """Delete everything about the student at a guardian's request (as ``retention.purge``)."""
    from . import retention
    if len(str(reason or "").strip()) < 2:
        with db.session(user=user or "") as s:
            accesslog.record(s, "guardian_delete", [student_id], reason=reason)  # raises: a reason is needed
    return retention.purge(db, [student_id], user=user, action="guardian_delete", reason=reason)


__all__ = ["gather", "export_all", "correct", "delete"]
