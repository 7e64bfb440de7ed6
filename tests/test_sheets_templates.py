"""Batch-entry templates: drop-downs and prefilled students, filled in and imported back."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from growthdesk.models import CompetitionResult, CompetitionResultMember, ProcessEvaluation
from growthdesk.services import competitions as comp_svc
from growthdesk.services import students as svc
from growthdesk.sheets.templates import (apply_entries, preview_entries, write_award_template,
                                         write_entries_report, write_evaluation_template)
from tests.fixtures.sheets.helpers import student_no

TERM = "2024-2025-2"   # a past term: every date in it is allowed


@pytest.fixture()
def school(bare_school_db):
    db = bare_school_db
    with db.session(user="admin") as s:
        comp_svc.load_national_catalog(s)
        cls = svc.create_class(s, 2024, 7, 3)
        for i, name in enumerate(["张三", "李四", "王五", "赵六"], start=1):
            svc.create_student(s, national_student_no=student_no(i), name=name, gender="M" if i % 2 else "F",
                               class_id=cls.id)
        comp = comp_svc.list_competitions(s)[0].name
    return db, comp


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def _validations(ws) -> dict[str, str]:
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_award_template_has_students_and_dropdowns(school, tmp_path):
    db, _comp = school
    info = write_award_template(db, "初一(3)班", tmp_path / "awards.xlsx")
    assert info["students"] == 4
    wb = openpyxl.load_workbook(tmp_path / "awards.xlsx")
    ws = wb["竞赛获奖"]
    assert [c.value for c in ws[2]][:6] == ["学籍号", "姓名", "竞赛名称", "竞赛级别", "奖项等级", "获奖日期"]
    assert {ws.cell(r, 2).value for r in range(3, 7)} == {"张三", "李四", "王五", "赵六"}
    assert ws.cell(3, 1).data_type == "s" and ws.freeze_panes == "C3"
    lists = wb["_lists"]
    assert lists.sheet_state == "hidden"
    dvs = _validations(ws)
    assert any(k.startswith("D3") for k in dvs) and any(k.startswith("E3") for k in dvs)
    level_ref = next(v for k, v in dvs.items() if k.startswith("D3"))
    col = level_ref.split("!")[1].split(":")[0].replace("$", "")[0]
    values = [c.value for c in lists[col]][1:]
    assert values[:2] == ["国际级", "国家级"] and "校级" in values
    award_ref = next(v for k, v in dvs.items() if k.startswith("E3"))
    col = award_ref.split("!")[1].split(":")[0].replace("$", "")[0]
    assert "一等奖" in [c.value for c in lists[col]]


def _fill(path, rows: dict[int, dict[int, object]], extra: list[list] = ()):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for r, cols in rows.items():
        for c, v in cols.items():
            ws.cell(r, c, v)
    for row in extra:
        ws.append(row)
    wb.save(path)


def test_awards_roundtrip_with_team_and_errors(school, tmp_path):
    db, comp = school
    path = tmp_path / "awards.xlsx"
    write_award_template(db, "初一(3)班", path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    row_of = {ws.cell(r, 2).value: r for r in range(3, 7)}
    team = {3: comp, 4: "国家级", 5: "一等奖", 6: date(2025, 5, 20), 7: "追光队", 8: "智能小车"}
    _fill(path, {
        row_of["张三"]: team,
        row_of["李四"]: team,
        row_of["王五"]: {3: comp, 4: "省级", 5: "二等奖", 6: "2025/4/1"},          # individual
        row_of["赵六"]: {3: "不存在的比赛", 4: "宇宙级", 5: "一等奖", 6: "2099-01-01"},  # three problems
        7: dict(enumerate([student_no(9), "无名", comp, "校级", "三等奖", "2025-03-01"], start=1)),  # unknown
    })
    pv = preview_entries(db, path)
    assert pv.kind == "awards"
    assert (pv.total, pv.new, pv.existing, pv.error_rows) == (5, 2, 0, 2)
    bad = {(i.row, i.column) for i in pv.issues}
    assert {(row_of["赵六"], "竞赛名称"), (row_of["赵六"], "竞赛级别"), (row_of["赵六"], "获奖日期")} <= bad
    assert (7, "学籍号") in bad
    assert _count(db, CompetitionResult) == 0

    result = apply_entries(db, pv, user="teacher")
    assert result["created"] == 2
    with db.session() as s:
        results = s.scalars(select(CompetitionResult)).all()
        team_result = next(r for r in results if r.team_name == "追光队")
        assert team_result.is_team and team_result.level == "national" and team_result.award == "first"
        members = s.scalars(select(CompetitionResultMember).where(
            CompetitionResultMember.result_id == team_result.id)).all()
        assert len(members) == 2
        assert team_result.term_code == "2024-2025-2" and team_result.updated_by == "teacher"

    again = preview_entries(db, path)                 # the same file twice adds nothing
    assert (again.new, again.existing) == (0, 2)
    report = write_entries_report(again, tmp_path / "errors.xlsx")
    rws = openpyxl.load_workbook(report).active
    assert rws.max_row == 3 and rws.cell(1, rws.max_column).value == "错误原因"


def test_team_rows_that_disagree_are_refused(school, tmp_path):
    db, comp = school
    path = tmp_path / "awards.xlsx"
    write_award_template(db, "初一(3)班", path)
    _fill(path, {3: {3: comp, 4: "市级", 5: "一等奖", 6: "2025-05-20", 7: "队"},
                 4: {3: comp, 4: "市级", 5: "二等奖", 6: "2025-05-20", 7: "队"}})
    pv = preview_entries(db, path)
    assert (pv.new, pv.error_rows) == (1, 1)
    assert pv.issues[0].row == 4 and "奖项等级" in pv.issues[0].zh


def test_evaluation_template_roundtrip(school, tmp_path):
    db, _ = school
    path = tmp_path / "eval.xlsx"
    info = write_evaluation_template(db, "初一(3)班", path, term=TERM)
    assert info["term"] == TERM
    wb = openpyxl.load_workbook(path)
    ws = wb["过程性评价"]
    assert sum(1 for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value) == 4 * 7  # students × dimensions
    assert {ws.cell(r, 3).value for r in range(3, 10)} >= {"思想品德", "创新能力"}
    dvs = _validations(ws)
    assert {k[:2] for k in dvs} >= {"C3", "D3", "E3", "G3"}
    _fill(path, {3: {4: "A", 5: "教师评价", 6: "王老师", 7: "2025-03-10"},
                 4: {4: "B", 5: "自评"},
                 5: {4: "Z", 5: "教师评价"},            # no such level
                 6: {4: "A", 5: "教师评价", 7: "2025-09-10"}})  # outside the term
    pv = preview_entries(db, path)
    assert pv.kind == "evaluations"
    assert (pv.total, pv.new, pv.error_rows) == (4, 2, 2)
    assert {(i.row, i.column) for i in pv.issues} == {(5, "评价等级"), (6, "评价日期")}
    apply_entries(db, pv, user="teacher")
    with db.session() as s:
        evs = s.scalars(select(ProcessEvaluation).order_by(ProcessEvaluation.level)).all()
        assert [(e.level, e.score, e.evaluator_role, e.term_code) for e in evs] == [
            ("A", 95.0, "teacher", TERM), ("B", 85.0, "self", TERM)]
        assert evs[0].eval_date == date(2025, 3, 10) and evs[0].evaluator_name == "王老师"
    assert preview_entries(db, path).new == 0
