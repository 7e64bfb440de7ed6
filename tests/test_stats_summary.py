"""Summary tables give exactly the on-the-fly statistics, for every filter, and are never used
once the data changed after they were built."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from growthdesk.models import ProcessEvaluation
from growthdesk.stats import queries as q
from growthdesk.stats import summary
from growthdesk.stats.filters import Filters
from growthdesk.stats.report import summary_state
from growthdesk.stats.sample import PREV, TERM, create_sample_district
from growthdesk.stats.scoring import load_rubric

NOW = datetime(2026, 1, 10, 12, 0)
KINDS = {"evaluation_coverage": q.evaluation_coverage, "score_distribution": q.score_distribution,
         "value_added": q.value_added}
VIEWS = [Filters(term=TERM), Filters(), Filters(term=PREV), Filters(term=TERM, stage="junior"),
         Filters(term=TERM, stage="primary", category="urban"), Filters(term=TERM, category="rural"),
         Filters(term=TERM, school="U2"), Filters(term=PREV, school="U1"), Filters(term=TERM, school="T1", stage="junior")]


def _all(db):
    with db.session() as s:
        return {(name, f): fn(s, f) for name, fn in KINDS.items() for f in VIEWS}


@pytest.fixture()
def district(tmp_path):
    db, _ = create_sample_district(tmp_path / "d.db", NOW)
    yield db
    db.close()


def test_summary_answers_match_on_the_fly_statistics(district):
    expected = _all(district)
    with district.session() as s:
        assert summary.refresh(s) == [TERM, PREV]
    with district.session() as s:
        assert summary.refresh(s) == []                      # nothing changed: nothing to redo
        assert summary.refresh(s, [PREV], force=True) == [PREV]
    with district.session() as s:
        rubric = load_rubric(s)
        assert summary.is_fresh(s, TERM, rubric) and summary.is_fresh(s, PREV, rubric)
        # The statistics really come from the cells now.
        assert summary.lookup(s, "coverage", Filters(term=TERM), TERM, rubric) is not None
    got = _all(district)
    for key, rows in expected.items():
        assert got[key] == rows, key
    # Spot check of hand-computed numbers through the summary path (see test_stats_queries).
    inn = {r["dimension"]: r for r in got[("value_added", Filters(term=TERM, stage="junior"))]}["innovation"]
    assert (inn["n"], inn["mean_change"]) == (2, 4.64)


def test_stale_summary_is_not_used(district):
    with district.session() as s:
        summary.refresh(s)
    with district.session(user="tester") as s:  # a tracked change bumps the change counter
        s.execute(update(ProcessEvaluation).where(ProcessEvaluation.evaluator_role == "self").values(deleted=True))
        s.query(ProcessEvaluation).filter_by(evaluator_role="mentor").first().comment = "复核"
    with district.session() as s:
        assert not summary.is_fresh(s, TERM, load_rubric(s))
        assert summary_state(s, Filters(term=TERM)) == "stale"
        cov = {r["dimension"]: r for r in q.evaluation_coverage(s, Filters(term=TERM))}
    assert cov["innovation"]["multi_role"] == 2          # on the fly: a1 lost its self evaluation
    with district.session() as s:
        summary.refresh(s, [TERM])
    with district.session() as s:
        assert summary.is_fresh(s, TERM, load_rubric(s)) and summary_state(s, Filters(term=TERM)) == "fresh"
        cov = {r["dimension"]: r for r in q.evaluation_coverage(s, Filters(term=TERM))}
    assert cov["innovation"]["multi_role"] == 2


def test_before_any_refresh_the_cells_are_absent_and_unused(district):
    with district.session() as s:
        assert not summary.is_fresh(s, TERM, load_rubric(s))
        assert summary.lookup(s, "coverage", Filters(term=TERM), TERM, load_rubric(s)) is None
        assert summary_state(s, Filters()) == "absent"


def test_a_duplicate_or_rejected_bundle_log_row_leaves_the_cells_fresh(district):
    from growthdesk.models import ImportLog

    with district.session() as s:
        summary.refresh(s)
    with district.session() as s:
        s.info["untracked"] = True
        s.add(ImportLog(school_code="U1", sequence=3, file_name="U1-000003.gdbundle.zip", result="duplicate"))
        s.add(ImportLog(school_code="U1", sequence=9, file_name="forged.gdbundle.zip", result="rejected"))
    with district.session() as s:
        assert summary_state(s, Filters(term=TERM)) == "fresh"
    with district.session() as s:
        s.info["untracked"] = True
        s.add(ImportLog(school_code="U1", sequence=4, file_name="U1-000004.gdbundle.zip", result="imported"))
    with district.session() as s:
        assert summary_state(s, Filters(term=TERM)) == "stale"


def _rowids(db, school):
    from sqlalchemy import text

    with db.session() as s:
        return sorted(r[0] for r in s.execute(text(
            "SELECT rowid FROM stats_summary_cell WHERE school_code = :c AND term_code = :t"), {"c": school, "t": TERM}))


def test_refresh_after_an_import_redoes_only_that_school_and_schools_sharing_persons(district):
    from growthdesk.models import ImportLog

    with district.session() as s:
        summary.refresh(s)
    r1, u2 = _rowids(district, "R1"), _rowids(district, "U2")
    # "Import" a U1 bundle: the mover's primary-school score changes (her U2 value added must follow).
    with district.session(user="importer") as s:
        ev = s.query(ProcessEvaluation).filter_by(term_code=PREV, score=80).one()   # a0's innovation
        ev.score = 60.0
        s.add(ImportLog(school_code="U1", sequence=4, file_name="U1-000004.gdbundle.zip", result="imported"))
    expected = _all(district)                   # stale cells: these are the on-the-fly numbers
    inn = {r["dimension"]: r for r in expected[("value_added", Filters(term=TERM, school="U2"))]}["innovation"]
    assert inn["mean_from"] == 60.0
    with district.session() as s:
        assert summary.refresh(s) == [TERM, PREV]
    assert _all(district) == expected
    assert _rowids(district, "R1") == r1        # untouched: not importing, no shared persons
    assert _rowids(district, "U2") != u2        # redone: the mover's earlier record is in U1


def test_an_edit_no_import_explains_rebuilds_the_whole_term(district):
    with district.session() as s:
        summary.refresh(s)
    r1 = _rowids(district, "R1")
    with district.session(user="district") as s:
        s.query(ProcessEvaluation).filter_by(evaluator_role="mentor").one().score = 55.0
    expected = _all(district)
    with district.session() as s:
        summary.refresh(s)
    assert _all(district) == expected and _rowids(district, "R1") != r1
