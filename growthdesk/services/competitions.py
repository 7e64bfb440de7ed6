"""The competition catalog (national list + local ones) and results, individual or team."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, PermissionDenied, ValidationError
from ..models import Competition, CompetitionResult, CompetitionResultMember, InnovationProject, Student
from ..models.enums import AWARDS, LEVELS, STAGES, VERIFICATION
from ..paths import resource
from . import review
from .evidence import delete_owned
from ._common import as_date, only_editable, bounded_text, get_live, live, not_future, required_text, vocab_code
from .terms import ensure_term, normalise_term_code, term_for_date

_RESULT_EDITABLE = {"level", "award", "award_date", "term_code", "certificate_no", "team_name", "work_title",
                    "instructor", "project_id", "verification", "competition_id"}


def _stages(stages) -> str:
    items = stages.split(",") if isinstance(stages, str) else list(stages or [])
    codes = [vocab_code(STAGES, x, "stages", "面向学段") for x in items if str(x).strip()]
    if not codes:
        raise ValidationError("请选择面向的学段", "choose at least one stage", field="stages")
    return ",".join(c for c in STAGES if c in codes)


def load_national_catalog(s: Session, path: str | Path | None = None) -> int:
    """Upsert the Ministry's list by its fixed ids (school_code ''); returns the entries loaded."""
    src = Path(path) if path else resource("reference", "competitions_national.json")
    try:
        doc = json.loads(src.read_text(encoding="utf-8"))
        entries, edition = doc["competitions"], str(doc.get("edition", ""))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"无法读取竞赛名单 {src}：{exc}", f"cannot read the competition list {src}: {exc}",
                              field="catalog", value=str(src)) from None
    existing = {c.id: c for c in s.scalars(select(Competition).where(Competition.id.in_([e["id"] for e in entries])))}
    for e in entries:
        values = {"name": required_text(e.get("name"), "name", "竞赛名称", 200),
                  "organiser": bounded_text(e.get("organiser", ""), "organiser", "主办单位", 200),
                  "discipline": bounded_text(e.get("discipline", ""), "discipline", "学科", 40),
                  "category": bounded_text(e.get("category", ""), "category", "类别", 40),
                  "stages": _stages(e.get("stages") or list(STAGES)), "on_national_list": True,
                  "list_edition": edition, "deleted": False}
        row = existing.get(e["id"])
        if row is None:
            s.add(Competition(id=e["id"], school_code="", **values))
            continue
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
    s.flush()
    return len(entries)


def _same_name(s: Session, name: str, except_id: str | None = None) -> Competition | None:
    q = live(Competition).where(func.lower(func.trim(Competition.name)) == name.lower())
    if except_id:
        q = q.where(Competition.id != except_id)
    return s.scalars(q).first()


def _owner_code(s: Session) -> str:
    """Who manages entries made in this database: the school, or the district (a district
    database's entries go down to its schools in the district bundle)."""
    from ._common import setting
    if (setting(s, "kind") or "school") == "district":
        return setting(s, "district_code") or ""
    return setting(s, "school_code") or ""


def _level(level) -> str:
    return "" if level in (None, "") else vocab_code(LEVELS, level, "level", "竞赛级别")


def create_competition(s: Session, name, organiser="", discipline="", stages=("primary", "junior", "senior"),
                       category="", level="", owner_code: str | None = None) -> Competition:
    """A local (municipal, district, school) competition; names must be unique in the catalog.
    ``level`` is the level its awards usually have; the entry is owned by this school (or, in a
    district database, the district) unless ``owner_code`` says otherwise."""
    name = required_text(name, "name", "竞赛名称", 200)
    stages_text = _stages(stages)
    lv = _level(level)
    same = _same_name(s, name)
    if same is not None:
        raise ValidationError(f"竞赛目录中已有“{same.name}”，请直接选择它", f"the catalog already has a competition "
                              f"named {same.name!r}: pick it", field="name", value=name)
    c = Competition(name=name, organiser=bounded_text(organiser, "organiser", "主办单位", 200),
                    discipline=bounded_text(discipline, "discipline", "学科", 40),
                    category=bounded_text(category, "category", "类别", 40), stages=stages_text,
                    on_national_list=False, level=lv,
                    owner_code=_owner_code(s) if owner_code is None else str(owner_code))
    s.add(c)
    s.flush()
    return c


def editable_here(s: Session, c: Competition) -> bool:
    """National-list entries and entries a district sent down are read-only in a school."""
    return not c.on_national_list and (not c.owner_code or c.owner_code == _owner_code(s))


def suggest(s: Session, text: str, limit: int = 5) -> list[Competition]:
    """Catalog entries whose name contains what was typed (or a word of it), for "可能是…"."""
    text = str(text or "").strip()
    if not text:
        return []
    found = list(s.scalars(live(Competition).where(Competition.name.contains(text))
                           .order_by(Competition.on_national_list.desc(), Competition.name).limit(limit)))
    if len(found) < limit and len(text) >= 4:  # 全国中学生物理竞赛 → …物理… : try the middle of it
        core = text[2:-2] if len(text) > 6 else text[1:-1]
        for c in s.scalars(live(Competition).where(Competition.name.contains(core)).limit(limit)):
            if c not in found:
                found.append(c)
    return found[:limit]


def update_competition(s: Session, competition_id: str, **changes) -> Competition:
    c = get_competition(s, competition_id)
    if c.on_national_list:
        raise ValidationError("全国性竞赛名单中的条目不能修改", "entries of the national list cannot be edited",
                              field="competition_id", value=competition_id)
    if not editable_here(s, c):
        raise ValidationError("这是区教育局下发的竞赛，只能由区教育局修改", "this competition was sent by the district "
                              "office; only the district can edit it", field="competition_id", value=competition_id)
    if "level" in changes:
        c.level = _level(changes["level"])
    if "name" in changes:
        name = required_text(changes["name"], "name", "竞赛名称", 200)
        if _same_name(s, name, except_id=c.id) is not None:
            raise ValidationError(f"竞赛目录中已有“{name}”", f"the catalog already has {name!r}", field="name", value=name)
        c.name = name
    for key, zh, n in (("organiser", "主办单位", 200), ("discipline", "学科", 40), ("category", "类别", 40)):
        if key in changes:
            setattr(c, key, bounded_text(changes[key], key, zh, n))
    if "stages" in changes:
        c.stages = _stages(changes["stages"])
    s.flush()
    return c


def delete_competition(s: Session, competition_id: str) -> None:
    """Remove a local competition that no award refers to (national-list entries stay)."""
    c = get_competition(s, competition_id)
    if c.on_national_list:
        raise ValidationError("全国性竞赛名单中的条目不能删除", "entries of the national list cannot be deleted",
                              field="competition_id", value=competition_id)
    if not editable_here(s, c):
        raise ValidationError("这是区教育局下发的竞赛，只能由区教育局删除", "this competition was sent by the district "
                              "office; only the district can delete it", field="competition_id", value=competition_id)
    used = s.scalar(select(func.count()).select_from(CompetitionResult).where(
        CompetitionResult.competition_id == c.id, CompetitionResult.deleted.is_(False)))
    if used:
        raise ValidationError(f"“{c.name}”还有 {used} 条获奖记录，不能删除",
                              f"{c.name!r} still has {used} results and cannot be deleted", field="competition_id",
                              value=competition_id)
    c.deleted = True
    s.flush()


def get_competition(s: Session, competition_id: str) -> Competition:
    return get_live(s, Competition, competition_id, "竞赛", "competition", "competition_id")


def find_competition(s: Session, name_or_id) -> Competition:
    """By id, exact name (ignoring case and surrounding spaces), or a unique part of the name."""
    text = str(name_or_id or "").strip()
    c = s.get(Competition, text) if text else None
    if c is not None and not c.deleted:
        return c
    c = _same_name(s, text) if text else None
    if c is not None:
        return c
    matches = list(s.scalars(live(Competition).where(Competition.name.contains(text)).limit(6))) if text else []
    if len(matches) == 1:
        return matches[0]
    hint = "、".join(m.name for m in (matches or suggest(s, text))[:5])
    raise NotFoundError(f"找不到竞赛：{text}" + (f"；可能是：{hint}" if hint else "") +
                        "。目录外的竞赛可在录入获奖时点“添加为本校/本区竞赛”，或由管理员在“管理 → 竞赛目录”中添加",
                        f"competition not found: {text!r}" + (f"; did you mean: {hint}" if hint else "") +
                        ". Add a local competition from the award form or under Admin → Competition list",
                        field="competition", value=name_or_id)


def list_competitions(s: Session) -> list[Competition]:
    """National list first, then local ones, by name."""
    return list(s.scalars(live(Competition).order_by(Competition.on_national_list.desc(), Competition.name)))


def _student_ids(s: Session, student_ids) -> list[str]:
    ids = [str(x) for x in (student_ids or [])]
    if not ids:
        raise ValidationError("获奖学生不能为空", "the award needs at least one student", field="student_ids")
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise ValidationError(f"获奖学生重复：{', '.join(dupes)}", f"duplicate students: {', '.join(dupes)}",
                              field="student_ids", value=dupes[0])
    found = set(s.scalars(select(Student.id).where(Student.id.in_(ids), Student.deleted.is_(False))))
    missing = [x for x in ids if x not in found]
    if missing:
        raise ValidationError(f"找不到学生：{', '.join(missing)}", f"students not found: {', '.join(missing)}",
                              field="student_ids", value=missing[0])
    return ids


def _project_id(s: Session, project_id) -> str | None:
    if not project_id:
        return None
    return get_live(s, InnovationProject, project_id, "科创项目", "project", "project_id").id


def record_result(s: Session, *, competition_id, student_ids, level, award, award_date, term_code=None,
                  certificate_no="", team_name="", work_title="", instructor="", project_id=None) -> CompetitionResult:
    """One award; a team award is ONE result with several members. All checks run before anything is written."""
    comp = get_competition(s, competition_id)
    level = vocab_code(LEVELS, level, "level", "竞赛级别")
    award = vocab_code(AWARDS, award, "award", "奖项等级")
    d = not_future(as_date(award_date, "award_date", "获奖日期"), "award_date", "获奖日期")
    code = normalise_term_code(term_code) if term_code else term_for_date(d)
    ids = _student_ids(s, student_ids)
    pid = _project_id(s, project_id)
    fields = {"certificate_no": bounded_text(certificate_no, "certificate_no", "证书编号", 64),
              "team_name": bounded_text(team_name, "team_name", "队伍名称", 100),
              "work_title": bounded_text(work_title, "work_title", "作品名称", 200),
              "instructor": bounded_text(instructor, "instructor", "指导教师", 100)}
    _refuse_double_entry(s, comp, level, award, d, ids, fields)
    term = ensure_term(s, code)
    r = CompetitionResult(competition_id=comp.id, school_year=term.school_year, term_code=term.code, level=level,
                          award=award, award_date=d, is_team=len(ids) > 1, project_id=pid, **fields)
    review.stamp_entry(s, r, d, ids)
    s.add(r)
    s.flush()
    s.add_all(CompetitionResultMember(result_id=r.id, student_id=sid) for sid in ids)
    s.flush()
    return r


def _refuse_double_entry(s: Session, comp: Competition, level: str, award: str, d, ids: list[str],
                         fields: dict) -> None:
    """The same award, work and certificate for the same students on the same day is a second
    click, not a second prize (two works by one student differ in title or certificate)."""
    same = s.scalars(live(CompetitionResult).where(
        CompetitionResult.competition_id == comp.id, CompetitionResult.level == level,
        CompetitionResult.award == award, CompetitionResult.award_date == d,
        CompetitionResult.work_title == fields["work_title"],
        CompetitionResult.certificate_no == fields["certificate_no"])).all()
    for r in same:
        if {m.student_id for m in result_members(s, r.id)} == set(ids):
            raise ValidationError(f"这条获奖记录已录入过：{comp.name}（{d.isoformat()}）",
                                  f"this award is already recorded: {comp.name} ({d.isoformat()})",
                                  field="student_ids", value=r.id)


def get_result(s: Session, result_id: str) -> CompetitionResult:
    return get_live(s, CompetitionResult, result_id, "获奖记录", "competition result", "result_id")


def update_result(s: Session, result_id: str, **changes) -> CompetitionResult:
    r = get_result(s, result_id)
    only_editable(changes, _RESULT_EDITABLE)
    review.check_can_edit(s, r)
    if "verification" in changes and review.is_student(review.current_user(s)):
        raise PermissionDenied("核验状态由教师填写，学生不能修改", "a student cannot set the verification status",
                               field="verification", value=changes["verification"])
    values = {}
    if "competition_id" in changes:
        values["competition_id"] = get_competition(s, changes["competition_id"]).id
    if "level" in changes:
        values["level"] = vocab_code(LEVELS, changes["level"], "level", "竞赛级别")
    if "award" in changes:
        values["award"] = vocab_code(AWARDS, changes["award"], "award", "奖项等级")
    if "verification" in changes:
        values["verification"] = vocab_code(VERIFICATION, changes["verification"], "verification", "核验状态")
    if "award_date" in changes:
        values["award_date"] = not_future(as_date(changes["award_date"], "award_date", "获奖日期"), "award_date", "获奖日期")
    if "award_date" in changes or "term_code" in changes:
        code = changes.get("term_code") or term_for_date(values.get("award_date", r.award_date))
        term = ensure_term(s, code)
        values["term_code"], values["school_year"] = term.code, term.school_year
    if "project_id" in changes:
        values["project_id"] = _project_id(s, changes["project_id"])
    for key, zh, n in (("certificate_no", "证书编号", 64), ("team_name", "队伍名称", 100),
                       ("work_title", "作品名称", 200), ("instructor", "指导教师", 100)):
        if key in changes:
            values[key] = bounded_text(changes[key], key, zh, n)
    for key, value in values.items():
        if getattr(r, key) != value:
            setattr(r, key, value)
    s.flush()
    return r


def result_members(s: Session, result_id: str) -> list[CompetitionResultMember]:
    return list(s.scalars(live(CompetitionResultMember).where(CompetitionResultMember.result_id == result_id)
                          .order_by(CompetitionResultMember.created_at)))


def result_students(s: Session, result_id: str) -> list[Student]:
    return list(s.scalars(select(Student).join(CompetitionResultMember, CompetitionResultMember.student_id == Student.id)
                          .where(CompetitionResultMember.result_id == result_id,
                                 CompetitionResultMember.deleted.is_(False), Student.deleted.is_(False))
                          .order_by(CompetitionResultMember.created_at)))


def set_members(s: Session, result_id: str, student_ids) -> CompetitionResult:
    """Replace the award's members: removed ones are soft-deleted, new ones added."""
    r = get_result(s, result_id)
    review.check_can_edit(s, r)
    ids = _student_ids(s, student_ids)
    user = review.current_user(s)
    if review.is_student(user) and user.student_id not in ids:
        raise PermissionDenied("学生不能把自己从记录中移除", "a student cannot remove themself from the record",
                               field="student_ids", value=user.student_id)
    current = {m.student_id: m for m in result_members(s, r.id)}
    for sid, m in current.items():
        if sid not in ids:
            m.deleted = True
    s.flush()  # tombstones first, so the partial unique index sees them gone
    s.add_all(CompetitionResultMember(result_id=r.id, student_id=sid) for sid in ids if sid not in current)
    if r.is_team != (len(ids) > 1):
        r.is_team = len(ids) > 1
    s.flush()
    return r


def delete_result(s: Session, result_id: str) -> None:
    r = get_result(s, result_id)
    review.check_can_edit(s, r, action_zh="删除", action_en="delete")
    for m in result_members(s, r.id):
        m.deleted = True
    delete_owned(s, "result", r.id)
    r.deleted = True
    s.flush()


def list_results_for_student(s: Session, student_id: str, term_code: str | None = None) -> list[CompetitionResult]:
    """The student's awards, newest first."""
    q = (live(CompetitionResult)
         .join(CompetitionResultMember, CompetitionResultMember.result_id == CompetitionResult.id)
         .where(CompetitionResultMember.student_id == student_id, CompetitionResultMember.deleted.is_(False)))
    if term_code:
        q = q.where(CompetitionResult.term_code == normalise_term_code(term_code))
    return list(s.scalars(q.order_by(CompetitionResult.award_date.desc(), CompetitionResult.created_at)))
