"""Cultivation programmes read back: a programme's candidates (the cultivation rules, per term,
merged with the nominations and decisions people made), its page (members, mentors, logs,
evaluations, members' awards and projects during the programme), the chain across schools and
stages (小学科创苗子 → 初中学科特长 → 高中拔尖人才, by ``person_key``), members by tier and
school category, retention from tier to tier, mentors' load, and a mentor's own record.

Core SQLAlchemy only, so SQLite and PostgreSQL give the same rows. Candidates are for
cultivation programmes, never for admission: every result carries ``NOTICE``.

Definitions (the tests compute them by hand):
* a *member* of a tier is a person with a live ``programme_member`` row (any status) in a live
  programme of that tier; the person is the member's ``person_key`` or, where the row has none,
  the person key of its student row, or the student id;
* *members by category*: the school the member was selected at (``student_school``) gives the
  category; the population is the live student rows of that stage at schools of that category
  (distinct persons); share = members / population;
* *retention* lower → upper tier: of the lower tier's members who have a live student row at
  the upper stage in the district (they reached it), the share who are members of an upper-tier
  programme;
* a mentor's *hours* are the approved growth-log hours of the members they guide (as in-school
  or external mentor); *load* counts their members (all, and active).
"""

from __future__ import annotations

from pathlib import Path

import json
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import (Competition, CompetitionResult, CompetitionResultMember, InnovationProject, Programme,
                      ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember, ProgrammeMentor, ProgrammeNomination,
                      ProjectMember, School, Student)
from ..models.enums import (AWARDS, DECISIONS, GROWTH_ACTIVITIES, LEVELS, MEMBER_STATUSES, MENTOR_KINDS,
                            PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_TIERS, PROJECT_STATUSES,
                            SCHOOL_CATEGORIES, STAGES, label)
from ..services import programmes as svc
from .cultivation import NOTICE, NOTICE_EN, cultivation_list
from .filters import Filters
from .queries import ROUND, share

TIERS = list(STAGES)  # primary → junior → senior
PM, PG, ST = ProgrammeMember.__table__, Programme.__table__, Student.__table__


# ---------------------------------------------------------------- candidates

def candidates(session: Session, programme_id: str, term: str | None = None) -> dict:
    """The candidates of a programme in a term: every student the programme's rules propose
    (with the rules and their evidence), plus every nominated person, whatever the rules say now,
    with the nomination and its decision. {"notice", "programme", "term", "rules", "candidates"}."""
    p = svc.get_programme(session, programme_id)
    f = Filters(term=term or None, stage=p.tier, school=p.owner_code if p.owner_kind == "school" else None)
    found = cultivation_list(session, f, svc.programme_rules(p), with_ids=True)
    term = term or found["term"]
    rows = {c["person_key"]: dict(c, nomination=None, member_status=None, matches_rules=True)
            for c in found["students"]}
    noms = svc.nominations(session, p.id, term) if term else []
    missing = []
    for n in noms:
        key = n.person_key or n.student_id
        row = rows.get(key)
        if row is None:
            missing.append((key, n))
        else:
            row["nomination"] = _nomination(n)
    if missing:
        ids = [n.student_id for _, n in missing if n.student_id]
        studs = {st.id: st for st in session.scalars(select(Student).where(Student.id.in_(ids)))} if ids else {}
        schools = dict(session.execute(select(School.code, School.name)).all())
        for key, n in missing:
            st = studs.get(n.student_id)
            rows[key] = {"person_key": key, "student_id": n.student_id, "name": st.name if st else "",
                         "school_code": n.student_school, "school_name": schools.get(n.student_school, n.student_school),
                         "stage": st.stage if st else p.tier, "stage_zh": label(STAGES, st.stage if st else p.tier),
                         "category": "", "category_zh": "", "rules": [], "rule_labels": [], "reasons": [],
                         "nomination": _nomination(n), "member_status": None, "matches_rules": False}
    for m in svc.members(session, p.id):
        row = rows.get(m.person_key or m.student_id)
        if row is not None and (row["member_status"] is None or m.status == "active"):
            row["member_status"] = m.status
    out = sorted(rows.values(), key=lambda r: (r["nomination"] is None, r["school_code"], r["name"], r["person_key"]))
    return {"notice": NOTICE, "notice_en": NOTICE_EN, "programme": programme_info(session, p), "term": term,
            "rules": found["rules"], "candidates": out}


def _nomination(n: ProgrammeNomination) -> dict:
    return {"id": n.id, "term": n.term_code, "by_kind": n.nominated_by_kind, "by": n.nominated_by,
            "on": n.nominated_on.isoformat(), "reason": n.reason, "decision": n.decision,
            "decision_zh": label(DECISIONS, n.decision), "decided_by": n.decided_by,
            "decided_on": n.decided_on.isoformat() if n.decided_on else None, "decision_reason": n.decision_reason}


def programme_info(session: Session, p: Programme) -> dict:
    owner = p.owner_code
    if p.owner_kind == "school":
        owner = session.scalar(select(School.name).where(School.code == p.owner_code)) or p.owner_code
    return {"id": p.id, "name": p.name, "tier": p.tier, "tier_zh": label(PROGRAMME_TIERS, p.tier),
            "stage_zh": label(STAGES, p.tier), "owner_kind": p.owner_kind, "owner_code": p.owner_code,
            "owner_name": owner, "disciplines": svc.disciplines_of(p), "start_term": p.start_term,
            "end_term": p.end_term, "capacity": p.capacity, "criteria": svc.criteria_of(p), "status": p.status,
            "description": p.description}


# ---------------------------------------------------------------- a programme's page

def _mentor_names(session: Session, ids) -> dict[str, ProgrammeMentor]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(ProgrammeMentor).where(ProgrammeMentor.id.in_(ids)))}


def _persons_students(session: Session, members) -> dict[str, Student]:
    """The student row shown for each member: its own, or the person's newest in this database."""
    ids = [m.student_id for m in members if m.student_id]
    out = {st.id: st for st in session.scalars(select(Student).where(Student.id.in_(ids)))} if ids else {}
    return out


def _student_ids_of_person(session: Session, m: ProgrammeMember) -> list[str]:
    if m.person_key:
        return list(session.scalars(select(Student.id).where(Student.person_key == m.person_key,
                                                             Student.deleted.is_(False))))
    return [m.student_id] if m.student_id else []


def member_achievements(session: Session, m: ProgrammeMember, until: date | None = None) -> dict:
    """Awards and projects of the member's person between joining and leaving (or ``until``)."""
    ids = _student_ids_of_person(session, m)
    end = m.left_on or until or date.max
    if not ids:
        return {"awards": [], "projects": []}
    r, rm, c = CompetitionResult.__table__, CompetitionResultMember.__table__, Competition.__table__
    awards = session.execute(
        select(r.c.award_date, r.c.level, r.c.award, c.c.name).select_from(
            rm.join(r, r.c.id == rm.c.result_id).join(c, c.c.id == r.c.competition_id))
        .where(rm.c.student_id.in_(ids), ~rm.c.deleted, ~r.c.deleted, r.c.verification != "rejected",
               r.c.award_date >= m.joined_on, r.c.award_date <= end)
        .order_by(r.c.award_date, c.c.name)).all()
    p, pm = InnovationProject.__table__, ProjectMember.__table__
    projects = session.execute(
        select(p.c.start_date, p.c.title, p.c.status).select_from(pm.join(p, p.c.id == pm.c.project_id))
        .where(pm.c.student_id.in_(ids), ~pm.c.deleted, ~p.c.deleted, p.c.start_date <= end,
               or_(p.c.end_date.is_(None), p.c.end_date >= m.joined_on))
        .order_by(p.c.start_date, p.c.title)).all()
    return {"awards": [{"date": d.isoformat(), "text": f"{label(LEVELS, lv)}{label(AWARDS, aw)}·{name}"}
                       for d, lv, aw, name in awards],
            "projects": [{"date": d.isoformat(), "text": f"《{t}》{label(PROJECT_STATUSES, st)}"}
                         for d, t, st in projects]}


def member_rows(session: Session, programme_id: str, *, with_details: bool = False) -> list[dict]:
    p = svc.get_programme(session, programme_id)
    ms = svc.members(session, p.id)
    studs = _persons_students(session, ms)
    mentors = _mentor_names(session, [m.in_mentor_id for m in ms] + [m.ext_mentor_id for m in ms])
    schools = dict(session.execute(select(School.code, School.name)).all())
    hours = dict(session.execute(
        select(ProgrammeLogEntry.member_id, func.sum(ProgrammeLogEntry.hours))
        .where(ProgrammeLogEntry.member_id.in_([m.id for m in ms]), ProgrammeLogEntry.deleted.is_(False),
               ProgrammeLogEntry.state == "approved").group_by(ProgrammeLogEntry.member_id)).all()) if ms else {}
    out = []
    for m in ms:
        st = studs.get(m.student_id)
        mi, me = mentors.get(m.in_mentor_id), mentors.get(m.ext_mentor_id)
        row = {"id": m.id, "person_key": m.person_key, "student_id": m.student_id, "name": st.name if st else "",
               "school_code": m.student_school, "school_name": schools.get(m.student_school, m.student_school),
               "joined_on": m.joined_on.isoformat(), "status": m.status, "status_zh": label(MEMBER_STATUSES, m.status),
               "left_on": m.left_on.isoformat() if m.left_on else None, "leave_reason": m.leave_reason,
               "in_mentor": mi.name if mi else "", "ext_mentor": me.name if me else "",
               "ext_institution": me.institution if me else "", "hours": round(float(hours.get(m.id) or 0), 2),
               "destination_school": m.destination_school, "destination_track": m.destination_track,
               "destination_note": m.destination_note}
        if with_details:
            row["logs"] = [log_row(e) for e in svc.logs(session, m.id)]
            row["evaluations"] = [evaluation_row(e) for e in svc.evaluations(session, m.id)]
            row.update(member_achievements(session, m))
        out.append(row)
    out.sort(key=lambda r: (r["joined_on"], r["school_code"], r["name"], r["person_key"]))
    return out


def log_row(e: ProgrammeLogEntry) -> dict:
    return {"id": e.id, "date": e.entry_date.isoformat(), "activity": e.activity,
            "activity_zh": label(GROWTH_ACTIVITIES, e.activity), "hours": e.hours, "content": e.content,
            "mentor_feedback": e.mentor_feedback, "author_kind": e.author_kind, "author": e.author, "state": e.state,
            "return_reason": e.return_reason}


def evaluation_row(e: ProgrammeEvaluation) -> dict:
    return {"id": e.id, "kind": e.kind, "kind_zh": label(PROGRAMME_EVAL_KINDS, e.kind), "term": e.term_code,
            "date": e.eval_date.isoformat(), "evaluator": e.evaluator, "scores": json.loads(e.scores_json or "{}"),
            "comment": e.comment, "result": e.result, "result_zh": label(PROGRAMME_EVAL_RESULTS, e.result),
            "reason": e.reason}


def person_programmes(session: Session, student_id: str) -> list[dict]:
    """Every programme membership of a student's person (all schools and stages this database
    knows), with approved logs and evaluations: the portfolio's programme section."""
    st = session.get(Student, student_id)
    if st is None:
        return []
    cond = PM.c.student_id == st.id
    if st.person_key:
        cond = or_(cond, PM.c.person_key == st.person_key)
    ms = list(session.scalars(select(ProgrammeMember).where(cond, ProgrammeMember.deleted.is_(False))
                              .order_by(ProgrammeMember.joined_on, ProgrammeMember.id)))
    progs = {p.id: p for p in session.scalars(select(Programme).where(Programme.id.in_([m.programme_id for m in ms])))}
    mentors = _mentor_names(session, [m.in_mentor_id for m in ms] + [m.ext_mentor_id for m in ms])
    out = []
    for m in ms:
        p = progs.get(m.programme_id)
        if p is None or p.deleted:
            continue
        mi, me = mentors.get(m.in_mentor_id), mentors.get(m.ext_mentor_id)
        logs = svc.logs(session, m.id, approved_only=True)
        out.append({"programme": p.name, "tier": p.tier, "tier_zh": label(PROGRAMME_TIERS, p.tier),
                    "joined_on": m.joined_on, "left_on": m.left_on, "status": m.status,
                    "status_zh": label(MEMBER_STATUSES, m.status), "leave_reason": m.leave_reason,
                    "in_mentor": mi.name if mi else "", "ext_mentor": me.name if me else "",
                    "ext_institution": me.institution if me else "",
                    "hours": round(sum(e.hours for e in logs), 2), "logs": [log_row(e) for e in logs],
                    "evaluations": [evaluation_row(e) for e in svc.evaluations(session, m.id)],
                    "destination": "，".join(x for x in (m.destination_school, m.destination_track) if x)})
    out.sort(key=lambda r: (r["joined_on"], TIERS.index(r["tier"])))
    return out


# ---------------------------------------------------------------- the chain and district statistics

def _member_table(session: Session) -> list[tuple]:
    """(person, tier, programme name, school selected at, category, status, member id) of every
    live member of a live programme."""
    sc = School.__table__
    person = func.coalesce(func.nullif(PM.c.person_key, ""), func.nullif(ST.c.person_key, ""), PM.c.student_id, PM.c.id)
    q = (select(person, PG.c.tier, PG.c.name, PM.c.student_school, sc.c.category, PM.c.status, PM.c.id)
         .select_from(PM.join(PG, PG.c.id == PM.c.programme_id).outerjoin(ST, ST.c.id == PM.c.student_id)
                      .outerjoin(sc, sc.c.code == PM.c.student_school))
         .where(~PM.c.deleted, ~PG.c.deleted))
    return [tuple(r) for r in session.execute(q)]


def chain_statistics(session: Session) -> dict:
    rows = _member_table(session)
    tiers_of: dict[str, set[str]] = {}
    by_tier: dict[str, dict] = {t: {"persons": set(), "active": set(), "left": set(), "completed": set(),
                                    "programmes": set()} for t in TIERS}
    by_cat: dict[tuple[str, str], set[str]] = {}
    programmes_of: dict[str, list[str]] = {}
    for person, tier, pname, school, category, status, _mid in rows:
        tiers_of.setdefault(person, set()).add(tier)
        t = by_tier[tier]
        t["persons"].add(person)
        t[status].add(person)
        t["programmes"].add(pname)
        by_cat.setdefault((tier, category or ""), set()).add(person)
        programmes_of.setdefault(person, []).append((TIERS.index(tier), f"{label(STAGES, tier)}·{pname}"))
    reached = _reached_stages(session, list(tiers_of))
    population = _population(session)
    tier_rows = [{"tier": t, "tier_zh": label(PROGRAMME_TIERS, t), "programmes": len(by_tier[t]["programmes"]),
                  "members": len(by_tier[t]["persons"]), "active": len(by_tier[t]["active"]),
                  "left": len(by_tier[t]["left"]), "completed": len(by_tier[t]["completed"])} for t in TIERS]
    cat_rows = []
    for t in TIERS:
        for cat in SCHOOL_CATEGORIES:
            n, pop = len(by_cat.get((t, cat), ())), population.get((t, cat), 0)
            cat_rows.append({"tier": t, "tier_zh": label(PROGRAMME_TIERS, t), "category": cat,
                             "category_zh": label(SCHOOL_CATEGORIES, cat), "members": n, "population": pop,
                             "share": share(n, pop)})
    retention = []
    for lower, upper in zip(TIERS, TIERS[1:]):
        base = {p for p in by_tier[lower]["persons"] if upper in reached.get(p, ())}
        kept = {p for p in base if upper in tiers_of[p]}
        retention.append({"from": lower, "to": upper, "from_zh": label(PROGRAMME_TIERS, lower),
                          "to_zh": label(PROGRAMME_TIERS, upper), "members": len(by_tier[lower]["persons"]),
                          "reached": len(base), "continued": len(kept), "rate": share(len(kept), len(base))})
    paths: dict[str, int] = {}
    chain = []
    names = _names(session, [p for p, ts in tiers_of.items() if len(ts) > 1])
    for person, ts in tiers_of.items():
        key = "→".join(label(STAGES, t) for t in TIERS if t in ts)
        if len(ts) > 1:
            paths[key] = paths.get(key, 0) + 1
            chain.append({"person_key": person, "name": names.get(person, ""), "path": key,
                          "programmes": [text for _, text in sorted(programmes_of[person])]})
    chain.sort(key=lambda r: (r["path"], r["name"], r["person_key"]))
    return {"by_tier": tier_rows, "by_category": cat_rows, "retention": retention,
            "paths": [{"path": k, "persons": v} for k, v in sorted(paths.items())], "chain": chain,
            "mentors": mentor_load(session)}


def _reached_stages(session: Session, persons: list[str]) -> dict[str, set[str]]:
    """The stages each member person has a live student row at (joined by person key)."""
    q = (select(ST.c.person_key, ST.c.stage).distinct()
         .select_from(ST.join(PM, PM.c.person_key == ST.c.person_key))
         .where(~ST.c.deleted, ~PM.c.deleted, ST.c.person_key != ""))
    out: dict[str, set[str]] = {}
    for person, stage in session.execute(q):
        out.setdefault(person, set()).add(stage)
    # Members recorded without a person key: their own student row's stage.
    q2 = (select(PM.c.student_id, ST.c.stage).select_from(PM.join(ST, ST.c.id == PM.c.student_id))
          .where(~PM.c.deleted, ~ST.c.deleted, or_(ST.c.person_key == "", ST.c.person_key.is_(None)),
                 PM.c.person_key == ""))
    for sid, stage in session.execute(q2):
        out.setdefault(sid, set()).add(stage)
    return out


def _population(session: Session) -> dict[tuple[str, str], int]:
    """Live student rows by stage and school category, leaving out rows of students who
    transferred out (their row at the new school counts). Read from the partial covering index
    ``ix_student_school_stage`` (a few tens of ms on a 150k-student district): the condition is
    spelled ``deleted = 0`` as the index's, or SQLite would not use it."""
    q = (select(ST.c.school_code, ST.c.stage, func.count())
         .where(ST.c.deleted == False, ST.c.status != "transferred_out")  # noqa: E712 (the index's condition)
         .group_by(ST.c.school_code, ST.c.stage))
    category = dict(session.execute(select(School.code, School.category)).all())
    out: dict[tuple[str, str], int] = {}
    for school, stage, n in session.execute(q):
        key = (stage, category.get(school, ""))
        out[key] = out.get(key, 0) + int(n)
    return out


def _names(session: Session, persons: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(persons), 500):
        chunk = persons[i:i + 500]
        for key, sid, name in session.execute(select(ST.c.person_key, ST.c.id, ST.c.name)
                                              .where(or_(ST.c.person_key.in_(chunk), ST.c.id.in_(chunk)),
                                                     ~ST.c.deleted).order_by(ST.c.id)):
            out.setdefault(key if key in chunk else sid, name)
    return out


def mentor_load(session: Session) -> list[dict]:
    """Per mentor: members guided (all, active) and the approved log hours of those members.
    Aggregated here from one read of the members and one of the hours per member."""
    lg = ProgrammeLogEntry.__table__
    hours = dict(session.execute(select(lg.c.member_id, func.sum(lg.c.hours))
                                 .where(~lg.c.deleted, lg.c.state == "approved").group_by(lg.c.member_id)).all())
    load: dict[str, list] = {}
    for mid, in_id, ext_id, status in session.execute(
            select(PM.c.id, PM.c.in_mentor_id, PM.c.ext_mentor_id, PM.c.status)
            .select_from(PM.join(PG, PG.c.id == PM.c.programme_id)).where(~PM.c.deleted, ~PG.c.deleted)):
        for mentor in {in_id, ext_id} - {None}:
            row = load.setdefault(mentor, [0, 0, 0.0])
            row[0] += 1
            row[1] += status == "active"
            row[2] += float(hours.get(mid) or 0)
    mentors = _mentor_names(session, list(load))
    schools = dict(session.execute(select(School.code, School.name)).all())
    out = []
    for mid, (n, active, h) in load.items():
        m = mentors.get(mid)
        if m is None or m.deleted:
            continue
        out.append({"id": m.id, "kind": m.kind, "kind_zh": label(MENTOR_KINDS, m.kind), "name": m.name,
                    "institution": m.institution or schools.get(m.mentor_school, m.mentor_school), "members": n,
                    "active": active,
                    "hours": round(h, ROUND)})
    out.sort(key=lambda r: (-r["members"], r["name"], r["id"]))
    return out


def mentor_record(session: Session, mentor_id: str) -> dict:
    """A mentor's own record (教师成长档案): the students they guided, hours, and those students'
    awards and projects during the programme."""
    mentor = svc.get_mentor(session, mentor_id)
    ms = list(session.scalars(select(ProgrammeMember).where(
        or_(ProgrammeMember.in_mentor_id == mentor.id, ProgrammeMember.ext_mentor_id == mentor.id),
        ProgrammeMember.deleted.is_(False)).order_by(ProgrammeMember.joined_on, ProgrammeMember.id)))
    progs = {p.id: p for p in session.scalars(select(Programme).where(Programme.id.in_([m.programme_id for m in ms])))}
    studs = _persons_students(session, ms)
    students, total = [], 0.0
    for m in ms:
        p = progs.get(m.programme_id)
        if p is None or p.deleted:
            continue
        hours = round(sum(e.hours for e in svc.logs(session, m.id, approved_only=True)), 2)
        total += hours
        st = studs.get(m.student_id)
        students.append({"name": st.name if st else "", "programme": p.name, "tier": p.tier,
                         "tier_zh": label(PROGRAMME_TIERS, p.tier),
                         "school_code": m.student_school, "joined_on": m.joined_on.isoformat(),
                         "left_on": m.left_on.isoformat() if m.left_on else None, "status": m.status,
                         "status_zh": label(MEMBER_STATUSES, m.status), "hours": hours,
                         **member_achievements(session, m)})
    students.sort(key=lambda r: (r["joined_on"], r["tier_zh"], r["school_code"], r["name"]))
    return {"mentor": {"id": mentor.id, "name": mentor.name, "kind": mentor.kind,
                       "kind_zh": label(MENTOR_KINDS, mentor.kind), "institution": mentor.institution,
                       "school": mentor.mentor_school, "field": mentor.field,
                       "school_name": (session.scalar(select(School.name).where(School.code == mentor.mentor_school))
                                       if mentor.mentor_school else "") or mentor.mentor_school},
            "students": students, "hours": round(total, 2),
            "awards": sum(len(s_["awards"]) for s_ in students), "projects": sum(len(s_["projects"]) for s_ in students)}


def write_mentor_record(session: Session, mentor_id: str, path) -> dict:
    from ..sheets.writer import write_table_workbook
    rec = mentor_record(session, mentor_id)
    m = rec["mentor"]
    head = [("导师", m["name"]), ("类型", m["kind_zh"]), ("单位/学校", m["institution"] or m["school"]),
            ("研究领域", m["field"]), ("指导学生", len(rec["students"])), ("指导学时", rec["hours"]),
            ("学生获奖（在培期间）", rec["awards"]), ("学生科创项目（在培期间）", rec["projects"])]
    students = [[s_["name"], s_["programme"], s_["tier_zh"], s_["school_code"], s_["joined_on"], s_["left_on"] or "",
                 s_["status_zh"], s_["hours"], "；".join(a["text"] for a in s_["awards"]),
                 "；".join(p["text"] for p in s_["projects"])] for s_ in rec["students"]]
    write_table_workbook(path, [("导师档案", ["项目", "内容"], head),
                                ("指导学生", ["学生", "培养项目", "层级", "学校代码", "入选日期", "退出日期", "状态",
                                          "学时", "获奖", "科创项目"], students)])
    from ..services import accesslog
    accesslog.record(session, "export_sheet", [s_.get("student_id") for s_ in rec["students"]],
                     detail=f"mentor record {len(students)} students {Path(path).name}")
    return rec
