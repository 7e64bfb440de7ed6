"""Read-only queries the desktop UI needs: pickers, student lists, one student's records, grids.

Qt-free and write-free: every function takes an open ``Database`` (or a session) and returns
plain dataclasses, so the UI never touches SQL and tests can check these without a display.
Names, terms, pinyin and scoring come from their own services; this module only gathers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import (Competition, CompetitionResult, CompetitionResultMember, Evidence, InnovationProject,
                      ProcessEvaluation, ProjectMember, SchoolClass, Student, TeachingAssignment, Term,
                      TermEvaluation, User)
from ..models.enums import label
from . import names
from . import rubric as rubric_service
from . import terms as terms_service
from .rubric import RubricDoc


def class_label(grade: int, class_no: int, lang: str = "zh_CN") -> str:
    return names.class_label(grade, class_no, lang)


def term_label(code: str, lang: str = "zh_CN") -> str:
    try:
        return terms_service.term_label(code, lang)
    except ValidationError:
        return code


# ---------------------------------------------------------------- pickers

@dataclass(frozen=True)
class TermRow:
    code: str
    school_year: int
    term_no: int
    start_date: date
    end_date: date


@dataclass(frozen=True)
class ClassRow:
    id: str
    school_year: int
    grade: int
    class_no: int
    adviser_name: str

    def label(self, lang: str = "zh_CN") -> str:
        return class_label(self.grade, self.class_no, lang)


def terms(s: Session) -> list[TermRow]:
    rows = s.execute(select(Term).order_by(Term.code)).scalars()
    return [TermRow(t.code, t.school_year, t.term_no, t.start_date, t.end_date) for t in rows]


def current_term(rows: list[TermRow], today: date | None = None) -> TermRow | None:
    """The term containing today, else the latest one that has started, else the first."""
    today = today or date.today()
    for t in rows:
        if t.start_date <= today <= t.end_date:
            return t
    started = [t for t in rows if t.start_date <= today]
    if started:
        return started[-1]
    return rows[0] if rows else None


def visible_classes(s: Session, user: User | None, school_year: int | None = None) -> list[ClassRow]:
    """Admins and district staff see every class; teachers and advisers the ones they teach."""
    q = select(SchoolClass).where(SchoolClass.deleted.is_(False))
    if school_year is not None:
        q = q.where(SchoolClass.school_year == school_year)
    if user is not None and user.role in ("teacher", "adviser"):
        taught = select(TeachingAssignment.class_id).where(TeachingAssignment.user_id == user.id)
        q = q.where((SchoolClass.id.in_(taught)) | (SchoolClass.adviser_user_id == user.id))
    q = q.order_by(SchoolClass.grade, SchoolClass.class_no)
    return [ClassRow(c.id, c.school_year, c.grade, c.class_no, c.adviser_name) for c in s.scalars(q)]


def class_row(s: Session, class_id: str | None) -> ClassRow | None:
    """One live class as the pickers show it (None for no class or a deleted one)."""
    c = s.get(SchoolClass, class_id) if class_id else None
    if c is None or c.deleted:
        return None
    return ClassRow(c.id, c.school_year, c.grade, c.class_no, c.adviser_name)


def advised_classes(s: Session, lang: str = "zh_CN") -> dict[str, list[str]]:
    """user id → labels of the classes that user is the class adviser of, in the latest school
    year they advise any (a class keeps its adviser as it moves up; old years are history)."""
    q = (select(SchoolClass.adviser_user_id, SchoolClass.school_year, SchoolClass.grade, SchoolClass.class_no)
         .where(SchoolClass.deleted.is_(False), SchoolClass.adviser_user_id.is_not(None))
         .order_by(SchoolClass.school_year.desc(), SchoolClass.grade, SchoolClass.class_no))
    out: dict[str, list[str]] = defaultdict(list)
    year_of: dict[str, int] = {}
    for uid, year, grade, class_no in s.execute(q):
        if year_of.setdefault(uid, year) == year:  # rows come newest year first
            out[uid].append(class_label(grade, class_no, lang))
    return dict(out)


def user_count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User)) or 0


# ---------------------------------------------------------------- student list

@dataclass(frozen=True)
class StudentRow:
    id: str
    national_student_no: str
    name: str
    gender: str
    class_id: str | None
    class_name: str
    status: str
    initials: str = ""
    pinyin: str = ""
    class_seq: str = ""  # 学号/座号, '' where the roster has none

    def matches(self, needle: str) -> bool:
        """``needle`` is lower case already: name, number, pinyin initials or full pinyin, or
        the 学号/座号 typed whole."""
        return (needle in self.name or needle in self.national_student_no
                or self.initials.startswith(needle) or self.pinyin.startswith(needle)
                or (self.class_seq != "" and needle == self.class_seq.lower()))



def student_rows(s: Session, class_ids: list[str] | None = None, lang: str = "zh_CN",
                 student_ids: list[str] | None = None, term_code: str | None = None) -> list[StudentRow]:
    """Active students of the given classes (or the whole school), ordered by class, then by
    学号/座号 (as numbers; students without one after), then by 学籍号.

    With ``term_code`` the classes are taken as they were in that term: the students enrolled
    in them then (enrollment history, ``students.term_members``), each shown with that class.
    One query with the class joined in: this is what the student list loads once per class.
    """
    term_class: dict[str, str] | None = None
    if term_code is not None and class_ids is not None:
        from .students import term_members
        members = term_members(s, class_ids, term_code)
        term_class = dict(members)
        if not members:
            return []
        student_ids = [sid for sid, _ in members] if student_ids is None else [
            sid for sid, _ in members if sid in set(student_ids)]
    q = (select(Student.id, Student.national_student_no, Student.name, Student.gender, Student.class_id,
                Student.status, SchoolClass.grade, SchoolClass.class_no, Student.name_pinyin, Student.class_seq)
         .outerjoin(SchoolClass, SchoolClass.id == Student.class_id)
         .where(Student.deleted.is_(False)))
    if class_ids is not None and term_class is None:
        q = q.where(Student.class_id.in_(class_ids))
    if student_ids is not None:
        q = q.where(Student.id.in_(student_ids))
    q = q.order_by(SchoolClass.grade, SchoolClass.class_no, Student.national_student_no)
    classes = {}
    if term_class is not None:
        classes = {c.id: (c.grade, c.class_no) for c in s.scalars(
            select(SchoolClass).where(SchoolClass.id.in_(set(term_class.values()))))}
    from .students import class_seq_key
    out, order = [], {}
    for sid, no, name, gender, cid, status, grade, class_no, key, seq in s.execute(q):
        if term_class is not None:
            cid = term_class[sid]
            grade, class_no = classes.get(cid, (None, None))
        # The stored key (kept by the students service) saves computing it on every load.
        full, _, initials = (key or _name_pinyin(name)).partition(" ")
        cname = class_label(grade, class_no, lang) if grade else ""
        out.append(StudentRow(sid, no or "", name, gender, cid, cname, status, initials, full, seq or ""))
        order[sid] = (grade is None, grade or 0, class_no or 0, class_seq_key(seq or ""), no or "")
    out.sort(key=lambda r: order[r.id])  # stable: the query's order where everything else ties
    return out


def _name_pinyin(name: str) -> str:
    # Imported on demand: pypinyin loads its dictionaries for most of a second, and a database
    # whose students carry name_pinyin never needs it at start-up.
    from .pinyin import name_pinyin
    return name_pinyin(name)


# ---------------------------------------------------------------- one student's page

@dataclass
class ProjectView:
    id: str
    title: str
    kind: str
    status: str
    term_code: str
    start_date: date
    role: str


@dataclass
class ResultView:
    id: str
    competition: str
    level: str
    award: str
    award_date: date
    is_team: bool
    team_name: str
    members: list[str]
    verification: str


@dataclass
class EvaluationView:
    id: str
    term_code: str
    dimension: str
    level: str
    score: float
    evaluator_role: str
    evaluator_name: str
    eval_date: date
    comment: str


@dataclass
class TermEvaluationView:
    id: str | None
    levels: dict[str, str]
    comment: str
    adviser_name: str
    written_on: date | None


@dataclass
class EvidenceView:
    id: str
    owner_type: str
    kind: str
    original_name: str
    size: int
    sha256: str
    url: str
    note: str


@dataclass
class StudentPage:
    id: str
    name: str
    national_student_no: str
    gender: str
    birth_date: date | None
    stage: str
    class_id: str | None
    class_name: str
    status: str
    note: str
    class_seq: str = ""  # 学号/座号
    projects: list[ProjectView] = field(default_factory=list)
    results: list[ResultView] = field(default_factory=list)
    evaluations: list[EvaluationView] = field(default_factory=list)
    term_evaluation: TermEvaluationView | None = None
    evidence: list[EvidenceView] = field(default_factory=list)


def student_page(s: Session, student_id: str, term_code: str | None, lang: str = "zh_CN") -> StudentPage:
    """One student's record as the student page shows it: checked against the account's classes
    and written to the access log."""
    from . import access, accesslog
    from .review import require_student_access
    st = s.get(Student, student_id)
    if st is None:
        from ..errors import NotFoundError
        raise NotFoundError("找不到该学生", "student not found", value=student_id)
    from .review import current_user, is_student
    user = current_user(s)
    if is_student(user):  # a student account reads only its own page (teachers: services.access decides)
        require_student_access(s, student_id, user)
    access.require_student(s, student_id)  # the same rule in services.access (district staff: not a school's pupil)
    accesslog.record(s, "view_student", [student_id], detail=term_code or "")
    cls = st.school_class
    page = StudentPage(st.id, st.name, st.national_student_no or "", st.gender, st.birth_date, st.stage,
                       st.class_id, cls and class_label(cls.grade, cls.class_no, lang) or "", st.status, st.note,
                       st.class_seq or "")
    page.projects = _projects(s, student_id)
    page.results = _results(s, student_id)
    page.evaluations = _evaluations(s, student_id, term_code)
    page.term_evaluation = _term_evaluation(s, student_id, term_code) if term_code else None
    page.evidence = _evidence(s, student_id, page)
    return page


def _not_others_draft(s: Session, model):
    """A draft is its author's: nobody else's page lists it (issue 15)."""
    from sqlalchemy import or_
    return or_(model.state != "draft", model.entered_by == (s.info.get("user") or ""))


def _projects(s: Session, student_id: str) -> list[ProjectView]:
    q = (select(InnovationProject, ProjectMember.role).join(ProjectMember, ProjectMember.project_id == InnovationProject.id)
         .where(ProjectMember.student_id == student_id, ProjectMember.deleted.is_(False),
                InnovationProject.deleted.is_(False), _not_others_draft(s, InnovationProject))
         .order_by(InnovationProject.start_date.desc()))
    return [ProjectView(p.id, p.title, p.kind, p.status, p.term_code, p.start_date, role) for p, role in s.execute(q)]


def _results(s: Session, student_id: str) -> list[ResultView]:
    q = (select(CompetitionResult, Competition.name)
         .join(CompetitionResultMember, CompetitionResultMember.result_id == CompetitionResult.id)
         .join(Competition, Competition.id == CompetitionResult.competition_id)
         .where(CompetitionResultMember.student_id == student_id, CompetitionResultMember.deleted.is_(False),
                CompetitionResult.deleted.is_(False), _not_others_draft(s, CompetitionResult))
         .order_by(CompetitionResult.award_date.desc()))
    rows = list(s.execute(q))
    members = _result_members(s, [r.id for r, _ in rows])
    return [ResultView(r.id, cname, r.level, r.award, r.award_date, r.is_team, r.team_name, members.get(r.id, []),
                       r.verification) for r, cname in rows]


def _result_members(s: Session, result_ids: list[str]) -> dict[str, list[str]]:
    if not result_ids:
        return {}
    q = (select(CompetitionResultMember.result_id, Student.name)
         .join(Student, Student.id == CompetitionResultMember.student_id)
         .where(CompetitionResultMember.result_id.in_(result_ids), CompetitionResultMember.deleted.is_(False)))
    out: dict[str, list[str]] = defaultdict(list)
    for rid, name in s.execute(q):
        out[rid].append(name)
    return out


def _evaluations(s: Session, student_id: str, term_code: str | None) -> list[EvaluationView]:
    q = select(ProcessEvaluation).where(ProcessEvaluation.student_id == student_id, ProcessEvaluation.deleted.is_(False))
    if term_code:
        q = q.where(ProcessEvaluation.term_code == term_code)
    q = q.order_by(ProcessEvaluation.eval_date.desc(), ProcessEvaluation.dimension)
    return [EvaluationView(e.id, e.term_code, e.dimension, e.level, e.score, e.evaluator_role, e.evaluator_name,
                           e.eval_date, e.comment) for e in s.scalars(q)]


def _term_evaluation(s: Session, student_id: str, term_code: str) -> TermEvaluationView | None:
    te = s.scalars(select(TermEvaluation).where(TermEvaluation.student_id == student_id,
                                                TermEvaluation.term_code == term_code,
                                                TermEvaluation.deleted.is_(False))).first()
    if te is None:
        return None
    return TermEvaluationView(te.id, json.loads(te.levels_json or "{}"), te.comment, te.adviser_name, te.written_on)


def _evidence(s: Session, student_id: str, page: StudentPage) -> list[EvidenceView]:
    """Evidence on the student and on their projects, results and evaluations."""
    owners = [student_id] + [p.id for p in page.projects] + [r.id for r in page.results] + [e.id for e in page.evaluations]
    q = (select(Evidence).where(Evidence.owner_id.in_(owners), Evidence.deleted.is_(False))
         .order_by(Evidence.created_at))
    return [EvidenceView(e.id, e.owner_type, e.kind, e.original_name, e.size, e.sha256, e.url, e.note)
            for e in s.scalars(q)]


# ---------------------------------------------------------------- rubric, grid and term scores

def rubric(s: Session) -> RubricDoc:
    """The active rubric of this database, or the bundled default when none is stored."""
    return rubric_service.active_rubric(s)


def grid_levels(s: Session, student_ids: list[str], term_code: str, role: str,
                evaluator_name: str = "", round_date: date | None = None) -> dict[tuple[str, str], str]:
    """The class grid's cells: {(student, dimension): level} for one term, role and evaluator
    (and, with ``round_date``, that round), the record ``services.evaluations.set_grid_level`` writes."""
    if not student_ids:
        return {}
    q = (select(ProcessEvaluation.student_id, ProcessEvaluation.dimension, ProcessEvaluation.level)
         .where(ProcessEvaluation.student_id.in_(student_ids), ProcessEvaluation.term_code == term_code,
                ProcessEvaluation.evaluator_role == role, ProcessEvaluation.evaluator_name == evaluator_name,
                ProcessEvaluation.indicator == "", ProcessEvaluation.deleted.is_(False))
         .order_by(ProcessEvaluation.created_at.desc()))  # the oldest one wins, as in the service
    if round_date is not None:
        q = q.where(ProcessEvaluation.eval_date == round_date)
    return {(sid, dim): lvl for sid, dim, lvl in s.execute(q)}


def grid_comments(s: Session, student_ids: list[str], term_code: str, role: str,
                  evaluator_name: str = "", round_date: date | None = None) -> dict[str, str]:
    """The class grid's comment column: {student: comment} for one term, role and evaluator
    (and round), as ``services.evaluations.set_grid_comment`` stores it."""
    if not student_ids:
        return {}
    q = (select(ProcessEvaluation.student_id, ProcessEvaluation.comment)
         .where(ProcessEvaluation.student_id.in_(student_ids), ProcessEvaluation.term_code == term_code,
                ProcessEvaluation.evaluator_role == role, ProcessEvaluation.evaluator_name == evaluator_name,
                ProcessEvaluation.indicator == "", ProcessEvaluation.deleted.is_(False),
                ProcessEvaluation.comment != ""))
    if round_date is not None:
        q = q.where(ProcessEvaluation.eval_date == round_date)
    return {sid: text for sid, text in s.execute(q)}


def grid_rounds(s: Session, student_ids: list[str], term_code: str, role: str,
                evaluator_name: str = "") -> list[date]:
    """The dates of this evaluator's grid rounds in the term (oldest first): each date one round."""
    if not student_ids:
        return []
    q = (select(ProcessEvaluation.eval_date).distinct()
         .where(ProcessEvaluation.student_id.in_(student_ids), ProcessEvaluation.term_code == term_code,
                ProcessEvaluation.evaluator_role == role, ProcessEvaluation.evaluator_name == evaluator_name,
                ProcessEvaluation.indicator == "", ProcessEvaluation.deleted.is_(False))
         .order_by(ProcessEvaluation.eval_date))
    return list(s.scalars(q))


def term_scores(s: Session, student_ids: list[str], term_codes: list[str],
                rub: RubricDoc | None = None) -> dict[tuple[str, str], dict[str, float]]:
    """{(student, term): {dimension: score}} for the terms asked, by the rubric service's rule."""
    rub = rub or rubric(s)
    out: dict[tuple[str, str], dict[str, float]] = {}
    for code in term_codes:
        for sid, scores in rubric_service.class_term_scores(s, student_ids, code, rub).items():
            if scores:
                out[(sid, code)] = {d: round(v, 1) for d, v in scores.items()}
    return out


def overall(scores: dict[str, float], rub: RubricDoc) -> float | None:
    value = rubric_service.overall_score(scores, rub)
    return None if value is None else round(value, 1)


@dataclass
class TermRow2:
    """One line of the term evaluation table: computed scores, adviser's levels and comment."""
    student_id: str
    name: str
    national_student_no: str
    scores: dict[str, float]
    overall: float | None
    levels: dict[str, str]
    comment: str


def term_table(s: Session, class_id: str, term_code: str) -> list[TermRow2]:
    students = student_rows(s, [class_id], term_code=term_code)  # the class as it was in that term
    ids = [r.id for r in students]
    rub = rubric(s)
    scores = term_scores(s, ids, [term_code], rub)
    evals = {te.student_id: te for te in s.scalars(
        select(TermEvaluation).where(TermEvaluation.student_id.in_(ids), TermEvaluation.term_code == term_code,
                                     TermEvaluation.deleted.is_(False)))} if ids else {}
    out = []
    for r in students:
        sc = scores.get((r.id, term_code), {})
        te = evals.get(r.id)
        out.append(TermRow2(r.id, r.name, r.national_student_no, sc, overall(sc, rub),
                            json.loads(te.levels_json or "{}") if te else {}, te.comment if te else ""))
    return out


def missing_comments(rows: list[TermRow2]) -> int:
    return sum(1 for r in rows if not r.comment.strip())


@dataclass
class Growth:
    terms: list[str]
    scores: dict[str, dict[str, float]]  # term -> dimension -> score
    grades: dict[str, int] = field(default_factory=dict)  # term -> the grade the student was in then


def growth(s: Session, student_id: str, rub: RubricDoc | None = None) -> Growth:
    """Every term's dimension scores of one student, oldest term first (the growth view)."""
    rub = rub or rubric(s)
    codes = [t.code for t in terms(s)]
    per = term_scores(s, [student_id], codes, rub)
    have = [c for c in codes if (student_id, c) in per]
    from ..models import Enrollment
    by_year = {year: grade for year, grade in s.execute(
        select(SchoolClass.school_year, SchoolClass.grade).join(Enrollment, Enrollment.class_id == SchoolClass.id)
        .where(Enrollment.student_id == student_id, Enrollment.deleted.is_(False))
        .order_by(Enrollment.start_date, Enrollment.created_at))}  # latest enrollment of a year wins
    return Growth(have, {c: per[(student_id, c)] for c in have},
                  {c: by_year[int(c[:4])] for c in have if int(c[:4]) in by_year})


@dataclass
class ResultDetail:
    """One award with its members, for the editor."""
    id: str
    competition_id: str
    level: str
    award: str
    award_date: date
    certificate_no: str
    team_name: str
    work_title: str
    instructor: str
    verification: str
    members: list[StudentRow]


def result_detail(s: Session, result_id: str, lang: str = "zh_CN") -> ResultDetail:
    r = s.get(CompetitionResult, result_id)
    ids = [sid for (sid,) in s.execute(select(CompetitionResultMember.student_id).where(
        CompetitionResultMember.result_id == result_id, CompetitionResultMember.deleted.is_(False)))]
    members = student_rows(s, None, lang, student_ids=ids) if ids else []
    return ResultDetail(r.id, r.competition_id, r.level, r.award, r.award_date, r.certificate_no, r.team_name,
                        r.work_title, r.instructor, r.verification, members)


@dataclass
class ProjectDetail:
    id: str
    title: str
    kind: str
    discipline: str
    term_code: str
    start_date: date
    end_date: date | None
    status: str
    summary: str


def project_detail(s: Session, project_id: str) -> ProjectDetail:
    p = s.get(InnovationProject, project_id)
    return ProjectDetail(p.id, p.title, p.kind, p.discipline, p.term_code, p.start_date, p.end_date, p.status,
                         p.summary)


def competitions(s: Session) -> list[tuple[str, str]]:
    q = select(Competition.id, Competition.name).where(Competition.deleted.is_(False)).order_by(
        Competition.on_national_list.desc(), Competition.name)
    return [(cid, name) for cid, name in s.execute(q)]


@dataclass(frozen=True)
class CompetitionRow:
    """One catalog entry as the admin's list and the award form show it."""
    id: str
    name: str
    level: str
    organiser: str
    discipline: str
    source: str          # national | school | district (who manages it)
    editable: bool       # this database may change it
    results: int = 0     # awards recorded in it


def competition_rows(s: Session) -> list[CompetitionRow]:
    """The catalog: national list first, then local ones, each with who manages it."""
    from . import competitions as comp_service
    used = dict(s.execute(select(CompetitionResult.competition_id, func.count()).where(
        CompetitionResult.deleted.is_(False)).group_by(CompetitionResult.competition_id)).all())
    here = comp_service._owner_code(s)
    out = []
    for c in s.scalars(select(Competition).where(Competition.deleted.is_(False)).order_by(
            Competition.on_national_list.desc(), Competition.name)):
        source = "national" if c.on_national_list else ("school" if not c.owner_code or c.owner_code == here
                                                        else "district")
        out.append(CompetitionRow(c.id, c.name, c.level, c.organiser, c.discipline, source,
                                  comp_service.editable_here(s, c), used.get(c.id, 0)))
    return out


def vocab_items(vocab: dict, lang: str = "zh_CN") -> list[tuple[str, str]]:
    """(code, label) pairs of a closed vocabulary, for combo boxes."""
    return [(code, label(vocab, code, lang)) for code in vocab]


# ---------------------------------------------------------------- home page

@dataclass(frozen=True)
class Todo:
    """What is left for one class in a term: the home strip's counters."""
    students: int
    not_evaluated_this_month: int   # no process evaluation dated this month
    comments_missing: int           # no adviser's comment for the term
    awards_to_verify: int           # awards of the class's students still 待核验


def todo(s: Session, class_id: str, term_code: str, today: date | None = None) -> Todo:
    today = today or date.today()
    rows = student_rows(s, [class_id], term_code=term_code)
    ids = [r.id for r in rows]
    if not ids:
        return Todo(0, 0, 0, 0)
    month_start = today.replace(day=1)
    evaluated = set(s.scalars(select(ProcessEvaluation.student_id).distinct().where(
        ProcessEvaluation.student_id.in_(ids), ProcessEvaluation.deleted.is_(False),
        ProcessEvaluation.eval_date >= month_start, ProcessEvaluation.eval_date <= today)))
    commented = set(s.scalars(select(TermEvaluation.student_id).where(
        TermEvaluation.student_id.in_(ids), TermEvaluation.term_code == term_code,
        TermEvaluation.deleted.is_(False), func.trim(TermEvaluation.comment) != "")))
    awards = s.scalar(select(func.count(func.distinct(CompetitionResult.id))).join(
        CompetitionResultMember, CompetitionResultMember.result_id == CompetitionResult.id).where(
        CompetitionResultMember.student_id.in_(ids), CompetitionResultMember.deleted.is_(False),
        CompetitionResult.deleted.is_(False), CompetitionResult.verification == "unverified",
        CompetitionResult.term_code == term_code)) or 0
    return Todo(len(ids), len(ids) - len(evaluated), len(ids) - len(commented), awards)


@dataclass(frozen=True)
class FirstSteps:
    """A new school's first steps, each done or not: roster → teachers' accounts → advisers."""
    roster: bool
    accounts: bool
    advisers: bool

    @property
    def done(self) -> bool:
        return self.roster and self.accounts and self.advisers


def first_steps(s: Session) -> FirstSteps:
    has_students = s.scalar(select(func.count()).select_from(Student).where(Student.deleted.is_(False))) or 0
    teachers = s.scalar(select(func.count()).select_from(User).where(User.role.in_(("teacher", "adviser")))) or 0
    advised = s.scalar(select(func.count()).select_from(SchoolClass).where(
        SchoolClass.deleted.is_(False), SchoolClass.adviser_user_id.is_not(None))) or 0
    return FirstSteps(has_students > 0, teachers > 0, advised > 0)
