"""Demo data: deterministic for a seed, realistic, consistent, and fast enough."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from datetime import date

import pytest

from growthdesk.demo import DEMO_PASSWORD, demo_terms, ensure_demo_database, fill_demo
from growthdesk.errors import DatabaseError, ValidationError
from growthdesk.services.students import validate_national_student_no
from growthdesk.services.users import verify_password
from growthdesk.setup import add_school, create_district, create_school

TODAY = date(2026, 11, 2)
DEMO_TABLES = ["app_user", "teaching_assignment", "school_class", "student", "enrollment", "innovation_project",
               "project_member", "project_mentor", "project_log_entry", "project_outcome", "evidence",
               "competition_result", "competition_result_member", "process_evaluation", "term_evaluation", "term"]


@pytest.fixture(scope="module")
def setup_doc(tmp_path_factory):
    folder = tmp_path_factory.mktemp("district")
    district = create_district(folder / "district.db", "330106", "西湖区")
    doc = add_school(district, "S0001", "示例市第一中学", "urban", "junior")
    district.close()
    return doc


def _school(tmp_path, setup_doc, name: str, **kw):
    db = create_school(tmp_path / name, setup_doc)
    counts = fill_demo(db, today=TODAY, **kw)
    return db, counts


def _digest(path) -> str:
    """SHA-256 over every demo-written row, in primary-key order (local competitions included)."""
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    try:
        for table in DEMO_TABLES:
            for row in con.execute(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr(row).encode())
        for row in con.execute("SELECT * FROM competition WHERE on_national_list = 0 ORDER BY id"):
            h.update(repr(row).encode())
    finally:
        con.close()
    return h.hexdigest()


def test_same_seed_same_rows_other_seed_other_rows(tmp_path, setup_doc):
    digests = []
    for name, seed in (("a.db", 7), ("b.db", 7), ("c.db", 8)):
        db, _ = _school(tmp_path, setup_doc, name, students=120, terms=3, seed=seed)
        db.close()
        digests.append(_digest(tmp_path / name))
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, setup_doc):
    folder = tmp_path_factory.mktemp("demo")
    db, counts = _school(folder, setup_doc, "demo.db", students=400, terms=4, seed=3)
    db.close()
    con = sqlite3.connect(folder / "demo.db")
    yield con, counts
    con.close()


def test_counts_and_school_shape(demo_db):
    con, counts = demo_db
    assert counts["student"] == 400
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    assert q("SELECT count(*) FROM student")[0][0] == 400
    terms = demo_terms(4, TODAY)
    assert terms[-1] == "2026-2027-1" and [r[0] for r in q("SELECT code FROM term ORDER BY code")] == terms
    # Junior school: grades 7-9 this year, classes of at most 45, each with an adviser account.
    sizes = q("SELECT c.grade, c.class_no, count(*) FROM student s JOIN school_class c ON c.id = s.class_id "
              "WHERE c.school_year = 2026 GROUP BY 1, 2")
    assert {g for g, _, _ in sizes} == {7, 8, 9} and max(n for *_, n in sizes) <= 45
    assert q("SELECT count(*) FROM school_class c LEFT JOIN app_user u ON u.id = c.adviser_user_id "
             "WHERE u.role IS NOT 'adviser'")[0][0] == 0
    # Grade 9 students have three years of class history, grade 7 one.
    hist = dict(q("SELECT c.grade, count(DISTINCT e.school_year) FROM enrollment e JOIN student s ON s.id = e.student_id "
                  "JOIN school_class c ON c.id = s.class_id GROUP BY c.grade"))
    assert hist == {7: 1, 8: 2, 9: 3}
    for table in ("innovation_project", "project_mentor", "project_log_entry", "competition_result",
                  "process_evaluation", "term_evaluation"):
        assert counts[table] > 0, table


def test_students_are_plausible(demo_db):
    con, _ = demo_db
    rows = con.execute("SELECT s.national_student_no, s.name, s.name_pinyin, s.gender, s.birth_date, c.grade "
                       "FROM student s JOIN school_class c ON c.id = s.class_id").fetchall()
    assert len({r[0] for r in rows}) == len(rows)
    surnames = Counter(r[1][0] for r in rows)
    assert surnames.most_common(1)[0][0] in "王李张刘陈" and len(surnames) > 30
    for no, name, pinyin, gender, birth, grade in rows:
        assert validate_national_student_no(no) == no
        assert no[7:15] == birth.replace("-", "")                  # birth date inside the ID
        assert int(no[17]) % 2 == (1 if gender == "M" else 0)      # sequence parity = gender
        assert 2 <= len(name) <= 4 and pinyin and " " in pinyin
        age = (date(2026, 9, 1) - date.fromisoformat(birth)).days / 365.25
        assert grade + 4 <= age <= grade + 7, (grade, birth)


def test_records_are_complete_and_never_in_the_future(demo_db):
    con, _ = demo_db
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    for table, col in (("process_evaluation", "eval_date"), ("competition_result", "award_date"),
                       ("term_evaluation", "written_on"), ("project_log_entry", "entry_date")):
        assert q(f"SELECT max({col}) FROM {table}")[0][0] <= TODAY.isoformat(), table
    assert len({r[0] for r in q("SELECT DISTINCT evaluator_role FROM process_evaluation")}) >= 6
    # Every student is judged on all seven dimensions in the current term, with Chinese comments.
    assert q("SELECT count(*) FROM (SELECT student_id, count(DISTINCT dimension) n FROM process_evaluation "
             "WHERE term_code = '2026-2027-1' GROUP BY student_id) WHERE n = 7")[0][0] == 400
    assert all(c for (c,) in q("SELECT comment FROM process_evaluation LIMIT 50"))
    # Awards at every level, national ones from the Ministry's list, team awards with several members.
    assert {r[0] for r in q("SELECT DISTINCT level FROM competition_result")} >= {"school", "district", "municipal",
                                                                                  "provincial", "national"}
    assert q("SELECT count(*) FROM competition_result r JOIN competition c ON c.id = r.competition_id "
             "WHERE c.on_national_list = 1")[0][0] > 0
    assert q("SELECT count(*) FROM competition_result r WHERE is_team = 1 AND (SELECT count(*) FROM "
             "competition_result_member m WHERE m.result_id = r.id) >= 2")[0][0] > 0
    assert {r[0] for r in q("SELECT DISTINCT kind FROM project_mentor")} == {"in_school", "external"}
    assert {r[0] for r in q("SELECT DISTINCT stage FROM project_log_entry")} >= {"opening", "midterm", "conclusion"}
    assert q("SELECT count(*) FROM term_evaluation WHERE comment = '' OR adviser_name = ''")[0][0] == 0
    levels = json.loads(q("SELECT levels_json FROM term_evaluation LIMIT 1")[0][0])
    assert len(levels) == 7 and set(levels.values()) <= set("ABCD")


def test_demo_accounts_log_in_with_the_documented_password(demo_db):
    con, _ = demo_db
    logins = dict(con.execute("SELECT login, password_hash FROM app_user").fetchall())
    assert {"admin", "teacher01", "adviser0701"} <= set(logins)
    assert verify_password(DEMO_PASSWORD, logins["adviser0701"])
    assert not verify_password("wrong-password", logins["admin"])


def test_bulk_rows_carry_one_usn_and_one_audit_summary(demo_db):
    con, counts = demo_db
    usn = int(con.execute("SELECT value FROM gd_setting WHERE key = 'usn'").fetchone()[0])
    assert con.execute("SELECT DISTINCT usn FROM process_evaluation").fetchall() == [(usn,)]
    summary = con.execute("SELECT after_json FROM audit_log WHERE action = 'demo'").fetchall()
    assert len(summary) == 1 and json.loads(summary[0][0])["rows"] == counts


def test_demo_refuses_a_filled_school_and_a_district(tmp_path, setup_doc):
    db, _ = _school(tmp_path, setup_doc, "s.db", students=30, terms=1, seed=1)
    try:
        with pytest.raises(ValidationError) as err:
            fill_demo(db, students=30, terms=1, today=TODAY)
        assert "已经有学生" in str(err.value)
    finally:
        db.close()
    district = create_district(tmp_path / "d.db", "D09", "某区")
    try:
        with pytest.raises(ValidationError):
            fill_demo(district, students=30, terms=1, today=TODAY)
    finally:
        district.close()


def test_a_clash_half_way_leaves_nothing_behind(tmp_path, setup_doc):
    from growthdesk.services.users import create_user

    db = create_school(tmp_path / "s.db", setup_doc)
    try:
        with db.session(user="admin") as s:  # an account the demo also wants: its insert fails late
            create_user(s, "adviser0701", "王老师", "adviser", "secret-123")
        db.reload_settings()
        usn = db.settings["usn"]
        with pytest.raises(DatabaseError) as err:
            fill_demo(db, students=60, terms=2, today=TODAY)
        assert "未写入任何数据" in str(err.value)
    finally:
        db.close()
    con = sqlite3.connect(tmp_path / "s.db")
    try:
        for table in ("student", "school_class", "process_evaluation", "term_evaluation", "competition_result"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert con.execute("SELECT count(*) FROM app_user").fetchone()[0] == 1
        assert con.execute("SELECT value FROM gd_setting WHERE key = 'usn'").fetchone()[0] == usn
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'demo'").fetchone()[0] == 0
    finally:
        con.close()


def test_ensure_demo_database_makes_it_once(tmp_path):
    path = tmp_path / "data" / "demo-school.db"
    ensure_demo_database(path, students=60, terms=2)
    assert path.is_file() and sorted(p.name for p in path.parent.iterdir()) == ["demo-school.db"]
    stamp = path.stat().st_mtime_ns
    ensure_demo_database(path, students=60, terms=2)
    assert path.stat().st_mtime_ns == stamp
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM student").fetchone()[0] == 60
    con.close()


@pytest.mark.slow
def test_full_size_demo_has_the_default_shape(tmp_path, setup_doc):
    # How fast this is belongs to bench/bench_demo.py, not to a timed test.
    db, counts = _school(tmp_path, setup_doc, "big.db", students=2000, terms=4, seed=1)
    db.close()
    assert counts["student"] == 2000 and sum(counts.values()) > 40_000


def test_nine_year_and_senior_schools_get_their_own_grades(tmp_path):
    district = create_district(tmp_path / "d.db", "D01", "示例区")
    try:
        nine = add_school(district, "NINE-01", "九年一贯制学校", "rural", ["primary", "junior"])
        senior = add_school(district, "HIGH-01", "示例高级中学", "urban", ["senior"])
    finally:
        district.close()
    for setup, grades, stages in ((nine, set(range(1, 10)), {"primary", "junior"}),
                                  (senior, {10, 11, 12}, {"senior"})):
        db, _ = _school(tmp_path, setup, f"{setup['school']['code']}.db", students=270, terms=2, seed=4)
        db.close()
        con = sqlite3.connect(tmp_path / f"{setup['school']['code']}.db")
        try:
            got = con.execute("SELECT DISTINCT c.grade, s.stage FROM student s JOIN school_class c "
                              "ON c.id = s.class_id").fetchall()
            national = con.execute("SELECT DISTINCT c.stages FROM competition_result r JOIN competition c "
                                   "ON c.id = r.competition_id WHERE c.on_national_list = 1").fetchall()
        finally:
            con.close()
        assert {g for g, _ in got} == grades and {st for _, st in got} == stages
        assert all(stages & set(s.split(",")) for (s,) in national)   # only competitions open to the school


def test_two_schools_with_the_same_seed_share_no_record_id(tmp_path):
    """Two demo schools of one district meet at the district: their ids must not collide."""
    district = create_district(tmp_path / "d.db", "D01", "示例区")
    try:
        setups = [add_school(district, code, name, "urban", "junior")
                  for code, name in (("S0001", "一中"), ("S0002", "二中"))]
    finally:
        district.close()
    ids = []
    for setup in setups:
        db, _ = _school(tmp_path, setup, f"{setup['school']['code']}.db", students=60, terms=1, seed=5)
        db.close()
        con = sqlite3.connect(tmp_path / f"{setup['school']['code']}.db")
        try:
            ids.append({r[0] for t in DEMO_TABLES if t not in ("app_user", "teaching_assignment", "term")
                        for r in con.execute(f"SELECT id FROM {t}")})
        finally:
            con.close()
    assert ids[0] and ids[1]
    assert not ids[0] & ids[1]


def test_a_very_large_grade_gets_larger_classes_not_a_class_number_past_99():
    from growthdesk.demo import CLASS_SIZE, _class_count

    assert _class_count(45) == 1 and _class_count(46) == 2
    assert _class_count(20_000 // 3) == 99                 # a 20,000-student junior school
    assert _class_count(99 * CLASS_SIZE) == 99 and _class_count(99 * CLASS_SIZE + 1) == 99
