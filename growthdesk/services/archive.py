"""整理遴选 → 公示审核 → 形成档案 (DESIGN §4a): the adviser picks the term's records for the
archive, opens the class's publicity period, records and resolves objections, then the
student confirms, the adviser signs and the principal signs off the grade: the term's archive
is locked and a later correction is an amendment shown beside the original.

Freeze: a record picked for the archive cannot be changed from the moment its class's publicity
period is opened (``frozen_reason``; every editing service asks it). A correction decided on an
objection is the one way to change it meanwhile (``resolve_objection(..., changes=...)``).
Bundles from a workstation that had not synced yet go through ``incoming_verdict``: what it
refuses is kept as a ``HeldChange`` with its reason (``hold_back``), never lost.

Settings (``gd_setting``): ``publicity_min_days`` (10), ``holidays`` and ``extra_workdays``
(JSON lists of ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD``), ``objection_teacher:<year>:<grade>``
(the login of a teacher designated to resolve a grade's objections).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, PermissionDenied, ValidationError
from ..models import (Amendment, ArchiveItem, CompetitionResult, CompetitionResultMember, HeldChange,
                      InnovationProject, Objection, ProjectLogEntry, ProjectMember, PublicityPeriod, SchoolClass,
                      SelfRecord, Setting, SignOff, Student, Term, User, utcnow)
from ..models.enums import OBJECTION_BY, OBJECTION_OUTCOMES, RECORD_TYPES, label
from . import review
from . import _common
from ._common import as_date, get_live, live, required_text, setting, vocab_code
from .names import class_label, format_date
from .terms import ensure_term, normalise_term_code

MIN_DAYS_SETTING, MIN_DAYS_DEFAULT = "publicity_min_days", 10
OVERRIDE = "_archive_override"  # session flag: a correction decided on an objection may pass the freeze


# ---------------------------------------------------------------- working days

def _date_list(s: Session, key: str) -> set[date]:
    raw = setting(s, key, "[]")
    try:
        items = json.loads(raw)
    except ValueError:
        items = []
    out: set[date] = set()
    for item in items if isinstance(items, list) else []:
        text = str(item)
        try:
            if ".." in text:
                a, b = (date.fromisoformat(x.strip()) for x in text.split("..", 1))
                out.update(a + timedelta(days=i) for i in range((b - a).days + 1))
            else:
                out.add(date.fromisoformat(text.strip()))
        except ValueError:
            continue
    return out


def set_holidays(s: Session, items, *, extra_workdays=()) -> int:
    """The school's holidays (dates or ``a..b`` ranges) and make-up working days (调休)."""
    _require_school_admin(s, "设置节假日", "set the holidays")
    def check(values, zh):
        out = []
        for v in values or []:
            text = v.isoformat() if isinstance(v, date) else str(v).strip()
            try:
                parts = [date.fromisoformat(x.strip()) for x in text.split("..", 1)]
            except ValueError:
                raise ValidationError(f"{zh}日期无效：{text}（应为 2025-10-01 或 2025-10-01..2025-10-07）",
                                      f"invalid date in the list: {text!r}", field="holidays", value=text) from None
            if len(parts) == 2 and parts[1] < parts[0]:
                raise ValidationError(f"{zh}日期范围颠倒：{text}", f"reversed range: {text!r}", field="holidays", value=text)
            out.append(text)
        return out
    for key, values in (("holidays", check(items, "节假日")), ("extra_workdays", check(extra_workdays, "调休上班"))):
        row = s.get(Setting, key)
        doc = json.dumps(values)
        if row is None:
            s.add(Setting(key=key, value=doc))
        else:
            row.value = doc
    s.flush()
    return len(_date_list(s, "holidays"))


def is_working_day(d: date, holidays: set[date], extra: set[date]) -> bool:
    if d in extra:
        return True
    return d.weekday() < 5 and d not in holidays


def working_days(s: Session, start: date, end: date) -> int:
    hol, extra = _date_list(s, "holidays"), _date_list(s, "extra_workdays")
    return sum(1 for i in range((end - start).days + 1) if is_working_day(start + timedelta(days=i), hol, extra))


def publicity_end(s: Session, start: date, days: int | None = None) -> date:
    """The day the ``days``-th working day from ``start`` (inclusive) falls on."""
    days = days or min_days(s)
    hol, extra = _date_list(s, "holidays"), _date_list(s, "extra_workdays")
    d, n = start, 0
    while True:
        if is_working_day(d, hol, extra):
            n += 1
            if n >= days:
                return d
        d += timedelta(days=1)


def min_days(s: Session) -> int:
    try:
        return max(1, int(setting(s, MIN_DAYS_SETTING, str(MIN_DAYS_DEFAULT))))
    except ValueError:
        return MIN_DAYS_DEFAULT


def _require_school_admin(s: Session, zh_what: str, en_what: str) -> None:
    user = _user(s)
    if user is not None and user.role != "school_admin":
        raise PermissionDenied(f"只有学校管理员可以{zh_what}", f"only a school admin can {en_what}",
                               field="role", value=user.role)


def _put_setting(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def set_min_days(s: Session, days) -> int:
    """The school's minimum publicity period in working days (national rules: at least 10)."""
    _require_school_admin(s, "修改公示期天数", "change the publicity period")
    try:
        n = int(str(days).strip())
    except (TypeError, ValueError):
        n = -1
    if not MIN_DAYS_DEFAULT <= n <= 60:
        raise ValidationError(f"公示期最少工作日数应为 {MIN_DAYS_DEFAULT} 到 60 之间的整数（国家规定不少于 {MIN_DAYS_DEFAULT} 个工作日）",
                              f"the minimum publicity period must be {MIN_DAYS_DEFAULT}-60 working days",
                              field=MIN_DAYS_SETTING, value=days)
    _put_setting(s, MIN_DAYS_SETTING, str(n))
    s.flush()
    return n


def holiday_lists(s: Session) -> tuple[list[str], list[str]]:
    """The school's holidays and make-up working days as entered (dates or ``a..b`` ranges)."""
    out = []
    for key in ("holidays", "extra_workdays"):
        try:
            items = json.loads(setting(s, key, "[]"))
        except ValueError:
            items = []
        out.append([str(x) for x in items] if isinstance(items, list) else [])
    return out[0], out[1]


# ---------------------------------------------------------------- who may act

def _user(s: Session) -> User | None:
    return review.current_user(s)


def _class(s: Session, class_id: str) -> SchoolClass:
    return get_live(s, SchoolClass, class_id, "班级", "class", "class_id")


def require_adviser(s: Session, cls: SchoolClass, *, designated_ok: bool = False) -> User | None:
    """The class's adviser or a school admin (scripts with no user pass); with ``designated_ok``
    also the teacher designated for the grade's objections."""
    user = _user(s)
    if user is None or user.role == "school_admin" or (cls.adviser_user_id and cls.adviser_user_id == user.id):
        return user
    if designated_ok and setting(s, f"objection_teacher:{cls.school_year}:{cls.grade}", "").lower() == user.login.lower():
        return user
    raise PermissionDenied(f"只有{class_label(cls.grade, cls.class_no)}的班主任（或学校管理员）可以做这一步",
                           "only the class's adviser (or a school admin) can do this", field="class_id", value=cls.id)


def designate_objection_teacher(s: Session, school_year: int, grade: int, login: str) -> None:
    """The teacher (besides each class's adviser) who may record and resolve the grade's
    objections; an empty login clears the designation. A student account cannot be designated."""
    _require_school_admin(s, "指定处理异议的教师", "designate the teacher")
    if not 1 <= int(grade) <= 12:
        raise ValidationError(f"年级无效：{grade}", f"invalid grade: {grade}", field="grade", value=grade)
    login = str(login or "").strip().lower()
    if login:
        target = s.scalar(select(User).where(func.lower(User.login) == login))
        if target is None or not target.active:
            raise NotFoundError(f"找不到账户：{login}", f"no such account: {login}", field="login", value=login)
        if target.role not in ("teacher", "adviser", "school_admin"):
            raise ValidationError(f"只能指定教师账户处理异议（{target.display_name}不是教师）",
                                  "only a teacher account can be designated", field="login", value=login)
    _put_setting(s, f"objection_teacher:{int(school_year)}:{int(grade)}", login)
    s.flush()


def objection_teacher(s: Session, school_year: int, grade: int) -> str:
    """The login designated for the grade's objections, or ''."""
    return setting(s, f"objection_teacher:{int(school_year)}:{int(grade)}", "").strip().lower()


# ---------------------------------------------------------------- the term's records of a class

@dataclass
class Candidate:
    record_type: str
    record_id: str
    title: str
    event_date: date | None
    selected: bool
    item_id: str | None = None
    removed: bool = False


@dataclass
class StudentCandidates:
    student_id: str
    name: str
    records: list[Candidate] = field(default_factory=list)

    @property
    def selected_count(self) -> int:
        return sum(1 for r in self.records if r.selected and not r.removed)


def _term(s: Session, term_code) -> Term:
    return ensure_term(s, normalise_term_code(term_code))


def approved_records(s: Session, term: Term, student_ids: list[str]) -> dict[str, list[tuple[str, str, str, date]]]:
    """student id → (type, id, title, date) of the term's approved records."""
    out: dict[str, list] = {sid: [] for sid in student_ids}
    if not student_ids:
        return out
    from ..models import Competition
    R, RM, C = CompetitionResult, CompetitionResultMember, Competition
    from ..models.enums import AWARDS, LEVELS
    for sid, rid, name, level, award, d in s.execute(
            select(RM.student_id, R.id, C.name, R.level, R.award, R.award_date)
            .join(R, R.id == RM.result_id).join(C, C.id == R.competition_id)
            .where(RM.student_id.in_(student_ids), RM.deleted.is_(False), R.deleted.is_(False),
                   R.state == review.APPROVED, R.term_code == term.code)):
        out[sid].append(("result", rid, f"{name} {label(LEVELS, level)}{label(AWARDS, award)}", d))
    P, PM, L = InnovationProject, ProjectMember, ProjectLogEntry
    for sid, pid, title, d in s.execute(
            select(PM.student_id, P.id, P.title, P.start_date).join(P, P.id == PM.project_id)
            .where(PM.student_id.in_(student_ids), PM.deleted.is_(False), P.deleted.is_(False),
                   P.state == review.APPROVED, P.term_code == term.code)):
        out[sid].append(("project", pid, f"科创项目：{title}", d))
    for sid, lid, title, content, d in s.execute(
            select(PM.student_id, L.id, P.title, L.content, L.entry_date).join(P, P.id == L.project_id)
            .join(PM, PM.project_id == P.id)
            .where(PM.student_id.in_(student_ids), PM.deleted.is_(False), L.deleted.is_(False), P.deleted.is_(False),
                   L.state == review.APPROVED, L.entry_date >= term.start_date, L.entry_date <= term.end_date)):
        out[sid].append(("project_log", lid, f"{title}：{content[:30]}", d))
    for sid, rid, title, d in s.execute(
            select(SelfRecord.student_id, SelfRecord.id, SelfRecord.title, SelfRecord.activity_date)
            .where(SelfRecord.student_id.in_(student_ids), SelfRecord.deleted.is_(False),
                   SelfRecord.state == review.APPROVED, SelfRecord.term_code == term.code)):
        out[sid].append(("self_record", rid, title, d))
    for rows in out.values():
        rows.sort(key=lambda r: (r[3] or date.min, r[0], r[2]))
    return out


def class_students(s: Session, class_id: str) -> list[Student]:
    return list(s.scalars(live(Student).where(Student.class_id == class_id).order_by(Student.name_pinyin, Student.name)))


def _items(s: Session, term_code: str, class_id: str) -> list[ArchiveItem]:
    return list(s.scalars(live(ArchiveItem).where(ArchiveItem.term_code == term_code, ArchiveItem.class_id == class_id)))


def candidates(s: Session, term_code, class_id: str) -> list[StudentCandidates]:
    """Per student of the class: the term's approved records, the ones picked marked."""
    cls = _class(s, class_id)
    require_adviser(s, cls)
    term = _term(s, term_code)
    studs = class_students(s, cls.id)
    recs = approved_records(s, term, [st.id for st in studs])
    items = {(it.student_id, it.record_type, it.record_id): it for it in _items(s, term.code, cls.id)}
    out = []
    for st in studs:
        sc = StudentCandidates(st.id, st.name)
        for rtype, rid, title, d in recs[st.id]:
            it = items.get((st.id, rtype, rid))
            sc.records.append(Candidate(rtype, rid, title, d, it is not None, it.id if it else None,
                                        bool(it and it.removed)))
        out.append(sc)
    return out


def select_records(s: Session, term_code, class_id: str, picks) -> dict[str, int]:
    """遴选: the archive of the class's term is exactly ``picks`` (``(student_id, record_type,
    record_id)``); returns the count per student. Only approved records of the student's, and
    only before the publicity period is opened."""
    cls = _class(s, class_id)
    require_adviser(s, cls)
    term = _term(s, term_code)
    period = publicity_of(s, term.code, cls.id)
    if period is not None:
        raise ValidationError("公示已经开始，不能再调整入档记录（请通过异议处理更正或撤下）",
                              "the publicity period has begun; the selection can no longer change",
                              field="class_id", value=cls.id)
    studs = {st.id for st in class_students(s, cls.id)}
    recs = approved_records(s, term, sorted(studs))
    allowed = {(sid, r[0], r[1]) for sid, rows in recs.items() for r in rows}
    wanted = set()
    for sid, rtype, rid in picks:
        key = (str(sid), str(rtype), str(rid))
        if key[0] not in studs:
            raise ValidationError(f"学生不在这个班级：{sid}", f"the student is not in this class: {sid}",
                                  field="student_id", value=sid)
        if key not in allowed:
            raise ValidationError(f"只能选入本学期已通过审核的记录（{label(RECORD_TYPES, rtype)} {rid}）",
                                  f"only the term's approved records can be selected ({rtype} {rid})",
                                  field="record_id", value=rid)
        wanted.add(key)
    current = {(it.student_id, it.record_type, it.record_id): it for it in _items(s, term.code, cls.id)}
    for key, it in current.items():
        if key not in wanted:
            it.deleted = True
    s.add_all(ArchiveItem(term_code=term.code, class_id=cls.id, student_id=sid, record_type=rt, record_id=rid,
                          removed=False) for sid, rt, rid in sorted(wanted - set(current)))
    s.flush()
    counts = {sid: 0 for sid in studs}
    for sid, _, _ in wanted:
        counts[sid] += 1
    return counts


# ---------------------------------------------------------------- publicity

def publicity_of(s: Session, term_code: str, class_id: str) -> PublicityPeriod | None:
    return s.scalars(live(PublicityPeriod).where(PublicityPeriod.term_code == term_code,
                                                 PublicityPeriod.class_id == class_id)
                     .order_by(PublicityPeriod.opened_at.desc())).first()


def open_publicity(s: Session, term_code, class_id: str, start_date, end_date=None, *,
                   empty_ok: bool = False) -> PublicityPeriod:
    """公示: open the class's period (≥ ``publicity_min_days`` working days; weekends and the
    school's holidays do not count). From now on the selected records are frozen.

    A class with nothing selected is refused unless ``empty_ok``: then the period shows an
    empty list (nothing of the class goes into this term's archive), and the adviser can sign
    after it so that the class does not hold up the principal's sign-off of the grade. Only
    when none of the class's approved records is left unpicked by mistake: with candidates
    waiting, the adviser must pick (or confirm) first."""
    cls = _class(s, class_id)
    user = require_adviser(s, cls)
    term = _term(s, term_code)
    if publicity_of(s, term.code, cls.id) is not None:
        raise ValidationError("这个班级本学期的公示已经开始过", "this class's publicity period was already opened",
                              field="class_id", value=cls.id)
    if not _items(s, term.code, cls.id):
        waiting = sum(len(v) for v in approved_records(s, term, [st.id for st in class_students(s, cls.id)]).values())
        if not empty_ok:
            hint = (f"本班有 {waiting} 条已通过审核的记录可选" if waiting else "本班本学期没有已通过审核的记录")
            raise ValidationError(f"还没有选入档案的记录，请先遴选（{hint}；如确实没有要入档的记录，可确认以空名单公示）",
                                  "no record is selected for the archive yet; pick some, or confirm an empty "
                                  "publicity list", field="class_id", value=cls.id)
    start = as_date(start_date, "start_date", "公示开始日期")
    need = min_days(s)
    end = as_date(end_date, "end_date", "公示结束日期", required=False) or publicity_end(s, start, need)
    if end < start:
        raise ValidationError("公示结束日期不能早于开始日期", "the end cannot be before the start", field="end_date", value=end)
    n = working_days(s, start, end)
    if n < need:
        raise ValidationError(f"公示期只有 {n} 个工作日（{format_date(start)}至{format_date(end)}），至少需要 {need} 个工作日；"
                              f"最早可到 {format_date(publicity_end(s, start, need))} 结束",
                              f"the period has {n} working days; at least {need} are required "
                              f"(end no earlier than {publicity_end(s, start, need).isoformat()})",
                              field="end_date", value=end)
    p = PublicityPeriod(term_code=term.code, class_id=cls.id, start_date=start, end_date=end, working_days=n,
                        opened_by=(user.login if user else s.info.get("user", ""))[:64], opened_at=utcnow())
    s.add(p)
    s.flush()
    return p


def frozen_reason(s: Session, record_type: str, record_id: str) -> tuple[str, str] | None:
    """Why a record cannot be changed now (picked for an archive whose publicity has begun), or None."""
    if s.info.get(OVERRIDE):
        return None
    rows = s.execute(
        select(ArchiveItem.term_code, ArchiveItem.class_id, PublicityPeriod.start_date, PublicityPeriod.end_date)
        .join(PublicityPeriod, and_(PublicityPeriod.term_code == ArchiveItem.term_code,
                                    PublicityPeriod.class_id == ArchiveItem.class_id,
                                    PublicityPeriod.deleted.is_(False)))
        .where(ArchiveItem.record_type == record_type, ArchiveItem.record_id == record_id,
               ArchiveItem.deleted.is_(False))).all()
    for term_code, class_id, start, end in rows:
        if is_locked(s, term_code, class_id):
            return ("本学期档案已签字归档，记录已锁定；如需更正，请由班主任提交更正说明（附理由）",
                    "the term's archive is signed off and locked; a correction is an amendment with a reason")
        return (f"记录已进入公示（{format_date(start)}至{format_date(end)}），公示和签字确认期间冻结；"
                "如有错误请提出异议",
                f"the record is in the publicity period ({start.isoformat()} to {end.isoformat()}) and frozen until "
                "sign-off; raise an objection instead")
    return None


@dataclass
class ShownRecord:
    item_id: str
    student_id: str
    name: str
    record_type: str
    title: str
    event_date: date | None


def publicity_list(s: Session, term_code, class_id: str) -> list[ShownRecord]:
    """What the class wall shows during the period (names and records only), for the class's
    students (to object on a PC) and its teachers. Empty before the period is opened."""
    cls = _class(s, class_id)
    user = _user(s)
    if review.is_student(user):
        mate = s.get(Student, user.student_id)
        if mate is None or mate.class_id != cls.id:
            raise PermissionDenied("只能查看本班的公示", "a student sees only their own class's publicity",
                                   field="class_id", value=class_id)
    elif user is not None and user.role != "school_admin":
        classes = review.staff_class_ids(s, user)
        if classes is not None and cls.id not in classes:
            raise PermissionDenied("这个班级不是您任教或担任班主任的班级", "this is not one of your classes",
                                   field="class_id", value=class_id)
    term = _term(s, term_code)
    if publicity_of(s, term.code, cls.id) is None:
        return []
    items = [it for it in _items(s, term.code, cls.id) if not it.removed]
    names = dict(s.execute(select(Student.id, Student.name).where(Student.id.in_({it.student_id for it in items}))).all())
    recs = approved_records(s, term, sorted(names))
    title = {(sid, r[0], r[1]): (r[2], r[3]) for sid, rows in recs.items() for r in rows}
    out = []
    for it in items:
        t, d = title.get((it.student_id, it.record_type, it.record_id), ("", None))
        out.append(ShownRecord(it.id, it.student_id, names.get(it.student_id, ""), it.record_type, t, d))
    out.sort(key=lambda r: (r.name, r.event_date or date.min, r.title))
    return out


# ---------------------------------------------------------------- objections

def _item(s: Session, item_id: str) -> ArchiveItem:
    return get_live(s, ArchiveItem, item_id, "公示记录", "archive item", "item_id")


def raise_objection(s: Session, item_id: str, content, *, raised_by="classmate", raised_by_name="",
                    raised_on=None) -> Objection:
    """异议 on a shown record: by the student, a classmate or a parent; entered by the adviser
    (from a paper slip) or by a student on a PC. Refused outside the publicity period."""
    it = _item(s, item_id)
    cls = _class(s, it.class_id)
    user = _user(s)
    if review.is_student(user):
        mate = s.get(Student, user.student_id)
        if mate is None or mate.class_id != cls.id:
            raise PermissionDenied("只能对本班公示的记录提出异议", "a student may object only to their own class's records",
                                   field="item_id", value=item_id)
        raised_by = "student" if user.student_id == it.student_id else "classmate"
        raised_by_name = mate.name
    elif user is not None:
        require_adviser(s, cls, designated_ok=True)
    raised_by = vocab_code(OBJECTION_BY, raised_by, "raised_by", "异议提出人")
    period = publicity_of(s, it.term_code, cls.id)
    if period is None:
        raise ValidationError("这个班级的公示还没有开始，不能提出异议", "the class's publicity period has not begun",
                              field="item_id", value=item_id)
    day = as_date(raised_on, "raised_on", "提出日期", required=False) or _common.today()
    if day > period.end_date or _common.today() > period.end_date:
        raise ValidationError(f"公示期已于 {format_date(period.end_date)} 结束，不能再提出异议",
                              f"the publicity period ended on {period.end_date.isoformat()}; objections are closed",
                              field="raised_on", value=day)
    if day < period.start_date:
        raise ValidationError(f"公示期从 {format_date(period.start_date)} 开始，异议日期不能更早",
                              "the objection date is before the publicity period", field="raised_on", value=day)
    if is_locked(s, it.term_code, cls.id):
        raise ValidationError("本学期档案已归档锁定", "the term's archive is locked", field="item_id", value=item_id)
    o = Objection(term_code=it.term_code, class_id=cls.id, item_id=it.id, raised_by=raised_by,
                  raised_by_name=str(raised_by_name or "").strip()[:50], raised_on=day,
                  content=required_text(content, "content", "异议内容", 2000),
                  entered_by=(s.info.get("user") or "")[:64], outcome="", resolution="")
    s.add(o)
    s.flush()
    return o


def resolve_objection(s: Session, objection_id: str, outcome, reason, *, changes: dict | None = None) -> Objection:
    """Kept, corrected (``changes`` applied to the record, past the freeze) or removed from the
    archive, always with a reason; the objection and its resolution stay."""
    o = get_live(s, Objection, objection_id, "异议", "objection", "objection_id")
    cls = _class(s, o.class_id)
    user = require_adviser(s, cls, designated_ok=True)
    if o.outcome:
        raise ValidationError("这条异议已经处理过", "this objection is already resolved", field="objection_id", value=o.id)
    if is_locked(s, o.term_code, cls.id):
        raise ValidationError("本学期档案已归档锁定", "the term's archive is locked", field="objection_id", value=o.id)
    outcome = vocab_code(OBJECTION_OUTCOMES, outcome, "outcome", "处理结果")
    reason = required_text(reason, "resolution", "处理理由", 2000)
    it = _item(s, o.item_id)
    if outcome == "corrected":
        if not changes:
            raise ValidationError("更正需要写明改成什么", "a correction needs the changes", field="changes")
        _apply_correction(s, it, changes)
    elif outcome == "removed":
        it.removed = True
    o.outcome, o.resolution = outcome, reason
    o.resolved_by, o.resolved_at = (user.login if user else s.info.get("user", ""))[:64], utcnow()
    s.flush()
    return o


def _apply_correction(s: Session, it: ArchiveItem, changes: dict) -> None:
    from . import competitions, projects, self_records
    s.info[OVERRIDE] = True
    try:
        if it.record_type == "result":
            competitions.update_result(s, it.record_id, **changes)
        elif it.record_type == "project":
            projects.update_project(s, it.record_id, **changes)
        elif it.record_type == "self_record":
            self_records.update_self_record(s, it.record_id, **changes)
        else:
            row = review.get_record(s, "project_log", it.record_id)
            unknown = set(changes) - {"content"}
            if unknown:
                raise ValidationError(f"不能修改的字段：{', '.join(sorted(unknown))}", "only content can be corrected",
                                      field=sorted(unknown)[0])
            row.content = required_text(changes["content"], "content", "记录内容", 8000)
            s.flush()
    finally:
        s.info.pop(OVERRIDE, None)


def objections(s: Session, term_code, class_id: str) -> list[Objection]:
    return list(s.scalars(live(Objection).where(Objection.term_code == normalise_term_code(term_code),
                                                Objection.class_id == class_id).order_by(Objection.raised_on,
                                                                                         Objection.created_at)))


def open_objections(s: Session, term_code: str, class_id: str) -> int:
    return s.scalar(select(func.count()).select_from(Objection).where(
        Objection.term_code == term_code, Objection.class_id == class_id, Objection.deleted.is_(False),
        Objection.outcome == "")) or 0


# ---------------------------------------------------------------- sign-off

def _signoffs(s: Session, term_code: str, kind: str, **where) -> list[SignOff]:
    q = live(SignOff).where(SignOff.term_code == term_code, SignOff.kind == kind)
    for k, v in where.items():
        q = q.where(getattr(SignOff, k) == v)
    return list(s.scalars(q))


def _ready_to_sign(s: Session, term_code: str, cls: SchoolClass) -> PublicityPeriod:
    period = publicity_of(s, term_code, cls.id)
    if period is None:
        raise ValidationError("这个班级本学期还没有公示，不能签字", "the class has had no publicity period this term",
                              field="class_id", value=cls.id)
    if _common.today() <= period.end_date:
        raise ValidationError(f"公示期到 {format_date(period.end_date)} 才结束，结束后才能签字确认",
                              f"the publicity period runs until {period.end_date.isoformat()}; sign after it",
                              field="class_id", value=cls.id)
    n = open_objections(s, term_code, cls.id)
    if n:
        raise ValidationError(f"还有 {n} 条异议没有处理，处理完才能签字确认", f"{n} objection(s) are still open",
                              field="class_id", value=cls.id)
    return period


def confirm_student(s: Session, term_code, student_id: str) -> SignOff:
    """The student confirms their term archive (their own account, or the adviser from paper)."""
    st = get_live(s, Student, student_id, "学生", "student", "student_id")
    cls = _class(s, st.class_id) if st.class_id else None
    if cls is None:
        raise ValidationError("学生没有班级", "the student has no class", field="student_id", value=student_id)
    user = _user(s)
    if review.is_student(user):
        if user.student_id != st.id:
            raise PermissionDenied("学生只能确认本人的档案", "a student confirms only their own archive",
                                   field="student_id", value=student_id)
    else:
        require_adviser(s, cls)
    term = _term(s, term_code)
    _ready_to_sign(s, term.code, cls)
    if _signoffs(s, term.code, "student", student_id=st.id):
        raise ValidationError(f"{st.name}已经确认过本学期档案", "the student has already confirmed",
                              field="student_id", value=student_id)
    row = SignOff(term_code=term.code, kind="student", grade=cls.grade, class_id=cls.id, student_id=st.id,
                  signed_by=(s.info.get("user") or "")[:64], signer_name=st.name, signed_at=utcnow())
    s.add(row)
    s.flush()
    return row


def sign_adviser(s: Session, term_code, class_id: str) -> SignOff:
    cls = _class(s, class_id)
    user = require_adviser(s, cls)
    term = _term(s, term_code)
    _ready_to_sign(s, term.code, cls)
    if _signoffs(s, term.code, "adviser", class_id=cls.id):
        raise ValidationError("班主任已经签过字", "the adviser has already signed", field="class_id", value=cls.id)
    with_items = {it.student_id for it in _items(s, term.code, cls.id)}
    confirmed = {x.student_id for x in _signoffs(s, term.code, "student", class_id=cls.id)}
    missing = [st.name for st in class_students(s, cls.id) if st.id in with_items and st.id not in confirmed]
    if missing:
        more = f"等 {len(missing)} 人" if len(missing) > 5 else ""
        raise ValidationError(f"还有学生没有确认本学期档案：{'、'.join(missing[:5])}{more}",
                              f"{len(missing)} student(s) have not confirmed yet", field="class_id", value=cls.id)
    row = SignOff(term_code=term.code, kind="adviser", grade=cls.grade, class_id=cls.id,
                  signed_by=(user.login if user else s.info.get("user", ""))[:64],
                  signer_name=(user.display_name if user else cls.adviser_name or "")[:50], signed_at=utcnow())
    s.add(row)
    s.flush()
    return row


def sign_principal(s: Session, term_code, school_year: int, grade: int, signer_name: str = "") -> SignOff:
    """The principal signs off the grade's term: every class must have its adviser's signature.
    The term's archive of the grade is then locked."""
    user = _user(s)
    if user is not None and user.role != "school_admin":
        raise PermissionDenied("校长签发须由学校管理员账户完成", "the principal's sign-off needs a school admin account",
                               field="role", value=user.role)
    term = _term(s, term_code)
    classes = list(s.scalars(live(SchoolClass).where(SchoolClass.school_year == int(school_year),
                                                     SchoolClass.grade == int(grade))
                             .order_by(SchoolClass.class_no)))
    if not classes:
        raise NotFoundError("这个年级没有班级", "the grade has no classes", field="grade", value=grade)
    signed = {x.class_id for x in _signoffs(s, term.code, "adviser", grade=int(grade))}
    missing = [class_label(c.grade, c.class_no) for c in classes if c.id not in signed]
    if missing:
        raise ValidationError(f"以下班级的班主任还没有签字：{'、'.join(missing)}",
                              f"{len(missing)} class(es) are not signed by their adviser yet", field="grade", value=grade)
    if _signoffs(s, term.code, "principal", grade=int(grade)):
        raise ValidationError("这个年级本学期已经签发", "the grade is already signed off", field="grade", value=grade)
    row = SignOff(term_code=term.code, kind="principal", grade=int(grade), class_id=None,
                  signed_by=(s.info.get("user") or "")[:64],
                  signer_name=str(signer_name or (user.display_name if user else "")).strip()[:50], signed_at=utcnow())
    s.add(row)
    s.flush()
    return row


def is_locked(s: Session, term_code: str, class_id: str) -> bool:
    grade = s.scalar(select(SchoolClass.grade).where(SchoolClass.id == class_id))
    return bool(s.scalar(select(func.count()).select_from(SignOff).where(
        SignOff.term_code == term_code, SignOff.kind == "principal", SignOff.grade == grade,
        SignOff.deleted.is_(False))))


@dataclass
class SignOffDates:
    student: datetime | None = None
    adviser: datetime | None = None
    adviser_name: str = ""
    principal: datetime | None = None
    principal_name: str = ""

    @property
    def final(self) -> bool:
        return self.principal is not None


def signoff_dates(s: Session, term_code: str, student_id: str) -> SignOffDates:
    """What the term portfolio prints: a draft watermark until the principal's sign-off."""
    st = s.get(Student, student_id)
    out = SignOffDates()
    if st is None or not st.class_id:
        return out
    grade = s.scalar(select(SchoolClass.grade).where(SchoolClass.id == st.class_id))
    for row in s.scalars(live(SignOff).where(SignOff.term_code == term_code, or_(
            SignOff.student_id == st.id, and_(SignOff.kind == "adviser", SignOff.class_id == st.class_id),
            and_(SignOff.kind == "principal", SignOff.grade == grade)))):
        if row.kind == "student":
            out.student = row.signed_at
        elif row.kind == "adviser":
            out.adviser, out.adviser_name = row.signed_at, row.signer_name
        else:
            out.principal, out.principal_name = row.signed_at, row.signer_name
    return out


# ---------------------------------------------------------------- amendments

def amend(s: Session, record_type: str, record_id: str, content, reason, *, student_id: str | None = None) -> Amendment:
    """A correction after sign-off: the original stays as signed, the amendment beside it
    (in the student's portfolio: ``student_id`` picks the student of a team award)."""
    obj = review.get_record(s, record_type, record_id)
    items = list(s.scalars(live(ArchiveItem).where(ArchiveItem.record_type == record_type,
                                                   ArchiveItem.record_id == record_id)))
    if student_id:
        items = [it for it in items if it.student_id == student_id]
    locked = [it for it in items if is_locked(s, it.term_code, it.class_id)]
    if not locked:
        raise ValidationError("这条记录不在已归档的档案中，请直接修改", "the record is not in a locked archive; edit it",
                              field="record_id", value=record_id)
    it = locked[0]
    cls = _class(s, it.class_id)
    user = require_adviser(s, cls)
    row = Amendment(term_code=it.term_code, student_id=it.student_id, record_type=record_type, record_id=obj.id,
                    content=required_text(content, "content", "更正内容", 4000),
                    reason=required_text(reason, "reason", "更正理由", 2000),
                    amended_by=(user.login if user else s.info.get("user", ""))[:64], amended_at=utcnow())
    s.add(row)
    s.flush()
    return row


def record_title(s: Session, record_type: str, record_id: str) -> str:
    """How a record reads in the archive (the original beside its amendments)."""
    from ..models import Competition
    from ..models.enums import AWARDS, LEVELS
    obj = s.get(review.MODELS.get(record_type, SelfRecord), record_id) if record_type in review.MODELS else None
    if obj is None:
        return ""
    if record_type == "result":
        name = s.scalar(select(Competition.name).where(Competition.id == obj.competition_id)) or ""
        return f"{name} {label(LEVELS, obj.level)}{label(AWARDS, obj.award)}"
    if record_type == "project":
        return f"科创项目：{obj.title}"
    if record_type == "project_log":
        title = s.scalar(select(InnovationProject.title).where(InnovationProject.id == obj.project_id)) or ""
        return f"{title}：{obj.content[:60]}"
    extra = "，".join(x for x in (format_date(obj.activity_date) if obj.activity_date else "", obj.place or "",
                                  f"{obj.hours:g} 小时" if obj.hours else "", obj.role or "") if x)
    return f"{obj.title}（{extra}）" if extra else obj.title


@dataclass
class ArchivedRecord:
    """One record of a class's signed-off archive, with the amendments made after sign-off."""
    record_type: str
    record_id: str
    student_id: str
    name: str
    title: str
    amendments: list[Amendment] = field(default_factory=list)


def archived_records(s: Session, term_code, class_id: str) -> list[ArchivedRecord]:
    """The class's locked archive for the term (empty until the principal's sign-off): what can
    be amended, each with its amendments beside it."""
    cls = _class(s, class_id)
    user = _user(s)
    if user is not None and user.role != "school_admin":
        classes = review.staff_class_ids(s, user) if not review.is_student(user) else set()
        if classes is not None and cls.id not in classes:
            raise PermissionDenied("这个班级不是您任教或担任班主任的班级", "this is not one of your classes",
                                   field="class_id", value=class_id)
    term = _term(s, term_code)
    if not is_locked(s, term.code, cls.id):
        return []
    items = [it for it in _items(s, term.code, cls.id) if not it.removed]
    names = dict(s.execute(select(Student.id, Student.name).where(Student.id.in_({it.student_id for it in items}))).all())
    by_record: dict[tuple[str, str], list[Amendment]] = {}
    for a in s.scalars(live(Amendment).where(Amendment.term_code == term.code,
                                             Amendment.record_id.in_({it.record_id for it in items}))
                       .order_by(Amendment.amended_at)):
        by_record.setdefault((a.record_type, a.record_id), []).append(a)
    out = [ArchivedRecord(it.record_type, it.record_id, it.student_id, names.get(it.student_id, ""),
                          record_title(s, it.record_type, it.record_id), by_record.get((it.record_type, it.record_id), []))
           for it in items]
    out.sort(key=lambda r: (r.name, r.record_type, r.title))
    return out


def display_names(s: Session, logins) -> dict[str, str]:
    """login → display name (for who amended, resolved, signed)."""
    logins = {str(x).lower() for x in logins if x}
    if not logins:
        return {}
    return {login.lower(): name for login, name in s.execute(
        select(User.login, User.display_name).where(func.lower(User.login).in_(logins)))}


def amendments(s: Session, record_type: str, record_id: str) -> list[Amendment]:
    return list(s.scalars(live(Amendment).where(Amendment.record_type == record_type, Amendment.record_id == record_id)
                          .order_by(Amendment.amended_at)))


# ---------------------------------------------------------------- the process, per class

STEPS = {"recording": ("写实记录", "Recording"), "selected": ("已遴选", "Selected"),
         "publicity": ("公示中", "In publicity"), "objections": ("异议待处理", "Objections open"),
         "confirming": ("待签字确认", "Awaiting sign-off"), "adviser_signed": ("班主任已签字", "Adviser signed"),
         "locked": ("已归档", "Archived")}


def class_steps(s: Session, term_code: str, on: date | None = None) -> dict[str, str]:
    """class id → the step the class has reached this term (works on school and district DBs)."""
    on = on or _common.today()
    classes = dict(s.execute(select(SchoolClass.id, SchoolClass.grade).where(SchoolClass.deleted.is_(False))).all())
    selected = set(s.scalars(select(ArchiveItem.class_id).where(ArchiveItem.term_code == term_code,
                                                                ArchiveItem.deleted.is_(False)).distinct()))
    periods = {cid: end for cid, end in s.execute(select(PublicityPeriod.class_id, PublicityPeriod.end_date).where(
        PublicityPeriod.term_code == term_code, PublicityPeriod.deleted.is_(False)))}
    open_obj = set(s.scalars(select(Objection.class_id).where(Objection.term_code == term_code, Objection.outcome == "",
                                                              Objection.deleted.is_(False)).distinct()))
    adviser = set(s.scalars(select(SignOff.class_id).where(SignOff.term_code == term_code, SignOff.kind == "adviser",
                                                           SignOff.deleted.is_(False))))
    principal = set(s.scalars(select(SignOff.grade).where(SignOff.term_code == term_code, SignOff.kind == "principal",
                                                          SignOff.deleted.is_(False))))
    out = {}
    for cid, grade in classes.items():
        if cid in adviser and grade in principal:
            out[cid] = "locked"
        elif cid in adviser:
            out[cid] = "adviser_signed"
        elif cid in open_obj:
            out[cid] = "objections"
        elif cid in periods:
            out[cid] = "publicity" if on <= periods[cid] else "confirming"
        elif cid in selected:
            out[cid] = "selected"
        else:
            out[cid] = "recording"
    return out


# ---------------------------------------------------------------- bundles from workstations

_STUDENT_TABLES = {"competition_result": "result", "innovation_project": "project",
                   "project_log_entry": "project_log", "self_record": "self_record"}


def incoming_check_needed(s: Session) -> bool:
    """Whether any incoming row can be held back here at all: a publicity period was opened, or
    student accounts exist. Importers ask once per bundle and skip the per-row check otherwise."""
    return bool(s.scalar(select(PublicityPeriod.id).where(PublicityPeriod.deleted.is_(False)).limit(1))
                or s.scalar(select(User.id).where(User.role == "student").limit(1)))


def incoming_verdict(s: Session, table_name: str, row: dict) -> tuple[str, str] | None:
    """For an importer applying a workstation's (or any child's) bundle at a school: None to
    apply the row, or the reason (zh, en) it must be held back (``hold_incoming``) instead.

    ``row`` maps column names to values (bundle cells as text are fine; ``deleted`` for a
    tombstone). Held back: a change to a record that is frozen here (picked for an archive
    whose publicity has begun, or locked); a change by a student account to another student's
    record, to an approved one, or one that approves a record; a change to the selection of a
    class in publicity. A row equal to what is here already (an echo) always passes."""
    rid = str(row.get("id") or "")
    author = str(row.get("updated_by") or "")
    rtype = _STUDENT_TABLES.get(table_name)
    if rtype is not None:
        current = s.get(review.MODELS[rtype], rid)
        if current is not None and not _differs(current, row):
            return None
        users = s.info.setdefault("_incoming_users", {})
        if author and author not in users:
            users[author] = s.scalar(select(User).where(func.lower(User.login) == author.lower()))
        user = users.get(author) if author else None
        why = frozen_reason(s, rtype, rid)
        if why is not None and current is not None and not _correction(s, rtype, rid, row, user):
            return why
        if review.is_student(user):
            if str(row.get("state") or "") == review.APPROVED and (current is None or current.state != review.APPROVED):
                return ("学生账户不能审核通过记录", "a student account cannot approve a record")
            if current is not None:
                if current.state not in (review.DRAFT, review.RETURNED) or \
                        current.entered_by.lower() != author.lower():
                    return ("学生只能修改本人填写、尚未通过审核的记录",
                            "a student may change only their own records that are not approved")
            if rtype == "self_record" and str(row.get("student_id") or "") != (user.student_id or ""):
                return ("学生只能为自己填写写实记录", "a student may write self records only for themself")
        return None
    if table_name == "archive_item":
        term, cls = str(row.get("term_code") or ""), str(row.get("class_id") or "")
        existing = s.get(ArchiveItem, rid)
        if publicity_of(s, term, cls) is not None and (existing is None or not _same(existing, row)):
            return ("这个班级的公示已经开始，入档记录不能再调整", "the class's publicity has begun; the selection is frozen")
    return None


def _correction(s: Session, rtype: str, rid: str, row: dict, user: User | None) -> bool:
    """A change made after the publicity period was opened, by the class's adviser (or a school
    admin, or the grade's designated teacher), on a PC that knew of the period: a correction
    decided on an objection, not an edit from a PC that had not synced. Never after the lock."""
    if user is None or review.is_student(user):
        return False
    try:
        at = datetime.fromisoformat(str(row.get("updated_at") or ""))
    except ValueError:
        return False
    for it in s.scalars(live(ArchiveItem).where(ArchiveItem.record_type == rtype, ArchiveItem.record_id == rid)):
        period = publicity_of(s, it.term_code, it.class_id)
        cls = s.get(SchoolClass, it.class_id)
        if period is None or cls is None or is_locked(s, it.term_code, it.class_id) or at <= period.opened_at:
            return False
        designated = setting(s, f"objection_teacher:{cls.school_year}:{cls.grade}", "").lower() == user.login.lower()
        if not (user.role == "school_admin" or cls.adviser_user_id == user.id or designated):
            return False
    return True


_NOT_COMPARED = {"id", "school_code", "created_at", "updated_at", "updated_by", "usn", "clock", "versions"}


def _cell(value) -> str:
    from ..sync.format import encode_cell
    return value if isinstance(value, str) else encode_cell(value)


def _differs(obj, row: dict) -> bool:
    """Whether the incoming row changes any field of the stored record (or its deletion)."""
    for key, value in row.items():
        if key in _NOT_COMPARED or not hasattr(obj, key):
            continue
        if key == "deleted":
            if bool(obj.deleted) != _bool(value):
                return True
            continue
        if _cell(getattr(obj, key)) != _cell(value):
            return True
    return False


def hold_incoming(s: Session, table_name: str, row: dict, reason: tuple[str, str], source: str = "",
                  usn: int | None = None) -> HeldChange:
    """Hold the row back (``hold_back``) and re-assert the stored record: its differing fields get
    a newer version here, so the next bundle down makes the workstation agree again (its edit is
    not lost: it stays in ``held_change`` for the teacher)."""
    h = hold_back(s, table_name, row, reason, source)
    rtype = _STUDENT_TABLES.get(table_name)
    model = review.MODELS[rtype] if rtype else (ArchiveItem if table_name == "archive_item" else None)
    obj = s.get(model, str(row.get("id") or "")) if model is not None else None
    if obj is None:
        return h
    from .. import tracking
    fields = {k: getattr(obj, k) for k, v in row.items()
              if k not in _NOT_COMPARED and hasattr(obj, k) and _cell(getattr(obj, k)) != _cell(v)}
    if fields:
        try:
            theirs = int(row.get("clock") or 0)
        except (TypeError, ValueError):
            theirs = 0
        clock = max(tracking.next_clock(s), theirs + 1)
        tracking._stamp_versions(obj, fields, clock, s.info.get("node_id", ""))
        if usn is not None:
            obj.usn = usn
        s.flush()
    return h


def _bool(v) -> bool:
    return v in (True, 1, "1", "true", "True")


def _same(it: ArchiveItem, row: dict) -> bool:
    return (it.record_id == str(row.get("record_id")) and it.student_id == str(row.get("student_id"))
            and bool(it.deleted) == _bool(row.get("deleted")))


def hold_back(s: Session, table_name: str, row: dict, reason: tuple[str, str], source: str = "") -> HeldChange:
    """Keep a refused incoming change with its reason: it is shown to the teacher, not lost."""
    h = HeldChange(table_name=table_name[:40], record_id=str(row.get("id") or "")[:36],
                   row_json=json.dumps({k: (v.isoformat() if isinstance(v, (date, datetime)) else v)
                                        for k, v in row.items()}, ensure_ascii=False, default=str),
                   source=str(source)[:100], reason=f"{reason[0]} ({reason[1]})", received_at=utcnow(), status="held")
    s.add(h)
    s.flush()
    return h


def held_changes(s: Session, status: str = "held") -> list[HeldChange]:
    return list(s.scalars(select(HeldChange).where(HeldChange.status == status).order_by(HeldChange.received_at)))
