"""Classes and students: national student numbers, creation, edits, class moves, deletion."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..errors import NotFoundError, ValidationError
from ..models import (CompetitionResultMember, Enrollment, ProcessEvaluation, ProjectMember, SchoolClass,
                      Student, TermEvaluation)
from ..models.enums import ENROLLMENT_REASONS, GENDERS, STAGES, STUDENT_STATUSES
from ._common import as_date, only_editable, bounded_text, get_live, live, not_future, required_text, setting, today, vocab_code
from . import competitions, evidence, projects
from .names import class_label, first_grade_of_stage, parse_class_label, school_year_of, stage_for_grade

# GB 11643 (resident ID) check digit: weights 2^(17-i) mod 11, remainder → check character.
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_NO_RE = re.compile(r"([GL])(\d{17})([0-9X])")
MIN_AGE, MAX_AGE = 4, 25
_EDITABLE = {"name", "gender", "birth_date", "national_student_no", "stage", "entry_year", "status", "note",
             "class_seq"}
_SEQ_RE = re.compile(r"[0-9A-Za-z\-]{1,16}")


def clean_class_seq(value) -> str:
    """A 学号/座号 as typed or read from a roster: full-width digits and spaces folded, a number
    written by Excel as 7.0 read as 7; '' for none. At most 16 letters, digits or hyphens."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    if not text:
        return ""
    if not _SEQ_RE.fullmatch(text):
        raise ValidationError(f"学号/座号“{text[:20]}”不对：只能是数字或字母（最多 16 位），如 07 或 2301507",
                              f"class number {text[:20]!r} is not valid: digits or letters only (at most 16), "
                              "such as 07 or 2301507", field="class_seq", value=text[:20])
    return text


def class_seq_key(seq: str) -> tuple:
    """Sorting 学号/座号 as numbers (2 before 10), letters after, none last."""
    if not seq:
        return (2, 0, "")
    return (0, int(seq), seq) if seq.isdigit() else (1, 0, seq)


def gb11643_check(digits17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(digits17, _WEIGHTS)) % 11]


def validate_national_student_no(no) -> str:
    """Normalise and check a 学籍号: ``G`` + 17 digits + check character (GB 11643 checksum), or
    ``L`` + 18 characters (a temporary number, no checksum). Spaces are dropped and full-width
    characters converted, so ``ｇ１１０…`` is accepted as ``G110…``."""
    text = unicodedata.normalize("NFKC", str(no or ""))
    text = re.sub(r"\s+", "", text).upper()
    m = _NO_RE.fullmatch(text)
    if not m:
        raise ValidationError(
            f"学籍号格式不对：{no or '（空）'}（应为 G 或 L 加 18 位，如 G110101201001011234）",
            f"invalid national student number {no!r} (expected G or L followed by 17 digits and a digit or X)",
            field="national_student_no", value=no)
    if m.group(1) == "G" and gb11643_check(m.group(2)) != m.group(3):
        raise ValidationError(
            f"学籍号校验位不对：{text}（最后一位应为 {gb11643_check(m.group(2))}），请核对",
            f"national student number {text} fails its check digit (last character should be "
            f"{gb11643_check(m.group(2))})", field="national_student_no", value=no)
    return text


def person_key(secret: str, national_student_no: str) -> str:
    """HMAC-SHA256 of the national student number, keyed with the district's secret as text
    (its UTF-8 bytes, so an empty secret still gives a deterministic key). Hex digest."""
    return hmac.new((secret or "").encode("utf-8"), national_student_no.encode("utf-8"), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- classes

def _check_class_numbers(school_year, grade, class_no) -> None:
    if not isinstance(school_year, int) or not 2000 <= school_year <= 2099:
        raise ValidationError(f"学年无效：{school_year}", f"invalid school year: {school_year!r}",
                              field="school_year", value=school_year)
    if not isinstance(grade, int) or not 1 <= grade <= 12:
        raise ValidationError(f"年级应为 1–12：{grade}", f"grade must be 1-12: {grade!r}", field="grade", value=grade)
    if not isinstance(class_no, int) or not 1 <= class_no <= 99:
        raise ValidationError(f"班号应为 1–99：{class_no}", f"class number must be 1-99: {class_no!r}",
                              field="class_no", value=class_no)


def _class_in(s: Session, school_year: int, grade: int, class_no: int) -> SchoolClass | None:
    return s.scalars(live(SchoolClass).where(SchoolClass.school_year == school_year, SchoolClass.grade == grade,
                                             SchoolClass.class_no == class_no)).first()


def create_class(s: Session, school_year: int, grade: int, class_no: int, adviser_name: str = "",
                 adviser_user_id: str | None = None) -> SchoolClass:
    _check_class_numbers(school_year, grade, class_no)
    adviser_name = bounded_text(adviser_name, "adviser_name", "班主任姓名", 50)
    if _class_in(s, school_year, grade, class_no) is not None:
        label = class_label(grade, class_no)
        raise ValidationError(f"{school_year}学年已有{label}", f"{class_label(grade, class_no, 'en')} already "
                              f"exists in school year {school_year}", field="class_no", value=class_no)
    cls = SchoolClass(school_year=school_year, grade=grade, class_no=class_no, adviser_name=adviser_name,
                      adviser_user_id=adviser_user_id)
    s.add(cls)
    s.flush()
    return cls


def get_class(s: Session, class_id: str) -> SchoolClass:
    return get_live(s, SchoolClass, class_id, "班级", "class", "class_id")


def find_class(s: Session, text_or_id, school_year: int | None = None) -> SchoolClass:
    """A class by id or by label (初一(3)班, 七年级3班). Without ``school_year`` the most
    recent school year that has such a class is taken."""
    if isinstance(text_or_id, SchoolClass):
        return text_or_id
    cls = s.get(SchoolClass, str(text_or_id)) if text_or_id else None
    if cls is not None and not cls.deleted:
        return cls
    try:
        grade, class_no = parse_class_label(text_or_id)
    except ValidationError:
        grade = None
    if grade is not None:
        q = live(SchoolClass).where(SchoolClass.grade == grade, SchoolClass.class_no == class_no)
        if school_year is not None:
            q = q.where(SchoolClass.school_year == school_year)
        cls = s.scalars(q.order_by(SchoolClass.school_year.desc())).first()
        if cls is not None:
            return cls
    known = [class_label(c.grade, c.class_no) for c in list_classes(s, school_year or _latest_year(s))]
    listing = "、".join(known[:60]) or "无"
    raise NotFoundError(f"找不到班级：{text_or_id}；已有：{listing}",
                        f"class not found: {text_or_id!r}; known: {', '.join(known[:60]) or 'none'}",
                        field="class", value=text_or_id)


def _latest_year(s: Session) -> int | None:
    return s.scalar(select(func.max(SchoolClass.school_year)).where(SchoolClass.deleted.is_(False)))


def list_classes(s: Session, school_year: int | None = None) -> list[SchoolClass]:
    """Classes in grade and number order; all school years when ``school_year`` is None."""
    q = live(SchoolClass)
    if school_year is not None:
        q = q.where(SchoolClass.school_year == school_year)
    return list(s.scalars(q.order_by(SchoolClass.school_year, SchoolClass.grade, SchoolClass.class_no)))


def update_class(s: Session, class_id: str, *, adviser_name: str | None = None,
                 adviser_user_id: str | None = None) -> SchoolClass:
    cls = get_class(s, class_id)
    if adviser_name is not None:
        cls.adviser_name = bounded_text(adviser_name, "adviser_name", "班主任姓名", 50)
    if adviser_user_id is not None:
        cls.adviser_user_id = adviser_user_id or None
    s.flush()
    return cls


def delete_class(s: Session, class_id: str) -> None:
    cls = get_class(s, class_id)
    n = s.scalar(select(func.count()).select_from(Student).where(Student.class_id == cls.id,
                                                                 Student.deleted.is_(False)))
    if n:
        raise ValidationError(f"{class_label(cls.grade, cls.class_no)}还有 {n} 名学生，不能删除",
                              f"the class still has {n} students and cannot be deleted", field="class_id",
                              value=class_id)
    cls.deleted = True
    s.flush()


# ---------------------------------------------------------------- students

def get_student(s: Session, student_id: str) -> Student:
    return get_live(s, Student, student_id, "学生", "student", "student_id")


def get_student_by_no(s: Session, no) -> Student:
    key = validate_national_student_no(no)
    st = s.scalars(live(Student).where(Student.national_student_no == key)).first()
    if st is None:
        raise NotFoundError(f"找不到学籍号为 {key} 的学生", f"no student with national student number {key}",
                            field="national_student_no", value=no)
    return st


def students_in_class(s: Session, class_id: str) -> list[Student]:
    """The class's students (not deleted) ordered by name."""
    return list(s.scalars(live(Student).where(Student.class_id == class_id).order_by(Student.name)))


def _check_unique_no(s: Session, no: str, except_id: str | None = None) -> None:
    # Written as the partial unique index is (school, number WHERE NOT deleted), so SQLite
    # searches that index instead of scanning every student.
    school = s.info.get("school_code") or setting(s, "school_code")
    q = select(Student).where(text("NOT student.deleted"), Student.school_code == school,
                              Student.national_student_no == no)
    if except_id:
        q = q.where(Student.id != except_id)
    other = s.scalars(q).first()
    if other is not None:
        where = ""
        if other.class_id:
            cls = s.get(SchoolClass, other.class_id)
            where = class_label(cls.grade, cls.class_no) if cls else ""
        raise ValidationError(f"学籍号 {no} 已属于学生 {other.name}{('（' + where + '）') if where else ''}",
                              f"national student number {no} already belongs to student {other.name}"
                              f"{(' (' + class_label(cls.grade, cls.class_no, 'en') + ')') if where else ''}",
                              field="national_student_no", value=no)


def _check_birth_date(value) -> date | None:
    d = as_date(value, "birth_date", "出生日期", required=False)
    if d is None:
        return None
    not_future(d, "birth_date", "出生日期")
    now = today()
    age = now.year - d.year - ((now.month, now.day) < (d.month, d.day))
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(f"出生日期不合理：{d.isoformat()}（年龄 {age} 岁，应在 {MIN_AGE}–{MAX_AGE} 岁之间）",
                              f"implausible birth date {d.isoformat()} (age {age}; expected {MIN_AGE}-{MAX_AGE})",
                              field="birth_date", value=d)
    return d


def _check_entry_year(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = -1
    if not 2000 <= year <= today().year + 1:
        raise ValidationError(f"入学年份无效：{value}", f"invalid entry year: {value!r}", field="entry_year", value=value)
    return year


def _enrollment_start(school_year: int) -> date:
    """Today when it lies in the class's school year, else that year's 1 September."""
    now = today()
    return now if school_year_of(now) == school_year else date(school_year, 9, 1)


def create_student(s: Session, *, national_student_no, name, gender, birth_date=None, class_id=None,
                   stage=None, entry_year=None, status="enrolled", note: str = "", class_seq="") -> Student:
    no = validate_national_student_no(national_student_no)
    seq = clean_class_seq(class_seq)
    name = required_text(name, "name", "姓名", 50)
    gender = vocab_code(GENDERS, gender, "gender", "性别")
    birth = _check_birth_date(birth_date)
    status = vocab_code(STUDENT_STATUSES, status, "status", "学籍状态")
    cls = get_class(s, class_id) if class_id else None
    if stage in (None, "") and cls is None:
        raise ValidationError("请填写学段或班级", "give a stage or a class", field="stage")
    stage = vocab_code(STAGES, stage, "stage", "学段") if stage not in (None, "") else stage_for_grade(cls.grade)
    if cls is not None and stage_for_grade(cls.grade) != stage:
        raise ValidationError(f"学段与班级{class_label(cls.grade, cls.class_no)}不符",
                              "the stage does not match the class's grade", field="stage", value=stage)
    year = _check_entry_year(entry_year)
    if year is None and cls is not None:  # grade 8 in 2025 → entered junior school in 2024
        year = cls.school_year - (cls.grade - first_grade_of_stage(stage))
    _check_unique_no(s, no)
    st = Student(national_student_no=no, person_key=person_key(setting(s, "person_key_secret"), no),
                 name=name, gender=gender, birth_date=birth, stage=stage, entry_year=year, status=status,
                 class_id=cls.id if cls else None, note=bounded_text(note, "note", "备注", 2000), class_seq=seq)
    _set_pinyin(st)
    s.add(st)
    s.flush()  # the model has no relationship telling the flush to insert the student first
    if cls is not None:
        s.add(Enrollment(student_id=st.id, class_id=cls.id, school_year=cls.school_year,
                         start_date=_enrollment_start(cls.school_year), reason="entry"))
    s.flush()
    return st


def _set_pinyin(st: Student) -> None:
    """Keep the search key (张三 → "zhangsan zs") in step with the name, where the model has it."""
    if hasattr(Student, "name_pinyin"):
        from .pinyin import name_pinyin
        st.name_pinyin = name_pinyin(st.name)


def update_student(s: Session, student_id: str, **changes) -> Student:
    """Edit fields of a student; ``class_id`` in ``changes`` moves the student (调班)."""
    st = get_student(s, student_id)
    only_editable(changes, _EDITABLE | {"class_id"})
    values = {}
    if "national_student_no" in changes:
        values["national_student_no"] = validate_national_student_no(changes["national_student_no"])
        _check_unique_no(s, values["national_student_no"], except_id=st.id)
        values["person_key"] = person_key(setting(s, "person_key_secret"), values["national_student_no"])
    if "name" in changes:
        values["name"] = required_text(changes["name"], "name", "姓名", 50)
    if "gender" in changes:
        values["gender"] = vocab_code(GENDERS, changes["gender"], "gender", "性别")
    if "birth_date" in changes:
        values["birth_date"] = _check_birth_date(changes["birth_date"])
    if "stage" in changes:
        values["stage"] = vocab_code(STAGES, changes["stage"], "stage", "学段")
    if "status" in changes:
        values["status"] = vocab_code(STUDENT_STATUSES, changes["status"], "status", "学籍状态")
    if "entry_year" in changes:
        values["entry_year"] = _check_entry_year(changes["entry_year"])
    if "note" in changes:
        values["note"] = bounded_text(changes["note"], "note", "备注", 2000)
    if "class_seq" in changes:
        values["class_seq"] = clean_class_seq(changes["class_seq"])
    moving = "class_id" in changes and (changes["class_id"] or None) != st.class_id
    if moving and not changes["class_id"]:
        raise ValidationError("请选择班级（离校请用转出或毕业）", "choose a class (use transfer out or graduation "
                              "for a student leaving)", field="class_id")
    if moving:
        get_class(s, changes["class_id"])  # checked before anything changes
    for key, value in values.items():
        if getattr(st, key) != value:  # unchanged values make no audit noise
            setattr(st, key, value)
    if "name" in values:
        _set_pinyin(st)
    if moving:
        move_student(s, st.id, changes["class_id"], "reassignment")
    s.flush()
    return st


def move_student(s: Session, student_id: str, class_id: str | None, reason: str = "reassignment",
                 on: date | None = None) -> Enrollment:
    """Close the open enrollment and open one in ``class_id`` (None: leaves the school)."""
    st = get_student(s, student_id)
    reason = vocab_code(ENROLLMENT_REASONS, reason, "reason", "变动原因")
    cls = get_class(s, class_id) if class_id else None
    if cls is None and reason not in ("transfer_out", "graduation"):
        raise ValidationError("请选择新班级", "choose the new class", field="class_id")
    if cls is not None and cls.id == st.class_id:
        raise ValidationError("学生已在该班级", "the student is already in that class", field="class_id", value=class_id)
    on = not_future(as_date(on or today(), "on", "变动日期"), "on", "变动日期")
    for open_row in s.scalars(live(Enrollment).where(Enrollment.student_id == st.id, Enrollment.end_date.is_(None))):
        open_row.end_date = max(on, open_row.start_date)
    row = Enrollment(student_id=st.id, class_id=cls.id if cls else None,
                     school_year=cls.school_year if cls else school_year_of(on), start_date=on,
                     end_date=None if cls else on, reason=reason)
    s.add(row)
    st.class_id = cls.id if cls else None
    if cls is not None:
        st.stage = stage_for_grade(cls.grade)
    if reason == "transfer_out":
        st.status = "transferred_out"
    elif reason == "graduation":
        st.status = "graduated"
    elif cls is not None and st.status != "enrolled":
        st.status = "enrolled"
    s.flush()
    return row


def enrollments(s: Session, student_id: str) -> list[Enrollment]:
    return list(s.scalars(live(Enrollment).where(Enrollment.student_id == student_id)
                          .order_by(Enrollment.start_date, Enrollment.created_at)))


def delete_student(s: Session, student_id: str) -> None:
    """Soft-delete a student (entered by mistake) with the records that only belong to them:
    enrollments, evaluations, project and award memberships, evidence. Team records stay for
    the others: an award or project nobody is left in goes too, and a project whose leader
    went gets its longest-standing member as leader (a project always has exactly one)."""
    st = get_student(s, student_id)
    owned = {ProjectMember: set(), CompetitionResultMember: set()}
    for model in (Enrollment, ProcessEvaluation, TermEvaluation, ProjectMember, CompetitionResultMember):
        for row in s.scalars(live(model).where(model.student_id == st.id)):
            row.deleted = True
            if model is ProcessEvaluation:
                evidence.delete_owned(s, "evaluation", row.id)
            elif model in owned:
                owned[model].add(row.project_id if model is ProjectMember else row.result_id)
    evidence.delete_owned(s, "student", st.id)
    st.deleted = True
    s.flush()
    for rid in sorted(owned[CompetitionResultMember]):
        if not competitions.result_members(s, rid):
            competitions.delete_result(s, rid)
    for pid in sorted(owned[ProjectMember]):
        remaining = projects.project_members(s, pid)
        if not remaining:
            projects.delete_project(s, pid)
        elif not any(m.role == "leader" for m in remaining):
            projects.set_leader(s, pid, remaining[0].student_id)
    s.flush()


def term_members(s: Session, class_ids: list[str], term_code: str) -> list[tuple[str, str]]:
    """(student id, class id) of the students who were in these classes during the term, from
    the enrollment history (latest enrollment of the term's school year that overlaps the term
    wins); a student with no history for that year counts in their current class. Ordered by
    the classes' order in ``class_ids``, then 学号/座号 (``class_seq_key``), then 学籍号. This is the one rule the student
    list, the grids and the printed portfolios share: a past term shows the class as it was."""
    from ..models import Term
    if not class_ids:
        return []
    term = s.get(Term, term_code)
    if term is None:
        from .terms import term_dates
        start, end = term_dates(term_code)
        year = int(term_code[:4])
    else:
        start, end, year = term.start_date, term.end_date, term.school_year
    order = {cid: i for i, cid in enumerate(class_ids)}
    e = Enrollment
    cand = (select(e.student_id).where(e.class_id.in_(class_ids), e.deleted.is_(False))
            .union(select(Student.id).where(Student.class_id.in_(class_ids))))
    in_term: dict[str, str] = {}
    q = (select(e.student_id, e.class_id).join(SchoolClass, SchoolClass.id == e.class_id)
         .where(e.student_id.in_(cand), e.deleted.is_(False), SchoolClass.school_year == year,
                e.start_date <= end, (e.end_date.is_(None)) | (e.end_date >= start))
         .order_by(e.start_date, e.created_at))
    for sid, cid in s.execute(q):
        in_term[sid] = cid  # latest wins
    rows = s.execute(select(Student.id, Student.class_id, Student.national_student_no, Student.class_seq).where(
        Student.id.in_(cand), Student.deleted.is_(False)))
    picked = []
    for sid, current, no, seq in rows:
        cid = in_term.get(sid, current)
        if cid in order:
            picked.append((order[cid], class_seq_key(seq or ""), no or "", sid, cid))
    picked.sort()
    return [(sid, cid) for *_, sid, cid in picked]
