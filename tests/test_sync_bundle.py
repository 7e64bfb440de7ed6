"""Bundles end to end on small real databases: round trip, incremental changes, tombstones,
duplicates, replays, order, gaps, dry run, receipts, formula-like text."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from growthdesk.db import open_database
from growthdesk.models import ImportLog, ProcessEvaluation, Student, SyncState
from growthdesk.sync import (DUPLICATE, IMPORTED, district_school_status, export_bundle, import_bundle,
                             load_receipt)
from growthdesk.sync import format as fmt
from growthdesk.sync.testing import make_district_and_school, records, table_checksums


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A district, a 60-student demo school and its first bundle, made once and copied per test."""
    folder = tmp_path_factory.mktemp("sync-template")
    district, school, setup = make_district_and_school(folder, students=60)
    export_bundle(school, folder / "out", user="t")
    district.close()
    school.close()
    (folder / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    return folder


@pytest.fixture()
def pair(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for name in ("district.db", "S0001.db"):
        shutil.copy(template / name, tmp_path / name)
    shutil.copytree(template / "out", tmp_path / "out")
    district, school = open_database(tmp_path / "district.db"), open_database(tmp_path / "S0001.db")
    yield district, school, tmp_path
    district.close()
    school.close()


def bundle1(tmp_path: Path) -> Path:
    return tmp_path / "out" / fmt.bundle_name("S0001", 1)


def edit_school(school, name: str) -> tuple[str, str]:
    """Rename one student and soft-delete one evaluation through the services; returns their ids."""
    from growthdesk.services import evaluations, students

    with school.session(user="teacher") as s:
        st = s.scalars(select(Student).where(Student.deleted.is_(False)).order_by(Student.id)).first()
        students.update_student(s, st.id, name=name)
        ev = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.deleted.is_(False))
                       .order_by(ProcessEvaluation.id)).first()
        evaluations.delete_process_evaluation(s, ev.id)
    return st.id, ev.id


def test_round_trip_copies_every_record_without_the_national_number(pair):
    district, school, tmp = pair
    res = import_bundle(district, bundle1(tmp), user="district")
    assert res["status"] == IMPORTED, res["reason"]
    assert records(district, "S0001") == records(school, "S0001")
    inserted = sum(c["inserted"] for c in res["counts"].values())
    assert inserted == sum(len(v) for v in records(school, "S0001").values()) > 500
    with district.session() as s:
        assert s.scalar(select(func.count()).select_from(Student).where(Student.national_student_no.is_not(None))) == 0
        assert s.scalar(select(func.count()).select_from(Student).where(func.length(Student.person_key) == 64)) == 60
    with zipfile.ZipFile(bundle1(tmp)) as zf:
        assert "national_student_no" not in zf.read("student.csv").decode("utf-8")


def test_same_bundle_twice_changes_nothing(pair):
    district, school, tmp = pair
    assert import_bundle(district, bundle1(tmp))["status"] == IMPORTED
    before = table_checksums(district)
    again = import_bundle(district, bundle1(tmp))
    assert again["status"] == DUPLICATE and "already imported" in again["reason"]["en"]
    assert table_checksums(district) == before
    with district.session() as s:
        assert [r.result for r in s.scalars(select(ImportLog).order_by(ImportLog.id))] == ["imported", "duplicate"]


def test_incremental_bundle_carries_changes_and_tombstones(pair):
    district, school, tmp = pair
    import_bundle(district, bundle1(tmp))
    sid, eid = edit_school(school, "改名同学")
    res2 = export_bundle(school, tmp / "out")
    # The changes, plus the unchanged rows they refer to (the tombstone's student and class).
    assert res2["sequence"] == 2 and res2["counts"]["deletions"] == 1 and res2["rows"] <= 6
    out = import_bundle(district, res2["path"])
    assert out["status"] == IMPORTED, out["reason"]
    assert out["counts"]["student"]["updated"] == 1
    assert out["counts"]["school_class"]["updated"] == 0
    assert out["counts"]["process_evaluation"]["deleted"] == 1
    with district.session() as s:
        assert s.get(Student, sid).name == "改名同学"
        assert s.get(ProcessEvaluation, eid).deleted is True
    assert records(district, "S0001") == records(school, "S0001")


def test_old_bundle_replayed_after_a_newer_one_changes_nothing(pair):
    district, school, tmp = pair
    import_bundle(district, bundle1(tmp))
    edit_school(school, "新名字")
    import_bundle(district, export_bundle(school, tmp / "out")["path"])
    before = table_checksums(district)
    replay = import_bundle(district, bundle1(tmp))
    assert replay["status"] == DUPLICATE
    assert table_checksums(district) == before
    assert records(district, "S0001") == records(school, "S0001")


def test_out_of_order_bundles_converge(pair):
    district, school, tmp = pair
    edit_school(school, "后来的名字")
    second = export_bundle(school, tmp / "out")["path"]
    first_result = import_bundle(district, second)
    assert first_result["status"] == IMPORTED, first_result["reason"]
    assert district_school_status(district)[0]["gaps"] == [[1, 1]]
    assert import_bundle(district, bundle1(tmp))["status"] == IMPORTED
    assert records(district, "S0001") == records(school, "S0001")
    status = district_school_status(district)[0]
    assert status["gaps"] == [] and status["last_sequence"] == 2 and status["acknowledged_sequence"] == 2


def test_gap_is_reported_and_receipt_acknowledges_only_the_contiguous_part(pair):
    district, school, tmp = pair
    edit_school(school, "甲")
    second = export_bundle(school, tmp / "lost")["path"]  # this one never arrives
    edit_school(school, "乙")
    third = export_bundle(school, tmp / "out")["path"]
    assert import_bundle(district, bundle1(tmp))["status"] == IMPORTED
    r3 = import_bundle(district, third)
    assert r3["status"] == IMPORTED and r3["gaps"] == [[2, 2]]
    status = district_school_status(district)[0]
    assert status["gaps"] == [[2, 2]] and status["last_sequence"] == 3
    ack = load_receipt(school, r3["receipt"])
    assert ack["acknowledged_sequence"] == 1 and ack["gaps"] == [[2, 2]]
    with school.session() as s:
        purged_too_early = s.scalar(select(func.count()).select_from(ProcessEvaluation)
                                    .where(ProcessEvaluation.deleted.is_(True)))
    assert purged_too_early == 2  # tombstones of bundles 2 and 3 are kept: 2 never arrived
    r2 = import_bundle(district, second)
    ack = load_receipt(school, r2["receipt"])
    assert ack["acknowledged_sequence"] == 3 and ack["tombstones_purged"] == 2
    assert district_school_status(district)[0]["gaps"] == []
    assert records(district, "S0001", live_only=True) == records(school, "S0001", live_only=True)


def test_dry_run_reports_counts_and_changes_nothing(pair):
    district, school, tmp = pair
    before = table_checksums(district, skip=())
    res = import_bundle(district, bundle1(tmp), dry_run=True)
    assert res["status"] == IMPORTED and res["dry_run"] is True and res["receipt"] is None
    assert res["counts"]["student"]["inserted"] == 60
    assert table_checksums(district, skip=()) == before


def test_full_export_covers_everything_and_fills_earlier_gaps(pair):
    district, school, tmp = pair
    edit_school(school, "丙")
    export_bundle(school, tmp / "lost")
    full = export_bundle(school, tmp / "out", full=True)
    assert full["sequence"] == 3 and full["usn_from"] == 0
    res = import_bundle(district, full["path"])
    assert res["status"] == IMPORTED, res["reason"]
    assert records(district, "S0001") == records(school, "S0001")
    status = district_school_status(district)[0]
    assert status["gaps"] == [] and status["acknowledged_sequence"] == 3


def test_receipt_updates_sync_state_and_refuses_tampering(pair):
    district, school, tmp = pair
    res = import_bundle(district, bundle1(tmp))
    receipt = Path(res["receipt"])
    doc = json.loads(receipt.read_text(encoding="utf-8"))
    doc["acknowledged_sequence"] = 9
    forged = tmp / "forged.json"
    forged.write_text(json.dumps(doc), encoding="utf-8")
    from growthdesk.errors import ValidationError
    with pytest.raises(ValidationError, match="signature"):
        load_receipt(school, forged)
    out = load_receipt(school, receipt)
    assert out["acknowledged_sequence"] == 1
    with school.session() as s:
        state = s.get(SyncState, "S0001")
        assert state.acknowledged_sequence == 1 and state.acknowledged_usn == doc["usn_to"] > 0


def test_nothing_new_gives_an_empty_bundle_and_the_next_sequence(pair):
    district, school, tmp = pair
    res = export_bundle(school, tmp / "out")
    assert res["sequence"] == 2 and res["rows"] == 0
    assert import_bundle(district, res["path"])["status"] == IMPORTED


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_cells_stay_text_and_are_not_formulas_in_a_sheet(pair, text):
    from openpyxl import load_workbook

    from growthdesk.services import students
    from growthdesk.sheets.writer import write_table_workbook

    district, school, tmp = pair
    with school.session(user="t") as s:
        st = s.scalars(select(Student).order_by(Student.id)).first()
        students.update_student(s, st.id, note=text)
        sid = st.id
    import_bundle(district, bundle1(tmp))
    res = import_bundle(district, export_bundle(school, tmp / "out")["path"])
    assert res["status"] == IMPORTED, res["reason"]
    with district.session() as s:
        stored = s.get(Student, sid).note
    assert stored == text
    path = write_table_workbook(tmp / "x.xlsx", [("学生", ["备注"], [[stored]])])
    cell = load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.value == text  # a string cell, never a formula


def test_unique_clash_from_a_missing_bundle_is_rejected_cleanly_then_resolves(pair):
    from growthdesk.services import students

    district, school, tmp = pair
    with school.session(user="t") as s:
        old_id = students.create_class(s, 2026, 9, 7).id
    b2 = export_bundle(school, tmp / "out")["path"]
    with school.session(user="t") as s:
        students.delete_class(s, old_id)
    b3 = export_bundle(school, tmp / "out")["path"]
    with school.session(user="t") as s:
        students.create_class(s, 2026, 9, 7)  # the same class number again, a new record
    b4 = export_bundle(school, tmp / "out")["path"]
    for path in (bundle1(tmp), b2):
        assert import_bundle(district, path)["status"] == IMPORTED
    before = table_checksums(district)
    early = import_bundle(district, b4)  # the deletion (b3) has not arrived: two live 初三(7)班
    assert early["status"] == "rejected" and "constraint" in early["reason"]["en"]
    assert table_checksums(district) == before
    assert import_bundle(district, b3)["status"] == IMPORTED
    assert import_bundle(district, b4)["status"] == IMPORTED
    assert records(district, "S0001") == records(school, "S0001")


def test_evidence_files_travel_only_when_asked_and_are_checked(pair):
    from growthdesk.paths import evidence_dir
    from growthdesk.services import evidence
    from growthdesk.sync.testing import repack

    district, school, tmp = pair
    photo = tmp / "证书.png"
    photo.write_bytes(b"\x89PNG fake certificate " * 100)
    with school.session(user="t") as s:
        st = s.scalars(select(Student).order_by(Student.id)).first()
        ev = evidence.attach_file(s, school, owner_type="student", owner_id=st.id, file_path=photo, kind="certificate")
        sha = ev.sha256
    with_files = export_bundle(school, tmp / "out", with_evidence=True)
    assert with_files["evidence_files"] == 1
    with zipfile.ZipFile(with_files["path"]) as zf:
        assert f"files/{sha}" in zf.namelist()
    with zipfile.ZipFile(bundle1(tmp)) as zf:  # exported without --with-evidence
        assert not [n for n in zf.namelist() if n.startswith("files/")]
    from growthdesk.setup import school_sync_key
    key = school_sync_key(school)
    forged = repack(Path(with_files["path"]), tmp / "forged.zip", key,
                    edit=lambda name, data: b"another picture" if name == f"files/{sha}" else None)
    import_bundle(district, bundle1(tmp))
    before = table_checksums(district)
    bad = import_bundle(district, forged)
    assert bad["status"] == "rejected" and "evidence" in bad["reason"]["en"]
    assert table_checksums(district) == before
    ok = import_bundle(district, with_files["path"])
    assert ok["status"] == IMPORTED, ok["reason"]
    stored = evidence_dir(district.path) / sha[:2] / sha
    assert stored.read_bytes() == photo.read_bytes()
