"""Sync bundle figures (DESIGN §7): export of a 2,000-student school, import rows/s into SQLite
against raw ``sqlite3`` ``executemany`` of the same rows in the same run, peak memory for 100k
and 1M-row bundles, and PostgreSQL figures when a server can be started.

    .venv/bin/python bench/bench_sync.py [--students 2000] [--sizes 100000,1000000] [--no-pg]

Each import runs in a child process so its peak RSS (VmHWM) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    """VmHWM of this process's own memory map. (``ru_maxrss`` would also count the parent's
    pages that the child had mapped between fork and exec.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(db: str, bundle: str) -> None:
    """Run in a child: import one bundle, print seconds, rows and peak RSS as JSON."""
    from growthdesk.db import open_database
    from growthdesk.sync import import_bundle

    d = open_database(db)
    t0, c0 = time.perf_counter(), time.process_time()
    res = import_bundle(d, bundle, user="bench", receipts_dir=tempfile.mkdtemp())
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    d.close()
    rows = sum(sum(c.values()) for c in res["counts"].values())
    print(json.dumps({"status": res["status"], "seconds": dt, "cpu": cpu, "rows": rows,
                      "maxrss_mb": peak_rss_mb(),
                      "reason": res["reason"]}))


def run_child(db: str, bundle: Path, **env) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child-import", db, str(bundle)], capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(ROOT), **env))
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if res["status"] != "imported":
        raise SystemExit(f"import failed: {res['reason']}")
    return res


def baseline(empty_district: Path, bundle: Path, work: Path) -> tuple[float, float, int]:
    """Raw sqlite3 executemany of the same rows (already converted) into the same schema."""
    from growthdesk.sync import format as fmt
    from growthdesk.sync.rows import converters
    import csv
    import io

    target = work / "baseline.db"
    shutil.copy(empty_district, target)
    con = sqlite3.connect(target)
    from growthdesk.sync.importer import SQLITE_CACHE_KIB

    # The pragmas the app's import runs with (db.py's, plus the import's page cache).
    for p in ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
              f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}"):
        con.execute(p)
    data = {}
    with zipfile.ZipFile(bundle) as zf:
        for spec in fmt.SPECS:
            convs = converters(spec, True)
            reader = csv.reader(io.TextIOWrapper(zf.open(spec.csv_name), encoding="utf-8", newline=""))
            next(reader)
            data[spec.name] = [tuple(c(v) for c, v in zip(convs, row)) + (1, 0) for row in reader]
    _copy_terms(con, data)
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for spec in fmt.SPECS:
        cols = spec.names + ["usn", "deleted"]
        con.executemany(f'INSERT INTO "{spec.name}" ({",".join(cols)}) VALUES ({",".join("?" * len(cols))})',
                        data[spec.name])
        n += len(data[spec.name])
    con.commit()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    return dt, cpu, n


def _copy_terms(con, data: dict) -> None:
    """The import creates missing terms itself; the baseline gets them beforehand, untimed."""
    from growthdesk.services.terms import parse_term_code, term_dates
    from growthdesk.sync import format as fmt

    codes = set()
    for spec in fmt.SPECS:
        if "term_code" in spec.names:
            i = spec.names.index("term_code")
            codes |= {r[i] for r in data[spec.name]}
    for code in codes:
        year, no = parse_term_code(code)
        start, end = term_dates(code)
        con.execute("INSERT OR IGNORE INTO term (code, school_year, term_no, start_date, end_date) VALUES (?,?,?,?,?)",
                    (code, year, no, start.isoformat(), end.isoformat()))
    con.commit()


def bench_school(work: Path, students: int) -> tuple[Path, Path, dict]:
    from growthdesk.sync import export_bundle
    from growthdesk.sync.testing import make_district_and_school

    t0 = time.perf_counter()
    district, school, setup = make_district_and_school(work, students=students, terms=4)
    print(f"demo school: {students} students made in {time.perf_counter() - t0:.1f} s")
    district.close()
    empty = work / "district-empty.db"
    shutil.copy(work / "district.db", empty)
    t0, c0 = time.perf_counter(), time.process_time()
    res = export_bundle(school, work / "out", full=True)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"export {students} students: {res['rows']:,} rows, {res['bytes'] / 1e6:.1f} MB in {dt:.2f} s wall / "
          f"{cpu:.2f} s CPU (target ≤ 3 s) → {res['rows'] / dt:,.0f} rows/s")
    print(f"  (machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times stretch "
          "with it, CPU times much less)")
    school.close()
    return empty, Path(res["path"]), setup


def bench_import(work: Path, empty: Path, bundle: Path, label: str) -> dict:
    target = work / f"import-{label}.db"
    shutil.copy(empty, target)
    res = run_child(str(target), bundle)
    base_s, base_cpu, n = baseline(empty, bundle, work)
    print(f"import {label}: {res['rows']:,} rows in {res['seconds']:.2f} s wall / {res['cpu']:.2f} s CPU = "
          f"{res['rows'] / res['seconds']:,.0f} rows/s wall, {res['rows'] / res['cpu']:,.0f} rows/s CPU")
    print(f"  raw sqlite3 executemany of the same {n:,} rows: {base_s:.2f} s wall / {base_cpu:.2f} s CPU = "
          f"{n / base_s:,.0f} rows/s wall, {n / base_cpu:,.0f} rows/s CPU")
    print(f"  ratio ours/raw: {res['seconds'] / base_s:.2f}× wall, {res['cpu'] / base_cpu:.2f}× CPU "
          f"(target ≤ 3×; ≥ 100k rows/s); peak RSS of the importing process {res['maxrss_mb']:.0f} MB")
    return res


def bench_sizes(work: Path, empty: Path, setup: dict, sizes: list[int]) -> dict[int, Path]:
    from growthdesk.sync.testing import write_synthetic_bundle

    made = {}
    for n in sizes:
        bundle = work / f"synthetic-{n}.gdbundle.zip"
        rows = write_synthetic_bundle(bundle, school_code=setup["school"]["code"],
                                      district_code=setup["district"]["code"], key=setup["sync_key"],
                                      evaluations=n)
        print(f"synthetic bundle: {rows:,} rows, {bundle.stat().st_size / 1e6:.1f} MB")
        bench_import(work, empty, bundle, f"{n // 1000}k")
        made[n] = bundle
    # The peak above includes SQLite's page cache, which grows up to its cap (64 MB) as the
    # database grows. With SQLite's default 2 MB cache the importing process's own memory shows:
    for n, bundle in made.items():
        target = work / f"memory-{n}.db"
        shutil.copy(empty, target)
        res = run_child(str(target), bundle, GROWTHDESK_SYNC_CACHE_KIB="2000")
        print(f"memory with a 2 MB SQLite cache, {res['rows']:,} rows: peak RSS {res['maxrss_mb']:.0f} MB "
              f"({res['seconds']:.1f} s)")
    return made


def bench_postgres(bundles: dict[str, Path], setup: dict) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from postgres_server import NoServer, new_database, running_server
    except ImportError as exc:
        print(f"postgresql: skipped ({exc})")
        return
    from growthdesk.setup import create_district
    from growthdesk.sync.testing import register_school

    try:
        with running_server() as server:
            for label, bundle in bundles.items():
                url = new_database(server)
                d = create_district(url, setup["district"]["code"], "示例区")
                register_school(d, setup)
                d.close()
                res = run_child(url, bundle)
                print(f"import {label} into PostgreSQL (local server, fsync off): {res['rows']:,} rows in "
                      f"{res['seconds']:.2f} s wall / {res['cpu']:.2f} s client CPU = "
                      f"{res['rows'] / res['seconds']:,.0f} rows/s; client peak RSS {res['maxrss_mb']:.0f} MB")
    except NoServer as exc:
        print(f"postgresql: skipped ({exc})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--pg-sizes", default="100000", help="synthetic sizes also imported into PostgreSQL")
    ap.add_argument("--child-import", nargs=2)
    args = ap.parse_args()
    if args.child_import:
        child_import(*args.child_import)
        return
    os.environ.setdefault("GROWTHDESK_HOME", tempfile.mkdtemp(prefix="gd-bench-home-"))
    work = Path(tempfile.mkdtemp(prefix="gd-bench-sync-"))
    try:
        empty, bundle, setup = bench_school(work, args.students)
        bench_import(work, empty, bundle, f"{args.students}-students")
        made = bench_sizes(work, empty, setup, [int(x) for x in args.sizes.split(",") if x])
        if not args.no_pg:
            pg = {f"{args.students}-students": bundle}
            pg.update({f"{n // 1000}k": made[n] for n in map(int, args.pg_sizes.split(",")) if n in made})
            bench_postgres(pg, setup)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
