"""Programme lists in Excel (DESIGN §6): ``programme import`` and ``programme export``.

Import reads one row a member: 培养项目, 层级 (小学/初中/高中), 学科, 学校代码, 学籍号, 姓名, 校内导师,
校外导师, 校外导师单位, 入选日期. A district matches the pupil by ``person_key`` (the 学籍号 with the
district's secret; the number itself is not stored); a school by its own 学籍号. The preview
checks every row against the database and writes nothing; ``apply`` writes all the good rows in
one transaction (programmes and mentors made when new, the member added with a *selected*
decision naming the file). Rows with problems are reported by row and column (``sheets.report``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..errors import GrowthDeskError, ValidationError
from ..models import ProgrammeMember, Student, User
from ..models.enums import (DECISIONS, GROWTH_ACTIVITIES, LOG_AUTHORS, MEMBER_STATUSES, NOMINATORS,
                            PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_TIERS, RECORD_STATES, STAGES, label)
from ..services import programmes as svc
from ..services._common import setting, today
from ..services.students import person_key
from ..services.terms import term_for_date
from .cleaning import CellError, clean_code, clean_header, clean_text, parse_date
from .headers import Column, Header, find_header
from .reader import iter_sheets
from .report import RowIssue, write_error_report
from .writer import write_table_workbook

COLUMNS = [
    Column("programme", "培养项目", ("培养项目", "项目", "项目名称", "培养项目名称"), required=True),
    Column("tier", "层级", ("层级", "学段", "项目层级"), required=True),
    Column("discipline", "学科", ("学科", "学科领域", "领域")),
    Column("school", "学校代码", ("学校代码", "学校编码", "学校标识码"), required=True),
    Column("no", "学籍号", ("学籍号", "全国学籍号", "学生学籍号", "学籍辅号"), required=True),
    Column("name", "姓名", ("姓名", "学生姓名"), required=True),
    Column("in_mentor", "校内导师", ("校内导师",)),
    Column("ext_mentor", "校外导师", ("校外导师",)),
    Column("ext_org", "校外导师单位", ("校外导师单位", "导师单位")),
    Column("joined", "入选日期", ("入选日期", "加入日期", "日期")),
]
HEADERS = [c.label_zh for c in COLUMNS]


@dataclass
class MemberRow:
    row: int
    programme: str
    tier: str
    disciplines: list[str]
    school: str
    student_id: str
    person_key: str
    name: str
    in_mentor: str
    ext_mentor: str
    ext_org: str
    joined: date


@dataclass
class ProgrammePreview:
    path: Path
    sheet: str = ""
    header: Header | None = None
    good: list[MemberRow] = field(default_factory=list)
    already: list[int] = field(default_factory=list)    # rows whose person is already an active member
    bad: list[tuple[int, tuple, list[RowIssue]]] = field(default_factory=list)
    new_programmes: list[str] = field(default_factory=list)
    new_mentors: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[RowIssue]:
        return [i for _, _, issues in self.bad for i in issues]

    def summary(self, lang: str = "zh_CN") -> str:
        if not lang.startswith("zh"):
            return (f"{len(self.good)} members to import, {len(self.already)} rows already members, "
                    f"{len(self.bad)} rows with problems; {len(self.new_programmes)} new programmes, "
                    f"{len(self.new_mentors)} new mentors")
        return (f"可导入成员 {len(self.good)} 行，已是成员 {len(self.already)} 行，有问题 {len(self.bad)} 行；"
                f"新建培养项目 {len(self.new_programmes)} 个，新建导师 {len(self.new_mentors)} 名")

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "sheet": self.sheet, "members": len(self.good), "already": len(self.already),
                "error_rows": len(self.bad), "new_programmes": self.new_programmes, "new_mentors": self.new_mentors,
                "issues": [i.to_dict() for i in self.issues]}


@contextlib.contextmanager
def _open(path: Path):
    _opened, sheets = iter_sheets(path)
    first: ValidationError | None = None
    try:
        for sheet in sheets:
            try:
                header = find_header(sheet.rows, COLUMNS, sheet=sheet.name, what_zh="培养项目名单",
                                     what_en="programme list")
            except ValidationError as exc:
                if first is None or (exc.row is not None and first.row is None):
                    first = exc
                continue
            yield sheet.name, header, sheet.rows
            return
    finally:
        sheets.close()
    raise first or ValidationError("文件中没有工作表", "the file has no worksheet", field="file", value=str(path))


class _Matcher:
    """Finds the pupil of a row: by person key at a district, by 学籍号 at a school."""

    def __init__(self, s, kind: str):
        self.s, self.kind = s, kind
        self.secret = setting(s, "person_key_secret")
        self.school = setting(s, "school_code")

    def find(self, school: str, no: str) -> Student | None:
        if self.kind == "district":
            if not self.secret:
                raise ValidationError("区级数据库缺少 person_key 密钥，无法按学籍号匹配学生",
                                      "the district database has no person key secret", field="person_key_secret")
            key = person_key(self.secret, no)
            rows = list(self.s.scalars(select(Student).where(Student.person_key == key, Student.deleted.is_(False))))
            here = [st for st in rows if st.school_code == school]
            return (here or rows or [None])[0]
        return self.s.scalars(select(Student).where(Student.national_student_no == no,
                                                    Student.deleted.is_(False))).first()


def preview_programmes(db, path: str | Path) -> ProgrammePreview:
    path = Path(path)
    pv = ProgrammePreview(path)
    with db.session() as s, _open(path) as (sheet, header, rows):
        pv.sheet, pv.header = sheet, header
        match = _Matcher(s, db.kind)
        seen: dict[tuple[str, str, str], int] = {}
        programmes: set[tuple[str, str]] = set()
        mentors: set[str] = set()
        for r, values in rows:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if clean_header(header.get(values, "name")) == "姓名":
                continue   # the header again
            row, issues = _parse(s, db.kind, match, header, r, values)
            if row is not None:
                key = (row.programme, row.tier, row.person_key or row.student_id)
                if key in seen:
                    issues.append(_issue(header, r, "no", f"与第 {seen[key]} 行重复（同一项目同一学生）",
                                         f"repeats row {seen[key]} (same programme and student)"))
                    row = None
                else:
                    seen[key] = r
            if issues:
                pv.bad.append((r, tuple(values), issues))
                continue
            p = svc.find_programme(s, row.programme, row.tier)
            if p is not None and s.scalars(select(ProgrammeMember).where(
                    ProgrammeMember.programme_id == p.id, ProgrammeMember.deleted.is_(False),
                    ProgrammeMember.status == "active",
                    (ProgrammeMember.person_key == row.person_key) if row.person_key
                    else (ProgrammeMember.student_id == row.student_id))).first():
                pv.already.append(r)
                continue
            if p is None and (row.programme, row.tier) not in programmes:
                programmes.add((row.programme, row.tier))
                pv.new_programmes.append(f"{row.programme}（{label(STAGES, row.tier)}）")
            for kind, name, org in (("in_school", row.in_mentor, row.school), ("external", row.ext_mentor, row.ext_org)):
                if name and _find_mentor(s, db.kind, kind, name, org) is None and (kind, name, org) not in mentors:
                    mentors.add((kind, name, org))
                    pv.new_mentors.append(name + (f"（{org}）" if org else ""))
            pv.good.append(row)
    return pv


def _issue(header: Header, r: int, key: str, zh: str, en: str) -> RowIssue:
    return RowIssue(r, header.label(key) if key in header.index else "", header.index.get(key), zh, en)


def _parse(s, kind: str, match: _Matcher, header: Header, r: int, values) -> tuple[MemberRow | None, list[RowIssue]]:
    issues: list[RowIssue] = []
    text = {c.key: clean_text(header.get(values, c.key)) for c in COLUMNS}
    for key in ("programme", "tier", "school", "name"):
        if not text[key]:
            issues.append(_issue(header, r, key, "不能为空", "is empty"))
    tier = None
    if text["tier"]:
        tier = next((code for code, (zh, en) in STAGES.items()
                     if text["tier"] in (code, zh, en) or text["tier"] == PROGRAMME_TIERS[code][0]), None)
        if tier is None:
            issues.append(_issue(header, r, "tier", f"层级无效：{text['tier']}；可选：小学、初中、高中",
                                 f"invalid tier {text['tier']!r}; valid: 小学, 初中, 高中"))
    try:
        no = clean_code(header.get(values, "no"), "学籍号", "student number")
    except CellError as exc:
        issues.append(_issue(header, r, "no", exc.zh, exc.en))
        no = ""
    if not no and not any(i.col_index == header.index.get("no") for i in issues):
        issues.append(_issue(header, r, "no", "不能为空", "is empty"))
    school = clean_code(header.get(values, "school"), "学校代码", "school code") if text["school"] else ""
    if kind == "school" and school and school != match.school:
        issues.append(_issue(header, r, "school", f"不是本校代码（本校 {match.school}）",
                             f"not this school's code ({match.school})"))
    joined = today()
    if text["joined"]:
        try:
            joined = parse_date(header.get(values, "joined")) or today()
        except CellError as exc:
            issues.append(_issue(header, r, "joined", exc.zh, exc.en))
        if joined > today():
            issues.append(_issue(header, r, "joined", "入选日期不能晚于今天", "the date is in the future"))
    if text["ext_mentor"] and not text["ext_org"]:
        issues.append(_issue(header, r, "ext_org", "填写了校外导师，请同时填写其单位", "the external mentor's institution is empty"))
    if kind == "school" and text["in_mentor"] and _account(s, text["in_mentor"]) is None:
        issues.append(_issue(header, r, "in_mentor", f"校内导师应为本校账号：找不到 {text['in_mentor']}",
                             f"no account named {text['in_mentor']!r}"))
    st = None
    if no and not issues:
        try:
            st = match.find(school, no)
        except GrowthDeskError as exc:
            issues.append(_issue(header, r, "no", exc.zh, exc.en))
        if st is None and not issues:
            issues.append(_issue(header, r, "no", "找不到该学籍号的学生" + ("（区级按学生跨校标识匹配）" if kind == "district" else ""),
                                 "no student with this number"))
        elif st is not None and st.name != text["name"]:
            issues.append(_issue(header, r, "name", f"姓名与学籍号不符（库中为 {st.name}）",
                                 "the name does not match the student number"))
        elif st is not None and tier and st.stage != tier:
            issues.append(_issue(header, r, "tier", f"学生学段为{label(STAGES, st.stage)}，与项目层级{label(STAGES, tier)}不符",
                                 f"the student is {st.stage}, the programme {tier}"))
    if issues or st is None:
        return None, issues
    return MemberRow(r, text["programme"][:100], tier, svc.split_disciplines(text["discipline"]), school or st.school_code,
                     st.id, st.person_key or "", st.name, text["in_mentor"], text["ext_mentor"], text["ext_org"],
                     joined), []


def _account(s, text: str):
    return s.scalars(select(User).where((User.login == text) | (User.display_name == text))).first()


def _find_mentor(s, kind_db: str, kind: str, name: str, org: str):
    if kind == "in_school" and kind_db == "school":
        user = _account(s, name)
        return svc.find_mentor(s, kind=kind, name=name, login=user.login) if user else None
    return svc.find_mentor(s, kind=kind, name=name, institution=org if kind == "external" else "",
                           mentor_school=org if kind == "in_school" else "")


def apply_programmes(db, pv: ProgrammePreview, *, user: str = "") -> dict[str, int]:
    """Write the preview's good rows in one transaction (nothing on any error)."""
    made = {"programmes": 0, "mentors": 0, "members": 0}
    with db.session(user=user) as s:
        for row in pv.good:
            p = svc.find_programme(s, row.programme, row.tier)
            if p is None:
                p = svc.create_programme(s, name=row.programme, tier=row.tier, start_term=term_for_date(row.joined),
                                         disciplines=row.disciplines)
                made["programmes"] += 1
            elif row.disciplines:
                merged = svc.split_disciplines(svc.disciplines_of(p) + row.disciplines)
                if merged != svc.disciplines_of(p):
                    svc.update_programme(s, p.id, disciplines=merged)
            ids = {}
            for kind, name, org in (("in_school", row.in_mentor, row.school), ("external", row.ext_mentor, row.ext_org)):
                if not name:
                    ids[kind] = None
                    continue
                m = _find_mentor(s, db.kind, kind, name, org)
                if m is None:
                    acc = _account(s, name) if kind == "in_school" and db.kind == "school" else None
                    m = svc.add_mentor(s, kind=kind, name=name if acc is None else None, login=acc.login if acc else "",
                                       institution=org if kind == "external" else "",
                                       mentor_school=org if kind == "in_school" else None)
                    made["mentors"] += 1
                ids[kind] = m.id
            term = term_for_date(row.joined)
            n = (svc.existing_nomination(s, p.id, term, row.student_id, row.person_key)
                 or svc.open_nomination(s, p.id, row.student_id, row.person_key))
            if n is None:
                n = svc.nominate(s, p.id, term_code=term, by_kind="district" if db.kind == "district" else "school",
                                 by=user, reason=f"名单导入：{pv.path.name}", student_id=row.student_id, on=row.joined)
            svc.decide(s, n.id, "selected", reason=f"名单导入：{pv.path.name}", by=user, on=row.joined,
                       in_mentor_id=ids["in_school"], ext_mentor_id=ids["external"])
            made["members"] += 1
    return made


def write_programme_report(pv: ProgrammePreview, out: str | Path) -> Path:
    return write_error_report(out, pv.header.texts if pv.header else tuple(HEADERS), pv.bad, title="未导入的行")


# ---------------------------------------------------------------- export

def export_programmes(db, out: str | Path) -> dict[str, int]:
    """Programmes, members (in the import's columns, then status and destination), nominations
    and decisions, growth logs and evaluations: one sheet each."""
    from ..models import Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMentor, ProgrammeNomination
    with db.session() as s:
        progs = {p.id: p for p in svc.list_programmes(s)}
        studs = {st.id: st for st in s.scalars(select(Student).where(Student.id.in_(
            list(s.scalars(select(ProgrammeMember.student_id).where(ProgrammeMember.deleted.is_(False)))) +
            list(s.scalars(select(ProgrammeNomination.student_id).where(ProgrammeNomination.deleted.is_(False)))))))}
        mentors = {m.id: m for m in s.scalars(select(ProgrammeMentor))}
        prog_rows = [[p.name, label(STAGES, p.tier), "、".join(svc.disciplines_of(p)), p.owner_code, p.start_term,
                      p.end_term or "", p.capacity or "", "、".join(svc.criteria_of(p)), p.description]
                     for p in progs.values()]
        members = [m for m in s.scalars(select(ProgrammeMember).where(ProgrammeMember.deleted.is_(False))
                                        .order_by(ProgrammeMember.joined_on, ProgrammeMember.id))
                   if m.programme_id in progs]
        mem_by_id = {m.id: m for m in members}

        def who(m):
            st = studs.get(m.student_id)
            return (st.national_student_no or "" if st else "", st.name if st else "")

        member_rows = []
        for m in members:
            p, (no, name) = progs[m.programme_id], who(m)
            mi, me = mentors.get(m.in_mentor_id), mentors.get(m.ext_mentor_id)
            member_rows.append([p.name, label(STAGES, p.tier), "、".join(svc.disciplines_of(p)), m.student_school, no,
                                name, mi.name if mi else "", me.name if me else "", me.institution if me else "",
                                m.joined_on, label(MEMBER_STATUSES, m.status), m.left_on, m.leave_reason,
                                m.destination_school, m.destination_track, m.destination_note])
        noms = [n for n in s.scalars(select(ProgrammeNomination).where(ProgrammeNomination.deleted.is_(False))
                                     .order_by(ProgrammeNomination.term_code, ProgrammeNomination.nominated_on,
                                               ProgrammeNomination.id)) if n.programme_id in progs]
        nom_rows = [[progs[n.programme_id].name, n.term_code, n.student_school, studs[n.student_id].name
                     if n.student_id in studs else "", label(NOMINATORS, n.nominated_by_kind), n.nominated_by,
                     n.nominated_on, n.reason, label(DECISIONS, n.decision), n.decided_by, n.decided_on,
                     n.decision_reason] for n in noms]
        log_rows, eval_rows = [], []
        for e in s.scalars(select(ProgrammeLogEntry).where(ProgrammeLogEntry.deleted.is_(False))
                           .order_by(ProgrammeLogEntry.entry_date, ProgrammeLogEntry.id)):
            m = mem_by_id.get(e.member_id)
            if m is None:
                continue
            log_rows.append([progs[m.programme_id].name, who(m)[1], e.entry_date, label(GROWTH_ACTIVITIES, e.activity),
                             e.hours, e.content, e.mentor_feedback, label(LOG_AUTHORS, e.author_kind), e.author,
                             label(RECORD_STATES, e.state)])
        for e in s.scalars(select(ProgrammeEvaluation).where(ProgrammeEvaluation.deleted.is_(False))
                           .order_by(ProgrammeEvaluation.eval_date, ProgrammeEvaluation.id)):
            m = mem_by_id.get(e.member_id)
            if m is None:
                continue
            import json
            scores = json.loads(e.scores_json or "{}")
            eval_rows.append([progs[m.programme_id].name, who(m)[1], label(PROGRAMME_EVAL_KINDS, e.kind), e.term_code,
                              e.eval_date, e.evaluator, "；".join(f"{k} {v}" for k, v in scores.items()), e.comment,
                              label(PROGRAMME_EVAL_RESULTS, e.result), e.reason])
    from ..stats.cultivation import NOTICE
    write_table_workbook(out, [
        ("说明", ["说明"], [[NOTICE], ["本工作簿由 GrowthDesk 导出：培养项目、成员、推荐与遴选、成长日志、评价。"]]),
        ("培养项目", ["培养项目", "层级", "学科", "归属单位代码", "开始学期", "结束学期", "名额", "评价指标", "简介"], prog_rows),
        ("成员", HEADERS + ["状态", "退出日期", "退出理由", "去向学校", "去向方向", "去向备注"], member_rows),
        ("推荐与遴选", ["培养项目", "学期", "学校代码", "姓名", "推荐方", "推荐人", "推荐日期", "推荐理由", "遴选结果",
                    "遴选人", "遴选日期", "遴选理由"], nom_rows),
        ("成长日志", ["培养项目", "姓名", "日期", "活动类型", "学时", "活动内容", "导师反馈", "记录人类型", "记录人", "状态"],
         log_rows),
        ("评价", ["培养项目", "姓名", "评价类型", "学期", "评价日期", "评价人", "各项评分", "评语", "结论", "理由"], eval_rows)])
    from ..fileperms import tighten
    from ..services import accesslog
    try:
        tighten(out)
        with db.session() as s:  # names and 学籍号 of every member and nominee: an export that is logged
            accesslog.record(s, "export_sheet", sorted(studs), detail=f"programmes {Path(out).name}")
    except BaseException:
        Path(out).unlink(missing_ok=True)
        raise
    return {"programmes": len(prog_rows), "members": len(member_rows), "nominations": len(nom_rows),
            "logs": len(log_rows), "evaluations": len(eval_rows)}
