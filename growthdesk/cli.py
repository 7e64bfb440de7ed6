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
    parser.add_argument("--db", help="database file or SQLAlchemy URL (default: the database opened last)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language")
    parser.add_argument("--user", help="log in as this account (password: GROWTHDESK_PASSWORD, or asked)")
    parser.add_argument("--allow-insecure-postgres", action="store_true",
                        help="allow a remote PostgreSQL server without TLS (not recommended)")
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
    p.add_argument("--user", dest="sub_user", help="log in as this account (password: GROWTHDESK_PASSWORD, or asked)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(db_required=db_required)


def emit(args: argparse.Namespace, result: dict[str, Any], human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(human)


PASSWORD_ENV = "GROWTHDESK_PASSWORD"


def read_password(args: argparse.Namespace, prompt: str = "密码 (password): ") -> str:
    """GROWTHDESK_PASSWORD, or asked on the terminal (never echoed); no terminal, no password: an error."""
    import os

    from .errors import ValidationError
    pw = os.environ.get(PASSWORD_ENV)
    if pw:
        return pw
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass
        return getpass.getpass(prompt)
    raise ValidationError(f"需要密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行",
                          f"a password is needed: set {PASSWORD_ENV} or run in a terminal", field="password")


def open_db(args: argparse.Namespace, *, read_only: bool = False):
    """The database of ``--db`` opened as the logged-in ``--user`` (DESIGN §6).

    An encrypted database needs the login; so does any database that has accounts (a plain one is
    converted to encrypted on that first login, after its automatic backup), for every command.
    Only a database without any account (made by an older version, or a bare test file) opens
    without one, and its audit entries then say ``cli:<os user>``. ``args.login`` is who did it,
    for the logs. ``read_only``: a command that only reads skips the up-front ``PRAGMA
    quick_check`` (about 16 s of CPU on a 4 GB district file); any write through the database
    still checks the file first (``Database._before_write``)."""
    from .db import is_encrypted, open_database, sqlite_path, to_url
    from .errors import ValidationError
    from .security import unlock_database
    if getattr(args, "user", None):
        args.password = read_password(args)
        db = unlock_database(args.db, args.user, args.password)
        args.login = db.login
        shown = getattr(db, "recovery_key_shown", None)
        if shown:  # said once the command has succeeded (a failure keeps its one-line reason)
            args.recovery_notice = (f"数据库已加密。恢复密钥（只显示这一次，请打印并妥善保管；管理员可在“管理”菜单中再次查看）：{shown} "
                                    f"(the database is now encrypted; recovery key, shown once: {shown})")
        return db
    path = sqlite_path(to_url(args.db))
    if path is not None and is_encrypted(path):
        raise ValidationError("数据库已加密：请用 --user 登录（密码放在环境变量 GROWTHDESK_PASSWORD 中，或按提示输入）",
                              "the database is encrypted: log in with --user (password in GROWTHDESK_PASSWORD, or "
                              "typed when asked)", field="user")
    db = open_database(args.db)
    from .services.views import user_count
    try:
        if not read_only:
            db.check_integrity()  # a damaged file is said as such before a login is asked for
        with db.session() as s:
            has_accounts = user_count(s) > 0
    except BaseException:
        db.close()
        raise
    if has_accounts:
        db.close()
        raise ValidationError("这个数据库有账户：请用 --user 登录（密码放在环境变量 GROWTHDESK_PASSWORD 中）",
                              "this database has accounts: log in with --user (password in GROWTHDESK_PASSWORD)",
                              field="user")
    args.login = _os_user()
    return db


def _os_user() -> str:
    import getpass
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems; the log still says "cli"
        return "cli"


def _is_database_error(exc: BaseException) -> bool:
    import sqlite3

    from sqlalchemy.exc import DatabaseError as SADatabaseError
    kinds = [sqlite3.DatabaseError, SADatabaseError]
    try:
        import sqlcipher3
        kinds.append(sqlcipher3.DatabaseError)
    except ImportError:  # pragma: no cover
        pass
    return isinstance(exc, tuple(kinds))


def to_url(target: str) -> str:
    from .db import to_url as _to_url
    return _to_url(target)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "sub_db", None) or args.db
    args.user = getattr(args, "sub_user", None) or args.user
    if args.allow_insecure_postgres:
        from .db import ALLOW_INSECURE_POSTGRES
        ALLOW_INSECURE_POSTGRES["value"] = True
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
        code = int(args.func(args) or 0)
        if getattr(args, "recovery_notice", None) and code == 0:
            print(args.recovery_notice, file=sys.stderr)
        return code
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
