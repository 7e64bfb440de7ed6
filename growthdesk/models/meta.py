"""What a database is (school or district), its keys and its sync bookkeeping."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Setting(Base):
    """Key/value facts about this database: kind, school or district code, keys, usn counter.

    Kept as rows rather than columns so that a new fact needs no migration.
    """

    __tablename__ = "gd_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncState(Base):
    """School side: what was exported and what the district has acknowledged."""

    __tablename__ = "sync_state"

    # The channel: the school's own code for bundles to its parent (as before format 2), or the
    # node id of a child (a workstation, ``S0001-W01``) the bundles go down to.
    school_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_exported_usn: Mapped[int] = mapped_column(Integer, default=0)
    last_exported_at: Mapped[datetime | None]
    acknowledged_sequence: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_usn: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None]


class SyncExport(Base):
    """Sending side: every bundle this database wrote and recorded (its own history).

    A receipt acknowledges a sequence; the sender trusts it only when the receipt names the same
    file (SHA-256) this history holds for that sequence, and then takes the usn it covered from
    here, never from the receipt: after a restore from a backup the receiver may hold bundles
    this database no longer knows it sent.
    """

    __tablename__ = "sync_export"

    peer: Mapped[str] = mapped_column(String(40), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    usn_from: Mapped[int] = mapped_column(Integer, default=0)
    usn_to: Mapped[int] = mapped_column(Integer, default=0)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    exported_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportLog(Base):
    """District side: one row per bundle import attempt (who, when, file, counts, result)."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_code: Mapped[str] = mapped_column(String(40), index=True)  # the sending node (a school hub: its code)
    sequence: Mapped[int | None]
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(String(16))  # imported / duplicate / rejected
    counts_json: Mapped[str] = mapped_column(Text, default="{}")
    message: Mapped[str] = mapped_column(Text, default="")


PEER_RELATIONS = ("parent", "child")
NODE_ROLES = ("district", "hub", "workstation")
PEER_STATUSES = ("pending", "active", "revoked")


class SyncPeer(Base):
    """A node this database exchanges sealed bundles with (format 2): its parent, or a child.

    ``sign_public``/``box_public`` are the peer's pinned public keys (hex; empty while a child's
    enrollment is still open). ``enroll_key`` is the SHA-256 of the one-time enrollment secret
    (parent side, while ``pending``), spent (emptied) when the child's keys are pinned.
    Sequence bookkeeping per channel lives in ``sync_state`` (sending) and ``import_log`` /
    ``received_sequence`` (receiving)."""

    __tablename__ = "sync_peer"
    __table_args__ = (
        CheckConstraint("relation IN ('parent', 'child')", name="relation_valid"),
        CheckConstraint("role IN ('district', 'hub', 'workstation')", name="role_valid"),
        CheckConstraint("status IN ('pending', 'active', 'revoked')", name="status_valid"),
    )

    node_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    relation: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), default="")
    school_code: Mapped[str] = mapped_column(String(16), default="")
    sign_public: Mapped[str] = mapped_column(String(64), default="")
    box_public: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    enroll_key: Mapped[str] = mapped_column(String(64), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # child side: the parent pinned our keys
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    received_sequence: Mapped[int] = mapped_column(Integer, default=0)  # highest sequence taken from the peer
    last_seen_at: Mapped[datetime | None]
