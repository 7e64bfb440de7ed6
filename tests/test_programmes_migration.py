"""Migration 0012_programmes2 on a database made at 0011 with programme data: open nominations
become unique (the later duplicate withdrawn with a reason, nothing deleted), growth-log entries
get the shared review provenance from what they say, and the database then refuses a second
open nomination itself."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from growthdesk.db import alembic_config, current_revision, head_revision, make_engine, open_database, to_url
from growthdesk.models import ProgrammeLogEntry, ProgrammeNomination

FIXTURE = Path(__file__).parent / "fixtures" / "school_rev0001.db"
STAMP = "'2025-10-01 08:00:00.000000', '2025-10-02 09:30:00.000000', 'liu', 5, 0"


@pytest.fixture()
def rev0011(tmp_path) -> Path:
    from alembic import command

    path = tmp_path / "school.db"
    shutil.copyfile(FIXTURE, path)
    engine = make_engine(to_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0011")
    engine.dispose()
    con = sqlite3.connect(path)
    with con:
        nom = ("INSERT INTO programme_nomination (id, school_code, created_at, updated_at, updated_by, usn, deleted, "
               "programme_id, student_id, person_key, student_school, term_code, nominated_by_kind, nominated_by, "
               "nominated_on, reason, rule_codes, evidence, decision, decided_by, decided_on, decision_reason) VALUES "
               "(?, 'S0001', " + STAMP + ", ?, ?, '', 'S0001', ?, 'teacher', 'liu', ?, '推荐', '', '', ?, '', NULL, '')")
        con.executemany(nom, [
            ("n1", "p1", "st1", "2024-2025-2", "2025-03-01", "pending"),   # open, earlier term: stays open
            ("n2", "p1", "st1", "2025-2026-1", "2025-09-20", "pending"),   # a second open one: withdrawn
            ("n3", "p1", "st2", "2025-2026-1", "2025-09-20", "pending"),
            ("n4", "p1", "st2", "2024-2025-2", "2025-03-01", "not_this_time"),
            ("n5", "p2", "st1", "2025-2026-1", "2025-09-20", "pending"),   # another programme
        ])
        log = ("INSERT INTO programme_log_entry (id, school_code, created_at, updated_at, updated_by, usn, deleted, "
               "member_id, entry_date, activity, hours, content, mentor_feedback, author_kind, author, mentor_id, "
               "state, return_reason) VALUES (?, 'S0001', " + STAMP + ", 'm1', '2025-10-01', 'lecture', 2, '讲座', '', "
               "?, ?, NULL, ?, ?)")
        con.executemany(log, [
            ("l1", "mentor", "liu", "approved", ""),
            ("l2", "student", "wang", "draft", ""),
            ("l3", "student", "wang", "submitted", ""),
            ("l4", "student", "wang", "returned", "请写清楚" * 80),   # 320 characters: cut to the mixin's 200
            ("l5", "student", "wang", "approved", ""),
        ])
    con.close()
    return path


def test_0011_programme_rows_are_migrated(rev0011):
    db = open_database(rev0011)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.session() as s:
            noms = {n.id: n for n in s.scalars(select(ProgrammeNomination))}
            assert len(noms) == 5   # nothing deleted
            assert {k: n.decision for k, n in noms.items()} == {
                "n1": "pending", "n2": "withdrawn", "n3": "pending", "n4": "not_this_time", "n5": "pending"}
            assert "已有待遴选的推荐" in noms["n2"].decision_reason and noms["n2"].decided_on is not None
            logs = {e.id: e for e in s.scalars(select(ProgrammeLogEntry))}
            got = {k: (e.state, e.entered_role, e.entered_by, e.submitted_at is not None, e.reviewed_by,
                       e.reviewed_at is not None) for k, e in logs.items()}
            assert got == {
                "l1": ("approved", "teacher", "liu", False, "liu", True),    # a mentor's entry: approved when written
                "l2": ("draft", "student", "wang", False, "", False),
                "l3": ("submitted", "student", "wang", True, "", False),
                "l4": ("returned", "student", "wang", True, "liu", True),     # reviewed by the last change's author
                "l5": ("approved", "student", "wang", True, "liu", True),
            }
            assert all(e.entered_at is not None and not e.backfilled for e in logs.values())
            assert logs["l4"].return_reason == ("请写清楚" * 80)[:200]
    finally:
        db.close()


def test_database_refuses_a_second_open_nomination_of_one_node(rev0011):
    db = open_database(rev0011)
    try:
        with pytest.raises(IntegrityError):
            with db.session(user="liu") as s:
                n = s.get(ProgrammeNomination, "n2")   # withdrawn by the migration: reopening it clashes with n1
                n.decision = "pending"
        with db.session(user="liu") as s:   # another node's open nomination of the same pupil is allowed
            n = s.get(ProgrammeNomination, "n2")
            n.decision, n.school_code = "pending", ""
    finally:
        db.close()
