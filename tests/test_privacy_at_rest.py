"""Sealed at rest: SQLCipher databases, key slots, recovery key, backups, evidence, permissions."""

from __future__ import annotations

import os
from pathlib import Path
import sqlite3
import stat
from datetime import date

import pytest

from growthdesk import keys, security
from growthdesk.backup import automatic_backup, backup, restore
from growthdesk.db import open_database
from growthdesk.errors import DatabaseError, ValidationError
from growthdesk.services import evidence, students, users

FAST = keys.FAST_FOR_TESTS
PW = "secret-123"
NAME, NO = "欧阳娜娜", "G11010120120101001X"


def _no_secrets(path):
    """No student's name or number; the school's name only in a key file (the login dialog shows it)."""
    blob = path.read_bytes()
    school = () if path.name.endswith(".keys") else ("示例市第一中学".encode("utf-8"),)
    for needle in (NAME.encode("utf-8"), NO.encode("ascii"), *school):
        assert needle not in blob, f"{needle!r} readable in {path.name}"


def _sqlite_refuses(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        con.close()


def _private(path):
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is {oct(path.stat().st_mode)}"


def _fill(db):
    with db.session(user="admin") as s:
        users.create_user(s, "admin", "管理员", "school_admin", PW)
        users.create_user(s, "teacher01", "李老师", "teacher", "another-456")
        cls = students.create_class(s, 2025, 7, 3)
        st = students.create_student(s, national_student_no=NO, name=NAME, gender="F",
                                     birth_date=date(2012, 1, 1), class_id=cls.id)
        return st.id


@pytest.fixture()
def plain_school(tmp_path):
    from growthdesk.setup import add_school, create_district, create_school
    district = create_district(tmp_path / "d.db", "D01", "示例区")
    setup = add_school(district, "S0001", "示例市第一中学", "urban")
    district.close()
    db = create_school(tmp_path / "school.db", setup)
    db.kdf = FAST
    sid = _fill(db)
    db.close()
    return tmp_path / "school.db", sid


def test_plain_database_converted_on_login_and_sealed(plain_school, tmp_path):
    path, sid = plain_school
    photo = tmp_path / "cert.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + NAME.encode("utf-8") * 50)
    with open_database(path) as db, db.session(user="admin") as s:  # evidence stored while still plain
        evidence.attach_file(s, db.path, owner_type="student", owner_id=sid, file_path=photo, kind="certificate")
    db = security.unlock_database(path, "admin", PW, kdf=FAST)
    assert db.encrypted and db.login == "admin"
    recovery = db.recovery_key_shown
    with db.session() as s:
        assert students.get_student(s, sid).name == NAME
        sha = evidence.list_evidence(s, "student", sid)[0].sha256
    assert evidence.read_evidence(db, sha) == photo.read_bytes()
    db.close()
    # Nothing readable on the disk: the database, its backups (made plain before converting) and evidence.
    for f in [path, *path.with_name("school.backups").glob("*.db"), evidence.evidence_file_path(path, sha)]:
        _no_secrets(f)
        _private(f)
    _sqlite_refuses(path)
    for f in path.with_name("school.backups").glob("*.db"):
        _sqlite_refuses(f)
    with pytest.raises(DatabaseError) as no_key:
        open_database(path)
    assert "encrypted" in no_key.value.en
    # Every account's password opens it; a wrong one and an unknown login do not.
    security.unlock_database(path, "teacher01", "another-456", kdf=FAST).close()
    for login, pw in [("admin", "wrong-pass-1"), ("nobody", PW)]:
        with pytest.raises(ValidationError) as wrong:
            security.unlock_database(path, login, pw, kdf=FAST)
        assert wrong.value.en == "wrong login or password"
    # The recovery key opens it; the admin can print it again.
    with security.open_with_recovery_key(path, recovery) as db:
        assert security.recovery_key(db) == recovery


def test_password_change_rewraps_and_removed_account_has_no_slot(plain_school):
    path, _ = plain_school
    db = security.unlock_database(path, "admin", PW, kdf=FAST)
    with db.session(user="admin") as s:
        teacher = users.find_user(s, "teacher01")
        users.set_password(s, teacher.id, "changed-789")
    db.close()
    with pytest.raises(ValidationError):
        security.unlock_database(path, "teacher01", "another-456", kdf=FAST)
    db = security.unlock_database(path, "teacher01", "changed-789", kdf=FAST)
    with db.session(user="admin") as s:
        users.deactivate_user(s, users.find_user(s, "teacher01").id)
    db.close()
    assert [s["login"] for s in keys.read_keyfile(path)["slots"]] == ["admin"]
    with pytest.raises(ValidationError):
        security.unlock_database(path, "teacher01", "changed-789", kdf=FAST)


def test_backup_and_restore_stay_encrypted(plain_school, tmp_path):
    path, sid = plain_school
    db = security.unlock_database(path, "admin", PW, kdf=FAST)
    out = tmp_path / "manual" / "copy.db"
    info = backup(db, out)
    assert info.kind == "school"
    auto = automatic_backup(db)
    for f in (out, auto, keys.keyfile_path(out)):
        _no_secrets(f)
        _private(f)
    _sqlite_refuses(out)
    with pytest.raises(DatabaseError):  # without a key it is only bytes
        backup(path, tmp_path / "other.db")
    # The backup opens on its own with a password (its key file travels with it).
    security.unlock_database(out, "admin", PW, kdf=FAST).close()
    with db.session(user="admin") as s:
        students.delete_student(s, sid)
    result = restore(db, out)
    assert result["safety_copy"]
    db.close()
    db = security.unlock_database(path, "admin", PW, kdf=FAST)
    with db.session() as s:
        assert students.get_student(s, sid).name == NAME
    db.close()


def test_new_encrypted_database_and_lockout(tmp_path):
    db = security.create_encrypted(tmp_path / "n.db", kdf=FAST)
    from growthdesk.db import write_settings
    with db.session(user="setup") as s:
        write_settings(s, {"kind": "district", "district_code": "D01", "district_name": "示例区"})
        users.create_user(s, "admin", "管理员", "district_staff", PW)
    recovery = security.finish_encrypted_setup(db)
    assert len(recovery) == 39
    db.close()
    path = tmp_path / "n.db"
    _sqlite_refuses(path)
    _private(path)
    _private(keys.keyfile_path(path))
    t0 = 1_000_000.0
    for i in range(3):
        with pytest.raises(ValidationError):
            security.unlock_database(path, "admin", "wrong-pass-1", kdf=FAST, now=t0 + i)
    with pytest.raises(ValidationError) as waiting:  # the right password must wait now: growing delay
        security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 3)
    assert "try again in" in waiting.value.en
    assert security.lockout_delay(3) < security.lockout_delay(4) <= security.LOCKOUT_MAX_DELAY
    assert security.lockout_delay(50) == security.LOCKOUT_MAX_DELAY  # never a permanent lock
    security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 60).close()


def test_remote_postgres_without_tls_refused():
    from growthdesk.db import check_postgres_url
    with pytest.raises(DatabaseError) as exc:
        check_postgres_url("postgresql+psycopg://gd@10.1.2.3/district")
    assert "TLS" in exc.value.en
    check_postgres_url("postgresql+psycopg://gd@10.1.2.3/district?sslmode=verify-full")
    check_postgres_url("postgresql+psycopg://gd@localhost/district")
    check_postgres_url("postgresql+psycopg://gd@10.1.2.3/district", allow_insecure=True)


def test_password_policy():
    for pw in ("short1", "12345678", "abcdefgh", "aaaaaaaa1", "password", "abababab"):
        assert users.password_problem(pw) is not None, pw
    assert users.password_problem("admin123x", login="admin123x") is not None
    assert users.password_problem("secret-123") is None


def test_certificate_photo_loses_gps_and_device_and_is_capped(school_db, tmp_path):
    import io

    from PIL import Image
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPS
    photo = tmp_path / "证书.jpg"
    Image.new("RGB", (4000, 3000), (200, 180, 40)).save(photo, "JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in photo.read_bytes()
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="admin") as s:
        ev = evidence.attach_file(s, school_db.path, owner_type="student", owner_id=sid, file_path=photo,
                                  kind="certificate")
        sha, size = ev.sha256, ev.size
    stored = evidence.read_evidence(school_db, sha)
    assert b"PhoneMaker" not in stored and b"Model X" not in stored and len(stored) == size
    with Image.open(io.BytesIO(stored)) as im:
        assert max(im.size) == evidence.MAX_IMAGE_SIDE and not im.getexif()
    plain = tmp_path / "report.pdf"
    plain.write_bytes(b"%PDF-1.4 not an image")
    assert evidence.clean_image(plain.read_bytes()) == plain.read_bytes()


def test_crash_reports_hold_no_names_or_numbers():
    from growthdesk.redact import redact
    text = redact(f'Traceback ...\nValueError: student {NAME} {NO} (resident 11010120120101001X) in 2025-2026-1')
    assert NAME not in text and NO not in text and "11010120120101001X" not in text
    assert "ValueError" in text and "2025-2026-1" in text


def test_deleting_or_editing_the_lockout_file_does_not_reset_the_wait(tmp_path):
    """The lockout record is authenticated: deleting it or editing it by hand counts as a run of
    failures (every login waits), and it ends: never a permanent lock."""
    import json as _json
    db = security.create_encrypted(tmp_path / "n.db", kdf=FAST)
    from growthdesk.db import write_settings
    with db.session(user="setup") as s:
        write_settings(s, {"kind": "district", "district_code": "D01", "district_name": "示例区"})
        users.create_user(s, "admin", "管理员", "district_staff", PW)
    security.finish_encrypted_setup(db)
    db.close()
    path = tmp_path / "n.db"
    lock = Path(str(path) + ".lockout")
    assert lock.is_file()  # made with the key file, before anyone failed
    _private(lock)
    t0 = 1_000_000.0
    for i in range(3):
        with pytest.raises(ValidationError):
            security.unlock_database(path, "admin", "wrong-pass-1", kdf=FAST, now=t0 + i)
    lock.unlink()  # the attacker's reset
    with pytest.raises(ValidationError) as waiting:
        security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 10)
    assert "删除或改动" in waiting.value.zh and waiting.value.value > 60
    wait = security.lockout_delay(security.TAMPER_FAILURES)
    with pytest.raises(ValidationError):  # a wrong try after the wait: it counts on from there
        security.unlock_database(path, "admin", "wrong-pass-1", kdf=FAST, now=t0 + 10 + wait + 1)
    with pytest.raises(ValidationError) as waiting:
        security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 10 + wait + 2)
    assert waiting.value.value > wait  # the delay kept growing
    doc = _json.loads(lock.read_text(encoding="utf-8"))
    doc["entries"]["admin"]["until"] = 0  # a hand edit
    lock.write_text(_json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError) as waiting:
        security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 10_000)
    assert "删除或改动" in waiting.value.zh
    security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 10_000 + 2 * wait).close()
    security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 10_000 + 2 * wait + 1).close()  # cleared
    lock.write_text("{}", encoding="utf-8")  # an emptied file is also an edit
    with pytest.raises(ValidationError):
        security.unlock_database(path, "admin", PW, kdf=FAST, now=t0 + 20_000)
