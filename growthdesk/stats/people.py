"""Following students across stages: one person = every student row with the same person key.

A student who moved from a primary school to a junior school in the district has two student
rows (one per school, each from that school's bundles) with the same ``person_key``; here they
become one history: schools and classes by year, projects, awards, term scores.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, ValidationError
from ..models import (Competition, CompetitionResult, CompetitionResultMember, Enrollment, InnovationProject,
                      ProcessEvaluation, ProjectMember, School, SchoolClass, Setting, Student)
from ..models.enums import AWARDS, LEVELS, PROJECT_KINDS, PROJECT_STATUSES, STAGES, STUDENT_STATUSES, label
from ..services.names import class_label
from ..services.students import person_key, validate_national_student_no
from ..services.rubric import active_rubric, class_term_scores
from ..services.terms import term_dates

SEARCH_LIMIT = 200


def person_key_for(session: Session, national_no: str) -> str | None:
    """The person key of a national student number, with this district's secret."""
    row = session.get(Setting, "person_key_secret")
    if row is None or not row.value:
        return None
    try:
        no = validate_national_student_no(national_no)
    except ValidationError:
        return None
    return person_key(row.value, no)  # the same derivation the schools use


def search_persons(session: Session, text: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Persons whose name contains ``text``, or whose national number / person key is ``text``.

    One row per person with every school they appear in, newest record first.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError("请输入姓名、学籍号或个人标识", "enter a name, national student number or person key",
                              field="query")
    s_, sc = Student.__table__, School.__table__
    conds = [s_.c.name.contains(text, autoescape=True), s_.c.person_key == text.lower()]
    key = person_key_for(session, text) if text.isascii() else None
    if key:
        conds.append(s_.c.person_key == key)
    q = (select(s_.c.person_key, s_.c.id, s_.c.name, s_.c.stage, s_.c.school_code, sc.c.name.label("school_name"),
                s_.c.updated_at)
         .select_from(s_.outerjoin(sc, sc.c.code == s_.c.school_code))
         .where(~s_.c.deleted, or_(*conds)).order_by(s_.c.updated_at.desc()).limit(limit * 3))
    persons: dict[str, dict] = {}
    for r in session.execute(q):
        pk = r.person_key or r.id
        p = persons.setdefault(pk, {"person_key": pk, "name": r.name, "stage": r.stage, "schools": []})
        if r.school_name or r.school_code:
            name = r.school_name or r.school_code
            if name not in p["schools"]:
                p["schools"].append(name)
    return list(persons.values())[:limit]


def _records(session: Session, person_key: str) -> list:
    s_, sc, cl = Student.__table__, School.__table__, SchoolClass.__table__
    q = (select(s_.c.id, s_.c.name, s_.c.gender, s_.c.stage, s_.c.status, s_.c.school_code,
                sc.c.name.label("school_name"), sc.c.category, cl.c.grade, cl.c.class_no, cl.c.school_year)
         .select_from(s_.outerjoin(sc, sc.c.code == s_.c.school_code).outerjoin(cl, cl.c.id == s_.c.class_id))
         .where(~s_.c.deleted, or_(s_.c.person_key == person_key, s_.c.id == person_key)))
    return list(session.execute(q))


def person_history(session: Session, person_key: str, lang: str = "zh_CN", *, reason: str = "") -> dict:
    """Everything the district holds about one person, across schools, as a dated timeline.
    Only with a stated ``reason``, written to the access log with who asked."""
    from ..services import accesslog
    if len(str(reason or "").strip()) < 2:
        accesslog.record(session, "person_history", reason=reason)  # raises: the reason is required
    records = _records(session, person_key)
    if not records:
        raise NotFoundError(f"找不到此学生：{person_key}", f"no student with person key {person_key}",
                            field="person_key", value=person_key)
    ids = [r.id for r in records]
    accesslog.record(session, "person_history", ids, reason=reason, detail=f"person {person_key[:12]}")
    schools = {r.id: (r.school_code, r.school_name or r.school_code) for r in records}
    enrollments = _enrollments(session, ids, schools)
    projects = _projects(session, ids, schools)
    awards = _awards(session, ids, schools)
    evaluations = _evaluations(session, ids, schools)
    timeline = sorted(enrollments + projects + awards + evaluations, key=lambda e: (e["date"], e["kind"]))
    first = max(records, key=lambda r: (r.school_year or 0))
    return {"person_key": person_key, "name": first.name, "gender": first.gender,
            "records": [{"student_id": r.id, "school_code": r.school_code, "school_name": r.school_name or r.school_code,
                         "category": r.category, "stage": r.stage, "stage_zh": label(STAGES, r.stage),
                         "status": r.status, "status_zh": label(STUDENT_STATUSES, r.status),
                         "school_year": r.school_year,
                         "class": class_label(r.grade, r.class_no) if r.grade else ""}
                        for r in sorted(records, key=lambda r: (r.school_year or 0, r.school_code))],
            "timeline": timeline,
            "projects": sorted(projects, key=lambda e: e["date"]), "awards": sorted(awards, key=lambda e: e["date"]),
            "evaluations": evaluations}


def _enrollments(session, ids, schools) -> list[dict]:
    en, cl = Enrollment.__table__, SchoolClass.__table__
    q = (select(en.c.student_id, en.c.start_date, en.c.end_date, en.c.reason, en.c.school_year, cl.c.grade, cl.c.class_no)
         .select_from(en.outerjoin(cl, cl.c.id == en.c.class_id))
         .where(en.c.student_id.in_(ids), ~en.c.deleted))
    out = []
    for r in session.execute(q):
        code, name = schools[r.student_id]
        cls = class_label(r.grade, r.class_no) if r.grade else ""
        out.append({"date": r.start_date.isoformat(), "kind": "enrollment", "school_code": code, "school_name": name,
                    "text": f"{name} {cls}（{r.school_year}学年）".strip(), "school_year": r.school_year})
    return out


def _projects(session, ids, schools) -> list[dict]:
    p, pm = InnovationProject.__table__, ProjectMember.__table__
    q = (select(pm.c.student_id, pm.c.role, p.c.title, p.c.kind, p.c.status, p.c.start_date, p.c.end_date, p.c.term_code)
         .select_from(pm.join(p, p.c.id == pm.c.project_id))
         .where(pm.c.student_id.in_(ids), ~pm.c.deleted, ~p.c.deleted, p.c.state == "approved"))
    out = []
    for r in session.execute(q):
        code, name = schools[r.student_id]
        out.append({"date": r.start_date.isoformat(), "kind": "project", "school_code": code, "school_name": name,
                    "term": r.term_code, "title": r.title, "status": r.status,
                    "text": f"科创项目《{r.title}》（{label(PROJECT_KINDS, r.kind)}，{label(PROJECT_STATUSES, r.status)}）"})
    return out


def _awards(session, ids, schools) -> list[dict]:
    r_, m, c = CompetitionResult.__table__, CompetitionResultMember.__table__, Competition.__table__
    q = (select(m.c.student_id, r_.c.level, r_.c.award, r_.c.award_date, r_.c.term_code, r_.c.verification,
                c.c.name.label("competition"), c.c.discipline)
         .select_from(m.join(r_, r_.c.id == m.c.result_id).join(c, c.c.id == r_.c.competition_id))
         .where(m.c.student_id.in_(ids), ~m.c.deleted, ~r_.c.deleted, r_.c.verification != "rejected",
                r_.c.state == "approved"))
    out = []
    for r in session.execute(q):
        code, name = schools[r.student_id]
        out.append({"date": r.award_date.isoformat(), "kind": "award", "school_code": code, "school_name": name,
                    "term": r.term_code, "level": r.level, "award": r.award, "competition": r.competition,
                    "text": f"{r.competition} {label(LEVELS, r.level)}{label(AWARDS, r.award)}"})
    return out


def _evaluations(session, ids, schools) -> list[dict]:
    """Term scores per term and school (the services' scoring, one query per term)."""
    e = ProcessEvaluation.__table__
    pairs = session.execute(select(e.c.student_id, e.c.term_code).where(e.c.student_id.in_(ids), ~e.c.deleted)
                            .distinct()).all()
    rubric = active_rubric(session)
    out = []
    for sid, term in sorted(pairs, key=lambda p: p[1]):
        scores = class_term_scores(session, [sid], term, rubric)[sid]
        if not scores:
            continue
        code, name = schools[sid]
        shown = "，".join(f"{rubric.dimension(d).short_zh}{v:.1f}" for d, v in scores.items())
        out.append({"date": term_dates(term)[1].isoformat(), "kind": "evaluation", "school_code": code, "school_name": name, "term": term,
                    "scores": {d: round(v, 2) for d, v in scores.items()}, "text": f"{term} 学期评价：{shown}"})
    return out
