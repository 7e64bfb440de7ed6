"""Evidence (佐证材料): files stored by SHA-256 in the app's data folder, or a link."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncMixin, enum_check
from .enums import EVIDENCE_KINDS, EVIDENCE_OWNERS


class Evidence(SyncMixin, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        enum_check("kind", EVIDENCE_KINDS),
        enum_check("owner_type", EVIDENCE_OWNERS),
        CheckConstraint("size >= 0", name="size_nonnegative"),
        CheckConstraint("(kind = 'video_link' AND url <> '') OR length(sha256) = 64", name="file_or_link"),
        Index("ix_evidence_owner", "owner_type", "owner_id"),
    )

    owner_type: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
