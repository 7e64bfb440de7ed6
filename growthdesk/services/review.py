"""写实记录 → 审核: who may do what with a record, its provenance, its state, the review queue.

Every record that can go into the archive carries ``models.ReviewMixin``: its state (draft →
submitted → approved, or returned with a reason) and its provenance (entered by whom, in which
role, when; *back-filled* when entered more than ``backfill_days`` days after the event, a
school setting, default 30). Only approved records count in statistics, the cultivation list
and the final portfolio; a draft is its author's alone.

Who is acting is the session's user (``Database.session(user=login)``):
- a ``student`` account belongs to one student and may only enter and edit that student's own
  records while they are drafts or returned; it submits them for review;
- a teacher or adviser may see, enter for (on behalf, shown as such), approve and return the
  records of the students of their classes; a school admin those of every class;
- no user (scripts, the demo, imports) enters records as ``import`` and approved.
The role checks here are this module's own (student: self only; teacher: their classes); the
privacy work unifies them later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, union_all, literal
from sqlalchemy.orm import Session

from ..errors import NotFoundError, PermissionDenied, ValidationError
from ..models import (Competition, CompetitionResult, CompetitionResultMember, InnovationProject, ProjectLogEntry,
                      ProjectMember, SchoolClass, SelfRecord, Setting, Student, User, utcnow)
from ..models.enums import ENTERED_ROLES, RECORD_STATES, RECORD_TYPES, label
from ._common import required_text, setting
from .names import format_date, local_date

APPROVED, DRAFT, SUBMITTED, RETURNED = "approved", "draft", "submitted", "returned"
MODELS = {"result": CompetitionResult, "project": InnovationProject, "project_log": ProjectLogEntry,
          "self_record": SelfRecord}
TYPE_OF = {m: t for t, m in MODELS.items()}
BACKFILL_SETTING, BACKFILL_DEFAULT = "backfill_days", 30
STAFF_ALL = ("school_admin",)


# ---------------------------------------------------------------- who is acting

def current_user(s: Session) -> User | None:
    """The session's user, or None for scripts, the demo and imports (no account of that login)."""
    login = s.info.get("user") or ""
    if not login:
        return None
    cache = s.info.setdefault("_review_users", {})
    if login not in cache:
        cache[login] = s.scalar(select(User).where(func.lower(User.login) == login.lower()))
    return cache[login]


def is_student(user: User | None) -> bool:
    return user is not None and user.role == "student"


def staff_class_ids(s: Session, user: User) -> set[str] | None:
    """The classes a staff user reviews: None = every class (school admin)."""
    if user.role in STAFF_ALL:
        return None
    from .users import visible_class_ids
    return visible_class_ids(s, user)


def require_student_access(s: Session, student_id: str, user: User | None = None) -> None:
    """A student sees only themself; a teacher or adviser only the students of their classes."""
    user = user if user is not None else current_user(s)
    if user is None or user.role in STAFF_ALL or user.role == "district_staff":
        return
    if is_student(user):
        if user.student_id != student_id:
            raise PermissionDenied("学生账户只能查看和填写本人的记录", "a student account sees and enters only its own records",
                                   field="student_id", value=student_id)
        return
    cls = s.scalar(select(Student.class_id).where(Student.id == student_id))
    classes = staff_class_ids(s, user) or set()
    if cls not in classes and not _was_in(s, student_id, classes):
        raise PermissionDenied("这名学生不在您任教或担任班主任的班级中", "this student is not in one of your classes",
                               field="student_id", value=student_id)


def _was_in(s: Session, student_id: str, classes: set[str]) -> bool:
    """The student was in one of these classes in an earlier term (enrollment history): an
    adviser looking back at last year's class sees its pupils as they were then."""
    from ..models import Enrollment
    if not classes:
        return False
    return bool(s.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.student_id == student_id, Enrollment.class_id.in_(classes), Enrollment.deleted.is_(False))))


def require_any_student(s: Session, student_ids: list[str], user: User | None = None) -> None:
    """Staff: at least one of the students is in one of their classes (team records)."""
    user = user if user is not None else current_user(s)
    if user is None or is_student(user) or user.role in STAFF_ALL or user.role == "district_staff" or not student_ids:
        if is_student(user) and user.student_id not in student_ids:
            raise PermissionDenied("学生账户只能查看和填写本人的记录", "a student account sees and enters only its own "
                                   "records", field="student_id", value=student_ids[0] if student_ids else None)
        return
    classes = staff_class_ids(s, user) or set()
    mine = s.scalar(select(func.count()).select_from(Student).where(Student.id.in_(student_ids),
                                                                    Student.class_id.in_(classes)))
    if not mine:
        raise PermissionDenied("这条记录的学生不在您任教或担任班主任的班级中", "the record's students are not in your classes",
                               field="student_id", value=student_ids[0])


# ---------------------------------------------------------------- provenance

def backfill_days(s: Session) -> int:
    try:
        return max(0, int(setting(s, BACKFILL_SETTING, str(BACKFILL_DEFAULT))))
    except ValueError:
        return BACKFILL_DEFAULT


def set_backfill_days(s: Session, days) -> int:
    try:
        n = int(days)
    except (TypeError, ValueError):
        n = -1
    if not 1 <= n <= 365:
        raise ValidationError("补录天数应为 1 到 365 之间的整数", "the back-fill threshold must be 1-365 days",
                              field=BACKFILL_SETTING, value=days)
    row = s.get(Setting, BACKFILL_SETTING)
    if row is None:
        s.add(Setting(key=BACKFILL_SETTING, value=str(n)))
    else:
        row.value = str(n)
    s.flush()
    return n


def stamp_entry(s: Session, obj, event_date: date | None, student_ids: list[str]) -> None:
    """Provenance and first state of a new record; refuses a student entering for another."""
    user = current_user(s)
    now = utcnow()
    obj.entered_at = now
    obj.entered_by = (s.info.get("user") or "")[:64]
    obj.backfilled = bool(event_date is not None and (now.date() - event_date).days > backfill_days(s))
    obj.return_reason = ""
    if user is None:  # demo, scripts, imports: when the thing was first written down is unknown
        obj.entered_role, obj.state, obj.backfilled = "import", APPROVED, False
        return
    if is_student(user):
        if user.student_id not in student_ids:
            raise PermissionDenied("学生只能为自己填写记录", "a student may enter records only for themself",
                                   field="student_ids", value=user.student_id)
        obj.entered_role, obj.state = "student", DRAFT
        return
    require_any_student(s, student_ids, user)  # a team may have members from other classes
    obj.entered_role = "teacher"
    obj.state, obj.reviewed_by, obj.reviewed_at = APPROVED, user.login, now


def record_students(s: Session, rtype: str, obj) -> list[str]:
    if rtype == "self_record":
        return [obj.student_id]
    if rtype == "result":
        return list(s.scalars(select(CompetitionResultMember.student_id).where(
            CompetitionResultMember.result_id == obj.id, CompetitionResultMember.deleted.is_(False))))
    project_id = obj.id if rtype == "project" else obj.project_id
    return list(s.scalars(select(ProjectMember.student_id).where(
        ProjectMember.project_id == project_id, ProjectMember.deleted.is_(False))))


def get_record(s: Session, rtype: str, record_id: str):
    model = MODELS.get(rtype)
    if model is None:
        raise ValidationError(f"未知的记录类型：{rtype}", f"unknown record type: {rtype}", field="record_type", value=rtype)
    obj = s.get(model, record_id) if record_id else None
    if obj is None or obj.deleted:
        raise NotFoundError(f"找不到{label(RECORD_TYPES, rtype)}：{record_id}", f"{rtype} not found: {record_id}",
                            field="record_id", value=record_id)
    return obj


def check_can_edit(s: Session, obj, *, action_zh: str = "修改", action_en: str = "edit") -> None:
    """Refuse an edit (or deletion) of ``obj`` that its state, the archive or the user forbid."""
    rtype = TYPE_OF[type(obj)]
    from .archive import frozen_reason
    why = frozen_reason(s, rtype, obj.id)
    if why is not None:
        raise ValidationError(f"不能{action_zh}：{why[0]}", f"cannot {action_en}: {why[1]}", field="state", value=obj.id)
    user = current_user(s)
    if user is None:
        return
    if is_student(user):
        if user.student_id not in record_students(s, rtype, obj) or obj.entered_by.lower() != user.login.lower():
            raise PermissionDenied(f"学生只能{action_zh}本人填写的记录", f"a student may {action_en} only records they entered",
                                   field="record_id", value=obj.id)
        if obj.state not in (DRAFT, RETURNED):
            raise ValidationError(f"这条记录{label(RECORD_STATES, obj.state)}，学生不能再{action_zh}",
                                  f"the record is {obj.state}; a student can no longer {action_en} it",
                                  field="state", value=obj.state)
        return
    if obj.state == DRAFT and obj.entered_role == "student":
        raise PermissionDenied("草稿只属于填写它的学生，提交后才能审核", "a draft belongs to the student who wrote it",
                               field="state", value=obj.state)
    require_any_student(s, record_students(s, rtype, obj), user)


# ---------------------------------------------------------------- state changes

def submit(s: Session, rtype: str, record_id: str):
    """The author submits a draft (or a fixed returned record) for review."""
    obj = get_record(s, rtype, record_id)
    check_can_edit(s, obj, action_zh="提交", action_en="submit")
    if obj.state not in (DRAFT, RETURNED):
        raise ValidationError(f"只有草稿或被退回的记录才能提交（现在：{label(RECORD_STATES, obj.state)}）",
                              f"only a draft or a returned record can be submitted (now: {obj.state})",
                              field="state", value=obj.state)
    if rtype == "result":
        from .award_rules import require_award_rules
        require_award_rules(s, obj)
    obj.state, obj.submitted_at = SUBMITTED, utcnow()
    s.flush()
    return obj


def _reviewer(s: Session) -> User:
    user = current_user(s)
    if user is None or is_student(user) or user.role == "district_staff":
        raise PermissionDenied("只有本班的任课教师、班主任或学校管理员可以审核记录",
                               "only a teacher of the class, its adviser or a school admin reviews records",
                               field="role", value=None if user is None else user.role)
    return user


def approve(s: Session, items) -> int:
    """Approve submitted records: ``items`` are ``(record_type, record_id)``. All or none: the
    first one that cannot be approved stops the whole batch with its reason. Loaded and checked
    a few queries per batch (not per record), so 500 records take well under a second."""
    user = _reviewer(s)
    now = utcnow()
    items = [(str(rt), str(rid)) for rt, rid in items]
    by_type: dict[str, list[str]] = {}
    for rtype, rid in items:
        if rtype not in MODELS:
            raise ValidationError(f"未知的记录类型：{rtype}", f"unknown record type: {rtype}", field="record_type",
                                  value=rtype)
        by_type.setdefault(rtype, []).append(rid)
    objs: dict[tuple[str, str], object] = {}
    for rtype, ids in by_type.items():
        model = MODELS[rtype]
        for i in range(0, len(ids), 500):
            for obj in s.scalars(select(model).where(model.id.in_(ids[i:i + 500]))):
                objs[(rtype, obj.id)] = obj
    classes = staff_class_ids(s, user)
    students_of = {rtype: students_by_record(s, rtype, ids) for rtype, ids in by_type.items()} if classes is not None else {}
    class_of: dict[str, str | None] = {}
    if classes is not None:
        sids = sorted({sid for m in students_of.values() for v in m.values() for sid in v})
        for i in range(0, len(sids), 500):
            class_of.update(s.execute(select(Student.id, Student.class_id).where(Student.id.in_(sids[i:i + 500]))).all())
    problems = {}
    if "result" in by_type:
        from .award_rules import problems_many
        problems = problems_many(s, [objs[("result", rid)] for rid in by_type["result"] if ("result", rid) in objs],
                                 need_certificate=True)
    for rtype, rid in items:
        obj = objs.get((rtype, rid))
        if obj is None or obj.deleted:
            raise NotFoundError(f"找不到{label(RECORD_TYPES, rtype)}：{rid}", f"{rtype} not found: {rid}",
                                field="record_id", value=rid)
        _check_state(obj)
        if classes is not None and not any(class_of.get(sid) in classes for sid in students_of[rtype].get(rid, [])):
            _not_yours(obj)
        found = problems.get(rid) if rtype == "result" else None
        if found:
            raise ValidationError("；".join(p[0] for p in found), "; ".join(p[1] for p in found),
                                  field="competition_id", value=rid)
    for obj in objs.values():
        obj.state, obj.reviewed_by, obj.reviewed_at, obj.return_reason = APPROVED, user.login, now, ""
    s.flush()
    return len(objs)


def students_by_record(s: Session, rtype: str, ids: list[str]) -> dict[str, list[str]]:
    """record id → its students (team members, project members, the self record's author)."""
    out: dict[str, list[str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        if rtype == "self_record":
            q = select(SelfRecord.id, SelfRecord.student_id).where(SelfRecord.id.in_(chunk))
        elif rtype == "result":
            q = select(CompetitionResultMember.result_id, CompetitionResultMember.student_id).where(
                CompetitionResultMember.result_id.in_(chunk), CompetitionResultMember.deleted.is_(False))
        elif rtype == "project":
            q = select(ProjectMember.project_id, ProjectMember.student_id).where(
                ProjectMember.project_id.in_(chunk), ProjectMember.deleted.is_(False))
        else:
            q = (select(ProjectLogEntry.id, ProjectMember.student_id)
                 .join(ProjectMember, ProjectMember.project_id == ProjectLogEntry.project_id)
                 .where(ProjectLogEntry.id.in_(chunk), ProjectMember.deleted.is_(False)))
        for rid, sid in s.execute(q):
            out.setdefault(rid, []).append(sid)
    return out


def _check_state(obj) -> None:
    if obj.state != SUBMITTED:
        raise ValidationError(f"只能审核待审核的记录（这条：{label(RECORD_STATES, obj.state)}）",
                              f"only submitted records can be reviewed (this one is {obj.state})",
                              field="state", value=obj.id)


def _not_yours(obj) -> None:
    raise PermissionDenied("这条记录的学生不在您的班级中，不能审核", "the record's students are not in your classes",
                           field="record_id", value=obj.id)


def return_record(s: Session, rtype: str, record_id: str, reason) -> object:
    """Return a submitted record to its author with a reason (they fix it and resubmit)."""
    user = _reviewer(s)
    reason = required_text(reason, "reason", "退回理由", 200)
    obj = get_record(s, rtype, record_id)
    _check_review(s, user, rtype, obj)
    obj.state, obj.return_reason, obj.reviewed_by, obj.reviewed_at = RETURNED, reason, user.login, utcnow()
    s.flush()
    return obj


def _check_review(s: Session, user: User, rtype: str, obj) -> None:
    _check_state(obj)
    classes = staff_class_ids(s, user)
    if classes is None:
        return
    sids = record_students(s, rtype, obj)
    mine = s.scalar(select(func.count()).select_from(Student).where(Student.id.in_(sids), Student.class_id.in_(classes)))
    if not mine:
        _not_yours(obj)


# ---------------------------------------------------------------- review queue

@dataclass
class QueueRow:
    record_type: str
    record_id: str
    student_id: str
    student_name: str
    class_id: str
    class_label: str
    title: str
    event_date: date | None
    submitted_at: datetime | None
    entered_role: str
    entered_by: str
    backfilled: bool
    type_label: str = ""
    role_label: str = ""
    problems: list[str] = field(default_factory=list)


def _queue_selects(class_ids: list[str] | None, states: tuple[str, ...]):
    st = Student.__table__
    R, RM, C = CompetitionResult.__table__, CompetitionResultMember.__table__, Competition.__table__
    P, PM, L, S = (InnovationProject.__table__, ProjectMember.__table__, ProjectLogEntry.__table__,
                   SelfRecord.__table__)

    def scoped(q, sid_col):
        q = q.where(st.c.deleted.is_(False))
        if class_ids is not None:
            q = q.where(st.c.class_id.in_(class_ids))
        return q

    cols = lambda t, typ, title, ev, sid: [literal(typ).label("rtype"), t.c.id.label("rid"), sid.label("sid"),
                                           title.label("title"), ev.label("ev"), t.c.submitted_at, t.c.entered_role,
                                           t.c.entered_by, t.c.backfilled, st.c.name.label("sname"),
                                           st.c.class_id.label("scid")]
    qs = [
        scoped(select(*cols(R, "result", C.c.name + literal("（") + R.c.level + literal("）"), R.c.award_date,
                            RM.c.student_id))
               .join(RM, (RM.c.result_id == R.c.id) & RM.c.deleted.is_(False))
               .join(C, C.c.id == R.c.competition_id).join(st, st.c.id == RM.c.student_id)
               .where(R.c.state.in_(states), R.c.deleted.is_(False)), RM.c.student_id),
        scoped(select(*cols(P, "project", P.c.title, P.c.start_date, PM.c.student_id))
               .join(PM, (PM.c.project_id == P.c.id) & PM.c.deleted.is_(False)).join(st, st.c.id == PM.c.student_id)
               .where(P.c.state.in_(states), P.c.deleted.is_(False)), PM.c.student_id),
        scoped(select(*cols(L, "project_log", P.c.title + literal("：") + func.substr(L.c.content, 1, 40),
                            L.c.entry_date, PM.c.student_id))
               .join(P, P.c.id == L.c.project_id)
               .join(PM, (PM.c.project_id == P.c.id) & PM.c.deleted.is_(False)).join(st, st.c.id == PM.c.student_id)
               .where(L.c.state.in_(states), L.c.deleted.is_(False)), PM.c.student_id),
        scoped(select(*cols(S, "self_record", S.c.title, S.c.activity_date, S.c.student_id))
               .join(st, st.c.id == S.c.student_id)
               .where(S.c.state.in_(states), S.c.deleted.is_(False)), S.c.student_id),
    ]
    return qs


def review_queue(s: Session, user: User | None = None, *, class_id: str | None = None,
                 states: tuple[str, ...] = (SUBMITTED,), limit: int | None = None,
                 lang: str = "zh_CN") -> list[QueueRow]:
    """The records waiting for this teacher: their classes (or ``class_id``), oldest first.
    A team record shows once per student of the teacher's classes."""
    user = user if user is not None else _reviewer(s)
    classes = staff_class_ids(s, user)
    if class_id is not None:
        if classes is not None and class_id not in classes:
            raise PermissionDenied("这个班级不是您任教或担任班主任的班级", "this is not one of your classes",
                                   field="class_id", value=class_id)
        classes = {class_id}
    class_ids = None if classes is None else sorted(classes)
    u = union_all(*_queue_selects(class_ids, states)).subquery()
    sc = SchoolClass.__table__
    q = (select(u.c.rtype, u.c.rid, u.c.sid, u.c.title, u.c.ev, u.c.submitted_at, u.c.entered_role, u.c.entered_by,
                u.c.backfilled, u.c.sname, u.c.scid, sc.c.grade, sc.c.class_no)
         .outerjoin(sc, sc.c.id == u.c.scid)
         .order_by(u.c.submitted_at, u.c.ev, u.c.sname, u.c.rid))
    if limit:
        q = q.limit(limit)
    from .names import class_label
    types = {k: label(RECORD_TYPES, k, lang) for k in RECORD_TYPES}
    roles = {k: label(ENTERED_ROLES, k, lang) for k in ENTERED_ROLES}
    classes_seen: dict = {}
    out = []
    for rtype, rid, sid, title, ev, sub, role, by, back, name, cid, grade, class_no in s.execute(q):
        cl = classes_seen.get(cid)
        if cl is None:
            cl = classes_seen[cid] = class_label(grade, class_no, lang) if grade else ""
        out.append(QueueRow(rtype, rid, sid, name, cid or "", cl, _level_title(rtype, title, lang) if rtype == "result"
                            else title, ev, sub, role, by, bool(back), types.get(rtype, rtype), roles.get(role, role)))
    return out


def _level_title(rtype: str, title: str, lang: str) -> str:
    if rtype != "result" or "（" not in title:
        return title
    from ..models.enums import LEVELS
    name, level = title.rsplit("（", 1)
    return f"{name}（{label(LEVELS, level.rstrip('）'), lang)}）"


def queue_problems(s: Session, rows: list[QueueRow]) -> dict[tuple[str, str], list[str]]:
    """What would stop each result of the queue from being approved (the reviewer's "look")."""
    from .award_rules import problems_many
    ids = sorted({r.record_id for r in rows if r.record_type == "result"})
    results = [r for i in range(0, len(ids), 500)
               for r in s.scalars(select(CompetitionResult).where(CompetitionResult.id.in_(ids[i:i + 500])))]
    return {("result", rid): [p[0] for p in found]
            for rid, found in problems_many(s, results, need_certificate=True).items()}


def approved_only(model):
    """The condition every statistic, list and final portfolio adds: approved records only."""
    return model.state == APPROVED


def provenance_label(obj, lang: str = "zh_CN") -> str:
    """"学生本人 2025年10月3日 补录" and the like, as the portfolio and the review screen show it."""
    parts = [label(ENTERED_ROLES, obj.entered_role, lang)]
    if obj.entered_at is not None:
        parts.append(format_date(local_date(obj.entered_at), lang))
    if obj.backfilled:
        parts.append("补录" if lang.startswith("zh") else "back-filled")
    return " ".join(parts)
