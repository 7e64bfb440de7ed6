"""Class summary workbook: scores by the rubric rule, value added, levels, counts; safe text."""

from __future__ import annotations

import zipfile
from datetime import date

import openpyxl
import pytest

from growthdesk.services import competitions as comp_svc
from growthdesk.services import evaluations as eval_svc
from growthdesk.services import projects as proj_svc
from growthdesk.services import students as svc
from growthdesk.sheets.summary import write_class_summary
from tests.fixtures.sheets.helpers import student_no

TERM, PREV = "2024-2025-2", "2024-2025-1"


@pytest.fixture()
def school(bare_school_db):
    db = bare_school_db
    with db.session(user="admin") as s:
        comp_svc.load_national_catalog(s)
        cls = svc.create_class(s, 2024, 7, 3)
        a = svc.create_student(s, national_student_no=student_no(1), name="张三", gender="M", class_id=cls.id)
        b = svc.create_student(s, national_student_no=student_no(2), name="=HYPERLINK(\"x\")", gender="F",
                               class_id=cls.id)
        for role, level in (("teacher", "A"), ("self", "C")):
            eval_svc.record_process_evaluation(s, student_id=a.id, term_code=TERM, dimension="innovation",
                                               level=level, evaluator_role=role, eval_date=date(2025, 3, 1))
        eval_svc.record_process_evaluation(s, student_id=a.id, term_code=PREV, dimension="innovation",
                                           level="C", evaluator_role="teacher", eval_date=date(2024, 10, 1))
        eval_svc.save_term_evaluation(s, student_id=a.id, term_code=TERM, levels={"innovation": "A"},
                                      comment="-勤于思考")
        comp = comp_svc.list_competitions(s)[0]
        comp_svc.record_result(s, competition_id=comp.id, student_ids=[a.id, b.id], level="national",
                               award="first", award_date=date(2025, 4, 1), team_name="队")
        comp_svc.record_result(s, competition_id=comp.id, student_ids=[a.id], level="district",
                               award="second", award_date=date(2024, 11, 1))
        proj_svc.create_project(s, title="水质监测", kind="research", term_code=TERM, start_date=date(2025, 3, 1),
                                members=[(a.id, "leader"), (b.id, "member")])
    return db


def test_class_summary_workbook(school, tmp_path):
    info = write_class_summary(school, "初一(3)班", TERM, tmp_path / "summary.xlsx")
    assert info["students"] == 2
    wb = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    ws = wb.worksheets[0]
    assert ws.title == "初一(3)班2024—2025学年第二学期汇总"
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    rows = {r[2]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    zhang = rows["张三"]
    # Role-weighted mean: teacher 0.3 × 95 + self 0.1 × 75 over 0.4 = 90.
    assert zhang["创·创新能力"] == pytest.approx(90.0)
    assert zhang["创·增值"] == pytest.approx(15.0)       # 90 now against 75 last term
    assert zhang["综合得分"] == pytest.approx(90.0)
    assert zhang["创·等级"] == "A" and zhang["班主任评语"] == "-勤于思考"
    assert (zhang["科创项目数"], zhang["本学期获奖数"], zhang["累计获奖数"], zhang["省级及以上获奖"]) == (1, 1, 2, 1)
    assert zhang["性别"] == "男" and zhang["德·思想品德"] is None
    other = rows['=HYPERLINK("x")']
    assert (other["累计获奖数"], other["科创项目数"]) == (1, 1)
    col = header.index("创·创新能力") + 1
    assert ws.cell(2, col).number_format == "0.0"
    assert "评价方案说明" in wb.sheetnames
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml                               # the name and the comment stayed text


def test_unknown_class_lists_the_known_ones(school, tmp_path):
    from growthdesk.errors import NotFoundError

    with pytest.raises(NotFoundError, match="初一\\(3\\)班"):
        write_class_summary(school, "初二(9)班", TERM, tmp_path / "x.xlsx")
