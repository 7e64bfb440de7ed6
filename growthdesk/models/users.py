"""Accounts on the school PC. Local to one database: users never travel in bundles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, false, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, enum_check, new_uuid, utcnow
from .enums import ROLES


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (enum_check("role", ROLES),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    # An initial password handed out on a printed slip (account import): changed at first login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the password or must_change_password last changed (a hybrid logical clock, stamped by
    # ``tracking``): the later change wins between the hub and its workstations (sync.schoolwide).
    password_clock: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # A ``student`` account belongs to one student: it sees only that student's portfolio.
    student_id: Mapped[str | None] = mapped_column(String(36), index=True)


class TeachingAssignment(Base):
    """A teacher teaches (or advises) a class: decides which classes they see."""

    __tablename__ = "teaching_assignment"
    __table_args__ = (UniqueConstraint("user_id", "class_id", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[str] = mapped_column(ForeignKey("school_class.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20), default="")
