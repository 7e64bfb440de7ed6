"""Issue 14, the last gap: a new workstation is sealed from the moment it is made (SQLCipher), not
from its first login. Until the hub's accounts arrive it opens with a temporary key slot under
its setup file's one-time enrollment secret (this PC keeps a 0600 copy); when they arrive, one
slot per account replaces it. Real files, the real CLI, real bytes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.keys import FAST_FOR_TESTS
from growthdesk.models import Student
from growthdesk.security import open_waiting_workstation, unlock_database, waiting_for_accounts
from growthdesk.services import students as student_service
from growthdesk.services import users
from growthdesk.services.terms import current_term_code
from growthdesk.setup import add_school, create_district
from growthdesk.sync.folder import sync_folder

PASSWORD = "admin-pw-123"
TEACHER_PW = "teach-pw-456"
SCHOOL = "示例区第一中学"
PUPIL = "张三丰"
BODY = "11010120130200001"
NUMBER = "G" + BODY + student_service.gb11643_check(BODY)


@pytest.fixture()
def t(tmp_path, monkeypatch):
    """An encrypted hub with its admin, a teacher and one pupil; a workstation setup file W1.json
    (and W2.json for a second PC); the sync folder F."""
    from growthdesk.services.offices import Admin, add_workstation, create_school_hub
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GROWTHDESK_PASSWORD", TEACHER_PW)
    district = create_district(tmp_path / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", SCHOOL, "urban", "junior")
    district.close()
    hub, _ = create_school_hub(tmp_path / "hub.db", setup, Admin("admin", "李校长", PASSWORD), kdf=FAST_FOR_TESTS)
    term = current_term_code()
    with hub.session(user="admin") as s:
        users.create_user(s, "t001", "王老师", "teacher", TEACHER_PW)
        cls = student_service.create_class(s, int(term[:4]), 7, 1, adviser_name="王老师")
        student_service.create_student(s, national_student_no=NUMBER, name=PUPIL, gender="M",
                                       birth_date=date(2013, 1, 1), class_id=cls.id)
    for i in (1, 2):
        add_workstation(hub, f"办公室{i}", tmp_path / f"W{i}.json")
    hub.close()
    (tmp_path / "F").mkdir()
    return tmp_path


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def hub_round(t: Path) -> None:
    with unlock_database(t / "hub.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS) as hub:
        res = sync_folder(hub, t / "F")
        assert not res["errors"], res


def assert_sealed(path: Path) -> None:
    """What someone who copies the files finds: no name, 学籍号 or school name in any byte of the
    database, its -wal/-shm or its key file, and a file sqlite3 cannot open."""
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    data = b"".join(p.read_bytes() for p in files if p.is_file())
    for secret in (PUPIL, NUMBER, "王老师"):
        assert secret.encode("utf-8") not in data, (secret, [p.name for p in files])
    assert SCHOOL.encode("utf-8") not in path.read_bytes()
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            con.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        con.close()


def keyfile(path: Path) -> dict:
    return json.loads(Path(str(path) + ".keys").read_text(encoding="utf-8"))


def kept_secrets(t: Path) -> list[Path]:
    folder = t / "home" / "enrollment"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_sealed_from_init_through_the_first_sync_then_only_logins_open_it(t, capsys):
    ws = t / "W1.db"
    code, out, err = cli(capsys, "init-workstation", "--db", ws, "--setup", t / "W1.json", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["encrypted"] and len(result["recovery_key"]) == 39   # shown once, like the school's
    # Right after init: encrypted, one temporary slot, no account slot; the secret kept on this PC only, 0600.
    assert_sealed(ws)
    doc = keyfile(ws)
    assert doc["slots"] == [] and doc["enrollment"]["node_id"] == "S0001-W01" and doc["recovery"]
    setup_secret = json.loads((t / "W1.json").read_text(encoding="utf-8"))["enrollment_secret"]
    assert setup_secret not in (Path(str(ws) + ".keys")).read_text(encoding="utf-8")
    [kept] = kept_secrets(t)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(kept.parent).st_mode) == 0o700
    assert kept.parent != ws.parent   # not beside the database: copying the database does not carry it

    # Rounds: the workstation's keys go up (no --user: nobody has an account here yet), the hub
    # pins it and sends the school down, the workstation takes it.
    assert cli(capsys, "sync", "--db", ws, "--folder", t / "F")[0] == 0
    hub_round(t)
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F", "--json")
    assert code == 0, err
    assert [b["status"] for b in json.loads(out)["imported"]] == ["imported"]

    # After its first sync with the school's data: still sealed, the accounts' slots instead of the temporary one.
    assert_sealed(ws)
    doc = keyfile(ws)
    assert "enrollment" not in doc and sorted(s["login"] for s in doc["slots"]) == ["admin", "t001"]
    assert not doc["public"].get("waiting_for_accounts")
    assert kept_secrets(t) == []          # the kept secret went with its slot
    assert not waiting_for_accounts(ws)

    # A teacher logs in there (the slot made from the hub's hash) and sees the pupil.
    with unlock_database(ws, "t001", TEACHER_PW, kdf=FAST_FOR_TESTS) as w, w.session() as s:
        assert s.scalars(select(Student.name)).all() == [PUPIL]
    # The setup file's secret opens nothing any more; a sync round needs a login now.
    with pytest.raises(Exception, match="已有账户"):
        open_waiting_workstation(ws, setup=t / "W1.json")
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F")
    assert code != 0 and "请用 --user 登录" in err and len(err.strip().splitlines()) == 1
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F", "--user", "t001")
    assert code == 0, err


def test_a_pc_that_no_longer_keeps_the_secret_syncs_with_its_setup_file(t, capsys):
    ws = t / "W1.db"
    assert cli(capsys, "init-workstation", "--db", ws, "--setup", t / "W1.json")[0] == 0
    for p in kept_secrets(t):
        p.unlink()
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F")
    assert code != 0 and "请选择学校管理员生成的工作站设置文件" in err and "--setup" in err
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F", "--setup", t / "W2.json")
    assert code != 0 and "不属于这个工作站" in err        # another PC's file opens nothing here
    code, out, err = cli(capsys, "sync", "--db", ws, "--folder", t / "F", "--setup", t / "W1.json")
    assert code == 0, err
    assert len(kept_secrets(t)) == 1       # kept again: the next rounds need the file no more
    assert cli(capsys, "sync", "--db", ws, "--folder", t / "F")[0] == 0


def test_reissued_setup_file_moves_the_temporary_slot(t, capsys):
    from growthdesk.services.offices import add_workstation
    ws = t / "W1.db"
    assert cli(capsys, "init-workstation", "--db", ws, "--setup", t / "W1.json")[0] == 0
    with unlock_database(t / "hub.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS) as hub:
        add_workstation(hub, "办公室1", t / "W1b.json", reissue="S0001-W01")
    code, out, err = cli(capsys, "init-workstation", "--db", ws, "--setup", t / "W1b.json")
    assert code == 0, err
    assert len(kept_secrets(t)) == 1
    with pytest.raises(Exception, match="不属于这个工作站"):
        open_waiting_workstation(ws, setup=t / "W1.json")          # the old file is void
    open_waiting_workstation(ws, setup=t / "W1b.json").close()
    assert_sealed(ws)


def test_joined_from_the_app_sealed_and_opened_again_after_a_restart(t, qtbot):
    from growthdesk.app_launch import open_for_ui, open_waiting_for_ui
    from growthdesk.services.offices import join_school
    from growthdesk.ui.app import make_app
    from growthdesk.ui.workstation import WaitForSchoolDialog
    make_app("zh_CN")
    ws = t / "S0001-W01.db"
    db, result = join_school(ws, t / "W1.json", t / "F")     # the start dialog's 把本机加入学校
    assert db.encrypted and result["sent"] and db.recovery_key_shown
    key = db.recovery_key_shown
    wait = WaitForSchoolDialog(db, str(t / "F"))
    qtbot.addWidget(wait)
    assert key in wait.recovery.text() and "恢复密钥" in wait.recovery.text()
    assert db.recovery_key_shown is None       # shown this once
    wait.resize(600, wait.sizeHint().height())
    out = Path(__file__).resolve().parent.parent / "test-artifacts"
    out.mkdir(exist_ok=True)
    wait.grab().save(str(out / "privacy3_wait_recovery_key.png"))
    wait.close()
    db.close()
    assert_sealed(ws)

    # The app started again before the hub's round: no account, so no login; it opens with the
    # kept secret and waits (sync now) as before.
    again = open_for_ui(str(ws))
    assert hasattr(again, "engine") and again.encrypted and again.settings["node_role"] == "workstation"
    again.close()
    # This PC lost its copy: the setup file is asked for.
    for p in kept_secrets(t):
        p.unlink()
    asked = []
    reopened = open_waiting_for_ui(str(ws), ask_setup=lambda: asked.append(1) or str(t / "W1.json"))
    assert asked == [1] and reopened.encrypted
    reopened.close()
    assert open_waiting_for_ui(str(ws)) is not None  # kept again after the file was given
    # Accounts arrive: from then on the login dialog opens it.
    hub_round(t)
    with open_waiting_workstation(ws) as w:
        sync_folder(w, t / "F")
    from growthdesk.security import LockedDatabase
    locked = open_for_ui(str(ws))
    assert isinstance(locked, LockedDatabase) and not locked.waiting


def test_cli_demo_is_sealed_and_opens_with_the_printed_demo_login(tmp_path, monkeypatch, capsys):
    from growthdesk.demo import DEMO_PASSWORD
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    demo = tmp_path / "demo.db"
    code, out, err = cli(capsys, "demo", "--db", demo, "--students", "30", "--terms", "1")
    assert code == 0, err
    assert "数据库已加密" in out and "--user admin" in out and DEMO_PASSWORD in out
    monkeypatch.setenv("GROWTHDESK_PASSWORD", DEMO_PASSWORD)
    with unlock_database(demo, "admin", DEMO_PASSWORD) as db, db.session() as s:
        pupils = s.scalars(select(Student.name)).all()
        numbers = s.scalars(select(Student.national_student_no)).all()
    assert len(pupils) == 30
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("demo.db") and p.is_file())
    assert not [n for n in pupils + numbers if n.encode("utf-8") in data]
    con = sqlite3.connect(demo)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("SELECT count(*) FROM student").fetchone()
    con.close()
    # The key file shows the login dialog the demo login; every demo account has its slot.
    doc = keyfile(demo)
    assert doc["public"]["demo_login"] and "admin" in {s["login"] for s in doc["slots"]}
    code, out, err = cli(capsys, "backup", "--db", demo, "--out", tmp_path / "b.db", "--user", "admin")
    assert code == 0, err
    code, out, err = cli(capsys, "backup", "--db", demo, "--out", tmp_path / "c.db")
    assert code != 0 and "请用 --user 登录" in err


def test_a_key_file_left_behind_by_a_crash_after_the_accounts_arrived_heals_at_the_next_open(t, capsys):
    """The import committed the accounts but the process died before the key file was rewritten:
    the next open with the secret writes the accounts' slots and drops the temporary one."""
    import shutil
    ws = t / "W1.db"
    assert cli(capsys, "init-workstation", "--db", ws, "--setup", t / "W1.json")[0] == 0
    assert cli(capsys, "sync", "--db", ws, "--folder", t / "F")[0] == 0
    hub_round(t)
    stale, secret = t / "stale.keys", kept_secrets(t)[0]
    shutil.copy(Path(str(ws) + ".keys"), stale)
    kept = secret.read_bytes()
    assert cli(capsys, "sync", "--db", ws, "--folder", t / "F")[0] == 0
    shutil.copy(stale, Path(str(ws) + ".keys"))          # as if the rewrite never happened
    secret.write_bytes(kept)
    assert waiting_for_accounts(ws)
    open_waiting_workstation(ws).close()
    assert not waiting_for_accounts(ws) and "enrollment" not in keyfile(ws) and kept_secrets(t) == []
    unlock_database(ws, "t001", TEACHER_PW, kdf=FAST_FOR_TESTS).close()
