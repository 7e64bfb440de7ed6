"""``growthdesk publicity sheet``: the class's publicity list for the wall (DESIGN §6, §4a)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit


def register(sub) -> None:
    p = sub.add_parser("publicity", help="综合素质评价公示 (publicity period)")
    inner = p.add_subparsers(dest="publicity_command", required=True)
    sheet = inner.add_parser("sheet", help="打印班级公示表 PDF：只有姓名和记录 (names and records only)")
    add_common(sheet, json_flag=True)
    sheet.add_argument("--term", required=True, help="学期代码，如 2025-2026-1")
    sheet.add_argument("--class", dest="class_ref", required=True, help="班级，如 初一(3)班，或班级编号")
    sheet.add_argument("--out", required=True, type=Path, help="FILE.pdf")
    sheet.set_defaults(func=run_sheet)


def run_sheet(args: argparse.Namespace) -> int:
    from ..db import open_database
    from ..errors import ValidationError
    from ..reports.publicity import render_sheet, sheet_data
    from ..services import students, terms

    if args.out.suffix.lower() != ".pdf":
        raise ValidationError("--out 应为 .pdf 文件", "--out must be a .pdf file", field="out", value=str(args.out))
    if not args.out.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{args.out.parent}", f"folder does not exist: {args.out.parent}",
                              field="out", value=str(args.out))
    with open_database(args.db) as db:
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
