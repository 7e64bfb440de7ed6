#!/usr/bin/env python3
"""Build the one-folder GrowthDesk bundle with PyInstaller, then self-check it.

    .venv/bin/python installer/build.py            build into dist/growthdesk, run --self-check
    .venv/bin/python installer/build.py --no-check build only
    .venv/bin/python installer/build.py --check-only   self-check an existing dist/growthdesk

Uses the project's .venv (PyInstaller is installed into it when missing), works in build/ and
dist/ at the top of the repository, and writes the version files the spec and the Inno Setup
script read, so the version lives in one place: growthdesk.__version__. The same script runs on
Windows (installer/README.md) and on Linux (CI, developers).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = os.name == "nt"
VENV_PY = ROOT / ".venv" / ("Scripts/python.exe" if WINDOWS else "bin/python")
BUILD = ROOT / "build"  # --work and --dist move these (the test suite builds into a temporary folder)
DIST = ROOT / "dist"
PYINSTALLER_REQ = "pyinstaller>=6.10,<7"  # one-folder layout with _internal/ is PyInstaller 6


def say(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def app_version() -> str:
    """Read __version__ without importing the app (the build Python may lack its deps)."""
    text = (ROOT / "growthdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("growthdesk/__init__.py has no __version__")
    return match.group(1)


def python() -> str:
    return str(VENV_PY) if VENV_PY.exists() else sys.executable


def ensure_pyinstaller() -> None:
    probe = subprocess.run([python(), "-c", "import PyInstaller"], capture_output=True)
    if probe.returncode != 0:
        say(f"installing {PYINSTALLER_REQ} into {python()}")
        subprocess.run([python(), "-m", "pip", "install", "-q", PYINSTALLER_REQ], check=True)


def write_version_files(version: str, build_dir: Path) -> None:
    """version.iss for Inno Setup and version_info.txt for the Windows .exe resource, in build/."""
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / "version.iss").write_text(f'#define AppVersion "{version}"\n', encoding="utf-8")
    nums = [int(n) for n in re.findall(r"\d+", version)[:4]]
    nums += [0] * (4 - len(nums))
    four = ", ".join(map(str, nums))
    strings = {"CompanyName": "GrowthDesk", "FileDescription": "GrowthDesk 学生成长档案",
               "FileVersion": version, "ProductName": "GrowthDesk 学生成长档案",
               "ProductVersion": version, "OriginalFilename": "GrowthDesk.exe",
               "LegalCopyright": "GrowthDesk contributors"}
    entries = ",\n          ".join(f"StringStruct('{k}', '{v}')" for k, v in strings.items())
    (build_dir / "version_info.txt").write_text(f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({four}), prodvers=({four}), mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
          {entries}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
""", encoding="utf-8")


def build(dist: Path, work: Path, clean: bool) -> float:
    ensure_pyinstaller()
    write_version_files(app_version(), work)
    cmd = [python(), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
           str(ROOT / "installer" / "growthdesk.spec")]
    if clean:
        cmd.insert(3, "--clean")
        shutil.rmtree(dist / "growthdesk", ignore_errors=True)
    say("running " + " ".join(cmd))
    t0 = time.perf_counter()
    # The spec reads the version files from GROWTHDESK_BUILD_DIR (default: build/). PyInstaller's
    # binary cache goes into the work folder too: the shared ~/.cache one gets corrupted when two
    # builds run at once (a developer's and the test suite's).
    env = dict(os.environ, GROWTHDESK_BUILD_DIR=str(work), PYINSTALLER_CONFIG_DIR=str(work / "pyinstaller-cache"))
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    return time.perf_counter() - t0


def executable(dist: Path) -> Path:
    return dist / "growthdesk" / ("growthdesk-cli.exe" if WINDOWS else "growthdesk")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def self_check(dist: Path, work: Path) -> int:
    """Run the bundle's own --self-check offscreen, from outside the source tree."""
    exe = executable(dist)
    if not exe.exists():
        say(f"no bundle at {exe}; build first")
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GROWTHDESK_HOME=str(work / "selfcheck-home"))
    env.pop("PYTHONPATH", None)  # the bundle must not borrow modules from the source tree
    say(f"running {exe} --self-check")
    t0 = time.perf_counter()
    rc = subprocess.run([str(exe), "--self-check"], env=env, cwd=work).returncode
    say(f"self-check exit {rc} in {time.perf_counter() - t0:.1f} s")
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-check", action="store_true", help="do not run --self-check after building")
    ap.add_argument("--check-only", action="store_true", help="only self-check an existing build")
    ap.add_argument("--no-clean", action="store_true", help="reuse PyInstaller's cache (faster rebuilds)")
    ap.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    ap.add_argument("--work", type=Path, default=BUILD, help="work folder (default: build/)")
    args = ap.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    if not args.check_only:
        seconds = build(dist, work, clean=not args.no_clean)
        size = folder_size(dist / "growthdesk")
        say(f"built {dist / 'growthdesk'} in {seconds:.0f} s, {size / 2**20:.0f} MiB, version {app_version()}")
    if args.no_check:
        return 0
    return self_check(dist, work)


if __name__ == "__main__":
    raise SystemExit(main())
