"""``growthdesk portfolio``: print term portfolios for a student, a class or a grade (DESIGN §6)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    p = sub.add_parser("portfolio", help="打印学期成长档案 PDF (term portfolio PDFs)")
    add_common(p, json_flag=True)
    p.add_argument("--term", required=True, help="学期代码，如 2025-2026-1")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--student", help="学籍号 (national student number)")
    who.add_argument("--class", dest="class_ref", help="班级，如 初一(3)班，或班级编号")
    who.add_argument("--grade", help="年级，如 初一、七年级 或 7")
    p.add_argument("--out", required=True, type=Path,
                   help="OUT.pdf: one PDF (a bookmark per student); a folder: one file per student")
    p.add_argument("--no-class-sheet", action="store_true", help="不打印班级汇总表 (skip the class list sheet)")
    p.add_argument("--progress", action="store_true", help="print progress to stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..reports.batch import check_output, render_portfolios, resolve_scope

    per_student = args.out.suffix.lower() != ".pdf"
    check_output(args.out, per_student)  # before the database is even opened
    with open_db(args) as db:
        with db.session() as s:
            scope = resolve_scope(s, args.term.strip(), student_no=args.student, class_ref=args.class_ref,
                                  grade_ref=args.grade)
        result = render_portfolios(db, scope, args.out, per_student=per_student,
                                   class_sheet=False if args.no_class_sheet else None,
                                   progress=_progress if args.progress else None)
    report = {"scope": scope.kind, "title": scope.title, "term": scope.term_code, **result.to_dict()}
    for warning in result.warnings():  # on stderr, one line each: stdout stays the result (or JSON)
        print(f"growthdesk: 注意 {warning}", file=sys.stderr)
    where = str(args.out)
    emit(args, report, f"已打印 {scope.title} 的 {result.students} 份成长档案，共 {result.pages} 页 → {where}"
                       f"（{result.seconds:.1f} 秒）")
    return 0


def _progress(done: int, total: int, name: str) -> None:
    print(f"\r{done}/{total} {name}", end="" if done < total else "\n", file=sys.stderr, flush=True)
