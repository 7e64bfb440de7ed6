"""District statistics' summary cells (a cache, ``growthdesk.stats.summary``) and the partial
index spelling the statistics' tombstone counts rely on.

The cells hold, per (term, school, stage, dimension), the sums that coverage, score
distributions and value added add up; the state row per term records the data fingerprint the
cells were computed from, so stale cells are never used. Local to the district database: the
cells never travel and may be dropped and rebuilt at any time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


def tombstone_index(table: str) -> Index:
    """``(school_code) WHERE deleted``: holds only the (few) tombstones, so the school list counts
    live rows as all rows minus these without reading the table. The condition is spelled as
    ``stats.schools`` queries it (``deleted = 1`` / ``deleted = true``): SQLite uses a partial
    index only when the query's WHERE contains the index's condition term for term."""
    return Index(f"ix_stats_{table}_tombstones", "school_code",
                 sqlite_where=text("deleted = 1"), postgresql_where=text("deleted = true"))


class SummaryCell(Base):
    __tablename__ = "stats_summary_cell"

    term_code: Mapped[str] = mapped_column(String(11), primary_key=True)
    school_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    stage: Mapped[str] = mapped_column(String(8), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)  # "*": the population row
    students: Mapped[int] = mapped_column(Integer, default=0)  # term population of this school and stage
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    multi_role: Mapped[int] = mapped_column(Integer, default=0)
    bands_json: Mapped[str] = mapped_column(Text, default="{}")  # {level: [count, sum, min, max]}
    va_n: Mapped[int] = mapped_column(Integer, default=0)
    va_sum_from: Mapped[float] = mapped_column(Float, default=0.0)
    va_sum_to: Mapped[float] = mapped_column(Float, default=0.0)
    va_improved: Mapped[int] = mapped_column(Integer, default=0)
    va_declined: Mapped[int] = mapped_column(Integer, default=0)


class SummaryState(Base):
    """Per term: what its cells were computed from. ``usn`` and ``import_id`` (the change
    counter and the newest imported bundle's log row at build time) are where an incremental
    refresh starts from."""

    __tablename__ = "stats_summary_state"

    term_code: Mapped[str] = mapped_column(String(11), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime]
    usn: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int] = mapped_column(Integer)
