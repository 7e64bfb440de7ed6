"""Teachers' accounts in bulk (issue 11): ``growthdesk account import --yes --slips`` of 100 new
teachers (two classes each, 30 advisers) into a school with 30 classes, the whole command
against a floor script doing the bare work in the same run (openpyxl read-only read of the
sheet, 100 scrypt hashes one after another, sqlite3 executemany of the accounts). Almost all of
both is scrypt (the password hash the app uses everywhere); the import hashes on every core.

    .venv/bin/python bench/bench_accounts.py [--teachers 100] [--runs 3] [--smoke]
"""

from __future__ import annotations

import argparse
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

FLOOR = r'''
import hashlib, os, sqlite3, sys, uuid
from openpyxl import load_workbook
db, sheet = sys.argv[1:3]
rows = list(load_workbook(sheet, read_only=True).active.iter_rows(min_row=2, values_only=True))
out = []
for login, name, *_ in rows:
    salt = os.urandom(16)
    h = hashlib.scrypt(b"initial1", salt=salt, n=2**14, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    out.append((str(uuid.uuid4()), str(login).lower(), name, "teacher", "scrypt$" + salt.hex() + "$" + h.hex()))
con = sqlite3.connect(db)
con.execute("CREATE TABLE IF NOT EXISTS u (id, login, name, role, hash)")
con.executemany("INSERT INTO u VALUES (?, ?, ?, ?, ?)", out)
con.commit()
'''


def make_school(work: Path, teachers: int) -> tuple[Path, Path]:
    from openpyxl import Workbook

    from growthdesk.demo import demo_setup
    from growthdesk.services import students
    from growthdesk.services.offices import Admin, create_school_hub
    from growthdesk.sheets.roster import default_school_year
    db, _ = create_school_hub(work / "school.db", demo_setup("D01", "S0001"), Admin("admin", "管理员", "admin-pw-123"))
    year = default_school_year()
    with db.session() as s:
        for grade in (7, 8, 9):
            for n in range(1, 11):
                students.create_class(s, year, grade, n)
    db.close()
    names = {7: "初一", 8: "初二", 9: "初三"}
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "任教班级", "任教学科", "是否班主任"])
    for i in range(teachers):
        g, n = 7 + i % 3, 1 + (i // 3) % 10
        ws.append([f"T{i:03d}", f"教师{i}", f"{names[g]}({n})班、{names[g]}({n % 10 + 1})班", "语文",
                   f"{names[g]}({n})班" if i < 30 else "否"])
    wb.save(work / "teachers.xlsx")
    return work / "school.db", work / "teachers.xlsx"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="5 teachers, one run: does it still run")
    args = ap.parse_args()
    if args.smoke:
        args.teachers, args.runs = 5, 1
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GROWTHDESK_PASSWORD": "admin-pw-123"}  # make_school's admin
    whole, floor = [], []
    with tempfile.TemporaryDirectory() as tmp:
        template, sheet = make_school(Path(tmp), args.teachers)
        for run in range(args.runs):
            db = Path(tmp) / f"run{run}.db"
            shutil.copyfile(template, db)
            for side in (".keys", ".lockout"):  # its key slots and its login record travel with it
                if template.with_name(template.name + side).exists():
                    shutil.copyfile(template.with_name(template.name + side), db.with_name(db.name + side))
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "growthdesk", "account", "import", "--db", str(db), str(sheet),
                            "--yes", "--slips", str(Path(tmp) / f"slips{run}.pdf"), "--user", "admin"], check=True, env=env,
                           capture_output=True)
            whole.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", FLOOR, str(Path(tmp) / f"floor{run}.db"), str(sheet)], check=True)
            floor.append(time.perf_counter() - t)
    w, f = statistics.median(whole), statistics.median(floor)
    print(f"account import, {args.teachers} new teachers with slips: {w:.2f} s (median of {args.runs}); "
          f"floor {f:.2f} s; ratio {w / f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
