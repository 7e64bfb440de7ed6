"""kill -9 at random moments of real commands; every database must stay whole (tests and bench).

Not used by the app. ``run_loop(folder, ops, runs)`` prepares real databases once (a district, a
school with demo data, its first bundle, a receipt, backups, an old-revision database), then
for each run copies them, starts one ``growthdesk`` command in a child process, kills it with
SIGKILL after a random delay (from interpreter start-up to a little past the command's own
duration, measured first), and checks what is left:

- every SQLite file passes ``PRAGMA integrity_check``;
- the database is *wholly before* (every table as it was) or *wholly after* (the command's
  effect complete), never in between;
- no output file is left looking complete when it is not (backups, bundles).

Operations: import (bundle import at the district), export (bundle export at the school),
receipt (the school loads the district's receipt: the school side of a sync), backup, restore,
migrate (a revision-0001 database opened, so migrated, by this version).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPS = ("import", "export", "receipt", "backup", "restore", "migrate")
REV0001 = ROOT / "tests" / "fixtures" / "school_rev0001.db"


def digest(path: Path, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 of every table's rows (sorted), read with sqlite3 only (opening through the app
    would migrate the file)."""
    h = hashlib.sha256()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            if t in skip or t.startswith("sqlite_"):
                continue
            h.update(t.encode())
            for row in sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr):
                h.update(repr(row).encode())
    finally:
        con.close()
    return h.hexdigest()


def table_digests(path: Path) -> dict[str, str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").fetchall():
            rows = sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            out[t] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def _changed(db: Path, before: dict) -> str:
    now = table_digests(db)
    return ",".join(sorted(t for t in set(now) | set(before["tables"]) if now.get(t) != before["tables"].get(t)))


def integrity(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _setting(path: Path, key: str) -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM gd_setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def _scalar(path: Path, sql: str, *args):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(sql, args).fetchone()
        return row[0] if row else None
    finally:
        con.close()


@dataclass
class Prepared:
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


def prepare(folder: Path, students: int = 60) -> Prepared:
    """The databases and files every run starts from (made once, copied per run)."""
    from .db import open_database
    from .sync import export_bundle, import_bundle
    from .sync.testing import make_district_and_school

    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GROWTHDESK_HOME", str(folder / "home"))
    district, school, _ = make_district_and_school(folder / "base", students=students, terms=1)
    fresh_district = folder / "district-fresh.db"
    district.close()
    shutil.copyfile(folder / "base" / "district.db", fresh_district)
    district = open_database(folder / "base" / "district.db")
    bundle = Path(export_bundle(school, folder / "bundles")["path"])
    result = import_bundle(district, bundle, receipts_dir=folder / "receipts")
    assert result["status"] == "imported", result
    p = Prepared(folder)
    p.files.update(fresh_district=fresh_district, bundle=bundle, receipt=Path(result["receipt"]))
    p.facts["school_records_digest"] = None
    district.close()
    school.close()
    # The school after bundle 1 (it still has to load the receipt); its first state before export.
    shutil.copyfile(folder / "base" / "S0001.db", folder / "school-exported.db")
    p.files["school_exported"] = folder / "school-exported.db"
    # A school that has not exported yet: made again (same seed) for the export runs.
    _, school2, _ = make_district_and_school(folder / "base2", students=students, terms=1)
    school2.close()
    p.files["school_fresh"] = folder / "base2" / "S0001.db"
    # A backup to restore: the school with one more class.
    from .backup import backup
    from .services.students import create_class
    restored_src = folder / "restore-source.db"
    shutil.copyfile(p.files["school_fresh"], folder / "tmp-edit.db")
    db = open_database(folder / "tmp-edit.db")
    with db.session(user="crash") as s:
        create_class(s, 2026, 9, 9)
    db.close()
    backup(folder / "tmp-edit.db", restored_src)
    p.files["restore_source"] = restored_src
    if REV0001.is_file():
        p.files["rev0001"] = REV0001
    return p


def _command(op: str, run_dir: Path, p: Prepared) -> tuple[list[str], dict]:
    """The command line of one run, and what the checks need to know."""
    py = [sys.executable, "-m", "growthdesk"]
    if op == "import":
        db = run_dir / "district.db"
        shutil.copyfile(p.files["fresh_district"], db)
        return py + ["bundle", "import", "--db", str(db), str(p.files["bundle"]), "--receipts", str(run_dir)], {"db": db}
    if op == "export":
        db = run_dir / "school.db"
        shutil.copyfile(p.files["school_fresh"], db)
        return py + ["bundle", "export", "--db", str(db), "--out", str(run_dir / "out")], {"db": db}
    if op == "receipt":
        db = run_dir / "school.db"
        shutil.copyfile(p.files["school_exported"], db)
        return py + ["bundle", "receipt", "--db", str(db), str(p.files["receipt"])], {"db": db}
    if op == "backup":
        db = run_dir / "school.db"
        shutil.copyfile(p.files["school_fresh"], db)
        return py + ["backup", "--db", str(db), "--out", str(run_dir / "copy.db")], {"db": db, "out": run_dir / "copy.db"}
    if op == "restore":
        db = run_dir / "school.db"
        shutil.copyfile(p.files["school_fresh"], db)
        return py + ["restore", "--db", str(db), str(p.files["restore_source"])], {"db": db}
    if op == "migrate":
        db = run_dir / "old.db"
        shutil.copyfile(p.files["rev0001"], db)
        code = "import sys; from growthdesk.db import open_database; open_database(sys.argv[1]).close()"
        return [sys.executable, "-c", code, str(db)], {"db": db}
    raise ValueError(op)


# Bookkeeping a command may write after its main transaction (restore marks the database as
# restored for the sequence rules): compared separately, not part of "the data".
_BOOKKEEPING = ("gd_setting", "sync_state", "audit_log")


def check(op: str, info: dict, before: dict, p: Prepared) -> str:
    """'before', 'after', or a word saying what is wrong ('damaged', 'between: …')."""
    db = info["db"]
    if not integrity(db):
        return "damaged"
    if op == "import":
        if digest(db) == before["all"]:
            return "before"
        imported = _scalar(db, "SELECT count(*) FROM import_log WHERE result = 'imported'")
        students = _scalar(db, "SELECT count(*) FROM student WHERE school_code = 'S0001'")
        if imported == 1 and students == before["school_students"]:
            return "after"
        if digest(db, skip=_BOOKKEEPING) == before["data"]:
            return "before (bookkeeping only)"
        return f"between: partial import (changed: {_changed(db, before)})"
    if op == "export":
        out = db.parent / "out"
        bundles = sorted(out.glob("*.gdbundle.zip")) if out.is_dir() else []
        seq = _scalar(db, "SELECT last_sequence FROM sync_state LIMIT 1") if _has_table(db, "sync_state") else None
        if digest(db) == before["all"]:
            return "before" if not bundles else "between: bundle written, export not recorded"
        if bundles and seq == 1:
            try:
                with zipfile.ZipFile(bundles[0]) as zf:
                    if zf.testzip() is not None:
                        return "between: bundle damaged"
            except zipfile.BadZipFile:
                return "between: bundle damaged"
            return "after"
        return "between: export recorded, no bundle" if seq == 1 else "between: unknown"
    if op == "receipt":
        if digest(db) == before["all"]:
            return "before"
        return "after" if digest(db, skip=_BOOKKEEPING) == before["data"] else "between: data changed"
    if op == "backup":
        if digest(db) != before["all"]:
            return "between: source changed"
        out = info["out"]
        if not out.exists():
            return "before"
        return "after" if integrity(out) and digest(out) == before["all"] else "between: incomplete copy named as a backup"
    if op == "restore":
        now = digest(db, skip=_BOOKKEEPING)
        if now == before["data"]:
            return "before" if digest(db) == before["all"] else "before (bookkeeping only)"
        return "after" if now == before["restored_data"] else "between: mixed data"
    if op == "migrate":
        rev = _scalar(db, "SELECT version_num FROM alembic_version")
        if rev == "0001":
            return "before" if digest(db) == before["all"] else "between: 0001 changed"
        from .db import head_revision
        return "after" if rev == head_revision() else f"between: revision {rev}"
    raise ValueError(op)


def _has_table(db: Path, name: str) -> bool:
    return bool(_scalar(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", name))


def _before(op: str, info: dict, p: Prepared) -> dict:
    db = info["db"]
    out = {"all": digest(db), "data": digest(db, skip=_BOOKKEEPING), "tables": table_digests(db)}
    if op == "import":
        out["school_students"] = _scalar(p.files["school_exported"], "SELECT count(*) FROM student")
    if op == "restore":
        out["restored_data"] = digest(p.files["restore_source"], skip=_BOOKKEEPING)
    return out


@dataclass
class Outcome:
    op: str
    delay: float
    killed: bool
    state: str
    leftovers: list[str]


def _env(home: Path) -> dict:
    env = dict(os.environ, GROWTHDESK_HOME=str(home))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _timed(cmd: list[str], env: dict) -> float:
    t0 = time.monotonic()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.monotonic() - t0


def run_loop(folder: Path, ops=OPS, runs: int = 100, *, seed: int = 1, students: int = 60,
             log=None) -> dict:
    """``runs`` kill -9 runs spread over ``ops``; returns the counts (and every outcome)."""
    rng = random.Random(seed)
    folder = Path(folder)
    p = prepare(folder / "prepared", students=students)
    ops = [op for op in ops if op != "migrate" or "rev0001" in p.files]
    env = _env(folder / "home")
    start = _timed([sys.executable, "-c", "import growthdesk.cli"], env)
    duration = {}
    for op in ops:  # each command once, whole: how long it takes here
        d = folder / f"ref-{op}"
        d.mkdir(parents=True, exist_ok=True)
        cmd, _info = _command(op, d, p)
        duration[op] = _timed(cmd, env)
    outcomes: list[Outcome] = []
    for i in range(runs):
        op = ops[i % len(ops)]
        d = folder / f"run-{i:03d}-{op}"
        d.mkdir(parents=True, exist_ok=True)
        cmd, info = _command(op, d, p)
        before = _before(op, info, p)
        delay = rng.uniform(0.8 * start, 1.1 * duration[op])
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            killed = True
        state = check(op, info, before, p)
        leftovers = sorted(x.name for x in d.rglob("*") if x.name.endswith((".partial", ".part")))
        outcomes.append(Outcome(op, round(delay, 2), killed, state, leftovers))
        if log:
            log(f"{i + 1:3d} {op:8s} kill at {delay:5.2f}s {'killed' if killed else 'finished':8s} -> {state}"
                + (f"  (left: {', '.join(leftovers)})" if leftovers else ""))
        shutil.rmtree(d, ignore_errors=True)
    counts = {op: dict(Counter(o.state for o in outcomes if o.op == op)) for op in ops}
    killed = {op: sum(1 for o in outcomes if o.op == op and o.killed) for op in ops}
    bad = [o.__dict__ for o in outcomes if o.state not in ("before", "after", "before (bookkeeping only)")]
    return {"runs": len(outcomes), "startup_s": round(start, 2),
            "duration_s": {k: round(v, 2) for k, v in duration.items()},
            "killed": killed, "states": counts, "bad": bad,
            "leftover_partials": sum(1 for o in outcomes if o.leftovers)}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--students", type=int, default=60)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gd-crashloop-") as tmp:
        result = run_loop(Path(tmp), args.ops.split(","), args.runs, seed=args.seed, students=args.students,
                          log=lambda line: print(line, flush=True))
    print(json.dumps(result, ensure_ascii=False))
    return 0 if not result["bad"] else 1


if __name__ == "__main__":
    sys.exit(main())
