"""综评 process (DESIGN §4a): record state and provenance, self records, the archive's
selection, publicity periods, objections, sign-offs and amendments. No Qt here.

``ReviewMixin`` is carried by every record that can go into the archive (competition results,
innovation projects, project log entries, self records): its state (draft → submitted →
approved / returned) and its provenance (who entered it, in which role, when, back-filled?).
Rows made before the process existed are ``approved`` / ``import`` (migration 0010).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check, new_uuid, utcnow
from .enums import OBJECTION_BY, OBJECTION_OUTCOMES, RECORD_STATES, RECORD_TYPES, SELF_RECORD_KINDS, SIGNOFF_KINDS

APPROVED = "approved"


class ReviewMixin:
    """State and provenance of a record that can go into the archive."""

    state: Mapped[str] = mapped_column(String(12), default=APPROVED, server_default=APPROVED, index=True)
    return_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    entered_role: Mapped[str] = mapped_column(String(8), default="import", server_default="import")
    entered_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    entered_at: Mapped[datetime | None] = mapped_column(DateTime())
    backfilled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime())
    reviewed_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime())


class SelfRecord(ReviewMixin, SyncMixin, Base):
    """写实记录: what a student records about themself (an activity, or a self evaluation)."""

    __tablename__ = "self_record"
    __table_args__ = (
        enum_check("kind", SELF_RECORD_KINDS),
        enum_check("state", RECORD_STATES),
        CheckConstraint("hours IS NULL OR (hours >= 0 AND hours <= 1000)", name="hours_range"),
        Index("ix_self_record_student_term", "student_id", "term_code"),
    )

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="activity")
    title: Mapped[str] = mapped_column(String(200))             # what
    activity_date: Mapped[date]                                 # when (first day)
    end_date: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(100), default="")  # where
    hours: Mapped[float | None] = mapped_column(Float)
    role: Mapped[str] = mapped_column(String(50), default="")    # 组织者, 参与者, 志愿者 …
    reflection: Mapped[str] = mapped_column(Text, default="")


class ArchiveItem(SyncMixin, Base):
    """遴选: one record the adviser picked for one student's term archive."""

    __tablename__ = "archive_item"
    __table_args__ = (
        enum_check("record_type", RECORD_TYPES),
        Index("ix_archive_item_record", "record_type", "record_id"),
        Index("ix_archive_item_term_class", "term_code", "class_id"),
    )

    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    class_id: Mapped[str] = mapped_column(ForeignKey("school_class.id"))
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(36))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)  # taken out after an objection


class PublicityPeriod(SyncMixin, Base):
    """公示: a class's publicity period for a term; then its adviser's sign-off and the lock."""

    __tablename__ = "publicity_period"
    __table_args__ = (
        CheckConstraint("start_date <= end_date", name="dates_ordered"),
        Index("ix_publicity_term_class", "term_code", "class_id"),
    )

    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    class_id: Mapped[str] = mapped_column(ForeignKey("school_class.id"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    working_days: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(64), default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)


class Objection(SyncMixin, Base):
    """异议: who disputes which shown record, and how the adviser resolved it (all kept)."""

    __tablename__ = "objection"
    __table_args__ = (
        enum_check("raised_by", OBJECTION_BY),
        CheckConstraint("outcome = '' OR " + " OR ".join(f"outcome = '{k}'" for k in OBJECTION_OUTCOMES),
                        name="outcome_valid"),
        Index("ix_objection_term_class", "term_code", "class_id"),
    )

    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    class_id: Mapped[str] = mapped_column(ForeignKey("school_class.id"))
    item_id: Mapped[str] = mapped_column(ForeignKey("archive_item.id"), index=True)
    raised_by: Mapped[str] = mapped_column(String(12))
    raised_by_name: Mapped[str] = mapped_column(String(50), default="")
    raised_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(12), default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime())


class SignOff(SyncMixin, Base):
    """签字确认: a student confirms, the adviser signs the class, the principal signs the grade."""

    __tablename__ = "sign_off"
    __table_args__ = (
        enum_check("kind", SIGNOFF_KINDS),
        CheckConstraint("grade BETWEEN 1 AND 12", name="grade_range"),
        Index("ix_sign_off_term", "term_code", "grade", "kind"),
    )

    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    kind: Mapped[str] = mapped_column(String(12))
    grade: Mapped[int] = mapped_column(Integer)
    class_id: Mapped[str | None] = mapped_column(ForeignKey("school_class.id"))
    student_id: Mapped[str | None] = mapped_column(ForeignKey("student.id"))
    signed_by: Mapped[str] = mapped_column(String(64))       # login
    signer_name: Mapped[str] = mapped_column(String(50), default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Amendment(SyncMixin, Base):
    """A correction after sign-off: the original stays, the amendment is shown beside it."""

    __tablename__ = "amendment"
    __table_args__ = (enum_check("record_type", RECORD_TYPES),
                      Index("ix_amendment_record", "record_type", "record_id"))

    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(36))
    content: Mapped[str] = mapped_column(Text)               # what the record should now say
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[str] = mapped_column(String(64))
    amended_at: Mapped[datetime] = mapped_column(default=utcnow)


class HeldChange(Base):
    """An incoming change (from a workstation's bundle) that the freeze held back: kept, not
    lost, with the reason the teacher is shown. Local to one database; never travels."""

    __tablename__ = "held_change"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    row_json: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="held")  # held / applied / dropped
