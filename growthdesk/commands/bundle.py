"""``growthdesk bundle export|import|receipt`` (DESIGN §5 and §6)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    p = sub.add_parser("bundle", help="同步数据包：导出、导入、回执 (sync bundles)")
    bsub = p.add_subparsers(dest="bundle_command", required=True, parser_class=type(p))

    e = bsub.add_parser("export", help="导出本校自上次以来的变更 (export changes since the last bundle)")
    add_common(e, json_flag=True)
    e.add_argument("--out", required=True, type=Path, help="output folder")
    e.add_argument("--full", action="store_true", help="everything, not only the changes")
    e.add_argument("--with-evidence", action="store_true", help="include evidence files (files/<sha256>)")
    e.set_defaults(func=run_export)

    i = bsub.add_parser("import", help="区级导入数据包 (import bundles at the district)")
    add_common(i, json_flag=True)
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help="bundle files, or folders holding them")
    i.add_argument("--dry-run", action="store_true", help="check and report what would change; change nothing")
    i.add_argument("--receipts", type=Path, help="write receipts here (default: beside each bundle)")
    i.set_defaults(func=run_import)

    r = bsub.add_parser("receipt", help="学校载入区里的回执 (load the district's receipt)")
    add_common(r, json_flag=True)
    r.add_argument("receipt", type=Path, metavar="RECEIPT_FILE")
    r.add_argument("--keep-tombstones", action="store_true", help="do not purge acknowledged deletions")
    r.set_defaults(func=run_receipt)


def _user(args: argparse.Namespace) -> str:
    return getattr(args, "login", "") or "cli"  # who logged in (cli.open_db)


def run_export(args: argparse.Namespace) -> int:
    from ..sync import export_bundle

    with open_db(args) as db:
        res = export_bundle(db, args.out, full=args.full, with_evidence=args.with_evidence, user=_user(args))
    human = f"已导出 {res['file']}：{res['rows']} 行 (exported {res['rows']} rows to {res['path']})"
    if res["missing_evidence"]:
        human += f"\n缺少 {len(res['missing_evidence'])} 个佐证文件 (missing evidence files)"
    emit(args, res, human)
    return 0


_ZH = {"imported": "已导入", "already imported": "已导入过", "rejected": "已拒绝"}


def _human_import(res: dict) -> str:
    from ..sync.receipts import gap_texts

    lines = []
    for b in res["bundles"]:
        if res["dry_run"] and b["status"] == "imported":
            line = f"{b['file']}: 可以导入（预检，未改动） / would import (dry run, nothing changed)"
        else:
            line = f"{b['file']}: {_ZH[b['status']]} / {b['status']}"
        if b["reason"]:
            line += f" — {b['reason']['message']}"
        lines.append(line)
        if b.get("gaps"):
            lines.append(f"  缺少数据包序号 (missing sequence numbers): {', '.join(gap_texts(b['gaps']))}")
        if b.get("receipt"):
            lines.append(f"  回执 (receipt): {b['receipt']}")
        elif b.get("receipt_error"):
            lines.append(f"  {b['receipt_error']}")
        for table, c in b["counts"].items():
            if any(c.values()):
                lines.append(f"  {table}: +{c['inserted']} ~{c['updated']} -{c['deleted']} ={c['unchanged']}")
    return "\n".join(lines)


def run_import(args: argparse.Namespace) -> int:
    from ..sync import import_bundles

    with open_db(args) as db:
        res = import_bundles(db, args.files, dry_run=args.dry_run, user=_user(args), receipts_dir=args.receipts,
                             refresh_summary=False)
    if res["summary"]["imported"] and not args.dry_run:
        res["summary_refresh"] = _refresh_in_background(args)
    emit(args, res, _human_import(res))
    rejected = [b for b in res["bundles"] if b["status"] == "rejected"]
    if rejected:
        import sys
        first = rejected[0]
        print(f"growthdesk: {len(rejected)} 个数据包被拒绝 ({len(rejected)} bundle(s) rejected): "
              f"{first['file']}: {first['reason']['message']}", file=sys.stderr)
        return 1
    return 0


def _refresh_in_background(args: argparse.Namespace) -> str:
    """Start ``stats --refresh-only`` as a process of its own and return at once: the statistics'
    summary cells catch up after the import while the person who imported moves on (until they
    are fresh, statistics are computed live; stale cells are never used)."""
    import os
    import subprocess
    import sys

    argv = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "growthdesk"]
    argv += ["stats", "--db", str(args.db), "--refresh-only"]
    env = None
    if getattr(args, "login", "") and getattr(args, "password", None):  # an encrypted district: the same login
        argv += ["--user", args.login]
        env = {**os.environ, "GROWTHDESK_PASSWORD": args.password}
    detach = ({"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
              if os.name == "nt" else {"start_new_session": True})
    try:
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         close_fds=True, env=env, **detach)
    except OSError:
        return "live"  # statistics are computed live until a later refresh
    return "background"


def run_receipt(args: argparse.Namespace) -> int:
    from ..sync import load_receipt

    with open_db(args) as db:
        res = load_receipt(db, args.receipt, user=_user(args), purge=not args.keep_tombstones)
    human = (f"回执已载入：已确认到第 {res['acknowledged_sequence']} 个数据包，清理删除记录 {res['tombstones_purged']} 条 "
             f"(receipt loaded: acknowledged up to bundle {res['acknowledged_sequence']})")
    for note in res.get("notes", []):
        human += f"\n{note['zh']} ({note['en']})"
    emit(args, res, human)
    return 0
