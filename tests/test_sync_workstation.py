"""Workstations (DESIGN §5.1): the hub enrolls them with a setup file, each makes its own keys,
the hub pins them from the first bundle; wrong files are refused clearly; revoke and re-enroll."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile

import pytest

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.security import open_waiting_workstation  # a workstation is encrypted before its accounts arrive
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.sync import import_bundle, nodes, sealed
from growthdesk.sync.export import export_bundle


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    t = tmp_path_factory.mktemp("ws")
    district = create_district(t / "district.db", "D01", "示例区")
    for code in ("S0001", "S0002"):
        setup = add_school(district, code, f"学校{code}", "urban", "junior")
        (t / f"{code}.json").write_text(json.dumps(setup, ensure_ascii=False), encoding="utf-8")
        create_school(t / f"{code}.db", setup).close()
    district.close()
    return t


@pytest.fixture()
def t(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for p in template.iterdir():
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def test_add_and_init_workstation(t, capsys):
    code, out, err = run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1",
                         "--out", t / "W1.json", "--json")
    assert code == 0, err
    assert json.loads(out)["node_id"] == "S0001-W01"
    assert stat.S_IMODE(os.stat(t / "W1.json").st_mode) == 0o600
    setup = json.loads((t / "W1.json").read_text(encoding="utf-8"))
    with open_database(t / "S0001.db") as hub:
        me = nodes.identity(hub)
        assert setup["parent"]["sign_public"] == me.keys.sign_public
        assert hub.settings["node_sign_key"] not in json.dumps(setup)
        assert [(p["node_id"], p["status"]) for p in nodes.list_peers(hub) if p["relation"] == "child"] == \
            [("S0001-W01", "pending")]
    code, out, err = run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "初一办公室",
                         "--out", t / "W2.json", "--json")
    assert json.loads(out)["node_id"] == "S0001-W02"
    code, out, err = run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1.json", "--json")
    assert code == 0, err
    with open_waiting_workstation(t / "W1.db") as ws:
        st = ws.settings
        assert (ws.kind, ws.school_code, st["node_id"], st["node_role"], st["parent_node_id"]) == \
            ("school", "S0001", "S0001-W01", "workstation", "S0001")
        assert "person_key_secret" not in st and st["node_sign_key"] != me.keys.sign_private.hex()
        assert nodes.parent(ws)["sign_public"] == me.keys.sign_public


@pytest.mark.parametrize("case", ["school-file", "other-school", "ws-file-to-init-school", "existing-other"])
def test_wrong_setup_files_are_refused_clearly(t, capsys, case):
    run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1", "--out", t / "W1.json")
    run(capsys, "school", "add-workstation", "--db", t / "S0002.db", "--name", "机房1", "--out", t / "X1.json")
    if case == "school-file":
        code, out, err = run(capsys, "init-workstation", "--db", t / "W.db", "--setup", t / "S0001.json")
        words = "这是学校设置文件"
    elif case == "other-school":
        code, out, err = run(capsys, "init-workstation", "--db", t / "W.db", "--setup", t / "X1.json",
                             "--school", "S0001")
        words = "另一所学校（S0002）"
    elif case == "ws-file-to-init-school":
        code, out, err = run(capsys, "init-school", "--db", t / "W.db", "--setup", t / "W1.json")
        words = "这是工作站设置文件"
    else:
        assert run(capsys, "init-workstation", "--db", t / "W.db", "--setup", t / "W1.json")[0] == 0
        before = (t / "W.db").read_bytes()
        code, out, err = run(capsys, "init-workstation", "--db", t / "W.db", "--setup", t / "X1.json")
        words = "另一所学校"
        assert (t / "W.db").read_bytes() == before
    assert code != 0 and words in err and len(err.strip().splitlines()) == 1, err
    if case != "existing-other":
        assert not (t / "W.db").exists()


def test_only_a_hub_adds_workstations(t, capsys):
    run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1", "--out", t / "W1.json")
    run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1.json")
    code, out, err = run(capsys, "school", "add-workstation", "--db", t / "W1.db", "--name", "x", "--out", t / "y.json")
    assert code != 0 and "数据库已加密" in err   # encrypted from the start: no command opens it without a login
    from growthdesk.errors import ValidationError
    from growthdesk.setup import add_workstation
    with open_waiting_workstation(t / "W1.db") as ws, pytest.raises(ValidationError, match="只有学校主机"):
        add_workstation(ws, "x")


def test_hub_pins_the_workstation_and_both_directions_are_sealed(t, capsys):
    run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1", "--out", t / "W1.json")
    run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1.json")
    F = t / "F"
    F.mkdir()
    code, out, err = run(capsys, "sync", "--db", t / "W1.db", "--folder", F, "--json")
    assert code == 0, err
    assert json.loads(out)["sent"][0]["file"] == "S0001-W01-000001.gdbundle"
    up = F / "to-S0001" / "S0001-W01-000001.gdbundle"
    with open_database(t / "S0001.db") as hub, open_waiting_workstation(t / "W1.db") as ws:
        opened = sealed.open_bundle(hub, up)   # checked and decrypted by the hub
        with zipfile.ZipFile(opened.payload) as zf:
            assert json.loads(zf.read("manifest.json"))["school_code"] == "S0001"
        sealed.accept(hub, opened)
        opened.close()
        peer = {p["node_id"]: p for p in nodes.list_peers(hub)}["S0001-W01"]
        assert (peer["status"], peer["sign_public"], peer["enrollment_open"]) == \
            ("active", nodes.identity(ws).keys.sign_public, False)
        # Down: the hub's bundle for the workstation opens only there.
        env = sealed.envelope_for(hub, "S0001-W01")
        res = export_bundle(hub, F / "to-S0001-W01", envelope=env)
        down = sealed.open_bundle(ws, res["path"])
        assert down.header["sender"] == "S0001" and down.header["recipient"] == "S0001-W01"
        down.close()
        # Another school's hub cannot read it, and refuses it as addressed elsewhere.
        with open_database(t / "S0002.db") as other:
            assert import_bundle(other, res["path"])["status"] == "rejected"


def test_revoked_workstation_is_refused_and_reenrolled(t, capsys):
    run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1", "--out", t / "W1.json")
    run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1.json")
    with open_waiting_workstation(t / "W1.db") as ws:
        first = export_bundle(ws, t / "up")
    with open_database(t / "S0001.db") as hub:
        o = sealed.open_bundle(hub, first["path"])
        sealed.accept(hub, o)
        o.close()
    code, out, err = run(capsys, "node", "revoke", "--db", t / "S0001.db", "--node", "S0001-W01")
    assert code == 0, err
    with open_waiting_workstation(t / "W1.db") as ws:
        second = export_bundle(ws, t / "up")
    with open_database(t / "S0001.db") as hub:
        res = import_bundle(hub, second["path"])
        assert res["status"] == "rejected" and "吊销" in res["reason"]["message"]
    code, out, err = run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1",
                         "--reissue", "S0001-W01", "--out", t / "W1b.json", "--json")
    assert code == 0 and json.loads(out)["node_id"] == "S0001-W01", err
    old = json.loads((t / "W1.json").read_text())["enrollment_secret"]
    assert json.loads((t / "W1b.json").read_text())["enrollment_secret"] != old
    code, out, err = run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1b.json")
    assert code == 0, err
    with open_waiting_workstation(t / "W1.db") as ws:
        third = export_bundle(ws, t / "up")
        new_key = nodes.identity(ws).keys.sign_public
    with open_database(t / "S0001.db") as hub:
        o = sealed.open_bundle(hub, third["path"])
        sealed.accept(hub, o)
        o.close()
        assert {p["node_id"]: p for p in nodes.list_peers(hub)}["S0001-W01"]["sign_public"] == new_key


def test_hub_and_workstation_through_the_sync_folder(t, capsys):
    """The whole round through one folder: the workstation enrolls, receives the school, edits
    a pupil; the edit reaches the hub; receipts go both ways (signed by the receiving node)."""
    from growthdesk.demo import fill_demo
    from growthdesk.models import Student
    from growthdesk.services import students as svc
    from growthdesk.sync.testing import FIXED_TODAY
    from sqlalchemy import select

    with open_database(t / "S0001.db") as hub:
        fill_demo(hub, students=12, terms=1, seed=2, today=FIXED_TODAY)
        with hub.engine.begin() as con:  # about the folder, not logins: with accounts every command needs --user
            con.exec_driver_sql("UPDATE school_class SET adviser_user_id = NULL")
            con.exec_driver_sql("DELETE FROM teaching_assignment")
            con.exec_driver_sql("DELETE FROM app_user")
    run(capsys, "school", "add-workstation", "--db", t / "S0001.db", "--name", "机房1", "--out", t / "W1.json")
    run(capsys, "init-workstation", "--db", t / "W1.db", "--setup", t / "W1.json")
    F = t / "F"
    F.mkdir()

    def sync(db):
        code, out, err = run(capsys, "sync", "--db", t / db, "--folder", F, "--json")
        assert code == 0, err
        return json.loads(out)

    sync("W1.db")                       # enrollment bundle up
    res = sync("S0001.db")              # pins W01, sends the school down (and to the district)
    assert [b["status"] for b in res["imported"]] == ["imported"]
    assert {s["to"] for s in res["sent"]} == {"D01", "S0001-W01"}
    res = sync("W1.db")
    assert [b["file"] for b in res["imported"]] == ["S0001-000001.gdbundle"]
    assert [r["status"] for r in res["receipts"]] == ["loaded"]
    with open_waiting_workstation(t / "W1.db") as ws, ws.session(user="teacher") as s:
        assert len(s.scalars(select(Student)).all()) == 12
        st = s.scalars(select(Student).order_by(Student.id)).first()
        svc.update_student(s, st.id, note="在工作站上核对")
        sid = st.id
    sync("W1.db")
    res = sync("S0001.db")
    assert all(b["status"] == "imported" for b in res["imported"]) and res["imported"]
    assert all(r["status"] == "loaded" for r in res["receipts"]), res["receipts"]
    with open_database(t / "S0001.db") as hub, hub.session() as s:
        assert s.get(Student, sid).note == "在工作站上核对"
