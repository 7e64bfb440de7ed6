"""The same statistics on SQLite and on a real PostgreSQL server (tests/postgres_server.py).

Both databases get the hand-made sample district; every statistic, the school list and the
cultivation list must come out identical (ids and person keys differ per database: the
district secret is random, so they are left out of the comparison).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from growthdesk.stats import queries, summary
from growthdesk.stats.filters import Filters
from growthdesk.stats.people import person_history, search_persons
from growthdesk.stats.report import build_report
from growthdesk.stats.sample import TERM, create_sample_district
from growthdesk.stats.scoring import load_rubric

pytestmark = pytest.mark.postgres
STATS = {k: queries.STATISTICS[k] for k in ("evaluation_coverage", "score_distribution", "value_added")}
NOW = datetime(2026, 1, 10, 12, 0)
VIEWS = [Filters(term=TERM), Filters(), Filters(term=TERM, stage="junior"), Filters(term=TERM, category="urban"),
         Filters(term="2024-2025-2", school="U1")]


def _comparable(report: dict) -> dict:
    cult = report["cultivation"]
    return {"statistics": report["statistics"], "schools": report["schools"],
            "cultivation": [{k: v for k, v in st.items() if k != "person_key"} for st in cult["students"]],
            "term": cult["term"]}


def _history(db) -> list:
    with db.session() as s:
        key = search_persons(s, "林小川")[0]["person_key"]
        h = person_history(s, key, reason="测试")
    return [(e["date"], e["kind"], e["school_code"], e["text"]) for e in h["timeline"]]


def test_same_statistics_on_sqlite_and_postgresql(tmp_path, postgres_db):
    lite, _ = create_sample_district(tmp_path / "district.db", NOW)
    pg, _ = create_sample_district(postgres_db, NOW)
    try:
        assert pg.engine.dialect.name == "postgresql"
        for f in VIEWS:
            got = []
            for db in (lite, pg):
                with db.session() as s:
                    got.append(_comparable(build_report(s, f, now=NOW)))
            assert got[0] == got[1], f
        # And the numbers are the hand-checked ones, not merely equal.
        with pg.session() as s:
            level = {r["level"]: (r["results"], r["students"]) for r in build_report(s, VIEWS[0], now=NOW)
                     ["statistics"]["awards_by_level"]}
        assert level["national"] == (1, 2) and level["provincial"] == (2, 1)
        assert _history(lite) == _history(pg)
        # The summary cells built on PostgreSQL answer exactly like the on-the-fly statistics.
        with pg.session() as s:
            assert summary.refresh(s) == [TERM, "2024-2025-2"]
        for f in VIEWS:
            with lite.session() as s:
                want = {k: fn(s, f) for k, fn in STATS.items()}
            with pg.session() as s:
                assert summary.is_fresh(s, TERM, load_rubric(s))
                assert {k: fn(s, f) for k, fn in STATS.items()} == want, f
    finally:
        lite.close()
        pg.close()
