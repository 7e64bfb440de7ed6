"""student.class_seq: the 学号/座号 (a student's number in the class) from the roster

Revision ID: 0012_teacherday2
Revises: 0011
Create Date: 2026-12-01

Class lists sort by class and this number, as teachers count their classes; '' where the
roster has no 学号/座号 column. Bundles of earlier versions lack the column and read it as ''
(``sync.format.OPTIONAL_COLUMNS``).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012_teacherday2"
down_revision: Union[str, Sequence[str], None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(sa.Column("class_seq", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("class_seq")
