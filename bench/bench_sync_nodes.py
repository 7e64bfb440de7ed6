"""Many PCs, one school (DESIGN §7): one sync round of a workstation with 500 changed records
against a hub of 2,000 students (target ≤ 2 s for the workstation), and a hub merging 30
workstations' bundles (≤ 5 s). Whole commands (a fresh ``growthdesk`` process each) against a
floor script doing the bare work (``sqlite3``: read the changed rows on one side, write them on
the other) in the same run; ratios printed.

    .venv/bin/python bench/bench_sync_nodes.py [--students 2000] [--changes 500] [--workstations 30]
        [--per-ws 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")

FLOOR = r'''
import sqlite3, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = sqlite3.connect(src), sqlite3.connect(dst)
rows = a.execute("SELECT note, clock, versions, updated_at, id FROM student ORDER BY usn DESC LIMIT ?", (n,)).fetchall()
with b:
    b.executemany("UPDATE student SET note = ?, clock = ?, versions = ?, updated_at = ? WHERE id = ?", rows)
'''


CPU: dict[str, float] = {}  # CPU seconds (user + sys) of each timed command, by its first words


def timed(argv: list[str]) -> float:
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, env=ENV)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    label = "floor" if argv[1] == "-c" and "sqlite3" in argv[2] else " ".join(Path(str(a)).name for a in argv[2:6])
    CPU[label] = round(CPU.get(label, 0) + cpu, 3)
    print(f"  {dt:.3f} s wall, {cpu:.3f} s CPU: {label}", file=sys.stderr)
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, argv))}\n{out.stderr[-2000:]}")
    return dt


def gd(*args) -> list[str]:
    return [sys.executable, "-m", "growthdesk", *map(str, args)]


def floor(src: Path, dst: Path, n: int) -> float:
    return timed([sys.executable, "-c", FLOOR, str(src), str(dst), str(n)])


def edit_notes(db, n: int, text: str, offset: int = 0) -> None:
    from sqlalchemy import select

    from growthdesk.models import Student
    from growthdesk.services import students

    with db.session(user="bench") as s:
        ids = list(s.scalars(select(Student.id).where(Student.deleted.is_(False)).order_by(Student.id).offset(offset).limit(n)))
        for sid in ids:
            students.update_student(s, sid, note=f"{text}-{sid[:6]}")


def workstation_round(tmp: Path, students: int, changes: int) -> dict:
    """Format 2 through a sync folder, as the app does it."""
    from growthdesk.db import open_database
    from growthdesk.demo import fill_demo
    from growthdesk.setup import add_school, add_workstation, create_district, create_school, create_workstation
    from growthdesk.sync.folder import sync_folder
    from growthdesk.sync.testing import FIXED_TODAY

    district = create_district(tmp / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", "示例学校", "urban", "junior")
    district.close()
    hub = create_school(tmp / "hub.db", setup)
    fill_demo(hub, students=students, terms=2, seed=1, today=FIXED_TODAY)
    ws_setup = add_workstation(hub, "机房1")
    hub.close()
    create_workstation(tmp / "ws.db", ws_setup).close()
    folder = tmp / "F"
    folder.mkdir()
    for name in ("ws.db", "hub.db", "ws.db"):  # enrollment, the whole school down, taken in
        with open_database(tmp / name) as db:
            sync_folder(db, folder, user="bench")
    with open_database(tmp / "ws.db") as ws:
        edit_notes(ws, changes, "工作站")
    up = timed(gd("sync", "--db", tmp / "ws.db", "--folder", folder))
    hub_t = timed(gd("sync", "--db", tmp / "hub.db", "--folder", folder))
    down = timed(gd("sync", "--db", tmp / "ws.db", "--folder", folder))
    with open_database(tmp / "hub.db") as hub:
        edit_notes(hub, changes, "主机")  # for the floor: the same number of rows to move
    fl = floor(tmp / "ws.db", tmp / "hub.db", changes) + floor(tmp / "hub.db", tmp / "ws.db", changes)
    start = timed([sys.executable, "-c", "pass"])
    return {"students": students, "changes": changes, "workstation_up_s": round(up, 3), "hub_s": round(hub_t, 3),
            "workstation_down_s": round(down, 3), "workstation_round_s": round(up + down, 3),
            "floor_s": round(fl, 3), "python_start_s": round(start, 3),
            "ratio_round_vs_floor": round((up + down) / fl, 2)}


def hub_merge(tmp: Path, students: int, workstations: int, per_ws: int) -> dict:
    """``bundle import`` of 30 workstations' bundles into the hub (the merge itself, format 1)."""
    from growthdesk.db import open_database, write_settings
    from growthdesk.models import Setting, SyncState
    from growthdesk.sync import export_bundle
    from growthdesk.sync.testing import make_district_and_school

    district, hub, _ = make_district_and_school(tmp / "m", students=students, terms=2)
    district.close()
    hub.close()
    inbox = tmp / "inbox"
    for i in range(1, workstations + 1):
        path = tmp / f"w{i}.db"
        shutil.copy(tmp / "m" / "S0001.db", path)
        with open_database(path) as ws:
            with ws.session() as s:  # a workstation in step with its hub (as after a sync round)
                write_settings(s, {"node_id": f"S0001-W{i:02d}"})
                s.add(SyncState(school_code="S0001", last_sequence=0,
                                last_exported_usn=int(s.get(Setting, "usn").value)))
            ws.reload_settings()
            # Neighbours' ranges overlap by half: real same-field conflicts for the merge.
            edit_notes(ws, per_ws, f"W{i}", offset=(i * per_ws // 2) % max(students - per_ws, 1))
            export_bundle(ws, inbox, peer="S0001")
    # In-process, as the app's sync round imports (the CLI now asks for a login where the demo made
    # accounts, and a first login there would encrypt the hub inside the measurement).
    from growthdesk.sync.importer import import_bundles
    c0, t0 = time.process_time(), time.perf_counter()
    with open_database(tmp / "m" / "S0001.db") as hub:
        res = import_bundles(hub, [inbox], receipts_dir=tmp / "r", user="bench")
    merged, merged_cpu = time.perf_counter() - t0, time.process_time() - c0
    CPU["hub merge (in-process)"] = round(merged_cpu, 3)
    assert res["summary"]["imported"] == workstations, res["summary"]
    fl = sum(floor(tmp / f"w{i}.db", tmp / "m" / "S0001.db", per_ws) for i in range(1, workstations + 1))
    return {"workstations": workstations, "changes_each": per_ws, "hub_merge_s": round(merged, 3),
            "hub_merge_cpu_s": round(merged_cpu, 3),
            "floor_s": round(fl, 3), "ratio_vs_floor": round(merged / fl, 2)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--changes", type=int, default=500)
    ap.add_argument("--workstations", type=int, default=30)
    ap.add_argument("--per-ws", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("GROWTHDESK_HOME", tempfile.mkdtemp(prefix="gd-home-"))
    ENV["GROWTHDESK_HOME"] = os.environ["GROWTHDESK_HOME"]
    with tempfile.TemporaryDirectory(prefix="gd-nodes-") as d:
        tmp = Path(d)
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        res = {"round": workstation_round(tmp / "a", args.students, args.changes),
               "merge": hub_merge(tmp / "b", args.students, args.workstations, args.per_ws), "cpu_s": CPU}
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        r, m = res["round"], res["merge"]
        print(f"workstation round, {r['changes']} changes, hub of {r['students']} students: up {r['workstation_up_s']} s"
              f" + down {r['workstation_down_s']} s = {r['workstation_round_s']} s (target ≤ 2 s); hub {r['hub_s']} s;"
              f" floor {r['floor_s']} s, ratio {r['ratio_round_vs_floor']}×; bare python start {r['python_start_s']} s")
        print(f"hub merging {m['workstations']} workstations × {m['changes_each']} changes: {m['hub_merge_s']} s "
              f"(target ≤ 5 s); floor {m['floor_s']} s, ratio {m['ratio_vs_floor']}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
