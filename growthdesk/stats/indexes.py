"""Indexes the district statistics want on a large district database (see bench/bench_stats.py).

Not created by the app on its own: they belong in a new Alembic revision (the lead's call). The
bench creates them with ``create_stats_indexes`` to show the difference. They are built on
copies of the tables in a throwaway MetaData, so importing this module never changes the
models' schema (which Alembic compares against the migrations).
"""

from __future__ import annotations

from sqlalchemy import Index, MetaData
from sqlalchemy.engine import Engine

from ..models import CompetitionResult, Enrollment, InnovationProject, ProcessEvaluation, Student

# (index name, model, columns, partial on tombstones only)
STATS_INDEXES = [
    # Term scores and coverage read (term, student, dimension, role, score) of one or two terms:
    # covering, in GROUP BY order, so SQLite streams the aggregate from the index alone. It
    # makes ix_process_eval_term_student (a prefix of it) redundant.
    ("ix_stats_eval_cover", ProcessEvaluation,
     ("term_code", "student_id", "dimension", "evaluator_role", "score", "deleted"), False),
    # The population of a term: students enrolled in its school year.
    ("ix_stats_enrollment_year", Enrollment, ("school_year", "student_id", "deleted"), False),
    # The school list counts rows per school as all rows minus tombstones; these partial
    # indexes hold only the (few) tombstones, so neither count reads the tables.
    *[(f"ix_stats_{m.__tablename__}_tombstones", m, ("school_code",), True)
      for m in (Student, CompetitionResult, InnovationProject, ProcessEvaluation)],
]


def stats_indexes() -> list[Index]:
    """The indexes as SQLAlchemy objects on detached copies of the tables."""
    md = MetaData()
    out = []
    for name, model, columns, tombstones in STATS_INDEXES:
        table = md.tables.get(model.__tablename__)
        if table is None:
            table = model.__table__.to_metadata(md)
        where = {}
        if tombstones:
            cond = table.c.deleted == True  # noqa: E712 (SQL, spelled as stats.schools queries it)
            where = {"sqlite_where": cond, "postgresql_where": cond}
        out.append(Index(name, *[table.c[c] for c in columns], **where))
    return out


def create_stats_indexes(engine: Engine) -> list[str]:
    """Create the missing ones; returns their names."""
    made = []
    with engine.begin() as conn:
        for ix in stats_indexes():
            ix.create(conn, checkfirst=True)
            made.append(ix.name)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    return made
