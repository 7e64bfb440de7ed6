"""``growthdesk publicity sheet``: the class's publicity list for the wall (DESIGN §6, §4a)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    p = sub.add_parser("publicity", help="综合素质评价公示 (publicity period)")
    inner = p.add_subparsers(dest="publicity_command", required=True)
    sheet = inner.add_parser("sheet", help="打印班级公示表 PDF：只有姓名和记录 (names and records only)")
    add_common(sheet, json_flag=True)
    sheet.add_argument("--term", required=True, help="学期代码，如 2025-2026-1")
    sheet.add_argument("--class", dest="class_ref", required=True, help="班级，如 初一(3)班，或班级编号")
    sheet.add_argument("--out", required=True, type=Path, help="FILE.pdf")
    sheet.set_defaults(func=run_sheet)
    register_accounts(sub)


def run_sheet(args: argparse.Namespace) -> int:
    from ..errors import ValidationError
    from ..reports.publicity import render_sheet, sheet_data
    from ..services import students, terms

    if args.out.suffix.lower() != ".pdf":
        raise ValidationError("--out 应为 .pdf 文件", "--out must be a .pdf file", field="out", value=str(args.out))
    if not args.out.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{args.out.parent}", f"folder does not exist: {args.out.parent}",
                              field="out", value=str(args.out))
    with open_db(args) as db:
        with db.session() as s:
            term = terms.normalise_term_code(args.term.strip())
            cls = students.find_class(s, args.class_ref, int(term[:4]))
            sheet = sheet_data(s, term, cls.id)
        pages = render_sheet(sheet, args.out)
    count = sum(len(r.records) for r in sheet.rows)
    emit(args, {"class": sheet.class_label, "term": term, "students": len(sheet.rows), "records": count,
                "pages": pages, "out": str(args.out)},
         f"已打印 {sheet.class_label} 公示表：{len(sheet.rows)} 名学生、{count} 条记录，共 {pages} 页 → {args.out}")
    return 0


def register_accounts(sub) -> None:
    p = sub.add_parser("student-accounts", help="为学生批量生成账户，打印初始密码条 PDF (student accounts and slips)")
    add_common(p, json_flag=True)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--class", dest="class_ref", action="append", help="班级，如 初一(3)班（可重复）")
    who.add_argument("--grade", help="年级，如 初一、七年级 或 7：该年级的所有班级")
    p.add_argument("--year", type=int, help="学年（默认最近的学年），如 2025")
    p.add_argument("--out", required=True, type=Path, help="SLIPS.pdf：初始密码条")
    p.add_argument("--reset", action="store_true", help="已有账户的学生也重新生成初始密码")
    p.set_defaults(func=run_accounts)


def run_accounts(args: argparse.Namespace) -> int:
    from ..errors import ValidationError
    from ..services import names, student_accounts, students

    if args.out.suffix.lower() != ".pdf" or not args.out.parent.is_dir():
        raise ValidationError(f"--out 应为已有文件夹中的 .pdf 文件：{args.out}", f"--out must be a .pdf in an existing "
                              f"folder: {args.out}", field="out", value=str(args.out))
    with open_db(args) as db:
        with db.session() as s:
            if args.grade:
                grade = names.parse_grade(args.grade)
                year = args.year or max((c.school_year for c in students.list_classes(s)), default=None)
                classes = [c.id for c in students.list_classes(s, year) if c.grade == grade]
            else:
                classes = [students.find_class(s, ref, args.year).id for ref in args.class_ref]
            slips = student_accounts.create_student_accounts(s, classes, reset=args.reset)
            school = db.settings.get("school_name", "")
        # The passwords exist only in this PDF. The accounts are committed above; if the PDF cannot
        # be written the error says so and ``--reset`` makes new passwords and slips.
        pages = student_accounts.slips_pdf(slips, args.out, school)
    emit(args, {"accounts": len(slips), "pages": pages, "out": str(args.out)},
         f"已生成 {len(slips)} 个学生账户的初始密码条，共 {pages} 页 → {args.out}（请妥善保管、分发后销毁）")
    return 0
