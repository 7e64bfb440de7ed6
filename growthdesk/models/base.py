"""Declarative base and the columns every travelling record carries (DESIGN §4)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .enums import check_sql

# Stable constraint names so Alembic migrations (and SQLite batch mode) can address them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no zone, so every timestamp in the database is UTC by rule."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(), date: Date()}


class SyncMixin:
    """UUID key made where the record was born, school, timestamps, author, usn, tombstone.

    ``usn`` is the database's change counter at the record's last change: a bundle carries
    the records whose usn is above the last one exported. Deleting sets ``deleted`` so the
    tombstone can travel; it is purged only after the district acknowledged it.

    ``clock`` and ``versions`` order changes between databases (``growthdesk.sync.clock``):
    ``clock`` is the hybrid logical clock of the record's latest change, ``versions`` a JSON
    map of each field's own version (``{"*": [clock, node], "name": [clock, node], "~": [clock,
    node, 1]}``: ``*`` the creation, ``~`` the deleted flag). Both travel in bundles; only
    ``growthdesk.tracking`` and the importer write them.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    school_code: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    usn: Mapped[int] = mapped_column(Integer, default=0, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    clock: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    versions: Mapped[str] = mapped_column(Text, default="", server_default="")


def enum_check(column: str, vocab, name: str | None = None) -> CheckConstraint:
    return CheckConstraint(check_sql(column, vocab), name=name or f"{column}_valid")
