"""A database file that fails its integrity check (issue 13): nothing writes to it, every command
says so in one line, and ``restore --force`` (or the app's Restore backup) replaces it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from growthdesk.cli import main
from growthdesk.db import integrity_ok, open_database
from growthdesk.errors import DatabaseError
from growthdesk.sync import export_bundle, import_bundle
from growthdesk.sync.testing import make_district_and_school
from tests.damage import damage_table, file_digest

TERM = "2026-2027-1"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A district that imported one bundle of a 20-student school, a second bundle waiting,
    a receipt for the school, backups of both databases; all closed."""
    folder = tmp_path_factory.mktemp("damaged")
    district, school, _ = make_district_and_school(folder, students=20, terms=1)
    first = export_bundle(school, folder / "out")["path"]
    result = import_bundle(district, first, receipts_dir=folder / "receipts")
    assert result["status"] == "imported"
    with school.session(user="t") as s:  # something new for a second bundle
        from growthdesk.models import Student
        st = s.query(Student).first()
        st.name = st.name + "乙"
    second = export_bundle(school, folder / "out2")["path"]
    district.close()
    school.close()
    for name in ("district.db", "S0001.db"):
        shutil.copyfile(folder / name, folder / f"backup-{name}")
    return {"folder": folder, "second": second, "receipt": result["receipt"]}


@pytest.fixture()
def dbs(made, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    out = {}
    for name in ("district.db", "S0001.db", "backup-district.db", "backup-S0001.db"):
        shutil.copyfile(made["folder"] / name, tmp_path / name)
        out[name] = tmp_path / name
    return out


def one_line_damaged(code: int, out: str, err: str) -> None:
    assert code == 1, (out, err)
    assert err.startswith("growthdesk: ") and err.count("\n") == 1, err
    assert "损坏" in err and "damaged" in err and "Traceback" not in err
    assert "restore --force" in err


def test_roster_import_yes_refuses_a_damaged_school_database(dbs, tmp_path, capsys):
    school = dbs["S0001.db"]
    damage_table(school, "audit_log")  # not read by the import: only the check can notice
    before = file_digest(school)
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,性别,出生日期,学籍号,年级,班级\n赵六,男,2013-05-01,G110101201305010014,初一,3\n",
                      encoding="utf-8")
    code, out, err = run(capsys, "roster", "import", "--db", school, roster, "--yes", "--school-year", "2026")
    one_line_damaged(code, out, err)
    assert "完整性检查未通过" in err
    assert file_digest(school) == before


def test_bundle_import_and_add_school_refuse_a_damaged_district(dbs, made, tmp_path, capsys):
    district = dbs["district.db"]
    damage_table(district, "student")
    before = file_digest(district)
    code, out, err = run(capsys, "bundle", "import", "--db", district, made["second"], "--receipts", tmp_path)
    one_line_damaged(code, out, err)
    code, out, err = run(capsys, "district", "add-school", "--db", district, "--code", "S0002", "--name", "二中",
                         "--category", "urban", "--out", tmp_path / "S0002-setup.json")
    one_line_damaged(code, out, err)
    assert not (tmp_path / "S0002-setup.json").exists()
    assert file_digest(district) == before


def test_the_write_check_runs_once_and_refuses_every_write(dbs):
    school = dbs["S0001.db"]
    damage_table(school, "audit_log")
    db = open_database(school)
    try:
        for _ in range(2):
            with pytest.raises(DatabaseError) as err, db.session(user="t") as s:
                from growthdesk.services.students import create_class
                create_class(s, 2026, 9, 7)
            assert "完整性检查未通过" in err.value.zh
        with pytest.raises(DatabaseError):
            db.check_integrity()
    finally:
        db.close()
    healthy = open_database(dbs["backup-S0001.db"])
    try:
        healthy.check_integrity()  # a healthy file passes
        with healthy.session(user="t") as s:
            from growthdesk.services.students import create_class
            create_class(s, 2026, 9, 7)
    finally:
        healthy.close()


@pytest.mark.parametrize("which", ["export", "receipt", "stats", "stats-pdf", "portfolio"])
def test_reading_commands_on_a_damaged_database_say_so_in_one_line(dbs, made, tmp_path, capsys, which):
    school, district = dbs["S0001.db"], dbs["district.db"]
    damage_table(school, "student")
    damage_table(district, "student")
    argv = {
        "export": ["bundle", "export", "--db", school, "--out", tmp_path / "out"],
        "receipt": ["bundle", "receipt", "--db", school, made["receipt"]],
        "stats": ["stats", "--db", district, "--json"],
        "stats-pdf": ["stats", "--db", district, "--pdf", tmp_path / "s.pdf"],
        "portfolio": ["portfolio", "--db", school, "--term", TERM, "--grade", "7", "--out", tmp_path / "p.pdf"],
    }[which]
    code, out, err = run(capsys, *argv)
    one_line_damaged(code, out, err)
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / "out").exists() or \
        not list((tmp_path / "out").iterdir())


def test_restore_needs_force_then_replaces_a_damaged_database(dbs, capsys):
    school = dbs["S0001.db"]
    damage_table(school, "student")
    before = file_digest(school)
    code, out, err = run(capsys, "restore", "--db", school, dbs["backup-S0001.db"])
    assert code == 1 and "--force" in err and "损坏" in err and err.count("\n") == 1
    assert file_digest(school) == before
    code, out, err = run(capsys, "restore", "--db", school, dbs["backup-S0001.db"], "--force", "--json")
    assert code == 0, err
    result = json.loads(out)
    kept = Path(result["damaged_file_kept"])
    assert kept.exists() and file_digest(kept) == before       # the damaged file is kept, not deleted
    assert kept.suffix == ".damaged" and result["safety_copy"] is None
    assert integrity_ok(school)[0]
    with open_database(school) as db:  # and it is writable again
        from growthdesk.services.students import create_class
        with db.session(user="t") as s:
            create_class(s, 2026, 9, 7)


def test_the_app_offers_the_newest_backup_for_a_damaged_database(dbs):
    from growthdesk.app_launch import open_for_ui
    from growthdesk.backup import automatic_backup

    school = dbs["S0001.db"]
    made_backup = automatic_backup(school)
    damage_table(school, "student")
    asked = []

    def ask(exc, path):
        asked.append(exc)
        return "restore"

    db = open_for_ui(str(school), ask=ask)
    try:
        assert len(asked) == 1 and "损坏" in asked[0].zh
        assert integrity_ok(school)[0] and made_backup.exists()
        db.check_integrity()
    finally:
        db.close()
