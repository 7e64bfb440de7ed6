"""Run every benchmark in bench/ (or those named) one after another and print their output.

    .venv/bin/python bench/run.py                 # all bench_*.py
    .venv/bin/python bench/run.py demo stats      # bench_demo.py and bench_stats.py only
    .venv/bin/python bench/run.py --skip stats    # all but bench_stats.py
    .venv/bin/python bench/run.py --smoke         # tiny data, only "does it still run" (CI)

Each benchmark runs in its own process (so one's caches and memory do not help or hurt the
next) with the same Python as this script. Exits non-zero when any benchmark failed or missed
its target (a benchmark says so by its exit code).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _pick(names: list[str], skip: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    wanted = [p for p in found if not names or p.stem.removeprefix("bench_") in names or p.stem in names]
    unknown = set(names) - {p.stem for p in found} - {p.stem.removeprefix("bench_") for p in found}
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}; have: "
                         f"{', '.join(p.stem.removeprefix('bench_') for p in found)}")
    return [p for p in wanted if p.stem.removeprefix("bench_") not in skip and p.stem not in skip]


def main() -> int:
    ap = argparse.ArgumentParser(description="run GrowthDesk benchmarks")
    ap.add_argument("names", nargs="*", help="benchmarks to run (demo, stats, …); default all")
    ap.add_argument("--skip", action="append", default=[], help="benchmark to leave out (repeatable)")
    ap.add_argument("--smoke", action="store_true",
                    help="run the benchmarks that have a --smoke mode on tiny data; fail only when one breaks")
    args = ap.parse_args()
    summary = []
    for script in _pick(args.names, args.skip):
        extra = []
        if args.smoke:
            if '"--smoke"' not in script.read_text(encoding="utf-8"):
                continue
            extra = ["--smoke"]
        print(f"=== {script.name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *extra], cwd=HERE.parent)
        seconds = time.perf_counter() - started
        summary.append((script.name, code, seconds))
        print(flush=True)
    print("=== summary ===")
    for name, code, seconds in summary:
        print(f"{name:28s} {'ok' if code == 0 else f'exit {code}':8s} {seconds:8.1f} s")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
