"""District statistics on a synthetic district: 200 schools and ~10 million rows (DESIGN §7:
every statistics query ≤ 1 s on SQLite, and the school list ≤ 1 s).

    .venv/bin/python bench/bench_stats.py [--rows 10000000] [--schools 200] [--db PATH]
                                          [--indexes] [--rebuild] [--repeat 2]

The district database is generated once with bulk INSERT … SELECT statements inside SQLite
(no Python per row) and reused from /tmp on later runs (``--rebuild`` makes it again). Row mix
at the default size: 150k students (10 % of junior students are movers who share a person key
with a primary school's student), 3 enrollments each, 6 terms × 7 dimensions of process
evaluations (a teacher, plus a second role 40 % of the time: ≈ 8.8M rows), ≈ 105k awards with
≈ 126k members, 30k projects with 75k members, and an import log with some gaps and late schools.

Timings are the median of ``--repeat`` runs, each on a fresh session, for the default view of
the district window (the latest term) and for all terms. ``--indexes`` first creates the
indexes of ``growthdesk.stats.indexes`` (what a new Alembic revision would add) and times again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from growthdesk.db import open_database  # noqa: E402
from growthdesk.stats import queries  # noqa: E402
from growthdesk.stats.cultivation import cultivation_list  # noqa: E402
from growthdesk.stats.filters import Filters  # noqa: E402
from growthdesk.stats.people import person_history  # noqa: E402
from growthdesk.stats.schools import school_list  # noqa: E402

TERMS = [("2023-2024-1", 2023, 1, "2023-09-01", "2024-01-20"), ("2023-2024-2", 2023, 2, "2024-02-20", "2024-07-10"),
         ("2024-2025-1", 2024, 1, "2024-09-01", "2025-01-20"), ("2024-2025-2", 2024, 2, "2025-02-17", "2025-07-10"),
         ("2025-2026-1", 2025, 1, "2025-09-01", "2026-01-20"), ("2025-2026-2", 2025, 2, "2026-02-23", "2026-07-10")]
DIMS = ["moral", "academic", "health", "arts", "labour", "innovation", "practice"]
SECOND_ROLES = ["self", "peer", "parent", "adviser", "mentor"]
LEVELS = ["school"] * 4 + ["district"] * 3 + ["municipal"] * 2 + ["provincial", "national", "international"]
AWARDS = ["first", "second", "third", "excellence", "gold", "silver", "bronze", "special", "finalist", "participation"]
DISCIPLINES = ["数学", "物理", "化学", "生物学", "信息学", "人工智能", "工程", "科学"]
# Per student: 3 enrollments + 6 terms × 7 dims × 1.4 evaluations + ~0.7 awards + ~0.84 members
# + 0.2 projects + 0.5 project members + 1 student row ≈ 65 rows.
ROWS_PER_STUDENT = 65
NOW = "2026-03-01 12:00:00"
TS = "'2026-01-01 00:00:00.000000'"
STAMP = f"{TS}, {TS}, 'bench', 1, 0"   # created_at, updated_at, updated_by, usn, deleted


def h(*terms: str) -> str:
    """A deterministic pseudo-random non-negative integer from SQL expressions (an LCG mix)."""
    mix = " + ".join(f"({t}) * {m}" for t, m in zip(terms, (1103515245, 2654435761, 40503, 97, 12345)))
    return f"(abs({mix} + 1013904223) % 2147483647)"


def pick(expr: str, values: list[str]) -> str:
    """CASE (expr) % len(values) WHEN 0 THEN values[0] … END (no lookup per row)."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def _setup_tables(con, n_schools: int, per_school: int) -> None:
    con.executescript(f"""
        CREATE TEMP TABLE nums(n INTEGER PRIMARY KEY);
        WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < {max(per_school, n_schools, 60) - 1})
        INSERT INTO nums SELECT n FROM c;
        CREATE TEMP TABLE t_dim(dno INTEGER PRIMARY KEY, code TEXT);
        CREATE TEMP TABLE t_term(tno INTEGER PRIMARY KEY, code TEXT, year INT, start TEXT, end_ TEXT);
    """)
    con.executemany("INSERT INTO t_dim VALUES (?, ?)", list(enumerate(DIMS)))
    con.executemany("INSERT INTO t_term VALUES (?, ?, ?, ?, ?)", [(i, c, y, s, e) for i, (c, y, _, s, e) in enumerate(TERMS)])
    con.executemany("INSERT OR IGNORE INTO term VALUES (?, ?, ?, ?, ?)", TERMS)


def _schools(con, n_schools: int) -> None:
    # Stage by number: 0 primary, 1 junior, 2 senior; category 40 % urban, 30 % town, 30 % rural.
    con.execute(f"""INSERT INTO school (code, name, district_code, category, stages, sync_key)
        SELECT printf('S%04d', n), printf('第%d学校', n), 'D01',
               CASE WHEN n % 10 < 4 THEN 'urban' WHEN n % 10 < 7 THEN 'town' ELSE 'rural' END,
               CASE n % 3 WHEN 0 THEN 'primary' WHEN 1 THEN 'junior' ELSE 'senior' END, 'k'
        FROM nums WHERE n < {n_schools}""")


def _classes(con, n_schools: int) -> None:
    # Six classes a year for 2023–2025: grade by stage, two classes a grade (three grades shown).
    con.execute(f"""INSERT INTO school_class (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                                              school_year, grade, class_no, adviser_name, adviser_user_id)
        SELECT printf('c%07d-%04d-4000-8000-000000000000', s.n, y.n * 10 + k.n), printf('S%04d', s.n), {STAMP},
               2023 + y.n, CASE s.n % 3 WHEN 0 THEN 4 WHEN 1 THEN 7 ELSE 10 END + k.n / 2, k.n % 2 + 1, '班主任', NULL
        FROM nums s, nums y, nums k WHERE s.n < {n_schools} AND y.n < 3 AND k.n < 6""")


def _students(con, n_schools: int, per_school: int) -> None:
    # Global number g = school × per_school + k. A junior school's student k (k % 10 = 0) is the
    # same person as the previous (primary) school's student k: same person key.
    person = f"CASE WHEN s.n % 3 = 1 AND k.n % 10 = 0 THEN (s.n - 1) * {per_school} + k.n ELSE s.n * {per_school} + k.n END"
    con.execute(f"""INSERT INTO student (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        national_student_no, person_key, name, name_pinyin, gender, birth_date, stage, entry_year,
                        class_id, status, note)
        SELECT printf('s%07d-0000-4000-8000-000000000000', s.n * {per_school} + k.n), printf('S%04d', s.n), {STAMP},
               NULL, printf('%064d', {person}), printf('学生%d', s.n * {per_school} + k.n), '',
               CASE k.n % 2 WHEN 0 THEN 'M' ELSE 'F' END, '2012-05-01',
               CASE s.n % 3 WHEN 0 THEN 'primary' WHEN 1 THEN 'junior' ELSE 'senior' END, 2025,
               printf('c%07d-%04d-4000-8000-000000000000', s.n, 20 + k.n % 6), 'enrolled', ''
        FROM nums s, nums k WHERE s.n < {n_schools} AND k.n < {per_school}""")
    con.execute(f"""INSERT INTO enrollment (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        student_id, class_id, school_year, start_date, end_date, reason)
        SELECT printf('n%07d-%04d-4000-8000-000000000000', substr(st.id, 2, 7) + 0, y.n), st.school_code, {STAMP},
               st.id, printf('c%07d-%04d-4000-8000-000000000000', substr(st.school_code, 2) + 0, y.n * 10 + (substr(st.id, 2, 7) + 0) % 6),
               2023 + y.n, printf('%d-09-01', 2023 + y.n), NULL, 'promotion'
        FROM student st, nums y WHERE y.n < 3""")


def _evaluations(con) -> None:
    # Per student, term and dimension: a teacher, and 40 % of the time a second role.
    g = "(substr(st.id, 2, 7) + 0)"
    mix = h(g, "t.tno", "d.dno", "r.n")
    con.execute(f"""INSERT INTO process_evaluation (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        student_id, term_code, dimension, indicator, level, score, evaluator_role, evaluator_name,
                        comment, eval_date)
        SELECT printf('e%07d-%d%d%d0-4000-8000-000000000000', {g}, t.tno, d.dno, r.n), st.school_code, {STAMP},
               st.id, t.code, d.code, '',
               CASE WHEN 50 + {mix} % 50 >= 90 THEN 'A' WHEN 50 + {mix} % 50 >= 80 THEN 'B'
                    WHEN 50 + {mix} % 50 >= 60 THEN 'C' ELSE 'D' END,
               50.0 + {mix} % 50,
               CASE r.n WHEN 0 THEN 'teacher' ELSE {pick(mix, SECOND_ROLES)} END,
               '', '', t.start
        FROM student st, t_term t, t_dim d, nums r
        WHERE r.n < 2 AND (r.n = 0 OR {h(g, 't.tno', 'd.dno')} % 10 < 4)""")


def _awards(con) -> None:
    con.execute(f"""INSERT INTO competition (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        name, organiser, discipline, category, stages, on_national_list, list_edition)
        SELECT printf('k%07d-0000-4000-8000-000000000000', n), '', {STAMP}, printf('竞赛%d', n), '',
               {pick('n', DISCIPLINES)}, '', 'primary,junior,senior', 0, ''
        FROM nums WHERE n < 60""")
    g = "(substr(st.id, 2, 7) + 0)"
    con.execute(f"""INSERT INTO competition_result (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        competition_id, school_year, term_code, level, award, award_date, certificate_no, is_team,
                        team_name, work_title, instructor, verification, project_id)
        SELECT printf('r%07d-0000-4000-8000-000000000000', {g}), st.school_code, {STAMP},
               printf('k%07d-0000-4000-8000-000000000000', {h(g, '7')} % 60), t.year, t.code,
               {pick(h(g, '3'), LEVELS)}, {pick(h(g, '5'), AWARDS)}, t.start, '', {g} % 5 = 0, '', '', '',
               CASE WHEN {g} % 50 = 1 THEN 'rejected' ELSE 'verified' END, NULL
        FROM student st JOIN t_term t ON t.tno = {h(g, '11')} % 6
        WHERE {h(g, '13')} % 10 < 7""")
    # Each award's student, plus the next student of the school for team awards (every 5th).
    con.execute(f"""INSERT INTO competition_result_member (id, school_code, created_at, updated_at, updated_by, usn,
                        deleted, result_id, student_id)
        SELECT printf('m%07d-%04d-4000-8000-000000000000', substr(r.id, 2, 7) + 0, x.n), r.school_code, {STAMP}, r.id,
               printf('s%07d-0000-4000-8000-000000000000', substr(r.id, 2, 7) + x.n)
        FROM competition_result r, nums x
        WHERE x.n < 2 AND (x.n = 0 OR r.is_team)
          AND printf('s%07d-0000-4000-8000-000000000000', substr(r.id, 2, 7) + x.n) IN (SELECT id FROM student)""")


def _projects(con) -> None:
    g = "(substr(st.id, 2, 7) + 0)"
    con.execute(f"""INSERT INTO innovation_project (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        title, kind, discipline, term_code, start_date, end_date, status, summary)
        SELECT printf('p%07d-0000-4000-8000-000000000000', {g}), st.school_code, {STAMP}, printf('项目%d', {g}),
               'research', '科学', t.code, t.start, CASE WHEN {g} % 3 = 0 THEN NULL ELSE t.end_ END,
               CASE WHEN {g} % 3 = 0 THEN 'in_progress' ELSE 'concluded' END, ''
        FROM student st JOIN t_term t ON t.tno = {h(g, '17')} % 6 WHERE {g} % 5 = 0""")
    con.execute(f"""INSERT INTO project_member (id, school_code, created_at, updated_at, updated_by, usn, deleted,
                        project_id, student_id, role)
        SELECT printf('q%07d-%04d-4000-8000-000000000000', substr(p.id, 2, 7) + 0, x.n), p.school_code, {STAMP}, p.id,
               printf('s%07d-0000-4000-8000-000000000000', substr(p.id, 2, 7) + x.n),
               CASE x.n WHEN 0 THEN 'leader' ELSE 'member' END
        FROM innovation_project p, nums x
        WHERE x.n < 3 AND (x.n < 2 OR (substr(p.id, 2, 7) + 0) % 2 = 0)
          AND printf('s%07d-0000-4000-8000-000000000000', substr(p.id, 2, 7) + x.n) IN (SELECT id FROM student)""")


def _import_log(con, n_schools: int) -> None:
    # Ten bundles per school, one a month; every 17th school skipped sequence 4; every 23rd
    # stopped sending two months ago.
    con.execute(f"""INSERT INTO import_log (school_code, sequence, file_name, file_sha256, imported_at, imported_by,
                        result, counts_json, message)
        SELECT printf('S%04d', s.n), q.n + 1, printf('S%04d-%06d.gdbundle.zip', s.n, q.n + 1), '',
               datetime('{NOW}', printf('-%d days', (9 - q.n) * 30 + CASE WHEN s.n % 23 = 0 THEN 60 ELSE 1 END)),
               'bench', 'imported', '{{}}', ''
        FROM nums s, nums q WHERE s.n < {n_schools} AND q.n < 10 AND NOT (s.n % 17 = 0 AND q.n = 3)""")


def generate(path: Path, rows: int, n_schools: int) -> None:
    from growthdesk.setup import create_district

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    create_district(path, "D01", "基准区").close()
    per_school = max(10, rows // ROWS_PER_STUDENT // n_schools)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")
    steps = [("schools", lambda: _schools(con, n_schools)), ("classes", lambda: _classes(con, n_schools)),
             ("students", lambda: _students(con, n_schools, per_school)), ("evaluations", lambda: _evaluations(con)),
             ("awards", lambda: _awards(con)), ("projects", lambda: _projects(con)),
             ("import log", lambda: _import_log(con, n_schools))]
    _setup_tables(con, n_schools, per_school)
    for name, step in steps:
        t = time.perf_counter()
        step()
        con.commit()
        print(f"  generated {name} in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    con.execute("ANALYZE")
    con.commit()
    con.close()
    print(f"  ANALYZE in {time.perf_counter() - t:.1f} s", flush=True)


def row_count(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    tables = ["school", "school_class", "student", "enrollment", "process_evaluation", "competition_result",
              "competition_result_member", "innovation_project", "project_member", "import_log"]
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    con.close()
    return out


def timed(db, fn, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds, medians. SQLite runs in this process, so CPU time is the query's own
    cost even when other work on the machine delays the wall clock."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        with db.session() as s:
            fn(s)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def run_queries(db, repeat: int, only: str | None = None) -> dict[str, tuple[float, float]]:
    with db.session() as s:
        latest = queries.latest_evaluated_term(s)
        some_person = s.execute(queries.S.select().with_only_columns(queries.S.c.person_key)
                                .where(queries.S.c.school_code == "S0001").limit(1)).scalar()
    results = {}
    views = [("latest term", Filters(term=latest)), ("all terms", Filters()),
             ("latest term, rural, junior", Filters(term=latest, category="rural", stage="junior"))]
    jobs = []
    for view, f in views:
        for name, fn in queries.STATISTICS.items():
            jobs.append((f"{name} [{view}]", lambda s, fn=fn, f=f: fn(s, f)))
        jobs.append((f"cultivation_list [{view}]", lambda s, f=f: cultivation_list(s, f)))
    jobs.append(("school_list", lambda s: school_list(s)))
    jobs.append(("person_history (a mover)", lambda s: person_history(s, some_person)))
    for name, job in jobs:
        if only and only not in name:
            continue
        results[name] = timed(db, job, repeat)
        wall, cpu = results[name]
        print(f"  {name:58s} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU" + ("" if wall <= 1 else "  > 1 s"),
              flush=True)
    return results


def summary(results: dict[str, tuple[float, float]]) -> None:
    walls = [w for w, _ in results.values()]
    cpus = [c for _, c in results.values()]
    print(f"  slowest: {max(walls) * 1000:.0f} ms wall, {max(cpus) * 1000:.0f} ms CPU; "
          f"over 1 s: {sum(w > 1 for w in walls)} by wall clock, {sum(c > 1 for c in cpus)} by CPU time")


def build_summary(db) -> None:
    from growthdesk.stats import summary as cells

    print("\nbuilding summary cells…", flush=True)
    t, c = time.perf_counter(), time.process_time()
    with db.session() as s:
        terms = cells.evaluated_terms(s)
    for term in terms:
        t1, c1 = time.perf_counter(), time.process_time()
        with db.session() as s:
            cells.refresh(s, [term])
        print(f"  {term}: {time.perf_counter() - t1:.1f} s wall, {time.process_time() - c1:.1f} s CPU", flush=True)
    print(f"  all {len(terms)} terms: {time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU")
    # As after importing one school's bundle: one evaluation changed and an import log row.
    from sqlalchemy import select

    from growthdesk.models import ImportLog, ProcessEvaluation
    with db.session(user="bench") as s:
        ev = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.school_code == "S0001",
                                                       ProcessEvaluation.term_code == terms[0]).limit(1)).one()
        ev.score = 100.0 if ev.score != 100.0 else 99.0
        s.add(ImportLog(school_code="S0001", sequence=99, file_name="S0001-000099.gdbundle.zip", result="imported"))
    t, c = time.perf_counter(), time.process_time()
    with db.session() as s:
        redone = cells.refresh(s)
    print(f"  after one school's import: {len(redone)} terms refreshed incrementally in "
          f"{time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU", flush=True)


def _has_stats_indexes(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_stats_eval_cover'").fetchone())
    finally:
        con.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000, help="approximate total rows (default 10M)")
    ap.add_argument("--schools", type=int, default=200)
    ap.add_argument("--db", type=Path, help="database file (default /tmp/gd-bench-district-<rows>.db)")
    ap.add_argument("--rebuild", action="store_true", help="generate again even if the file exists")
    ap.add_argument("--indexes", action="store_true", help="also time with growthdesk.stats.indexes created")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", help="time only the statistics whose name contains this")
    ap.add_argument("--summary", action="store_true",
                    help="build growthdesk.stats.summary cells (timed per term), then time the statistics again")
    args = ap.parse_args(argv)
    path = args.db or Path(f"/tmp/gd-bench-district-{args.rows}-{args.schools}.db")
    if args.rebuild or not path.exists():
        print(f"generating {path} (~{args.rows:,} rows, {args.schools} schools)…", flush=True)
        t = time.perf_counter()
        generate(path, args.rows, args.schools)
        print(f"generated in {time.perf_counter() - t:.1f} s", flush=True)
    counts = row_count(path)
    print(f"{path}: {sum(counts.values()):,} rows, {os.path.getsize(path) / 2**20:.0f} MiB")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    db = open_database(path)
    try:
        print(f"\nload average before: {os.getloadavg()[0]:.1f} (2 cores)")
        had = _has_stats_indexes(path)
        print("schema as migrated" + (" plus growthdesk.stats.indexes (made by an earlier --indexes run)" if had else ""))
        summary(run_queries(db, args.repeat, args.only))
        if args.indexes and not had:
            from growthdesk.stats.indexes import create_stats_indexes
            t = time.perf_counter()
            created = create_stats_indexes(db.engine)
            print(f"\ncreated {len(created)} indexes in {time.perf_counter() - t:.1f} s: {', '.join(created)}")
            summary(run_queries(db, args.repeat, args.only))
        if args.summary:
            build_summary(db)
            print("with growthdesk.stats.summary cells (fresh)")
            summary(run_queries(db, args.repeat, args.only))
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
