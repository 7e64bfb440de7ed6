"""A workstation is a full replica: the hub's sealed bundles bring the school's accounts (password
hashes), teaching assignments, terms and rubric, so a teacher logs in on any PC; bundles to the
district never carry them (issue 11)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.models import TeachingAssignment, Term, User
from growthdesk.setup import add_school, create_district, create_school
from tests.cli_login import login_args, open_as


def run(capsys, *argv):
    """The command as the demo's admin where its database has accounts."""
    argv = [str(a) for a in argv]
    if "--db" in argv and argv[0] != "init-workstation":
        argv += login_args(Path(argv[argv.index("--db") + 1]), "admin")
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def t(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GROWTHDESK_PASSWORD", "demo1234")
    from growthdesk.demo import fill_demo
    from growthdesk.sync.testing import FIXED_TODAY

    district = create_district(tmp_path / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", "学校", "urban", "junior")
    district.close()
    hub = create_school(tmp_path / "S0001.db", setup)
    fill_demo(hub, students=12, terms=1, seed=2, today=FIXED_TODAY)
    hub.close()
    run(capsys, "school", "add-workstation", "--db", tmp_path / "S0001.db", "--name", "机房1", "--out",
        tmp_path / "W1.json")
    code, _, err = run(capsys, "init-workstation", "--db", tmp_path / "W1.db", "--setup", tmp_path / "W1.json")
    assert code == 0, err
    (tmp_path / "F").mkdir()
    return tmp_path


def sync(t, capsys, db):
    code, out, err = run(capsys, "sync", "--db", t / db, "--folder", t / "F", "--json")
    assert code == 0, err
    return json.loads(out)


def accounts(path):
    with open_as(path, "admin", "demo1234") as db, db.session() as s:
        users = {u.login: (u.id, u.password_hash, u.role, u.active) for u in s.scalars(select(User))}
        ta = sorted((a.user_id, a.class_id, a.subject) for a in s.scalars(select(TeachingAssignment)))
        terms = {x.code: (x.start_date, x.end_date) for x in s.scalars(select(Term))}
    return users, ta, terms


def test_the_school_reaches_the_workstation_and_a_teacher_logs_in_there(t, capsys):
    from growthdesk.services.users import authenticate, set_password

    sync(t, capsys, "W1.db")        # enrollment up
    sync(t, capsys, "S0001.db")     # pins the workstation, sends the school down
    res = sync(t, capsys, "W1.db")
    assert res["imported"] and res["imported"][0]["status"] == "imported"
    hub_users, hub_ta, hub_terms = accounts(t / "S0001.db")
    assert accounts(t / "W1.db") == (hub_users, hub_ta, hub_terms) and len(hub_users) > 3 and hub_ta
    with open_as(t / "W1.db", "admin", "demo1234") as ws, ws.session() as s:
        assert authenticate(s, "admin", "demo1234").login == "admin"
    # A password changed on the hub works on the workstation after the next sync.
    with open_as(t / "S0001.db", "admin", "demo1234") as hub, hub.session(user="admin") as s:
        teacher = s.scalars(select(User).where(User.role == "teacher").order_by(User.login)).first()
        set_password(s, teacher.id, "新密码-2026")
        login = teacher.login
    sync(t, capsys, "S0001.db")
    sync(t, capsys, "W1.db")
    with open_as(t / "W1.db", "admin", "demo1234") as ws, ws.session() as s:
        assert authenticate(s, login, "新密码-2026").login == login


def test_bundles_to_the_district_never_carry_password_hashes(t, capsys):
    from growthdesk.sync import sealed
    from growthdesk.sync.export import export_bundle

    sync(t, capsys, "W1.db")
    sync(t, capsys, "S0001.db")  # now the hub has a workstation too
    with open_as(t / "S0001.db", "admin", "demo1234") as hub:
        with hub.engine.connect() as c:
            hashes = [h for (h,) in c.execute(select(User.password_hash))]
        res = export_bundle(hub, t / "up")  # sealed to the district
    assert res["recipient"] == "D01"
    with open_database(t / "district.db") as district:
        opened = sealed.open_bundle(district, res["path"])
        try:
            with zipfile.ZipFile(opened.payload) as zf:
                assert "school.json" not in zf.namelist()
                blob = b"".join(zf.read(n) for n in zf.namelist())
        finally:
            opened.close()
    assert hashes and not any(h.encode() in blob for h in hashes)
    assert b"password" not in blob


def test_a_plain_bundle_claiming_to_be_the_hubs_brings_no_accounts(t, capsys, tmp_path):
    """Accounts come only sealed from the workstation's own hub: a plain zip (format 1) with a
    school.json naming the hub is refused, and the workstation's accounts stay as they were."""
    from growthdesk.sync import import_bundle

    sync(t, capsys, "W1.db")
    sync(t, capsys, "S0001.db")
    with open_as(t / "W1.db", "admin", "demo1234") as ws:
        before = accounts(t / "W1.db")
        from growthdesk.sync import format as fmt
        import hashlib
        data = b'{"format": "growthdesk-school-replica", "version": 1, "users": [], "teaching_assignments": [], ' \
               b'"terms": [], "rubrics": []}'
        members = {n: fmt.DELETION_COLUMNS if n == fmt.DELETIONS else None for n in fmt.csv_members()}
        bad = tmp_path / "S0001-to-S0001-W01-000009.gdbundle.zip"
        with zipfile.ZipFile(bad, "w") as zf:
            files = {}
            for name in members:
                spec = next((x for x in fmt.SPECS if x.csv_name == name), None)
                body = (",".join(spec.names if spec else fmt.DELETION_COLUMNS) + "\r\n").encode()
                zf.writestr(name, body)
                files[name] = {"rows": 0, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                               "table": spec.name if spec else ""}
            zf.writestr("school.json", data)
            manifest = json.dumps({"format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION, "school_code": "S0001",
                                   "node": "S0001", "district_code": "D01", "sequence": 9, "full": False,
                                   "usn_from": 0, "usn_to": 0, "files": files, "evidence": {},
                                   "extras": {"school.json": {"bytes": len(data),
                                                              "sha256": hashlib.sha256(data).hexdigest()}}}).encode()
            zf.writestr(fmt.MANIFEST, manifest)
            zf.writestr(fmt.SIGNATURE, "0" * 64)
        res = import_bundle(ws, bad)
        assert res["status"] == "rejected"
    assert accounts(t / "W1.db") == before
