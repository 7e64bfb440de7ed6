"""The command line of DESIGN §6 (a stable contract: scripts and checks use it).

Every command takes ``--db``; exits 0 on success, non-zero with a one-line reason on stderr on
failure; where it reports, ``--json`` prints one JSON object on stdout. Each area registers its
own sub-commands from ``growthdesk/commands/<area>.py``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from . import __version__
from .commands import COMMAND_MODULES
from .errors import GrowthDeskError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, exit 2, like every failure
        self.exit(2, f"growthdesk: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="growthdesk", description="GrowthDesk 学生成长档案")
    parser.add_argument("--version", action="version", version=f"GrowthDesk {__version__}")
    parser.add_argument("--db", help="database file or SQLAlchemy URL (default: demo school in the data folder)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language")
    parser.add_argument("--self-check", nargs="?", const="all", metavar="CHECKS",
                        help="check this installation and exit (growthdesk.selfcheck; CHECKS: comma list)")
    parser.add_argument("--json", dest="self_check_json", action="store_true", help="--self-check report as JSON")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"growthdesk.commands.{name}").register(sub)
    return parser


def add_common(p: argparse.ArgumentParser, *, json_flag: bool = False, db_required: bool = True) -> None:
    """``--db`` on the sub-command too, so both ``growthdesk --db X cmd`` and ``cmd --db X`` work."""
    p.add_argument("--db", dest="sub_db", required=False, help="database file or SQLAlchemy URL")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(db_required=db_required)


def emit(args: argparse.Namespace, result: dict[str, Any], human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(human)


def _is_database_error(exc: BaseException) -> bool:
    import sqlite3

    from sqlalchemy.exc import DatabaseError as SADatabaseError
    return isinstance(exc, (sqlite3.DatabaseError, SADatabaseError))


def to_url(target: str) -> str:
    from .db import to_url as _to_url
    return _to_url(target)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "sub_db", None) or args.db
    if args.self_check is not None:
        from .selfcheck import run_cli
        return run_cli(args.self_check, args.self_check_json, args.db)
    if args.command is None:
        from .app_launch import launch
        return launch(args)
    if getattr(args, "db_required", True) and not args.db:
        print("growthdesk: 缺少 --db 参数 (--db is required)", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except GrowthDeskError as exc:
        print(f"growthdesk: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A damaged or locked database file met while reading: one line, not a traceback.
        from .db import as_database_error
        if not _is_database_error(exc):
            raise
        print(f"growthdesk: {as_database_error(exc, to_url(args.db) if args.db else '')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("growthdesk: 已取消 (cancelled)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `growthdesk stats --json | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
