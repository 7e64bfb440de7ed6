"""What a school hub sends its workstations besides the travelling records: the school itself.

A workstation is a full replica of its school, so the hub's bundles to a workstation carry one
more member, ``school.json``: the accounts (with their password *hashes*, so a teacher logs in
on any PC of the school), the teaching assignments, the terms and the rubric. Only a sealed
bundle (format 2, encrypted to that workstation) from the workstation's own hub carries it, and
only a workstation applies it; bundles to the district never do (DESIGN §5.1).

The hub is authoritative for these: the workstation takes the hub's accounts by id (a local
account with the same login but another id gives way), deactivates accounts the hub no longer
has, and replaces its teaching assignments, terms and rubrics with the hub's. Local counters
(failed logins, last login) stay local.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import delete, select

from ..models import Rubric, TeachingAssignment, Term, User

MEMBER = "school.json"
FORMAT = "growthdesk-school-replica"
MAX_BYTES = 64 << 20
USER_COLUMNS = ("id", "login", "display_name", "role", "password_hash", "active", "created_at")
# Sent since issue 11's autosync; a document of an earlier hub lacks them (read as False / 0).
PASSWORD_COLUMNS = ("must_change_password", "password_clock")
KNOWN_CLOCKS = "password_clocks_known"  # workstation setting: {user id: the clock the hub has (or was sent)}


def _plain(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return v


def _rows(s, model, columns) -> list[dict]:
    t = model.__table__
    cols = [t.c[c] for c in columns]
    return [dict(zip(columns, map(_plain, r))) for r in s.execute(select(*cols).order_by(*t.primary_key.columns))]


def build(s) -> bytes:
    """The school's accounts, teaching assignments, terms and rubrics as one JSON document."""
    ta_cols = [c.name for c in TeachingAssignment.__table__.columns if c.name != "id"]
    doc = {"format": FORMAT, "version": 1,
           "users": _rows(s, User, USER_COLUMNS + PASSWORD_COLUMNS),
           "teaching_assignments": _rows(s, TeachingAssignment, ta_cols),
           "terms": _rows(s, Term, [c.name for c in Term.__table__.columns]),
           "rubrics": _rows(s, Rubric, [c.name for c in Rubric.__table__.columns])}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


def describe(data: bytes) -> dict:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def changed_since(db, usn: int) -> bool:
    """Did accounts, assignments, terms or rubrics change after ``usn`` (``school_usn`` setting,
    stamped by ``tracking``)? Then a workstation needs a bundle even without record changes."""
    return _school_usn(db) > usn


def _school_usn(db) -> int:
    from ..models import Setting

    with db.session() as s:
        row = s.get(Setting, "school_usn")
        return int(row.value) if row is not None and row.value.isdigit() else 0


class Invalid(ValueError):
    pass


def _typed(model, row: dict, columns) -> dict:
    """A row of ``model`` from JSON, each value checked against its column type."""
    out = {}
    table = model.__table__
    for name in columns:
        if name not in row:
            raise Invalid(f"{table.name}: {name} missing")
        col, v = table.c[name], row[name]
        py = col.type.python_type
        if v is None:
            if not col.nullable:
                raise Invalid(f"{table.name}.{name} empty")
        elif py is datetime:
            v = datetime.fromisoformat(v) if isinstance(v, str) else None
        elif py is date:
            v = date.fromisoformat(v) if isinstance(v, str) else None
        elif py is bool:
            v = v if isinstance(v, bool) else None
        elif py is int:
            v = v if isinstance(v, int) and not isinstance(v, bool) else None
        elif py is str:
            length = getattr(col.type, "length", None)
            v = v if isinstance(v, str) and (length is None or len(v) <= length) else None
        if v is None and row[name] is not None:
            raise Invalid(f"{table.name}.{name} invalid")
        out[name] = v
    return out


def apply(s, data: bytes) -> dict:
    """Make this workstation's accounts, assignments, terms and rubrics the hub's (inside the
    import's transaction). Raises ``Invalid`` for a document that is not what ``build`` wrote."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != 1:
        raise Invalid("not a school replica document")
    parts = {}
    for key in ("users", "teaching_assignments", "terms", "rubrics"):
        if not isinstance(doc.get(key), list) or not all(isinstance(r, dict) for r in doc[key]):
            raise Invalid(f"{key} is not a list of rows")
        parts[key] = doc[key]
    try:
        users = [_typed(User, {"must_change_password": False, "password_clock": 0} | r, USER_COLUMNS + PASSWORD_COLUMNS)
                 for r in parts["users"]]
        ta_cols = [c.name for c in TeachingAssignment.__table__.columns if c.name != "id"]
        assignments = [_typed(TeachingAssignment, r, ta_cols) for r in parts["teaching_assignments"]]
        terms = [_typed(Term, r, [c.name for c in Term.__table__.columns]) for r in parts["terms"]]
        rubrics = [_typed(Rubric, r, [c.name for c in Rubric.__table__.columns]) for r in parts["rubrics"]]
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    for t in terms:
        row = s.get(Term, t["code"])
        if row is None:
            s.add(Term(**t))
        else:
            for k, v in t.items():
                setattr(row, k, v)
    for r in rubrics:
        row = s.get(Rubric, r["code"])
        if row is None:
            s.add(Rubric(**r))
        else:
            for k, v in r.items():
                setattr(row, k, v)
    s.flush()
    ids = {u["id"] for u in users}
    logins = {u["login"]: u["id"] for u in users}
    s.execute(delete(TeachingAssignment))
    for local in list(s.scalars(select(User))):
        if local.id not in ids:
            if local.login in logins:  # same login, another account: the hub's wins
                s.delete(local)
            elif local.active:
                local.active = False
    s.flush()
    known = _known_clocks(s)
    kept = 0
    for u in users:
        row = s.get(User, u["id"])
        if row is None:
            s.add(User(**u, failed_logins=0))
        else:
            if (row.password_clock or 0) > u["password_clock"]:
                # changed on this workstation after the hub's: kept (and sent up) until the hub has it
                u = {k: v for k, v in u.items() if k not in ("password_hash",) + PASSWORD_COLUMNS}
                kept += 1
            for k, v in u.items():
                setattr(row, k, v)
        known[u["id"]] = max(known.get(u["id"], 0), u.get("password_clock", 0))
    s.flush()
    _save_known_clocks(s, known)
    for a in assignments:
        s.add(TeachingAssignment(**a))
    s.flush()
    return {"users": len(users), "teaching_assignments": len(assignments), "terms": len(terms),
            "rubrics": len(rubrics), **({"passwords_kept": kept} if kept else {}),
            "max_clock": max([u.get("password_clock", 0) for u in users], default=0)}


# ---------------------------------------------------------------- passwords changed on a workstation

ACCOUNTS_MEMBER = "accounts.json"
ACCOUNTS_FORMAT = "growthdesk-account-passwords"


def _known_clocks(s) -> dict[str, int]:
    from ..models import Setting
    row = s.get(Setting, KNOWN_CLOCKS)
    try:
        doc = json.loads(row.value) if row is not None else {}
    except json.JSONDecodeError:
        doc = {}
    return {k: v for k, v in doc.items() if isinstance(k, str) and isinstance(v, int)} if isinstance(doc, dict) else {}


def _save_known_clocks(s, known: dict[str, int]) -> None:
    from ..db import write_settings
    write_settings(s, {KNOWN_CLOCKS: json.dumps(known, sort_keys=True)})


def unsent_passwords(s) -> list[dict]:
    """Workstation: the accounts whose password (or must-change flag) changed here after what
    the hub has: ``accounts.json`` carries them up."""
    known = _known_clocks(s)
    cols = ("id", "login", "password_hash") + PASSWORD_COLUMNS
    return [r for r in _rows(s, User, cols) if (r["password_clock"] or 0) > known.get(r["id"], 0)]


def build_accounts(s) -> bytes | None:
    """``accounts.json`` for the bundle up to the hub, or None when no password changed here."""
    rows = unsent_passwords(s)
    if not rows:
        return None
    return json.dumps({"format": ACCOUNTS_FORMAT, "version": 1, "users": rows}, ensure_ascii=False,
                      sort_keys=True).encode("utf-8")


def mark_accounts_sent(s, data: bytes) -> None:
    """After the bundle is written: these clocks are on their way (no further bundle for them)."""
    known = _known_clocks(s)
    for r in json.loads(data)["users"]:
        known[r["id"]] = max(known.get(r["id"], 0), r["password_clock"])
    _save_known_clocks(s, known)


def apply_accounts(s, data: bytes) -> dict:
    """Hub: take passwords changed on a workstation where they are later than the hub's (through
    the ORM, so the key file's slots follow). Only existing accounts, by id and login; nothing
    else of an account changes here. Raises ``Invalid`` for a malformed document."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != ACCOUNTS_FORMAT or doc.get("version") != 1 \
            or not isinstance(doc.get("users"), list):
        raise Invalid("not an account passwords document")
    cols = ("id", "login", "password_hash") + PASSWORD_COLUMNS
    try:
        rows = [_typed(User, r, cols) for r in doc["users"] if isinstance(r, dict)]
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if len(rows) != len(doc["users"]):
        raise Invalid("users is not a list of rows")
    taken = 0
    for r in rows:
        if not r["password_hash"].startswith("scrypt$"):
            raise Invalid("password_hash is not a scrypt hash")
        user = s.get(User, r["id"])
        if user is None or user.login != r["login"] or r["password_clock"] <= (user.password_clock or 0):
            continue
        user.password_hash = r["password_hash"]
        user.must_change_password = r["must_change_password"]
        user.password_clock = r["password_clock"]
        taken += 1
    s.flush()
    return {"passwords": taken, "max_clock": max([r["password_clock"] for r in rows], default=0)}
