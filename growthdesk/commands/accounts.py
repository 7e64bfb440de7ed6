"""``growthdesk account``: teachers' accounts in bulk (DESIGN §6).

``account import`` prints the preview and writes nothing unless ``--yes`` is given; new accounts
get initial passwords that exist only on the printed slips (``--slips FILE.pdf``, required when
the import makes new accounts) and must be changed at the first log-in. ``account template``
writes the empty teacher list to fill in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit

SHOW_ISSUES = 20


def register(sub) -> None:
    p = sub.add_parser("account", help="教师账户批量导入 (teachers' accounts in bulk)")
    asub = p.add_subparsers(dest="account_command", required=True, parser_class=type(p))

    imp = asub.add_parser("import", help="从 .xlsx 导入教师账户、任教班级和班主任（默认只预览）")
    add_common(imp, json_flag=True)
    imp.add_argument("file", type=Path, help="教师名单 .xlsx/.csv：工号、姓名、任教班级、任教学科、是否班主任")
    imp.add_argument("--yes", action="store_true", help="确认导入（不加则只预览，不写数据库）")
    imp.add_argument("--slips", type=Path, help="新账户的账户条 PDF（含初始密码；有新账户时必须给出）")
    imp.add_argument("--report", type=Path, help="把未导入的行及原因写到这个 .xlsx")
    imp.add_argument("--school-year", type=int, help="任教班级所属学年（如 2025；默认当前学年）")
    imp.set_defaults(func=run_import)

    tpl = asub.add_parser("template", help="生成空白教师名单模板 (.xlsx)")
    tpl.add_argument("--out", type=Path, required=True, help="输出 .xlsx")
    tpl.add_argument("--json", action="store_true")
    tpl.set_defaults(func=run_template, db_required=False)


def run_import(args: argparse.Namespace) -> int:
    from ..cli import open_db
    from ..errors import ValidationError
    from ..reports.slips import write_slips
    from ..sheets.accounts import apply_accounts, preview_accounts, write_account_report

    with open_db(args) as db:  # the logged-in admin (``--user``) is who the audit log names
        pv = preview_accounts(db, args.file, school_year=args.school_year)
        if args.yes and pv.new and not args.slips:
            raise ValidationError("新账户的初始密码只打印在账户条上：请加 --slips 账户条.pdf（未导入任何数据）",
                                  "the initial passwords of new accounts are printed only on the slips: add "
                                  "--slips SLIPS.pdf (nothing was imported)", field="slips")
        school = db.settings.get("school_name", "")
        written: dict = {}

        def slips(result) -> None:  # inside the import's transaction: no slips, no accounts
            if result.slips:
                written["slips"] = str(write_slips(result.slips, args.slips, school=school))
        result = apply_accounts(db, pv, user=getattr(args, "login", "") or "cli", before_commit=slips) if args.yes else None
    out = {"preview": pv.to_dict(), "imported": bool(args.yes), "result": result.to_dict() if result else None}
    lines = [pv.summary()] + [i.message("zh_CN") for i in pv.issues[:SHOW_ISSUES]]
    if len(pv.issues) > SHOW_ISSUES:
        lines.append(f"……另有 {len(pv.issues) - SHOW_ISSUES} 处问题，可用 --report 写出全部")
    if result is None:
        lines.append("仅预览，未导入任何数据；确认无误后加 --yes --slips 账户条.pdf 导入")
    else:
        lines.append(f"已导入：新建账户 {result.created}，更新 {result.updated}，无变化 {result.unchanged}，"
                     f"跳过 {result.skipped}")
        if written:
            out["slips"] = written["slips"]
            lines.append(f"账户条（含初始密码，首次登录须修改）：{out['slips']}")
    if args.report:
        out["report"] = str(write_account_report(pv, args.report))
        lines.append(f"未导入的行已写到：{out['report']}")
    emit(args, out, "\n".join(lines))
    return 0


def run_template(args: argparse.Namespace) -> int:
    from ..sheets.accounts import write_account_template
    path = write_account_template(args.out)
    emit(args, {"path": str(path)}, f"已生成教师名单模板：{path}")
    return 0
