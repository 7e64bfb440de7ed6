"""format 2: node identity, key pairs made where the node lives, pinned peers

Revision ID: 0004
Revises: 0008
Create Date: 2026-12-01

Every database becomes a node (DESIGN §5.1): ``gd_setting`` gains ``node_id``, ``node_role`` and
the node's private keys (Ed25519 for signing, X25519 for receiving sealed bundles), made here, on
this machine. An existing school database becomes a hub (node id = its school code) and a
district database a district (node id = its district code). ``sync_peer`` holds the parent and
children with their pinned public keys. A school keeps its format-1 ``sync_key`` and secret until
the district enrolls it again with a format-2 setup file. ``sync_state`` keys get longer (a
workstation's node id is ``<school code>-Wnn``).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "sync_peer",
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("relation", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("school_code", sa.String(length=16), nullable=False),
        sa.Column("sign_public", sa.String(length=64), nullable=False),
        sa.Column("box_public", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enroll_key", sa.String(length=64), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("received_sequence", sa.Integer(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("relation IN ('parent', 'child')", name=op.f("ck_sync_peer_relation_valid")),
        sa.CheckConstraint("role IN ('district', 'hub', 'workstation')", name=op.f("ck_sync_peer_role_valid")),
        sa.CheckConstraint("status IN ('pending', 'active', 'revoked')", name=op.f("ck_sync_peer_status_valid")),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_sync_peer")),
    )
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.alter_column("school_code", existing_type=sa.String(length=16), type_=sa.String(length=40),
                              existing_nullable=False)
    _node_identity()


def _node_identity() -> None:
    """Existing databases become nodes, with fresh key pairs made here."""
    from growthdesk.sync.keys import NodeKeys

    bind = op.get_bind()
    settings = dict(bind.execute(sa.text("SELECT key, value FROM gd_setting")).fetchall())
    kind = settings.get("kind")
    if kind not in ("school", "district") or "node_id" in settings:
        return  # an empty (being created) database: growthdesk.setup makes its identity
    node_id = settings.get("school_code") if kind == "school" else settings.get("district_code")
    if not node_id:
        return
    keys = NodeKeys.generate()
    values = {"node_id": node_id, "node_role": "hub" if kind == "school" else "district",
              "node_sign_key": keys.sign_private.hex(), "node_box_key": keys.box_private.hex()}
    for key, value in values.items():
        bind.execute(sa.text("INSERT INTO gd_setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value})


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM gd_setting WHERE key IN ('node_id', 'node_role', 'parent_node_id', "
                         "'node_sign_key', 'node_box_key')"))
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.alter_column("school_code", existing_type=sa.String(length=40), type_=sa.String(length=16),
                              existing_nullable=False)
    op.drop_table("sync_peer")
