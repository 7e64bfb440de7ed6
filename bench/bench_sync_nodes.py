"""Many PCs, one school (issue 11, DESIGN §7): one sync round of a workstation with 500 changed
records against a hub of 2,000 students (target ≤ 2 s for the workstation), and the hub merging
30 workstations' bundles (≤ 5 s). The district bundle line (≤ 3 s) is ``bench_publish.py``.

Everything is as a school has it: the hub is the demo school (accounts, then encrypted at its
admin's first login); workstation W01 is made from its setup file (SQLCipher from the start,
opened by its enrollment secret until the accounts arrive), enrolls, and takes the whole school
down through the sync folder. Every command then logs in (``--user`` + ``GROWTHDESK_PASSWORD``).

Two figures for each line, in the same run:
- **whole commands** (``growthdesk sync --db … --folder … --user …``: interpreter start, imports,
  login (one scrypt), the round, exit) against a **floor**: a bare script that opens the same
  encrypted files with ``sqlcipher3`` and the raw database key (no scrypt: the floor knows the
  key) and moves the same rows (``sqlite3`` select on one side, ``executemany`` update on the
  other). A B A B pairs on fresh copies of the same state; medians, ratio, CPU user+sys of each
  process (the machine is shared: CPU is the figure that compares across runs), load average.
- **in-process**: ``sync.auto.run_round`` on an already open (logged-in) database, as the app's
  automatic sync runs it (no interpreter start, no login): wall and CPU, timed inside a process of
  its own (logged in first, untimed).

The 30-workstation merge: W02…W30 are copies of W01 re-enrolled with their own setup files (fresh
keys, the real ``create_workstation`` re-enroll path); the hub's channel to each copy starts where
its channel to W01 is (what a copy holds is what W01 holds), then one warm-up round makes every
copy an active, confirmed workstation. Each then makes ``--per-ws`` changes (half a note on
students, neighbours' ranges overlapping by half: real same-field conflicts; half new process
evaluations) and sends; the measured line is the hub's round:
merge the 30 bundles (the figure the ≤ 5 s target is about; timed around the round's own
``import_bundle`` calls) and then send each workstation (and the district) what changed.

    .venv/bin/python bench/bench_sync_nodes.py [--students 2000] [--changes 500] [--workstations 30]
        [--per-ws 100] [--pairs 3] [--json] [--profile DIR]
    .venv/bin/python bench/bench_sync_nodes.py --smoke     # tiny data, one pair: fails only if it breaks

Exit status: non-zero when something fails, or (not in --smoke) a target is missed by the
in-process figure (the app's own round).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "demo1234"  # growthdesk.demo.DEMO_PASSWORD: every demo account has it
ENV = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", GROWTHDESK_PASSWORD=PASSWORD)
HUB_USER, WS_USER = "admin", "teacher01"  # the school admin at the hub; a teacher at an office PC
TARGET_ROUND_S, TARGET_MERGE_S = 2.0, 5.0

FLOOR = r'''
import sqlcipher3, sys
src, dst, idsrc, spec = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
keys = dict(a.split("=", 1) for a in sys.argv[5:])
counts = [(t, int(n)) for t, n in (x.split(":") for x in spec.split(","))]
def connect(path):
    con = sqlcipher3.connect(path)
    con.execute("PRAGMA key = \"x'%s'\"" % keys[path])
    con.execute("PRAGMA cipher_memory_security = OFF")
    return con
b = connect(dst)
with b:
    for one, from_ in zip(idsrc.split(","), src.split(",")):
        a, changed = connect(from_), connect(one)
        for table, n in counts:
            ids = [r[0] for r in changed.execute("SELECT id FROM %s ORDER BY usn DESC LIMIT ?" % table, (n,))]
            cols = [r[1] for r in a.execute("PRAGMA table_info(%s)" % table)]
            rows = a.execute("SELECT %s FROM %s WHERE id IN (%s)" % (",".join(cols), table, ",".join("?" * len(ids))),
                             ids).fetchall()
            b.executemany("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT(id) DO UPDATE SET %s" % (
                table, ",".join(cols), ",".join("?" * len(cols)),
                ",".join("%s = excluded.%s" % (c, c) for c in cols if c != "id")), rows)
'''


def run(argv: list[str]) -> tuple[float, float]:
    """One whole process: (wall seconds, CPU user+sys seconds of that process)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(argv, env=ENV, cwd=ROOT, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            out.seek(0)
            raise SystemExit(f"failed: {' '.join(map(str, argv))}\n{out.read()[-1500:]}\n{err.read()[-2500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def gd_sync(db: Path, folder: Path, user: str) -> list[str]:
    return [sys.executable, "-m", "growthdesk", "sync", "--db", str(db), "--folder", str(folder), "--user", user]


def floor_cmd(src: list[Path], dst: Path, idsrc: list[Path], n: int, keyhex: dict[Path, str]) -> list[str]:
    """The floor moves, from each source to ``dst``, the rows ``edit_records`` changed there (the
    latest by usn in each ``idsrc``): the students' rows and the new evaluations, as upserts."""
    notes, evals = split(n)
    return [sys.executable, "-c", FLOOR, ",".join(map(str, src)), str(dst), ",".join(map(str, idsrc)),
            f"student:{notes},process_evaluation:{evals}",
            *(f"{p}={k}" for p, k in keyhex.items())]


def copy_state(src: Path, dst: Path, only: tuple[str, ...] | None = None) -> Path:
    """A fresh copy of a state folder (``only``: these databases, with their key and lockout
    files, and the sync folder F)."""
    shutil.rmtree(dst, ignore_errors=True)
    if only is None:
        shutil.copytree(src, dst)
        return dst
    dst.mkdir(parents=True)
    shutil.copytree(src / "F", dst / "F")
    for name in only:
        for p in src.glob(name + "*"):
            shutil.copy2(p, dst / p.name)
    return dst


def login(path: Path, user: str):
    from growthdesk.security import unlock_database
    return unlock_database(path, user, PASSWORD)


def open_with_key(path: Path, key: bytes):
    """A copy of an encrypted file opened by its raw key (setup only: the copies share W01's key)."""
    from growthdesk.db import open_database
    return open_database(path, key=key)


def split(n: int) -> tuple[int, int]:
    """``n`` changed records: half edits of students' rows, half new process evaluations (what
    teachers mostly record)."""
    return n - n // 2, n // 2


def edit_records(db, n: int, text: str, offset: int = 0) -> None:
    """``n`` changes made on this PC: a note changed on ``split(n)[0]`` students from ``offset``
    on (neighbouring ranges overlap: same-field conflicts) and ``split(n)[1]`` new evaluations
    of those students."""
    from sqlalchemy import select

    from growthdesk.models import Student
    from growthdesk.services import evaluations, students
    from growthdesk.services.terms import current_term_code

    notes, evals = split(n)
    term = current_term_code()
    with db.session(user=HUB_USER) as s:  # the school admin may edit any student (a teacher: their classes)
        ids = list(s.scalars(select(Student.id).where(Student.deleted.is_(False)).order_by(Student.id)
                             .offset(offset).limit(max(notes, evals))))
        for sid in ids[:notes]:
            students.update_student(s, sid, note=f"{text}-{sid[:6]}")
        for k in range(evals):
            evaluations.record_process_evaluation(s, student_id=ids[k % len(ids)], term_code=term, dimension="moral",
                                                  level="A", evaluator_role="teacher", evaluator_name="王老师",
                                                  comment=f"{text} 课堂表现积极")


def round_in_process(db, folder: Path) -> tuple[float, float, dict]:
    """``auto.run_round`` on an open database: (wall, CPU, result), as the app's timer runs it.
    ``result["import_s"]`` / ``["import_cpu_s"]``: of that, the bundles' imports (the merge),
    timed around the round's own calls of ``import_bundle``."""
    from growthdesk.sync import folder as folder_mod
    from growthdesk.sync.auto import run_round
    real, spent = folder_mod.import_bundle, [0.0, 0.0]

    def timed_import(*args, **kwargs):
        c, t = time.process_time(), time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t
            spent[1] += time.process_time() - c

    folder_mod.import_bundle = timed_import
    try:
        c0, t0 = time.process_time(), time.perf_counter()
        res = run_round(db, folder)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        folder_mod.import_bundle = real
    res["import_s"], res["import_cpu_s"] = spent
    if res["errors"] or res["skipped"]:
        raise SystemExit(f"sync round failed: {res['errors'] or res['skipped']}")
    return wall, cpu, res


def app_rounds(folder: Path, steps: list[tuple[Path, str]], profile: Path | None = None) -> list[tuple[float, float, dict]]:
    """``auto.run_round`` on each (database, login) of ``steps`` in turn, in a process of its own
    where each database was logged into first (untimed), as the app's automatic sync runs inside
    the app: [(wall, CPU, result)]. A fresh process, so this benchmark's own heap (the school it
    built) does not slow the collector down. ``profile``: cProfile each step into that folder."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child-rounds", str(folder),
            *(f"{db}={user}" for db, user in steps)]
    if profile is not None:
        argv += ["--profile-out", str(profile)]
    out = subprocess.run(argv, env=ENV, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"in-process round failed: {' '.join(argv)}\n{out.stdout[-1500:]}\n{out.stderr[-2500:]}")
    return [(d["wall"], d["cpu"], d["result"]) for d in json.loads(out.stdout.strip().splitlines()[-1])]


def child_rounds(folder: str, steps: list[str], profile_out: str | None) -> int:
    opened = {}
    try:
        for step in steps:
            db, _, user = step.rpartition("=")
            if db not in opened:
                opened[db] = login(Path(db), user)
        done = []
        for n, step in enumerate(steps):
            db = opened[step.rpartition("=")[0]]
            prof = None
            if profile_out:
                import cProfile
                prof = cProfile.Profile()
                prof.enable()
            wall, cpu, res = round_in_process(db, Path(folder))
            if prof is not None:
                prof.disable()
                Path(profile_out).mkdir(parents=True, exist_ok=True)
                prof.dump_stats(Path(profile_out) / f"step{n}-{Path(step.rpartition('=')[0]).stem}.prof")
            done.append({"wall": wall, "cpu": cpu,
                         "result": {k: res[k] for k in ("sent", "imported", "import_s", "import_cpu_s")}})
    finally:
        for db in opened.values():
            db.close()
    print(json.dumps(done, ensure_ascii=False, default=str))
    return 0


def sync_once(db, folder: Path) -> dict:
    from growthdesk.sync.folder import sync_folder
    res = sync_folder(db, folder, user=getattr(db, "login", None) or "")
    if res["errors"] or res["skipped"]:
        raise SystemExit(f"sync round failed: {res['errors'] or res['skipped']}")
    return res


# ---------------------------------------------------------------- the school, built once

def build(work: Path, students: int, changes: int, workstations: int, per_ws: int) -> dict:
    """``work/base``: the hub, W01 in step with it, W02… as re-enrolled copies, all active;
    ``work/round0``: that state plus W01's ``changes`` edits (not yet sent);
    ``work/merge0``: the hub and every workstation's bundle of ``per_ws`` edits waiting in the folder."""
    from sqlalchemy import select

    from growthdesk.demo import fill_demo
    from growthdesk.models import SyncState
    from growthdesk.security import open_waiting_workstation
    from growthdesk.setup import add_school, add_workstation, create_district, create_school, create_workstation
    from growthdesk.sync.testing import FIXED_TODAY

    base = work / "base"
    folder = base / "F"
    folder.mkdir(parents=True)
    district = create_district(work / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", "示例学校", "urban", "junior")
    district.close()
    hub = create_school(base / "hub.db", setup)
    fill_demo(hub, students=students, terms=2, seed=1, today=FIXED_TODAY)
    hub.close()
    hub = login(base / "hub.db", HUB_USER)  # the admin's first login encrypts the hub
    ws_setups = [add_workstation(hub, f"办公室{i}") for i in range(1, workstations + 1)]
    w01 = base / "W01.db"
    create_workstation(w01, ws_setups[0]).close()
    with open_waiting_workstation(w01) as ws:  # enrollment (before its accounts, by the secret)
        sync_once(ws, folder)
    sync_once(hub, folder)  # W01 enrolled; the whole school goes down to it
    with open_waiting_workstation(w01) as ws:  # the school arrives, accounts included
        sync_once(ws, folder)
    ws = login(w01, WS_USER)
    key = ws.key
    sync_once(ws, folder)
    ws.close()
    keyhex = {"hub": hub.key.hex(), "ws": key.hex()}

    # W02…: copies of W01, each re-enrolled with its own setup file (fresh node keys).
    with hub.session() as s:
        st = s.get(SyncState, "S0001-W01")
        seed = (st.last_sequence, st.last_exported_usn, st.last_exported_at)
    for i in range(2, workstations + 1):
        path = base / f"W{i:02d}.db"
        for suffix in ("", ".keys", ".lockout"):
            if Path(str(w01) + suffix).exists():
                shutil.copy(str(w01) + suffix, str(path) + suffix)
        db = open_with_key(path, key)
        db.login = WS_USER
        create_workstation(path, ws_setups[i - 1], opened=db)
        db.close()
    with hub.session(user="setup") as s:  # the hub's channel to each copy starts where W01's is
        for i in range(2, workstations + 1):
            s.add(SyncState(school_code=f"S0001-W{i:02d}", last_sequence=seed[0], last_exported_usn=seed[1],
                            last_exported_at=seed[2]))
    # Warm-up: each copy sends one change (its enrollment), the hub answers, each takes it in.
    for i in range(2, workstations + 1):
        with open_with_key(base / f"W{i:02d}.db", key) as db:
            db.login = WS_USER
            edit_records(db, 1, f"warm{i}", offset=i)
            sync_once(db, folder)
    sync_once(hub, folder)
    for i in range(1, workstations + 1):
        with open_with_key(base / f"W{i:02d}.db", key) as db:
            db.login = WS_USER
            sync_once(db, folder)
    sync_once(hub, folder)  # receipts
    hub.close()
    for i in range(1, workstations + 1):
        with open_with_key(base / f"W{i:02d}.db", key) as db:
            sync_once(db, folder)  # receipts
    leftover = [str(p.relative_to(folder)) for p in folder.rglob("*.gdbundle") if p.parent.name != "to-D01"]
    assert not leftover, leftover  # (the hub's bundles to the district wait in to-D01: nobody takes them here)

    copy_state(base, work / "round0", ("hub.db", "W01.db"))
    with open_with_key(work / "round0" / "W01.db", key) as db:
        db.login = WS_USER
        edit_records(db, changes, "工作站")

    merge = copy_state(base, work / "merge0")
    span = max(students - per_ws, 1)
    for i in range(1, workstations + 1):
        with open_with_key(merge / f"W{i:02d}.db", key) as db:
            db.login = WS_USER
            # Neighbours' students overlap by half: real same-field conflicts for the merge.
            edit_records(db, per_ws, f"W{i}", offset=(i * per_ws // 4) % span)
            res = sync_once(db, merge / "F")
            assert len(res["sent"]) == 1 and res["sent"][0]["rows"] >= per_ws, res["sent"]
    with open_with_key(merge / "hub.db", bytes.fromhex(keyhex["hub"])) as db:
        with db.session() as s:
            active = s.scalars(select(SyncState.school_code)).all()
    assert len(active) >= workstations, active
    return keyhex


# ---------------------------------------------------------------- the two lines

def keys_of(d: Path, keyhex: dict, workstations: int) -> dict[Path, str]:
    out = {d / "hub.db": keyhex["hub"]}
    out.update({d / f"W{i:02d}.db": keyhex["ws"] for i in range(1, workstations + 1)})
    return out


def workstation_round(work: Path, keyhex: dict, changes: int, pairs: int, profile: Path | None) -> dict:
    up, down, hub_t, fl = [], [], [], []
    cpu = {"up": [], "down": [], "hub": [], "floor": []}
    for k in range(pairs):
        d = copy_state(work / "round0", work / "run")
        F = d / "F"
        for into, label, argv in ((up, "up", gd_sync(d / "W01.db", F, WS_USER)),
                                  (hub_t, "hub", gd_sync(d / "hub.db", F, HUB_USER)),
                                  (down, "down", gd_sync(d / "W01.db", F, WS_USER))):
            wall, c = run(argv)
            into.append(wall)
            cpu[label].append(c)
        d = copy_state(work / "round0", work / "run")
        kh = keys_of(d, keyhex, 1)
        w1 = run(floor_cmd([d / "W01.db"], d / "hub.db", [d / "W01.db"], changes, kh))
        w2 = run(floor_cmd([d / "hub.db"], d / "W01.db", [d / "W01.db"], changes, kh))
        fl.append(w1[0] + w2[0])
        cpu["floor"].append(w1[1] + w2[1])
    # In-process: the app's own rounds on open, logged-in databases.
    ip = {"up": [], "hub": [], "down": []}
    ipc = {"up": [], "hub": [], "down": []}
    rows = 0
    for k in range(pairs + (1 if profile else 0)):  # with --profile: one more, profiled, not counted
        d = copy_state(work / "round0", work / "run")
        steps = [(d / "W01.db", WS_USER), (d / "hub.db", HUB_USER), (d / "W01.db", WS_USER)]
        got = app_rounds(d / "F", steps, profile / "round" if k == pairs else None)
        if k == pairs:
            continue
        for label, (wall, c, res) in zip(("up", "hub", "down"), got):
            ip[label].append(wall)
            ipc[label].append(c)
            if label == "up":
                rows = res["sent"][0]["rows"] if res["sent"] else 0
    med = statistics.median
    res = {"changes": changes, "rows_sent_up": rows, "pairs": pairs,
           "cmd_up_s": med(up), "cmd_down_s": med(down), "cmd_round_s": med(up) + med(down), "cmd_hub_s": med(hub_t),
           "cmd_up_cpu_s": med(cpu["up"]), "cmd_down_cpu_s": med(cpu["down"]), "cmd_hub_cpu_s": med(cpu["hub"]),
           "floor_s": med(fl), "floor_cpu_s": med(cpu["floor"]),
           "inproc_up_s": med(ip["up"]), "inproc_down_s": med(ip["down"]), "inproc_hub_s": med(ip["hub"]),
           "inproc_up_cpu_s": med(ipc["up"]), "inproc_down_cpu_s": med(ipc["down"]), "inproc_hub_cpu_s": med(ipc["hub"])}
    res["cmd_round_cpu_s"] = res["cmd_up_cpu_s"] + res["cmd_down_cpu_s"]
    res["inproc_round_s"] = res["inproc_up_s"] + res["inproc_down_s"]
    res["inproc_round_cpu_s"] = res["inproc_up_cpu_s"] + res["inproc_down_cpu_s"]
    res["ratio"] = res["cmd_round_s"] / res["floor_s"]
    res["cpu_ratio"] = res["cmd_round_cpu_s"] / res["floor_cpu_s"]
    return res


def hub_merge(work: Path, keyhex: dict, workstations: int, per_ws: int, pairs: int, profile: Path | None) -> dict:
    ours, fl, co, cf = [], [], [], []
    wss = [f"W{i:02d}.db" for i in range(1, workstations + 1)]
    for _ in range(pairs):
        d = copy_state(work / "merge0", work / "run", ("hub.db",))
        wall, c = run(gd_sync(d / "hub.db", d / "F", HUB_USER))
        ours.append(wall)
        co.append(c)
        d = copy_state(work / "merge0", work / "run", ("hub.db",))
        src = [work / "merge0" / w for w in wss]  # the floor only reads the workstations' files
        wall, c = run(floor_cmd(src, d / "hub.db", src, per_ws,
                                {d / "hub.db": keyhex["hub"], **{p: keyhex["ws"] for p in src}}))
        fl.append(wall)
        cf.append(c)
    ip, ipc, imp, impc = [], [], [], []
    counts = {}
    for k in range(pairs + (1 if profile else 0)):  # with --profile: one more, profiled, not counted
        d = copy_state(work / "merge0", work / "run", ("hub.db",))
        [(wall, c, res)] = app_rounds(d / "F", [(d / "hub.db", HUB_USER)], profile / "merge" if k == pairs else None)
        assert len(res["imported"]) == workstations, res["imported"]
        if k == pairs:
            continue
        ip.append(wall)
        ipc.append(c)
        imp.append(res["import_s"])
        impc.append(res["import_cpu_s"])
        counts = {"imported": len(res["imported"]), "sent": len(res["sent"]),
                  "rows_sent_down_each": max((s["rows"] for s in res["sent"]), default=0)}
    med = statistics.median
    out = {"workstations": workstations, "changes_each": per_ws, "pairs": pairs, **counts,
           "cmd_s": med(ours), "cmd_cpu_s": med(co), "floor_s": med(fl), "floor_cpu_s": med(cf),
           "inproc_s": med(ip), "inproc_cpu_s": med(ipc), "inproc_merge_s": med(imp), "inproc_merge_cpu_s": med(impc)}
    out["ratio"] = out["cmd_s"] / out["floor_s"]
    out["cpu_ratio"] = out["cmd_cpu_s"] / out["floor_cpu_s"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--changes", type=int, default=500)
    ap.add_argument("--workstations", type=int, default=30)
    ap.add_argument("--per-ws", type=int, default=100)
    ap.add_argument("--pairs", type=int, default=3, help="A B pairs (and in-process runs) per line")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--profile", type=Path, help="one more in-process run of each round, under cProfile, "
                    "its stats written here (not counted)")
    ap.add_argument("--child-rounds", nargs="+", metavar="FOLDER DB=USER", help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (its path is printed), to profile by hand")
    ap.add_argument("--smoke", action="store_true", help="tiny data, one pair: does it still run (never judged on speed)")
    args = ap.parse_args()
    if args.child_rounds:
        return child_rounds(args.child_rounds[0], args.child_rounds[1:], args.profile_out)
    if args.smoke:
        args.students, args.changes, args.workstations, args.per_ws, args.pairs = 30, 10, 2, 5, 1
    work = Path(tempfile.mkdtemp(prefix="gd-nodes-"))
    os.environ["GROWTHDESK_HOME"] = ENV["GROWTHDESK_HOME"] = str(work / "home")
    try:
        t0 = time.perf_counter()
        keyhex = build(work, args.students, args.changes, args.workstations, args.per_ws)
        built = time.perf_counter() - t0
        r = workstation_round(work, keyhex, args.changes, args.pairs, args.profile)
        m = hub_merge(work, keyhex, args.workstations, args.per_ws, args.pairs, args.profile)
    finally:
        if args.keep:
            print(f"work folder kept: {work} (password {PASSWORD}; GROWTHDESK_HOME={work / 'home'})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    res = {"students": args.students, "round": r, "merge": m, "setup_s": round(built, 1),
           "load_average": [round(x, 2) for x in load], "cores": os.cpu_count(), "smoke": args.smoke}
    ok_round = r["inproc_round_s"] <= TARGET_ROUND_S
    ok_merge = m["inproc_merge_s"] <= TARGET_MERGE_S
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        print(f"setup: hub of {args.students} students, {args.workstations} workstations enrolled ({built:.0f} s)")
        print(f"workstation round, {r['changes']} changed records ({split(r['changes'])[0]} students' notes + "
              f"{split(r['changes'])[1]} new evaluations; {r['rows_sent_up']} rows up), hub of "
              f"{args.students} students, median of {r['pairs']}:")
        print(f"  whole commands: up {r['cmd_up_s']:.2f} s + down {r['cmd_down_s']:.2f} s = {r['cmd_round_s']:.2f} s "
              f"(CPU {r['cmd_up_cpu_s']:.2f} + {r['cmd_down_cpu_s']:.2f} = {r['cmd_round_cpu_s']:.2f} s); "
              f"floor {r['floor_s']:.2f} s (CPU {r['floor_cpu_s']:.2f} s); ratio {r['ratio']:.2f}× "
              f"(CPU {r['cpu_ratio']:.2f}×)")
        print(f"  in-process (app's automatic round): up {r['inproc_up_s']:.2f} s + down {r['inproc_down_s']:.2f} s = "
              f"{r['inproc_round_s']:.2f} s (CPU {r['inproc_round_cpu_s']:.2f} s)  target ≤ {TARGET_ROUND_S:.0f} s"
              f"{'' if ok_round or args.smoke else '  MISSED'}")
        print(f"  the hub's round between them: command {r['cmd_hub_s']:.2f} s (CPU {r['cmd_hub_cpu_s']:.2f} s), "
              f"in-process {r['inproc_hub_s']:.2f} s (CPU {r['inproc_hub_cpu_s']:.2f} s)")
        print(f"hub merging {m['workstations']} workstations × {m['changes_each']} changed records (half notes, "
              f"neighbours' overlapping; half new evaluations) (and sending "
              f"{m['sent']} bundles down, {m['rows_sent_down_each']} rows each), median of {m['pairs']}:")
        print(f"  whole command: {m['cmd_s']:.2f} s (CPU {m['cmd_cpu_s']:.2f} s); floor (merge only) {m['floor_s']:.2f} s "
              f"(CPU {m['floor_cpu_s']:.2f} s); ratio {m['ratio']:.2f}× (CPU {m['cpu_ratio']:.2f}×)")
        print(f"  in-process (app's automatic round): {m['inproc_s']:.2f} s (CPU {m['inproc_cpu_s']:.2f} s), of which "
              f"the merge (importing the {m['imported']} bundles) {m['inproc_merge_s']:.2f} s (CPU "
              f"{m['inproc_merge_cpu_s']:.2f} s)  target ≤ {TARGET_MERGE_S:.0f} s for the merge"
              f"{'' if ok_merge or args.smoke else '  MISSED'}; the rest is sending each workstation its bundle")
        print(f"  load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
              + ("  (smoke: tiny data, not judged on speed)" if args.smoke else ""))
    return 0 if args.smoke or (ok_round and ok_merge) else 1


if __name__ == "__main__":
    raise SystemExit(main())
