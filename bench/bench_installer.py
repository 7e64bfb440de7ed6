#!/usr/bin/env python3
"""Installer figures: the one-folder bundle's size and its start time to the main window.

    .venv/bin/python bench/bench_installer.py            uses dist/growthdesk (builds it if missing)
    .venv/bin/python bench/bench_installer.py --build    rebuilds first and reports the build time

Start time is measured from spawning the process to the moment the main window has been
shown and painted offscreen, on a 2,000-student demo school: the bundle runs
``growthdesk --db DEMO --self-check window --json``, which builds the app's QApplication and
MainWindow like a normal start but without the interactive log-in dialog. The first run after
a build is the coldest the machine allows without dropping the OS page cache (not possible
here); the median of the following runs is the warm figure. The source tree is timed the same
way for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "build" / "bench-installer"
TARGET_S = 1.5  # DESIGN §7: main window on a 2,000-student school within 1.5 s of process start


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def demo_school(students: int) -> Path:
    path = WORK / f"demo-{students}.db"
    if not path.exists():
        from growthdesk.demo import ensure_demo_database

        t0 = time.perf_counter()
        ensure_demo_database(path, students=students)
        print(f"made {path.name} ({students} students) in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_to_window(cmd: list[str], db: Path) -> tuple[float, float]:
    """(wall seconds from spawn to window shown, CPU seconds of the whole process)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(QT_QPA_PLATFORM="offscreen", GROWTHDESK_HOME=str(WORK / "home"))
    cpu0, t0 = _cpu_children(), time.time()
    proc = subprocess.run([*cmd, "--db", str(db), "--self-check", "window", "--json"], capture_output=True,
                          text=True, env=env, cwd=WORK, timeout=120)
    if proc.returncode != 0:
        raise SystemExit(f"self-check failed:\n{proc.stdout}\n{proc.stderr}")
    [check] = json.loads(proc.stdout)["checks"]
    return check["finished_at"] - t0, _cpu_children() - cpu0


def series(label: str, cmd: list[str], db: Path, runs: int) -> None:
    """CPU time is printed too: on a busy machine the wall time mostly measures the others."""
    results = [time_to_window(cmd, db) for _ in range(runs)]
    walls, cpus = [r[0] for r in results], [r[1] for r in results]
    rest = walls[1:] or walls
    print(f"start to main window, {label}: first {walls[0]:.2f} s, median of next {len(rest)} "
          f"{statistics.median(rest):.2f} s, CPU {statistics.median(cpus):.2f} s per run "
          f"(target {TARGET_S} s; load average {os.getloadavg()[0]:.1f})", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="store_true", help="rebuild the bundle first (clean)")
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--students", type=int, default=2000)
    args = ap.parse_args()
    bundle = ROOT / "dist" / "growthdesk"
    if args.build or not (bundle / "growthdesk").exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--no-check"], check=True)
        print(f"clean build: {time.perf_counter() - t0:.0f} s", flush=True)
    size, files = folder_size(bundle)
    internal = bundle / "_internal"
    qt, _ = folder_size(internal / "PySide6") if (internal / "PySide6").exists() else (0, 0)
    print(f"bundle {bundle}: {size / 2**20:.0f} MiB in {files} files (Qt/PySide6 {qt / 2**20:.0f} MiB)", flush=True)
    db = demo_school(args.students)
    series("bundle", [str(bundle / "growthdesk")], db, args.runs)
    series("source tree", [sys.executable, "-m", "growthdesk"], db, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
