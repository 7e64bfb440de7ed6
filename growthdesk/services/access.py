"""Who may do what, checked in the core (not only hidden in the UI).

The session's user (``db.session(user=login)``; the app passes the logged-in account, the CLI
the ``--user`` that logged in) is the *actor*. When the actor is an account of this database,
every write is checked when the session flushes, whatever service (or raw ORM code) made it:

- accounts and teaching assignments: only a school admin (district staff in a district
  database) creates, changes, deactivates or removes them; anyone may keep their own login
  bookkeeping and change their own password; the last active admin cannot be demoted or
  deactivated;
- classes and the roster (new or removed students, classes): school admin;
- a student's records (anything with a ``student_id``, and the student row itself): the school
  admin, or a teacher/adviser of the student's class (assigned or advised); a student account
  only their own records (``User.student_id``, added with student accounts);
- district staff write nothing in a school database.
Sessions whose user is not an account (setup, the demo, tests' fixtures) are the system itself
and are not checked: nothing reaches those without a login in the app or CLI. Neither is a sync
import (``as_system``): a teacher's automatic round on a workstation takes in the hub's signed
rows (classes, other classes' students), checked where they were made; the audit log still
names the account that ran the round.

Reads that matter are checked by the views that serve them (``require_student``) and logged
(``growthdesk.services.accesslog``). Feature modules use ``actor``, ``require_role``,
``may_see_class``, ``require_student`` for their own checks.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..errors import PermissionDenied
from ..models import SchoolClass, Student, TeachingAssignment, User
from ..models.enums import ROLES, label

ADMIN_ROLES = ("school_admin",)
# What anyone may change on their own account (password_clock: stamped with the password by tracking).
SELF_FIELDS = {"password_hash", "failed_logins", "last_login_at", "must_change_password", "password_clock"}
# Bookkeeping that every write produces (audit, counters, sync state): never refused here.
_TEAM_TABLES = {"competition_result_member", "project_member"}  # a team may span classes
_SYSTEM_TABLES = {"gd_setting", "audit_log", "access_log", "sync_state", "import_log", "alembic_version"}


def _db_kind(s: Session) -> str:
    db = s.info.get("database")
    return getattr(db, "kind", "") if db is not None else ""


@dataclass(frozen=True)
class Actor:
    """The acting account as stored (not as pending changes in the session would make it)."""

    id: str
    login: str
    role: str
    active: bool
    student_id: str | None = None


_SYSTEM: ContextVar[bool] = ContextVar("growthdesk_access_system", default=False)


@contextmanager
def as_system():
    """Within this block (this thread) sessions act as the system: the sync import of another
    node's signed rows, whoever is logged in here."""
    token = _SYSTEM.set(True)
    try:
        yield
    finally:
        _SYSTEM.reset(token)


def actor(s: Session) -> Actor | None:
    """The account acting in this session, or None for the system (setup, sync, fixtures)."""
    if _SYSTEM.get():
        return None
    cache = s.info.get("_actor")
    login = str(s.info.get("user") or "").strip().lower()
    if cache is not None and cache[0] == login:
        return cache[1]
    found = None
    if login:
        cols = [User.id, User.login, User.role, User.active]
        if hasattr(User, "student_id"):
            cols.append(User.student_id)
        with s.no_autoflush:
            row = s.execute(select(*cols).where(func.lower(User.login) == login)).first()
        if row is not None:
            found = Actor(*row)
    s.info["_actor"] = (login, found)
    return found


def _who(user: Actor) -> tuple[str, str]:
    return (f"{user.login}（{label(ROLES, user.role)}）", f"{user.login} ({label(ROLES, user.role, 'en')})")


def _deny(user: Actor | None, zh: str, en: str, field: str = "role") -> PermissionDenied:
    if user is None:
        return PermissionDenied(zh, en, field=field)
    who_zh, who_en = _who(user)
    return PermissionDenied(f"{zh}（当前账户：{who_zh}）", f"{en} (this account: {who_en})", field=field,
                            value=user.role)


def is_admin(s: Session, user: Actor | None) -> bool:
    if user is None:
        return False
    if user.role in ADMIN_ROLES:
        return True
    return user.role == "district_staff" and _db_kind(s) == "district"


def require_role(s: Session, *roles: str) -> Actor | None:
    """The actor if it has one of ``roles`` (None for the system); PermissionDenied otherwise."""
    user = actor(s)
    if user is None:
        return None
    if user.role not in roles and not ("school_admin" in roles and is_admin(s, user)):
        need_zh = "、".join(label(ROLES, r) for r in roles)
        need_en = ", ".join(label(ROLES, r, "en") for r in roles)
        raise _deny(user, f"此操作需要以下角色：{need_zh}", f"this action needs one of the roles: {need_en}")
    return user


_FLUSH_CACHE = "_access_flush_cache"


def class_ids_of(s: Session, user: Actor) -> set[str]:
    """The classes a teacher or adviser works with: assigned (any subject) and advised.

    Asked once per flush, not once per flushed row: approving 500 records would otherwise run
    a thousand identical queries (the answer cannot change inside one flush check)."""
    cache = s.info.get(_FLUSH_CACHE)
    if cache is not None and user.id in cache:
        return cache[user.id]
    with s.no_autoflush:
        assigned = set(s.scalars(select(TeachingAssignment.class_id).where(TeachingAssignment.user_id == user.id)))
        advised = set(s.scalars(select(SchoolClass.id).where(SchoolClass.adviser_user_id == user.id)))
    if cache is not None:
        cache[user.id] = assigned | advised
    return assigned | advised


def may_see_class(s: Session, user: Actor | None, class_id: str | None) -> bool:
    if user is None or is_admin(s, user):
        return True
    if user.role == "district_staff":
        return False
    return class_id is not None and class_id in class_ids_of(s, user)


def _student_class(s: Session, student_id: str) -> str | None:
    with s.no_autoflush:
        st = s.get(Student, student_id)
    return None if st is None else st.class_id


def may_see_student(s: Session, user: Actor | None, student_id: str) -> bool:
    if user is None or is_admin(s, user):
        return True
    own = getattr(user, "student_id", None)
    if own:
        return own == student_id
    if user.role == "district_staff":
        return False
    if may_see_class(s, user, _student_class(s, student_id)):
        return True
    return bool(_enrolled_in(s, [student_id], class_ids_of(s, user)))  # a past term's class of theirs


def _enrolled_in(s: Session, student_ids: list[str], classes: set[str]) -> set[str]:
    """Those of the students who were ever in one of these classes (enrollment history): an
    adviser looking back at last year's class sees its pupils as they were then."""
    from ..models import Enrollment
    if not classes or not student_ids:
        return set()
    with s.no_autoflush:
        return set(s.scalars(select(Enrollment.student_id).where(
            Enrollment.student_id.in_(student_ids), Enrollment.class_id.in_(classes), Enrollment.deleted.is_(False))))


def require_student(s: Session, student_id: str, *, write: bool = False) -> Actor | None:
    """PermissionDenied unless the actor may read (or ``write``) this student's records."""
    user = actor(s)
    if not may_see_student(s, user, student_id):
        if write:
            raise _deny(user, "只能修改自己任教或担任班主任的班级的学生记录",
                        "you may change the records of students in the classes you teach or advise only")
        raise _deny(user, "只能查看自己任教或担任班主任的班级的学生", "you may see the students of the classes you teach "
                    "or advise only")
    return user


def require_students(s: Session, student_ids, *, write: bool = False) -> None:
    """``require_student`` for many at once (printing a grade, exporting a class): one query."""
    user = actor(s)
    if user is None or is_admin(s, user):
        return
    ids = list(student_ids)
    if len(ids) == 1:
        require_student(s, ids[0], write=write)
        return
    if user.role == "district_staff" or getattr(user, "student_id", None):
        raise _deny(user, "只能查看自己任教或担任班主任的班级的学生", "you may see the students of the classes you teach "
                    "or advise only")
    mine = class_ids_of(s, user)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        with s.no_autoflush:
            rest = [sid for sid, cid in s.execute(select(Student.id, Student.class_id).where(Student.id.in_(chunk)))
                    if cid not in mine]
        if rest and set(rest) - _enrolled_in(s, rest, mine):
            raise _deny(user, "只能查看自己任教或担任班主任的班级的学生", "you may see the students of the classes you "
                        "teach or advise only")


# ---------------------------------------------------------------- subjects (least privilege)

ALL_DIMENSIONS = "*"
# Which process-evaluation dimensions a subject teacher writes (the default rubric's codes). The
# school may replace it with the JSON setting ``subject_dimensions`` ({"科学": ["academic", ...]}).
# A class's adviser, an assignment as 班主任 and one without a subject (the school did not say)
# write every dimension; a subject not listed writes 学业水平 only.
SUBJECT_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "": (ALL_DIMENSIONS,), "班主任": (ALL_DIMENSIONS,),
    **{s: ("academic",) for s in ("语文", "数学", "英语", "外语", "日语", "俄语", "历史", "地理")},
    **{s: ("moral", "academic") for s in ("道德与法治", "思想品德", "思想政治", "政治")},
    **{s: ("academic", "innovation", "practice") for s in ("科学", "物理", "化学", "生物", "生物学", "信息科技",
                                                            "信息技术", "通用技术", "科技")},
    **{s: ("health",) for s in ("体育", "体育与健康", "心理健康")},
    **{s: ("arts",) for s in ("音乐", "美术", "艺术", "书法")},
    **{s: ("labour", "practice") for s in ("劳动", "劳动技术", "综合实践", "综合实践活动")},
}
DEFAULT_SUBJECT_DIMENSIONS = ("academic",)


def _subject_map(s: Session) -> dict[str, tuple[str, ...]]:
    import json

    from ..models import Setting
    cache = s.info.get(_FLUSH_CACHE)
    if cache is not None and "_subjects" in cache:
        return cache["_subjects"]
    out = dict(SUBJECT_DIMENSIONS)
    with s.no_autoflush:
        row = s.get(Setting, "subject_dimensions")
    if row is not None and row.value:
        try:
            out.update({str(k).strip(): tuple(v) for k, v in json.loads(row.value).items() if isinstance(v, list)})
        except (ValueError, AttributeError):
            pass  # a broken setting: the built-in map
    if cache is not None:
        cache["_subjects"] = out
    return out


def dimensions_for(s: Session, user: Actor | None, student_id: str) -> set[str] | None:
    """The process-evaluation dimensions ``user`` may write for this student: None = all (an
    admin, the system, the class's adviser, a 班主任 or subject-less assignment)."""
    if user is None or is_admin(s, user) or getattr(user, "student_id", None):
        return None
    from ..models import Enrollment
    with s.no_autoflush:
        classes = {c for c in [_student_class(s, student_id)] if c}
        classes |= set(s.scalars(select(Enrollment.class_id).where(Enrollment.student_id == student_id,
                                                                   Enrollment.deleted.is_(False))))
        if not classes:
            return set()
        if s.scalar(select(func.count()).select_from(SchoolClass).where(SchoolClass.id.in_(classes),
                                                                        SchoolClass.adviser_user_id == user.id)):
            return None
        subjects = set(s.scalars(select(TeachingAssignment.subject).where(
            TeachingAssignment.user_id == user.id, TeachingAssignment.class_id.in_(classes))))
    mapping = _subject_map(s)
    dims: set[str] = set()
    for subject in subjects:
        found = mapping.get((subject or "").strip(), DEFAULT_SUBJECT_DIMENSIONS)
        if ALL_DIMENSIONS in found:
            return None
        dims |= set(found)
    return dims


def _subjects_text(s: Session, user: Actor, student_id: str) -> str:
    with s.no_autoflush:
        cid = _student_class(s, student_id)
        subjects = sorted({x for x in s.scalars(select(TeachingAssignment.subject).where(
            TeachingAssignment.user_id == user.id, TeachingAssignment.class_id == cid)) if x})
    return "、".join(subjects)


def _dimension_names(s: Session, codes) -> tuple[str, str]:
    try:
        from .rubric import active_rubric
        with s.no_autoflush:
            rub = active_rubric(s)
        names = {d.code: (d.name_zh, d.name_en) for d in rub.dimensions}
    except Exception:  # noqa: BLE001 - the message still names the codes
        names = {}
    codes = sorted(codes)
    return ("、".join(names.get(c, (c, c))[0] for c in codes) or "无",
            ", ".join(names.get(c, (c, c))[1] for c in codes) or "none")


def require_dimension(s: Session, student_id: str, dimension: str, user: Actor | None = None) -> None:
    """PermissionDenied unless the actor's subjects in the student's class cover ``dimension``."""
    user = user or actor(s)
    allowed = dimensions_for(s, user, student_id)
    if allowed is None or dimension in allowed:
        return
    may_zh, may_en = _dimension_names(s, allowed)
    dim_zh, dim_en = _dimension_names(s, [dimension])
    subjects = _subjects_text(s, user, student_id) or "—"
    raise _deny(user, f"您在该班任教的学科（{subjects}）只能填写这些维度的过程性评价：{may_zh}；不能填写“{dim_zh}”",
                f"the subjects you teach in this class ({subjects}) cover process evaluations in {may_en} only, "
                f"not {dim_en}", field="dimension")


# ---------------------------------------------------------------- the flush guard


def install(session_factory) -> None:
    event.listen(session_factory, "before_flush", _check_flush)


def _changed_fields(obj) -> set[str]:
    from sqlalchemy import inspect as sa_inspect
    state = sa_inspect(obj)
    return {a.key for a in state.attrs if a.history.has_changes()}


def _check_flush(s: Session, _ctx, _instances) -> None:
    user = actor(s)
    if user is None:
        return
    s.info[_FLUSH_CACHE] = {}
    try:
        _check_flushed_objects(s, user)
    finally:
        s.info.pop(_FLUSH_CACHE, None)


def _check_flushed_objects(s: Session, user: Actor) -> None:
    if not user.active:
        raise _deny(user, "该账户已停用，不能修改数据", "this account is deactivated and may not change anything")
    team = [o for o in list(s.new) + list(s.dirty) if getattr(o, "__tablename__", "") in _TEAM_TABLES]
    s.info["_team_ok"] = any(may_see_student(s, user, o.student_id) for o in team if getattr(o, "student_id", None))
    for obj in list(s.new) + list(s.dirty) + list(s.deleted):
        table = getattr(obj, "__tablename__", "")
        if table in _SYSTEM_TABLES:
            continue
        op = "new" if obj in s.new else "deleted" if obj in s.deleted else "dirty"
        if op == "dirty" and not s.is_modified(obj, include_collections=False):
            continue
        _check_object(s, user, obj, op)


def _check_object(s: Session, user: Actor, obj, op: str) -> None:
    admin = is_admin(s, user)
    if isinstance(obj, User):
        if admin:
            _keep_an_admin(s, user, obj, op)
            return
        if op == "dirty" and obj.id == user.id and _changed_fields(obj) <= SELF_FIELDS:
            return
        raise _deny(user, "只有学校管理员可以创建、修改、停用账户或设置别人的密码",
                    "only a school admin may create, change or deactivate accounts or set another account's password")
    if isinstance(obj, TeachingAssignment) or isinstance(obj, SchoolClass):
        if admin:
            return
        if isinstance(obj, SchoolClass) and op == "dirty" and obj.adviser_user_id == user.id \
                and _changed_fields(obj) <= {"adviser_name", "usn", "updated_at", "updated_by"}:
            return  # an adviser may fix how their own name is shown on their class
        raise _deny(user, "只有学校管理员可以管理班级和任课安排", "only a school admin may manage classes and teaching "
                    "assignments")
    if isinstance(obj, Student):
        if admin:
            return
        if op in ("new", "deleted") or "deleted" in _changed_fields(obj):
            raise _deny(user, "只有学校管理员可以新增或删除学生", "only a school admin may add or delete students")
        if "class_id" in _changed_fields(obj):
            raise _deny(user, "只有学校管理员可以给学生调班", "only a school admin may move a student to another class")
        if not may_see_student(s, user, obj.id):
            raise _deny(user, "只能修改自己任教或担任班主任的班级的学生记录",
                        "you may change the records of students in the classes you teach or advise only")
        return
    student_id = getattr(obj, "student_id", None)
    if student_id and getattr(obj, "__tablename__", "") in _TEAM_TABLES and s.info.get("_team_ok") \
            and user.role != "district_staff":
        return  # a team award or project: one of its members is in the actor's classes (as services.review)
    if student_id:
        if getattr(user, "student_id", None):
            return  # a student account: its own 写实记录 and team entries, checked by services.review
        if user.role == "district_staff" and not admin:
            raise _deny(user, "区教育局账户不能修改学校的学生记录", "district staff may not change a school's student records")
        if not may_see_student(s, user, student_id):
            raise _deny(user, "只能修改自己任教或担任班主任的班级的学生记录",
                        "you may change the records of students in the classes you teach or advise only")
        if getattr(obj, "__tablename__", "") == "process_evaluation" and not admin:
            _check_subject(s, user, obj, op)
        return
    if user.role == "district_staff" and not admin and _db_kind(s) == "school":
        raise _deny(user, "区教育局账户不能修改学校数据库", "district staff may not change a school database")


def _check_subject(s: Session, user: Actor, obj, op: str) -> None:
    """A subject teacher writes, changes and removes process evaluations in the dimensions their
    subjects cover (the old dimension too, when a change moves a row to another)."""
    from sqlalchemy import inspect as sa_inspect
    dims = {obj.dimension}
    if op == "dirty":
        dims |= set(sa_inspect(obj).attrs.dimension.history.deleted or ())
    for dim in sorted(d for d in dims if d):
        require_dimension(s, obj.student_id, dim, user)


def _keep_an_admin(s: Session, user: Actor, obj: User, op: str) -> None:
    """The last active admin may not be deactivated, demoted or removed (nobody could manage accounts)."""
    from sqlalchemy import inspect as sa_inspect
    if op == "new":
        return
    state = sa_inspect(obj)
    was_admin = (state.attrs.role.history.deleted or [obj.role])[0] in ADMIN_ROLES
    if not was_admin:
        return
    still = op != "deleted" and obj.active and obj.role in ADMIN_ROLES
    if still:
        return
    with s.no_autoflush:
        others = s.scalar(select(func.count()).select_from(User).where(
            User.id != obj.id, User.active.is_(True), User.role.in_(ADMIN_ROLES)))
    if not others:
        raise _deny(user, "不能停用或降级唯一的学校管理员账户", "the only active school admin cannot be deactivated, "
                    "demoted or removed", field="user_id")


__all__ = ["actor", "require_role", "require_dimension", "dimensions_for", "SUBJECT_DIMENSIONS", "require_student", "require_students", "may_see_class", "may_see_student", "class_ids_of", "is_admin",
           "install", "Actor"]
