"""sync order: per-record hybrid logical clock and field versions, the sender's export history

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01

Every travelling table gains ``clock`` (the hybrid logical clock of the record's latest change)
and ``versions`` (JSON: each field's version, see ``growthdesk.sync.clock``). Existing rows keep
0 and "": their order is then read from ``updated_at`` exactly as before. ``sync_export`` is
the sending side's own history of the bundles it wrote (sequence, usn range, file SHA-256), so
a receipt is trusted only for a bundle this database really sent. ``import_log.school_code``
holds the sending node (a workstation's ``<school>-Wnn``), so it gets as long as a node id.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SYNCED_TABLES = ("school_class", "student", "enrollment", "competition", "innovation_project", "project_member",
                 "project_mentor", "project_log_entry", "project_outcome", "competition_result",
                 "competition_result_member", "process_evaluation", "term_evaluation", "evidence")


def upgrade() -> None:
    for table in SYNCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("clock", sa.BigInteger(), server_default="0", nullable=False))
            batch_op.add_column(sa.Column("versions", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.alter_column("school_code", existing_type=sa.String(length=16), type_=sa.String(length=40),
                              existing_nullable=False)
    op.create_table(
        "sync_export",
        sa.Column("peer", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("usn_from", sa.Integer(), nullable=False),
        sa.Column("usn_to", sa.Integer(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("peer", "sequence", name=op.f("pk_sync_export")),
    )


def downgrade() -> None:
    op.drop_table("sync_export")
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.alter_column("school_code", existing_type=sa.String(length=40), type_=sa.String(length=16),
                              existing_nullable=False)
    for table in reversed(SYNCED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("versions")
            batch_op.drop_column("clock")
