"""The change history of one record, as the UI's 修改记录 panel shows it."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditLog


def history(s: Session, table_name: str, record_id: str) -> list[AuditLog]:
    """Audit rows for one record, oldest first."""
    return list(s.scalars(select(AuditLog).where(AuditLog.table_name == table_name, AuditLog.record_id == str(record_id))
                          .order_by(AuditLog.at, AuditLog.id)))


def changes(row: AuditLog) -> dict[str, tuple]:
    """{column: (before, after)} of one audit row (create: before None; delete/purge: after None)."""
    before = json.loads(row.before_json) if row.before_json else {}
    after = json.loads(row.after_json) if row.after_json else {}
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))}
