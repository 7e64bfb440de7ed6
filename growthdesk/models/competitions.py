"""Competition catalog and results (individual and team awards)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check
from .review import ReviewMixin
from .enums import AWARDS, LEVELS, VERIFICATION
from .school import ACTIVE
from .stats import tombstone_index


class Competition(SyncMixin, Base):
    """A competition in the catalog. National-list entries come from ``resources/reference``
    with fixed UUIDs (so every database agrees on them) and ``school_code`` = ``''``."""

    __tablename__ = "competition"

    name: Mapped[str] = mapped_column(String(200), index=True)
    organiser: Mapped[str] = mapped_column(String(200), default="")
    discipline: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    stages: Mapped[str] = mapped_column(String(40), default="primary,junior,senior")
    on_national_list: Mapped[bool] = mapped_column(Boolean, default=False)
    list_edition: Mapped[str] = mapped_column(String(20), default="")
    # The level its awards usually have (校级/区级/市级 …), pre-filled in the award form; '' = not set.
    level: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Who manages the entry: '' national list, a school's code, or a district's code (sent down
    # to its schools in the district bundle; schools do not edit it).
    owner_code: Mapped[str] = mapped_column(String(16), default="", server_default="")


class CompetitionResult(ReviewMixin, SyncMixin, Base):
    """One award. A team award is one result with several members (entered once)."""

    __tablename__ = "competition_result"
    __table_args__ = (
        enum_check("level", LEVELS),
        enum_check("award", AWARDS),
        enum_check("verification", VERIFICATION),
        CheckConstraint("school_year BETWEEN 2000 AND 2100", name="year_range"),
        Index("ix_result_level_award", "level", "award"),
        tombstone_index("competition_result"),
    )

    competition_id: Mapped[str] = mapped_column(ForeignKey("competition.id"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    award: Mapped[str] = mapped_column(String(16))
    award_date: Mapped[date]
    certificate_no: Mapped[str] = mapped_column(String(64), default="")
    is_team: Mapped[bool] = mapped_column(Boolean, default=False)
    team_name: Mapped[str] = mapped_column(String(100), default="")
    work_title: Mapped[str] = mapped_column(String(200), default="")
    instructor: Mapped[str] = mapped_column(String(100), default="")
    verification: Mapped[str] = mapped_column(String(16), default="unverified")
    project_id: Mapped[str | None] = mapped_column(ForeignKey("innovation_project.id"))


class CompetitionResultMember(SyncMixin, Base):
    __tablename__ = "competition_result_member"
    __table_args__ = (
        Index("uq_result_member", "result_id", "student_id", unique=True,
              sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    )

    result_id: Mapped[str] = mapped_column(ForeignKey("competition_result.id"), index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
