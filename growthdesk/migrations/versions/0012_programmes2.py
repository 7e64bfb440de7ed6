"""programmes: one open nomination per programme and student, growth logs with the shared review
state, per-student term scores kept with the statistics summary

Revision ID: 0012_programmes2
Revises: 0012_autosync
Create Date: 2026-12-01

* ``programme_nomination``: a unique partial index, one open (pending, live) nomination per
  programme, student and writing node. Rows that already break it are resolved first: of the
  open nominations of one programme, student and node, the earliest stays open and the later
  ones are marked withdrawn with a reason (nothing is deleted; the service had refused them
  within one term already, so only nominations open in several terms meet this).
* ``programme_log_entry``: the ``ReviewMixin`` columns (``models.review``). Existing rows are
  filled from what they say: a student's entry was entered in the role ``student``, a mentor's
  or teacher's in the role ``teacher``, by ``author``, at ``created_at``; an entry reviewed
  (approved or returned) got its reviewer from the last change; a mentor's entry was approved
  by its author when written. ``return_reason`` becomes the mixin's 200 characters.
* ``stats_summary_score`` (a local cache, ``models.stats.SummaryScore``) and two columns of
  ``stats_summary_state`` saying what those scores were computed from.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012_programmes2"
down_revision: Union[str, Sequence[str], None] = "0012_autosync"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = sa.text("decision = 'pending' AND NOT deleted")
WITHDRAWN_REASON = "同一学生在本项目已有待遴选的推荐（数据升级时合并）"


def _withdraw_duplicate_open_nominations() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, programme_id, student_id, school_code FROM programme_nomination "
        "WHERE decision = 'pending' AND NOT deleted AND student_id IS NOT NULL "
        "ORDER BY programme_id, student_id, school_code, term_code, nominated_on, id")).all()
    seen, later = set(), []
    for rid, programme, student, school in rows:
        key = (programme, student, school)
        if key in seen:
            later.append(rid)
        seen.add(key)
    for rid in later:  # every node runs this over the rows it holds, so no new usn (no sync traffic)
        conn.execute(sa.text(
            "UPDATE programme_nomination SET decision = 'withdrawn', decision_reason = :r, decided_by = 'upgrade', "
            "decided_on = CURRENT_DATE WHERE id = :i"), {"r": WITHDRAWN_REASON, "i": rid})


def upgrade() -> None:
    _withdraw_duplicate_open_nominations()
    op.create_index("uq_programme_nomination_open", "programme_nomination",
                    ["programme_id", "student_id", "school_code"], unique=True,
                    sqlite_where=OPEN, postgresql_where=sa.text("decision = 'pending' AND NOT deleted"))

    with op.batch_alter_table("programme_log_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_role", sa.String(length=8), server_default="import", nullable=False))
        batch_op.add_column(sa.Column("entered_by", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("entered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("backfilled", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE programme_log_entry SET "
               "entered_role = CASE WHEN author_kind = 'student' THEN 'student' ELSE 'teacher' END, "
               "entered_by = author, entered_at = created_at, "
               "submitted_at = CASE WHEN author_kind = 'student' AND state != 'draft' THEN updated_at END, "
               "reviewed_by = CASE WHEN author_kind != 'student' THEN author "
               "                   WHEN state IN ('approved', 'returned') THEN updated_by ELSE '' END, "
               "reviewed_at = CASE WHEN author_kind != 'student' THEN created_at "
               "                   WHEN state IN ('approved', 'returned') THEN updated_at END, "
               "return_reason = substr(return_reason, 1, 200)")
    with op.batch_alter_table("programme_log_entry", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(length=12), server_default="approved",
                              existing_nullable=False)
        batch_op.alter_column("return_reason", existing_type=sa.Text(), type_=sa.String(length=200),
                              server_default="", existing_nullable=False)
        batch_op.create_index("ix_programme_log_entry_state", ["state"], unique=False)

    with op.batch_alter_table("stats_summary_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scores_fingerprint", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("score_dims", sa.String(length=200), server_default="", nullable=False))
    op.create_table(
        "stats_summary_score",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("school_code", sa.String(length=16), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("term_code", "dimension", "stage", "school_code", "student_id",
                                name=op.f("pk_stats_summary_score")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("stats_summary_score")
    with op.batch_alter_table("stats_summary_state", schema=None) as batch_op:
        batch_op.drop_column("score_dims")
        batch_op.drop_column("scores_fingerprint")
    with op.batch_alter_table("programme_log_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_log_entry_state")
        batch_op.alter_column("return_reason", existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=False)
        for col in ("reviewed_at", "reviewed_by", "submitted_at", "backfilled", "entered_at", "entered_by",
                    "entered_role"):
            batch_op.drop_column(col)
    op.drop_index("uq_programme_nomination_open", table_name="programme_nomination")
