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
from .errors import DatabaseError, NotFoundError, ValidationError
from .models import Rubric, School, Setting
from .models.enums import SCHOOL_CATEGORIES, STAGES
from .paths import resource
from .services import competitions as competition_service
from .services import rubric as rubric_service
from .services import terms
from .sync import nodes

SETUP_FORMAT = "growthdesk-school-setup"
SETUP_VERSION = 2          # format 2: the district's public keys + a one-time enrollment secret
LEGACY_SETUP_VERSION = 1   # format 1: the school's sync_key + the district's person-key secret
WORKSTATION_FORMAT = "growthdesk-workstation-setup"
WORKSTATION_VERSION = 1
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
def _new_database(target: str | Path, encrypt: bool = False, kdf=None) -> Iterator[Database]:
    """Open a new database for initialising; if that fails, remove the file it made, so a
    second try does not meet a half-made database. ``encrypt``: a new SQLCipher file with its
    key file (``growthdesk.security.create_encrypted``)."""
    _refuse_existing(target)
    path = sqlite_path(to_url(target))
    if encrypt and path is not None:
        from .security import create_encrypted
        db = create_encrypted(target, kdf=kdf)
    else:
        db = open_database(target, create=True, kdf=kdf)
    try:
        yield db
    except BaseException:
        db.close()
        if path is not None:
            for suffix in ("", "-wal", "-shm", ".keys"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    db.reload_settings()


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def create_district(target: str | Path, code: str, name: str, *, encrypt: bool = False, kdf=None) -> Database:
    """A new district database with its person-key secret, the default rubric and the national list.
    ``encrypt``: SQLCipher (then add the first account and call ``security.finish_encrypted_setup``)."""
    code = check_district_code(code)
    name = _check_name(name, "district_name", "区")
    with _new_database(target, encrypt, kdf) as db, db.session(user=SETUP_USER) as s:
        write_settings(s, {"kind": "district", "district_code": code, "district_name": name,
                           "person_key_secret": secrets.token_hex(32), "created_at": _now_iso(),
                           "created_by_version": __version__})
        nodes.make_identity(s, code, "district")
        install_rubric(s, default_rubric())
        load_national_catalog(s)
        _ensure_current_terms(s)
    return db


def _require_kind(db: Database, kind: str) -> None:
    if db.kind != kind:
        what = {"district": ("区级数据库", "a district database"), "school": ("学校数据库", "a school database")}[kind]
        raise DatabaseError(f"这不是{what[0]}（而是：{db.kind or '未初始化'}）",
                            f"this is not {what[1]} (it is: {db.kind or 'uninitialised'})", field="db", value=db.kind)


def add_school(district_db: Database, code: str, name: str, category: str, stages: Any = "junior", *,
               legacy: bool = False) -> dict:
    """Register a school with the district; returns its setup dict (see ``write_setup_file``).

    Format 2 (default): the setup carries the district's public keys and a one-time enrollment
    secret; the school makes its own keys and the district pins them from its first bundle. No
    shared key and no district-wide secret reach the school. ``legacy`` makes a format-1 setup
    (``sync_key`` + ``person_key_secret``), still accepted for one release."""
    _require_kind(district_db, "district")
    code = check_school_code(code)
    name = _check_name(name, "school_name", "学校")
    category = _check_category(category)
    stage_list = check_stages(stages)
    sync_key = secrets.token_hex(32) if legacy else None
    with district_db.session(user=SETUP_USER) as s:
        if s.get(School, code) is not None:
            raise ValidationError(f"学校代码 {code} 已经登记过（如需重新生成设置文件，请用“重新签发”）",
                                  f"school code {code} is already registered (use --reissue for a new setup file)",
                                  field="school_code", value=code)
        s.add(School(code=code, name=name, district_code=district_db.district_code, category=category,
                     stages=",".join(stage_list), sync_key=sync_key))
        secret = None if legacy else nodes.open_enrollment(s, code, "hub", name, code)
        rubric_doc = _active_rubric(s)
    school = {"code": code, "name": name, "category": category, "stages": stage_list}
    if legacy:
        return {"format": SETUP_FORMAT, "version": LEGACY_SETUP_VERSION, "district": _district_card(district_db),
                "school": school, "sync_key": sync_key, "person_key_secret": district_db.settings["person_key_secret"],
                "rubric": rubric_doc, "created_at": _now_iso()}
    return _setup_v2(district_db, school, secret, rubric_doc)


def reissue_school_setup(district_db: Database, code: str) -> dict:
    """A new format-2 setup file for a registered school: re-enrollment after a lost or stolen
    PC (the old keys stop working at once), or the upgrade of a format-1 school."""
    _require_kind(district_db, "district")
    code = check_school_code(code)
    with district_db.session(user=SETUP_USER) as s:
        row = s.get(School, code)
        if row is None:
            raise NotFoundError(f"学校 {code} 尚未登记", f"school {code} is not registered", field="school_code",
                                value=code)
        secret = nodes.open_enrollment(s, code, "hub", row.name, code)
        school = {"code": code, "name": row.name, "category": row.category,
                  "stages": check_stages(row.stages)}
        rubric_doc = _active_rubric(s)
    return _setup_v2(district_db, school, secret, rubric_doc)


def _active_rubric(s) -> dict:
    rubric = s.scalars(select(Rubric).where(Rubric.active.is_(True))).first()
    return json.loads(rubric.document) if rubric else default_rubric()


def _district_card(district_db: Database) -> dict:
    return {"code": district_db.district_code, "name": district_db.settings.get("district_name", "")}


def _setup_v2(district_db: Database, school: dict, secret: str, rubric_doc: dict) -> dict:
    me = nodes.identity(district_db)
    return {"format": SETUP_FORMAT, "version": SETUP_VERSION, "district": _district_card(district_db),
            "school": school, "node": {"node_id": school["code"], "role": "hub"},
            "parent": me.card(district_db.settings.get("district_name", "")),
            "enrollment_secret": secret, "rubric": rubric_doc, "created_at": _now_iso()}


def write_setup_file(setup: dict, path: str | Path) -> Path:
    """Write a school or workstation setup file (it holds a one-time secret: hand it to that
    school or PC only)."""
    if isinstance(setup, dict) and setup.get("format") == WORKSTATION_FORMAT:
        validate_workstation_setup(setup)
    else:
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
    """Check a setup dict completely (format 2, or format 1 still accepted); raises
    ValidationError naming the field."""
    if isinstance(doc, dict) and doc.get("format") == WORKSTATION_FORMAT:
        raise ValidationError("这是工作站设置文件，不是学校设置文件（请用“加入本校工作站”/ init-workstation）",
                              "this is a workstation setup file, not a school setup file (use init-workstation)",
                              field="format", value=WORKSTATION_FORMAT)
    if not isinstance(doc, dict) or doc.get("format") != SETUP_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise ValidationError(f"这不是 GrowthDesk 学校设置文件（format 应为 {SETUP_FORMAT}）",
                              f"not a GrowthDesk school setup file (format should be {SETUP_FORMAT!r}, got {got!r})",
                              field="format", value=got)
    version = doc.get("version")
    if version not in (SETUP_VERSION, LEGACY_SETUP_VERSION):
        newer = isinstance(version, int) and version > SETUP_VERSION
        raise ValidationError(
            f"设置文件版本 {version} 不受支持" + ("（由更新版本的 GrowthDesk 生成，请升级本软件）" if newer else ""),
            f"setup file version {version!r} is not supported" + (" (made by a newer GrowthDesk; upgrade)" if newer else ""),
            field="version", value=version)
    _check_identity_fields(doc)
    if version == LEGACY_SETUP_VERSION:
        for key in ("sync_key", "person_key_secret"):
            if not HEX64_RE.fullmatch(str(_setup_field(doc, key))):
                raise ValidationError(f"设置文件中的 {key} 无效（应为 64 位十六进制）",
                                      f"invalid {key} in the setup file (64 lower-case hex digits expected)", field=key)
    else:
        _check_enrollment_fields(doc)
        if _setup_field(doc, "parent.role") != "district" or doc["parent"]["node_id"] != doc["district"]["code"]:
            raise ValidationError("设置文件中的上级不是本区教育局", "the setup file's parent is not the district office",
                                  field="parent.node_id")
    _check_rubric(_setup_field(doc, "rubric"))
    return doc


def _check_identity_fields(doc: dict) -> None:
    check_district_code(_setup_field(doc, "district.code"))
    _check_name(_setup_field(doc, "district.name"), "district.name", "区")
    check_school_code(_setup_field(doc, "school.code"))
    _check_name(_setup_field(doc, "school.name"), "school.name", "学校")
    _check_category(_setup_field(doc, "school.category"))
    check_stages(_setup_field(doc, "school.stages"))


def _check_enrollment_fields(doc: dict) -> None:
    nodes.check_card(_setup_field(doc, "parent"))
    if not HEX64_RE.fullmatch(str(_setup_field(doc, "enrollment_secret"))):
        raise ValidationError("设置文件中的加入密钥无效（应为 64 位十六进制）",
                              "invalid enrollment_secret in the setup file (64 lower-case hex digits expected)",
                              field="enrollment_secret")
    node_id = _setup_field(doc, "node.node_id")
    if not isinstance(node_id, str) or not re.fullmatch(r"[A-Za-z0-9-]{2,40}", node_id):
        raise ValidationError("设置文件中的节点代码无效", "invalid node.node_id in the setup file", field="node.node_id",
                              value=node_id)


def create_school(target: str | Path, setup: str | Path | dict, *, encrypt: bool = False, kdf=None) -> Database:
    """A new school database (the school's hub) from the district's setup file (a path, or the dict).
    ``encrypt``: SQLCipher (then add the first account and call ``security.finish_encrypted_setup``)."""
    doc = validate_setup(setup) if isinstance(setup, dict) else read_setup_file(setup)
    school, district = doc["school"], doc["district"]
    stages = check_stages(school["stages"])
    legacy = doc["version"] == LEGACY_SETUP_VERSION
    with _new_database(target, encrypt, kdf) as db, db.session(user=SETUP_USER) as s:
        values = {"kind": "school", "school_code": school["code"], "school_name": school["name"],
                  "district_code": district["code"], "district_name": district["name"],
                  "school_category": school["category"], "school_stages": ",".join(stages),
                  "created_at": _now_iso(), "created_by_version": __version__}
        if legacy:
            values["person_key_secret"] = doc["person_key_secret"]
        write_settings(s, values)
        s.add(School(code=school["code"], name=school["name"], district_code=district["code"],
                     category=_check_category(school["category"]), stages=",".join(stages),
                     sync_key=doc["sync_key"] if legacy else None))
        nodes.make_identity(s, school["code"], "hub")
        if not legacy:
            nodes.pin_parent(s, doc["parent"], doc["enrollment_secret"])
        install_rubric(s, doc["rubric"])
        load_national_catalog(s)
        _ensure_current_terms(s)
    return db


def enroll_school(db: Database, setup: str | Path | dict, *, user: str = SETUP_USER) -> dict:
    """An existing school database takes a (re-issued) format-2 setup file: fresh key pairs made
    here, the district's keys pinned, and the format-1 secrets (``sync_key``, the district's
    person-key secret) removed from this database."""
    doc = validate_setup(setup) if isinstance(setup, dict) else read_setup_file(setup)
    if doc["version"] == LEGACY_SETUP_VERSION:
        raise ValidationError("这是格式1的旧设置文件，不能用于重新加入；请向区教育局索取新的设置文件",
                              "this is a format-1 setup file; ask the district for a new one", field="version", value=1)
    _require_kind(db, "school")
    if db.settings.get(nodes.NODE_ROLE) == "workstation":
        raise ValidationError("这是工作站数据库；学校设置文件只用于学校主机", "this is a workstation; a school setup "
                              "file is for the school hub", field="setup")
    _same_school(db, doc)
    with db.session(user=user) as s:
        nodes.renew_keys(s)
        nodes.pin_parent(s, doc["parent"], doc["enrollment_secret"])
        for key in ("person_key_secret",):
            row = s.get(Setting, key)
            if row is not None:
                s.delete(row)
        row = s.get(School, db.school_code)
        if row is not None:
            row.sync_key = None
    db.reload_settings()
    return {"school_code": db.school_code, "node_id": db.settings.get(nodes.NODE_ID),
            "parent_node_id": doc["parent"]["node_id"]}


def _same_school(db: Database, doc: dict) -> None:
    code, district = doc["school"]["code"], doc["district"]["code"]
    if code != db.school_code or district != db.district_code:
        raise ValidationError(f"设置文件属于另一所学校（{code}，{district}），本数据库是 {db.school_code}",
                              f"the setup file is for another school ({code}, {district}); this database is "
                              f"{db.school_code}", field="school.code", value=code)


# ---------------------------------------------------------------- workstations

def add_workstation(hub_db: Database, name: str, *, reissue: str | None = None) -> dict:
    """Hub side: enroll a new workstation (or re-enroll ``reissue``, e.g. ``S0001-W02``) and
    return its setup dict (write it with ``write_setup_file``)."""
    _require_kind(hub_db, "school")
    if hub_db.settings.get(nodes.NODE_ROLE) != "hub":
        raise ValidationError("只有学校主机可以添加工作站（这是工作站）", "only the school hub adds workstations",
                              field="db", value=hub_db.settings.get(nodes.NODE_ROLE))
    name = _check_name(name, "name", "工作站", 50)
    code = hub_db.school_code
    with hub_db.session(user=SETUP_USER) as s:
        if reissue:
            peer = nodes.get_peer(s, reissue)
            if peer.relation != "child" or peer.role != "workstation":
                raise ValidationError(f"{reissue} 不是本校的工作站", f"{reissue} is not a workstation of this school",
                                      field="node", value=reissue)
            node_id = reissue
        else:
            node_id = nodes.next_workstation_id(s, code)
        secret = nodes.open_enrollment(s, node_id, "workstation", name, code)
        rubric_doc = _active_rubric(s)
        row = s.get(School, code)
        stages = check_stages(row.stages if row else hub_db.settings.get("school_stages", "junior"))
        category = row.category if row else hub_db.settings.get("school_category", "urban")
    me = nodes.identity(hub_db)
    return {"format": WORKSTATION_FORMAT, "version": WORKSTATION_VERSION,
            "district": {"code": hub_db.district_code, "name": hub_db.settings.get("district_name", "")},
            "school": {"code": code, "name": hub_db.settings.get("school_name", ""), "category": category,
                       "stages": stages},
            "node": {"node_id": node_id, "role": "workstation", "name": name},
            "parent": me.card(hub_db.settings.get("school_name", "")),
            "enrollment_secret": secret, "rubric": rubric_doc, "created_at": _now_iso()}


def validate_workstation_setup(doc: Any) -> dict:
    if isinstance(doc, dict) and doc.get("format") == SETUP_FORMAT:
        raise ValidationError("这是学校设置文件，不是工作站设置文件（请在学校主机上用“添加工作站”生成）",
                              "this is a school setup file, not a workstation setup file (make one on the hub with "
                              "school add-workstation)", field="format", value=SETUP_FORMAT)
    if not isinstance(doc, dict) or doc.get("format") != WORKSTATION_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise ValidationError(f"这不是 GrowthDesk 工作站设置文件（format 应为 {WORKSTATION_FORMAT}）",
                              f"not a GrowthDesk workstation setup file (format should be {WORKSTATION_FORMAT!r}, "
                              f"got {got!r})", field="format", value=got)
    if doc.get("version") != WORKSTATION_VERSION:
        raise ValidationError(f"工作站设置文件版本 {doc.get('version')} 不受支持", "unsupported workstation setup version",
                              field="version", value=doc.get("version"))
    _check_identity_fields(doc)
    _check_enrollment_fields(doc)
    parent = doc["parent"]
    node_id = doc["node"]["node_id"]
    if parent["role"] != "hub" or parent["node_id"] != doc["school"]["code"] or \
            not node_id.startswith(doc["school"]["code"] + "-W"):
        raise ValidationError("工作站设置文件的学校与上级主机不一致", "the workstation setup file's school and hub differ",
                              field="parent.node_id", value=parent["node_id"])
    _check_rubric(_setup_field(doc, "rubric"))
    return doc


def read_workstation_setup(setup: str | Path | dict) -> dict:
    if isinstance(setup, dict):
        return validate_workstation_setup(setup)
    path = Path(setup)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ValidationError(f"找不到设置文件：{path}", f"setup file not found: {path}", field="setup", value=str(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"无法读取设置文件或不是 JSON：{path}", f"cannot read the setup file {path}: {exc}",
                              field="setup", value=str(path))
    return validate_workstation_setup(doc)


def create_workstation(target: str | Path, setup: str | Path | dict, *, school_code: str | None = None,
                       opened: Database | None = None, kdf=None) -> Database:
    """A new workstation database from the hub's workstation setup file. With ``school_code``
    (the school this PC belongs to, if known) a file for another school is refused. A database
    that already exists is re-enrolled if it is a workstation of the same school (fresh keys),
    and refused otherwise (``opened``: that database already opened with a login, when it has
    accounts).

    A new SQLite workstation is encrypted (SQLCipher) from the start, before any school data
    arrives: a random database key, a recovery key (``db.recovery_key_shown``, shown once) and a
    temporary key slot under the setup file's enrollment secret (``security.begin_enrollment``),
    which opens it for its sync rounds until the accounts arrive from the hub and their slots
    replace it."""
    doc = read_workstation_setup(setup)
    school, district = doc["school"], doc["district"]
    if school_code and school_code != school["code"]:
        raise ValidationError(f"工作站设置文件属于另一所学校（{school['code']}），本机属于 {school_code}",
                              f"the workstation setup file is for another school ({school['code']}); this PC "
                              f"belongs to {school_code}", field="school.code", value=school["code"])
    path = sqlite_path(to_url(target))
    if opened is not None or (path is not None and path.exists() and path.stat().st_size > 0):
        return _reenroll_workstation(target, doc, opened, kdf)
    stages = check_stages(school["stages"])
    with _new_database(target, encrypt=path is not None, kdf=kdf) as db:
        with db.session(user=SETUP_USER) as s:
            write_settings(s, {"kind": "school", "school_code": school["code"], "school_name": school["name"],
                               "district_code": district["code"], "district_name": district["name"],
                               "school_category": school["category"], "school_stages": ",".join(stages),
                               "workstation_name": doc["node"].get("name", ""),
                               "created_at": _now_iso(), "created_by_version": __version__})
            s.add(School(code=school["code"], name=school["name"], district_code=district["code"],
                         category=_check_category(school["category"]), stages=",".join(stages), sync_key=None))
            nodes.make_identity(s, doc["node"]["node_id"], "workstation", doc["parent"]["node_id"])
            nodes.pin_parent(s, doc["parent"], doc["enrollment_secret"], school["code"])
            install_rubric(s, doc["rubric"])
            load_national_catalog(s)
            _ensure_current_terms(s)
        if db.key is not None:
            db.reload_settings()
            _seal_new_workstation(db, doc)
    return db


def _seal_new_workstation(db: Database, doc: dict) -> None:
    from .security import begin_enrollment, finish_encrypted_setup, forget_enrollment_secret
    slot = begin_enrollment(db, doc["enrollment_secret"], doc["node"]["node_id"])
    try:
        db.recovery_key_shown = finish_encrypted_setup(db)
    except BaseException:
        forget_enrollment_secret(slot)
        raise


def _reenroll_workstation(target, doc: dict, opened: Database | None = None, kdf=None) -> Database:
    from .db import is_encrypted
    from .security import begin_enrollment, enrollment_slot, open_waiting_workstation
    path = sqlite_path(to_url(target))
    if opened is not None:
        db = opened
    elif path is not None and is_encrypted(path):
        if enrollment_slot(path) is None:  # it has its accounts: only a login opens it
            raise ValidationError("该工作站已有账户：请用学校管理员账户登录后重新加入（--user 和 GROWTHDESK_PASSWORD）",
                                  "this workstation has its accounts: log in as the school admin to re-enroll it "
                                  "(--user and GROWTHDESK_PASSWORD)", field="user", value=str(target))
        db = open_waiting_workstation(target, kdf=kdf)  # this PC's copy of the old secret
    else:
        db = open_database(target, kdf=kdf)
    try:
        if db.kind != "school" or db.settings.get(nodes.NODE_ROLE) != "workstation":
            raise DatabaseError("该数据库已存在且不是工作站（不会覆盖）", "the database exists and is not a workstation "
                                "(not overwritten)", field="db", value=str(target))
        _same_school(db, doc)
        with db.session(user=SETUP_USER) as s:
            nodes.renew_keys(s)
            write_settings(s, {nodes.NODE_ID: doc["node"]["node_id"]})
            nodes.pin_parent(s, doc["parent"], doc["enrollment_secret"], doc["school"]["code"])
        db.reload_settings()
        if db.key is not None and enrollment_slot(db.path) is not None:
            # still no accounts: the temporary slot follows the new setup file (the old secret is void)
            begin_enrollment(db, doc["enrollment_secret"], doc["node"]["node_id"])
    except BaseException:
        if opened is None:
            db.close()
        raise
    return db


def school_sync_key(db: Database) -> str:
    """The key that signs this school's bundles (school side) — from its School row."""
    with db.session() as s:
        row = s.get(School, db.school_code)
        return row.sync_key if row and row.sync_key else ""


__all__ = ["create_district", "add_school", "reissue_school_setup", "enroll_school", "add_workstation",
           "create_workstation", "read_workstation_setup", "validate_workstation_setup", "write_setup_file", "read_setup_file", "validate_setup", "create_school",
           "check_school_code", "check_district_code", "check_stages", "install_rubric", "load_national_catalog",
           "default_rubric", "national_catalog", "school_sync_key"]
