"""Programme statistics and candidates: the same rows on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date

import pytest

from growthdesk.services import programmes as svc
from growthdesk.stats import programmes as pst
from growthdesk.stats import summary
from growthdesk.stats.scoring import load_rubric
from growthdesk.stats.sample import TERM
from tests import programme_sample

pytestmark = pytest.mark.postgres


def _strip(obj):
    """Ids and person keys differ per database (random ids, random district secret)."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in ("id", "person_key", "student_id")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _views(db, extra, ids) -> dict:
    with db.session(user="staff") as s:
        view = pst.candidates(s, extra["p1"], TERM)
        svc.nominate_from_rules(s, extra["p1"], [c for c in view["candidates"] if c["rules"]], TERM)
        svc.evaluate(s, extra["members"]["c1"], kind="annual", term_code=TERM, eval_date=date(2025, 12, 20),
                     scores=dict.fromkeys(svc.criteria_of(svc.get_programme(s, extra["p2"])), 3), result="leave",
                     reason="转学", mentor_id=extra["ext"]["phy"])
        svc.add_log(s, extra["members"]["a1"], entry_date=date(2025, 10, 8), activity="lecture", hours=1.5,
                    content="讲座")
    with db.session() as s:
        return {"candidates": sorted(_strip(pst.candidates(s, extra[p], TERM)["candidates"]),
                                     key=lambda r: (r["school_code"], r["name"])) for p in ("p1", "p2", "p3")} | {
            "chain": _strip(pst.chain_statistics(s)),
            "members": _strip(pst.member_rows(s, extra["p2"], with_details=True)),
            "mentor": _strip(pst.mentor_record(s, extra["ext"]["ai"])),
            "portfolio": _strip(pst.person_programmes(s, ids["h1"]))}


def _candidates(db, extra) -> dict:
    with db.session() as s:
        return {p: sorted(_strip(pst.candidates(s, extra[p], TERM)["candidates"]),
                          key=lambda r: (r["school_code"], r["name"])) for p in ("p1", "p2", "p3")}


def test_same_programme_statistics_on_sqlite_and_postgresql(tmp_path, postgres_db):
    lite = programme_sample.build(tmp_path / "district.db")
    pg = programme_sample.build(postgres_db)
    try:
        assert pg[0].engine.dialect.name == "postgresql"
        a, b = _views(lite[0], lite[2], lite[1]), _views(pg[0], pg[2], pg[1])
        assert a == b
        assert a["chain"]["retention"][1]["rate"] == 0.5 and a["candidates"]
        # With the summary's stored term scores (refreshed), the candidates stay the same on both.
        for db in (lite[0], pg[0]):
            with db.session() as s:
                summary.refresh(s, [TERM])
            with db.session() as s:
                assert summary.stored_scores_usable(s, TERM, "innovation", load_rubric(s))
        c, d = _candidates(lite[0], lite[2]), _candidates(pg[0], pg[2])
        assert c == d and c["p3"] == a["candidates"]  # (_views keeps the last programme's only)
    finally:
        lite[0].close()
        pg[0].close()
