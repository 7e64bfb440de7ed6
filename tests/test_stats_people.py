"""Following one student across stages, end to end: a primary school and a junior school each
export a bundle, the district imports both, and the district sees one person with the whole
history. Also the cultivation list and person search on the sample district."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.services import competitions, evaluations, projects, students
from growthdesk.services.terms import ensure_term
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.stats import queries as q
from growthdesk.stats.cultivation import NOTICE, Rule, cultivation_list, rules_from_json, rules_to_json
from growthdesk.stats.filters import Filters
from growthdesk.stats.people import person_history, person_key_for, search_persons
from growthdesk.stats.sample import TERM, create_sample_district
from growthdesk.stats.schools import school_list
from growthdesk.sync.export import export_bundle
from growthdesk.sync.importer import import_bundle

MOVER_NO = "L000000000000000042"
SPRING, AUTUMN = "2025-2026-2", "2026-2027-1"


def _fill_primary(db):
    with db.session(user="admin") as s:
        ensure_term(s, SPRING)
        cls = students.create_class(s, 2025, 6, 2, adviser_name="周老师")
        st = students.create_student(s, national_student_no=MOVER_NO, name="许嘉禾", gender="F",
                                     class_id=cls.id, birth_date=date(2014, 3, 2))
        other = students.create_student(s, national_student_no="L000000000000000043", name="钱多多", gender="M",
                                        class_id=cls.id, birth_date=date(2014, 4, 2))
        comp = competitions.create_competition(s, "区小学生科技节", discipline="科学")
        competitions.record_result(s, competition_id=comp.id, student_ids=[st.id], level="district", award="first",
                                   award_date=date(2026, 5, 20), term_code=SPRING)
        projects.create_project(s, title="校园雨水收集", kind="engineering", term_code=SPRING,
                                start_date=date(2026, 3, 1), end_date=date(2026, 6, 1), status="concluded",
                                members=[(st.id, "leader")])
        evaluations.record_process_evaluation(s, student_id=st.id, term_code=SPRING, dimension="innovation",
                                              score=80, evaluator_role="teacher", eval_date=date(2026, 4, 1))
        evaluations.record_process_evaluation(s, student_id=other.id, term_code=SPRING, dimension="innovation",
                                              score=70, evaluator_role="teacher", eval_date=date(2026, 4, 1))


def _fill_junior(db):
    with db.session(user="admin") as s:
        ensure_term(s, AUTUMN)
        cls = students.create_class(s, 2026, 7, 1, adviser_name="吴老师")
        st = students.create_student(s, national_student_no=MOVER_NO, name="许嘉禾", gender="F",
                                     class_id=cls.id, birth_date=date(2014, 3, 2))
        comp = competitions.create_competition(s, "省青少年创客大赛", discipline="工程")
        competitions.record_result(s, competition_id=comp.id, student_ids=[st.id], level="provincial",
                                   award="second", award_date=date(2026, 11, 1), term_code=AUTUMN)
        for role, score in (("teacher", 90), ("mentor", 100)):
            evaluations.record_process_evaluation(s, student_id=st.id, term_code=AUTUMN, dimension="innovation",
                                                  score=score, evaluator_role=role, eval_date=date(2026, 10, 8))


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    d = create_district(base / "district.db", "D07", "示例区")
    schools = []
    for code, name, cat, stage, fill in (("P0101", "河畔小学", "rural", "primary", _fill_primary),
                                         ("J0201", "城东初级中学", "urban", "junior", _fill_junior)):
        setup = add_school(d, code, name, cat, [stage])
        db = create_school(base / f"{code}.db", setup)
        fill(db)
        bundle = export_bundle(db, base / "out")
        schools.append(db)
        result = import_bundle(d, bundle["path"])
        assert result["status"] == "imported", result
    yield d
    for db in schools:
        db.close()
    d.close()


def test_mover_is_one_person_with_the_whole_history(district):
    with district.session() as s:
        key = person_key_for(s, MOVER_NO)
        found = search_persons(s, "许嘉禾")
        assert [p["person_key"] for p in found] == [key]
        assert sorted(found[0]["schools"]) == ["城东初级中学", "河畔小学"]
        assert search_persons(s, MOVER_NO)[0]["person_key"] == key   # by 学籍号, hashed with the district secret
        h = person_history(s, key, reason="测试")
    assert [(r["school_code"], r["stage"], r["class"]) for r in h["records"]] == [
        ("P0101", "primary", "六年级(2)班"), ("J0201", "junior", "初一(1)班")]
    assert [(a["school_code"], a["level"], a["award"]) for a in h["awards"]] == [
        ("P0101", "district", "first"), ("J0201", "provincial", "second")]
    assert [(p["title"], p["status"]) for p in h["projects"]] == [("校园雨水收集", "concluded")]
    # Term scores: spring 80 (teacher only); autumn (.3·90 + .15·100)/.45 = 93.33.
    assert [(e["term"], e["school_code"], e["scores"]["innovation"]) for e in h["evaluations"]] == [
        (SPRING, "P0101", 80.0), (AUTUMN, "J0201", 93.33)]
    kinds = [e["kind"] for e in h["timeline"]]
    assert kinds.index("project") < kinds.index("award") and h["timeline"][-1]["school_code"] == "J0201"


def test_imported_district_statistics_and_school_list(district):
    with district.session() as s:
        va = {r["dimension"]: r for r in q.value_added(s, Filters(term=AUTUMN))}
        rows = {r["school_code"]: r for r in school_list(s)}
        cult = cultivation_list(s, Filters(term=AUTUMN))
    # Value added follows the person across the two schools: 80 → 93.33.
    assert (va["innovation"]["n"], va["innovation"]["mean_change"]) == (1, 13.33)
    assert rows["P0101"]["last_sequence"] == 1 and rows["J0201"]["last_sequence"] == 1
    assert not rows["P0101"]["behind"] and rows["J0201"]["days_since_last"] == 0
    assert (rows["P0101"]["students"], rows["P0101"]["evaluations"], rows["J0201"]["results"]) == (2, 2, 1)
    # The mover is in autumn's population only through the junior row; the rules still see
    # her primary-school project.
    [mover] = cult["students"]
    assert mover["school_code"] == "J0201"
    assert mover["rules"] == ["provincial_award", "concluded_project", "innovation_top10"]


def test_unknown_person_is_not_found(district):
    with district.session() as s, pytest.raises(NotFoundError):
        person_history(s, "0" * 64, reason="测试")
    with district.session() as s, pytest.raises(ValidationError):
        search_persons(s, "  ")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    db, ids = create_sample_district(tmp_path_factory.mktemp("cult") / "d.db", datetime(2026, 1, 10))
    yield db
    db.close()


def test_cultivation_list_shows_the_rules_that_put_each_student_there(sample):
    with sample.session() as s:
        cult = cultivation_list(s, Filters(term=TERM))
    got = {st["name"]: st["rules"] for st in cult["students"]}
    # provincial or better: a1, a2 (r1 national), b1 (r2, r5 provincial; r6 deleted, r7 rejected);
    # concluded project: c1, c2 (p2), d1 (p3), and the mover through a0's p6;
    # innovation top 10 % of T: 5 scores, ⌈0.5⌉ = 1 → only the best, d1 (92).
    assert got == {"王一鸣": ["provincial_award"], "李思远": ["provincial_award"],
                   "林小川": ["provincial_award", "concluded_project"],
                   "吴俊杰": ["concluded_project"], "郑可欣": ["concluded_project"],
                   "马文静": ["concluded_project", "innovation_top10"]}
    assert cult["notice"] == NOTICE == "用于培养计划，不作为升学录取依据"
    mover = next(st for st in cult["students"] if st["name"] == "林小川")
    assert mover["school_code"] == "U2"     # shown with the newest record
    assert "省级一等奖" in mover["reasons"][0]  # the best of the mover's awards


def test_cultivation_rules_are_configurable_json(sample):
    rules = rules_from_json(json.dumps({"rules": [
        {"code": "math", "kind": "award", "label_zh": "数学市级及以上", "min_level": "municipal", "disciplines": ["数学"]},
        {"code": "top40", "kind": "top_score", "label_zh": "创新前 40%", "top_percent": 40}]}))
    with sample.session() as s:
        got = {st["name"]: st["rules"] for st in cultivation_list(s, Filters(term=TERM), rules)["students"]}
    # 数学 municipal+: only c1's r3 (a0's r8 is school level). Top 40 % of 5 → ⌈2⌉ = 2nd best
    # score 89.29 is the line: d1 (92) and b1 (89.29).
    assert got == {"吴俊杰": ["math"], "马文静": ["top40"], "林小川": ["top40"]}
    assert rules_from_json(rules_to_json()) == rules_from_json(rules_to_json())
    for bad in ({"rules": [{"code": "x", "kind": "magic", "label_zh": "?"}]},
                {"rules": [{"code": "x", "kind": "award", "label_zh": "?", "min_level": "galactic"}]},
                {"rules": [{"code": "x", "kind": "top_score", "label_zh": "?", "top_percent": 0}]},
                {"rules": [{"code": "x", "kind": "award", "label_zh": "?", "colour": "red"}]},
                {"rules": []}):
        with pytest.raises(ValidationError) as err:
            rules_from_json(bad)
        assert err.value.field == "rules"


def test_cultivation_list_respects_filters(sample):
    with sample.session() as s:
        rural = cultivation_list(s, Filters(term=TERM, category="rural"))["students"]
        assert [st["name"] for st in rural] == ["马文静"]
        only_projects = cultivation_list(s, Filters(term=TERM, school="T1"),
                                         [Rule("p", "project", "结题项目")])["students"]
        assert sorted(st["name"] for st in only_projects) == ["吴俊杰", "郑可欣"]
