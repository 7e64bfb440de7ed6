"""Setting up from the app: a district office with its first administrator, a school from its
setup file with its first administrator, and the district's register of schools (register,
save each school's setup file, re-issue it, revoke a school's key). Qt-free: the start dialog
and the district window call these through ``ui.ops``; the CLI uses the same functions.

Nothing is left half-made: the administrator's fields are checked before a database file is
created, and a database whose administrator could not be written is removed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..db import Database, sqlite_path, to_url
from ..errors import DatabaseError, NotFoundError, ValidationError
from ..models import ImportLog, School, User
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
        users._check_password(self.password, self.login)
        if self.confirm is not None and self.password != self.confirm:
            raise ValidationError("两次输入的密码不一致", "the passwords differ", field="confirm")
        return Admin(login, name, self.password, self.confirm)


def _remove_database(db: Database, target: str | Path) -> None:
    db.close()
    path = sqlite_path(to_url(target))
    if path is not None:
        for suffix in ("", "-wal", "-shm", ".keys"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _with_admin(make, target: str | Path, admin: Admin, role: str) -> tuple[Database, User]:
    admin = admin.check()
    db = make()
    try:
        with db.session(user=admin.login) as s:
            user = users.create_user(s, admin.login, admin.display_name, role, admin.password)
            s.expunge(user)
        # Sealed at rest from the start: the admin's key slot and a recovery key, shown once
        # (``db.recovery_key_shown``; an admin can show it again).
        from ..security import finish_encrypted_setup
        db.recovery_key_shown = finish_encrypted_setup(db)
    except BaseException:
        _remove_database(db, target)
        raise
    return db, user


def create_district_office(target: str | Path, code: str, name: str, admin: Admin, *,
                           kdf=None) -> tuple[Database, User]:
    """A new district database and its first administrator (role 区教育局)."""
    from ..setup import check_district_code, create_district
    check_district_code(code)
    return _with_admin(lambda: create_district(target, code, name, encrypt=True, kdf=kdf), target, admin,
                       "district_staff")


def create_school_hub(target: str | Path, setup: str | Path | dict, admin: Admin, *,
                      kdf=None) -> tuple[Database, User]:
    """A new school database (the school's hub) from the district's setup file, and its first
    administrator (role 学校管理员)."""
    from ..setup import create_school, read_setup_file, validate_setup
    doc = validate_setup(setup) if isinstance(setup, dict) else read_setup_file(setup)
    return _with_admin(lambda: create_school(target, doc, encrypt=True, kdf=kdf), target, admin, "school_admin")


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
    """Every registered school: code, name, category and stages (as labels), its key's status
    (``pending``: setup file issued, no bundle yet; ``active``; ``revoked``; ``legacy``: a
    format-1 school) and how many bundles were imported from it."""
    from ..sync import nodes
    _require_district(db)
    peers = {p["node_id"]: p for p in nodes.list_peers(db) if p["relation"] == "child"}
    with db.session() as s:
        counts = dict(s.execute(select(ImportLog.school_code, func.count()).where(ImportLog.result == "imported")
                                .group_by(ImportLog.school_code)).all())
        rows = []
        for school in s.scalars(select(School).order_by(School.code)):
            stages = [x for x in (school.stages or "").split(",") if x]
            sep = "、" if lang.startswith("zh") else ", "
            peer = peers.get(school.code)
            status = peer["status"] if peer else "legacy"
            rows.append({"code": school.code, "name": school.name, "category": school.category,
                         "category_label": label(SCHOOL_CATEGORIES, school.category, lang),
                         "stages": stages, "stages_label": sep.join(label(STAGES, x, lang) for x in stages),
                         "status": status, "revoked": status == "revoked", "bundles": int(counts.get(school.code, 0))})
    return rows


def register_school(db: Database, code: str, name: str, category: str, stages: Any,
                    out: str | Path) -> dict[str, Any]:
    """Register a school and write its setup file to ``out`` (it holds the one-time enrollment
    secret: for that school only)."""
    from ..setup import add_school, write_setup_file
    _require_district(db)
    setup = add_school(db, code, name, category, stages)
    path = write_setup_file(setup, out)
    return {"school_code": setup["school"]["code"], "school_name": setup["school"]["name"], "setup_file": str(path)}


def reissue_setup(db: Database, code: str, out: str | Path) -> dict[str, Any]:
    """A new setup file for a registered school (it lost the file, its PC was replaced or stolen,
    or its key was revoked): a fresh enrollment, so whatever keys the school had stop working.
    The school loads it in GrowthDesk (a new database, or 文件 → 载入新的设置文件 on the existing one)."""
    from ..setup import reissue_school_setup, write_setup_file
    _require_district(db)
    setup = reissue_school_setup(db, str(code or "").strip())
    path = write_setup_file(setup, out)
    return {"school_code": setup["school"]["code"], "school_name": setup["school"]["name"], "setup_file": str(path)}


def revoke_school(db: Database, code: str, *, user: str = "") -> dict[str, Any]:
    """Revoke a school's key (a stolen PC, a lost setup file): every bundle it sends is refused
    from now on, until the school is enrolled again with a re-issued setup file."""
    from ..sync import nodes
    _require_district(db)
    with db.session() as s:
        school = _school(s, code)
        name = school.name
    peer = nodes.revoke(db, school.code, user=user or "district")
    return {"school_code": school.code, "school_name": name, "revoked": peer["status"] == "revoked"}


def _school(s, code: str) -> School:
    school = s.get(School, str(code or "").strip())
    if school is None:
        raise NotFoundError(f"没有登记代码为 {code} 的学校", f"no school with the code {code!r} is registered",
                            field="school_code", value=code)
    return school


def enroll_existing_school(db: Database, setup: str | Path) -> dict[str, Any]:
    """School side: an existing school database takes a re-issued setup file (new keys here,
    the district's keys pinned). Refuses a file for another school."""
    from ..setup import enroll_school
    return enroll_school(db, setup)


# ---------------------------------------------------------------- workstations (the hub's side)

def add_workstation(db: Database, name: str, out: str | Path, *, reissue: str | None = None) -> dict[str, Any]:
    """The hub makes a workstation setup file (a new workstation, or ``reissue`` for an existing
    one whose PC was replaced) and writes it to ``out``."""
    from ..commands.sync import write_setup_file_any
    from ..setup import add_workstation as make
    setup = make(db, name, reissue=reissue)
    path = write_setup_file_any(setup, out)
    return {"node_id": setup["node"]["node_id"], "name": setup["node"]["name"], "setup_file": str(path)}


def list_workstations(db: Database) -> list[dict[str, Any]]:
    from ..sync import nodes
    return [p for p in nodes.list_peers(db) if p["relation"] == "child" and p["role"] == "workstation"]


def revoke_workstation(db: Database, node_id: str, *, user: str = "") -> dict[str, Any]:
    from ..sync import nodes
    return nodes.revoke(db, node_id, user=user or "admin")


def join_school(target: str | Path, setup: str | Path, folder: str | Path | None = None) -> tuple[Database, dict]:
    """This PC becomes a workstation of its school from the hub's workstation setup file; with
    the sync folder given, its first sync round runs at once (it presents this PC's keys to the
    hub). Returns the database and the round's result (or {})."""
    from ..setup import create_workstation
    from ..sync.folder import check_folder, sync_folder
    if folder:
        check_folder(folder)  # before anything is made: a folder that is not there is said now
    db = create_workstation(target, setup)
    result: dict = {}
    if folder:
        try:
            result = sync_folder(db, folder)
        except Exception:
            db.close()
            raise
    return db, result


SYNC_FOLDER_SETTING = "sync_folder"


def set_sync_folder(db: Database, folder: str | Path) -> None:
    """Remember this PC's sync folder in its database (``gd_setting.sync_folder``; never travels)."""
    from ..db import write_settings
    with db.session(user="setup") as s:
        write_settings(s, {SYNC_FOLDER_SETTING: str(folder)})
    db.reload_settings()


def sync_folder_of(db: Database) -> str:
    return db.settings.get(SYNC_FOLDER_SETTING, "")


def workstation_status(db: Database) -> dict[str, Any]:
    """A workstation without accounts yet: which school and node it is, how many accounts it
    has (they arrive with the hub's merged school at a later sync round)."""
    from ..models import User as _User
    with db.session() as s:
        accounts = s.scalar(select(func.count()).select_from(_User)) or 0
    return {"node_id": db.settings.get("node_id", ""), "school_name": db.settings.get("school_name", ""),
            "accounts": int(accounts)}


__all__ = ["Admin", "create_district_office", "create_school_hub", "setup_summary", "list_schools",
           "register_school", "reissue_setup", "revoke_school", "enroll_existing_school", "add_workstation",
           "list_workstations", "revoke_workstation", "join_school", "workstation_status", "default_database_name"]
