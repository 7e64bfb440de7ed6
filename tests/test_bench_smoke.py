"""The benchmarks must keep running as the code changes: their smoke mode on tiny data (never
judged on speed here; the figures come from `bench/run.py` on real sizes)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmarks_run_in_smoke_mode(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "GD_BENCH_CACHE": str(tmp_path)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for line in ("bundle import", "roster import --yes", "portfolio, grade", "app start to main window",
                 "workstation round", "hub merging"):
        assert line in out, out
    assert "ratio" in out and "PASS" in out
