"""Excel award import with competitions the catalog lacks (issue 12): the preview lists them with
the level and organiser the sheet gives; importing adds them as school competitions in the same
transaction as their awards; the template no longer says to add them in the software first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import func, select

from growthdesk.errors import ValidationError
from growthdesk.models import Competition, CompetitionResult, CompetitionResultMember
from growthdesk.services import competitions as comp_svc
from growthdesk.services import students as svc
from growthdesk.sheets.templates import apply_entries, preview_entries, write_award_template, write_entries_report
from tests.fixtures.sheets.helpers import student_no

LOCAL = "西湖区青少年科技节"


@pytest.fixture()
def school(bare_school_db):
    db = bare_school_db
    with db.session(user="admin") as s:
        comp_svc.load_national_catalog(s)
        cls = svc.create_class(s, 2024, 7, 3)
        for i, name in enumerate(["张三", "李四", "王五", "赵六"], start=1):
            svc.create_student(s, national_student_no=student_no(i), name=name, gender="M" if i % 2 else "F",
                               class_id=cls.id)
        national = comp_svc.list_competitions(s)[0].name
    return db, national


def _count(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False), *where))


def _filled_template(db, path: Path, national: str) -> Path:
    """A team of 3 at a district contest (organiser given once), one national award, one 校级
    award at a school contest with no organiser column filled."""
    write_award_template(db, "初一(3)班", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[2]]
    col = {h: i + 1 for i, h in enumerate(head)}
    row_of = {ws.cell(r, 2).value: r for r in range(3, 7)}
    for name in ("张三", "李四", "王五"):
        r = row_of[name]
        for h, v in (("竞赛名称", f" {LOCAL} "), ("竞赛级别", "区级"), ("奖项等级", "一等奖"),
                     ("获奖日期", date(2025, 5, 20)), ("团队名称", "追光队"), ("作品名称", "智能浇花器")):
            ws.cell(r, col[h], v)
    ws.cell(row_of["李四"], col["主办单位"], "西湖区教育局")
    r = row_of["赵六"]
    for h, v in (("竞赛名称", national), ("竞赛级别", "省级"), ("奖项等级", "二等奖"), ("获奖日期", "2025/4/1")):
        ws.cell(r, col[h], v)
    extra = [student_no(4), "赵六", "校园读书节征文", "校级", "三等奖", "2025-03-01"]
    for i, v in enumerate(extra, start=1):
        ws.cell(7, i, v)
    wb.save(path)
    return path


def test_template_says_to_write_the_name_not_to_add_it_first(school, tmp_path):
    db, _ = school
    write_award_template(db, "初一(3)班", tmp_path / "a.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    texts = [ws["A1"].value] + [dv.prompt or "" for dv in ws.data_validations.dataValidation]
    assert not any("竞赛目录" in t or "先在" in t or "录入获奖时添加" in t for t in texts), texts
    assert any("直接填写名称" in t for t in texts)
    assert "主办单位" in [c.value for c in ws[2]]


def test_unknown_competitions_are_listed_then_added_with_their_awards(school, tmp_path):
    db, national = school
    path = _filled_template(db, tmp_path / "awards.xlsx", national)
    pv = preview_entries(db, path)
    assert (pv.total, pv.new, pv.error_rows) == (5, 1, 0) and not pv.issues
    assert [(u.name, u.level, u.organiser, u.rows) for u in pv.unknown] == [
        (LOCAL, "district", "西湖区教育局", [3, 4, 5]), ("校园读书节征文", "school", "", [7])]
    assert len(pv.pending) == 2 and pv.pending_rows == 4
    assert "竞赛不在目录中（2 项）" in pv.summary()
    assert "西湖区青少年科技节（区级，主办：西湖区教育局），第 3、4、5 行" in pv.unknown[0].describe()
    # the report lists the rows waiting for their competition, with what to do
    rws = openpyxl.load_workbook(write_entries_report(pv, tmp_path / "report.xlsx")).active
    assert rws.max_row == 5 and "添加为本校竞赛" in rws.cell(2, rws.max_column).value

    # not added: only the national award is written, the others are counted as skipped
    result = apply_entries(db, pv, user="teacher")
    assert (result["created"], result["skipped_unknown"], result["competitions_added"]) == (1, 4, [])
    assert _count(db, Competition, Competition.on_national_list.is_(False)) == 0

    pv = preview_entries(db, path)
    result = apply_entries(db, pv, user="teacher", add_competitions=True)
    assert result["created"] == 2 and result["competitions_added"] == [LOCAL, "校园读书节征文"]
    with db.session() as s:
        local = s.scalars(select(Competition).where(Competition.name == LOCAL)).one()
        assert (local.level, local.organiser, local.on_national_list, local.owner_code) == (
            "district", "西湖区教育局", False, "S0001")
        team = s.scalars(select(CompetitionResult).where(CompetitionResult.competition_id == local.id)).one()
        assert team.is_team and team.team_name == "追光队" and team.level == "district"
        members = s.scalars(select(CompetitionResultMember).where(CompetitionResultMember.result_id == team.id)).all()
        assert len(members) == 3
    again = preview_entries(db, path)  # now in the catalog: nothing new, nothing unknown
    assert (again.new, again.existing, again.unknown) == (0, 3, [])


def test_a_failing_award_leaves_no_added_competition(school, tmp_path):
    """Same transaction: if an award fails, the competition added for it is rolled back too."""
    db, national = school
    path = _filled_template(db, tmp_path / "awards.xlsx", national)
    pv = preview_entries(db, path)
    with db.session() as s:  # meanwhile the student of row 7 leaves the database
        st = s.scalars(select(svc.Student).where(svc.Student.national_student_no == student_no(4))).one()
        st.deleted = True
    with pytest.raises(ValidationError) as err:
        apply_entries(db, pv, add_competitions=True)
    assert "整个导入已撤销" in err.value.zh
    assert _count(db, Competition, Competition.on_national_list.is_(False)) == 0
    assert _count(db, CompetitionResult) == 0


def test_an_unknown_name_with_other_problems_is_an_error_row(school, tmp_path):
    db, _ = school
    path = tmp_path / "a.xlsx"
    write_award_template(db, "初一(3)班", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for c, v in enumerate(["不存在的比赛", "宇宙级", "一等奖", "2025-01-01"], start=3):
        ws.cell(3, c, v)
    wb.save(path)
    pv = preview_entries(db, path)
    assert pv.error_rows == 1 and not pv.unknown
    assert {i.column for i in pv.issues} == {"竞赛名称", "竞赛级别"}


def test_import_dialog_offers_to_add_them(qtbot, school, tmp_path):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.ops import OpRunner
    from growthdesk.ui.sheets_import import EntriesImportDialog
    make_app("zh_CN")
    db, national = school
    path = _filled_template(db, tmp_path / "awards.xlsx", national)
    host = QWidget()
    qtbot.addWidget(host)
    dlg = EntriesImportDialog(OpRunner(db, "teacher", host), host)
    dlg.resize(820, 520)
    dlg.show()
    dlg.set_file(path)
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10_000)
    assert dlg.add_box.isVisible() and dlg.add_box.isChecked()  # no name looks like a mistyped catalog entry
    assert "添加为本校竞赛" in dlg.add_box.text() and LOCAL in dlg.unknown_label.text()
    assert "西湖区教育局" in dlg.unknown_label.text() and "区级" in dlg.unknown_label.text()
    dlg.grab().save(str(_artifact("award-import-unknown-820.png")))
    dlg.add_box.setChecked(False)
    assert dlg.import_button.isEnabled()  # the national award alone
    dlg.add_box.setChecked(True)
    with qtbot.waitSignal(dlg.imported, timeout=10_000):
        dlg.import_button.click()
    assert "已添加本校竞赛" in dlg.summary.text() and LOCAL in dlg.summary.text()
    assert _count(db, CompetitionResult) == 3
    dlg.grab().save(str(_artifact("award-import-unknown-done.png")))


def _artifact(name: str) -> Path:
    d = Path(__file__).resolve().parent.parent / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d / name
