"""What encryption at rest costs (DESIGN §7: every figure within 15% of the same without it).

Same run, same data, plain SQLite vs SQLCipher (raw 256-bit key, the app's settings):
- start to main window (process start → window shown), 2,000-student school, including the
  login (plain: the password hash is checked; encrypted: the key slot is opened: one scrypt each);
- filter keystrokes in the student list (all classes);
- bundle import of the school's full bundle into a district (a process of its own);
- district statistics (every query of ``stats.queries`` over the imported district);
- converting the plain 2,000-student school to encrypted (automatic backup + export + check).
Prints each pair and the ratio encrypted/plain; exits 1 when a ratio is above 1.15.

    .venv/bin/python bench/bench_encryption.py [--students N] [--runs K] [--smoke]
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSWORD = "demo1234"
KEY_ENV = "GD_BENCH_DB_KEY"  # the bench's own children only: hex of the database key


def _key() -> bytes | None:
    v = os.environ.get(KEY_ENV)
    return bytes.fromhex(v) if v else None


# ---------------------------------------------------------------- children (measured processes)

def child_startup(path: str) -> None:
    t0 = time.perf_counter()
    from growthdesk.db import open_database
    from growthdesk.security import unlock_database
    from growthdesk.services import users
    from growthdesk.ui.app import make_app
    from growthdesk.ui.main_window import MainWindow
    from growthdesk.keys import Kdf
    demo_cost = Kdf(2 ** 14, 8, 1)  # the demo's hashes; passed so neither login re-hashes at the OWASP cost
    app = make_app("zh_CN")
    if os.environ.get(KEY_ENV):
        db = unlock_database(path, "admin", PASSWORD, convert=False, kdf=demo_cost)
        with db.session() as s:
            admin = users.find_user(s, "admin")
    else:
        db = open_database(path)
        with db.session(user="admin") as s:
            admin = users.authenticate(s, "admin", PASSWORD, kdf=demo_cost)
    win = MainWindow(db, admin)
    win.show()
    app.processEvents()
    print(f"SHOWN {time.perf_counter() - t0:.4f} {time.process_time():.4f}", flush=True)
    win.close()
    db.close()
    os._exit(0)


def child_import(path: str, bundle: str) -> None:
    from growthdesk.db import open_database
    from growthdesk.sync import import_bundle
    d = open_database(path, key=_key())
    t0, c0 = time.perf_counter(), time.process_time()
    res = import_bundle(d, bundle, user="bench", receipts_dir=tempfile.mkdtemp())
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    d.close()
    print(json.dumps({"status": res["status"], "seconds": dt, "cpu": cpu, "reason": res.get("reason")}))


def _run(argv: list[str], key: bytes | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(KEY_ENV, None)
    if key is not None:
        env[KEY_ENV] = key.hex()
    return subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True, env=env)


# ---------------------------------------------------------------- measurements

def startup(plain: Path, enc: Path, key: bytes, runs: int) -> dict:
    out = {"plain": [], "encrypted": [], "plain_cpu": [], "encrypted_cpu": []}
    for _ in range(runs):  # interleaved, so a busy moment hurts both alike
        for label, path, k in (("plain", plain, None), ("encrypted", enc, key)):
            t0 = time.perf_counter()
            res = _run(["--child-startup", str(path)], k)
            line = next((ln for ln in res.stdout.splitlines() if ln.startswith("SHOWN")), None)
            if line is None:
                raise SystemExit(res.stderr[-2000:])
            out[label].append(time.perf_counter() - t0)
            out[label + "_cpu"].append(float(line.split()[2]))
    return {k: statistics.median(v) for k, v in out.items()}


def filter_keys(path: Path, key: bytes | None) -> float:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from growthdesk.db import open_database
    from growthdesk.services import users
    from growthdesk.ui.app import make_app
    from growthdesk.ui.main_window import ALL_CLASSES, MainWindow
    make_app("zh_CN")
    db = open_database(path, key=key)
    with db.session() as s:
        admin = users.find_user(s, "admin")
    win = MainWindow(db, admin)
    win.resize(1280, 800)
    win.show()
    win.class_combo.setCurrentIndex(win.class_combo.findData(ALL_CLASSES))
    QApplication.processEvents()
    times = []
    for _ in range(3):
        for text in ("zhang", "zx", "g33", "王"):
            win.search.clear()
            QApplication.processEvents()
            for i in range(1, len(text) + 1):
                t = time.perf_counter()
                win.search.setText(text[:i]) if not text.isascii() else QTest.keyClick(win.search, text[i - 1])
                QApplication.processEvents()
                times.append((time.perf_counter() - t) * 1000)
    win.close()
    db.close()
    return statistics.median(times)


def bundle_import(empty_plain: Path, empty_enc: Path, key: bytes, bundle: Path, work: Path, runs: int) -> dict:
    out = {"plain": [], "encrypted": [], "plain_cpu": [], "encrypted_cpu": []}
    for i in range(runs):
        for label, src, k in (("plain", empty_plain, None), ("encrypted", empty_enc, key)):
            target = work / f"import-{label}-{i}.db"
            shutil.copy(src, target)
            if k is not None:
                shutil.copy(str(src) + ".keys", str(target) + ".keys")
            res = _run(["--child-import", str(target), str(bundle)], k)
            if res.returncode:
                raise SystemExit(res.stderr[-2000:])
            data = json.loads(res.stdout.strip().splitlines()[-1])
            if data["status"] != "imported":
                raise SystemExit(f"import failed: {data['reason']}")
            out[label].append(data["seconds"])
            out[label + "_cpu"].append(data["cpu"])
    return {k: statistics.median(v) for k, v in out.items()}


def stats_queries(path: Path, key: bytes | None, repeat: int) -> tuple[float, float]:
    from growthdesk.db import open_database
    from growthdesk.stats import queries
    from growthdesk.stats.filters import Filters
    db = open_database(path, key=key)
    wall = cpu = 0.0
    for _ in range(repeat):
        for fn in queries.STATISTICS.values():
            t, c = time.perf_counter(), time.process_time()
            with db.session() as s:
                fn(s, Filters())
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
    db.close()
    return wall / repeat, cpu / repeat


def _ratio(name: str, plain: float, enc: float, unit: str, fmt: str = ".3f") -> float:
    r = enc / plain if plain else float("nan")
    print(f"{name:46s} plain {plain:{fmt}} {unit}   encrypted {enc:{fmt}} {unit}   ratio {r:.2f}"
          + ("" if r <= 1.15 else "   > 1.15"))
    return r


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child-startup":
        child_startup(sys.argv[2])
        return 0
    if len(sys.argv) > 3 and sys.argv[1] == "--child-import":
        child_import(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="tiny data, one run: does it still work")
    args = ap.parse_args()
    if args.smoke:
        args.students, args.runs = 60, 1
    from growthdesk.db import open_database
    from growthdesk.security import encrypt_plain_database
    from growthdesk.sync import export_bundle
    from growthdesk.sync.testing import make_district_and_school

    work = Path(tempfile.mkdtemp(prefix="gd-bench-enc-"))
    try:
        t0 = time.perf_counter()
        district, school, _setup = make_district_and_school(work, students=args.students, terms=4)
        print(f"demo school: {args.students} students made in {time.perf_counter() - t0:.1f} s "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        bundle = Path(export_bundle(school, work / "out", full=True)["path"])
        school.close()
        district.close()
        plain_school = work / "S0001.db"
        empty_plain = work / "district.db"

        # Conversion of the plain school (what an upgrade does after the first login).
        conv = work / "convert" / "school.db"
        conv.parent.mkdir()
        shutil.copy(plain_school, conv)
        t0, c0 = time.perf_counter(), time.process_time()
        enc_db = encrypt_plain_database(open_database(conv))
        conv_s, conv_cpu = time.perf_counter() - t0, time.process_time() - c0
        key = enc_db.key
        enc_db.close()
        print(f"convert a plain {args.students}-student school to encrypted (backup + export + check): "
              f"{conv_s:.2f} s wall, {conv_cpu:.2f} s CPU; file {conv.stat().st_size / 1e6:.1f} MB")
        enc_school = conv

        # An encrypted empty district under its own key.
        empty_enc = work / "district-enc" / "district.db"
        empty_enc.parent.mkdir()
        shutil.copy(empty_plain, empty_enc)
        d = encrypt_plain_database(open_database(empty_enc))
        dkey = d.key
        d.close()
        for folder in (conv.parent / "school.backups", empty_enc.parent / "district.backups"):
            shutil.rmtree(folder, ignore_errors=True)

        ratios = []
        st = startup(plain_school, enc_school, key, args.runs)
        ratios.append(_ratio("start to main window (wall, median)", st["plain"], st["encrypted"], "s"))
        _ratio("  the same, CPU of the child", st["plain_cpu"], st["encrypted_cpu"], "s")
        fp, fe = filter_keys(plain_school, None), filter_keys(enc_school, key)
        ratios.append(_ratio(f"filter keystroke, {args.students} students (median)", fp, fe, "ms", ".1f"))
        bi = bundle_import(empty_plain, empty_enc, dkey, bundle, work, args.runs)
        ratios.append(_ratio("bundle import (wall, median)", bi["plain"], bi["encrypted"], "s"))
        _ratio("  the same, CPU", bi["plain_cpu"], bi["encrypted_cpu"], "s")
        imported_plain, imported_enc = work / "import-plain-0.db", work / "import-encrypted-0.db"
        sp, sp_cpu = stats_queries(imported_plain, None, max(3, args.runs))
        se, se_cpu = stats_queries(imported_enc, dkey, max(3, args.runs))
        ratios.append(_ratio(f"statistics, all {len(__import__('growthdesk.stats.queries').stats.queries.STATISTICS)}"
                             " queries (wall)", sp, se, "s"))
        _ratio("  the same, CPU", sp_cpu, se_cpu, "s")
        worst = max(ratios)
        print(f"worst ratio encrypted/plain: {worst:.2f} (target ≤ 1.15)")
        sys.stdout.flush()
        return 0 if args.smoke or worst <= 1.15 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
