"""Cultivation programmes on the synthetic 200-school / ~10M-row district of bench_stats.py
(DESIGN §7: the candidates view of a programme ≤ 1 s, the chain statistics ≤ 1 s).

    .venv/bin/python bench/bench_programmes.py [--rows 10000000] [--schools 200] [--repeat 3]
                                               [--summary] [--commands 3] [--no-floor] [--postgres]

Generates bench_stats's district in its own file (/tmp/gd-bench-programmes-…; a copy of
bench_stats's file will do), then adds programme data with bulk INSERT …
SELECT inside SQLite (once; kept in the file): per tier 8 district programmes (one per
discipline) and one programme per school; members = 2 % of each primary school's students, 1 % of
each junior and senior school's (a junior school's student k with k % 10 = 0 shares the person of
the previous primary school's student k, so every junior member is a mover whose person was a
primary member: the chain has real links; the generated district has no junior → senior movers), each with an in-school and an external mentor, two nominations,
five growth-log entries and one evaluation.

Timed (median wall and CPU of ``--repeat`` runs, each on a fresh session):
* candidates of a district junior programme (物理), latest term — and, as the floor, the bare
  cultivation list with the same rules and filters (``cultivation_list``): the ratio is what
  the nominations, decisions and member status cost on top;
* candidates of one school's programme;
* chain statistics (tiers, categories, retention, chain, mentors' load).

``--summary`` first brings the statistics summary up to date for the latest term (timed): the
cells and the stored term scores (``stats_summary_score``) the candidates' "top 10 %" rule reads.

``--commands N`` then times whole commands as a user runs them (like ``bench_commands.py``: one
process from start to exit, N A/B pairs, medians of wall and CPU): ``growthdesk programme
candidates`` (the district and the school programme) and ``growthdesk programme chain`` against
the floor scripts ``bench/floors/floor_candidates.py`` and ``floor_chain.py`` (bare sqlite3 doing
the same reads). A "before" figure: copy this file into an older checkout's ``bench/`` and run it
there with ``--no-floor`` (the floors read the current schema).

``--postgres`` then copies the district (every table, COPY) into a throwaway local PostgreSQL
server (``tests/postgres_server.py``: fsync off), refreshes its summary for the latest term and
times the same in-process views there.

Targets (DESIGN §7): the candidates view ≤ 1 s and the chain statistics ≤ 1 s, in-process
(median wall); exit status 1 when missed. A whole command adds the interpreter and imports
(about 1 s of CPU, see issue 17), so its figure is reported against its floor, not the target.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = HERE.parent  # the checkout timed: for a "before" figure, copy this file into an older one and run it there
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(HERE))

import bench_stats  # noqa: E402

from growthdesk.db import open_database  # noqa: E402

STAMP = bench_stats.STAMP
DISC = bench_stats.DISCIPLINES
TIERS = ["primary", "junior", "senior"]


PROGRAMME_TABLES = ("programme", "programme_mentor", "programme_member", "programme_nomination",
                    "programme_log_entry", "programme_evaluation")


def add_programmes(path: Path, redo: bool = False) -> None:
    con = sqlite3.connect(path)
    # A bench file migrated while 0011 lacked it: the index 0011 now makes (same definition).
    con.execute("CREATE INDEX IF NOT EXISTS ix_student_school_stage ON student (school_code, stage, status, deleted) "
                "WHERE deleted = 0")
    if redo:
        for table in PROGRAMME_TABLES:
            con.execute(f"DELETE FROM {table}")
        con.commit()
    if con.execute("SELECT count(*) FROM programme").fetchone()[0]:
        con.close()
        return
    t = time.perf_counter()
    per_school = con.execute("SELECT count(*) FROM student").fetchone()[0] // con.execute(
        "SELECT count(*) FROM school").fetchone()[0]
    con.execute("PRAGMA synchronous=OFF")
    con.executescript(f"""
        CREATE TEMP TABLE nums(n INTEGER PRIMARY KEY);
        WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 199) INSERT INTO nums SELECT n FROM c;
        -- district programmes: tier × discipline
        INSERT INTO programme (id, school_code, created_at, updated_at, updated_by, usn, deleted, owner_kind, owner_code,
                               name, tier, disciplines, start_term, end_term, capacity, rules_json, criteria_json,
                               description, status)
        SELECT printf('pd%02d%02d-0000-4000-8000-000000000000', t.n, d.n), '', {STAMP}, 'district', 'D01',
               printf('区%s项目%d', CASE t.n WHEN 0 THEN '小学' WHEN 1 THEN '初中' ELSE '高中' END, d.n),
               CASE t.n WHEN 0 THEN 'primary' WHEN 1 THEN 'junior' ELSE 'senior' END,
               CASE d.n {' '.join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(DISC))} END,
               '2024-2025-1', NULL, NULL, '', '', '', 'open'
        FROM nums t, nums d WHERE t.n < 3 AND d.n < {len(DISC)};
        -- one programme per school, of the school's stage
        INSERT INTO programme (id, school_code, created_at, updated_at, updated_by, usn, deleted, owner_kind, owner_code,
                               name, tier, disciplines, start_term, end_term, capacity, rules_json, criteria_json,
                               description, status)
        SELECT printf('ps%04d-0000-4000-8000-000000000000', substr(code, 2) + 0), code, {STAMP}, 'school', code,
               name || '科创班', stages, '', '2024-2025-1', NULL, NULL, '', '', '', 'open' FROM school;
        -- mentors: 3 in-school per school, 400 external
        INSERT INTO programme_mentor (id, school_code, created_at, updated_at, updated_by, usn, deleted, kind, login,
                                      mentor_school, name, institution, field, contact)
        SELECT printf('mi%04d%02d-0000-4000-8000-000000000000', substr(code, 2) + 0, k.n), code, {STAMP}, 'in_school',
               printf('t%04d%02d', substr(code, 2) + 0, k.n), code, printf('导师%s-%d', code, k.n), '', '', ''
        FROM school, nums k WHERE k.n < 3;
        INSERT INTO programme_mentor (id, school_code, created_at, updated_at, updated_by, usn, deleted, kind, login,
                                      mentor_school, name, institution, field, contact)
        SELECT printf('me%06d-0000-4000-8000-000000000000', a.n * 200 + b.n), '', {STAMP}, 'external', '', '',
               printf('专家%d', a.n * 200 + b.n), printf('大学%d', b.n % 20), '', ''
        FROM nums a, nums b WHERE a.n < 2;
    """)
    # Members: 2 % of primary, 1 % of junior/senior students (k % 50 / k % 100 within the school); a
    # junior school's k % 10 = 0 students share a person key with the previous primary school's.
    con.execute(f"""
        INSERT INTO programme_member (id, school_code, created_at, updated_at, updated_by, usn, deleted, programme_id,
                                      student_id, person_key, student_school, nomination_id, in_mentor_id, ext_mentor_id,
                                      joined_on, status, left_on, leave_reason, destination_school, destination_track,
                                      destination_note, destination_by)
        SELECT printf('pm%s', substr(st.id, 3)), CASE WHEN n % 2 = 0 THEN '' ELSE st.school_code END, {STAMP},
               CASE WHEN n % 2 = 0
                    THEN printf('pd%02d%02d-0000-4000-8000-000000000000',
                                CASE st.stage WHEN 'primary' THEN 0 WHEN 'junior' THEN 1 ELSE 2 END, n % {len(DISC)})
                    ELSE printf('ps%04d-0000-4000-8000-000000000000', substr(st.school_code, 2) + 0) END,
               st.id, st.person_key, st.school_code, NULL,
               printf('mi%04d%02d-0000-4000-8000-000000000000', substr(st.school_code, 2) + 0, n % 3),
               printf('me%06d-0000-4000-8000-000000000000', n % 400), '2024-09-15',
               CASE WHEN n % 7 = 0 THEN 'left' ELSE 'active' END, CASE WHEN n % 7 = 0 THEN '2025-06-30' END,
               CASE WHEN n % 7 = 0 THEN '兴趣转向' ELSE '' END, '', '', '', ''
        FROM (SELECT s.*, substr(s.id, 2, 7) + 0 AS n, (substr(s.id, 2, 7) + 0) % {per_school} AS k FROM student s) st
        WHERE (st.stage = 'primary' AND st.k % 50 = 0) OR (st.stage != 'primary' AND st.k % 100 = 0)""")
    con.executescript(f"""
        INSERT INTO programme_nomination (id, school_code, created_at, updated_at, updated_by, usn, deleted, programme_id,
                    student_id, person_key, student_school, term_code, nominated_by_kind, nominated_by, nominated_on,
                    reason, rule_codes, evidence, decision, decided_by, decided_on, decision_reason)
        SELECT printf('n%d%s', k.n, substr(m.id, 3)), m.school_code, {STAMP}, m.programme_id, m.student_id, m.person_key,
               m.student_school, CASE k.n WHEN 0 THEN '2024-2025-1' ELSE '2025-2026-1' END, 'rule', 'bench', '2024-09-01',
               '规则推荐', 'provincial_award', '省级一等奖', CASE k.n WHEN 0 THEN 'selected' ELSE 'pending' END, 'bench',
               '2024-09-10', '入选'
        FROM programme_member m, nums k WHERE k.n < 2;
        INSERT INTO programme_log_entry (id, school_code, created_at, updated_at, updated_by, usn, deleted, member_id,
                    entry_date, activity, hours, content, mentor_feedback, author_kind, author, mentor_id, state,
                    return_reason)
        SELECT printf('l%d%s', k.n, substr(m.id, 3)), m.school_code, {STAMP}, m.id, printf('2024-10-%02d', k.n + 1),
               CASE k.n WHEN 0 THEN 'lecture' WHEN 1 THEN 'lab_day' WHEN 2 THEN 'fieldwork' WHEN 3 THEN 'study_group'
                        ELSE 'competition_training' END, 1.5 + k.n, '活动', '好', 'mentor', 'bench', m.in_mentor_id,
               CASE WHEN k.n = 4 THEN 'submitted' ELSE 'approved' END, ''
        FROM programme_member m, nums k WHERE k.n < 5;
        INSERT INTO programme_evaluation (id, school_code, created_at, updated_at, updated_by, usn, deleted, member_id, kind,
                    term_code, eval_date, mentor_id, evaluator, scores_json, comment, result, reason)
        SELECT printf('e%s', substr(m.id, 3)), m.school_code, {STAMP}, m.id, 'midterm', '2024-2025-2', '2025-04-01',
               m.ext_mentor_id, '专家', '{{"研究兴趣": 4}}', '', 'continue', '' FROM programme_member m;
    """)
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in PROGRAMME_TABLES}
    con.close()
    print(f"  programme data added in {time.perf_counter() - t:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
          flush=True)


def run_timed(argv: list[str], code: Path) -> tuple[float, float]:
    """(wall, CPU of the child) of one whole process."""
    env = dict(os.environ, PYTHONPATH=str(code), QT_QPA_PLATFORM="offscreen")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_pairs(label: str, ours: list[str], floor: list[str] | None, n: int, code: Path) -> None:
    """A B A B … ``n`` pairs, medians (as bench_commands.py)."""
    a, b = [], []
    for _ in range(n):
        a.append(run_timed(ours, code))
        if floor:
            b.append(run_timed(floor, HERE.parent))
    wall, cpu = statistics.median(w for w, _ in a), statistics.median(c for _, c in a)
    line = f"  {label:44s} ours {wall:6.2f} s wall {cpu:6.2f} s CPU"
    if b:
        fw, fc = statistics.median(w for w, _ in b), statistics.median(c for _, c in b)
        line += f"   floor {fw:6.2f} s wall {fc:6.2f} s CPU   ratio {wall / fw:5.2f}× wall {cpu / fc:5.2f}× CPU"
    print(line, flush=True)


def bench_postgres(path: Path, repeat: int) -> bool:
    sys.path.insert(0, str(CODE / "tests"))
    from postgres_server import NoServer, new_database, running_server

    from growthdesk.services import programmes as svc
    from growthdesk.setup import create_district
    from growthdesk.stats import programmes as pst
    from growthdesk.stats import summary as cells
    from growthdesk.stats.queries import latest_evaluated_term

    try:
        with running_server() as server:
            url = new_database(server)
            create_district(url, "D01", "示例区").close()
            t = time.perf_counter()
            print("postgresql: copying the district…", flush=True)
            bench_stats.copy_to_postgres(path, url)
            print(f"  copied in {time.perf_counter() - t:.1f} s", flush=True)
            db = open_database(url)
            try:
                with db.session() as s:
                    term = latest_evaluated_term(s)
                t, c = time.perf_counter(), time.process_time()
                with db.session() as s:
                    cells.refresh(s, [term])
                print(f"  summary of {term} refreshed in {time.perf_counter() - t:.1f} s wall "
                      f"(CPU here {time.process_time() - c:.1f} s; the server's is not counted)", flush=True)
                with db.session() as s:
                    district_p = svc.get_programme(s, "pd0101-0000-4000-8000-000000000000")
                    school_p = svc.get_programme(s, "ps0001-0000-4000-8000-000000000000")
                    n = len(pst.candidates(s, district_p.id, term)["candidates"])
                print(f"  {n:,} candidates for {district_p.name} ({district_p.disciplines})", flush=True)
                results = {}
                for name, job in (("pg candidates: district junior programme (物理)",
                                   lambda s: pst.candidates(s, district_p.id, term)),
                                  ("pg candidates: one school's programme", lambda s: pst.candidates(s, school_p.id, term)),
                                  ("pg chain statistics", lambda s: pst.chain_statistics(s))):
                    wall, cpu = bench_stats.timed(db, job, repeat)
                    results[name] = wall
                    print(f"  {name:50s} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU (client)"
                          + ("" if wall <= 1 else "  > 1 s"), flush=True)
            finally:
                db.close()
            return all(v <= 1.0 for v in results.values())
    except NoServer as exc:
        print(f"postgresql: skipped ({exc})")
        return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--schools", type=int, default=200)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--redo-programmes", action="store_true", help="delete the programme data and add it again")
    ap.add_argument("--summary", action="store_true", help="refresh the summary (cells, stored scores) of the latest term")
    ap.add_argument("--commands", type=int, default=0, metavar="N", help="N A/B pairs of whole commands against floors")
    ap.add_argument("--no-floor", action="store_true", help="whole commands without their floors")
    ap.add_argument("--no-speed-target", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--postgres", action="store_true", help="also time the views on a local PostgreSQL copy")
    ap.add_argument("--smoke", action="store_true", help="tiny data in a temporary file, each step once: fails only "
                                                         "if something breaks (bench/run.py --smoke)")
    args = ap.parse_args(argv)
    if args.smoke:
        import tempfile
        folder = Path(tempfile.mkdtemp(prefix="gd-bench-prog-smoke-"))
        try:
            main(["--rows", "100000", "--schools", "10", "--db", str(folder / "d.db"), "--repeat", "1", "--summary",
                  "--commands", "1", "--no-speed-target"])
        finally:
            import shutil
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    # Its own file (bench_stats's district plus programme data and migration 0011), so the
    # statistics benchmark's file stays at the schema main knows.
    path = args.db or Path(f"/tmp/gd-bench-programmes-{args.rows}-{args.schools}.db")
    if not path.exists():
        print(f"generating {path} (~{args.rows:,} rows, {args.schools} schools)…", flush=True)
        t = time.perf_counter()
        bench_stats.generate(path, args.rows, args.schools)
        print(f"generated in {time.perf_counter() - t:.1f} s", flush=True)
    bench_stats.migrate_in_place(path)
    add_programmes(path, args.redo_programmes)
    from growthdesk.services import programmes as svc
    from growthdesk.stats import programmes as pst
    from growthdesk.stats.cultivation import cultivation_list
    from growthdesk.stats.filters import Filters
    from growthdesk.stats.queries import latest_evaluated_term

    print(f"code {CODE}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    db = open_database(path)
    ok = True
    try:
        with db.session() as s:
            term = latest_evaluated_term(s)
        if args.summary:
            from growthdesk.stats import summary as cells
            t, c = time.perf_counter(), time.process_time()
            with db.session() as s:
                done = cells.refresh(s, [term])
            print(f"summary of {term} refreshed ({len(done)} term) in {time.perf_counter() - t:.1f} s wall, "
                  f"{time.process_time() - c:.1f} s CPU", flush=True)
        with db.session() as s:
            district_p = svc.get_programme(s, "pd0101-0000-4000-8000-000000000000")  # junior, 物理
            school_p = svc.get_programme(s, "ps0001-0000-4000-8000-000000000000")
            rules = svc.programme_rules(district_p)
            n = len(pst.candidates(s, district_p.id, term)["candidates"])
            chain = pst.chain_statistics(s)
        print(f"term {term}; district programme {district_p.name} ({district_p.disciplines}): {n:,} candidates")
        print("chain: " + "; ".join(f"{r['tier']} {r['members']:,}" for r in chain["by_tier"]) + "; retention "
              + ", ".join(f"{r['from']}→{r['to']} {r['continued']}/{r['reached']}" for r in chain["retention"])
              + f"; {len(chain['chain']):,} persons in several tiers; {len(chain['mentors']):,} mentors")
        jobs = [
            ("floor: cultivation_list, junior, same rules", lambda s: cultivation_list(s, Filters(term=term, stage="junior"),
                                                                                         rules, with_ids=True)),
            ("candidates: district junior programme (物理)", lambda s: pst.candidates(s, district_p.id, term)),
            ("candidates: one school's programme", lambda s: pst.candidates(s, school_p.id, term)),
            ("chain statistics", lambda s: pst.chain_statistics(s)),
        ]
        results = {}
        for name, job in jobs:
            wall, cpu = bench_stats.timed(db, job, args.repeat)
            results[name] = wall
            print(f"  {name:50s} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU" + ("" if wall <= 1 else "  > 1 s"),
                  flush=True)
        floor = results["floor: cultivation_list, junior, same rules"]
        print(f"  ratio candidates / floor: {results['candidates: district junior programme (物理)'] / floor:.2f}")
        ok = all(results[k] <= 1.0 for k in ("candidates: district junior programme (物理)",
                                             "candidates: one school's programme", "chain statistics"))
    finally:
        db.close()
    if args.commands:
        gd = [sys.executable, "-m", "growthdesk", "programme"]
        floors = HERE / "floors"
        print(f"whole commands, {args.commands} A/B pairs, medians (load {os.getloadavg()[0]:.1f}):", flush=True)
        for label, ours, floor in (
                ("programme candidates (district, 物理)",
                 gd + ["candidates", "--db", str(path), "--programme", district_p.id, "--term", term, "--json"],
                 [sys.executable, str(floors / "floor_candidates.py"), str(path), district_p.id, term]),
                ("programme candidates (one school)",
                 gd + ["candidates", "--db", str(path), "--programme", school_p.id, "--term", term, "--json"],
                 [sys.executable, str(floors / "floor_candidates.py"), str(path), school_p.id, term]),
                ("programme chain", gd + ["chain", "--db", str(path), "--json"],
                 [sys.executable, str(floors / "floor_chain.py"), str(path)])):
            command_pairs(label, ours, None if args.no_floor else floor, args.commands, CODE)
    if args.postgres:
        ok &= bench_postgres(path, args.repeat)
    print("PASS" if ok else "FAIL: a view took more than 1 s")
    return 0 if ok or args.no_speed_target else 1


if __name__ == "__main__":
    raise SystemExit(main())
