"""Create district and school databases, school setup files, and load reference data.

The district makes its database (``create_district``), registers each school
(``add_school`` → a setup dict written with ``write_setup_file``) and hands the file to the
school, which makes its own database from it (``create_school``). The setup file carries the
school's identity, the district's person-key secret, the school's bundle-signing key and the
district's rubric, so both sides agree on them without a network. Qt-free.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from datetime import datetime, timezone
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select

from . import __version__
from .db import Database, open_database, sqlite_path, to_url, write_settings
from .errors import DatabaseError, ValidationError
from .models import Rubric, School
from .models.enums import SCHOOL_CATEGORIES, STAGES
from .paths import resource
from .services import competitions as competition_service
from .services import rubric as rubric_service
from .services import terms

SETUP_FORMAT = "growthdesk-school-setup"
SETUP_VERSION = 1
CATALOG_FORMAT = "growthdesk-competition-catalog"
SCHOOL_CODE_RE = re.compile(r"[A-Za-z0-9-]{4,16}")
DISTRICT_CODE_RE = re.compile(r"[A-Za-z0-9-]{2,16}")
HEX64_RE = re.compile(r"[0-9a-f]{64}")
SETUP_USER = "setup"


# ---------------------------------------------------------------- validation helpers

def _check_code(value: Any, field: str, pattern: re.Pattern, zh_what: str, lo: int) -> str:
    code = str(value or "").strip()
    if not pattern.fullmatch(code):
        raise ValidationError(f"{zh_what}代码无效：{code or '（空）'}（应为 {lo}–16 位字母、数字或“-”）",
                              f"invalid {field}: {code!r} ({lo}-16 letters, digits or '-')",
                              field=field, value=value)
    return code


def check_school_code(value: Any) -> str:
    return _check_code(value, "school_code", SCHOOL_CODE_RE, "学校", 4)


def check_district_code(value: Any) -> str:
    return _check_code(value, "district_code", DISTRICT_CODE_RE, "区", 2)


def _check_name(value: Any, field: str, zh_what: str, max_len: int = 100) -> str:
    name = str(value or "").strip()
    if not name:
        raise ValidationError(f"请填写{zh_what}名称", f"{field} is required", field=field)
    if len(name) > max_len:
        raise ValidationError(f"{zh_what}名称过长（最多 {max_len} 字）", f"{field} is too long (at most {max_len})",
                              field=field, value=name)
    return name


def _check_category(value: Any) -> str:
    cat = str(value or "").strip()
    for code, (zh, en) in SCHOOL_CATEGORIES.items():
        if cat in (code, zh) or cat.lower() == en.lower():
            return code
    raise ValidationError(f"学校类别无效：{cat or '（空）'}；可选：城区、镇区、乡村（urban/town/rural）",
                          f"invalid school category {cat!r}; valid: urban, town, rural", field="category", value=value)


def check_stages(value: Any) -> list[str]:
    """``"junior"``, ``"primary,junior"``, ``["初中"]`` … → ordered list of stage codes."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,，、\s]+", str(value or ""))
    out = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        code = next((c for c, (zh, en) in STAGES.items() if item in (c, zh) or item.lower() == en.lower()), None)
        if code is None:
            raise ValidationError(f"学段无效：{item}；可选：小学、初中、高中（primary/junior/senior）",
                                  f"invalid stage {item!r}; valid: primary, junior, senior", field="stages", value=value)
        if code not in out:
            out.append(code)
    if not out:
        raise ValidationError("请至少选择一个学段", "give at least one stage", field="stages", value=value)
    return [s for s in STAGES if s in out]


# ---------------------------------------------------------------- reference data

def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def default_rubric() -> dict:
    return load_json(resource("reference", "rubric_default.json"))


def national_catalog() -> dict:
    doc = load_json(resource("reference", "competitions_national.json"))
    if doc.get("format") != CATALOG_FORMAT:
        raise ValidationError("竞赛名单文件格式不对", "the competition catalog file has the wrong format",
                              field="format", value=doc.get("format"))
    return doc


def _check_rubric(doc: Any) -> dict:
    """The rubric service's full check (dimensions, scale, weights); returns the document."""
    if not isinstance(doc, dict):
        raise ValidationError("设置文件中的评价方案格式不对", "the rubric in the setup file is not a JSON object",
                              field="rubric")
    rubric_service.load_rubric(doc)
    return doc


def install_rubric(s, doc: dict):
    return rubric_service.install_rubric(s, doc)


def load_national_catalog(s) -> int:
    return competition_service.load_national_catalog(s)


def _ensure_current_terms(s) -> list[str]:
    current = terms.current_term_code()
    codes = [terms.previous_term_code(current), current]
    for code in codes:
        terms.ensure_term(s, code)
    return codes


# ---------------------------------------------------------------- databases

def _refuse_existing(target: str | Path) -> None:
    """Never initialise over data: a non-empty SQLite file or a URL database with tables."""
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            raise DatabaseError(f"数据库文件已存在且不是空的：{path}（不会覆盖）",
                                f"the database file already exists and is not empty: {path} (not overwritten)",
                                field="db", value=str(path))
        return
    if url.startswith("sqlite"):
        return  # in-memory SQLite: always new
    from .db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise DatabaseError("目标数据库已有数据表（不会覆盖）", "the target database already has tables (not overwritten)",
                            field="db", value=url)


@contextlib.contextmanager
def _new_database(target: str | Path) -> Iterator[Database]:
    """Open a new database for initialising; if that fails, remove the file it made, so a
    second try does not meet a half-made database."""
    _refuse_existing(target)
    path = sqlite_path(to_url(target))
    db = open_database(target, create=True)
    try:
        yield db
    except BaseException:
        db.close()
        if path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    db.reload_settings()


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def create_district(target: str | Path, code: str, name: str) -> Database:
    """A new district database with its person-key secret, the default rubric and the national list."""
    code = check_district_code(code)
    name = _check_name(name, "district_name", "区")
    with _new_database(target) as db, db.session(user=SETUP_USER) as s:
        write_settings(s, {"kind": "district", "district_code": code, "district_name": name,
                           "person_key_secret": secrets.token_hex(32), "created_at": _now_iso(),
                           "created_by_version": __version__})
        install_rubric(s, default_rubric())
        load_national_catalog(s)
        _ensure_current_terms(s)
    return db


def _require_kind(db: Database, kind: str) -> None:
    if db.kind != kind:
        what = {"district": ("区级数据库", "a district database"), "school": ("学校数据库", "a school database")}[kind]
        raise DatabaseError(f"这不是{what[0]}（而是：{db.kind or '未初始化'}）",
                            f"this is not {what[1]} (it is: {db.kind or 'uninitialised'})", field="db", value=db.kind)


def add_school(district_db: Database, code: str, name: str, category: str, stages: Any = "junior") -> dict:
    """Register a school with the district; returns its setup dict (see ``write_setup_file``)."""
    _require_kind(district_db, "district")
    code = check_school_code(code)
    name = _check_name(name, "school_name", "学校")
    category = _check_category(category)
    stage_list = check_stages(stages)
    sync_key = secrets.token_hex(32)
    with district_db.session(user=SETUP_USER) as s:
        if s.get(School, code) is not None:
            raise ValidationError(f"学校代码 {code} 已经登记过", f"school code {code} is already registered",
                                  field="school_code", value=code)
        s.add(School(code=code, name=name, district_code=district_db.district_code, category=category,
                     stages=",".join(stage_list), sync_key=sync_key))
        rubric = s.scalars(select(Rubric).where(Rubric.active.is_(True))).first()
        rubric_doc = json.loads(rubric.document) if rubric else default_rubric()
    return {"format": SETUP_FORMAT, "version": SETUP_VERSION,
            "district": {"code": district_db.district_code, "name": district_db.settings.get("district_name", "")},
            "school": {"code": code, "name": name, "category": category, "stages": stage_list},
            "sync_key": sync_key, "person_key_secret": district_db.settings["person_key_secret"],
            "rubric": rubric_doc, "created_at": _now_iso()}


def write_setup_file(setup: dict, path: str | Path) -> Path:
    """Write the setup file (it holds keys: hand it to the school only)."""
    validate_setup(setup)
    from .outfiles import atomic_output

    path = Path(path)
    with atomic_output(path, mode=0o600) as tmp:  # keys inside: owner-only where the file system allows it
        tmp.write_text(json.dumps(setup, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_setup_file(path: str | Path) -> dict:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"找不到设置文件：{path}", f"setup file not found: {path}", field="setup", value=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"无法读取设置文件：{path}", f"cannot read the setup file {path}: {exc}",
                              field="setup", value=str(path))
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"设置文件不是有效的 JSON（第 {exc.lineno} 行）", f"the setup file is not valid JSON: {exc}",
                              field="setup", value=str(path), row=exc.lineno)
    return validate_setup(doc)


def _setup_field(doc: dict, dotted: str) -> Any:
    cur: Any = doc
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            raise ValidationError(f"设置文件缺少字段：{dotted}", f"the setup file lacks the field {dotted!r}",
                                  field=dotted)
        cur = cur[part]
    return cur


def validate_setup(doc: Any) -> dict:
    """Check a setup dict completely; raises ValidationError naming the field."""
    if not isinstance(doc, dict) or doc.get("format") != SETUP_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise ValidationError(f"这不是 GrowthDesk 学校设置文件（format 应为 {SETUP_FORMAT}）",
                              f"not a GrowthDesk school setup file (format should be {SETUP_FORMAT!r}, got {got!r})",
                              field="format", value=got)
    version = doc.get("version")
    if version != SETUP_VERSION:
        newer = isinstance(version, int) and version > SETUP_VERSION
        raise ValidationError(
            f"设置文件版本 {version} 不受支持" + ("（由更新版本的 GrowthDesk 生成，请升级本软件）" if newer else ""),
            f"setup file version {version!r} is not supported" + (" (made by a newer GrowthDesk; upgrade)" if newer else ""),
            field="version", value=version)
    check_district_code(_setup_field(doc, "district.code"))
    _check_name(_setup_field(doc, "district.name"), "district.name", "区")
    check_school_code(_setup_field(doc, "school.code"))
    _check_name(_setup_field(doc, "school.name"), "school.name", "学校")
    _check_category(_setup_field(doc, "school.category"))
    check_stages(_setup_field(doc, "school.stages"))
    for key in ("sync_key", "person_key_secret"):
        if not HEX64_RE.fullmatch(str(_setup_field(doc, key))):
            raise ValidationError(f"设置文件中的 {key} 无效（应为 64 位十六进制）",
                                  f"invalid {key} in the setup file (64 lower-case hex digits expected)", field=key)
    _check_rubric(_setup_field(doc, "rubric"))
    return doc


def create_school(target: str | Path, setup: str | Path | dict) -> Database:
    """A new school database from the district's setup file (a path, or the dict itself)."""
    doc = validate_setup(setup) if isinstance(setup, dict) else read_setup_file(setup)
    school, district = doc["school"], doc["district"]
    stages = check_stages(school["stages"])
    with _new_database(target) as db, db.session(user=SETUP_USER) as s:
        write_settings(s, {"kind": "school", "school_code": school["code"], "school_name": school["name"],
                           "district_code": district["code"], "district_name": district["name"],
                           "person_key_secret": doc["person_key_secret"], "school_category": school["category"],
                           "school_stages": ",".join(stages), "created_at": _now_iso(),
                           "created_by_version": __version__})
        s.add(School(code=school["code"], name=school["name"], district_code=district["code"],
                     category=_check_category(school["category"]), stages=",".join(stages),
                     sync_key=doc["sync_key"]))
        install_rubric(s, doc["rubric"])
        load_national_catalog(s)
        _ensure_current_terms(s)
    return db


def school_sync_key(db: Database) -> str:
    """The key that signs this school's bundles (school side) — from its School row."""
    with db.session() as s:
        row = s.get(School, db.school_code)
        return row.sync_key if row and row.sync_key else ""


__all__ = ["create_district", "add_school", "write_setup_file", "read_setup_file", "validate_setup", "create_school",
           "check_school_code", "check_district_code", "check_stages", "install_rubric", "load_national_catalog",
           "default_rubric", "national_catalog", "school_sync_key"]
