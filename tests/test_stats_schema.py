"""The statistics' indexes and summary tables are schema (revision 0003): a new district has them,
an older database upgrades to them with its data (also one where the bench made them ad hoc),
and importing bundles keeps the summary cells fresh, giving the same numbers as live queries."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from growthdesk.db import alembic_config, current_revision, head_revision, make_engine, open_database, to_url
from growthdesk.models import Enrollment, Student, SummaryState
from growthdesk.services import evaluations, students
from growthdesk.services.terms import ensure_term
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.stats import queries as q
from growthdesk.stats.filters import Filters
from growthdesk.stats.report import summary_state
from growthdesk.sync.export import export_bundle
from growthdesk.sync.importer import import_bundles

FIXTURE = Path(__file__).parent / "fixtures" / "school_rev0001.db"
TOMBSTONE_INDEXES = {f"ix_stats_{t}_tombstones": t for t in
                     ("student", "competition_result", "innovation_project", "process_evaluation")}
TERM = "2025-2026-2"


def _sqlite_objects(path: Path) -> dict[str, tuple[str, str, str | None]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name: (kind, table, sql) for kind, name, table, sql in
                con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}
    finally:
        con.close()


def _plan(path: Path, sql: str) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return " | ".join(r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        con.close()


def test_a_new_district_has_the_indexes_and_tables_and_sqlite_uses_them(tmp_path):
    path = tmp_path / "d.db"
    create_district(path, "D01", "测试区").close()
    objs = _sqlite_objects(path)
    assert objs["stats_summary_cell"][0] == objs["stats_summary_state"][0] == "table"
    assert "ix_process_eval_term_student" not in objs
    assert objs["ix_stats_eval_cover"][2].endswith(
        "(term_code, student_id, dimension, evaluator_role, score, deleted)")
    assert objs["ix_stats_enrollment_year"][2].endswith("(school_year, student_id, deleted)")
    for name, table in TOMBSTONE_INDEXES.items():
        assert objs[name][1] == table and objs[name][2].endswith("(school_code) WHERE deleted = 1")
    # The queries as the statistics write them pick the indexes (no table read for either).
    assert "ix_stats_student_tombstones" in _plan(
        path, "SELECT school_code, count(*) FROM student WHERE student.deleted = 1 GROUP BY school_code")
    assert "COVERING INDEX ix_stats_eval_cover" in _plan(
        path, "SELECT student_id, dimension, min(evaluator_role), sum(score) FROM process_evaluation "
              "WHERE process_evaluation.deleted = 0 AND term_code = 'x' GROUP BY term_code, student_id, dimension")


def test_revision_0002_database_with_ad_hoc_stats_objects_upgrades_with_its_data(tmp_path):
    """As left by the first round's bench: indexes and an older summary table made by hand."""
    from alembic import command

    path = tmp_path / "school.db"
    shutil.copyfile(FIXTURE, path)
    engine = make_engine(to_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
    engine.dispose()
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE INDEX ix_stats_eval_cover ON process_evaluation "
                    "(term_code, student_id, dimension, evaluator_role, score, deleted)")
        con.execute("CREATE INDEX ix_stats_student_tombstones ON student (school_code) WHERE deleted = 1")
        con.execute("CREATE TABLE stats_summary_state (term_code VARCHAR(11) PRIMARY KEY, fingerprint VARCHAR(64), "
                    "built_at DATETIME)")
        con.execute("INSERT INTO stats_summary_state VALUES ('2025-2026-1', 'old', '2026-01-01')")
        con.execute("INSERT INTO enrollment (id, school_code, created_at, updated_at, updated_by, usn, deleted, "
                    "student_id, class_id, school_year, start_date, end_date, reason) SELECT 'e-' || id, school_code, "
                    "created_at, updated_at, '', 1, 0, id, class_id, 2025, '2025-09-01', NULL, 'entry' FROM student")
        con.execute("ANALYZE")
    con.close()

    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()  # the newest, whatever later migrations add
        with db.session() as s:
            names = sorted(s.scalars(select(Student.name)))
            assert len(s.scalars(select(Enrollment)).all()) == 4
            assert s.scalars(select(SummaryState)).all() == []          # the old cache is gone
    finally:
        db.close()
    assert names == sorted(["张三", "李思思", "曾小贤", "欧阳娜娜"])
    objs = _sqlite_objects(path)
    assert "ix_process_eval_term_student" not in objs
    assert set(TOMBSTONE_INDEXES) | {"ix_stats_eval_cover", "ix_stats_enrollment_year"} <= set(objs)
    assert "import_id" in objs["stats_summary_state"][2]
    # Statistics for the indexes made by the migration (the database had been analysed).
    con = sqlite3.connect(path)
    analysed = {r[0] for r in con.execute("SELECT idx FROM sqlite_stat1")}
    con.close()
    assert "ix_stats_enrollment_year" in analysed


# ---------------------------------------------------------------- import keeps the cells fresh

def _school(base: Path, district, code: str, scores: dict[str, float]):
    setup = add_school(district, code, f"{code}学校", "urban", ["junior"])
    db = create_school(base / f"{code}.db", setup)
    with db.session(user="admin") as s:
        ensure_term(s, TERM)
        cls = students.create_class(s, 2025, 7, 1, adviser_name="吴老师")
        for i, (name, score) in enumerate(scores.items()):
            st = students.create_student(s, national_student_no=f"L{ord(code[0])}{i:016d}", name=name, gender="F",
                                         class_id=cls.id, birth_date=date(2013, 3, 2))
            for role, delta in (("teacher", 0), ("self", 5)):
                evaluations.record_process_evaluation(s, student_id=st.id, term_code=TERM, dimension="innovation",
                                                      score=score + delta, evaluator_role=role,
                                                      eval_date=date(2026, 4, 1))
    return db


def _evaluation_stats(district):
    with district.session() as s:
        return {name: fn(s, Filters(term=TERM)) for name, fn in
                (("coverage", q.evaluation_coverage), ("distribution", q.score_distribution))}


def _live_stats(district):
    """The same statistics computed on the fly: cells removed first (then put back as they were)."""
    with district.session() as s:
        saved = s.execute(select(SummaryState.__table__)).mappings().all()
        s.execute(delete(SummaryState.__table__))
        s.flush()
        live = {name: fn(s, Filters(term=TERM)) for name, fn in
                (("coverage", q.evaluation_coverage), ("distribution", q.score_distribution))}
        s.rollback()
    assert saved
    return live


@pytest.fixture()
def district(tmp_path):
    d = create_district(tmp_path / "district.db", "D01", "测试区")
    yield d
    d.close()


def test_importing_bundles_refreshes_the_summary_so_statistics_use_it(tmp_path, district):
    a = _school(tmp_path, district, "A001", {"甲": 60, "乙": 90})
    b = _school(tmp_path, district, "B001", {"丙": 75})
    try:
        bundles = [export_bundle(db, tmp_path / "out")["path"] for db in (a, b)]
        dry = import_bundles(district, bundles, dry_run=True)
        assert dry["summary"]["imported"] == 2
        with district.session() as s:
            assert summary_state(s, Filters(term=TERM)) == "absent"   # a dry run refreshes nothing
        res = import_bundles(district, bundles)
        assert res["summary"]["imported"] == 2
        with district.session() as s:
            assert summary_state(s, Filters(term=TERM)) == "fresh"
        got = _evaluation_stats(district)
        assert got == _live_stats(district)
        inn = {r["dimension"]: r for r in got["distribution"]}["innovation"]
        assert (inn["n"], inn["mean"]) == (3, 76.25)   # (.3·s + .1·(s+5)) / .4 = s + 1.25

        # A later bundle from one school: the cells follow at once (incrementally).
        with a.session(user="admin") as s:
            st = s.scalars(select(Student).where(Student.name == "甲")).one()
            evaluations.record_process_evaluation(s, student_id=st.id, term_code=TERM, dimension="moral",
                                                  score=88, evaluator_role="teacher", eval_date=date(2026, 5, 1))
        later = export_bundle(a, tmp_path / "out")["path"]
        assert import_bundles(district, [later])["summary"]["imported"] == 1
        with district.session() as s:
            assert summary_state(s, Filters(term=TERM)) == "fresh"
        got = _evaluation_stats(district)
        assert got == _live_stats(district)
        moral = {r["dimension"]: r for r in got["coverage"]}["moral"]
        assert (moral["evaluated"], moral["students"]) == (1, 3)
        # Importing the same bundle again changes nothing and keeps the cells fresh.
        assert import_bundles(district, [later])["summary"]["already imported"] == 1
        with district.session() as s:
            assert summary_state(s, Filters(term=TERM)) == "fresh"
    finally:
        a.close()
        b.close()


def test_a_failing_refresh_never_fails_the_import(tmp_path, district):
    """A district whose stored rubric document is damaged: the cells cannot be computed, the
    bundle is imported all the same, and no cells claim to be fresh."""
    from growthdesk.models import Rubric

    with district.session() as s:
        s.add(Rubric(code="broken", name="损坏的评价方案", document="{not json", active=True))
    a = _school(tmp_path, district, "A001", {"甲": 60})
    try:
        res = import_bundles(district, [export_bundle(a, tmp_path / "out")["path"]])
    finally:
        a.close()
    assert res["summary"]["imported"] == 1
    with district.session() as s:
        assert s.scalars(select(Student.name)).all() == ["甲"]
        assert s.scalars(select(SummaryState)).all() == []
