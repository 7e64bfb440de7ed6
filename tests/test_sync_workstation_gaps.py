"""Issue 11, what a workstation lacked: passwords changed on a workstation (and the first-login
change that clears must_change_password) reach the hub and the other workstations, the later
change winning, key slots included; the 学籍号 travels hub ↔ workstation (sealed, never to
the district); district catalog rows and an arriving pupil's earlier records reach the
workstations; ``district publish`` writes where the school's hub reads. Real files throughout."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.keys import FAST_FOR_TESTS
from growthdesk.models import Competition, ProcessEvaluation, Student, User
from growthdesk.security import unlock_database
from growthdesk.services import evaluations, students as student_service, users
from growthdesk.services.terms import current_term_code
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.sync.folder import sync_folder

PASSWORD = "admin-pw-123"
TERM = current_term_code()


class Env:
    """The test's folder (``t / "hub.db"``) with its helpers as attributes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __truediv__(self, other):
        return self.path / other

    def __eq__(self, other):
        return self.path == other


def no(i: int) -> str:
    body = f"1101012013020{i:04d}"
    return "G" + body + student_service.gb11643_check(body)


# ---------------------------------------------------------------- passwords (encrypted hub)

def _copy(template: Path, into: Path) -> None:
    """A test's own copy of a module's template folder (databases, key files, sync folder, home)."""
    shutil.copytree(template, into, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def school_template(tmp_path_factory):
    """Built once per module (copied for each test): an encrypted hub with a teacher whose initial
    password must be changed, two workstations that have the school; the folder F."""
    from growthdesk.services.offices import Admin, add_workstation, create_school_hub, join_school
    root = tmp_path_factory.mktemp("school-template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GROWTHDESK_HOME", str(root / "home"))
        district = create_district(root / "district.db", "D01", "示例区")
        setup = add_school(district, "S0001", "示例区第一中学", "urban", "junior")
        district.close()
        hub, _ = create_school_hub(root / "hub.db", setup, Admin("admin", "李校长", PASSWORD), kdf=FAST_FOR_TESTS)
        with hub.session(user="admin") as s:
            users.create_user(s, "t001", "王老师", "teacher", "init-pass-1", must_change=True)
            cls = student_service.create_class(s, int(TERM[:4]), 7, 1, adviser_name="王老师")
            student_service.create_student(s, national_student_no=no(1), name="张三", gender="M",
                                           birth_date=date(2013, 1, 1), class_id=cls.id)
        F = root / "F"
        F.mkdir()
        for i in (1, 2):
            add_workstation(hub, f"办公室{i}", root / f"W{i}.json")
        hub.close()
        for i in (1, 2):
            join_school(root / f"W{i}.db", root / f"W{i}.json", F)[0].close()
        _school_env(root).rounds("hub", 1, 2)   # pin both, the school goes down, accounts arrive
    return root


def _school_env(root: Path) -> Env:
    t = Env(root)
    F = root / "F"

    def hub_db():
        return unlock_database(t / "hub.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS)

    def ws_db(i):
        from growthdesk.security import open_waiting_workstation, waiting_for_accounts
        if waiting_for_accounts(t / f"W{i}.db"):  # encrypted from the start; its secret opens it until accounts arrive
            return open_waiting_workstation(t / f"W{i}.db", kdf=FAST_FOR_TESTS)
        return unlock_database(t / f"W{i}.db", "admin", PASSWORD, kdf=FAST_FOR_TESTS)

    def rounds(*who):
        for w in who:
            with (hub_db() if w == "hub" else ws_db(w)) as db:
                res = sync_folder(db, F)
                assert not res["skipped"] and not res["errors"], res

    t.hub_db, t.ws_db, t.rounds = hub_db, ws_db, rounds
    return t


@pytest.fixture()
def school(school_template, tmp_path, monkeypatch):
    """This test's copy of the school: the hub, two workstations in step with it, the folder F."""
    _copy(school_template, tmp_path)
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    return _school_env(tmp_path)


def login(db, login_name: str, password: str) -> User:
    with db.session() as s:
        return users.authenticate(s, login_name, password)


def account(db, login_name: str) -> User:
    with db.session() as s:
        u = users.find_user(s, login_name)
        s.expunge(u)
        return u


def test_first_login_change_on_a_workstation_reaches_the_hub_and_the_other_workstation(school):
    from growthdesk.security import unlock_database
    t = school
    with t.ws_db(1) as w1:
        assert account(w1, "t001").must_change_password
        with w1.session(user="t001") as s:
            users.change_own_password(s, users.find_user(s, "t001").id, "init-pass-1", "w1-chosen-pw")
    t.rounds(1, "hub", 2)
    with t.hub_db() as hub:
        u = account(hub, "t001")
        assert not u.must_change_password and users.verify_password("w1-chosen-pw", u.password_hash)
    # The hub's key file has the new slot: the teacher opens the encrypted hub with it, not with the old one.
    unlock_database(t / "hub.db", "t001", "w1-chosen-pw", kdf=FAST_FOR_TESTS).close()
    with pytest.raises(Exception):
        unlock_database(t / "hub.db", "t001", "init-pass-1", kdf=FAST_FOR_TESTS)
    with t.ws_db(2) as w2:
        assert login(w2, "t001", "w1-chosen-pw").login == "t001"
        assert not account(w2, "t001").must_change_password
    # Nothing new: a further round on the workstation sends nothing.
    with t.ws_db(1) as w1:
        assert sync_folder(w1, t / "F")["sent"] == []


def test_the_later_password_change_wins_everywhere(school):
    t = school
    with t.ws_db(2) as w2, w2.session(user="t001") as s:   # earlier, on workstation 2
        users.change_own_password(s, users.find_user(s, "t001").id, "init-pass-1", "w2-early-pw")
    with t.hub_db() as hub, hub.session(user="admin") as s:  # later, the admin resets it at the hub
        users.set_password(s, users.find_user(s, "t001").id, "hub-reset-pw", must_change=True)
    t.rounds(2, "hub", 1, 2)
    for open_db in (t.hub_db, lambda: t.ws_db(1), lambda: t.ws_db(2)):
        with open_db() as db:
            u = account(db, "t001")
            assert users.verify_password("hub-reset-pw", u.password_hash) and u.must_change_password
    # And the other way round: a change on a workstation after the hub's reset wins at the hub.
    with t.ws_db(1) as w1, w1.session(user="t001") as s:
        users.change_own_password(s, users.find_user(s, "t001").id, "hub-reset-pw", "w1-later-pw")
    t.rounds(1, "hub", 2)
    for open_db in (t.hub_db, lambda: t.ws_db(2)):
        with open_db() as db:
            u = account(db, "t001")
            assert users.verify_password("w1-later-pw", u.password_hash) and not u.must_change_password


def test_national_student_number_travels_inside_the_school_only(school):
    from growthdesk.sync import sealed
    t = school
    with t.ws_db(1) as w1, w1.session() as s:
        assert s.scalars(select(Student.national_student_no)).all() == [no(1)]
    with t.ws_db(2) as w2, w2.session(user="admin") as s:   # a pupil registered on a workstation
        cls = s.scalars(select(Student.class_id)).first()
        new_id = student_service.create_student(s, national_student_no=no(2), name="李四", gender="F",
                                                birth_date=date(2013, 2, 2), class_id=cls).id
    t.rounds(2, "hub", 1)
    for open_db in (t.hub_db, lambda: t.ws_db(1)):
        with open_db() as db, db.session() as s:
            assert s.get(Student, new_id).national_student_no == no(2)
    # The hub's bundle to the district carries no such member (the district derives its key).
    from growthdesk.sync.export import export_bundle
    with t.hub_db() as hub:
        res = export_bundle(hub, t / "up", full=True)
    assert res["recipient"] == "D01"
    with open_database(t / "district.db") as district:
        opened = sealed.open_bundle(district, res["path"])
        try:
            with zipfile.ZipFile(opened.payload) as zf:
                assert not {"student_numbers.json", "accounts.json", "foreign.json"} & set(zf.namelist())
        finally:
            opened.close()


# ---------------------------------------------------------------- district rows on to workstations

@pytest.fixture(scope="module")
def moved_template(tmp_path_factory):
    """Built once per module (copied for each test): a pupil of primary school P0001 (with an
    evaluation) arrives at junior school J0001 (same 学籍号); J has a workstation. All synced up
    once through F."""
    t = tmp_path_factory.mktemp("moved-template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GROWTHDESK_HOME", str(t / "home"))
        district = create_district(t / "district.db", "D01", "示例区")
        p = create_school(t / "P.db", add_school(district, "P0001", "示例小学", "urban", "primary"), kdf=FAST_FOR_TESTS)
        j = create_school(t / "J.db", add_school(district, "J0001", "示例初中", "urban", "junior"), kdf=FAST_FOR_TESTS)
        district.close()
        earlier = f"{int(TERM[:4]) - 1}-{int(TERM[:4])}-2"
        with p.session(user="t") as s:
            cls = student_service.create_class(s, int(TERM[:4]) - 1, 6, 1, "陈老师")
            st = student_service.create_student(s, national_student_no=no(7), name="赵六", gender="F", class_id=cls.id)
            ev = evaluations.record_process_evaluation(s, student_id=st.id, term_code=earlier, dimension="moral",
                                                       level="A", evaluator_role="teacher", evaluator_name="陈老师")
            earlier_id = ev.id
        with j.session(user="t") as s:
            users.create_user(s, "admin", "管理员", "school_admin", PASSWORD)
            cls = student_service.create_class(s, int(TERM[:4]), 7, 1, "王老师")
            j_id = student_service.create_student(s, national_student_no=no(7), name="赵六", gender="F",
                                                  class_id=cls.id).id
        p.close()
        from growthdesk.services.offices import add_workstation
        add_workstation(j, "办公室", t / "W.json")
        j.close()
        assert main(["init-workstation", "--db", str(t / "W.db"), "--setup", str(t / "W.json")]) == 0
        (t / "F").mkdir()
        mp.setenv("GROWTHDESK_PASSWORD", PASSWORD)
        for db, login_args in (("P.db", []), ("J.db", _login("J.db")), ("W.db", []),  # W has no accounts yet
                               ("district.db", []), ("J.db", _login("J.db")), ("W.db", [])):  # accounts arrive here
            assert main(["sync", "--db", str(t / db), "--folder", str(t / "F"), *login_args]) == 0
    return t, j_id, earlier_id


@pytest.fixture()
def moved(moved_template, tmp_path, monkeypatch, capsys):
    """This test's copy of the primary school, the junior school, its workstation and the district."""
    template, j_id, earlier_id = moved_template
    _copy(template, tmp_path)
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GROWTHDESK_PASSWORD", PASSWORD)
    capsys.readouterr()
    t = Env(tmp_path)
    t.j_id, t.earlier_id = j_id, earlier_id
    return t


def _login(db: str) -> list[str]:
    """J0001's hub and workstation have accounts: every command logs in there."""
    return ["--user", "admin"] if db in ("J.db", "W.db") else []


def sync(t, capsys, db) -> dict:
    code = main(["sync", "--db", str(t / db), "--folder", str(t / "F"), "--json", *_login(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_earlier_records_and_district_catalog_reach_the_workstation(moved, capsys):
    t = moved
    with unlock_database(t / "J.db", "admin", PASSWORD) as j, j.session() as s:   # the district's first bundle reached the hub
        assert s.get(ProcessEvaluation, t.earlier_id).student_id == t.j_id
    with open_database(t / "district.db") as d, d.session(user="t") as s:
        s.add(Competition(school_code="D01", name="示例区青少年科技创新大赛", organiser="示例区教育局",
                          discipline="综合", category="科技", on_national_list=False))
    # district publish --school J0001 --out F writes into F/to-J0001, where J's hub reads.
    code = main(["district", "publish", "--db", str(t / "district.db"), "--out", str(t / "F"), "--school", "J0001",
                 "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert Path(json.loads(out)["bundles"][0]["path"]).parent == t / "F" / "to-J0001"
    res = sync(t, capsys, "J.db")
    assert "D01" in [b["sender"] for b in res["imported"]]
    assert "J0001-W01" in [s["to"] for s in res["sent"]]
    res = sync(t, capsys, "W.db")
    assert res["imported"] and res["imported"][0]["status"] == "imported", res
    with unlock_database(t / "W.db", "admin", PASSWORD) as w, w.session() as s:
        ev = s.get(ProcessEvaluation, t.earlier_id)
        assert ev is not None and ev.student_id == t.j_id and ev.school_code == "P0001"
        assert s.scalars(select(Competition.name).where(Competition.school_code == "D01")).all() == \
            ["示例区青少年科技创新大赛"]
    # Forwarded rows never travel back up: the workstation has nothing to send.
    assert sync(t, capsys, "W.db")["sent"] == []
    with unlock_database(t / "J.db", "admin", PASSWORD) as j, j.session() as s:
        assert s.scalars(select(Competition.name).where(Competition.school_code == "D01")).all() == \
            ["示例区青少年科技创新大赛"]


def test_publish_into_the_schools_inbox_itself(moved, capsys):
    """The user picked F/to-J0001 as the output folder: the bundle lands there, not deeper."""
    t = moved
    code = main(["district", "publish", "--db", str(t / "district.db"), "--out", str(t / "F" / "to-J0001"),
                 "--school", "J0001", "--full", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert Path(json.loads(out)["bundles"][0]["path"]).parent == t / "F" / "to-J0001"
    assert "D01" in [b["sender"] for b in sync(t, capsys, "J.db")["imported"]]
