"""``growthdesk programme``: cultivation programme lists in Excel (DESIGN §6).

``programme import`` prints the preview and imports nothing unless ``--yes`` is given (exit 0
either way, like ``roster import``); ``--report`` writes the rows not taken, with reasons.
``programme export`` writes programmes, members, nominations and decisions, growth logs and
evaluations; ``programme mentor-record`` a mentor's own record. ``programme candidates`` prints a
programme's candidates in a term (with the notice: for cultivation, not admission) and
``programme chain`` the district's chain statistics; both are what ``bench_programmes.py``
times as whole commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db

SHOW_ISSUES = 20


def register(sub) -> None:
    p = sub.add_parser("programme", help="培养项目名单导入导出 (cultivation programmes)")
    psub = p.add_subparsers(dest="programme_command", required=True, parser_class=type(p))

    imp = psub.add_parser("import", help="从 .xlsx 导入培养项目及成员（默认只预览）")
    add_common(imp, json_flag=True)
    imp.add_argument("file", type=Path, help="名单文件 .xlsx：培养项目、层级、学科、学校代码、学籍号、姓名、校内导师、"
                                             "校外导师、校外导师单位、入选日期")
    imp.add_argument("--report", type=Path, help="把未导入的行及原因写到这个 .xlsx")
    imp.add_argument("--yes", action="store_true", help="确认导入（不加则只预览，不写数据库）")
    imp.set_defaults(func=run_import)

    exp = psub.add_parser("export", help="导出培养项目、成员、遴选、成长日志和评价 (.xlsx)")
    add_common(exp, json_flag=True)
    exp.add_argument("--out", type=Path, required=True)
    exp.set_defaults(func=run_export)

    rec = psub.add_parser("mentor-record", help="导出一名导师的指导档案 (.xlsx)")
    add_common(rec, json_flag=True)
    rec.add_argument("--mentor", required=True, help="导师姓名或编号")
    rec.add_argument("--out", type=Path, required=True)
    rec.set_defaults(func=run_mentor_record)

    cand = psub.add_parser("candidates", help="列出培养项目的候选学生（用于培养计划，不作为升学录取依据）")
    add_common(cand, json_flag=True)
    cand.add_argument("--programme", required=True, help="培养项目名称或编号")
    cand.add_argument("--term", help="学期代码，如 2025-2026-1（默认：最近有评价的学期）")
    cand.set_defaults(func=run_candidates)

    chain = psub.add_parser("chain", help="区级培养链统计：各层级成员、城乡分布、逐级衔接、导师负担")
    add_common(chain, json_flag=True)
    chain.set_defaults(func=run_chain)


def run_import(args: argparse.Namespace) -> int:
    from ..sheets.programmes import apply_programmes, preview_programmes, write_programme_report

    with open_db(args) as db:  # logged in as --user when the database has accounts (DESIGN §6)
        pv = preview_programmes(db, args.file)
        result = apply_programmes(db, pv, user=getattr(args, "login", "") or "cli") if args.yes else None
    out = {"preview": pv.to_dict(), "imported": args.yes, "result": result}
    if args.report:
        out["report"] = str(write_programme_report(pv, args.report))
    issues = pv.issues
    lines = [pv.summary()] + [i.message("zh_CN") for i in issues[:SHOW_ISSUES]]
    if len(issues) > SHOW_ISSUES:
        lines.append(f"……另有 {len(issues) - SHOW_ISSUES} 处问题，可用 --report 写出全部")
    lines.append("仅预览，未导入任何数据；确认无误后加 --yes 导入" if result is None else
                 f"已导入：成员 {result['members']} 名，新建培养项目 {result['programmes']} 个，新建导师 {result['mentors']} 名")
    if args.report:
        lines.append(f"未导入的行已写到：{out['report']}")
    emit(args, out, "\n".join(lines))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..sheets.programmes import export_programmes

    with open_db(args) as db:
        counts = export_programmes(db, args.out)
    emit(args, dict(counts, path=str(args.out)),
         f"已导出：{args.out}（培养项目 {counts['programmes']} 个，成员 {counts['members']} 名，遴选记录 "
         f"{counts['nominations']} 条，成长日志 {counts['logs']} 条，评价 {counts['evaluations']} 条）")
    return 0


def run_mentor_record(args: argparse.Namespace) -> int:
    from sqlalchemy import or_, select

    from ..errors import NotFoundError
    from ..models import ProgrammeMentor
    from ..stats.programmes import write_mentor_record

    with open_db(args) as db, db.session() as s:
        found = list(s.scalars(select(ProgrammeMentor).where(
            or_(ProgrammeMentor.id == args.mentor, ProgrammeMentor.name == args.mentor),
            ProgrammeMentor.deleted.is_(False))))
        if len(found) != 1:
            raise NotFoundError(f"找不到唯一的导师：{args.mentor}（找到 {len(found)} 名；可用编号）",
                                f"no unique mentor {args.mentor!r} ({len(found)} found; use the id)",
                                field="mentor", value=args.mentor)
        rec = write_mentor_record(s, found[0].id, args.out)
    emit(args, {"path": str(args.out), "students": len(rec["students"]), "hours": rec["hours"]},
         f"已导出：{args.out}（指导学生 {len(rec['students'])} 名，学时 {rec['hours']:g}）")
    return 0


def _programme(s, name_or_id: str):
    from sqlalchemy import or_, select

    from ..errors import NotFoundError
    from ..models import Programme

    found = list(s.scalars(select(Programme).where(or_(Programme.id == name_or_id, Programme.name == name_or_id),
                                                   Programme.deleted.is_(False))))
    if len(found) != 1:
        raise NotFoundError(f"找不到唯一的培养项目：{name_or_id}（找到 {len(found)} 个；可用编号）",
                            f"no unique programme {name_or_id!r} ({len(found)} found; use the id)",
                            field="programme", value=name_or_id)
    return found[0]


def run_candidates(args: argparse.Namespace) -> int:
    from ..stats.programmes import candidates

    with open_db(args, read_only=True) as db, db.session() as s:
        result = candidates(s, _programme(s, args.programme).id, args.term)
    rows = result["candidates"]
    nominated = sum(1 for r in rows if r["nomination"])
    lines = [result["notice"], f"{result['programme']['name']}（{result['term'] or '无学期'}）：候选 {len(rows)} 人，"
                               f"其中已推荐 {nominated} 人"]
    lines += [f"  {r['school_name']} {r['name']}：{'；'.join(r['reasons']) or '（推荐）'}" for r in rows[:SHOW_ISSUES]]
    if len(rows) > SHOW_ISSUES:
        lines.append(f"  ……另有 {len(rows) - SHOW_ISSUES} 人")
    emit(args, result, "\n".join(lines))
    return 0


def run_chain(args: argparse.Namespace) -> int:
    from ..stats.programmes import chain_statistics

    with open_db(args, read_only=True) as db, db.session() as s:
        result = chain_statistics(s)
    lines = ["各层级成员：" + "；".join(f"{r['tier_zh']} {r['members']} 人" for r in result["by_tier"]),
             "逐级衔接：" + "；".join(f"{r['from_zh']}→{r['to_zh']} {r['continued']}/{r['reached']}"
                                   for r in result["retention"]),
             f"跨层级培养 {len(result['chain'])} 人；导师 {len(result['mentors'])} 名"]
    emit(args, result, "\n".join(lines))
    return 0
