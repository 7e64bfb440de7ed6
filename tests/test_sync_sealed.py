"""Format 2 (DESIGN §5.1): sealed bundles, enrollment with a one-time secret, revocation,
re-enrollment, person_key derived at the district, format 1 still read and said so."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.models import ImportLog, Student, SyncPeer
from growthdesk.services.students import person_key
from growthdesk.setup import add_school, create_district, create_school, enroll_school, reissue_school_setup
from growthdesk.sync import REJECTED, export_bundle, import_bundle, load_receipt, nodes, sealed
from growthdesk.sync.keys import NodeKeys
from growthdesk.sync.testing import FIXED_TODAY
from tests.cli_login import open_as
from tests.dbdump import dump


def _fill(school, students=30, seed=1):
    from growthdesk.demo import fill_demo
    fill_demo(school, students=students, terms=2, seed=seed, today=FIXED_TODAY)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A district and a format-2 school with 30 students; two bundles exported, none imported."""
    folder = tmp_path_factory.mktemp("sealed")
    district = create_district(folder / "district.db", "D01", "示例区")
    setup = add_school(district, "S0001", "示例市第一中学", "urban", "junior")
    (folder / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    school = create_school(folder / "S0001.db", setup)
    _fill(school)
    export_bundle(school, folder / "out")
    from growthdesk.services import students
    with school.session(user="t") as s:
        for st in s.scalars(select(Student).order_by(Student.id).limit(3)):
            students.update_student(s, st.id, note="已核对")
    export_bundle(school, folder / "out")
    district.close()
    school.close()
    return folder


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for name in ("district.db", "S0001.db", "setup.json"):
        shutil.copy(template / name, tmp_path / name)
    shutil.copytree(template / "out", tmp_path / "out")
    district, school = open_database(tmp_path / "district.db"), open_database(tmp_path / "S0001.db")
    yield district, school, tmp_path
    district.close()
    school.close()


def _b(tmp, n):
    return tmp / "out" / f"S0001-{n:06d}.gdbundle"


def _dump(db) -> list[str]:
    """The whole database as SQL, less the import log (a refusal is logged there on purpose)."""
    return [line for line in dump(db) if not line.startswith('INSERT INTO "import_log"')]


def assert_refused(db, path: Path, *words: str) -> dict:
    before = _dump(db)
    res = import_bundle(db, path, user="tester")
    assert res["status"] == REJECTED, res
    for w in words:
        assert w in res["reason"]["message"], res["reason"]["message"]
    assert res["reason"]["zh"] and res["reason"]["en"]
    assert _dump(db) == before
    return res


def test_sealed_bundle_reveals_nothing_without_the_recipients_key(env):
    district, school, tmp = env
    data = _b(tmp, 1).read_bytes()
    assert data[:8] == sealed.MAGIC and not zipfile.is_zipfile(_b(tmp, 1))
    with school.session() as s:
        people = list(s.execute(select(Student.name, Student.national_student_no)))
    assert len(people) == 30
    for name, no in people:
        assert name.encode("utf-8") not in data and no.encode() not in data
    for secret in (school.settings["node_sign_key"], school.settings["node_box_key"]):
        assert secret.encode() not in data and bytes.fromhex(secret) not in data
    # The header says who and to whom, and nothing else readable.
    with open(_b(tmp, 1), "rb") as fh:
        header, _ = sealed.read_header(fh, len(data))
    assert (header["sender"], header["recipient"], header["sequence"], header["kind"]) == ("S0001", "D01", 1, "changes")
    # Another node (a second district with its own keys) cannot open it even if it pretends to be D01.
    other = create_district(tmp / "other.db", "D01", "冒充区")
    with district.session() as s:
        enroll_key = s.get(SyncPeer, "S0001").enroll_key
    with other.session() as s:
        s.add(SyncPeer(node_id="S0001", relation="child", role="hub", status="pending", received_sequence=0,
                       enroll_key=enroll_key))
    assert_refused(other, _b(tmp, 1), "无法解密")
    other.close()


def test_first_bundle_enrolls_the_school_and_person_key_is_made_at_the_district(env):
    district, school, tmp = env
    with district.session() as s:
        peer = s.get(SyncPeer, "S0001")
        assert (peer.status, peer.sign_public, bool(peer.enroll_key)) == ("pending", "", True)
    res = import_bundle(district, _b(tmp, 1), user="tester")
    assert res["status"] == "imported" and res["format"] == 2 and "notice" not in res, res
    me = nodes.identity(school)
    with district.session() as s:
        peer = s.get(SyncPeer, "S0001")
        assert (peer.status, peer.sign_public, peer.box_public, peer.enroll_key) == \
            ("active", me.keys.sign_public, me.keys.box_public, "")
        rows = list(s.execute(select(Student.person_key, Student.national_student_no)))
    with school.session() as s:
        numbers = set(s.scalars(select(Student.national_student_no)))
    secret = district.settings["person_key_secret"]
    assert {pk for pk, _ in rows} == {person_key(secret, no) for no in numbers}
    assert all(no is None for _, no in rows)
    raw = Path(district.path).read_bytes()
    assert not any(no.encode() in raw for no in numbers)
    # The receipt is signed with the district's Ed25519 key; loading it confirms the enrollment.
    assert "signature_ed25519" in json.loads(Path(res["receipt"]).read_text(encoding="utf-8"))
    load_receipt(school, res["receipt"])
    assert nodes.parent(school)["confirmed"] and not nodes.parent(school)["enrollment_open"]
    assert import_bundle(district, _b(tmp, 2))["status"] == "imported"
    assert import_bundle(district, _b(tmp, 1))["status"] == "already imported"


def test_tampered_truncated_and_relabelled_bundles_are_refused(env):
    district, school, tmp = env
    good = _b(tmp, 1).read_bytes()
    cases = {
        "flip.gdbundle": good[:len(good) // 2] + bytes([good[len(good) // 2] ^ 1]) + good[len(good) // 2 + 1:],
        "cut.gdbundle": good[:-100],
        "cut-sig.gdbundle": good[:-64],
        "header.gdbundle": good.replace(b'"sequence":1', b'"sequence":7', 1),
        "empty.gdbundle": b"",
        "magic.gdbundle": b"PK\x03\x04" + good[4:],
    }
    words = {"flip": "签名不符", "cut": "签名不符", "cut-sig": "截断", "header": "签名不符", "empty": "不是 GrowthDesk",
             "magic": "不是"}
    for name, data in cases.items():
        path = tmp / name
        path.write_bytes(data)
        assert_refused(district, path, words[name.split(".")[0]])
    assert import_bundle(district, _b(tmp, 1))["status"] == "imported"  # the real one still goes in


def test_forged_bundle_with_another_key_is_refused(env):
    """Someone with the setup file's secret but not the school's key: the forged first bundle
    presents its own keys; once the real school has enrolled, any other key is refused."""
    district, school, tmp = env
    assert import_bundle(district, _b(tmp, 1))["status"] == "imported"
    thief = create_school(tmp / "thief.db", json.loads((tmp / "setup.json").read_text(encoding="utf-8")))
    _fill(thief, students=5, seed=9)
    forged = export_bundle(thief, tmp / "forged")
    assert forged["file"] == "S0001-000001.gdbundle"
    res = assert_refused(district, Path(forged["path"]), "另一把密钥")
    assert res["sender"] == "S0001"
    # A bundle sealed with a fresh key and no enrollment block, claiming to be S0001.
    fake = nodes.Identity("S0001", "hub", "D01", NodeKeys.generate())
    with open(tmp / "setup.json", "rb") as src, open(tmp / "fake.gdbundle", "wb") as out:
        sealed.seal(src, out, me=fake, recipient="D01", recipient_box_public=nodes.identity(district).keys.box_public,
                    sequence=5)
    assert_refused(district, tmp / "fake.gdbundle", "签名不符")
    thief.close()


def test_wrong_recipient_and_unknown_sender(env):
    district, school, tmp = env
    d2 = create_district(tmp / "d2.db", "D02", "另一个区")
    assert_refused(d2, _b(tmp, 1), "发给另一个节点", "D01")
    d2.close()
    # A school this district never registered.
    setup = add_school(district, "S0009", "九中", "town", "junior")
    stranger = create_school(tmp / "S0009.db", setup)
    with district.session() as s:
        s.delete(s.get(SyncPeer, "S0009"))
    res = export_bundle(stranger, tmp / "s9")
    assert_refused(district, Path(res["path"]), "不是本节点的上级，也不是已登记的下级")
    stranger.close()


def test_wrong_enrollment_secret_is_refused(env):
    district, school, tmp = env
    setup = json.loads((tmp / "setup.json").read_text(encoding="utf-8"))
    setup["enrollment_secret"] = "ab" * 32
    other = create_school(tmp / "other.db", setup)
    res = export_bundle(other, tmp / "o")
    assert_refused(district, Path(res["path"]), "加入凭证不符")
    other.close()


def test_revoke_then_reenroll_with_new_keys(env, capsys, monkeypatch):
    district, school, tmp = env
    monkeypatch.setenv("GROWTHDESK_PASSWORD", "demo1234")  # the demo school has accounts: its admin enrolls
    assert import_bundle(district, _b(tmp, 1))["status"] == "imported"
    shutil.copy(tmp / "S0001.db", tmp / "stolen.db")  # the thief's copy of the PC, keys included
    assert main(["node", "revoke", "--db", str(tmp / "district.db"), "--node", "S0001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "revoked"
    assert_refused(district, _b(tmp, 2), "吊销")
    # Re-enroll: the district re-issues the setup file; the school takes it and makes new keys.
    code = main(["district", "add-school", "--db", str(tmp / "district.db"), "--code", "S0001", "--reissue",
                 "--out", str(tmp / "S0001-new.json")])
    assert code == 0, capsys.readouterr().err
    old_key = nodes.identity(school).keys.sign_public
    school.close()
    assert main(["node", "enroll", "--db", str(tmp / "S0001.db"), "--setup", str(tmp / "S0001-new.json"),
                 "--user", "admin"]) == 0
    capsys.readouterr()
    school = open_as(tmp / "S0001.db", "admin", "demo1234")  # encrypted at that first login
    assert nodes.identity(school).keys.sign_public != old_key
    res = export_bundle(school, tmp / "out2")
    assert res["sequence"] == 3 and import_bundle(district, res["path"])["status"] == "imported"
    with district.session() as s:
        assert s.get(SyncPeer, "S0001").sign_public == nodes.identity(school).keys.sign_public
    # The stolen copy still has the old key: its bundles are refused, with or without the old secret.
    thief = open_database(tmp / "stolen.db")
    stolen = export_bundle(thief, tmp / "out3")
    assert_refused(district, Path(stolen["path"]), "另一把密钥")
    thief.close()
    school.close()


def test_format1_bundle_still_accepted_and_says_so(tmp_path, capsys):
    district = create_district(tmp_path / "d.db", "D01", "示例区")
    setup = add_school(district, "S0001", "一中", "urban", "junior", legacy=True)
    school = create_school(tmp_path / "s.db", setup)
    _fill(school, students=5)
    res = export_bundle(school, tmp_path / "out")
    assert res["file"] == "S0001-000001.gdbundle.zip" and res["format"] == 1
    district.close()
    school.close()
    code = main(["bundle", "import", "--db", str(tmp_path / "d.db"), res["path"], "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["bundles"][0]["status"] == "imported" and out["bundles"][0]["format"] == 1
    assert out["bundles"][0]["notice"]["zh"] == "格式1数据包，下一版本将不再接受"
    assert "格式1数据包，下一版本将不再接受" in out["notice"]["message"]
    # Upgrading that school: a re-issued setup (format 2); afterwards its format-1 bundles are refused.
    district = open_database(tmp_path / "d.db")
    new = reissue_school_setup(district, "S0001")
    school = open_database(tmp_path / "s.db")
    enroll_school(school, new)
    assert "person_key_secret" not in school.settings
    sealed_res = export_bundle(school, tmp_path / "out")
    assert sealed_res["file"] == "S0001-000002.gdbundle"
    assert import_bundle(district, sealed_res["path"])["status"] == "imported"
    assert list((tmp_path / "out").glob("*.gdbundle.zip")) == [tmp_path / "out" / "S0001-000001.gdbundle.zip"]
    with district.session() as s:
        assert s.scalars(select(ImportLog.result).order_by(ImportLog.id)).all() == ["imported", "imported"]
    district.close()
    school.close()


def test_dry_run_of_a_sealed_bundle_changes_nothing(env, capsys):
    district, school, tmp = env
    before = dump(district)
    code = main(["bundle", "import", "--db", str(tmp / "district.db"), str(_b(tmp, 1)), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["bundles"][0]["status"] == "imported" and out["bundles"][0]["dry_run"]
    assert out["bundles"][0]["counts"]["student"]["inserted"] == 30
    assert dump(district) == before   # not even the enrollment is pinned by a dry run
    assert not list((tmp / "out").glob("*.receipt.json"))
