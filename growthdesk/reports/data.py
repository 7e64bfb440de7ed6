"""Everything a term portfolio prints, gathered for a whole batch of students at once.

The layout code never queries: ``gather()`` runs one read-only SELECT per table for all the
students of the batch (chunked so an IN list stays small), then builds plain dataclasses. That
keeps database work a small share of a 500-student run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import GrowthDeskError, NotFoundError
from ..models import (Amendment, SelfRecord, SignOff, Competition, CompetitionResult, CompetitionResultMember, Enrollment, Evidence,
                      InnovationProject, ProcessEvaluation,
                      ProjectLogEntry, ProjectMember, ProjectMentor, ProjectOutcome, SchoolClass, Setting,
                      Student, Term, TermEvaluation)
from ..services import evidence as evidence_service
from ..services import rubric as rubric_service
from ..services import terms as terms_service
from . import labels

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


# ---------------------------------------------------------------- rubric

@dataclass(frozen=True)
class Dim:
    code: str
    short_zh: str
    name_zh: str
    weight: float


@dataclass(frozen=True)
class Scale:
    code: str
    label_zh: str
    min: float


@dataclass(frozen=True)
class RubricInfo:
    dims: tuple[Dim, ...]
    levels: tuple[Scale, ...]          # highest first
    role_weights: dict[str, float]
    doc: object = None                 # the services.rubric.RubricDoc it came from

    def level_for(self, score: float | None) -> str:
        if score is None:
            return ""
        for lv in self.levels:
            if score >= lv.min:
                return lv.code
        return self.levels[-1].code if self.levels else ""

    def level_label(self, code: str) -> str:
        return next((lv.label_zh for lv in self.levels if lv.code == code), code)

    def dim_name(self, code: str) -> str:
        return next((d.name_zh for d in self.dims if d.code == code), code)


def load_rubric(s: Session) -> RubricInfo:
    """The active rubric (``services.rubric``: the stored one, or the bundled default)."""
    doc = rubric_service.active_rubric(s)
    dims = tuple(Dim(d.code, d.short_zh, d.name_zh, d.weight) for d in doc.dimensions)
    levels = tuple(Scale(lv.code, lv.label_zh, lv.min) for lv in sorted(doc.levels, key=lambda lv: -lv.min))
    return RubricInfo(dims, levels, dict(doc.role_weights), doc)


def weighted_scores(role_means: dict[str, dict[str, float]], rub: RubricInfo) -> dict[str, float]:
    """{dimension: score} from {dimension: {role: mean}}: the role-weighted mean of DESIGN §3,
    by the same rule as ``services.rubric.class_term_scores`` (one rule for screen and paper)."""
    out = {}
    for d in rub.dims:
        if d.code in role_means:
            value = rubric_service.combine_roles(role_means[d.code], rub.doc)
            if value is not None:
                out[d.code] = round(value, 1)
    return out


def overall_score(scores: dict[str, float], rub: RubricInfo) -> float | None:
    value = rubric_service.overall_score(scores, rub.doc)
    return None if value is None else round(value, 1)


# ---------------------------------------------------------------- what a portfolio holds

@dataclass
class RoleSummary:
    count: int
    mean: float


@dataclass
class CommentItem:
    dimension: str
    role: str
    evaluator: str
    on: date
    text: str


@dataclass
class Award:
    competition: str
    level: str
    award: str
    on: date
    team: list[str]
    is_team: bool
    team_name: str
    work_title: str
    instructor: str
    verification: str
    certificate_no: str = ""
    certificate: object | None = None  # StoredEvidence: the certificate photo (one for the whole team)


@dataclass
class LogItem:
    stage: str
    on: date
    text: str


@dataclass
class Outcome:
    kind: str
    title: str
    on: date | None
    reference: str


@dataclass
class Project:
    title: str
    kind: str
    discipline: str
    status: str
    start: date
    end: date | None
    summary: str
    role: str
    members: list[str] = field(default_factory=list)
    mentors: list[str] = field(default_factory=list)
    log: list[LogItem] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class ProgrammeItem:
    """A cultivation programme membership of the student's person (any school of the district
    the database knows): this term's approved growth-log entries and evaluations."""
    name: str
    tier: str
    joined: date
    left: date | None
    status: str
    leave_reason: str
    in_mentor: str
    ext_mentor: str
    destination: str
    logs: list[tuple] = field(default_factory=list)         # (date, activity, hours, content, feedback)
    evaluations: list[tuple] = field(default_factory=list)  # (date, kind, result, comment, reason)

    @property
    def hours(self) -> float:
        return round(sum(h for _, _, h, _, _ in self.logs), 2)


@dataclass
class SelfItem:
    kind: str
    title: str
    on: date
    place: str
    hours: float | None
    role: str
    reflection: str
    provenance: str


@dataclass
class AmendmentItem:
    record_type: str
    content: str
    reason: str
    by: str
    on: date
    original: str = ""      # the signed record as it stays in the archive, printed beside the amendment


@dataclass
class SignOffInfo:
    student: date | None = None
    adviser: date | None = None
    adviser_name: str = ""
    principal: date | None = None
    principal_name: str = ""


@dataclass
class StudentPortfolio:
    student_id: str
    name: str
    national_student_no: str
    gender: str
    class_id: str | None
    class_label: str
    grade: int | None
    adviser_name: str
    scores: dict[str, float] = field(default_factory=dict)
    overall: float | None = None
    previous_term: str | None = None
    previous_scores: dict[str, float] = field(default_factory=dict)
    previous_overall: float | None = None
    history: dict[str, dict[str, float]] = field(default_factory=dict)   # term -> dim -> score, oldest first
    roles: dict[str, dict[str, RoleSummary]] = field(default_factory=dict)  # dim -> role -> summary
    evaluation_count: int = 0
    comments: list[CommentItem] = field(default_factory=list)
    adviser_levels: dict[str, str] = field(default_factory=dict)
    adviser_comment: str = ""
    adviser_comment_by: str = ""
    adviser_comment_on: date | None = None
    awards: list[Award] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    photo: Path | None = None  # the student's own photo evidence, printed in the cover's photo box
    programmes: list[ProgrammeItem] = field(default_factory=list)  # cultivation programmes (issue 16)
    person_key: str = ""
    self_records: list[SelfItem] = field(default_factory=list)
    amendments: list[AmendmentItem] = field(default_factory=list)
    signoff: SignOffInfo = field(default_factory=lambda: SignOffInfo())

    @property
    def draft(self) -> bool:
        """The term's archive is not signed off yet: the portfolio prints 草稿."""
        return self.signoff.principal is None

    @property
    def is_empty(self) -> bool:
        return not (self.evaluation_count or self.awards or self.projects or self.adviser_comment
                    or self.adviser_levels or self.history or self.self_records or self.programmes)


@dataclass
class TermInfo:
    code: str
    label: str
    start: date
    end: date

    @property
    def year(self) -> int:
        """The school year the term belongs to: 2025 for 2025-2026-1 and 2025-2026-2."""
        return int(self.code[:4])


@dataclass
class Batch:
    school_name: str
    term: TermInfo
    rubric: RubricInfo
    terms: list[TermInfo]            # every term up to this one, oldest first
    students: list[StudentPortfolio]


# ---------------------------------------------------------------- gathering

def _chunks(ids: list[str]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _rows(s: Session, ids: list[str], build):
    """Run ``build(chunk)`` (a select) per chunk of ids and chain the rows."""
    for chunk in _chunks(ids):
        yield from s.execute(build(chunk))


def all_terms(s: Session) -> list[TermInfo]:
    rows = s.scalars(select(Term).order_by(Term.school_year, Term.term_no)).all()
    return [TermInfo(t.code, labels.term_label(t.code), t.start_date, t.end_date) for t in rows]


def find_term(s: Session, code: str) -> TermInfo:
    try:  # accept what services.terms accepts (spaces, full-width digits …)
        code = terms_service.normalise_term_code(code)
    except GrowthDeskError:
        pass  # then it matches nothing, and the error lists the valid codes
    terms = all_terms(s)
    for t in terms:
        if t.code == code:
            return t
    valid = "、".join(t.code for t in terms) or "（无）"
    raise NotFoundError(f"找不到学期：{code}；可选：{valid}", f"unknown term {code!r}; valid: "
                        f"{', '.join(t.code for t in terms) or '(none)'}", field="term", value=code)


def gather(s: Session, term_code: str, student_ids: list[str], db_path: Path | None = None) -> Batch:
    """All the data of a batch, in the order of ``student_ids``; one pass per table.

    ``db_path`` (the SQLite file) locates evidence files for the cover photo."""
    term = find_term(s, term_code)
    terms = [t for t in all_terms(s) if t.start <= term.start]
    rub = load_rubric(s)
    school = s.get(Setting, "school_name")
    people = _students(s, student_ids, term)
    by_id = {p.student_id: p for p in people}
    _scores(s, by_id, terms, term, rub)
    _comments(s, by_id, term.code)
    _term_evaluations(s, by_id, term.code)
    _awards(s, by_id, term, db_path)
    _projects(s, by_id, term)
    _programmes(s, by_id, term)
    _self_records(s, by_id, term)
    _archive(s, by_id, term)
    _photos(s, by_id, db_path)
    return Batch(school.value if school else "", term, rub, terms, people)


def term_classes(s: Session, term: TermInfo, ids: list[str]) -> dict[str, str]:
    """{student: class id} during ``term``, from the enrollment history; a student promoted
    since then is printed with the class they were in, not today's. Latest enrollment wins."""
    e = Enrollment

    def build(chunk):
        return (select(e.student_id, e.class_id).join(SchoolClass, SchoolClass.id == e.class_id)
                .where(e.student_id.in_(chunk), e.deleted.is_(False), SchoolClass.school_year == term.year,
                       e.start_date <= term.end, or_(e.end_date.is_(None), e.end_date >= term.start))
                .order_by(e.start_date, e.created_at))
    return {sid: cid for sid, cid in _rows(s, ids, build)}


def _students(s: Session, ids: list[str], term: TermInfo) -> list[StudentPortfolio]:
    rows = list(_rows(s, ids, lambda chunk: select(Student.id, Student.name, Student.national_student_no,
                                                   Student.gender, Student.class_id, Student.person_key)
                      .where(Student.id.in_(chunk))))
    in_term = term_classes(s, term, ids)
    class_of = {sid: in_term.get(sid, cid) for sid, _, _, _, cid, _ in rows}
    classes = {c.id: c for c in s.scalars(select(SchoolClass).where(
        SchoolClass.id.in_({cid for cid in class_of.values() if cid})))}
    found = {}
    for sid, name, no, gender, _, key in rows:
        cls = classes.get(class_of[sid])
        found[sid] = StudentPortfolio(sid, name, no or "", gender, cls.id if cls else None,
                                      labels.class_label(cls.grade, cls.class_no) if cls else "",
                                      cls.grade if cls else None, cls.adviser_name if cls else "", person_key=key or "")
    return [found[i] for i in ids if i in found]


def _scores(s: Session, by_id, terms: list[TermInfo], term: TermInfo, rub: RubricInfo) -> None:
    """Scores of every term (growth), previous term (value added) and role summary (this term)."""
    codes = [t.code for t in terms]
    pe = ProcessEvaluation

    def build(chunk):
        return (select(pe.student_id, pe.term_code, pe.dimension, pe.evaluator_role, func.avg(pe.score), func.count())
                .where(pe.student_id.in_(chunk), pe.term_code.in_(codes), pe.deleted.is_(False))
                .group_by(pe.student_id, pe.term_code, pe.dimension, pe.evaluator_role))
    means: dict[tuple[str, str], dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for sid, tcode, dim, role, avg, count in _rows(s, list(by_id), build):
        means[(sid, tcode)][dim][role] = float(avg)
        if tcode == term.code:
            p = by_id[sid]
            p.roles.setdefault(dim, {})[role] = RoleSummary(count, round(float(avg), 1))
            p.evaluation_count += count
    for (sid, tcode), role_means in means.items():
        by_id[sid].history[tcode] = weighted_scores(role_means, rub)
    for p in by_id.values():
        p.history = {c: p.history[c] for c in codes if c in p.history}
        p.scores = p.history.get(term.code, {})
        p.overall = overall_score(p.scores, rub)
        earlier = [c for c in p.history if c != term.code]
        if earlier:
            p.previous_term = earlier[-1]
            p.previous_scores = p.history[earlier[-1]]
            p.previous_overall = overall_score(p.previous_scores, rub)


# Whose words are quoted first: teachers and mentors write the most useful comments for a file.
ROLE_PRIORITY = {"adviser": 0, "teacher": 1, "mentor": 2, "enterprise": 3, "parent": 4, "peer": 5, "self": 6}
COMMENTS_PER_DIMENSION = 2


def _comments(s: Session, by_id, term_code: str) -> None:
    pe = ProcessEvaluation

    def build(chunk):
        return (select(pe.student_id, pe.dimension, pe.evaluator_role, pe.evaluator_name, pe.eval_date, pe.comment)
                .where(pe.student_id.in_(chunk), pe.term_code == term_code, pe.deleted.is_(False), pe.comment != ""))
    pool: dict[str, list[CommentItem]] = defaultdict(list)
    for sid, dim, role, who, on, text in _rows(s, list(by_id), build):
        if text.strip():
            pool[sid].append(CommentItem(dim, role, who, on, text.strip()))
    for sid, items in pool.items():
        by_id[sid].comments = choose_comments(items)


def choose_comments(items: list[CommentItem]) -> list[CommentItem]:
    """A few comments per dimension: the most authoritative role first, then the latest."""
    by_dim: dict[str, list[CommentItem]] = defaultdict(list)
    for c in sorted(items, key=lambda c: (ROLE_PRIORITY.get(c.role, 9), -c.on.toordinal())):
        if len(by_dim[c.dimension]) < COMMENTS_PER_DIMENSION:
            by_dim[c.dimension].append(c)
    return [c for dim in by_dim for c in by_dim[dim]]


def _term_evaluations(s: Session, by_id, term_code: str) -> None:
    te = TermEvaluation

    def build(chunk):
        return select(te.student_id, te.levels_json, te.comment, te.adviser_name, te.written_on).where(
            te.student_id.in_(chunk), te.term_code == term_code, te.deleted.is_(False))
    for sid, levels_json, comment, adviser, on in _rows(s, list(by_id), build):
        p = by_id[sid]
        try:
            p.adviser_levels = {k: str(v) for k, v in json.loads(levels_json or "{}").items()}
        except (ValueError, AttributeError):
            p.adviser_levels = {}  # a damaged JSON cell must not stop a class's printing
        p.adviser_comment = (comment or "").strip()
        p.adviser_comment_by = adviser or ""
        p.adviser_comment_on = on


def _certificates(s: Session, result_ids: list[str], db_path: Path | None) -> dict[str, Path]:
    """{result id: its certificate photo file} (evidence owned by the award, kind 证书, an image)."""
    ev = Evidence
    out: dict[str, Path] = {}
    if not result_ids or db_path is None:
        return out

    def build(chunk):
        return (select(ev.owner_id, ev.sha256, ev.mime_type).where(
            ev.owner_id.in_(chunk), ev.owner_type == "result", ev.kind == "certificate", ev.deleted.is_(False),
            ev.sha256 != "").order_by(ev.created_at))
    for rid, sha, mime in _rows(s, result_ids, build):
        if not (mime or "").startswith("image/"):
            continue
        try:
            path = evidence_service.evidence_file_path(db_path, sha)
        except GrowthDeskError:
            continue
        if path.is_file():
            out[rid] = evidence_service.StoredEvidence(db_path, sha, path)  # read (unsealed) when printed
    return out


def _awards(s: Session, by_id, term: TermInfo, db_path: Path | None = None) -> None:
    """This term's awards: by the result's term (set from the award date when it was recorded),
    so an award is printed in exactly one term portfolio."""
    r, m = CompetitionResult, CompetitionResultMember
    in_term = r.term_code == term.code

    def build(chunk):
        return (select(m.student_id, r.id, Competition.name, r.level, r.award, r.award_date, r.is_team, r.team_name,
                       r.work_title, r.instructor, r.verification, r.certificate_no)
                .join(r, r.id == m.result_id).join(Competition, Competition.id == r.competition_id)
                .where(m.student_id.in_(chunk), m.deleted.is_(False), r.deleted.is_(False), in_term,
                       r.state == "approved"))
    rows = list(_rows(s, list(by_id), build))
    team = _names_by(s, [row[1] for row in rows if row[6]], m.result_id, m.student_id, m)
    photos = _certificates(s, list({row[1] for row in rows}), db_path)
    for sid, rid, comp, level, award, on, is_team, team_name, work, instructor, verification, cert in rows:
        if verification == "rejected":
            continue  # a result that failed verification does not go into the student's file
        by_id[sid].awards.append(Award(comp, level, award, on, team.get(rid, []), is_team, team_name or "",
                                       work or "", instructor or "", verification, cert or "", photos.get(rid)))
    for p in by_id.values():
        p.awards.sort(key=lambda a: (labels.level_rank(a.level), a.on))


def _self_records(s: Session, by_id, term: TermInfo) -> None:
    """写实记录 of the term: approved ones only."""
    from ..services.review import provenance_label
    sr = SelfRecord

    def build(chunk):
        return (select(sr).where(sr.student_id.in_(chunk), sr.deleted.is_(False), sr.term_code == term.code,
                                 sr.state == "approved").order_by(sr.activity_date, sr.created_at))
    for (row,) in _rows(s, list(by_id), build):
        by_id[row.student_id].self_records.append(SelfItem(row.kind, row.title, row.activity_date, row.place or "",
                                                           row.hours, row.role or "", (row.reflection or "").strip(),
                                                           provenance_label(row)))


def _archive(s: Session, by_id, term: TermInfo) -> None:
    """Sign-off dates (the 草稿 watermark until the principal's) and amendments after sign-off."""
    so = SignOff
    grades = {sid: p.grade for sid, p in by_id.items()}
    rows = list(s.execute(select(so.kind, so.grade, so.class_id, so.student_id, so.signed_at, so.signer_name)
                          .where(so.term_code == term.code, so.deleted.is_(False))))
    for p in by_id.values():
        for kind, grade, class_id, student_id, at, name in rows:
            if kind == "student" and student_id == p.student_id:
                p.signoff.student = at.date()
            elif kind == "adviser" and class_id and class_id == p.class_id:
                p.signoff.adviser, p.signoff.adviser_name = at.date(), name
            elif kind == "principal" and grade == grades.get(p.student_id):
                p.signoff.principal, p.signoff.principal_name = at.date(), name

    def build(chunk):
        return (select(Amendment).where(Amendment.student_id.in_(chunk), Amendment.term_code == term.code,
                                        Amendment.deleted.is_(False)).order_by(Amendment.amended_at))
    found = [a for (a,) in _rows(s, list(by_id), build)]
    if not found:
        return
    from ..services.archive import display_names, record_title
    names = display_names(s, {a.amended_by for a in found})
    for a in found:
        by_id[a.student_id].amendments.append(AmendmentItem(a.record_type, a.content, a.reason,
                                                            names.get(a.amended_by.lower(), a.amended_by),
                                                            a.amended_at.date(), record_title(s, a.record_type, a.record_id)))


def _names_by(s: Session, ids: list[str], key_col, student_col, model) -> dict[str, list[str]]:
    """{parent id: [student names]} for member tables (team members, project members)."""
    ids = sorted(set(ids))

    def build(chunk):
        return (select(key_col, Student.name).join(Student, Student.id == student_col)
                .where(key_col.in_(chunk), model.deleted.is_(False)).order_by(Student.name))
    out: dict[str, list[str]] = defaultdict(list)
    for key, name in _rows(s, ids, build):
        out[key].append(name)
    return out


def _projects(s: Session, by_id, term: TermInfo) -> None:
    """Projects running during the term (started by its end, not finished before its start)."""
    p, pm = InnovationProject, ProjectMember
    running = (p.start_date <= term.end) & (or_(p.end_date.is_(None), p.end_date >= term.start))

    def build(chunk):
        return (select(pm.student_id, pm.role, p).join(p, p.id == pm.project_id)
                .where(pm.student_id.in_(chunk), pm.deleted.is_(False), p.deleted.is_(False), running,
                       p.state == "approved"))
    rows = list(_rows(s, list(by_id), build))
    pids = sorted({proj.id for _, _, proj in rows})
    members = _names_by(s, pids, pm.project_id, pm.student_id, pm)
    mentors, logs, outcomes = _project_details(s, pids, term)
    for sid, role, proj in rows:
        by_id[sid].projects.append(Project(proj.title, proj.kind, proj.discipline, proj.status, proj.start_date,
                                           proj.end_date, (proj.summary or "").strip(), role,
                                           members.get(proj.id, []), mentors.get(proj.id, []),
                                           logs.get(proj.id, []), outcomes.get(proj.id, [])))
    for person in by_id.values():
        person.projects.sort(key=lambda x: x.start)


def _project_details(s: Session, pids: list[str], term: TermInfo):
    mentors: dict[str, list[str]] = defaultdict(list)
    logs: dict[str, list[LogItem]] = defaultdict(list)
    outcomes: dict[str, list[Outcome]] = defaultdict(list)
    pm, pl, po = ProjectMentor, ProjectLogEntry, ProjectOutcome
    for pid, name, kind, org, title in _rows(s, pids, lambda c: select(
            pm.project_id, pm.name, pm.kind, pm.organisation, pm.title).where(
            pm.project_id.in_(c), pm.deleted.is_(False)).order_by(pm.kind, pm.name)):
        mentors[pid].append(labels.mentor_text(name, kind, org, title))
    for pid, stage, on, text in _rows(s, pids, lambda c: select(pl.project_id, pl.stage, pl.entry_date, pl.content).where(
            pl.project_id.in_(c), pl.deleted.is_(False), pl.entry_date <= term.end, pl.state == "approved")
            .order_by(pl.entry_date)):
        logs[pid].append(LogItem(stage, on, (text or "").strip()))
    for pid, kind, title, on, ref in _rows(s, pids, lambda c: select(
            po.project_id, po.kind, po.title, po.outcome_date, po.reference).where(
            po.project_id.in_(c), po.deleted.is_(False)).order_by(po.outcome_date)):
        outcomes[pid].append(Outcome(kind, title, on, ref or ""))
    return mentors, logs, outcomes


def _photos(s: Session, by_id, db_path: Path | None) -> None:
    """A photo evidence file attached to the student (kind 照片): the latest one that exists."""
    ev = Evidence

    def build(chunk):
        # The portrait chosen on the student's profile (note 证件照) wins over other photos.
        return (select(ev.owner_id, ev.sha256).where(
            ev.owner_id.in_(chunk), ev.owner_type == "student", ev.kind == "photo", ev.deleted.is_(False),
            ev.sha256 != "").order_by(ev.note == "证件照", ev.created_at))
    for sid, sha in _rows(s, list(by_id), build):
        try:
            path = evidence_service.evidence_file_path(db_path, sha)
        except GrowthDeskError:
            continue
        if path.is_file():
            by_id[sid].photo = evidence_service.StoredEvidence(db_path, sha, path)


def _programmes(s: Session, by_id, term: TermInfo) -> None:
    """Programme memberships begun by the end of the term, of the student or of their person (a
    member who moved on from another school of the district keeps the history in the portfolio);
    this term's approved log entries and evaluations."""
    from ..models import Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember, ProgrammeMentor
    ids = list(by_id)
    owners: dict[str, list[str]] = defaultdict(list)
    for sid, p in by_id.items():
        if p.person_key:
            owners[p.person_key].append(sid)
    members: dict[str, ProgrammeMember] = {}
    for chunk in _chunks(ids):  # one query a chunk: the students' rows and their persons' rows elsewhere
        keys = [by_id[sid].person_key for sid in chunk if by_id[sid].person_key]
        cond = ProgrammeMember.student_id.in_(chunk)
        if keys:
            cond = or_(cond, ProgrammeMember.person_key.in_(keys))
        for m in s.scalars(select(ProgrammeMember).where(cond)):
            members[m.id] = m
    members = {k: m for k, m in members.items() if not m.deleted and m.joined_on <= term.end}
    if not members:
        return
    progs = {p.id: p for p in s.scalars(select(Programme).where(
        Programme.id.in_({m.programme_id for m in members.values()}), Programme.deleted.is_(False)))}
    mentor_ids = {i for m in members.values() for i in (m.in_mentor_id, m.ext_mentor_id) if i}
    mentors = {x.id: x for x in s.scalars(select(ProgrammeMentor).where(ProgrammeMentor.id.in_(mentor_ids)))}
    logs: dict[str, list[tuple]] = defaultdict(list)
    evals: dict[str, list[tuple]] = defaultdict(list)
    mids = list(members)
    for chunk in _chunks(mids):
        for e in s.scalars(select(ProgrammeLogEntry).where(
                ProgrammeLogEntry.member_id.in_(chunk), ProgrammeLogEntry.deleted.is_(False),
                ProgrammeLogEntry.state == "approved", ProgrammeLogEntry.entry_date >= term.start,
                ProgrammeLogEntry.entry_date <= term.end).order_by(ProgrammeLogEntry.entry_date, ProgrammeLogEntry.id)):
            logs[e.member_id].append((e.entry_date, e.activity, e.hours, e.content, e.mentor_feedback))
        for e in s.scalars(select(ProgrammeEvaluation).where(
                ProgrammeEvaluation.member_id.in_(chunk), ProgrammeEvaluation.deleted.is_(False),
                ProgrammeEvaluation.term_code == term.code).order_by(ProgrammeEvaluation.eval_date,
                                                                      ProgrammeEvaluation.id)):
            evals[e.member_id].append((e.eval_date, e.kind, e.result, e.comment, e.reason))
    tiers = ["primary", "junior", "senior"]
    ordered = sorted(members.values(), key=lambda m: (m.joined_on, tiers.index(progs[m.programme_id].tier)
                                                      if m.programme_id in progs else 0, m.id))
    for m in ordered:
        p = progs.get(m.programme_id)
        if p is None:
            continue
        mi, me = mentors.get(m.in_mentor_id), mentors.get(m.ext_mentor_id)
        item = ProgrammeItem(p.name, p.tier, m.joined_on, m.left_on, m.status, m.leave_reason, mi.name if mi else "",
                             f"{me.name}（{me.institution}）" if me else "",
                             "，".join(x for x in (m.destination_school, m.destination_track) if x),
                             logs.get(m.id, []), evals.get(m.id, []))
        targets = set(owners.get(m.person_key, [])) if m.person_key else set()
        if m.student_id in by_id:
            targets.add(m.student_id)
        for sid in targets:
            by_id[sid].programmes.append(item)
