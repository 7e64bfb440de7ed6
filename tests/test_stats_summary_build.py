"""The district's first summary build reports its progress and can be interrupted, keeping
the terms it finished (the rest stay computed on the fly)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from growthdesk.stats import queries as q
from growthdesk.stats import summary
from growthdesk.stats.filters import Filters
from growthdesk.stats.sample import PREV, TERM, create_sample_district
from growthdesk.stats.scoring import load_rubric

NOW = datetime(2026, 1, 10, 12, 0)


@pytest.fixture()
def district(tmp_path):
    db, _ = create_sample_district(tmp_path / "d.db", NOW)
    yield db
    db.close()


def _states(db) -> dict[str, str]:
    with db.session() as s:
        rubric = load_rubric(s)
        return {t: summary.state_of(s, t, rubric) for t in (TERM, PREV)}


def test_progress_counts_every_step_up_to_the_total(district):
    seen = []
    assert summary.build(district, progress=lambda d, t, term: seen.append((d, t, term))) == [TERM, PREV]
    total = 2 * len(summary.STEPS)
    assert [d for d, _t, _term in seen] == list(range(total)) + [total]
    assert {t for _d, t, _term in seen} == {total}
    assert [term for _d, _t, term in seen[:total]] == [TERM] * 4 + [PREV] * 4
    assert _states(district) == {TERM: "fresh", PREV: "fresh"}


def test_cancel_keeps_finished_terms_and_undoes_the_unfinished_one(district):
    with district.session() as s:
        expected = q.evaluation_coverage(s, Filters(term=PREV))
    cancel = threading.Event()

    def progress(done, total, term):
        if term == PREV and done == len(summary.STEPS) + 2:  # halfway through the second term
            cancel.set()

    with pytest.raises(summary.Interrupted) as info:
        summary.build(district, progress=progress, cancel=cancel)
    assert info.value.done == [TERM]
    assert _states(district) == {TERM: "fresh", PREV: "absent"}
    with district.session() as s:
        assert s.scalar(select(func.count()).select_from(summary.CELLS).where(summary.CELLS.c.term_code == PREV)) == 0
        assert q.evaluation_coverage(s, Filters(term=PREV)) == expected  # computed on the fly meanwhile
    assert summary.build(district) == [PREV]  # the next build does only what is missing
    assert _states(district) == {TERM: "fresh", PREV: "fresh"}


def test_cancel_before_anything_writes_nothing(district):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(summary.Interrupted) as info:
        summary.build(district, cancel=cancel)
    assert info.value.done == []
    assert _states(district) == {TERM: "absent", PREV: "absent"}
