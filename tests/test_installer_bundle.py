"""The Linux one-folder bundle: PyInstaller builds it from installer/growthdesk.spec, and the
frozen executable passes its own ``--self-check`` outside the source tree. A resource or hidden
import missing from the spec fails here, not on a school PC.

About a minute on 2 cores (build ~35-60 s, self-check ~3 s); marked slow. The build goes into
tmp_path, never into the repository's build/ and dist/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from growthdesk import __version__
from growthdesk.db import head_revision
from growthdesk.selfcheck import CHECK_NAMES

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="the Windows build is made by hand")]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("bundle")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--no-check",
                           "--dist", str(base / "dist"), "--work", str(base / "work")],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(f"bundle built in {time.perf_counter() - t0:.0f} s")
    return base / "dist" / "growthdesk"


def _run(bundle: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GROWTHDESK_HOME")}
    env.update(QT_QPA_PLATFORM="offscreen", GROWTHDESK_HOME=str(cwd / "home"))
    return subprocess.run([str(bundle / "growthdesk"), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def test_bundle_passes_its_self_check(bundle, tmp_path):
    proc = _run(bundle, "--self-check", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] and report["frozen"] and report["version"] == __version__
    by_name = {c["name"]: c for c in report["checks"]}
    assert list(by_name) == list(CHECK_NAMES)
    assert all(c["status"] == "ok" for c in report["checks"]), report["checks"]
    # The resources read were the bundle's own, not the source tree's.
    assert str(bundle / "_internal" / "resources") in by_name["resources"]["detail"]
    assert f"migrated to {head_revision()}" in by_name["database"]["detail"]
    assert "main window" in by_name["window"]["detail"]


def test_bundle_carries_migrations_and_resources_but_no_test_tools(bundle):
    internal = bundle / "_internal"
    versions = {p.name for p in (internal / "growthdesk" / "migrations" / "versions").glob("*.py")}
    assert versions == {p.name for p in (ROOT / "growthdesk" / "migrations" / "versions").glob("*.py")}
    for rel in ("fonts/DroidSansFallbackFull.ttf", "icons/growthdesk.png", "reference/rubric_default.json"):
        assert (internal / "resources" / rel).is_file(), rel
    assert not (internal / "pytest").exists() and not (internal / "_pytest").exists()
    assert not (internal / "PyInstaller").exists()


def test_bundle_cli_reports_version_and_refuses_a_missing_database(bundle, tmp_path):
    proc = _run(bundle, "--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"GrowthDesk {__version__}"
    proc = _run(bundle, "--self-check", "nonsense", cwd=tmp_path)
    assert proc.returncode == 2 and "nonsense" in proc.stderr
