"""Setting up from the app: a district office with its first administrator, a school from its
setup file with its first administrator, and the district's register of schools (register,
save each school's setup file, re-issue it, revoke a school's key). Qt-free: the start dialog
and the district window call these through ``ui.ops``; the CLI uses the same functions.

Nothing is left half-made: the administrator's fields are checked before a database file is
created, and a database whose administrator could not be written is removed again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..db import Database, sqlite_path, to_url
from ..errors import DatabaseError, NotFoundError, ValidationError
from ..models import ImportLog, Rubric, School, User
from ..models.enums import SCHOOL_CATEGORIES, STAGES, label
from . import users
from ._common import required_text


@dataclass
class Admin:
    """The first administrator of a new database, as typed in the dialog or on the command line."""

    login: str
    display_name: str
    password: str
    confirm: str | None = None

    def check(self) -> "Admin":
        """The same checks ``users.create_user`` makes, before anything exists on disk."""
        login = required_text(self.login, "login", "登录名", 64).lower()
        name = required_text(self.display_name, "display_name", "姓名", 50)
        users._check_password(self.password)
        if self.confirm is not None and self.password != self.confirm:
            raise ValidationError("两次输入的密码不一致", "the passwords differ", field="confirm")
        return Admin(login, name, self.password, self.confirm)


def _remove_database(db: Database, target: str | Path) -> None:
    db.close()
    path = sqlite_path(to_url(target))
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _with_admin(make, target: str | Path, admin: Admin, role: str) -> tuple[Database, User]:
    admin = admin.check()
    db = make()
    try:
        with db.session(user=admin.login) as s:
            user = users.create_user(s, admin.login, admin.display_name, role, admin.password)
            s.expunge(user)
    except BaseException:
        _remove_database(db, target)
        raise
    return db, user


def create_district_office(target: str | Path, code: str, name: str, admin: Admin) -> tuple[Database, User]:
    """A new district database and its first administrator (role 区教育局)."""
    from ..setup import check_district_code, create_district
    check_district_code(code)
    return _with_admin(lambda: create_district(target, code, name), target, admin, "district_staff")


def create_school_hub(target: str | Path, setup: str | Path | dict, admin: Admin) -> tuple[Database, User]:
    """A new school database (the school's hub) from the district's setup file, and its first
    administrator (role 学校管理员)."""
    from ..setup import create_school, read_setup_file, validate_setup
    doc = validate_setup(setup) if isinstance(setup, dict) else read_setup_file(setup)
    return _with_admin(lambda: create_school(target, doc), target, admin, "school_admin")


def setup_summary(path: str | Path) -> dict[str, Any]:
    """What a school setup file is for (shown before the school is created), or a clear error."""
    from ..setup import read_setup_file
    doc = read_setup_file(path)
    return {"school_code": doc["school"]["code"], "school_name": doc["school"]["name"],
            "district_code": doc["district"]["code"], "district_name": doc["district"]["name"],
            "category": doc["school"]["category"], "stages": list(doc["school"]["stages"])}


def default_database_name(code: str) -> str:
    """``S0001.db``: a file name from a school or district code (codes are letters, digits, '-')."""
    return f"{code}.db"


# ---------------------------------------------------------------- the district's schools

def _require_district(db: Database) -> None:
    if db.kind != "district":
        raise DatabaseError("这不是区级数据库", "this is not a district database", field="db", value=db.kind)


def list_schools(db: Database, lang: str = "zh_CN") -> list[dict[str, Any]]:
    """Every registered school: code, name, category and stages (as labels), whether its key is
    revoked, and how many bundles were imported from it."""
    _require_district(db)
    revoked = revoked_schools(db)
    with db.session() as s:
        counts = dict(s.execute(select(ImportLog.school_code, func.count()).where(ImportLog.result == "imported")
                                .group_by(ImportLog.school_code)).all())
        rows = []
        for school in s.scalars(select(School).order_by(School.code)):
            stages = [x for x in (school.stages or "").split(",") if x]
            sep = "、" if lang.startswith("zh") else ", "
            rows.append({"code": school.code, "name": school.name, "category": school.category,
                         "category_label": label(SCHOOL_CATEGORIES, school.category, lang),
                         "stages": stages, "stages_label": sep.join(label(STAGES, x, lang) for x in stages),
                         "revoked": school.code in revoked, "bundles": int(counts.get(school.code, 0))})
    return rows


def register_school(db: Database, code: str, name: str, category: str, stages: Any,
                    out: str | Path) -> dict[str, Any]:
    """Register a school and write its setup file to ``out`` (it holds keys: for that school only)."""
    from ..setup import add_school, write_setup_file
    _require_district(db)
    setup = add_school(db, code, name, category, stages)
    path = write_setup_file(setup, out)
    return {"school_code": setup["school"]["code"], "school_name": setup["school"]["name"], "setup_file": str(path)}


def _school(s, code: str) -> School:
    school = s.get(School, str(code or "").strip())
    if school is None:
        raise NotFoundError(f"没有登记代码为 {code} 的学校", f"no school with the code {code!r} is registered",
                            field="school_code", value=code)
    return school


def reissue_setup(db: Database, code: str, out: str | Path) -> dict[str, Any]:
    """Write the setup file of a registered school again (it was lost, or the school's PC was
    replaced): the same school, key and secret, with the district's current rubric."""
    from ..setup import SETUP_FORMAT, SETUP_VERSION, _now_iso, default_rubric, write_setup_file
    _require_district(db)
    if code in revoked_schools(db):
        raise ValidationError(f"学校 {code} 的密钥已吊销；请先恢复（重新启用）再生成设置文件",
                              f"the key of school {code} is revoked; re-enable it before issuing a setup file",
                              field="school_code", value=code)
    with db.session() as s:
        school = _school(s, code)
        rubric = s.scalars(select(Rubric).where(Rubric.active.is_(True))).first()
        setup = {"format": SETUP_FORMAT, "version": SETUP_VERSION,
                 "district": {"code": db.district_code, "name": db.settings.get("district_name", "")},
                 "school": {"code": school.code, "name": school.name, "category": school.category,
                            "stages": [x for x in school.stages.split(",") if x]},
                 "sync_key": school.sync_key, "person_key_secret": db.settings["person_key_secret"],
                 "rubric": json.loads(rubric.document) if rubric else default_rubric(), "created_at": _now_iso()}
    path = write_setup_file(setup, out)
    return {"school_code": school.code, "school_name": school.name, "setup_file": str(path)}


REVOKED_SETTING = "revoked_schools"


def revoked_schools(db: Database) -> set[str]:
    return {x for x in db.settings.get(REVOKED_SETTING, "").split(",") if x}


def revoke_school(db: Database, code: str, *, restore: bool = False) -> dict[str, Any]:
    """Revoke a school's key (a stolen PC, a lost setup file): its bundles are refused from now
    on, until the key is enabled again (``restore``)."""
    from ..db import write_settings
    _require_district(db)
    with db.session(user="district") as s:
        school = _school(s, code)
        now = revoked_schools(db)
        now = (now - {school.code}) if restore else (now | {school.code})
        write_settings(s, {REVOKED_SETTING: ",".join(sorted(now))})
        result = {"school_code": school.code, "school_name": school.name, "revoked": not restore}
    db.reload_settings()
    return result


__all__ = ["Admin", "create_district_office", "create_school_hub", "setup_summary", "list_schools",
           "register_school", "reissue_setup", "revoke_school", "revoked_schools", "default_database_name"]
