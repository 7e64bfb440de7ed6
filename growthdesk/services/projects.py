"""Innovation projects (科创项目): members with one leader, mentors, process log, outcomes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import InnovationProject, ProjectLogEntry, ProjectMember, ProjectMentor, ProjectOutcome, Student
from ..models.enums import (MENTOR_KINDS, OUTCOME_KINDS, PROJECT_KINDS, PROJECT_LOG_STAGES, PROJECT_MEMBER_ROLES,
                            PROJECT_STATUSES)
from . import review
from .evidence import delete_owned
from ._common import as_date, only_editable, bounded_text, get_live, live, not_future, required_text, vocab_code
from .terms import ensure_term, normalise_term_code

_CHILDREN = (ProjectMember, ProjectMentor, ProjectLogEntry, ProjectOutcome)
_EDITABLE = {"title", "kind", "discipline", "summary", "status", "start_date", "end_date", "term_code"}


def get_project(s: Session, project_id: str) -> InnovationProject:
    return get_live(s, InnovationProject, project_id, "科创项目", "project", "project_id")


def _check_students_exist(s: Session, student_ids: list[str]) -> None:
    found = set(s.scalars(select(Student.id).where(Student.id.in_(student_ids), Student.deleted.is_(False))))
    missing = [sid for sid in student_ids if sid not in found]
    if missing:
        raise ValidationError(f"找不到学生：{', '.join(missing)}", f"students not found: {', '.join(missing)}",
                              field="student_ids", value=missing[0])


def _members(s: Session, members) -> list[tuple[str, str]]:
    """Validated (student_id, role) pairs: at least one, no student twice, exactly one leader."""
    pairs = [(str(sid), vocab_code(PROJECT_MEMBER_ROLES, role, "role", "成员角色")) for sid, role in (members or [])]
    if not pairs:
        raise ValidationError("项目至少要有一名学生成员", "a project needs at least one student member", field="members")
    ids = [sid for sid, _ in pairs]
    dupes = sorted({sid for sid in ids if ids.count(sid) > 1})
    if dupes:
        raise ValidationError(f"成员重复：{', '.join(dupes)}", f"duplicate members: {', '.join(dupes)}",
                              field="members", value=dupes[0])
    leaders = sum(1 for _, role in pairs if role == "leader")
    if leaders != 1:
        raise ValidationError(f"项目应有且只有一名负责人（现有 {leaders} 名）",
                              f"a project needs exactly one leader (has {leaders})", field="members", value=leaders)
    _check_students_exist(s, ids)
    return pairs


def _mentor(m: dict) -> dict:
    return {"name": required_text(m.get("name"), "mentor.name", "导师姓名", 50),
            "kind": vocab_code(MENTOR_KINDS, m.get("kind", "in_school"), "mentor.kind", "导师类型"),
            "organisation": bounded_text(m.get("organisation", ""), "mentor.organisation", "导师单位", 100),
            "title": bounded_text(m.get("title", ""), "mentor.title", "导师职称", 50)}


def _dates(start, end):
    start_d = not_future(as_date(start, "start_date", "开始日期"), "start_date", "开始日期")
    end_d = as_date(end, "end_date", "结束日期", required=False)
    if end_d is not None and end_d < start_d:
        raise ValidationError("结束日期不能早于开始日期", "end_date cannot be before start_date", field="end_date", value=end_d)
    return start_d, end_d


def create_project(s: Session, *, title, kind, term_code, start_date, discipline="", summary="", status="proposed",
                   end_date=None, members=(), mentors=()) -> InnovationProject:
    title = required_text(title, "title", "项目名称", 200)
    kind = vocab_code(PROJECT_KINDS, kind, "kind", "项目类型")
    status = vocab_code(PROJECT_STATUSES, status, "status", "项目状态")
    code = normalise_term_code(term_code)
    start_d, end_d = _dates(start_date, end_date)
    pairs = _members(s, members)
    mentor_rows = [_mentor(m) for m in (mentors or [])]
    term = ensure_term(s, code)
    p = InnovationProject(title=title, kind=kind, term_code=term.code, start_date=start_d, end_date=end_d,
                          status=status, discipline=bounded_text(discipline, "discipline", "学科领域", 40),
                          summary=bounded_text(summary, "summary", "项目简介", 4000))
    review.stamp_entry(s, p, start_d, [sid for sid, _ in pairs])
    s.add(p)
    s.flush()
    s.add_all(ProjectMember(project_id=p.id, student_id=sid, role=role) for sid, role in pairs)
    s.add_all(ProjectMentor(project_id=p.id, **m) for m in mentor_rows)
    s.flush()
    return p


def update_project(s: Session, project_id: str, **changes) -> InnovationProject:
    p = get_project(s, project_id)
    only_editable(changes, _EDITABLE)
    review.check_can_edit(s, p)
    values = {}
    if "title" in changes:
        values["title"] = required_text(changes["title"], "title", "项目名称", 200)
    if "kind" in changes:
        values["kind"] = vocab_code(PROJECT_KINDS, changes["kind"], "kind", "项目类型")
    if "status" in changes:
        values["status"] = vocab_code(PROJECT_STATUSES, changes["status"], "status", "项目状态")
    if "discipline" in changes:
        values["discipline"] = bounded_text(changes["discipline"], "discipline", "学科领域", 40)
    if "summary" in changes:
        values["summary"] = bounded_text(changes["summary"], "summary", "项目简介", 4000)
    if "start_date" in changes or "end_date" in changes:
        values["start_date"], values["end_date"] = _dates(changes.get("start_date", p.start_date),
                                                          changes.get("end_date", p.end_date))
    if "term_code" in changes:
        values["term_code"] = ensure_term(s, changes["term_code"]).code
    for key, value in values.items():
        if getattr(p, key) != value:
            setattr(p, key, value)
    s.flush()
    return p


def delete_project(s: Session, project_id: str) -> None:
    """Soft-delete the project and its members, mentors, log entries, outcomes and evidence."""
    p = get_project(s, project_id)
    review.check_can_edit(s, p, action_zh="删除", action_en="delete")
    for model in _CHILDREN:
        for row in s.scalars(live(model).where(model.project_id == p.id)):
            row.deleted = True
    delete_owned(s, "project", p.id)
    p.deleted = True
    s.flush()


def project_members(s: Session, project_id: str) -> list[ProjectMember]:
    """Members, leader first."""
    rows = s.scalars(live(ProjectMember).where(ProjectMember.project_id == project_id)
                     .order_by(ProjectMember.created_at)).all()
    return sorted(rows, key=lambda m: m.role != "leader")


def project_mentors(s: Session, project_id: str) -> list[ProjectMentor]:
    return list(s.scalars(live(ProjectMentor).where(ProjectMentor.project_id == project_id)
                          .order_by(ProjectMentor.kind, ProjectMentor.created_at)))


def project_log(s: Session, project_id: str) -> list[ProjectLogEntry]:
    return list(s.scalars(live(ProjectLogEntry).where(ProjectLogEntry.project_id == project_id)
                          .order_by(ProjectLogEntry.entry_date, ProjectLogEntry.created_at)))


def project_outcomes(s: Session, project_id: str) -> list[ProjectOutcome]:
    return list(s.scalars(live(ProjectOutcome).where(ProjectOutcome.project_id == project_id)
                          .order_by(ProjectOutcome.outcome_date, ProjectOutcome.created_at)))


def add_member(s: Session, project_id: str, student_id: str, role: str = "member") -> ProjectMember:
    p = get_project(s, project_id)
    role = vocab_code(PROJECT_MEMBER_ROLES, role, "role", "成员角色")
    _check_students_exist(s, [student_id])
    current = project_members(s, p.id)
    if any(m.student_id == student_id for m in current):
        raise ValidationError("该学生已是项目成员", "the student is already a member", field="student_id", value=student_id)
    if role == "leader" and any(m.role == "leader" for m in current):
        raise ValidationError("项目已有负责人", "the project already has a leader", field="role", value=role)
    m = ProjectMember(project_id=p.id, student_id=student_id, role=role)
    s.add(m)
    s.flush()
    return m


def remove_member(s: Session, project_id: str, student_id: str) -> None:
    """Remove a member; the leader can only go once another member is made leader."""
    p = get_project(s, project_id)
    current = project_members(s, p.id)
    member = next((m for m in current if m.student_id == student_id), None)
    if member is None:
        raise ValidationError("该学生不是项目成员", "the student is not a member", field="student_id", value=student_id)
    if len(current) == 1:
        raise ValidationError("不能移除唯一的成员", "cannot remove the only member", field="student_id", value=student_id)
    if member.role == "leader":
        raise ValidationError("请先指定新的负责人再移除", "make another member leader before removing the leader",
                              field="student_id", value=student_id)
    member.deleted = True
    s.flush()


def set_leader(s: Session, project_id: str, student_id: str) -> None:
    p = get_project(s, project_id)
    current = project_members(s, p.id)
    if not any(m.student_id == student_id for m in current):
        raise ValidationError("该学生不是项目成员", "the student is not a member", field="student_id", value=student_id)
    for m in current:
        role = "leader" if m.student_id == student_id else "member"
        if m.role != role:
            m.role = role
    s.flush()


def add_mentor(s: Session, project_id: str, *, name, kind="in_school", organisation="", title="") -> ProjectMentor:
    p = get_project(s, project_id)
    row = ProjectMentor(project_id=p.id, **_mentor({"name": name, "kind": kind, "organisation": organisation,
                                                    "title": title}))
    s.add(row)
    s.flush()
    return row


def remove_mentor(s: Session, mentor_id: str) -> None:
    get_live(s, ProjectMentor, mentor_id, "导师", "mentor", "mentor_id").deleted = True
    s.flush()


def add_log_entry(s: Session, project_id: str, stage, entry_date, content) -> ProjectLogEntry:
    p = get_project(s, project_id)
    stage = vocab_code(PROJECT_LOG_STAGES, stage, "stage", "阶段")
    d = not_future(as_date(entry_date, "entry_date", "记录日期"), "entry_date", "记录日期")
    if d < p.start_date:
        raise ValidationError("记录日期不能早于项目开始日期", "entry_date cannot be before the project's start",
                              field="entry_date", value=d)
    row = ProjectLogEntry(project_id=p.id, stage=stage, entry_date=d,
                          content=required_text(content, "content", "记录内容", 8000))
    review.stamp_entry(s, row, d, review.record_students(s, "project", p))
    s.add(row)
    s.flush()
    return row


def add_outcome(s: Session, project_id: str, kind, title, outcome_date=None, reference="") -> ProjectOutcome:
    p = get_project(s, project_id)
    kind = vocab_code(OUTCOME_KINDS, kind, "kind", "成果类型")
    d = as_date(outcome_date, "outcome_date", "成果日期", required=False)
    if d is not None:
        not_future(d, "outcome_date", "成果日期")
    row = ProjectOutcome(project_id=p.id, kind=kind, title=required_text(title, "title", "成果名称", 200),
                         outcome_date=d, reference=bounded_text(reference, "reference", "编号/出处", 100))
    s.add(row)
    s.flush()
    return row


def delete_log_entry(s: Session, entry_id: str) -> None:
    row = get_live(s, ProjectLogEntry, entry_id, "过程记录", "log entry", "entry_id")
    review.check_can_edit(s, row, action_zh="删除", action_en="delete")
    row.deleted = True
    s.flush()


def delete_outcome(s: Session, outcome_id: str) -> None:
    get_live(s, ProjectOutcome, outcome_id, "项目成果", "outcome", "outcome_id").deleted = True
    s.flush()


def list_projects_for_student(s: Session, student_id: str, term_code: str | None = None) -> list[InnovationProject]:
    q = (live(InnovationProject).join(ProjectMember, ProjectMember.project_id == InnovationProject.id)
         .where(ProjectMember.student_id == student_id, ProjectMember.deleted.is_(False)))
    if term_code:
        q = q.where(InnovationProject.term_code == normalise_term_code(term_code))
    return list(s.scalars(q.order_by(InnovationProject.start_date, InnovationProject.title)))
