"""Batch-entry templates for one class, and importing them back.

A teacher gets an .xlsx with the class's students already in it (学籍号, 姓名) and drop-down
lists (data validation, from a hidden sheet) for the closed vocabularies: competition level
and award, evaluation dimension, scale level and evaluator role. The filled file comes back
through the same two phases as the roster: ``preview_entries`` checks every row (nothing is
written), ``apply_entries`` writes through the services in one transaction. Team awards are
rows with the same 团队名称, competition and date: they become ONE result with several members.
Re-importing the same file changes nothing (existing records are recognised and skipped).

A competition that is not in the catalog (a 区级/市级/校级 contest) does not fail its rows: the
preview lists it (``EntriesPreview.unknown``, with the level and organiser the sheet gives and
the catalog names it might mean), and ``apply_entries(..., add_competitions=True)`` adds it as
this school's competition in the same transaction as the awards that name it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import GrowthDeskError, NotFoundError, ValidationError
from ..models import CompetitionResult, CompetitionResultMember, ProcessEvaluation, Student
from ..models.enums import AWARDS, EVALUATOR_ROLES, LEVELS
from ..outfiles import save_workbook
from ..services import competitions as comp_svc
from ..services import evaluations as eval_svc
from ..services import students as student_svc
from ..services._common import bounded_text, not_future, vocab_code
from ..services.names import class_label
from ..services.rubric import RubricDoc, active_rubric
from ..services.terms import current_term_code, normalise_term_code, term_for_date, term_label
from .cleaning import CellError, clean_code, clean_text, parse_date
from .headers import Column, Header, find_header
from .reader import iter_sheets
from .report import RowIssue, write_error_report
from .writer import DATE_FORMAT, HEADER_FILL, HEADER_FONT, display_width

LISTS_SHEET = "_lists"
TEMPLATE_MARK = "growthdesk-template"
MAX_ROWS = 500  # validations reach this far below the header: room for extra award rows

AWARD_COLUMNS = [
    Column("national_student_no", "学籍号", ("学籍号", "全国学籍号", "学生学籍号"), required=True),
    Column("name", "姓名", ("姓名", "学生姓名")),
    Column("competition", "竞赛名称", ("竞赛名称", "竞赛", "比赛名称", "赛事名称"), required=True),
    Column("level", "竞赛级别", ("竞赛级别", "级别", "获奖级别"), required=True),
    Column("award", "奖项等级", ("奖项等级", "奖项", "获奖等级", "等级"), required=True),
    Column("award_date", "获奖日期", ("获奖日期", "获奖时间", "日期"), required=True),
    Column("team_name", "团队名称", ("团队名称", "队伍名称", "团队")),
    Column("work_title", "作品名称", ("作品名称", "作品", "项目名称")),
    Column("certificate_no", "证书编号", ("证书编号", "证书号")),
    Column("instructor", "指导教师", ("指导教师", "指导老师")),
    # For a competition the catalog lacks: who runs it (added with it as a school competition).
    Column("organiser", "主办单位", ("主办单位", "主办方", "主办", "组织单位", "承办单位")),
]
EVAL_COLUMNS = [
    Column("national_student_no", "学籍号", ("学籍号", "全国学籍号", "学生学籍号"), required=True),
    Column("name", "姓名", ("姓名", "学生姓名")),
    Column("dimension", "评价维度", ("评价维度", "维度"), required=True),
    Column("level", "评价等级", ("评价等级", "等级"), required=True),
    Column("role", "评价主体", ("评价主体", "评价角色", "评价人身份"), required=True),
    Column("evaluator", "评价人", ("评价人", "评价教师", "评价者")),
    Column("eval_date", "评价日期", ("评价日期", "日期")),
    Column("comment", "评语", ("评语", "说明", "备注")),
    Column("term", "学期", ("学期", "学期代码")),
]


# ------------------------------------------------------------------------------------ writing


def _logged(db, students, out: Path, detail: str) -> None:
    """A prefilled sheet holds the class's names and 学籍号: written to the access log; if the
    entry cannot be written the file is removed (no export without its entry)."""
    from ..fileperms import tighten
    from ..services import accesslog
    try:
        tighten(out)
        with db.session() as s:
            accesslog.record(s, "export_sheet", [st.id for st in students], detail=f"{detail} {out.name}")
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _class_and_students(s: Session, class_text) -> tuple[Any, list[Student]]:
    from ..services import access
    cls = student_svc.find_class(s, class_text)
    if not access.may_see_class(s, access.actor(s), cls.id):
        access.require_role(s, "school_admin")  # says who may, and refuses
    return cls, student_svc.students_in_class(s, cls.id)


def _lists_sheet(wb: Workbook, lists: dict[str, list[str]], meta: dict[str, str]) -> dict[str, str]:
    """The hidden sheet: template identity in column A/B, one vocabulary per column after.
    Returns each list's range for data validation formulas."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for r, (k, v) in enumerate(meta.items(), start=1):
        ws.cell(r, 1, k)
        ws.cell(r, 2, v).data_type = "s"
    refs = {}
    for i, (key, values) in enumerate(lists.items(), start=3):
        col = get_column_letter(i)
        ws.cell(1, i, key)
        for r, v in enumerate(values, start=2):
            ws.cell(r, i, v)
        refs[key] = f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${max(2, len(values) + 1)}"
    return refs


def _add_list_validation(ws, ref: str, col: int, first_row: int, *, strict: bool = True, prompt: str = "") -> None:
    dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showDropDown=False)
    dv.showErrorMessage = strict
    dv.errorTitle = "输入无效"
    dv.error = "请从下拉列表中选择"
    if prompt:
        dv.promptTitle, dv.prompt, dv.showInputMessage = "提示", prompt, True
    letter = get_column_letter(col)
    dv.add(f"{letter}{first_row}:{letter}{first_row + MAX_ROWS}")
    ws.add_data_validation(dv)


def _entry_sheet(wb: Workbook, title: str, caption: str, headers: list[str], rows: list[list[Any]],
                 date_cols: tuple[int, ...] = ()):
    ws = wb.active
    ws.title = title
    ws.append([caption])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        cell = ws.cell(2, c)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        width = max([display_width(headers[c - 1])] + [display_width(r[c - 1]) for r in rows[:200]])
        ws.column_dimensions[get_column_letter(c)].width = min(40, max(10, width + 2))
    for row in rows:
        ws.append(row)
    for c in range(1, len(headers) + 1):
        for r in range(3, 3 + len(rows)):
            cell = ws.cell(r, c)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # 学籍号 and names as text, never numbers or formulas
            if c in date_cols:
                cell.number_format = DATE_FORMAT
        for r in range(3 + len(rows), 3 + MAX_ROWS):
            if c in date_cols:
                ws.cell(r, c).number_format = DATE_FORMAT
    ws.freeze_panes = "C3"
    return ws


def write_award_template(db, class_text, out: str | Path) -> dict[str, Any]:
    """Competition results for one class: one prefilled row per student (copy a row for a
    second award; give team members the same 团队名称)."""
    out = Path(out)
    with db.session() as s:
        cls, students = _class_and_students(s, class_text)
        competitions = [c.name for c in comp_svc.list_competitions(s)]
        label = class_label(cls.grade, cls.class_no)
    wb = Workbook()
    headers = [c.label_zh for c in AWARD_COLUMNS]
    rows = [[st.national_student_no, st.name] + [None] * (len(headers) - 2) for st in students]
    ws = _entry_sheet(wb, "竞赛获奖", f"{label} 竞赛获奖批量录入（团队获奖：同一团队名称、竞赛、日期的行合并为一项；"
                      "目录中没有的竞赛直接写名称并填主办单位，导入时可添加为本校竞赛）",
                      headers, rows, date_cols=(6,))
    refs = _lists_sheet(wb, {"competition": competitions, "level": [v[0] for v in LEVELS.values()],
                             "award": [v[0] for v in AWARDS.values()]},
                        {"format": TEMPLATE_MARK, "kind": "awards", "class_id": cls.id, "class": label})
    _add_list_validation(ws, refs["competition"], 3, 3, strict=False,
                         prompt="从下拉列表选择；目录中没有的竞赛（区级、市级、校级等）直接填写名称，并填好竞赛级别和"
                                "主办单位，导入时可一并添加为本校竞赛")
    _add_list_validation(ws, refs["level"], 4, 3)
    _add_list_validation(ws, refs["award"], 5, 3)
    _date_validation(ws, 6, 3)
    save_workbook(wb, out)
    _logged(db, students, out, "awards")
    return {"path": str(out), "kind": "awards", "class": label, "students": len(students)}


def _date_validation(ws, col: int, first_row: int) -> None:
    dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                        allow_blank=True)
    dv.errorTitle, dv.error, dv.showErrorMessage = "日期无效", "请输入日期，如 2025-09-01", True
    letter = get_column_letter(col)
    dv.add(f"{letter}{first_row}:{letter}{first_row + MAX_ROWS}")
    ws.add_data_validation(dv)


def write_evaluation_template(db, class_text, out: str | Path, *, term: str | None = None) -> dict[str, Any]:
    """Process evaluations for one class and term: a row per student and dimension; fill in
    the level (and role, evaluator, date); rows left without a level are ignored."""
    out = Path(out)
    code = normalise_term_code(term) if term else current_term_code()
    with db.session() as s:
        cls, students = _class_and_students(s, class_text)
        rubric = active_rubric(s)
        label = class_label(cls.grade, cls.class_no)
    headers = [c.label_zh for c in EVAL_COLUMNS]
    rows = [[st.national_student_no, st.name, d.name_zh, None, None, None, None, None, code]
            for st in students for d in rubric.dimensions]
    wb = Workbook()
    ws = _entry_sheet(wb, "过程性评价", f"{label} 过程性评价批量录入 · {term_label(code)}", headers, rows,
                      date_cols=(7,))
    levels = [f"{lv.code}" for lv in rubric.levels]
    refs = _lists_sheet(wb, {"dimension": [d.name_zh for d in rubric.dimensions], "level": levels,
                             "role": [v[0] for v in EVALUATOR_ROLES.values()]},
                        {"format": TEMPLATE_MARK, "kind": "evaluations", "class_id": cls.id, "class": label,
                         "term": code})
    scale = "，".join(f"{lv.code}={lv.label_zh}" for lv in rubric.levels)
    _add_list_validation(ws, refs["dimension"], 3, 3)
    _add_list_validation(ws, refs["level"], 4, 3, prompt=scale)
    _add_list_validation(ws, refs["role"], 5, 3)
    _date_validation(ws, 7, 3)
    save_workbook(wb, out)
    _logged(db, students, out, f"evaluations {code}")
    return {"path": str(out), "kind": "evaluations", "class": label, "term": code, "students": len(students)}


# ------------------------------------------------------------------------------------ reading


@dataclass
class EntriesPreview:
    """What importing a filled template would do; nothing is written while you hold one."""

    path: Path
    kind: str                              # awards | evaluations
    header: Header
    total: int = 0                         # rows with something filled in
    new: int = 0                           # results (a team counts once) or evaluations
    existing: int = 0                      # already in the database: skipped
    error_rows: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)   # what apply writes
    bad_rows: list[tuple[int, tuple, list[RowIssue]]] = field(default_factory=list)
    # Competitions the catalog lacks, and the awards naming them (written only when apply adds them).
    unknown: list[UnknownCompetition] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pending_rows(self) -> int:
        return sum(len(g["rows"]) for g in self.pending)

    def summary(self, lang: str = "zh_CN") -> str:
        what = ("获奖记录" if self.kind == "awards" else "过程性评价") if lang.startswith("zh") else self.kind
        if lang.startswith("zh"):
            text = (f"{what}：共 {self.total} 行，将新增 {self.new} 条，已存在 {self.existing} 条（跳过），"
                    f"有错误 {self.error_rows} 行")
            if self.unknown:
                text += (f"；另有 {self.pending_rows} 行的竞赛不在目录中（{len(self.unknown)} 项），"
                         f"添加为本校竞赛后可导入 {len(self.pending)} 条")
            return text
        text = (f"{what}: {self.total} rows, {self.new} new, {self.existing} already present (skipped), "
                f"{self.error_rows} rows with errors")
        if self.unknown:
            text += (f"; {self.pending_rows} more rows name {len(self.unknown)} competition(s) not in the catalog: "
                     f"{len(self.pending)} more once they are added as school competitions")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "kind": self.kind, "total": self.total, "new": self.new,
                "existing": self.existing, "errors": self.error_rows, "issues": [i.to_dict() for i in self.issues],
                "unknown_competitions": [u.to_dict() for u in self.unknown], "pending": len(self.pending)}


@dataclass
class UnknownCompetition:
    """A competition named in the sheet that the catalog lacks: what adding it would store."""

    name: str
    level: str                      # the level code its first row gives (the competition's usual level)
    organiser: str                  # from the sheet's 主办单位 column, '' if none
    rows: list[int] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)   # catalog names it might mean (a typo?)

    def describe(self, lang: str = "zh_CN") -> str:
        zh = lang.startswith("zh")
        lv = LEVELS.get(self.level, ("", ""))[0 if zh else 1]
        parts = [p for p in (lv, (f"主办：{self.organiser}" if zh else f"organiser: {self.organiser}")
                             if self.organiser else "") if p]
        text = f"{self.name}（{'，'.join(parts)}）" if zh and parts else (
            f"{self.name} ({', '.join(parts)})" if parts else self.name)
        rows = "、".join(str(r) for r in self.rows[:5]) + ("…" if len(self.rows) > 5 else "")
        text += f"，第 {rows} 行" if zh else f", row(s) {rows}"
        if self.suggestions:
            text += (f"；可能是：{'、'.join(self.suggestions)}" if zh else f"; did you mean: {', '.join(self.suggestions)}")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "level": self.level, "organiser": self.organiser, "rows": self.rows,
                "suggestions": self.suggestions}


def _find_entry_sheet(path: Path) -> tuple[str, Header, list[tuple[int, tuple]], dict[str, str]]:
    """The sheet holding awards or evaluations (by its header), its rows and the template meta."""
    _opened, sheets = iter_sheets(path)
    meta: dict[str, str] = {}
    found = None
    errors: list[ValidationError] = []
    try:
        for sheet in sheets:
            if sheet.name == LISTS_SHEET:
                continue
            rows = list(sheet.rows)  # a class's entries: small
            for kind, specs in (("awards", AWARD_COLUMNS), ("evaluations", EVAL_COLUMNS)):
                it = iter(rows)
                try:
                    header = find_header(it, specs, sheet=sheet.name, what_zh="录入表", what_en="entry sheet")
                except ValidationError as exc:
                    errors.append(exc)
                    continue
                found = (kind, header, list(it))
                break
            if found:
                break
    finally:
        sheets.close()
    meta = _template_meta(path)
    if not found:
        with_row = [e for e in errors if e.row is not None]
        raise (with_row or errors or [ValidationError("文件中没有工作表", "the file has no worksheet",
                                                      field="file")])[0]
    return found[0], found[1], found[2], meta


def _template_meta(path: Path) -> dict[str, str]:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if LISTS_SHEET not in wb.sheetnames:
            return {}
        ws = wb[LISTS_SHEET]
        ws.reset_dimensions()
        return {str(a): str(b) for a, b, *_ in ws.iter_rows(min_row=1, max_col=2, values_only=True)
                if a and b is not None}
    finally:
        wb.close()


class _Checker:
    """Row-by-row checks shared by both kinds: student by number (and name), dates."""

    def __init__(self, s: Session, header: Header) -> None:
        self.s, self.header = s, header
        self.by_no: dict[str, Student | None] = {}

    def issue(self, r: int, key: str, zh: str, en: str) -> RowIssue:
        col = self.header.index.get(key)
        return RowIssue(r, self.header.label(key) if col is not None else "", col, zh, en)

    def student(self, r: int, values: tuple, issues: list[RowIssue]) -> Student | None:
        try:
            no = clean_code(self.header.get(values, "national_student_no"), "学籍号", "national student number")
            no = student_svc.validate_national_student_no(no)
        except CellError as exc:
            issues.append(self.issue(r, "national_student_no", exc.zh, exc.en))
            return None
        except ValidationError as exc:
            issues.append(self.issue(r, "national_student_no", exc.zh, exc.en))
            return None
        if no not in self.by_no:
            self.by_no[no] = self.s.scalars(select(Student).where(Student.national_student_no == no,
                                                                  Student.deleted.is_(False))).first()
        st = self.by_no[no]
        if st is None:
            issues.append(self.issue(r, "national_student_no", f"找不到学籍号为 {no} 的学生（请先导入学生名单）",
                                     f"no student with national student number {no} (import the roster first)"))
            return None
        name = clean_text(self.header.get(values, "name"))
        if name and name != st.name:
            issues.append(self.issue(r, "name", f"姓名与学籍号不符：学籍号 {no} 是 {st.name}",
                                     f"the name does not match: {no} belongs to {st.name}"))
            return None
        return st

    def text(self, r: int, values: tuple, key: str, zh: str, max_len: int, issues: list[RowIssue]) -> str:
        try:
            return bounded_text(clean_text(self.header.get(values, key)), key, zh, max_len)
        except ValidationError as exc:
            issues.append(self.issue(r, key, exc.zh, exc.en))
            return ""

    def service(self, r: int, key: str, issues: list[RowIssue], fn, *args):
        try:
            return fn(*args)
        except (ValidationError, GrowthDeskError) as exc:
            issues.append(self.issue(r, key, exc.zh, exc.en))
        except CellError as exc:
            issues.append(self.issue(r, key, exc.zh, exc.en))
        return None


def _filled(header: Header, values: tuple, keys: tuple[str, ...]) -> bool:
    return any(clean_text(header.get(values, k)) for k in keys)


def preview_entries(db, path: str | Path) -> EntriesPreview:
    """Check a filled template (or any sheet with the same columns). Writes nothing."""
    path = Path(path)
    kind, header, rows, meta = _find_entry_sheet(path)
    pv = EntriesPreview(path=path, kind=kind, header=header)
    with db.session() as s:
        ck = _Checker(s, header)
        if kind == "awards":
            _preview_awards(s, ck, pv, rows)
        else:
            _preview_evaluations(s, ck, pv, rows, meta.get("term"))
        s.rollback()
    pv.issues.sort(key=lambda i: (i.row, i.col_index or 0))
    return pv


def _reject(pv: EntriesPreview, r: int, values: tuple, issues: list[RowIssue]) -> None:
    pv.error_rows += 1
    pv.issues.extend(issues)
    pv.bad_rows.append((r, values, issues))


def _competition(s: Session, ck: _Checker, r: int, values: tuple, issues: list[RowIssue]):
    """The row's competition from the catalog, or (None, name) when the catalog has none of
    that name: the row can still be imported once the competition is added."""
    text = clean_text(ck.header.get(values, "competition"))
    if not text:
        issues.append(ck.issue(r, "competition", "请填写竞赛名称", "the competition is required"))
        return None, ""
    try:
        return comp_svc.find_competition(s, text), ""
    except NotFoundError:
        return None, text
    except (ValidationError, GrowthDeskError) as exc:
        issues.append(ck.issue(r, "competition", exc.zh, exc.en))
        return None, ""


def _preview_awards(s: Session, ck: _Checker, pv: EntriesPreview, rows) -> None:
    groups: dict[tuple, dict[str, Any]] = {}
    unknown: dict[str, UnknownCompetition] = {}
    for r, values in rows:
        if not _filled(ck.header, values, ("competition", "level", "award", "award_date", "team_name")):
            continue  # a prefilled student row nobody filled in
        pv.total += 1
        issues: list[RowIssue] = []
        st = ck.student(r, values, issues)
        comp, new_name = _competition(s, ck, r, values, issues)
        level = ck.service(r, "level", issues, vocab_code, LEVELS, clean_text(ck.header.get(values, "level")),
                           "level", "竞赛级别")
        award = ck.service(r, "award", issues, vocab_code, AWARDS, clean_text(ck.header.get(values, "award")),
                           "award", "奖项等级")
        d = ck.service(r, "award_date", issues, _required_date, ck.header.get(values, "award_date"), "获奖日期")
        team = ck.text(r, values, "team_name", "团队名称", 100, issues)
        extra = {k: ck.text(r, values, k, z, n, issues) for k, z, n in
                 (("work_title", "作品名称", 200), ("certificate_no", "证书编号", 64), ("instructor", "指导教师", 100))}
        organiser = ck.text(r, values, "organiser", "主办单位", 200, issues)
        if issues:
            if new_name:  # with other problems too, the unknown name is one more to fix
                issues.append(ck.issue(r, "competition", f"竞赛“{new_name}”不在竞赛目录中",
                                       f"competition {new_name!r} is not in the catalog"))
            _reject(pv, r, values, issues)
            continue
        if new_name:
            folded = " ".join(new_name.split()).lower()
            u = unknown.get(folded)
            if u is None:
                u = unknown[folded] = UnknownCompetition(
                    " ".join(new_name.split()), level, organiser, suggestions=[c.name for c in comp_svc.suggest(s, new_name, 3)])
            u.rows.append(r)
            if organiser and not u.organiser:
                u.organiser = organiser
            comp_id, comp_name = f"new:{folded}", u.name
        else:
            comp_id, comp_name = comp.id, comp.name
        # A team is its name + competition + date; an individual award is its own group.
        key = (team, comp_id, d) if team else (f"#row{r}", comp_id, d)
        g = groups.get(key)
        if g is None:
            groups[key] = {"rows": [r], "values": [values], "student_ids": [st.id], "competition_id": comp_id,
                           "competition": comp_name, "level": level, "award": award, "award_date": d,
                           "team_name": team, "new_competition": folded if new_name else "", **extra}
            continue
        clash = _team_clash(ck, r, g, st, level, award, extra)
        if clash:
            _reject(pv, r, values, [clash])
            continue
        g["rows"].append(r)
        g["values"].append(values)
        g["student_ids"].append(st.id)
    for g in groups.values():
        if g["new_competition"]:
            pv.pending.append(g)  # written only if its competition is added
            continue
        if _award_exists(s, g):
            pv.existing += 1
            continue
        pv.new += 1
        pv.items.append(g)
    pv.unknown = list(unknown.values())


def _required_date(value, zh: str) -> date:
    d = parse_date(value)
    if d is None:
        raise ValidationError(f"请填写{zh}", f"{zh} is required", field="date")
    return not_future(d, "date", zh)


def _team_clash(ck: _Checker, r: int, g: dict, st: Student, level, award, extra) -> RowIssue | None:
    first = g["rows"][0]
    if st.id in g["student_ids"]:
        return ck.issue(r, "national_student_no", f"该学生在同一团队中重复（第 {first} 行已有）",
                        f"the student is listed twice in the same team (see row {first})")
    for key, value, zh in (("level", level, "竞赛级别"), ("award", award, "奖项等级")):
        if value != g[key]:
            return ck.issue(r, key, f"同一团队的{zh}与第 {first} 行不一致", f"{key} differs from row {first} of the same team")
    # Members often hold one certificate each: a result keeps the first number given.
    for key, zh in (("work_title", "作品名称"), ("certificate_no", "证书编号"), ("instructor", "指导教师")):
        if extra[key] and g[key] and extra[key] != g[key] and key != "certificate_no":
            return ck.issue(r, key, f"同一团队的{zh}与第 {first} 行不一致", f"{key} differs from row {first} of the same team")
        if extra[key] and not g[key]:
            g[key] = extra[key]
    return None


def _award_exists(s: Session, g: dict) -> bool:
    """The same competition, date and award already recorded for these students: re-import."""
    q = (select(CompetitionResultMember.student_id)
         .join(CompetitionResult, CompetitionResult.id == CompetitionResultMember.result_id)
         .where(CompetitionResult.competition_id == g["competition_id"], CompetitionResult.award_date == g["award_date"],
                CompetitionResult.award == g["award"], CompetitionResult.deleted.is_(False),
                CompetitionResultMember.deleted.is_(False), CompetitionResultMember.student_id.in_(g["student_ids"])))
    return set(s.scalars(q)) == set(g["student_ids"])


def _dimension(rubric: RubricDoc, text: str) -> str:
    t = clean_text(text)
    for d in rubric.dimensions:
        if t in (d.code, d.name_zh, d.short_zh, d.name_en):
            return d.code
    valid = "、".join(d.name_zh for d in rubric.dimensions)
    raise ValidationError(f"评价维度无效：{t or '（空）'}；可选：{valid}", f"unknown dimension {t!r}", field="dimension")


def _preview_evaluations(s: Session, ck: _Checker, pv: EntriesPreview, rows, template_term: str | None) -> None:
    rubric = active_rubric(s)
    for r, values in rows:
        if not _filled(ck.header, values, ("level", "role", "evaluator", "comment")):
            continue  # prefilled student × dimension rows left empty
        pv.total += 1
        issues: list[RowIssue] = []
        st = ck.student(r, values, issues)
        dim = ck.service(r, "dimension", issues, _dimension, rubric, ck.header.get(values, "dimension"))
        level = ck.service(r, "level", issues, lambda v: rubric.level(clean_text(v)).code, ck.header.get(values, "level"))
        role = ck.service(r, "role", issues, vocab_code, EVALUATOR_ROLES, clean_text(ck.header.get(values, "role")),
                          "evaluator_role", "评价主体")
        evaluator = ck.text(r, values, "evaluator", "评价人", 50, issues)
        comment = ck.text(r, values, "comment", "评语", 2000, issues)
        term_text = clean_text(ck.header.get(values, "term")) or template_term
        code = ck.service(r, "term", issues, _term_of, term_text, ck.header.get(values, "eval_date"))
        when = None
        if code is not None:
            when = ck.service(r, "eval_date", issues, _eval_date, s, code, ck.header.get(values, "eval_date"))
        if issues:
            _reject(pv, r, values, issues)
            continue
        item = {"row": r, "student_id": st.id, "term_code": code, "dimension": dim, "level": level,
                "evaluator_role": role, "evaluator_name": evaluator, "comment": comment, "eval_date": when}
        if _evaluation_exists(s, item):
            pv.existing += 1
            continue
        pv.new += 1
        pv.items.append(item)


def _term_of(term_text: str | None, date_value) -> str:
    if term_text:
        return normalise_term_code(term_text)
    d = parse_date(date_value)
    if d is None:
        raise ValidationError("请填写学期（如 2025-2026-1）或评价日期", "give the term or the date", field="term")
    return term_for_date(d)


def _eval_date(s: Session, code: str, value) -> date:
    # The services' own rule (inside the term, not in the future), so apply cannot disagree.
    return eval_svc._date_in_term(s, code, parse_date(value), "eval_date", "评价日期")


def _evaluation_exists(s: Session, item: dict) -> bool:
    q = select(ProcessEvaluation.id).where(
        ProcessEvaluation.student_id == item["student_id"], ProcessEvaluation.term_code == item["term_code"],
        ProcessEvaluation.dimension == item["dimension"], ProcessEvaluation.level == item["level"],
        ProcessEvaluation.evaluator_role == item["evaluator_role"],
        ProcessEvaluation.evaluator_name == item["evaluator_name"], ProcessEvaluation.eval_date == item["eval_date"],
        ProcessEvaluation.deleted.is_(False))
    return s.scalars(q).first() is not None


# ------------------------------------------------------------------------------------ writing


def apply_entries(db, preview: EntriesPreview, *, user: str = "", add_competitions: bool = False) -> dict[str, int]:
    """Write the accepted entries through the services, all or nothing.

    With ``add_competitions`` the competitions the catalog lacked (``preview.unknown``) are
    added as this school's competitions (the level and organiser the sheet gave) in the same
    transaction, and the awards naming them are written too; without, those rows are skipped."""
    written = 0
    added: list[str] = []
    with db.session(user=user) as s:
        new_ids: dict[str, str] = {}
        items = list(preview.items)
        if add_competitions and preview.unknown:
            for u in preview.unknown:
                folded = " ".join(u.name.split()).lower()
                try:
                    c = comp_svc.find_competition(s, u.name)  # added meanwhile (another teacher, a bundle)
                    if " ".join(c.name.split()).lower() != folded:
                        raise NotFoundError("", "")
                except NotFoundError:
                    try:
                        c = comp_svc.create_competition(s, u.name, organiser=u.organiser, level=u.level)
                    except GrowthDeskError as exc:
                        r = u.rows[0]
                        raise ValidationError(f"第 {r} 行的竞赛“{u.name}”未能添加：{exc.zh}；整个导入已撤销",
                                              f"row {r}: competition {u.name!r} could not be added: {exc.en}; "
                                              "the whole import was rolled back", field="competition", row=r) from exc
                    added.append(c.name)
                new_ids[folded] = c.id
            for g in preview.pending:
                item = dict(g, competition_id=new_ids[g["new_competition"]])
                if _award_exists(s, item):
                    continue
                items.append(item)
        for item in items:
            try:
                if preview.kind == "awards":
                    comp_svc.record_result(s, competition_id=item["competition_id"], student_ids=item["student_ids"],
                                           level=item["level"], award=item["award"], award_date=item["award_date"],
                                           team_name=item["team_name"], work_title=item["work_title"],
                                           certificate_no=item["certificate_no"], instructor=item["instructor"])
                else:
                    eval_svc.record_process_evaluation(
                        s, student_id=item["student_id"], term_code=item["term_code"], dimension=item["dimension"],
                        level=item["level"], evaluator_role=item["evaluator_role"],
                        evaluator_name=item["evaluator_name"], comment=item["comment"], eval_date=item["eval_date"])
            except GrowthDeskError as exc:
                r = item["rows"][0] if "rows" in item else item["row"]
                raise ValidationError(f"第 {r} 行未能导入：{exc.zh}；整个导入已撤销", f"row {r} could not be imported: "
                                      f"{exc.en}; the whole import was rolled back", field=exc.field, row=r) from exc
            written += 1
    skipped_unknown = 0 if add_competitions else preview.pending_rows
    return {"created": written, "skipped_existing": preview.existing, "error_rows": preview.error_rows,
            "competitions_added": added, "skipped_unknown": skipped_unknown}


def write_entries_report(preview: EntriesPreview, out: str | Path) -> Path:
    """The rows with problems, and the rows naming a competition the catalog lacks (to be
    fixed in the sheet, or imported with the competition added)."""
    rows = list(preview.bad_rows)
    col = preview.header.index.get("competition")
    for g in preview.pending:
        for r, values in zip(g["rows"], g["values"]):
            why = RowIssue(r, preview.header.label("competition"), col,
                           f"竞赛“{g['competition']}”不在竞赛目录中：导入时选择“添加为本校竞赛”，或改成目录中的名称",
                           f"competition {g['competition']!r} is not in the catalog: add it as a school "
                           "competition when importing, or use a catalog name")
            rows.append((r, values, [why]))
    rows.sort(key=lambda x: x[0])
    return write_error_report(out, preview.header.texts, rows, title="未导入的行")
