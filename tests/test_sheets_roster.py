"""Roster import: messy real-world files in, preview, apply in one transaction, re-import."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from growthdesk.errors import ValidationError
from growthdesk.models import AuditLog, Enrollment, SchoolClass, Student
from growthdesk.sheets.roster import apply_roster, import_roster, preview_roster, write_roster_report
from tests.fixtures.sheets.helpers import student_no, write_xlsx

YEAR = 2025


def _students(db) -> dict[str, Student]:
    with db.session() as s:
        return {st.national_student_no: st for st in s.scalars(select(Student).where(Student.deleted.is_(False)))}


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _class_of(db, st: Student) -> tuple[int, int, int]:
    with db.session() as s:
        c = s.get(SchoolClass, st.class_id)
        return c.school_year, c.grade, c.class_no


def messy_roster(path):
    """Title rows, a merged title, a merged 年级 column, header variants, every date style."""
    rows = [
        ["示例市第一中学 2025学年 初一年级学生名单"],
        ["导出时间：2025-09-01", None, None, None, None, None, None],
        ["序号", "学生姓名", " 性 别 ", "全国学籍号", "出生年月", "年级", "班级名称", "民族"],
        [1, "张　三", "男", student_no(1), datetime(2012, 3, 5), "七年级", "3班", "汉族"],
        [2, "李 四", "女", "ｇ" + student_no(2)[1:].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
         "2012/3/5", None, "3班", "回族"],
        [3, "王五", "M", student_no(3), "2012-03-05", None, "(4)班", "汉族"],
        [4, "赵六", "女", f" {student_no(4)} ", "2012.3.5", "初一", "初一(4)班", "汉族"],
        [5, "钱七", "F", student_no(5), "2012年3月5日", "初二", "初二（1）班", "汉族"],
        [6, "孙八", "男", student_no(6), 41003, "高一", "高一(2)班", "汉族"],  # Excel serial 2012-04-04
        [None, None, None, None, None, None, None, None],
        ["制表人：教务处", None, None, None, None, None, None, None],
    ]
    return write_xlsx(path, rows, merges=["A1:H1", "F4:F6"])


def test_messy_xlsx_preview_then_apply(bare_school_db, tmp_path):
    db = bare_school_db
    path = messy_roster(tmp_path / "roster.xlsx")
    pv = preview_roster(db, path, school_year=YEAR)
    assert pv.header_row == 3 and pv.sheet == "名单"
    assert pv.columns["national_student_no"] == "全国学籍号" and pv.columns["birth_date"] == "出生年月"
    assert (pv.total, pv.new, pv.updated, pv.unchanged, pv.error_rows) == (6, 6, 0, 0, 0), pv.issues
    assert pv.new_classes == ["初一(3)班", "初一(4)班", "初二(1)班", "高一(2)班"]
    assert _count(db, Student) == 0  # the preview wrote nothing

    result = apply_roster(db, pv, user="admin")
    assert (result.created, result.updated, result.skipped) == (6, 0, 0)
    students = _students(db)
    zhang, li, wang = students[student_no(1)], students[student_no(2)], students[student_no(3)]
    assert zhang.name == "张三" and li.name == "李四" and wang.gender == "M"
    assert {st.birth_date for st in students.values()} == {date(2012, 3, 5), date(2012, 4, 4)}
    # 李四 and 王五 sit in the merged 年级 cell: they are 七年级 too.
    assert _class_of(db, li) == (YEAR, 7, 3) and _class_of(db, wang) == (YEAR, 7, 4)
    assert _class_of(db, students[student_no(6)]) == (YEAR, 10, 2)
    assert students[student_no(6)].stage == "senior" and zhang.stage == "junior"
    assert zhang.entry_year == 2025 and students[student_no(5)].entry_year == 2024
    assert zhang.person_key and len(zhang.person_key) == 64
    assert all(st.usn > 0 and st.updated_by == "admin" for st in students.values())
    with db.session() as s:
        audited = s.scalars(select(AuditLog.record_id).where(AuditLog.table_name == "student")).all()
        assert set(audited) == {st.id for st in students.values()}
        assert s.scalar(select(func.count()).select_from(Enrollment)) == 6


def test_reimport_updates_by_number_and_never_duplicates(bare_school_db, tmp_path):
    db = bare_school_db
    header = ["姓名", "性别", "学籍号", "出生日期", "班级"]
    rows = [[f"学生{i}", "男", student_no(i), "2012-01-01", "初一(1)班"] for i in range(1, 6)]
    first = write_xlsx(tmp_path / "a.xlsx", [header, *rows])
    import_roster(db, first, user="admin", school_year=YEAR)
    ids = {no: st.id for no, st in _students(db).items()}

    rows[0][0] = "学生一"                 # renamed
    rows[1][4] = "初一(2)班"              # moved to another class
    rows[2][3] = None                      # an empty birth date never blanks the stored one
    del rows[4]                            # missing from the new file: never deleted
    second = write_xlsx(tmp_path / "b.xlsx", [header, *rows])
    pv = preview_roster(db, second, school_year=YEAR)
    assert (pv.new, pv.updated, pv.unchanged, pv.error_rows) == (0, 2, 2, 0)
    assert {c["national_student_no"]: c["fields"] for c in pv.changes} == {
        student_no(1): ["姓名"], student_no(2): ["班级"]}
    apply_roster(db, pv, user="admin")

    students = _students(db)
    assert {no: st.id for no, st in students.items()} == ids
    assert students[student_no(1)].name == "学生一"
    assert _class_of(db, students[student_no(2)]) == (YEAR, 7, 2)
    assert students[student_no(3)].birth_date == date(2012, 1, 1)
    assert student_no(5) in students
    with db.session() as s:
        moves = s.scalars(select(Enrollment).where(Enrollment.student_id == ids[student_no(2)])
                          .order_by(Enrollment.created_at)).all()
        assert [m.reason for m in moves] == ["entry", "reassignment"] and moves[0].end_date is not None

    # Next school year: the whole class moves up, recorded as promotion.
    third = write_xlsx(tmp_path / "c.xlsx", [header, [f"学生一", "男", student_no(1), None, "初二(1)班"]])
    pv = preview_roster(db, third, school_year=YEAR + 1)
    assert pv.updated == 1 and pv.new_classes == ["初二(1)班"]
    apply_roster(db, pv, user="admin")
    with db.session() as s:
        last = s.scalars(select(Enrollment).where(Enrollment.student_id == ids[student_no(1)])
                         .order_by(Enrollment.created_at.desc())).first()
        assert last.reason == "promotion"


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("gbk", False)])
def test_csv_encodings(bare_school_db, tmp_path, encoding, bom):
    text = ("学生名单\n"
            "姓名,性别,学籍号,出生日期,年级,班级\n"
            f"张三,男,{student_no(1)},2012/3/5,七年级,3班\n"
            f"欧阳娜娜,女,{student_no(2)},2012年3月5日,初一,\"初一(3)班\"\n")
    data = text.encode(encoding)
    path = tmp_path / "roster.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    pv, result = import_roster(bare_school_db, path, school_year=YEAR)
    assert (pv.header_row, pv.new, pv.error_rows) == (2, 2, 0)
    names = {st.name for st in _students(bare_school_db).values()}
    assert names == {"张三", "欧阳娜娜"}


def test_header_repeated_on_every_page_is_skipped(bare_school_db, tmp_path):
    header = ["姓名", "性别", "学籍号", "班级"]
    rows = [header, ["甲", "男", student_no(1), "初一(1)班"], [], header, ["乙", "女", student_no(2), "初一(1)班"],
            ["共 2 人", None, None, None]]
    pv = preview_roster(bare_school_db, write_xlsx(tmp_path / "pages.xlsx", rows), school_year=YEAR)
    assert (pv.total, pv.new, pv.error_rows) == (3, 2, 1)      # the footer is listed, not silently dropped
    assert {i.row for i in pv.issues} == {6} and "学籍号" in {i.column for i in pv.issues}


def test_tab_separated_csv(bare_school_db, tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text(f"姓名\t性别\t学籍号\t班级\n张三\t男\t{student_no(1)}\t初一(1)班\n", encoding="utf-8")
    pv = preview_roster(bare_school_db, path, school_year=YEAR)
    assert pv.new == 1


def test_row_errors_are_reported_with_row_and_column(bare_school_db, tmp_path):
    rows = [["姓名", "性别", "学籍号", "出生日期", "班级"],
            ["甲", "男", "G12345", "2012-01-01", "初一(1)班"],                    # malformed number
            ["乙", "男", student_no(1)[:-1] + ("0" if student_no(1)[-1] != "0" else "1"), None, "初一(1)班"],
            ["丙", "未知", student_no(2), "2012-02-30", "初一(1)班"],              # gender and date
            ["丁", "女", student_no(3), "2012-01-01", "五班"],                      # no grade anywhere
            ["戊", "女", 1.1010120100101e17, None, "初一(1)班"],                   # number lost by Excel
            ["己", "女", student_no(4), "1990-01-01", "初一(1)班"],                 # implausible age
            ["", "女", student_no(5), None, "初一(1)班"],                           # no name
            ["庚", "男", student_no(6), None, "初一(1)班"]]                         # fine
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    pv = preview_roster(bare_school_db, path, school_year=YEAR)
    assert (pv.total, pv.new, pv.error_rows) == (8, 1, 7)
    by_row = {}
    for issue in pv.issues:
        by_row.setdefault(issue.row, []).append(issue)
    assert by_row[2][0].column == "学籍号" and "格式不对" in by_row[2][0].zh
    assert "校验位" in by_row[3][0].zh
    assert {i.column for i in by_row[4]} == {"性别", "出生日期"}
    assert by_row[5][0].column == "班级" and "年级" in by_row[5][0].zh
    assert "文本" in by_row[6][0].zh
    assert by_row[7][0].column == "出生日期" and "不合理" in by_row[7][0].zh
    assert by_row[8][0].column == "姓名"
    assert by_row[2][0].message().startswith("第 2 行“学籍号”列：")

    report = write_roster_report(pv, tmp_path / "errors.xlsx")
    ws = openpyxl.load_workbook(report).active
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header == ["姓名", "性别", "学籍号", "出生日期", "班级", "原行号", "错误原因"]
    assert ws.max_row == 1 + 7
    assert ws["F2"].value == 2 and "格式不对" in ws["G2"].value
    assert ws["C2"].fill.fgColor.rgb.endswith("FFC7CE")          # the bad cell is red
    assert ws["A2"].fill.fill_type is None                       # the good ones are not
    assert ws["B4"].fill.fgColor.rgb.endswith("FFC7CE") and ws["D4"].fill.fgColor.rgb.endswith("FFC7CE")

    apply_roster(bare_school_db, pv)
    assert set(_students(bare_school_db)) == {student_no(6)}


def test_report_can_be_fixed_and_imported_again(bare_school_db, tmp_path):
    rows = [["姓名", "性别", "学籍号", "班级"], ["甲", "男", student_no(1), "初一(1)班"],
            ["乙", "?", student_no(2), "初一(1)班"]]
    pv = preview_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR)
    report = write_roster_report(pv, tmp_path / "errors.xlsx")
    wb = openpyxl.load_workbook(report)
    wb.active["B2"] = "女"
    wb.save(report)
    pv2 = preview_roster(bare_school_db, report, school_year=YEAR)
    assert (pv2.new, pv2.error_rows) == (1, 0)


@pytest.mark.parametrize("keep_rows", [0, 20_000], ids=["file-read-again", "rows-kept"])
def test_duplicate_numbers_inside_the_file(bare_school_db, tmp_path, keep_rows):
    rows = [["姓名", "性别", "学籍号", "班级"],
            ["甲", "男", student_no(1), "初一(1)班"],
            ["乙", "男", student_no(2), "初一(1)班"],
            ["甲二", "男", student_no(1).lower(), "初一(2)班"],
            ["丙", "女", student_no(3), "初一(1)班"]]
    path = write_xlsx(tmp_path / "dup.xlsx", rows)
    pv = preview_roster(bare_school_db, path, school_year=YEAR, keep_rows=keep_rows)
    assert (pv.kept is None) == (keep_rows == 0)
    assert (pv.new, pv.error_rows) == (2, 2)
    assert pv.duplicate_rows == {2, 4}
    msgs = {i.row: i.zh for i in pv.issues}
    assert "第 4 行" in msgs[2] and "第 2 行" in msgs[4]
    result = apply_roster(bare_school_db, pv)
    assert (result.created, result.skipped) == (2, 2)
    assert set(_students(bare_school_db)) == {student_no(2), student_no(3)}


def test_no_recognisable_header(bare_school_db, tmp_path):
    path = write_xlsx(tmp_path / "none.xlsx", [["一些说明"], ["a", "b", "c"], [1, 2, 3]])
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path)
    assert "找不到表头" in err.value.zh and "学籍号" in err.value.zh
    assert _count(bare_school_db, Student) == 0


def test_header_missing_a_required_column(bare_school_db, tmp_path):
    path = write_xlsx(tmp_path / "partial.xlsx", [["标题"], ["姓名", "学籍号", "班级"], ["甲", student_no(1), "初一(1)班"]])
    with pytest.raises(ValidationError) as err:
        preview_roster(bare_school_db, path)
    assert err.value.row == 2 and "性别" in err.value.zh


def test_second_sheet_with_the_roster_is_found(bare_school_db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["说明：名单在第二个工作表"])
    ws = wb.create_sheet("学生")
    ws.append(["姓名", "性别", "学籍号", "班级"])
    ws.append(["甲", "男", student_no(1), "初一(1)班"])
    wb.save(tmp_path / "two.xlsx")
    pv = preview_roster(bare_school_db, tmp_path / "two.xlsx", school_year=YEAR)
    assert pv.sheet == "学生" and pv.new == 1


def test_file_changed_after_preview_is_refused(bare_school_db, tmp_path):
    rows = [["姓名", "性别", "学籍号", "班级"], ["甲", "男", student_no(1), "初一(1)班"]]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    pv = preview_roster(bare_school_db, path, school_year=YEAR)
    write_xlsx(path, rows + [["乙", "男", student_no(2), "初一(1)班"]])
    with pytest.raises(ValidationError, match="重新预览"):
        apply_roster(bare_school_db, pv)
    assert _count(bare_school_db, Student) == 0


def test_stale_preview_is_rechecked_against_the_database(bare_school_db, tmp_path):
    from growthdesk.services import students as svc

    rows = [["姓名", "性别", "学籍号", "班级"]] + [[f"学生{i}", "男", student_no(i), "初一(1)班"] for i in range(1, 4)]
    pv = preview_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR)
    assert pv.new == 3
    # Someone enters number 3 by hand between the preview and the confirmation.
    with bare_school_db.session() as s:
        cls = svc.create_class(s, YEAR, 8, 1)
        svc.create_student(s, national_student_no=student_no(3), name="别人", gender="F", class_id=cls.id)
    result = apply_roster(bare_school_db, pv)
    assert (result.created, result.updated) == (2, 1)
    assert len(_students(bare_school_db)) == 3
    assert _students(bare_school_db)[student_no(3)].name == "学生3"


def test_failure_during_apply_rolls_back_everything(bare_school_db, tmp_path):
    """The database refuses the last row at write time: the rows before it are undone too."""
    rows = [["姓名", "性别", "学籍号", "班级"]] + [[f"学生{i}", "男", student_no(i), f"初一({i % 9 + 1})班"]
                                                  for i in range(1, 1200)]
    pv = preview_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", rows), school_year=YEAR)
    with bare_school_db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON student WHEN NEW.name = '学生1199' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END")
    with pytest.raises(Exception, match="refused by test trigger"):
        apply_roster(bare_school_db, pv)
    assert _count(bare_school_db, Student) == 0
    assert _count(bare_school_db, SchoolClass) == 0
    assert _count(bare_school_db, AuditLog) == 0


def test_imported_student_equals_one_made_by_the_service(bare_school_db, tmp_path):
    """The bulk path must store exactly what ``students.create_student`` stores."""
    from growthdesk.services import students as svc

    path = write_xlsx(tmp_path / "a.xlsx", [["姓名", "性别", "学籍号", "出生日期", "班级"],
                                            ["欧阳娜娜", "女", student_no(1), "2012-03-05", "初二(4)班"]])
    import_roster(bare_school_db, path, school_year=YEAR, user="admin")
    with bare_school_db.session(user="admin") as s:
        cls = svc.find_class(s, "初二(4)班", school_year=YEAR)
        ref = svc.create_student(s, national_student_no=student_no(2), name="欧阳娜娜", gender="F",
                                 birth_date=date(2012, 3, 5), class_id=cls.id)
        mine = s.scalars(select(Student).where(Student.national_student_no == student_no(1))).one()
        skip = {"id", "national_student_no", "person_key", "created_at", "updated_at", "usn", "clock", "versions"}
        cols = [c.key for c in Student.__mapper__.column_attrs if c.key not in skip]
        assert {c: getattr(mine, c) for c in cols} == {c: getattr(ref, c) for c in cols}
        assert mine.person_key == svc.person_key(bare_school_db.settings["person_key_secret"], student_no(1))
        enrol = {sid: s.scalars(select(Enrollment).where(Enrollment.student_id == sid)).one()
                 for sid in (mine.id, ref.id)}
        ecols = ["class_id", "school_year", "start_date", "end_date", "reason", "school_code", "updated_by"]
        assert [getattr(enrol[mine.id], c) for c in ecols] == [getattr(enrol[ref.id], c) for c in ecols]


def test_roster_move_equals_move_student(bare_school_db, tmp_path):
    """Promotion and renaming by re-import store what ``move_student``/``update_student`` store."""
    from growthdesk.services import students as svc

    header = ["姓名", "性别", "学籍号", "班级"]
    first = [["甲", "男", student_no(1), "初一(1)班"], ["乙", "男", student_no(2), "初一(1)班"]]
    import_roster(bare_school_db, write_xlsx(tmp_path / "a.xlsx", [header, *first]), school_year=YEAR)
    ids = {no: st.id for no, st in _students(bare_school_db).items()}
    with bare_school_db.session(user="admin") as s:
        new_cls = svc.create_class(s, YEAR + 1, 8, 1)
        svc.move_student(s, ids[student_no(2)], new_cls.id, "promotion")
        svc.update_student(s, ids[student_no(2)], name="乙乙")
    second = [["乙乙", "男", student_no(1), "初二(1)班"]]
    pv, result = import_roster(bare_school_db, write_xlsx(tmp_path / "b.xlsx", [header, *second]),
                               school_year=YEAR + 1, user="admin")
    assert result.updated == 1 and not result.classes_created
    with bare_school_db.session() as s:
        a, b = (s.get(Student, ids[student_no(i)]) for i in (1, 2))
        skip = {"id", "national_student_no", "person_key", "created_at", "updated_at", "usn", "clock", "versions"}
        cols = [c.key for c in Student.__mapper__.column_attrs if c.key not in skip]
        assert {c: getattr(a, c) for c in cols} == {c: getattr(b, c) for c in cols}
        ecols = ["class_id", "school_year", "start_date", "end_date", "reason", "deleted"]

        def history(sid):
            rows = s.scalars(select(Enrollment).where(Enrollment.student_id == sid).order_by(Enrollment.created_at))
            return [[getattr(e, c) for c in ecols] for e in rows]
        assert history(a.id) == history(b.id) and len(history(a.id)) == 2
