"""``growthdesk roster``: roster import (DESIGN §6), batch-entry templates and class exports.

``roster import`` prints the preview and imports nothing unless ``--yes`` is given (exit 0
either way); ``--report`` writes the rows that were not taken, with reasons, to an .xlsx.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db

SHOW_ISSUES = 20


def register(sub) -> None:
    p = sub.add_parser("roster", help="学生名单导入、批量录入模板、班级汇总导出 (roster and spreadsheets)")
    rsub = p.add_subparsers(dest="roster_command", required=True, parser_class=type(p))

    imp = rsub.add_parser("import", help="从 .xlsx/.csv 导入学生名单（默认只预览）")
    add_common(imp, json_flag=True)
    imp.add_argument("file", type=Path, help="名单文件 .xlsx 或 .csv")
    imp.add_argument("--report", type=Path, help="把未导入的行及原因写到这个 .xlsx")
    imp.add_argument("--yes", action="store_true", help="确认导入（不加则只预览，不写数据库）")
    imp.add_argument("--school-year", type=int, help="名单所属学年（如 2025 表示 2025—2026 学年；默认当前学年）")
    imp.set_defaults(func=run_import)

    tpl = rsub.add_parser("template", help="生成某班的批量录入模板（竞赛获奖 / 过程性评价）")
    add_common(tpl, json_flag=True)
    tpl.add_argument("kind", choices=["awards", "evaluations"], help="awards=竞赛获奖, evaluations=过程性评价")
    tpl.add_argument("--class", dest="class_", required=True, help="班级，如 初一(3)班 或班级 ID")
    tpl.add_argument("--term", help="学期代码（评价模板用；默认当前学期）")
    tpl.add_argument("--out", type=Path, required=True, help="输出 .xlsx")
    tpl.set_defaults(func=run_template)

    ent = rsub.add_parser("entries", help="导入填好的批量录入模板（默认只预览）")
    add_common(ent, json_flag=True)
    ent.add_argument("file", type=Path)
    ent.add_argument("--report", type=Path, help="把未导入的行及原因写到这个 .xlsx")
    ent.add_argument("--yes", action="store_true", help="确认导入")
    ent.set_defaults(func=run_entries)

    exp = rsub.add_parser("export", help="导出班级学期汇总表 (.xlsx)")
    add_common(exp, json_flag=True)
    exp.add_argument("--class", dest="class_", required=True, help="班级，如 初一(3)班")
    exp.add_argument("--term", required=True, help="学期代码，如 2025-2026-1")
    exp.add_argument("--out", type=Path, required=True)
    exp.set_defaults(func=run_export)


def _issue_lines(issues, count: int) -> list[str]:
    lines = [i.message("zh_CN") for i in issues[:SHOW_ISSUES]]
    if count > SHOW_ISSUES:
        lines.append(f"……另有 {count - SHOW_ISSUES} 处问题，可用 --report 写出全部")
    return lines


def run_import(args: argparse.Namespace) -> int:
    from ..sheets.roster import apply_roster, preview_roster, write_roster_report

    with open_db(args) as db:
        pv = preview_roster(db, args.file, school_year=args.school_year)
        result = apply_roster(db, pv, user=getattr(args, "login", "") or "cli") if args.yes else None
    out = {"preview": pv.to_dict(), "imported": args.yes, "result": result.to_dict() if result else None}
    if args.report:
        out["report"] = str(write_roster_report(pv, args.report))
    lines = [pv.summary()] + _issue_lines(pv.issues, pv.issue_count)
    if result is None:
        lines.append("仅预览，未导入任何数据；确认无误后加 --yes 导入")
    else:
        lines.append(f"已导入：新增 {result.created}，更新 {result.updated}，跳过 {result.skipped}"
                     + (f"，新建班级 {'、'.join(result.classes_created)}" if result.classes_created else ""))
    if args.report:
        lines.append(f"未导入的行已写到：{out['report']}")
    emit(args, out, "\n".join(lines))
    return 0


def run_template(args: argparse.Namespace) -> int:
    from ..sheets.templates import write_award_template, write_evaluation_template

    with open_db(args) as db:
        if args.kind == "awards":
            info = write_award_template(db, args.class_, args.out)
        else:
            info = write_evaluation_template(db, args.class_, args.out, term=args.term)
    emit(args, info, f"已生成模板：{info['path']}（{info['class']}，{info['students']} 名学生）")
    return 0


def run_entries(args: argparse.Namespace) -> int:
    from ..sheets.templates import apply_entries, preview_entries, write_entries_report

    with open_db(args) as db:
        pv = preview_entries(db, args.file)
        result = apply_entries(db, pv, user=getattr(args, "login", "") or "cli") if args.yes else None
    out = {"preview": pv.to_dict(), "imported": args.yes, "result": result}
    if args.report:
        out["report"] = str(write_entries_report(pv, args.report))
    lines = [pv.summary()] + _issue_lines(pv.issues, len(pv.issues))
    lines.append("仅预览，未导入任何数据；确认无误后加 --yes 导入" if result is None else
                 f"已导入：新增 {result['created']} 条，已存在跳过 {result['skipped_existing']} 条，"
                 f"有错误未导入 {result['error_rows']} 行")
    emit(args, out, "\n".join(lines))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..sheets.summary import write_class_summary

    with open_db(args) as db:
        info = write_class_summary(db, args.class_, args.term, args.out)
    emit(args, info, f"已导出：{info['path']}（{info['class']}，{info['students']} 名学生）")
    return 0
