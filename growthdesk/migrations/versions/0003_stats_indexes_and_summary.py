"""district statistics: covering and partial indexes, summary cell tables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The indexes and the two summary tables were made ad hoc before (``bench/bench_stats.py``
through the former ``growthdesk.stats.indexes`` / ``summary.create_summary_tables``). A database
that has them already keeps its indexes (same names, same definitions); its summary tables are
dropped and made again, empty: they are only a cache, and a table made ad hoc may have an
older layout. The next refresh (after the next bundle import) fills them.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TOMBSTONES = dict(sqlite_where=sa.text("deleted = 1"), postgresql_where=sa.text("deleted = true"))
TOMBSTONE_TABLES = ("student", "competition_result", "innovation_project", "process_evaluation")
EVAL_COVER = ["term_code", "student_id", "dimension", "evaluator_role", "score", "deleted"]


def _indexes(table: str) -> set[str]:
    return {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    _summary_tables()
    made = []
    have = _indexes("process_evaluation")
    with op.batch_alter_table("process_evaluation", schema=None) as batch_op:
        if "ix_stats_eval_cover" not in have:
            batch_op.create_index("ix_stats_eval_cover", EVAL_COVER, unique=False)
            made.append("ix_stats_eval_cover")
        # A prefix of the covering index: every query it served, the new one serves.
        if "ix_process_eval_term_student" in have:
            batch_op.drop_index("ix_process_eval_term_student")
    if "ix_stats_enrollment_year" not in _indexes("enrollment"):
        with op.batch_alter_table("enrollment", schema=None) as batch_op:
            batch_op.create_index("ix_stats_enrollment_year", ["school_year", "student_id", "deleted"], unique=False)
        made.append("ix_stats_enrollment_year")
    for table in TOMBSTONE_TABLES:
        name = f"ix_stats_{table}_tombstones"
        if name not in _indexes(table):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.create_index(name, ["school_code"], unique=False, **TOMBSTONES)
            made.append(name)
    _analyze(made)


def _analyze(names: list[str]) -> None:
    """A database SQLite's planner has statistics for gets them for the new indexes too (without
    them it would keep preferring the old ones). One never analysed stays so: statistics taken
    now, on a new or small database, would mislead the planner once the data grows."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or not sa.inspect(bind).has_table("sqlite_stat1"):
        return
    for name in names:
        op.execute(f'ANALYZE "{name}"')


def _summary_tables() -> None:
    insp = sa.inspect(op.get_bind())
    for name in ("stats_summary_cell", "stats_summary_state"):
        if insp.has_table(name):  # made ad hoc before this revision: a cache, rebuilt on demand
            op.drop_table(name)
    op.create_table(
        "stats_summary_cell",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("school_code", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("multi_role", sa.Integer(), nullable=False),
        sa.Column("bands_json", sa.Text(), nullable=False),
        sa.Column("va_n", sa.Integer(), nullable=False),
        sa.Column("va_sum_from", sa.Float(), nullable=False),
        sa.Column("va_sum_to", sa.Float(), nullable=False),
        sa.Column("va_improved", sa.Integer(), nullable=False),
        sa.Column("va_declined", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term_code", "school_code", "stage", "dimension", name=op.f("pk_stats_summary_cell")),
    )
    op.create_table(
        "stats_summary_state",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("usn", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term_code", name=op.f("pk_stats_summary_state")),
    )


def downgrade() -> None:
    for table in TOMBSTONE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_stats_{table}_tombstones", **TOMBSTONES)
    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.drop_index("ix_stats_enrollment_year")
    with op.batch_alter_table("process_evaluation", schema=None) as batch_op:
        batch_op.create_index("ix_process_eval_term_student", ["term_code", "student_id", "dimension"], unique=False)
        batch_op.drop_index("ix_stats_eval_cover")
    op.drop_table("stats_summary_state")
    op.drop_table("stats_summary_cell")
