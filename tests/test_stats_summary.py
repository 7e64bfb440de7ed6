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


def test_without_summary_tables_nothing_changes(district):
    with district.session() as s:
        assert not summary.is_fresh(s, TERM, load_rubric(s))
        assert summary.lookup(s, "coverage", Filters(term=TERM), TERM, load_rubric(s)) is None
        assert summary_state(s, Filters()) == "absent"


def test_stats_indexes_create_without_touching_the_models(district):
    from sqlalchemy import inspect

    from growthdesk.models import ProcessEvaluation
    from growthdesk.stats.indexes import STATS_INDEXES, create_stats_indexes

    expected = _all(district)
    made = create_stats_indexes(district.engine)
    assert made == [name for name, *_ in STATS_INDEXES]
    names = {ix["name"] for ix in inspect(district.engine).get_indexes("process_evaluation")}
    assert {"ix_stats_eval_cover", "ix_stats_process_evaluation_tombstones"} <= names
    assert not any(ix.name.startswith("ix_stats") for ix in ProcessEvaluation.__table__.indexes)
    assert create_stats_indexes(district.engine) == made          # idempotent
    assert _all(district) == expected
