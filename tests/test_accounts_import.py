"""Teachers' accounts in bulk: preview with every problem by row and column, apply in one
transaction (accounts, teaching assignments, advisers), initial passwords that must be changed
at first log-in, slips PDF parsed back, the CLI, and the dialog."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from growthdesk.models import SchoolClass, TeachingAssignment, User

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["工号", "姓名", "任教班级", "任教学科", "是否班主任"]


def sheet(path: Path, rows, header=HEADER, title_rows=()) -> Path:
    wb = Workbook()
    ws = wb.active
    for t in title_rows:
        ws.append(t)
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture()
def school(tmp_path):
    """A school hub (from a district's setup file) with classes 初一(1)–(3)班 of this school year
    and its administrator."""
    from growthdesk.demo import demo_setup
    from growthdesk.services import students
    from growthdesk.services.offices import Admin, create_school_hub
    from growthdesk.sheets.roster import default_school_year
    db, _admin = create_school_hub(tmp_path / "school.db", demo_setup("D01", "S0001"), Admin("admin", "管理员", "admin-pw-123"))
    year = default_school_year()
    with db.session() as s:
        ids = [students.create_class(s, year, 7, n).id for n in (1, 2, 3)]
    db.class_ids = ids
    yield db
    db.close()


def assignments(db) -> set[tuple[str, str, str]]:
    with db.session() as s:
        classes = {c.id: f"{c.grade}-{c.class_no}" for c in s.scalars(select(SchoolClass))}
        users = {u.id: u.login for u in s.scalars(select(User))}
        return {(users[a.user_id], classes[a.class_id], a.subject) for a in s.scalars(select(TeachingAssignment))}


def advisers(db) -> dict[str, tuple[str | None, str]]:
    with db.session() as s:
        users = {u.id: u.login for u in s.scalars(select(User))}
        return {f"{c.grade}-{c.class_no}": (users.get(c.adviser_user_id), c.adviser_name)
                for c in s.scalars(select(SchoolClass))}


def test_preview_lists_new_updated_and_errors_by_row_and_column(school, tmp_path):
    from growthdesk.sheets.accounts import preview_accounts
    path = sheet(tmp_path / "t.xlsx", [
        ("T001", "王老师", "初一(1)班", "语文", "是"),                       # 3: adviser of (1), as row 8
        ("T002", "李老师", "初一(1)班、初一(2)班", "数学、科学", "否"),      # 4: T002 again on row 10
        ("T003", "赵老师", "初一(9)班", "英语", ""),                        # 5: no such class
        ("T004", "", "初一(2)班", "", ""),                                  # 6: no name
        ("T005", "钱老师", "初一(2)班、初一(3)班", "音乐", "是"),            # 7: which class?
        ("T006", "孙老师", "初一(2)班", "", "初一(1)班"),                   # 8: second adviser of (1)
        ("T007", "周老师", "三年级二班", "体育", "也许"),                    # 9: two problems
        ("T002", "李老师", "初一(3)班", "数学", ""),                        # 10: T002 again
        (None, None, None, None, None),                                     # blank: not counted
    ], title_rows=[("2026学年教师名单",)])
    before = path.read_bytes()
    pv = preview_accounts(school, path)
    assert (pv.header_row, pv.total, pv.new, pv.updated, pv.error_rows) == (2, 8, 0, 0, 8)
    where = {(i.row, i.column) for i in pv.issues}
    assert {(5, "任教班级"), (6, "姓名"), (7, "是否班主任"), (8, "是否班主任"), (3, "是否班主任"),
            (9, "是否班主任"), (4, "工号"), (10, "工号")} <= where
    reasons = {i.row: i.zh for i in pv.issues}
    assert "初一(9)班" in reasons[5] and "请先导入学生名单" in reasons[5]
    assert "第 10 行" in reasons[4] and "第 4 行" in reasons[10]
    assert "一个班只能有一位班主任" in reasons[8]
    assert "初一(1)班" in reasons[3] and pv.changes == []
    assert path.read_bytes() == before
    with school.session() as s:
        assert [u.login for u in s.scalars(select(User))] == ["admin"]  # nothing written


def test_apply_writes_accounts_assignments_and_advisers_in_one_go(school, tmp_path):
    from growthdesk.services import users
    from growthdesk.sheets.accounts import apply_accounts, preview_accounts
    path = sheet(tmp_path / "t.xlsx", [
        ("T001", "王老师", "初一(1)班", "语文", "是"),
        ("T002", "李老师", "初一(1)班、初一(2)班", "数学、科学", "否"),
        ("T003", "赵老师", "初一(2)班、初一(3)班", "英语", "初一(3)班"),
        ("T009", "", "", "", ""),
    ])
    pv = preview_accounts(school, path)
    assert (pv.new, pv.error_rows) == (3, 1)
    result = apply_accounts(school, pv, user="admin")
    assert (result.created, result.updated, result.skipped) == (3, 0, 1)
    slips = {s.login: s for s in result.slips}
    assert set(slips) == {"t001", "t002", "t003"} and all(len(s.password) == 8 for s in slips.values())
    assert "password" not in json.dumps(result.to_dict())
    assert assignments(school) == {("t001", "7-1", "语文"), ("t002", "7-1", "数学"), ("t002", "7-1", "科学"),
                                   ("t002", "7-2", "数学"), ("t002", "7-2", "科学"), ("t003", "7-2", "英语"),
                                   ("t003", "7-3", "英语")}
    assert advisers(school) == {"7-1": ("t001", "王老师"), "7-2": (None, ""), "7-3": ("t003", "赵老师")}
    with school.session() as s:
        u = users.find_user(s, "T001")
        assert (u.role, u.must_change_password) == ("adviser", True)
        assert users.verify_password(slips["t001"].password, u.password_hash)
        assert users.find_user(s, "t002").role == "teacher"
        # The teacher sees the classes the sheet gave them.
        assert users.visible_class_ids(s, users.find_user(s, "t003")) == set(school.class_ids[1:])
    # The same sheet again changes nothing and makes no new passwords.
    again = preview_accounts(school, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    # An edited sheet: T002 gives up 科学 and 初一(2)班, T003 stops advising; T001 renamed.
    path2 = sheet(tmp_path / "t2.xlsx", [("T001", "王芳", "初一(1)班", "语文", "是"),
                                         ("T002", "李老师", "初一(1)班", "数学", "否"),
                                         ("T003", "赵老师", "初一(2)班、初一(3)班", "英语", "否")])
    pv2 = preview_accounts(school, path2)
    assert (pv2.new, pv2.updated) == (0, 3)
    what = {c["login"]: "；".join(c["what"]) for c in pv2.changes}
    assert "王老师 → 王芳" in what["t001"] and "取消任教" in what["t002"] and "初一(3)班 → 无" in what["t003"]
    r2 = apply_accounts(school, pv2)
    assert (r2.created, r2.updated, r2.slips) == (0, 3, [])
    assert assignments(school) == {("t001", "7-1", "语文"), ("t002", "7-1", "数学"), ("t003", "7-2", "英语"),
                                   ("t003", "7-3", "英语")}
    assert advisers(school)["7-3"] == (None, "") and advisers(school)["7-1"] == ("t001", "王芳")
    with school.session() as s:
        assert users.find_user(s, "t003").role == "teacher"
        assert users.verify_password(slips["t001"].password, users.find_user(s, "t001").password_hash)


def test_apply_is_whole_or_nothing(school, tmp_path):
    from growthdesk.sheets.accounts import apply_accounts, preview_accounts
    path = sheet(tmp_path / "t.xlsx", [("T001", "王老师", "初一(1)班", "语文", "是"),
                                       ("T002", "李老师", "初一(2)班", "数学", "")])
    pv = preview_accounts(school, path)

    def printer_jammed(_result):
        raise OSError("disk full")
    with pytest.raises(OSError):
        apply_accounts(school, pv, before_commit=printer_jammed)  # the slips could not be written
    with school.session() as s:
        assert [u.login for u in s.scalars(select(User))] == ["admin"]
    assert assignments(school) == set() and advisers(school)["7-1"] == (None, "")
    path.write_bytes(path.read_bytes() + b"\0")  # changed after the preview
    from growthdesk.errors import ValidationError
    with pytest.raises(ValidationError, match="重新预览"):
        apply_accounts(school, pv)


def test_slips_pdf_has_one_slip_per_new_teacher_with_cut_lines(tmp_path):
    from growthdesk.reports.slips import SLIPS_PER_PAGE, write_slips
    from growthdesk.sheets.accounts import Slip, initial_password
    slips = [Slip(f"t{i:03d}", f"教师{i}", initial_password(), "初一(1)班") for i in range(1, 8)]
    out = write_slips(slips, tmp_path / "slips.pdf", school="示例区实验初级中学")
    reader = PdfReader(out)
    assert len(reader.pages) == 2 and SLIPS_PER_PAGE == 5
    text = "\n".join(p.extract_text() for p in reader.pages)
    for slip in slips:
        assert f"姓名：{slip.name}" in text and f"登录名（工号）：{slip.login}" in text
        assert f"初始密码：{slip.password}" in text
    assert text.count("首次登录时须设置自己的新密码") == 7
    assert text.count("沿虚线剪开") == 4 + 1  # between the slips of each page, not after the last
    assert "示例区实验初级中学" in text
    fonts = {str(f) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts


def test_template_has_the_five_columns_and_imports_nothing_by_itself(school, tmp_path):
    from growthdesk.sheets.accounts import preview_accounts, write_account_template
    out = write_account_template(tmp_path / "template.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["教师名单", "填写示例"]
    assert [c.value for c in wb["教师名单"][1]] == HEADER
    assert [c.value for c in wb["填写示例"][2]] == ["T001", "王老师", "初一(1)班", "语文", "是"]
    pv = preview_accounts(school, out)
    assert pv.total == 0 and pv.sheet == "教师名单"


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "growthdesk", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ["PYTHONPATH"]]), **(env or {})}, timeout=120)


def test_cli_account_import_previews_then_imports_with_slips(school, tmp_path):
    path = sheet(tmp_path / "t.xlsx", [("T001", "王老师", "初一(1)班", "语文", "是"),
                                       ("T002", "李老师", "初一(9)班", "数学", "")])
    target = tmp_path / "school.db"
    school.close()
    env = {"GROWTHDESK_PASSWORD": "admin-pw-123"}
    p = _cli("account", "import", "--db", target, path, "--json", "--user", "admin", env=env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["imported"] is False and out["preview"]["new"] == 1 and out["preview"]["errors"] == 1
    assert out["preview"]["issues"][0]["row"] == 3 and out["preview"]["issues"][0]["column"] == "任教班级"
    p = _cli("account", "import", "--db", target, path, "--yes", "--user", "admin", env=env)
    assert p.returncode == 1 and "--slips" in p.stderr and "未导入任何数据" in p.stderr
    p = _cli("account", "import", "--db", target, path, "--yes", "--slips", tmp_path / "slips.pdf",
             "--report", tmp_path / "bad.xlsx", "--user", "admin", env=env)
    assert p.returncode == 0, p.stderr
    assert "新建账户 1" in p.stdout and "账户条" in p.stdout
    text = PdfReader(tmp_path / "slips.pdf").pages[0].extract_text()
    password = re.search(r"初始密码：(\w+)", text).group(1)
    assert password not in p.stdout
    report = load_workbook(tmp_path / "bad.xlsx").active
    assert [c.value for c in report[2]][:2] == ["T002", "李老师"] and "初一(9)班" in report[2][6].value
    from growthdesk.security import unlock_database
    from growthdesk.services import users
    with unlock_database(target, "admin", "admin-pw-123") as db, db.session() as s:
        u = users.find_user(s, "t001")
        assert u.must_change_password and users.verify_password(password, u.password_hash)
    p = _cli("account", "template", "--out", tmp_path / "tpl.xlsx")
    assert p.returncode == 0 and (tmp_path / "tpl.xlsx").exists()


def test_cli_init_district_and_school_with_admin(tmp_path):
    env = {"GROWTHDESK_PASSWORD": "first-admin-pw"}
    p = _cli("init-district", "--db", tmp_path / "d.db", "--code", "D01", "--name", "示例区", "--admin", "chief", env=env)
    assert p.returncode == 0, p.stderr
    from growthdesk.security import unlock_database
    from growthdesk.services import users
    with unlock_database(tmp_path / "d.db", "chief", "first-admin-pw") as db, db.session() as s:
        u = users.find_user(s, "chief")
        assert u.role == "district_staff" and users.verify_password("first-admin-pw", u.password_hash)


def test_dialog_previews_applies_and_saves_slips(qtbot, school, tmp_path, monkeypatch):
    from growthdesk.ui.accounts_import import AccountImportDialog
    from growthdesk.ui.app import make_app
    from growthdesk.ui.ops import OpRunner
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    runner = OpRunner(school, "admin")
    dlg = AccountImportDialog(runner, None, "示例区实验初级中学")
    dlg.open_slips = False
    qtbot.addWidget(dlg)
    dlg.show()
    path = sheet(tmp_path / "t.xlsx", [("T001", "王老师", "初一(1)班", "语文", "是"),
                                       ("T002", "李老师", "初一(2)班", "数学", "不知道")])
    with qtbot.waitSignal(dlg.previewed, timeout=20_000):
        dlg.set_file(path)
    assert "新建账户 1" in dlg.summary.text() and "有错误 1" in dlg.summary.text()
    cells = [[dlg.table.item(r, c).text() for c in range(3)] for r in range(dlg.table.rowCount())]
    assert cells[0][:2] == ["3", "是否班主任"] and "无法识别" in cells[0][2]
    assert cells[1][:2] == ["2", "王老师（t001）"] and "新建账户" in cells[1][2]
    assert dlg.import_button.isEnabled()
    dlg.slips_path = str(tmp_path / "slips.pdf")
    with qtbot.waitSignal(dlg.imported, timeout=30_000):
        dlg.import_button.click()
    assert "新建账户 1 个" in dlg.summary.text() and "slips.pdf" in dlg.summary.text()
    assert "初始密码：" in PdfReader(tmp_path / "slips.pdf").pages[0].extract_text()
    dlg.save_template(str(tmp_path / "tpl.xlsx"))
    qtbot.waitUntil(lambda: (tmp_path / "tpl.xlsx").exists(), timeout=10_000)
    runner.wait()
