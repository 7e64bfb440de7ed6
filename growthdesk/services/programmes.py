"""Cultivation programmes (培养项目): programmes, mentors (双导师), nominations and decisions,
members, growth logs (成长日志) and evaluations. DESIGN §4a; Qt-free.

Rules of the lifecycle kept here:
* a person nominates (a rule, a teacher, the school, the district), another decides: selected /
  not this time / withdrawn, each with a reason; a nomination keeps its decision for ever —
  ``nominate_from_rules`` only adds nominations for people who have none in that programme and
  term (nor an open one from an earlier term), and never touches an existing one;
* one open (pending) nomination per programme and student: ``nominate`` refuses a second one
  (the database holds the same rule per writing node, ``uq_programme_nomination_open``);
* a member has one in-school mentor (an account of the school; at the district, a named record)
  and one external mentor (name, institution, field, minimal contact);
* a student's own growth-log entry is a 写实记录: draft → submitted → approved, or returned with a
  reason; entries by mentors and teachers are approved when written;
* an evaluation with the result *leave* ends the membership (the history stays);
* members are linked to the person by ``person_key`` wherever the database knows it.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import (Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember, ProgrammeMentor,
                      ProgrammeNomination, Student, User, utcnow)
from ..models.enums import (DECISIONS, DEFAULT_CRITERIA, GROWTH_ACTIVITIES, LOG_AUTHORS, MENTOR_KINDS, NOMINATORS,
                            PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_OWNERS, PROGRAMME_STATUSES,
                            STAGES)
from ._common import (as_date, bounded_text, get_live, live, not_future, only_editable, required_text, setting,
                      today, vocab_code)
from .terms import normalise_term_code

SCORE_MIN, SCORE_MAX = 1, 5
_EDITABLE = {"name", "tier", "disciplines", "start_term", "end_term", "capacity", "rules", "criteria",
             "description", "status"}


# ---------------------------------------------------------------- programmes

def get_programme(s: Session, programme_id: str) -> Programme:
    return get_live(s, Programme, programme_id, "培养项目", "programme", "programme_id")


def split_disciplines(value) -> list[str]:
    """"物理、化学" / "物理,化学" / ["物理", "化学"] -> ["物理", "化学"] (order kept, no repeats)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).replace("，", "、").replace(",", "、") \
        .replace(";", "、").replace("；", "、").split("、")
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def disciplines_of(p: Programme) -> list[str]:
    return split_disciplines(p.disciplines)


def criteria_of(p: Programme) -> list[str]:
    """The programme's evaluation criteria (the 英才计划's five unless edited)."""
    if p.criteria_json:
        return list(json.loads(p.criteria_json))
    return list(DEFAULT_CRITERIA)


def _criteria(value) -> str:
    if value is None:
        return ""
    items = split_disciplines(value)
    if not items:
        raise ValidationError("评价指标不能为空", "the evaluation criteria cannot be empty", field="criteria")
    for item in items:
        bounded_text(item, "criteria", "评价指标", 20)
    if list(items) == list(DEFAULT_CRITERIA):
        return ""
    return json.dumps(items, ensure_ascii=False)


def _rules(value) -> str:
    """Selection rules as stored: "" (the defaults narrowed to the disciplines) or rules JSON."""
    from ..stats.cultivation import rules_from_json, rules_to_json
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], dict):
        return rules_to_json(tuple(value))
    return rules_to_json(rules_from_json(value if not isinstance(value, (list, tuple)) else list(value)))


def _terms(start, end) -> tuple[str, str | None]:
    start_t = normalise_term_code(start)
    end_t = normalise_term_code(end) if end not in (None, "") else None
    if end_t is not None and end_t < start_t:
        raise ValidationError(f"结束学期 {end_t} 早于开始学期 {start_t}", f"end term {end_t} is before start term {start_t}",
                              field="end_term", value=end_t)
    return start_t, end_t


def _capacity(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if n <= 0:
        raise ValidationError(f"名额应为正整数：{value}", f"capacity must be a positive whole number: {value!r}",
                              field="capacity", value=value)
    return n


def _owner(s: Session, owner_kind, owner_code) -> tuple[str, str]:
    kind = setting(s, "kind")
    if owner_kind is None:
        owner_kind = "district" if kind == "district" else "school"
    owner_kind = vocab_code(PROGRAMME_OWNERS, owner_kind, "owner_kind", "项目归属")
    if owner_code in (None, ""):
        owner_code = setting(s, "district_code" if owner_kind == "district" else "school_code")
    owner_code = required_text(owner_code, "owner_code", "项目归属单位代码", 16)
    if kind == "school" and owner_kind == "school" and owner_code != setting(s, "school_code"):
        raise ValidationError(f"学校只能建立本校的培养项目（本校代码 {setting(s, 'school_code')}）",
                              "a school can only create its own programmes", field="owner_code", value=owner_code)
    return owner_kind, owner_code


def create_programme(s: Session, *, name, tier, start_term, end_term=None, disciplines=(), capacity=None,
                     rules=None, criteria=None, description="", owner_kind=None, owner_code=None) -> Programme:
    owner_kind, owner_code = _owner(s, owner_kind, owner_code)
    start_t, end_t = _terms(start_term, end_term)
    disc = "、".join(split_disciplines(disciplines))
    p = Programme(owner_kind=owner_kind, owner_code=owner_code, name=required_text(name, "name", "项目名称", 100),
                  tier=vocab_code(STAGES, tier, "tier", "层级（学段）"),
                  disciplines=bounded_text(disc, "disciplines", "学科", 200), start_term=start_t, end_term=end_t,
                  capacity=_capacity(capacity), rules_json=_rules(rules), criteria_json=_criteria(criteria),
                  description=bounded_text(description, "description", "项目简介", 4000), status="open")
    s.add(p)
    s.flush()
    return p


def update_programme(s: Session, programme_id: str, **changes) -> Programme:
    p = get_programme(s, programme_id)
    only_editable(changes, _EDITABLE)
    values = {}
    if "name" in changes:
        values["name"] = required_text(changes["name"], "name", "项目名称", 100)
    if "tier" in changes:
        values["tier"] = vocab_code(STAGES, changes["tier"], "tier", "层级（学段）")
    if "disciplines" in changes:
        values["disciplines"] = bounded_text("、".join(split_disciplines(changes["disciplines"])), "disciplines",
                                             "学科", 200)
    if "start_term" in changes or "end_term" in changes:
        values["start_term"], values["end_term"] = _terms(changes.get("start_term", p.start_term),
                                                          changes.get("end_term", p.end_term))
    if "capacity" in changes:
        values["capacity"] = _capacity(changes["capacity"])
        active = _active_count(s, p.id)
        if values["capacity"] is not None and values["capacity"] < active:
            raise ValidationError(f"名额 {values['capacity']} 少于在培人数 {active}",
                                  f"capacity {values['capacity']} is below the {active} active members",
                                  field="capacity", value=values["capacity"])
    if "rules" in changes:
        values["rules_json"] = _rules(changes["rules"])
    if "criteria" in changes:
        values["criteria_json"] = _criteria(changes["criteria"])
    if "description" in changes:
        values["description"] = bounded_text(changes["description"], "description", "项目简介", 4000)
    if "status" in changes:
        values["status"] = vocab_code(PROGRAMME_STATUSES, changes["status"], "status", "项目状态")
    for key, value in values.items():
        if getattr(p, key) != value:
            setattr(p, key, value)
    s.flush()
    return p


def list_programmes(s: Session, tier: str | None = None) -> list[Programme]:
    """Live programmes by tier (小学 → 初中 → 高中), then name."""
    q = live(Programme)
    if tier:
        q = q.where(Programme.tier == tier)
    order = list(STAGES)
    return sorted(s.scalars(q), key=lambda p: (order.index(p.tier), p.name, p.id))


def find_programme(s: Session, name: str, tier: str | None = None) -> Programme | None:
    q = live(Programme).where(Programme.name == name)
    if tier:
        q = q.where(Programme.tier == tier)
    return s.scalars(q.order_by(Programme.created_at, Programme.id)).first()


def programme_rules(p: Programme):
    """The programme's selection rules: its own, or the default cultivation rules with the award
    and project rules narrowed to the programme's disciplines (personalised: a student strong
    in one field is a candidate for that field's programme)."""
    from dataclasses import replace

    from ..stats.cultivation import DEFAULT_RULES, rules_from_json
    if p.rules_json:
        return rules_from_json(p.rules_json)
    disc = tuple(disciplines_of(p))
    if not disc:
        return DEFAULT_RULES
    return tuple(replace(r, disciplines=disc) if r.kind in ("award", "project") else r for r in DEFAULT_RULES)


def _active_count(s: Session, programme_id: str) -> int:
    return s.scalar(select(func.count()).select_from(ProgrammeMember).where(
        ProgrammeMember.programme_id == programme_id, ProgrammeMember.status == "active",
        ProgrammeMember.deleted.is_(False))) or 0


# ---------------------------------------------------------------- mentors

def get_mentor(s: Session, mentor_id: str) -> ProgrammeMentor:
    return get_live(s, ProgrammeMentor, mentor_id, "导师", "mentor", "mentor_id")


def add_mentor(s: Session, *, kind, name=None, login="", institution="", field="", contact="",
               mentor_school=None) -> ProgrammeMentor:
    """An in-school mentor is an account of the school (``login``; its display name is the
    mentor's name). At the district, where school accounts are not known, a named record with
    the mentor's school. An external mentor: name, institution, field, one contact (kept minimal)."""
    kind = vocab_code(MENTOR_KINDS, kind, "kind", "导师类型")
    login = bounded_text(login, "login", "账号", 64)
    is_school = setting(s, "kind") == "school"
    if kind == "in_school":
        mentor_school = mentor_school or (setting(s, "school_code") if is_school else "")
        if is_school:
            user = s.scalars(select(User).where(User.login == login)).first() if login else None
            if user is None:
                raise ValidationError(f"校内导师应为本校账号：找不到账号 {login or '（空）'}",
                                      f"an in-school mentor is an account of the school: no account {login!r}",
                                      field="login", value=login)
            name = name or user.display_name
        elif not mentor_school:
            raise ValidationError("请填写校内导师所在学校代码", "the in-school mentor's school is required",
                                  field="mentor_school")
        institution = ""
    else:
        login = ""
        institution = required_text(institution, "institution", "校外导师单位", 100)
    m = ProgrammeMentor(kind=kind, login=login, mentor_school=bounded_text(mentor_school or "", "mentor_school",
                                                                           "学校代码", 16),
                        name=required_text(name, "name", "导师姓名", 50), institution=institution,
                        field=bounded_text(field, "field", "研究领域", 50),
                        contact=bounded_text(contact, "contact", "联系方式", 100))
    s.add(m)
    s.flush()
    return m


def find_mentor(s: Session, *, kind: str, name: str, institution: str = "", mentor_school: str = "",
                login: str = "") -> ProgrammeMentor | None:
    q = live(ProgrammeMentor).where(ProgrammeMentor.kind == kind)
    if login:
        q = q.where(ProgrammeMentor.login == login)
    else:
        q = q.where(ProgrammeMentor.name == name)
        if kind == "external":
            q = q.where(ProgrammeMentor.institution == institution)
        elif mentor_school:
            q = q.where(ProgrammeMentor.mentor_school == mentor_school)
    return s.scalars(q.order_by(ProgrammeMentor.created_at, ProgrammeMentor.id)).first()


def list_mentors(s: Session) -> list[ProgrammeMentor]:
    return list(s.scalars(live(ProgrammeMentor).order_by(ProgrammeMentor.kind.desc(), ProgrammeMentor.name,
                                                        ProgrammeMentor.id)))


def _check_mentor(s: Session, mentor_id, kind: str, field: str) -> str | None:
    if mentor_id in (None, ""):
        return None
    m = get_mentor(s, mentor_id)
    if m.kind != kind:
        zh = "校内导师" if kind == "in_school" else "校外导师"
        raise ValidationError(f"{m.name} 不是{zh}", f"{m.name} is not an {kind.replace('_', '-')} mentor",
                              field=field, value=mentor_id)
    return m.id


# ---------------------------------------------------------------- nominations and decisions

def _student(s: Session, student_id=None, person_key_=None) -> tuple[str | None, str, str]:
    """(student id, person key, school) of a student given by id, or of a person by key (the
    newest student row of that person in this database)."""
    if student_id:
        st = get_live(s, Student, student_id, "学生", "student", "student_id")
        return st.id, st.person_key or "", st.school_code
    if person_key_:
        st = s.scalars(select(Student).where(Student.person_key == person_key_, Student.deleted.is_(False))
                       .order_by(func.coalesce(Student.entry_year, 0).desc(), Student.updated_at.desc(), Student.id)).first()
        if st is None:
            raise ValidationError("找不到该学生（person_key）", "no student with that person key",
                                  field="person_key", value=person_key_[:8])
        return st.id, st.person_key, st.school_code
    raise ValidationError("请指定学生", "a student is required", field="student_id")


def get_nomination(s: Session, nomination_id: str) -> ProgrammeNomination:
    return get_live(s, ProgrammeNomination, nomination_id, "推荐记录", "nomination", "nomination_id")


def _person_filter(model, student_id, person_key_):
    return model.person_key == person_key_ if person_key_ else model.student_id == student_id


def existing_nomination(s: Session, programme_id: str, term_code: str, student_id, person_key_):
    return s.scalars(live(ProgrammeNomination).where(
        ProgrammeNomination.programme_id == programme_id, ProgrammeNomination.term_code == term_code,
        _person_filter(ProgrammeNomination, student_id, person_key_))).first()


def open_nomination(s: Session, programme_id: str, student_id, person_key_) -> ProgrammeNomination | None:
    """The pending nomination of this person for the programme, in any term (at most one)."""
    return s.scalars(live(ProgrammeNomination).where(
        ProgrammeNomination.programme_id == programme_id, ProgrammeNomination.decision == "pending",
        _person_filter(ProgrammeNomination, student_id, person_key_))
        .order_by(ProgrammeNomination.term_code, ProgrammeNomination.id)).first()


def nominate(s: Session, programme_id: str, *, term_code, by_kind, by="", reason="", student_id=None,
             person_key=None, rule_codes=(), evidence="", on=None) -> ProgrammeNomination:
    p = get_programme(s, programme_id)
    term = normalise_term_code(term_code)
    by_kind = vocab_code(NOMINATORS, by_kind, "by_kind", "推荐方")
    sid, key, school = _student(s, student_id, person_key)
    if by_kind != "rule":
        reason = required_text(reason, "reason", "推荐理由", 2000)
    old = existing_nomination(s, p.id, term, sid, key)
    if old is not None:
        raise ValidationError(f"该学生在 {term} 已被推荐到「{p.name}」（{DECISIONS[old.decision][0]}）",
                              f"the student is already nominated for {p.name!r} in {term} ({old.decision})",
                              field="student_id", value=sid)
    pending = open_nomination(s, p.id, sid, key)
    if pending is not None:
        raise ValidationError(f"该学生已有「{p.name}」的待遴选推荐（{pending.term_code}），请先对它作出遴选结果",
                              f"the student already has an open nomination for {p.name!r} ({pending.term_code}); "
                              "decide it first", field="student_id", value=sid)
    n = ProgrammeNomination(programme_id=p.id, student_id=sid, person_key=key, student_school=school, term_code=term,
                            nominated_by_kind=by_kind, nominated_by=bounded_text(by or s.info.get("user", ""),
                                                                                 "by", "推荐人", 64),
                            nominated_on=as_date(on, "on", "推荐日期", required=False) or today(),
                            reason=bounded_text(reason, "reason", "推荐理由", 2000),
                            rule_codes=bounded_text(",".join(rule_codes), "rule_codes", "规则", 200),
                            evidence=bounded_text(evidence, "evidence", "依据", 4000), decision="pending")
    s.add(n)
    s.flush()
    return n


def nominate_from_rules(s: Session, programme_id: str, candidates: list[dict], term_code: str) -> int:
    """Nominations (by rule) for the candidates who have none in this programme and term.
    Existing nominations and their decisions are left exactly as they are."""
    p = get_programme(s, programme_id)
    term = normalise_term_code(term_code)
    have = {(n.person_key or n.student_id) for n in s.scalars(live(ProgrammeNomination).where(
        ProgrammeNomination.programme_id == p.id,
        (ProgrammeNomination.term_code == term) | (ProgrammeNomination.decision == "pending")))}
    added = 0
    for c in candidates:
        key = c.get("person_key") or ""
        sid = c.get("student_id")
        if (key or sid) in have or not c.get("rules"):
            continue
        s.add(ProgrammeNomination(programme_id=p.id, student_id=sid, person_key=key,
                                  student_school=c.get("school_code", ""), term_code=term, nominated_by_kind="rule",
                                  nominated_by=s.info.get("user", ""), nominated_on=today(),
                                  reason="；".join(c.get("rule_labels", []))[:2000],
                                  rule_codes=",".join(c["rules"])[:200], evidence="\n".join(c.get("reasons", []))[:4000],
                                  decision="pending"))
        have.add(key or sid)
        added += 1
    s.flush()
    return added


def decide(s: Session, nomination_id: str, decision, *, reason, by="", on=None, in_mentor_id=None,
           ext_mentor_id=None) -> ProgrammeNomination:
    """Selected / not this time / withdrawn, with a reason. Selecting makes the person a member
    (within the programme's capacity); withdrawing a selected person ends their membership."""
    n = get_nomination(s, nomination_id)
    decision = vocab_code(DECISIONS, decision, "decision", "遴选结果")
    if decision == "pending":
        raise ValidationError("遴选结果应为入选、本次未入选或已撤回", "a decision is selected, not_this_time or withdrawn",
                              field="decision", value=decision)
    reason = required_text(reason, "reason", "遴选理由", 2000)
    day = as_date(on, "on", "遴选日期", required=False) or today()
    p = get_programme(s, n.programme_id)
    member = _member_of(s, p.id, n.student_id, n.person_key)
    if decision == "selected" and (member is None or member.status != "active"):
        add_member(s, p.id, student_id=n.student_id, person_key=n.person_key, student_school=n.student_school,
                   joined_on=day, in_mentor_id=in_mentor_id, ext_mentor_id=ext_mentor_id, nomination_id=n.id)
    elif decision != "selected" and member is not None and member.status == "active" and n.decision == "selected":
        leave(s, member.id, on=max(day, member.joined_on), reason=reason)
    n.decision, n.decision_reason, n.decided_on = decision, reason, day
    n.decided_by = bounded_text(by or s.info.get("user", ""), "by", "遴选人", 64)
    s.flush()
    return n


def nominations(s: Session, programme_id: str, term_code: str | None = None) -> list[ProgrammeNomination]:
    q = live(ProgrammeNomination).where(ProgrammeNomination.programme_id == programme_id)
    if term_code:
        q = q.where(ProgrammeNomination.term_code == term_code)
    return list(s.scalars(q.order_by(ProgrammeNomination.term_code, ProgrammeNomination.nominated_on,
                                     ProgrammeNomination.id)))


# ---------------------------------------------------------------- members

def get_member(s: Session, member_id: str) -> ProgrammeMember:
    return get_live(s, ProgrammeMember, member_id, "项目成员", "member", "member_id")


def _member_of(s: Session, programme_id: str, student_id, person_key_) -> ProgrammeMember | None:
    return s.scalars(live(ProgrammeMember).where(ProgrammeMember.programme_id == programme_id,
                                                 _person_filter(ProgrammeMember, student_id, person_key_))
                     .order_by(ProgrammeMember.joined_on.desc(), ProgrammeMember.id)).first()


def add_member(s: Session, programme_id: str, *, student_id=None, person_key=None, student_school=None,
               joined_on=None, in_mentor_id=None, ext_mentor_id=None, nomination_id=None) -> ProgrammeMember:
    p = get_programme(s, programme_id)
    if p.status != "open":
        raise ValidationError(f"培养项目「{p.name}」已结束，不能再加入成员", f"programme {p.name!r} is closed",
                              field="programme_id", value=p.id)
    sid, key, school = _student(s, student_id, person_key)
    old = _member_of(s, p.id, sid, key)
    if old is not None and old.status == "active":
        raise ValidationError(f"该学生已是「{p.name}」的成员", f"the student is already a member of {p.name!r}",
                              field="student_id", value=sid)
    if p.capacity is not None and _active_count(s, p.id) >= p.capacity:
        raise ValidationError(f"「{p.name}」名额已满（{p.capacity} 人）", f"{p.name!r} is full ({p.capacity})",
                              field="capacity", value=p.capacity)
    joined = not_future(as_date(joined_on, "joined_on", "入选日期", required=False) or today(), "joined_on", "入选日期")
    m = ProgrammeMember(programme_id=p.id, student_id=sid, person_key=key, student_school=student_school or school,
                        nomination_id=nomination_id, joined_on=joined, status="active",
                        in_mentor_id=_check_mentor(s, in_mentor_id, "in_school", "in_mentor_id"),
                        ext_mentor_id=_check_mentor(s, ext_mentor_id, "external", "ext_mentor_id"))
    s.add(m)
    s.flush()
    return m


def set_mentors(s: Session, member_id: str, *, in_mentor_id=None, ext_mentor_id=None) -> ProgrammeMember:
    m = get_member(s, member_id)
    new_in = _check_mentor(s, in_mentor_id, "in_school", "in_mentor_id")
    new_ext = _check_mentor(s, ext_mentor_id, "external", "ext_mentor_id")
    if m.in_mentor_id != new_in:
        m.in_mentor_id = new_in
    if m.ext_mentor_id != new_ext:
        m.ext_mentor_id = new_ext
    s.flush()
    return m


def leave(s: Session, member_id: str, *, on=None, reason, status: str = "left") -> ProgrammeMember:
    """End a membership (left, or completed at the programme's end) with a reason; the member's
    log, evaluations and decisions stay."""
    m = get_member(s, member_id)
    if status not in ("left", "completed"):
        raise ValidationError("离开状态应为已退出或已结业", "status must be left or completed", field="status", value=status)
    if m.status != "active":
        raise ValidationError("该成员已不在培", "the member is no longer active", field="member_id", value=m.id)
    day = as_date(on, "on", "退出日期", required=False) or today()
    if day < m.joined_on:
        raise ValidationError("退出日期不能早于入选日期", "the leaving date is before the joining date", field="on", value=day)
    m.status, m.left_on = status, day
    m.leave_reason = required_text(reason, "reason", "退出理由", 2000)
    s.flush()
    return m


def set_destination(s: Session, member_id: str, *, school="", track="", note="", by="") -> ProgrammeMember:
    """Where the member went after the programme or the stage (next school, track); entered by the
    school or the district. Later awards are read from the records themselves (by person)."""
    m = get_member(s, member_id)
    m.destination_school = bounded_text(school, "school", "去向学校", 100)
    m.destination_track = bounded_text(track, "track", "去向方向", 100)
    m.destination_note = bounded_text(note, "note", "去向备注", 2000)
    m.destination_by = bounded_text(by or s.info.get("user", ""), "by", "填写人", 64)
    s.flush()
    return m


def members(s: Session, programme_id: str, *, active_only: bool = False) -> list[ProgrammeMember]:
    q = live(ProgrammeMember).where(ProgrammeMember.programme_id == programme_id)
    if active_only:
        q = q.where(ProgrammeMember.status == "active")
    return list(s.scalars(q.order_by(ProgrammeMember.joined_on, ProgrammeMember.id)))


# ---------------------------------------------------------------- growth log

def get_log(s: Session, log_id: str) -> ProgrammeLogEntry:
    return get_live(s, ProgrammeLogEntry, log_id, "成长日志", "growth log entry", "log_id")


def _hours(value) -> float:
    try:
        h = round(float(value), 2)
    except (TypeError, ValueError):
        h = -1.0
    if not 0 <= h <= 24:
        raise ValidationError(f"学时应在 0–24 之间：{value}", f"hours must be within 0–24: {value!r}", field="hours",
                              value=value)
    return h


def add_log(s: Session, member_id: str, *, entry_date, activity, hours=0, content="", mentor_feedback="",
            author_kind="mentor", author="", mentor_id=None, submit: bool = False) -> ProgrammeLogEntry:
    m = get_member(s, member_id)
    day = not_future(as_date(entry_date, "entry_date", "日期"), "entry_date", "日期")
    if day < m.joined_on or (m.left_on is not None and day > m.left_on):
        raise ValidationError(f"日期 {day.isoformat()} 不在在培期间内", f"{day.isoformat()} is outside the membership",
                              field="entry_date", value=day)
    author_kind = vocab_code(LOG_AUTHORS, author_kind, "author_kind", "记录人")
    if author_kind == "student" and mentor_feedback:
        raise ValidationError("学生本人的写实记录不能填写导师反馈", "a student's own record has no mentor feedback",
                              field="mentor_feedback")
    state = ("submitted" if submit else "draft") if author_kind == "student" else "approved"
    login = bounded_text(author or s.info.get("user", ""), "author", "记录人", 64)
    now = utcnow()
    e = ProgrammeLogEntry(member_id=m.id, entry_date=day, activity=vocab_code(GROWTH_ACTIVITIES, activity, "activity",
                                                                                "活动类型"),
                          hours=_hours(hours), content=required_text(content, "content", "活动内容", 4000),
                          mentor_feedback=bounded_text(mentor_feedback, "mentor_feedback", "导师反馈", 4000),
                          author_kind=author_kind, author=login,
                          mentor_id=get_mentor(s, mentor_id).id if mentor_id else None, state=state,
                          # provenance as the 综评 records keep it (ReviewMixin): a mentor's or
                          # teacher's entry is approved by its author when written
                          entered_role="student" if author_kind == "student" else "teacher",
                          entered_by=(s.info.get("user") or login)[:64], entered_at=now,
                          submitted_at=now if state == "submitted" else None,
                          reviewed_by=login if state == "approved" else "", reviewed_at=now if state == "approved" else None)
    s.add(e)
    s.flush()
    return e


def submit_log(s: Session, log_id: str) -> ProgrammeLogEntry:
    e = get_log(s, log_id)
    if e.state not in ("draft", "returned"):
        raise ValidationError("只有草稿或被退回的记录可以提交", "only a draft or returned record can be submitted",
                              field="state", value=e.state)
    e.state, e.submitted_at = "submitted", utcnow()
    s.flush()
    return e


def review_log(s: Session, log_id: str, *, approve: bool, reason: str = "", feedback=None) -> ProgrammeLogEntry:
    """A mentor or teacher approves a submitted 写实记录, or returns it to the student with a reason."""
    e = get_log(s, log_id)
    if e.state != "submitted":
        raise ValidationError("只有已提交的记录可以审核", "only a submitted record can be reviewed", field="state",
                              value=e.state)
    if approve:
        e.state, e.return_reason = "approved", ""
    else:
        e.state, e.return_reason = "returned", required_text(reason, "reason", "退回理由", 200)
    e.reviewed_by, e.reviewed_at = (s.info.get("user") or "")[:64], utcnow()
    if feedback is not None:
        e.mentor_feedback = bounded_text(feedback, "mentor_feedback", "导师反馈", 4000)
    s.flush()
    return e


def logs(s: Session, member_id: str, *, approved_only: bool = False) -> list[ProgrammeLogEntry]:
    q = live(ProgrammeLogEntry).where(ProgrammeLogEntry.member_id == member_id)
    if approved_only:
        q = q.where(ProgrammeLogEntry.state == "approved")
    return list(s.scalars(q.order_by(ProgrammeLogEntry.entry_date, ProgrammeLogEntry.id)))


# ---------------------------------------------------------------- evaluations

def _scores(criteria: list[str], scores: dict) -> str:
    scores = dict(scores or {})
    unknown = [k for k in scores if k not in criteria]
    if unknown:
        raise ValidationError(f"不是本项目的评价指标：{unknown[0]}；指标：{'、'.join(criteria)}",
                              f"not a criterion of this programme: {unknown[0]}", field="scores", value=unknown[0])
    missing = [c for c in criteria if c not in scores]
    if missing:
        raise ValidationError(f"请为每项指标评分，缺少：{'、'.join(missing)}", f"missing scores: {', '.join(missing)}",
                              field="scores", value=missing[0])
    out = {}
    for c in criteria:
        v = scores[c]
        try:
            n = int(v)
        except (TypeError, ValueError):
            n = 0
        if not SCORE_MIN <= n <= SCORE_MAX or str(n) != str(v).strip():
            raise ValidationError(f"{c} 的评分应为 {SCORE_MIN}–{SCORE_MAX} 的整数：{v}",
                                  f"the score of {c} must be a whole number {SCORE_MIN}–{SCORE_MAX}: {v!r}",
                                  field="scores", value=v)
        out[c] = n
    return json.dumps(out, ensure_ascii=False)


def evaluate(s: Session, member_id: str, *, kind, term_code, eval_date, scores: dict, result="continue",
             reason="", comment="", mentor_id=None, evaluator="") -> ProgrammeEvaluation:
    """A mid-term or annual evaluation against the programme's criteria (1–5 each), with the
    result: continue, or leave (the membership ends that day, with the reason)."""
    m = get_member(s, member_id)
    p = get_programme(s, m.programme_id)
    if m.status != "active":
        raise ValidationError("只能评价在培成员", "only active members are evaluated", field="member_id", value=m.id)
    day = not_future(as_date(eval_date, "eval_date", "评价日期"), "eval_date", "评价日期")
    result = vocab_code(PROGRAMME_EVAL_RESULTS, result, "result", "评价结论")
    if result == "leave":
        reason = required_text(reason, "reason", "退出理由", 2000)
    if mentor_id and mentor_id not in (m.in_mentor_id, m.ext_mentor_id):
        raise ValidationError("评价人应为该成员的导师", "the evaluator must be one of the member's mentors",
                              field="mentor_id", value=mentor_id)
    ev = ProgrammeEvaluation(member_id=m.id, kind=vocab_code(PROGRAMME_EVAL_KINDS, kind, "kind", "评价类型"),
                             term_code=normalise_term_code(term_code), eval_date=day, mentor_id=mentor_id or None,
                             evaluator=bounded_text(evaluator or (get_mentor(s, mentor_id).name if mentor_id else
                                                                  s.info.get("user", "")), "evaluator", "评价人", 64),
                             scores_json=_scores(criteria_of(p), scores),
                             comment=bounded_text(comment, "comment", "评语", 4000), result=result,
                             reason=bounded_text(reason, "reason", "理由", 2000))
    s.add(ev)
    s.flush()
    if result == "leave":
        leave(s, m.id, on=day, reason=reason)
    return ev


def evaluations(s: Session, member_id: str) -> list[ProgrammeEvaluation]:
    return list(s.scalars(live(ProgrammeEvaluation).where(ProgrammeEvaluation.member_id == member_id)
                          .order_by(ProgrammeEvaluation.eval_date, ProgrammeEvaluation.id)))
