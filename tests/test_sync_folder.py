"""``growthdesk sync --folder``: a district and its schools through one folder, and the faults
of a real sync folder (missing, read-only, full, pulled mid-write, half-copied files, two PCs at
once). Each fault: one line, nothing half-applied, the next sync completes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.sync.testing import FIXED_TODAY
from tests.dbdump import dump

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from growthdesk.demo import fill_demo

    folder = tmp_path_factory.mktemp("folder")
    district = create_district(folder / "district.db", "D01", "示例区")
    for code, n in (("S0001", 20), ("S0002", 10)):
        school = create_school(folder / f"{code}.db", add_school(district, code, f"学校{code}", "urban", "junior"))
        fill_demo(school, students=n, terms=2, seed=n, today=FIXED_TODAY)
        with school.engine.begin() as con:  # these tests are about the folder, not logins: a database with
            con.exec_driver_sql("UPDATE school_class SET adviser_user_id = NULL")  # accounts needs --user in
            con.exec_driver_sql("DELETE FROM teaching_assignment")  # every command (test_privacy_roles)
            con.exec_driver_sql("DELETE FROM app_user")
        school.close()
    district.close()
    return folder


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for name in ("district.db", "S0001.db", "S0002.db"):
        shutil.copy(template / name, tmp_path / name)
    (tmp_path / "F").mkdir()
    return tmp_path


def sync(capsys, db: Path, folder: Path) -> tuple[int, dict | None, str]:
    code = main(["sync", "--db", str(db), "--folder", str(folder), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def _dump(path: Path) -> list[str]:
    with open_database(path) as db:
        return [ln for ln in dump(db) if not ln.startswith('INSERT INTO "import_log"')]


def _students(path: Path, school: str) -> int:
    import sqlite3
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM student WHERE school_code = ?", (school,)).fetchone()[0]
    finally:
        con.close()


@contextlib.contextmanager
def tmpfs(where: Path, options: str):
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_round_trip_school_district_school(env, capsys):
    F = env / "F"
    code, res, err = sync(capsys, env / "S0001.db", F)
    assert code == 0, err
    assert [s["file"] for s in res["sent"]] == ["S0001-000001.gdbundle"]
    assert (F / "to-D01" / "S0001-000001.gdbundle").is_file() and not list(F.rglob("*.part"))
    code, res, err = sync(capsys, env / "district.db", F)
    assert code == 0, err
    assert [(b["file"], b["status"]) for b in res["imported"]] == [("S0001-000001.gdbundle", "imported")]
    assert [s["to"] for s in res["sent"]] == ["S0001"]  # S0002 has not enrolled yet: nothing can be sealed to it
    assert _students(env / "district.db", "S0001") == 20
    assert not (F / "to-D01" / "S0001-000001.gdbundle").exists()
    assert (F / "to-S0001" / "S0001-000001.by-D01.receipt.json").is_file()
    code, res, err = sync(capsys, env / "S0001.db", F)
    assert code == 0, err
    assert [r["status"] for r in res["receipts"]] == ["loaded"]
    assert [b["file"] for b in res["imported"]] == ["D01-000001.gdbundle"]
    assert res["sent"] == [] and res["pending_changes"] == 0
    assert not list((F / "to-S0001").iterdir())
    # Nothing new anywhere: a further round on each side writes nothing.
    assert sync(capsys, env / "district.db", F)[1]["sent"] == []
    assert sync(capsys, env / "S0001.db", F)[1]["sent"] == []


def test_missing_folder_says_so_and_changes_nothing(env, capsys):
    before = _dump(env / "S0001.db")
    code, res, err = sync(capsys, env / "S0001.db", env / "usb-not-there")
    assert code == 1 and res is None
    assert "同步文件夹不存在或无法访问" in err and len(err.strip().splitlines()) == 1
    assert _dump(env / "S0001.db") == before


def test_full_disk_says_so_then_the_next_sync_completes(env, capsys):
    before = _dump(env / "S0001.db")
    with tmpfs(env / "small", "size=12k") as small:
        code, res, err = sync(capsys, env / "S0001.db", small)
        assert code == 1, err
        assert "磁盘已满" in err and len(err.strip().splitlines()) == 1
        assert "磁盘已满" in res["errors"][0]["zh"]
        assert not list(small.rglob("*.part")) and not list(small.rglob("*.gdbundle"))
    assert _dump(env / "S0001.db") == before  # the sequence was not used up
    code, res, err = sync(capsys, env / "S0001.db", env / "F")
    assert code == 0 and res["sent"][0]["file"] == "S0001-000001.gdbundle", err


def test_read_only_folder_says_so_then_the_next_sync_completes(env, capsys):
    before = _dump(env / "S0001.db")
    with tmpfs(env / "ro", "ro,size=1m") as ro:
        code, res, err = sync(capsys, env / "S0001.db", ro)
        assert code == 1 and "文件夹只读" in err and len(err.strip().splitlines()) == 1, err
    assert _dump(env / "S0001.db") == before
    code, res, err = sync(capsys, env / "S0001.db", env / "F")
    assert code == 0 and res["sent"][0]["file"] == "S0001-000001.gdbundle", err


def _cli(*args, env_extra=None) -> subprocess.Popen:
    envv = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ["PYTHONPATH"]]), QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "growthdesk", *map(str, args)], env=envv, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_usb_stick_pulled_mid_write(env):
    """The folder disappears while the bundle is being written: one line, no bookkeeping moved,
    and the next sync (stick back in) writes the same sequence in full."""
    usb, marker = env / "usb", env / "writing.marker"
    usb.mkdir()
    before = _dump(env / "S0001.db")
    proc = _cli("sync", "--db", env / "S0001.db", "--folder", usb,
                env_extra={"GROWTHDESK_SYNC_FOLDER_TEST_PAUSE": f"4:{marker}"})
    for _ in range(300):
        if marker.exists():
            break
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()
    assert list(usb.rglob("*.part"))  # caught in the middle of writing
    shutil.rmtree(usb)                # the stick is pulled
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    assert "已被移除（U 盘拔出？）" in err and len(err.strip().splitlines()) == 1
    assert _dump(env / "S0001.db") == before
    usb.mkdir()
    proc = _cli("sync", "--db", env / "S0001.db", "--folder", usb, "--json")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["sent"][0]["file"] == "S0001-000001.gdbundle"
    assert (usb / "to-D01" / "S0001-000001.gdbundle").is_file()


def test_half_copied_file_is_skipped_then_taken_when_complete(env, capsys):
    F = env / "F"
    assert sync(capsys, env / "S0001.db", F)[0] == 0
    bundle = F / "to-D01" / "S0001-000001.gdbundle"
    full = bundle.read_bytes()
    bundle.write_bytes(full[: len(full) // 3])  # a copy by hand, interrupted
    before = _dump(env / "district.db")
    code, res, err = sync(capsys, env / "district.db", F)
    assert code == 0, err
    assert [b["file"] for b in res["skipped"]] == ["S0001-000001.gdbundle"] and res["imported"] == []
    assert "截断" in res["skipped"][0]["reason"] or "签名不符" in res["skipped"][0]["reason"]
    assert bundle.exists()
    assert _dump(env / "district.db") == before
    bundle.write_bytes(full)  # the copy completes
    code, res, err = sync(capsys, env / "district.db", F)
    assert code == 0 and [b["status"] for b in res["imported"]] == ["imported"], err
    assert _students(env / "district.db", "S0001") == 20


def test_two_pcs_write_the_folder_at_once(env, capsys):
    F = env / "F"
    procs = [_cli("sync", "--db", env / f"{code}.db", "--folder", F, "--json") for code in ("S0001", "S0002")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted(p.name for p in (F / "to-D01").iterdir()) == ["S0001-000001.gdbundle", "S0002-000001.gdbundle"]
    code, res, err = sync(capsys, env / "district.db", F)
    assert code == 0 and sorted(b["status"] for b in res["imported"]) == ["imported", "imported"], err
    assert (_students(env / "district.db", "S0001"), _students(env / "district.db", "S0002")) == (20, 10)
