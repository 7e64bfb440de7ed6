"""CLI: init-district, district add-school, init-school, demo, backup, restore (DESIGN §6)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    p = sub.add_parser("init-district", help="create a district database / 创建区级数据库")
    add_common(p, json_flag=True)
    p.add_argument("--code", required=True, help="district code, e.g. 330106")
    p.add_argument("--name", required=True, help="district name, e.g. 西湖区")
    _admin_args(p)
    p.set_defaults(func=cmd_init_district)

    district = sub.add_parser("district", help="district office commands / 区级操作")
    dsub = district.add_subparsers(dest="district_command", required=True)
    p = dsub.add_parser("add-school", help="register a school and write its setup file / 登记学校并生成设置文件")
    add_common(p, json_flag=True)
    p.add_argument("--code", required=True, help="school code, 4-16 letters, digits or '-'")
    p.add_argument("--name", help="school name (required unless --reissue)")
    p.add_argument("--category", help="urban|town|rural (城区/镇区/乡村) (required unless --reissue)")
    p.add_argument("--stages", default="junior", help="comma list: primary,junior,senior (default junior)")
    p.add_argument("--out", required=True, help="setup file to write (SETUP.json)")
    p.add_argument("--reissue", action="store_true",
                   help="a new setup file for a registered school (re-enroll: its old key stops working; "
                        "or the upgrade of a format-1 school)")
    p.add_argument("--format", type=int, choices=(1, 2), default=2,
                   help="2 (default): sealed bundles, keys made at the school; 1: the old shared-key setup")
    p.set_defaults(func=cmd_add_school)

    p = dsub.add_parser("publish", help="district bundles for schools: rubric, catalog, arriving students / 下发数据包")
    add_common(p, json_flag=True)
    p.add_argument("--out", required=True, help="folder to write the bundles into")
    p.add_argument("--school", help="only this school (default: every enrolled school)")
    p.add_argument("--full", action="store_true", help="everything, not only what changed since the last bundle")
    p.set_defaults(func=_publish)

    p = sub.add_parser("init-school", help="create a school database from its setup file / 用设置文件创建学校数据库")
    add_common(p, json_flag=True)
    p.add_argument("--setup", required=True, help="the setup file from the district")
    _admin_args(p)
    p.set_defaults(func=cmd_init_school)

    p = sub.add_parser("demo", help="fill a school database with realistic fake data / 生成演示数据")
    add_common(p, json_flag=True)
    p.add_argument("--setup", help="setup file for a new database (default: a self-contained demo district)")
    p.add_argument("--students", type=int, default=2000)
    p.add_argument("--terms", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="copy the database to a file, verified / 备份数据库")
    add_common(p, json_flag=True)
    p.add_argument("--out", required=True, help="backup file to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup / 从备份恢复")
    add_common(p, json_flag=True)
    p.add_argument("file", help="backup file")
    p.add_argument("--force", action="store_true", help="allow a backup of another school or district")
    p.set_defaults(func=cmd_restore)


def _admin_args(p) -> None:
    p.add_argument("--admin", help="first administrator's login; password from GROWTHDESK_PASSWORD or asked "
                                   "/ 第一位管理员的登录名（密码取自环境变量 GROWTHDESK_PASSWORD，否则询问）")
    p.add_argument("--admin-name", default="管理员", help="the administrator's display name / 管理员姓名")


def _admin(args):
    """The first administrator of ``--admin``, password from GROWTHDESK_PASSWORD or the terminal."""
    import getpass
    import os

    from ..services.offices import Admin
    password = os.environ.get("GROWTHDESK_PASSWORD")
    if password is None:
        password = getpass.getpass("管理员密码 (password): ")
        confirm = getpass.getpass("再次输入 (again): ")
    else:
        confirm = password
    return Admin(args.admin, args.admin_name, password, confirm).check()


def _sealed(db) -> dict:
    """With --admin the database is encrypted: say so, and its recovery key (shown this once)."""
    key = getattr(db, "recovery_key_shown", None)
    return {"encrypted": True, "recovery_key": key} if key else {}


def _recovery_note(result: dict) -> str:
    if not result.get("recovery_key"):
        return ""
    return (f"\n数据库已加密。恢复密钥（只显示这一次，请打印并妥善保管）：{result['recovery_key']}"
            f"\nThe database is encrypted. Recovery key (shown once; print it and keep it safe): {result['recovery_key']}")


def cmd_init_district(args: argparse.Namespace) -> int:
    from ..setup import create_district

    if args.admin:
        from ..services.offices import create_district_office
        db, _user = create_district_office(args.db, args.code, args.name, _admin(args))
    else:
        db = create_district(args.db, args.code, args.name)
    result = {"db": args.db, "kind": db.kind, "district_code": db.district_code,
              "district_name": db.settings.get("district_name", ""), **_sealed(db)}
    db.close()
    emit(args, result, f"已创建区级数据库 {args.db}（{result['district_name']}，代码 {result['district_code']}）"
                       + _recovery_note(result))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .sync import cmd_publish

    return cmd_publish(args)


def cmd_add_school(args: argparse.Namespace) -> int:
    from ..setup import add_school, reissue_school_setup, write_setup_file

    with open_db(args) as db:
        if args.reissue:
            setup = reissue_school_setup(db, args.code)
        else:
            from ..errors import ValidationError
            for opt in ("name", "category"):
                if not getattr(args, opt):
                    raise ValidationError(f"请给出 --{opt}", f"--{opt} is required", field=opt)
            setup = add_school(db, args.code, args.name, args.category, args.stages, legacy=args.format == 1)
    path = write_setup_file(setup, args.out)
    school = setup["school"]
    result = {"setup_file": str(path), "school_code": school["code"], "school_name": school["name"],
              "category": school["category"], "stages": school["stages"], "district_code": setup["district"]["code"]}
    emit(args, result, f"已登记学校 {school['name']}（{school['code']}），设置文件：{path}"
                       "（内含密钥，请只交给该校）")
    return 0


def cmd_init_school(args: argparse.Namespace) -> int:
    from ..setup import create_school

    if args.admin:
        from ..services.offices import create_school_hub
        db, _user = create_school_hub(args.db, args.setup, _admin(args))
    else:
        db = create_school(args.db, args.setup)
    result = {"db": args.db, "kind": db.kind, "school_code": db.school_code,
              "school_name": db.settings.get("school_name", ""), "district_code": db.district_code, **_sealed(db)}
    db.close()
    emit(args, result, f"已创建学校数据库 {args.db}（{result['school_name']}，代码 {result['school_code']}）"
                       + _recovery_note(result))
    return 0


def _exists(target: str) -> bool:
    """Is there already a database at ``target`` (a non-empty file, or a URL with tables)?"""
    from sqlalchemy import inspect

    from ..db import make_engine, sqlite_path, to_url

    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        return path.exists() and path.stat().st_size > 0
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import DEMO_PASSWORD, check_demo_size, demo_setup, fill_demo
    from ..errors import ValidationError

    started = time.perf_counter()
    check_demo_size(args.students, args.terms)
    if _exists(args.db):
        if args.setup:
            raise ValidationError("数据库已存在：--setup 只用于新建数据库", "the database already exists: --setup is only "
                                  "for a new database", field="setup", value=args.setup)
        with open_db(args) as db:
            counts = fill_demo(db, students=args.students, terms=args.terms, seed=args.seed)
        encrypted = None
    else:
        counts, encrypted = _new_demo_school(args, args.setup if args.setup else demo_setup())
    seconds = round(time.perf_counter() - started, 2)
    result = {"db": args.db, "seed": args.seed, "students": counts.get("student", 0), "rows": counts,
              "total_rows": sum(counts.values()), "seconds": seconds, "demo_password": DEMO_PASSWORD}
    human = (f"演示数据已写入 {args.db}：{result['students']} 名学生，共 {result['total_rows']} 行，"
             f"用时 {seconds} 秒。账号 admin / adviser0701 / teacher01 …，密码 {DEMO_PASSWORD}")
    if encrypted:
        result["encrypted"] = True
        human += (f"\n数据库已加密：命令行请用 --user admin 登录（环境变量 GROWTHDESK_PASSWORD={DEMO_PASSWORD}）"
                  f" (encrypted: log in with --user admin, password {DEMO_PASSWORD})")
    emit(args, result, human)
    return 0


def _new_demo_school(args: argparse.Namespace, setup) -> tuple[dict, bool]:
    """A new demo school sealed at rest like the app's: SQLCipher, a key slot per demo account
    (the printed demo password opens it), a recovery key kept for an admin (demo data: not
    shown). A PostgreSQL URL stays as it is (disk encryption and TLS there). Nothing half-made
    is left behind."""
    from ..demo import fill_demo
    from ..security import finish_encrypted_setup
    from ..setup import create_school
    db = create_school(args.db, setup, encrypt=True)
    encrypted = db.key is not None
    try:
        counts = fill_demo(db, students=args.students, terms=args.terms, seed=args.seed)
        finish_encrypted_setup(db)
    except BaseException:
        path = db.path
        db.close()
        if path is not None:
            for suffix in ("", "-wal", "-shm", ".keys", ".lockout"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    db.close()
    return counts, encrypted


def _encrypted_or_has_login(args) -> bool:
    from ..db import is_encrypted, sqlite_path, to_url
    path = sqlite_path(to_url(args.db))
    return bool(getattr(args, "user", None)) or (path is not None and is_encrypted(path))


def cmd_backup(args: argparse.Namespace) -> int:
    from ..backup import backup

    if _encrypted_or_has_login(args):
        with open_db(args) as db:
            info = backup(db, args.out)
    else:
        info = backup(args.db, args.out)
    emit(args, info.to_dict(), f"已备份到 {info.path}（{info.size} 字节，完整性检查通过）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import restore

    if _encrypted_or_has_login(args):
        with open_db(args) as db:
            result = restore(db, Path(args.file), force=args.force)
    else:
        result = restore(args.db, Path(args.file), force=args.force)
    safety = result["safety_copy"]
    emit(args, result, f"已从 {result['restored_from']} 恢复 {result['db']}"
                       + (f"；原数据库的安全副本：{safety}" if safety else ""))
    return 0
