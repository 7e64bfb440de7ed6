#!/usr/bin/env python3
"""One entry point for people and CI: set up what is missing, then run.

    python3 dev.py app [growthdesk args]   open the desktop app (demo school on first run)
    python3 dev.py test [pytest args]      run the whole test suite (on every core), or what the args say

It makes a virtual environment in .venv, installs the project with its test extra (again
only when pyproject.toml changed), installs Debian packages that Qt or the PostgreSQL tests
need when they are missing (with apt-get, as root or via sudo), then runs the command.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".gd-bootstrap-stamp"
WINDOWS = os.name == "nt"
PY = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")

# Shared libraries PySide6 wheels expect from the system on Debian/Ubuntu.
QT_RUNTIME_DEBS = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0"]
QT_XCB_DEBS = ["libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
               "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1"]
POSTGRES_DEBS = ["postgresql"]


def say(msg: str) -> None:
    print(f"[dev.py] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, **kw)


def ensure_venv() -> None:
    if not PY.exists():
        say("creating virtual environment .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)


def ensure_packages() -> None:
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        return
    say("installing Python packages (pip install -e .[test])")
    run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
    STAMP.write_text(want)


def apt_install(debs: list[str]) -> bool:
    if WINDOWS or not shutil.which("apt-get"):
        return False
    missing = [d for d in debs if subprocess.run(["dpkg", "-s", d], capture_output=True).returncode != 0]
    if not missing:
        return True
    prefix = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if prefix is None:
        say(f"please install these Debian packages: {' '.join(missing)}")
        return False
    say(f"installing Debian packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(prefix + ["apt-get", "update", "-qq"], env=env)
    run(prefix + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
    return True


def ensure_qt(gui: bool) -> None:
    probe = [str(PY), "-c", "from PySide6.QtWidgets import QApplication; from PySide6.QtGui import QFontDatabase"]
    if subprocess.run(probe, capture_output=True).returncode == 0 and not (gui and not WINDOWS and sys.platform != "darwin"):
        return
    if sys.platform.startswith("linux"):
        apt_install(QT_RUNTIME_DEBS + (QT_XCB_DEBS if gui else []))


def postgres_available() -> bool:
    return bool(shutil.which("pg_ctl") or glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def ensure_postgres() -> None:
    if not postgres_available() and sys.platform.startswith("linux"):
        apt_install(POSTGRES_DEBS)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test"}:
        print(__doc__)
        return 2
    what, rest = argv[0], argv[1:]
    ensure_venv()
    ensure_packages()
    if what == "app":
        ensure_qt(gui=True)
        return subprocess.call([str(PY), "-m", "growthdesk", *rest])
    ensure_qt(gui=False)
    ensure_postgres()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not rest:  # the whole suite: one worker per core, each test module kept on one worker
        rest = ["-n", "auto", "--dist", "loadfile"]
    return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
