"""The access log: reads that matter are logged, hash-chained; an edit or a deletion is found."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from growthdesk.models import AccessLog, utcnow
from growthdesk.services import accesslog, views


def test_opening_a_record_is_logged_without_names_or_numbers(school_db):
    db = school_db
    sid, no = db.sample["student_ids"][0], db.sample["student_nos"][0]
    with db.session(user="admin") as s:
        views.student_page(s, sid, "2025-2026-1")
        accesslog.record(s, "export_sheet", db.sample["student_ids"], detail=f"名单 {no}.xlsx")
    with db.session() as s:
        rows = accesslog.entries(s)
        assert [(e.user, e.action, e.student_count) for e in rows] == [("admin", "export_sheet", 3),
                                                                        ("admin", "view_student", 1)]
        assert rows[1].student_ids == sid
        for e in rows:
            assert no not in e.detail and "张三" not in e.detail + e.student_ids
        assert accesslog.verify(s).ok


def _chain(db, n=5):
    with db.session(user="admin") as s:
        for i in range(n):
            accesslog.record(s, "print_portfolio", db.sample["student_ids"][:1], detail=f"2025-2026-1 class {i}")


def test_chain_finds_an_edited_entry(school_db):
    _chain(school_db)
    with school_db.session() as s:
        s.execute(text("UPDATE access_log SET user = 'someone' WHERE id = 3"))
    with school_db.session() as s:
        v = accesslog.verify(s)
    assert not v.ok and v.entry_id == 3 and "edited" in v.problem_en


def test_chain_finds_a_deleted_entry_also_the_newest(school_db):
    _chain(school_db)
    with school_db.session() as s:
        s.execute(text("DELETE FROM access_log WHERE id = 2"))
    with school_db.session() as s:
        v = accesslog.verify(s)
    assert not v.ok and v.entry_id == 3 and "deleted" in v.problem_en
    _chain(school_db)  # a new database state: newest removed
    with school_db.session() as s:
        s.execute(text("DELETE FROM access_log WHERE id = (SELECT max(id) FROM access_log)"))
    with school_db.session() as s:
        assert not accesslog.verify(s).ok


def test_purge_keeps_six_months_and_the_chain(school_db):
    _chain(school_db, 4)
    old = utcnow() - timedelta(days=400)
    with school_db.session() as s:
        first_two = list(s.scalars(select(AccessLog).order_by(AccessLog.id).limit(2)))
        # entries made long ago (their hashes recomputed as if written then)
        prev = ""
        for e in s.scalars(select(AccessLog).order_by(AccessLog.id)):
            if e in first_two:
                e.at = old
            e.prev_hash = prev
            e.entry_hash = accesslog._hash(prev, e)
            prev = e.entry_hash
        from growthdesk.db import write_settings
        write_settings(s, {"access_log_head": prev})
    with school_db.session() as s:
        assert accesslog.verify(s).ok
        assert accesslog.purge_old(s, now=old + timedelta(days=100)) == 0  # younger than six months: kept
        assert accesslog.purge_old(s) == 2
    with school_db.session() as s:
        assert accesslog.verify(s).ok and len(accesslog.entries(s)) == 2


def test_reason_required_for_person_history_and_export(school_db, tmp_path):
    import pytest

    from growthdesk.errors import ValidationError
    with school_db.session(user="admin") as s:
        with pytest.raises(ValidationError):
            accesslog.record(s, "person_history", ["x"])
    _chain(school_db, 2)
    out = tmp_path / "log.csv"
    with school_db.session(user="admin") as s:
        assert accesslog.export_csv(s, out) == 2
    text_ = out.read_text(encoding="utf-8-sig")
    assert "打印成长档案" in text_ and "admin" in text_
    with school_db.session() as s:
        assert accesslog.entries(s)[0].action == "export_access_log" and accesslog.verify(s).ok


def test_app_start_purges_old_entries_only_and_says_so(school_db):
    """``purge_due`` (run at app start) removes access-log entries past the kept period and logs
    that it did; students are untouched (their deletion needs the admin's confirmation)."""
    from growthdesk.models import Student
    _chain(school_db, 3)
    old = utcnow() - timedelta(days=400)
    with school_db.session() as s:
        prev = ""
        for i, e in enumerate(s.scalars(select(AccessLog).order_by(AccessLog.id))):
            if i == 0:
                e.at = old
            e.prev_hash = prev
            e.entry_hash = accesslog._hash(prev, e)
            prev = e.entry_hash
        from growthdesk.db import write_settings
        write_settings(s, {"access_log_head": prev})
        students_before = s.query(Student).filter_by(deleted=False).count()
    assert accesslog.purge_due(school_db) == 1
    assert accesslog.purge_due(school_db) == 0  # nothing more is due
    with school_db.session() as s:
        rows = accesslog.entries(s)
        assert [e.action for e in rows] == ["purge_access_log", "print_portfolio", "print_portfolio"]
        assert rows[0].user == "system" and "1 entries" in rows[0].detail and accesslog.verify(s).ok
        assert s.query(Student).filter_by(deleted=False).count() == students_before
