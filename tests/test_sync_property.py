"""Property: whatever edits a school makes and however its bundles travel (lost for a while,
doubled, reordered), the district ends equal to the school once every bundle has arrived."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from growthdesk.db import open_database
from growthdesk.errors import GrowthDeskError
from growthdesk.models import Student
from growthdesk.sync import DUPLICATE, IMPORTED, export_bundle, import_bundle, load_receipt
from growthdesk.sync.testing import make_district_and_school, records

DIMENSIONS = ["moral", "academic", "innovation"]

op = st.one_of(
    st.tuples(st.just("grid"), st.integers(0, 7), st.integers(0, 2), st.sampled_from(["A", "B", "C", None])),
    st.tuples(st.just("rename"), st.integers(0, 7), st.sampled_from(["甲", "乙", "丙", "=SUM(1)"])),
    st.tuples(st.just("delete"), st.integers(0, 7)),
    st.tuples(st.just("export")),
    # Some bundles reach the district now (any, maybe again); the school loads the receipts,
    # which may purge acknowledged tombstones before everything has arrived.
    st.tuples(st.just("deliver"), st.lists(st.integers(0, 30), max_size=4)),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prop-template")
    district, school, _ = make_district_and_school(folder, students=8, terms=1)
    district.close()
    school.close()
    return folder


def _apply(school, action, term: str) -> None:
    from growthdesk.services import evaluations, students
    with school.session(user="teacher") as s:
        ids = list(s.scalars(select(Student.id).order_by(Student.id)))
        sid = ids[action[1] % len(ids)]
        if s.get(Student, sid).deleted:
            return
        if action[0] == "grid":
            evaluations.set_grid_level(s, student_id=sid, term_code=term, dimension=DIMENSIONS[action[2]],
                                       evaluator_role="teacher", evaluator_name="王老师", level=action[3])
        elif action[0] == "rename":
            students.update_student(s, sid, name=action[2])
        else:
            students.delete_student(s, sid)


def _deliver(district, school, path) -> None:
    res = import_bundle(district, path)
    assert res["status"] in (IMPORTED, DUPLICATE), res["reason"]
    load_receipt(school, res["receipt"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=10), data=st.data())
def test_bundles_converge_once_all_arrive(template, ops, data):
    from growthdesk.services import terms
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("district.db", "S0001.db"):
            shutil.copy(template / name, tmp / name)
        district, school = open_database(tmp / "district.db"), open_database(tmp / "S0001.db")
        try:
            term = terms.current_term_code()
            bundles = [export_bundle(school, tmp / "out")["path"]]
            for action in ops:
                if action[0] == "export":
                    bundles.append(export_bundle(school, tmp / "out")["path"])
                elif action[0] == "deliver":
                    for i in action[1]:
                        _deliver(district, school, bundles[i % len(bundles)])
                else:
                    try:
                        _apply(school, action, term)
                    except GrowthDeskError:
                        pass  # an edit the services refuse is simply not made
            bundles.append(export_bundle(school, tmp / "out")["path"])
            # First some chaos: any bundles, doubled or missing; then every bundle in any order.
            early = data.draw(st.lists(st.sampled_from(bundles), max_size=2 * len(bundles)), label="early")
            late = data.draw(st.permutations(bundles), label="late")
            for path in early + list(late):
                _deliver(district, school, path)
            # Tombstones the school purged after a receipt stay at the district as deleted rows.
            assert records(district, "S0001", live_only=True) == records(school, "S0001", live_only=True)
            mine = records(school, "S0001")
            assert {t: {k: v for k, v in rows.items() if k in mine[t]} for t, rows in
                    records(district, "S0001").items()} == mine
        finally:
            district.close()
            school.close()
