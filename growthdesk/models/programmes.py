"""Cultivation programmes (培养项目, DESIGN §4a): 选拔 → 培养 → 评价 → 追踪.

A programme belongs to a school or to the district and has a stage tier (小学科创苗子 → 初中学科特长
→ 高中拔尖人才). People are nominated (by a rule, a teacher, the school or the district) and a
person decides; the selected become members with two mentors (双导师), keep a growth log, get
mid-term and annual evaluations, and leave with a reason and a destination.

Every table travels in bundles (``SYNCED_MODELS``). References between these tables, and to the
student, are plain indexed id columns, not foreign keys: a district programme's members,
logs and evaluations are written at several nodes (the district selects, the school's mentor
logs), and a member's student row lives at the school where they were selected, while the
person moves on (``person_key`` is what follows them across schools and stages). The services
check every reference when they write.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check
from .review import ReviewMixin
from .enums import (DECISIONS, GROWTH_ACTIVITIES, LOG_AUTHORS, MEMBER_STATUSES, MENTOR_KINDS, NOMINATORS,
                    PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_OWNERS, PROGRAMME_STATUSES,
                    RECORD_STATES, STAGES)


OPEN_NOMINATION = text("decision = 'pending' AND NOT deleted")


class Programme(SyncMixin, Base):
    """A programme. ``disciplines`` is a "、"-separated list; ``rules_json`` the selection rules
    (``stats.cultivation`` rules, empty = the defaults narrowed to the disciplines);
    ``criteria_json`` the evaluation criteria (a JSON list of names)."""

    __tablename__ = "programme"
    __table_args__ = (
        enum_check("owner_kind", PROGRAMME_OWNERS),
        enum_check("tier", STAGES),
        enum_check("status", PROGRAMME_STATUSES),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("end_term IS NULL OR start_term <= end_term", name="terms_ordered"),
    )

    owner_kind: Mapped[str] = mapped_column(String(8))
    owner_code: Mapped[str] = mapped_column(String(16), index=True)  # school code or district code
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[str] = mapped_column(String(8), index=True)
    disciplines: Mapped[str] = mapped_column(String(200), default="")
    start_term: Mapped[str] = mapped_column(String(11))
    end_term: Mapped[str | None] = mapped_column(String(11))
    capacity: Mapped[int | None] = mapped_column(Integer)
    rules_json: Mapped[str] = mapped_column(Text, default="")
    criteria_json: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="open")


class ProgrammeMentor(SyncMixin, Base):
    """A mentor. In-school mentors are accounts (``login``) of their school; external mentors are
    records: name, institution, field and a minimal contact. One mentor may guide in several
    programmes: members point at mentors."""

    __tablename__ = "programme_mentor"
    __table_args__ = (enum_check("kind", MENTOR_KINDS),)

    kind: Mapped[str] = mapped_column(String(16))
    login: Mapped[str] = mapped_column(String(64), default="")
    mentor_school: Mapped[str] = mapped_column(String(16), default="")  # an in-school mentor's school
    name: Mapped[str] = mapped_column(String(50))
    institution: Mapped[str] = mapped_column(String(100), default="")
    field: Mapped[str] = mapped_column(String(50), default="")
    contact: Mapped[str] = mapped_column(String(100), default="")


class ProgrammeNomination(SyncMixin, Base):
    """A person proposed for a programme in a term, by whom and why, and the decision on it.
    A re-run of the rules never changes a decision or removes a nomination.

    One *open* (pending) nomination per programme and student among the rows one node wrote
    (``uq_programme_nomination_open``, migration 0012). The node (``school_code``) is part of the
    key: a school and the district may each nominate the same pupil before either has seen the
    other's bundle, and a bundle carrying such a row must not be refused; ``nominate`` refuses
    a second open nomination whoever wrote the first."""

    __tablename__ = "programme_nomination"
    __table_args__ = (enum_check("nominated_by_kind", NOMINATORS), enum_check("decision", DECISIONS),
                      Index("ix_programme_nomination_person", "programme_id", "person_key"),
                      Index("uq_programme_nomination_open", "programme_id", "student_id", "school_code", unique=True,
                            sqlite_where=OPEN_NOMINATION, postgresql_where=OPEN_NOMINATION))

    programme_id: Mapped[str] = mapped_column(String(36), index=True)
    student_id: Mapped[str | None] = mapped_column(String(36))
    person_key: Mapped[str] = mapped_column(String(64), default="")
    student_school: Mapped[str] = mapped_column(String(16), default="")
    term_code: Mapped[str] = mapped_column(String(11))
    nominated_by_kind: Mapped[str] = mapped_column(String(8))
    nominated_by: Mapped[str] = mapped_column(String(64), default="")
    nominated_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    rule_codes: Mapped[str] = mapped_column(String(200), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_on: Mapped[date | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class ProgrammeMember(SyncMixin, Base):
    """A member: the student row where they were selected (``student_id``, ``student_school``) and
    the person (``person_key``, empty where the school does not know it). Leaving keeps the row."""

    __tablename__ = "programme_member"
    __table_args__ = (enum_check("status", MEMBER_STATUSES),
                      CheckConstraint("left_on IS NULL OR joined_on <= left_on", name="dates_ordered"),
                      Index("ix_programme_member_person", "person_key", "programme_id"))

    programme_id: Mapped[str] = mapped_column(String(36), index=True)
    student_id: Mapped[str | None] = mapped_column(String(36), index=True)
    person_key: Mapped[str] = mapped_column(String(64), default="")
    student_school: Mapped[str] = mapped_column(String(16), default="")
    nomination_id: Mapped[str | None] = mapped_column(String(36))
    in_mentor_id: Mapped[str | None] = mapped_column(String(36), index=True)
    ext_mentor_id: Mapped[str | None] = mapped_column(String(36), index=True)
    joined_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="active")
    left_on: Mapped[date | None]
    leave_reason: Mapped[str] = mapped_column(Text, default="")
    destination_school: Mapped[str] = mapped_column(String(100), default="")
    destination_track: Mapped[str] = mapped_column(String(100), default="")
    destination_note: Mapped[str] = mapped_column(Text, default="")
    destination_by: Mapped[str] = mapped_column(String(64), default="")


class ProgrammeLogEntry(ReviewMixin, SyncMixin, Base):
    """成长日志: a dated activity with hours and mentor feedback. A student's own entry is a 写实记录
    with the shared review state and provenance (``ReviewMixin``: draft → submitted → approved,
    or returned with a reason; who entered it in which role, who reviewed it); entries by mentors
    and teachers are approved when written. Only approved entries count."""

    __tablename__ = "programme_log_entry"
    __table_args__ = (enum_check("activity", GROWTH_ACTIVITIES), enum_check("author_kind", LOG_AUTHORS),
                      enum_check("state", RECORD_STATES),
                      CheckConstraint("hours >= 0 AND hours <= 24", name="hours_range"))

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    entry_date: Mapped[date]
    activity: Mapped[str] = mapped_column(String(24))
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    content: Mapped[str] = mapped_column(Text, default="")
    mentor_feedback: Mapped[str] = mapped_column(Text, default="")
    author_kind: Mapped[str] = mapped_column(String(8), default="mentor")
    author: Mapped[str] = mapped_column(String(64), default="")
    mentor_id: Mapped[str | None] = mapped_column(String(36))


class ProgrammeEvaluation(SyncMixin, Base):
    """A mid-term or annual evaluation by a mentor against the programme's criteria
    (``scores_json``: {criterion: 1–5}), with a result (continue / leave) and its reason."""

    __tablename__ = "programme_evaluation"
    __table_args__ = (enum_check("kind", PROGRAMME_EVAL_KINDS), enum_check("result", PROGRAMME_EVAL_RESULTS))

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    term_code: Mapped[str] = mapped_column(String(11))
    eval_date: Mapped[date]
    mentor_id: Mapped[str | None] = mapped_column(String(36))
    evaluator: Mapped[str] = mapped_column(String(64), default="")
    scores_json: Mapped[str] = mapped_column(Text, default="{}")
    comment: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(8), default="continue")
    reason: Mapped[str] = mapped_column(Text, default="")
