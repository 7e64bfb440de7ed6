"""District statistics against numbers worked out by hand on the sample district.

The data set is ``growthdesk/stats/sample.py`` (4 schools, 14 student rows). Term T =
2025-2026-1, previous term P = 2024-2025-2. Population in T (class or enrollment in school year
2025, not deleted): U1 a1–a4 (4), U2 b1–b3 (3), T1 c1–c3 (3), R1 d1–d2 (2) = 12; d3 is a
tombstone; a0 is the mover's primary row (class of 2024), so it is only in the all-terms
population (13). Role weights of the default rubric: self .1, peer .1, teacher .3, adviser .2,
parent .1, mentor .15, enterprise .05.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from growthdesk.errors import ValidationError
from growthdesk.models import CompetitionResult, ProcessEvaluation
from growthdesk.services.rubric import class_term_scores, default_rubric
from growthdesk.stats import queries as q
from growthdesk.stats.filters import Filters, make_filters
from growthdesk.stats.queries import population
from growthdesk.stats.sample import TERM, create_sample_district
from growthdesk.models import ImportLog
from growthdesk.stats.schools import school_list
from growthdesk.stats.scoring import term_scores

NOW = datetime(2026, 1, 10, 12, 0)
T = Filters(term=TERM)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    db, ids = create_sample_district(tmp_path_factory.mktemp("stats") / "district.db", NOW)
    yield db, ids
    db.close()


def run(db, fn, f):
    with db.session() as s:
        return fn(s, f)


def pick(rows, key, *cols):
    return {r[key]: tuple(r[c] for c in cols) for r in rows}


def test_awards_by_level_in_term(sample):
    db, _ = sample
    got = pick(run(db, q.awards_by_level, T), "level", "results", "students")
    # r1 national (a1+a2 team) · r2 and r5 provincial, both b1 · r3 municipal c1 · r4 district d1.
    # Not counted: r6 deleted, r7 rejected, r8 other term, r9 its only member deleted, r10 member d3 deleted.
    assert got == {"international": (0, 0), "national": (1, 2), "provincial": (2, 1),
                   "municipal": (1, 1), "district": (1, 1), "school": (0, 0)}


def test_awards_all_terms_add_the_previous_term(sample):
    db, _ = sample
    got = pick(run(db, q.awards_by_level, Filters()), "level", "results", "students")
    assert got["school"] == (1, 1)      # r8, a0's participation in P
    assert got["national"] == (1, 2)


def test_awards_by_discipline_and_award(sample):
    db, _ = sample
    by_disc = pick(run(db, q.awards_by_discipline, T), "discipline", "results", "students")
    # 人工智能: r1 (a1, a2), r4 (d1), r5 (b1) → 3 results, 4 students; 物理 r2; 数学 r3.
    assert by_disc == {"人工智能": (3, 4), "物理": (1, 1), "数学": (1, 1)}
    by_award = pick(run(db, q.awards_by_award, T), "award", "results", "students")
    # first: r1 (a1, a2) + r5 (b1) = 2 results, 3 students; second r2; third r3; excellence r4.
    assert by_award["first"] == (2, 3)
    assert by_award["second"] == (1, 1) and by_award["third"] == (1, 1) and by_award["excellence"] == (1, 1)
    assert by_award["special"] == (0, 0) and by_award["gold"] == (0, 0)


def test_award_share_by_category(sample):
    db, _ = sample
    got = {r["category"]: r for r in run(db, q.award_share_by_category, T)}
    # students 7/3/2 of 12; winners urban a1, a2, b1 = 3, town c1, rural d1: 3/1/1 of 5.
    assert pick(got.values(), "category", "students", "winners") == {"urban": (7, 3), "town": (3, 1), "rural": (2, 1)}
    assert got["urban"]["student_share"] == pytest.approx(7 / 12, abs=1e-6)
    assert got["urban"]["winner_share"] == pytest.approx(0.6)
    assert got["rural"]["student_share"] == pytest.approx(2 / 12, abs=1e-6)
    assert got["town"]["ratio"] == pytest.approx(0.8)          # 0.2 / 0.25
    assert got["rural"]["ratio"] == pytest.approx(1.2, abs=1e-4)  # 0.2 / 0.1667
    assert got["rural"]["winner_rate"] == pytest.approx(0.5)     # 1 of 2 rural students


def test_project_share_by_school(sample):
    db, _ = sample
    got = pick(run(db, q.project_share_by_school, T), "school_code", "students", "with_project")
    # Projects running in T (2025-09-01..2026-01-20): p1 (a1, a3), p3 (d1). p2/p6 ended in June,
    # p4 deleted, p5's only membership (b3) deleted.
    assert got == {"U1": (4, 2), "U2": (3, 0), "T1": (3, 0), "R1": (2, 1)}
    everything = pick(run(db, q.project_share_by_school, Filters()), "school_code", "students", "with_project", "share")
    # All terms: U1 gains a0 (5 students) and p6 (a0): 3 of 5; T1 p2 (c1, c2): 2 of 3.
    assert everything["U1"] == (5, 3, 0.6)
    assert everything["T1"] == (3, 2, pytest.approx(2 / 3, abs=1e-6))


def test_evaluation_coverage(sample):
    db, _ = sample
    got = {r["dimension"]: r for r in run(db, q.evaluation_coverage, T)}
    # innovation in T: a1, a2, b1, c1, d1 = 5 of 12; more than one role: a1 (teacher+self),
    # b1 (mentor+adviser), c1 (teacher+peer) = 3. moral: a1, c2 (c2's teacher row deleted) = 2, none multi.
    assert (got["innovation"]["evaluated"], got["innovation"]["multi_role"]) == (5, 3)
    assert got["innovation"]["share"] == pytest.approx(5 / 12, abs=1e-6)
    assert got["innovation"]["multi_role_share"] == pytest.approx(0.25)
    assert (got["moral"]["evaluated"], got["moral"]["multi_role"]) == (2, 0)
    assert got["arts"]["evaluated"] == 0 and got["arts"]["students"] == 12
    assert list(got) == default_rubric().dimension_codes


def test_score_distribution(sample):
    db, _ = sample
    got = {r["dimension"]: r for r in run(db, q.score_distribution, T)}
    inn = got["innovation"]
    # a1: teacher mean 85, self 100 → (.3·85 + .1·100)/.4 = 88.75 (B); a2 70 (C);
    # b1: (.15·95 + .2·85)/.35 = 89.2857 (B); c1: (.3·60 + .1·40)/.4 = 55 (D); d1 92 (A).
    assert (inn["n"], inn["A"], inn["B"], inn["C"], inn["D"]) == (5, 1, 2, 1, 1)
    assert inn["mean"] == pytest.approx(79.01)   # 395.0357 / 5
    assert (inn["min"], inn["max"]) == (55.0, 92.0)
    assert (got["moral"]["n"], got["moral"]["mean"], got["moral"]["A"], got["moral"]["B"]) == (2, 85.0, 1, 1)


def test_sql_term_scores_match_the_services_scoring(sample):
    """Our SQL term score and services.rubric's Python one agree on every student of the term."""
    db, ids = sample
    with db.session() as s:
        pop = population(T)
        ts = term_scores(pop, default_rubric(), terms=[TERM])
        sql = {(r.student_id, r.dimension): float(r.score) for r in s.execute(select(ts))}
        py = class_term_scores(s, list(ids.values()), TERM, default_rubric())
    flat = {(sid, d): v for sid, scores in py.items() for d, v in scores.items() if sid != ids["d3"]}
    assert sql.keys() == flat.keys()
    for key, value in flat.items():
        assert sql[key] == pytest.approx(value)
    assert sql[(ids["b1"], "innovation")] == pytest.approx(31.25 / 0.35)


def test_value_added_follows_the_mover(sample):
    db, _ = sample
    got = {r["dimension"]: r for r in run(db, q.value_added, T)}
    inn = got["innovation"]
    # Pairs P→T by person: mover a0 80 → b1 89.2857 (+9.29), a1 90 → 88.75 (−1.25), c1 55 → 55 (0).
    assert (inn["from_term"], inn["to_term"]) == ("2024-2025-2", TERM)
    assert (inn["n"], inn["improved"], inn["unchanged"], inn["declined"]) == (3, 1, 1, 1)
    assert inn["mean_from"] == pytest.approx(75.0)
    assert inn["mean_to"] == pytest.approx(77.68)       # 233.0357 / 3
    assert inn["mean_change"] == pytest.approx(2.68)    # 8.0357 / 3
    assert (got["moral"]["n"], got["moral"]["mean_change"]) == (1, 20.0)   # a1 70 → 90
    # Filtered to junior schools, the mover still counts: her earlier score is from primary school.
    junior = {r["dimension"]: r for r in run(db, q.value_added, Filters(term=TERM, stage="junior"))}
    assert (junior["innovation"]["n"], junior["innovation"]["mean_change"]) == (2, 4.64)  # b1 +9.29, c1 0
    # Without a term filter the latest evaluated term is taken: the same pair of terms.
    assert run(db, q.value_added, Filters())[5]["to_term"] == TERM


def test_stage_category_and_school_filters(sample):
    db, _ = sample
    junior = pick(run(db, q.awards_by_level, Filters(term=TERM, stage="junior")), "level", "results", "students")
    # Junior students in T: b1–b3, c1–c3. Their awards: r2, r5 (b1, provincial), r3 (c1, municipal).
    assert junior["provincial"] == (2, 1) and junior["municipal"] == (1, 1) and junior["national"] == (0, 0)
    rural = run(db, q.project_share_by_school, Filters(term=TERM, category="rural"))
    assert [(r["school_code"], r["with_project"]) for r in rural] == [("R1", 1)]
    u1 = {r["dimension"]: r for r in run(db, q.evaluation_coverage, Filters(term=TERM, school="U1"))}
    assert (u1["innovation"]["students"], u1["innovation"]["evaluated"], u1["innovation"]["multi_role"]) == (4, 2, 1)


def test_deleting_an_award_changes_the_numbers(tmp_path):
    db, _ = create_sample_district(tmp_path / "d.db", NOW)
    try:
        with db.session(user="tester") as s:
            s.execute(update(CompetitionResult).where(CompetitionResult.work_title == "r2").values(deleted=True))
            s.execute(update(ProcessEvaluation).where(ProcessEvaluation.evaluator_role == "self").values(deleted=True))
        level = pick(run(db, q.awards_by_level, T), "level", "results", "students")
        assert level["provincial"] == (1, 1)   # only r5 left
        cov = {r["dimension"]: r for r in run(db, q.evaluation_coverage, T)}
        assert cov["innovation"]["multi_role"] == 2   # a1 lost its self evaluation
    finally:
        db.close()


def test_filters_are_validated_with_the_valid_values(sample):
    db, _ = sample
    with db.session() as s:
        assert make_filters(s, TERM, "初中", "乡村", "R1") == Filters(TERM, "junior", "rural", "R1")
        with pytest.raises(ValidationError) as err:
            make_filters(s, stage="college")
        assert err.value.field == "stage" and "初中" in err.value.zh
        with pytest.raises(ValidationError) as err:
            make_filters(s, term="2030-2031-1")
        assert TERM in err.value.zh
        with pytest.raises(ValidationError) as err:
            make_filters(s, school="X9")
        assert "U1" in err.value.zh


def test_school_list_marks_schools_behind(sample):
    db, _ = sample
    with db.session() as s:
        rows = {r["school_code"]: r for r in school_list(s, now=NOW, max_days=30)}
    # U1: sequences 1–3, and 3 re-sent (duplicate) 1 day ago, which counts as received → fine.
    # U2: 1 and 3 → gap 2. T1: last 40 days ago. R1: only a rejected bundle → never received one.
    assert not rows["U1"]["behind"] and rows["U1"]["days_since_last"] == 1 and rows["U1"]["last_sequence"] == 3
    assert rows["U2"]["behind"] and rows["U2"]["gaps"] == ["2"]
    assert rows["T1"]["behind"] and rows["T1"]["days_since_last"] == 40 and rows["T1"]["gaps"] == []
    assert rows["R1"]["behind"] and rows["R1"]["last_bundle_at"] is None and rows["R1"]["bundles"] == 0
    # Row counts ignore tombstones: R1 has d1, d2 (d3 deleted); U1 has 8 evaluations (3+1+1 in T, 3 in P).
    assert (rows["R1"]["students"], rows["U1"]["students"], rows["U1"]["evaluations"]) == (2, 5, 8)
    assert rows["U1"]["category"] == "urban" and rows["R1"]["category_zh"] == "乡村"
    with db.session() as s:
        relaxed = {r["school_code"]: r["behind"] for r in school_list(s, now=NOW, max_days=60)}
    assert relaxed["T1"] is False


def test_a_full_bundle_closes_earlier_gaps(tmp_path):
    db, _ = create_sample_district(tmp_path / "d.db", NOW)
    try:
        with db.session(user="tester") as s:
            s.add(ImportLog(school_code="U2", sequence=4, file_name="U2-000004.gdbundle.zip", imported_at=NOW,
                            result="imported", counts_json='{"full": true, "usn_to": 90}'))
            s.add(ImportLog(school_code="U1", sequence=6, file_name="U1-000006.gdbundle.zip", imported_at=NOW,
                            result="imported", counts_json='{"usn_to": 70}'))
        with db.session() as s:
            rows = {r["school_code"]: r for r in school_list(s, now=NOW)}
        assert rows["U2"]["gaps"] == [] and not rows["U2"]["behind"] and rows["U2"]["last_sequence"] == 4
        assert rows["U1"]["gaps"] == ["4–5"] and rows["U1"]["behind"]
        assert "缺少序号 4–5" in rows["U1"]["behind_reasons"]
    finally:
        db.close()
