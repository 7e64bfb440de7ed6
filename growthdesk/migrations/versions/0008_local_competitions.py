"""competition.level and competition.owner_code: local competitions added by a school or district

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01

A school adds its own (校级/区级/市级) competitions from the award dialog or the admin's
competition list; ``level`` is the level its awards usually have (pre-filled in the award form)
and ``owner_code`` says who manages the entry: '' for the Ministry's national list, the school's
code, or the district's code for entries a district sends down in its bundle.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("competition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.String(length=16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("owner_code", sa.String(length=16), nullable=False, server_default=""))
    # Entries schools made before: owned by the school that made them.
    op.execute("UPDATE competition SET owner_code = school_code WHERE on_national_list = false AND school_code <> ''"
               if op.get_bind().dialect.name == "postgresql" else
               "UPDATE competition SET owner_code = school_code WHERE on_national_list = 0 AND school_code <> ''")


def downgrade() -> None:
    with op.batch_alter_table("competition", schema=None) as batch_op:
        batch_op.drop_column("owner_code")
        batch_op.drop_column("level")
