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
    # The per-student term scores (``SummaryScore``) of this term: what they were computed from
    # (``summary.scores_fingerprint``: only the tables a term score reads, so a nomination or a
    # programme edit at the district leaves them usable) and for which dimensions ("、"-joined).
    scores_fingerprint: Mapped[str] = mapped_column(String(64), default="", server_default="")
    score_dims: Mapped[str] = mapped_column(String(200), default="", server_default="")


class SummaryScore(Base):
    """Per term, ranked dimension and student in the term's population: the term score, so the
    candidates' "top n %" rules rank a stage or a school by reading one index range instead of
    computing every student's term score from the evaluations. Only the dimensions that some
    top-score rule uses (the default rules' and the live programmes') are kept. A cache like the
    cells: local to the district database, rebuilt with the summary (``summary.refresh``)."""

    __tablename__ = "stats_summary_score"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the row: no second copy of it

    term_code: Mapped[str] = mapped_column(String(11), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    stage: Mapped[str] = mapped_column(String(8), primary_key=True)
    school_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    student_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
