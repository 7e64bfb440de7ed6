"""cultivation programmes: programmes, mentors, nominations, members, growth logs, evaluations

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Six new tables (``growthdesk.models.programmes``), all travelling in bundles, and one index on
``student`` (school, stage, status; live rows only) that the programme statistics' population
reads alone.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("programme", "programme_mentor", "programme_nomination", "programme_member", "programme_log_entry",
          "programme_evaluation")


def upgrade() -> None:
    op.create_table('programme',
    sa.Column('owner_kind', sa.String(length=8), nullable=False),
    sa.Column('owner_code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('tier', sa.String(length=8), nullable=False),
    sa.Column('disciplines', sa.String(length=200), nullable=False),
    sa.Column('start_term', sa.String(length=11), nullable=False),
    sa.Column('end_term', sa.String(length=11), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('rules_json', sa.Text(), nullable=False),
    sa.Column('criteria_json', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("owner_kind IN ('school', 'district')", name=op.f('ck_programme_owner_kind_valid')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_programme_status_valid')),
    sa.CheckConstraint("tier IN ('primary', 'junior', 'senior')", name=op.f('ck_programme_tier_valid')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_programme_capacity_positive')),
    sa.CheckConstraint('end_term IS NULL OR start_term <= end_term', name=op.f('ck_programme_terms_ordered')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme'))
    )
    op.create_index(op.f('ix_programme_owner_code'), 'programme', ['owner_code'], unique=False)
    op.create_index(op.f('ix_programme_school_code'), 'programme', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_tier'), 'programme', ['tier'], unique=False)
    op.create_index(op.f('ix_programme_usn'), 'programme', ['usn'], unique=False)
    op.create_table('programme_evaluation',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('term_code', sa.String(length=11), nullable=False),
    sa.Column('eval_date', sa.Date(), nullable=False),
    sa.Column('mentor_id', sa.String(length=36), nullable=True),
    sa.Column('evaluator', sa.String(length=64), nullable=False),
    sa.Column('scores_json', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("kind IN ('midterm', 'annual')", name=op.f('ck_programme_evaluation_kind_valid')),
    sa.CheckConstraint("result IN ('continue', 'leave')", name=op.f('ck_programme_evaluation_result_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_evaluation'))
    )
    op.create_index(op.f('ix_programme_evaluation_member_id'), 'programme_evaluation', ['member_id'], unique=False)
    op.create_index(op.f('ix_programme_evaluation_school_code'), 'programme_evaluation', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_evaluation_usn'), 'programme_evaluation', ['usn'], unique=False)
    op.create_table('programme_log_entry',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('activity', sa.String(length=24), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('mentor_feedback', sa.Text(), nullable=False),
    sa.Column('author_kind', sa.String(length=8), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('mentor_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("activity IN ('lecture', 'lab_day', 'fieldwork', 'study_group', 'competition_training', 'other')", name=op.f('ck_programme_log_entry_activity_valid')),
    sa.CheckConstraint("author_kind IN ('mentor', 'student', 'teacher')", name=op.f('ck_programme_log_entry_author_kind_valid')),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name=op.f('ck_programme_log_entry_state_valid')),
    sa.CheckConstraint('hours >= 0 AND hours <= 24', name=op.f('ck_programme_log_entry_hours_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_log_entry'))
    )
    op.create_index(op.f('ix_programme_log_entry_member_id'), 'programme_log_entry', ['member_id'], unique=False)
    op.create_index(op.f('ix_programme_log_entry_school_code'), 'programme_log_entry', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_log_entry_usn'), 'programme_log_entry', ['usn'], unique=False)
    op.create_table('programme_member',
    sa.Column('programme_id', sa.String(length=36), nullable=False),
    sa.Column('student_id', sa.String(length=36), nullable=True),
    sa.Column('person_key', sa.String(length=64), nullable=False),
    sa.Column('student_school', sa.String(length=16), nullable=False),
    sa.Column('nomination_id', sa.String(length=36), nullable=True),
    sa.Column('in_mentor_id', sa.String(length=36), nullable=True),
    sa.Column('ext_mentor_id', sa.String(length=36), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('leave_reason', sa.Text(), nullable=False),
    sa.Column('destination_school', sa.String(length=100), nullable=False),
    sa.Column('destination_track', sa.String(length=100), nullable=False),
    sa.Column('destination_note', sa.Text(), nullable=False),
    sa.Column('destination_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("status IN ('active', 'left', 'completed')", name=op.f('ck_programme_member_status_valid')),
    sa.CheckConstraint('left_on IS NULL OR joined_on <= left_on', name=op.f('ck_programme_member_dates_ordered')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_member'))
    )
    op.create_index(op.f('ix_programme_member_ext_mentor_id'), 'programme_member', ['ext_mentor_id'], unique=False)
    op.create_index(op.f('ix_programme_member_in_mentor_id'), 'programme_member', ['in_mentor_id'], unique=False)
    op.create_index('ix_programme_member_person', 'programme_member', ['person_key', 'programme_id'], unique=False)
    op.create_index(op.f('ix_programme_member_programme_id'), 'programme_member', ['programme_id'], unique=False)
    op.create_index(op.f('ix_programme_member_school_code'), 'programme_member', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_member_student_id'), 'programme_member', ['student_id'], unique=False)
    op.create_index(op.f('ix_programme_member_usn'), 'programme_member', ['usn'], unique=False)
    op.create_table('programme_mentor',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('mentor_school', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('institution', sa.String(length=100), nullable=False),
    sa.Column('field', sa.String(length=50), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("kind IN ('in_school', 'external')", name=op.f('ck_programme_mentor_kind_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_mentor'))
    )
    op.create_index(op.f('ix_programme_mentor_school_code'), 'programme_mentor', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_mentor_usn'), 'programme_mentor', ['usn'], unique=False)
    op.create_table('programme_nomination',
    sa.Column('programme_id', sa.String(length=36), nullable=False),
    sa.Column('student_id', sa.String(length=36), nullable=True),
    sa.Column('person_key', sa.String(length=64), nullable=False),
    sa.Column('student_school', sa.String(length=16), nullable=False),
    sa.Column('term_code', sa.String(length=11), nullable=False),
    sa.Column('nominated_by_kind', sa.String(length=8), nullable=False),
    sa.Column('nominated_by', sa.String(length=64), nullable=False),
    sa.Column('nominated_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('rule_codes', sa.String(length=200), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('usn', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('clock', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('versions', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("decision IN ('pending', 'selected', 'not_this_time', 'withdrawn')", name=op.f('ck_programme_nomination_decision_valid')),
    sa.CheckConstraint("nominated_by_kind IN ('rule', 'teacher', 'school', 'district')", name=op.f('ck_programme_nomination_nominated_by_kind_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_nomination'))
    )
    op.create_index('ix_programme_nomination_person', 'programme_nomination', ['programme_id', 'person_key'], unique=False)
    op.create_index(op.f('ix_programme_nomination_programme_id'), 'programme_nomination', ['programme_id'], unique=False)
    op.create_index(op.f('ix_programme_nomination_school_code'), 'programme_nomination', ['school_code'], unique=False)
    op.create_index(op.f('ix_programme_nomination_usn'), 'programme_nomination', ['usn'], unique=False)
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.create_index("ix_student_school_stage", ["school_code", "stage", "status", "deleted"], unique=False,
                              sqlite_where=sa.text("deleted = 0"), postgresql_where=sa.text("deleted = false"))


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_index("ix_student_school_stage", sqlite_where=sa.text("deleted = 0"),
                            postgresql_where=sa.text("deleted = false"))
    for table in reversed(TABLES):
        op.drop_table(table)
