"""Indexes the district statistics want on a large district database (see bench/bench_stats.py).

Not created by the app on its own: they belong in a new Alembic revision (the lead's call). The
bench creates them with ``create_stats_indexes`` to show the difference.
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlalchemy.engine import Engine

from ..models import CompetitionResult, Enrollment, InnovationProject, ProcessEvaluation, Student

STATS_INDEXES: list[Index] = [
    # Term scores and coverage read (term, student, dimension, role, score) of one or two terms:
    # covering, in GROUP BY order, so SQLite streams the aggregate from the index alone. It
    # makes ix_process_eval_term_student (a prefix of it) redundant.
    Index("ix_stats_eval_cover", ProcessEvaluation.__table__.c.term_code, ProcessEvaluation.__table__.c.student_id,
          ProcessEvaluation.__table__.c.dimension, ProcessEvaluation.__table__.c.evaluator_role,
          ProcessEvaluation.__table__.c.score, ProcessEvaluation.__table__.c.deleted),
    # The school list counts rows per school as all rows minus tombstones; these partial
    # indexes hold only the (few) tombstones, so neither count reads the tables.
    *[Index(f"ix_stats_{m.__tablename__}_tombstones", m.__table__.c.school_code,
            sqlite_where=m.__table__.c.deleted == True, postgresql_where=m.__table__.c.deleted == True)  # noqa: E712
      for m in (Student, CompetitionResult, InnovationProject, ProcessEvaluation)],
    # The population of a term: students enrolled in its school year.
    Index("ix_stats_enrollment_year", Enrollment.__table__.c.school_year, Enrollment.__table__.c.student_id,
          Enrollment.__table__.c.deleted),
]


def create_stats_indexes(engine: Engine) -> list[str]:
    """Create the missing ones; returns their names."""
    made = []
    with engine.begin() as conn:
        for ix in STATS_INDEXES:
            ix.create(conn, checkfirst=True)
            made.append(ix.name)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    return made
