"""``growthdesk stats``: district statistics as JSON, an Excel workbook and/or a PDF report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    p = sub.add_parser("stats", help="区级统计：获奖、科创项目、评价覆盖、增值评价、培养名单 (district statistics)")
    add_common(p, json_flag=True)
    p.add_argument("--term", help="学期代码，如 2025-2026-1（默认全部学期）")
    p.add_argument("--stage", help="学段 primary|junior|senior（或 小学/初中/高中）")
    p.add_argument("--category", help="学校类别 urban|town|rural（或 城区/镇区/乡村）")
    p.add_argument("--school", help="学校代码")
    p.add_argument("--xlsx", type=Path, help="write the statistics workbook here")
    p.add_argument("--pdf", type=Path, help="write the PDF report with charts here")
    p.add_argument("--rules", type=Path, help="cultivation rules JSON ({\"rules\": [...]}); default rules otherwise")
    p.add_argument("--behind-days", type=int, default=None, help="a school is behind after this many days without a bundle (30)")
    p.add_argument("--refresh-summary", action="store_true",
                   help="build or update the summary tables first (large districts: evaluation statistics in ms)")
    p.add_argument("--refresh-only", action="store_true",
                   help="only bring the summary tables up to date, then exit (what `bundle import` starts in the background)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import ValidationError
    from ..stats.cultivation import DEFAULT_RULES, rules_from_json
    from ..stats.export import write_pdf, write_xlsx
    from ..stats.filters import make_filters
    from ..stats.report import build_report
    from ..stats.schools import BEHIND_DAYS

    rules = DEFAULT_RULES
    if args.rules:
        try:
            rules = rules_from_json(args.rules.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"无法读取规则文件 {args.rules}：{exc}", f"cannot read rules file {args.rules}: {exc}",
                                  field="rules", value=str(args.rules)) from None
    with open_db(args) as db:
        if args.refresh_only:
            from ..stats import summary
            with db.session(user=getattr(args, "login", "") or "stats") as s:
                terms = summary.refresh(s)
            emit(args, {"refreshed_terms": terms}, f"统计汇总已更新：{len(terms)} 个学期 (summary refreshed: {len(terms)} terms)")
            return 0
        if args.refresh_summary:
            from ..stats import summary
            with db.session(user=getattr(args, "login", "") or "cli") as s:
                summary.refresh(s)
        with db.session() as s:
            f = make_filters(s, args.term, args.stage, args.category, args.school)
            report = build_report(s, f, rules=rules, max_days=args.behind_days or BEHIND_DAYS)
    outputs = {}
    if args.xlsx:
        outputs["xlsx"] = str(write_xlsx(report, args.xlsx))
    if args.pdf:
        outputs["pdf"] = str(write_pdf(report, args.pdf))
    report["outputs"] = outputs
    emit(args, report, _human(report))
    return 0


def _human(report: dict) -> str:
    schools = report["schools"]
    behind = [s for s in schools if s["behind"]]
    lines = [f"筛选条件：{report['filters_text']}",
             f"学校 {len(schools)} 所，其中 {len(behind)} 所数据报送落后"
             + (("：" + "、".join(s["school_name"] for s in behind[:10])) if behind else "")]
    lvl = report["statistics"].get("awards_by_level", [])
    if lvl:
        lines.append("获奖（按级别）：" + "，".join(f"{r['label_zh']} {r['results']} 项/{r['students']} 人" for r in lvl))
    cat = report["statistics"].get("award_share_by_category", [])
    if cat:
        lines.append("获奖学生占比 vs 学生占比：" + "，".join(
            f"{r['label_zh']} {r['winner_share'] * 100:.1f}% vs {r['student_share'] * 100:.1f}%" for r in cat))
    cult = report["cultivation"]
    lines.append(f"培养名单 {len(cult['students'])} 人（{cult['notice']}）")
    for kind, path in report.get("outputs", {}).items():
        lines.append(f"已写出 {kind}：{path}")
    return "\n".join(lines)
