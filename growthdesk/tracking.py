"""Stamp every change for sync and write it to the audit log, in the same transaction.

Installed on the session factory by ``db.Database``; services never stamp by hand, so no
write can forget it. One ``usn`` is taken per transaction from the ``usn`` setting, and one
hybrid logical clock value from the ``clock`` setting (``growthdesk.hlc``): a new record gets
``versions = {"*": [clock, node]}``, an edit stamps each changed field (``"~"`` for the deleted
flag) with ``[clock, node]``, so the importer can merge field by field.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from . import hlc
from .models import AuditLog, Setting, SyncMixin, utcnow
from .models.users import User

# Columns whose values must never be copied into the audit log.
_SECRET_COLUMNS = {"password_hash", "sync_key"}
_BOOKKEEPING = {"updated_at", "updated_by", "usn", "created_at", "clock", "versions"}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _snapshot(obj, only: set[str] | None = None) -> dict:
    mapper = inspect(obj).mapper
    out = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if only is not None and key not in only:
            continue
        out[key] = "***" if key in _SECRET_COLUMNS else _plain(getattr(obj, key))
    return out


def _changed_columns(obj) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if not hist.has_changes() or attr.key in _BOOKKEEPING:
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        secret = attr.key in _SECRET_COLUMNS
        before[attr.key] = "***" if secret else _plain(old)
        after[attr.key] = "***" if secret else _plain(new)
    return before, after


def next_usn(session: Session) -> int:
    """The usn of this transaction: taken once, then reused by every flush until commit."""
    if "usn" in session.info:
        return session.info["usn"]
    row = session.execute(select(Setting).where(Setting.key == "usn")).scalar_one_or_none()
    if row is None:
        row = Setting(key="usn", value="0")
        session.add(row)
    usn = int(row.value) + 1
    row.value = str(usn)
    session.info["usn"] = usn
    return usn


def next_clock(session: Session) -> int:
    """The hybrid logical clock of this transaction: taken once, larger than any made or
    accepted here (``hlc.tick``); the ``clock`` setting keeps the largest."""
    if "clock" in session.info:
        return session.info["clock"]
    row = session.execute(select(Setting).where(Setting.key == "clock")).scalar_one_or_none()
    if row is None:
        row = Setting(key="clock", value="0")
        session.add(row)
    clock = hlc.tick(int(row.value or 0))
    row.value = str(clock)
    session.info["clock"] = clock
    return clock


def observe_clock(session: Session, seen: int) -> None:
    """Remember a clock value accepted from another database (the next local change is later)."""
    row = session.execute(select(Setting).where(Setting.key == "clock")).scalar_one_or_none()
    if row is None:
        session.add(Setting(key="clock", value=str(seen)))
    elif seen > int(row.value or 0):
        row.value = str(seen)


def _stamp_versions(obj, changed: dict, clock: int, node: str) -> None:
    old_at = obj.updated_at
    try:
        versions = hlc.parse(obj.versions or "", obj.clock or 0, hlc.to_us(old_at) if old_at else 0)
    except hlc.VersionError:
        versions = {hlc.CREATED: [obj.clock or 0, ""]}
    for key, value in changed.items():
        if key == "deleted":
            versions[hlc.DELETED] = [clock, node, 1 if value else 0]
        else:
            versions[key] = [clock, node]
    obj.versions = hlc.dumps(versions)
    obj.clock = clock


def _dump(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True) if d else ""


def _record_id(obj) -> str:
    pk = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(v) for v in pk)


def _audit(session: Session, action: str, obj, before: dict, after: dict) -> None:
    session.add(AuditLog(at=utcnow(), user=session.info.get("user", ""), action=action,
                         table_name=obj.__tablename__, record_id=_record_id(obj),
                         before_json=_dump(before), after_json=_dump(after)))


# Not travelling records, but a workstation replicates them from its hub (``sync.schoolwide``):
# a change stamps the ``school_usn`` setting, so the hub knows its workstations need a bundle.
_SCHOOLWIDE = ("app_user", "teaching_assignment", "term", "rubric")


_LOCAL_ONLY = {"failed_logins", "last_login_at"}  # a login is not a change to replicate


def _replicated_change(session: Session, obj) -> bool:
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[a.key].history.has_changes() for a in state.mapper.column_attrs
               if a.key not in _LOCAL_ONLY)


def _stamp_schoolwide(session: Session) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in _SCHOOLWIDE and _replicated_change(session, obj):
            usn = next_usn(session)
            row = session.execute(select(Setting).where(Setting.key == "school_usn")).scalar_one_or_none()
            if row is None:
                session.add(Setting(key="school_usn", value=str(usn)))
            else:
                row.value = str(usn)
            return


_PASSWORD_FIELDS = ("password_hash", "must_change_password")


def _stamp_passwords(session: Session) -> None:
    """A password (or its must-change flag) set here gets this transaction's clock, so the later
    change wins between a hub and its workstations; a sync that copies a clock keeps it."""
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, User):
            continue
        if obj in session.new:
            if not obj.password_clock:
                obj.password_clock = next_clock(session)
            continue
        state = inspect(obj)
        if state.attrs.password_clock.history.has_changes():
            continue
        if any(state.attrs[f].history.has_changes() for f in _PASSWORD_FIELDS):
            obj.password_clock = next_clock(session)


def _before_flush(session: Session, _ctx, _instances) -> None:
    if session.info.get("untracked"):
        return
    _stamp_passwords(session)
    _stamp_schoolwide(session)
    user = session.info.get("user", "")
    now = utcnow()
    for obj in list(session.new):
        if isinstance(obj, (AuditLog, Setting)):
            continue
        if isinstance(obj, SyncMixin):
            obj.usn = next_usn(session)
            obj.updated_by = user
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            clock = next_clock(session)
            obj.clock = clock
            first = {hlc.CREATED: [clock, session.info.get("node_id", "")]}
            if obj.deleted:
                first[hlc.DELETED] = [clock, session.info.get("node_id", ""), 1]
            obj.versions = hlc.dumps(first)
            if not obj.id:
                from .models import new_uuid
                obj.id = new_uuid()
            if obj.school_code is None:
                obj.school_code = session.info.get("school_code", "")
        session.info.setdefault("_pending_audit", []).append(obj)
    for obj in list(session.dirty):
        if isinstance(obj, (AuditLog, Setting)) or not session.is_modified(obj):
            continue
        before, after = _changed_columns(obj)
        if not after:
            continue
        action = "update"
        if isinstance(obj, SyncMixin):
            if after.get("deleted") is True:
                action = "delete"
            changed = {k: getattr(obj, k) for k in after}
            _stamp_versions(obj, changed, next_clock(session), session.info.get("node_id", ""))
            obj.usn = next_usn(session)
            obj.updated_by = user
            obj.updated_at = now
        _audit(session, action, obj, before, after)
    for obj in list(session.deleted):
        if isinstance(obj, (AuditLog, Setting)):
            continue
        _audit(session, "purge", obj, _snapshot(obj), {})


def _after_flush(session: Session, _ctx) -> None:
    # New rows are audited after the flush so their primary keys (and defaults) are known.
    pending = session.info.pop("_pending_audit", [])
    for obj in pending:
        snap = _snapshot(obj, None if not isinstance(obj, User) else {"login", "display_name", "role", "active"})
        session.add(AuditLog(at=utcnow(), user=session.info.get("user", ""), action="create",
                             table_name=obj.__tablename__, record_id=_record_id(obj),
                             before_json="", after_json=_dump(snap)))


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("usn", None)
        session.info.pop("clock", None)
        session.info.pop("_pending_audit", None)


def install(session_factory) -> None:
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "after_transaction_end", _after_transaction_end)
