"""New records written in bulk, stamped and audited as the ORM path stamps and audits them.

``tracking`` stamps each new object in ``before_flush`` and writes one ``audit_log`` object per
record in ``after_flush``: right for a form, but a 5,000-row roster then makes 10,000 objects
twice over (records and audit rows), most of its time. ``insert_created`` writes the same
rows with one Core ``executemany`` per table, audit rows included: the same usn and clock as
the rest of the transaction (``tracking.next_usn`` / ``next_clock``), the same ``versions``,
the same audit ``after_json`` (every column, as ``tracking._snapshot`` gives it). A test
compares a record and its audit row made here with ones made through the ORM.

No ORM events run for these rows, so the caller checks permission itself
(``check_new_allowed``: the flush guard's own rule for a new record of that kind).
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .. import hlc, tracking
from ..models import AuditLog, new_uuid, utcnow

_FILLED = {"id", "usn", "updated_by", "created_at", "updated_at", "clock", "versions", "school_code", "deleted"}


def _defaults(model) -> dict:
    """Scalar Python-side defaults of the model's other columns (what the ORM would fill in)."""
    out = {}
    for attr in model.__mapper__.column_attrs:
        col = attr.columns[0]
        if attr.key in _FILLED:
            continue
        d = col.default
        out[attr.key] = d.arg if d is not None and d.is_scalar else None
    return out


def check_new_allowed(s: Session, model, sample: dict) -> None:
    """The flush guard's check of one new ``model`` record, for rows that bypass the flush.
    Whether a new record is allowed depends on who acts and the kind (and, for records about a
    student, which student): callers pass one representative row per distinct decision."""
    from ..services import access
    user = access.actor(s)
    if user is None:
        return
    if not user.active:
        raise access._deny(user, "该账户已停用，不能修改数据", "this account is deactivated and may not change anything")
    access._check_object(s, user, model(**sample), "new")


def insert_created(s: Session, model, rows: list[dict], *, audit: bool = True) -> list[dict]:
    """Insert ``rows`` (column values; ``id`` made when missing) as new records of ``model``,
    stamped for sync like ``tracking._before_flush`` and audited like ``_after_flush``.
    Returns the full rows as written."""
    if not rows:
        return []
    info = s.info
    user, node = info.get("user", ""), info.get("node_id", "")
    usn, clock = tracking.next_usn(s), tracking.next_clock(s)
    now = utcnow()
    stamp = {"usn": usn, "updated_by": user, "created_at": now, "updated_at": now, "clock": clock,
             "versions": hlc.dumps({hlc.CREATED: [clock, node]}), "school_code": info.get("school_code", ""),
             "deleted": False}
    base = _defaults(model)
    full = []
    for row in rows:
        values = {**base, **row, **stamp}
        if row.get("school_code") is not None:
            values["school_code"] = row["school_code"]
        if not values.get("id"):
            values["id"] = new_uuid()
        full.append(values)
    s.flush()  # pending ORM changes first (classes these rows refer to, the usn and clock settings)
    _execute(s, model.__table__, full, constant=_STAMPED)
    if audit:
        keys = [a.key for a in model.__mapper__.column_attrs]
        table = model.__tablename__
        plain, secret = tracking._plain, tracking._SECRET_COLUMNS
        _execute(s, AuditLog.__table__, [
            {"at": now, "user": user, "action": "create", "table_name": table, "record_id": v["id"],
             "before_json": "", "after_json": tracking._dump({k: "***" if k in secret else plain(v[k]) for k in keys})}
            for v in full], constant=_AUDIT_SAME)
    return full


_STAMPED = frozenset({"usn", "updated_by", "created_at", "updated_at", "clock", "versions", "deleted"})
_AUDIT_SAME = frozenset({"at", "user", "action", "table_name", "before_json"})


def _execute(s: Session, table, rows: list[dict], constant: frozenset = frozenset()) -> None:
    """One executemany. On SQLite the compiled INSERT goes straight to the driver with tuples
    (as the bundle importer does), each value converted by its column type's own bind
    processor, so the stored text is what SQLAlchemy itself would store; elsewhere Core."""
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        s.execute(insert(table), rows)
        return
    cols = list(rows[0])
    missing = [c.name for c in table.columns if c.name not in rows[0] and not c.primary_key]
    if missing:  # every column is given (defaults filled in): nothing left for SQLAlchemy to add
        raise ValueError(f"bulk insert into {table.name} lacks {missing}")
    procs = [table.c[c].type._cached_bind_processor(dialect) for c in cols]
    sql = f'INSERT INTO "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({", ".join("?" * len(cols))})'
    # ``constant`` columns hold the same value in every row (the stamp of one transaction):
    # converted once, not once a row (5,000 rows × 7 columns of datetime/JSON text).
    first = rows[0]
    template = [None if c in constant and first[c] is None else (p(first[c]) if c in constant and p else first[c])
                for c, p in zip(cols, procs)]
    varying = [(i, c, p) for i, (c, p) in enumerate(zip(cols, procs)) if c not in constant]
    out = []
    for v in rows:
        row = template.copy()
        for i, c, p in varying:
            x = v[c]
            row[i] = x if p is None or x is None else p(x)
        out.append(tuple(row))
    conn.exec_driver_sql(sql, out)
