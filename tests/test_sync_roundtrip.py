"""Round trip of a 2,000-student demo school into an empty district, compared record by record."""

from __future__ import annotations


import pytest

from growthdesk.sync import IMPORTED, export_bundle, import_bundle
from growthdesk.sync.testing import make_district_and_school, records

pytestmark = pytest.mark.slow  # demo data + export + import of ≈46k rows: 10–30 s on 2 cores


def test_two_thousand_students_round_trip_record_by_record(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path, students=2000, terms=4)
    try:
        exported = export_bundle(school, tmp_path / "out", with_evidence=True)
        res = import_bundle(district, exported["path"])
        assert res["status"] == IMPORTED, res["reason"]
        want, got = records(school, "S0001"), records(district, "S0001")
        for table in want:
            assert len(got[table]) == len(want[table]), table
            for rid, row in want[table].items():
                assert got[table].get(rid) == row, (table, rid)
        assert sum(len(v) for v in want.values()) == exported["rows"] > 40_000
        assert sum(c["inserted"] for c in res["counts"].values()) == exported["rows"]
    finally:
        district.close()
        school.close()
