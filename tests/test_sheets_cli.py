"""``growthdesk roster …`` on the command line (DESIGN §6 contract: exit codes, --json, stderr)."""

from __future__ import annotations

import json

import openpyxl
from sqlalchemy import func, select

from growthdesk.cli import main
from growthdesk.models import CompetitionResult, Student
from growthdesk.services import competitions as comp_svc
from tests.fixtures.sheets.helpers import student_no, write_xlsx


def _students(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Student))


def _roster(tmp_path):
    return write_xlsx(tmp_path / "roster.xlsx", [
        ["学生名单"], ["姓名", "性别", "学籍号", "班级"],
        ["张三", "男", student_no(1), "初一(1)班"], ["李四", "女", student_no(2), "初一(1)班"],
        ["王五", "男", "G1", "初一(1)班"]])


def test_import_previews_without_yes(bare_school_db, tmp_path, capsys):
    code = main(["roster", "import", "--db", str(bare_school_db.path), str(_roster(tmp_path))])
    out = capsys.readouterr().out
    assert code == 0
    assert "新增 2" in out and "有错误 1" in out and "第 5 行“学籍号”列" in out and "--yes" in out
    assert _students(bare_school_db) == 0


def test_import_yes_json_and_report(bare_school_db, tmp_path, capsys):
    report = tmp_path / "errors.xlsx"
    code = main(["--db", str(bare_school_db.path), "roster", "import", str(_roster(tmp_path)), "--yes",
                 "--json", "--report", str(report), "--school-year", "2025"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] is True and data["result"]["created"] == 2 and data["preview"]["errors"] == 1
    assert data["preview"]["issues"][0]["row"] == 5 and data["result"]["classes_created"] == ["初一(1)班"]
    assert _students(bare_school_db) == 2
    ws = openpyxl.load_workbook(report).active
    assert [c.value for c in ws[2]][:3] == ["王五", "男", "G1"]


def test_bad_file_fails_with_one_line_reason(bare_school_db, tmp_path, capsys):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    code = main(["roster", "import", "--db", str(bare_school_db.path), str(path), "--yes"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "另存为 .xlsx（不加密）" in err
    assert _students(bare_school_db) == 0


def test_template_entries_and_export(bare_school_db, tmp_path, capsys):
    db = bare_school_db
    main(["roster", "import", "--db", str(db.path), str(_roster(tmp_path)), "--yes", "--school-year", "2024"])
    with db.session() as s:
        comp_svc.load_national_catalog(s)
        comp = comp_svc.list_competitions(s)[0].name
    capsys.readouterr()
    tpl = tmp_path / "awards.xlsx"
    assert main(["roster", "template", "awards", "--db", str(db.path), "--class", "初一(1)班", "--out", str(tpl)]) == 0
    wb = openpyxl.load_workbook(tpl)
    ws = wb.worksheets[0]
    for c, v in enumerate([comp, "区级", "一等奖", "2025-05-01"], start=3):
        ws.cell(3, c, v)
    wb.save(tpl)
    capsys.readouterr()
    assert main(["roster", "entries", "--db", str(db.path), str(tpl), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["preview"]["new"] == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CompetitionResult)) == 0
    assert main(["roster", "entries", "--db", str(db.path), str(tpl), "--yes"]) == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CompetitionResult)) == 1
    out = tmp_path / "summary.xlsx"
    assert main(["roster", "export", "--db", str(db.path), "--class", "初一(1)班", "--term", "2024-2025-2",
                 "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["students"] == 2
    assert openpyxl.load_workbook(out).worksheets[0].max_row == 3
