"""The same bundles give the same district on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from growthdesk.setup import create_district
from growthdesk.sync import DUPLICATE, IMPORTED, REJECTED, export_bundle, import_bundle
from growthdesk.sync.testing import edit_csv, make_district_and_school, records, register_school, repack, \
    table_checksums

pytestmark = pytest.mark.postgres


def _rename_and_delete(school):
    from sqlalchemy import select

    from growthdesk.models import ProcessEvaluation, Student
    from growthdesk.services import evaluations, students
    with school.session(user="t") as s:
        st = s.scalars(select(Student).order_by(Student.id)).first()
        students.update_student(s, st.id, name="林同学", note="=1+1")
        ev = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.deleted.is_(False))
                       .order_by(ProcessEvaluation.id)).first()
        evaluations.delete_process_evaluation(s, ev.id)


def test_same_import_same_result_on_sqlite_and_postgresql(tmp_path, postgres_db, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    lite, school, setup = make_district_and_school(tmp_path, students=40)
    pg = create_district(postgres_db, "D01", "示例区")
    register_school(pg, setup)
    try:
        b1 = export_bundle(school, tmp_path / "out")["path"]
        _rename_and_delete(school)
        b2 = export_bundle(school, tmp_path / "out")["path"]
        bad = repack(b2, tmp_path / "bad.zip", setup["sync_key"],
                     edit=edit_csv("student.csv", lambda rows: rows[1].__setitem__(rows[0].index("gender"), "X")))
        outcomes = {}
        for name, db in (("sqlite", lite), ("postgresql", pg)):
            # Out of order, a duplicate and a bad one: the same answers on both.
            before = table_checksums(db)
            rejected = import_bundle(db, bad)
            assert rejected["status"] == REJECTED and table_checksums(db) == before
            runs = [import_bundle(db, p) for p in (b2, b1, b2)]
            outcomes[name] = [(r["status"], r["counts"]) for r in runs] + [rejected["reason"]["en"]]
            assert [r["status"] for r in runs] == [IMPORTED, IMPORTED, DUPLICATE]
        assert outcomes["sqlite"] == outcomes["postgresql"]
        assert records(pg, "S0001") == records(lite, "S0001") == records(school, "S0001")
    finally:
        pg.close()
        lite.close()
        school.close()
