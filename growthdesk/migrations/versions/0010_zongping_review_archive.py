"""综评 process: record state and provenance, self records, archive selection, publicity,
objections, sign-offs, amendments, held-back changes; student accounts

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01

Every record that can go into the archive (competition result, innovation project, project log
entry) gains its state and provenance. Rows that exist already become ``approved`` and
``import`` (server defaults), so nothing disappears from portfolios or statistics.
``app_user`` gains ``student_id`` and the role ``student``.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REVIEWED = ("competition_result", "innovation_project", "project_log_entry")
ROLES_OLD = "role IN ('teacher', 'adviser', 'school_admin', 'district_staff')"
ROLES_NEW = "role IN ('teacher', 'adviser', 'school_admin', 'district_staff', 'student')"
RECORD_TYPES = "record_type IN ('result', 'project', 'project_log', 'self_record')"


def _review_columns() -> list[sa.Column]:
    return [
        sa.Column("state", sa.String(length=12), server_default="approved", nullable=False),
        sa.Column("return_reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("entered_role", sa.String(length=8), server_default="import", nullable=False),
        sa.Column("entered_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.Column("backfilled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
    ]


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("school_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("usn", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("clock", sa.BigInteger(), server_default="0", nullable=False),   # sync order (0005)
        sa.Column("versions", sa.Text(), server_default="", nullable=False),
    ]


def _sync_indexes(batch_op, table: str) -> None:
    batch_op.create_index(f"ix_{table}_school_code", ["school_code"], unique=False)
    batch_op.create_index(f"ix_{table}_usn", ["usn"], unique=False)


def upgrade() -> None:
    for table in REVIEWED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for col in _review_columns():
                batch_op.add_column(col)
            batch_op.create_index(f"ix_{table}_state", ["state"], unique=False)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("student_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_app_user_student_id", ["student_id"], unique=False)
        batch_op.drop_constraint(op.f("ck_app_user_role_valid"), type_="check")
        batch_op.create_check_constraint("role_valid", ROLES_NEW)

    op.create_table(
        "self_record",
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        *_review_columns(),
        *_sync_columns(),
        sa.CheckConstraint("kind IN ('activity', 'self_evaluation')", name=op.f("ck_self_record_kind_valid")),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')",
                           name=op.f("ck_self_record_state_valid")),
        sa.CheckConstraint("hours IS NULL OR (hours >= 0 AND hours <= 1000)", name=op.f("ck_self_record_hours_range")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_self_record_student_id_student")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_self_record_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_record")),
    )
    with op.batch_alter_table("self_record", schema=None) as batch_op:
        _sync_indexes(batch_op, "self_record")
        batch_op.create_index("ix_self_record_state", ["state"], unique=False)
        batch_op.create_index("ix_self_record_student_id", ["student_id"], unique=False)
        batch_op.create_index("ix_self_record_term_code", ["term_code"], unique=False)
        batch_op.create_index("ix_self_record_student_term", ["student_id", "term_code"], unique=False)

    op.create_table(
        "archive_item",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        *_sync_columns(),
        sa.CheckConstraint(RECORD_TYPES, name=op.f("ck_archive_item_record_type_valid")),
        sa.ForeignKeyConstraint(["class_id"], ["school_class.id"], name=op.f("fk_archive_item_class_id_school_class")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_archive_item_student_id_student")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_archive_item_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_item")),
    )
    with op.batch_alter_table("archive_item", schema=None) as batch_op:
        _sync_indexes(batch_op, "archive_item")
        batch_op.create_index("ix_archive_item_student_id", ["student_id"], unique=False)
        batch_op.create_index("ix_archive_item_record", ["record_type", "record_id"], unique=False)
        batch_op.create_index("ix_archive_item_term_class", ["term_code", "class_id"], unique=False)

    op.create_table(
        "publicity_period",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        *_sync_columns(),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_publicity_period_dates_ordered")),
        sa.ForeignKeyConstraint(["class_id"], ["school_class.id"],
                                name=op.f("fk_publicity_period_class_id_school_class")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_publicity_period_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_period")),
    )
    with op.batch_alter_table("publicity_period", schema=None) as batch_op:
        _sync_indexes(batch_op, "publicity_period")
        batch_op.create_index("ix_publicity_term_class", ["term_code", "class_id"], unique=False)

    op.create_table(
        "objection",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("raised_by", sa.String(length=12), nullable=False),
        sa.Column("raised_by_name", sa.String(length=50), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        *_sync_columns(),
        sa.CheckConstraint("raised_by IN ('student', 'classmate', 'parent')", name=op.f("ck_objection_raised_by_valid")),
        sa.CheckConstraint("outcome = '' OR outcome = 'kept' OR outcome = 'corrected' OR outcome = 'removed'",
                           name=op.f("ck_objection_outcome_valid")),
        sa.ForeignKeyConstraint(["class_id"], ["school_class.id"], name=op.f("fk_objection_class_id_school_class")),
        sa.ForeignKeyConstraint(["item_id"], ["archive_item.id"], name=op.f("fk_objection_item_id_archive_item")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_objection_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    with op.batch_alter_table("objection", schema=None) as batch_op:
        _sync_indexes(batch_op, "objection")
        batch_op.create_index("ix_objection_item_id", ["item_id"], unique=False)
        batch_op.create_index("ix_objection_term_class", ["term_code", "class_id"], unique=False)

    op.create_table(
        "sign_off",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.String(length=36), nullable=True),
        sa.Column("student_id", sa.String(length=36), nullable=True),
        sa.Column("signed_by", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.String(length=50), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        *_sync_columns(),
        sa.CheckConstraint("kind IN ('student', 'adviser', 'principal')", name=op.f("ck_sign_off_kind_valid")),
        sa.CheckConstraint("grade BETWEEN 1 AND 12", name=op.f("ck_sign_off_grade_range")),
        sa.ForeignKeyConstraint(["class_id"], ["school_class.id"], name=op.f("fk_sign_off_class_id_school_class")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_sign_off_student_id_student")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_sign_off_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_off")),
    )
    with op.batch_alter_table("sign_off", schema=None) as batch_op:
        _sync_indexes(batch_op, "sign_off")
        batch_op.create_index("ix_sign_off_term", ["term_code", "grade", "kind"], unique=False)

    op.create_table(
        "amendment",
        sa.Column("term_code", sa.String(length=11), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amended_by", sa.String(length=64), nullable=False),
        sa.Column("amended_at", sa.DateTime(), nullable=False),
        *_sync_columns(),
        sa.CheckConstraint(RECORD_TYPES, name=op.f("ck_amendment_record_type_valid")),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_amendment_student_id_student")),
        sa.ForeignKeyConstraint(["term_code"], ["term.code"], name=op.f("fk_amendment_term_code_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        _sync_indexes(batch_op, "amendment")
        batch_op.create_index("ix_amendment_student_id", ["student_id"], unique=False)
        batch_op.create_index("ix_amendment_record", ["record_type", "record_id"], unique=False)

    op.create_table(
        "held_change",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("row_json", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_change")),
    )
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.create_index("ix_held_change_record_id", ["record_id"], unique=False)


def downgrade() -> None:
    for table in ("held_change", "amendment", "sign_off", "objection", "publicity_period", "archive_item",
                  "self_record"):
        op.drop_table(table)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_app_user_role_valid"), type_="check")
        batch_op.create_check_constraint("role_valid", ROLES_OLD)
        batch_op.drop_index("ix_app_user_student_id")
        batch_op.drop_column("student_id")
    for table in REVIEWED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_state")
            for col in _review_columns():
                batch_op.drop_column(col.name)
