"""Access log: who read or exported whose records, hash-chained. Local; never travels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class AccessLog(Base):
    """One read that matters (a student's record opened, portfolios printed, a spreadsheet or
    bundle exported, a person's history looked up at the district). ``student_ids`` holds record
    ids (UUIDs), never names or ID numbers; ``entry_hash`` = SHA-256 over the previous entry's
    hash and this entry's fields (``growthdesk.services.accesslog``)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    student_count: Mapped[int] = mapped_column(Integer, default=0)
    student_ids: Mapped[str] = mapped_column(Text, default="")  # comma-separated record ids
    detail: Mapped[str] = mapped_column(Text, default="")  # what: term, class, file name; never an ID number
    reason: Mapped[str] = mapped_column(Text, default="")  # the stated reason, where one is required
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
