"""app_user.password_clock: when an account's password (or its must-change flag) last changed

Revision ID: 0012_autosync
Revises: 0012_teacherday2
Create Date: 2026-12-02

A hybrid logical clock (``growthdesk.hlc``), stamped by ``tracking`` whenever ``password_hash``
or ``must_change_password`` changes: a password changed on a workstation travels up to the hub
and on to the other workstations, and the later change wins (issue 11). Existing accounts get 0.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012_autosync"
down_revision: Union[str, Sequence[str], None] = "0012_teacherday2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_clock", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("password_clock")
