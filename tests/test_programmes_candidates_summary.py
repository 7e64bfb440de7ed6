"""The candidates' "top n %" rule read from the summary's stored term scores gives exactly the
candidates computed from the evaluations (the slow path), and the ones worked out by hand; the
stored scores are used only while they describe the data, and are kept through nominations."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from growthdesk.db import open_database
from growthdesk.models import (Enrollment, ImportLog, ProcessEvaluation, SchoolClass, Student, SummaryScore,
                               SummaryState)
from growthdesk.services import programmes as svc
from growthdesk.stats import programmes as pst
from growthdesk.stats import summary
from growthdesk.stats.cultivation import NOTICE
from growthdesk.stats.sample import TERM
from growthdesk.stats.scoring import load_rubric
from tests import programme_sample

# 20 more junior pupils at T1 with one teacher's innovation score each: one 98, two 96 (a tie),
# seventeen 80; and at U2 five pupils with an academic score (a programme ranks that dimension).
T1_SCORES = [98.0, 96.0, 96.0] + [80.0] * 17


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cand") / "district.db"
    db, ids, extra = programme_sample.build(path)
    with db.session(user="sample") as s:
        t1 = s.scalars(select(SchoolClass).where(SchoolClass.school_code == "T1")).one()
        u2 = s.scalars(select(SchoolClass).where(SchoolClass.school_code == "U2")).one()
        for i, score in enumerate(T1_SCORES):
            _pupil(s, ids, f"t{i:02d}", t1, "innovation", score)
        for i, score in enumerate([91.0, 85.0, 85.0, 70.0, 60.0]):
            _pupil(s, ids, f"u{i:02d}", u2, "academic", score)
    with db.session(user="staff") as s:
        extra["t1p"] = svc.create_programme(s, name="吴中科创班", tier="junior", start_term=TERM, owner_kind="school",
                                            owner_code="T1").id
        extra["acad"] = svc.create_programme(s, name="学业拔尖班", tier="junior", start_term=TERM, rules=[
            {"code": "academic_top40", "kind": "top_score", "label_zh": "学业评分前 40%", "dimension": "academic",
             "top_percent": 40}]).id
    db.close()
    return path, ids, extra


def _pupil(s, ids, short, cl, dim, score) -> None:
    st = Student(school_code=cl.school_code, person_key=f"{short}-person-key", name=f"学生{short}", gender="F",
                 stage="junior", class_id=cl.id, status="enrolled", birth_date=date(2013, 3, 1))
    s.add(st)
    s.flush()
    ids[short] = st.id
    s.add(Enrollment(school_code=cl.school_code, student_id=st.id, class_id=cl.id, school_year=2025,
                     start_date=date(2025, 9, 1), reason="entry"))
    s.add(ProcessEvaluation(school_code=cl.school_code, student_id=st.id, term_code=TERM, dimension=dim, level="A",
                            score=score, evaluator_role="teacher", eval_date=date(2025, 10, 1)))


@pytest.fixture()
def district(tmp_path, _template):
    path, ids, extra = _template
    shutil.copyfile(path, tmp_path / "d.db")
    db = open_database(tmp_path / "d.db")
    db.ids, db.extra = ids, extra
    yield db
    db.close()


def _views(db) -> dict:
    from growthdesk.stats.cultivation import cultivation_list
    from growthdesk.stats.filters import Filters
    with db.session() as s:
        out = {k: pst.candidates(s, db.extra[k], TERM) for k in ("p1", "p2", "p3", "t1p", "acad")}
        # the district's 培养名单 tab: the whole district, and one school category
        out["list"] = cultivation_list(s, Filters(term=TERM))
        out["town"] = cultivation_list(s, Filters(term=TERM, category="town"))
        return out


def _usable(db, dim="innovation") -> bool:
    with db.session() as s:
        return summary.stored_scores_usable(s, TERM, dim, load_rubric(s))


def _top(view) -> set[str]:
    return {c["name"] for c in view["candidates"] if any(r.endswith("_top10") or r.endswith("_top40")
                                                          for r in c["rules"])}


def test_stored_scores_give_the_slow_paths_candidates_and_the_hand_worked_ones(district, monkeypatch):
    from growthdesk.stats import cultivation
    assert not _usable(district)
    slow = _views(district)
    # These populations are small, so awards and projects are read person by person: the same
    # rows as reading every award and project of the district.
    monkeypatch.setattr(cultivation, "NARROW", 0)
    assert _views(district) == slow
    monkeypatch.setattr(cultivation, "NARROW", 2000)
    with district.session() as s:
        assert summary.refresh(s, [TERM]) == [TERM]
    with district.session() as s:
        st = s.scalars(select(SummaryState).where(SummaryState.term_code == TERM)).one()
        assert st.score_dims.split("、") == ["academic", "innovation"]   # the default rule's and the programme's
        # one row per term-population student with a score in a ranked dimension: 20 + b1 + c1 + the
        # primary pupils a1, a2, d1 (innovation) and 5 academic; not the tombstone d3, not the PREV term
        assert s.scalar(select(func.count()).select_from(SummaryScore)) == 20 + 2 + 3 + 5
    assert _usable(district) and _usable(district, "academic")
    fast = _views(district)
    assert fast == slow
    # By hand. Junior district programme (p2): 22 junior pupils have an innovation score (20 at T1,
    # b1, c1); 10 % of 22 is 2.2; the tie groups from the top are 98 (1), 96 (2): a cut after the
    # two 96s takes 3 (0.8 away) rather than 1 (1.2 away). b1 (95 and 85) and c1 stay out.
    assert _top(fast["p2"]) == {"学生t00", "学生t01", "学生t02"}
    # T1's own programme: 21 pupils (the 20 and c1), 10 % = 2.1: again the 98 and both 96s.
    assert _top(fast["t1p"]) == {"学生t00", "学生t01", "学生t02"}
    assert all(c["school_code"] == "T1" for c in fast["t1p"]["candidates"])
    # The academic rule: only u00..u04 have an academic score; 40 % of 5 = 2: 91 (1), 85 (2): a cut
    # after the 85s (3) and one after the 91 (1) are both 1 away: the tie takes the group in.
    assert _top(fast["acad"]) == {"学生u00", "学生u01", "学生u02"}
    assert all(v["notice"] == NOTICE for v in fast.values())
    assert {c["school_code"] for c in fast["town"]["students"]} == {"T1", "H1"}   # the town schools


def test_nominating_keeps_the_stored_scores_a_new_score_does_not(district):
    with district.session() as s:
        summary.refresh(s, [TERM])
    p2 = district.extra["p2"]
    with district.session(user="staff") as s:
        view = pst.candidates(s, p2, TERM)
        svc.nominate_from_rules(s, p2, [c for c in view["candidates"] if c["rules"]], TERM)
    # The district's own writes (nominations) make the cells stale but not the scores.
    with district.session() as s:
        assert summary.state_of(s, TERM, load_rubric(s)) == "stale"
    assert _usable(district)
    with district.session() as s:
        assert all(c["nomination"] for c in pst.candidates(s, p2, TERM)["candidates"] if c["rules"])
    # A changed evaluation changes a score: the stored ones are no longer used, and the view shows it.
    with district.session(user="T1") as s:
        ev = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.student_id == district.ids["t03"])).one()
        ev.score = 99.0
    assert not _usable(district)
    with district.session() as s:
        live = pst.candidates(s, p2, TERM)
    # 99 (1), 98 (1), 96 (2): a cut after the 98 takes 2 of 22 (0.2 away from 2.2)
    assert _top(live) == {"学生t03", "学生t00"}
    with district.session() as s:
        summary.refresh(s, [TERM])
    assert _usable(district)
    with district.session() as s:
        assert pst.candidates(s, p2, TERM) == live


def test_incremental_refresh_after_an_import_keeps_scores_equal_to_the_slow_path(district):
    with district.session() as s:
        summary.refresh(s, [TERM])
    # As after one school's bundle: T1's pupil changes score and an import log row is added.
    with district.session(user="T1") as s:
        ev = s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.student_id == district.ids["t05"])).one()
        ev.score = 99.0
        s.add(ImportLog(school_code="T1", sequence=9, file_name="T1-000009.gdbundle.zip", result="imported"))
    with district.session() as s:
        assert summary._changed_schools(s, TERM, load_rubric(s), summary._marks(s)[0]) is not None  # incremental
        summary.refresh(s, [TERM])
    assert _usable(district)
    fast = _views(district)
    with district.session() as s:
        s.execute(SummaryState.__table__.update().values(scores_fingerprint=""))
    assert not _usable(district)
    assert _views(district) == fast
    assert _top(fast["p2"]) == {"学生t05", "学生t00"}


def test_one_open_nomination_per_programme_and_student_and_log_provenance(district):
    from growthdesk.errors import ValidationError

    p1, a1 = district.extra["p1"], district.ids["a1"]
    with district.session(user="staff") as s:
        first = svc.nominate(s, p1, term_code=TERM, by_kind="teacher", reason="动手能力强", student_id=a1)
        with pytest.raises(ValidationError) as e:   # still open: no second one, in any term
            svc.nominate(s, p1, term_code="2025-2026-2", by_kind="school", reason="再推荐", student_id=a1)
        assert "待遴选" in e.value.zh
        # a rule re-run in the next term leaves the open nomination alone and adds none
        view = pst.candidates(s, p1, TERM)
        assert svc.nominate_from_rules(s, p1, [c for c in view["candidates"] if c["student_id"] == a1],
                                       "2025-2026-2") == 0
        svc.decide(s, first.id, "not_this_time", reason="名额有限")
        again = svc.nominate(s, p1, term_code="2025-2026-2", by_kind="school", reason="再推荐", student_id=a1)
        assert again.decision == "pending"
    mid = district.extra["members"]["a1"]
    with district.session(user="liu") as s:
        mentor = svc.add_log(s, mid, entry_date=date(2025, 10, 8), activity="lecture", hours=2, content="讲座")
        own = svc.add_log(s, mid, entry_date=date(2025, 10, 9), activity="lab_day", hours=1, content="调试",
                          author_kind="student", author="wang", submit=True)
        assert (mentor.state, mentor.entered_role, mentor.reviewed_by) == ("approved", "teacher", "liu")
        assert (own.state, own.entered_role, own.submitted_at is not None, own.reviewed_by) == (
            "submitted", "student", True, "")
    with district.session(user="zhou") as s:
        e = svc.review_log(s, own.id, approve=False, reason="请补充过程")
        assert (e.state, e.reviewed_by, e.return_reason) == ("returned", "zhou", "请补充过程")
