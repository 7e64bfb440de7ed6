"""Rubric, process evaluations (过程性评价) and term evaluations (终结性评价)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check
from .enums import EVALUATOR_ROLES
from .school import ACTIVE
from .stats import tombstone_index


class Rubric(Base):
    """The district's evaluation framework as a JSON document (dimensions, scale, weights).

    Schools receive it with their setup file; ``services.rubric`` parses and checks it.
    """

    __tablename__ = "rubric"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    document: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class ProcessEvaluation(SyncMixin, Base):
    __tablename__ = "process_evaluation"
    __table_args__ = (
        enum_check("evaluator_role", EVALUATOR_ROLES),
        CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
        # Covering, in GROUP BY order: term scores and coverage stream from the index alone.
        Index("ix_stats_eval_cover", "term_code", "student_id", "dimension", "evaluator_role", "score", "deleted"),
        tombstone_index("process_evaluation"),
    )

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"))
    dimension: Mapped[str] = mapped_column(String(16))
    indicator: Mapped[str] = mapped_column(String(32), default="")
    level: Mapped[str] = mapped_column(String(8))
    score: Mapped[float]
    evaluator_role: Mapped[str] = mapped_column(String(16))
    evaluator_name: Mapped[str] = mapped_column(String(50), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    eval_date: Mapped[date]


class TermEvaluation(SyncMixin, Base):
    """The class adviser's term-end levels per dimension (JSON) and comment (班主任评语)."""

    __tablename__ = "term_evaluation"
    __table_args__ = (
        Index("uq_term_eval_student_term", "student_id", "term_code", unique=True,
              sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    )

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    term_code: Mapped[str] = mapped_column(ForeignKey("term.code"), index=True)
    levels_json: Mapped[str] = mapped_column(Text, default="{}")
    comment: Mapped[str] = mapped_column(Text, default="")
    adviser_name: Mapped[str] = mapped_column(String(50), default="")
    written_on: Mapped[date]
