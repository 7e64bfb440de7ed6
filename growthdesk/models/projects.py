"""Innovation projects (科创项目 / 课题研究 / 项目式学习) with members, mentors, log and outcomes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check
from .review import ReviewMixin
from .enums import MENTOR_KINDS, OUTCOME_KINDS, PROJECT_KINDS, PROJECT_LOG_STAGES, PROJECT_MEMBER_ROLES, PROJECT_STATUSES
from .school import ACTIVE
from .stats import tombstone_index


class InnovationProject(ReviewMixin, SyncMixin, Base):
    __tablename__ = "innovation_project"
    __table_args__ = (
        enum_check("kind", PROJECT_KINDS),
        enum_check("status", PROJECT_STATUSES),
        CheckConstraint("end_date IS NULL OR start_date <= end_date", name="dates_ordered"),
        tombstone_index("innovation_project"),
    )

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    discipline: Mapped[str] = mapped_column(String(40), default="")
    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    summary: Mapped[str] = mapped_column(Text, default="")


class ProjectMember(SyncMixin, Base):
    __tablename__ = "project_member"
    __table_args__ = (
        enum_check("role", PROJECT_MEMBER_ROLES),
        Index("uq_project_member", "project_id", "student_id", unique=True,
              sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    )

    project_id: Mapped[str] = mapped_column(ForeignKey("innovation_project.id"), index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    role: Mapped[str] = mapped_column(String(8), default="member")


class ProjectMentor(SyncMixin, Base):
    """双导师: an in-school mentor and an external one (university, institute, enterprise)."""

    __tablename__ = "project_mentor"
    __table_args__ = (enum_check("kind", MENTOR_KINDS),)

    project_id: Mapped[str] = mapped_column(ForeignKey("innovation_project.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(50), default="")


class ProjectLogEntry(ReviewMixin, SyncMixin, Base):
    """Process log: 开题 / 中期 / 结题 and notes in between."""

    __tablename__ = "project_log_entry"
    __table_args__ = (enum_check("stage", PROJECT_LOG_STAGES),)

    project_id: Mapped[str] = mapped_column(ForeignKey("innovation_project.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    entry_date: Mapped[date]
    content: Mapped[str] = mapped_column(Text)


class ProjectOutcome(SyncMixin, Base):
    """Outcome: paper, patent, software copyright, work."""

    __tablename__ = "project_outcome"
    __table_args__ = (enum_check("kind", OUTCOME_KINDS),)

    project_id: Mapped[str] = mapped_column(ForeignKey("innovation_project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    outcome_date: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(100), default="")  # patent no., journal, …
