"""``growthdesk programme import / export / mentor-record`` on the primary/junior/senior district."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from growthdesk.cli import main
from growthdesk.models import Programme, ProgrammeMember, ProgrammeMentor, ProgrammeNomination
from tests.dbdump import dump
from tests.test_programmes import _district_template, district  # noqa: F401  (fixtures)

HEAD = ["培养项目", "层级", "学科", "学校代码", "学籍号", "姓名", "校内导师", "校外导师", "校外导师单位", "入选日期"]
ROWS = [
    ["初中数学特长班", "初中", "数学", "T1", "G0010", "孙博文", "吴老师", "李教授", "示例师范大学", "2025-09-20"],   # 2 new
    ["初中数学特长班", "初中", "数学", "U2", "G0006", "赵子涵", "陈老师", "李教授", "示例师范大学", "2025/9/21"],     # 3
    ["科创苗子班", "小学", "人工智能", "U1", "G0002", "王一鸣", "", "", "", "2025-09-15"],                         # 4 already
    ["科创苗子班", "大学", "", "U1", "G0003", "李思远", "", "", "", ""],                                      # 5 bad tier
    ["初中数学特长班", "初中", "", "U2", "G0007", "张三", "", "", "", ""],                                    # 6 name
    ["初中数学特长班", "初中", "", "U2", "G9999", "无此人", "", "", "", ""],                                  # 7 unknown
    ["初中数学特长班", "初中", "", "R1", "G0011", "马文静", "", "", "", ""],                                  # 8 stage
    ["初中数学特长班", "初中", "数学", "T1", "G0010", "孙博文", "", "", "", ""],                               # 9 repeat
    ["初中数学特长班", "初中", "", "T1", "G0009", "郑可欣", "", "王教授", "", ""],                              # 10 no org
    ["初中数学特长班", "初中", "", "T1", "G0008", "吴俊杰", "", "", "", "2099-01-01"],                         # 11 future
]


def _file(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2025学年区级培养项目名单"])
    ws.append(HEAD)
    for r in ROWS:
        ws.append(r)
    path = tmp_path / "programmes.xlsx"
    wb.save(path)
    return path


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_previews_then_imports_in_one_go(district, tmp_path, capsys):  # noqa: F811
    path = _file(tmp_path)
    before = dump(district)
    assert main(["programme", "import", "--db", str(district.path), str(path), "--json",
                 "--report", str(tmp_path / "bad.xlsx")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert dump(district) == before            # the preview wrote nothing
    pv = out["preview"]
    assert (pv["members"], pv["already"], pv["error_rows"]) == (2, 1, 7)
    assert pv["new_programmes"] == ["初中数学特长班（初中）"] and sorted(pv["new_mentors"]) == ["吴老师（T1）", "李教授（示例师范大学）"]
    by_row = {i["row"]: i for i in pv["issues"]}
    assert by_row[6]["column"] == "层级" and "大学" in by_row[6]["zh"]
    assert by_row[7]["column"] == "姓名" and "赵子涵" not in by_row[7]["zh"]
    assert "找不到" in by_row[8]["zh"] and "不符" in by_row[9]["zh"] and "重复" in by_row[10]["zh"]
    assert by_row[11]["column"] == "校外导师单位" and by_row[12]["column"] == "入选日期"
    report = list(load_workbook(tmp_path / "bad.xlsx").active.iter_rows(values_only=True))
    assert report[0][-2:] == ("原行号", "错误原因") and [r[-2] for r in report[1:]] == [6, 7, 8, 9, 10, 11, 12]

    assert main(["programme", "import", "--db", str(district.path), str(path), "--yes", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["result"] == {"programmes": 1, "mentors": 2, "members": 2}
    with district.session() as s:
        p = s.scalars(select(Programme).where(Programme.name == "初中数学特长班")).one()
        assert (p.tier, p.disciplines, p.owner_kind, p.start_term) == ("junior", "数学", "district", "2025-2026-1")
        ms = list(s.scalars(select(ProgrammeMember).where(ProgrammeMember.programme_id == p.id)))
        assert sorted(m.student_school for m in ms) == ["T1", "U2"] and all(m.person_key for m in ms)
        noms = list(s.scalars(select(ProgrammeNomination).where(ProgrammeNomination.programme_id == p.id)))
        assert {n.decision for n in noms} == {"selected"} and all("programmes.xlsx" in n.decision_reason for n in noms)
        chen = s.scalars(select(ProgrammeMentor).where(ProgrammeMentor.name == "陈老师")).all()
        assert len(chen) == 1     # the existing U2 mentor was reused
    # Importing the same file again adds nothing: those rows are members already.
    assert main(["programme", "import", "--db", str(district.path), str(path), "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["members"] == 0
    assert _count(district, ProgrammeMember) == 10


def test_export_and_mentor_record(district, tmp_path, capsys):  # noqa: F811
    assert main(["programme", "export", "--db", str(district.path), "--out", str(tmp_path / "all.xlsx"), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["programmes"], counts["members"]) == (3, 8)
    wb = load_workbook(tmp_path / "all.xlsx")
    assert wb.sheetnames == ["说明", "培养项目", "成员", "推荐与遴选", "成长日志", "评价"]
    assert wb["说明"]["A2"].value == "用于培养计划，不作为升学录取依据"
    members = list(wb["成员"].iter_rows(values_only=True))
    assert list(members[0][:10]) == HEAD
    assert ("拔尖人才班", "高中", None, "H1", None, "林小川", "何老师", "周教授", "示例大学") in [r[:9] for r in members]
    assert main(["programme", "mentor-record", "--db", str(district.path), "--mentor", "周教授",
                 "--out", str(tmp_path / "m.xlsx")]) == 0
    assert "指导学生 5 名" in capsys.readouterr().out
    assert main(["programme", "mentor-record", "--db", str(district.path), "--mentor", "无名",
                 "--out", str(tmp_path / "m2.xlsx")]) != 0
