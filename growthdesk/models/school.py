"""Schools, terms, classes, students and their enrollment history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, SyncMixin, enum_check
from .enums import ENROLLMENT_REASONS, GENDERS, SCHOOL_CATEGORIES, STAGES, STUDENT_STATUSES
from .stats import tombstone_index

ACTIVE = text("NOT deleted")


class School(Base):
    """A school registered with the district. ``sync_key`` signs its bundles (HMAC)."""

    __tablename__ = "school"
    __table_args__ = (enum_check("category", SCHOOL_CATEGORIES),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    district_code: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(8))
    stages: Mapped[str] = mapped_column(String(40), default="primary,junior,senior")
    sync_key: Mapped[str | None] = mapped_column(String(128))


class Term(Base):
    """A term, by code ``2025-2026-1`` (autumn) / ``2025-2026-2`` (spring). Same everywhere."""

    __tablename__ = "term"
    __table_args__ = (
        CheckConstraint("term_no IN (1, 2)", name="term_no_valid"),
        CheckConstraint("start_date < end_date", name="dates_ordered"),
    )

    code: Mapped[str] = mapped_column(String(11), primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer, index=True)  # 2025 for 2025-2026
    term_no: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date]
    end_date: Mapped[date]


class SchoolClass(SyncMixin, Base):
    """A class in one school year: grade 1–12 and class number, e.g. 初一(3)班 in 2025."""

    __tablename__ = "school_class"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 12", name="grade_range"),
        CheckConstraint("class_no BETWEEN 1 AND 99", name="class_no_range"),
        Index("uq_class_year_grade_no", "school_code", "school_year", "grade", "class_no",
              unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    )

    school_year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[int] = mapped_column(Integer)
    class_no: Mapped[int] = mapped_column(Integer)
    adviser_name: Mapped[str] = mapped_column(String(50), default="")
    adviser_user_id: Mapped[str | None] = mapped_column(String(36))


class Student(SyncMixin, Base):
    """A student. ``person_key`` is the district-wide key derived from the national student
    number with the district's secret; it is what links one person across schools."""

    __tablename__ = "student"
    __table_args__ = (
        enum_check("gender", GENDERS),
        enum_check("stage", STAGES),
        enum_check("status", STUDENT_STATUSES),
        Index("uq_student_school_no", "school_code", "national_student_no", unique=True,
              sqlite_where=ACTIVE, postgresql_where=ACTIVE),
        Index("ix_student_class_name", "class_id", "name"),
        # Live students by school and stage, read from the index alone (programme statistics'
        # population). Partial, so the tombstone counts keep their own tiny index.
        Index("ix_student_school_stage", "school_code", "stage", "status", "deleted",
              sqlite_where=text("deleted = 0"), postgresql_where=text("deleted = false")),
        tombstone_index("student"),
    )

    national_student_no: Mapped[str | None] = mapped_column(String(32))
    person_key: Mapped[str] = mapped_column(String(64), index=True, default="")
    name: Mapped[str] = mapped_column(String(50), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(100), default="", server_default="")  # "zhangsan zs", for search
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    stage: Mapped[str] = mapped_column(String(8))
    entry_year: Mapped[int | None]
    class_id: Mapped[str | None] = mapped_column(ForeignKey("school_class.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    note: Mapped[str] = mapped_column(Text, default="")
    # 学号/座号: the student's number in the class (from the roster's 学号 or 座号 column), for
    # lists in class order; '' where the roster has none. Not the 学籍号.
    class_seq: Mapped[str] = mapped_column(String(16), default="", server_default="")

    school_class: Mapped[SchoolClass | None] = relationship()


class Enrollment(SyncMixin, Base):
    """Which class a student was in, from when to when, and why it changed."""

    __tablename__ = "enrollment"
    __table_args__ = (enum_check("reason", ENROLLMENT_REASONS),
                      Index("ix_stats_enrollment_year", "school_year", "student_id", "deleted"))  # a term's population

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), index=True)
    class_id: Mapped[str | None] = mapped_column(ForeignKey("school_class.id"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(16), default="entry")
