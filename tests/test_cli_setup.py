"""The setup commands through the real command line: init, register, demo, backup, restore."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from growthdesk.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows_digest(path: Path) -> str:
    """Content of every table (not the file bytes, which WAL checkpoints may move around).

    The one setting a restore adds on purpose (its next bundle must be a full one) is left out."""
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    try:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                if table == "gd_setting" and row[0] == "sync_needs_full":
                    continue  # the mark a restore leaves for the next export (checked where it matters)
                h.update(repr(row).encode())
    finally:
        con.close()
    return h.hexdigest()


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """init-district → district add-school → init-school → demo, as an administrator would."""
    folder = tmp_path_factory.mktemp("cli")  # module scope: main() is called directly, its output not read
    d, setup, s = folder / "district.db", folder / "S0001.json", folder / "school.db"
    assert main(["init-district", "--db", str(d), "--code", "330106", "--name", "西湖区"]) == 0
    assert main(["district", "add-school", "--db", str(d), "--code", "S0001", "--name", "示例市第一中学",
                 "--category", "rural", "--out", str(setup)]) == 0
    assert main(["init-school", "--db", str(s), "--setup", str(setup)]) == 0
    assert main(["demo", "--db", str(s), "--students", "90", "--terms", "2", "--seed", "5"]) == 0
    return folder


def test_setup_chain_made_a_filled_school_of_the_district(school):
    setup = json.loads((school / "S0001.json").read_text(encoding="utf-8"))
    assert setup["format"] == "growthdesk-school-setup" and setup["school"]["category"] == "rural"
    con = sqlite3.connect(school / "school.db")
    settings = dict(con.execute("SELECT key, value FROM gd_setting"))
    students = con.execute("SELECT count(*) FROM student").fetchone()[0]
    con.close()
    assert settings["kind"] == "school" and settings["school_code"] == "S0001" and settings["district_code"] == "330106"
    assert students == 90
    con = sqlite3.connect(school / "district.db")
    # Format 2: the district keeps no key that could sign as the school; the school's enrollment is open.
    assert con.execute("SELECT sync_key FROM school WHERE code = 'S0001'").fetchone()[0] is None
    assert con.execute("SELECT status, sign_public FROM sync_peer WHERE node_id = 'S0001'").fetchone() == ("pending", "")
    assert "sync_key" not in setup and settings["parent_node_id"] == "330106"
    con.close()


def test_json_output_is_one_object(tmp_path, capsys):
    code, out, err = run(capsys, "init-district", "--db", tmp_path / "d.db", "--code", "D01", "--name", "示例区",
                         "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"db": str(tmp_path / "d.db"), "kind": "district", "district_code": "D01",
                               "district_name": "示例区"}


def test_self_contained_demo_reports_counts(tmp_path, capsys):
    code, out, _ = run(capsys, "demo", "--db", tmp_path / "demo.db", "--students", "50", "--terms", "1", "--json")
    result = json.loads(out)
    assert code == 0 and result["students"] == 50 and result["rows"]["student"] == 50 and result["seconds"] >= 0


def test_backup_then_restore_round_trip(school, tmp_path, capsys):
    db = tmp_path / "school.db"
    run(capsys, "backup", "--db", school / "school.db", "--out", db)   # a private copy to work on
    backup = tmp_path / "backup.db"
    code, out, _ = run(capsys, "backup", "--db", db, "--out", backup, "--json")
    assert code == 0 and json.loads(out)["school_code"] == "S0001"
    saved = rows_digest(db)
    assert rows_digest(backup) == saved
    con = sqlite3.connect(db)                       # a change made after the backup …
    with con:
        con.execute("DELETE FROM term_evaluation")
    con.close()
    assert rows_digest(db) != saved
    code, out, _ = run(capsys, "restore", "--db", db, backup, "--json")
    result = json.loads(out)
    assert code == 0 and rows_digest(db) == saved  # … is gone, and kept in the safety copy
    con = sqlite3.connect(db)  # the next export will be full, with fresh sequence numbers
    assert con.execute("SELECT value FROM gd_setting WHERE key = 'sync_needs_full'").fetchone() == ("restored",)
    con.close()
    safety = Path(result["safety_copy"])
    con = sqlite3.connect(safety)
    assert con.execute("SELECT count(*) FROM term_evaluation").fetchone()[0] == 0
    con.close()
    code, _, err = run(capsys, "backup", "--db", db, "--out", backup)
    assert code == 1 and "已存在" in err                # a backup is never overwritten


def _corrupt(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 7 * page):  # scribble over b-tree pages, keep the header
        data[start + 8:start + 400] = os.urandom(392)
    dst.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["corrupted", "foreign", "text", "district"])
def test_restore_refuses_bad_files_and_changes_nothing(school, tmp_path, capsys, kind):
    db = tmp_path / "school.db"
    run(capsys, "backup", "--db", school / "school.db", "--out", db)
    bad = tmp_path / "bad.db"
    if kind == "corrupted":
        _corrupt(db, bad)
    elif kind == "foreign":
        con = sqlite3.connect(bad)
        with con:
            con.execute("CREATE TABLE gd_notes (id INTEGER PRIMARY KEY, body TEXT)")
        con.close()
    elif kind == "text":
        bad.write_text("not a database", encoding="utf-8")
    else:
        run(capsys, "backup", "--db", school / "district.db", "--out", bad)
    before = rows_digest(db)
    code, out, err = run(capsys, "restore", "--db", db, bad)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("growthdesk: ")
    expected = {"corrupted": "损坏", "foreign": "不是 GrowthDesk", "text": "不是 SQLite", "district": "区级数据库"}[kind]
    assert expected in err
    assert rows_digest(db) == before
    assert not (tmp_path / "school.backups").exists()   # refused before any safety copy was needed


def test_restore_of_another_schools_backup_needs_force(school, tmp_path, capsys):
    setup = tmp_path / "S0002.json"
    run(capsys, "district", "add-school", "--db", school / "district.db", "--code", "S0002", "--name", "二中",
        "--category", "town", "--out", setup)
    other = tmp_path / "other.db"
    run(capsys, "init-school", "--db", other, "--setup", setup)
    db = tmp_path / "school.db"
    run(capsys, "backup", "--db", school / "school.db", "--out", db)
    code, _, err = run(capsys, "restore", "--db", db, other)
    assert code == 1 and "--force" in err
    code, _, _ = run(capsys, "restore", "--db", db, other, "--force")
    con = sqlite3.connect(db)
    assert dict(con.execute("SELECT key, value FROM gd_setting"))["school_code"] == "S0002"
    con.close()


def test_errors_are_one_line_with_nonzero_exit(tmp_path, capsys):
    code, _, err = run(capsys, "init-school", "--db", tmp_path / "s.db", "--setup", tmp_path / "missing.json")
    assert code == 1 and "找不到设置文件" in err and "setup file not found" in err and err.count("\n") == 1
    assert not (tmp_path / "s.db").exists()
    code, _, err = run(capsys, "district", "add-school", "--db", tmp_path / "nothing.db", "--code", "S1",
                       "--name", "x", "--category", "urban", "--out", tmp_path / "x.json")
    assert code == 1 and "不存在" in err
    with pytest.raises(SystemExit) as exit_:
        main(["init-district", "--code", "D1"])
    assert exit_.value.code == 2


def test_console_entry_point_runs_as_a_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "growthdesk", "init-district", "--db", str(tmp_path / "d.db"),
                           "--code", "D01", "--name", "示例区", "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "district"
