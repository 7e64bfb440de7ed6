"""student.name_pinyin: pinyin search key ("zhangsan zs"), filled for existing students

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_student = sa.table("student", sa.column("id", sa.String), sa.column("name", sa.String),
                    sa.column("name_pinyin", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_pinyin", sa.String(length=100), nullable=False, server_default=""))
    _fill_pinyin()


def _fill_pinyin() -> None:
    # Pinyin needs Python (pypinyin), so existing names are read and written back in chunks.
    # The helper is imported here, not at module level, so listing revisions stays cheap.
    from growthdesk.services.pinyin import name_pinyin

    conn = op.get_bind()
    rows = conn.execute(sa.select(_student.c.id, _student.c.name)).all()
    update = (_student.update().where(_student.c.id == sa.bindparam("sid"))
              .values(name_pinyin=sa.bindparam("key")))
    for start in range(0, len(rows), 5000):
        chunk = [{"sid": r.id, "key": name_pinyin(r.name or "")} for r in rows[start:start + 5000]]
        conn.execute(update, chunk)


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("name_pinyin")
