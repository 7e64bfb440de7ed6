"""Class summary workbook: one row per student for one term.

Term dimension scores (the rubric's role-weighted rule, from ``services.views.term_table``),
overall score, value added against the previous term, the adviser's term levels and comment,
and counts of innovation projects and competition awards. A second sheet explains the rubric
so the numbers can be read without the app.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CompetitionResult, CompetitionResultMember, InnovationProject, ProjectMember, Student
from ..models.enums import EVALUATOR_ROLES, GENDERS, LEVEL_ORDER, label
from ..services import rubric as rubric_svc
from ..services import students as student_svc
from ..services import views
from ..services.names import class_label, mask_student_no
from ..services.terms import normalise_term_code, term_label
from .writer import Styled, write_table_workbook

HIGH_LEVELS = set(LEVEL_ORDER[:3])  # international, national, provincial
SCORE_FORMAT = "0.0"
DELTA_FORMAT = "+0.0;-0.0;0.0"


def _award_counts(s: Session, ids: list[str], term_code: str) -> tuple[Counter, Counter, Counter]:
    """Per student: awards this term, awards in all, awards at provincial level or above."""
    q = (select(CompetitionResultMember.student_id, CompetitionResult.term_code, CompetitionResult.level)
         .join(CompetitionResult, CompetitionResult.id == CompetitionResultMember.result_id)
         .where(CompetitionResultMember.student_id.in_(ids), CompetitionResultMember.deleted.is_(False),
                CompetitionResult.deleted.is_(False), CompetitionResult.state == "approved"))
    term, total, high = Counter(), Counter(), Counter()
    for sid, code, level in s.execute(q):
        total[sid] += 1
        if code == term_code:
            term[sid] += 1
        if level in HIGH_LEVELS:
            high[sid] += 1
    return term, total, high


def _project_counts(s: Session, ids: list[str]) -> Counter:
    q = (select(ProjectMember.student_id)
         .join(InnovationProject, InnovationProject.id == ProjectMember.project_id)
         .where(ProjectMember.student_id.in_(ids), ProjectMember.deleted.is_(False),
                InnovationProject.deleted.is_(False), InnovationProject.state == "approved"))
    return Counter(s.scalars(q))


def class_summary_rows(s: Session, class_id: str, term_code: str) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the summary table (also usable by the UI or other exports)."""
    rub = rubric_svc.active_rubric(s)
    table = views.term_table(s, class_id, term_code)
    ids = [r.student_id for r in table]
    added = rubric_svc.class_value_added(s, ids, term_code, rub) if ids else {}
    genders = {sid: g for sid, g in s.execute(select(Student.id, Student.gender).where(Student.id.in_(ids)))}
    term_awards, all_awards, high_awards = _award_counts(s, ids, term_code) if ids else (Counter(),) * 3
    projects = _project_counts(s, ids) if ids else Counter()
    dims = rub.dimensions
    headers = (["序号", "学籍号", "姓名", "性别"] + [f"{d.short_zh}·{d.name_zh}" for d in dims] + ["综合得分"]
               + [f"{d.short_zh}·增值" for d in dims] + [f"{d.short_zh}·等级" for d in dims]
               + ["科创项目数", "本学期获奖数", "累计获奖数", "省级及以上获奖", "班主任评语"])
    rows = []
    for n, r in enumerate(table, start=1):
        delta = added.get(r.student_id, {})
        rows.append([n, mask_student_no(r.national_student_no), r.name, label(GENDERS, genders.get(r.student_id))]
                    + [_score(r.scores.get(d.code)) for d in dims] + [_score(r.overall)]
                    + [_delta(delta.get(d.code)) for d in dims] + [r.levels.get(d.code, "") for d in dims]
                    + [projects[r.student_id], term_awards[r.student_id], all_awards[r.student_id],
                       high_awards[r.student_id], r.comment])
    return headers, rows


def _score(v: float | None):
    return None if v is None else Styled(round(float(v), 1), SCORE_FORMAT)


def _delta(v: float | None):
    return None if v is None else Styled(round(float(v), 1), DELTA_FORMAT)


def _rubric_rows(rub) -> list[list[Any]]:
    rows = [[d.short_zh, d.name_zh, d.code, Styled(d.weight, "0%")] for d in rub.dimensions]
    rows.append([])
    rows += [["等级", f"{lv.code}（{lv.label_zh}）", f"计 {lv.score:g} 分", f"{lv.min:g} 分及以上"] for lv in rub.levels]
    rows.append([])
    rows += [["评价主体权重", label(EVALUATOR_ROLES, role), role, Styled(w, "0%")]
             for role, w in rub.role_weights.items()]
    return rows


def write_class_summary(db, class_text, term: str, out: str | Path) -> dict[str, Any]:
    """Write the class's term summary to ``out`` (.xlsx)."""
    code = normalise_term_code(term)
    with db.session() as s:
        cls = student_svc.find_class(s, class_text)
        from ..services import access
        if not access.may_see_class(s, access.actor(s), cls.id):
            access.require_role(s, "school_admin")  # says who may, and refuses
        headers, rows = class_summary_rows(s, cls.id, code)
        rub = rubric_svc.active_rubric(s)
        name = class_label(cls.grade, cls.class_no)
    title = f"{name}{term_label(code)}汇总"
    path = write_table_workbook(out, [(title, headers, rows),
                                      ("评价方案说明", ["项目", "名称", "代码", "权重/分值"], _rubric_rows(rub))])
    from ..fileperms import tighten
    from ..services import accesslog
    tighten(path)
    with db.session() as s:
        ids = [st.id for st in student_svc.students_in_class(s, cls.id)]
        accesslog.record(s, "export_sheet", ids, detail=f"{code} {Path(path).name}")
    return {"path": str(path), "class": name, "term": code, "students": len(rows)}
