"""A school restored from an older backup (or copied back by hand) must lose nothing at the
district: no reused sequence, receipts acknowledge only what arrived, tombstones kept until their
deletion surely arrived, full bundles carry deletions, refusals say what to do (issue 13)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from growthdesk.backup import backup, restore
from growthdesk.db import open_database
from growthdesk.models import Setting, Student, SyncExport
from growthdesk.sync import IMPORTED, REJECTED, district_school_status, export_bundle, import_bundle, load_receipt
from growthdesk.sync.receipts import NEEDS_FULL, coverage, gap_texts
from growthdesk.sync.testing import make_district_and_school, records


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("restore-template")
    district, school, _ = make_district_and_school(folder, students=20, terms=1)
    district.close()
    school.close()
    return folder


@pytest.fixture()
def pair(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for name in ("district.db", "S0001.db"):
        shutil.copy(template / name, tmp_path / name)
    district, school = open_database(tmp_path / "district.db"), open_database(tmp_path / "S0001.db")
    yield district, school, tmp_path
    district.close()
    school.close()


def _students(db, deleted: bool | None = None) -> list[Student]:
    with db.session() as s:
        q = select(Student).order_by(Student.id)
        if deleted is not None:
            q = q.where(Student.deleted.is_(deleted))
        out = list(s.scalars(q))
        s.expunge_all()
    return out


def _rename(db, sid: str, name: str) -> None:
    from growthdesk.services import students

    with db.session(user="teacher") as s:
        students.update_student(s, sid, name=name)


def _delete(db, sid: str) -> None:
    from growthdesk.services import students

    with db.session(user="teacher") as s:
        students.delete_student(s, sid)


def _tombstones(db) -> int:
    """Tombstones in every travelling table (deleting a student also deletes its enrolments...)."""
    from growthdesk.sync import format as fmt

    with db.session() as s:
        return sum(s.scalar(select(func.count()).select_from(spec.table).where(spec.table.c.deleted.is_(True)))
                   for spec in fmt.SPECS)


def test_restore_then_export_delivers_the_deletion_with_a_fresh_sequence(pair):
    district, school, tmp = pair
    first = export_bundle(school, tmp / "out")
    assert import_bundle(district, first["path"])["status"] == IMPORTED
    saved = tmp / "after-1.gdbackup"
    backup(school.path, saved)
    victim, other = _students(school)[:2]
    _rename(school, other.id, "第二包改的名")
    second = export_bundle(school, tmp / "out")
    assert import_bundle(district, second["path"])["status"] == IMPORTED
    school.close()

    restore(school.path, saved)  # the school goes back to just after bundle 1
    school = open_database(tmp / "S0001.db")
    try:
        with school.session() as s:
            assert s.get(Setting, NEEDS_FULL) is not None
        _delete(school, victim.id)
        third = export_bundle(school, tmp / "out")
        # Never sequence 2 again: a fresh block, and everything (deletions too) in it.
        assert third["sequence"] >= 1002 and third["full"] and third["restarted"]
        assert third["counts"]["deletions"] >= 1
        res = import_bundle(district, third["path"])
        assert res["status"] == IMPORTED, res["reason"]
        with district.session() as s:
            assert s.get(Student, victim.id).deleted is True
            assert s.get(Student, other.id).name == "第二包改的名"  # what only the district kept stays
        status = district_school_status(district)[0]
        assert status["gaps"] == [] and status["acknowledged_sequence"] == third["sequence"]
        # The receipt acknowledges the full bundle: now, and only now, the tombstone may go.
        kept = _tombstones(school)
        assert kept >= 1
        ack = load_receipt(school, res["receipt"])
        assert ack["acknowledged_sequence"] == third["sequence"] and ack["tombstones_purged"] == kept
        assert _tombstones(school) == 0
        with school.session() as s:
            assert s.get(Setting, NEEDS_FULL) is None
        nxt = export_bundle(school, tmp / "out")
        assert nxt["sequence"] == third["sequence"] + 1 and not nxt["full"]
    finally:
        school.close()


def test_a_late_receipt_for_a_bundle_sent_before_the_restore_acknowledges_and_purges_nothing(pair):
    district, school, tmp = pair
    r1 = import_bundle(district, export_bundle(school, tmp / "out")["path"])
    assert load_receipt(school, r1["receipt"])["acknowledged_sequence"] == 1
    backup(school.path, tmp / "b0")
    victim = _students(school)[0]
    _rename(school, victim.id, "乙")
    r2 = import_bundle(district, export_bundle(school, tmp / "out")["path"])
    school.close()
    restore(school.path, tmp / "b0")
    school = open_database(tmp / "S0001.db")
    try:
        _delete(school, victim.id)
        ack = load_receipt(school, r2["receipt"])  # says "2 arrived": not this database's 2
        assert ack["tombstones_purged"] == 0 and ack["acknowledged_sequence"] == 1 and ack["full_export_next"]
        assert "备份" in ack["notes"][0]["zh"]
        assert _tombstones(school) >= 1
        with school.session() as s:
            assert s.get(Student, victim.id).deleted is True
    finally:
        school.close()


def test_a_database_copied_back_by_hand_is_refused_with_what_to_do_and_nothing_is_purged(pair):
    district, school, tmp = pair
    assert import_bundle(district, export_bundle(school, tmp / "out")["path"])["status"] == IMPORTED
    school.close()
    shutil.copy(tmp / "S0001.db", tmp / "copy.db")  # no restore command: nothing marks the copy
    school = open_database(tmp / "S0001.db")
    victim, other = _students(school)[:2]
    _rename(school, other.id, "甲")
    assert import_bundle(district, export_bundle(school, tmp / "out")["path"])["status"] == IMPORTED
    school.close()
    shutil.copy(tmp / "copy.db", tmp / "S0001.db")
    school = open_database(tmp / "S0001.db")
    try:
        _delete(school, victim.id)
        again = export_bundle(school, tmp / "out2")
        assert again["sequence"] == 2
        refused = import_bundle(district, again["path"])
        assert refused["status"] == REJECTED
        assert "完整导出" in refused["reason"]["zh"] and "full export" in refused["reason"]["en"]
        assert refused["receipt"]  # the school is told, in a signed receipt
        # The school sends another incremental bundle before reading that receipt: the district
        # imports it but cannot count it as following its own bundle 2.
        third = export_bundle(school, tmp / "out2")
        r3 = import_bundle(district, third["path"])
        assert r3["status"] == IMPORTED, r3["reason"]
        assert district_school_status(district)[0]["acknowledged_sequence"] == 2
        for receipt in (refused["receipt"], r3["receipt"]):
            ack = load_receipt(school, receipt)
            assert ack["tombstones_purged"] == 0
        kept = _tombstones(school)
        assert kept >= 1 and ack["full_export_next"]
        full = export_bundle(school, tmp / "out2")
        assert full["full"] and full["sequence"] > 1000
        res = import_bundle(district, full["path"])
        assert res["status"] == IMPORTED, res["reason"]
        with district.session() as s:
            assert s.get(Student, victim.id).deleted is True
        assert load_receipt(school, res["receipt"])["tombstones_purged"] == kept
    finally:
        school.close()


def test_full_export_carries_tombstones(pair):
    district, school, tmp = pair
    assert import_bundle(district, export_bundle(school, tmp / "out")["path"])["status"] == IMPORTED
    victim = _students(school)[0]
    _delete(school, victim.id)
    export_bundle(school, tmp / "lost")  # never arrives
    full = export_bundle(school, tmp / "out", full=True)
    assert full["counts"]["deletions"] == _tombstones(school) >= 1
    assert import_bundle(district, full["path"])["status"] == IMPORTED
    assert records(district, "S0001") == records(school, "S0001")


def test_export_history_is_recorded_with_the_file_hash(pair):
    _, school, tmp = pair
    res = export_bundle(school, tmp / "out")
    import hashlib
    with school.session() as s:
        row = s.get(SyncExport, ("D01", res["sequence"]))
        assert row.file_sha256 == hashlib.sha256(Path(res["path"]).read_bytes()).hexdigest()
        assert (row.usn_from, row.usn_to, row.full) == (res["usn_from"], res["usn_to"], False)


def test_gaps_are_ranges_and_a_huge_sequence_costs_nothing():
    from datetime import datetime

    at = datetime(2026, 11, 1)
    entries = [(1, False, 10, at, "imported", 0, "a"), (2, False, 20, at, "imported", 10, "b"),
               (1_000_000_000, False, 30, at, "imported", 25, "c"), (1_000_000_002, False, 40, at, "imported", 30, "d")]
    cov = coverage(entries)
    assert cov["gaps"] == [[3, 999_999_999], [1_000_000_001, 1_000_000_001]]
    assert cov["acknowledged_sequence"] == 2 and cov["acknowledged_sha256"] == "b"
    assert gap_texts(cov["gaps"]) == ["3–999999999", "1000000001"]
    assert gap_texts([[i, i] for i in range(1, 40, 2)], limit=3)[-1].startswith("…（共 20 段")
    # A bundle that does not start where the last one ended does not continue the chain.
    broken = [(1, False, 10, at, "imported", 0, "a"), (2, False, 20, at, "imported", 15, "b")]
    assert coverage(broken)["acknowledged_sequence"] == 1
    assert json.dumps(cov)  # receipts and --json carry it as it is


def test_stats_pdf_and_school_list_survive_huge_and_many_gaps(tmp_path):
    """A jump of ~240 crashed ``stats --pdf`` (one number per missing bundle in a table cell); a
    signed bundle numbered 1,000,000,000 made the school list take memory for every number."""
    import pypdf

    from growthdesk.models import ImportLog
    from growthdesk.stats.export import write_pdf
    from growthdesk.stats.filters import Filters
    from growthdesk.stats.report import build_report
    from growthdesk.stats.sample import TERM, create_sample_district
    from datetime import datetime

    now = datetime(2026, 1, 10)
    db, _ = create_sample_district(tmp_path / "d.db", now)
    try:
        with db.session(user="t") as s:
            for seq in [5, 250, 1_000_000_000] + list(range(1_000_000_002, 1_000_000_040, 2)):
                s.add(ImportLog(school_code="U2", sequence=seq, file_name=f"U2-{seq}.gdbundle.zip", imported_at=now,
                                result="imported", counts_json='{"usn_to": 1}'))
        with db.session() as s:
            report = build_report(s, Filters(term=TERM), now=datetime(2026, 1, 10, 12))
        row = next(r for r in report["schools"] if r["school_code"] == "U2")
        assert row["gaps"][:3] == ["2", "4", "6–249"] and row["gaps"][-1].startswith("…（共")
        reader = pypdf.PdfReader(write_pdf(report, tmp_path / "stats.pdf"))
        assert "6–249" in "".join(p.extract_text() for p in reader.pages).replace("\n", "")  # a cell may wrap
    finally:
        db.close()


def test_a_signed_bundle_numbered_one_billion_is_a_gap_range_not_a_billion_numbers(pair):
    import resource

    from growthdesk.sync.testing import repack
    from growthdesk.stats.schools import school_list

    district, school, tmp = pair
    with school.session() as s:
        from growthdesk.models import School
        key = s.get(School, "S0001").sync_key
    first = export_bundle(school, tmp / "out")
    assert import_bundle(district, first["path"])["status"] == IMPORTED
    nxt = export_bundle(school, tmp / "out")

    def huge(m):
        m["sequence"] = 1_000_000_000

    big = repack(Path(nxt["path"]), tmp / "S0001-1000000000.gdbundle.zip", key, manifest_edit=huge)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res = import_bundle(district, big)
    assert res["status"] == IMPORTED, res["reason"]
    assert res["gaps"] == [[2, 999_999_999]]
    with district.session() as s:
        row = next(r for r in school_list(s) if r["school_code"] == "S0001")
    assert row["gaps"] == ["2–999999999"] and row["behind"]
    assert district_school_status(district)[0]["gaps"] == [[2, 999_999_999]]
    later = import_bundle(district, export_bundle(school, tmp / "out")["path"])  # sequence 3: still imports
    assert later["status"] == IMPORTED and later["gaps"] == [[2, 2], [4, 999_999_999]]
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200_000  # a list of a billion numbers would need tens of GB
