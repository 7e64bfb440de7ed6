"""Full and read-only output targets (issue 13): every output (backup, bundle, statistics,
portfolio, spreadsheets) says "磁盘已满" / "文件夹只读" in one line, leaves no truncated, empty or
temporary file, and an older file of the same name stays as it was.

Tests run as root, who ignores file permissions, so the faults are made for real: /sys refuses
new files even to root (EACCES); RLIMIT_FSIZE makes writes fail past a size (EFBIG, what a full
quota looks like); and where mount namespaces are allowed, a tiny tmpfs filled up (ENOSPC) and
one remounted read-only (EROFS)."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from growthdesk.cli import main
from growthdesk.sync import export_bundle, import_bundle
from growthdesk.sync.testing import make_district_and_school

TERM = "2026-2027-1"
ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["backup", "bundle", "stats-xlsx", "stats-pdf", "portfolio", "roster-export", "template"]


def argv_for(which: str, school: Path, district: Path, target: Path, cls: str) -> list:
    return {
        "backup": ["backup", "--db", school, "--user", "admin", "--out", target / "b.db"],
        "bundle": ["bundle", "export", "--full", "--db", school, "--user", "admin", "--out", target],
        "stats-xlsx": ["stats", "--db", district, "--xlsx", target / "s.xlsx"],
        "stats-pdf": ["stats", "--db", district, "--pdf", target / "s.pdf"],
        "portfolio": ["portfolio", "--db", school, "--user", "admin", "--term", TERM, "--grade", "7", "--out", target / "p.pdf"],
        "roster-export": ["roster", "export", "--db", school, "--user", "admin", "--class", cls, "--term", TERM, "--out", target / "r.xlsx"],
        "template": ["roster", "template", "evaluations", "--db", school, "--user", "admin", "--class", cls, "--term", TERM,
                     "--out", target / "t.xlsx"],
    }[which]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outfaults")
    district, school, _ = make_district_and_school(folder, students=20, terms=1)
    bundle = export_bundle(school, folder / "out")["path"]
    assert import_bundle(district, bundle, receipts_dir=folder / "receipts")["status"] == "imported"
    from growthdesk.models import SchoolClass
    from growthdesk.services.names import class_label
    with school.session() as s:
        c = s.query(SchoolClass).filter_by(grade=7).first()
        cls = class_label(c.grade, c.class_no)
    district.close()
    school.close()
    from growthdesk.db import open_database
    from growthdesk.security import encrypt_plain_database
    encrypt_plain_database(open_database(folder / "S0001.db")).close()  # as after its first login (once, here)
    shutil.rmtree(folder / "S0001.backups")
    return folder, cls


@pytest.fixture()
def dbs(made, tmp_path, monkeypatch):
    folder, cls = made
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GROWTHDESK_PASSWORD", "demo1234")  # the demo school has accounts: its commands log in
    for name in ("district.db", "S0001.db", "S0001.db.keys", "S0001.db.lockout"):  # the school moves whole
        shutil.copyfile(folder / name, tmp_path / name)
    return tmp_path / "S0001.db", tmp_path / "district.db", cls


def run(capsys, argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(code: int, err: str, words: str) -> None:
    assert code == 1, err
    assert err.startswith("growthdesk: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert words in err, err


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux /sys (refuses new files even to root)")
@pytest.mark.parametrize("which", COMMANDS)
def test_a_folder_that_refuses_files_is_read_only(dbs, capsys, which):
    school, district, cls = dbs
    target = Path("/sys")
    code, out, err = run(capsys, argv_for(which, school, district, target, cls))
    one_line(code, err, "文件夹只读")
    assert "/sys" in err and "read-only" in err


@contextlib.contextmanager
def file_size_limit(limit: int):
    """Writes past ``limit`` bytes fail with EFBIG in this process (SIGXFSZ ignored meanwhile)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)


@pytest.mark.parametrize("which", ["backup", "stats-pdf", "portfolio"])  # outputs past the limit
def test_writes_cut_short_leave_no_file_and_say_disk_full(dbs, tmp_path, capsys, which):
    school, district, cls = dbs
    target = tmp_path / "full"
    target.mkdir()
    old = {"stats-pdf": "s.pdf"}.get(which)
    if old:
        (target / old).write_bytes(b"the older file")
    with file_size_limit(40_000):  # SQLite's -shm of the database read needs 32 KiB
        code, out, err = run(capsys, argv_for(which, school, district, target, cls))
    one_line(code, err, "磁盘已满")
    assert str(target) in err
    left = sorted(p.name for p in target.iterdir())
    assert left == ([old] if old else []), left        # no truncated, empty or temporary file
    if old:
        assert (target / old).read_bytes() == b"the older file"


def _can_unshare() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null"], capture_output=True)
    return probe.returncode == 0


DRIVER = r"""
import json, sys
from growthdesk.cli import main
import io, contextlib
results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except BaseException as exc:  # a traceback is a failure of the test, report it
            import traceback
            code, err = 99, io.StringIO(traceback.format_exc())
    results.append([code, err.getvalue()])
print(json.dumps(results))
"""


@pytest.mark.skipif(not _can_unshare(), reason="needs root and mount namespaces (unshare -m) for a real tmpfs")
def test_a_really_full_disk_and_a_really_read_only_folder(dbs, tmp_path):
    school, district, cls = dbs
    full, ro = tmp_path / "full", tmp_path / "ro"
    full.mkdir()
    ro.mkdir()
    argvs = [[str(a) for a in argv_for(w, school, district, t, cls)] for t in (full, ro) for w in COMMANDS]
    script = (f"mount -t tmpfs -o size=1m tmpfs {full} && mount -t tmpfs -o size=1m tmpfs {ro} && "
              f"mkdir -p {ro}/keep && mount -o remount,ro {ro} && "
              f"(dd if=/dev/zero of={full}/filler bs=4096 2>/dev/null; truncate -s -4K {full}/filler) && "
              f"\"$0\" -c \"$1\" \"$2\" && ls -A {full} {ro}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ["PYTHONPATH"]]), GROWTHDESK_HOME=str(tmp_path / "home"))
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, sys.executable, DRIVER,
                           json.dumps(argvs)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    results = json.loads(lines[0])
    for (code, err), argv in zip(results, argvs):
        words = "磁盘已满" if str(full) in " ".join(argv) else "文件夹只读"
        one_line(code, err, words)
    listing = "\n".join(lines[1:])
    assert "filler" in listing and "keep" in listing
    assert listing.replace(f"{full}:", "").replace(f"{ro}:", "").split() == ["filler", "keep"], listing
